"""``monitoring.services.refresh`` over a small region built by hand: the ``KpiValue`` rows it
writes are exact (region and municipality; numerators and denominators), a second refresh
replaces them, another region's records never count, and each refresh is recorded.

The region (``world``): Nijmegen and Wijchen; the warehouse in Wijchen (owner ``rm``) and a
bakery in Nijmegen; candidates ``good`` and ``far`` live in Nijmegen, ``cashier`` is moved to
Wijchen. A placement counts in the candidate's municipality, an opportunity or contact in the
employer's. Another region (Zaanstad) gets the same kind of records in the same months."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from candidates_support import make_candidate
from matching_support import make_opportunity
from werkbrug.employers.models import Channel, ContactMoment, Employer, OpportunityStatus
from werkbrug.meetings.models import Invitation, Meeting, MeetingStatus, Response
from werkbrug.monitoring import kpis, services
from werkbrug.monitoring.models import KpiRefresh, KpiValue
from werkbrug.placements.models import (
    Contract,
    GrantKind,
    GrantStatus,
    InstrumentGrant,
    LoonwaardeAssessment,
    Placement,
    PlacementKind,
    PlacementStatus,
)

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 6, 15)
REGION, MUNICIPALITY = kpis.Dimension.REGION, kpis.Dimension.MUNICIPALITY
NOV25, FEB, MAR, APR, MAY, JUN = (
    D(2025, 11, 1),
    D(2026, 2, 1),
    D(2026, 3, 1),
    D(2026, 4, 1),
    D(2026, 5, 1),
    D(2026, 6, 1),
)
Y2025, Y2026 = D(2025, 1, 1), D(2026, 1, 1)

_tokens = itertools.count(1)


def values(
    region: Any, code: str, dimension: str = REGION, version: int = 1
) -> dict[tuple[dt.date, int, str], tuple[Decimal, Decimal]]:
    """The stored rows of one KPI version in one dimension: {(period, member, part): (n, d)}."""
    return {
        (v.period_start, v.member, v.part): (v.numerator, v.denominator)
        for v in KpiValue.objects.filter(
            region=region, kpi=code, kpi_version=version, dimension=dimension
        )
    }


def contact(employer: Employer, on: dt.date, channel: str, by: Any) -> ContactMoment:
    return ContactMoment.objects.create(employer=employer, date=on, channel=channel, recorded_by=by)


def place(region: Any, candidate: Any, employer: Employer, owner: Any, **fields: Any) -> Placement:
    """A running regular job of 24 hours with a fixed-term contract, unless told otherwise."""
    values: dict[str, Any] = {
        "region": region,
        "candidate": candidate,
        "employer": employer,
        "kind": PlacementKind.REGULAR,
        "contract": Contract.FIXED,
        "job_title": "Orderpicker",
        "hours_per_week": Decimal(24),
        "wage_pct_of_wml": Decimal(100),
        "status": PlacementStatus.RUNNING,
        "owner": owner,
    }
    return Placement.objects.create(**(values | fields))


def held_meeting(region: Any, municipality: Any, on: dt.date, **fields: Any) -> Meeting:
    return Meeting.objects.create(
        region=region,
        municipality=municipality,
        title="Prettig gesprek",
        location="De kantine",
        starts_at=timezone.make_aware(dt.datetime(on.year, on.month, on.day, 10, 0)),
        status=fields.pop("status", MeetingStatus.HELD),
        **fields,
    )


def invite(meeting: Meeting, *, response: str, present: bool | None, **who: Any) -> Invitation:
    return Invitation.objects.create(
        meeting=meeting,
        token_hash=f"{next(_tokens):064d}",
        token_expires_at=meeting.starts_at,
        response=response,
        present=present,
        **who,
    )


@pytest.fixture
def other(regions: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """Zaanstad: an employer with two contacts (one visit), an opportunity filled in 35 days,
    a regular job with an LKS grant and a loonwaarde of 90, and a held meeting with one
    candidate who came: all in the months the own region uses, so counting them would show."""
    zaa = regions["other"]
    rm = people["other_region_rm"].staff
    zaanstad = zaa["municipalities"][0]
    employer = Employer.objects.create(
        region=zaa["region"], name="Verpakkerij Zaan", municipality=zaanstad, owner=rm
    )
    contact(employer, D(2026, 3, 5), Channel.VISIT_APPOINTMENT, rm)
    contact(employer, D(2026, 3, 6), Channel.PHONE, rm)
    make_opportunity(
        employer,
        opened_on=D(2026, 3, 5),
        filled_on=D(2026, 4, 9),
        status=OpportunityStatus.FILLED,
    )
    candidate = make_candidate(zaa)
    job = place(zaa["region"], candidate, employer, rm, start_on=D(2026, 4, 6))
    InstrumentGrant.objects.create(
        placement=job, kind=GrantKind.LKS, status=GrantStatus.GRANTED, decided_on=D(2026, 4, 10)
    )
    LoonwaardeAssessment.objects.create(
        placement=job, assessed_on=D(2026, 4, 6), pct=Decimal(90), method="Dariuz"
    )
    meeting = held_meeting(zaa["region"], zaanstad, D(2026, 5, 20))
    invite(meeting, candidate=candidate, response=Response.YES, present=True)
    return {"region": zaa["region"], "zaanstad": zaanstad, "employer": employer}


@pytest.fixture
def own(world: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The own region's records (see the module docstring); the arithmetic is in the tests."""
    place_ = world["place"]
    region = place_["region"]
    nijmegen, wijchen = place_["municipalities"]
    rm = world["rm"]
    warehouse = world["employer"]  # Wijchen
    assert warehouse.municipality_id == wijchen.pk
    bakery = Employer.objects.create(
        region=region, name="Bakkerij Van Dijk", municipality=nijmegen, owner=rm
    )
    good, far, cashier = world["good"], world["far"], world["cashier"]
    cashier.municipality = wijchen
    cashier.save()
    assert good.municipality_id == far.municipality_id == nijmegen.pk

    # Employer contacts: the warehouse a call and a visit in March 2026; the bakery four
    # contacts without a visit, the first in November 2025.
    contact(warehouse, D(2026, 3, 2), Channel.PHONE, rm)
    contact(warehouse, D(2026, 3, 10), Channel.VISIT_APPOINTMENT, rm)
    contact(bakery, D(2025, 11, 20), Channel.PHONE, rm)
    contact(bakery, D(2026, 1, 15), Channel.PHONE, rm)
    contact(bakery, D(2026, 2, 15), Channel.PHONE, rm)
    contact(bakery, D(2026, 4, 1), Channel.EMAIL, rm)

    # Opportunities: two of the warehouse opened in March, filled in April after 35 and 21
    # days; one of the bakery opened in April, still open.
    opportunity = world["opportunity"]
    opportunity.opened_on = D(2026, 3, 2)
    opportunity.filled_on = D(2026, 4, 6)  # 35 days
    opportunity.status = OpportunityStatus.FILLED
    opportunity.save()
    make_opportunity(
        warehouse,
        title="Inpakker",
        opened_on=D(2026, 3, 20),
        filled_on=D(2026, 4, 10),  # 21 days
        status=OpportunityStatus.FILLED,
    )
    make_opportunity(bakery, title="Bakkershulp", opened_on=D(2026, 4, 1))

    # Placements: a WEP (far) converted into a regular job of 38 h; a regular job of 24 h
    # (good); a secondment of 20 h (cashier, Wijchen).
    wep = place(
        region,
        far,
        warehouse,
        rm,
        kind=PlacementKind.WORK_EXPERIENCE,
        contract=Contract.NONE,
        hours_per_week=Decimal(32),
        wage_pct_of_wml=None,
        start_on=D(2026, 2, 2),
        ended_on=D(2026, 5, 3),
        status=PlacementStatus.CONVERTED,
    )
    job24 = place(region, good, warehouse, rm, start_on=D(2026, 4, 6), opportunity=opportunity)
    job38 = place(
        region,
        far,
        warehouse,
        rm,
        contract=Contract.PERMANENT,
        hours_per_week=Decimal(38),
        start_on=D(2026, 5, 4),
        preceded_by=wep,
    )
    secondment = place(
        region,
        cashier,
        warehouse,
        rm,
        kind=PlacementKind.SECONDMENT,
        contract=Contract.AGENCY,
        hours_per_week=Decimal(20),
        start_on=D(2026, 4, 20),
    )

    # Grants: two LKS decided in April (one forfaitair); a refused LKS, an LKS not yet
    # decided and a granted LKV do not count.
    InstrumentGrant.objects.create(
        placement=job24, kind=GrantKind.LKS, status=GrantStatus.GRANTED, decided_on=D(2026, 4, 10)
    )
    InstrumentGrant.objects.create(
        placement=secondment,
        kind=GrantKind.LKS_FORFAIT,
        status=GrantStatus.RUNNING,
        decided_on=D(2026, 4, 25),
    )
    InstrumentGrant.objects.create(
        placement=job38, kind=GrantKind.LKS, status=GrantStatus.REFUSED, decided_on=D(2026, 5, 12)
    )
    InstrumentGrant.objects.create(placement=job38, kind=GrantKind.LKS)  # requested
    InstrumentGrant.objects.create(
        placement=job24, kind=GrantKind.LKV, status=GrantStatus.GRANTED, decided_on=D(2026, 4, 10)
    )
    LoonwaardeAssessment.objects.create(
        placement=job24, assessed_on=D(2026, 4, 6), pct=Decimal(60), method="Dariuz"
    )
    LoonwaardeAssessment.objects.create(
        placement=secondment, assessed_on=D(2026, 4, 21), pct=Decimal(50), method="Dariuz"
    )

    # A held meeting in Wijchen on 20 May: good and cashier said yes, good came, cashier
    # did not; far said no; the host employer came. A cancelled meeting does not count.
    meeting = held_meeting(region, wijchen, D(2026, 5, 20))
    invite(meeting, candidate=good, response=Response.YES, present=True)
    invite(meeting, candidate=cashier, response=Response.YES, present=False)
    invite(meeting, candidate=far, response=Response.NO, present=None)
    invite(meeting, employer=warehouse, response=Response.YES, present=True)
    cancelled = held_meeting(region, wijchen, D(2026, 5, 27), status=MeetingStatus.CANCELLED)
    invite(cancelled, candidate=far, response=Response.YES, present=True)

    return {
        "region": region,
        "N": nijmegen.pk,
        "W": wijchen.pk,
        "team": place_["team"].pk,
        "rm": rm,
        "good": good,
        "warehouse": warehouse,
        "other": other,
    }


