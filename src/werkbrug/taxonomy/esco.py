"""Importing ESCO's CSV downloads into the taxonomy (``werkbrug import-esco``).

The files are parsed first by the pure ``esco_parse`` module; nothing is written unless all
of them are valid. Then everything is written in one transaction (all or nothing), matched by
ESCO URI, in batches, so the full ESCO (about 3,000 occupations, 13,900 skills and 126,000
relations) imports in seconds and importing the same files again changes nothing.

Languages
---------
A run imports one language. Its preferred labels go into ``labels[lang]``. The display fields
(``label``, ``alt_labels``, ``description``) come from Dutch when the run is Dutch; from
another language only while a record has no Dutch label and either no label yet or a label
that came from that same language. Import the Dutch files plus any others in any order.

Relations listed in the file are added or updated; relations not in the file are kept.
A relation naming an occupation or skill that is neither in the database nor in this run is
an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from werkbrug.taxonomy import esco_parse
from werkbrug.taxonomy.esco_parse import (
    OccupationRecord,
    ParseError,
    RelationRecord,
    SkillRecord,
    gettext_noop,
)
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, Source

__all__ = ["EscoImportResult", "ParseError", "import_esco", "import_files"]

BATCH = 1000
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class EscoImportResult:
    language: str
    occupations: Counts = field(default_factory=Counts)
    skills: Counts = field(default_factory=Counts)
    relations: Counts = field(default_factory=Counts)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            name: vars(getattr(self, name)).copy()
            for name in ("occupations", "skills", "relations")
        }


def valid_language(language: str) -> bool:
    return bool(_LANGUAGE.match(language))


def import_files(
    *,
    occupations: str | Path | None = None,
    skills: str | Path | None = None,
    relations: str | Path | None = None,
    language: str = "nl",
) -> EscoImportResult:
    """Parse the given files (all of them, before writing anything), then import them."""
    occupation_records = (
        esco_parse.parse_occupations(esco_parse.read_text(occupations), Path(occupations).name)
        if occupations
        else []
    )
    skill_records = (
        esco_parse.parse_skills(esco_parse.read_text(skills), Path(skills).name) if skills else []
    )
    relations_name = Path(relations).name if relations else ""
    relation_records = (
        esco_parse.parse_relations(esco_parse.read_text(relations), relations_name)
        if relations
        else []
    )
    return import_esco(
        occupations=occupation_records,
        skills=skill_records,
        relations=relation_records,
        language=language,
        relations_file=relations_name or "occupationSkillRelations.csv",
    )


def import_esco(
    *,
    occupations: Sequence[OccupationRecord] = (),
    skills: Sequence[SkillRecord] = (),
    relations: Sequence[RelationRecord] = (),
    language: str = "nl",
    relations_file: str = "occupationSkillRelations.csv",
) -> EscoImportResult:
    """Write parsed ESCO records, all or nothing. Raises ParseError for a dangling relation."""
    language = language.lower()
    if not valid_language(language):
        raise ValueError(f"Not a language code: {language!r}")
    result = EscoImportResult(language=language)
    with transaction.atomic():
        _write_concepts(Occupation, occupations, language, result.occupations, _occupation_values)
        _write_concepts(Skill, skills, language, result.skills, _skill_values)
        if relations:
            _write_relations(relations, result.relations, relations_file)
    return result


# --- Concepts --------------------------------------------------------------------------------


def _occupation_values(record: OccupationRecord) -> dict[str, Any]:
    return {"isco_code": record.isco_code, "esco_code": record.esco_code}


def _skill_values(record: SkillRecord) -> dict[str, Any]:
    return {"kind": record.kind}


def _takes_display(label: str, labels: dict[str, str], language: str) -> bool:
    if language == "nl":
        return True
    if "nl" in labels:
        return False
    return not label or label == labels.get(language)


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_concepts(
    model: type[Occupation] | type[Skill],
    records: Sequence[OccupationRecord] | Sequence[SkillRecord],
    language: str,
    counts: Counts,
    own_values: Any,
) -> None:
    if not records:
        return
    fields = ["label", "labels", "alt_labels", "description", "source", *own_values(records[0])]
    existing: dict[str, Any] = {}
    uris = [record.uri for record in records]
    for chunk in _chunks(uris, 500):
        for obj in model.objects.filter(uri__in=chunk).only("id", "uri", "version", *fields):
            existing[obj.uri] = obj
    now = timezone.now()
    to_create: list[Any] = []
    to_update: list[Any] = []
    for record in records:
        obj = existing.get(record.uri)
        if obj is None:
            to_create.append(
                model(
                    uri=record.uri,
                    label=record.label,
                    labels={language: record.label},
                    alt_labels=list(record.alt_labels),
                    description=record.description,
                    source=Source.ESCO,
                    **own_values(record),
                )
            )
            continue
        wanted: dict[str, Any] = {"labels": {**obj.labels, language: record.label}}
        if _takes_display(obj.label, obj.labels, language):
            wanted.update(
                label=record.label,
                alt_labels=list(record.alt_labels),
                description=record.description,
            )
        wanted.update(own_values(record))
        changed = False
        for name, value in wanted.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.version += 1
            obj.updated_at = now
            to_update.append(obj)
        else:
            counts.unchanged += 1
    for chunk in _chunks(to_create):
        model.objects.bulk_create(chunk)
    for chunk in _chunks(to_update, 500):
        model.objects.bulk_update(chunk, [*fields, "version", "updated_at"])
    counts.created += len(to_create)
    counts.updated += len(to_update)


# --- Relations -------------------------------------------------------------------------------


def _ids(model: type[models.Model], uris: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(uris)
    for chunk in _chunks(ordered, 500):
        found.update(model.objects.filter(uri__in=chunk).values_list("uri", "id"))
    return found


def _write_relations(records: Sequence[RelationRecord], counts: Counts, file: str) -> None:
    occupation_ids = _ids(Occupation, {record.occupation_uri for record in records})
    skill_ids = _ids(Skill, {record.skill_uri for record in records})
    for record in records:
        for uri, known, column in (
            (record.occupation_uri, occupation_ids, "occupationUri"),
            (record.skill_uri, skill_ids, "skillUri"),
        ):
            if uri not in known:
                raise ParseError(
                    file,
                    record.row,
                    column,
                    gettext_noop("%(uri)s is not a known occupation or skill."),
                    {"uri": uri},
                )
    existing: dict[tuple[int, int], tuple[int, str]] = {}
    wanted_occupations = sorted(set(occupation_ids.values()))
    for chunk in _chunks(wanted_occupations, 500):
        links = OccupationSkill.objects.filter(occupation_id__in=chunk).values_list(
            "id", "occupation_id", "skill_id", "relation"
        )
        for pk, occupation_id, skill_id, relation in links:
            existing[(occupation_id, skill_id)] = (pk, relation)
    to_create: list[OccupationSkill] = []
    to_update: list[OccupationSkill] = []
    for record in records:
        key = (occupation_ids[record.occupation_uri], skill_ids[record.skill_uri])
        found = existing.get(key)
        if found is None:
            to_create.append(
                OccupationSkill(occupation_id=key[0], skill_id=key[1], relation=record.relation)
            )
        elif found[1] != record.relation:
            to_update.append(OccupationSkill(id=found[0], relation=record.relation))
        else:
            counts.unchanged += 1
    for chunk in _chunks(to_create, 2000):
        OccupationSkill.objects.bulk_create(chunk)
    for chunk in _chunks(to_update, 500):
        OccupationSkill.objects.bulk_update(chunk, ["relation"])
    counts.created += len(to_create)
    counts.updated += len(to_update)
