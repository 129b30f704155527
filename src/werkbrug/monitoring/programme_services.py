"""Steering on results, the writes: a programme and its agreement (period, municipalities,
tolerance, capacity, fee), its targets, and the hours people log against it.

Each function is one use case (the web pages and the API call the same ones): keyword-only
arguments, one transaction, every problem named by its field at once (nothing is half-saved),
and the change recorded in the change log (``AuditedModel`` does that for every save, delete
and change of municipalities). Edits carry the version the person started from and a stale
one is refused (``core.concurrency``).

Who: ``monitoring.manage`` (team lead, functional administrator) for programmes and targets,
always of their own region; ``monitoring.log_time`` for hours, always their own. A team lead
may remove anyone's hours in the region (corrections), others only their own.

``data`` is a mapping of already parsed values (dates, Decimals, lists), as a form's
``cleaned_data`` or a serializer's ``validated_data`` gives them; strings are parsed too. A
key that is left out keeps the stored value (a new record gets the model's default), so an
API may send only what changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from werkbrug.core import access
from werkbrug.core.concurrency import lock_current
from werkbrug.monitoring import kpis
from werkbrug.monitoring.models import Activity, Programme, Target, TargetKind, TimeEntry
from werkbrug.regions.models import Municipality, Staff

MANAGE = "monitoring.manage"
LOG_TIME = "monitoring.log_time"

NAME_MAX_LENGTH = 150  # Programme.name
PARTNER_MAX_LENGTH = 150  # Programme.partner
NOTE_MAX_LENGTH = 300  # TimeEntry.note
MAX_TOLERANCE = Decimal(50)
MAX_DAYS_A_WEEK = Decimal(7)
MAX_FEE = Decimal("9999999.99")  # Programme.fee_per_result: 9 digits, 2 decimals
MAX_TARGET = Decimal("9999999999.99")  # Target.value: 12 digits, 2 decimals
QUARTER = Decimal("0.25")
MAX_HOURS_A_DAY = Decimal(24)


# --- Shared helpers -----------------------------------------------------------------------------


def day(value: dt.date) -> str:
    """A date as people read it here: 01-12-2012."""
    return value.strftime("%d-%m-%Y")


def hours_shown(value: Decimal) -> str:
    """Hours in the notation of the language in use, without trailing zeros: 2,5 or 24."""
    return formats.number_format(value.normalize())


def _require_region(actor: access.Actor) -> int:
    if actor.region_id is None:
        raise PermissionDenied
    return actor.region_id


def _require_own(actor: access.Actor, programme: Programme) -> None:
    """The programme must be of the actor's region (another region's is not theirs to change)."""
    if programme.region_id != _require_region(actor):
        raise PermissionDenied


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _date(value: Any, field: str, problems: dict[str, Any]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems[field] = _("Give a date as dd-mm-yyyy.")
        return None


def _decimal(value: Any, field: str, problems: dict[str, Any]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        problems[field] = _("Give a number, for example 2.5.")
        return None
    if not number.is_finite():
        problems[field] = _("Give a number, for example 2.5.")
        return None
    return number


def _tolerance(value: Decimal | None, field: str, problems: dict[str, Any]) -> None:
    if value is not None and not (0 <= value <= MAX_TOLERANCE and _tenths(value)):
        problems[field] = _("Give the tolerance as a percentage from 0 to 50, e.g. 3 or 2.5.")


def _tenths(value: Decimal) -> bool:
    return value == value.quantize(Decimal("0.1"))


def _cents(value: Decimal) -> bool:
    return value == value.quantize(Decimal("0.01"))


def hours_problem(amount: Decimal) -> str | None:
    """Why an amount of hours cannot be logged (the form checks it too, so every problem
    shows at once), or None."""
    if QUARTER <= amount <= MAX_HOURS_A_DAY and (amount / QUARTER) % 1 == 0:
        return None
    return _("Give the hours in quarters, from 0.25 to 24, e.g. 1.5 or 0.75.")


def value_problem(value: Decimal) -> str | None:
    """Why a number cannot be a target, or None."""
    if value < 0:
        return _("A target is not negative.")
    if not (value <= MAX_TARGET and _cents(value)):
        return _("Give the target with at most two decimals.")
    return None


def day_problem(programme: Programme, on: dt.date, today: dt.date) -> str | None:
    """Why hours cannot be logged on this day of the programme, or None."""
    if on > today:
        return _("Hours are logged once the work is done: not for a day to come.")
    if not programme.start_on <= on < programme.end_on:
        return _(
            "Choose a day within the programme: from %(start)s up to and including %(last)s."
        ) % {
            "start": day(programme.start_on),
            "last": day(programme.end_on - dt.timedelta(days=1)),
        }
    return None


def period_problems(programme: Programme, start: dt.date, end: dt.date) -> dict[str, str]:
    """What is wrong with a target's period [start, end): it ends after it starts and lies
    within the programme's. By field."""
    if end <= start:
        return {"end_on": _("The end comes after the start.")}
    message = _("The period lies within the programme's: from %(start)s until %(end)s.") % {
        "start": day(programme.start_on),
        "end": day(programme.end_on),
    }
    problems = {}
    if start < programme.start_on:
        problems["start_on"] = message
    if end > programme.end_on:
        problems["end_on"] = message
    return problems