@pytest.fixture
def refreshed(own: dict[str, Any]) -> dict[str, Any]:
    services.refresh(region_id=own["region"].pk, today=TODAY)
    return own


def test_employer_kpis(refreshed):
    """K1 counts an employer in the month of its first contact ever; K8 (per year) is the
    share of employers with contact that had two contacts of which one visit; W1/W2 count
    opportunities opened/filled per month, W3 is the mean days to fill; K6 counts distinct
    employers per year (v1 activity, v2 a paid placement)."""
    region, n, w = refreshed["region"], refreshed["N"], refreshed["W"]
    # K1: the bakery first in November 2025 (Nijmegen), the warehouse in March 2026
    # (Wijchen); the warehouse's visit and the bakery's later calls are not new.
    assert values(region, "K1") == {(NOV25, 0, ""): (1, 1), (MAR, 0, ""): (1, 1)}
    assert values(region, "K1", MUNICIPALITY) == {(NOV25, n, ""): (1, 1), (MAR, w, ""): (1, 1)}
    # K8: 2025: the bakery, 1 call: 0 of 1. 2026: warehouse call + visit meets it, bakery
    # 3 contacts without a visit does not: 1 of 2 = 50 %.
    assert values(region, "K8") == {(Y2025, 0, ""): (0, 1), (Y2026, 0, ""): (1, 2)}
    assert values(region, "K8", MUNICIPALITY) == {
        (Y2025, n, ""): (0, 1),
        (Y2026, n, ""): (0, 1),
        (Y2026, w, ""): (1, 1),
    }
    assert set(
        KpiValue.objects.filter(region=region, kpi="K8").values_list("grain", flat=True)
    ) == {kpis.Grain.YEAR}
    # W1: March the two warehouse opportunities (Wijchen), April the bakery's (Nijmegen).
    assert values(region, "W1") == {(MAR, 0, ""): (2, 2), (APR, 0, ""): (1, 1)}
    assert values(region, "W1", MUNICIPALITY) == {(MAR, w, ""): (2, 2), (APR, n, ""): (1, 1)}
    # W2: both warehouse opportunities filled in April; W3: (35 + 21) / 2 = 28.0 days.
    assert values(region, "W2") == {(APR, 0, ""): (2, 2)}
    assert values(region, "W3") == {(APR, 0, ""): (56, 2)}
    assert values(region, "W3", MUNICIPALITY) == {(APR, w, ""): (56, 2)}
    assert kpis.value_of(kpis.get("W3", 1), kpis.Amount(Decimal(56), Decimal(2))) == 28
    # K6 v1: 2025 the bakery; 2026 the bakery and the warehouse. v2: 2026 the warehouse
    # (the only employer with paid placements).
    assert values(region, "K6", version=1) == {(Y2025, 0, ""): (1, 1), (Y2026, 0, ""): (2, 2)}
    assert values(region, "K6", version=2) == {(Y2026, 0, ""): (1, 1)}


