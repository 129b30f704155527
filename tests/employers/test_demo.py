"""The employer register's demo data (employers/demo.py) at demo scale: the demo log-ins have
something to show, the data follows the register's rules, and one seed always gives the same
employers."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from werkbrug.core.access import actor_for
from werkbrug.employers import selectors
from werkbrug.employers.models import (
    ContactMoment,
    ContactPerson,
    Employer,
    EmployerQuestion,
    OpportunityStatus,
    WorkOpportunity,
)
from werkbrug.regions.models import Staff

SEED = 3


def _seed() -> None:
    call_command("seed-demo", "--scale", "demo", "--seed", str(SEED), stdout=io.StringIO())


class _Undo(Exception):
    pass


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed twice with the same seed (the first run undone), keep the second for the tests,
    and remove everything after this module. Returns the employer ids of the first run."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            with transaction.atomic():
                _seed()
                first = sorted(Employer.objects.values_list("uuid", "name"))
                raise _Undo
        except _Undo:
            pass
        assert not Employer.objects.exists()
        _seed()
        yield first
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_same_seed_gives_the_same_employers(seeded):
    assert len(seeded) >= 100
    assert sorted(Employer.objects.values_list("uuid", "name")) == seeded


def test_demo_scale_is_about_120_employers_and_1500_contacts(seeded):
    assert 110 <= Employer.objects.count() <= 130
    assert 1300 <= ContactMoment.objects.count() <= 1700


def test_the_werkgever_login_is_linked_to_a_company_with_work_and_a_question(seeded):
    person = ContactPerson.objects.select_related("employer__municipality").get(
        user__username="werkgever"
    )
    company = person.employer
    assert company.name == "Hoveniersbedrijf Willems"
    assert company.municipality.name == "Wijchen"
    assert company.postcode.startswith("660")
    assert company.owner.user.username == "relatiemanager"
    assert company.substitute is not None and company.substitute != company.owner
    statuses = set(company.opportunities.values_list("status", flat=True))
    assert OpportunityStatus.OPEN in statuses and len(statuses) >= 3
    assert company.questions.filter(answered_at__isnull=True).exists()
    # The portal's own selector finds it for this user.
    actor = actor_for(person.user)
    assert list(selectors.portal_employers(actor=actor)) == [company]


def test_the_relationship_manager_has_tasks_today_and_overdue(seeded):
    rm = Staff.objects.select_related("user").get(user__username="relatiemanager")
    today = timezone.localdate()
    tasks = list(selectors.tasks_for(actor=actor_for(rm.user), staff_id=rm.pk, on=today))
    assert sum(1 for t in tasks if t.due_on == today) >= 2
    assert sum(1 for t in tasks if t.due_on < today) >= 2
    assert 13 <= Employer.objects.filter(owner=rm).count() <= 17
    assert EmployerQuestion.objects.filter(assigned_to=rm, answered_at__isnull=True).exists()


def test_every_opportunity_status_is_present_with_its_history(seeded):
    counts = Counter(WorkOpportunity.objects.values_list("status", flat=True))
    assert set(counts) == set(OpportunityStatus.values)
    assert WorkOpportunity.objects.filter(latent=True).exists()
    for opportunity in WorkOpportunity.objects.prefetch_related("status_changes"):
        steps = [c.to_status for c in opportunity.status_changes.all()]
        assert steps[0] == OpportunityStatus.OPEN and steps[-1] == opportunity.status
        if opportunity.status == OpportunityStatus.FILLED:
            assert opportunity.filled_on and opportunity.time_to_fill_days >= 0


def test_exactly_one_first_contact_per_employer_with_contacts(seeded):
    employers = Employer.objects.annotate(
        n=Count("contact_moments"),
        firsts=Count("contact_moments", filter=Q(contact_moments__is_first_contact=True)),
        earliest=Min("contact_moments__date"),
    )
    with_contacts = [e for e in employers if e.n]
    assert with_contacts and all(e.firsts == 1 for e in with_contacts)
    assert all(e.firsts == 0 and e.phase == "prospect" for e in employers if not e.n)
    for employer in with_contacts:
        first = employer.contact_moments.get(is_first_contact=True)
        assert first.date == employer.earliest == employer.first_contact_on
    assert not ContactMoment.objects.filter(date__gt=timezone.localdate()).exists()


def test_prospects_ambassadors_and_a_likely_duplicate(seeded):
    assert Employer.objects.filter(first_contact_on__isnull=True).count() >= 5
    assert Employer.objects.filter(ambassador=True).exists()
    assert Employer.objects.filter(brought_in_by__isnull=False).exists()
    twins = (
        Employer.objects.exclude(kvk_number="")
        .values("kvk_number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert twins.count() == 1


def test_questions_include_overdue_and_passed_on(seeded):
    from werkbrug.employers.norms import response_due
    from werkbrug.employers.services import policy_for

    open_questions = EmployerQuestion.objects.filter(answered_at__isnull=True)
    norm = policy_for(Employer.objects.first().region_id)
    now = timezone.now()
    overdue = [
        q
        for q in open_questions
        if response_due(timezone.localtime(q.received_at), norm=norm) < now
    ]
    assert overdue
    assert EmployerQuestion.objects.exclude(routed_to="").filter(answered_at__isnull=True).exists()


def test_addresses_and_codes_are_valid(seeded):
    for employer in Employer.objects.all():
        employer.full_clean(validate_unique=False, validate_constraints=False)
        assert len(employer.kvk_number) == 8 and employer.sbi_code
        assert employer.postcode[:2] in {"65", "66"}


def test_opportunities_are_linked_to_the_taxonomy_as_the_services_link_them(seeded):
    """Matching scores on the linked tasks and occupation: every demo opportunity has them,
    each linked task is one of its task lines, and the links are those save_opportunity
    would make (task names ignoring case and spaces; the occupation of the code)."""
    from werkbrug.taxonomy.selectors import skills_named

    opportunities = list(
        WorkOpportunity.objects.select_related("occupation").prefetch_related("skills")
    )
    assert opportunities
    named = skills_named({t for o in opportunities for t in o.tasks})
    for opportunity in opportunities:
        lines = {" ".join(t.split()).lower() for t in opportunity.tasks}
        skills = list(opportunity.skills.all())
        assert skills, opportunity.title
        assert {s.label.lower() for s in skills} <= lines, opportunity.title
        assert {s.pk for s in skills} == {named[t].pk for t in opportunity.tasks}
        assert all(s.kind == "taak" and s.source == "curated" for s in skills)
        assert opportunity.occupation is not None, opportunity.title
        assert opportunity.occupation_code == opportunity.occupation.isco_code
        assert len(opportunity.occupation_code) == 4 and opportunity.occupation_code.isdigit()
    pickers = [o for o in opportunities if o.title == "Orderpicker"]
    assert pickers and all(o.occupation.label == "Orderpicker" for o in pickers)


def test_a_task_line_outside_the_taxonomy_stops_the_seeder(monkeypatch):
    from werkbrug.employers import demo

    monkeypatch.setattr(demo, "SPRING_TASKS", (*demo.SPRING_TASKS, "snoeiafval opruimen"))
    with pytest.raises(RuntimeError, match="snoeiafval opruimen"):
        demo._taxonomy()
    monkeypatch.undo()
    monkeypatch.setitem(demo.TITLE_OCCUPATIONS, "Orderpicker", "no-such-occupation")
    with pytest.raises(RuntimeError, match="Orderpicker"):
        demo._taxonomy()
