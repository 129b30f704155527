"""From a number to the records behind it (``monitoring.drilldown.records_behind`` and the
page ``/sturing/kpi/<code>/dossiers/``): exactly the records the KPI counted in the cell and
year, each with a link that opens; a record of a candidate the actor may not see (another
municipality, no consent, not assigned to them) is counted in ``hidden`` and never shown;
reading candidate records writes the access log; the list is capped at ``LIMIT``.

The region is the matching ``world``: the warehouse in Wijchen (owner: the relationship
manager ``rm``, who works for Nijmegen), candidates ``good``, ``far`` and ``cashier`` in
Nijmegen. Added here: ``stranger`` in Wijchen (nobody of ours works with them), ``pooled`` in
Wijchen (shares an anonymous profile region-wide: still no case records) and ``assigned`` in
Wijchen, whose consultant is the UWV partner. Dates are in 2025, computed as if today were
15 June 2026."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from candidates_support import give_consent, make_candidate
from steering_support import MUNICIPALITY, REGION, STAFF, TEAM, place, text
from werkbrug.candidates.models import ConsentScope, ServiceEpisode
from werkbrug.core.access import actor_for
from werkbrug.core.models import AccessLogEntry
from werkbrug.employers.models import Channel, ContactMoment, Employer
from werkbrug.monitoring import drilldown, kpis, services
from werkbrug.monitoring.models import KpiValue
from werkbrug.placements.models import AftercareCheck, Contract, PlacementKind

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 6, 15)
Y2025 = (D(2025, 1, 1), D(2026, 1, 1))


def behind(actor: Any, code: str, dimension: str = REGION, member: int = 0, period=Y2025):
    kpi = kpis.current(code, period[1] - dt.timedelta(days=1))
    return drilldown.records_behind(
        actor,
        kpi,
        dimension=dimension,
        member=member,
        start=period[0],
        end=period[1],
        today=TODAY,
    )


def refreshed_total(region: Any, code: str, period: dt.date) -> tuple[Decimal, Decimal]:
    """What ``services.refresh`` stored for the region in one month: (numerator, denominator)."""
    services.refresh(region_id=region.pk, today=TODAY)
    row = KpiValue.objects.get(
        region=region, kpi=code, dimension=REGION, part="", period_start=period
    )
    return row.numerator, row.denominator


@pytest.fixture
def cast(world: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    own = world["place"]
    wijchen = own["municipalities"][1]
    stranger = make_candidate(own, municipality=wijchen, first_name="Sanne", last_name="Vreemd")
    pooled = make_candidate(own, municipality=wijchen, first_name="Pieter", last_name="Pool")
    give_consent(pooled, ConsentScope.REGIONAL_POOL, by=people["klantmanager"])
    assigned = make_candidate(
        own,
        municipality=wijchen,
        first_name="Umut",
        last_name="Toegewezen",
        consultant=people["uwv_partner"].staff,
    )
    return world | {
        "region": own["region"],
        "nijmegen": own["municipalities"][0],
        "wijchen": wijchen,
        "stranger": stranger,
        "pooled": pooled,
        "assigned": assigned,
        "rm_actor": actor_for(people["relatiemanager"]),
        "uwv_actor": actor_for(people["uwv_partner"]),
        "researcher": actor_for(people["onderzoeker"]),
    }


# --- K4: placements -------------------------------------------------------------------------------


@pytest.fixture
def placements(cast: dict[str, Any], regions: dict[str, Any], people: dict[str, Any]):
    """K4 in 2025: good's regular job (10 March) and far's secondment (2 June), both
    Nijmegen; the regular jobs of stranger (5 May), pooled (4 August) and assigned
    (1 September), all Wijchen. Not counted: cashier's work-experience place (no pay),
    good's job of 2024, and a job in the other region."""
    region, rm, employer = cast["region"], cast["rm"], cast["employer"]
    made = {
        "good": place(region, cast["good"], employer, rm, start_on=D(2025, 3, 10)),
        "far": place(
            region,
            cast["far"],
            employer,
            rm,
            kind=PlacementKind.SECONDMENT,
            contract=Contract.AGENCY,
            job_title="Heftruckchauffeur",
            start_on=D(2025, 6, 2),
        ),
        "stranger": place(region, cast["stranger"], employer, rm, start_on=D(2025, 5, 5)),
        "pooled": place(region, cast["pooled"], employer, rm, start_on=D(2025, 8, 4)),
        "assigned": place(region, cast["assigned"], employer, rm, start_on=D(2025, 9, 1)),
    }
    place(
        region,
        cast["cashier"],
        employer,
        rm,
        kind=PlacementKind.WORK_EXPERIENCE,
        contract=Contract.NONE,
        wage_pct_of_wml=None,
        start_on=D(2025, 4, 1),
    )
    place(region, cast["good"], employer, rm, start_on=D(2024, 5, 6))
    zaa = regions["other"]
    zaa_rm = people["other_region_rm"].staff
    zaa_employer = Employer.objects.create(
        region=zaa["region"],
        name="Verpakkerij Zaan",
        municipality=zaa["municipalities"][0],
        owner=zaa_rm,
    )
    place(zaa["region"], make_candidate(zaa), zaa_employer, zaa_rm, start_on=D(2025, 3, 10))
    return made


