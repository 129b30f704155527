"""KPI definitions in one place, and how facts become values (pure: no Django).

Every indicator the dashboards, targets and council reports show is a ``Kpi`` in
``DEFINITIONS``: a code, a version with the dates it holds, a Dutch name and definition, its
unit, the source it follows, and how it is measured from **facts**. A fact is one recorded
thing at one day in one cell (municipality, team, staff member): a contact moment, a started
placement, a question answered after 30 hours. The database layer (``monitoring.facts``) turns
records into facts per *stream*; this module only counts.

How a KPI is measured (``Kind``):

- ``COUNT``: the facts in the period (or their distinct ``key``: unique employers);
- ``SHARE``: the facts with ``value`` 1 among all facts in the period, in percent (the
  attendance at meetings, placements still working after 6 months);
- ``MEAN``: the average ``value`` of the facts in the period (days to fill, loonwaarde);
- ``STOCK``: the facts running at the end of the period (``on`` ≤ end < ``until``): candidates
  in service on the last day. With ``older_than_days`` it is a share: of those, how many had
  been running longer (in service more than two years).

Values are stored as a numerator and a denominator, so months add up to quarters and years
(a share of a year is the sum of hits over the sum of cases, never an average of monthly
percentages). ``STOCK`` takes the last month of a longer period. ``Grain.YEAR`` KPIs (unique
relations, the contact norm) are only meaningful per calendar year and are never summed.

Definitions change: WerkBedrijf redefined "unique employer relation" in 2020. Both versions
stay computable for any period (``for_code`` lists them); ``current(code, on)`` picks the one
valid on a day, and a period that straddles a change is a *trend break*.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


class Kind(StrEnum):
    COUNT = "aantal"
    SHARE = "aandeel"
    MEAN = "gemiddelde"
    STOCK = "stand"


class Grain(StrEnum):
    MONTH = "maand"
    YEAR = "jaar"


class Dimension(StrEnum):
    REGION = "regio"
    MUNICIPALITY = "gemeente"
    TEAM = "team"
    STAFF = "medewerker"


@dataclass(frozen=True)
class Fact:
    """One recorded thing that counts for a KPI."""

    source: str  # what the drill-down opens: "placement", "contact", "opportunity", ...
    ref: int  # the record's id
    on: dt.date  # the day it counts (a STOCK fact: the day it began)
    municipality: int | None = None
    team: int | None = None
    staff: int | None = None
    key: int | None = None  # what a distinct count counts (an employer, a candidate)
    value: Decimal | None = None  # MEAN: the amount; SHARE: 1 (hit) or 0
    until: dt.date | None = None  # STOCK: the day it ended (exclusive); None: still running
    tags: frozenset[str] = frozenset()

    def member(self, dimension: Dimension) -> int | None:
        """The cell of this fact in ``dimension`` (the region is one cell, 0)."""
        return {
            Dimension.REGION: 0,
            Dimension.MUNICIPALITY: self.municipality,
            Dimension.TEAM: self.team,
            Dimension.STAFF: self.staff,
        }[dimension]


@dataclass(frozen=True)
class Kpi:
    code: str
    version: int
    name_nl: str
    definition_nl: str
    source_nl: str  # the document and section the definition follows
    stream: str  # the facts it reads (monitoring.facts.STREAMS)
    kind: Kind
    unit: str  # "aantal", "%", "dagen", "uren"
    grain: Grain = Grain.MONTH
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None  # exclusive
    tags_all: frozenset[str] = frozenset()  # a fact counts only with all of these tags
    tags_none: frozenset[str] = frozenset()  # ... and none of these
    distinct: bool = False  # COUNT: distinct keys instead of facts
    older_than_days: int | None = None  # STOCK: the share running longer than this
    breakdown: str = ""  # a tag prefix ("soort:") to split the value by
    higher_is_better: bool = True
    #: Groups on the dashboard: werkgevers, kandidaten, bijeenkomsten, plaatsingen, duurzaamheid.
    theme: str = ""

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def counts(self, fact: Fact) -> bool:
        return self.tags_all <= fact.tags and not (self.tags_none & fact.tags)


@dataclass(frozen=True)
class Amount:
    """A KPI's value before division. For a count both are the number of facts (the
    denominator says how many cases there were, also for a share or mean)."""

    numerator: Decimal = ZERO
    denominator: Decimal = ZERO

    def __add__(self, other: Amount) -> Amount:
        return Amount(self.numerator + other.numerator, self.denominator + other.denominator)


def value_of(kpi: Kpi, amount: Amount) -> Decimal | None:
    """The number people read: a count, a percentage (one decimal) or a mean (one decimal);
    None when there is nothing to divide by."""
    if kpi.kind == Kind.COUNT or (kpi.kind == Kind.STOCK and kpi.older_than_days is None):
        return amount.numerator
    if amount.denominator == 0:
        return None
    ratio = amount.numerator / amount.denominator
    if kpi.kind == Kind.MEAN:
        return ratio.quantize(TENTH, ROUND_HALF_UP)
    return (ratio * HUNDRED).quantize(TENTH, ROUND_HALF_UP)


# --- Periods -----------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from ``start``'s month up to (not including) ``end``."""
    out, month = [], month_start(start)
    while month < end:
        out.append(month)
        month = next_month(month)
    return out


