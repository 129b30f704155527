"""The curated Dutch list of occupations and tasks (``data/curated_nl.json``) into the database.

``load_curated`` takes the three model classes as arguments, so the same code runs from the
data migration (historical models: ``apps.get_model(...)``) and from ordinary code. It is
idempotent: records are matched by URI (``werkbrug:occupation:<slug>``,
``werkbrug:skill:<slug>``), created or updated in bulk, and left alone when they already
match the file. The file is the truth for curated occupations: a link between a curated
occupation and a curated skill that the file no longer lists is removed. ESCO records and
links are never touched.

File format (one object per occupation, listing its task/skill slugs)::

    {"skills": [{"slug": "orders-verzamelen", "label_nl": "Orders verzamelen",
                 "label_en": "Picking orders", "kind": "taak"}, ...],
     "occupations": [{"slug": "orderpicker", "isco_code": "9333", "label_nl": "Orderpicker",
                      "label_en": "Order picker", "work_kind": "productie_logistiek",
                      "description": "...", "alt_labels": ["Orderverzamelaar"],
                      "essential": ["orders-verzamelen", ...], "optional": [...]}, ...]}
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

DATA_FILE = Path(__file__).parent / "data" / "curated_nl.json"
OCCUPATION_URI = "werkbrug:occupation:{slug}"
SKILL_URI = "werkbrug:skill:{slug}"
CURATED = "curated"


@cache
def curated_data() -> dict[str, Any]:
    """The parsed curated list (read once per process)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def occupation_uri(slug: str) -> str:
    return OCCUPATION_URI.format(slug=slug)


def skill_uri(slug: str) -> str:
    return SKILL_URI.format(slug=slug)


def _sync(model: Any, wanted: dict[str, dict[str, Any]], counts: dict[str, int], key: str) -> None:
    """Create or update ``model`` rows so that each URI in ``wanted`` has those values."""
    existing = {obj.uri: obj for obj in model.objects.filter(uri__in=list(wanted))}
    now = timezone.now()
    to_create, to_update = [], []
    fields: set[str] = set()
    for uri, values in wanted.items():
        obj = existing.get(uri)
        if obj is None:
            to_create.append(model(uri=uri, **values))
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.version += 1
            obj.updated_at = now
            fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        model.objects.bulk_update(to_update, [*sorted(fields), "version", "updated_at"], 500)
    counts[f"{key}_created"] = len(to_create)
    counts[f"{key}_updated"] = len(to_update)
    counts[f"{key}_unchanged"] = len(wanted) - len(to_create) - len(to_update)


def load_curated(
    occupation_model: Any,
    skill_model: Any,
    relation_model: Any,
    data: dict[str, Any] | None = None,
) -> dict[str, int]:
    """Bring the database in line with the curated list; returns what was done.

    Call inside a transaction (a migration is one; ``services`` wrap it in ``atomic``).
    """
    data = data if data is not None else curated_data()
    skills = {
        skill_uri(item["slug"]): {
            "label": item["label_nl"],
            "labels": {"nl": item["label_nl"], "en": item["label_en"]},
            "alt_labels": list(item.get("alt_labels", [])),
            "description": item.get("description", ""),
            "kind": item["kind"],
            "source": CURATED,
        }
        for item in data["skills"]
    }
    occupations = {
        occupation_uri(item["slug"]): {
            "isco_code": item["isco_code"],
            "label": item["label_nl"],
            "labels": {"nl": item["label_nl"], "en": item["label_en"]},
            "alt_labels": list(item.get("alt_labels", [])),
            "description": item.get("description", ""),
            "work_kind": item["work_kind"],
            "source": CURATED,
        }
        for item in data["occupations"]
    }
    counts: dict[str, int] = {}
    _sync(skill_model, skills, counts, "skills")
    _sync(occupation_model, occupations, counts, "occupations")

    occupation_ids = dict(
        occupation_model.objects.filter(uri__in=list(occupations)).values_list("uri", "id")
    )
    skill_ids = dict(skill_model.objects.filter(uri__in=list(skills)).values_list("uri", "id"))
    wanted: dict[tuple[int, int], str] = {}
    for item in data["occupations"]:
        occupation_id = occupation_ids[occupation_uri(item["slug"])]
        for relation in ("optional", "essential"):  # essential wins if listed in both
            for slug in item.get(relation, []):
                wanted[(occupation_id, skill_ids[skill_uri(slug)])] = relation

    links = relation_model.objects.filter(
        occupation_id__in=list(occupation_ids.values()), skill__source=CURATED
    )
    existing = {(link.occupation_id, link.skill_id): link for link in links}
    to_create = [
        relation_model(occupation_id=o, skill_id=s, relation=relation)
        for (o, s), relation in wanted.items()
        if (o, s) not in existing
    ]
    to_update = []
    for key, link in existing.items():
        if key in wanted and link.relation != wanted[key]:
            link.relation = wanted[key]
            to_update.append(link)
    stale = [link.pk for key, link in existing.items() if key not in wanted]
    relation_model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        relation_model.objects.bulk_update(to_update, ["relation"], batch_size=500)
    if stale:
        relation_model.objects.filter(pk__in=stale).delete()
    counts["relations_created"] = len(to_create)
    counts["relations_updated"] = len(to_update)
    counts["relations_removed"] = len(stale)
    counts["relations_unchanged"] = len(wanted) - len(to_create) - len(to_update)
    return counts
