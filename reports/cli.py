"""The command line: a thin layer over load -> documents -> typeset -> output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .documents import Document
from .documents.country import country_dossier, find_country
from .loader import load_atlas
from .model import LANGUAGES, Atlas
from .glyphs import check_glyphs
from .output import write_atomic
from .preflight import preflight, print_report
from .problems import BuildError, InputError
from .profiles import DEFAULT_PROFILE, PROFILES, profile_named
from .typeset import PROJECT, Page, typeset

DEFAULT_DATA = PROJECT / "data"
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

    command("check", _check, "validate the data and list every problem")

    country = command("country", _country, "build a country dossier")
    country.add_argument("country", help="the country's slug (japan) or ISO code (JP)")
    _document_options(country)

    check_pdf = commands.add_parser("preflight", help="check a PDF against an output profile",
                                    description="check a PDF against an output profile")
    check_pdf.add_argument("pdf", type=Path, metavar="FILE.pdf", help="the PDF to check")
    _profile_option(check_pdf)
    check_pdf.set_defaults(command=_preflight)
    return parser


def _profile_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", choices=PROFILES, default=DEFAULT_PROFILE,
                        help="; ".join(f"{p.name}: {p.standard} for {p.purpose}" for p in PROFILES.values())
                             + f" (default: {DEFAULT_PROFILE})")


def _document_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="where to write the PDF (default: under out/)")
    parser.add_argument("--lang", choices=LANGUAGES, help="document language (default: the edition's)")
    _profile_option(parser)


def _check(args) -> int:
    atlas = load_atlas(args.data)
    assessments = sum(len(c.assessments) for c in atlas.countries.values())
    print(f"{args.data}: {len(atlas.countries)} countries, {assessments} assessments, "
          f"{len(atlas.regions)} regions: no problems found.")
    return 0


def _country(args) -> int:
    atlas = load_atlas(args.data)
    country = find_country(atlas, args.country)
    document = country_dossier(atlas, country.slug, _language(args, atlas))
    return _publish(document, args, OUT / f"{country.slug}.pdf")


def _language(args, atlas: Atlas) -> str:
    return args.lang or atlas.edition.language


def _publish(document: Document, args, default_output: Path) -> int:
    """Typeset a document for the requested profile; write it only when it passes preflight."""
    profile = profile_named(args.profile)
    data_dir = Path(args.data).resolve()
    html = document.html()
    check_glyphs(html, data_dir, document.resources)
    pdf = typeset(Page(html, data_dir, document.resources), profile)
    failed = [check for check in preflight(pdf, profile) if not check.passed]
    if failed:
        details = "; ".join(f"{check.name}: {check.detail}" for check in failed)
        raise BuildError(f"the PDF does not meet the {profile.name} profile ({profile.standard}), "
                         f"nothing was written: {details}")
    path = write_atomic(args.output or default_output, pdf)
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
