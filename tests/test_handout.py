"""Symposium handouts and the A5 booklet (issue 4): what a participant and a printer get."""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
import yaml
import zxingcpp
from conftest import DATA, pdf_pages_text, run_build, run_main
from PIL import Image

from reports.i18n import Language
from reports.imposition import impose_booklet
from reports.loader import load_atlas
from reports.profiles import PROFILES
from reports.typeset import Page, typeset

EVENT = DATA / "events" / "security-dialogue-2023.yaml"
A4 = (595.28, 841.89)  # portrait, in points
MARKER = re.compile(r"Page (\d+) of (\d+)")


@pytest.fixture(scope="module")
def event() -> dict:
    return yaml.safe_load(EVENT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def handout_pdf(handout_build) -> Path:
    return handout_build.path


@pytest.fixture(scope="module")
def pages(handout_pdf) -> list[str]:
    return pdf_pages_text(handout_pdf)


@pytest.fixture(scope="module")
def booklet(booklet_build) -> tuple[Path, Path]:
    """The imposed sheets and the A5 reader's version written next to them."""
    sheets = booklet_build.path
    reader = sheets.with_name(f"{sheets.stem}-a5.pdf")
    assert booklet_build.stdout.splitlines() == [f"wrote {reader}", f"wrote {sheets}"]
    return sheets, reader


def _flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def _squeezed(text: str) -> str:
    # Justified text is hyphenated at line ends ("an-\nswer"): compare without spaces and hyphens.
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def test_title_block_names_event_series_date_venue_and_host(pages, event):
    first = " ".join(pages[0].split())
    assert event["title"]["en"] in first
    assert event["series"]["en"].upper() in first.upper()
    assert "13 November 2023" in first
    assert event["venue"]["name"]["en"] in first and event["host"] in first
    assert "Schumannstraße 8, 10117 Berlin, Germany" in first  # the last line of the address in English


def test_speakers_appear_with_their_roles_and_bios(pages, event):
    text = _flat(pages)
    for key, speaker in event["speakers"].items():
        role = speaker["role"]["en"]
        affiliation = (
            speaker["affiliation"] if isinstance(speaker["affiliation"], str) else speaker["affiliation"]["en"]
        )
        assert " ".join([speaker["name"], *speaker.get("name_native", {}).values()]) in text, key
        assert f"{role}, {affiliation}" in text, key
        # A bio is set like the atlas's author bios: with typographic apostrophes.
        assert _squeezed(speaker["bio"]["en"].replace("'", "’")) in _squeezed(text), key


def test_japanese_names_are_set_in_a_cjk_font(handout_pdf):
    fonts = subprocess.run(["pdffonts", str(handout_pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-JP" in fonts


def test_programme_lists_every_session_with_its_time(pages, event):
    text = _flat(pages)
    for session in event["programme"]:
        assert f"{session['start']}" in text and session["title"]["en"] in text


def test_country_fact_boxes_carry_the_atlas_figures(pages, event):
    atlas = load_atlas(DATA)
    language = Language("en")
    box_page = next(text for text in pages if "The countries discussed" in text)
    for slug in event["countries"]:
        country = atlas.countries[slug]
        figure = language.population(country.population)
        assert re.search(rf"Population\s+{re.escape(figure)}", box_page), slug
        assert re.search(rf"Capital\s+{re.escape(country.capital.get('en'))}", box_page), slug
        assert country.name.get("en").upper() in box_page.upper()


def test_the_review_text_is_printed(pages, event):
    text = _flat(pages)
    assert event["review"]["title"]["en"] in text
    review = (EVENT.with_suffix(".md")).read_text(encoding="utf-8")
    for paragraph in review.split("\n\n"):
        paragraph = re.sub(r"[*#]", "", paragraph)  # Markdown emphasis and heading marks are not printed
        assert _squeezed(paragraph) in _squeezed(text)


def test_the_qr_code_is_a_vector_drawing_that_decodes_to_the_address(handout_pdf, pages, event, tmp_path):
    number = next(n for n, text in enumerate(pages, start=1) if "This handout online" in text)
    with pikepdf.open(handout_pdf) as pdf:
        assert not list(pdf.pages[number - 1].get_images()), "the QR code must be drawn, not a bitmap"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-f",
            str(number),
            "-l",
            str(number),
            "-singlefile",
            str(handout_pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    decoded = [
        code.text
        for code in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
        if code.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert decoded == [event["online"]]


def test_the_a4_handout_is_a4(handout_pdf):
    with pikepdf.open(handout_pdf) as pdf:
        for page in pdf.pages:
            assert [round(float(v)) for v in page.mediabox[2:]] == [round(v) for v in A4]


def _expected_sides(pages: int) -> list[tuple[int | None, int | None]]:
    """Printer's spreads, written out independently of the code under test."""
    padded = math.ceil(pages / 4) * 4
    sides = []
    for sheet in range(padded // 4):
        sides += [(padded - 2 * sheet, 2 * sheet + 1), (2 * sheet + 2, padded - 2 * sheet - 1)]
    return [tuple(n if n <= pages else None for n in side) for side in sides]


def test_the_reader_version_is_a5_and_every_page_carries_its_marker(booklet):
    _, reader = booklet
    texts = pdf_pages_text(reader)
    with pikepdf.open(reader) as pdf:
        for page in pdf.pages:
            assert [round(float(v)) for v in page.mediabox[2:]] == [420, 595]
    for number, text in enumerate(texts, start=1):
        assert MARKER.findall(text) == [(str(number), str(len(texts)))]


def _halves(sheets: Path, pages: int) -> list[tuple[int | None, int | None]]:
    """The page marker read from the left and right half of every side of the imposed sheets."""
    with pikepdf.open(sheets) as pdf:
        sides = len(pdf.pages)
    found = []
    for side in range(1, sides + 1):
        halves = []
        for x in (0, 421):
            text = subprocess.run(
                [
                    "pdftotext",
                    "-f",
                    str(side),
                    "-l",
                    str(side),
                    "-x",
                    str(x),
                    "-y",
                    "0",
                    "-W",
                    "421",
                    "-H",
                    "595",
                    str(sheets),
                    "-",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            markers = MARKER.findall(text)
            assert len(markers) <= 1
            if markers:
                assert markers[0][1] == str(pages)
                halves.append(int(markers[0][0]))
            else:
                assert not text.strip(), "a padded page must be blank"
                halves.append(None)
        found.append(tuple(halves))
    return found


def test_the_booklet_has_one_sheet_per_four_pages_in_saddle_stitch_order(booklet):
    sheets, reader = booklet
    pages = len(pdf_pages_text(reader))
    with pikepdf.open(sheets) as pdf:
        sides = len(pdf.pages)
        for side in pdf.pages:
            assert [round(float(v)) for v in side.mediabox[2:]] == [842, 595]  # A4 landscape
    assert sides == 2 * math.ceil(pages / 4)  # front and back of each sheet
    assert _halves(sheets, pages) == _expected_sides(pages)


# The printer's spreads, written out: sheet 1 front, sheet 1 back, sheet 2 front, ... (left | right half).
PRINTERS_SPREADS = {
    8: [(8, 1), (2, 7), (6, 3), (4, 5)],  # as issue 4 gives them
    9: [(None, 1), (2, None), (None, 3), (4, 9), (8, 5), (6, 7)],  # padded to twelve with blank pages
}


@pytest.mark.parametrize("pages", PRINTERS_SPREADS)
def test_imposition_follows_the_printers_spreads(pages, tmp_path):
    """Numbered A5 pages, imposed: each half of each sheet shows the page the printer expects there."""
    html = (
        '<meta name="dcterms.created" content="2023-11-13"><style>@page { size: A5 } p { break-after: page }</style>'
    ) + "".join(f"<p>Page {n} of {pages}</p>" for n in range(1, pages + 1))
    sheets = tmp_path / "sheets.pdf"
    sheets.write_bytes(impose_booklet(typeset(Page(html, DATA, stylesheets=[]), PROFILES["screen"])))
    assert _halves(sheets, pages) == PRINTERS_SPREADS[pages]
    assert _expected_sides(pages) == PRINTERS_SPREADS[pages]  # the rule the real booklet's test uses


def test_an_unknown_speaker_in_the_programme_is_an_error_at_its_line(tmp_path, capsys):
    event = tmp_path / "event.yaml"
    text = EVENT.read_text(encoding="utf-8").replace("speakers: [hidenao-yanagi]", "speakers: [hidenao-yanagy]")
    event.write_text(text, encoding="utf-8")
    (tmp_path / "event.md").write_text("A short review.\n", encoding="utf-8")
    line, row = next((n, row) for n, row in enumerate(text.splitlines(), start=1) if "yanagy" in row)
    result = run_main(capsys, "handout", event, "-o", tmp_path / "handout.pdf")
    assert result.returncode == 2
    assert (
        result.stderr == f"{event.as_posix()}:{line}:{row.index('hidenao') + 1}: programme[1].speakers[0]: "
        "unknown speaker 'hidenao-yanagy'; expected one of: imme-scholz, hidenao-yanagi, "
        "yoko-iwama, kimitake-nakamura, martin-thuemmel, boris-mijatovic\n1 problem found.\n"
    )
    assert not (tmp_path / "handout.pdf").exists()


def test_an_event_without_its_review_text_is_an_error(tmp_path):
    """End to end: the command line itself, in its own process."""
    event = tmp_path / "event.yaml"
    event.write_text(EVENT.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_build("handout", event, "-o", tmp_path / "handout.pdf")
    assert result.returncode == 2
    assert (
        result.stderr == f"{tmp_path.as_posix()}/event.md: file is missing: the review text of "
        f"{event.as_posix()} goes here\n1 problem found.\n"
    )
    assert not (tmp_path / "handout.pdf").exists()
