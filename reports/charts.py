"""Charts drawn from the model: data in, SVG out.

A document only plans its charts (`PlannedChart`: the drawing function and its
data, named by their content); a book's build draws them in its worker
processes (`draw_all`), each distinct chart once, and keeps them in the build
cache. The drawing functions themselves depend on nothing but their arguments.
SVG keeps text as text (set in the document's font, selectable and
searchable in the PDF), and the output is byte-identical for the same data:
no dates, no random ids. Charts use shades of one ink and direct labels, so
they read the same printed in black and white; their colours are the documents'
palette (styles/atlas.css, read through reports/palette.py).

The charts of every document (the rating chart on each assessment, a region's
heatmap and population chart, the ranking of an interest's partners) are
written as SVG directly (`_bar_rows`, `heatmap`, `population_chart`), with the
geometry matplotlib gave them: matplotlib took longer to draw them than
WeasyPrint to set their page, and its SVG of nested groups, clip paths and defs
cost WeasyPrint more to draw. The small multiples of a briefing pack and the
edition diff's dumbbell chart are drawn with matplotlib.
"""

from __future__ import annotations

import functools
import inspect
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from . import palette
from .pages import chart_name

FONT_DIR = Path(__file__).resolve().parent.parent / "styles" / "fonts"
FONT_FAMILY = "Noto Sans"


def _colour(name: str) -> str:
    return palette.colour(name)


@dataclass(frozen=True)
class Chart:
    """An SVG drawing and the text that describes it to a reader who cannot see it."""

    svg: bytes
    alt: str

    @property
    def name(self) -> str:
        return chart_name(self.svg)


class PlannedChart:
    """A chart named by its content (the drawing function and its data) and drawn when first needed.

    Planning is cheap, so documents plan all their charts; a book's build then draws
    them in its worker processes (`draw_all`) instead of one after the other.
    """

    def __init__(self, function: str, args: tuple, kwargs: dict, alt: str):
        self.call = (function, args, tuple(sorted(kwargs.items())))
        # The palette is part of what is drawn: a new colour in the stylesheet is a new chart.
        self.content = repr((self.call, sorted(palette.colours().items())))
        self.alt = alt

    @property
    def name(self) -> str:
        return chart_name(self.content.encode())

    @property
    def svg(self) -> bytes:
        if self.content not in _drawn:
            cached = _cached(self)
            _keep(self, cached if cached is not None else draw_chart(*self.call), fresh=cached is None)
        return _drawn[self.content]


_DRAWINGS: dict = {}  # function name -> the function that draws it
_drawn: dict[str, bytes] = {}  # content -> SVG, in this process
_disk_cache = None  # and across builds, when a build cache is in use


def use_cache(disk_cache) -> None:
    """Keep drawn charts in a build cache (reports.cache.Cache) across builds."""
    global _disk_cache
    _disk_cache = disk_cache


def drawn_once(draw):
    """Make a chart function plan its chart: drawn once per distinct content, when needed."""
    _DRAWINGS[draw.__name__] = draw
    signature = inspect.signature(draw)

    @functools.wraps(draw)
    def plan(*args, **kwargs) -> PlannedChart:
        return PlannedChart(draw.__name__, args, kwargs, signature.bind(*args, **kwargs).arguments["alt"])

    return plan


def draw_chart(function: str, args: tuple, kwargs: tuple) -> bytes:
    """Draw one planned chart (in whatever process runs it)."""
    return _DRAWINGS[function](*args, **dict(kwargs)).svg


def draw_all(charts, executor) -> None:
    """Draw the charts not drawn or cached yet, in parallel through `executor`."""
    waiting = {}
    for chart in charts:
        if isinstance(chart, PlannedChart) and chart.content not in _drawn and chart.content not in waiting:
            if (svg := _cached(chart)) is not None:
                _keep(chart, svg, fresh=False)
            else:
                waiting[chart.content] = (chart, executor.submit(draw_chart, *chart.call))
    for chart, future in waiting.values():
        _keep(chart, future.result(), fresh=True)


def _cached(chart: PlannedChart) -> bytes | None:
    return _disk_cache.load(_disk_cache.key("chart", chart.content)) if _disk_cache else None


