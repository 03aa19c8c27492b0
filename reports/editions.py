"""Editions by year: the working data (the current edition) or a sealed one under archive/<year>."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .archive import SNAPSHOT, verify
from .loader import load_atlas
from .model import Atlas
from .problems import BuildError, InputError, Problem, display_path


@dataclass(frozen=True)
class LoadedEdition:
    atlas: Atlas
    data_dir: Path     # where its files are: the working data or the archive's snapshot
    archived: bool     # a sealed edition, not the working data


def sealed_years(archive_dir: Path) -> list[int]:
    return sorted(int(p.name) for p in Path(archive_dir).glob("[0-9][0-9][0-9][0-9]") if p.is_dir())


def load_edition(reference: str, data_dir: Path, archive_dir: Path) -> LoadedEdition:
    """'2022' -> archive/2022 if sealed, else the working data if it is that edition."""
    if not reference.isdigit():
        raise InputError([Problem("", 0, 0, "", f"expected an edition year like 2023, got '{reference}'")])
    year = int(reference)
    sealed = Path(archive_dir) / reference
    if sealed.is_dir():
        _, problems = verify(sealed)
        if problems:
            raise BuildError(f"{display_path(sealed)} does not verify ({problems[0]}); "
                             f"run `build.py verify {display_path(sealed)}`")
        return LoadedEdition(load_atlas(sealed / SNAPSHOT), sealed / SNAPSHOT, True)
    working = load_atlas(data_dir)
    if working.edition.edition == year:
        return LoadedEdition(working, Path(data_dir), False)
    years = ", ".join(map(str, sealed_years(archive_dir))) or "none"
    raise InputError([Problem("", 0, 0, "", f"no edition {year}: sealed editions in {display_path(archive_dir)}: "
                              f"{years}; the working data is edition {working.edition.edition}")])
