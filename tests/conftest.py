"""Shared helpers: run the command line as a user would, and read what it produced.

The suite never reads or writes the checkout's build cache (.cache/) or its default output folder
(out/): the whole session builds with a cache of its own, every build names its output under a
temporary folder, and a guard fails the session if either folder of the checkout changed.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import Future
from html import unescape
from pathlib import Path
from typing import NamedTuple

import pypdf
import pytest
import yaml

from reports.cli import main
from reports.workers import preload_typesetter
from tests.forked import run_forked

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "data"
UNTOUCHED = (PROJECT / ".cache", PROJECT / "out")  # the checkout's own cache and outputs

# The session builds many books in its own process, as the preview's build process does: their chapter
# workers fork from a fork server with the typesetter loaded.
preload_typesetter()


def run_build(*args: object, cwd: Path = PROJECT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`build.py ARGS` in a process of its own (forked from the session's fork server, tests/forked.py):
    exit status, stdout and stderr as a user sees them. `env` is added to this process's environment.

    For the end-to-end tests of the command line; a test of an error message calls `run_main`.
    """
    return run_forked(args, cwd, {**os.environ, **(env or {})})


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
    return sorted(
        (path.relative_to(folder).as_posix(), path.stat().st_size if path.is_file() else -1, path.stat().st_mtime_ns)
        for path in [folder, *folder.rglob("*")]
    )


@pytest.fixture(scope="session", autouse=True)
def checkout_untouched():
    """Fails the session if the suite changed the checkout's .cache/ or out/."""
    before = {folder: _state(folder) for folder in UNTOUCHED}
    yield
    changed = [folder.name for folder in UNTOUCHED if _state(folder) != before[folder]]
    assert not changed, (
        f"the suite changed the checkout's {' and '.join(changed)}/; tests must build into their own temporary folders"
    )


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


def pdf_word_boxes(path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, x min, y min, x max, y max) of each word on a page, from poppler's bounding boxes."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(w, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, w in re.findall(pattern, html)]


HYPHEN = "\u2010"  # the hyphen WeasyPrint sets at a break it made
_LIMITS = re.search(r"hyphenate-limit-chars:\s*(\d+)\s+(\d+)\s+(\d+)", (PROJECT / "styles" / "atlas.css").read_text())
assert _LIMITS, "styles/atlas.css sets hyphenate-limit-chars"
WORD, BEFORE, AFTER = (int(value) for value in _LIMITS.groups())  # the limits the pages are set with


def read_once(read):
    """`read(path)` once per content of the file: several tests read the same session PDF, and a
    rebuilt file is read again. Callers get their own list."""
    results: dict[bytes, list] = {}

    @functools.wraps(read)
    def reader(path: Path) -> list:
        content = hashlib.sha256(Path(path).read_bytes()).digest()
        if content not in results:
            results[content] = read(path)
        return list(results[content])

    return reader


def pdf_lines(path: Path, first: int = 1, last: int = 0) -> list[tuple[int, list[str]]]:
    """(page, words) of every printed line, in poppler's reading order."""
    command = ["pdftotext", "-bbox-layout", "-f", str(first), *(["-l", str(last)] if last else []), str(path), "-"]
    xml = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    lines = []
    for number, page in enumerate(xml.split("<page ")[1:], start=first):
        for line in page.split("<line ")[1:]:
            words = [unescape(word) for word in re.findall(r"<word [^>]*>([^<]*)</word>", line)]
            if words:
                lines.append((number, words))
    return lines


def hyphenation_faults(path: Path) -> list[str]:
    """Every break shorter than the stylesheet's limits, and every third hyphenated line in a row."""
    faults = []
    lines = pdf_lines(path)
    run = 0
    for index, (page, words) in enumerate(lines):
        end = words[-1]
        if end.endswith(HYPHEN):
            before = re.sub(r"\W", "", end[:-1].split("-")[-1])
            after = re.sub(r"\W", "", lines[index + 1][1][0]) if index + 1 < len(lines) else ""
            if len(before) < BEFORE or len(after) < AFTER:
                faults.append(f"page {page}: {end}{after}: a fragment shorter than {BEFORE} and {AFTER} letters")
        run = run + 1 if end.endswith((HYPHEN, "-")) else 0
        if run == 3:
            faults.append(f"page {page}: three hyphenated lines in a row, ending {words[-1]}")
    return faults


