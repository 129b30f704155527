"""Suggestions through the database: facts, the region index kept current, the scope rule."""

from __future__ import annotations

import pytest

from candidates_support import give_consent
from matching_support import picker
from werkbrug.candidates.models import ConsentScope, JourneyStatus
from werkbrug.core import access
from werkbrug.matching import index, selectors
from werkbrug.matching.models import IndexChange, MatchEvent

pytestmark = pytest.mark.django_db


def _ids(found):
    return [s.candidate.pk for s in found]


def test_the_experienced_neighbour_ranks_first_and_is_explained(world, people):
    actor = access.actor_for(people["relatiemanager"])
    found = selectors.candidates_for_opportunity(actor, world["opportunity"], k=10)
    assert _ids(found)[0] == world["good"].pk
    best = found[0]
    assert best.full_access
    assert "orders verzamelen" in best.explanation
    assert "woont op 9 km" in best.explanation
    assert "wil 24–32 uur" in best.explanation
    assert "orders inpakken en verzendklaar maken" in best.partial  # same occupation group
    assert {f.key for f in best.factors} == {
        "skills",
        "wishes",
        "hours",
        "travel",
        "availability",
        "requirements",
    }


def test_shown_suggestions_are_stored_once_a_day(world, people):
    actor = access.actor_for(people["relatiemanager"])
    selectors.candidates_for_opportunity(actor, world["opportunity"], k=10)
    selectors.candidates_for_opportunity(actor, world["opportunity"], k=10)
    assert MatchEvent.objects.filter(kind="gesuggereerd").count() == 3


def test_a_change_reaches_the_index_without_a_rebuild(world, people):
    actor = access.actor_for(people["relatiemanager"])
    selectors.candidates_for_opportunity(actor, world["opportunity"])
    built = index.for_region(world["place"]["region"].pk)
    newcomer = picker(world["place"])
    assert IndexChange.objects.filter(entity="c", object_id=newcomer.pk).exists()
    found = selectors.candidates_for_opportunity(actor, world["opportunity"])
    assert newcomer.pk in _ids(found)
    assert index.for_region(world["place"]["region"].pk) is built  # same object, updated
    newcomer.status = JourneyStatus.PLACED
    newcomer.save()
    assert newcomer.pk not in _ids(
        selectors.candidates_for_opportunity(actor, world["opportunity"])
    )


def test_other_municipalities_only_with_consent_and_then_anonymous(world, people, regions):
    wijchen = regions["own"]["municipalities"][1]
    outsider = picker(world["place"], municipality=wijchen)
    actor = access.actor_for(people["relatiemanager"])  # works for Nijmegen
    assert outsider.pk not in _ids(
        selectors.candidates_for_opportunity(actor, world["opportunity"])
    )
    consent = give_consent(outsider, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    found = selectors.candidates_for_opportunity(actor, world["opportunity"])
    shown = next(s for s in found if s.candidate.pk == outsider.pk)
    assert not shown.full_access
    consent.withdrawn_at = consent.granted_at
    consent.save()
    assert outsider.pk not in _ids(
        selectors.candidates_for_opportunity(actor, world["opportunity"])
    )


def test_work_both_ways_includes_employers_to_ask(world, people, regions):
    from werkbrug.employers.models import Employer

    quiet = Employer.objects.create(
        region=regions["own"]["region"],
        name="Groothandel Zonder Vacature",
        municipality=regions["own"]["municipalities"][0],
        sbi_code="46390",
        latitude=world["employer"].latitude,
        longitude=world["employer"].longitude,
        owner=world["rm"],
    )
    actor = access.actor_for(people["relatiemanager"])
    work, asks = selectors.work_for_candidate(actor, world["good"])
    assert work[0].opportunity == world["opportunity"]
    assert "orders verzamelen" in work[0].explanation
    assert quiet in [a.employer for a in asks]
    assert world["employer"] not in [a.employer for a in asks]  # has open work
    ask = next(a for a in asks if a.employer == quiet)
    assert ask.explanation.startswith("vraag naar werk")
