"""Charts as SVG, drawn on the server: one picture for the web page and for the PDF report.

Pure: no Django, standard library only, deterministic (the same input gives a byte-identical
SVG). Three kinds, all with keyword-only arguments:

* :func:`bar_chart` — grouped vertical bars, one group per label (months, municipalities),
  one bar per series;
* :func:`line_chart` — a trend line per series with point markers, a gap where a value is
  ``None``;
* :func:`hbar_chart` — horizontal bars for comparing municipalities; the left margin is
  sized from the longest label, so "Mook en Middelaar" fits.

Each takes an optional target (a dashed line with its label, "Doel" by default).

Accessibility (WCAG 2.1 AA): the root has ``role="img"`` and ``aria-labelledby`` pointing at
its ``<title>`` and ``<desc>``; the ``desc`` tells in Dutch what the chart shows, with the
highest and lowest value of each series. The page still shows the numbers as a table beside
the chart: the SVG is never the only source. Colours are Okabe–Ito (safe for colour-blind
readers); every bar has a dark outline and a series is told apart by its hatching (bars) or
its dash pattern and marker shape (lines) as well as by colour. All text is dark grey on
white (contrast above 10:1).

Only what fpdf2's SVG renderer draws is used: presentational attributes (``fill``,
``stroke``, ``font-family``, ``font-size``, ``text-anchor``, ``transform``) on ``rect``,
``line``, ``path``, ``circle`` and ``text``; no CSS, patterns, masks or filters. fpdf2 does
not know ``<title>``/``<desc>`` (it warns about them) and its built-in Helvetica only has
Latin-1 characters, so a PDF embeds :func:`svg_for_pdf` of the chart, with
:func:`text_alternative` as its ``alt_text``::

    svg = bar_chart(title="Plaatsingen per maand", labels=months, series=[...])
    pdf.image(io.BytesIO(svg_for_pdf(svg)), w=180, alt_text=text_alternative(svg))

Numbers are written the Dutch way: ``1.100``, ``12,5``, ``12,5 %``, ``€ 1.250``.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, localcontext
from xml.sax.saxutils import escape, unescape

__all__ = [
    "FONT_FAMILY",
    "MAX_SERIES",
    "PALETTE",
    "Scale",
    "Series",
    "bar_chart",
    "format_number",
    "format_value",
    "hbar_chart",
    "line_chart",
    "nice_scale",
    "svg_for_pdf",
    "text_alternative",
    "text_width",
]

Number = Decimal | int | float

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "Helvetica, Arial, sans-serif"

# Okabe & Ito (2008), "Color Universal Design". Blue, vermillion, bluish green, reddish purple
# and black stand out from white by 3:1 or more (WCAG 1.4.11); orange does not, which is why
# every bar and marker also has a dark outline.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#E69F00")
MAX_SERIES = len(PALETTE)
HATCHES = ("solid", "diagonal", "horizontal", "back-diagonal", "vertical", "cross")
DASHES = ("", "7 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "plus")

TEXT = "#1a1a1a"  # 17.4:1 on white
MUTED = "#404040"  # 10.4:1 on white
GRID = "#d9d9d9"
AXIS = "#595959"
OUTLINE = "#1a1a1a"
BACKGROUND = "#ffffff"

NO_DATA = "Geen gegevens"
KIND_NAMES = {"bar": "Staafdiagram", "line": "Lijndiagram", "hbar": "Liggend staafdiagram"}

PAD = 12.0
TITLE_SIZE = 16.0
LABEL_SIZE = 12.0
SMALL_SIZE = 11.0
LEGEND_ROW = 20.0
MIN_PLOT = 80.0
MAX_VALUE_LABEL_BARS = 12

_CTX = Context(prec=60)
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Series:
    """One named row of values, one per label; ``None`` means no data for that label."""

    name: str
    values: Sequence[Number | None]


# --------------------------------------------------------------------------------------------
# Numbers in Dutch


def _to_decimal(value: Number) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a chart value must be a number, not a bool")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value)) if math.isfinite(value) else Decimal("NaN")
    else:
        raise TypeError(f"a chart value must be a number, not {type(value).__name__}")
    if not number.is_finite():
        raise ValueError(f"a chart value must be finite, not {value!r}")
    return number


def _decimals_of(value: Decimal) -> int:
    exponent = value.normalize(_CTX).as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked by _to_decimal
    return max(0, -exponent)


def format_number(value: Number, decimals: int | None = None) -> str:
    """``value`` in Dutch notation: ``1.100``, ``12,5``, ``-3``.

    With ``decimals`` it is rounded (half up) to exactly that many decimals; without, to at
    most 2 with trailing zeros left off.
    """
    number = _to_decimal(value)
    places = decimals if decimals is not None else min(2, _decimals_of(number))
    context = Context(prec=max(28, number.adjusted() + places + 8))
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=context)
    if decimals is None:
        rounded = rounded.normalize(context)
    if rounded.is_zero():
        rounded = rounded.copy_abs()
    text = format(rounded, ",f")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_value(value: Number, unit: str = "", decimals: int | None = None) -> str:
    """``value`` with its unit, as written in Dutch: ``12,5 %``, ``€ 1.250,50``, ``45 uur``.

    Without ``decimals``: euros get 0 or 2 decimals, percentages at most 1, others at most 2.
    """
    number = _to_decimal(value)
    if unit == "€":
        places = decimals if decimals is not None else (0 if _decimals_of(number) == 0 else 2)
        return f"€ {format_number(number, places)}"
    if unit == "%" and decimals is None:
        return f"{format_number(number.quantize(Decimal('0.1'), ROUND_HALF_UP, _big(number)))} %"
    text = format_number(number, decimals)
    return f"{text} {unit}" if unit else text


def _big(number: Decimal) -> Context:
    return Context(prec=max(28, number.adjusted() + 10))


def _tick_text(value: Decimal, unit: str, decimals: int) -> str:
    """An axis tick: the unit only where it is a sign (``%``, ``€``), else a caption says it."""
    if unit in ("%", "€"):
        return format_value(value, unit, decimals)
    return format_number(value, decimals)


# --------------------------------------------------------------------------------------------
# Text


def _clean(text: str) -> str:
    """Characters XML 1.0 allows, whitespace collapsed to single spaces."""
    return " ".join(_INVALID_XML.sub("", text).split())


def _char_width(char: str) -> float:
    """A character's advance in em, on the wide side of Helvetica/Arial and DejaVu Sans (the
    fallback on Linux), so that text measured with it fits in either."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char == "€":
        return 1.9  # "EUR" in a PDF with the built-in Helvetica (see svg_for_pdf)
    if char in " .,:;'|!ijlIft()[]-":
        return 0.36
    if char.isupper() or char in "mwMW%@":
        return 0.76
    return 0.6


