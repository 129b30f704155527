"""The placements in the portals: "Onze plaatsingen" for an employer's contact person (their
own company only, a first name only with consent, "Wat kost het mij?" as a one-page PDF
calculated from the placement) and "Mijn werk" for a candidate (their own placements, their
jobcoach, their aftercare contact and what happens next). Who may see which page, the
access log, and a page whose queries do not grow with its rows."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import tests_support
from candidates_support import give_consent
from werkbrug.candidates.models import ConsentScope, TargetGroupMembership
from werkbrug.core import access
from werkbrug.core.access import actor_for
from werkbrug.core.models import AccessLogEntry
from werkbrug.employers.models import Employer
from werkbrug.placements import portal_selectors
from werkbrug.placements.models import (
    AftercareCheck,
    AmountPer,
    Contract,
    GrantKind,
    GrantStatus,
    InstrumentGrant,
    JobcoachAssignment,
    LoonwaardeAssessment,
    Placement,
    PlacementKind,
    PlacementStatus,
)
from werkbrug.rules.calculator import LkvGroup

pytestmark = pytest.mark.django_db

EMPLOYER_PAGE = "/mijn-bedrijf/plaatsingen/"
CANDIDATE_PAGE = "/mijn-werk/"


def text(response: Any) -> str:
    return html_lib.unescape(tests_support.text(response))


def today() -> dt.date:
    return timezone.localdate()


def cost_sheet_url(placement: Placement) -> str:
    return reverse("placements:portal_cost_sheet", kwargs={"uuid": placement.uuid})


def place(world: dict[str, Any], candidate: Any, **fields: Any) -> Placement:
    """A running paid job (100 % of the minimum wage, 24 hours), started two months ago."""
    values: dict[str, Any] = {
        "region": world["place"]["region"],
        "candidate": candidate,
        "employer": world["employer"],
        "kind": PlacementKind.REGULAR,
        "contract": Contract.FIXED,
        "job_title": "Orderpicker",
        "hours_per_week": Decimal(24),
        "wage_pct_of_wml": Decimal(100),
        "start_on": today() - dt.timedelta(days=60),
        "planned_end_on": today() + dt.timedelta(days=300),
        "status": PlacementStatus.RUNNING,
        "owner": world["rm"],
    }
    return Placement.objects.create(**(values | fields))


@pytest.fixture
def other_company(world) -> Employer:
    """Another company in the same region, where the werkgever is nobody."""
    return Employer.objects.create(
        region=world["place"]["region"],
        name="Bakkerij Van Dijk",
        municipality=world["place"]["municipalities"][0],
        owner=world["rm"],
    )


@pytest.fixture
def employer_client(login_en, people):
    return login_en(people["werkgever"])


@pytest.fixture
def candidate_client(login_en, people, world):
    world["good"].user = people["kandidaat"]
    world["good"].save()
    return login_en(people["kandidaat"])


@pytest.fixture
def rm_phone(world):
    world["rm"].phone = "024 123 45 67"
    world["rm"].save()
    return world["rm"].phone


def test_the_routes():
    assert reverse("placements:portal_employer") == EMPLOYER_PAGE
    assert reverse("placements:portal_candidate") == CANDIDATE_PAGE


# --- The employer: Onze plaatsingen ------------------------------------------------------------


def test_the_employer_sees_the_placements_at_their_company_only(
    employer_client, world, other_company, rm_phone
):
    ours = place(world, world["good"])
    InstrumentGrant.objects.create(
        placement=ours,
        kind=GrantKind.NO_RISK,
        status=GrantStatus.GRANTED,
        start_on=ours.start_on,
        end_on=ours.start_on + dt.timedelta(days=365),
    )
    InstrumentGrant.objects.create(
        placement=ours,
        kind=GrantKind.LKS,
        status=GrantStatus.RUNNING,
        amount=Decimal("812.50"),
        amount_per=AmountPer.MONTH,
        start_on=ours.start_on,
        note="Intern: beschikking nog versturen",
    )
    AftercareCheck.objects.create(placement=ours, kind="m1", due_on=today() - dt.timedelta(days=3))
    AftercareCheck.objects.create(
        placement=ours, kind="m3", due_on=today() + dt.timedelta(days=30), notes="Geheim"
    )
    AftercareCheck.objects.create(
        placement=ours, kind="start", due_on=today() - dt.timedelta(days=55), done_on=today()
    )
    theirs = place(world, world["cashier"], employer=other_company, job_title="Bakkershulp")

    response = employer_client.get(EMPLOYER_PAGE)
    assert response.status_code == 200
    page = text(response)
    assert "Our placements" in page and "Logistiek Centrum Wijchen" in page
    assert "Your employee · Orderpicker" in page
    assert "Bakkershulp" not in page and str(theirs.uuid) not in response.content.decode()
    # The dates, the kind and the contract.
    assert f"Start {ours.start_on.day} " in page and "Planned end" in page
    assert "Regular job" in page and "Fixed term, 24 hours a week" in page
    # The grants with amount and period; never the staff's notes.
    assert "No-riskpolis" in page and "Loonkostensubsidie : € 812,50 per month" in page
    assert "Intern: beschikking" not in page
    # The aftercare: the owner with phone and e-mail, and the next check-in to come (the
    # overdue one counts first: "soon"). Never a check-in's notes.
    assert "Relatiemanager Test" in page and "Call 024 123 45 67" in page
    assert "relatiemanager@example.nl" in page
    assert "Next check-in Soon: we will contact you." in page
    assert "Geheim" not in page
    # The cost sheet of the paid job.
    assert cost_sheet_url(ours) in response.content.decode()
    assert "What does it cost me? (PDF)" in page
    # Another company's placement does not exist for this employer.
    assert employer_client.get(cost_sheet_url(theirs)).status_code == 404


def test_the_next_check_in_is_a_date_and_ended_placements_come_later(employer_client, world):
    running = place(world, world["good"])
    due = today() + dt.timedelta(days=10)
    AftercareCheck.objects.create(placement=running, kind="m3", due_on=due)
    ended = place(
        world,
        world["far"],
        job_title="Heftruckchauffeur",
        status=PlacementStatus.ENDED,
        start_on=today() - dt.timedelta(days=400),
        ended_on=today() - dt.timedelta(days=100),
    )
    AftercareCheck.objects.create(placement=ended, kind="m12", due_on=today())
    page = text(employer_client.get(EMPLOYER_PAGE))
    assert f"Next check-in {due.day} {due:%B} {due.year}" in page
    assert page.index("At work now") < page.index("Orderpicker")
    assert page.index("Earlier placements") < page.index("Heftruckchauffeur")
    assert f"Ended on {ended.ended_on.day} " in page


def test_a_first_name_only_while_the_person_consents_to_share_with_this_employer(
    employer_client, world, other_company, people
):
    placement = place(world, world["good"])
    first, last = world["good"].first_name, world["good"].last_name
    page = text(employer_client.get(EMPLOYER_PAGE))
    assert "Your employee · Orderpicker" in page and first not in page

    # Consent to share with another company does not name them here.
    give_consent(
        world["good"],
        ConsentScope.SHARE_WITH_EMPLOYER,
        by=people["klantmanager"],
        employer=other_company,
    )
    assert first not in text(employer_client.get(EMPLOYER_PAGE))

    consent = give_consent(
        world["good"],
        ConsentScope.SHARE_WITH_EMPLOYER,
        by=people["klantmanager"],
        employer=world["employer"],
    )
    page = text(employer_client.get(EMPLOYER_PAGE))
    assert f"{first} · Orderpicker" in page
    assert last not in page  # the first name only

    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = people["klantmanager"]
    consent.save()
    page = text(employer_client.get(EMPLOYER_PAGE))
    assert first not in page and "Your employee · Orderpicker" in page
    assert placement.job_title in page


def test_the_employers_reads_are_in_the_access_log(employer_client, world, people):
    placement = place(world, world["good"])
    employer_client.get(EMPLOYER_PAGE)
    employer_client.get(cost_sheet_url(placement))
    purposes = list(
        AccessLogEntry.objects.filter(object_uuid=placement.uuid, user=people["werkgever"])
        .order_by("id")
        .values_list("purpose", flat=True)
    )
    assert purposes == [
        "Werkgeversportaal: onze plaatsingen",
        "Werkgeversportaal: wat kost het mij",
    ]


def test_the_employer_page_does_not_query_per_placement(employer_client, world):
    """The queries stay the same however many placements are shown (the access-log entries
    of a page are written in one insert)."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert employer_client.get(EMPLOYER_PAGE).status_code == 200
        return len(captured)

    def add(candidate: Any) -> None:
        placement = place(world, candidate)
        InstrumentGrant.objects.create(placement=placement, kind=GrantKind.LKV)
        AftercareCheck.objects.create(placement=placement, kind="m1", due_on=today())

    add(world["good"])
    few = queries()
    add(world["far"])
    add(world["cashier"])
    assert queries() == few


