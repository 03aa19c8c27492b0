"""Writing results: atomically, so a failed build never replaces a good file."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: bytes, durable: bool = True) -> Path:
    """Write to a temporary file in the target folder, then rename it into place.

    `durable` also waits until the bytes are on disk; a cache entry, which carries
    its own checksum and can always be rebuilt, does without that wait.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def replace_folder(target: Path, contents: dict[str, bytes]) -> Path:
    """Write `contents` (relative path -> bytes) as the folder `target`, in one step: the files go into a
    new folder next to it, which then takes the place of the old one. A failed build leaves the old
    folder as it was; a reader never sees half of the new one."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    old = None
    try:
        made = {staging}
        for name, data in contents.items():
            path = staging / name
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            with open(path, "xb") as file:  # the folder is new and ours alone: no file needs a step of its own
                file.write(data)
        os.chmod(staging, 0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not target.exists():
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target
