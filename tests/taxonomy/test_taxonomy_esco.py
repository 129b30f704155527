"""Importing ESCO CSV files: languages, idempotence, errors and all-or-nothing."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from werkbrug.taxonomy import esco
from werkbrug.taxonomy.models import Occupation, OccupationSkill, Skill, Source

FIXTURES = Path(__file__).parent / "esco_fixtures"
E = "http://data.europa.eu/esco/"


def files(lang: str) -> dict[str, Path]:
    return {
        "occupations": FIXTURES / f"occupations_{lang}.csv",
        "skills": FIXTURES / f"skills_{lang}.csv",
        "relations": FIXTURES / f"occupationSkillRelations_{lang}.csv",
    }


def run(lang: str, **overrides: Any) -> str:
    paths = {**files(lang), **overrides}
    out = StringIO()
    with translation.override("en"):  # the report is Dutch for operators; assert on English
        call_command(
            "import-esco",
            *[item for name, path in paths.items() if path for item in (f"--{name}", str(path))],
            "--language",
            lang,
            stdout=out,
        )
    return out.getvalue()


def esco_rows() -> tuple[int, int, int]:
    return (
        Occupation.objects.filter(source=Source.ESCO).count(),
        Skill.objects.filter(source=Source.ESCO).count(),
        OccupationSkill.objects.filter(skill__source=Source.ESCO).count(),
    )


def test_dutch_import_with_bom(db: Any) -> None:
    assert (FIXTURES / "occupations_nl.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = esco.import_files(**files("nl"), language="nl")
    assert result.as_dict() == {
        "occupations": {"created": 3, "updated": 0, "unchanged": 0},
        "skills": {"created": 5, "updated": 0, "unchanged": 0},
        "relations": {"created": 8, "updated": 0, "unchanged": 0},
    }
    worker = Occupation.objects.get(uri=E + "occupation/aaa1")
    assert worker.label == "magazijnmedewerker"
    assert worker.labels == {"nl": "magazijnmedewerker"}
    assert worker.alt_labels == ["orderverzamelaar", "magazijnbediende"]
    assert worker.isco_code == "9333" and worker.esco_code == "9333.1"
    assert worker.source == Source.ESCO
    kinds = dict(Skill.objects.filter(source=Source.ESCO).values_list("uri", "kind"))
    assert kinds == {
        E + "skill/s1": Skill.Kind.SKILL,
        E + "skill/s2": Skill.Kind.SKILL,
        E + "skill/s3": Skill.Kind.KNOWLEDGE,
        E + "skill/s4": Skill.Kind.ATTITUDE,
        E + "skill/s5": Skill.Kind.SKILL,
    }
    optional = OccupationSkill.objects.get(occupation=worker, skill__uri=E + "skill/s2")
    assert optional.relation == OccupationSkill.Relation.OPTIONAL
    cleaner = Occupation.objects.get(uri=E + "occupation/aaa3")
    assert "'s avonds" in cleaner.description  # multi-line quoted field


def test_second_run_changes_nothing(db: Any) -> None:
    run("nl")
    before = list(Occupation.objects.values_list("uri", "version", "updated_at").order_by("uri"))
    output = run("nl")
    assert "occupations: 0 created, 0 updated, 3 unchanged" in output
    assert "skills: 0 created, 0 updated, 5 unchanged" in output
    assert "relations: 0 created, 0 updated, 8 unchanged" in output
    after = list(Occupation.objects.values_list("uri", "version", "updated_at").order_by("uri"))
    assert before == after


def test_labels_per_language_dutch_first(db: Any) -> None:
    run("nl")
    output = run("en")
    assert "occupations: 0 created, 3 updated, 0 unchanged" in output
    assert "relations: 0 created, 0 updated, 8 unchanged" in output  # extra label columns
    worker = Occupation.objects.get(uri=E + "occupation/aaa1")
    assert worker.labels == {"nl": "magazijnmedewerker", "en": "warehouse worker"}
    assert worker.label == "magazijnmedewerker"  # Dutch stays the display label
    assert worker.alt_labels == ["orderverzamelaar", "magazijnbediende"]
    assert "unchanged" in run("en") and esco_rows() == (3, 5, 8)
    assert "0 updated, 3 unchanged" in run("en")


def test_english_first_then_dutch_takes_over(db: Any) -> None:
    run("en")
    skill = Skill.objects.get(uri=E + "skill/s1")
    assert skill.label == "pick orders" and skill.labels == {"en": "pick orders"}
    run("nl")
    skill.refresh_from_db()
    assert skill.label == "orders verzamelen"
    assert skill.labels == {"en": "pick orders", "nl": "orders verzamelen"}
    assert skill.version == 2
    run("en")
    skill.refresh_from_db()
    assert skill.label == "orders verzamelen" and skill.version == 2


def test_changed_file_updates(db: Any, tmp_path: Path) -> None:
    run("nl")
    changed = tmp_path / "occupations_nl.csv"
    text = (FIXTURES / "occupations_nl.csv").read_text(encoding="utf-8-sig")
    changed.write_text(text.replace("heftruckbestuurder", "heftruckchauffeur"), encoding="utf-8")
    relations = tmp_path / "rel.csv"
    rel_text = (FIXTURES / "occupationSkillRelations_nl.csv").read_text(encoding="utf-8-sig")
    lines = rel_text.splitlines()
    lines[2] = lines[2].replace("optional", "essential")
    relations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = run("nl", occupations=changed, relations=relations)
    assert "occupations: 0 created, 1 updated, 2 unchanged" in output
    assert "relations: 0 created, 1 updated, 7 unchanged" in output
    assert Occupation.objects.get(uri=E + "occupation/aaa2").label == "heftruckchauffeur"


def test_bad_header_names_file_and_column(db: Any) -> None:
    with pytest.raises(CommandError) as info:
        run("nl", occupations=FIXTURES / "occupations_bad_header.csv")
    message = str(info.value)
    assert "occupations_bad_header.csv" in message and "iscoGroup" in message
    assert esco_rows() == (0, 0, 0)


def test_bad_isco_names_row_and_nothing_is_saved(db: Any) -> None:
    with pytest.raises(CommandError) as info:
        run("nl", occupations=FIXTURES / "occupations_bad_isco.csv")
    message = str(info.value)
    assert "occupations_bad_isco.csv" in message and "row 3" in message
    assert "iscoGroup" in message and "72X" in message
    assert esco_rows() == (0, 0, 0)


def test_dangling_relation_rolls_everything_back(db: Any, tmp_path: Path) -> None:
    relations = tmp_path / "occupationSkillRelations_nl.csv"
    shutil.copy(files("nl")["relations"], relations)
    with relations.open("a", encoding="utf-8") as handle:
        handle.write(f"{E}occupation/aaa1,essential,skill/competence,{E}skill/unknown\n")
    with pytest.raises(CommandError) as info:
        run("nl", relations=relations)
    assert "row 10" in str(info.value) and "skill/unknown" in str(info.value)
    assert esco_rows() == (0, 0, 0)  # occupations and skills were written, then rolled back


def test_missing_file_and_bad_language(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nope.csv"):
        run("nl", occupations=tmp_path / "nope.csv")
    with translation.override("en"), pytest.raises(CommandError, match="language"):
        call_command("import-esco", "--skills", str(files("nl")["skills"]), "--language", "x1")
    with pytest.raises(CommandError):
        call_command("import-esco")


def test_curated_records_are_untouched(db: Any) -> None:
    curated_before = Occupation.objects.filter(source=Source.CURATED).count()
    run("nl")
    assert Occupation.objects.filter(source=Source.CURATED).count() == curated_before
