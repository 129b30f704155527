"""Employer-register services and selectors that the staff pages rely on: who handles a
question, the first-contact flag, the contact-norm list, merging, optimistic locking and the
duplicate check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from werkbrug.core import access
from werkbrug.core.concurrency import StaleRecordError
from werkbrug.employers import selectors, services
from werkbrug.employers.models import (
    Action,
    Channel,
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerQuestion,
    OpportunityStatus,
    WorkOpportunity,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def rm(people):
    return people["relatiemanager"].staff


@pytest.fixture
def tl(people):
    return people["teamleider"].staff


@pytest.fixture
def actor(people):
    return access.actor_for(people["relatiemanager"])


@pytest.fixture
def make_employer(regions, rm):
    own = regions["own"]

    def make(name: str = "Bakkerij De Korenschoof", **values):
        values.setdefault("owner", rm)
        values.setdefault("municipality", own["municipalities"][0])
        return Employer.objects.create(region=own["region"], name=name, **values)

    return make


# --- Who handles a question -------------------------------------------------------------------


def test_question_goes_to_the_owner_when_present(actor, make_employer, rm, tl):
    employer = make_employer(substitute=tl)
    question = services.receive_question(
        actor=actor, employer=employer, question="Kan ik LKS krijgen?", topic="instrument"
    )
    assert question.assigned_to == rm


def test_question_goes_to_the_named_substitute_while_the_owner_is_away(
    actor, make_employer, rm, tl
):
    rm.away_from = days_ago(2)
    rm.save()
    employer = make_employer(substitute=tl)
    question = services.receive_question(
        actor=actor, employer=employer, question="Wie helpt ons?", topic="overig"
    )
    assert question.assigned_to == tl
    assert selectors.summary(actor=actor, employer=employer).handler == tl


def test_without_a_named_substitute_the_owners_own_substitute_takes_over(
    actor, make_employer, rm, people
):
    colleague = people["uwv_partner"].staff
    rm.away_from, rm.substitute = days_ago(1), colleague
    rm.save()
    employer = make_employer()
    question = services.receive_question(
        actor=actor, employer=employer, question="Vraag", topic="overig"
    )
    assert question.assigned_to == colleague


def test_when_the_substitute_is_away_too_the_chain_is_followed(
    actor, make_employer, rm, tl, people
):
    colleague = people["uwv_partner"].staff
    rm.away_from, rm.substitute = days_ago(1), colleague
    rm.save()
    tl.away_from = days_ago(1)
    tl.save()
    employer = make_employer(substitute=tl)
    question = services.receive_question(
        actor=actor, employer=employer, question="Vraag", topic="overig"
    )
    assert question.assigned_to == colleague


# --- First contact ----------------------------------------------------------------------------


def test_first_contact_is_flagged_once(actor, make_employer):
    employer = make_employer()
    first = services.record_contact(
        actor=actor, employer=employer, date=days_ago(10), channel=Channel.PHONE
    )
    second = services.record_contact(
        actor=actor, employer=employer, date=days_ago(3), channel=Channel.VISIT_APPOINTMENT
    )
    first.refresh_from_db()
    assert first.is_first_contact and not second.is_first_contact
    employer.refresh_from_db()
    assert employer.first_contact_on == days_ago(10)
    assert employer.last_contact_on == days_ago(3)
    assert employer.last_visit_on == days_ago(3)
    assert employer.phase == "bezocht"


def test_an_older_contact_entered_later_becomes_the_first_contact(actor, make_employer):
    employer = make_employer()
    recent = services.record_contact(
        actor=actor, employer=employer, date=days_ago(5), channel=Channel.PHONE
    )
    older = services.record_contact(
        actor=actor, employer=employer, date=days_ago(40), channel=Channel.EMAIL
    )
    recent.refresh_from_db()
    assert older.is_first_contact and not recent.is_first_contact
    assert ContactMoment.objects.filter(employer=employer, is_first_contact=True).count() == 1


def test_the_recorder_is_always_present_and_actions_land_in_task_lists(
    actor, make_employer, rm, tl
):
    employer = make_employer()
    moment = services.record_contact(
        actor=actor,
        employer=employer,
        date=TODAY,
        channel=Channel.VISIT_UNANNOUNCED,
        staff=[tl],
        actions=[services.AgreedAction("Offerte sturen", rm, TODAY)],
    )
    assert set(moment.staff.all()) == {rm, tl}
    tasks = list(selectors.tasks_for(actor=actor, staff_id=rm.pk, on=TODAY))
    assert [t.title for t in tasks] == ["Offerte sturen"]


def test_a_contact_in_the_future_is_refused_and_nothing_is_saved(actor, make_employer, rm):
    employer = make_employer()
    with pytest.raises(ValidationError) as error:
        services.record_contact(
            actor=actor,
            employer=employer,
            date=TODAY + dt.timedelta(days=1),
            channel=Channel.PHONE,
            actions=[services.AgreedAction("X", rm, TODAY)],
        )
    assert "date" in error.value.message_dict
    assert not ContactMoment.objects.exists() and not Action.objects.exists()


# --- Contact norm -----------------------------------------------------------------------------


def test_norm_overdue_list_and_counts(actor, make_employer, rm, tl):
    met = make_employer("Voldoet", phase="bezocht")
    services.record_contact(actor=actor, employer=met, date=days_ago(20), channel=Channel.PHONE)
    services.record_contact(
        actor=actor, employer=met, date=days_ago(100), channel=Channel.VISIT_APPOINTMENT
    )
    calls_only = make_employer("Alleen gebeld", phase="bezocht")
    services.record_contact(
        actor=actor, employer=calls_only, date=days_ago(5), channel=Channel.PHONE
    )
    services.record_contact(
        actor=actor, employer=calls_only, date=days_ago(50), channel=Channel.EMAIL
    )
    old = make_employer("Lang geleden", phase="betrokken")
    services.record_contact(
        actor=actor, employer=old, date=days_ago(400), channel=Channel.VISIT_APPOINTMENT
    )
    make_employer("Prospect zonder contact")  # prospects are not in the norm
    of_colleague = make_employer("Van collega", phase="bezocht", owner=tl)

    overdue = selectors.overdue_contact_norm(actor=actor, owner_ids=[rm.pk])
    names = {item.employer.name for item in overdue}
    assert names == {"Alleen gebeld", "Lang geleden"}
    calls = next(i for i in overdue if i.employer == calls_only)
    assert calls.status.contacts == 2 and calls.status.missing_visits == 1
    counts = selectors.overdue_contact_norm_counts(actor=actor, owner_ids=[rm.pk, tl.pk])
    assert counts == {rm.pk: 2, tl.pk: 1}
    assert of_colleague.pk not in {i.employer.pk for i in overdue}


def test_norm_follows_the_region_policy(people, actor, make_employer):
    employer = make_employer(phase="bezocht")
    services.record_contact(
        actor=actor, employer=employer, date=days_ago(3), channel=Channel.VISIT_APPOINTMENT
    )
    assert selectors.overdue_contact_norm(actor=actor, owner_ids=[employer.owner_id])
    admin = access.actor_for(people["beheerder"])
    services.save_policy(
        actor=admin, region=employer.region, contacts_per_year=1, visits_per_year=1
    )
    assert not selectors.overdue_contact_norm(actor=actor, owner_ids=[employer.owner_id])


# --- Merge ------------------------------------------------------------------------------------


def test_merge_moves_history_and_keeps_the_duplicate_readable(people, actor, make_employer, rm):
    keep = make_employer("Korenschoof", kvk_number="12345678")
    duplicate = make_employer("Bakkerij Korenschoof BV", city="Wijchen", ambassador=True)
    person = ContactPerson.objects.create(employer=duplicate, name="Anna de Vries")
    moment = services.record_contact(
        actor=actor,
        employer=duplicate,
        date=days_ago(30),
        channel=Channel.VISIT_APPOINTMENT,
        contact_person=person,
    )
    question = services.receive_question(
        actor=actor, employer=duplicate, question="Vraag", topic="overig"
    )
    opportunity = services.save_opportunity(
        actor=actor,
        opportunity=WorkOpportunity(employer=duplicate, title="Inpakken", tasks=["inpakken"]),
    )
    lead = access.actor_for(people["teamleider"])
    keep.refresh_from_db()
    duplicate.refresh_from_db()  # as a page would load them
    services.merge_employers(actor=lead, keep=keep, duplicate=duplicate)

    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    for record in (person, moment, question, opportunity):
        record.refresh_from_db()
        assert record.employer_id == keep.pk
    assert keep.city == "Wijchen" and keep.ambassador
    assert keep.first_contact_on == days_ago(30)
    assert keep.phase == "werkkans"
    items = selectors.timeline(actor=actor, employer=keep)
    assert {i.kind for i in items} >= {"contact", "question", "opportunity"}
    # The merged record is no longer in the list, but still readable on its own.
    assert duplicate not in selectors.employers(actor=actor)
    assert selectors.employer(actor=actor, uuid=duplicate.uuid) == duplicate


def test_merge_twice_is_refused(people, make_employer):
    lead = access.actor_for(people["teamleider"])
    a, b, c = make_employer("A"), make_employer("B"), make_employer("C")
    services.merge_employers(actor=lead, keep=a, duplicate=b)
    b.refresh_from_db()
    with pytest.raises(ValidationError):
        services.merge_employers(actor=lead, keep=c, duplicate=b)


# --- Optimistic locking -----------------------------------------------------------------------


def test_stale_employer_edit_is_refused(actor, make_employer):
    employer = make_employer()
    first = Employer.objects.get(pk=employer.pk)
    second = Employer.objects.get(pk=employer.pk)
    first.city = "Nijmegen"
    services.update_employer(actor=actor, employer=first, expected_version=first.version)
    second.city = "Wijchen"
    with pytest.raises(StaleRecordError):
        services.update_employer(actor=actor, employer=second, expected_version=1)
    assert Employer.objects.get(pk=employer.pk).city == "Nijmegen"


def test_stale_opportunity_edit_is_refused(actor, make_employer):
    employer = make_employer()
    created = services.save_opportunity(
        actor=actor,
        opportunity=WorkOpportunity(employer=employer, title="Orderpicken", tasks=["picken"]),
    )
    first = WorkOpportunity.objects.get(pk=created.pk)
    second = WorkOpportunity.objects.get(pk=created.pk)
    services.save_opportunity(actor=actor, opportunity=first, expected_version=first.version)
    second.title = "Anders"
    with pytest.raises(StaleRecordError):
        services.save_opportunity(actor=actor, opportunity=second, expected_version=1)


def test_status_change_records_history_and_time_to_fill(actor, make_employer):
    employer = make_employer()
    opportunity = services.save_opportunity(
        actor=actor, opportunity=WorkOpportunity(employer=employer, title="Schoonmaak", tasks=["x"])
    )
    services.change_status(
        actor=actor, opportunity=opportunity, to_status=OpportunityStatus.PROPOSED
    )
    services.change_status(actor=actor, opportunity=opportunity, to_status=OpportunityStatus.FILLED)
    opportunity.refresh_from_db()
    assert opportunity.time_to_fill_days == 0
    history = list(selectors.opportunity_history(actor=actor, opportunity=opportunity))
    assert [c.to_status for c in history] == ["open", "voorgesteld", "ingevuld"]
    with pytest.raises(ValidationError) as error:
        services.change_status(
            actor=actor, opportunity=opportunity, to_status=OpportunityStatus.LAPSED
        )
    assert "to_status" in error.value.message_dict


# --- Duplicate detection ----------------------------------------------------------------------


def test_duplicate_by_kvk_or_by_name_and_postcode(actor, make_employer, regions, rm):
    own = regions["own"]
    existing = make_employer("Korenschoof", kvk_number="12345678", postcode="6511 AB")

    def new(**values):
        return Employer(
            name=values.pop("name", "Andere naam"),
            municipality=own["municipalities"][0],
            owner=rm,
            **values,
        )

    with pytest.raises(services.DuplicateSuspected) as suspected:
        services.register_employer(
            actor=actor, employer=new(kvk_number="12345678", vestigingsnummer="000012345678")
        )
    assert suspected.value.matches == [existing]
    with pytest.raises(services.DuplicateSuspected):
        services.register_employer(
            actor=actor, employer=new(name=" korenschoof ", postcode="6511ab")
        )
    # The same KvK and establishment number is never a different establishment, even when
    # confirmed (the database constraint answers; the page puts it next to the KvK field).
    with pytest.raises(ValidationError):
        services.register_employer(
            actor=actor, employer=new(kvk_number="1234 5678"), duplicates_checked=True
        )
    assert Employer.objects.count() == 1
    # Confirmed as a different establishment: registered.
    created = services.register_employer(
        actor=actor,
        employer=new(kvk_number="12345678", vestigingsnummer="000012345678"),
        duplicates_checked=True,
    )
    assert created.pk and Employer.objects.count() == 2


def test_questions_of_other_regions_are_invisible(people, actor, make_employer, regions):
    other = regions["other"]
    foreign = Employer.objects.create(
        region=other["region"],
        name="Zaanse Molen",
        municipality=other["municipalities"][0],
        owner=people["other_region_rm"].staff,
    )
    EmployerQuestion.objects.create(
        employer=foreign,
        question="?",
        received_at=timezone.now(),
        assigned_to=people["other_region_rm"].staff,
    )
    assert selectors.open_questions(actor=actor) == []


@pytest.mark.django_db
def test_coordinates_must_lie_in_the_netherlands_and_come_in_pairs(regions, people):
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from werkbrug.core.access import actor_for
    from werkbrug.employers import services
    from werkbrug.employers.models import Employer

    own = regions["own"]
    actor = actor_for(people["relatiemanager"])

    def new(**coords):
        return Employer(
            region=own["region"],
            name="Coördinaten BV",
            municipality=own["municipalities"][0],
            owner=people["relatiemanager"].staff,
            **coords,
        )

    swapped = new(latitude=Decimal("5.85282"), longitude=Decimal("51.84257"))
    with pytest.raises(ValidationError) as error:
        services.register_employer(actor=actor, employer=swapped)
    assert "latitude" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.register_employer(actor=actor, employer=new(latitude=Decimal("51.84257")))
    assert "longitude" in error.value.message_dict
    ok = services.register_employer(
        actor=actor, employer=new(latitude=Decimal("51.84257"), longitude=Decimal("5.85282"))
    )
    assert ok.pk is not None