def a_year_before(day: dt.date) -> dt.date:
    """The same day a year earlier; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def a_year_before_end(end: dt.date) -> dt.date:
    """The exclusive end of the same period a year earlier: the last day moved back a year,
    plus one (a period up to 28-02-2024, ending on 29-02, ends on 01-03-2023)."""
    return a_year_before(end - dt.timedelta(days=1)) + dt.timedelta(days=1)


def period_of(kpi: Kpi, day: dt.date) -> dt.date:
    """The first day of the period ``day`` falls in, at the KPI's grain."""
    return dt.date(day.year, 1, 1) if kpi.grain == Grain.YEAR else month_start(day)


def period_end(kpi: Kpi, start: dt.date) -> dt.date:
    """The exclusive end of the period starting on ``start``."""
    return dt.date(start.year + 1, 1, 1) if kpi.grain == Grain.YEAR else next_month(start)


# --- Measuring ---------------------------------------------------------------------------------

#: (period start, member, part): the amount. ``part`` is "" for the whole, else the breakdown.
Table = dict[tuple[dt.date, int, str], Amount]


def _parts(kpi: Kpi, fact: Fact) -> list[str]:
    parts = [""]
    if kpi.breakdown:
        parts += sorted(t[len(kpi.breakdown) :] for t in fact.tags if t.startswith(kpi.breakdown))
    return parts


class Measurer:
    """Counts one KPI over facts given one at a time, in every dimension at once, for the
    periods that begin in [``start``, ``end``); so one pass over a large stream serves all
    the KPIs that read it. Facts without a member in a dimension (no team) are left out of
    that dimension only."""

    def __init__(self, kpi: Kpi, *, start: dt.date, end: dt.date) -> None:
        # Whole periods: a year-grain KPI measured from June still counts from 1 January.
        start = period_of(kpi, start)
        self.kpi, self.start, self.end = kpi, start, end
        self.tables: dict[Dimension, Table] = {d: defaultdict(Amount) for d in Dimension}
        self._seen: dict[tuple[Dimension, dt.date, int, str], set[int]] = defaultdict(set)
        periods = sorted({period_of(kpi, month) for month in months(start, end)})
        # A stock is taken on a period's last day, or on the last day measured (today) when
        # the period has not ended yet.
        last_day = end - dt.timedelta(days=1)
        self._last_days = [
            (p, min(period_end(kpi, p) - dt.timedelta(days=1), last_day)) for p in periods
        ]
        self._last_dates = [last for _p, last in self._last_days]

    def add(self, fact: Fact) -> None:
        kpi = self.kpi
        if not kpi.counts(fact):
            return
        if kpi.kind == Kind.STOCK:
            self._add_stock(fact)
            return
        if not self.start <= fact.on < self.end:
            return
        if kpi.kind != Kind.COUNT and fact.value is None:
            return
        period = period_of(kpi, fact.on)
        parts = _parts(kpi, fact)
        for dimension, table in self.tables.items():
            member = fact.member(dimension)
            if member is None:
                continue
            for part in parts:
                cell = (period, member, part)
                if kpi.kind == Kind.COUNT:
                    if kpi.distinct:
                        seen = self._seen[(dimension, *cell)]
                        if fact.key is None or fact.key in seen:
                            continue
                        seen.add(fact.key)
                    table[cell] += Amount(ONE, ONE)
                else:
                    table[cell] += Amount(fact.value or ZERO, ONE)

    def _add_stock(self, fact: Fact) -> None:
        """Counted in each period it runs on the last day of (a month's, a year's)."""
        kpi = self.kpi
        parts = _parts(kpi, fact)
        # Only the periods whose last day falls in [on, until): found by bisection, so a long
        # history costs per fact the periods it runs, not all of them.
        first = bisect_left(self._last_dates, fact.on)
        stop = (
            len(self._last_dates)
            if fact.until is None
            else bisect_left(self._last_dates, fact.until)
        )
        for period, last in self._last_days[first:stop]:
            hit = (
                ONE
                if kpi.older_than_days is None or (last - fact.on).days > kpi.older_than_days
                else ZERO
            )
            for dimension, table in self.tables.items():
                member = fact.member(dimension)
                if member is None:
                    continue
                for part in parts:
                    table[(period, member, part)] += Amount(hit, ONE)

    def table(self, dimension: Dimension) -> Table:
        return dict(self.tables[dimension])