def test_a_work_experience_place_has_no_cost_sheet(employer_client, world):
    unpaid = place(
        world,
        world["good"],
        kind=PlacementKind.WORK_EXPERIENCE,
        contract=Contract.NONE,
        wage_pct_of_wml=None,
    )
    response = employer_client.get(EMPLOYER_PAGE)
    assert cost_sheet_url(unpaid) not in response.content.decode()
    assert "What does it cost me?" not in text(response)
    response = employer_client.get(cost_sheet_url(unpaid), follow=True)
    assert response.redirect_chain == [(EMPLOYER_PAGE, 302)]
    assert "You pay no wage for this placement" in text(response)


# --- The cost sheet -----------------------------------------------------------------------------


def _pdf_pages(body: bytes) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=body,
        capture_output=True,
        check=True,
    )
    return [" ".join(page.split()) for page in result.stdout.decode().split("\f") if page.strip()]


def _hand_computed(world: dict[str, Any]) -> Placement:
    """The calculator's hand-computed case (tests/rules/test_calculator.py) as a placement:
    24 hours at the minimum wage from 1 July 2018, loonwaarde 60 %, LKV for the banenafspraak;
    € 531,83 net a month."""
    placement = place(
        world,
        world["good"],
        start_on=dt.date(2018, 7, 1),
        planned_end_on=None,
        contract=Contract.PERMANENT,
    )
    for kind in (GrantKind.LKS, GrantKind.LKV):
        InstrumentGrant.objects.create(placement=placement, kind=kind, status=GrantStatus.RUNNING)
    InstrumentGrant.objects.create(
        placement=placement, kind=GrantKind.LKS_FORFAIT, status=GrantStatus.REFUSED
    )
    LoonwaardeAssessment.objects.create(
        placement=placement, assessed_on=dt.date(2018, 1, 1), pct=Decimal(40), method="Dariuz"
    )
    LoonwaardeAssessment.objects.create(
        placement=placement, assessed_on=dt.date(2018, 9, 1), pct=Decimal(60), method="Dariuz"
    )
    TargetGroupMembership.objects.create(
        candidate=world["good"], group="banenafspraak", status="toegekend", decided_by="uwv"
    )
    return placement


