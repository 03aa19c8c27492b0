"""Sealing an edition into the archive, and migrating a sealed one to a new rendition.

Both typeset the atlas in one piece with the archive profile, carrying its
source data, and keep the outside validator's verdict beside the PDF. A
migration never touches what was sealed: it makes a new rendition from the
sealed snapshot and records when, with which tool, why, and the verdict on
the PDF it supersedes and on the new one (reports/archive.py holds the folder
layout).
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.metadata import version
from pathlib import Path

from . import archive
from .cache import code_version
from .documents.atlas import atlas_edition
from .loader import load_atlas
from .pipeline import BuildOptions, html_book, typeset_checked
from .preflight import conformance_report, validator_verdicts
from .problems import BuildError, InputError, Problem, display_path
from .profiles import profile_named
from .site.build import make_site

ARCHIVE = profile_named("archive")


def seal_edition(year: int, options: BuildOptions | None = None) -> Path:
    """Seal the working data's edition into <archive>/<year>: the atlas as PDF/A-3a with PDF/UA-1 (the
    archive profile, whatever the options say) carrying its source data, the validator's conformance
    report, a snapshot of the data, the web edition (site/, as `build.py site` makes it, with the
    options' profile for its PDFs) and a manifest of them all."""
    options = options or BuildOptions()
    options.check()
    atlas = load_atlas(options.data)
    if year != atlas.edition.edition:
        raise BuildError(
            f"the working data is edition {atlas.edition.edition}, not {year}; "
            f"only the working data's edition can be sealed"
        )
    target = Path(options.archive) / str(year)
    archive.refuse_if_sealed(target)
    files = archive.source_files(options.data)
    pdf = _archived_atlas(options.data, year, files)
    site = make_site(options).files
    return archive.seal(target, year, pdf, files, conformance_report(pdf, ARCHIVE), site)


def migrate_edition(year: int, reason: str, options: BuildOptions | None = None) -> Path:
    """A new rendition of the sealed edition <archive>/<year>, typeset by this tool from the sealed
    snapshot; the sealed PDF and manifest stay as they are. Returns the rendition's folder."""
    options = options or BuildOptions()
    if not reason.strip():
        raise InputError([Problem("", 0, 0, "", "a migration needs a reason (--reason), kept in its record")])
    sealed = Path(options.archive) / str(year)
    if not (sealed / archive.MANIFEST).is_file():
        raise InputError([Problem(display_path(sealed), 0, 0, "", f"no sealed edition {year} here")])
    _, problems = archive.verify(sealed)
    if problems:
        raise BuildError(f"{display_path(sealed)} does not verify ({problems[0]}); nothing was migrated")
    snapshot = sealed / archive.SNAPSHOT
    files = archive.source_files(snapshot)
    current = ([*archive.renditions(sealed)] or [sealed])[-1] / archive.pdf_name(year)
    pdf = _archived_atlas(snapshot, year, files)
    before, after = validator_verdicts(current.read_bytes(), ARCHIVE), validator_verdicts(pdf, ARCHIVE)
    record = {
        "date": dt.date.today().isoformat(),
        "tool": f"partner-atlas {version('partner-atlas')} (code {code_version()[:16]})",
        "reason": reason.strip(),
        "made from": f"{archive.SNAPSHOT}/ of the sealed edition, as its MANIFEST.sha256 lists it",
        "supersedes": current.relative_to(sealed).as_posix(),
        "validator": f"page-validation {version('page-validation')}",
        "verdict before": before,
        "verdict after": after,
    }
    record_bytes = (json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    return archive.add_rendition(sealed, year, pdf, conformance_report(pdf, ARCHIVE), record_bytes)


def _archived_atlas(data_dir: Path, year: int, files: dict[str, bytes]) -> bytes:
    atlas = load_atlas(data_dir)
    book = atlas_edition(atlas, atlas.edition.language)
    return typeset_checked(html_book(book, data_dir).one_piece(), ARCHIVE, archive.embedded_sources(files, year))
