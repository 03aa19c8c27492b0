"""Issue 6: the atlas typeset in parallel chapters, cached, is the atlas typeset in one piece."""

import contextlib
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reports.cli import main
from reports.loader import load_atlas
from reports.workers import chapter_executor, shared_workers
from tests.conftest import DATA, PROJECT, pdf_navigation, pdf_pages_text, run_build
from tests.live import wait_until_gone


def _build(*args, cache: Path) -> subprocess.CompletedProcess:
    """`build.py ARGS --quiet` with a build cache of its own, in this process (as `run_main` runs the
    command line; its chapter workers fork from the session's fork server)."""
    out, err = io.StringIO(), io.StringIO()
    session_cache = os.environ["ATLAS_CACHE_DIR"]
    os.environ["ATLAS_CACHE_DIR"] = str(cache)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(PROJECT):
            status = main([*map(str, args), "--quiet"])
    finally:
        os.environ["ATLAS_CACHE_DIR"] = session_cache
    assert status == 0, err.getvalue()
    return subprocess.CompletedProcess(["build.py", *map(str, args)], status, out.getvalue(), err.getvalue())


def _navigation(path: Path) -> dict:
    """Page count, contents entries with their page numbers, outline and link targets, as a reader meets them."""
    pages = pdf_pages_text(path)
    contents = re.findall(r"^\s*(\S.*?\S)\s{2,}(\d+)$", pages[2], flags=re.M)  # the contents page
    navigation = pdf_navigation(path)
    return {"pages": len(pages), "contents": contents, **navigation, "text": [" ".join(page.split()) for page in pages]}


@pytest.fixture(scope="module")
def atlases(atlas_book, tmp_path_factory):
    """The session's atlas (typeset in chapters into an empty cache: every chapter by this build),
    rebuilt from a copy of that cache, and built independently in one piece."""
    work = tmp_path_factory.mktemp("atlas")
    cache = work / "cache"
    shutil.copytree(atlas_book.cache, cache)
    _build("atlas", "--one-piece", "-o", work / "one-piece.pdf", cache=work / "unused")
    again = _build("atlas", "--jobs", "2", "-o", work / "cached.pdf", cache=cache)
    assert not (work / "unused").exists()  # the one-piece build used no cache
    return {"dir": work, "chapters": atlas_book.path, "cache": cache, "first": atlas_book.stdout, "again": again.stdout}


def test_chapters_give_the_book_typeset_in_one_piece(atlases):
    one_piece = _navigation(atlases["dir"] / "one-piece.pdf")
    chapters = _navigation(atlases["chapters"])
    assert chapters == one_piece
    assert ("Methodology", "5") in one_piece["contents"]
    assert len(one_piece["contents"]) > 10 and len(one_piece["links"]) > 50
    # The contents' numbers are the pages where the chapters start.
    starts = {title: page for depth, title, page in one_piece["outline"] if depth == 0}
    assert [int(page) for title, page in one_piece["contents"] if title in starts] == [
        starts[title] for title, page in one_piece["contents"] if title in starts
    ]


def test_cached_rebuild_is_byte_identical_to_a_fresh_build(atlases):
    # The first build typeset every chapter and filled the cache (a build without a cache gives the
    # same bytes: see the Dask test); the rebuild took its book from the cache, byte for byte.
    assert re.fullmatch(r"wrote \S+ \(typeset [1-9]\d* chapter\(s\); 0 from the cache\)\n", atlases["first"])
    assert atlases["again"] == (
        f"wrote {atlases['dir'] / 'cached.pdf'} (nothing changed since the last build: its book, from the cache)\n"
    )
    assert (atlases["dir"] / "cached.pdf").read_bytes() == atlases["chapters"].read_bytes()


def test_an_edited_assessment_rebuilds_its_chapter_and_what_prints_page_numbers(tmp_path):
    data, cache = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(DATA, data)
    _build("region", "latin-america", "--data", data, "--jobs", "2", "-o", tmp_path / "region.pdf", cache=cache)
    text = data / "countries" / "mexico" / "prosperity.md"
    text.write_text(text.read_text().replace("## Potential\n\n", "## Potential\n\nOne sentence more. ", 1))
    report = _build("region", "latin-america", "--data", data, "-o", tmp_path / "region.pdf", cache=cache).stdout
    typeset = re.search(r"typeset \d+ chapter\(s\): (.*);", report)[1].split(", ")
    assert "country mexico" in typeset
    assert all(
        name == "country mexico" or name.endswith("(page numbers)") or name == "page numbers" for name in typeset
    ), typeset


