"""Writing results: atomically, so a failed build never replaces a good file."""

from __future__ import annotations

import os
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