def test_placement_kpis(refreshed):
    """K2 counts started regular jobs, K3 started WEPs, K4 started paid placements (not the
    WEP) with a part per kind, K5 those under 36 hours, P2 placements that continue another;
    all in the candidate's municipality and also per team and staff member."""
    region, n, w = refreshed["region"], refreshed["N"], refreshed["W"]
    # K2: the 24 h job in April, the 38 h job in May (both Nijmegen candidates).
    assert values(region, "K2") == {(APR, 0, ""): (1, 1), (MAY, 0, ""): (1, 1)}
    assert values(region, "K2", MUNICIPALITY) == {(APR, n, ""): (1, 1), (MAY, n, ""): (1, 1)}
    # K3: the WEP in February.
    assert values(region, "K3") == {(FEB, 0, ""): (1, 1)}
    assert values(region, "K3", MUNICIPALITY) == {(FEB, n, ""): (1, 1)}
    # K4: April the 24 h job (Nijmegen) and the secondment (Wijchen) = 2; May the 38 h job.
    assert values(region, "K4") == {
        (APR, 0, ""): (2, 2),
        (APR, 0, "regulier_werk"): (1, 1),
        (APR, 0, "detachering"): (1, 1),
        (MAY, 0, ""): (1, 1),
        (MAY, 0, "regulier_werk"): (1, 1),
    }
    assert values(region, "K4", MUNICIPALITY) == {
        (APR, n, ""): (1, 1),
        (APR, n, "regulier_werk"): (1, 1),
        (APR, w, ""): (1, 1),
        (APR, w, "detachering"): (1, 1),
        (MAY, n, ""): (1, 1),
        (MAY, n, "regulier_werk"): (1, 1),
    }
    team, staff = refreshed["team"], refreshed["rm"].pk
    assert values(region, "K4", kpis.Dimension.TEAM)[(APR, team, "")] == (2, 2)
    assert values(region, "K4", kpis.Dimension.STAFF)[(APR, staff, "")] == (2, 2)
    # K5: 24 h and 20 h in April; 38 h in May is full time.
    assert values(region, "K5") == {(APR, 0, ""): (2, 2)}
    assert values(region, "K5", MUNICIPALITY) == {(APR, n, ""): (1, 1), (APR, w, ""): (1, 1)}
    # P2: the 38 h job continues the WEP, in May.
    assert values(region, "P2") == {(MAY, 0, ""): (1, 1)}
    assert values(region, "P2", MUNICIPALITY) == {(MAY, n, ""): (1, 1)}


