"""The Dutch catalogue: every text translated, nothing fuzzy, and it compiles with `msgfmt -c`
(which checks that a translation keeps the msgid's placeholders: a stray "% s" in a text is a
format directive and breaks both the catalogue and the page), and the compiled `.mo` is the
one of the current `.po`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import werkbrug

LOCALE = Path(werkbrug.__file__).resolve().parent / "locale" / "nl" / "LC_MESSAGES"
PO, MO = LOCALE / "django.po", LOCALE / "django.mo"


def _entries() -> list[tuple[str, list[str]]]:
    """(flags line, msgstr lines) of each entry: enough to find untranslated or fuzzy ones."""
    out, flags, msgstr, current = [], "", [], None
    for line in PO.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith("msgid ") and current is not None:
            out.append(current)
            current = None
        if line.startswith("msgid "):
            msgstr, current = [], (flags, msgstr)
            flags = ""
        elif line.startswith("msgstr"):
            msgstr.append(line.split(" ", 1)[1])
        elif line.startswith('"') and msgstr:
            msgstr[-1] += line
    if current is not None:
        out.append(current)
    return out[1:]  # the header


def test_every_text_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert entries
    assert not [e for e in entries if "fuzzy" in e[0]]
    assert not [e for e in entries if any(s.replace('"', "") == "" for s in e[1])]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_catalogue_compiles_and_the_mo_is_current(tmp_path):
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "-c", "-o", str(compiled), str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert compiled.read_bytes() == MO.read_bytes(), "run `make messages`: the .mo is stale"
