"""Bounded queries on the caseload list and the candidate page: the number of queries is fixed
and does not grow with the number of rows (candidates in the list; contacts, consents,
languages, skills and other case records on the page). Timings live in
benchmarks/bench_candidates.py; here only the query counts.

test_candidate_pages.py covers the client manager's unfiltered list; this module adds the
relationship manager (own municipality + own caseload + the regional pool) with a search and
filters, the pool tab, the candidate page with a full case file and the anonymous pool view."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates_support import add_experience, give_consent, make_candidate
from tests_support import text
from werkbrug.candidates import selectors
from werkbrug.candidates.models import (
    Appointment,
    Candidate,
    CandidateContact,
    CandidateLanguage,
    ConsentScope,
    Handover,
    HealthProfile,
    LadderStepChange,
    Return,
    ServiceEpisode,
    Signal,
    TargetGroupMembership,
)
from werkbrug.core import access
from werkbrug.employers.models import Employer
from werkbrug.taxonomy.models import Skill

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)

#: Ceilings (the exact count is then required to stay the same with ten times the rows). The
#: request includes the session, the user, the second factor and the access layer.
LIST_MAX_QUERIES = 24  # includes the capped counts: per tab and per part of the scope
DETAIL_MAX_QUERIES = 27  # + the prettig gesprekken in the case file (one query when none)
POOL_DETAIL_MAX_QUERIES = 18


@pytest.fixture
def login(login_en):
    """English UI: the assertions read the msgids."""
    return login_en


@pytest.fixture
def own(regions):
    return regions["own"]


@pytest.fixture
def nijmegen(own):
    return own["municipalities"][0]


@pytest.fixture
def wijchen(own):
    return own["municipalities"][1]


@pytest.fixture
def rm(people):
    return people["relatiemanager"]


@pytest.fixture
def employer(own, rm):
    return Employer.objects.create(
        region=own["region"],
        name="Bakkerij De Gouden Korst",
        municipality=own["municipalities"][0],
        owner=rm.staff,
    )


@pytest.fixture
def skills():
    return [
        Skill.objects.create(uri=f"test:skill:{n}", label=f"Vaardigheid {n}", source="curated")
        for n in range(12)
    ]


def case_file(candidate: Candidate, *, items: int, staff, user, employer, skills) -> None:
    """``items`` rows of every kind the candidate page shows (contacts, consents, languages,
    skills, work experience, ladder history, handovers, appointments, service periods,
    returns, signals, target groups) and a health profile."""
    now = timezone.now()
    today = timezone.localdate()
    if not candidate.consents.filter(scope=ConsentScope.REGIONAL_POOL).exists():
        give_consent(candidate, ConsentScope.REGIONAL_POOL, by=user)
        HealthProfile.objects.create(candidate=candidate, self_rated_health=2)
    candidate.skills.add(*skills[:items])
    candidate.wished_skills.add(*skills[:items])
    for n in range(items):
        serial = next(_serial)
        company = Employer.objects.create(
            region=candidate.region,
            name=f"{employer.name} {serial}",
            municipality=employer.municipality,
            owner=employer.owner,
        )
        give_consent(candidate, ConsentScope.SHARE_WITH_EMPLOYER, by=user, employer=company)
        withdrawn = give_consent(
            candidate, ConsentScope.DISCLOSE_LIMITATIONS, by=user, employer=company
        )
        withdrawn.withdrawn_at, withdrawn.withdrawn_by = now, user
        withdrawn.withdrawn_via = "telefoon"
        withdrawn.save()
        CandidateLanguage.objects.create(candidate=candidate, language=f"Taal {serial}", level="B1")
        add_experience(candidate, role=f"Functie {n}")
        CandidateContact.objects.create(
            candidate=candidate,
            at=now - dt.timedelta(days=n),
            channel="gesprek",
            staff=staff,
            summary=f"Gesprek {n}",
        )
        LadderStepChange.objects.create(
            candidate=candidate, step=4, assessed_on=today - dt.timedelta(days=30 * n)
        )
        Handover.objects.create(
            candidate=candidate,
            from_staff=staff,
            to_staff=staff,
            on=today - dt.timedelta(days=n),
            completeness=100,
        )
        Appointment.objects.create(
            candidate=candidate,
            starts_at=now + dt.timedelta(days=n + 1),
            subject=f"Afspraak {n}",
            location="Stadskantoor",
            staff=staff,
        )
        ServiceEpisode.objects.create(
            candidate=candidate,
            start=today - dt.timedelta(days=400 + 30 * n),
            end=None if not candidate.episodes.exists() else today - dt.timedelta(days=30 * n),
        )
        Return.objects.create(
            candidate=candidate,
            municipality=candidate.municipality,
            on=today - dt.timedelta(days=n),
            reason="tijdelijk_niet_plaatsbaar",
            explanation="Tijdelijk niet plaatsbaar.",
            recommended_next_step="Over drie maanden opnieuw bekijken.",
            sent_by=staff,
            receiver=staff,
        )
        Signal.objects.create(
            candidate=candidate,
            kind="niet_verschenen",
            occurred_on=today - dt.timedelta(days=n),
            description="Niet verschenen op de afspraak.",
            reported_by=staff,
        )
        TargetGroupMembership.objects.create(
            candidate=candidate, group="banenafspraak" if n % 2 else "statushouder"
        )


def fill(own, count, *, municipality, staff, user, employer, skills, **fields) -> None:
    for _n in range(count):
        candidate = make_candidate(own, municipality=municipality, **fields)
        case_file(candidate, items=2, staff=staff, user=user, employer=employer, skills=skills)


def assert_bounded(client, url, *, ceiling, grow, django_assert_max_num_queries, **assertions):
    """GET ``url`` (at most ``ceiling`` queries), ``grow()`` the data, GET again: the same
    number of queries. Returns both pages' text."""
    with django_assert_max_num_queries(ceiling) as small:
        first = client.get(url)
    assert first.status_code == 200
    grow()
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        second = client.get(url)
    assert second.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    return text(first), text(second)


