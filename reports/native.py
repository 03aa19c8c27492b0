"""WeasyPrint loaded without a compiler run per library name.

WeasyPrint asks cffi for each of its native libraries (GObject, Pango, HarfBuzz, fontconfig) by
several names, Windows' and macOS' first. For every name that does not load as written, cffi asks
`ctypes.util.find_library`, which on Linux reads `ldconfig -p` and then links a test program with
gcc and ld: at every start 22 ldconfig and 16 compiler runs, a third of the time `import weasyprint`
takes (WeasyPrint issue #1125). While WeasyPrint loads on Linux, a name is looked up in the
loader's cache alone, read once: the lookup that finds the libraries there. The names WeasyPrint
tries last are the libraries' own file names, which load as written wherever the dynamic loader
finds them.
"""

from __future__ import annotations

import ctypes.util
import functools
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@functools.cache
def _loader_cache() -> str:
    try:
        return subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, env={"LC_ALL": "C"}, check=False
        ).stdout
    except OSError:
        return ""


def _in_loader_cache(name: str) -> str | None:
    """The file name the loader's cache gives library `name` (as find_library's first step finds it)."""
    found = re.search(rf"\s(lib{re.escape(name)}\.\S+)\s+\(", _loader_cache())
    return found.group(1) if found else None


@contextmanager
def _libraries_from_the_loader_cache() -> Iterator[None]:
    if not sys.platform.startswith("linux"):  # elsewhere find_library is how the libraries are found
        yield
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = _in_loader_cache
    try:
        yield
    finally:
        ctypes.util.find_library = find_library


with _libraries_from_the_loader_cache():
    import weasyprint  # noqa: F401  (its libraries load here; reports/typeset.py imports this first)