def text_width(text: str, size: float = LABEL_SIZE, *, bold: bool = False) -> float:
    """An estimate of the width of ``text`` in px (about 7 px a character at 12 px), a little
    generous; wide (East Asian, emoji) characters count as a full em."""
    width = sum(_char_width(char) for char in text) * size
    return width * 1.12 if bold else width


def _truncate(text: str, max_width: float, size: float, *, bold: bool = False) -> str:
    if text_width(text, size, bold=bold) <= max_width:
        return text
    ellipsis = "…"
    budget = max_width - text_width(ellipsis, size, bold=bold)
    kept = ""
    for char in text:
        if text_width(kept + char, size, bold=bold) > budget:
            break
        kept += char
    return kept.rstrip() + ellipsis


def _wrap_lines(text: str, max_width: float, size: float, *, bold: bool, lines: int) -> list[str]:
    """Word-wrap ``text`` into at most ``lines`` lines; the last one takes what is left."""
    words = text.split(" ")
    result: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold=bold) > max_width:
            if len(result) == lines - 1:
                current = " ".join([current, *words[index:]])
                break
            result.append(current)
            current = word
        else:
            current = candidate
    result.append(current)
    return result


def _wrap(
    text: str, max_width: float, size: float, *, bold: bool = False, lines: int = 2
) -> list[str]:
    """Word-wrap ``text`` into at most ``lines`` lines; the last one is shortened with "…"."""
    return [
        _truncate(line, max_width, size, bold=bold)
        for line in _wrap_lines(text, max_width, size, bold=bold, lines=lines)
    ]


def _dutch_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} en {items[-1]}"


# --------------------------------------------------------------------------------------------
# SVG writing


def _px(value: float) -> str:
    rounded = round(value, 2)
    if rounded == 0:
        return "0"
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def _attrs(attrs: Sequence[tuple[str, str | float]]) -> str:
    parts = []
    for name, value in attrs:
        text = _px(value) if isinstance(value, float | int) else value
        parts.append(f'{name}="{escape(text, {chr(34): "&quot;"})}"')
    return " ".join(parts)


class _Canvas:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def element(
        self,
        tag: str,
        attrs: Sequence[tuple[str, str | float]],
        text: str | None = None,
        tooltip: str | None = None,
    ) -> None:
        opening = f"<{tag} {_attrs(attrs)}"
        if text is None and tooltip is None:
            self.parts.append(opening + "/>")
            return
        inner = escape(text) if text is not None else ""
        if tooltip is not None:
            inner += f"<title>{escape(tooltip)}</title>"
        self.parts.append(f"{opening}>{inner}</{tag}>")

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        size: float = LABEL_SIZE,
        anchor: str = "start",
        fill: str = TEXT,
        bold: bool = False,
        rotate: float | None = None,
    ) -> None:
        attrs: list[tuple[str, str | float]] = [
            ("x", x),
            ("y", y),
            ("font-family", FONT_FAMILY),
            ("font-size", size),
            ("fill", fill),
        ]
        if anchor != "start":
            attrs.append(("text-anchor", anchor))
        if bold:
            attrs.append(("font-weight", "bold"))
        if rotate is not None:
            attrs.append(("transform", f"rotate({_px(rotate)} {_px(x)} {_px(y)})"))
        self.element("text", attrs, content)

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        stroke: str,
        width: float = 1.0,
        dash: str = "",
        element_id: str | None = None,
    ) -> None:
        attrs: list[tuple[str, str | float]] = [("id", element_id)] if element_id else []
        attrs += [
            ("x1", x1),
            ("y1", y1),
            ("x2", x2),
            ("y2", y2),
            ("stroke", stroke),
            ("stroke-width", width),
        ]
        if dash:
            attrs.append(("stroke-dasharray", dash))
        self.element("line", attrs)

    def open_group(self, group_id: str) -> None:
        self.parts.append(f'<g id="{group_id}">')

    def close_group(self) -> None:
        self.parts.append("</g>")


