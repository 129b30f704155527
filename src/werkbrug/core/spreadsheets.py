"""Text that goes into a CSV or XLSX file a person will open in a spreadsheet program.

A cell that starts with one of ``FORMULA_START`` is run as a formula by Excel and friends
(CSV injection: ``=HYPERLINK(...)`` in an employer's name). Every export escapes such text with
a leading apostrophe, which spreadsheet programs show as plain text; importers strip it again.
Pure: no Django.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
