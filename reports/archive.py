"""Sealed editions: freeze an edition with its source data, and verify it later.

archive/<year>/ holds
    atlas-<year>.pdf   the edition as PDF/A-3, with every source file attached (relationship: Source)
    data/...           a copy of the data folder the edition was made from
    MANIFEST.sha256    SHA-256 of every other file, in `sha256sum` format (so `sha256sum -c` works too)

A sealed edition is never changed: sealing is refused when the folder exists,
and the folder appears in one rename, complete or not at all.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pikepdf

from .output import write_atomic
from .pages import EmbeddedFile
from .problems import OUTSIDE, BuildError, InputError, Problem, display_path

MANIFEST = "MANIFEST.sha256"
SNAPSHOT = "data"
SOURCE_SUFFIXES = (".yaml", ".yml", ".md")


def pdf_name(year: int) -> str:
    return f"atlas-{year}.pdf"


def source_files(data_dir: Path) -> dict[str, bytes]:
    """The data folder's YAML and Markdown files by relative path, in a fixed order.

    A file that is a link to somewhere outside the data folder is refused: it would be attached
    to the sealed PDF and copied into the snapshot."""
    data_dir = Path(data_dir)
    paths = [
        path
        for path in sorted(data_dir.rglob("*"))
        if path.is_file()
        and path.suffix in SOURCE_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(data_dir).parts)
    ]
    outside = [path for path in paths if not path.resolve().is_relative_to(data_dir.resolve())]
    if outside:
        raise InputError(
            [Problem(display_path(path), 0, 0, "", f"{OUTSIDE}; put the file itself there") for path in outside]
        )
    return {path.relative_to(data_dir).as_posix(): path.read_bytes() for path in paths}


def embedded_sources(files: dict[str, bytes], year: int) -> list[EmbeddedFile]:
    return [
        EmbeddedFile(name, content, f"Source data of the {year} edition: {name}") for name, content in files.items()
    ]


def refuse_if_sealed(target: Path) -> None:
    if target.exists():
        raise BuildError(
            f"edition {target.name} is already sealed in {display_path(target)}; "
            "a sealed edition is never changed (archive a new edition year instead)"
        )


def seal(target: Path, year: int, pdf: bytes, files: dict[str, bytes]) -> Path:
    """Write the edition folder next to its final place, then rename it into place in one step."""
    refuse_if_sealed(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        contents = {pdf_name(year): pdf, **{f"{SNAPSHOT}/{name}": data for name, data in files.items()}}
        for name, data in contents.items():
            write_atomic(staging / name, data)
        manifest = "".join(f"{_sha256(data)}  {name}\n" for name, data in sorted(contents.items()))
        write_atomic(staging / MANIFEST, manifest.encode())
        os.chmod(staging, 0o755)
        refuse_if_sealed(target)  # another run may have sealed it meanwhile
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def verify(edition_dir: Path) -> tuple[int, list[str]]:
    """Recompute every checksum and compare the PDF's attached data with the snapshot.

    Returns (files checked, problems); each problem names the file it is about.
    """
    edition_dir = Path(edition_dir)
    shown = display_path(edition_dir)
    manifest_path = edition_dir / MANIFEST
    if not manifest_path.is_file():
        return 0, [f"{shown}/{MANIFEST}: missing; {shown} is not a sealed edition"]
    expected = {}
    for number, line in enumerate(manifest_path.read_text(encoding="utf-8").splitlines(), start=1):
        checksum, separator, name = line.partition("  ")
        if not separator or len(checksum) != 64:
            return 0, [f"{shown}/{MANIFEST}:{number}: not a line of the form '<sha256>  <file>'"]
        expected[name] = checksum
    problems = []
    for name, checksum in expected.items():
        path = edition_dir / name
        if not path.is_file():
            problems.append(f"{shown}/{name}: missing")
        elif _sha256(path.read_bytes()) != checksum:
            problems.append(f"{shown}/{name}: checksum differs from {MANIFEST}")
    present = {p.relative_to(edition_dir).as_posix() for p in edition_dir.rglob("*") if p.is_file()}
    unlisted = sorted(present - set(expected) - {MANIFEST})
    problems += [f"{shown}/{name}: not listed in {MANIFEST}" for name in unlisted]
    pdfs = [name for name in expected if "/" not in name and name.endswith(".pdf")]
    for name in pdfs:
        if (edition_dir / name).is_file():
            problems += _check_attachments(edition_dir, name, shown)
    return len(expected), problems


def _check_attachments(edition_dir: Path, name: str, shown: str) -> list[str]:
    snapshot = source_files(edition_dir / SNAPSHOT)
    try:
        with pikepdf.open(edition_dir / name) as pdf:
            attached = {key: spec.get_file().read_bytes() for key, spec in pdf.attachments.items()}
    except Exception as error:  # any damage to the file: report it, never crash
        return [f"{shown}/{name}: cannot read its attached data ({error})"]
    problems = []
    for file in sorted(set(snapshot) | set(attached)):
        if file not in attached:
            problems.append(f"{shown}/{SNAPSHOT}/{file}: not attached in {name}")
        elif file not in snapshot:
            problems.append(f"{shown}/{SNAPSHOT}/{file}: attached in {name} but missing from the snapshot")
        elif attached[file] != snapshot[file]:
            problems.append(f"{shown}/{SNAPSHOT}/{file}: differs from the copy attached in {name}")
    return problems


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