def _hatch_path(x: float, y: float, w: float, h: float, hatch: str) -> str:
    """Path data for white hatching inside a bar (inset 1 px, clear of the outline)."""
    x0, y0, x1, y1 = x + 1, y + 1, x + w - 1, y + h - 1
    if hatch == "solid" or x1 - x0 < 1 or y1 - y0 < 1:
        return ""
    step = 6.0
    segments: list[tuple[float, float, float, float]] = []
    if hatch == "horizontal":
        yy = y0 + step / 2
        while yy < y1:
            segments.append((x0, yy, x1, yy))
            yy += step
    if hatch == "vertical":
        xx = x0 + step / 2
        while xx < x1:
            segments.append((xx, y0, xx, y1))
            xx += step
    if hatch in ("diagonal", "cross"):
        # lines x + y = c, rising to the right
        c = x0 + y0 + step
        while c < x1 + y1:
            sx, ex = max(x0, c - y1), min(x1, c - y0)
            if ex > sx:
                segments.append((sx, c - sx, ex, c - ex))
            c += step
    if hatch in ("back-diagonal", "cross"):
        # lines x - y = c, falling to the right
        c = x0 - y1 + step
        while c < x1 - y0:
            sx, ex = max(x0, c + y0), min(x1, c + y1)
            if ex > sx:
                segments.append((sx, sx - c, ex, ex - c))
            c += step
    return " ".join(f"M{_px(a)} {_px(b)}L{_px(c2)} {_px(d)}" for a, b, c2, d in segments)


def _bar(
    canvas: _Canvas, x: float, y: float, w: float, h: float, index: int, tooltip: str | None
) -> None:
    canvas.element(
        "rect",
        [
            ("x", x),
            ("y", y),
            ("width", w),
            ("height", h),
            ("fill", PALETTE[index]),
            ("stroke", OUTLINE),
            ("stroke-width", 0.75),
        ],
        tooltip=tooltip,
    )
    hatch = _hatch_path(x, y, w, h, HATCHES[index])
    if hatch:
        canvas.element("path", [("d", hatch), ("stroke", BACKGROUND), ("stroke-width", 1.25)])


def _marker(canvas: _Canvas, x: float, y: float, index: int, tooltip: str | None) -> None:
    shape = MARKERS[index]
    style: list[tuple[str, str | float]] = [
        ("fill", PALETTE[index]),
        ("stroke", OUTLINE),
        ("stroke-width", 0.75),
    ]
    if shape == "circle":
        canvas.element("circle", [("cx", x), ("cy", y), ("r", 4.0), *style], tooltip=tooltip)
        return
    if shape == "square":
        canvas.element(
            "rect",
            [("x", x - 3.6), ("y", y - 3.6), ("width", 7.2), ("height", 7.2), *style],
            tooltip=tooltip,
        )
        return
    shapes: dict[str, list[tuple[float, float]]] = {
        "triangle": [(0, -5), (4.6, 3.2), (-4.6, 3.2)],
        "triangle-down": [(0, 5), (4.6, -3.2), (-4.6, -3.2)],
        "diamond": [(0, -5), (5, 0), (0, 5), (-5, 0)],
        "plus": [
            (-1.6, -5),
            (1.6, -5),
            (1.6, -1.6),
            (5, -1.6),
            (5, 1.6),
            (1.6, 1.6),
            (1.6, 5),
            (-1.6, 5),
            (-1.6, 1.6),
            (-5, 1.6),
            (-5, -1.6),
            (-1.6, -1.6),
        ],
    }
    d = "M" + "L".join(f"{_px(x + dx)} {_px(y + dy)}" for dx, dy in shapes[shape]) + "Z"
    canvas.element("path", [("d", d), *style], tooltip=tooltip)


# --------------------------------------------------------------------------------------------
# Data and scale


@dataclass(frozen=True)
class _Data:
    labels: tuple[str, ...]
    names: tuple[str, ...]
    values: tuple[tuple[Decimal | None, ...], ...]  # one tuple per series
    target: Decimal | None

    @property
    def known(self) -> list[Decimal]:
        return [v for row in self.values for v in row if v is not None]

    @property
    def empty(self) -> bool:
        return not self.labels or not self.known


def _data(labels: Sequence[str], series: Sequence[Series], target: Number | None) -> _Data:
    if isinstance(labels, str):
        raise TypeError("labels must be a sequence of strings, not one string")
    if len(series) > MAX_SERIES:
        raise ValueError(f"a chart shows at most {MAX_SERIES} series, not {len(series)}")
    rows = []
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(
                f"series {one.name!r} has {len(one.values)} values for {len(labels)} labels"
            )
        rows.append(tuple(None if v is None else _to_decimal(v) for v in one.values))
    return _Data(
        labels=tuple(_clean(str(label)) for label in labels),
        names=tuple(_clean(one.name) for one in series),
        values=tuple(rows),
        target=None if target is None else _to_decimal(target),
    )


@dataclass(frozen=True)
class Scale:
    """A value axis from ``lo`` to ``hi`` (both ticks), always including 0."""

    lo: Decimal
    hi: Decimal
    step: Decimal
    ticks: tuple[Decimal, ...]

    @property
    def decimals(self) -> int:
        return _decimals_of(self.step)

    def ratio(self, value: Decimal) -> float:
        """Where ``value`` lies on the axis: 0.0 at ``lo``, 1.0 at ``hi``."""
        with localcontext(_CTX):
            return float((value - self.lo) / (self.hi - self.lo))


