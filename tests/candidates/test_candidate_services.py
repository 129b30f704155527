"""Candidate services and the privacy rules they rest on: registration with BSN dedupe, the
handover gate, consent (withdrawal counts at once, everywhere), scopes per role, returns and
signals, and the SQL version of the completeness check agreeing with the pure core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from candidates_support import give_consent, make_candidate
from werkbrug.candidates import selectors, services
from werkbrug.candidates.models import (
    Candidate,
    CandidateLanguage,
    Consent,
    HealthProfile,
    JourneyStatus,
    LadderStepChange,
    ServiceEpisode,
)
from werkbrug.candidates.profile import ITEM_LABELS, completeness_for
from werkbrug.core import access
from werkbrug.core.models import AccessLogEntry, ChangeLogEntry
from werkbrug.core.roles import Role
from werkbrug.employers.models import ContactPerson, Employer

pytestmark = pytest.mark.django_db

KM, RM, TL, UWV = "klantmanager", "relatiemanager", "teamleider", "uwv_partner"


def actor(person) -> access.Actor:
    return access.actor_for(person)


@pytest.fixture
def employer(regions, people) -> Employer:
    employer = Employer.objects.create(
        region=regions["own"]["region"],
        name="Bakkerij De Korenaar",
        municipality=regions["own"]["municipalities"][0],
        owner=people[RM].staff,
    )
    ContactPerson.objects.create(employer=employer, name="Ingrid", user=people["werkgever"])
    return employer


# --- Registration --------------------------------------------------------------------------


def test_register_stores_only_a_pseudonym_and_ciphertext_and_refuses_the_same_bsn(
    regions, people
) -> None:
    municipality = regions["own"]["municipalities"][0]
    data = {"first_name": "Fatima", "last_name": "el Amrani", "birth_date": dt.date(1991, 1, 9)}
    created = services.register_candidate(
        actor=actor(people[KM]), bsn="111222333", municipality=municipality, data=data
    )
    assert created.client_manager == people[KM].staff
    assert "111222333" not in created.bsn_pseudonym + created.bsn_encrypted
    with pytest.raises(services.DuplicateCandidate) as caught:
        services.register_candidate(
            actor=actor(people[KM]), bsn="111 222 333", municipality=municipality, data=data
        )
    assert caught.value.existing == created
    assert "bsn" in caught.value.message_dict


def test_register_names_the_bad_field(regions, people) -> None:
    with pytest.raises(ValidationError) as caught:
        services.register_candidate(
            actor=actor(people[KM]),
            bsn="123456789",  # fails the elfproef
            municipality=regions["own"]["municipalities"][0],
            data={"first_name": "A", "last_name": "B", "birth_date": dt.date(1990, 1, 1)},
        )
    assert "bsn" in caught.value.message_dict
    assert not Candidate.objects.exists()


def test_a_relationship_manager_cannot_register_candidates(regions, people) -> None:
    with pytest.raises(PermissionDenied):
        services.register_candidate(
            actor=actor(people[RM]),
            bsn="111222333",
            municipality=regions["own"]["municipalities"][0],
            data={"first_name": "A", "last_name": "B", "birth_date": dt.date(1990, 1, 1)},
        )


# --- Handover ------------------------------------------------------------------------------


def test_handover_is_refused_with_the_missing_items_then_accepted_once_complete(
    regions, people
) -> None:
    km, rm = people[KM].staff, people[RM].staff
    candidate = make_candidate(regions["own"], complete=False, client_manager=km)
    with pytest.raises(services.IncompleteProfile) as caught:
        services.hand_over(candidate, actor=actor(people[KM]), to_staff=rm)
    assert "education_level" in caught.value.missing
    assert "talents" in caught.value.missing
    assert str(ITEM_LABELS["education_level"]) in caught.value.messages[0]
    candidate.refresh_from_db()
    assert candidate.status == JourneyStatus.IN_CASELOAD and candidate.consultant is None

    complete = make_candidate(regions["own"], client_manager=km)
    handover = services.hand_over(complete, actor=actor(people[KM]), to_staff=rm, warm=True)
    complete.refresh_from_db()
    assert handover.to_staff == rm and handover.from_staff == km
    assert handover.on == timezone.localdate() and handover.completeness >= 70
    assert complete.status == JourneyStatus.HANDED_OVER and complete.consultant == rm
    assert ServiceEpisode.objects.filter(candidate=complete, end__isnull=True).count() == 1


def test_handover_only_to_a_relationship_manager_of_the_region(regions, people) -> None:
    candidate = make_candidate(regions["own"], client_manager=people[KM].staff)
    for receiver in (people[TL].staff, people["other_region_rm"].staff):
        with pytest.raises(ValidationError) as caught:
            services.hand_over(candidate, actor=actor(people[KM]), to_staff=receiver)
        assert "to_staff" in caught.value.message_dict


def test_a_file_handover_hands_over_the_complete_and_lists_the_rest(regions, people) -> None:
    km = people[KM].staff
    ready = [make_candidate(regions["own"], client_manager=km) for _ in range(3)]
    not_ready = make_candidate(regions["own"], complete=False, client_manager=km)
    batch = services.hand_over_file(
        actor=actor(people[KM]), candidates=[*ready, not_ready], to_staff=people[RM].staff
    )
    assert batch.handed_over == 3
    assert [row["candidate"] for row in batch.refused] == [str(not_ready.uuid)]
    assert "education_level" in batch.refused[0]["codes"]
    assert str(ITEM_LABELS["education_level"]) in batch.refused[0]["missing"]
    assert batch.handovers.count() == 3


# --- Consent and scopes --------------------------------------------------------------------


def test_client_manager_sees_own_municipality_in_full_and_others_only_with_consent(
    regions, people
) -> None:
    nijmegen, wijchen = regions["own"]["municipalities"]
    own = make_candidate(regions["own"], municipality=nijmegen)
    elsewhere = make_candidate(regions["own"], municipality=wijchen)
    km = actor(people[KM])  # works for Nijmegen
    assert set(access.scoped(Candidate, km)) == {own}
    give_consent(elsewhere, "regionale_pool", by=people[KM])
    rows = {c.pk: c.full_access for c in selectors.caseload(actor=km)}
    assert rows == {own.pk: True, elsewhere.pk: False}
    assert not services.has_full_access(km, elsewhere)
    # A name search never finds people only visible as an anonymous profile.
    found = selectors.caseload(actor=km, flt=selectors.CaseloadFilter(search=elsewhere.first_name))
    assert list(found) == []
    # Case records of the pool candidate stay hidden.
    with pytest.raises(PermissionDenied):
        services.record_contact(
            elsewhere, actor=km, at=timezone.now(), channel="telefoon", summary="x"
        )


def test_other_region_sees_nothing_even_with_pool_consent(regions, people) -> None:
    candidate = make_candidate(regions["own"])
    give_consent(candidate, "regionale_pool", by=people[KM])
    assert not access.scoped(Candidate, actor(people["other_region_rm"])).exists()


def test_researcher_and_administrator_see_no_candidates(regions, people) -> None:
    make_candidate(regions["own"])
    for role in ("onderzoeker", "beheerder"):
        assert not access.scoped(Candidate, actor(people[role])).exists()


def test_withdrawing_consent_hides_the_candidate_from_the_employer_at_once(
    regions, people, employer
) -> None:
    candidate = make_candidate(regions["own"], client_manager=people[KM].staff)
    km, boss = actor(people[KM]), actor(people["werkgever"])
    share = services.grant_consent(
        candidate, actor=km, scope="delen_met_werkgever", employer=employer, via="persoonlijk"
    )
    HealthProfile.objects.create(candidate=candidate, limitations="Kan niet lang staan")
    assert list(access.scoped(Candidate, boss)) == [candidate]
    assert not access.scoped(HealthProfile, boss).exists()  # no disclosure consent yet
    services.grant_consent(
        candidate, actor=km, scope="beperkingen_delen", employer=employer, via="telefoon"
    )
    assert access.scoped(HealthProfile, boss).exists()

    withdrawn = services.withdraw_consent(share, actor=km, via="telefoon")
    assert {c.scope for c in withdrawn} == {"delen_met_werkgever", "beperkingen_delen"}
    assert not access.scoped(Candidate, boss).exists()
    assert not access.scoped(HealthProfile, boss).exists()
    # History stays: both rows are still there, stamped.
    assert Consent.objects.filter(candidate=candidate, withdrawn_at__isnull=False).count() == 2


def test_disclosing_limitations_needs_profile_sharing_first(regions, people, employer) -> None:
    candidate = make_candidate(regions["own"])
    with pytest.raises(ValidationError) as caught:
        services.grant_consent(
            candidate,
            actor=actor(people[KM]),
            scope="beperkingen_delen",
            employer=employer,
            via="persoonlijk",
        )
    assert "scope" in caught.value.message_dict


def test_the_candidate_manages_own_consent_and_it_is_recorded_as_portal(regions, people) -> None:
    candidate = make_candidate(regions["own"], user=people["kandidaat"])
    me = actor(people["kandidaat"])
    consent = services.grant_consent(candidate, actor=me, scope="regionale_pool", via="persoonlijk")
    assert consent.granted_via == "portaal" and consent.granted_by == people["kandidaat"]
    other = make_candidate(regions["own"])
    with pytest.raises(PermissionDenied):
        services.grant_consent(other, actor=me, scope="regionale_pool", via="portaal")
    assert list(access.scoped(Candidate, me)) == [candidate]


def test_health_is_visible_only_to_the_candidates_own_workers(regions, people) -> None:
    candidate = make_candidate(
        regions["own"], client_manager=people[KM].staff, consultant=people[RM].staff
    )
    HealthProfile.objects.create(candidate=candidate, limitations="Rugklachten")
    assert access.scoped(HealthProfile, actor(people[KM])).exists()
    assert access.scoped(HealthProfile, actor(people[RM])).exists()
    assert not access.scoped(HealthProfile, actor(people[TL])).exists()
    colleague = make_candidate(regions["own"])  # same municipality, someone else's case
    HealthProfile.objects.create(candidate=colleague, limitations="Astma")
    assert access.scoped(HealthProfile, actor(people[KM])).count() == 1
    with pytest.raises(PermissionDenied):
        services.save_health(colleague, actor=actor(people[KM]), data={"limitations": "x"})


def test_uwv_partner_sees_the_pool_and_own_people_only(regions, people) -> None:
    pool = make_candidate(regions["own"])
    give_consent(pool, "regionale_pool", by=people[KM])
    mine = make_candidate(regions["own"], consultant=people[UWV].staff)
    make_candidate(regions["own"])  # neither
    rows = {c.pk: c.full_access for c in selectors.caseload(actor=actor(people[UWV]))}
    assert rows == {pool.pk: False, mine.pk: True}


def test_reading_a_candidate_is_logged_with_its_purpose(regions, people) -> None:
    from werkbrug.core import audit

    candidate = make_candidate(regions["own"])
    with audit.acting_as(people[KM]):
        selectors.candidate_for_view(actor=actor(people[KM]), uuid=candidate.uuid, purpose="test")
    entry = AccessLogEntry.objects.get()
    assert entry.purpose == "test" and entry.user == people[KM]


# --- Editing, languages, ladder ------------------------------------------------------------


def test_ladder_history_is_kept_and_the_current_step_follows_the_latest(regions, people) -> None:
    candidate = make_candidate(regions["own"], ladder_step=3)
    km = actor(people[KM])
    services.set_ladder_step(candidate, actor=km, step=4, assessed_on=dt.date(2026, 3, 1))
    services.set_ladder_step(candidate, actor=km, step=5, assessed_on=dt.date(2026, 9, 1))
    services.set_ladder_step(candidate, actor=km, step=2, assessed_on=dt.date(2025, 1, 1))
    candidate.refresh_from_db()
    assert candidate.ladder_step == 5
    assert LadderStepChange.objects.filter(candidate=candidate).count() == 3


def test_languages_are_replaced_and_duplicates_named(regions, people) -> None:
    candidate = make_candidate(regions["own"])
    km = actor(people[KM])
    services.set_languages(
        candidate, actor=km, languages=[("nederlands", "A2"), ("Arabisch", "moedertaal")]
    )
    assert list(
        CandidateLanguage.objects.filter(candidate=candidate).values_list("language", flat=True)
    ) == ["Nederlands", "Arabisch"]
    with pytest.raises(ValidationError) as caught:
        services.set_languages(candidate, actor=km, languages=[("Turks", "B1"), ("turks", "A1")])
    assert "languages" in caught.value.message_dict
    assert CandidateLanguage.objects.filter(candidate=candidate).count() == 2  # nothing lost


def test_the_candidate_can_edit_wishes_but_not_their_benefit(regions, people) -> None:
    candidate = make_candidate(regions["own"], user=people["kandidaat"])
    me = actor(people["kandidaat"])
    updated = services.update_own_profile(
        candidate,
        actor=me,
        data={"wished_work_kinds": ["grijs_groen"], "wished_hours_min": 16, "wished_hours_max": 24},
        expected_version=candidate.version,
    )
    assert updated.wished_work_kinds == ["grijs_groen"]
    assert ChangeLogEntry.objects.filter(object_uuid=candidate.uuid).exists()
    with pytest.raises(ValidationError) as caught:
        services.update_own_profile(candidate, actor=me, data={"benefit_type": "wsw"})
    assert "benefit_type" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.update_own_profile(
            candidate, actor=me, data={"wished_hours_min": 30, "wished_hours_max": 20}
        )
    assert "wished_hours_max" in caught.value.message_dict


def test_a_stale_edit_is_refused(regions, people) -> None:
    candidate = make_candidate(regions["own"])
    km = actor(people[KM])
    services.update_candidate(candidate, actor=km, data={"talents": "Nieuw"}, expected_version=1)
    with pytest.raises(ValidationError):
        services.update_candidate(
            Candidate.objects.get(pk=candidate.pk),
            actor=km,
            data={"talents": "Ouder"},
            expected_version=1,
        )


# --- Returns and signals -------------------------------------------------------------------


def test_a_return_goes_to_the_client_manager_and_closes_the_service_period(regions, people) -> None:
    candidate = make_candidate(regions["own"], client_manager=people[KM].staff)
    services.hand_over(candidate, actor=actor(people[KM]), to_staff=people[RM].staff)
    with pytest.raises(ValidationError) as caught:
        services.send_return(
            candidate,
            actor=actor(people[RM]),
            reason="tijdelijk_niet_plaatsbaar",
            explanation=" ",
            instruments_tried=[],
            recommended_next_step="Schuldhulp",
        )
    assert "explanation" in caught.value.message_dict
    ret = services.send_return(
        candidate,
        actor=actor(people[RM]),
        reason="tijdelijk_niet_plaatsbaar",
        explanation="Eerst schulden op orde",
        instruments_tried=["Jobcoach", " "],
        recommended_next_step="Schuldhulpverlening",
    )
    candidate.refresh_from_db()
    assert candidate.status == JourneyStatus.RETURNED and candidate.consultant is None
    assert ret.receiver == people[KM].staff and ret.instruments_tried == ["Jobcoach"]
    assert not ServiceEpisode.objects.filter(candidate=candidate, end__isnull=True).exists()
    assert list(selectors.open_returns(actor=actor(people[KM]))) == [ret]
    with pytest.raises(PermissionDenied):
        services.acknowledge_return(ret, actor=actor(people[RM]))
    services.acknowledge_return(ret, actor=actor(people[KM]))
    assert not selectors.open_returns(actor=actor(people[KM])).exists()


def test_a_signal_is_decided_with_an_explanation(regions, people) -> None:
    candidate = make_candidate(regions["own"], consultant=people[RM].staff)
    signal = services.report_signal(
        candidate,
        actor=actor(people[RM]),
        kind="niet_verschenen",
        occurred_on=timezone.localdate(),
        description="Niet op gesprek bij werkgever",
    )
    with pytest.raises(ValidationError):
        services.decide_signal(signal, actor=actor(people[KM]), decision="waarschuwing", note="")
    decided = services.decide_signal(
        signal, actor=actor(people[KM]), decision="waarschuwing", note="Eerste keer"
    )
    assert decided.decided_by == people[KM].staff
    assert not selectors.pending_signals(actor=actor(people[RM])).exists()


# --- Data quality --------------------------------------------------------------------------


def test_the_sql_incompleteness_check_agrees_with_the_pure_core(regions, people) -> None:
    km = people[KM].staff
    variants = [
        {},
        {"education_level": None},
        {"talents": ""},
        {"phone": "", "email": ""},
        {"phone": ""},
        {"wished_work_kinds": []},
        {"max_travel_minutes": None},
        {"max_travel_minutes": None, "max_travel_km": 10},
        {"driving_licence": None},
        {"segment": ""},
    ]
    made = [make_candidate(regions["own"], client_manager=km, **v) for v in variants]
    made.append(make_candidate(regions["own"], complete=False, client_manager=km))
    no_languages = make_candidate(regions["own"], client_manager=km)
    no_languages.languages.all().delete()
    made.append(no_languages)
    sql = set(Candidate.objects.filter(selectors.incomplete_q()).values_list("pk", flat=True))
    pure = {c.pk for c in made if not completeness_for(c).ready_for_handover}
    assert sql == pure
    assert len(pure) == 9  # every variant but the complete ones: {}, phone only, km only


def test_quality_checks_count_expired_memberships_and_missing_education(regions, people) -> None:
    from werkbrug.candidates.models import TargetGroupMembership

    tl = actor(people[TL])
    expired = make_candidate(regions["own"])
    TargetGroupMembership.objects.create(
        candidate=expired,
        group="jongere",
        valid_from=dt.date(2020, 1, 1),
        valid_to=timezone.localdate() - dt.timedelta(days=1),
    )
    make_candidate(regions["own"], education_level=None)
    counts = selectors.quality_counts(actor=tl)
    assert counts["doelgroep_verlopen"] == 1
    assert counts["geen_opleiding"] == 1
    assert counts["onvolledig"] == 2  # both lack a client manager
    with pytest.raises(ValueError):
        selectors.quality_queryset("bogus", actor=tl)


def test_role_table_gives_no_candidate_rights_to_portal_users() -> None:
    for role in (Role.EMPLOYER_CONTACT, Role.CANDIDATE):
        fake = access.Actor(user_id=1, roles=frozenset({role}))
        assert not access.can(fake, "candidates.view")


def test_the_client_manager_is_assigned_from_the_candidates_municipality(regions, people) -> None:
    nijmegen, wijchen = regions["own"]["municipalities"]
    candidate = make_candidate(regions["own"], complete=False)
    assert "client_manager" in completeness_for(candidate).missing_required
    services.assign_caseworkers(candidate, actor=actor(people[TL]), client_manager=people[KM].staff)
    candidate.refresh_from_db()
    assert candidate.client_manager == people[KM].staff
    assert "client_manager" not in completeness_for(candidate).missing
    with pytest.raises(ValidationError) as caught:  # a relationship manager is no client manager
        services.assign_caseworkers(
            candidate, actor=actor(people[TL]), client_manager=people[RM].staff
        )
    assert "client_manager" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:  # moved to Wijchen: Nijmegen's KM no longer fits
        services.assign_caseworkers(
            candidate,
            actor=actor(people[TL]),
            client_manager=people[KM].staff,
            municipality=wijchen,
        )
    assert "client_manager" in caught.value.message_dict
    candidate.refresh_from_db()
    assert candidate.municipality == nijmegen  # nothing half-saved


def test_the_caseworkers_page_assigns_a_client_manager(regions, people, login) -> None:
    from django.urls import reverse

    candidate = make_candidate(regions["own"], complete=False)
    client = login(people[TL])
    url = reverse("candidates:caseworkers", kwargs={"uuid": candidate.uuid})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"municipality": candidate.municipality_id, "client_manager": people[KM].staff.pk},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.client_manager == people[KM].staff


def test_the_database_keeps_one_consent_of_a_kind_in_force(regions, people, employer) -> None:
    from django.db import IntegrityError, transaction

    candidate = make_candidate(regions["own"])
    give_consent(candidate, "regionale_pool", by=people[KM])
    give_consent(candidate, "delen_met_werkgever", by=people[KM], employer=employer)
    for scope, target in (("regionale_pool", None), ("delen_met_werkgever", employer)):
        with pytest.raises(IntegrityError), transaction.atomic():
            give_consent(candidate, scope, by=people[KM], employer=target)
    # Withdrawn rows are history: a new grant after a withdrawal is fine.
    Consent.objects.filter(candidate=candidate).update(withdrawn_at=timezone.now())
    give_consent(candidate, "regionale_pool", by=people[KM])


@pytest.mark.parametrize("role", [KM, RM, TL, UWV, "onderzoeker", "werkgever", "kandidaat"])
def test_the_scope_parts_are_disjoint_and_make_up_the_scope(regions, people, employer, role):
    """Counting per part (selectors.caseload_count) is exact only if the parts of
    scopes.scope_parts never overlap and together are exactly what the scope rule allows."""
    from werkbrug.candidates import scopes

    nijmegen, wijchen = regions["own"]["municipalities"]
    mine = make_candidate(regions["own"], municipality=wijchen, consultant=people[RM].staff)
    pooled = make_candidate(regions["own"], municipality=wijchen, user=people["kandidaat"])
    give_consent(pooled, "regionale_pool", by=people[KM])
    give_consent(mine, "regionale_pool", by=people[KM])  # in both the pool and my caseload
    give_consent(pooled, "delen_met_werkgever", by=people[KM], employer=employer)
    make_candidate(regions["own"], municipality=nijmegen)
    make_candidate(regions["own"], municipality=wijchen)  # nobody's, no consent
    make_candidate(regions["other"])
    who = actor(people[role])
    parts = [set(part.values_list("pk", flat=True)) for part in scopes.scope_parts(who)]
    union = set().union(*parts)
    assert sum(len(p) for p in parts) == len(union)  # disjoint
    assert union == set(access.scoped(Candidate, who).values_list("pk", flat=True))
    assert selectors.caseload_count(actor=who) == len(union)


def _returned(regions, people, n: int) -> None:
    from werkbrug.candidates.models import Return, Signal

    for _ in range(n):
        candidate = make_candidate(
            regions["own"], client_manager=people[KM].staff, consultant=people[RM].staff
        )
        Return.objects.create(
            candidate=candidate,
            municipality=candidate.municipality,
            on=timezone.localdate(),
            reason="tijdelijk_niet_plaatsbaar",
            explanation="Eerst zorg",
            recommended_next_step="Zorgtraject",
            sent_by=people[RM].staff,
            receiver=people[KM].staff,
        )
        Signal.objects.create(
            candidate=candidate,
            kind="niet_verschenen",
            occurred_on=timezone.localdate(),
            description="Niet gekomen",
            reported_by=people[RM].staff,
        )


@pytest.mark.parametrize("route", ["candidates:returns", "candidates:signals"])
def test_the_returns_and_signals_lists_do_not_query_per_row(
    regions, people, login, route, django_assert_max_num_queries
) -> None:
    from django.urls import reverse

    client = login(people[KM])
    _returned(regions, people, 2)
    with django_assert_max_num_queries(30) as few:
        assert client.get(reverse(route)).status_code == 200
    _returned(regions, people, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(route))
    assert response.content.decode().count("Kandidaat") >= 10