def test_the_placements_behind_k4_in_the_region(cast, placements):
    """Five placements counted; the relationship manager of Nijmegen sees the two of Nijmegen
    candidates (in date order, with a link to each) and counts three as hidden."""
    found = behind(cast["rm_actor"], "K4")
    assert (found.total, found.hidden, found.more) == (5, 3, 0)
    good, far = cast["good"], cast["far"]
    assert [(r.on, r.label, r.url, r.value) for r in found.records] == [
        (
            D(2025, 3, 10),
            f"{good}: Orderpicker bij Logistiek Centrum Wijchen (vanaf 10-03-2025)",
            f"/plaatsingen/{placements['good'].uuid}/",
            "",
        ),
        (
            D(2025, 6, 2),
            f"{far}: Heftruckchauffeur bij Logistiek Centrum Wijchen (vanaf 02-06-2025)",
            f"/plaatsingen/{placements['far'].uuid}/",
            "",
        ),
    ]
    # The number on the dashboard is the number of records behind it.
    services.refresh(region_id=cast["region"].pk, today=TODAY)
    stored = KpiValue.objects.filter(
        region=cast["region"], kpi="K4", dimension=REGION, part="", period_start__year=2025
    )
    assert sum(v.numerator for v in stored) == found.total


def test_the_placements_behind_k4_in_one_cell(cast, placements):
    """Per municipality (the candidate's), team and staff member (the placement's owner)."""
    rm = cast["rm_actor"]
    wijchen = behind(rm, "K4", MUNICIPALITY, cast["wijchen"].pk)
    assert (wijchen.total, wijchen.hidden, wijchen.records) == (3, 3, [])
    nijmegen = behind(rm, "K4", MUNICIPALITY, cast["nijmegen"].pk)
    assert (nijmegen.total, nijmegen.hidden) == (2, 0)
    assert [r.on for r in nijmegen.records] == [D(2025, 3, 10), D(2025, 6, 2)]
    assert behind(rm, "K4", STAFF, cast["rm"].pk).total == 5
    assert behind(rm, "K4", TEAM, cast["rm"].team_id).total == 5
    assert behind(rm, "K4", STAFF, cast["rm"].pk + 1000).total == 0


def test_who_sees_which_placement(cast, placements):
    """The UWV partner sees only the person assigned to them; a researcher sees the counts
    but no placement at all (no ``placements.view``); regional-pool consent opens an
    anonymous profile, not the case records."""
    uwv = behind(cast["uwv_actor"], "K4")
    assert (uwv.total, uwv.hidden) == (5, 4)
    assert [r.url for r in uwv.records] == [f"/plaatsingen/{placements['assigned'].uuid}/"]
    researcher = behind(cast["researcher"], "K4")
    assert (researcher.total, researcher.hidden, researcher.records) == (5, 5, [])
    labels = " ".join(r.label for r in behind(cast["rm_actor"], "K4").records)
    assert "Pool" not in labels and "Vreemd" not in labels and "Toegewezen" not in labels


def test_the_page_shows_the_records_and_counts_the_hidden(login_en, people, cast, placements):
    client = login_en(people["relatiemanager"])
    response = client.get("/sturing/kpi/K4/dossiers/", {"jaar": "2025"})
    assert response.status_code == 200
    page = text(response)
    assert (
        "5 records counted; 3 of them you may not open (not in your work, or without the "
        "candidates' consent)." in page
    )
    assert str(cast["good"]) in page and str(cast["far"]) in page
    for name in ("Sanne", "Vreemd", "Pieter", "Umut"):
        assert name not in page
    html = response.content.decode()
    for key in ("stranger", "pooled", "assigned"):
        assert str(placements[key].uuid) not in html
    # Every link opens the record for this user.
    for record in response.context["behind"].records:
        assert f'href="{record.url}"' in html
        assert client.get(record.url).status_code == 200, record.url
    # One municipality through the filter.
    response = client.get(
        "/sturing/kpi/K4/dossiers/", {"jaar": "2025", "gemeente": str(cast["wijchen"].uuid)}
    )
    assert "3 records counted; 3 of them you may not open" in text(response)
    assert "No records you may see." in text(response)