def nice_scale(lo: Decimal, hi: Decimal) -> Scale:
    """An axis that spans ``lo``..``hi`` and 0 with 4 to 6 ticks at a step of 1, 2, 2,5 or 5
    times a power of ten."""
    lo, hi = min(lo, Decimal(0)), max(hi, Decimal(0))
    if lo == hi:
        hi = Decimal(1)
    with localcontext(_CTX):
        span = hi - lo
        first: Scale | None = None
        for exponent in range(span.adjusted() - 2, span.adjusted() + 2):
            for mantissa in ("1", "2", "2.5", "5"):
                step = Decimal(mantissa).scaleb(exponent)
                bottom = (lo / step).to_integral_value(rounding=ROUND_FLOOR) * step
                top = (hi / step).to_integral_value(rounding=ROUND_CEILING) * step
                count = int((top - bottom) / step) + 1
                if count <= 6:
                    ticks = tuple(bottom + step * i for i in range(count))
                    first = Scale(lo=bottom, hi=top, step=step, ticks=ticks)
                    break
            if first is not None:
                break
    assert first is not None  # step 10^(adjusted+1) always gives at most 3 ticks
    return first


def _chart_id(kind: str, title: str, data: _Data, extra: Sequence[object]) -> str:
    """An id unique to this chart's content and stable across runs: slug + short hash."""
    slug = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:32].strip("-") or "grafiek"
    fingerprint = repr((kind, title, data, tuple(extra))).encode("utf-8", "replace")
    return f"chart-{slug}-{hashlib.sha256(fingerprint).hexdigest()[:8]}"


# --------------------------------------------------------------------------------------------
# The text alternative


def _summary(kind: str, data: _Data, unit: str, target_label: str, description: str) -> str:
    parts: list[str] = []
    if description.strip():
        text = _clean(description)
        parts.append(text if text.endswith((".", "!", "?")) else text + ".")
    if data.empty:
        parts.append(f"{NO_DATA}.")
        return " ".join(parts)
    n = len(data.labels)
    noun = "categorie" if n == 1 else "categorieën"
    if n <= 12:
        parts.append(f"{KIND_NAMES[kind]} met {n} {noun}: {_dutch_list(data.labels)}.")
    else:
        parts.append(
            f"{KIND_NAMES[kind]} met {n} {noun}, van {data.labels[0]} tot en met {data.labels[-1]}."
        )
    if len(data.names) == 1:
        parts.append(f"Reeks: {data.names[0]}.")
    else:
        parts.append(f"{len(data.names)} reeksen: {_dutch_list(data.names)}.")
    for name, row in zip(data.names, data.values, strict=True):
        points = [(v, label) for v, label in zip(row, data.labels, strict=True) if v is not None]
        prefix = f"{name}: " if len(data.names) > 1 else ""
        if not points:
            parts.append(f"{prefix}{NO_DATA.lower()}.")
            continue
        if len(points) == 1:
            value, label = points[0]
            parts.append(f"{prefix}één waarde, {format_value(value, unit)} ({label}).")
            continue
        high = max(points, key=lambda p: p[0])  # the first of equals
        low = min(points, key=lambda p: p[0])
        high_text = f"{format_value(high[0], unit)} ({high[1]})"
        low_text = f"{format_value(low[0], unit)} ({low[1]})"
        if prefix:
            parts.append(f"{prefix}hoogste waarde {high_text}, laagste waarde {low_text}.")
        else:
            parts.append(f"Hoogste waarde: {high_text}. Laagste waarde: {low_text}.")
    missing = sum(1 for row in data.values for v in row if v is None)
    if missing:
        total = len(data.labels) * len(data.values)
        parts.append(f"Geen gegevens voor {missing} van de {total} waarden.")
    if data.target is not None:
        parts.append(f"{_clean(target_label) or 'Doel'}: {format_value(data.target, unit)}.")
    return " ".join(parts)


# --------------------------------------------------------------------------------------------
# Shared frame: root, title, legend, unit caption, "Geen gegevens"


@dataclass
class _Frame:
    canvas: _Canvas
    chart_id: str
    width: float
    height: float
    header_bottom: float
    title: str
    summary: str

    def finish(self) -> str:
        w, h = _px(self.width), _px(self.height)
        head = (
            f'<svg xmlns="{SVG_NS}" role="img" '
            f'aria-labelledby="{self.chart_id}-title {self.chart_id}-desc" '
            f'viewBox="0 0 {w} {h}" width="{w}" height="{h}">\n'
            f'<title id="{self.chart_id}-title">{escape(self.title)}</title>\n'
            f'<desc id="{self.chart_id}-desc">{escape(self.summary)}</desc>\n'
            f'<rect x="0" y="0" width="{w}" height="{h}" fill="{BACKGROUND}"/>\n'
        )
        return head + "\n".join(self.canvas.parts) + "\n</svg>\n"


