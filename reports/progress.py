"""Progress of a long build on a terminal: stage, chapters done of total, time left.

Silent when standard error is not a terminal or with --quiet; errors are
printed by the command line either way.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class BuildProgress:
    """One bar per build; `stage()` names what is happening, `add`/`advance` count chapters."""

    def __init__(self, enabled: bool):
        self._progress = None
        if enabled and sys.stderr.isatty():
            self._progress = Progress(
                TextColumn("{task.description:<24}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("time left"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._progress.add_task("loading", total=0)

    def __enter__(self):
        if self._progress:
            self._progress.start()
        return self

    def __exit__(self, *exc):
        if self._progress:
            self._progress.stop()

    def stage(self, description: str) -> None:
        if self._progress:
            self._progress.update(self._task, description=description)

    def add(self, count: int, done: int = 0) -> None:
        if self._progress:
            task = self._progress.tasks[0]
            self._progress.update(self._task, total=(task.total or 0) + count, advance=done)

    def advance(self) -> None:
        if self._progress:
            self._progress.advance(self._task)