def _keep(chart: PlannedChart, svg: bytes, fresh: bool) -> None:
    if fresh and _disk_cache:
        _disk_cache.store(_disk_cache.key("chart", chart.content), svg)
    _drawn[chart.content] = svg


@cache
def _setup():
    """matplotlib, set up for our charts; loaded only when a chart is drawn (a cached build draws none)."""
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    for path in sorted(FONT_DIR.glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))
    # A label no font can set is the glyph check's to report, with its file and line (reports/glyphs.py).
    warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text
            "svg.hashsalt": "partner-atlas",  # fixed ids for clip paths
            "text.parse_math": False,  # labels are names as the text prints them: '$x$' is not mathematics
            "font.family": FONT_FAMILY,
            "font.size": 8,
            "axes.edgecolor": _colour("chart-axis"),
            "axes.labelcolor": _colour("text"),
            "xtick.color": _colour("text-soft"),
            "ytick.color": _colour("text"),
        }
    )
    return plt


def _svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    _setup().close(figure)
    return buffer.getvalue()


def _rating_axes(axes, positions, labels, scale_min: int, scale_max: int, right_margin: float, left: float = 0) -> None:
    """Labels on the left, the rating scale below, a light vertical grid; no frame."""
    axes.set_yticks(positions, labels)
    axes.set_xlim(left, scale_max + right_margin)
    axes.set_xticks(range(scale_min, scale_max + 1))
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color=_colour("chart-grid"), linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)


# The measures the charts share, in points, as matplotlib set them: the labels' font size, the margin
# round the figure (`tight_layout(pad=0.2)`), and the gap between a label and what it labels.
SIZE, PAD, GAP = 8.0, 1.6, 3.5
# From the middle of a row to the baseline of text centred on it, in ems of the text: a tick label
# (matplotlib's 'center_baseline'), a text centred on its box ('center'), and the bar charts' labels
# and values (as the rating chart has always set them).
LABEL_DROP, CENTRED_DROP, BAR_DROP = 0.5345, 0.388, 0.36


def _label_column(labels: list[str]) -> float:
    """Where the plot of a chart begins, right of its row labels."""
    return PAD + max((_label_width(label, SIZE) for label in labels), default=0.0) + GAP


def _row_middles(count: int, bar: float, top: float, bottom: float) -> tuple[float, list[float]]:
    """Rows 1 apart holding bars `bar` high between `top` and `bottom`, with matplotlib's margin of
    5 % above and below: the height of a row, and the middle of each row from the top."""
    span = count - 1 + bar
    pitch = (bottom - top) / (1.1 * span) if span > 0 else 0.0
    return pitch, [top + (0.05 * span + bar / 2 + row) * pitch for row in range(count)]


@drawn_once
def rating_chart(labels: list[str], values: list[int], scale_min: int, scale_max: int, alt: str) -> Chart:
    """Horizontal bars for the rated key questions on the declared scale: labels on the left, the
    scale below, a light vertical grid, each bar's value beside it.

    Written as SVG directly rather than through matplotlib: there is one on every assessment's
    first page, and matplotlib's drawing (figure, layout, its SVG of nested groups, clip paths and
    defs) took 60 ms a chart, three times what WeasyPrint then needs to draw it. Its geometry is what
    matplotlib's `barh` with `tight_layout(pad=0.2)` gave, so the page is laid out the same.
    """
    bars = [(value, str(value), 1.0) for value in values]
    return Chart(_bar_rows(labels, bars, scale_min, scale_max, _BarRows(3.3, 0.32, 0.55, 0.5, 0.08, 8.0)), alt)


@dataclass(frozen=True)
class _BarRows:
    """The measures of a chart of labelled horizontal bars on a rating scale (in inches, in rows and
    in scale units, as matplotlib's figure size, bar height and axis limits were given)."""

    width: float  # of the figure
    row: float  # the figure's height per bar
    bar: float  # a bar's height, of a row
    right: float  # the scale runs on this far beyond its highest mark, for the values
    gap: float  # from a bar's end to its value
    value_size: float  # the values' font size


