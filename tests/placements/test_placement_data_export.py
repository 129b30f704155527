""" "Download my data" (AVG inzage) holds what the placements and meetings apps keep about the
candidate: placements with their check-ins, the instruments granted, loonwaarde assessments,
jobcoaches, the municipality's benefit data and the meeting invitations and conversations;
never another candidate's."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from werkbrug.candidates import data_export
from werkbrug.core import access
from werkbrug.meetings.models import Conversation, FollowUp, Invitation, Outcome, Response
from werkbrug.placements.models import (
    AftercareCheck,
    BenefitEvent,
    BenefitEventKind,
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

pytestmark = pytest.mark.django_db

NEW_SECTIONS = {
    "meeting_invitations",
    "meeting_conversations",
    "placements",
    "aftercare_checks",
    "instrument_grants",
    "loonwaarde_assessments",
    "jobcoaches",
    "benefit_data",
}


def _placement(world, candidate, title):
    start = timezone.localdate() - dt.timedelta(days=90)
    return Placement.objects.create(
        region=world["place"]["region"],
        candidate=candidate,
        employer=world["employer"],
        kind=PlacementKind.REGULAR,
        contract=Contract.FIXED,
        job_title=title,
        hours_per_week=Decimal(24),
        wage_pct_of_wml=Decimal(100),
        start_on=start,
        planned_end_on=start + dt.timedelta(days=365),
        status=PlacementStatus.RUNNING,
        owner=world["rm"],
    )


@pytest.fixture
def own(world, people, meeting):
    """The candidate (logged in as ``kandidaat``) with a placement and everything around it;
    another candidate with a placement of their own."""
    candidate = world["good"]
    candidate.user = people["kandidaat"]
    candidate.save()
    placement = _placement(world, candidate, "Orderpicker")
    AftercareCheck.objects.create(
        placement=placement,
        kind=AftercareCheck.Kind.M1,
        due_on=placement.start_on + dt.timedelta(days=30),
        done_on=placement.start_on + dt.timedelta(days=31),
        still_working=True,
        notes="Gaat goed, wil meer uren.",
    )
    InstrumentGrant.objects.create(
        placement=placement,
        kind=GrantKind.LKS,
        status=GrantStatus.GRANTED,
        decided_on=placement.start_on,
        start_on=placement.start_on,
        amount=Decimal("535.01"),
    )
    LoonwaardeAssessment.objects.create(
        placement=placement, assessed_on=placement.start_on, pct=Decimal(60), method="Dariuz"
    )
    JobcoachAssignment.objects.create(
        candidate=candidate, coach_name="Hanneke de Wit", start_on=placement.start_on
    )
    BenefitEvent.objects.create(
        municipality=candidate.municipality,
        bsn_pseudonym=candidate.bsn_pseudonym,
        kind=BenefitEventKind.OUTFLOW,
        on=placement.start_on,
    )
    Invitation.objects.create(
        meeting=meeting,
        candidate=candidate,
        email="kandidaat@example.nl",
        token_hash="a" * 64,
        token_expires_at=meeting.starts_at,
        response=Response.YES,
    )
    Conversation.objects.create(
        meeting=meeting,
        round=1,
        employer=world["employer"],
        candidate=candidate,
        outcome=Outcome.CLICK,
        follow_up=FollowUp.WORK_EXPERIENCE,
        note="Klikte meteen.",
    )
    other = world["far"]
    _placement(world, other, "Heftruckchauffeur")
    BenefitEvent.objects.create(
        municipality=other.municipality,
        bsn_pseudonym=other.bsn_pseudonym,
        kind=BenefitEventKind.REENTRY,
        on=timezone.localdate(),
    )
    return candidate


def test_the_export_holds_the_work_and_meetings_of_the_candidate(own, people):
    with translation.override("en"):
        data = data_export.collect(own, actor=access.actor_for(people["kandidaat"]))
    sections = data["sections"]
    assert set(sections) >= NEW_SECTIONS and list(sections) == list(data_export.section_keys())
    (placement,) = sections["placements"]["items"]
    assert placement["Employer"] == "Logistiek Centrum Wijchen"
    assert placement["Job"] == "Orderpicker" and placement["Hours per week"] == Decimal(24)
    (check,) = sections["aftercare_checks"]["items"]
    assert check["Check-in"] == "After 1 month" and check["Notes"] == "Gaat goed, wil meer uren."
    (grant,) = sections["instrument_grants"]["items"]
    assert grant["Placement"] == "Orderpicker, Logistiek Centrum Wijchen"
    assert grant["Amount"] == Decimal("535.01")
    (assessment,) = sections["loonwaarde_assessments"]["items"]
    assert assessment["Method"] == "Dariuz"
    assert sections["jobcoaches"]["items"][0]["Jobcoach"] == "Hanneke de Wit"
    (benefit,) = sections["benefit_data"]["items"]
    assert benefit["What"] == "Left the benefit"  # not the other candidate's re-entry
    (invitation,) = sections["meeting_invitations"]["items"]
    assert invitation["Meeting"] == "Prettig gesprek Wijchen" and invitation["Answer"] == "Coming"
    (conversation,) = sections["meeting_conversations"]["items"]
    assert conversation["Outcome"] == "Click" and conversation["Note"] == "Klikte meteen."
    assert "Heftruckchauffeur" not in json.dumps(data, default=str)


def test_the_downloads_show_the_new_sections(own, people, login_en):
    client = login_en(people["kandidaat"])
    data = json.loads(client.get(reverse("candidates:portal_export_json")).content)
    assert data["sections"]["placements"]["items"][0]["Job"] == "Orderpicker"
    pdf = client.get(reverse("candidates:portal_export_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_app_cannot_take_a_built_in_section():
    with pytest.raises(ValueError, match="built-in"):
        data_export.register_section("details", "Mine", lambda candidate, actor: [])
