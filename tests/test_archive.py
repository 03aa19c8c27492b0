"""Issue 3: sealing an edition as PDF/A-3 with its source data, and verifying it."""

from __future__ import annotations

import json
import shutil

import pikepdf
import pytest
import yaml
from conftest import DATA, PROJECT, run_build, run_main

from reports import BuildOptions, migrate_edition


@pytest.fixture(scope="module")
def sealed(sealed_build):
    """The working data's edition, sealed into a temporary archive folder (never the repo's archive/)."""
    year = yaml.safe_load((DATA / "atlas.yaml").read_text())["edition"]
    assert sealed_build.stdout.startswith(f"sealed edition {year} in "), sealed_build.stdout
    return sealed_build.path.parent / "archive" / str(year), year


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
    assert (
        result.stdout.startswith("archive/2022: ") and "(with 1 later rendition) match their checksums" in result.stdout
    )


def test_only_the_working_data_edition_can_be_sealed(tmp_path):
    """End to end: the command line itself, in its own process."""
    result = run_build("archive", "--edition", "1999", "--archive-dir", tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr == "error: the working data is edition 2023, not 1999; only the working data's "
        "edition can be sealed\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_sealed_edition_keeps_the_validators_verdict(sealed):
    edition, year = sealed
    report = json.loads((edition / "CONFORMANCE.json").read_text(encoding="utf-8"))
    assert report["validator"] == "page-validation"
    assert set(report["standards"]) == {"PDF/A-3A", "PDF/UA-1"}
    for verdict in report["standards"].values():
        assert verdict["compliant"] and verdict["failed_rules"] == [] and verdict["rules"]["passed"] > 100
    assert "  CONFORMANCE.json" in (edition / "MANIFEST.sha256").read_text()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """The shipped 2022 edition as sealed (PDF/A-3u, before the validator), copied and migrated once."""
    archive = tmp_path_factory.mktemp("archive")
    shutil.copytree(PROJECT / "archive" / "2022", archive / "2022", ignore=shutil.ignore_patterns("renditions"))
    rendition = migrate_edition(2022, "Conformance to PDF/A-3a and PDF/UA-1", BuildOptions(archive=archive))
    return archive / "2022", rendition


def test_a_migration_adds_a_rendition_and_keeps_the_sealed_files_byte_for_byte(migrated):
    edition, rendition = migrated
    for name in ("atlas-2022.pdf", "MANIFEST.sha256"):
        assert (edition / name).read_bytes() == (PROJECT / "archive" / "2022" / name).read_bytes()
    assert rendition == edition / "renditions" / "1"
    assert sorted(p.name for p in rendition.iterdir()) == [
        "CONFORMANCE.json",
        "MANIFEST.sha256",
        "RECORD.json",
        "atlas-2022.pdf",
    ]
    with pikepdf.open(rendition / "atlas-2022.pdf") as pdf:
        metadata = pdf.open_metadata()
        assert (metadata.get("pdfaid:conformance"), metadata.get("pdfuaid:part")) == ("A", "1")
        sealed_data = {p.relative_to(edition / "data").as_posix() for p in (edition / "data").rglob("*") if p.is_file()}
        assert set(pdf.attachments) == sealed_data


def test_the_migration_record_says_when_how_why_and_the_verdict_before_and_after(migrated):
    _, rendition = migrated
    record = json.loads((rendition / "RECORD.json").read_text(encoding="utf-8"))
    assert record["reason"] == "Conformance to PDF/A-3a and PDF/UA-1"
    assert record["tool"].startswith("partner-atlas ") and record["validator"].startswith("page-validation ")
    assert record["supersedes"] == "atlas-2022.pdf"
    assert record["verdict before"]["PDF/UA-1"]["rules"]["failed"] > 0  # what the migration was for
    assert all(v["compliant"] for v in record["verdict after"].values())


def test_verify_checks_every_rendition(migrated, capsys):
    edition, rendition = migrated
    result = run_main(capsys, "verify", edition)
    assert result.returncode == 0, result.stderr
    assert "(with 1 later rendition) match their checksums" in result.stdout
    pdf = rendition / "atlas-2022.pdf"
    original = pdf.read_bytes()
    try:
        pdf.write_bytes(original[:-10] + b"tampered\n\n")
        result = run_main(capsys, "verify", edition)
        assert result.returncode == 1
        assert f"{rendition}/atlas-2022.pdf: checksum differs from MANIFEST.sha256" in result.stderr.replace(
            str(PROJECT) + "/", ""
        )
    finally:
        pdf.write_bytes(original)


def test_a_sealed_edition_keeps_its_web_edition_and_verify_checks_it(sealed, tmp_path, capsys):
    """The site as `build.py site` makes it, frozen beside the PDF and listed in the manifest."""
    edition, year = sealed
    manifest = (edition / "MANIFEST.sha256").read_text(encoding="utf-8")
    for name in ("site/site.json", "site/en/countries/japan/index.html", f"site/de/pdf/atlas-{year}.pdf"):
        assert (edition / name).is_file() and f"  {name}\n" in manifest, name
    assert "Kasachstan" in (edition / "site/de/countries/kazakhstan/index.html").read_text(encoding="utf-8")
    copy = tmp_path / str(year)
    shutil.copytree(edition, copy)
    page = copy / "site/en/countries/japan/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Tokyo", "Kyoto"), encoding="utf-8")
    result = run_main(capsys, "verify", copy)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"{copy.as_posix()}/site/en/countries/japan/index.html: checksum differs from MANIFEST.sha256"
    )
