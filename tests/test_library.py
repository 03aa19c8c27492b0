"""The build as a library: the README's example, argument errors before any work, and cache keys
made from what a build really reads."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reports
from reports import BriefingPack, BuildOptions, InputError, build
from reports.inputs import Snapshot
from reports.kinds import CountryDossier, EditionDiff
from reports.pipeline import NOT_SHAPING, cached_pdf, make_pdf
from tests.conftest import DATA, PROJECT, pdf_pages_text

PACK = """\
title: "Briefing pack: Japan"
delegation: "A delegation that keeps its pack outside the data folder"
issued: 2023-11-03
countries:
  - country: japan
    interests: [rules-based-order]
"""


def _readme_example() -> str:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use from Python") :]
    return re.search(r"```python\n(.*?)```", section, re.S)[1]


def test_the_readme_example_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # its out/ is the working folder's, not the checkout's
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(_readme_example(), "README.md", "exec"), {})
    output = tmp_path / "out" / "japan-de.pdf"
    assert printed.getvalue().splitlines()[0] == "[PosixPath('out/japan-de.pdf')]"
    assert "unknown country 'atlantis'; expected one of: " in printed.getvalue()
    pages = pdf_pages_text(output)
    assert "Japan" in pages[0] and "Relevanz" in "".join(pages)


def test_the_public_names_are_exported():
    assert {
        "build",
        "BuildOptions",
        "CountryDossier",
        "RegionDossier",
        "AtlasEdition",
        "BriefingPack",
        "SymposiumHandout",
        "EditionDiff",
        "InputError",
        "BuildError",
    } <= set(reports.__all__)
    assert all(hasattr(reports, name) for name in reports.__all__)


@pytest.mark.parametrize(
    "kind, options, message",
    [
        (BriefingPack(Path("no-such-pack.yaml")), {}, "no-such-pack.yaml: file not found"),
        (
            reports.RegionDossier("asia-pacific"),
            {"data": Path("no-such-folder")},
            "no-such-folder: data folder not found",
        ),
        (reports.AtlasEdition("2031"), {}, "no edition 2031: sealed editions in "),
        (reports.EditionDiff("2022", "20x"), {}, "expected an edition year like 2023, got '20x'"),
        (reports.RegionDossier("asia-pacific"), {"jobs": -1}, "jobs -1: expected 1 or more"),
    ],
)
def test_argument_errors_come_before_any_worker_starts(kind, options, message, tmp_path, monkeypatch):
    def no_workers(*args, **kwargs):
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr("reports.pipeline.chapter_executor", no_workers)
    with pytest.raises(InputError) as error:
        build(kind, BuildOptions(cache=tmp_path / "cache", **options), tmp_path / "out.pdf")
    assert message in str(error.value)
    assert not (tmp_path / "out.pdf").exists()


def _another(value):
    """A different value of the same kind, for every type an option may have."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, Path):
        return value / "elsewhere"
    if value is None:
        return 3
    return f"{value}-other"


def test_every_option_that_shapes_the_output_reaches_the_build_key():
    options = BuildOptions()
    names = {field.name for field in dataclasses.fields(BuildOptions)}
    assert NOT_SHAPING <= names, "NOT_SHAPING names an option that does not exist"
    for name in sorted(names):
        changed = dataclasses.replace(options, **{name: _another(getattr(options, name))})
        if name in NOT_SHAPING:
            assert changed.shaping() == options.shaping(), name
        else:
            assert changed.shaping() != options.shaping(), f"option '{name}' does not reach the build key"


def test_the_archive_folder_reaches_the_key_of_a_kind_that_reads_sealed_editions_only(tmp_path):
    options = BuildOptions(cache=tmp_path / "cache", jobs=1)
    elsewhere = dataclasses.replace(options, archive=tmp_path / "elsewhere")
    japan, diff = CountryDossier("japan"), EditionDiff("2022", "2023")
    for kind in (japan, diff):
        make_pdf(kind, options)
        assert cached_pdf(kind, options) is not None
    # A dossier of the working data is the same whichever folder holds the sealed editions...
    assert cached_pdf(japan, elsewhere) is not None
    # ...but a change report read the sealed 2022 edition from the archive folder it was given.
    assert cached_pdf(diff, elsewhere) is None


