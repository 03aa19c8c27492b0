"""Issue 5: `build.py preflight` names the checks a PDF fails for a profile it was not made for."""

from __future__ import annotations

import zlib
from importlib.metadata import version
from pathlib import Path

import pikepdf
import pytest
from conftest import run_build, run_main

# The outside validator's checks, by the standard they judge: they fail where ours do.
VALIDATOR = f"(page-validation {version('page-validation')})"


@pytest.fixture(scope="module")
def pdfs(japan_profiles) -> dict[str, Path]:
    """The Japan dossier in each profile (built once for the session: only read here)."""
    return japan_profiles


@pytest.fixture
def preflight(capsys):
    """`build.py preflight FILE --profile PROFILE`, in this process."""
    return lambda path, profile: run_main(capsys, "preflight", path, "--profile", profile)


def failed_checks(output: str) -> set[str]:
    line = next(line for line in output.splitlines() if line.startswith("FAILED: "))
    return set(line.removeprefix("FAILED: ").split("; "))


def test_screen_pdf_is_not_a_print_pdf(pdfs, preflight):
    result = preflight(pdfs["screen"], "print")
    assert result.returncode == 1
    assert failed_checks(result.stdout) == {
        "PDF/X-4 identification (XMP)",
        "output intent",
        "page boxes (TrimBox A4, BleedBox 3 mm)",
        "colours in CMYK",
        "no annotations in the print area",
    }
    assert "no GTS_PDFX output intent with a CMYK ICC profile embedded" in result.stdout
    assert "annotations (links, notes) on page 1" in result.stdout  # the contents box links


def test_screen_pdf_is_not_an_archive_pdf(pdfs, preflight):
    result = preflight(pdfs["screen"], "archive")
    assert result.returncode == 1
    assert failed_checks(result.stdout) == {"PDF/A-3A identification (XMP)", "output intent", f"PDF/A-3A {VALIDATOR}"}


def test_print_pdf_is_not_a_screen_pdf(pdfs, preflight):
    result = preflight(pdfs["print"], "screen")
    assert result.returncode == 1
    assert failed_checks(result.stdout) == {"PDF/UA-1 identification (XMP)", f"PDF/UA-1 {VALIDATOR}"}
    assert "pdfuaid:part is None, expected '1'" in result.stdout


def test_untagged_pdf_fails_every_accessibility_check(pdfs, tmp_path, preflight):
    path = tmp_path / "untagged.pdf"
    with pikepdf.open(pdfs["screen"]) as pdf:
        for key in ("/StructTreeRoot", "/MarkInfo", "/Lang", "/ViewerPreferences"):
            del pdf.Root[key]
        pdf.save(path)
    result = preflight(path, "screen")
    assert result.returncode == 1
    assert failed_checks(result.stdout) == {
        "structure tree",
        "marked content",
        "document language",
        "title shown as window title",
        "alt text on figures",
        f"PDF/UA-1 {VALIDATOR}",
    }


def test_figure_without_alt_text_is_named(pdfs, tmp_path, preflight):
    path = tmp_path / "no-alt.pdf"
    with pikepdf.open(pdfs["screen"]) as pdf:
        figures = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"]
        assert len(figures) == 2
        del figures[1].Alt
        pdf.save(path)
    result = preflight(path, "screen")
    assert failed_checks(result.stdout) == {"alt text on figures", f"PDF/UA-1 {VALIDATOR}"}
    assert "figure(s) 2 of 2 without /Alt" in result.stdout


def test_unembedded_font_is_named(pdfs, tmp_path, preflight):
    path = tmp_path / "unembedded.pdf"
    with pikepdf.open(pdfs["screen"]) as pdf:
        descriptor = next(
            obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
        )
        name = str(descriptor.FontName).lstrip("/")
        del descriptor.FontFile2
        pdf.save(path)
    result = preflight(path, "screen")
    assert failed_checks(result.stdout) == {"fonts embedded", f"PDF/UA-1 {VALIDATOR}"}
    assert f"not embedded: {name}" in result.stdout


def _with_image(source: Path, target: Path, pixels: int, inches: float) -> None:
    """Draw a grey square image of pixels x pixels at inches x inches on page 1."""
    with pikepdf.open(source) as pdf:
        image = pdf.make_stream(
            zlib.compress(bytes(pixels * pixels)),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=pixels,
            Height=pixels,
            ColorSpace=pikepdf.Name.DeviceGray,
            BitsPerComponent=8,
            Filter=pikepdf.Name.FlateDecode,
        )
        page = pdf.pages[0]
        page.Resources.XObject = page.Resources.get("/XObject", pikepdf.Dictionary())
        page.Resources.XObject.ImTest = image
        size = inches * 72
        page.contents_add(pdf.make_stream(f"q {size} 0 0 {size} 100 100 cm /ImTest Do Q".encode()))
        pdf.save(target)


def test_low_resolution_image_fails_print(pdfs, tmp_path, preflight):
    path = tmp_path / "low.pdf"
    _with_image(pdfs["print"], path, pixels=100, inches=2)
    result = preflight(path, "print")
    assert failed_checks(result.stdout) == {"raster images >= 300 dpi"}
    assert "an image on page 1 has 50 dpi effective" in result.stdout


def test_sharp_image_passes_print(pdfs, tmp_path, preflight):
    path = tmp_path / "sharp.pdf"
    _with_image(pdfs["print"], path, pixels=700, inches=2)
    result = preflight(path, "print")
    assert result.returncode == 0, result.stdout
    assert "1 images, lowest 350 dpi" in result.stdout


def test_encrypted_pdf_and_undeclared_attachment_fail_archive(pdfs, tmp_path, preflight):
    archive = pdfs["archive"]
    path = tmp_path / "encrypted.pdf"
    with pikepdf.open(archive) as pdf:
        pdf.attachments["data.yaml"] = pikepdf.AttachedFileSpec(pdf, b"country: JP\n", mime_type="text/yaml")
        del pdf.attachments["data.yaml"].obj.AFRelationship  # pikepdf declares it; undo that
        del pdf.Root.AF
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user="", R=6))
    result = preflight(path, "archive")
    assert result.returncode == 1
    assert failed_checks(result.stdout) == {
        "no encryption",
        "embedded files declared (AFRelationship, /AF)",
        f"PDF/A-3A {VALIDATOR}",
    }
    assert "without a relationship in /AF: data.yaml" in result.stdout


def test_unreadable_file_is_reported(tmp_path, preflight):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"not a pdf")
    result = preflight(path, "screen")
    assert result.returncode == 1
    assert failed_checks(result.stdout) == {"readable PDF"}


def test_missing_file_is_an_error_without_traceback(tmp_path):
    """End to end: the command line itself, in its own process."""
    result = run_build("preflight", tmp_path / "nowhere.pdf", "--profile", "screen")
    assert result.returncode == 1
    assert result.stderr == f"error: cannot read {tmp_path / 'nowhere.pdf'}: No such file or directory\n"
    assert result.stdout == ""
