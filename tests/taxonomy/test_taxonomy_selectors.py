"""Searching the taxonomy for autocompletion, and the skills of occupations."""

from __future__ import annotations

from typing import Any

import pytest

from werkbrug.core import access
from werkbrug.taxonomy import curated, selectors
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, Source


@pytest.fixture
def loaded(db: Any) -> None:
    curated.load_curated(Occupation, Skill, OccupationSkill)


def test_prefix_matches_come_first(loaded: None) -> None:
    labels = [skill.label for skill in selectors.search_skills("heftruck")]
    assert labels[0] == "Heftruck besturen"
    assert labels.index("Heftruck besturen") < labels.index("Heftruckcertificaat") or (
        labels[:2] == ["Heftruck besturen", "Heftruckcertificaat"]
    )
    assert "Dagelijkse controle van de heftruck uitvoeren" in labels
    starts = [label.lower().startswith("heftruck") for label in labels]
    assert starts == sorted(starts, reverse=True)


def test_case_insensitive_and_word_matches_rank_before_inner_matches(db: Any) -> None:
    for label in ["Opruimen", "Bouwplaats opruimen", "Zwerfopruimer", "Vegen"]:
        Skill.objects.create(uri=f"t:{label}", label=label, source=Source.ESCO)
    Skill.objects.create(
        uri="t:alt", label="Afval ruimen", alt_labels=["Opruimen buiten"], source=Source.ESCO
    )
    labels = [skill.label for skill in selectors.search_skills("OPRUIM") if skill.uri[:2] == "t:"]
    assert labels == ["Opruimen", "Bouwplaats opruimen", "Zwerfopruimer", "Afval ruimen"]


def test_occupations_match_other_names(loaded: None) -> None:
    found = selectors.search_occupations("orderverzamelaar")
    assert [occupation.label for occupation in found] == ["Orderpicker"]
    labels = [o.label for o in selectors.search_occupations("schoonmaker", limit=5)]
    assert labels[0] == "Schoonmaker" and len(labels) <= 5


def test_curated_before_esco_with_the_same_rank(loaded: None) -> None:
    Occupation.objects.create(
        uri="http://esco/o/1", label="Afwasser (ESCO)", isco_code="9412", source=Source.ESCO
    )
    labels = [o.label for o in selectors.search_occupations("afwasser")]
    assert labels == ["Afwasser", "Afwasser (ESCO)"]


def test_empty_query_and_limits(loaded: None) -> None:
    assert selectors.search_skills("") == []
    assert selectors.search_skills("   ") == []
    assert len(selectors.search_skills("e", limit=500)) == selectors.MAX_LIMIT
    assert selectors.search_occupations("e", limit=0) == []


def test_actor_scoping(loaded: None) -> None:
    assert selectors.search_skills("gras", actor=access.ANONYMOUS) == []
    actor = access.Actor(user_id=1, roles=frozenset({"kandidaat"}))
    assert [s.label for s in selectors.search_skills("gras maaien", actor=actor)] == ["Gras maaien"]


def test_related_skills_most_shared_first(loaded: None) -> None:
    ids = list(
        Occupation.objects.filter(
            uri__in=["werkbrug:occupation:orderpicker", "werkbrug:occupation:magazijnmedewerker"]
        ).values_list("id", flat=True)
    )
    skills = selectors.related_skills(ids)
    shared = {s.label for s in skills if s.occupation_count == 2}
    assert {"Orders verzamelen", "Handscanner gebruiken"} <= shared
    counts = [(-s.occupation_count, -s.essential_count) for s in skills]
    assert counts == sorted(counts)
    assert skills[0].occupation_count == 2
    assert selectors.related_skills([]) == []