def _bar_rows(
    labels: list[str], bars: Sequence[tuple[float, str, float]], low: int, high: int, rows: _BarRows
) -> bytes:
    """The SVG of labelled bars, each (length, the value printed beside it, opacity of the ink): the
    labels left, the scale below with its marks from `low` to `high`, a light vertical grid."""
    size, tick = SIZE, GAP  # the scale's ticks are as long as the gap to their figures
    width, height = rows.width * 72, (rows.row * len(labels) + 0.45) * 72
    left = _label_column(labels)
    right, top, bottom = width - PAD, PAD, height - PAD - 2 * tick - 1.2 * size
    pitch, middles = _row_middles(len(labels), rows.bar, top, bottom)

    def x(value: float) -> float:
        return left + value / (high + rows.right) * (right - left)

    text_style = _font(size)
    value_style = _font(rows.value_size) + "; font-weight: bold"
    shapes = []
    for mark in range(low, high + 1):
        shapes += [
            _line(x(mark), top, x(mark), bottom, _colour("chart-grid"), 0.6),
            _line(x(mark), bottom, x(mark), bottom + tick, _colour("text-soft"), 0.8),
            _text(
                x(mark), bottom + 2 * tick + 0.75 * size + 1.05, str(mark), "middle", _colour("text-soft"), text_style
            ),
        ]
    shapes.append(_line(left, bottom, right, bottom, _colour("chart-axis"), 0.8))
    bar = rows.bar * pitch
    for middle, label, (length, printed, opacity) in zip(middles, labels, bars):
        fill = _colour("ink") + ("" if opacity == 1 else f"; fill-opacity: {opacity:.3f}")
        shapes += [
            _text(left - tick, middle + BAR_DROP * size, label, "end", _colour("text"), text_style),
            f'<rect x="{left:.3f}" y="{middle - bar / 2:.3f}" width="{x(length) - left:.3f}" height="{bar:.3f}" '
            f'style="fill: {fill}"/>',
            _text(
                x(length + rows.gap),
                middle + BAR_DROP * rows.value_size,
                printed,
                "start",
                _colour("text"),
                value_style,
            ),
        ]
    return _drawing(width, height, shapes)


def _drawing(width: float, height: float, shapes: list[str]) -> bytes:
    """An SVG of the shapes, `width` by `height` points."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}pt" height="{height:g}pt" '
        f'viewBox="0 0 {width:g} {height:g}" version="1.1">\n' + "\n".join(shapes) + "\n</svg>\n"
    )
    return svg.encode()


def _font(size: float) -> str:
    """The style of chart text in the sans at `size` points."""
    return f"font-size: {size:g}px; font-family: '{FONT_FAMILY}'"


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float) -> str:
    return (
        f'<path d="M {x1:.3f} {y1:.3f} L {x2:.3f} {y2:.3f}" '
        f'style="fill: none; stroke: {colour}; stroke-width: {width:g}"/>'
    )


def _text(x: float, y: float, text: str, anchor: str, colour: str, style: str) -> str:
    return (
        f'<text x="{x:.3f}" y="{y:.3f}" style="{style}; text-anchor: {anchor}; fill: {colour}">'
        f"{xml_escape(text)}</text>"
    )


@cache
def _advances() -> tuple[dict[int, float], float]:
    """The advance of each character of the regular sans, in ems; and that of a character it lacks."""
    from fontTools.ttLib import TTFont

    with TTFont(FONT_DIR / "NotoSans-Regular.ttf", lazy=True) as font:
        em, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
        return {code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()}, 1.0


def _label_width(text: str, size: float) -> float:
    """How wide a label is set (without kerning, which only narrows it a little)."""
    advances, unknown = _advances()
    return sum(advances.get(ord(character), unknown) for character in text) * size


@drawn_once
def ratings_side_by_side(
    titles: list[str],
    labels: list[str],
    values: list[list[int]],
    scale_min: int,
    scale_max: int,
    alt: str,
    per_row: int = 4,
) -> Chart:
    """Small multiples: one panel of rating bars per assessment, side by side on one scale.

    The panels share the question labels on the left, so countries compare at a glance.
    """
    plt = _setup()
    rows = -(-len(titles) // per_row)
    columns = min(len(titles), per_row)
    figure, grid = plt.subplots(
        rows, columns, sharey=True, squeeze=False, figsize=(6.7, rows * (0.3 * len(labels) + 0.75))
    )
    positions = list(range(len(labels)))[::-1]
    for index, axes in enumerate(grid.flat):
        if index >= len(titles):
            axes.set_visible(False)
            continue
        axes.barh(positions, values[index], color=_colour("ink"), height=0.55, left=0)
        for y, value in zip(positions, values[index]):
            axes.text(
                value + 0.1, y, str(value), va="center", ha="left", fontsize=8, fontweight="bold", color=_colour("text")
            )
        axes.set_title(titles[index], fontsize=8, fontweight="bold", color=_colour("ink"), loc="left", pad=4)
        _rating_axes(axes, positions, labels, scale_min, scale_max, 0.7)
    figure.tight_layout(pad=0.2, w_pad=1.0, h_pad=1.0)
    return Chart(_svg(figure), alt)


PALEST_TINT = 0.1  # the share of the ink in the lowest value's shade


def _tint(value: float, low: float, high: float) -> float:
    """The share of the ink a value is shaded with, from pale (low) to full (high): the order
    survives greyscale printing. The tint is the ink with an opacity over the white page, not a
    colour of its own, so in print every shade is the ink's one separation, lighter."""
    share = 0 if high == low else (value - low) / (high - low)
    return PALEST_TINT + (1 - PALEST_TINT) * share