@read_once
def pdf_pages_text(path: Path) -> list[str]:
    """The text of each page, as poppler extracts it (reading order, layout kept)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = [page + "\f" for page in text.split("\f")[:-1]]  # poppler ends each page with a form feed
    count = len(pypdf.PdfReader(path).pages)
    assert len(pages) == count, f"{path}: {len(pages)} pages of text, {count} pages"
    return pages


def pdf_page_looks(path: Path) -> list[str]:
    """How each page looks: a digest of the page drawn by poppler at 40 dpi in grey."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-gray", "-r", "40", str(path), f"{folder}/page"], check=True)
        images = sorted(Path(folder).glob("page-*.pgm"))
        return [hashlib.sha256(image.read_bytes()).hexdigest()[:16] for image in images]


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


def data_of_countries(source: Path, target: Path, countries) -> Path:
    """A copy of the data folder `source` at `target` with only the countries named (slugs), for a test
    whose rule a few countries show (its packs and events are left out: they name the others)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("packs", "events"))
    for path in (target / "countries").glob("*.yaml"):
        if path.stem not in countries:
            path.unlink()
            shutil.rmtree(path.with_suffix(""), ignore_errors=True)
    return target


# --- the sample documents, each built once per session for the tests that only read them ----------


class Built(NamedTuple):
    path: Path  # the PDF
    stdout: str  # what the build reported
    cache: Path  # the build cache it filled (a book's own: copy it before building with it again)


EVENT = (DATA / "events" / "security-dialogue-2023.yaml").relative_to(PROJECT)
PACK = (DATA / "packs" / "tokyo-delegation-2023.yaml").relative_to(PROJECT)
EDITION = yaml.safe_load((DATA / "atlas.yaml").read_text(encoding="utf-8"))["edition"]  # the working data's
# name: the command line that builds it; OUT stands for its PDF, and SITE and ARCHIVE for folders of its
# own (beside the build cache of the sample)
SAMPLES = {
    "japan": ("country", "japan", "-o", "OUT"),  # with the default options: the screen profile
    "japan-print": ("country", "japan", "--profile", "print", "-o", "OUT"),
    "japan-archive": ("country", "japan", "--profile", "archive", "-o", "OUT"),
    "japan-de": ("country", "japan", "--lang", "de", "-o", "OUT"),
    "handout": ("handout", EVENT, "-o", "OUT"),
    "booklet": ("handout", EVENT, "--booklet", "-o", "OUT"),  # also writes booklet-a5.pdf next to it
    "diff": ("diff", "2022", "2023", "-o", "OUT"),
    "sealed": ("archive", "--edition", EDITION, "--archive-dir", "ARCHIVE"),  # into ARCHIVE/<year>
    # books typeset in chapters by two workers into an empty cache; the pack without a cache
    "asia-pacific": ("region", "asia-pacific", "--jobs", "2", "--quiet", "-o", "OUT"),
    "asia-pacific-archive": ("region", "asia-pacific", "--profile", "archive", "--jobs", "2", "--quiet", "-o", "OUT"),
    "atlas": ("atlas", "--jobs", "2", "--quiet", "-o", "OUT"),
    "pack": ("pack", PACK, "--jobs", "2", "--no-cache", "--quiet", "-o", "OUT"),
    "site": ("site", "--jobs", "2", "--quiet", "-o", "SITE"),  # the web edition, its PDFs built into an empty cache
}
# a sample built after others, into a copy of their build caches: the run typesets each PDF once. The
# web edition links the PDFs that sealing the edition built for the edition's site; that site takes
# the English atlas, region and dossier from the samples built by the plain commands, as a user's
# site built after them would, and the sealed atlas takes the chapters of its Asia-Pacific countries
# from the region typeset in the archive profile.
CONTINUES = {"sealed": ("atlas", "asia-pacific", "asia-pacific-archive", "japan", "japan-de"), "site": ("sealed",)}
# fixture: the samples it is made of
FIXTURES = {
    "japan_pdf": ["japan"],
    "japan_profiles": ["japan", "japan-print", "japan-archive"],
    "japan_de": ["japan-de"],
    "handout_build": ["handout"],
    "booklet_build": ["booklet"],
    "diff_build": ["diff"],
    "sealed_build": ["sealed"],
    "region_book": ["asia-pacific"],
    "region_archive": ["asia-pacific-archive"],
    "atlas_book": ["atlas"],
    "pack_book": ["pack"],
    "site_build": ["site"],
}


class Samples:
    """Builds the sample documents the session's tests need, in the background, in the order the tests
    need them, while the tests run (most of them leave a core idle).

    With pytest-xdist (`make test` runs two workers) the workers share one folder of samples: the
    first worker to take a sample builds it under a file lock, and the other reads the same files,
    so each sample is built once per run. A worker never waits for the other's build while it has
    samples of its own to build: a sample locked by the other (or one continuing a sample not built
    yet) is put back at the end of its list. Each worker builds one at a time, a single session two."""

    def __init__(self, names: list[str], root: Path, builders: int):
        self._root = root
        self._builds: dict[str, Future] = {}
        self._queue: deque[str] = deque()
        self._waiting = threading.Condition()  # for a sample to build, or the end of the session
        self._closed = False
        for name in names:
            self._start(name)
        self._builders = [threading.Thread(target=self._work, name=f"sample-{n}") for n in range(builders)]
        for builder in self._builders:
            builder.start()

    def _start(self, name: str) -> Future:
        with self._waiting:
            if name not in self._builds:
                self._builds[name] = Future()
                self._queue.append(name)
                self._waiting.notify()
            return self._builds[name]

    def _work(self) -> None:
        deferred = 0  # samples put back in a row: all of them being built by the other worker
        while True:
            with self._waiting:
                self._waiting.wait_for(lambda: self._queue or self._closed)
                if self._closed:
                    return
                name = self._queue.popleft()
            try:
                built = self._build_once(name)
            except BaseException as error:  # the test that needs it reports it
                self._builds[name].set_exception(error)
                continue
            if built is not None:
                deferred = 0
                self._builds[name].set_result(built)
                continue
            with self._waiting:
                self._queue.append(name)
                deferred += 1
                everything_elsewhere = deferred >= len(self._queue)
            if everything_elsewhere:
                time.sleep(0.2)

    def _build_once(self, name: str) -> tuple[Path, Path, subprocess.CompletedProcess] | None:
        """The sample, built now unless the other worker has built it; None while it (or a sample
        it continues) is still being built elsewhere."""
        folder = self._root / name
        path, cache, record = folder / f"{name}.pdf", folder / "cache", self._root / f"{name}.json"
        with open(self._root / f"{name}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released when the file closes
            except BlockingIOError:
                return None
            if not record.exists():
                earlier = CONTINUES.get(name, ())
                if not all((self._root / f"{first}.json").exists() for first in earlier):
                    for first in earlier:
                        self._start(first)
                    return None
                for first in earlier:
                    shutil.copytree(folder.parent / first / "cache", cache, dirs_exist_ok=True)
                folder.mkdir(parents=True, exist_ok=True)
                folders = {"SITE": folder / "site", "ARCHIVE": folder / "archive"}
                args = [{"OUT": path, **folders}.get(arg, arg) for arg in SAMPLES[name]]
                result = run_build(*args, env={"ATLAS_CACHE_DIR": str(cache)})
                written = record.with_suffix(".part")
                written.write_text(json.dumps([result.returncode, result.stdout, result.stderr]), encoding="utf-8")
                written.rename(record)
        status, stdout, stderr = json.loads(record.read_text(encoding="utf-8"))
        return path, cache, subprocess.CompletedProcess(SAMPLES[name], status, stdout, stderr)

    def __getitem__(self, name: str) -> Built:
        path, cache, result = self._start(name).result()
        assert result.returncode == 0, result.stderr
        return Built(path, result.stdout, cache)

    def close(self) -> None:
        """Stops after the builds under way."""
        with self._waiting:
            self._closed = True
            self._waiting.notify_all()
        for builder in self._builders:
            builder.join()


@pytest.fixture(scope="session", autouse=True)
def samples(request, session_cache, tmp_path_factory):
    needed = [
        name for item in request.session.items for fixture in item.fixturenames for name in FIXTURES.get(fixture, [])
    ]
    base, worker = tmp_path_factory.getbasetemp(), os.environ.get("PYTEST_XDIST_WORKER")
    root = base.parent / "samples" if worker else base / "samples"  # under xdist: shared by the workers
    root.mkdir(exist_ok=True)
    names = list(dict.fromkeys(needed))
    if worker and int(worker.removeprefix("gw")) % 2:  # the second worker starts from the other end, so
        names.reverse()  # that the two build different samples at once instead of one waiting on the other
    samples = Samples(names, root, builders=1 if worker else 2)
    yield samples
    samples.close()


@pytest.fixture(scope="session")
def japan_pdf(samples) -> Path:
    """The Japan dossier, built with the default options (the screen profile)."""
    return samples["japan"].path


@pytest.fixture(scope="session")
def japan_profiles(samples) -> dict[str, Path]:
    """The Japan dossier in each output profile; screen is the default build."""
    return {
        "screen": samples["japan"].path,
        "print": samples["japan-print"].path,
        "archive": samples["japan-archive"].path,
    }


@pytest.fixture(scope="session")
def japan_de(samples) -> Path:
    """The Japan dossier in German."""
    return samples["japan-de"].path


@pytest.fixture(scope="session")
def handout_build(samples) -> Built:
    """The symposium handout, A4."""
    return samples["handout"]


@pytest.fixture(scope="session")
def booklet_build(samples) -> Built:
    """The symposium handout as an A5 booklet: the imposed sheets and the reader's version."""
    return samples["booklet"]


