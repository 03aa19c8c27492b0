"""Shared helpers: run the command line as a user would, and read what it produced."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "data"


def run_build(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    """`python build.py ARGS` in a subprocess: exit status, stdout and stderr as a user sees them."""
    return subprocess.run([sys.executable, str(PROJECT / "build.py"), *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


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


@pytest.fixture(scope="session")
def japan_pdf(tmp_path_factory) -> Path:
    """The Japan dossier, built once for the tests that only read it."""
    path = tmp_path_factory.mktemp("japan") / "japan.pdf"
    result = run_build("country", "japan", "-o", path)
    assert result.returncode == 0, result.stderr
    return path


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
