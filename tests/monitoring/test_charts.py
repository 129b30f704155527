"""Server-side SVG charts: valid, accessible, exact and embeddable in a PDF by fpdf2.

The SVG is read back with ElementTree: bar heights and the target line are checked against
the values, the title/desc against the aria references, and random input (any Unicode,
``None``, negative and huge values) must always give well-formed XML.
"""

from __future__ import annotations

import io
import logging
import math
import re
import warnings
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkbrug.monitoring import charts
from werkbrug.monitoring.charts import (
    Series,
    bar_chart,
    format_number,
    format_value,
    hbar_chart,
    line_chart,
    nice_scale,
    svg_for_pdf,
    text_alternative,
)

NS = {"svg": charts.SVG_NS}
SVG = f"{{{charts.SVG_NS}}}"
KINDS = {"bar": bar_chart, "line": line_chart, "hbar": hbar_chart}
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun"]
MUNICIPALITIES = ["Berg en Dal", "Beuningen", "Druten", "Heumen", "Mook en Middelaar"]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own output, parsed to check it


def chart_id(root: ET.Element) -> str:
    return root.attrib["aria-labelledby"].split()[0].removesuffix("-title")


def group(root: ET.Element, suffix: str) -> ET.Element | None:
    return root.find(f".//svg:g[@id='{chart_id(root)}-{suffix}']", NS)


def bars(root: ET.Element, series: int = 0) -> list[ET.Element]:
    found = group(root, f"series-{series}")
    assert found is not None
    return found.findall("svg:rect", NS)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def f(element: ET.Element, name: str) -> float:
    return float(element.attrib[name])


def target_line(root: ET.Element) -> ET.Element:
    line = root.find(f".//svg:line[@id='{chart_id(root)}-target']", NS)
    assert line is not None
    return line


def sample(kind: str = "bar", **overrides: object) -> str:
    arguments: dict[str, object] = {
        "title": "Plaatsingen per maand",
        "labels": MONTHS,
        "series": [Series("Plaatsingen", [45, 52, None, 61, 38, 1100])],
        "target": 50,
    }
    arguments.update(overrides)
    return KINDS[kind](**arguments)  # type: ignore[operator]


def shape(marker: ET.Element) -> object:
    """A marker's shape wherever it stands: its tag, or a path's corners relative to the first."""
    if marker.tag != f"{SVG}path":
        return marker.tag
    numbers = [float(n) for n in re.findall(r"-?[\d.]+", marker.attrib["d"])]
    points = list(zip(numbers[::2], numbers[1::2], strict=True))
    return tuple((round(x - points[0][0], 1), round(y - points[0][1], 1)) for x, y in points)


