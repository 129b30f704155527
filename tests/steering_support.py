"""Builders for the steering pages' tests (dashboard, drill-down, index figures, council
report): KPI values written by hand, so every number on a page is known exactly, and
placements of a region built the way ``tests/monitoring/test_refresh.py`` builds them.

    kv(region, "K4", dt.date(2024, 3, 1), 3)                       # 3 placements, region
    kv(region, "D1-6", dt.date(2024, 4, 1), 3, 4, dimension=MUNICIPALITY, member=nijmegen.pk)
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest

import tests_support
from werkbrug.monitoring import kpis
from werkbrug.monitoring.models import KpiValue
from werkbrug.placements.models import Contract, Placement, PlacementKind, PlacementStatus

REGION = kpis.Dimension.REGION
MUNICIPALITY = kpis.Dimension.MUNICIPALITY
TEAM = kpis.Dimension.TEAM
STAFF = kpis.Dimension.STAFF


def kv(
    region: Any,
    code: str,
    period: dt.date,
    numerator: int | str,
    denominator: int | str | None = None,
    *,
    dimension: str = REGION,
    member: int = 0,
    part: str = "",
    version: int | None = None,
) -> KpiValue:
    """One stored KPI value; the version valid in ``period`` unless told otherwise, and for a
    count the denominator equals the numerator (as ``services.refresh`` writes it)."""
    kpi = kpis.get(code, version) if version else kpis.current(code, period)
    assert kpi is not None, f"{code} has no version for {period}"
    return KpiValue.objects.create(
        region=region,
        kpi=code,
        kpi_version=kpi.version,
        grain=kpi.grain,
        period_start=period,
        dimension=dimension,
        member=member,
        part=part,
        numerator=Decimal(numerator),
        denominator=Decimal(numerator if denominator is None else denominator),
    )


def text(response: Any) -> str:
    """The page as plain text (tags removed, entities resolved, whitespace collapsed)."""
    return html_lib.unescape(tests_support.text(response))


def _plain(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def kpi_row(response: Any, code: str) -> list[str]:
    """The cells after the name in the dashboard row of KPI ``code``: this year, the same
    months last year, the difference."""
    html = response.content.decode()
    found = re.search(rf'<tr data-kpi="{re.escape(code)}">(.*?)</tr>', html, re.S)
    assert found, f"no row for {code}"
    return [_plain(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)]


def kpi_row_head(response: Any, code: str) -> str:
    html = response.content.decode()
    found = re.search(rf'<tr data-kpi="{re.escape(code)}">\s*<th[^>]*>(.*?)</th>', html, re.S)
    assert found, f"no row for {code}"
    return _plain(found.group(1))


def headline(response: Any, code: str) -> tuple[str, str]:
    """(the number, the "same months last year" line) of a headline tile."""
    html = response.content.decode()
    found = re.search(rf'data-headline="{re.escape(code)}">(.*?)</a>', html, re.S)
    assert found, f"no headline tile for {code}"
    spans = re.findall(r"<span[^>]*>(.*?)</span>", found.group(1), re.S)
    return _plain(spans[0]), _plain(spans[-1])


def table_rows(response: Any, marker: str) -> list[list[str]]:
    """The rows (header cell and data cells, as text) of the section marked ``marker``
    (a ``data-…`` attribute)."""
    html = response.content.decode()
    found = re.search(rf"<section[^>]*{re.escape(marker)}[^>]*>(.*?)</section>", html, re.S)
    assert found, f"no section {marker}"
    return [
        [_plain(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(1), re.S)
    ]


def place(region: Any, candidate: Any, employer: Any, owner: Any, **fields: Any) -> Placement:
    """A running regular job of 24 hours with a fixed-term contract, unless told otherwise."""
    values: dict[str, Any] = {
        "region": region,
        "candidate": candidate,
        "employer": employer,
        "kind": PlacementKind.REGULAR,
        "contract": Contract.FIXED,
        "job_title": "Orderpicker",
        "hours_per_week": Decimal(24),
        "wage_pct_of_wml": Decimal(100),
        "status": PlacementStatus.RUNNING,
        "owner": owner,
    }
    return Placement.objects.create(**(values | fields))


def pdf_text(body: bytes) -> str:
    """The PDF's text on one line (pdftotext); skips the test when pdftotext is missing."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=body,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def pdf_info(body: bytes) -> dict[str, str]:
    """``pdfinfo``'s fields (Title, Pages, ...); skips the test when pdfinfo is missing."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo is not installed")
    result = subprocess.run(["pdfinfo", "-"], input=body, capture_output=True, check=True)
    out = {}
    for line in result.stdout.decode().splitlines():
        key, _sep, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out