def _frame(
    kind: str,
    *,
    title: str,
    data: _Data,
    unit: str,
    target_label: str,
    width: int,
    height: int,
    description: str,
) -> _Frame:
    if width < 200 or height < 120:
        raise ValueError("a chart is at least 200 × 120 px")
    clean_title = _clean(title)
    canvas = _Canvas()
    y = PAD
    for line in _wrap(clean_title, width - 2 * PAD, TITLE_SIZE, bold=True):
        y += TITLE_SIZE + 3
        canvas.text(PAD, y, line, size=TITLE_SIZE, bold=True)
    y += 6
    if not data.empty and len(data.names) > 1:
        y = _legend(canvas, kind, data.names, float(width), y)
    if not data.empty and unit not in ("", "%", "€"):
        y += SMALL_SIZE + 2
        canvas.text(
            PAD,
            y,
            _truncate(f"Eenheid: {_clean(unit)}", width - 2 * PAD, SMALL_SIZE),
            size=SMALL_SIZE,
            fill=MUTED,
        )
        y += 2
    return _Frame(
        canvas=canvas,
        chart_id=_chart_id(kind, title, data, [unit, target_label, width, height, description]),
        width=float(width),
        height=float(height),
        header_bottom=y,
        title=clean_title,
        summary=_summary(kind, data, unit, target_label, description),
    )


def _legend(canvas: _Canvas, kind: str, names: Sequence[str], width: float, top: float) -> float:
    """Legend entries left to right, wrapping to a new row; returns the bottom."""
    x, row_top = PAD, top
    available = width - 2 * PAD
    for index, raw in enumerate(names):
        name = _truncate(raw, available - 22, LABEL_SIZE)
        entry = 22 + text_width(name)
        if x > PAD and x + entry > width - PAD:
            x, row_top = PAD, row_top + LEGEND_ROW
        middle = row_top + LEGEND_ROW / 2
        if kind == "line":
            canvas.line(x, middle, x + 22, middle, PALETTE[index], 2.5, DASHES[index])
            _marker(canvas, x + 11, middle, index, None)
            text_x = x + 28
        else:
            _bar(canvas, x, middle - 7, 14, 14, index, None)
            text_x = x + 20
        canvas.text(text_x, middle + 4, name)
        x = text_x + text_width(name) + 18
    return row_top + LEGEND_ROW + 2


def _empty(frame: _Frame) -> str:
    middle = (frame.header_bottom + frame.height) / 2
    frame.canvas.text(frame.width / 2, middle, NO_DATA, size=14, anchor="middle", fill=MUTED)
    return frame.finish()


def _value_unit(unit: str) -> str:
    """The unit written next to a value label: only signs, other units are in the caption."""
    return unit if unit in ("%", "€") else ""


# --------------------------------------------------------------------------------------------
# Vertical charts: bars and lines


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    target: Number | None = None,
    target_label: str = "Doel",
    width: int = 640,
    height: int = 280,
    description: str = "",
) -> str:
    """Grouped vertical bars: one group per label, one bar per series, from 0 (up or down).

    ``unit`` is ``"%"``, ``"€"``, a word (``"plaatsingen"``, shown as a caption) or empty.
    Value labels are written on the bars when there are at most 12 bars and they fit. The
    height grows when the title, legend and labels leave too little room for the plot.
    """
    return _vertical(
        "bar",
        title=title,
        labels=labels,
        series=series,
        unit=unit,
        target=target,
        target_label=target_label,
        width=width,
        height=height,
        description=description,
    )


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    target: Number | None = None,
    target_label: str = "Doel",
    width: int = 640,
    height: int = 280,
    description: str = "",
) -> str:
    """A trend line per series with a marker per point; a gap where a value is ``None``.

    The axis includes 0. With one series and at most 12 points every point gets its value.
    """
    return _vertical(
        "line",
        title=title,
        labels=labels,
        series=series,
        unit=unit,
        target=target,
        target_label=target_label,
        width=width,
        height=height,
        description=description,
    )


@dataclass(frozen=True)
class _CategoryLabels:
    mode: str  # "flat" | "wrapped" | "rotated"
    lines: tuple[tuple[str, ...], ...]
    every: int
    height: float
    widest_first: float


def _category_labels(labels: Sequence[str], band: float) -> _CategoryLabels:
    available = band - 6
    flat = [_truncate(label, 200, SMALL_SIZE) for label in labels]
    if all(text_width(label, SMALL_SIZE) <= available for label in flat):
        return _CategoryLabels("flat", tuple((t,) for t in flat), 1, 18, 0)
    wrapped = [
        tuple(_wrap_lines(label, available, SMALL_SIZE, bold=False, lines=2)) for label in flat
    ]
    if available >= 30 and all(
        text_width(line, SMALL_SIZE) <= available for lines in wrapped for line in lines
    ):
        return _CategoryLabels("wrapped", tuple(wrapped), 1, 32, 0)
    rotated = [_truncate(label, 130, SMALL_SIZE) for label in labels]
    every = max(1, math.ceil(14 / band))
    widest = max(text_width(t, SMALL_SIZE) for t in rotated[::every])
    return _CategoryLabels(
        "rotated",
        tuple((t,) for t in rotated),
        every,
        widest * 0.71 + 22,
        text_width(rotated[0], SMALL_SIZE) * 0.71,
    )


