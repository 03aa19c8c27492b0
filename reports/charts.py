"""Charts drawn from the model: pure functions from data to SVG.

SVG keeps text as text (set in the document's font, selectable and
searchable in the PDF), and the output is byte-identical for the same data:
no dates, no random ids. Charts use shades of one ink and direct labels, so
they read the same printed in black and white.
"""

from __future__ import annotations

import functools
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


# Charts already drawn, by content: in this process, and on disk when a build cache is in use.
_drawn: dict[str, Chart] = {}
_disk_cache = None


def use_cache(disk_cache) -> None:
    """Keep drawn charts in a build cache (reports.cache.Cache) across builds."""
    global _disk_cache
    _disk_cache = disk_cache


def drawn_once(draw):
    """Draw a chart once per distinct content: the arguments are its content."""
    @functools.wraps(draw)
    def chart(*args, **kwargs) -> Chart:
        content = repr((draw.__name__, args, sorted(kwargs.items())))
        if content in _drawn:
            return _drawn[content]
        key = _disk_cache.key("chart", content) if _disk_cache else None
        payload = _disk_cache.load(key) if key else None
        if payload is not None:
            alt, _, svg = payload.partition(b"\0")
            result = Chart(svg, alt.decode())
        else:
            result = draw(*args, **kwargs)
            if key:
                _disk_cache.store(key, result.alt.encode() + b"\0" + result.svg)
        _drawn[content] = result
        return result
    return chart


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


@drawn_once
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
