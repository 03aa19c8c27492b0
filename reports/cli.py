"""The command line: a thin layer over load -> documents -> typeset -> output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import archive
from .cache import DEFAULT_ROOT as DEFAULT_CACHE
from .cache import Cache
from .charts import draw_all
from .charts import use_cache as use_chart_cache
from .coverage import coverage_report
from .diff import compare
from .documents import Document
from .documents.atlas import atlas_edition
from .documents.book import Book
from .documents.country import country_dossier, find_country
from .documents.diff import diff_document
from .documents.handout import symposium_handout
from .documents.pack import briefing_pack
from .documents.region import region_dossier
from .editions import load_edition
from .imposition import impose_booklet
from .glyphs import check_glyphs
from .loader import load_atlas
from .model import LANGUAGES, Atlas
from .output import write_atomic
from .pages import PROJECT, EmbeddedFile, Page
from .preflight import book_checks, preflight, print_report
from .problems import BuildError, InputError, Problem, display_path
from .profiles import DEFAULT_PROFILE, PROFILES, Profile, profile_named
from .progress import BuildProgress
from .specs import load_event, load_pack
from .typeset_book import BuildReport, HtmlBook, HtmlChapter, typeset_chapters
from .workers import chapter_executor, default_jobs

DEFAULT_DATA = PROJECT / "data"
DEFAULT_ARCHIVE = PROJECT / "archive"
OUT = Path("out")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.command(args)
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
        return 2
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the Partner Atlas and its dossiers.")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    def command(name: str, function, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument("--data", type=Path, default=DEFAULT_DATA, metavar="DIR",
                         help="the data folder (default: data/)")
        sub.set_defaults(command=function)
        return sub

    check = command("check", _check, "validate the data and list every problem; with --lang, "
                    "also list the texts that lack a version in that language")
    check.add_argument("--lang", choices=LANGUAGES, help="list the texts missing in this language")

    country = command("country", _country, "build a country dossier")
    country.add_argument("country", help="the country's slug (japan) or ISO code (JP)")
    _document_options(country)

    pack = command("pack", _pack, "build a briefing pack from a pack spec")
    pack.add_argument("spec", type=Path, help="the pack spec, e.g. data/packs/tokyo-delegation-2023.yaml")
    _document_options(pack)
    _book_options(pack)

    handout = command("handout", _handout, "build a symposium handout from an event file")
    handout.add_argument("event", type=Path, help="the event file, e.g. data/events/security-dialogue-2023.yaml")
    handout.add_argument("--booklet", action="store_true",
                         help="A5 pages imposed on A4 landscape sheets for saddle stitching; "
                              "also writes the A5 reader's version as FILE-a5.pdf")
    _document_options(handout)

    check_pdf = commands.add_parser("preflight", help="check a PDF against an output profile",
                                    description="check a PDF against an output profile")
    check_pdf.add_argument("pdf", type=Path, metavar="FILE.pdf", help="the PDF to check")
    _profile_option(check_pdf)
    check_pdf.set_defaults(command=_preflight)

    region = command("region", _region, "build a region dossier: overview, its countries, sources, authors")
    region.add_argument("region", help="the region's slug (asia-pacific)")
    _document_options(region)
    _book_options(region)

    atlas = command("atlas", _atlas, "build the atlas edition as a book")
    atlas.add_argument("--edition", metavar="YEAR",
                       help="the edition year: the working data's, or a sealed one from the archive")
    _archive_option(atlas)
    _document_options(atlas)
    _book_options(atlas)

    seal = command("archive", _archive,
                   "seal the working data's edition into archive/<year> (PDF/A-3 with its data)")
    seal.add_argument("--edition", type=int, required=True, metavar="YEAR", help="the edition year to seal")
    _archive_option(seal)

    verify = command("verify", _verify, "check a sealed edition's checksums and attached data")
    verify.add_argument("edition_dir", type=Path, metavar="ARCHIVE_DIR",
                        help="a sealed edition, e.g. archive/2022")

    changes = command("diff", _diff, "compare two editions (archived or the working data) in a change report")
    changes.add_argument("before", metavar="YEAR", help="the earlier edition, e.g. 2022")
    changes.add_argument("after", metavar="YEAR", help="the later edition, e.g. 2023")
    _archive_option(changes)
    _document_options(changes)
    return parser


def _profile_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", choices=PROFILES, default=DEFAULT_PROFILE,
                        help="; ".join(f"{p.name}: {p.standard} for {p.purpose}" for p in PROFILES.values())
                             + f" (default: {DEFAULT_PROFILE})")


def _book_options(parser: argparse.ArgumentParser) -> None:
    books = parser.add_argument_group("typesetting a book in chapters")
    books.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                       help=f"chapters typeset at once in worker processes (default: the cores, {default_jobs()})")
    books.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                       help="typeset the chapters on a Dask cluster instead (see README.md)")
    books.add_argument("--no-cache", action="store_true",
                       help="typeset everything afresh, without reading or writing the build cache")
    books.add_argument("--one-piece", action="store_true",
                       help="typeset the book in one WeasyPrint run, without chapters or cache (slower)")
    books.add_argument("--quiet", action="store_true", help="no progress display")


def _archive_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--archive-dir", type=Path, default=DEFAULT_ARCHIVE, metavar="DIR",
                        help="where sealed editions live (default: archive/)")


def _document_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="where to write the PDF (default: under out/)")
    parser.add_argument("--lang", choices=LANGUAGES, help="document language (default: the edition's)")
    _profile_option(parser)


def _check(args) -> int:
    atlas = load_atlas(args.data)
    # Pack and event files are checked too: an editor runs one command before building anything.
    texts, problems = list(atlas.texts), []
    specs = [(load_pack, path) for path in sorted((Path(args.data) / "packs").glob("*.yaml"))]
    specs += [(load_event, path) for path in sorted((Path(args.data) / "events").glob("*.yaml"))]
    for load, path in specs:
        try:
            load(path, atlas, texts)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    assessments = sum(len(c.assessments) for c in atlas.countries.values())
    print(f"{args.data}: {len(atlas.countries)} countries, {assessments} assessments, "
          f"{len(atlas.regions)} regions, {len(specs)} pack and event files: no problems found.")
    if args.lang:
        print(coverage_report(texts, args.lang))
    return 0


def _country(args) -> int:
    atlas = load_atlas(args.data)
    country = find_country(atlas, args.country)
    document = country_dossier(atlas, country.slug, _language(args, atlas))
    return _publish(document, args, OUT / f"{country.slug}.pdf")


def _pack(args) -> int:
    def make() -> tuple[Book, Path, Path]:
        atlas = load_atlas(args.data)
        pack = load_pack(_spec_file(args.spec), atlas)
        return briefing_pack(atlas, pack, _language(args, atlas)), OUT / f"{args.spec.stem}.pdf", args.data
    return _publish_book(args, [args.data, args.spec], make)


def _handout(args) -> int:
    atlas = load_atlas(args.data)
    event = load_event(_spec_file(args.event), atlas)
    document = symposium_handout(atlas, event, _language(args, atlas), booklet=args.booklet)
    if not args.booklet:
        return _publish(document, args, OUT / f"{args.event.stem}.pdf")
    output = args.output or OUT / f"{args.event.stem}-booklet.pdf"
    pages = _typeset(document, args)
    sheets = impose_booklet(pages)  # before writing anything: a failure leaves both files as they were
    print(f"wrote {write_atomic(output.with_name(f'{output.stem}-a5.pdf'), pages)}")
    print(f"wrote {write_atomic(output, sheets)}")
    return 0


def _spec_file(path: Path) -> Path:
    if not path.is_file():
        raise InputError([Problem(display_path(path), 0, 0, "", "file not found")])
    return path


def _region(args) -> int:
    def make() -> tuple[Book, Path, Path]:
        atlas = load_atlas(args.data)
        return region_dossier(atlas, args.region, _language(args, atlas)), OUT / f"{args.region}.pdf", args.data
    return _publish_book(args, [args.data], make)


def _atlas(args) -> int:
    def make() -> tuple[Book, Path, Path]:
        if args.edition:
            edition = load_edition(args.edition, args.data, args.archive_dir)
            atlas, data_dir = edition.atlas, edition.data_dir
        else:
            atlas, data_dir = load_atlas(args.data), args.data
        return atlas_edition(atlas, _language(args, atlas)), OUT / f"atlas-{atlas.edition.edition}.pdf", data_dir
    return _publish_book(args, [args.data, *([args.archive_dir / args.edition] if args.edition else [])], make)


def _archive(args) -> int:
    atlas = load_atlas(args.data)
    year = atlas.edition.edition
    if args.edition != year:
        raise BuildError(f"the working data is edition {year}, not {args.edition}; "
                         f"only the working data's edition can be sealed")
    target = args.archive_dir / str(year)
    archive.refuse_if_sealed(target)
    files = archive.source_files(args.data)
    # The sealed edition is always the archive profile (PDF/A-3), carrying its own source data.
    pdf = _typeset(atlas_edition(atlas, atlas.edition.language).document(), args, profile_named("archive"),
                   embedded=archive.embedded_sources(files, year))
    archive.seal(target, year, pdf, files)
    print(f"sealed edition {year} in {target} ({len(files)} source files attached)")
    return 0


def _verify(args) -> int:
    count, problems = archive.verify(args.edition_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{args.edition_dir}: verification failed, {len(problems)} problem"
              f"{'s' if len(problems) != 1 else ''}.", file=sys.stderr)
        return 1
    print(f"{args.edition_dir}: {count} files match their checksums; the data attached to the PDF "
          "equals the snapshot.")
    return 0


def _diff(args) -> int:
    before = load_edition(args.before, args.data, args.archive_dir)
    after = load_edition(args.after, args.data, args.archive_dir)
    language = args.lang or after.atlas.edition.language
    document = diff_document(compare(before.atlas, after.atlas, language), language, before.archived,
                              after.archived)
    return _publish(document, args, OUT / f"diff-{args.before}-{args.after}.pdf")


def _language(args, atlas: Atlas) -> str:
    return args.lang or atlas.edition.language


def _typeset(document: Document, args, profile: Profile | None = None, data_dir: Path | None = None,
             embedded: list[EmbeddedFile] = ()) -> bytes:
    """Typeset a document for the requested profile; a PDF that fails preflight is an error."""
    profile = profile or profile_named(args.profile)
    data_dir = Path(data_dir or args.data).resolve()
    html = document.html()
    check_glyphs(html, data_dir, document.resources)
    from .typeset import typeset  # WeasyPrint loads only in a process that typesets (see reports/pages.py)

    pdf = typeset(Page(html, data_dir, document.resources, document.stylesheets), profile, embedded)
    _require_profile(pdf, profile)
    return pdf


def _publish_book(args, sources: list[Path], make: Callable[[], tuple[Book, Path, Path]]) -> int:
    """A book typeset in chapters (in parallel, cached) and joined; or in one piece with --one-piece.

    `make` loads the data and makes the book, its default output file and its data folder;
    `sources` are the files and folders it reads. When none of those, nor the templates, styles,
    translations and code, changed since a build with the same arguments, that build's book is
    written again straight from the cache, without loading anything.
    """
    cache = _cache(args)  # before the book is made: its charts come from the cache too
    build_key = cache.build_key(_book_arguments(args), sources) if cache else ""
    if build_key and (unchanged := _unchanged_build(cache, build_key)):
        pdf, default_output = unchanged
        path = write_atomic(args.output or default_output, pdf)
        print(f"wrote {path} (nothing changed since the last build: its book, from the cache)")
        return 0
    if args.one_piece:
        book, default_output, data_dir = make()
        return _publish(book.document(), args, default_output, data_dir)
    profile = profile_named(args.profile)
    report = BuildReport()
    # The workers start first: they get ready while the data loads.
    with BuildProgress(enabled=not args.quiet) as progress, chapter_executor(args.jobs, args.scheduler) as workers:
        progress.stage("loading")
        book, default_output, data_dir = make()
        data_dir = Path(data_dir).resolve()
        progress.stage("drawing charts")
        draw_all(book.charts, workers)
        resources = {chart.name: chart.svg for chart in book.charts}
        chapters = [HtmlChapter(name, html, book.recto) for name, html in book.chapter_documents()]

        def check_glyphs() -> None:
            for chapter in chapters:
                _check_glyphs_once(chapter.html, data_dir, resources, cache)
        pages = HtmlBook(chapters, data_dir, resources, book.stylesheets)
        join_book = typeset_chapters(pages, profile, workers, cache, progress, report, meanwhile=check_glyphs)
    pdf = join_book()
    if not report.joined_from_cache:  # a joined book is cached only once it has passed preflight
        _require_profile(pdf, profile, report.content_checks)
        if cache:
            cache.store(report.book_key, pdf)
    if cache:
        cache.store(build_key, json.dumps({"book": report.book_key, "output": str(default_output)}).encode())
    path = write_atomic(args.output or default_output, pdf)
    print(f"wrote {path} ({report.summary()})")
    return 0


def _book_arguments(args) -> list[str]:
    """What shapes a book besides its files (not --jobs, --scheduler, --quiet or --output)."""
    shaping = ("command", "region", "spec", "edition", "lang", "profile", "data", "archive_dir")
    return [f"{name}={getattr(args, name).__name__ if name == 'command' else getattr(args, name)}"
            for name in shaping if hasattr(args, name)]


def _unchanged_build(cache: Cache, build_key: str) -> tuple[bytes, Path] | None:
    """The book of an earlier build with the same inputs, and its default output file."""
    record = cache.load(build_key)
    if record is None:
        return None
    earlier = json.loads(record)
    pdf = cache.load(earlier["book"])
    return (pdf, Path(earlier["output"])) if pdf is not None else None


def _check_glyphs_once(html: str, data_dir: Path, resources: dict[str, bytes], cache: Cache | None) -> None:
    """The glyph check of a chapter, skipped when the same chapter passed it before."""
    charts = {name: svg for name, svg in resources.items() if name in html}
    key = cache.key("glyphs", html, *charts.values()) if cache else None
    if key and cache.load(key) is not None:
        return
    check_glyphs(html, data_dir, charts)
    if key:
        cache.store(key, b"passed")


def _cache(args) -> Cache | None:
    """The build cache (ATLAS_CACHE_DIR, else .cache/atlas in the project), also for charts."""
    if args.no_cache or args.one_piece:
        return None
    cache = Cache(Path(os.environ.get("ATLAS_CACHE_DIR") or DEFAULT_CACHE))
    use_chart_cache(cache)
    return cache


def _require_profile(pdf: bytes, profile: Profile, parts: list | None = None) -> None:
    """Preflight; for a book, `parts` holds the content checks its chapters passed in the workers."""
    checks = preflight(pdf, profile) if parts is None else book_checks(pdf, profile, parts)
    failed = [check for check in checks if not check.passed]
    if failed:
        details = "; ".join(f"{check.name}: {check.detail}" for check in failed)
        raise BuildError(f"the PDF does not meet the {profile.name} profile ({profile.standard}), "
                         f"nothing was written: {details}")


def _publish(document: Document, args, default_output: Path, data_dir: Path | None = None) -> int:
    path = write_atomic(args.output or default_output, _typeset(document, args, data_dir=data_dir))
    print(f"wrote {path}")
    return 0


def _preflight(args) -> int:
    profile = profile_named(args.profile)
    try:
        pdf = args.pdf.read_bytes()
    except OSError as error:
        raise BuildError(f"cannot read {args.pdf}: {error.strerror}") from None
    checks = preflight(pdf, profile)
    print_report(args.pdf, profile, checks)
    return 0 if all(check.passed for check in checks) else 1
