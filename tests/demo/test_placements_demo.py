"""The demo's placements tell the story: work found over two years, from the prettig
gesprekken too; work-experience places converted into contracts; some ended early; aftercare
done, a few overdue for the relationship manager, and contracts of theirs ending within six
weeks (the alert); grants with the rules of their date."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from werkbrug.core.access import actor_for
from werkbrug.placements import selectors
from werkbrug.placements.models import (
    AftercareCheck,
    EndReason,
    GrantKind,
    InstrumentGrant,
    Placement,
    PlacementKind,
    PlacementStatus,
)
from werkbrug.regions.models import Staff

SEED = 7


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed-demo", "--scale", "demo", "--seed", str(SEED), stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_two_years_of_placements_with_conversions_and_early_ends(seeded):
    today = timezone.localdate()
    placements = list(Placement.objects.all())
    assert 40 <= len(placements) <= 100
    assert min(p.start_on for p in placements) < today.replace(year=today.year - 1)
    converted = [p for p in placements if p.status == PlacementStatus.CONVERTED]
    assert converted and all(p.followed_by.kind == PlacementKind.REGULAR for p in converted)
    assert any(
        p.status == PlacementStatus.ENDED and p.end_reason != EndReason.CONVERTED
        for p in placements
    )
    assert all(p.rule_set is not None for p in placements)


def test_hires_from_the_meetings_became_placements_linked_to_their_conversation(seeded):
    linked = Placement.objects.filter(conversation__isnull=False).select_related(
        "conversation__shortlist_entry"
    )
    assert linked.exists()
    for p in linked:
        assert p.conversation.candidate_id == p.candidate_id
        assert p.conversation.employer_id == p.employer_id


def test_the_relationship_manager_has_aftercare_due_and_contracts_ending_soon(seeded):
    rm = Staff.objects.select_related("user").get(user__username="relatiemanager")
    actor = actor_for(rm.user)
    assert selectors.checks_due(actor, staff_id=rm.pk).exists()
    assert selectors.ending_soon(actor).filter(placement__owner=rm).count() >= 2
    done = AftercareCheck.objects.filter(done_on__isnull=False)
    assert (
        done.count()
        > AftercareCheck.objects.filter(
            done_on__isnull=True, due_on__lt=timezone.localdate()
        ).count()
    )


def test_grants_come_with_their_rule_set(seeded):
    grants = InstrumentGrant.objects.all()
    assert grants.filter(kind=GrantKind.LKS).exists()
    assert all(g.rule_set_id for g in grants)


def test_benefit_data_links_to_placements_for_durability(seeded):
    from werkbrug.placements.benefit_services import no_return_share
    from werkbrug.placements.models import BenefitEvent, Outflow

    assert (
        BenefitEvent.objects.filter(kind="uitstroom").count()
        == Placement.objects.filter(outflow=Outflow.FULL).count()
    )
    rm = Staff.objects.select_related("user").get(user__username="relatiemanager")
    today = timezone.localdate()
    found = no_return_share(
        actor_for(rm.user), start_from=today.replace(year=today.year - 3), start_to=today
    )
    assert found.outflows > 0 and found.known > 0
