"""The reference figures Werkbrug carries (``werkbrug/monitoring/data/``, read by the
reference checks and the demo) are byte-for-byte the shared originals, where those sit next
to the checkout (``../shared/reference``); in a lone clone there is nothing to compare."""

from __future__ import annotations

from pathlib import Path

import pytest

import werkbrug.monitoring

COPIES = Path(werkbrug.monitoring.__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference"


@pytest.mark.parametrize("name", ["werktop_2014.json", "werkbedrijf_2016_2020.json"])
def test_the_copy_is_the_shared_original(name):
    original = SHARED / name
    if not original.exists():
        pytest.skip(f"no shared original next to this checkout: {original}")
    assert (COPIES / name).read_bytes() == original.read_bytes()