def test_reading_the_records_is_logged(login_en, people, cast, placements):
    """Each placement shown is in the access log with the user and why; the hidden ones
    are not (they were never read)."""
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    client = login_en(people["relatiemanager"])
    client.get("/sturing/kpi/K4/dossiers/", {"jaar": "2025"})
    entries = AccessLogEntry.objects.exclude(pk__in=before).filter(purpose="KPI K4: dossiers")
    assert sorted(entries.values_list("object_pk", flat=True)) == sorted(
        [str(placements["good"].pk), str(placements["far"].pk)]
    )
    assert {e.user_id for e in entries} == {people["relatiemanager"].pk}
    assert {e.action for e in entries} == {"view"}
    hidden = [str(placements[k].pk) for k in ("stranger", "pooled", "assigned")]
    assert not AccessLogEntry.objects.filter(
        purpose="KPI K4: dossiers", object_pk__in=hidden
    ).exists()


def test_the_list_is_capped(login_en, people, cast, placements, monkeypatch):
    monkeypatch.setattr(drilldown, "LIMIT", 1)
    found = behind(cast["rm_actor"], "K4")
    assert (found.total, found.hidden, found.more, len(found.records)) == (5, 3, 1, 1)
    assert found.records[0].on == D(2025, 3, 10)  # the oldest first
    page = text(
        login_en(people["relatiemanager"]).get("/sturing/kpi/K4/dossiers/", {"jaar": "2025"})
    )
    assert "And 1 more; choose a municipality, team or staff member to see fewer." in page


# --- K1: new employers ----------------------------------------------------------------------------


def test_the_first_contacts_behind_k1(cast, login_en, people):
    """K1 2025: the warehouse's first contact ever (a call on 3 February; its visit of 1 March
    is not new) and a bike shop's (7 October); the bakery's first contact was in 2024, so
    its call of 2025 does not count."""
    rm = cast["rm"]
    warehouse = cast["employer"]
    bakery = Employer.objects.create(
        region=cast["region"], name="Bakkerij Van Dijk", municipality=cast["nijmegen"], owner=rm
    )
    bikes = Employer.objects.create(
        region=cast["region"], name="Fietsenmaker Hendriks", municipality=cast["nijmegen"], owner=rm
    )

    def contact(employer: Employer, on: dt.date, channel: str) -> ContactMoment:
        return ContactMoment.objects.create(
            employer=employer, date=on, channel=channel, recorded_by=rm
        )

    first = contact(warehouse, D(2025, 2, 3), Channel.PHONE)
    contact(warehouse, D(2025, 3, 1), Channel.VISIT_APPOINTMENT)
    contact(bakery, D(2024, 11, 20), Channel.PHONE)
    contact(bakery, D(2025, 1, 15), Channel.PHONE)
    new = contact(bikes, D(2025, 10, 7), Channel.EMAIL)

    found = behind(cast["rm_actor"], "K1")
    assert (found.total, found.hidden) == (2, 0)
    assert [(r.on, r.url) for r in found.records] == [
        (first.date, f"/werkgevers/{warehouse.uuid}/"),
        (new.date, f"/werkgevers/{bikes.uuid}/"),
    ]
    assert found.records[0].label.startswith("Logistiek Centrum Wijchen: ")
    assert found.records[0].label.endswith(" op 03-02-2025")
    assert found.records[1].label.startswith("Fietsenmaker Hendriks: ")
    assert behind(cast["rm_actor"], "K1", MUNICIPALITY, cast["nijmegen"].pk).total == 1
    assert refreshed_total(cast["region"], "K1", D(2025, 2, 1)) == (1, 1)
    # The links open; a contact is no personal record, so nothing is logged.
    client = login_en(people["relatiemanager"])
    response = client.get("/sturing/kpi/K1/dossiers/", {"jaar": "2025"})
    assert "2 records counted." in text(response)
    for record in found.records:
        assert client.get(record.url).status_code == 200
    assert not AccessLogEntry.objects.filter(purpose="KPI K1: dossiers").exists()


# --- D1-6: still working after six months ---------------------------------------------------------