def test_filtered_caseload_of_a_relationship_manager_is_bounded(
    login, own, nijmegen, wijchen, rm, employer, skills, django_assert_max_num_queries
):
    """Search + municipality + ladder step + the municipality tab, and everyone they may see
    (own municipality, own caseload, the regional pool of other municipalities)."""
    staff = rm.staff
    client = login(rm)

    def add(count: int) -> None:
        common = {"staff": staff, "user": rm, "employer": employer, "skills": skills}
        fill(own, count, municipality=nijmegen, client_manager=staff, **common)
        fill(own, count, municipality=wijchen, **common)  # in the pool only
        fill(own, count, municipality=wijchen, consultant=staff, **common)  # own caseload

    add(1)
    filtered = reverse("candidates:caseload") + f"?q=jans&gemeente={nijmegen.uuid}&trede=4"
    filtered += "&toon=gemeente"
    small, large = assert_bounded(
        client,
        filtered,
        ceiling=LIST_MAX_QUERIES,
        grow=lambda: add(9),
        django_assert_max_num_queries=django_assert_max_num_queries,
    )
    assert "1 candidate found" in small or "1 candidates found" in small
    assert "10 candidates found" in large

    everyone = reverse("candidates:caseload") + "?trede=4"
    with django_assert_max_num_queries(LIST_MAX_QUERIES) as queries:
        response = client.get(everyone)
    count = len(queries.captured_queries)
    assert "30 candidates found" in text(response)
    add(10)
    with django_assert_max_num_queries(count):
        response = client.get(everyone)
    assert "60 candidates found" in text(response)
    assert "Anonymous profile" in text(response)


def test_pool_tab_is_bounded(
    login, own, wijchen, rm, employer, skills, django_assert_max_num_queries
):
    client = login(rm)
    common = {"staff": rm.staff, "user": rm, "employer": employer, "skills": skills}
    fill(own, 3, municipality=wijchen, **common)
    small, large = assert_bounded(
        client,
        reverse("candidates:caseload") + "?toon=pool",
        ceiling=LIST_MAX_QUERIES,
        grow=lambda: fill(own, 27, municipality=wijchen, **common),
        django_assert_max_num_queries=django_assert_max_num_queries,
    )
    assert "3 candidates found" in small
    assert "30 candidates found" in large
    assert "Kandidaat" not in large  # names stay out of the pool


