"""The files a build reads: recorded as the loaders read them, compared before the next build.

Every loader reads data, spec, notes and event files through an `Inputs`,
which remembers a digest of each file it read, each file it looked for and
did not find, and each folder it listed. That record is the build's list of
inputs: a later build with the same options may reuse the earlier result
only while every recorded input still reads the same (`unchanged`). Nothing
is declared by hand, so nothing a loader reads can be left out of the key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_ABSENT = "absent"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Inputs:
    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def read_bytes(self, path: Path) -> bytes:
        """The file's content (OSError as Path.read_bytes raises it), recorded."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError:
            self._seen[_file(path)] = _ABSENT
            raise
        self._seen[_file(path)] = _sha256(data)
        return data

    def is_file(self, path: Path) -> bool:
        """Whether the file exists; a file that does not is recorded too (creating it changes the build)."""
        path = Path(path)
        if path.is_file():
            self._seen.setdefault(_file(path), _file_digest(path))
            return True
        self._seen[_file(path)] = _ABSENT
        return False

    def glob(self, folder: Path, pattern: str) -> list[Path]:
        """The folder's entries matching the pattern, sorted; the listing is recorded."""
        found = sorted(Path(folder).glob(pattern))
        self._seen[_listing(Path(folder), pattern)] = _listing_digest(Path(folder), found)
        return found

    def tree(self, folder: Path) -> None:
        """Record every file below a folder (a sealed edition, read whole by its verification)."""
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                self._seen[_file(path)] = _file_digest(path)
        self._seen[_listing(Path(folder), "**/*")] = _listing_digest(Path(folder), sorted(Path(folder).glob("**/*")))

    def extend(self, record: dict[str, str]) -> None:
        """Take over an earlier build's record (a build reused from the cache read nothing itself)."""
        self._seen.update(record)

    def record(self) -> dict[str, str]:
        return dict(sorted(self._seen.items()))


def unchanged(record: dict[str, str]) -> bool:
    """Whether every input of an earlier build still reads as it did then."""
    return Snapshot().unchanged(record)


class Snapshot:
    """The inputs as they read now, each read once however many records name it: for checking many
    earlier builds at one moment (a site checks hundreds of PDFs against the same data files)."""

    def __init__(self) -> None:
        self._now: dict[str, str] = {}

    def unchanged(self, record: dict[str, str]) -> bool:
        return all(self._digest(entry) == digest for entry, digest in record.items())

    def _digest(self, entry: str) -> str:
        if entry not in self._now:
            kind, _, where = entry.partition(" ")
            if kind == "file":
                path = Path(where)
                self._now[entry] = _file_digest(path) if path.is_file() else _ABSENT
            else:
                folder, _, pattern = where.partition("\0")
                self._now[entry] = _listing_digest(Path(folder), sorted(Path(folder).glob(pattern)))
        return self._now[entry]


def _file(path: Path) -> str:
    return f"file {path.resolve()}"


def _listing(folder: Path, pattern: str) -> str:
    return f"list {folder.resolve()}\0{pattern}"


def _file_digest(path: Path) -> str:
    try:
        return _sha256(path.read_bytes())
    except OSError:
        return _ABSENT


def _listing_digest(folder: Path, paths: list[Path]) -> str:
    return _sha256("\0".join(path.relative_to(folder).as_posix() for path in paths).encode())
