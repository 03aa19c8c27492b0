"""Sealed editions: freeze an edition with its source data, and verify it later.

archive/<year>/ holds
    atlas-<year>.pdf   the edition as PDF/A-3, with every source file attached (relationship: Source)
    CONFORMANCE.json   the outside validator's verdict on it, rule by rule (editions sealed since 2026)
    data/...           a copy of the data folder the edition was made from
    site/...           the web edition as `build.py site` made it (editions sealed since 2026), to be
                       served again with `build.py serve --site archive/<year>/site`
    MANIFEST.sha256    SHA-256 of every other file, in `sha256sum` format (so `sha256sum -c` works too)
    renditions/<n>/    later renditions made from the same snapshot (a migration): the PDF, its
                       CONFORMANCE.json, a RECORD.json of when, by which tool, why, and the
                       validator's verdict before and after; with a MANIFEST.sha256 of their own

A sealed edition is never changed: sealing is refused when the folder exists,
and the folder appears in one rename, complete or not at all. A migration adds
a rendition beside the original, which stays byte for byte as it was.
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
CONFORMANCE = "CONFORMANCE.json"  # the outside validator's verdict on the PDF beside it
RENDITIONS = "renditions"  # renditions/<n>/: a PDF made again later from the snapshot, and why
RECORD = "RECORD.json"
SITE = "site"  # the web edition, frozen with the PDF
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


def seal(
    target: Path, year: int, pdf: bytes, files: dict[str, bytes], conformance: bytes, site: dict[str, bytes]
) -> Path:
    """Write the edition folder next to its final place, then rename it into place in one step."""
    refuse_if_sealed(target)
    contents = {
        pdf_name(year): pdf,
        CONFORMANCE: conformance,
        **{f"{SNAPSHOT}/{n}": d for n, d in files.items()},
        **{f"{SITE}/{n}": d for n, d in site.items()},
    }
    return _write_folder(target, contents)


def add_rendition(edition_dir: Path, year: int, pdf: bytes, conformance: bytes, record: bytes) -> Path:
    """A new rendition of a sealed edition in renditions/<n>/, beside the original, which stays as it
    is byte for byte: the PDF, its conformance report and the record of why and how it was made."""
    number = len([p for p in (edition_dir / RENDITIONS).glob("[0-9]*") if p.is_dir()]) + 1
    contents = {pdf_name(year): pdf, CONFORMANCE: conformance, RECORD: record}
    return _write_folder(edition_dir / RENDITIONS / str(number), contents)


def _write_folder(target: Path, contents: dict[str, bytes]) -> Path:
    """The files and their manifest, written next to `target` and renamed into place in one step:
    the folder appears complete or not at all, and an existing one is never changed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        for name, data in contents.items():
            write_atomic(staging / name, data)
        manifest = "".join(f"{_sha256(data)}  {name}\n" for name, data in sorted(contents.items()))
        write_atomic(staging / MANIFEST, manifest.encode())
        os.chmod(staging, 0o755)
        if target.exists():  # another run made it meanwhile
            raise BuildError(f"{display_path(target)} exists already; it is never changed")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def verify(edition_dir: Path) -> tuple[int, list[str]]:
    """Recompute every checksum and compare the PDF's attached data with the snapshot, for the edition
    and for each of its renditions.

    Returns (files checked, problems); each problem names the file it is about.
    """
    edition_dir = Path(edition_dir)
    count, problems = _verify_folder(edition_dir, edition_dir / SNAPSHOT, skip=RENDITIONS)
    if count == 0:
        return count, problems
    for rendition in sorted((edition_dir / RENDITIONS).glob("*")):
        checked, found = _verify_folder(rendition, edition_dir / SNAPSHOT)
        count, problems = count + checked, problems + found
    return count, problems


def renditions(edition_dir: Path) -> list[Path]:
    """The renditions made of a sealed edition since, oldest first."""
    return sorted((Path(edition_dir) / RENDITIONS).glob("[0-9]*"), key=lambda path: int(path.name))


def _verify_folder(folder: Path, snapshot: Path, skip: str = "") -> tuple[int, list[str]]:
    shown = display_path(folder)
    manifest_path = folder / MANIFEST
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
        path = folder / name
        if not path.is_file():
            problems.append(f"{shown}/{name}: missing")
        elif _sha256(path.read_bytes()) != checksum:
            problems.append(f"{shown}/{name}: checksum differs from {MANIFEST}")
    present = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not (skip and p.relative_to(folder).parts[0] == skip)
    }
    unlisted = sorted(present - set(expected) - {MANIFEST})
    problems += [f"{shown}/{name}: not listed in {MANIFEST}" for name in unlisted]
    pdfs = [name for name in expected if "/" not in name and name.endswith(".pdf")]
    for name in pdfs:
        if (folder / name).is_file():
            problems += _check_attachments(folder, name, shown, snapshot)
    return len(expected), problems


def _check_attachments(folder: Path, name: str, shown: str, snapshot_dir: Path) -> list[str]:
    snapshot = source_files(snapshot_dir)
    try:
        with pikepdf.open(folder / name) as pdf:
            attached = {key: spec.get_file().read_bytes() for key, spec in pdf.attachments.items()}
    except Exception as error:  # any damage to the file: report it, never crash
        return [f"{shown}/{name}: cannot read its attached data ({error})"]
    problems, snapshot_shown = [], display_path(snapshot_dir)
    for file in sorted(set(snapshot) | set(attached)):
        if file not in attached:
            problems.append(f"{snapshot_shown}/{file}: not attached in {name}")
        elif file not in snapshot:
            problems.append(f"{snapshot_shown}/{file}: attached in {name} but missing from the snapshot")
        elif attached[file] != snapshot[file]:
            problems.append(f"{snapshot_shown}/{file}: differs from the copy attached in {name}")
    return problems


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
