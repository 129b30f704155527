"""The fairness report: the arithmetic (properties that hold for any input), and the page and
its XLSX download (who may see it, the period form, small cells, flagged ratios)."""

from __future__ import annotations

import datetime as dt
import html
import io
import math

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from candidates_support import make_candidate
from tests_support import text
from werkbrug.candidates.models import Sex
from werkbrug.matching import fairness
from werkbrug.matching.models import MatchEvent, MatchEventKind
from werkbrug.matching.views_work import DEFAULT_PERIOD_DAYS

# --- The arithmetic (pure) ------------------------------------------------------------------

GROUPS = ["a", "b", "c", "d"]
members = st.lists(st.sampled_from(GROUPS), max_size=80)


@given(pool=members, step=members)
def test_shares_of_a_non_empty_step_sum_to_one(pool, step):
    rows = fairness.distribution(pool, {"s": step}, GROUPS)
    shares = [row.steps["s"].share for row in rows]
    if step:
        assert math.isclose(sum(shares), 1.0)
    else:
        assert all(share is None for share in shares)


@given(pool=members.filter(bool))
def test_a_step_that_copies_the_pool_gives_every_countable_group_ratio_one(pool):
    rows = fairness.distribution(pool, {"s": list(pool)}, GROUPS)
    for row in rows:
        cell = row.steps["s"]
        assert cell.count == row.pool.count
        if len(pool) >= fairness.MIN_STEP and not row.pool.hidden and row.pool.count >= 5:
            assert cell.ratio is not None and math.isclose(cell.ratio, 1.0)
            assert not cell.flagged


@given(pool=members, step=members)
def test_small_cells_never_get_a_ratio(pool, step):
    for row in fairness.distribution(pool, {"s": step}, GROUPS):
        cell = row.steps["s"]
        if cell.small or row.pool.small or cell.hidden or len(step) < fairness.MIN_STEP:
            assert cell.ratio is None
            assert not cell.flagged
        assert row.pool.ratio is None


@given(pool=members, step=members)
def test_a_hidden_small_group_cannot_be_worked_out_from_the_total(pool, step):
    """Every small group is hidden, and never as the only hidden non-empty cell of a column
    that has other non-empty cells (the total minus the shown counts would give it away)."""
    rows = fairness.distribution(pool, {"s": step}, GROUPS)
    for cells in ([r.pool for r in rows], [r.steps["s"] for r in rows]):
        assert all(c.hidden for c in cells if c.small)
        hidden = [c for c in cells if c.hidden]
        shown_nonempty = [c for c in cells if c.count > 0 and not c.hidden]
        if len(hidden) == 1:
            assert not shown_nonempty


def test_the_four_fifths_flag():
    pool = ["a"] * 20 + ["b"] * 20
    step = ["a"] * 20 + ["b"] * 10
    rows = {r.group: r for r in fairness.distribution(pool, {"s": step}, ["a", "b"])}
    assert rows["b"].steps["s"].ratio == pytest.approx(2 / 3)
    assert rows["b"].steps["s"].flagged
    assert not rows["a"].steps["s"].flagged


def test_age_bands():
    assert fairness.age_band(None) == fairness.UNKNOWN
    assert fairness.age_band(26) == "0–26"
    assert fairness.age_band(27) == "27–34"
    assert fairness.age_band(55) == "55+"


# --- The page -------------------------------------------------------------------------------


def _people(place, sex, n, *, birth=dt.date(1988, 3, 14)):
    return [make_candidate(place, complete=False, sex=sex, birth_date=birth) for _ in range(n)]


def _events(kind, candidates, on=None):
    MatchEvent.objects.bulk_create(
        MatchEvent(
            kind=kind,
            region=c.region,
            candidate=c,
            on=on or timezone.localdate(),
        )
        for c in candidates
    )


@pytest.fixture
def reached(regions):
    """20 men and 20 women looking for work. All men and 10 women were suggested (women are
    flagged), 3 men were shortlisted (a small cell)."""
    own = regions["own"]
    men = _people(own, Sex.MALE, 20)
    women = _people(own, Sex.FEMALE, 20)
    _events(MatchEventKind.SUGGESTED, men + women[:10])
    _events(MatchEventKind.SHORTLISTED, men[:3])
    # A suggestion long ago, outside the default period: not counted.
    _events(MatchEventKind.PROPOSED, women[:6], on=timezone.localdate() - dt.timedelta(days=200))
    return men, women