def measure(
    kpi: Kpi,
    facts: Iterable[Fact],
    dimension: Dimension,
    *,
    start: dt.date,
    end: dt.date,
) -> Table:
    """The KPI per period (at its grain) and member of ``dimension``, for the periods that
    begin in [``start``, ``end``)."""
    measurer = Measurer(kpi, start=start, end=end)
    for fact in facts:
        measurer.add(fact)
    return measurer.table(dimension)


def total(
    kpi: Kpi, amounts: Sequence[tuple[dt.date, Amount]], *, last: dt.date | None = None
) -> Amount:
    """Months (or years) together: summed, except a STOCK, which is its last period: ``last``
    when given (no value stored for it means a stock of zero), else the latest one given."""
    if kpi.kind == Kind.STOCK:
        if last is not None:
            return next((amount for period, amount in amounts if period == last), Amount())
        return max(amounts, key=lambda pair: pair[0])[1] if amounts else Amount()
    if not amounts:
        return Amount()
    out = Amount()
    for _period, amount in amounts:
        out += amount
    return out


# --- Derived facts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """An employer the region has a relation with, since its first contact, and its cell."""

    since: dt.date
    municipality: int | None = None
    team: int | None = None
    staff: int | None = None


def contact_norm_facts(
    contacts: Iterable[Fact],
    *,
    min_contacts: int,
    min_visits: int,
    years: Iterable[int] | None = None,
    relations: Mapping[int, Relation] | None = None,
    until_year: int | None = None,
) -> list[Fact]:
    """K8: per employer (``key``) and year one fact, value 1 when the employer had at least
    ``min_contacts`` contacts of which ``min_visits`` visits (tag ``bezoek``) that year.
    The employer's cell is that of its latest contact in the year. It streams: per employer
    and year it keeps two counts and the latest contact, not every contact.

    With ``relations`` every relation counts in each year from its first contact up to
    ``until_year``, also a year without any contact (value 0: the most overdue), in the
    relation's own cell; contacts of employers that are no relation are left out."""
    wanted = set(years) if years is not None else None
    per: dict[tuple[int, int], tuple[int, int, Fact]] = {}
    for fact in contacts:
        if fact.key is None or (wanted is not None and fact.on.year not in wanted):
            continue
        cell = (fact.key, fact.on.year)
        visit = 1 if "bezoek" in fact.tags else 0
        count, visits, latest = per.get(cell, (0, 0, fact))
        if (fact.on, fact.ref) > (latest.on, latest.ref):
            latest = fact
        per[cell] = (count + 1, visits + visit, latest)
    out = []
    if relations is not None:
        last_year = (
            until_year
            if until_year is not None
            else max((year for _employer, year in per), default=0)
        )
        for employer, relation in sorted(relations.items()):
            for year in range(relation.since.year, last_year + 1):
                if wanted is not None and year not in wanted:
                    continue
                count, visits, _latest = per.get((employer, year), (0, 0, None))
                met = count >= min_contacts and visits >= min_visits
                out.append(
                    Fact(
                        source="employer",
                        ref=employer,
                        on=dt.date(year, 1, 1),
                        municipality=relation.municipality,
                        team=relation.team,
                        staff=relation.staff,
                        key=employer,
                        value=ONE if met else ZERO,
                    )
                )
        return out
    for (employer, year), (count, visits, latest) in sorted(per.items(), key=lambda kv: kv[0]):
        met = count >= min_contacts and visits >= min_visits
        out.append(
            Fact(
                source="employer",
                ref=employer,
                on=dt.date(year, 1, 1),
                municipality=latest.municipality,
                team=latest.team,
                staff=latest.staff,
                key=employer,
                value=ONE if met else ZERO,
            )
        )
    return out


