"""The in-memory region index and its change journal (``IndexChange``).

An index brought up to date through the journal must give exactly what a fresh build gives;
the journal is written in the same transaction as the change (so a rolled-back change leaves
no row); filled work leaves the suggestions and turns its employer into one worth asking; and
old journal rows are pruned when an index is built.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from matching_support import NIJMEGEN, WIJCHEN, make_opportunity, picker, skill
from werkbrug.candidates import services as candidate_services
from werkbrug.candidates.models import Candidate, CandidateLanguage, JourneyStatus, WorkExperience
from werkbrug.core import access
from werkbrug.employers import services as employer_services
from werkbrug.employers.models import Employer, OpportunityStatus, WorkOpportunity
from werkbrug.matching import index, selectors
from werkbrug.matching.models import IndexChange
from werkbrug.taxonomy.models import Occupation

pytestmark = pytest.mark.django_db


@pytest.fixture
def rm(people):
    return access.actor_for(people["relatiemanager"])


def _region(world) -> int:
    return world["place"]["region"].pk


def _snapshot(world, rm) -> dict:
    """Everything the index answers for the region: each candidate's facts, the candidates
    suggested for each open opportunity, and the work and employers suggested to each
    candidate (with scores and the full breakdown)."""
    built = index.for_region(_region(world))
    candidates = list(Candidate.objects.filter(region_id=_region(world)).order_by("pk"))
    opportunities = WorkOpportunity.objects.filter(
        employer__region_id=_region(world), status__in=("open", "voorgesteld", "kennismaking")
    ).order_by("pk")
    out: dict = {
        "facts": {c.pk: built.facts_of(c.pk) for c in candidates},
        "opportunities": dict(built.opportunities),
        "employers": dict(built.employers),
        "employer_of": dict(built.employer_of),
    }
    for o in opportunities:
        out[f"for-opportunity-{o.pk}"] = [
            (s.candidate.pk, s.suggestion.score, s.suggestion.factors, s.explanation)
            for s in selectors.candidates_for_opportunity(rm, o, k=50, record=False)
        ]
    for c in candidates:
        if built.facts_of(c.pk) is None:
            continue
        work, asks = selectors.work_for_candidate(rm, c, k=50)
        out[f"work-{c.pk}"] = [(w.opportunity.pk, w.suggestion.score, w.explanation) for w in work]
        out[f"ask-{c.pk}"] = [(a.employer.pk, a.suggestion.score, a.explanation) for a in asks]
    return out


def test_an_index_kept_current_by_the_journal_equals_a_fresh_build(world, rm):
    place = world["place"]
    quiet = Employer.objects.create(  # no open work: one to ask
        region=place["region"],
        name="Groothandel Zonder Vacature",
        municipality=place["municipalities"][0],
        sbi_code="46390",
        latitude=NIJMEGEN[0],
        longitude=NIJMEGEN[1],
        owner=world["rm"],
    )
    shop = make_opportunity(quiet, title="Vakkenvuller", tasks=["Vakken vullen", "Kassa bedienen"])
    doomed = picker(place)
    learner = picker(place, experienced=False)
    incremental = index.for_region(_region(world))
    before = _snapshot(world, rm)

    def catch_up() -> None:
        """Apply the journal now, so that each change below has to travel on its own."""
        assert index.for_region(_region(world)) is incremental  # caught up, never rebuilt

    # The first three changes travel together, the others one by one.
    world["cashier"].skills.add(skill("Orders verzamelen"))  # m2m
    world["far"].latitude, world["far"].longitude = WIJCHEN
    world["far"].save()  # coordinates
    WorkExperience.objects.create(
        candidate=learner,
        role="Magazijnmedewerker",
        occupation=Occupation.objects.filter(isco_code="9321").first(),
        from_year=2020,
        to_year=2022,
    )
    mid = _snapshot(world, rm)
    world["good"].status = JourneyStatus.PLACED
    world["good"].save()
    assert index.for_region(_region(world)).facts_of(world["good"].pk) is None  # out ...
    world["good"].status = JourneyStatus.IN_CASELOAD
    world["good"].save()
    assert index.for_region(_region(world)).facts_of(world["good"].pk) is not None  # ... in
    doomed.delete()
    catch_up()
    opportunity = WorkOpportunity.objects.get(pk=world["opportunity"].pk)
    opportunity.tasks = ["Orders verzamelen", "Kassa bedienen"]
    employer_services.save_opportunity(actor=rm, opportunity=opportunity)
    catch_up()
    shop.refresh_from_db()
    employer_services.change_status(actor=rm, opportunity=shop, to_status=OpportunityStatus.FILLED)
    catch_up()
    employer = Employer.objects.get(pk=world["employer"].pk)
    employer.latitude, employer.longitude = Decimal("51.85000"), Decimal("5.86000")
    employer.save()

    caught_up = _snapshot(world, rm)
    assert index.for_region(_region(world)) is incremental  # never rebuilt on the way
    index.forget()
    rebuilt = _snapshot(world, rm)
    assert index.for_region(_region(world)) is not incremental

    assert caught_up == rebuilt
    # The changes did reach the answers (the comparison is not between two stale copies).
    assert caught_up != mid != before
    assert doomed.pk not in rebuilt["facts"]
    assert shop.pk not in rebuilt["opportunities"]
    assert quiet.pk in rebuilt["employers"] and quiet.pk not in rebuilt["employer_of"].values()
    assert skill("Orders verzamelen").pk in rebuilt["facts"][world["cashier"].pk].skills
    assert 932 in rebuilt["facts"][learner.pk].experience_groups
    assert skill("Kassa bedienen").pk in rebuilt["opportunities"][world["opportunity"].pk].tasks


def test_a_change_and_its_journal_row_are_one_transaction(world):
    """Inside the transaction the row is there already (written by the signal, not after
    commit); when the transaction rolls back, neither the change nor the row remains."""
    built = index.for_region(_region(world))
    last = IndexChange.objects.aggregate(m=Max("id"))["m"] or 0
    candidate = world["far"]
    with pytest.raises(RuntimeError), transaction.atomic():
        candidate.latitude, candidate.longitude = NIJMEGEN
        candidate.save()
        candidate.skills.add(skill("Kassa bedienen"))
        assert IndexChange.objects.filter(id__gt=last, entity="c", object_id=candidate.pk).exists()
        raise RuntimeError("roll back")
    assert not IndexChange.objects.filter(id__gt=last).exists()
    stored = Candidate.objects.get(pk=candidate.pk)
    assert (stored.latitude, stored.longitude) != NIJMEGEN
    assert index.for_region(_region(world)) is built
    assert skill("Kassa bedienen").pk not in built.facts_of(candidate.pk).skills


def test_filled_work_disappears_from_work_for_a_candidate(world, rm):
    work, _ = selectors.work_for_candidate(rm, world["good"])
    assert world["opportunity"] in [w.opportunity for w in work]
    employer_services.change_status(
        actor=rm, opportunity=world["opportunity"], to_status=OpportunityStatus.FILLED
    )
    work, _ = selectors.work_for_candidate(rm, world["good"])
    assert world["opportunity"] not in [w.opportunity for w in work]


def test_an_employer_is_worth_asking_only_without_open_work(world, rm):
    """While an employer has open work it is suggested as work, not as an employer to ask;
    with a second opportunity still open, filling one changes nothing; once its last open
    opportunity is filled, it is suggested as an employer to ask."""
    second = make_opportunity(world["employer"], title="Inpakker")

    def asked() -> list:
        _, asks = selectors.work_for_candidate(rm, world["good"])
        return [a.employer for a in asks]

    assert world["employer"] not in asked()
    employer_services.change_status(
        actor=rm, opportunity=world["opportunity"], to_status=OpportunityStatus.FILLED
    )
    assert world["employer"] not in asked()
    employer_services.change_status(
        actor=rm, opportunity=second, to_status=OpportunityStatus.FILLED
    )
    assert asked().count(world["employer"]) == 1


def test_old_journal_rows_are_deleted_when_an_index_is_built(world):
    IndexChange.objects.all().delete()  # a clean journal: one row per save below
    world["good"].save()
    world["far"].save()
    world["cashier"].save()
    old, edge, fresh = (
        IndexChange.objects.get(entity="c", object_id=c.pk)
        for c in (world["good"], world["far"], world["cashier"])
    )
    now = timezone.now()
    IndexChange.objects.filter(pk=old.pk).update(
        at=now - index.JOURNAL_KEEP - dt.timedelta(hours=1)
    )
    IndexChange.objects.filter(pk=edge.pk).update(
        at=now - index.JOURNAL_KEEP + dt.timedelta(hours=1)
    )
    index.build(_region(world))
    remaining = set(IndexChange.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {edge.pk, fresh.pk} <= remaining


def test_an_index_idle_longer_than_the_journal_is_kept_is_rebuilt_not_served_stale(world, regions):
    """Process A built the region's index long ago; a candidate was placed since; nobody
    used the region in process A for longer than JOURNAL_KEEP, and process B's build pruned
    the journal row. Process A must rebuild (``REBUILD_AFTER``) rather than keep suggesting
    the placed candidate."""
    assert index.REBUILD_AFTER < index.JOURNAL_KEEP  # a row cannot outlive every index
    idle = index.for_region(_region(world))
    world["far"].status = JourneyStatus.PLACED
    world["far"].save()
    now = timezone.now()
    rows = IndexChange.objects.filter(entity="c", object_id=world["far"].pk)
    rows.update(at=now - index.JOURNAL_KEEP - dt.timedelta(hours=1))
    idle.built_at = now - index.JOURNAL_KEEP - dt.timedelta(hours=2)  # built before that
    index.build(regions["other"]["region"].pk)  # process B starting up prunes the journal
    assert not rows.exists()
    assert idle.facts_of(world["far"].pk) is not None  # A's copy still has the candidate
    served = index.for_region(_region(world))
    assert served.facts_of(world["far"].pk) is None


def test_a_journal_row_committed_late_with_a_lower_id_is_still_applied(world):
    """Ids are handed out at insert, not at commit: a slow transaction can commit id n after
    id n+1 was read. The skipped id is looked for again on the next use."""
    region_id = _region(world)
    built = index.for_region(region_id)
    last = built.last_change_id
    IndexChange.objects.create(
        id=last + 2, region_id=region_id, entity="c", object_id=world["cashier"].pk
    )
    index.for_region(region_id)
    assert built.last_change_id == last + 2 and last + 1 in built.gaps
    # The slow transaction commits now: its change and its (lower) journal id.
    Candidate.objects.filter(pk=world["far"].pk).update(status=JourneyStatus.PLACED)
    IndexChange.objects.create(
        id=last + 1, region_id=region_id, entity="c", object_id=world["far"].pk
    )
    assert index.for_region(region_id) is built
    assert built.facts_of(world["far"].pk) is None
    assert last + 1 not in built.gaps


def test_languages_set_through_the_service_reach_the_index(world, rm):
    opportunity = world["opportunity"]
    opportunity.language_level = "B1"
    opportunity.save()
    candidate = world["good"]
    CandidateLanguage.objects.filter(candidate=candidate).delete()
    built = index.for_region(_region(world))
    assert built.facts_of(candidate.pk).dutch_level == 0
    last = IndexChange.objects.aggregate(m=Max("id"))["m"] or 0

    candidate_services.set_languages(candidate, actor=rm, languages=[("Nederlands", "B2")])

    shown = selectors.candidates_for_opportunity(rm, opportunity, record=False)
    assert next(s for s in shown if s.candidate.pk == candidate.pk).missing_requirements == []
    assert IndexChange.objects.filter(id__gt=last, entity="c", object_id=candidate.pk).exists()
    assert index.for_region(_region(world)).facts_of(candidate.pk).dutch_level == 4