def test_the_placements_behind_d1_6_say_yes_or_no(cast, login_en, people):
    """Counted in the month the six months are over: good's job of 2 September 2024 still
    runs on 2 March 2025 (ja); far's ended on 31 December 2024 (nee); cashier's ended on
    31 January 2025 but a check-in on 10 May says they still work (ja); stranger's runs
    (ja, hidden). A job of August 2025 is only judged in 2026."""
    region, rm, employer = cast["region"], cast["rm"], cast["employer"]
    place(region, cast["good"], employer, rm, start_on=D(2024, 9, 2))
    place(region, cast["far"], employer, rm, start_on=D(2024, 10, 1), ended_on=D(2024, 12, 31))
    cashier = place(
        region, cast["cashier"], employer, rm, start_on=D(2024, 11, 4), ended_on=D(2025, 1, 31)
    )
    AftercareCheck.objects.create(
        placement=cashier,
        kind="m6",
        due_on=D(2025, 5, 4),
        done_on=D(2025, 5, 10),
        still_working=True,
    )
    place(region, cast["stranger"], employer, rm, start_on=D(2024, 12, 2))
    place(region, cast["pooled"], employer, rm, start_on=D(2025, 8, 4))

    found = behind(cast["rm_actor"], "D1-6")
    assert (found.total, found.hidden) == (4, 1)
    assert [(r.on, r.value) for r in found.records] == [
        (D(2025, 3, 2), "ja"),
        (D(2025, 4, 1), "nee"),
        (D(2025, 5, 4), "ja"),
    ]
    services.refresh(region_id=region.pk, today=TODAY)
    stored = KpiValue.objects.filter(
        region=region, kpi="D1-6", dimension=REGION, part="", period_start__year=2025
    )
    assert sum(v.denominator for v in stored) == found.total
    assert sum(v.numerator for v in stored) == 3  # 3 of 4 = 75 %
    response = login_en(people["relatiemanager"]).get(
        "/sturing/kpi/D1-6/dossiers/", {"jaar": "2025"}
    )
    html = response.content.decode()
    assert "Counts as" in html
    assert "4 records counted; 1 of them you may not open" in text(response)


# --- C2: candidates in service, a stock -----------------------------------------------------------


def test_the_episodes_behind_c2_are_those_running_on_the_last_day(cast, login_en, people):
    """C2 is taken on 31 December 2025: good's episode (since May 2024, open) and cashier's
    (February 2025 to January 2026) run then; far's ended in June; stranger's runs but is
    hidden; pooled's starts in 2026. On 15 June 2026 (this year, so far): good's, stranger's
    and pooled's."""
    made = {
        "good": ServiceEpisode.objects.create(candidate=cast["good"], start=D(2024, 5, 1)),
        "far": ServiceEpisode.objects.create(
            candidate=cast["far"], start=D(2025, 1, 10), end=D(2025, 6, 30)
        ),
        "cashier": ServiceEpisode.objects.create(
            candidate=cast["cashier"], start=D(2025, 2, 1), end=D(2026, 1, 15)
        ),
        "stranger": ServiceEpisode.objects.create(candidate=cast["stranger"], start=D(2025, 3, 1)),
        "pooled": ServiceEpisode.objects.create(candidate=cast["pooled"], start=D(2026, 1, 5)),
    }
    found = behind(cast["rm_actor"], "C2")
    assert (found.total, found.hidden) == (3, 1)
    good, cashier = cast["good"], cast["cashier"]
    assert [(r.on, r.label, r.url) for r in found.records] == [
        (D(2024, 5, 1), f"{good}, in dienst vanaf 01-05-2024", f"/kandidaten/{good.uuid}/"),
        (
            D(2025, 2, 1),
            f"{cashier}, in dienst vanaf 01-02-2025 tot 15-01-2026",
            f"/kandidaten/{cashier.uuid}/",
        ),
    ]
    assert refreshed_total(cast["region"], "C2", D(2025, 12, 1)) == (3, 3)
    now = behind(cast["rm_actor"], "C2", period=(D(2026, 1, 1), D(2026, 7, 1)))
    assert (now.total, now.hidden) == (3, 2)
    assert [r.label for r in now.records] == [f"{good}, in dienst vanaf 01-05-2024"]
    # The episodes read are logged, per episode.
    client = login_en(people["relatiemanager"])
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    response = client.get("/sturing/kpi/C2/dossiers/", {"jaar": "2025"})
    assert "Counted on 31-12-2025" in text(response)
    logged = AccessLogEntry.objects.exclude(pk__in=before).filter(purpose="KPI C2: dossiers")
    assert sorted(logged.values_list("object_pk", flat=True)) == sorted(
        [str(made["good"].pk), str(made["cashier"].pk)]
    )
    for record in response.context["behind"].records:
        assert client.get(record.url).status_code == 200


def test_a_cell_without_records(cast):
    found = behind(cast["rm_actor"], "K4", MUNICIPALITY, cast["wijchen"].pk)
    assert (found.total, found.hidden, found.more, found.records) == (0, 0, 0, [])


def test_the_records_page_for_today_is_up_to_today(login_en, people, cast):
    """The current year's page says up to which day it counted."""
    response = login_en(people["relatiemanager"]).get("/sturing/kpi/K4/dossiers/")
    assert response.status_code == 200
    today = timezone.localdate()
    assert f"Counted in {today.year}, up to {today:%d-%m-%Y}" in text(response)
