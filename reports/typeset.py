"""The only place that knows WeasyPrint: HTML + CSS in, PDF bytes out.

Rendering reads nothing but the project's templates/ and styles/ folders,
the data folder, and the charts handed in by the caller. Every other
reference (a file elsewhere, a '..' escape, http, https, any other scheme)
stops the build with a message naming it: no network, no stray files.
"""

from __future__ import annotations

import logging
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


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside the PDF, e.g. the source data of an archived edition."""

    name: str                       # as the reader's attachment list shows it: 'countries/japan.yaml'
    content: bytes
    description: str
    relationship: str = "Source"    # PDF/A-3 AFRelationship: the PDF was made from this file


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


def typeset(page: Page, embedded: list[EmbeddedFile] = (), **pdf_options) -> bytes:
    """Lay out the page and return the PDF; raise BuildError on a refused reference."""
    fetcher = ProjectFetcher([TEMPLATES, STYLES, page.data_dir], page.resources)
    base_url = TEMPLATES.as_uri() + "/"
    stylesheets = [weasyprint.CSS(url=(STYLES / name).as_uri(), url_fetcher=fetcher)
                   for name in page.stylesheets]
    _quiet_weasyprint()
    try:
        document = weasyprint.HTML(string=page.html, base_url=base_url, url_fetcher=fetcher)
        attachments = [weasyprint.Attachment(string=file.content, name=file.name, description=file.description,
                                             relationship=file.relationship) for file in embedded]
        return document.write_pdf(stylesheets=stylesheets, attachments=attachments or None, **pdf_options)
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error.__context__ or error
        message = str(error) if isinstance(error, RefusedReference) else str(cause)
        raise BuildError(message) from None


def _quiet_weasyprint() -> None:
    # WeasyPrint logs unsupported CSS as warnings; errors still reach us as exceptions.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
