"""The shortlist workflow through ``matching.services``: people decide, Werkbrug records.

shortlist → proposed (anonymous profile frozen) → consent to share the name asked (e-mail) →
name shared (consent in force) → introduction planned → outcome recorded; any step may end
in "no longer in the running". Each test names the rule it proves: who may take a step, what
the step stores (entry, opportunity status, consent, ``MatchEvent``), and which steps are
refused in which state.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matching_support import make_opportunity, picker, skill
from tests_support import make_person
from werkbrug.candidates import services as candidate_services
from werkbrug.candidates.models import Consent, ConsentChannel, ConsentScope
from werkbrug.core import access
from werkbrug.core.roles import Role
from werkbrug.employers.models import (
    ContactPerson,
    Employer,
    OpportunityStatus,
    OpportunityStatusChange,
)
from werkbrug.matching import selectors, services
from werkbrug.matching.models import IntroductionOutcome, MatchEvent, ShortlistEntry

pytestmark = pytest.mark.django_db

INTRODUCTION_AT = timezone.make_aware(dt.datetime(2030, 5, 6, 10, 0))


@pytest.fixture
def rm(people):
    return access.actor_for(people["relatiemanager"])


@pytest.fixture
def portal(world, people):
    """A candidate with a portal account (role kandidaat), and the actor for that account."""
    user = make_person("kandidaat_portaal", Role.CANDIDATE, None)
    candidate = picker(
        world["place"], user=user, client_manager=people["klantmanager"].staff, first_name="Noor"
    )
    return candidate, access.actor_for(user)


@pytest.fixture
def employer_actor(people):
    return access.actor_for(people["werkgever"])


def _propose(rm, world, candidate=None):
    entry = services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=candidate or world["good"]
    )
    return services.propose(actor=rm, entry=entry)


def _shared(rm, world, candidate=None):
    entry = _propose(rm, world, candidate)
    return services.record_consent(actor=rm, entry=entry)


def _events(kind, candidate, opportunity):
    return MatchEvent.objects.filter(kind=kind, candidate=candidate, opportunity=opportunity)


def _other_company(regions, rm_staff):
    """Another employer in the same region, with its own contact person and open work."""
    other = Employer.objects.create(
        region=regions["own"]["region"],
        name="Bouwbedrijf De Ridder",
        municipality=regions["own"]["municipalities"][0],
        sbi_code="43221",
        owner=rm_staff,
    )
    boss = make_person("werkgever_twee", Role.EMPLOYER_CONTACT, None)
    ContactPerson.objects.create(employer=other, name="Ruud de Ridder", user=boss)
    return other, make_opportunity(other, title="Magazijnmedewerker")


# --- Adding ---------------------------------------------------------------------------------


def test_entries_are_numbered_one_two_three_per_opportunity(world, rm, regions):
    numbers = [
        services.add_to_shortlist(actor=rm, opportunity=world["opportunity"], candidate=c).number
        for c in (world["good"], world["far"], world["cashier"])
    ]
    assert numbers == [1, 2, 3]
    _, elsewhere = _other_company(regions, world["rm"])
    first_there = services.add_to_shortlist(actor=rm, opportunity=elsewhere, candidate=world["far"])
    assert first_there.number == 1  # numbering starts again for each opportunity
    assert str(first_there) == "Kandidaat 1"


def test_adding_the_same_candidate_twice_returns_the_same_entry(world, rm):
    first = services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=world["good"]
    )
    again = services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=world["good"]
    )
    assert again.pk == first.pk and again.number == 1
    assert ShortlistEntry.objects.filter(opportunity=world["opportunity"]).count() == 1


def test_an_added_entry_stores_the_score_and_explanation_of_that_moment(world, rm):
    shown = {
        s.candidate.pk: s
        for s in selectors.candidates_for_opportunity(rm, world["opportunity"], record=False)
    }
    entry = services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=world["good"]
    )
    entry.refresh_from_db()
    assert entry.score == pytest.approx(shown[world["good"].pk].suggestion.score)
    assert entry.explanation == shown[world["good"].pk].explanation[:500]
    assert "orders verzamelen" in entry.explanation
    assert entry.added_by_id == world["rm"].pk
    assert entry.status == "shortlist"
    assert _events("shortlist", world["good"], world["opportunity"]).count() == 1


def test_a_client_manager_may_not_shortlist(world, people):
    """Client managers read suggestions but have no ``matching.shortlist``."""
    km = access.actor_for(people["klantmanager"])
    with pytest.raises(PermissionDenied):
        services.add_to_shortlist(
            actor=km, opportunity=world["opportunity"], candidate=world["good"]
        )
    assert not ShortlistEntry.objects.exists()


def test_a_relationship_manager_of_another_region_may_not_shortlist(world, people):
    outsider = access.actor_for(people["other_region_rm"])
    with pytest.raises(PermissionDenied):
        services.add_to_shortlist(
            actor=outsider, opportunity=world["opportunity"], candidate=world["good"]
        )
    assert not ShortlistEntry.objects.exists()


def test_filled_work_takes_no_new_entries(world, rm):
    world["opportunity"].status = OpportunityStatus.FILLED
    world["opportunity"].save()
    with pytest.raises(ValidationError) as exc:
        services.add_to_shortlist(
            actor=rm, opportunity=world["opportunity"], candidate=world["good"]
        )
    assert "opportunity" in exc.value.message_dict


def test_a_candidate_put_back_on_the_shortlist_starts_a_fresh_round(world, rm, employer_actor):
    entry = _propose(rm, world)
    services.employer_response(actor=employer_actor, entry=entry, interested=False, note="Nee")
    services.withdraw(actor=rm, entry=entry, reason="Werkgever ziet af")
    again = services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=world["good"]
    )
    assert again.pk == entry.pk and again.status == "shortlist"
    again.refresh_from_db()
    assert (again.employer_interest, again.employer_note, again.employer_responded_at) == (
        None,
        "",
        None,
    )


# --- Proposing ------------------------------------------------------------------------------


def test_proposing_freezes_the_profile_and_moves_the_opportunity_to_proposed(world, rm):
    assert world["opportunity"].status == OpportunityStatus.OPEN
    entry = _propose(rm, world)
    entry.refresh_from_db()
    assert entry.status == "voorgesteld" and entry.proposed_at is not None
    assert "orders verzamelen" in entry.profile["tasks"]
    world["opportunity"].refresh_from_db()
    assert world["opportunity"].status == OpportunityStatus.PROPOSED
    assert OpportunityStatusChange.objects.filter(
        opportunity=world["opportunity"], from_status="open", to_status="voorgesteld"
    ).exists()
    assert _events("voorgesteld", world["good"], world["opportunity"]).count() == 1

    frozen = dict(entry.profile)
    world["good"].skills.add(skill("Kassa bedienen"))  # the record changes after proposing
    entry.refresh_from_db()
    assert entry.profile == frozen
    assert "kassa bedienen" not in entry.profile["tasks"]


def test_proposing_twice_is_refused_naming_the_status(world, rm):
    entry = _propose(rm, world)
    with pytest.raises(ValidationError) as exc:
        services.propose(actor=rm, entry=entry)
    assert "status" in exc.value.message_dict
    assert _events("voorgesteld", world["good"], world["opportunity"]).count() == 1


def test_the_opportunity_status_only_moves_forward(world, rm):
    """A later proposal does not pull an opportunity in "kennismaking" back to "voorgesteld"."""
    services.plan_introduction(
        actor=rm, entry=_shared(rm, world), at=INTRODUCTION_AT, place="Kantoor Wijchen"
    )
    world["opportunity"].refresh_from_db()
    assert world["opportunity"].status == OpportunityStatus.INTRODUCTION
    _propose(rm, world, world["far"])
    world["opportunity"].refresh_from_db()
    assert world["opportunity"].status == OpportunityStatus.INTRODUCTION
    assert list(
        OpportunityStatusChange.objects.filter(opportunity=world["opportunity"])
        .order_by("at", "id")
        .values_list("to_status", flat=True)
    ) == ["voorgesteld", "kennismaking"]


# --- Consent to share the name --------------------------------------------------------------


def test_requesting_consent_emails_the_candidate(
    world, rm, portal, django_capture_on_commit_callbacks
):
    candidate, _ = portal
    entry = _propose(rm, world, candidate)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes on commit
        entry = services.request_consent(actor=rm, entry=entry)
    assert entry.status == "toestemming_gevraagd" and entry.consent_requested_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [candidate.email]
    assert "Noor" in message.body
    assert "Logistiek Centrum Wijchen" in message.body and "Orderpicker" in message.body
    assert not services.name_shared(entry)


def test_a_request_when_consent_is_already_in_force_shares_the_name_without_asking(
    world, rm, people
):
    candidate_services.grant_consent(
        world["good"],
        actor=rm,
        scope=ConsentScope.SHARE_WITH_EMPLOYER,
        via=ConsentChannel.IN_PERSON,
        employer=world["employer"],
    )
    entry = _propose(rm, world)
    mail.outbox.clear()
    entry = services.request_consent(actor=rm, entry=entry)
    assert entry.status == "naam_gedeeld" and entry.identity_shared_at is not None
    assert mail.outbox == []


def test_consent_is_asked_and_recorded_only_after_proposing(world, rm):
    """The candidate is asked about one employer once that employer has seen the profile."""
    entry = services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=world["good"]
    )
    mail.outbox.clear()
    for step in (services.request_consent, services.record_consent):
        with pytest.raises(ValidationError) as exc:
            step(actor=rm, entry=entry)
        assert "status" in exc.value.message_dict
    entry.refresh_from_db()
    assert entry.status == "shortlist"
    assert mail.outbox == []
    assert not Consent.objects.filter(candidate=world["good"]).exists()


def test_the_candidate_agrees_in_the_portal_and_the_name_is_shared(world, rm, portal):
    candidate, me = portal
    entry = services.request_consent(actor=rm, entry=_propose(rm, world, candidate))
    assert [e.pk for e in services.consent_requests_for(me)] == [entry.pk]

    entry = services.answer_consent_request(actor=me, entry=entry, agree=True)

    assert entry.status == "naam_gedeeld" and entry.identity_shared_at is not None
    consent = Consent.objects.get(candidate=candidate, withdrawn_at__isnull=True)
    assert consent.scope == ConsentScope.SHARE_WITH_EMPLOYER
    assert consent.employer == world["employer"]
    assert consent.granted_via == ConsentChannel.PORTAL
    assert consent.granted_by_id == candidate.user_id
    assert services.name_shared(entry)
    assert services.consent_requests_for(me) == []


def test_the_candidate_declines_and_is_no_longer_in_the_running(world, rm, portal):
    candidate, me = portal
    entry = services.request_consent(actor=rm, entry=_propose(rm, world, candidate))
    entry = services.answer_consent_request(actor=me, entry=entry, agree=False)
    entry.refresh_from_db()
    assert entry.status == "afgevallen"
    assert entry.withdrawn_reason.strip()
    assert not Consent.objects.filter(candidate=candidate).exists()
    assert not services.name_shared(entry)


def test_only_the_candidate_themselves_may_answer(world, rm, portal, people):
    candidate, _ = portal
    entry = services.request_consent(actor=rm, entry=_propose(rm, world, candidate))
    someone_else = access.actor_for(people["kandidaat"])  # another candidate's account
    for actor in (someone_else, rm):
        with pytest.raises(PermissionDenied):
            services.answer_consent_request(actor=actor, entry=entry, agree=True)
    entry.refresh_from_db()
    assert entry.status == "toestemming_gevraagd"
    assert not Consent.objects.filter(candidate=candidate).exists()


def test_an_answer_is_possible_only_while_consent_is_requested(world, rm, portal):
    candidate, me = portal
    entry = _propose(rm, world, candidate)
    with pytest.raises(ValidationError) as exc:
        services.answer_consent_request(actor=me, entry=entry, agree=True)
    assert "status" in exc.value.message_dict


def test_the_consultant_records_consent_given_by_phone(world, rm, people):
    entry = services.request_consent(actor=rm, entry=_propose(rm, world))
    entry = services.record_consent(actor=rm, entry=entry)
    assert entry.status == "naam_gedeeld"
    consent = Consent.objects.get(candidate=world["good"], withdrawn_at__isnull=True)
    assert consent.employer == world["employer"]
    assert consent.granted_via == ConsentChannel.PHONE
    assert consent.granted_by == people["relatiemanager"]
    assert services.name_shared(entry)


def test_the_client_manager_records_consent_on_the_candidate_file_not_on_the_shortlist(
    world, rm, people
):
    """``record_consent`` needs ``matching.shortlist``, which a client manager lacks; the
    client manager records the consent on the candidate's file, which the shortlist reads
    live: the introduction can then be planned."""
    km = access.actor_for(people["klantmanager"])
    entry = services.request_consent(actor=rm, entry=_propose(rm, world))
    with pytest.raises(PermissionDenied):
        services.record_consent(actor=km, entry=entry)
    candidate_services.grant_consent(
        world["good"],
        actor=km,
        scope=ConsentScope.SHARE_WITH_EMPLOYER,
        via=ConsentChannel.IN_PERSON,
        employer=world["employer"],
    )
    assert services.name_shared(entry)
    entry = services.plan_introduction(
        actor=rm, entry=entry, at=INTRODUCTION_AT, place="Kantoor Wijchen"
    )
    assert entry.status == "kennismaking"


# --- Introduction and outcome ---------------------------------------------------------------


def test_no_introduction_without_consent_to_share_the_name(world, rm):
    entry = services.request_consent(actor=rm, entry=_propose(rm, world))
    with pytest.raises(ValidationError) as exc:
        services.plan_introduction(
            actor=rm, entry=entry, at=INTRODUCTION_AT, place="Kantoor Wijchen"
        )
    assert "status" in exc.value.message_dict
    entry.refresh_from_db()
    assert entry.status == "toestemming_gevraagd" and entry.introduction_at is None
    world["opportunity"].refresh_from_db()
    assert world["opportunity"].status == OpportunityStatus.PROPOSED


def test_with_consent_the_introduction_is_planned_and_the_opportunity_follows(world, rm):
    entry = _shared(rm, world)
    with pytest.raises(ValidationError) as exc:
        services.plan_introduction(actor=rm, entry=entry, at=INTRODUCTION_AT, place="   ")
    assert "place" in exc.value.message_dict
    entry = services.plan_introduction(
        actor=rm, entry=entry, at=INTRODUCTION_AT, place="  Kantoor Wijchen "
    )
    entry.refresh_from_db()
    assert entry.status == "kennismaking"
    assert entry.introduction_at == INTRODUCTION_AT
    assert entry.introduction_place == "Kantoor Wijchen"
    world["opportunity"].refresh_from_db()
    assert world["opportunity"].status == OpportunityStatus.INTRODUCTION


def test_a_hire_records_the_introduction_and_the_hire(world, rm):
    entry = services.plan_introduction(
        actor=rm, entry=_shared(rm, world), at=INTRODUCTION_AT, place="Kantoor Wijchen"
    )
    entry = services.record_outcome(
        actor=rm, entry=entry, outcome=IntroductionOutcome.HIRED, note=" Start 1 juni "
    )
    assert entry.status == "afgerond" and entry.outcome == "aangenomen"
    assert entry.outcome_note == "Start 1 juni" and entry.outcome_at is not None
    assert _events("kennismaking", world["good"], world["opportunity"]).count() == 1
    assert _events("aangenomen", world["good"], world["opportunity"]).count() == 1


def test_a_no_show_is_not_counted_as_an_introduction(world, rm):
    entry = services.plan_introduction(
        actor=rm, entry=_shared(rm, world), at=INTRODUCTION_AT, place="Kantoor Wijchen"
    )
    entry = services.record_outcome(actor=rm, entry=entry, outcome=IntroductionOutcome.NO_SHOW)
    assert entry.status == "afgerond"
    assert not _events("kennismaking", world["good"], world["opportunity"]).exists()
    assert not _events("aangenomen", world["good"], world["opportunity"]).exists()


def test_an_outcome_needs_a_planned_introduction_and_a_known_outcome(world, rm):
    entry = _shared(rm, world)
    with pytest.raises(ValidationError) as exc:
        services.record_outcome(actor=rm, entry=entry, outcome=IntroductionOutcome.HIRED)
    assert "status" in exc.value.message_dict
    entry = services.plan_introduction(
        actor=rm, entry=entry, at=INTRODUCTION_AT, place="Kantoor Wijchen"
    )
    with pytest.raises(ValidationError) as exc:
        services.record_outcome(actor=rm, entry=entry, outcome="super")
    assert "outcome" in exc.value.message_dict
    assert not _events("aangenomen", world["good"], world["opportunity"]).exists()


def test_withdrawing_needs_a_reason(world, rm):
    entry = _propose(rm, world)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            services.withdraw(actor=rm, entry=entry, reason=reason)
        assert "reason" in exc.value.message_dict
    entry.refresh_from_db()
    assert entry.status == "voorgesteld"
    entry = services.withdraw(actor=rm, entry=entry, reason=" Heeft elders werk gevonden ")
    assert entry.status == "afgevallen"
    assert entry.withdrawn_reason == "Heeft elders werk gevonden"


# --- The employer ---------------------------------------------------------------------------


def test_the_employer_responds_to_a_proposed_candidate(world, rm, employer_actor):
    entry = _propose(rm, world)
    entry = services.employer_response(
        actor=employer_actor, entry=entry, interested=True, note="  Graag kennismaken  "
    )
    entry.refresh_from_db()
    assert entry.employer_interest is True
    assert entry.employer_note == "Graag kennismaken"
    assert entry.employer_responded_at is not None


def test_the_employer_cannot_respond_to_an_entry_that_is_only_on_the_shortlist(
    world, rm, employer_actor
):
    entry = services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=world["good"]
    )
    with pytest.raises(PermissionDenied):
        services.employer_response(actor=employer_actor, entry=entry, interested=True)
    entry.refresh_from_db()
    assert entry.employer_interest is None and entry.employer_responded_at is None


def test_the_employer_cannot_respond_for_another_company(world, rm, employer_actor, regions):
    _, elsewhere = _other_company(regions, world["rm"])
    entry = services.propose(
        actor=rm,
        entry=services.add_to_shortlist(actor=rm, opportunity=elsewhere, candidate=world["good"]),
    )
    with pytest.raises(PermissionDenied):
        services.employer_response(actor=employer_actor, entry=entry, interested=False)
    entry.refresh_from_db()
    assert entry.employer_interest is None


def test_staff_cannot_answer_in_the_employer_portal(world, rm):
    entry = _propose(rm, world)
    with pytest.raises(PermissionDenied):
        services.employer_response(actor=rm, entry=entry, interested=True)


def test_the_employer_sees_only_proposed_entries_of_their_own_company(
    world, rm, employer_actor, regions
):
    proposed = _propose(rm, world)
    services.add_to_shortlist(actor=rm, opportunity=world["opportunity"], candidate=world["far"])
    dropped = _propose(rm, world, world["cashier"])
    services.withdraw(actor=rm, entry=dropped, reason="Geen interesse")
    _, elsewhere = _other_company(regions, world["rm"])
    services.propose(
        actor=rm,
        entry=services.add_to_shortlist(actor=rm, opportunity=elsewhere, candidate=world["good"]),
    )
    visible = access.scoped(ShortlistEntry, employer_actor)
    assert list(visible.values_list("pk", flat=True)) == [proposed.pk]
    assert list(selectors.proposals_for_employer(employer_actor)) == [proposed]


def test_a_withdrawn_consent_ends_name_sharing_at_once(world, rm, portal):
    candidate, me = portal
    entry = services.request_consent(actor=rm, entry=_propose(rm, world, candidate))
    entry = services.answer_consent_request(actor=me, entry=entry, agree=True)
    assert services.name_shared(entry)
    consent = Consent.objects.get(candidate=candidate, withdrawn_at__isnull=True)
    candidate_services.withdraw_consent(consent, actor=me, via=ConsentChannel.PORTAL)
    assert not services.name_shared(entry)
    with pytest.raises(ValidationError):
        services.plan_introduction(
            actor=rm, entry=entry, at=INTRODUCTION_AT, place="Kantoor Wijchen"
        )
