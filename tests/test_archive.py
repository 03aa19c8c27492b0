"""Issue 3: sealing an edition as PDF/A-3 with its source data, and verifying it."""

from __future__ import annotations

import shutil

import pikepdf
import pytest
import yaml
from conftest import DATA, PROJECT, run_build, run_main


@pytest.fixture(scope="module")
def sealed(sealed_build):
    """The working data's edition, sealed into a temporary archive folder (never the repo's archive/)."""
    year = yaml.safe_load((DATA / "atlas.yaml").read_text())["edition"]
    assert sealed_build.stdout.startswith(f"sealed edition {year} in "), sealed_build.stdout
    return sealed_build.path.parent / str(year), year


def _data_files():
    return {p.relative_to(DATA).as_posix() for p in DATA.rglob("*") if p.suffix in (".yaml", ".md")}


def test_archived_pdf_declares_pdfa3_and_carries_the_source_data(sealed):
    edition, year = sealed
    with pikepdf.open(edition / f"atlas-{year}.pdf") as pdf:
        metadata = pdf.open_metadata()
        assert metadata.get("pdfaid:part") == "3"
        assert set(pdf.attachments) == _data_files()
        japan = pdf.attachments["countries/japan.yaml"]
        assert japan.get_file().read_bytes() == (DATA / "countries/japan.yaml").read_bytes()
        assert japan.obj.AFRelationship == "/Source"


def test_verify_passes_on_a_fresh_archive(sealed, capsys):
    edition, _ = sealed
    result = run_main(capsys, "verify", edition)
    assert result.returncode == 0, result.stderr
    assert "match their checksums" in result.stdout


@pytest.mark.parametrize("victim", ["data/countries/japan.yaml", "PDF"])
def test_verify_names_a_file_changed_by_one_byte(sealed, tmp_path, victim, capsys):
    edition, year = sealed
    copy = tmp_path / str(year)
    shutil.copytree(edition, copy)
    name = f"atlas-{year}.pdf" if victim == "PDF" else victim
    content = bytearray((copy / name).read_bytes())
    content[len(content) // 2] ^= 0x01
    (copy / name).write_bytes(bytes(content))
    result = run_main(capsys, "verify", copy)
    assert result.returncode == 1
    problems = [f"{copy.as_posix()}/{name}: checksum differs from MANIFEST.sha256"]
    if victim != "PDF":  # a data file also differs from its copy attached to the PDF
        problems.append(f"{copy.as_posix()}/{name}: differs from the copy attached in atlas-{year}.pdf")
    count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
    assert result.stderr.splitlines() == [*problems, f"{copy}: verification failed, {count}."]


def test_verify_names_a_missing_file(sealed, tmp_path, capsys):
    edition, year = sealed
    copy = tmp_path / str(year)
    shutil.copytree(edition, copy)
    (copy / "data/atlas.yaml").unlink()
    result = run_main(capsys, "verify", copy)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{copy.as_posix()}/data/atlas.yaml: missing",
        f"{copy.as_posix()}/data/atlas.yaml: attached in atlas-{year}.pdf but missing from the snapshot",
        f"{copy}: verification failed, 2 problems.",
    ]


def test_a_second_archive_of_the_same_edition_is_refused_and_changes_nothing(sealed, capsys):
    edition, year = sealed
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in edition.rglob("*") if p.is_file()}
    result = run_main(capsys, "archive", "--edition", year, "--archive-dir", edition.parent)
    assert result.returncode == 1
    assert (
        result.stderr == f"error: edition {year} is already sealed in {edition}; a sealed edition is never "
        "changed (archive a new edition year instead)\n"
    )
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in edition.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in edition.parent.iterdir()) == [str(year)]


def test_the_shipped_2022_edition_verifies():
    """End to end: the command line itself, in its own process."""
    result = run_build("verify", "archive/2022", cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("archive/2022: ") and "files match their checksums" in result.stdout


def test_only_the_working_data_edition_can_be_sealed(tmp_path):
    """End to end: the command line itself, in its own process."""
    result = run_build("archive", "--edition", "1999", "--archive-dir", tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr == "error: the working data is edition 2023, not 1999; only the working data's "
        "edition can be sealed\n"
    )
    assert list(tmp_path.iterdir()) == []
