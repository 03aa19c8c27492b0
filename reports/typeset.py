"""The only place that knows WeasyPrint: HTML + CSS in, PDF bytes out.

Rendering reads nothing but the project's templates/ and styles/ folders,
the data folder, and the charts handed in by the caller. Every other
reference (a file elsewhere, a '..' escape, http, https, any other scheme)
stops the build with a message naming it: no network, no stray files.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .problems import BuildError

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
STYLES = PROJECT / "styles"

_MEDIA_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
                ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".ttf": "font/ttf", ".otf": "font/otf"}


class RefusedReference(FatalURLFetchingError):
    """A document referred to something outside what a build may read."""


@dataclass
class Page:
    """What the caller hands to the typesetter: the HTML and the resources it may use."""

    html: str
    data_dir: Path
    resources: dict[str, bytes] = field(default_factory=dict)  # e.g. "chart:ab12.svg" -> SVG
    stylesheets: list[str] = field(default_factory=lambda: ["atlas.css"])


class ProjectFetcher(URLFetcher):
    """Serves project files and in-memory resources; refuses everything else."""

    def __init__(self, roots: list[Path], resources: dict[str, bytes]):
        super().__init__(fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]
        self.resources = resources

    def fetch(self, url, headers=None):
        if url in self.resources:
            return URLFetcherResponse(url, self.resources[url], {"Content-Type": _media_type(url)})
        parts = urlsplit(url)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _media_type(url)})
        raise RefusedReference(f"refused to load '{url}': documents may only use files from the "
                               "project's templates/, styles/ and data folders")


def _media_type(url: str) -> str:
    return _MEDIA_TYPES.get(Path(urlsplit(url).path).suffix.lower(), "application/octet-stream")


def typeset(page: Page, **pdf_options) -> bytes:
    """Lay out the page and return the PDF; raise BuildError on a refused reference."""
    return _render(page, pdf_options).write_pdf(**pdf_options)


@dataclass(frozen=True)
class TypesetChapter:
    """One chapter of a book, typeset on its own, with what joining it into the book needs."""

    pdf: bytes
    page_count: int
    bookmarks: tuple[tuple[int, int, str], ...]  # (level, page index, label), in reading order
    anchors: dict[str, int]  # anchor -> page index, for the page numbers other chapters print
    stubs: frozenset[str]  # anchors of other chapters that this one links to
    numbered: tuple[bool, ...]  # per page: does it show a page number?


_ID = re.compile(r'\sid="([^"]+)"')
_LOCAL_LINK = re.compile(r'\shref="#([^"]+)"')


def typeset_chapter(page: Page, **pdf_options) -> TypesetChapter:
    """Typeset a chapter whose links may point into other chapters.

    WeasyPrint drops a link whose target is not in the document, so every such
    target gets an invisible stand-in here; the joiner points the link at the
    real place in the book.
    """
    stubs = frozenset(_LOCAL_LINK.findall(page.html)) - frozenset(_ID.findall(page.html))
    html = page.html
    if stubs:
        markers = "".join(f'<span class="link-stub" id="{name}"></span>' for name in sorted(stubs))
        html = html.replace("</body>", f'<div class="link-stubs" aria-hidden="true" style="position: absolute; top: 0; left: 0; width: 0; height: 0">{markers}</div></body>')
    document = _render(Page(html, page.data_dir, page.resources, page.stylesheets), pdf_options)
    bookmarks = tuple((level, index, label) for index, laid_out in enumerate(document.pages)
                      for level, label, _position, _state in laid_out.bookmarks)
    anchors = {name: index for index, laid_out in enumerate(document.pages) for name in laid_out.anchors
               if name not in stubs}
    numbered = tuple(_has_margin_box(laid_out, PAGE_NUMBER_BOX) for laid_out in document.pages)
    return TypesetChapter(document.write_pdf(**pdf_options), len(document.pages), bookmarks, anchors, stubs,
                          numbered)


# The margin box that carries "page x of y" in every document (see templates/base.html).
PAGE_NUMBER_BOX = "@bottom-right"


def _has_margin_box(laid_out, at_keyword: str) -> bool:
    # WeasyPrint has no public API for this; a page has the box only where its CSS gives it content.
    return any(getattr(box, "at_keyword", None) == at_keyword for box in laid_out._page_box.children)


def _render(page: Page, pdf_options: dict):
    fetcher = ProjectFetcher([TEMPLATES, STYLES, page.data_dir], page.resources)
    stylesheets = [weasyprint.CSS(url=(STYLES / name).as_uri(), url_fetcher=fetcher)
                   for name in page.stylesheets]
    _quiet_weasyprint()
    try:
        html = weasyprint.HTML(string=page.html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
        return html.render(stylesheets=stylesheets, **pdf_options)
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error.__context__ or error
        message = str(error) if isinstance(error, RefusedReference) else str(cause)
        raise BuildError(message) from None


def _quiet_weasyprint() -> None:
    # WeasyPrint logs unsupported CSS as warnings; errors still reach us as exceptions.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