@pytest.fixture(scope="session")
def diff_build(samples) -> Built:
    """The change report from the sealed 2022 edition to the working data."""
    return samples["diff"]


@pytest.fixture(scope="session")
def sealed_build(samples) -> Built:
    """The working data's edition sealed into a temporary archive folder (never the repo's archive/),
    `archive/` beside its `path` (a name only: the edition is in archive/<year>/)."""
    return samples["sealed"]


@pytest.fixture(scope="session")
def region_book(samples) -> Built:
    """The Asia-Pacific region dossier, typeset in chapters by two workers into an empty cache."""
    return samples["asia-pacific"]


@pytest.fixture(scope="session")
def region_archive(samples) -> Path:
    """The Asia-Pacific region dossier in the archive profile, typeset in chapters by two workers."""
    return samples["asia-pacific-archive"].path


@pytest.fixture(scope="session")
def atlas_book(samples) -> Built:
    """The atlas edition, typeset in chapters by two workers into an empty cache."""
    return samples["atlas"]


@pytest.fixture(scope="session")
def pack_book(samples) -> Built:
    """The Tokyo delegation's briefing pack, every chapter typeset by this build (no cache)."""
    return samples["pack"]


@pytest.fixture(scope="session")
def site_build(samples) -> Built:
    """The web edition of the sample data (in `path.parent / "site"`); the PDFs it links were built in
    this run by sealing the edition (CONTINUES), whose build cache it starts from."""
    return samples["site"]