def test_instrument_kpis(refreshed):
    """L1 counts LKS decisions (granted, running; per grant), never a refused or undecided
    one nor another instrument; L2 is the mean loonwaarde."""
    region, n, w = refreshed["region"], refreshed["N"], refreshed["W"]
    # L1: LKS (Nijmegen) and forfaitaire LKS (Wijchen) in April; not the refused one in
    # May, the requested one, or the LKV.
    assert values(region, "L1") == {(APR, 0, ""): (2, 2)}
    assert values(region, "L1", MUNICIPALITY) == {(APR, n, ""): (1, 1), (APR, w, ""): (1, 1)}
    # L2: (60 + 50) / 2 = 55.0 in April; per municipality 60 and 50.
    assert values(region, "L2") == {(APR, 0, ""): (110, 2)}
    assert values(region, "L2", MUNICIPALITY) == {(APR, n, ""): (60, 1), (APR, w, ""): (50, 1)}
    assert kpis.value_of(kpis.get("L2", 1), kpis.Amount(Decimal(110), Decimal(2))) == 55


def test_meeting_kpis(refreshed):
    """M1 counts held meetings (in the meeting's municipality); M2 is the share of the
    candidates who said yes that were present (in the candidate's municipality); the
    cancelled meeting, the candidate who said no and the employer do not count."""
    region, n, w = refreshed["region"], refreshed["N"], refreshed["W"]
    assert values(region, "M1") == {(MAY, 0, ""): (1, 1)}
    assert values(region, "M1", MUNICIPALITY) == {(MAY, w, ""): (1, 1)}
    # M2: good (Nijmegen) came, cashier (Wijchen) did not: 1 of 2 = 50 %.
    assert values(region, "M2") == {(MAY, 0, ""): (1, 2)}
    assert values(region, "M2", MUNICIPALITY) == {(MAY, n, ""): (1, 1), (MAY, w, ""): (0, 1)}


