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


# What a build can fail with for a reason the user can act on; anything else is a fault of ours.
EXPECTED_FAILURES = (InputError, BuildError, OSError)


def failure_report(error: Exception) -> tuple[list[str], int]:
    """The lines the command line prints for a build that failed, and its exit status. The preview
    (reports/preview.py) shows the same lines."""
    if isinstance(error, InputError):
        count = len(error.problems)
        return [*map(str, error.problems), f"{count} problem{'s' if count != 1 else ''} found."], 2
    if isinstance(error, BuildError):
        return [f"error: {error}"], 1
    if isinstance(error, OSError):  # the machine: a file that cannot be read, a full disk
        where = f" ({error.filename})" if error.filename else ""
        return [f"error: {error.strerror or error}{where}; nothing was written"], 1
    return [  # a fault of ours: one line for the user, the trace on request
        f"error: internal error ({type(error).__name__}: {error}); nothing was written. This is a bug: "
        "please report it with the command you ran (ATLAS_DEBUG=1 shows where it happened)"
    ], 1


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