# --- Programmes ---------------------------------------------------------------------------------


def _municipalities(
    value: Any, region_id: int, problems: dict[str, Any]
) -> list[Municipality] | None:
    """The chosen municipalities (instances, primary keys or public ids), all of the region."""
    if value is None:
        return None
    chosen: list[Municipality] = []
    wanted = list(value) if isinstance(value, Iterable) and not isinstance(value, str) else [value]
    for item in wanted:
        if isinstance(item, Municipality):
            chosen.append(item)
            continue
        lookup = {"uuid": item} if not str(item).isdigit() else {"pk": int(item)}
        try:
            chosen.append(Municipality.objects.get(**lookup))
        except (Municipality.DoesNotExist, ValueError, ValidationError):
            problems["municipalities"] = _("Choose municipalities of your own region.")
            return None
    if any(m.region_id != region_id for m in chosen):
        problems["municipalities"] = _("Choose municipalities of your own region.")
        return None
    return list({m.pk: m for m in chosen}.values())


def _fee_kpis(value: Any, problems: dict[str, Any]) -> list[str] | None:
    if value is None:
        return None
    codes = [value] if isinstance(value, str) else [str(c).strip() for c in value]
    codes = [c for c in dict.fromkeys(codes) if c]
    unknown = [c for c in codes if c not in kpis.codes()]
    if unknown:
        problems["fee_kpis"] = ngettext(
            "There is no indicator %(codes)s.",
            "There are no indicators %(codes)s.",
            len(unknown),
        ) % {"codes": ", ".join(unknown)}
        return None
    order = kpis.codes()
    return sorted(codes, key=order.index)


def _outside_period(programme: Programme) -> dict[str, str]:
    """What a changed period would leave outside: targets and logged hours."""
    problems: dict[str, str] = {}
    start, end = programme.start_on, programme.end_on
    before = programme.targets.filter(start_on__lt=start).count()
    after = programme.targets.filter(end_on__gt=end).count()
    if before:
        problems["start_on"] = ngettext(
            "%(count)s target starts before this date: change or remove it first.",
            "%(count)s targets start before this date: change or remove them first.",
            before,
        ) % {"count": before}
    if after:
        problems["end_on"] = ngettext(
            "%(count)s target runs past this date: change or remove it first.",
            "%(count)s targets run past this date: change or remove them first.",
            after,
        ) % {"count": after}
    hours_before = programme.time_entries.filter(on__lt=start).count()
    hours_after = programme.time_entries.filter(on__gte=end).count()
    if hours_before and "start_on" not in problems:
        problems["start_on"] = _(
            "Hours have been logged before this date; the programme cannot start later than them."
        )
    if hours_after and "end_on" not in problems:
        problems["end_on"] = _(
            "Hours have been logged on or after this date; the programme cannot end before them."
        )
    return problems


def _municipalities_in_use(programme: Programme, chosen: list[Municipality]) -> str | None:
    """A municipality left out that targets of the programme still refer to."""
    if not chosen:  # the whole region: every municipality of it belongs
        return None
    kept = {m.pk for m in chosen}
    used = (
        programme.targets.filter(municipality__isnull=False)
        .exclude(municipality_id__in=kept)
        .select_related("municipality")
        .order_by("municipality__name")
        .first()
    )
    if used is None:
        return None
    return _("%(name)s still has targets in this programme: change or remove those first.") % {
        "name": used.municipality.name
    }