def test_the_cost_sheet_is_one_page_with_the_net_amount_of_the_hand_computed_case(
    employer_client, world
):
    placement = _hand_computed(world)
    response = employer_client.get(cost_sheet_url(placement))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="wat-kost-het-orderpicker-2018-07-01.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    pages = _pdf_pages(response.content)
    assert len(pages) == 1
    sheet = pages[0]
    assert "€ 531,83" in sheet  # net per month
    assert "€ 1.006,86" in sheet and "- € 535,01" in sheet and "- € 166,67" in sheet
    assert "01-07-2018" in sheet  # the rules of the start date
    # Nothing about the person beyond the situation: no name, no benefit, no health.
    for never in (world["good"].first_name, world["good"].last_name, "uitkering", "bijstand"):
        assert never not in sheet


def test_the_cost_sheet_inputs_come_from_the_placement(world, people):
    werkgever = actor_for(people["werkgever"])
    placement = place(world, world["good"], hours_per_week=Decimal(32), wage_pct_of_wml=110)
    InstrumentGrant.objects.create(placement=placement, kind=GrantKind.LKS_FORFAIT)
    InstrumentGrant.objects.create(placement=placement, kind=GrantKind.LKV)
    inputs = portal_selectors.cost_inputs(actor=werkgever, placement=placement)
    assert inputs is not None
    situation = inputs.situation
    assert (situation.hours_per_week, situation.wage_pct_of_wml) == (Decimal(32), Decimal(110))
    assert situation.forfait and situation.loonwaarde_pct is None
    # No banenafspraak registration: the other LKV rate.
    assert situation.lkv_group == LkvGroup.OTHER and situation.months == 36
    assert inputs.start_date == placement.start_on
    # The advisor knows only what the situation says.
    assert inputs.facts.in_lks_target_group and not inputs.facts.disability_benefit
    assert inputs.facts.age is None

    # Without a grant that counts there is no subsidy on the sheet, whatever was assessed.
    InstrumentGrant.objects.filter(placement=placement).update(status=GrantStatus.REFUSED)
    LoonwaardeAssessment.objects.create(
        placement=placement, assessed_on=today(), pct=Decimal(50), method="Dariuz"
    )
    situation = portal_selectors.cost_inputs(actor=werkgever, placement=placement).situation
    assert not situation.forfait and situation.loonwaarde_pct is None
    assert situation.lkv_group == LkvGroup.NONE


# --- The candidate: Mijn werk -------------------------------------------------------------------


