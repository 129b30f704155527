"""The curated Dutch list: its content rules, and the loader that puts it in the database."""

from __future__ import annotations

import copy
import re
from collections import Counter
from typing import Any

import pytest

from werkbrug.taxonomy import curated
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, Source, WorkKind

DATA = curated.curated_data()


def load() -> dict[str, int]:
    return curated.load_curated(Occupation, Skill, OccupationSkill)


@pytest.fixture
def loaded(db: Any) -> None:
    # The data migration loads the list; a transactional test elsewhere may have flushed it.
    load()


# --- The file ---------------------------------------------------------------------------------


def test_list_is_large_enough() -> None:
    assert len(DATA["occupations"]) >= 150
    assert len(DATA["skills"]) >= 400


def test_every_occupation_has_four_to_twelve_skills() -> None:
    for item in DATA["occupations"]:
        slugs = item["essential"] + item["optional"]
        assert 4 <= len(slugs) <= 12, item["label_nl"]
        assert len(set(slugs)) == len(slugs), item["label_nl"]
        assert item["essential"], item["label_nl"]


def test_every_skill_is_used_and_every_reference_exists() -> None:
    known = {skill["slug"] for skill in DATA["skills"]}
    used = {slug for item in DATA["occupations"] for slug in item["essential"] + item["optional"]}
    assert used <= known, used - known
    assert known <= used, known - used


def test_isco_codes_are_unit_groups_of_major_groups_1_to_9() -> None:
    for item in DATA["occupations"]:
        assert re.fullmatch(r"[1-9][0-9]{3}", item["isco_code"]), item


@pytest.mark.parametrize(
    ("label", "isco"),
    [
        ("Inpakker", "9321"),
        ("Heftruckchauffeur", "8344"),
        ("Schoonmaker", "9112"),
        ("Medewerker groenvoorziening", "9214"),
        ("Hovenier", "6113"),
        ("Keukenhulp", "9412"),
        ("Medewerker bediening", "5131"),
        ("Verkoopmedewerker", "5223"),
        ("Kassamedewerker", "5230"),
        ("Vakkenvuller", "9334"),
        ("Bouwhulp", "9313"),
        ("Schilder", "7131"),
        ("Lasser", "7212"),
    ],
)
def test_well_known_codes(label: str, isco: str) -> None:
    by_label = {item["label_nl"]: item for item in DATA["occupations"]}
    assert by_label[label]["isco_code"] == isco


def test_no_duplicate_labels_or_slugs() -> None:
    for key in ("label_nl", "slug"):
        for collection in ("occupations", "skills"):
            counts = Counter(item[key].lower() for item in DATA[collection])
            assert [k for k, n in counts.items() if n > 1] == [], (collection, key)


def test_fields_are_filled_and_valid() -> None:
    kinds = {choice.value for choice in Skill.Kind}
    work_kinds = {choice.value for choice in WorkKind}
    for item in DATA["occupations"]:
        assert item["label_en"] and item["description"], item
        assert item["work_kind"] in work_kinds
        assert item["alt_labels"], item["label_nl"]
        assert item["label_nl"] not in item["alt_labels"]
    for skill in DATA["skills"]:
        assert skill["label_en"] and skill["kind"] in kinds, skill
    assert {item["work_kind"] for item in DATA["occupations"]} == work_kinds


def test_the_examples_from_the_brief_are_there() -> None:
    occupations = {item["label_nl"] for item in DATA["occupations"]}
    skills = {item["label_nl"] for item in DATA["skills"]}
    assert {"Magazijnmedewerker", "Orderpicker", "Glazenwasser", "Conciërge", "Opperman"} <= (
        occupations
    )
    assert {"Orders verzamelen", "Ramen lappen", "Gras maaien", "Op tijd komen"} <= skills


# --- The loader --------------------------------------------------------------------------------


def test_migration_loaded_the_list(loaded: None) -> None:
    assert Occupation.objects.filter(source=Source.CURATED).count() == len(DATA["occupations"])
    assert Skill.objects.filter(source=Source.CURATED).count() == len(DATA["skills"])
    links = sum(len(item["essential"]) + len(item["optional"]) for item in DATA["occupations"])
    assert OccupationSkill.objects.count() == links
    picker = Occupation.objects.get(uri="werkbrug:occupation:orderpicker")
    assert picker.label == "Orderpicker"
    assert picker.labels == {"nl": "Orderpicker", "en": "Order picker"}
    assert picker.isco_code == "9333"
    assert picker.work_kind == WorkKind.PRODUCTION_LOGISTICS
    essential = OccupationSkill.objects.get(
        occupation=picker, skill__uri="werkbrug:skill:orders-verzamelen"
    )
    assert essential.relation == OccupationSkill.Relation.ESSENTIAL


def test_loader_is_idempotent(loaded: None) -> None:
    before = list(Occupation.objects.values_list("uri", "version", "updated_at").order_by("uri"))
    counts = load()
    assert counts["occupations_created"] == counts["occupations_updated"] == 0
    assert counts["skills_created"] == counts["skills_updated"] == 0
    assert counts["relations_created"] == counts["relations_updated"] == 0
    assert counts["relations_removed"] == 0
    assert counts["occupations_unchanged"] == len(DATA["occupations"])
    after = list(Occupation.objects.values_list("uri", "version", "updated_at").order_by("uri"))
    assert before == after


def test_loader_applies_changes_to_the_file(loaded: None) -> None:
    data = copy.deepcopy(DATA)
    picker = next(item for item in data["occupations"] if item["slug"] == "orderpicker")
    picker["label_nl"] = "Orderpicker (magazijn)"
    dropped = picker["optional"].pop()
    moved = picker["essential"].pop()
    picker["optional"].append(moved)
    counts = curated.load_curated(Occupation, Skill, OccupationSkill, data)
    assert counts["occupations_updated"] == 1
    assert counts["relations_removed"] == 1
    assert counts["relations_updated"] == 1
    occupation = Occupation.objects.get(uri="werkbrug:occupation:orderpicker")
    assert occupation.label == "Orderpicker (magazijn)"
    assert occupation.version == 2
    links = dict(
        OccupationSkill.objects.filter(occupation=occupation).values_list("skill__uri", "relation")
    )
    assert curated.skill_uri(dropped) not in links
    assert links[curated.skill_uri(moved)] == OccupationSkill.Relation.OPTIONAL


def test_loader_leaves_esco_links_alone(loaded: None) -> None:
    occupation = Occupation.objects.get(uri="werkbrug:occupation:orderpicker")
    esco_skill = Skill.objects.create(
        uri="http://data.europa.eu/esco/skill/x", label="x", source=Source.ESCO
    )
    OccupationSkill.objects.create(occupation=occupation, skill=esco_skill)
    counts = load()
    assert counts["relations_removed"] == 0
    assert OccupationSkill.objects.filter(skill=esco_skill).exists()
