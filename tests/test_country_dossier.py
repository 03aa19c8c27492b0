"""The country dossier end to end: what a reader of the PDF sees."""

import io
import re
import subprocess
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from tests.conftest import outline_titles, pdf_pages_text, run_build, run_main

QUESTIONS = ["Relevance", "Willingness", "Status quo", "Potential", "Policy recommendation"]


def test_title_block_facts_and_questions_in_order(japan_pdf):
    pages = pdf_pages_text(japan_pdf)
    assert "Japan" in pages[0]
    assert "126,476,461" in pages[0]
    assert "Tokyo" in pages[0]
    headings = re.findall(
        r"^(Relevance|Willingness|Status quo|Potential|Policy recommendation)(?: \d/5)?$", "\n".join(pages), flags=re.M
    )
    assert headings == QUESTIONS * 2  # two assessments, each with the five questions in order


def test_office_author_and_region_cards(japan_pdf):
    text = "\n".join(pdf_pages_text(japan_pdf))
    assert "OAG Haus 4F" in text and "Tokyo 107-0052" in text
    assert "Rabea Brauer" in text
    for neighbour in ("Afghanistan", "China", "India", "Kazakhstan", "Pakistan", "Taiwan", "Uzbekistan", "Vietnam"):
        assert neighbour in text
    assert "approx. 19 million" in text  # Kazakhstan's approximate figure, printed as such


def test_footer_says_page_x_of_y(japan_pdf):
    pages = pdf_pages_text(japan_pdf)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_outline_has_each_assessment_and_its_questions(japan_pdf):
    outline = outline_titles(japan_pdf)
    assert outline[0] == (0, "Japan")
    assert outline[1] == (1, "Strengthening a values- and rules-based world order")
    titles = [re.sub(r"\s+\d/\d$", "", title) for depth, title in outline if depth == 2]
    assert titles == QUESTIONS * 2
    assert (1, "02 — Foundation office") in outline


def test_metadata_title_author_language(japan_pdf):
    with pikepdf.open(japan_pdf) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "Japan: Country dossier · Partner Atlas 2023"
        assert str(info["/Author"]) == "Rabea Brauer"
        assert str(info["/Subject"]) == "Country dossier: Rules-based order, Prosperity"
        assert str(pdf.Root.Lang) == "en"


def test_fonts_embedded_and_charts_are_vectors(japan_pdf):
    fonts = subprocess.run(["pdffonts", str(japan_pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, "no fonts listed"
    assert all(row.split()[-5] == "yes" for row in rows), fonts  # the 'emb' column
    images = subprocess.run(["pdfimages", "-list", str(japan_pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) == 2, f"raster images found:\n{images}"
    # The rating chart's labels are text in the PDF, not glyph outlines.
    assert re.search(r"^\s+Relevance\s+5$", pdf_pages_text(japan_pdf)[0], flags=re.M)


def test_text_is_set_in_the_bundled_faces(japan_pdf):
    """styles/fonts/ (Noto Serif and Sans) whatever the machine has installed; nothing falls back."""
    bundled = {}
    for path in (Path(__file__).parent.parent / "styles" / "fonts").glob("*.ttf"):
        font = TTFont(path, lazy=True)
        bundled[(font["head"].created, font["head"].modified)] = path.stem
    with pikepdf.open(japan_pdf) as pdf:
        embedded = sorted(
            {
                bundled.get((font["head"].created, font["head"].modified), str(descriptor.FontName))
                for descriptor in pdf.objects
                if isinstance(descriptor, pikepdf.Dictionary) and "/FontFile2" in descriptor
                for font in [TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))]
            }
        )
    # A subset keeps the face's head table: its dates tell which file it was cut from.
    assert embedded == ["NotoSans-Bold", "NotoSans-Regular", "NotoSerif-Italic", "NotoSerif-Regular"]


def test_links_point_inside_the_document(japan_pdf):
    with pikepdf.open(japan_pdf) as pdf:
        links = [annot for page in pdf.pages for annot in page.get("/Annots", []) if annot.get("/Subtype") == "/Link"]
        assert links, "the contents box should link to the sections"
        for link in links:
            assert "/URI" not in link.get("/A", {}), "no link may leave the document"


def test_country_by_iso_code_and_suspended_notice(tmp_path, capsys):
    india = tmp_path / "india.pdf"
    result = run_main(capsys, "country", "IN", "-o", india)
    assert result.returncode == 0, result.stderr
    assert "India" in pdf_pages_text(india)[0]
    afghanistan = tmp_path / "afghanistan.pdf"
    assert run_main(capsys, "country", "af", "-o", afghanistan).returncode == 0
    text = "\n".join(pdf_pages_text(afghanistan))
    assert "Assessment suspended" in text
    assert "Taliban" in text
    assert "Ratings on a scale" not in text  # no chart for a suspended assessment


def test_unknown_country_is_an_error_without_traceback(tmp_path):
    """End to end: the command line itself, in its own process."""
    result = run_build("country", "atlantis", "-o", tmp_path / "x.pdf")
    assert result.returncode == 2
    assert result.stderr == (
        "unknown country 'atlantis'; expected one of: afghanistan (AF), brazil (BR), chile (CL), "
        "china (CN), india (IN), japan (JP), kazakhstan (KZ), mexico (MX), pakistan (PK), "
        "taiwan (TW), uzbekistan (UZ), vietnam (VN)\n1 problem found.\n"
    )
    assert not (tmp_path / "x.pdf").exists()
