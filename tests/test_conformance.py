"""An outside judge: the independent validator page-validation (veraPDF's rules, no Java) checks the
documents the session builds against every standard their profile claims: PDF/UA-1 for the screen
profile, PDF/A-3a and PDF/UA-1 for the archive profile. No extra builds: the session's samples."""

from __future__ import annotations

import io
from pathlib import Path

import page
import pikepdf
import pydyf
import pytest

from reports.assemble import save_book
from reports.typeset import end_every_stream

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


def test_a_book_joined_in_the_archive_profile_passes_pdf_a_3a_and_pdf_ua_1(region_archive):
    assert _failures(region_archive, PDF_A_3A) == [] and _failures(region_archive, PDF_UA) == []


# --- streams whose data ends in a carriage return ---------------------------------------------------
# A writer puts a line feed between a stream's data and 'endstream'; after data ending in CR, the judge
# reads CR LF as that end of line and the /Length as one byte too long. Compressed data ends so about
# one time in 256, and the object and cross-reference streams are made while the file is written.

STREAM_LENGTH = "PDFA3A-STREAM-LENGTH-001"


def _written_stream_ends_in_cr(data: bytes) -> bool:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return any(
            isinstance(obj, pikepdf.Stream)
            and obj.get("/Type") in ("/ObjStm", "/XRef")
            and obj.read_raw_bytes().endswith(b"\r")
            for obj in pdf.objects
        )


def _stream_length_failures(data: bytes, path: Path) -> list[str]:
    path.write_bytes(data)
    return [failure for failure in _failures(path, PDF_A_3A) if failure.startswith(STREAM_LENGTH)]


def _pydyf_document(number: int, ended: bool) -> bytes:
    """A one-page file as WeasyPrint's writer makes it; `number` in its title changes its object stream."""
    pdf = pydyf.PDF()
    content = pydyf.Stream([b"BT ET"], compress=True)
    pdf.add_object(content)
    pdf.add_page(
        pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, 100, 100]),
                "Contents": content.reference,
            }
        )
    )
    pdf.info["Title"] = pydyf.String(f"Document {number}")
    if ended:
        end_every_stream(pdf)
    output = io.BytesIO()
    pdf.write(output, version=b"1.7", compress=True)
    return output.getvalue()


def test_the_streams_the_typesetter_writes_last_end_unambiguously(tmp_path):
    number = next(n for n in range(5000) if _written_stream_ends_in_cr(_pydyf_document(n, ended=False)))
    assert _stream_length_failures(_pydyf_document(number, ended=False), tmp_path / "plain.pdf")  # the judge sees it
    assert _stream_length_failures(_pydyf_document(number, ended=True), tmp_path / "ended.pdf") == []


def _pikepdf_book(number: int) -> pikepdf.Pdf:
    """A one-page file with 400 more objects, saved as a joined book is into several object streams;
    `number` letters in its last object change the object stream that holds it (not the catalog's)."""
    book = pikepdf.new()
    book.add_blank_page(page_size=(100, 100))
    objects = [book.make_indirect(pikepdf.Dictionary(Number=n)) for n in range(400)]
    objects[-1].Text = pikepdf.String("a" * number)
    book.pages[0].obj.Extra = pikepdf.Array(objects)
    return book


def _ends_in_cr_apart_from_the_catalog(data: bytes) -> bool:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        catalog = pdf.Root.objgen[0]
        return any(
            isinstance(obj, pikepdf.Stream)
            and obj.get("/Type") == "/ObjStm"
            and obj.read_raw_bytes().endswith(b"\r")
            and str(catalog).encode() not in obj.read_bytes()[: int(obj.First)].split()[0::2]
            for obj in pdf.objects
        )


def _plainly_saved(book: pikepdf.Pdf) -> bytes:
    output = io.BytesIO()
    book.save(
        output, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
    )
    return output.getvalue()


def test_the_streams_a_joined_book_gets_when_saved_end_unambiguously(tmp_path):
    number = next(n for n in range(5000) if _ends_in_cr_apart_from_the_catalog(_plainly_saved(_pikepdf_book(n))))
    assert _stream_length_failures(_plainly_saved(_pikepdf_book(number)), tmp_path / "plain.pdf")
    saved = save_book(_pikepdf_book(number))
    assert not _written_stream_ends_in_cr(saved)
    assert _stream_length_failures(saved, tmp_path / "saved.pdf") == []