def pdf_navigation(path: Path) -> dict:
    """What a reader navigates by: the outline as (depth, title, page) and every internal link as
    (page it is on, destination name, page it leads to)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        names = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items()) if "/Names" in pdf.Root else {}
        links = sorted(
            (number, str(annotation.Dest), pages[names[str(annotation.Dest)][0].objgen])
            for number, page in enumerate(pdf.pages, start=1)
            for annotation in page.get("/Annots", [])
            if "/Dest" in annotation
        )
        with pdf.open_outline() as outline:

            def walk(items, depth):
                for item in items:
                    yield depth, item.title, pages[item.destination[0].objgen]
                    yield from walk(item.children, depth + 1)

            entries = list(walk(outline.root, 0))
    return {"outline": entries, "links": links}


def _marked_texts(page) -> dict[int, str]:
    """The text of each marked-content sequence (by its MCID) on a pypdf page."""
    texts: dict[int, str] = {}
    stack: list[int | None] = []

    def operator(op, args, cm, tm):
        if op == b"BDC":
            properties = args[1] if len(args) > 1 and isinstance(args[1], dict) else {}
            stack.append(properties.get("/MCID"))
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(content, cm, tm, font, size):
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None:
            texts[mcid] = texts.get(mcid, "") + content

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return texts


class Tagged(NamedTuple):
    role: str  # the structure type: P, H4, Table, TH, Note, Span...
    depth: int  # in the structure tree, the document element 0
    language: str | None  # its own /Lang, where it declares one
    scope: str | None  # a header cell's /Scope
    text: str  # the text of the marked content it and its descendants tag


@read_once
def pdf_structure(path: Path) -> list[Tagged]:
    """The PDF's structure tree (tagged PDF) in reading order, each element with its text."""
    import pikepdf

    marked = {
        (number, mcid): text
        for number, page in enumerate(pypdf.PdfReader(path).pages)
        for mcid, text in _marked_texts(page).items()
    }
    found: list[Tagged] = []
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}

        def texts(element, page, depth) -> list[str]:
            if isinstance(element, int):
                return [marked.get((page, element), "")] if page is not None else []
            if not isinstance(element, pikepdf.Dictionary):
                return []
            page = pages.get(element.Pg.objgen, page) if "/Pg" in element else page
            if "/MCID" in element:
                return [marked.get((page, int(element.MCID)), "")]
            kids = element.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            index = len(found)
            result = []
            for kid in kids:
                result += texts(kid, page, depth + 1)
            if "/S" in element:
                attributes = element.get("/A")
                scope = attributes.get("/Scope") if isinstance(attributes, pikepdf.Dictionary) else None
                found.insert(
                    index,
                    Tagged(
                        str(element.S)[1:],
                        depth,
                        str(element.Lang) if "/Lang" in element else None,
                        str(scope)[1:] if scope is not None else None,
                        " ".join(" ".join(result).split()),
                    ),
                )
            return result

        texts(pdf.Root.StructTreeRoot, None, -1)
    return found