def test_a_region_dossier_built_after_the_atlas_takes_the_atlas_chapters_of_its_countries(
    atlas_book, region_book, tmp_path
):
    """A country's chapter is one document in the atlas and in its region's dossier: what names the book
    (its metadata, the footer) comes from the book's first chapter and is printed over the pages."""
    cache = tmp_path / "cache"
    shutil.copytree(atlas_book.cache, cache)
    report = _build("region", "asia-pacific", "--jobs", "2", "-o", tmp_path / "region.pdf", cache=cache).stdout
    countries = [c for c in load_atlas(DATA).countries.values() if c.region == "asia-pacific"]
    # All of its countries; its own chapter prints their page numbers (made again for this book).
    assert int(re.search(r"; (\d+) from the cache\)", report)[1]) >= len(countries) == 9, report
    assert (tmp_path / "region.pdf").read_bytes() == region_book.path.read_bytes()  # as built from nothing
    region_pages, atlas_pages = pdf_pages_text(region_book.path), pdf_pages_text(atlas_book.path)
    japan = next(page for page in region_pages if page.lstrip().startswith("JAPAN"))
    assert "Partner Atlas 2023 · Region dossier" in japan and "Yearly edition" not in japan
    assert "Partner Atlas 2023 · Yearly edition" in next(p for p in atlas_pages if p.lstrip().startswith("JAPAN"))


def test_damaged_cache_entries_are_detected_and_rebuilt(atlases, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(atlases["cache"], cache)
    entries = [p for p in cache.rglob("*") if p.is_file()]
    # The largest typeset chapter (its entry's header lists the chapter's anchors) and the joined
    # book (a PDF right after the entry's header), which an unchanged build would copy.
    chapter = max((p for p in entries if b'"anchors"' in p.read_bytes()[:200]), key=lambda p: p.stat().st_size)
    book = next(p for p in entries if p.read_bytes()[:120].find(b"\n%PDF-") > 0)
    for entry in (chapter, book):
        damaged = bytearray(entry.read_bytes())
        damaged[len(damaged) // 2] ^= 0xFF
        entry.write_bytes(bytes(damaged))
    report = _build("atlas", "-o", tmp_path / "atlas.pdf", cache=cache).stdout
    assert re.search(r"typeset 1 chapter\(s\): ", report), report
    assert (tmp_path / "atlas.pdf").read_bytes() == atlases["chapters"].read_bytes()


def test_a_dask_cluster_builds_the_same_book(region_book, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    import dask

    # Worker processes of their own, as on other machines, but forked from the session's fork server,
    # which has the typesetter loaded (conftest.py), rather than each starting Python afresh.
    forked = dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"})
    with (
        forked,
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        ) as cluster,
    ):
        _build(
            "region",
            "asia-pacific",
            "--scheduler",
            cluster.scheduler_address,
            "--no-cache",
            "-o",
            tmp_path / "dask.pdf",
            cache=tmp_path / "cache",
        )
    # The same book as two local worker processes typeset (into an empty cache: every chapter).
    assert "; 0 from the cache" in region_book.stdout
    assert (tmp_path / "dask.pdf").read_bytes() == region_book.path.read_bytes()


def test_an_unchanged_build_with_other_arguments_is_made_not_copied(samples, tmp_path):
    """The shortcut for unchanged builds covers the arguments that shape the document, e.g. its
    language (the same shortcut serves every kind, books too: see the atlas's rebuild above)."""
    english = samples["japan"]
    cache = tmp_path / "cache"
    shutil.copytree(english.cache, cache)  # the cache of the session's first build of Japan's dossier
    environment = {"ATLAS_CACHE_DIR": str(cache)}
    again = run_build("country", "japan", "-o", tmp_path / "again.pdf", env=environment).stdout
    german = run_build("country", "japan", "--lang", "de", "-o", tmp_path / "de.pdf", env=environment).stdout
    assert "nothing changed" not in english.stdout and "nothing changed since the last build" in again
    assert "nothing changed" not in german
    assert "INHALT" in pdf_pages_text(tmp_path / "de.pdf")[0] and "CONTENTS" in pdf_pages_text(english.path)[0]


def test_the_books_of_one_build_share_their_workers_which_end_with_it():
    """A build of many books (the web edition's PDFs) starts its chapter workers once: every book
    within `shared_workers` gets the same warm processes, and they end when the block does."""
    with shared_workers():
        with chapter_executor(2) as first:
            for started in [first.submit(os.getpid) for _ in range(2)]:  # two at once: both workers start
                started.result()
            pids = {process.pid for process in first._processes.values()}  # every worker it started
        with chapter_executor(2) as second:
            assert second is first
            assert {second.submit(os.getpid).result() for _ in range(4)} <= pids
    assert len(pids) == 2 and os.getpid() not in pids
    assert wait_until_gone(pids) == set()