@transaction.atomic
def save_programme(
    *,
    actor: access.Actor,
    programme: Programme | None = None,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Programme:
    """Create a programme (``programme`` None) of the actor's region, or change one.

    ``data``: ``name``, ``description``, ``partner``, ``start_on``, ``end_on`` (the first
    day after the programme), ``municipalities`` (of the actor's region; none: the whole
    region), ``tolerance_pct`` (0-50), ``capacity_days_per_week`` (0-7 or None),
    ``fee_per_result`` (None: no fee) and ``fee_kpis`` (codes of ``kpis.codes()``).

    Refused, by field: a missing name or date, an end on or before the start, a municipality
    of another region, an unknown KPI code, a fee without the KPIs that earn it (or the
    reverse), and a change that would leave targets or logged hours outside the period or
    targets without their municipality. A stale ``expected_version`` is refused as a whole.
    """
    access.require(actor, MANAGE)
    region_id = _require_region(actor)
    creating = programme is None
    if programme is None:
        programme = Programme(region_id=region_id)
    else:
        _require_own(actor, programme)
        programme = lock_current(
            Programme.objects.select_for_update().get(pk=programme.pk), expected_version
        )
    problems: dict[str, Any] = {}
    if "name" in data or creating:
        programme.name = _text(data.get("name"))
    if "description" in data:
        programme.description = str(data.get("description") or "").strip()
    if "partner" in data:
        programme.partner = _text(data.get("partner"))
    if "start_on" in data or creating:
        programme.start_on = _date(data.get("start_on"), "start_on", problems)  # type: ignore[assignment]
    if "end_on" in data or creating:
        programme.end_on = _date(data.get("end_on"), "end_on", problems)  # type: ignore[assignment]
    if "tolerance_pct" in data:
        tolerance = _decimal(data.get("tolerance_pct"), "tolerance_pct", problems)
        if tolerance is None and "tolerance_pct" not in problems:
            tolerance = Decimal(3)  # the default (WB §4.2.5: "a few percent")
        programme.tolerance_pct = tolerance  # type: ignore[assignment]
    if "capacity_days_per_week" in data:
        programme.capacity_days_per_week = _decimal(
            data.get("capacity_days_per_week"), "capacity_days_per_week", problems
        )
    if "fee_per_result" in data:
        programme.fee_per_result = _decimal(data.get("fee_per_result"), "fee_per_result", problems)
    fee_kpis = _fee_kpis(data.get("fee_kpis"), problems) if "fee_kpis" in data else None
    if fee_kpis is not None:
        programme.fee_kpis = fee_kpis
    municipalities = _municipalities(data.get("municipalities"), region_id, problems)

    if not programme.name:
        problems["name"] = _("Give the programme a name.")
    elif len(programme.name) > NAME_MAX_LENGTH:
        problems["name"] = _("Keep the name to %(max)d characters.") % {"max": NAME_MAX_LENGTH}
    if len(programme.partner) > PARTNER_MAX_LENGTH:
        problems["partner"] = _("Keep the name of the partner to %(max)d characters.") % {
            "max": PARTNER_MAX_LENGTH
        }
    if programme.start_on is None and "start_on" not in problems:
        problems["start_on"] = _("Give the date the programme starts.")
    if programme.end_on is None and "end_on" not in problems:
        problems["end_on"] = _("Give the end: the first day after the programme.")
    if programme.start_on and programme.end_on and programme.end_on <= programme.start_on:
        problems["end_on"] = _("The end comes after the start.")
    _tolerance(programme.tolerance_pct, "tolerance_pct", problems)
    capacity = programme.capacity_days_per_week
    if capacity is not None and not (0 <= capacity <= MAX_DAYS_A_WEEK and _tenths(capacity)):
        problems["capacity_days_per_week"] = _(
            "Give the capacity in days a week, from 0 to 7, e.g. 2 or 2.5."
        )
    fee = programme.fee_per_result
    if fee is not None and not (0 <= fee <= MAX_FEE and _cents(fee)):
        problems["fee_per_result"] = _("Give the fee in euros and cents, not negative.")
    if "fee_kpis" not in problems and "fee_per_result" not in problems:
        if fee is not None and not programme.fee_kpis:
            problems["fee_kpis"] = _("Choose the indicators whose results earn the fee.")
        elif fee is None and programme.fee_kpis:
            problems["fee_per_result"] = _(
                "Give the fee per result, or choose no indicators that earn one."
            )
    if not creating and not problems:
        problems.update(_outside_period(programme))
        if municipalities is not None:
            in_use = _municipalities_in_use(programme, municipalities)
            if in_use:
                problems["municipalities"] = in_use
    if problems:
        raise ValidationError(problems)

    programme.save()
    if municipalities is not None:
        current = {m.pk for m in programme.municipalities.all()} if not creating else set()
        if current != {m.pk for m in municipalities}:
            programme.municipalities.set(municipalities)
    return programme


# --- Targets ------------------------------------------------------------------------------------


def _kpi_problem(code: str, start: dt.date | None, end: dt.date | None) -> str | None:
    versions = kpis.for_code(code)
    if not code:
        return _("Choose the indicator.")
    if not versions:
        return _("There is no indicator %(code)s: choose one from the list.") % {"code": code}
    if start and end and end > start:
        valid = [
            k
            for k in versions
            if (k.valid_from is None or k.valid_from < end)
            and (k.valid_to is None or start < k.valid_to)
        ]
        if not valid:
            return _("The indicator %(code)s has no definition that holds in this period.") % {
                "code": code
            }
    return None


def _programme_municipality(
    value: Any, programme: Programme, problems: dict[str, Any]
) -> Municipality | None:
    """The target's municipality: one of the programme's (or, for a programme of the whole
    region, one of the region's); None is the whole programme."""
    if value in (None, ""):
        return None
    if isinstance(value, Municipality):
        municipality: Municipality | None = value
    else:
        lookup = {"pk": int(value)} if str(value).isdigit() else {"uuid": value}
        try:
            municipality = Municipality.objects.get(**lookup)
        except (Municipality.DoesNotExist, ValueError, ValidationError):
            municipality = None
    own = list(programme.municipalities.all())
    allowed = (
        municipality is not None
        and municipality.region_id == programme.region_id
        and (not own or municipality.pk in {m.pk for m in own})
    )
    if not allowed:
        problems["municipality"] = _(
            "Choose a municipality of this programme, or none for the whole programme."
        )
        return None
    return municipality


def _save_target(
    target: Target, programme: Programme, data: Mapping[str, Any], *, creating: bool
) -> Target:
    problems: dict[str, Any] = {}
    if "kpi" in data or creating:
        target.kpi = str(data.get("kpi") or "").strip()
    if "municipality" in data:
        target.municipality = _programme_municipality(data.get("municipality"), programme, problems)
    if "start_on" in data or creating:
        target.start_on = _date(data.get("start_on"), "start_on", problems) or (
            None if "start_on" in problems else programme.start_on
        )
    if "end_on" in data or creating:
        target.end_on = _date(data.get("end_on"), "end_on", problems) or (
            None if "end_on" in problems else programme.end_on
        )
    if "value" in data or creating:
        target.value = _decimal(data.get("value"), "value", problems)  # type: ignore[assignment]
    if "kind" in data or creating:
        target.kind = str(data.get("kind") or TargetKind.TARGET)
    if "tolerance_pct" in data:
        target.tolerance_pct = _decimal(data.get("tolerance_pct"), "tolerance_pct", problems)

    start, end = target.start_on, target.end_on
    if start and end:
        problems.update(period_problems(programme, start, end))
    kpi_problem = _kpi_problem(target.kpi, start, end)
    if kpi_problem:
        problems["kpi"] = kpi_problem
    if target.value is None and "value" not in problems:
        problems["value"] = _("Give the number to reach.")
    elif target.value is not None and value_problem(target.value):
        problems["value"] = value_problem(target.value)
    if target.kind not in TargetKind.values:
        problems["kind"] = _("Choose whether this is a target or a budget estimate.")
    _tolerance(target.tolerance_pct, "tolerance_pct", problems)
    if not problems:
        same = programme.targets.filter(
            kpi=target.kpi,
            municipality=target.municipality,
            start_on=target.start_on,
            end_on=target.end_on,
        ).exclude(pk=target.pk)
        if same.exists():
            problems["kpi"] = _(
                "This programme already has a target for this indicator, municipality and period."
            )
    if problems:
        raise ValidationError(problems)
    target.save()
    return target


@transaction.atomic
def add_target(*, actor: access.Actor, programme: Programme, data: Mapping[str, Any]) -> Target:
    """A target of the programme. ``data``: ``kpi`` (a code with a definition that holds in
    the period), ``municipality`` (of the programme; None: the whole programme),
    ``start_on``/``end_on`` (within the programme's; default the programme's period),
    ``value`` (≥ 0), ``kind`` (doel or raming) and ``tolerance_pct`` (None: the
    programme's)."""
    access.require(actor, MANAGE)
    _require_own(actor, programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    return _save_target(Target(programme=programme), programme, data, creating=True)


def _locked_target(actor: access.Actor, target: Target, expected_version: int | None) -> Target:
    access.require(actor, MANAGE)
    _require_own(actor, Programme.objects.get(pk=target.programme_id))
    return lock_current(Target.objects.select_for_update().get(pk=target.pk), expected_version)


@transaction.atomic
def edit_target(
    *,
    actor: access.Actor,
    target: Target,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Target:
    """Change a target (the same rules as ``add_target``); a stale version is refused."""
    current = _locked_target(actor, target, expected_version)
    return _save_target(current, current.programme, data, creating=False)


@transaction.atomic
def delete_target(
    *, actor: access.Actor, target: Target, expected_version: int | None = None
) -> None:
    """Remove a target (the change log keeps what it was)."""
    _locked_target(actor, target, expected_version).delete()


# --- Hours --------------------------------------------------------------------------------------


@transaction.atomic
def log_time(
    *,
    actor: access.Actor,
    programme: Programme,
    on: dt.date | None,
    hours: Decimal | str | None,
    activity: str,
    note: str = "",
) -> TimeEntry:
    """The actor's own hours on a day of the programme: in quarters, from 0.25 to 24; a day
    within the programme and not in the future; and never more than 24 hours on one day over
    all programmes together."""
    access.require(actor, LOG_TIME)
    _require_own(actor, programme)
    if actor.staff_id is None:
        raise PermissionDenied
    # One person's day at a time: two entries saved at once cannot pass 24 hours together.
    Staff.objects.select_for_update().filter(pk=actor.staff_id).first()
    problems: dict[str, Any] = {}
    on = _date(on, "on", problems)
    amount = _decimal(hours, "hours", problems)
    note = _text(note)
    today = timezone.localdate()
    if on is None and "on" not in problems:
        problems["on"] = _("Give the day the work was done.")
    elif on is not None and day_problem(programme, on, today):
        problems["on"] = day_problem(programme, on, today)
    if amount is None and "hours" not in problems:
        problems["hours"] = _("Give the hours.")
    elif amount is not None and hours_problem(amount):
        problems["hours"] = hours_problem(amount)
    if activity not in Activity.values:
        problems["activity"] = _("Choose the activity.")
    if len(note) > NOTE_MAX_LENGTH:
        problems["note"] = _("Keep the note to %(max)d characters.") % {"max": NOTE_MAX_LENGTH}
    if not problems and on is not None and amount is not None:
        logged = TimeEntry.objects.filter(staff_id=actor.staff_id, on=on).aggregate(h=Sum("hours"))[
            "h"
        ] or Decimal(0)
        if logged + amount > MAX_HOURS_A_DAY:
            problems["hours"] = _(
                "You have logged %(logged)s hours on %(day)s already, over all programmes: "
                "a day has at most 24, so %(left)s more at most."
            ) % {
                "logged": hours_shown(logged),
                "day": day(on),
                "left": hours_shown(max(MAX_HOURS_A_DAY - logged, Decimal(0))),
            }
    if problems:
        raise ValidationError(problems)
    entry = TimeEntry(
        programme=programme,
        staff_id=actor.staff_id,
        on=on,
        hours=amount.quantize(Decimal("0.01")),  # type: ignore[union-attr]
        activity=activity,
        note=note,
    )
    entry.save()
    return entry


@transaction.atomic
def delete_time_entry(*, actor: access.Actor, entry: TimeEntry) -> None:
    """Remove hours: one's own, or anyone's in the region for who manages programmes."""
    entry = TimeEntry.objects.select_for_update().select_related("programme").get(pk=entry.pk)
    _require_own(actor, entry.programme)
    own = actor.staff_id is not None and entry.staff_id == actor.staff_id
    if not (access.can(actor, MANAGE) or (own and access.can(actor, LOG_TIME))):
        raise PermissionDenied
    entry.delete()