def test_candidate_page_with_a_full_case_file_is_bounded(
    login, own, nijmegen, rm, employer, skills, django_assert_max_num_queries
):
    staff = rm.staff
    client = login(rm)
    candidate = make_candidate(own, municipality=nijmegen, client_manager=staff, consultant=staff)
    case_file(candidate, items=1, staff=staff, user=rm, employer=employer, skills=skills)
    url = reverse("candidates:detail", kwargs={"uuid": candidate.uuid})

    def grow() -> None:
        case_file(candidate, items=10, staff=staff, user=rm, employer=employer, skills=skills)

    small, large = assert_bounded(
        client,
        url,
        ceiling=DETAIL_MAX_QUERIES,
        grow=grow,
        django_assert_max_num_queries=django_assert_max_num_queries,
    )
    assert candidate.last_name in large
    assert "Gesprek 9" in large and "Afspraak 9" in large and "Functie 9" in large


def test_anonymous_pool_profile_is_bounded(
    login, own, wijchen, rm, people, employer, skills, django_assert_max_num_queries
):
    staff = people["teamleider"].staff
    candidate = make_candidate(own, municipality=wijchen, client_manager=staff)
    case_file(candidate, items=1, staff=staff, user=rm, employer=employer, skills=skills)
    client = login(rm)
    url = reverse("candidates:detail", kwargs={"uuid": candidate.uuid})

    def grow() -> None:
        case_file(candidate, items=10, staff=staff, user=rm, employer=employer, skills=skills)

    small, large = assert_bounded(
        client,
        url,
        ceiling=POOL_DETAIL_MAX_QUERIES,
        grow=grow,
        django_assert_max_num_queries=django_assert_max_num_queries,
    )
    assert "Anonymous profile" in large
    assert candidate.first_name not in large


@pytest.mark.parametrize(
    "who", ["relatiemanager", "klantmanager", "teamleider", "uwv_partner", "onderzoeker"]
)
def test_tab_counts_match_the_tabs(
    who, own, nijmegen, wijchen, rm, people, employer, skills, django_assert_max_num_queries
):
    """The tab counts take at most two capped queries per tab (one per part of the scope) and
    count what each tab lists."""
    common = {"staff": rm.staff, "user": rm, "employer": employer, "skills": skills}
    fill(own, 2, municipality=nijmegen, **common)
    fill(own, 2, municipality=nijmegen, client_manager=rm.staff, **common)
    fill(own, 3, municipality=wijchen, **common)
    fill(own, 1, municipality=wijchen, consultant=rm.staff, **common)
    make_candidate(own, municipality=wijchen)  # not in the pool: no consent
    withdrawn = make_candidate(own, municipality=wijchen)
    consent = give_consent(withdrawn, ConsentScope.REGIONAL_POOL, by=rm)
    consent.withdrawn_at, consent.withdrawn_by, consent.withdrawn_via = (
        timezone.now(),
        rm,
        "telefoon",
    )
    consent.save()
    actor = access.actor_for(people[who])
    with django_assert_max_num_queries(8):
        counts = selectors.tab_counts(actor=actor)
    Filter = selectors.CaseloadFilter
    assert counts == {
        "all": selectors.caseload(actor=actor).count(),
        "mine": selectors.caseload(actor=actor, flt=Filter(mine=True)).count()
        if actor.staff_id
        else 0,
        "municipality": selectors.caseload(
            actor=actor, flt=Filter(municipality_id=actor.municipality_id)
        ).count()
        if actor.municipality_id
        else 0,
        "pool": selectors.caseload(actor=actor, flt=Filter(pool=True)).count(),
    }
    if who == "relatiemanager":
        assert counts == {"all": 8, "mine": 3, "municipality": 4, "pool": 3}


def test_counts_stop_at_the_cap(own, nijmegen, rm, people, employer, skills):
    """Beyond the cap a tab says "more than": the count query stops early instead of counting a
    whole region."""
    fill(own, 5, municipality=nijmegen, staff=rm.staff, user=rm, employer=employer, skills=skills)
    actor = access.actor_for(people["relatiemanager"])
    counts = selectors.tab_counts(actor=actor, cap=3)
    assert counts["all"] == counts["municipality"] == 4  # cap + 1: "more than 3"
    assert selectors.tab_counts(actor=actor, cap=100)["all"] == 5
