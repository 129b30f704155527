"""Where each missing profile item is filled in: one link per completeness item, shared by the
candidate page and the handover pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from werkbrug.candidates import profile
from werkbrug.candidates.completeness import ITEMS
from werkbrug.candidates.models import Candidate

#: item code → (route name, ``?deel=`` section, field anchor)
ITEM_TARGETS: dict[str, tuple[str, str, str]] = {
    "contact": ("candidates:edit", "persoonlijk", "id_phone"),
    "address": ("candidates:edit", "persoonlijk", "id_street"),
    "coordinates": ("candidates:edit", "persoonlijk", "id_latitude"),
    "client_manager": ("candidates:caseworkers", "", "id_client_manager"),
    "benefit": ("candidates:edit", "uitkering", "id_benefit_type"),
    "benefit_start": ("candidates:edit", "uitkering", "id_benefit_start"),
    "segment": ("candidates:edit", "uitkering", "id_segment"),
    "education_level": ("candidates:edit", "uitkering", "id_education_level"),
    "informed": ("candidates:edit", "uitkering", "id_informed_at"),
    "ladder_step": ("candidates:ladder", "", ""),
    "languages": ("candidates:languages", "", ""),
    "work_experience": ("candidates:experience_add", "", ""),
    "driving_licence": ("candidates:edit", "profiel", "id_driving_licence_0"),
    "hours_available": ("candidates:edit", "profiel", "id_hours_available"),
    "available_from": ("candidates:edit", "profiel", "id_available_from"),
    "talents": ("candidates:edit", "profiel", "id_talents"),
    "skills": ("candidates:edit", "profiel", "id_skills"),
    "development_goals": ("candidates:edit", "profiel", "id_development_goals"),
    "wishes": ("candidates:edit", "wensen", "id_wished_work_kinds"),
    "travel": ("candidates:edit", "wensen", "id_max_travel_minutes"),
    "wished_hours": ("candidates:edit", "wensen", "id_wished_hours_min"),
}
REQUIRED_ITEMS = frozenset(item.code for item in ITEMS if item.required)


def missing_items(candidate: Candidate, codes: tuple[str, ...]) -> list[dict[str, Any]]:
    """Missing profile items, each with its label and a link to where it is filled in."""
    rows = []
    for code in codes:
        url = ""
        target = ITEM_TARGETS.get(code)
        if target:
            name, section, anchor = target
            url = reverse(name, kwargs={"uuid": candidate.uuid})
            if section:
                url += f"?deel={section}"
            if anchor:
                url += f"#{anchor}"
        elif code == "profile_confirmed":
            url = reverse("candidates:detail", kwargs={"uuid": candidate.uuid}) + "#bevestigen"
        rows.append(
            {
                "code": code,
                "label": profile.ITEM_LABELS[code],
                "url": url,
                "required": code in REQUIRED_ITEMS,
            }
        )
    return rows
