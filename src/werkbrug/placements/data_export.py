"""The candidate's work in "Download my data": placements with their check-ins, the
instruments granted for them, loonwaarde assessments, jobcoaches and the benefit data the
municipality sent (by BSN pseudonym). The placements are read through the access layer as
the candidate; grants, assessments and benefit data are about the candidate too, so the
export shows them although the candidate's portal does not."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.candidates import data_export
from werkbrug.candidates.models import Candidate
from werkbrug.core import access
from werkbrug.core.access import Actor
from werkbrug.placements.models import (
    AftercareCheck,
    BenefitEvent,
    InstrumentGrant,
    JobcoachAssignment,
    LoonwaardeAssessment,
    Placement,
)


def _placement_ids(candidate: Candidate, actor: Actor) -> list[int]:
    return list(
        access.scoped(Placement, actor).filter(candidate=candidate).values_list("pk", flat=True)
    )


def _name(placement: Placement) -> str:
    return f"{placement.job_title}, {placement.employer.name}"


def placements(candidate: Candidate, actor: Actor) -> list[dict[str, Any]]:
    rows = []
    for row in (
        Placement.objects.filter(pk__in=_placement_ids(candidate, actor))
        .select_related("employer", "owner__user")
        .order_by("start_on")
    ):
        item = {_("Employer"): row.employer.name}
        item.update(
            data_export.fields(
                row,
                (
                    "job_title",
                    "kind",
                    "contract",
                    "hours_per_week",
                    "wage_pct_of_wml",
                    "start_on",
                    "planned_end_on",
                    "ended_on",
                    "end_reason",
                    "end_note",
                    "status",
                    "outflow",
                    "outflow_on",
                ),
            )
        )
        item[_("Contact person")] = data_export.staff_name(row.owner)
        rows.append(item)
    return rows


def _per_placement(model: type, names: tuple[str, ...], order: str) -> data_export.SectionItems:
    """The rows of ``model`` that belong to the candidate's placements, each named by its
    placement; an aftercare check-in's kind by its label (it has no fixed choices)."""

    def items(candidate: Candidate, actor: Actor) -> list[dict[str, Any]]:
        rows = []
        for row in (
            model.objects.filter(placement_id__in=_placement_ids(candidate, actor))
            .select_related("placement__employer")
            .order_by(order)
        ):
            item = {_("Placement"): _name(row.placement)}
            if isinstance(row, AftercareCheck):
                item[_("Check-in")] = row.kind_label
            item.update(data_export.fields(row, names))
            rows.append(item)
        return rows

    return items


def jobcoaches(candidate: Candidate, actor: Actor) -> list[dict[str, Any]]:
    return [
        data_export.fields(
            row, ("coach_name", "organisation", "start_on", "end_on", "phone", "email")
        )
        for row in access.scoped(JobcoachAssignment, actor)
        .filter(candidate=candidate)
        .order_by("start_on")
    ]


def benefit_data(candidate: Candidate, actor: Actor) -> list[dict[str, Any]]:
    return [
        {
            _("Municipality"): str(row.municipality),
            _("What"): row.get_kind_display(),
            _("Date"): row.on,
        }
        for row in BenefitEvent.objects.filter(
            bsn_pseudonym=candidate.bsn_pseudonym, municipality__region_id=candidate.region_id
        )
        .select_related("municipality")
        .order_by("on")
    ]


def register() -> None:
    data_export.register_section("placements", gettext_lazy("Your work and placements"), placements)
    data_export.register_section(
        "aftercare_checks",
        gettext_lazy("Check-ins after the start"),
        _per_placement(AftercareCheck, ("due_on", "done_on", "still_working", "notes"), "due_on"),
    )
    data_export.register_section(
        "instrument_grants",
        gettext_lazy("Instruments granted for your work"),
        _per_placement(
            InstrumentGrant,
            ("kind", "status", "decided_on", "start_on", "end_on", "amount", "amount_per"),
            "start_on",
        ),
    )
    data_export.register_section(
        "loonwaarde_assessments",
        gettext_lazy("Assessments of your wage value (loonwaarde)"),
        _per_placement(
            LoonwaardeAssessment,
            ("assessed_on", "pct", "method", "assessor", "next_review_on"),
            "assessed_on",
        ),
    )
    data_export.register_section("jobcoaches", gettext_lazy("Your jobcoaches"), jobcoaches)
    data_export.register_section(
        "benefit_data", gettext_lazy("Benefit data from your municipality"), benefit_data
    )