@pytest.fixture
def login(login_en):
    """English UI: the assertions read the msgids."""
    return login_en


def _url(**query):
    url = reverse("matching:fairness")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.mark.parametrize("role", ["teamleider", "onderzoeker"])
def test_team_leads_and_researchers_see_the_report(role, people, login, reached):
    response = login(people[role]).get(_url())
    assert response.status_code == 200
    page = text(response)
    form = response.context["form"]
    today = timezone.localdate()
    assert form.cleaned_data["tot"] == today
    assert form.cleaned_data["van"] == today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    report = response.context["report"]
    assert report.pool_size == 40
    assert report.step_sizes["gesuggereerd"] == 30
    assert report.step_sizes["shortlist"] == 3
    assert report.step_sizes["voorgesteld"] == 0  # outside the period
    assert "stored events" in page
    assert "once per step" in page
    assert "no automatic decisions" in page


@pytest.mark.parametrize("role", ["relatiemanager", "klantmanager", "werkgever", "kandidaat"])
def test_others_may_not(role, people, login):
    assert login(people[role]).get(_url()).status_code == 403


def test_small_cells_and_flagged_ratios_are_shown_as_such(people, login, reached):
    response = login(people["teamleider"]).get(_url())
    page = response.content.decode()
    by_sex = next(t for t in response.context["tables"] if t["key"] == "sex")
    rows = {r["group"]: r for r in by_sex["rows"]}
    women, men = rows["Female"], rows["Male"]
    suggested, shortlisted = 0, 1  # the order of report.steps
    assert women["steps"][suggested].flagged
    assert women["flagged"] and not men["flagged"]
    assert men["steps"][shortlisted].small and men["steps"][shortlisted].ratio is None
    assert men["steps"][shortlisted].percent is None  # the share would give the count away
    assert "&lt; 5" in page
    assert "badge-warning" in page
    assert "four-fifths" in page
    assert "ratio 0.67" in page


def test_the_period_form_names_the_bad_field(people, login, reached):
    client = login(people["teamleider"])
    response = client.get(_url(van="31-02-2026", tot="2026-03-01"))
    assert "report" not in response.context
    assert "From: Not a valid date: write the start date as dd-mm-yyyy" in text(response)
    response = client.get(_url(van="2026-03-10", tot="2026-03-01"))
    assert "'Until' cannot be before 'From'" in html.unescape(text(response))
    assert "report" not in response.context


def test_a_chosen_period(people, login, reached):
    long_ago = timezone.localdate() - dt.timedelta(days=200)
    response = login(people["teamleider"]).get(
        _url(van=long_ago.isoformat(), tot=long_ago.isoformat())
    )
    report = response.context["report"]
    assert report.step_sizes["voorgesteld"] == 6
    assert report.step_sizes["gesuggereerd"] == 0


def test_the_xlsx_has_the_same_tables(people, login, reached):
    from openpyxl import load_workbook

    client = login(people["teamleider"])
    page = client.get(_url())
    assert reverse("matching:fairness_xlsx") in page.content.decode()
    response = client.get(reverse("matching:fairness_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3
    overview = book.worksheets[0]
    assert any(row[1] == 40 for row in overview.iter_rows(values_only=True))
    sex = book.worksheets[2]
    rows = list(sex.iter_rows(values_only=True))
    header, body = rows[0], {r[0]: r for r in rows[1:]}
    assert header[:3] == ("Group", "Pool: number", "Pool: share (%)")
    assert body["Female"][1] == 20 and body["Female"][2] == 50
    assert body["Female"][3:6] == (10, 33, 0.67)
    assert body["Male"][6] == "< 5" and body["Male"][7] is None and body["Male"][8] is None
    assert sex.cell(row=3, column=6).fill.fgColor.rgb.endswith("FFE699")  # Female, flagged


def test_the_xlsx_refuses_a_bad_period(people, login):
    response = login(people["teamleider"]).get(
        reverse("matching:fairness_xlsx") + "?van=gisteren&tot=2026-01-01"
    )
    assert response.status_code == 400


def test_the_menu_has_the_report_for_those_who_may_see_it(people, login):
    url = reverse("matching:fairness")
    assert f'href="{url}"' in login(people["teamleider"]).get(reverse("home")).content.decode()
    assert (
        f'href="{url}"' not in login(people["klantmanager"]).get(reverse("home")).content.decode()
    )