def _start(
    kind: str,
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    target: Number | None,
    target_label: str,
    width: int,
    height: int,
    description: str,
) -> str | tuple[_Data, _Frame, Scale, list[str]]:
    """What every chart begins with: the data, the frame (title, description, legend) and
    the value axis; or, without any value, the finished empty chart."""
    data = _data(labels, series, target)
    frame = _frame(
        kind,
        title=title,
        data=data,
        unit=unit,
        target_label=target_label,
        width=width,
        height=height,
        description=description,
    )
    if data.empty:
        return _empty(frame)
    values = data.known + ([data.target] if data.target is not None else [])
    scale = nice_scale(min(values), max(values))
    return data, frame, scale, [_tick_text(t, unit, scale.decimals) for t in scale.ticks]


def _vertical(
    kind: str,
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str,
    target: Number | None,
    target_label: str,
    width: int,
    height: int,
    description: str,
) -> str:
    started = _start(
        kind,
        title=title,
        labels=labels,
        series=series,
        unit=unit,
        target=target,
        target_label=target_label,
        width=width,
        height=height,
        description=description,
    )
    if isinstance(started, str):
        return started
    data, frame, scale, tick_texts = started
    canvas, cid = frame.canvas, frame.chart_id
    n, k = len(data.labels), len(data.names)

    target_lines: tuple[str, str] | None = None
    right = PAD
    if data.target is not None:
        name = _truncate(_clean(target_label) or "Doel", 90, SMALL_SIZE)
        target_lines = (name, format_value(data.target, _value_unit(unit)))
        right += 6 + max(text_width(t, SMALL_SIZE) for t in target_lines)
    left = PAD + min(max(text_width(t, SMALL_SIZE) for t in tick_texts), width * 0.3) + 8
    plot_w = max(frame.width - left - right, 40.0)
    band = plot_w / n
    cats = _category_labels(data.labels, band)
    if cats.mode == "rotated":
        overflow = cats.widest_first - (left + band / 2) + 4
        if overflow > 0:
            left += overflow
            plot_w = max(frame.width - left - right, 40.0)
            band = plot_w / n

    # value labels
    vunit = _value_unit(unit)
    group_w = min(band * 0.8, k * 48.0)
    bar_w = group_w / k
    value_texts = [
        [None if v is None else format_value(v, vunit) for v in row] for row in data.values
    ]
    widest_value = max(text_width(t, SMALL_SIZE) for row in value_texts for t in row if t)
    if kind == "bar":
        value_slot = band - 4 if k == 1 else bar_w - 2
        show_values = len(data.known) <= MAX_VALUE_LABEL_BARS and widest_value <= value_slot
    else:
        show_values = k == 1 and n <= MAX_VALUE_LABEL_BARS and widest_value <= band - 4
    negative = any(v < 0 for v in data.known)
    top_room = 18.0 if show_values or target_lines else 8.0
    bottom_room = 16.0 if show_values and negative else 0.0

    plot_top = frame.header_bottom + top_room
    needed = plot_top + MIN_PLOT + bottom_room + cats.height + PAD
    frame.height = max(frame.height, needed)
    plot_bottom = frame.height - PAD - cats.height - bottom_room
    plot_h = plot_bottom - plot_top

    def y_of(value: Decimal) -> float:
        return plot_bottom - scale.ratio(value) * plot_h

    # grid and value axis
    canvas.open_group(f"{cid}-axis")
    for tick, text in zip(scale.ticks, tick_texts, strict=True):
        y = y_of(tick)
        canvas.line(left, y, left + plot_w, y, AXIS if tick == 0 else GRID, 1.0)
        canvas.text(left - 6, y + 4, text, size=SMALL_SIZE, anchor="end", fill=MUTED)
    canvas.close_group()

    # category labels
    label_top = plot_bottom + bottom_room
    canvas.open_group(f"{cid}-labels")
    for i, lines in enumerate(cats.lines):
        if i % cats.every:
            continue
        cx = left + band * (i + 0.5)
        if cats.mode == "rotated":
            canvas.text(cx + 4, label_top + 12, lines[0], size=SMALL_SIZE, anchor="end", rotate=-45)
            continue
        for j, line in enumerate(lines):
            canvas.text(cx, label_top + 15 + j * 13, line, size=SMALL_SIZE, anchor="middle")
    canvas.close_group()

    zero_y = y_of(Decimal(0))
    for s, row in enumerate(data.values):
        canvas.open_group(f"{cid}-series-{s}")
        if kind == "bar":
            for i, value in enumerate(row):
                if value is None:
                    continue
                x = left + band * (i + 0.5) - group_w / 2 + s * bar_w
                y = y_of(value)
                gap = min(1.0, bar_w * 0.2) if k > 1 else 0.0
                tooltip = _tooltip(data, s, i, unit)
                _bar(canvas, x, min(y, zero_y), bar_w - gap, abs(zero_y - y), s, tooltip)
        else:
            points = [
                None if v is None else (left + band * (i + 0.5), y_of(v)) for i, v in enumerate(row)
            ]
            d = _polyline(points)
            if d:
                line_attrs: list[tuple[str, str | float]] = [
                    ("d", d),
                    ("fill", "none"),
                    ("stroke", PALETTE[s]),
                    ("stroke-width", 2.5),
                ]
                if DASHES[s]:
                    line_attrs.append(("stroke-dasharray", DASHES[s]))
                canvas.element("path", line_attrs)
            for i, point in enumerate(points):
                if point is not None:
                    _marker(canvas, point[0], point[1], s, _tooltip(data, s, i, unit))
        canvas.close_group()

    if data.target is not None and target_lines is not None:
        ty = y_of(data.target)
        canvas.line(left, ty, left + plot_w, ty, TEXT, 1.5, "6 4", f"{cid}-target")
        tx = left + plot_w + 6
        canvas.text(tx, ty - 2, target_lines[0], size=SMALL_SIZE)
        canvas.text(tx, ty + 11, target_lines[1], size=SMALL_SIZE, bold=True)
    if show_values:
        canvas.open_group(f"{cid}-values")
        for s, row in enumerate(data.values):
            for i, value in enumerate(row):
                value_text = value_texts[s][i]
                if value is None or value_text is None:
                    continue
                cx = left + band * (i + 0.5)
                slot = band - 4
                if kind == "bar":
                    slot = band - 4 if k == 1 else bar_w
                    cx += -group_w / 2 + s * bar_w + bar_w / 2
                y = y_of(value)
                below = value < 0
                offset = 14.0 if below else -6.0
                if kind == "line":
                    offset = 17.0 if below else -9.0
                _value_label(canvas, cx, y + offset, value_text, "middle", slot)
        canvas.close_group()
    return frame.finish()


