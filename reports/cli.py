"""The command line: translates arguments into a kind of document and build options, and prints.

The build itself is the library's (reports/pipeline.py, reports/kinds.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from . import archive
from .archive import RECORD
from .check import check_data
from .coverage import coverage_report
from .i18n import catalogue_languages
from .kinds import (
    AtlasEdition,
    BriefingPack,
    CountryDossier,
    DocumentKind,
    EditionDiff,
    RegionDossier,
    SymposiumHandout,
)
from .loader import edition_language
from .pipeline import DEFAULT_ARCHIVE, DEFAULT_DATA, OUT, BuildOptions, build, default_cache
from .preflight import preflight, print_report
from .problems import EXPECTED_FAILURES, BuildError, InputError, Problem, display_path, failure_report
from .profiles import DEFAULT_PROFILE, PROFILES, profile_named
from .sealing import migrate_edition, seal_edition
from .workers import default_jobs, end_on_sigterm


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        end_on_sigterm()  # ended like Ctrl-C: workers stopped, nothing half-written
    try:
        return args.command(args)
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("ATLAS_DEBUG") and not isinstance(error, EXPECTED_FAILURES):
            raise
        lines, status = failure_report(error)
        for line in lines:
            print(line, file=sys.stderr)
        return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the Partner Atlas and its dossiers.")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    def command(name: str, function, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.add_argument(
            "--data", type=Path, default=DEFAULT_DATA, metavar="DIR", help="the data folder (default: data/)"
        )
        sub.set_defaults(command=function)
        return sub

    check = command(
        "check",
        _check,
        "validate the data and list every problem; with --lang, "
        "also list the texts that lack a version in that language",
    )
    check.add_argument("--lang", choices=catalogue_languages(), help="list the texts missing in this language")

    country = command("country", _build(lambda a: CountryDossier(a.country)), "build a country dossier")
    country.add_argument("country", help="the country's slug (japan) or ISO code (JP)")
    _document_options(country)

    pack = command("pack", _build(lambda a: BriefingPack(a.spec)), "build a briefing pack from a pack spec")
    pack.add_argument("spec", type=Path, help="the pack spec, e.g. data/packs/tokyo-delegation-2023.yaml")
    _document_options(pack)
    _book_options(pack)

    handout = command(
        "handout",
        _build(lambda a: SymposiumHandout(a.event, a.booklet)),
        "build a symposium handout from an event file",
    )
    handout.add_argument("event", type=Path, help="the event file, e.g. data/events/security-dialogue-2023.yaml")
    handout.add_argument(
        "--booklet",
        action="store_true",
        help="A5 pages imposed on A4 landscape sheets for saddle stitching; "
        "also writes the A5 reader's version as FILE-a5.pdf",
    )
    _document_options(handout)

    check_pdf = commands.add_parser(
        "preflight", help="check a PDF against an output profile", description="check a PDF against an output profile"
    )
    check_pdf.add_argument("pdf", type=Path, metavar="FILE.pdf", help="the PDF to check")
    _profile_option(check_pdf)
    check_pdf.set_defaults(command=_preflight)

    region = command(
        "region",
        _build(lambda a: RegionDossier(a.region)),
        "build a region dossier: overview, its countries, sources, authors",
    )
    region.add_argument("region", help="the region's slug (asia-pacific)")
    _document_options(region)
    _book_options(region)

    atlas = command("atlas", _build(lambda a: AtlasEdition(a.edition)), "build the atlas edition as a book")
    atlas.add_argument(
        "--edition", metavar="YEAR", help="the edition year: the working data's, or a sealed one from the archive"
    )
    _archive_option(atlas)
    _document_options(atlas)
    _book_options(atlas)

    seal = command("archive", _archive, "seal the working data's edition into archive/<year> (PDF/A-3 with its data)")
    seal.add_argument("--edition", type=int, required=True, metavar="YEAR", help="the edition year to seal")
    _archive_option(seal)

    migrate = command(
        "migrate",
        _migrate,
        "make a new rendition of a sealed edition from its snapshot with this tool (the sealed files stay as "
        "they are); the record keeps the date, the tool, the reason and the validator's verdict before and after",
    )
    migrate.add_argument("--edition", type=int, required=True, metavar="YEAR", help="the sealed edition to migrate")
    migrate.add_argument("--reason", required=True, help="why, in a sentence, for the record")
    _archive_option(migrate)

    verify = command("verify", _verify, "check a sealed edition's checksums and attached data")
    verify.add_argument("edition_dir", type=Path, metavar="ARCHIVE_DIR", help="a sealed edition, e.g. archive/2022")

    changes = command(
        "diff",
        _build(lambda a: EditionDiff(a.before, a.after)),
        "compare two editions (archived or the working data) in a change report",
    )
    changes.add_argument("before", metavar="YEAR", help="the earlier edition, e.g. 2022")
    changes.add_argument("after", metavar="YEAR", help="the later edition, e.g. 2023")
    _archive_option(changes)
    _document_options(changes)

    site = command(
        "site",
        _site,
        "build the web edition: a static site of the atlas in every language, with each page's PDFs, "
        "the data as CSV and JSON, and a search that needs no server",
    )
    site.add_argument(
        "-o",
        "--output",
        type=Path,
        default=OUT / "site",
        metavar="FOLDER",
        help="where to write it (default: out/site)",
    )
    site.add_argument(
        "--no-cache", action="store_true", help="build everything afresh, without reading or writing the build cache"
    )
    _profile_option(site)
    _jobs_option(site)
    site.add_argument("--quiet", action="store_true", help="do not list the PDFs as they are built")

    serve = command(
        "serve",
        _serve,
        "show a document's pages in the browser, rebuilt and updated whenever a file it depends on changes; "
        "or, with --site FOLDER, serve a site built by the site command",
    )
    _live_options(serve, optional=True)
    serve.add_argument("--site", type=Path, metavar="FOLDER", help="serve this built site instead of a document")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this machine only; "
        "another address shows the data to everyone who can reach it)",
    )
    serve.add_argument("--port", type=int, default=8765, help="the port to listen on (default: 8765; 0: any free one)")

    watch = command(
        "watch", _watch, "rebuild a document's PDF whenever a file it depends on changes, and say so in one line"
    )
    _live_options(watch)
    watch.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write the PDF (default: under out/)")
    return parser


def _live_options(parser: argparse.ArgumentParser, optional: bool = False) -> None:
    """The document and options of `serve` and `watch`."""
    parser.add_argument(
        "document",
        nargs="*" if optional else "+",
        metavar="DOCUMENT",
        help="a country (japan, JP), region SLUG, atlas, or a pack spec or event file "
        "(by its folder, packs/ or events/; elsewhere say pack FILE or handout FILE)",
    )
    parser.add_argument("--lang", choices=catalogue_languages(), help="document language (default: the edition's)")
    _profile_option(parser)
    parser.add_argument("--no-cache", action="store_true", help="build afresh each time, without the build cache")
    _jobs_option(parser)


def _profile_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default=DEFAULT_PROFILE,
        help="; ".join(f"{p.name}: {p.standard} for {p.purpose}" for p in PROFILES.values())
        + f" (default: {DEFAULT_PROFILE})",
    )


def _book_options(parser: argparse.ArgumentParser) -> None:
    books = parser.add_argument_group("typesetting a book in chapters")
    _jobs_option(books)
    books.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="typeset the chapters on a Dask cluster instead (see README.md)"
    )
    books.add_argument(
        "--one-piece",
        action="store_true",
        help="typeset the book in one WeasyPrint run, without chapters or cache (slower)",
    )
    books.add_argument("--quiet", action="store_true", help="no progress display")


def _jobs_option(parser) -> None:
    parser.add_argument(
        "--jobs",
        type=int,
        default=default_jobs(),
        metavar="N",
        help=f"a book's chapters typeset at once in worker processes (default: the cores, {default_jobs()})",
    )


def _archive_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--archive-dir",
        type=Path,
        default=DEFAULT_ARCHIVE,
        metavar="DIR",
        help="where sealed editions live (default: archive/)",
    )


def _document_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="where to write the PDF (default: under out/)"
    )
    parser.add_argument("--lang", choices=catalogue_languages(), help="document language (default: the edition's)")
    parser.add_argument(
        "--no-cache", action="store_true", help="build everything afresh, without reading or writing the build cache"
    )
    _profile_option(parser)


def _options(args) -> BuildOptions:
    """The build options the arguments ask for (a command without an option leaves its default)."""
    return BuildOptions(
        data=args.data,
        archive=getattr(args, "archive_dir", DEFAULT_ARCHIVE),
        language=getattr(args, "lang", None),
        profile=getattr(args, "profile", DEFAULT_PROFILE),
        one_piece=getattr(args, "one_piece", False),
        jobs=getattr(args, "jobs", None),
        scheduler=getattr(args, "scheduler", None),
        cache=None if getattr(args, "no_cache", False) else default_cache(),
        progress=not getattr(args, "quiet", False),
    )


def _build(kind: Callable[[argparse.Namespace], DocumentKind]) -> Callable[[argparse.Namespace], int]:
    """A document command: the kind the arguments name, built with the options they give."""

    def command(args) -> int:
        result = build(kind(args), _options(args), args.output)
        for path in result.files:
            print(f"wrote {path}" + (f" ({result.summary})" if result.summary else ""))
        return 0

    return command


def _live_document(words: list[str]) -> DocumentKind:
    """The document `serve` and `watch` are asked for, in the words of the command line."""
    first, rest = words[0], words[1:]
    if first == "region" and len(rest) == 1:
        return RegionDossier(rest[0])
    if first == "country" and len(rest) == 1:
        return CountryDossier(rest[0])
    if first == "pack" and len(rest) == 1:
        return BriefingPack(Path(rest[0]))
    if first == "handout" and len(rest) == 1:
        return SymposiumHandout(Path(rest[0]))
    if words == ["atlas"]:
        return AtlasEdition()
    if not rest and Path(first).suffix in (".yaml", ".yml"):
        folder = Path(first).parent.name
        if folder in ("packs", "events"):
            return BriefingPack(Path(first)) if folder == "packs" else SymposiumHandout(Path(first))
        message = f"{first}: a pack spec or an event file? Say 'pack {first}' or 'handout {first}'"
        raise InputError([Problem("", 0, 0, "", message)])
    if not rest:
        return CountryDossier(first)
    raise InputError(
        [
            Problem(
                "",
                0,
                0,
                "",
                f"document '{' '.join(words)}': expected a country (japan), region SLUG, atlas, "
                "a pack spec or event file, pack FILE or handout FILE",
            )
        ]
    )


def _live_build(args) -> tuple[DocumentKind, BuildOptions]:
    """The document and options of a build in the warm process, checked before it starts: no
    progress display (the preview and watch report each build)."""
    kind = _live_document(args.document)
    options = dataclasses.replace(_options(args), progress=False)
    options.check()
    kind.check_arguments(options)
    return kind, options


def _serve(args) -> int:
    if args.site is not None:
        return _serve_site(args)
    if not args.document:
        raise InputError(
            [
                Problem(
                    "",
                    0,
                    0,
                    "",
                    "name a document to preview (e.g. serve japan), or a built site (serve --site out/site)",
                )
            ]
        )
    kind, options = _live_build(args)
    from .preview import serve  # the server and the page images load only for this command

    try:
        serve(kind, options, " ".join(args.document), args.host, args.port)
    except KeyboardInterrupt:
        pass
    print("preview stopped")
    return 0


def _serve_site(args) -> int:
    if args.document:
        message = f"serve --site serves a built site, not a document: leave out '{' '.join(args.document)}'"
        raise InputError([Problem("", 0, 0, "", message)])
    from .site.server import serve_site

    try:
        serve_site(args.site, args.host, args.port)
    except KeyboardInterrupt:
        pass
    print("stopped serving the site")
    return 0


def _site(args) -> int:
    from .site import build_site

    tell = None if args.quiet else (lambda line: print(f"  {line}", flush=True))
    result = build_site(_options(args), args.output, tell)
    print(
        f"wrote {display_path(result.folder)}: {result.pages} pages in {', '.join(result.languages)}, "
        f"{result.pdfs} PDFs, the data as CSV and JSON, a search index"
    )
    return 0


def _watch(args) -> int:
    kind, options = _live_build(args)
    from .rebuild import watch  # the file watcher loads only for the commands that watch

    try:
        watch(kind, options, args.output)
    except KeyboardInterrupt:
        pass
    print("stopped watching")
    return 0


def _check(args) -> int:
    checked = check_data(args.data)
    atlas = checked.atlas
    assessments = sum(len(c.assessments) for c in atlas.countries.values())
    print(
        f"{args.data}: {len(atlas.countries)} countries, {assessments} assessments, "
        f"{len(atlas.regions)} regions, {checked.spec_files} pack and event files: no problems found."
    )
    if args.lang:
        print(coverage_report(list(checked.texts), edition_language(atlas, args.lang, args.data)))
    return 0


def _archive(args) -> int:
    target = seal_edition(args.edition, _options(args))
    files = len(archive.source_files(args.data))
    print(f"sealed edition {args.edition} in {target} ({files} source files attached)")
    return 0


def _migrate(args) -> int:
    rendition = migrate_edition(args.edition, args.reason, _options(args))
    record = json.loads((rendition / RECORD).read_text(encoding="utf-8"))
    for standard, verdict in record["verdict after"].items():
        before = record["verdict before"].get(standard, {}).get("rules", {}).get("failed", "?")
        print(f"{standard}: {before} rule(s) failed before, {verdict['rules']['failed']} now")
    print(f"wrote rendition {display_path(rendition)}; the sealed edition's own files are unchanged")
    return 0


def _verify(args) -> int:
    count, problems = archive.verify(args.edition_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{args.edition_dir}: verification failed, {len(problems)} problem{'s' if len(problems) != 1 else ''}.",
            file=sys.stderr,
        )
        return 1
    made = len(archive.renditions(args.edition_dir))
    also = f" (with {made} later rendition{'s' if made != 1 else ''})" if made else ""
    print(
        f"{args.edition_dir}: {count} files{also} match their checksums; "
        "the data attached to the PDF equals the snapshot."
    )
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
