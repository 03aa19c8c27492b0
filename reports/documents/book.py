"""Books: a region dossier, the atlas or a briefing pack as an ordered list of chapters.

Each chapter is rendered from its own template and context as a document of
its own with the book's <head>, so that the build can typeset chapters apart
(and in parallel) and join them (reports/typeset_book.py), or typeset them in
a row as one document (`HtmlBook.one_piece`). Cross-references between
chapters are plain '#anchor' links that resolve in the joined book.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from ..charts import Chart
from ..html import render_html


@dataclass(frozen=True)
class Chapter:
    """One chapter: starts on a new page (a right-hand one if its book says so), rendered from
    templates/chapters/<kind>.html."""

    kind: str  # e.g. "front", "region", "country", "index"
    anchor: str  # the id of its heading; targets of contents, index and cards
    title: str  # as listed in the table of contents
    context: dict
    charts: list[Chart] = field(default_factory=list)
    level: int = 1  # depth in the table of contents
    listed: bool = True  # whether the table of contents names it

    @property
    def template(self) -> str:
        return f"chapters/{self.kind}.html"

    def html(self, language: str) -> Markup:
        return Markup(render_html(self.template, language, chapter=self, **self.context))


@dataclass(frozen=True)
class ContentsEntry:
    anchor: str
    title: str
    level: int


@dataclass(frozen=True)
class Book:
    """The chapters of one PDF, and what its metadata says about it."""

    language: str
    title: str
    subject: str
    author: str
    keywords: str
    created: str
    chapters: list[Chapter]
    stylesheets: list[str] = field(default_factory=lambda: ["atlas.css"])  # from styles/, in order
    recto: bool = True  # chapters start on a right-hand page, after a blank one if need be

    @property
    def charts(self) -> list[Chart]:
        unique = {chart.name: chart for chapter in self.chapters for chart in chapter.charts}
        return list(unique.values())

    def chapter_documents(self) -> list[tuple[str, str]]:
        """(name, HTML) of each chapter as a document of its own, to typeset apart: the first with the
        book's <head> (its metadata and footer), the others with one that names no book."""
        return [
            (
                f"{chapter.kind} {chapter.anchor}",
                render_html("book.html", self.language, book=self, parts=[chapter.html(self.language)], first=i == 0),
            )
            for i, chapter in enumerate(self.chapters)
        ]


def contents(chapters: list[Chapter]) -> list[ContentsEntry]:
    """The table of contents of the given chapters, in book order."""
    return [ContentsEntry(c.anchor, c.title, c.level) for c in chapters if c.listed]