def _value_label(
    canvas: _Canvas, x: float, baseline: float, text: str, anchor: str, slot: float | None
) -> None:
    """A value next to its bar or point, on a white backing so grid and target lines do not
    run through it; the backing is at most ``slot`` wide (the bar's own width)."""
    width = text_width(text, SMALL_SIZE) + 2
    if slot is not None:
        width = max(0.0, min(width, slot))
    left = {"start": x - 1, "middle": x - width / 2, "end": x - width + 1}[anchor]
    canvas.element(
        "rect",
        [
            ("x", left),
            ("y", baseline - 10),
            ("width", width),
            ("height", 13.0),
            ("fill", BACKGROUND),
        ],
    )
    canvas.text(x, baseline, text, size=SMALL_SIZE, anchor=anchor)


def _tooltip(data: _Data, s: int, i: int, unit: str) -> str:
    value = data.values[s][i]
    assert value is not None
    name = f" – {data.names[s]}" if len(data.names) > 1 else ""
    return f"{data.labels[i]}{name}: {format_value(value, unit)}"


def _polyline(points: Sequence[tuple[float, float] | None]) -> str:
    """Path data joining consecutive known points; a ``None`` breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return " ".join(
        "M" + "L".join(f"{_px(x)} {_px(y)}" for x, y in run) for run in runs if len(run) > 1
    )


# --------------------------------------------------------------------------------------------
# Horizontal bars


def hbar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    target: Number | None = None,
    target_label: str = "Doel",
    width: int = 640,
    height: int = 280,
    description: str = "",
) -> str:
    """Horizontal bars, one row per label (municipality), one bar per series, from 0.

    The left margin fits the longest label (at most 45 % of the width; longer labels are
    shortened with "…"). Every bar gets its value when the bars are thick enough to carry
    it. The height grows with the number of rows.
    """
    started = _start(
        "hbar",
        title=title,
        labels=labels,
        series=series,
        unit=unit,
        target=target,
        target_label=target_label,
        width=width,
        height=height,
        description=description,
    )
    if isinstance(started, str):
        return started
    data, frame, scale, tick_texts = started
    canvas, cid = frame.canvas, frame.chart_id
    n, k = len(data.labels), len(data.names)

    max_label = frame.width * 0.45
    names = [_truncate(label, max_label, LABEL_SIZE) for label in data.labels]
    label_w = max(text_width(t) for t in names)
    vunit = _value_unit(unit)
    value_texts = [
        [None if v is None else format_value(v, vunit) for v in row] for row in data.values
    ]
    negative = any(v < 0 for v in data.known)
    positive = any(v > 0 for v in data.known)
    widest_neg = max(
        (
            text_width(t, SMALL_SIZE)
            for row, texts in zip(data.values, value_texts, strict=True)
            for v, t in zip(row, texts, strict=True)
            if t and v is not None and v < 0
        ),
        default=0.0,
    )
    widest_pos = max(
        (
            text_width(t, SMALL_SIZE)
            for row, texts in zip(data.values, value_texts, strict=True)
            for v, t in zip(row, texts, strict=True)
            if t and v is not None and v >= 0
        ),
        default=0.0,
    )
    bar_h = 18.0 if k == 1 else 14.0
    show_values = bar_h >= 12
    left = PAD + label_w + 10 + (widest_neg + 6 if show_values and negative else 0)
    # the last tick label is centred on the right end of the axis
    right = PAD + max(
        text_width(tick_texts[-1], SMALL_SIZE) / 2,
        (widest_pos + 6) if show_values and positive else 0,
    )
    plot_w = max(frame.width - left - right, 40.0)

    target_room = 18.0 if data.target is not None else 4.0
    plot_top = frame.header_bottom + target_room
    row_h = k * bar_h + 10
    needed = plot_top + n * row_h + 24 + PAD
    frame.height = max(frame.height, needed)
    plot_h = frame.height - PAD - 24 - plot_top
    row_h = plot_h / n
    group_h = k * bar_h

    def x_of(value: Decimal) -> float:
        return left + scale.ratio(value) * plot_w

    # label every tick, or every other one when the labels would touch (keeping 0 labelled)
    spacing = plot_w / (len(scale.ticks) - 1)
    every = math.ceil((max(text_width(t, SMALL_SIZE) for t in tick_texts) + 8) / spacing)
    zero_index = scale.ticks.index(Decimal(0))
    canvas.open_group(f"{cid}-axis")
    for index, (tick, text) in enumerate(zip(scale.ticks, tick_texts, strict=True)):
        x = x_of(tick)
        canvas.line(x, plot_top, x, plot_top + plot_h, AXIS if tick == 0 else GRID, 1.0)
        if (index - zero_index) % every == 0:
            canvas.text(
                x, plot_top + plot_h + 16, text, size=SMALL_SIZE, anchor="middle", fill=MUTED
            )
    canvas.close_group()

    canvas.open_group(f"{cid}-labels")
    for i, name in enumerate(names):
        cy = plot_top + row_h * (i + 0.5)
        label_x = left - 8 - (widest_neg + 6 if show_values and negative else 0)
        canvas.text(label_x, cy + 4, name, anchor="end")
    canvas.close_group()

    zero_x = x_of(Decimal(0))
    for s, row in enumerate(data.values):
        canvas.open_group(f"{cid}-series-{s}")
        for i, value in enumerate(row):
            if value is None:
                continue
            y = plot_top + row_h * (i + 0.5) - group_h / 2 + s * bar_h
            x = x_of(value)
            gap = 1.0 if k > 1 else 0.0
            _bar(
                canvas,
                min(x, zero_x),
                y,
                abs(x - zero_x),
                bar_h - gap,
                s,
                _tooltip(data, s, i, unit),
            )
        canvas.close_group()

    if data.target is not None:
        tx = x_of(data.target)
        canvas.line(tx, plot_top - 4, tx, plot_top + plot_h, TEXT, 1.5, "6 4", f"{cid}-target")
        caption = (
            f"{_clean(target_label) or 'Doel'}: {format_value(data.target, _value_unit(unit))}"
        )
        caption = _truncate(caption, frame.width - 2 * PAD, SMALL_SIZE, bold=True)
        half = text_width(caption, SMALL_SIZE, bold=True) / 2
        cx = min(max(tx, PAD + half), frame.width - PAD - half)
        canvas.text(cx, plot_top - 7, caption, size=SMALL_SIZE, anchor="middle", bold=True)
    if show_values:
        canvas.open_group(f"{cid}-values")
        for s, row in enumerate(data.values):
            for i, value in enumerate(row):
                value_text = value_texts[s][i]
                if value is None or value_text is None:
                    continue
                cy = plot_top + row_h * (i + 0.5) - group_h / 2 + s * bar_h + bar_h / 2
                x = x_of(value)
                if value < 0:
                    _value_label(canvas, x - 4, cy + 4, value_text, "end", None)
                else:
                    _value_label(canvas, x + 4, cy + 4, value_text, "start", None)
        canvas.close_group()
    return frame.finish()


# --------------------------------------------------------------------------------------------
# For the PDF

_TITLE_DESC = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>\n?", re.S)
_TEXT_CONTENT = re.compile(r"(<text\b[^>]*>)(.*?)(</text>)", re.S)
_LATIN1_FALLBACK = {
    "€": "EUR",
    "–": "-",
    "—": "-",
    "−": "-",
    "‘": "'",
    "’": "'",
    "‚": ",",
    "“": '"',
    "”": '"',
    "„": '"',
    "…": "...",
    "•": "-",
    "\u2009": " ",
    "\u202f": " ",
}


def _latin1(text: str) -> str:
    """``text`` in the characters fpdf2's built-in fonts have (Latin-1)."""
    out = []
    for char in text:
        if ord(char) < 256:
            out.append(char)
        elif char in _LATIN1_FALLBACK:
            out.append(_LATIN1_FALLBACK[char])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) < 256)
            out.append(base or "?")
    return "".join(out)


