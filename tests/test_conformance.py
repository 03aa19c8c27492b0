"""An outside judge: the independent validator page-validation (veraPDF's rules, no Java) checks the
documents the session builds against every standard their profile claims: PDF/UA-1 for the screen
profile, PDF/A-3a and PDF/UA-1 for the archive profile. No extra builds: the session's samples."""

from __future__ import annotations

import page
import pytest

PDF_UA = page.ValidationProfile.PDF_UA_1
PDF_A_3A = page.ValidationProfile.PDF_A_3A


def _failures(path, profile) -> list[str]:
    report = page.validate_pdf(str(path), profile=profile)
    return [f"{failure.rule_id}: {failure.message}" for failure in report.failures]


@pytest.mark.parametrize(
    "sample",
    ["japan_pdf", "japan_de", "region_book", "atlas_book", "pack_book", "handout_build", "diff_build"],
)
def test_every_screen_document_passes_pdf_ua_1(sample, request):
    built = request.getfixturevalue(sample)
    assert _failures(getattr(built, "path", built), PDF_UA) == []


def test_the_booklet_reader_version_passes_pdf_ua_1(booklet_build):
    assert _failures(booklet_build.path.with_name(f"{booklet_build.path.stem}-a5.pdf"), PDF_UA) == []


@pytest.mark.parametrize("standard", [PDF_A_3A, PDF_UA], ids=["PDF/A-3a", "PDF/UA-1"])
def test_the_archive_profile_passes_pdf_a_3a_and_pdf_ua_1(standard, japan_profiles):
    assert _failures(japan_profiles["archive"], standard) == []


@pytest.mark.parametrize("standard", [PDF_A_3A, PDF_UA], ids=["PDF/A-3a", "PDF/UA-1"])
def test_a_sealed_edition_passes_pdf_a_3a_and_pdf_ua_1(standard, sealed_build):
    sealed = next(sealed_build.path.parent.glob("archive/[0-9]*/atlas-*.pdf"))
    assert _failures(sealed, standard) == []


def test_a_book_joined_in_the_archive_profile_passes_pdf_a_3a_and_pdf_ua_1(tmp_path):
    from reports import BuildOptions, RegionDossier, build

    output = tmp_path / "region.pdf"
    build(RegionDossier("asia-pacific"), BuildOptions(profile="archive", jobs=2), output)
    assert _failures(output, PDF_A_3A) == [] and _failures(output, PDF_UA) == []