def contrast(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


# --------------------------------------------------------------------------------------------
# Structure and accessibility


@pytest.mark.parametrize("kind", KINDS)
def test_root_is_an_accessible_image_with_title_and_desc(kind: str) -> None:
    root = parse(sample(kind))
    assert root.tag == f"{SVG}svg"
    assert root.attrib["role"] == "img"
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    title = root.find(f"svg:title[@id='{title_id}']", NS)
    desc = root.find(f"svg:desc[@id='{desc_id}']", NS)
    assert title is not None and title.text == "Plaatsingen per maand"
    assert desc is not None and desc.text
    assert list(root)[:2] == [title, desc]  # first children, as screen readers expect
    assert root.attrib["viewBox"] == f"0 0 {root.attrib['width']} {root.attrib['height']}"
    assert re.fullmatch(r"chart-plaatsingen-per-maand-[0-9a-f]{8}", chart_id(root))


def test_ids_are_stable_and_differ_between_charts_on_one_page() -> None:
    assert chart_id(parse(sample())) == chart_id(parse(sample()))
    same_title_other_data = sample(series=[Series("Plaatsingen", [1, 2, 3, 4, 5, 6])])
    assert chart_id(parse(sample())) != chart_id(parse(same_title_other_data))
    assert chart_id(parse(sample("bar"))) != chart_id(parse(sample("line")))
    page = sample("bar") + sample("line") + sample("hbar")
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("kind", KINDS)
def test_output_is_deterministic(kind: str) -> None:
    first = sample(kind, series=[Series("a", [1.5, None, 3, -2, 0, 7]), Series("b", [1] * 6)])
    second = sample(kind, series=[Series("a", [1.5, None, 3, -2, 0, 7]), Series("b", [1] * 6)])
    assert first == second


def test_desc_tells_in_dutch_what_the_chart_shows() -> None:
    root = parse(sample(description="Aantal plaatsingen in betaald werk"))
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert desc.text == (
        "Aantal plaatsingen in betaald werk. Staafdiagram met 6 categorieën: jan, feb, mrt, "
        "apr, mei en jun. Reeks: Plaatsingen. Hoogste waarde: 1.100 (jun). Laagste waarde: "
        "38 (mei). Geen gegevens voor 1 van de 6 waarden. Doel: 50."
    )


def test_desc_names_highest_and_lowest_per_series_when_there_are_several() -> None:
    svg = hbar_chart(
        title="Uitstroom",
        labels=MUNICIPALITIES,
        series=[
            Series("2024", [Decimal("12.5"), 10, 8, 15, Decimal("9.25")]),
            Series("2025", [None, None, 7, None, None]),
        ],
        unit="%",
    )
    desc = parse(svg).find("svg:desc", NS)
    assert desc is not None and desc.text is not None
    assert "Liggend staafdiagram met 5 categorieën" in desc.text
    assert "2 reeksen: 2024 en 2025." in desc.text
    assert "2024: hoogste waarde 15 % (Heumen), laagste waarde 8 % (Druten)." in desc.text
    assert "2025: één waarde, 7 % (Druten)." in desc.text


def test_text_alternative_for_the_pdf_is_title_and_desc() -> None:
    svg = sample(title="Uitstroom & doel")
    desc = parse(svg).find("svg:desc", NS)
    assert desc is not None
    assert text_alternative(svg) == f"Uitstroom & doel. {desc.text}"


def test_legend_only_with_several_series() -> None:
    one = parse(sample(series=[Series("Plaatsingen", [1, 2, 3, 4, 5, 6])]))
    assert "Plaatsingen" not in texts(one)
    two = parse(sample(series=[Series("Nijmegen", [1] * 6), Series("Wijchen", [2] * 6)]))
    assert {"Nijmegen", "Wijchen"} <= set(texts(two))


def test_text_is_dark_enough_and_series_colours_stand_out() -> None:
    svg = sample(series=[Series(str(i), [i + 1] * 6) for i in range(charts.MAX_SERIES)])
    root = parse(svg)
    fills = {t.attrib["fill"] for t in root.iter(f"{SVG}text")}
    assert fills and all(contrast(c) >= 4.5 for c in fills)
    # graphics: 3:1 against white (WCAG 1.4.11), or a dark outline around the shape
    assert all(contrast(c) >= 3 for c in charts.PALETTE[:5])
    assert contrast(charts.OUTLINE) >= 3
    for index in range(charts.MAX_SERIES):
        assert all(r.attrib["stroke"] == charts.OUTLINE for r in bars(root, index))


def test_series_differ_by_more_than_colour() -> None:
    root = parse(sample(series=[Series(str(i), [i + 1] * 6) for i in range(4)]))
    hatches = []
    for index in range(4):
        found = group(root, f"series-{index}")
        assert found is not None
        hatches.append(tuple(p.attrib["d"][:40] for p in found.findall("svg:path", NS)))
    assert hatches[0] == ()  # the first series is solid, the others hatched, each differently
    assert all(hatches[1:]) and len({h[0] for h in hatches[1:]}) == 3

    lines = parse(
        line_chart(title="t", labels=MONTHS, series=[Series(str(i), [i] * 6) for i in range(6)])
    )
    dashes, shapes = set(), set()
    for index in range(6):
        found = group(lines, f"series-{index}")
        assert found is not None
        path = found.find("svg:path", NS)
        assert path is not None
        dashes.add(path.attrib.get("stroke-dasharray", ""))
        marker = list(found)[1]
        shapes.add(shape(marker))
    assert len(dashes) == 6 and len(shapes) == 6


@pytest.mark.parametrize("kind", KINDS)
def test_only_markup_fpdf2_draws(kind: str) -> None:
    svg = sample(kind, series=[Series(str(i), [i - 2] * 6) for i in range(6)], unit="%")
    for forbidden in ("<style", "class=", "foreignObject", "textLength", "mask", "filter", "url("):
        assert forbidden not in svg
    root = parse(svg)
    allowed = {"svg", "title", "desc", "g", "rect", "line", "path", "circle", "text"}
    assert {e.tag.removeprefix(SVG) for e in root.iter()} <= allowed
    for text in root.iter(f"{SVG}text"):
        assert text.attrib["font-family"] == "Helvetica, Arial, sans-serif"
        assert float(text.attrib["font-size"]) >= 11


# --------------------------------------------------------------------------------------------
# Geometry: bars, lines and the target


def test_bar_heights_are_proportional_to_the_values() -> None:
    values = [10, 20, 35, None, 0, Decimal("2.5")]
    root = parse(sample(series=[Series("x", values)], target=None))
    rects = bars(root)
    known = [v for v in values if v is not None]
    assert len(rects) == len(known)
    per_unit = f(rects[0], "height") / 10
    bottoms = {round(f(r, "y") + f(r, "height"), 1) for r in rects}
    assert len(bottoms) == 1  # all stand on the zero line
    for rect, value in zip(rects, known, strict=True):
        assert f(rect, "height") == pytest.approx(float(value) * per_unit, abs=0.02)


def test_negative_bars_go_down_from_zero() -> None:
    root = parse(sample(series=[Series("Saldo", [-10, 20, -5, 0, 15, 5])], target=None))
    rects = bars(root)
    zero_y = f(rects[1], "y") + f(rects[1], "height")
    assert f(rects[0], "y") == pytest.approx(zero_y, abs=0.01)  # hangs from zero
    assert f(rects[0], "height") == pytest.approx(f(rects[1], "height") / 2, abs=0.02)
    assert "-10" in texts(root)  # the axis spans the negative values
    assert "-5" in texts(root)  # value label


def test_hbar_widths_are_proportional_and_negative_bars_go_left() -> None:
    svg = hbar_chart(title="t", labels=MUNICIPALITIES, series=[Series("x", [100, 50, -25, 0, 75])])
    rects = bars(parse(svg))
    zero_x = f(rects[0], "x")
    per_unit = f(rects[0], "width") / 100
    assert f(rects[1], "width") == pytest.approx(50 * per_unit, abs=0.02)
    assert f(rects[2], "x") + f(rects[2], "width") == pytest.approx(zero_x, abs=0.01)
    assert f(rects[2], "width") == pytest.approx(25 * per_unit, abs=0.02)


@pytest.mark.parametrize("target", [40, Decimal("57.5"), 80])
def test_target_line_is_at_the_target_value(target: int | Decimal) -> None:
    values = [target, 80, 20]
    root = parse(
        bar_chart(title="t", labels=["a", "b", "c"], series=[Series("x", values)], target=target)
    )
    line = target_line(root)
    assert f(line, "y1") == f(line, "y2")
    assert f(line, "y1") == pytest.approx(f(bars(root)[0], "y"), abs=0.01)

    root = parse(
        line_chart(title="t", labels=["a", "b", "c"], series=[Series("x", values)], target=target)
    )
    marker = root.find(f".//svg:g[@id='{chart_id(root)}-series-0']/svg:circle", NS)
    assert marker is not None
    assert f(target_line(root), "y1") == pytest.approx(f(marker, "cy"), abs=0.01)

    root = parse(
        hbar_chart(title="t", labels=["a", "b", "c"], series=[Series("x", values)], target=target)
    )
    first = bars(root)[0]
    assert f(target_line(root), "x1") == pytest.approx(f(first, "x") + f(first, "width"), abs=0.01)


def test_target_beyond_the_data_widens_the_axis() -> None:
    root = parse(sample(series=[Series("x", [1, 2, 3, 4, 5, 6])], target=95))
    assert "100" in texts(root)
    assert {"Doel", "95"} <= set(texts(root))


def test_line_breaks_where_a_value_is_missing() -> None:
    root = parse(
        line_chart(title="t", labels=MONTHS, series=[Series("x", [1, 2, None, 4, 5, None])])
    )
    found = group(root, "series-0")
    assert found is not None
    path = found.find("svg:path", NS)
    assert path is not None and path.attrib["d"].count("M") == 2
    assert len(found.findall("svg:circle", NS)) == 4

    root = parse(
        line_chart(title="t", labels=MONTHS, series=[Series("x", [1, None, 3, None, 5, None])])
    )
    found = group(root, "series-0")
    assert found is not None
    assert found.find("svg:path", NS) is None  # no segment to draw, only markers
    assert len(found.findall("svg:circle", NS)) == 3


def test_value_labels_only_up_to_twelve_bars() -> None:
    labels = [f"m{i}" for i in range(13)]
    twelve = parse(bar_chart(title="t", labels=labels[:12], series=[Series("x", list(range(12)))]))
    assert group(twelve, "values") is not None
    thirteen = parse(bar_chart(title="t", labels=labels, series=[Series("x", list(range(13)))]))
    assert group(thirteen, "values") is None


def test_long_municipality_names_fit_in_the_hbar_margin() -> None:
    long_name = "Gemeente " + "Heel Erg Lange Naam " * 6
    svg = hbar_chart(title="t", labels=[*MUNICIPALITIES, long_name], series=[Series("x", [1] * 6)])
    root = parse(svg)
    labels = group(root, "labels")
    assert labels is not None
    shown = {"".join(t.itertext()): t for t in labels}
    assert "Mook en Middelaar" in shown  # whole, not shortened
    for text, element in shown.items():
        assert f(element, "x") - charts.text_width(text) >= 0  # anchor end: starts inside
    assert any(t.endswith("…") and t.startswith("Gemeente Heel") for t in shown)
    first_bar = bars(root)[0]
    assert f(first_bar, "x") > f(shown["Mook en Middelaar"], "x")


def test_crowded_category_labels_are_turned() -> None:
    labels = [f"{m} 2025" for m in MONTHS * 4]
    root = parse(bar_chart(title="t", labels=labels, series=[Series("x", list(range(24)))]))
    found = group(root, "labels")
    assert found is not None
    assert all("rotate(-45" in t.attrib["transform"] for t in found)
    assert float(root.attrib["height"]) >= 280


# --------------------------------------------------------------------------------------------
# Dutch numbers and the axis


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1100, None, "1.100"),
        (Decimal("12.5"), None, "12,5"),
        (12.5, None, "12,5"),
        (-1234567.891, None, "-1.234.567,89"),
        (Decimal("1E+3"), None, "1.000"),
        (-0.001, None, "0"),
        (0.1 + 0.2, None, "0,3"),
        (Decimal("2.5"), 2, "2,50"),
        (Decimal("2.45"), 1, "2,5"),  # half up, not banker's
        (10**21, None, "1.000.000.000.000.000.000.000"),
    ],
)
def test_numbers_are_written_the_dutch_way(
    value: float, decimals: int | None, expected: str
) -> None:
    assert format_number(value, decimals) == expected


