"""The build as a library: one pipeline that every kind of document goes through.

    from reports import BuildOptions, CountryDossier, build

    result = build(CountryDossier("japan"), BuildOptions(language="de"), output=Path("out/japan-de.pdf"))

A kind of document (reports/kinds.py) loads what it needs, recording every
file it reads, and makes its document or book. The rest is the same for all:
reuse an earlier build whose inputs all read the same, typeset (a book in
chapters, in parallel, cached), check the PDF against its output profile,
write it atomically. Like Sphinx's builders, the flow is fixed here and a
kind fills in its steps.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from .cache import DEFAULT_ROOT as DEFAULT_CACHE
from .cache import Cache
from .charts import draw_all
from .charts import use_cache as use_chart_cache
from .documents import Document
from .documents.book import Book
from .glyphs import check_glyphs
from .i18n import catalogue_languages
from .inputs import Inputs, Snapshot
from .output import write_atomic
from .pages import PROJECT, EmbeddedFile, Page, resources_named
from .preflight import book_checks, preflight
from .problems import BuildError, InputError, Problem
from .profiles import DEFAULT_PROFILE, PROFILES, Profile, profile_named
from .progress import BuildProgress
from .typeset_book import BuildReport, HtmlBook, HtmlChapter, typeset_chapters
from .workers import chapter_executor

DEFAULT_DATA = PROJECT / "data"
DEFAULT_ARCHIVE = PROJECT / "archive"
OUT = Path("out")  # default outputs go under out/ in the working folder


def default_cache() -> Path:
    """The build cache: ATLAS_CACHE_DIR if set, else .cache/atlas in the project."""
    return Path(os.environ.get("ATLAS_CACHE_DIR") or DEFAULT_CACHE)


@dataclass(frozen=True)
class BuildOptions:
    """How to build. Every option shapes the output, and so the build's cache key, except those
    named in NOT_SHAPING (a test holds this list to account) and those a kind of document never
    reads (DocumentKind.unread_options)."""

    data: Path = DEFAULT_DATA  # the data folder
    archive: Path = DEFAULT_ARCHIVE  # where sealed editions live
    language: str | None = None  # None: the edition's language
    profile: str = DEFAULT_PROFILE  # screen, print or archive (reports/profiles.py)
    one_piece: bool = False  # a book in one WeasyPrint run: no chapters, no cache
    jobs: int | None = None  # processes typesetting a book's chapters; None: the cores
    scheduler: str | None = None  # 'tcp://host:port': typeset on a Dask cluster instead
    cache: Path | None = field(default_factory=default_cache)  # None: build everything afresh
    progress: bool = False  # a progress display, on a terminal

    def check(self) -> None:
        """Options that cannot work, reported before anything is loaded or started."""
        problems = []
        if self.language is not None and self.language not in catalogue_languages():
            problems.append(f"language '{self.language}': expected one of {', '.join(catalogue_languages())}")
        if self.profile not in PROFILES:
            problems.append(f"profile '{self.profile}': expected one of {', '.join(PROFILES)}")
        if self.jobs is not None and self.jobs < 1:
            problems.append(f"jobs {self.jobs}: expected 1 or more")
        if self.scheduler is not None and not re.fullmatch(r"(tcp|tls)://[^\s:/]+:\d+", self.scheduler):
            problems.append(f"scheduler '{self.scheduler}': expected an address like tcp://127.0.0.1:8786")
        if problems:
            raise InputError([Problem("", 0, 0, "", problem) for problem in problems])

    def shaping(self, unread: frozenset[str] = frozenset()) -> str:
        """The options that shape the output, as a part of the build's cache key; less those a kind
        of document never reads (`unread`)."""
        ignored = NOT_SHAPING | unread
        return "\0".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.name not in ignored)


# Options that change how a document is made, never what it is (chapters typeset in any number of
# processes join into the same bytes).
NOT_SHAPING = frozenset({"jobs", "scheduler", "cache", "progress"})


@dataclass(frozen=True)
class Made:
    """What a kind makes from the data: a document or a book, its default output file, and the
    data folder whose files its pages may use."""

    document: Document | Book
    output: Path
    data_dir: Path


@dataclass(frozen=True)
class Built:
    """A checked PDF, before it is written."""

    pdf: bytes
    default_output: Path
    summary: str = ""  # what the build did, for the user: chapters typeset, or taken from the cache


@dataclass(frozen=True)
class BuildResult:
    files: list[Path]  # what was written, in order (a booklet writes its A5 version first)
    summary: str = ""


def build(
    kind, options: BuildOptions | None = None, output: Path | None = None, inputs: Inputs | None = None
) -> BuildResult:
    """Make the document, check it against its output profile and write it (and any companion file,
    such as a booklet's A5 version) atomically: a failed build writes nothing. `inputs`: see make_pdf.

    Raises InputError for problems with the input (every one, with file and line) and BuildError
    when the document cannot be made or fails its profile's checks.
    """
    if output is not None:
        check_writable(Path(output))  # before the work, not after it
    built = make_pdf(kind, options or BuildOptions(), inputs)
    files = kind.finish(built.pdf, Path(output or built.default_output))  # all made before any is written
    for path, _ in files:
        check_writable(path)
    return BuildResult([_write(path, content) for path, content in files], built.summary)


def check_writable(path: Path) -> None:
    """Raise BuildError when a file cannot be written at `path`: a folder is there, or a file stands
    where a folder would have to be made, or the folder may not be written to."""
    if path.is_dir():
        raise BuildError(f"cannot write {path}: it is a folder; name a file in it, e.g. {path / 'dossier.pdf'}")
    folder = path.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        raise BuildError(f"cannot write {path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BuildError(f"cannot write {path}: no permission to write in {folder}")


def _write(path: Path, content: bytes) -> Path:
    try:
        return write_atomic(path, content)
    except OSError as error:
        raise BuildError(
            f"cannot write {path}: {error.strerror or error}; the previous file, if any, is unchanged"
        ) from None


def make_pdf(
    kind, options: BuildOptions, inputs: Inputs | None = None, on_typeset: Callable[[bytes], None] | None = None
) -> Built:
    """The kind's PDF, typeset and checked, from the cache when nothing changed since the last build.

    `inputs`, if given, records every file the build read (taken from the cache: those its earlier
    build read), also when it fails, for a caller that rebuilds when one changes (reports/rebuild.py).
    `on_typeset`, if given, is handed a newly typeset PDF before it is checked: the preview draws
    its pages meanwhile, and shows them only once the check has passed.
    """
    inputs = Inputs() if inputs is None else inputs
    options.check()
    kind.check_arguments(options)
    cache = Cache(options.cache) if options.cache is not None and not options.one_piece else None
    use_chart_cache(cache)
    profile = profile_named(options.profile)
    build_key = cache.build_key(repr(kind), options.shaping(kind.unread_options()), repr(profile)) if cache else ""
    if cache and (earlier := _earlier(kind, cache, build_key, inputs)):
        return earlier
    if kind.book and not options.one_piece:
        made, pdf, result_key, summary = _typeset_book(kind, options, inputs, profile, cache, on_typeset)
    else:
        made, summary = kind.make(options, inputs), ""
        pdf = typeset_checked(one_page(made), profile, on_typeset=on_typeset)
        if cache:
            result_key = cache.key("document", build_key, *inputs.record().values())
            cache.store(result_key, pdf)
    if cache:
        cache.record_build(build_key, inputs.record(), result_key, made.output)
    return Built(pdf, made.output, summary)


def cached_pdf(kind, options: BuildOptions, now: Snapshot | None = None) -> Built | None:
    """The kind's PDF as make_pdf would give it, if the cache has it and nothing it read has changed
    since (its inputs as in the snapshot `now`, if given); None where it would have to be made (or the
    options build without a cache)."""
    if options.cache is None or options.one_piece:
        return None
    cache = Cache(options.cache)
    build_key = cache.build_key(
        repr(kind), options.shaping(kind.unread_options()), repr(profile_named(options.profile))
    )
    return _earlier(kind, cache, build_key, now=now)


def _earlier(
    kind, cache: Cache, build_key: str, inputs: Inputs | None = None, now: Snapshot | None = None
) -> Built | None:
    if not (earlier := cache.earlier_build(build_key, now)):
        return None
    pdf, default_output, read = earlier
    if inputs is not None:
        inputs.extend(read)
    summary = f"nothing changed since the last build: its {'book' if kind.book else 'PDF'}, from the cache"
    return Built(pdf, default_output, summary)


def one_page(made: Made) -> Page:
    """The document as one HTML page for one WeasyPrint run (a book: its chapters in a row)."""
    if isinstance(made.document, Book):
        return html_book(made.document, made.data_dir).one_piece()
    document = made.document
    return Page(document.html(), Path(made.data_dir).resolve(), document.resources, document.stylesheets)


def html_book(book: Book, data_dir: Path) -> HtmlBook:
    chapters = [HtmlChapter(name, html, book.recto) for name, html in book.chapter_documents()]
    return HtmlBook(
        chapters, Path(data_dir).resolve(), {chart.name: chart.svg for chart in book.charts}, book.stylesheets
    )


def typeset_checked(
    page: Page,
    profile: Profile,
    embedded: Sequence[EmbeddedFile] = (),
    on_typeset: Callable[[bytes], None] | None = None,
) -> bytes:
    """Typeset one page for the profile; text no font can set, or a PDF that fails the profile's
    checks, is an error. `on_typeset`: see make_pdf."""
    check_glyphs(page.html, page.data_dir, page.resources)
    from .typeset import typeset  # WeasyPrint loads only in a process that typesets (see reports/pages.py)

    pdf = typeset(page, profile, embedded)
    if on_typeset:
        on_typeset(pdf)
    require_profile(pdf, profile)
    return pdf


def _typeset_book(
    kind,
    options: BuildOptions,
    inputs: Inputs,
    profile: Profile,
    cache: Cache | None,
    on_typeset: Callable[[bytes], None] | None,
) -> tuple[Made, bytes, str, str]:
    """A book typeset in chapters by worker processes (or a Dask cluster), cached, and joined; with
    the joined book's cache key."""
    report = BuildReport()
    # The workers start first: they get ready while the data loads.
    with (
        BuildProgress(enabled=options.progress) as progress,
        chapter_executor(options.jobs, options.scheduler) as workers,
    ):
        progress.stage("loading")
        made = kind.make(options, inputs)
        book: Book = made.document
        progress.stage("drawing charts")
        draw_all(book.charts, workers)
        pages = html_book(book, made.data_dir)

        def check_chapter_glyphs() -> None:
            for chapter in pages.chapters:
                _check_glyphs_once(chapter.html, pages.data_dir, pages.resources, cache)

        join_book = typeset_chapters(pages, profile, workers, cache, progress, report, meanwhile=check_chapter_glyphs)
    pdf = join_book()
    if not report.joined_from_cache:  # a joined book is cached only once it has passed preflight
        if on_typeset:
            on_typeset(pdf)
        require_profile(pdf, profile, report.content_checks)
        if cache:
            cache.store(report.book_key, pdf)
    return made, pdf, report.book_key, report.summary()


def _check_glyphs_once(html: str, data_dir: Path, resources: dict[str, bytes], cache: Cache | None) -> None:
    """The glyph check of a chapter, skipped when the same chapter passed it with the same fonts."""
    charts = resources_named(html, resources)
    if cache is None:
        check_glyphs(html, data_dir, charts)
        return
    key = cache.glyphs_key(html, charts)
    if cache.load(key) is None:
        check_glyphs(html, data_dir, charts)
        cache.store(key, b"passed")


def require_profile(pdf: bytes, profile: Profile, parts: list | None = None) -> None:
    """Preflight; for a book, `parts` holds the content checks its chapters passed in the workers."""
    checks = preflight(pdf, profile) if parts is None else book_checks(pdf, profile, parts)
    failed = [check for check in checks if not check.passed]
    if failed:
        details = "; ".join(f"{check.name}: {check.detail}" for check in failed)
        raise BuildError(
            f"the PDF does not meet the {profile.name} profile ({profile.standard}), nothing was written: {details}"
        )
