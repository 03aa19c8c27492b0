"""Editions by year: the working data (the current edition) or a sealed one under archive/<year>."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .archive import SNAPSHOT, verify
from .inputs import Inputs
from .loader import load_atlas
from .model import Atlas
from .problems import BuildError, InputError, Problem, display_path
from .yamlsource import load_yaml


@dataclass(frozen=True)
class LoadedEdition:
    atlas: Atlas
    data_dir: Path  # where its files are: the working data or the archive's snapshot
    archived: bool  # a sealed edition, not the working data


def sealed_years(archive_dir: Path) -> list[int]:
    return sorted(int(p.name) for p in Path(archive_dir).glob("[0-9][0-9][0-9][0-9]") if p.is_dir())


def check_edition_reference(reference: str, data_dir: Path, archive_dir: Path) -> None:
    """Raise InputError when `reference` names no edition, reading no more than atlas.yaml: a
    build reports it before it starts anything."""
    year = _year(reference)
    if (Path(archive_dir) / reference).is_dir():
        return
    if not Path(data_dir).is_dir():
        raise InputError([Problem(display_path(data_dir), 0, 0, "", "data folder not found")])
    try:
        data, _ = load_yaml(Path(data_dir) / "atlas.yaml", display_path(Path(data_dir) / "atlas.yaml"))
    except (OSError, InputError):
        return  # loading the data reports what is wrong with it
    working = data.get("edition") if isinstance(data, dict) else None
    if isinstance(working, int) and working != year:
        raise _no_edition(year, archive_dir, working)


def load_edition(reference: str, data_dir: Path, archive_dir: Path, inputs: Inputs | None = None) -> LoadedEdition:
    """'2022' -> archive/2022 if sealed, else the working data if it is that edition.

    `inputs` records what was read: a sealed edition's every file (its verification reads them all)."""
    year = _year(reference)
    inputs = inputs or Inputs()
    sealed = Path(archive_dir) / reference
    if any(path.is_dir() for path in inputs.glob(Path(archive_dir), reference)):
        inputs.tree(sealed)
        _, problems = verify(sealed)
        if problems:
            raise BuildError(
                f"{display_path(sealed)} does not verify ({problems[0]}); run `build.py verify {display_path(sealed)}`"
            )
        return LoadedEdition(load_atlas(sealed / SNAPSHOT, inputs), sealed / SNAPSHOT, True)
    working = load_atlas(data_dir, inputs)
    if working.edition.edition == year:
        return LoadedEdition(working, Path(data_dir), False)
    raise _no_edition(year, archive_dir, working.edition.edition)


def _year(reference: str) -> int:
    if not reference.isdigit():
        raise InputError([Problem("", 0, 0, "", f"expected an edition year like 2023, got '{reference}'")])
    return int(reference)


def _no_edition(year: int, archive_dir: Path, working: int) -> InputError:
    years = ", ".join(map(str, sealed_years(archive_dir))) or "none"
    return InputError(
        [
            Problem(
                "",
                0,
                0,
                "",
                f"no edition {year}: sealed editions in {display_path(archive_dir)}: "
                f"{years}; the working data is edition {working}",
            )
        ]
    )
