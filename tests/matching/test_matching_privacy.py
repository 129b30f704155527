"""Privacy of matching.

(a) Protected attributes (birth date, sex, household, health) never reach the engine: changing
    them changes neither a candidate's facts nor any score or breakdown shown. The candidate
    record has no nationality or origin fields; the engine's ``PROTECTED_ATTRIBUTES`` names
    them, and the projection never selects any of the protected columns.
(b) The anonymous profile an employer sees holds nothing that identifies the candidate.
(c) The fairness report counts people (once per step) in the WerkBedrijf age bands, for
    team leads only.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates_support import fresh_bsn
from matching_support import picker
from werkbrug.candidates.models import (
    Candidate,
    HealthProfile,
    Household,
    JourneyStatus,
    LimitationNature,
    SelfRatedHealth,
    Sex,
    WorkExperience,
)
from werkbrug.core import access
from werkbrug.matching import facts, fairness, selectors, services
from werkbrug.matching.models import MatchEvent
from werkbrug.taxonomy.models import Occupation

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --- (a) protected attributes never reach a score ------------------------------------------

# Text PostgreSQL can store (no NUL, no lone surrogates).
stored_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
health_profiles = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "self_rated_health": st.one_of(st.none(), st.sampled_from(SelfRatedHealth.values)),
            "has_limitation": st.booleans(),
            "nature": st.sampled_from(["", *LimitationNature.values]),
            "structural": st.booleans(),
            "limitations": stored_text,
            "adjustments_needed": stored_text,
        }
    ),
)
protected = st.fixed_dictionaries(
    {
        "birth_date": st.dates(dt.date(1940, 1, 1), dt.date(2008, 12, 31)),
        "sex": st.sampled_from(["", *Sex.values]),
        "household": st.one_of(st.none(), st.sampled_from(Household.values)),
        "health": health_profiles,
    }
)


def _set_protected(candidate: Candidate, values: dict) -> None:
    candidate.birth_date = values["birth_date"]
    candidate.sex = values["sex"]
    candidate.household = values["household"]
    candidate.save()  # journals the candidate: the index reloads its facts
    if values["health"] is None:
        HealthProfile.objects.filter(candidate=candidate).delete()
    else:
        HealthProfile.objects.update_or_create(candidate=candidate, defaults=values["health"])


def _shown(actor, opportunity) -> list[tuple]:
    """Everything a suggestion list shows about the ranking, in order."""
    return [
        (
            s.candidate.pk,
            s.rank,
            s.suggestion.score,
            s.suggestion.factors,
            s.suggestion.distance_km,
            s.explanation,
            s.matched,
            s.partial,
            s.missing,
            s.missing_requirements,
        )
        for s in selectors.candidates_for_opportunity(actor, opportunity, k=50, record=False)
    ]


@PROPERTY_SETTINGS
@given(changes=protected)
def test_protected_attributes_change_neither_facts_nor_scores(world, people, changes):
    """Hypothesis varies the protected attributes of the best candidate; the facts, every
    score and every factor of the breakdown stay exactly what they were at the start."""
    actor = access.actor_for(people["relatiemanager"])
    subject = world["good"]
    region_id = world["place"]["region"].pk
    baseline = world.setdefault(  # computed once, before the first change
        "baseline",
        (facts.candidate_facts(region_id, [subject.pk]), _shown(actor, world["opportunity"])),
    )
    _set_protected(subject, changes)
    assert facts.candidate_facts(region_id, [subject.pk]) == baseline[0]
    assert _shown(actor, world["opportunity"]) == baseline[1]


def test_the_projection_never_selects_a_protected_column(world):
    """Not reading them is stronger than ignoring them: no query of ``candidate_facts`` names
    birth date, sex, household or the health table."""
    HealthProfile.objects.create(candidate=world["good"], has_limitation=True, nature="fysiek")
    with CaptureQueriesContext(connection) as queries:
        facts.candidate_facts(world["place"]["region"].pk)
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    assert "candidates_candidate" in sql  # the capture did see the projection
    for name in ('"birth_date"', '"sex"', '"household"', "healthprofile"):
        assert name not in sql


# --- (b) the anonymous profile --------------------------------------------------------------

SECRET_BSN = fresh_bsn()
IDENTIFYING = {
    "first name": "Zwaantje",
    "last name": "Oosterhuis",
    "e-mail": "zwaantje.oosterhuis@voorbeeld.nl",
    "phone": "0687654321",
    "street": "Kraaijenhofstraat",
    "postcode": "6543 ZX",
    "place": "Ewijk",
    "birth date (ISO)": "1979-11-23",
    "birth date (Dutch)": "23-11-1979",
    "birth year": "1979",
    "BSN": SECRET_BSN,
    "employer name (picker)": "Distributiecentrum",
    "employer name": "Hoogvliet",
    "role as typed": "vakkenvuller bij",
    "unclassified role as typed": "klusjes voor de buurman",
    "experience description": "vakken vullen",
    "talents": "punctueel",
    "motivation": "maatschappij",
    "development goals": "heftruckcertificaat",
    "health": "hernia",
    "adjustments": "sta-bureau",
}


@pytest.fixture
def proposed_profile(world, people):
    """Propose a candidate whose record is full of identifying details; return the entry."""
    candidate = picker(
        world["place"],
        bsn=SECRET_BSN,
        first_name="Zwaantje",
        last_name="Oosterhuis",
        email="zwaantje.oosterhuis@voorbeeld.nl",
        phone="0687654321",
        street="Kraaijenhofstraat 77",
        postcode="6543 ZX",
        city="Ewijk",
        birth_date=dt.date(1979, 11, 23),
        sex=Sex.FEMALE,
        household=Household.WITH_PARENTS,
        talents="Zorgzaam en punctueel",
        motivation="Ik wil weer meedoen in de maatschappij",
        development_goals="Een heftruckcertificaat halen",
        driving_licence=True,
    )
    WorkExperience.objects.create(
        candidate=candidate,
        role="Vakkenvuller bij Supermarkt Hoogvliet",  # typed roles can name an employer
        employer_name="Supermarkt Hoogvliet",
        occupation=Occupation.objects.get(label="Verkoopmedewerker"),
        description="Vakken vullen en de kassa",
        from_year=2015,
        to_year=2018,
    )
    WorkExperience.objects.create(  # not classified: left out of the profile
        candidate=candidate, role="Klusjes voor de buurman", from_year=2012, to_year=2013
    )
    HealthProfile.objects.create(
        candidate=candidate,
        has_limitation=True,
        nature=LimitationNature.PHYSICAL,
        limitations="Rugklachten na een hernia",
        adjustments_needed="Een sta-bureau",
    )
    rm = access.actor_for(people["relatiemanager"])
    entry = services.add_to_shortlist(
        actor=rm, opportunity=world["opportunity"], candidate=candidate
    )
    entry = services.propose(actor=rm, entry=entry)
    entry.refresh_from_db()
    return candidate, entry


def test_the_anonymous_profile_holds_nothing_that_identifies_the_candidate(proposed_profile):
    candidate, entry = proposed_profile
    serialized = json.dumps(entry.profile, ensure_ascii=False, default=str).lower()
    assert "verkoopmedewerker" in serialized  # the profile is there: occupations are shown
    assert "orders verzamelen" in serialized  # ... and tasks
    leaks = {what: value for what, value in IDENTIFYING.items() if value.lower() in serialized}
    assert leaks == {}
    for record_value in (candidate.bsn_pseudonym, candidate.bsn_encrypted, str(candidate.uuid)):
        assert record_value.lower() not in serialized


def test_the_anonymous_profile_has_only_the_reviewed_keys(proposed_profile):
    """A new key in the profile must be reviewed for privacy before it reaches employers."""
    _, entry = proposed_profile
    assert set(entry.profile) == {
        "explanation",
        "score",
        "tasks",
        "matched_tasks",
        "missing",
        "experience",
        "hours",
        "distance_km",
        "available_from",
        "driving_licence",
        "dutch_level",
        "education_level",
        "opportunity_tasks",
    }
    picker_occupation = Occupation.objects.filter(isco_code="9321").first()
    assert entry.profile["experience"] == [  # occupations, newest first; unclassified left out
        {"role": picker_occupation.label, "years": "2019–2023", "paid": True},
        {"role": "Verkoopmedewerker", "years": "2015–2018", "paid": True},
    ]
    # The distance in steps of 5 km, and not to the kilometre in the explanation either.
    assert entry.profile["distance_km"] in (5, 10, 15, 20)
    assert "km" not in entry.profile["explanation"]


# --- (c) the fairness report ----------------------------------------------------------------

START, END = dt.date(2026, 1, 1), dt.date(2026, 1, 31)
REGISTERED = dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)
REGISTERED_LATE = dt.datetime(2026, 2, 16, 9, 0, tzinfo=dt.UTC)


def _born(age: int, *, days_before_birthday: int = 0) -> dt.date:
    """A birth date giving ``age`` on END (the birthday ``days_before_birthday`` after END)."""
    return END.replace(year=END.year - age) + dt.timedelta(days=days_before_birthday)


def _event(kind, candidate, opportunity, on=END):
    MatchEvent.objects.create(
        kind=kind,
        region_id=candidate.region_id,
        opportunity=opportunity,
        candidate=candidate,
        on=on,
    )


@pytest.fixture
def reached(world, regions):
    """Candidates of known ages and sexes, with the steps they reached in January 2026."""
    place, opportunity = world["place"], world["opportunity"]
    for c in (world["good"], world["far"], world["cashier"]):  # born 1988-03-14: 37 on END
        c.sex = Sex.MALE
        c.save()
    young = picker(place, birth_date=_born(27, days_before_birthday=1), sex=Sex.FEMALE)  # 26
    turned = picker(place, birth_date=_born(27), sex=Sex.FEMALE)  # 27 on END itself
    older = picker(place, birth_date=_born(55), sex="")
    placed = picker(place, birth_date=_born(50), status=JourneyStatus.PLACED)
    not_seeking = picker(place, birth_date=_born(60), status=JourneyStatus.PLACED)
    other_region = picker(regions["other"], birth_date=_born(40))
    Candidate.objects.update(created_at=REGISTERED)  # all registered before the period
    newcomer = picker(place, birth_date=_born(30))  # registered after it, never reached
    Candidate.objects.filter(pk=newcomer.pk).update(created_at=REGISTERED_LATE)

    for c in (world["good"], young, turned, older, placed):
        _event("gesuggereerd", c, opportunity, on=dt.date(2026, 1, 5))
    # The same person suggested again on another day: still one person at that step.
    _event("gesuggereerd", young, opportunity, on=dt.date(2026, 1, 20))
    for c in (young, turned):
        _event("shortlist", c, opportunity)
    _event("voorgesteld", young, opportunity)
    _event("aangenomen", placed, opportunity)
    # Outside the period or the region: not counted.
    _event("gesuggereerd", world["far"], opportunity, on=dt.date(2025, 12, 31))
    _event("gesuggereerd", world["cashier"], opportunity, on=dt.date(2026, 2, 1))
    _event("gesuggereerd", other_region, None)
    return {
        "young": young,
        "turned": turned,
        "older": older,
        "placed": placed,
        "not_seeking": not_seeking,
    }


def _by_group(rows):
    return {
        row.group: (row.pool.count, {k: c.count for k, c in row.steps.items() if c.count})
        for row in rows
    }


def test_the_fairness_report_counts_each_person_once_per_step_in_wb_age_bands(
    world, people, reached
):
    lead = access.actor_for(people["teamleider"])
    report = selectors.fairness_report(lead, START, END)
    # Pool: the six seeking candidates registered by END plus the placed one who was
    # reached (not the other placed one, the newcomer, nor the other region's candidate).
    assert report.pool_size == 7
    assert report.step_sizes == {
        "gesuggereerd": 5,
        "shortlist": 2,
        "voorgesteld": 1,
        "kennismaking": 0,
        "aangenomen": 1,
    }
    assert [row.group for row in report.by_age] == [
        *(band[2] for band in fairness.AGE_BANDS),
        fairness.UNKNOWN,
    ]
    assert _by_group(report.by_age) == {
        "0–26": (1, {"gesuggereerd": 1, "shortlist": 1, "voorgesteld": 1}),
        "27–34": (1, {"gesuggereerd": 1, "shortlist": 1}),
        "35–44": (3, {"gesuggereerd": 1}),
        "45–54": (1, {"gesuggereerd": 1, "aangenomen": 1}),
        "55+": (1, {"gesuggereerd": 1}),
        fairness.UNKNOWN: (0, {}),
    }
    by_sex = _by_group(report.by_sex)
    assert by_sex["man"] == (3, {"gesuggereerd": 1})
    assert by_sex["vrouw"] == (2, {"gesuggereerd": 2, "shortlist": 2, "voorgesteld": 1})
    assert by_sex[fairness.UNKNOWN] == (2, {"gesuggereerd": 2, "aangenomen": 1})


def test_the_fairness_report_is_refused_to_a_relationship_manager(world, people):
    for role in ("relatiemanager", "klantmanager", "werkgever", "kandidaat"):
        with pytest.raises(PermissionDenied):
            selectors.fairness_report(access.actor_for(people[role]), START, END)
