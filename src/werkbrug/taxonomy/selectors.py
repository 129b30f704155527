"""Reads of the taxonomy: search for the autocompletion of occupation and task fields, and the
tasks/skills that belong to occupations.

The taxonomy is reference data every logged-in user may read (see ``scopes.py``); when an
``actor`` is given the query starts from ``access.scoped`` like every other selector.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Lower

from werkbrug.core import access
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, Source

MAX_LIMIT = 50


def _search(
    model: type[Occupation] | type[Skill],
    q: str,
    limit: int,
    actor: access.Actor | None,
) -> list:
    q = " ".join((q or "").split())
    limit = max(0, min(int(limit), MAX_LIMIT))
    if not q or not limit:
        return []
    queryset = access.scoped(model, actor) if actor is not None else model.objects.all()
    # Other names are a JSON list; searching its text form is cheap and good enough for
    # autocompletion (they only ever rank after the label matches).
    queryset = queryset.annotate(
        _alt_text=Cast("alt_labels", models.TextField()),
        _rank=Case(
            When(label__istartswith=q, then=Value(0)),
            When(label__icontains=f" {q}", then=Value(1)),
            When(label__icontains=q, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        _curated=Case(
            When(source=Source.CURATED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    )
    matches = queryset.filter(Q(label__icontains=q) | Q(_alt_text__icontains=q))
    return list(matches.order_by("_rank", "_curated", "label", "id")[:limit])


def search_skills(q: str, limit: int = 20, *, actor: access.Actor | None = None) -> list[Skill]:
    """Tasks and skills whose name (or another name) contains ``q``, case-insensitively.

    Order: names starting with ``q``, then names with a word starting with ``q``, then other
    name matches, then matches on another name only; curated before ESCO; alphabetical.
    """
    return _search(Skill, q, limit, actor)


def search_occupations(
    q: str, limit: int = 20, *, actor: access.Actor | None = None
) -> list[Occupation]:
    """Occupations whose name (or another name) contains ``q``; ordered as ``search_skills``."""
    return _search(Occupation, q, limit, actor)


def related_skills(
    occupation_ids: Iterable[int], *, actor: access.Actor | None = None
) -> list[Skill]:
    """The tasks and skills linked to any of these occupations (internal ids).

    Each skill carries ``occupation_count`` (how many of the occupations list it) and
    ``essential_count`` (for how many it is essential); the most shared, then the most
    essential first, then alphabetical.
    """
    ids = sorted({int(pk) for pk in occupation_ids})
    if not ids:
        return []
    shared: dict[int, list[int]] = {}
    links = OccupationSkill.objects.filter(occupation_id__in=ids).values_list(
        "skill_id", "relation"
    )
    for skill_id, relation in links:
        counts = shared.setdefault(skill_id, [0, 0])
        counts[0] += 1
        counts[1] += relation == OccupationSkill.Relation.ESSENTIAL
    queryset = access.scoped(Skill, actor) if actor is not None else Skill.objects.all()
    skills = list(queryset.filter(id__in=list(shared)))
    for skill in skills:
        skill.occupation_count, skill.essential_count = shared[skill.id]  # type: ignore[attr-defined]
    skills.sort(key=lambda s: (-shared[s.id][0], -shared[s.id][1], s.label, s.id))
    return skills


def skills_named(names: Iterable[str]) -> dict[str, Skill]:
    """The taxonomy tasks whose name is exactly one of ``names`` (ignoring case and extra
    spaces), keyed by the name as given; curated entries win over ESCO ones."""
    wanted = {" ".join(n.split()).lower(): n for n in names if n and n.strip()}
    if not wanted:
        return {}
    found: dict[str, Skill] = {}
    rows = Skill.objects.annotate(_name=Lower("label")).filter(_name__in=list(wanted))
    for skill in rows.order_by("id"):
        name = wanted[skill.label.lower()]
        if name not in found or skill.source == Source.CURATED:
            found[name] = skill
    return found


def occupation_with_code(isco_code: str) -> Occupation | None:
    """The occupation for a four-digit ISCO code (the curated one when there are several)."""
    if not isco_code:
        return None
    return (
        Occupation.objects.filter(isco_code=isco_code)
        .annotate(
            _curated=Case(
                When(source=Source.CURATED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("_curated", "id")
        .first()
    )
