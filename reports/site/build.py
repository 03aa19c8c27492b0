"""`build.py site`: the web edition, in every language, with its PDFs and data, written in one step.

The PDFs are built through the pipeline like every other (reports/pipeline.py), so they come from the
build cache when nothing changed, and their charts are the ones the pages show. Everything is made
in memory first and then written as one folder (reports/output.py): a failed build leaves the
previous site as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from babel import Locale

from ..cache import Cache
from ..charts import use_cache as use_chart_cache
from ..html import render_html
from ..i18n import N_, Language
from ..inputs import Inputs, Snapshot
from ..kinds import AtlasEdition, CountryDossier, DocumentKind, RegionDossier
from ..loader import load_atlas
from ..model import Atlas
from ..output import replace_folder
from ..pages import STYLES, TEMPLATES
from ..palette import colours
from ..pipeline import BuildOptions, cached_pdf, make_pdf
from ..problems import BuildError, InputError, Problem, display_path
from ..workers import chapter_executor, forked_map, shared_workers
from . import paths
from .data import edition_json, facts_csv, ratings_csv, search_entry, search_index
from .pages import SitePage, site_pages

SITE_TEMPLATES = TEMPLATES / "site"
MARK = "site.json"  # in the root of every site this builds: what it is; an existing folder without it is not replaced
# Nothing a page uses may come from elsewhere; no inline script or style (charts included, see charts.py).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; script-src 'self'; "
    "form-action 'self'; base-uri 'none'"
)
KINDS = {  # what a page is, as the search results say it
    "home.html": N_("Home"),
    "interest.html": N_("Interest"),
    "region.html": N_("Region"),
    "country.html": N_("Country"),
    "assessment.html": N_("Assessment"),
    "methodology.html": N_("Methodology"),
    "authors.html": N_("Authors"),
    "sources.html": N_("Sources"),
}


@dataclass(frozen=True)
class SiteResult:
    folder: Path
    languages: tuple[str, ...]
    pages: int
    pdfs: int


def build_site(options: BuildOptions, output: Path, tell: Callable[[str], None] | None = None) -> SiteResult:
    """The site of the working data's edition in every language, written to the folder `output`.

    Raises InputError for problems with the data (every one) and BuildError when a PDF fails its
    profile or the folder cannot be written; then nothing is written. `tell` hears of each PDF.
    """
    output = Path(output)
    _check_target(output)
    site = make_site(options, tell)
    try:
        replace_folder(output, site.files)
    except OSError as error:
        raise BuildError(
            f"cannot write {output}: {error.strerror or error}; the previous site, if any, is unchanged"
        ) from None
    return SiteResult(output, site.languages, site.pages, site.pdfs)


@dataclass(frozen=True)
class Site:
    files: dict[str, bytes]  # path in the site's folder -> content
    languages: tuple[str, ...]
    pages: int
    pdfs: int


def make_site(options: BuildOptions, tell: Callable[[str], None] | None = None) -> Site:
    """Every file of the site, made in memory (a sealed edition keeps them too, reports/sealing.py)."""
    options.check()
    if not Path(options.data).is_dir():
        raise InputError([Problem(display_path(options.data), 0, 0, "", "data folder not found")])
    atlas = load_atlas(options.data, Inputs())
    languages = site_languages(atlas)
    use_chart_cache(Cache(options.cache) if options.cache is not None and not options.one_piece else None)
    with shared_workers():
        files = _pdfs(atlas, languages, options, tell or (lambda line: None))
    pdfs = len(files)
    pages = 1  # the root
    for in_language, count in forked_map(lambda code: language_pages(atlas, code, languages), languages, options.jobs):
        files |= in_language
        pages += count
    files[paths.file_of("")] = _root_page(atlas, languages).encode()
    files |= _data_files(atlas, languages) | static_files()
    files[MARK] = _mark(atlas, languages)
    return Site(files, languages, pages, pdfs)


def language_pages(atlas: Atlas, code: str, languages: tuple[str, ...]) -> tuple[dict[str, bytes], int]:
    """The pages in one language and their search index; and how many pages."""
    language = Language(code)
    files, entries = {}, []
    search = paths.page(code, "search")
    for page in site_pages(atlas, language):
        html = _render(page, atlas, languages)
        files[paths.file_of(page.address)] = html.encode()
        if page.searchable:
            what = language.gettext(KINDS[page.template])
            entries.append(search_entry(page.title, paths.relative(search, page.address), what, html))
    pages = len(files)
    files[search + "index.js"] = search_index(entries)
    return files, pages


def _pdfs(
    atlas: Atlas, languages: tuple[str, ...], options: BuildOptions, tell: Callable[[str], None]
) -> dict[str, bytes]:
    """Every PDF the pages link, by its place in the site. The books are built here (their chapters in
    the workers); the country dossiers the cache does not hold are built in the workers, several at
    once, and only then: a site whose PDFs are all cached starts no worker."""
    files: dict[str, bytes] = {}
    waiting: list[tuple[str, DocumentKind, BuildOptions]] = []
    now = Snapshot()  # the PDFs share most of their inputs: each file is read once
    for code in languages:
        for address, kind in _pdf_kinds(atlas, code):
            in_language = pdf_options(options, atlas, code)
            built = cached_pdf(kind, in_language, now) or (make_pdf(kind, in_language) if kind.book else None)
            if built is None:
                waiting.append((address, kind, in_language))
                continue
            files[address] = built.pdf
            tell(f"{address} ({built.summary})" if built.summary else address)
    if waiting:
        with chapter_executor(options.jobs, options.scheduler) as workers:
            futures = [(address, workers.submit(make_pdf, kind, opts)) for address, kind, opts in waiting]
            for address, future in futures:
                built = future.result()
                files[address] = built.pdf
                tell(f"{address} ({built.summary})" if built.summary else address)
    return dict(sorted(files.items()))


def pdf_options(options: BuildOptions, atlas: Atlas, code: str) -> BuildOptions:
    """How the site builds its PDFs in a language. Those in the edition's own language are built as
    `build.py country japan` builds them, with no language asked for: the same PDFs under the same
    cache keys, so that a site built after the atlas, its regions or dossiers takes them as they are."""
    return replace(options, language=None if code == atlas.edition.language else code)


def site_languages(atlas: Atlas) -> tuple[str, ...]:
    """The languages the site is made in: every language of the edition (atlas.yaml's `languages:`)."""
    return tuple(atlas.edition.languages)


def _check_target(output: Path) -> None:
    """A folder is replaced only if it is empty or a site this built: `-o ~` must never empty a home."""
    if output.exists() and not output.is_dir():
        raise BuildError(f"cannot write the site to {output}: it is a file; name a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARK).is_file():
        raise BuildError(
            f"cannot write the site to {output}: the folder holds other files (no {MARK}); name a new or empty folder"
        )


def _pdf_kinds(atlas: Atlas, code: str) -> list[tuple[str, DocumentKind]]:
    return [
        (paths.atlas_pdf(code, atlas.edition.edition), AtlasEdition()),
        *((paths.region_pdf(code, slug), RegionDossier(slug)) for slug in atlas.regions),
        *((paths.country_pdf(code, slug), CountryDossier(slug)) for slug in atlas.countries),
    ]


def _autonyms(languages: tuple[str, ...]) -> list[tuple[str, str]]:
    """Each language by its own name, as a language switch offers it ('Deutsch', not 'German')."""
    return [(code, (Locale.parse(code, sep="-").get_display_name(code) or code).capitalize()) for code in languages]


def _render(page: SitePage, atlas: Atlas, languages: tuple[str, ...]) -> str:
    return render_html(
        f"site/{page.template}",
        page.address.split("/")[0],
        page=page,
        edition=atlas.edition,
        atlas=atlas,
        paths=paths,
        languages=_autonyms(languages),
        csp=CONTENT_SECURITY_POLICY,
        url=lambda target: paths.relative(page.address, target),
        **page.context,
    )


def _root_page(atlas: Atlas, languages: tuple[str, ...]) -> str:
    return render_html(
        "site/root.html",
        atlas.edition.language,
        edition=atlas.edition,
        paths=paths,
        languages=_autonyms(languages),
        csp=CONTENT_SECURITY_POLICY,
        url=lambda target: paths.relative("", target),
    )


def _data_files(atlas: Atlas, languages: tuple[str, ...]) -> dict[str, bytes]:
    year = atlas.edition.edition
    return {
        paths.data_file(year, "json"): edition_json(atlas, languages),
        paths.data_file(year, "facts.csv"): facts_csv(atlas, languages),
        paths.data_file(year, "ratings.csv"): ratings_csv(atlas),
    }


def static_files() -> dict[str, bytes]:
    """The stylesheets, the bundled fonts with their licence, the search script; the :root of
    styles/atlas.css (its colours and font stacks, as reports/palette.py reads it) as the site's, so a
    colour or a face is chosen once for print and web."""
    palette = ":root {\n" + "".join(f"  --{name}: {value};\n" for name, value in sorted(colours().items())) + "}\n"
    icon = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
        f'<rect width="16" height="16" fill="{colours()["ink"]}"/></svg>\n'
    )

    files = {
        paths.STATIC + "palette.css": palette.encode(),
        paths.STATIC + "icon.svg": icon.encode(),
        paths.STATIC + "site.css": (STYLES / "site.css").read_bytes(),
        paths.STATIC + "fonts.css": (STYLES / "fonts.css").read_bytes(),
        paths.STATIC + "search.js": (SITE_TEMPLATES / "search.js").read_bytes(),
    }
    for font in sorted((STYLES / "fonts").iterdir()):
        files[paths.STATIC + "fonts/" + font.name] = font.read_bytes()
    return files


def _mark(atlas: Atlas, languages: tuple[str, ...]) -> bytes:
    mark = {"made by": "Partner Atlas", "edition": atlas.edition.edition, "languages": list(languages)}
    return (json.dumps(mark, indent=1) + "\n").encode()