def first_facts(facts: Iterable[Fact]) -> list[Fact]:
    """K1: per ``key`` only its earliest fact (the first contact ever with an employer)."""
    first: dict[int, Fact] = {}
    for fact in facts:
        if fact.key is None:
            continue
        seen = first.get(fact.key)
        if seen is None or (fact.on, fact.ref) < (seen.on, seen.ref):
            first[fact.key] = fact
    return sorted(first.values(), key=lambda f: (f.on, f.ref))


# --- The definitions ---------------------------------------------------------------------------

WT = "Evaluatie Werktop (2014)"
WB = "Evaluatie WerkBedrijf Rijk van Nijmegen (2021)"
HZ = "Hanze, werkgeversdienstverlening"
CHANGE_2020 = dt.date(2020, 1, 1)


def _k(**kwargs: object) -> Kpi:
    return Kpi(**kwargs)  # type: ignore[arg-type]


DEFINITIONS: tuple[Kpi, ...] = (
    # --- Employers
    _k(
        code="K1",
        version=1,
        name_nl="Nieuwe werkgeverscontacten",
        definition_nl="Werkgevers met wie het eerste contact ooit in de periode valt; met wie al "
        "eerder contact was, telt niet (onderhoudsbezoeken tellen nooit).",
        source_nl=f"{WT}, §1.3 en §4.2",
        stream="first_contact",
        kind=Kind.COUNT,
        unit="aantal",
        theme="werkgevers",
    ),
    _k(
        code="K8",
        version=1,
        name_nl="Contactnorm gehaald",
        definition_nl="Aandeel van de werkgeversrelaties (werkgevers met wie ooit contact was) "
        "dat in het jaar ten minste twee contacten had, waarvan ten minste één bezoek (de norm "
        "van de regio); een relatie zonder enig contact in het jaar telt mee als niet gehaald.",
        source_nl=f"{WB}, §3.1.2",
        stream="contact_norm",
        kind=Kind.SHARE,
        unit="%",
        grain=Grain.YEAR,
        theme="werkgevers",
    ),
    _k(
        code="K6",
        version=1,
        name_nl="Unieke werkgeversrelaties",
        definition_nl="Verschillende werkgevers met een contact, een werkgelegenheid of een "
        "plaatsing in het jaar (de bron definieert dit niet; keuze van Werkbrug).",
        source_nl=f"{WB}, §4.2.1 (vóór 2020)",
        stream="employer_activity",
        kind=Kind.COUNT,
        unit="aantal",
        grain=Grain.YEAR,
        valid_to=CHANGE_2020,
        distinct=True,
        theme="werkgevers",
    ),
    _k(
        code="K6",
        version=2,
        name_nl="Unieke werkgeversrelaties",
        definition_nl="Verschillende werkgevers waar in het jaar ten minste één kandidaat is "
        "geplaatst (betaald werk).",
        source_nl=f"{WB}, §4.2.1 (vanaf 2020)",
        stream="employer_placement",
        kind=Kind.COUNT,
        unit="aantal",
        grain=Grain.YEAR,
        valid_from=CHANGE_2020,
        distinct=True,
        theme="werkgevers",
    ),
    _k(
        code="W1",
        version=1,
        name_nl="Werk geopend",
        definition_nl="Werkgelegenheden (vacatures en werk dat nog geen vacature was) die in de "
        "periode zijn geopend.",
        source_nl=f"{WT}, §1.3",
        stream="opportunity_opened",
        kind=Kind.COUNT,
        unit="aantal",
        theme="werkgevers",
    ),
    _k(
        code="W2",
        version=1,
        name_nl="Werk vervuld",
        definition_nl="Werkgelegenheden die in de periode zijn vervuld.",
        source_nl=f"{WT}, §1.3",
        stream="opportunity_filled",
        kind=Kind.COUNT,
        unit="aantal",
        theme="werkgevers",
    ),
    _k(
        code="W3",
        version=1,
        name_nl="Doorlooptijd tot vervulling",
        definition_nl="Gemiddeld aantal dagen van openen tot vervullen, van het werk dat in de "
        "periode is vervuld (ongeveer vijf weken geldt als aanvaardbaar).",
        source_nl=f"{HZ}, §3.1.5",
        stream="opportunity_filled",
        kind=Kind.MEAN,
        unit="dagen",
        higher_is_better=False,
        theme="werkgevers",
    ),
    _k(
        code="V1",
        version=1,
        name_nl="Reactietijd op vragen van werkgevers",
        definition_nl="Gemiddeld aantal uren van ontvangst tot antwoord, van de vragen die in de "
        "periode zijn beantwoord.",
        source_nl=f"{WB}, §3.1.2",
        stream="question_answered",
        kind=Kind.MEAN,
        unit="uren",
        higher_is_better=False,
        theme="werkgevers",
    ),
    # --- Candidates
    _k(
        code="C1",
        version=1,
        name_nl="Kandidaten overgedragen",
        definition_nl="Overdrachten van een kandidaat naar een consulent in de periode.",
        source_nl=f"{WB}, §3.1.1",
        stream="handover",
        kind=Kind.COUNT,
        unit="aantal",
        theme="kandidaten",
    ),
    _k(
        code="C2",
        version=1,
        name_nl="Kandidaten in dienstverlening",
        definition_nl="Kandidaten met een lopende periode in dienstverlening op de laatste dag "
        "van de periode (een raming in de begroting, geen harde doelstelling).",
        source_nl=f"{WB}, §2.4.2",
        stream="episode",
        kind=Kind.STOCK,
        unit="aantal",
        theme="kandidaten",
    ),
    _k(
        code="C3",
        version=1,
        name_nl="Duur van de dienstverlening",
        definition_nl="Gemiddeld aantal dagen van aanmelding tot einde, van de perioden in "
        "dienstverlening die in de periode eindigden.",
        source_nl=f"{WB}, §2.4.2 en §6.2.3",
        stream="episode_ended",
        kind=Kind.MEAN,
        unit="dagen",
        higher_is_better=False,
        theme="kandidaten",
    ),
    _k(
        code="C4",
        version=1,
        name_nl="Langer dan twee jaar in dienstverlening",
        definition_nl="Aandeel van de kandidaten in dienstverlening op de laatste dag van de "
        "periode dat er al langer dan twee jaar in zit (35 % in 2020).",
        source_nl=f"{WB}, §6.2.3",
        stream="episode",
        kind=Kind.STOCK,
        unit="%",
        older_than_days=730,
        higher_is_better=False,
        theme="kandidaten",
    ),
    _k(
        code="R1",
        version=1,
        name_nl="Terugmeldingen",
        definition_nl="Terugmeldingen aan de gemeente in de periode, per reden.",
        source_nl=f"{WB}, §4.2.1",
        stream="return",
        kind=Kind.COUNT,
        unit="aantal",
        breakdown="reden:",
        higher_is_better=False,
        theme="kandidaten",
    ),
    # --- Meetings
    _k(
        code="M1",
        version=1,
        name_nl="Prettige gesprekken gehouden",
        definition_nl="Bijeenkomsten die in de periode zijn gehouden.",
        source_nl=f"{WT}, §7.1",
        stream="meeting_held",
        kind=Kind.COUNT,
        unit="aantal",
        theme="bijeenkomsten",
    ),
    _k(
        code="M2",
        version=1,
        name_nl="Opkomst van kandidaten",
        definition_nl="Aandeel van de kandidaten die hadden toegezegd en op de gehouden "
        "bijeenkomst aanwezig waren.",
        source_nl=f"{WT}, §7.1",
        stream="meeting_attendance",
        kind=Kind.SHARE,
        unit="%",
        theme="bijeenkomsten",
    ),
    _k(
        code="M3",
        version=1,
        name_nl="Vervolgafspraken uit gesprekken",
        definition_nl="Gesprekken op een bijeenkomst met een klik en een vervolgafspraak "
        "(kennismaking, proefplaats, werkervaringsplaats, sollicitatie of baanaanbod).",
        source_nl=f"{WT}, §7.1",
        stream="meeting_follow_up",
        kind=Kind.COUNT,
        unit="aantal",
        theme="bijeenkomsten",
    ),
    # --- Placements
    _k(
        code="K2",
        version=1,
        name_nl="Uitstroom naar regulier werk",
        definition_nl="Gestarte plaatsingen in een reguliere betaalde baan (de Werktop-telling; "
        "contracten die nog moeten ingaan, tellen pas bij de start).",
        source_nl=f"{WT}, §4.3",
        stream="placement",
        kind=Kind.COUNT,
        unit="aantal",
        tags_all=frozenset({"soort:regulier_werk"}),
        theme="plaatsingen",
    ),
    _k(
        code="K2P",
        version=1,
        name_nl="Contracten die nog ingaan",
        definition_nl="Vastgelegde plaatsingen in een reguliere betaalde baan die op de laatste "
        "dag van de periode nog moeten beginnen; Werktop toont ze apart van de uitstroom.",
        source_nl=f"{WT}, §4.4 (voetnoot 4)",
        stream="pending_contract",
        kind=Kind.STOCK,
        unit="aantal",
        theme="plaatsingen",
    ),
    _k(
        code="K2B",
        version=1,
        name_nl="Uitstroom uit de bijstand naar werk",
        definition_nl="Kandidaten van wie de bijstand geheel is beëindigd vanwege werk, volgens "
        "de uitkeringsgegevens van de gemeente (niet alleen aan het werkbedrijf toe te "
        "schrijven).",
        source_nl=f"{WB}, §4.1.1",
        stream="benefit_outflow",
        kind=Kind.COUNT,
        unit="aantal",
        theme="plaatsingen",
    ),
    _k(
        code="K3",
        version=1,
        name_nl="Werkervaringsplaatsen",
        definition_nl="Gestarte werkervaringsplaatsen met behoud van uitkering.",
        source_nl=f"{WT}, §4.2",
        stream="placement",
        kind=Kind.COUNT,
        unit="aantal",
        tags_all=frozenset({"soort:werkervaringsplaats"}),
        theme="plaatsingen",
    ),
    _k(
        code="K4",
        version=1,
        name_nl="Plaatsingen op werk",
        definition_nl="Gestarte plaatsingen op betaald werk, deeltijd of voltijd, ongeacht of de "
        "uitkering stopt; per soort.",
        source_nl=f"{WB}, §4.1.1 en Tabel 4.2",
        stream="paid_placement",
        kind=Kind.COUNT,
        unit="aantal",
        breakdown="soort:",
        theme="plaatsingen",
    ),
    _k(
        code="K5",
        version=1,
        name_nl="Plaatsingen op deeltijdwerk",
        definition_nl="Plaatsingen op werk (K4) van minder dan 36 uur per week.",
        source_nl=f"{WB}, Figuur 4.6",
        stream="paid_placement",
        kind=Kind.COUNT,
        unit="aantal",
        tags_all=frozenset({"deeltijd"}),
        theme="plaatsingen",
    ),
    _k(
        code="P1",
        version=1,
        name_nl="Plaatsingen per soort",
        definition_nl="Alle gestarte plaatsingen, betaald of met behoud van uitkering, per soort.",
        source_nl=f"{WT}, §4.3; {WB}, §4.2.1",
        stream="placement",
        kind=Kind.COUNT,
        unit="aantal",
        breakdown="soort:",
        theme="plaatsingen",
    ),
    _k(
        code="P2",
        version=1,
        name_nl="Omzettingen naar een contract",
        definition_nl="Werkervaringsplaatsen en proefplaatsingen die in de periode zijn omgezet "
        "in een arbeidscontract.",
        source_nl=f"{WT}, §4.4",
        stream="conversion",
        kind=Kind.COUNT,
        unit="aantal",
        theme="plaatsingen",
    ),
    _k(
        code="L1",
        version=1,
        name_nl="Loonkostensubsidies verstrekt",
        definition_nl="Besluiten tot loonkostensubsidie in de periode, geteld per verstrekking, "
        "niet per persoon.",
        source_nl=f"{WB}, §4.2.1",
        stream="lks_grant",
        kind=Kind.COUNT,
        unit="aantal",
        theme="plaatsingen",
    ),
    _k(
        code="L2",
        version=1,
        name_nl="Gemiddelde loonwaarde",
        definition_nl="Gemiddelde van de loonwaardemetingen in de periode, in procenten.",
        source_nl=f"{WB}, §4.2.1",
        stream="loonwaarde",
        kind=Kind.MEAN,
        unit="%",
        theme="plaatsingen",
    ),
    # --- Durability
    _k(
        code="D1-6",
        version=1,
        name_nl="Na 6 maanden nog aan het werk",
        definition_nl="Aandeel van de plaatsingen (met een aansluitende plaatsing erbij) die zes "
        "maanden na de start nog lopen, geteld in de maand waarin die zes maanden om zijn; uit "
        "nazorgcontacten en einddata.",
        source_nl=f"{WB}, §6.2.3",
        stream="durability_6",
        kind=Kind.SHARE,
        unit="%",
        theme="duurzaamheid",
    ),
    _k(
        code="D1-12",
        version=1,
        name_nl="Na 12 maanden nog aan het werk",
        definition_nl="Als D1-6, twaalf maanden na de start.",
        source_nl=f"{WB}, §6.2.3",
        stream="durability_12",
        kind=Kind.SHARE,
        unit="%",
        theme="duurzaamheid",
    ),
    _k(
        code="D2",
        version=1,
        name_nl="Binnen 12 maanden niet terug in de bijstand",
        definition_nl="Aandeel van de uitstroom naar werk zonder herinstroom in de bijstand "
        "binnen twaalf maanden, geteld in de maand waarin die twaalf maanden om zijn; uit de "
        "uitkeringsgegevens van de gemeente (gekoppeld op BSN-pseudoniem).",
        source_nl=f"{WB}, §6.2.3 en §5.2",
        stream="no_return",
        kind=Kind.SHARE,
        unit="%",
        theme="duurzaamheid",
    ),
)