def test_a_second_refresh_replaces_the_values(refreshed):
    """Refreshing again rebuilds the region's rows: the same number when nothing changed,
    and a new regular job in April raises K2 April to 2 in one row, not a second row."""
    region = refreshed["region"]
    before = KpiValue.objects.filter(region=region).count()
    assert before > 0
    again = services.refresh(region_id=region.pk, today=TODAY)
    assert KpiValue.objects.filter(region=region).count() == before == again.values
    place(
        region,
        refreshed["good"],
        refreshed["warehouse"],
        refreshed["rm"],
        hours_per_week=Decimal(40),
        start_on=D(2026, 4, 28),
    )
    services.refresh(region_id=region.pk, today=TODAY)
    assert values(region, "K2") == {(APR, 0, ""): (2, 2), (MAY, 0, ""): (1, 1)}
    assert KpiValue.objects.filter(region=region, kpi="K2", dimension=REGION).count() == 2


def test_another_regions_records_never_count(own):
    """The other region's contacts, opportunities, placements, grants and meeting (same
    months) are in its own rows only; refreshing one region leaves the other's rows alone."""
    zaa = own["other"]
    services.refresh(region_id=zaa["region"].pk, today=TODAY)
    theirs = KpiValue.objects.filter(region=zaa["region"]).count()
    assert values(zaa["region"], "K2") == {(APR, 0, ""): (1, 1)}
    assert values(zaa["region"], "W3", MUNICIPALITY) == {(APR, zaa["zaanstad"].pk, ""): (35, 1)}

    services.refresh(region_id=own["region"].pk, today=TODAY)
    assert KpiValue.objects.filter(region=zaa["region"]).count() == theirs
    mine = KpiValue.objects.filter(region=own["region"], dimension=MUNICIPALITY)
    assert set(mine.values_list("member", flat=True)) <= {own["N"], own["W"]}
    assert values(own["region"], "K1") == {(NOV25, 0, ""): (1, 1), (MAR, 0, ""): (1, 1)}
    assert values(own["region"], "L2") == {(APR, 0, ""): (110, 2)}
    assert values(own["region"], "M2") == {(MAY, 0, ""): (1, 2)}


