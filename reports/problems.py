"""Problems found in the input, reported to content editors as file:line:col."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}" if self.column else f":{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}" if where else self.message


# A file that is a link to one outside the folder being read (data, a spec's folder): refused, since
# it would print, or seal into an archive, whatever file it points to.
OUTSIDE = "a symbolic link to a file outside its folder"


class InputError(Exception):
    """The input (data, a spec file, a document reference) cannot be used.

    Carries every problem found, so that an editor fixes them in one round.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(Exception):
    """Typesetting or writing a document failed for a reason the user can act on."""


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as an editor would type it: relative to the working folder when possible."""
    path = Path(path)
    for base in (Path.cwd(), root):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()