THEMES_NL = {
    "werkgevers": "Werkgevers",
    "kandidaten": "Kandidaten",
    "bijeenkomsten": "Bijeenkomsten",
    "plaatsingen": "Plaatsingen",
    "duurzaamheid": "Duurzaamheid",
}


def codes() -> list[str]:
    """Every KPI code once, in the order of ``DEFINITIONS``."""
    return list(dict.fromkeys(k.code for k in DEFINITIONS))


def for_code(code: str) -> list[Kpi]:
    """Every version of ``code``, oldest first; an unknown code gives an empty list."""
    return sorted((k for k in DEFINITIONS if k.code == code), key=lambda k: k.version)


def current(code: str, on: dt.date) -> Kpi | None:
    """The version of ``code`` valid on ``on``."""
    return next((k for k in for_code(code) if k.valid_on(on)), None)


def get(code: str, version: int) -> Kpi | None:
    return next((k for k in for_code(code) if k.version == version), None)


def trend_break(code: str, start: dt.date, end: dt.date) -> bool:
    """Whether a new version of ``code`` begins inside [start, end): the series breaks."""
    return any(k.valid_from is not None and start < k.valid_from < end for k in for_code(code))


def streams_needed(kpis: Iterable[Kpi]) -> list[str]:
    return sorted({k.stream for k in kpis})