def test_editing_the_notes_of_a_spec_outside_the_data_folder_rebuilds_the_pack(tmp_path):
    spec = tmp_path / "elsewhere" / "japan-visit.yaml"
    spec.parent.mkdir()
    spec.write_text(PACK, encoding="utf-8")
    notes = spec.with_suffix(".md")
    notes.write_text("The first notes mention the harbour of Kobe.\n", encoding="utf-8")
    options = BuildOptions(cache=tmp_path / "cache", jobs=1)
    output = tmp_path / "pack.pdf"
    first = build(BriefingPack(spec), options, output)
    assert "Kobe" in "".join(pdf_pages_text(output))
    again = build(BriefingPack(spec), options, output)
    assert again.summary == "nothing changed since the last build: its book, from the cache"

    notes.write_text("The second notes mention the harbour of Yokohama.\n", encoding="utf-8")
    edited = build(BriefingPack(spec), options, output)
    assert "nothing changed" not in edited.summary and "notes" in edited.summary
    text = "".join(pdf_pages_text(output))
    assert "Yokohama" in text and "Kobe" not in text
    # A German notes file that appears beside the spec is an input too, though it was absent before.
    spec.with_suffix(".de.md").write_text("Die Notizen nennen den Hafen von Nagoya.\n", encoding="utf-8")
    build(BriefingPack(spec), dataclasses.replace(options, language="de"), output)
    assert "Nagoya" in "".join(pdf_pages_text(output))
    assert first.files == [output]


def _project_copy(target: Path) -> Path:
    """The code, templates and styles in a folder of their own, to change a style without touching ours."""
    for folder in ("reports", "templates", "styles"):
        shutil.copytree(PROJECT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "build.py", target / "build.py")
    return target


def test_a_font_removed_from_the_styles_fails_a_cached_build_as_it_fails_a_fresh_one(tmp_path):
    project = _project_copy(tmp_path / "project")
    spec = tmp_path / "tokyo.yaml"
    spec.write_text(PACK, encoding="utf-8")
    spec.with_suffix(".md").write_text("Meetings in 東京 (Tokyo).\n", encoding="utf-8")
    environment = {**os.environ, "ATLAS_CACHE_DIR": str(tmp_path / "cache")}

    def pack(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                str(project / "build.py"),
                "pack",
                str(spec),
                "--data",
                str(DATA),
                "-o",
                str(tmp_path / "pack.pdf"),
                "--quiet",
                "--jobs",
                "1",
                *extra,
            ],
            capture_output=True,
            text=True,
            env=environment,
            timeout=300,
        )

    assert pack().returncode == 0
    stylesheet = project / "styles" / "atlas.css"
    stylesheet.write_text(
        stylesheet.read_text().replace(', "Noto Serif CJK JP"', "").replace(', "Noto Sans CJK JP"', "")
    )
    cached, fresh = pack(), pack("--no-cache")
    assert fresh.returncode == 2 and "U+6771" in fresh.stderr
    assert (cached.returncode, cached.stderr) == (fresh.returncode, fresh.stderr)
    assert "Traceback" not in cached.stderr


def test_a_cached_pdf_is_taken_while_the_files_it_read_are_the_same_as_the_snapshot_saw_them(data_copy, tmp_path):
    """The web edition checks hundreds of PDFs against one snapshot of the data: each file is read
    once, and an edit is seen by the next snapshot (the next build)."""
    options = BuildOptions(data=data_copy, cache=tmp_path / "cache", jobs=1)
    japan = CountryDossier("japan")
    assert cached_pdf(japan, options, Snapshot()) is None
    made = make_pdf(japan, options)
    now = Snapshot()
    assert cached_pdf(japan, options, now).pdf == made.pdf
    assert cached_pdf(japan, dataclasses.replace(options, language="de"), now) is None  # never built

    text = data_copy / "countries" / "japan" / "prosperity.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nAn edited sentence about Osaka.\n", encoding="utf-8")
    assert cached_pdf(japan, options, Snapshot()) is None
    assert "Osaka" in "".join(pdf_pages_text(_written(make_pdf(japan, options).pdf, tmp_path)))


def _written(pdf: bytes, folder: Path) -> Path:
    path = folder / "built.pdf"
    path.write_bytes(pdf)
    return path


def test_loading_the_typesetter_runs_no_compiler():
    """WeasyPrint's libraries are found in the loader's cache (reports/native.py), not by linking a test
    program with gcc and ld for every name WeasyPrint tries (16 compiler runs at every start)."""
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            "import subprocess\n"
            "started = []\n"
            "class Recording(subprocess.Popen):\n"
            "    def __init__(self, args, *rest, **options):\n"
            "        started.append(args[0])\n"
            "        super().__init__(args, *rest, **options)\n"
            "subprocess.Popen = Recording\n"
            "import ctypes.util, reports.typeset\n"
            "print(started, ctypes.util.find_library.__module__)\n",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert started == "['/sbin/ldconfig'] ctypes.util\n"  # one look at the loader's cache; find_library restored