def test_a_refresh_is_recorded(own):
    """Each refresh writes one ``KpiRefresh`` row per region with the facts read and the
    values written; a second refresh updates that row."""
    region = own["region"]
    assert not KpiRefresh.objects.filter(region=region).exists()
    result = services.refresh(region_id=region.pk, today=TODAY)
    record = KpiRefresh.objects.get(region=region)
    assert record.values == result.values == KpiValue.objects.filter(region=region).count()
    assert record.facts == result.facts > 0
    assert record.seconds >= 0 and record.refreshed_at is not None
    first_at = record.refreshed_at
    services.refresh(region_id=region.pk, today=TODAY)
    assert KpiRefresh.objects.filter(region=region).count() == 1
    assert KpiRefresh.objects.get(region=region).refreshed_at >= first_at


def test_a_contract_that_starts_later_this_month_does_not_count_yet(own):
    """K2 (Werktop): "contracten die nog moeten ingaan, tellen pas bij de start". A regular
    job starting on 22 June is not yet in June's K2 on 15 June."""
    region = own["region"]
    place(region, own["good"], own["warehouse"], own["rm"], start_on=D(2026, 6, 22))
    services.refresh(region_id=region.pk, today=TODAY)
    assert (JUN, 0, "") not in values(region, "K2")


def test_a_wep_continued_as_another_wep_is_no_conversion_to_a_contract(own):
    """P2 counts WEPs and trial placements turned into an employment contract: a WEP that
    continues as another WEP (no contract) is not one."""
    region = own["region"]
    wep = dict(kind=PlacementKind.WORK_EXPERIENCE, contract=Contract.NONE, wage_pct_of_wml=None)
    first = place(
        region,
        own["good"],
        own["warehouse"],
        own["rm"],
        start_on=D(2026, 1, 5),
        ended_on=D(2026, 5, 31),
        **wep,
    )
    place(
        region,
        own["good"],
        own["warehouse"],
        own["rm"],
        start_on=D(2026, 6, 1),
        preceded_by=first,
        **wep,
    )
    # Only May's conversion of far's WEP into the 38 h job counts, not June's continuation.
    services.refresh(region_id=region.pk, today=TODAY)
    assert values(region, "P2") == {(MAY, 0, ""): (1, 1)}


def test_a_contract_recorded_before_its_start_is_pending_until_then(own):
    """K2P (Werktop shows contracts still to begin apart from the outflow): recorded on
    1 June, starting on 22 June, it is pending on 15 June (June's stock, taken today) and
    was not yet recorded on the last day of May."""
    region = own["region"]
    placement = place(region, own["good"], own["warehouse"], own["rm"], start_on=D(2026, 6, 22))
    Placement.objects.filter(pk=placement.pk).update(
        created_at=dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC)
    )
    services.refresh(region_id=region.pk, today=TODAY)
    pending = values(region, "K2P")
    assert pending[(JUN, 0, "")] == (1, 1)
    assert (D(2026, 5, 1), 0, "") not in pending
