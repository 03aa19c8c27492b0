"""Charts drawn from the model: pure functions from data to SVG.

SVG keeps text as text (set in the document's font, selectable and
searchable in the PDF), and the output is byte-identical for the same data:
no dates, no random ids. Charts use shades of one ink and direct labels, so
they read the same printed in black and white.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

FONT_DIR = Path(__file__).resolve().parent.parent / "styles" / "fonts"
FONT_FAMILY = "Noto Sans"
INK = "#1f3a5f"
MUTED = "#8a96a3"
GRID = "#d5dae0"


@dataclass(frozen=True)
class Chart:
    """An SVG drawing and the text that describes it to a reader who cannot see it."""

    svg: bytes
    alt: str

    @property
    def name(self) -> str:
        """A content address: the same drawing always has the same name."""
        return "chart:" + hashlib.sha256(self.svg).hexdigest()[:20] + ".svg"


@cache
def _setup() -> None:
    for path in sorted(FONT_DIR.glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update({
        "svg.fonttype": "none",          # text stays text
        "svg.hashsalt": "partner-atlas",  # fixed ids for clip paths
        "font.family": FONT_FAMILY,
        "font.size": 8,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": "#222222",
        "xtick.color": "#444444",
        "ytick.color": "#222222",
    })


def _svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    plt.close(figure)
    return buffer.getvalue()


def rating_chart(labels: list[str], values: list[int], scale_min: int, scale_max: int,
                 alt: str) -> Chart:
    """Horizontal bars for the rated key questions on the declared scale."""
    _setup()
    figure, axes = plt.subplots(figsize=(3.3, 0.32 * len(labels) + 0.45))
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, values, color=INK, height=0.55, left=0)
    for y, value in zip(positions, values):
        axes.text(value + 0.08, y, str(value), va="center", ha="left", fontsize=8,
                  fontweight="bold", color="#222222")
    axes.set_yticks(positions, labels)
    axes.set_xlim(0, scale_max + 0.5)
    axes.set_xticks(range(scale_min, scale_max + 1))
    axes.tick_params(axis="y", length=0)
    axes.grid(axis="x", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    figure.tight_layout(pad=0.2)
    return Chart(_svg(figure), alt)


def ratings_side_by_side(titles: list[str], labels: list[str], values: list[list[int]], scale_min: int,
                         scale_max: int, alt: str, per_row: int = 4) -> Chart:
    """Small multiples: one panel of rating bars per assessment, side by side on one scale.

    The panels share the question labels on the left, so countries compare at a glance.
    """
    _setup()
    rows = -(-len(titles) // per_row)
    columns = min(len(titles), per_row)
    figure, grid = plt.subplots(rows, columns, sharey=True, squeeze=False,
                                figsize=(6.7, rows * (0.3 * len(labels) + 0.75)))
    positions = list(range(len(labels)))[::-1]
    for index, axes in enumerate(grid.flat):
        if index >= len(titles):
            axes.set_visible(False)
            continue
        axes.barh(positions, values[index], color=INK, height=0.55, left=0)
        for y, value in zip(positions, values[index]):
            axes.text(value + 0.1, y, str(value), va="center", ha="left", fontsize=8,
                      fontweight="bold", color="#222222")
        axes.set_title(titles[index], fontsize=8, fontweight="bold", color=INK, loc="left", pad=4)
        axes.set_yticks(positions, labels)
        axes.set_xlim(0, scale_max + 0.7)
        axes.set_xticks(range(scale_min, scale_max + 1))
        axes.tick_params(axis="y", length=0)
        axes.grid(axis="x", color=GRID, linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
    figure.tight_layout(pad=0.2, w_pad=1.0, h_pad=1.0)
    return Chart(_svg(figure), alt)
