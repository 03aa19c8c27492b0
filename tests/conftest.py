"""Shared helpers: run the command line as a user would, and read what it produced.

The suite never reads or writes the checkout's build cache (.cache/) or its default output folder
(out/): the whole session builds with a cache of its own, every build names its output under a
temporary folder, and a guard fails the session if either folder of the checkout changed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pypdf
import pytest

from reports.cli import main

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "data"
UNTOUCHED = (PROJECT / ".cache", PROJECT / "out")  # the checkout's own cache and outputs


def run_build(*args: str, cwd: Path = PROJECT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in a subprocess: exit status, stdout and stderr as a user sees them.

    For the end-to-end tests of the command line; a test of an error message calls `run_main`.
    """
    return subprocess.run([sys.executable, str(PROJECT / "build.py"), *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env} if env else None)


def run_main(capsys, *args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    """`build.py ARGS` in this process (reports.cli.main), from the folder `run_build` runs it in:
    its exit status and what it printed, as `run_build` gives them."""
    capsys.readouterr()  # what the test printed before is not the command's
    with contextlib.chdir(cwd):
        status = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["build.py", *map(str, args)], status, out, err)


def _state(folder: Path) -> list[tuple[str, int, int]] | None:
    """Every file and folder under `folder` with its size and modification time; None if it is absent."""
    if not folder.exists():
        return None
    return sorted((path.relative_to(folder).as_posix(), path.stat().st_size if path.is_file() else -1,
                   path.stat().st_mtime_ns) for path in [folder, *folder.rglob("*")])


@pytest.fixture(scope="session", autouse=True)
def checkout_untouched():
    """Fails the session if the suite changed the checkout's .cache/ or out/."""
    before = {folder: _state(folder) for folder in UNTOUCHED}
    yield
    changed = [folder.name for folder in UNTOUCHED if _state(folder) != before[folder]]
    assert not changed, f"the suite changed the checkout's {' and '.join(changed)}/; " \
                        "tests must build into their own temporary folders"


@pytest.fixture(scope="session", autouse=True)
def session_cache(checkout_untouched, tmp_path_factory) -> Path:
    """The build cache of this session: empty at the start, so the first build of a book builds it.

    ATLAS_CACHE_DIR is set in the environment, so builds in subprocesses use it too."""
    cache = tmp_path_factory.mktemp("atlas-cache")
    earlier = os.environ.get("ATLAS_CACHE_DIR")
    os.environ["ATLAS_CACHE_DIR"] = str(cache)
    yield cache
    if earlier is None:
        del os.environ["ATLAS_CACHE_DIR"]
    else:
        os.environ["ATLAS_CACHE_DIR"] = earlier


def pdf_pages_text(path: Path) -> list[str]:
    """The text of each page, as poppler extracts it (reading order, layout kept)."""
    reader = pypdf.PdfReader(path)
    pages = []
    for number in range(1, len(reader.pages) + 1):
        pages.append(subprocess.run(["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"],
                                    capture_output=True, text=True, check=True).stdout)
    return pages


def outline_titles(path: Path) -> list[tuple[int, str]]:
    """The PDF outline as (depth, title) pairs, in order."""
    reader = pypdf.PdfReader(path)
    result: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                result.append((depth, item.title))

    walk(reader.outline, 0)
    return result


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the sample data, for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


# --- the sample documents, each built once per session for the tests that only read them ----------

class Built(NamedTuple):
    path: Path    # the PDF
    stdout: str   # what the build reported
    cache: Path   # the build cache it filled (a book's own: copy it before building with it again)


def build_once(tmp_path_factory, name: str, *args: str) -> Built:
    """`build.py ARGS -o FILE` in a subprocess, with a cache of its own: a real build, whatever ran before."""
    folder = tmp_path_factory.mktemp(name)
    path, cache = folder / f"{name}.pdf", folder / "cache"
    result = run_build(*args, "-o", path, env={"ATLAS_CACHE_DIR": str(cache)})
    assert result.returncode == 0, result.stderr
    return Built(path, result.stdout, cache)


@pytest.fixture(scope="session")
def japan_pdf(tmp_path_factory) -> Path:
    """The Japan dossier, built with the default options (the screen profile)."""
    return build_once(tmp_path_factory, "japan", "country", "japan").path


@pytest.fixture(scope="session")
def japan_profiles(japan_pdf, tmp_path_factory) -> dict[str, Path]:
    """The Japan dossier in each output profile; screen is the default build."""
    return {"screen": japan_pdf,
            **{profile: build_once(tmp_path_factory, f"japan-{profile}", "country", "japan", "--profile",
                                   profile).path
               for profile in ("print", "archive")}}


@pytest.fixture(scope="session")
def region_book(tmp_path_factory) -> Built:
    """The Asia-Pacific region dossier, typeset in chapters by two workers into an empty cache."""
    return build_once(tmp_path_factory, "asia-pacific", "region", "asia-pacific", "--jobs", "2", "--quiet")


@pytest.fixture(scope="session")
def atlas_book(tmp_path_factory) -> Built:
    """The atlas edition, typeset in chapters by two workers into an empty cache."""
    return build_once(tmp_path_factory, "atlas", "atlas", "--jobs", "2", "--quiet")


@pytest.fixture(scope="session")
def pack_book(tmp_path_factory) -> Built:
    """The Tokyo delegation's briefing pack, every chapter typeset by this build (no cache)."""
    spec = (DATA / "packs" / "tokyo-delegation-2023.yaml").relative_to(PROJECT)
    return build_once(tmp_path_factory, "pack", "pack", spec, "--jobs", "2", "--no-cache", "--quiet")


def pdf_navigation(path: Path) -> dict:
    """What a reader navigates by: the outline as (depth, title, page) and every internal link as
    (page it is on, destination name, page it leads to)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        names = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items()) if "/Names" in pdf.Root else {}
        links = sorted((number, str(annotation.Dest), pages[names[str(annotation.Dest)][0].objgen])
                       for number, page in enumerate(pdf.pages, start=1) for annotation in page.get("/Annots", [])
                       if "/Dest" in annotation)
        with pdf.open_outline() as outline:
            def walk(items, depth):
                for item in items:
                    yield depth, item.title, pages[item.destination[0].objgen]
                    yield from walk(item.children, depth + 1)
            entries = list(walk(outline.root, 0))
    return {"outline": entries, "links": links}
