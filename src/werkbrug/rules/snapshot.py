"""The national rules of 1 July 2018 (``data/regels-2018-07-01.json``, from the Hanze book):
loaded by a data migration, and again by ``seed-demo`` into a database emptied since."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).resolve().parent / "data" / "regels-2018-07-01.json"


def load(rule_set_model: Any) -> bool:
    """Create the national set of the snapshot's date unless it exists; True when created.
    ``rule_set_model`` is the model (in a migration: the historical one)."""
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    _found, created = rule_set_model.objects.get_or_create(
        region=None,
        valid_from=data["valid_from"],
        defaults={
            "name": data["name"],
            "source": data["source"],
            "values": data["values"],
            "sources": data["sources"],
        },
    )
    return created