def test_the_candidate_sees_their_own_work_and_what_happens_next(candidate_client, world, rm_phone):
    ending = today() + dt.timedelta(days=20)
    mine = place(
        world,
        world["good"],
        kind=PlacementKind.WORK_EXPERIENCE,
        contract=Contract.NONE,
        wage_pct_of_wml=None,
        planned_end_on=ending,
    )
    check_on = today() + dt.timedelta(days=7)
    AftercareCheck.objects.create(placement=mine, kind="m3", due_on=check_on)
    earlier = place(
        world,
        world["good"],
        job_title="Vakkenvuller",
        status=PlacementStatus.ENDED,
        start_on=today() - dt.timedelta(days=500),
        ended_on=today() - dt.timedelta(days=200),
    )
    place(world, world["cashier"], job_title="Kassamedewerker")
    JobcoachAssignment.objects.create(
        candidate=world["good"],
        coach_name="Ans Coach",
        organisation="Jobcoach Gelderland",
        start_on=today() - dt.timedelta(days=30),
        phone="06 11 22 33 44",
        email="ans@jobcoach.example",
    )
    JobcoachAssignment.objects.create(
        candidate=world["good"],
        coach_name="Oude Coach",
        start_on=today() - dt.timedelta(days=400),
        end_on=today() - dt.timedelta(days=100),
    )
    JobcoachAssignment.objects.create(
        candidate=world["cashier"], coach_name="Andermans Coach", start_on=today()
    )

    response = candidate_client.get(CANDIDATE_PAGE)
    assert response.status_code == 200
    page = text(response)
    assert "My work" in page
    assert "Orderpicker" in page and "Logistiek Centrum Wijchen" in page
    assert "Work-experience place (benefit kept)" in page
    # What happens now, in plain words.
    assert (
        f"On {check_on.day} {check_on:%B} {check_on.year} Relatiemanager Test will ask you how "
        "your work is going." in page
    )
    assert (
        f"Your contract ends on {ending.day} {ending:%B} {ending.year}. Your consultant will "
        "talk with you and your employer about the next step." in page
    )
    # Who helps: the aftercare contact and the jobcoach in force.
    assert "Call 024 123 45 67" in page
    assert "Ans Coach" in page and "Jobcoach Gelderland" in page and "06 11 22 33 44" in page
    assert "Oude Coach" not in page
    # The earlier job; never somebody else's.
    assert "My earlier work" in page and earlier.job_title in page
    assert "Kassamedewerker" not in page and "Andermans Coach" not in page
    # The portal's own menu leads here.
    assert 'href="/mijn-werk/" aria-current="page"' in response.content.decode()


def test_no_end_alert_when_the_end_is_far_away(candidate_client, world):
    place(world, world["good"], planned_end_on=today() + dt.timedelta(days=120))
    page = text(candidate_client.get(CANDIDATE_PAGE))
    assert "Your contract ends on" not in page


def test_a_candidate_without_work_gets_a_plain_answer(candidate_client, world):
    page = text(candidate_client.get(CANDIDATE_PAGE))
    assert "You have no job through us at the moment" in page
    assert "You have no jobcoach at the moment." in page


# --- Who may --------------------------------------------------------------------------------------


def test_the_portal_homes_link_here(employer_client, candidate_client):
    assert EMPLOYER_PAGE in employer_client.get(reverse("employers:portal")).content.decode()
    assert CANDIDATE_PAGE in candidate_client.get(reverse("candidates:portal")).content.decode()


def test_other_roles_are_refused(login_en, people, world, employer_client, candidate_client):
    placement = place(world, world["good"])
    employer_pages = (EMPLOYER_PAGE, cost_sheet_url(placement))
    for role in ("relatiemanager", "klantmanager", "teamleider", "beheerder", "onderzoeker"):
        client = login_en(people[role])
        for url in (*employer_pages, CANDIDATE_PAGE):
            assert client.get(url).status_code == 403, (role, url)
    for url in employer_pages:
        assert candidate_client.get(url).status_code == 403
    assert employer_client.get(CANDIDATE_PAGE).status_code == 403
    for url in (*employer_pages, CANDIDATE_PAGE):
        response = Client().get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_the_scope_rules_give_portal_users_only_their_own(world, people, other_company):
    mine = place(world, world["good"])
    theirs = place(world, world["cashier"], employer=other_company)
    world["good"].user = people["kandidaat"]
    world["good"].save()
    for placement in (mine, theirs):
        InstrumentGrant.objects.create(placement=placement, kind=GrantKind.LKV)
        AftercareCheck.objects.create(placement=placement, kind="m1", due_on=today())
    werkgever = actor_for(people["werkgever"])
    kandidaat = actor_for(people["kandidaat"])
    assert list(portal_selectors.employer_placements(actor=werkgever)) == [mine]
    assert list(portal_selectors.candidate_placements(actor=kandidaat)) == [mine]
    assert [g.placement_id for g in access.scoped(InstrumentGrant, werkgever)] == [mine.pk]
    assert not access.scoped(InstrumentGrant, kandidaat).exists()  # not shown: not given
    assert [c.placement_id for c in access.scoped(AftercareCheck, kandidaat)] == [mine.pk]
    # A contact person who left the company sees its placements no more.
    contact = world["employer"].contact_persons.get(user=people["werkgever"])
    contact.active = False
    contact.save()
    assert not portal_selectors.employer_placements(actor=werkgever).exists()