def test_values_with_units() -> None:
    assert format_value(Decimal("12.5"), "%") == "12,5 %"
    assert format_value(Decimal("33.333"), "%") == "33,3 %"
    assert format_value(1250, "€") == "€ 1.250"
    assert format_value(Decimal("1594.2"), "€") == "€ 1.594,20"
    assert format_value(45, "plaatsingen") == "45 plaatsingen"


def test_chart_texts_use_dutch_notation() -> None:
    root = parse(sample(series=[Series("x", [Decimal("12.5"), 1100, 3, 4, 5, 6])], unit="%"))
    shown = texts(root)
    assert {"12,5 %", "1.100 %", "1.250 %"} <= set(shown)
    assert not any(re.search(r"\d\.\d{1,2}( |$)|\d,\d{3}\b", t) for t in shown)


def test_unit_words_go_in_a_caption() -> None:
    shown = texts(parse(sample(unit="plaatsingen")))
    assert "Eenheid: plaatsingen" in shown
    assert not any(t.endswith(" plaatsingen") and t[0].isdigit() for t in shown)


@settings(max_examples=300, deadline=None)
@given(
    lo=st.decimals(min_value=-(10**12), max_value=0, allow_nan=False, places=4),
    hi=st.decimals(min_value=0, max_value=10**12, allow_nan=False, places=4),
)
def test_axis_has_four_to_six_nice_ticks_including_zero(lo: Decimal, hi: Decimal) -> None:
    scale = nice_scale(lo, hi)
    assert 4 <= len(scale.ticks) <= 6
    assert scale.ticks[0] <= lo and scale.ticks[-1] >= hi and Decimal(0) in scale.ticks
    mantissa = scale.step.scaleb(-scale.step.adjusted()).normalize()
    assert mantissa in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}
    assert all(b - a == scale.step for a, b in zip(scale.ticks, scale.ticks[1:], strict=False))


