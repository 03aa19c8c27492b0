"""Issue 5: the Japan dossier in each output profile, checked with tools we did not write."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import time

import pikepdf
import pypdf
import pytest
import yaml
from conftest import DATA, PACK, run_main

from reports import cli
from reports.profiles import PROFILES
from reports.typeset import Page, typeset

A4 = (595.28, 841.89)  # points
MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(japan_profiles) -> dict:
    """The Japan dossier built once per profile (once for the session: only read here)."""
    assert set(japan_profiles) == set(PROFILES)
    return japan_profiles


@pytest.mark.parametrize("profile", list(PROFILES))
def test_qpdf_finds_no_problem(built, profile):
    result = subprocess.run(["qpdf", "--check", str(built[profile])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize("profile", list(PROFILES))
def test_pdffonts_shows_every_font_embedded(built, profile):
    lines = subprocess.run(
        ["pdffonts", str(built[profile])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        # the columns after the name: type, encoding, emb, sub, uni, object, id
        assert line.split()[-5] == "yes", line
    assert any("Noto-Serif" in line for line in lines) and any("Noto-Sans" in line for line in lines)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_ghostscript_renders_every_page(built, profile):
    result = subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(built[profile])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stdout + result.stderr


@pytest.mark.parametrize("profile", list(PROFILES))
def test_our_preflight_passes(built, profile, capsys):
    result = run_main(capsys, "preflight", built[profile], "--profile", profile)
    assert result.returncode == 0, result.stdout
    assert "All checks passed." in result.stdout
    assert "FAIL" not in result.stdout


@pytest.mark.parametrize("profile", list(PROFILES))
def test_two_builds_give_identical_bytes(built, profile, tmp_path, capsys):
    again = tmp_path / "again.pdf"  # built in this process, the first in a process of its own
    result = run_main(capsys, "country", "japan", "--profile", profile, "-o", again)
    assert result.returncode == 0, result.stderr
    assert again.read_bytes() == built[profile].read_bytes()


def test_profiles_make_different_pdfs(built):
    contents = {path.read_bytes() for path in built.values()}
    assert len(contents) == len(built)


def test_print_is_a4_trim_with_3mm_bleed(built):
    for page in pypdf.PdfReader(built["print"]).pages:
        assert (float(page.trimbox.width), float(page.trimbox.height)) == pytest.approx(A4, abs=0.1)
        assert float(page.bleedbox.width) >= A4[0] + 6 * MM - 0.1
        assert float(page.mediabox.height) >= float(page.bleedbox.height)


def test_print_declares_pdfx4_and_a_cmyk_output_intent(built):
    with pikepdf.open(built["print"]) as pdf:
        assert pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX"
        assert intent.DestOutputProfile.N == 4
        assert "ISO Coated v2" in str(intent.OutputConditionIdentifier)


def test_print_has_no_links_on_paper_but_screen_has(built):
    assert not any(page.annotations for page in pypdf.PdfReader(built["print"]).pages)
    assert any(page.annotations for page in pypdf.PdfReader(built["screen"]).pages)


def test_print_paints_no_rgb(built):
    """Charts and crop marks too: every colour operator on every page is CMYK (k/K) or gray."""
    with pikepdf.open(built["print"]) as pdf:
        operators = {str(op) for page in pdf.pages for _, op in pikepdf.parse_content_stream(page)}
    assert not operators & {"rg", "RG"}
    assert {"k", "scn"} & operators


def test_screen_is_tagged_with_language_title_and_alt_text(built):
    with pikepdf.open(built["screen"]) as pdf:
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title).startswith("Japan")
        assert "/StructTreeRoot" in pdf.Root
        alts = [
            str(obj.Alt) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"
        ]
    assert alts == expected_chart_alts("japan")
    reader = pypdf.PdfReader(built["screen"])
    assert reader.outline, "the outline is missing"


def expected_chart_alts(slug: str) -> list[str]:
    """The alternative text of each rating chart, as the data says it should read (English)."""
    country = yaml.safe_load((DATA / "countries" / f"{slug}.yaml").read_text(encoding="utf-8"))
    interests = {i["id"]: i for i in yaml.safe_load((DATA / "interests.yaml").read_text(encoding="utf-8"))}
    scale = yaml.safe_load((DATA / "atlas.yaml").read_text(encoding="utf-8"))["rating_scale"]["max"]
    return [
        f"Ratings for {country['name']['en']}, {interests[a['interest']]['short']['en']}: "
        + ", ".join(
            f"{label} {a['ratings'][key]} of {scale}"
            for key, label in (
                ("relevance", "Relevance"),
                ("willingness", "Willingness"),
                ("status_quo", "Status quo"),
                ("potential", "Potential"),
            )
        )
        + "."
        for a in country["assessments"]
        if a.get("ratings")
    ]


def test_archive_is_pdfa3a_and_pdfua1_without_encryption(built):
    with pikepdf.open(built["archive"]) as pdf:
        metadata = pdf.open_metadata()
        assert (metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")) == ("3", "A")
        assert metadata.get("pdfuaid:part") == "1"
        assert "/Filter" not in pdf.Root.Metadata  # PDF/A: the XMP is readable as it is
        assert not pdf.is_encrypted
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"


def test_default_profile_is_screen(japan_pdf):
    with pikepdf.open(japan_pdf) as pdf:
        assert pdf.open_metadata().get("pdfuaid:part") == "1"


def test_a_build_that_misses_its_profile_writes_nothing(monkeypatch, tmp_path, capsys):
    """Without the print stylesheet there is no bleed: the build's own preflight stops it."""
    monkeypatch.setitem(PROFILES, "print", dataclasses.replace(PROFILES["print"], stylesheets=()))
    target = tmp_path / "japan.pdf"
    status = cli.main(["country", "japan", "--profile", "print", "-o", str(target)])
    error = capsys.readouterr().err
    assert status == 1
    assert "does not meet the print profile" in error
    assert "page boxes" in error and "BleedBox" in error
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_attachments_do_not_carry_the_time_of_the_build():
    """WeasyPrint would date an attachment 'now'; two builds a second apart must still be identical."""
    html = (
        '<html lang="en"><head><title>Attachment</title><meta name="dcterms.created" content="2023-06-30">'
        '<link rel="attachment" href="resource:data.yaml"></head><body><p>Text</p></body></html>'
    )
    page = Page(html, DATA, {"resource:data.yaml": b"country: JP\n"})
    first = typeset(page, PROFILES["archive"])
    time.sleep(1.1)
    assert typeset(page, PROFILES["archive"]) == first
    with pikepdf.open(io.BytesIO(first)) as pdf:
        (spec,) = pdf.attachments.values()
        assert str(spec.obj.EF.F.Params.ModDate) == "D:20230630000000Z"


def test_a_book_whose_chapters_miss_the_profile_names_them_and_writes_nothing(monkeypatch, tmp_path, capsys):
    """A book's chapters are checked as the workers typeset them (colours here, with the conversion
    to CMYK switched off); the failures name their chapters and nothing is written."""
    monkeypatch.setitem(PROFILES, "print", dataclasses.replace(PROFILES["print"], cmyk_only=False))
    target = tmp_path / "pack.pdf"
    status = cli.main(
        ["pack", str(PACK), "--profile", "print", "--jobs", "1", "--no-cache", "--quiet", "-o", str(target)]
    )
    error = capsys.readouterr().err
    assert status == 1
    assert "does not meet the print profile" in error
    assert "colours in CMYK: " in error and "country japan: RGB colour on page" in error
    assert not target.exists()