def svg_for_pdf(svg: str, *, font_family: str | None = None) -> bytes:
    """A chart made by this module, ready for ``FPDF.image(io.BytesIO(...))``.

    fpdf2 does not draw ``<title>``/``<desc>`` (and warns about them), so they and the
    tooltips are left out; pass :func:`text_alternative` as ``alt_text`` instead. With
    ``font_family=None`` text falls back to the PDF's built-in Helvetica, which has only
    Latin-1 characters: ``€`` becomes ``EUR``, dashes and quotes plain ASCII, other letters
    their base letter or ``?``. Name a Unicode font added with ``pdf.add_font(...)`` (regular
    and bold) as ``font_family`` to keep every character.
    """
    out = _TITLE_DESC.sub("", svg)
    if font_family is None:
        return _TEXT_CONTENT.sub(
            lambda m: m[1] + escape(_latin1(unescape(m[2]))) + m[3], out
        ).encode("utf-8")
    family = escape(font_family, {'"': "&quot;"})
    return out.replace(f'font-family="{FONT_FAMILY}"', f'font-family="{family}"').encode("utf-8")


def text_alternative(svg: str) -> str:
    """The chart's title and description as one text, for ``alt_text`` in a PDF."""
    found = {
        m[1]: unescape(m[2])
        for m in re.finditer(r"<(title|desc) id=\"[^\"]*\">(.*?)</\1>", svg, re.S)
    }
    title, desc = found.get("title", ""), found.get("desc", "")
    if title and not title.endswith((".", "!", "?")):
        title += "."
    return f"{title} {desc}".strip()