@drawn_once
def heatmap(
    rows: list[str], columns: list[str], values: list[list[int]], scale_min: int, scale_max: int, alt: str
) -> Chart:
    """Rows x columns of ratings: shaded cells with the value printed in each (readable without colour).

    Written as SVG directly, with the geometry matplotlib's `tight_layout(pad=0.2)` gave it (column
    labels above, row labels left, cells 0.96 by 0.9 of their place): a region of 25 partners took
    matplotlib longer to draw than its page of cards took to set."""
    ascent, descent = 1.069 * SIZE, 0.293 * SIZE  # the sans's, as matplotlib measures a label
    width, height = 6.3 * 72, (0.27 * len(rows) + 0.7) * 72
    left = _label_column(rows)
    top, right, bottom = PAD + ascent + descent + GAP, width - PAD, height - PAD
    across, down = (right - left) / max(len(columns), 1), (bottom - top) / max(len(rows), 1)
    text_style = _font(SIZE)
    shapes = [
        _text(left + (x + 0.48) * across, PAD + ascent, column, "middle", _colour("text-soft"), text_style)
        for x, column in enumerate(columns)
    ]
    dark_from = (scale_max - scale_min) / 2
    for y, (row, cells) in enumerate(zip(rows, values)):
        middle = top + (y + 0.45) * down
        shapes.append(_text(left - GAP, middle + LABEL_DROP * SIZE, row, "end", _colour("text"), text_style))
        for x, value in enumerate(cells):
            tint = _tint(value, scale_min, scale_max)
            shapes += [
                f'<rect x="{left + x * across:.3f}" y="{top + y * down:.3f}" width="{0.96 * across:.3f}" '
                f'height="{0.9 * down:.3f}" style="fill: {_colour("ink")}; fill-opacity: {tint:.3f}; '
                f'stroke: {_colour("ink")}; stroke-opacity: {tint:.3f}; stroke-linejoin: miter"/>',
                _text(
                    left + (x + 0.48) * across,
                    middle + CENTRED_DROP * SIZE,
                    str(value),
                    "middle",
                    "#ffffff" if value - scale_min > dark_from else _colour("text"),
                    text_style + "; font-weight: bold",
                ),
            ]
    return Chart(_drawing(width, height, shapes), alt)


SMALLEST_BAR = 0.006  # of the longest bar: about 1.5 pt at the chart's printed width


