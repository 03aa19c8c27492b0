"""Typesetting a book in chapters: in parallel, with exact page numbers across them.

A book (the atlas, a region dossier, a briefing pack) is a list of chapters,
each a complete HTML document. The first carries the book's <head> (its
metadata, and the running foot that names it); the others name no book, so
that a chapter two books share (a country in the atlas and in its region's
dossier) is typeset once for both. Typeset in one piece a book is simply
their bodies in a row, under the first one's <head>. Typeset in chapters:

1. every chapter is typeset on its own, in worker processes (or on a Dask
   cluster), starting at page 1; chapters that print page numbers of other
   places (contents, "p. 12") are only laid out, with stand-in numbers;
2. their page counts place them in the book (blank versos where a chapter
   must start on a recto), which gives every anchor its book page number;
3. the chapters that print page numbers are typeset with those numbers, and
   the running foot ("page x of y", the book's name) for the whole book as
   an overlay, in parts, alongside;
   if a page count moved, again, until none does;
4. the joiner stamps the running foot and joins pages, outline, links and tags.

Page numbers printed inside a chapter must come from the convention
`<a class="page-ref" href="#anchor"></a>`, whose CSS prints
`target-counter(attr(href), page)`: step 3 replaces exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path

from .assemble import join, place
from .pages import FOOT_BOXES, Page, TypesetChapter, resources_named
from .preflight import Check, content_checks
from .profiles import Profile

CHAPTER_STYLE = "chapter.css"
PAGE_NUMBER_STYLE = "page-numbers.css"
_MAX_ROUNDS = 4  # page-ref chapters re-typeset until their page counts settle; 2 suffice in practice


@dataclass(frozen=True)
class HtmlChapter:
    name: str  # for the build report, e.g. "country japan"
    html: str  # a complete document; the first chapter's <head> is the book's (see above)
    recto: bool = True  # starts on a right-hand page


@dataclass
class BuildReport:
    """What a build did: which chapters it typeset and which came from the cache."""

    typeset: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    book_key: str = ""  # the joined book's cache key (with a cache)
    joined_from_cache: bool = False  # nothing changed: the joined book itself came from the cache
    content_checks: list[tuple[str, tuple[Check, ...]]] = field(default_factory=list)  # of each part joined

    def summary(self) -> str:
        names = f": {', '.join(self.typeset)}" if 0 < len(self.typeset) <= 8 else ""
        return f"typeset {len(self.typeset)} chapter(s){names}; {len(self.cached)} from the cache"


@dataclass
class HtmlBook:
    chapters: list[HtmlChapter]
    data_dir: Path
    resources: dict[str, bytes] = field(default_factory=dict)
    stylesheets: list[str] = field(default_factory=lambda: ["atlas.css"])

    def one_piece(self) -> Page:
        """The same book as one HTML document, for a single WeasyPrint call: the one way a book is
        typeset in one piece (--one-piece, sealed editions, the tests' reference)."""
        first = self.chapters[0].html
        opening = first[: first.index(">", first.index("<body")) + 1]  # the <head> and <body ...> they share
        bodies = [_split(c.html)[1] for c in self.chapters]
        return Page(f"{opening}{''.join(bodies)}</body></html>", self.data_dir, self.resources, self.stylesheets)

    def chapter_page(self, chapter: HtmlChapter, extra_css: str = "") -> Page:
        html = _add_style(chapter.html, CHAPTER_STYLE, extra_css)
        return Page(html, self.data_dir, resources_named(html, self.resources), self.stylesheets)


def typeset_chapters(
    book: HtmlBook,
    profile: Profile,
    executor: Executor,
    cache=None,
    progress=None,
    report: BuildReport | None = None,
    meanwhile: Callable[[], None] = lambda: None,
) -> Callable[[], bytes]:
    """Everything that needs the workers; returns what joins the book, to call once they are gone
    (joining a long book takes memory, and idle workers would hold theirs meanwhile).

    `meanwhile` is work for this process while the workers typeset the chapters (a check of the
    chapters); if it raises, the chapters not yet begun are called off and the error goes on.
    """
    report = report if report is not None else BuildReport()

    def run(jobs: list[tuple[Page, bool]], names: list[str], meanwhile=lambda: None) -> list[TypesetChapter]:
        return _typeset_all(jobs, names, profile, executor, cache, progress, report, meanwhile)

    names = [c.name for c in book.chapters]
    recto = [c.recto for c in book.chapters]
    referring = [i for i, c in enumerate(book.chapters) if _PAGE_REF.search(c.html)]
    _stage(progress, "typesetting chapters")
    # A chapter that prints no page numbers is typeset for good. One that does (contents, index)
    # is only laid out, with stand-in numbers, to learn how many pages it takes.
    stand_in = _stand_in_numbers(book)
    final_pages = [book.chapter_page(c) for c in book.chapters]  # as last typeset: the joined book's inputs
    first = [
        (book.chapter_page(c, _page_ref_css(c.html, stand_in)), True) if i in referring else (final_pages[i], False)
        for i, c in enumerate(book.chapters)
    ]
    chapters = run(first, [n + " (layout)" if i in referring else n for i, n in enumerate(names)], meanwhile)
    _stage(progress, "page references")
    for _round in range(_MAX_ROUNDS):
        placements = place(chapters, recto)
        numbers = _page_numbers(placements)
        for i in referring:
            final_pages[i] = book.chapter_page(book.chapters[i], _page_ref_css(book.chapters[i].html, numbers))
        overlay_pages = _foot_overlay(book, placements)
        # The page numbers are typeset alongside, for these placements: right unless a page count moves.
        done = run(
            [(final_pages[i], False) for i in referring] + [(page, False) for page in overlay_pages],
            [names[i] + " (page numbers)" for i in referring] + ["page numbers"] * len(overlay_pages),
        )
        redone, overlays = dict(zip(referring, done)), done[len(referring) :]
        moved = any(
            (redone[i].page_count, redone[i].anchors) != (chapters[i].page_count, chapters[i].anchors)
            for i in referring
        )
        chapters = [redone.get(i, chapter) for i, chapter in enumerate(chapters)]
        if not moved:
            break
    placements = place(chapters, recto)  # the same positions, now with the chapters as typeset last
    if moved:  # not settled after the last round: number the pages as they are now
        overlay_pages = _foot_overlay(book, placements)
        overlays = run([(page, False) for page in overlay_pages], ["page numbers"] * len(overlay_pages))
    if cache:
        report.book_key = cache.key(
            "book", *(cache.chapter_key(page, profile) for page in [*final_pages, *overlay_pages])
        )
        joined = cache.load(report.book_key)
        if joined is not None:
            report.joined_from_cache = True
            return lambda: joined
    report.content_checks = [
        *zip(names, (chapter.checks for chapter in chapters)),
        *(("page numbers", overlay.checks) for overlay in overlays),
    ]
    _stage(progress, "joining")
    return lambda: join(placements, [overlay.pdf for overlay in overlays])


def _stage(progress, description: str) -> None:
    if progress:
        progress.stage(description)


def _typeset_all(jobs, names, profile, executor, cache, progress, report, meanwhile) -> list[TypesetChapter]:
    """Each (page, layout only?) job from the cache or typeset through the executor, in the given order."""
    results: list[TypesetChapter | None] = [
        cache.get(page, profile, layout_only) if cache else None for page, layout_only in jobs
    ]
    missing = [i for i, r in enumerate(results) if r is None]
    report.cached += [names[i] for i, r in enumerate(results) if r is not None]
    report.typeset += [names[i] for i in missing]
    # The longest chapters first, so that no worker is left with a long one at the end.
    missing.sort(key=lambda i: -len(jobs[i][0].html))
    futures = {i: executor.submit(_typeset_and_check, jobs[i][0], profile, jobs[i][1]) for i in missing}
    if progress:
        progress.add(len(jobs), done=len(jobs) - len(missing))
    meanwhile()  # if it fails, the build stops the workers (workers.py), which fails what is left
    for i, future in futures.items():  # in submission order; results land in book order
        results[i] = future.result()
        if cache:
            cache.put(jobs[i][0], profile, results[i], jobs[i][1])
        if progress:
            progress.advance()
    return [result for result in results if result is not None]  # all of them, now


def _typeset_and_check(page: Page, profile: Profile, layout_only: bool) -> TypesetChapter:
    """A worker's job: the chapter and, once drawn, the profile's checks of what its pages draw
    (the book's preflight then checks only what joining makes: metadata, structure, boxes)."""
    from .typeset import typeset_chapter  # in the worker: this process need not load WeasyPrint

    chapter = typeset_chapter(page, profile, layout_only)
    return chapter if layout_only else replace(chapter, checks=tuple(content_checks(chapter.pdf, profile)))


def _page_numbers(placements) -> dict[str, int]:
    return {
        name: placement.first_page + index + 1
        for placement in placements
        for name, index in placement.chapter.anchors.items()
    }


_PAGE_REF = re.compile(r'<a class="page-ref[^"]*" href="#([^"]+)"')


def _page_ref_css(html: str, numbers: dict[str, int]) -> str:
    """CSS that prints each page reference's number, as target-counter would in one piece."""
    rules = []
    for name in sorted(set(_PAGE_REF.findall(html))):
        if name in numbers:
            selector = 'a.page-ref[href="#' + name.replace('"', '\\"') + '"]::after'
            rules.append(f'{selector} {{ content: "{numbers[name]}"; }}')
    return "\n".join(rules)


def _stand_in_numbers(book: HtmlBook) -> dict[str, int]:
    """Page numbers to lay out page references with before the real ones are known: of the width
    the real ones will likely have (a chapter takes a few pages), so that the page counts hold."""
    guess = 10 ** (len(str(4 * len(book.chapters))) - 1)
    return {name: guess for chapter in book.chapters for name in _PAGE_REF.findall(chapter.html)}


_OVERLAY_PART = 200  # pages of the running-foot overlay typeset in one job


def _foot_overlay(book: HtmlBook, placements) -> list[Page]:
    """Empty pages with only the running foot ('page x of y', the book's name), numbered like the
    book's pages, in parts that the workers typeset side by side: each part starts its page counter
    where the one before ended. Each page shows the boxes its chapter's page shows, and none on a
    blank verso.

    A chapter's page shows only the trimmed part of its overlay page (assemble._stamp), and has
    the print profile's crop marks of its own: its overlay page draws none (WeasyPrint took two
    fifths longer to typeset the overlay with them). A blank verso shows its whole overlay page,
    marks and all."""
    foot: list[tuple[str, ...] | None] = []  # the boxes each page shows; None: a blank verso
    for placement in placements:
        foot += [None] * placement.blank_before + list(placement.chapter.foot)
    kinds = {shown: n for n, shown in enumerate([None, *sorted({f for f in foot if f is not None})])}
    hidden = "".join(_foot_page(n, shown) for shown, n in kinds.items())
    head, _ = _split(_add_style(book.chapters[0].html, PAGE_NUMBER_STYLE, hidden))
    # 'of y' counts the whole book, not the part (the footer's text comes from the template).
    head = head.replace("counter(pages)", f'"{len(foot)}"')
    parts = []
    for start in range(0, len(foot), _OVERLAY_PART):
        pages = "".join(
            f'<div class="foot-page" style="page: foot-{kinds[shown]}"></div>'
            for shown in foot[start : start + _OVERLAY_PART]
        )
        first = f"<style>@page :first {{ counter-reset: page {start + 1}; }}</style></head>"
        parts.append(
            Page(f"{head.replace('</head>', first, 1)}<body>{pages}</body></html>", book.data_dir, {}, book.stylesheets)
        )
    return parts


def _foot_page(number: int, shown: tuple[str, ...] | None) -> str:
    """The named page of one kind of overlay page: the foot's boxes it does not show left empty, and
    no crop marks but on a blank verso (shown is None)."""
    marks = "" if shown is None else "marks: none;"
    empty = " ".join(f"{box} {{ content: none; }}" for box in FOOT_BOXES if box not in (shown or ()))
    return f"@page foot-{number} {{ {marks} {empty} }}"


def _add_style(html: str, stylesheet: str, css: str = "") -> str:
    """Styles that must override the document's own <style> go last in its <head>."""
    tags = f'<link rel="stylesheet" href="../styles/{stylesheet}">' + (f"<style>{css}</style>" if css else "")
    return html.replace("</head>", tags + "</head>", 1)


def _split(html: str) -> tuple[str, str]:
    """'<html><head>…</head>' and the body's inner HTML."""
    start = html.index("<body")
    inner = html[html.index(">", start) + 1 : html.rindex("</body>")]
    return html[:start], inner
