"""What the typesetter is given and gives back: plain data, and where the project's files are.

Kept apart from reports/typeset.py, which loads WeasyPrint (and Pango), so that
a process that only hands work to others need not load it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
STYLES = PROJECT / "styles"

# The margin boxes of a book's running foot: its name, a pack's marking, "page x of y" (see
# templates/base.html and book.html). A chapter typeset for a book leaves them empty: the book's
# overlay prints them (reports/typeset_book.py).
FOOT_BOXES = ("@bottom-left", "@bottom-center", "@bottom-right")


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside the PDF, e.g. the source data of an archived edition."""

    name: str  # as the reader's attachment list shows it: 'countries/japan.yaml'
    content: bytes
    description: str
    relationship: str = "Source"  # PDF/A-3 AFRelationship: the PDF was made from this file


@dataclass
class Page:
    """What the caller hands to the typesetter: the HTML and the resources it may use."""

    html: str
    data_dir: Path
    resources: dict[str, bytes] = field(default_factory=dict)  # e.g. "chart:ab12.svg" -> SVG
    stylesheets: list[str] = field(default_factory=lambda: ["atlas.css"])


def chart_name(content: bytes) -> str:
    """A chart's resource name, an address of its content: the same drawing always has the same name.
    Every resource is a chart (reports/charts.py)."""
    return "chart:" + hashlib.sha256(content).hexdigest()[:20] + ".svg"


_RESOURCE_NAME = re.compile(r"chart:[0-9a-f]{20}\.svg")


def resources_named(html: str, resources: dict[str, bytes]) -> dict[str, bytes]:
    """The resources a page's HTML names: found by their names' form in one pass over the HTML,
    not by looking for every name of a book (some 500 charts) in each of its chapters."""
    return {name: resources[name] for name in dict.fromkeys(_RESOURCE_NAME.findall(html)) if name in resources}


@dataclass(frozen=True)
class TypesetChapter:
    """One chapter of a book, typeset on its own, with what joining it into the book needs."""

    pdf: bytes
    page_count: int
    bookmarks: tuple[tuple[int, int, str], ...]  # (level, page index, label), in reading order
    anchors: dict[str, int]  # anchor -> page index, for the page numbers other chapters print
    stubs: frozenset[str]  # anchors of other chapters that this one links to
    foot: tuple[tuple[str, ...], ...]  # per page: the boxes of the running foot it shows, e.g. ('@bottom-right',)
    checks: tuple = ()  # the output profile's checks of what the pages draw (the book engine's preflight)