@drawn_once
def population_chart(
    labels: list[str], values: list[int], approximate: list[bool], value_labels: list[str], alt: str
) -> Chart:
    """Population bars; a rounded figure is drawn hatched and open, so it never passes for an exact one.

    A bar is never narrower than SMALLEST_BAR of the longest: beside China's, a country of a
    hundred thousand would have no bar at all. Its figure stands next to it. Written as SVG
    directly, with the geometry matplotlib's `barh` and `tight_layout(pad=0.2)` gave it.
    """
    value_size = 7.5
    width, height = 6.3 * 72, (0.27 * len(labels) + 0.5) * 72
    left, right, bottom = _label_column(labels), width - PAD, height - PAD
    longest = max(values, default=0) or 1
    pitch, middles = _row_middles(len(labels), 0.6, PAD, bottom)
    bar = 0.6 * pitch

    def x(value: float) -> float:
        return left + value / (1.3 * longest) * (right - left)

    ink = _colour("ink")
    hatch = " ".join(f"M {3 * k - 36} {3 * k + 36} L {3 * k + 36} {3 * k - 36}" for k in range(25))
    shapes = [
        '<defs><pattern id="hatched" patternUnits="userSpaceOnUse" x="0" y="0" width="72" height="72">'
        '<rect x="0" y="0" width="73" height="73" fill="#ffffff"/>'
        f'<path d="{hatch}" style="fill: none; stroke: {ink}; stroke-width: 1"/></pattern></defs>'
    ]
    for middle, label, value, rough, printed in zip(middles, labels, values, approximate, value_labels):
        length = max(value, longest * SMALLEST_BAR) if value > 0 else 0
        fill = f"fill: url(#hatched); stroke: {ink}; stroke-width: 0.8" if rough else f"fill: {ink}"
        shapes += [
            _text(left - GAP, middle + LABEL_DROP * SIZE, label, "end", _colour("text"), _font(SIZE)),
            f'<rect x="{left:.3f}" y="{middle - bar / 2:.3f}" width="{x(length) - left:.3f}" height="{bar:.3f}" '
            f'style="{fill}"/>',
            _text(
                x(length + longest * 0.01),
                middle + CENTRED_DROP * value_size,
                printed,
                "start",
                _colour("text"),
                _font(value_size),
            ),
        ]
    shapes.append(_line(left, bottom, left, PAD, _colour("chart-axis"), 0.8))
    return Chart(_drawing(width, height, shapes), alt)


@drawn_once
def ranking_chart(
    labels: list[str], values: list[float], value_labels: list[str], scale_min: int, scale_max: int, alt: str
) -> Chart:
    """Partners of one interest by mean rating, strongest first, each bar a tint of the ink by its
    mean. Written as SVG directly, as the rating chart is: at 200 partners matplotlib took longer to
    draw one than WeasyPrint to set a page of text, and WeasyPrint then drew its nested groups slowly."""
    bars = [(value, printed, _tint(value, scale_min - 1, scale_max)) for value, printed in zip(values, value_labels)]
    return Chart(_bar_rows(labels, bars, scale_min, scale_max, _BarRows(5.0, 0.27, 0.6, 0.6, 0.06, 7.5)), alt)


@drawn_once
def dumbbell_chart(
    labels: list[str],
    before: list[int],
    after: list[int],
    before_name: str,
    after_name: str,
    scale_min: int,
    scale_max: int,
    alt: str,
) -> Chart:
    """Rating changes: an open circle for the earlier value, a filled one for the later, joined by a line."""
    plt = _setup()
    figure, axes = plt.subplots(figsize=(5.0, 0.27 * len(labels) + 0.75))
    positions = list(range(len(labels)))[::-1]
    for y, old, new in zip(positions, before, after):
        axes.plot([old, new], [y, y], color=_colour("chart-axis"), linewidth=1.2, zorder=1)
    axes.scatter(
        before, positions, s=36, facecolor="white", edgecolor=_colour("ink"), linewidth=1.2, zorder=2, label=before_name
    )
    axes.scatter(after, positions, s=36, color=_colour("ink"), zorder=3, label=after_name)
    _rating_axes(axes, positions, labels, scale_min, scale_max, 0.4, left=scale_min - 0.4)
    axes.set_ylim(-0.7, len(labels) - 0.3)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=7.5)
    figure.tight_layout(pad=0.2)
    return Chart(_svg(figure), alt)