# --------------------------------------------------------------------------------------------
# Robustness: escaping, empty data, random input, bad input


@pytest.mark.parametrize("kind", KINDS)
def test_everything_is_escaped(kind: str) -> None:
    nasty = "<script>alert(\"x\")</script> & 'quotes' 🙂 \x00\x1b"
    svg = KINDS[kind](
        title=nasty,
        labels=[nasty, "a&b"],
        series=[Series(nasty, [1, 2]), Series('"b"', [2, None])],
        unit="<eenheid>",
        target=1,
        target_label=nasty,
        description=nasty,
    )
    root = parse(svg)
    assert "<script" not in svg
    title = root.find("svg:title", NS)
    assert title is not None
    assert title.text == "<script>alert(\"x\")</script> & 'quotes' 🙂"
    assert any("a&b" in t for t in texts(root))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("labels", "series"),
    [
        ([], []),
        (["a", "b"], []),
        (["a", "b"], [Series("x", [None, None])]),
        ([], [Series("x", [])]),
    ],
)
def test_no_data_gives_a_valid_chart_saying_so(
    kind: str, labels: list[str], series: list[Series]
) -> None:
    root = parse(KINDS[kind](title="Leeg", labels=labels, series=series, target=5))
    assert "Geen gegevens" in texts(root)
    desc = root.find("svg:desc", NS)
    assert desc is not None and desc.text == "Geen gegevens."
    assert group(root, "series-0") is None


