"""Checking a data folder as an editor does before building: the data, and every pack and event file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .glyphs import check_data_glyphs
from .loader import load_atlas
from .model import Atlas, TextSource
from .problems import InputError
from .specs import load_event, load_pack


@dataclass(frozen=True)
class CheckedData:
    atlas: Atlas
    spec_files: int  # pack and event files checked
    texts: tuple[TextSource, ...]  # every text that exists per language, for the coverage report


def check_data(data_dir: Path) -> CheckedData:
    """Load the data folder and its packs/ and events/ files; raise InputError with every problem,
    characters no font can set among them (a build would refuse them only once it reached them)."""
    glyphs = check_data_glyphs(Path(data_dir))
    try:
        atlas = load_atlas(data_dir)
    except InputError as error:
        raise InputError(error.problems + glyphs) from None
    texts, problems = list(atlas.texts), glyphs
    specs: list[tuple[Callable[..., object], Path]] = [
        (load_pack, path) for path in sorted((Path(data_dir) / "packs").glob("*.yaml"))
    ]
    specs += [(load_event, path) for path in sorted((Path(data_dir) / "events").glob("*.yaml"))]
    for load, path in specs:
        try:
            load(path, atlas, texts)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return CheckedData(atlas, len(specs), tuple(texts))