values_strategy = st.one_of(
    st.none(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@st.composite
def chart_input(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    labels = draw(st.lists(st.text(max_size=40), max_size=15))
    names = draw(st.lists(st.text(max_size=20), max_size=charts.MAX_SERIES))
    series = [
        Series(name, draw(st.lists(values_strategy, min_size=len(labels), max_size=len(labels))))
        for name in names
    ]
    return kind, {
        "title": draw(st.text(max_size=80)),
        "labels": labels,
        "series": series,
        "unit": draw(st.sampled_from(["", "%", "€", "uur"])),
        "target": draw(values_strategy),
        "target_label": draw(st.text(max_size=20)),
        "width": draw(st.integers(min_value=200, max_value=1200)),
        "height": draw(st.integers(min_value=120, max_value=800)),
        "description": draw(st.text(max_size=60)),
    }


def xml_text(text: str) -> str:
    allowed = re.sub("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "", text)
    return " ".join(allowed.split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chart_input())
def test_random_input_always_gives_well_formed_accessible_svg(
    case: tuple[str, dict[str, object]],
) -> None:
    kind, arguments = case
    svg = KINDS[kind](**arguments)
    assert svg == KINDS[kind](**arguments)
    root = parse(svg)
    title = root.find("svg:title", NS)
    assert title is not None and (title.text or "") == xml_text(str(arguments["title"]))
    for ref in root.attrib["aria-labelledby"].split():
        assert root.find(f"*[@id='{ref}']") is not None
    series = arguments["series"]
    assert isinstance(series, list)
    if kind != "line" and group(root, "series-0") is not None:
        for index, one in enumerate(series):
            assert len(bars(root, index)) == sum(v is not None for v in one.values)
    for number in ("width", "height"):
        assert math.isfinite(float(root.attrib[number]))
    for element in root.iter():
        for name in ("x", "y", "width", "height", "x1", "y1", "cx", "cy"):
            if name in element.attrib:
                assert math.isfinite(float(element.attrib[name]))
        for name in ("width", "height"):
            assert float(element.attrib.get(name, 0)) >= 0


def test_invalid_input_is_refused() -> None:
    with pytest.raises(ValueError, match="3 values for 2 labels"):
        bar_chart(title="t", labels=["a", "b"], series=[Series("x", [1, 2, 3])])
    with pytest.raises(ValueError, match="finite"):
        bar_chart(title="t", labels=["a"], series=[Series("x", [float("nan")])])
    with pytest.raises(ValueError, match="finite"):
        line_chart(title="t", labels=["a"], series=[Series("x", [1])], target=Decimal("Infinity"))
    with pytest.raises(ValueError, match="at most 6 series"):
        hbar_chart(title="t", labels=["a"], series=[Series(str(i), [i]) for i in range(7)])
    with pytest.raises(TypeError):
        bar_chart(title="t", labels="abc", series=[Series("x", [1, 2, 3])])


# --------------------------------------------------------------------------------------------
# fpdf2


def embed(svg_bytes: bytes, pdf: FPDF | None = None, **image_args: object) -> bytes:
    pdf = pdf or FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(svg_bytes), x=10, y=10, w=180, **image_args)  # type: ignore[arg-type]
    return bytes(pdf.output())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("empty", [False, True])
def test_fpdf2_embeds_every_kind_without_warnings(
    kind: str, empty: bool, caplog: pytest.LogCaptureFixture
) -> None:
    labels = ["Súdwest-Fryslân", *MUNICIPALITIES]
    svg = sample(
        kind,
        title="Kosten – “loonkostensubsidie” per gemeente 🙂",
        labels=[] if empty else labels,
        series=[]
        if empty
        else [
            Series("Nijmegen", [1250, -300, None, 4000, 2500, 125]),
            Series("Wijchen", [800, 900, 1000, None, 1200, 1300]),
        ],
        unit="€",
        target=2000,
    )
    with caplog.at_level(logging.WARNING), warnings.catch_warnings():
        warnings.simplefilter("error")
        pdf = embed(svg_for_pdf(svg), alt_text=text_alternative(svg))
    assert pdf.startswith(b"%PDF-")
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_raw_svg_would_make_fpdf2_warn_and_svg_for_pdf_removes_the_cause(
    caplog: pytest.LogCaptureFixture,
) -> None:
    svg = sample(title="Kosten in €", unit="€")
    with caplog.at_level(logging.WARNING):
        embed(svg.replace("€", "EUR").encode())
    assert any("<title>" in r.getMessage() for r in caplog.records)  # why svg_for_pdf exists
    ready = svg_for_pdf(svg).decode()
    assert "<title" not in ready and "<desc" not in ready
    assert "€" not in ready and "EUR 1.250" in ready
    parse(ready)


@pytest.mark.skipif(not (DEJAVU.exists() and DEJAVU_BOLD.exists()), reason="no DejaVu fonts")
def test_svg_for_pdf_keeps_every_character_with_a_unicode_font(
    caplog: pytest.LogCaptureFixture,
) -> None:
    svg = sample(title="Kosten – Súdwest-Fryslân in €", unit="€")
    ready = svg_for_pdf(svg, font_family="DejaVu")
    assert b'font-family="DejaVu"' in ready and "€".encode() in ready
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.add_font("DejaVu", style="B", fname=str(DEJAVU_BOLD))
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        embed(ready, pdf)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chart_input())
def test_fpdf2_embeds_random_charts(case: tuple[str, dict[str, object]]) -> None:
    kind, arguments = case
    svg = KINDS[kind](**arguments)
    assert embed(svg_for_pdf(svg)).startswith(b"%PDF-")
