"""The editorial sample (tests/editorial/): every feature of what editors write at once, in the
region dossier in English and in German, read from the PDFs."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from reports import BuildOptions, RegionDossier, build
from tests.conftest import (
    PROJECT,
    hyphenation_faults,
    outline_titles,
    pdf_lines,
    pdf_pages_text,
    pdf_structure,
    pdf_word_boxes,
)

EDITORIAL = PROJECT / "tests" / "editorial"
MM = 72 / 25.4
COLUMN = (22 * MM, (210 - 20) * MM)  # the left and right edges of the text column (styles/atlas.css @page)

COUNTRIES = {  # in the order of each language's alphabet
    "en": [
        "Cabo Verde",
        "Côte d’Ivoire",
        "Ethiopia",
        "Gabon",
        "São Tomé and Príncipe",
        "Senegal",
        "Seychelles",
        "Tuvalu",
        "Vietnam",
    ],
    "de": [
        "Äthiopien",
        "Cabo Verde",
        "Côte d’Ivoire",
        "Gabun",
        "São Tomé und Príncipe",
        "Senegal",
        "Seychellen",
        "Tuvalu",
        "Vietnam",
    ],
}

# country: (the population as written in its file, as printed in English, as printed in German)
FIGURES = {
    "Côte d’Ivoire": ("26,378,274", "26,378,274", "26.378.274"),
    "Ethiopia": ("about 114.96 million", "approx. 114.96 million", "ca. 114,96 Mio."),
    "São Tomé and Príncipe": ("219\u202f159", "219,159", "219.159"),
    "Senegal": ("rund 16,7 Mio.", "approx. 16.7 million", "ca. 16,7 Mio."),
    "Vietnam": ("97.338.579", "97,338,579", "97.338.579"),
    "Cabo Verde": ("ca. 556 000", "approx. 556,000", "ca. 556.000"),
    "Seychelles": ("98'462", "98,462", "98.462"),
    "Tuvalu": ("~11\u00a0792", "approx. 11,792", "ca. 11.792"),
    "Gabon": ("2.226 Tsd.", "approx. 2,226,000", "ca. 2.226.000"),
}


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """The sample region's dossier in English and in German, built once through the library."""
    folder = tmp_path_factory.mktemp("editorial")
    paths = {}
    for language in ("en", "de"):
        options = BuildOptions(data=EDITORIAL, language=language, cache=folder / "cache", jobs=1)
        paths[language] = build(RegionDossier("coasts"), options, folder / f"coasts-{language}.pdf").files[-1]
    return paths


def _text(path: Path) -> str:
    """The book's text, its words joined again where a line break hyphenated them."""
    return " ".join(" ".join(pdf_pages_text(path)).split()).replace("\u2010 ", "")


def _page_with(path: Path, words: str) -> int:
    return next(number for number, text in enumerate(pdf_pages_text(path), start=1) if words in " ".join(text.split()))


def test_the_sample_uses_each_written_figure_form():
    for country, (written, _, _) in FIGURES.items():
        files = [path for path in (EDITORIAL / "countries").glob("*.yaml") if f'value: "{written}"' in path.read_text()]
        assert len(files) == 1, (country, written)


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_markdown_table_is_a_tagged_table_with_scoped_header_cells(books, language):
    structure = pdf_structure(books[language])
    headers = [(cell.text, cell.scope) for cell in structure if cell.role == "TH"]
    assert headers == [("Sector", "Column"), ("Share of trade", "Column"), ("Change since 2019", "Column")]
    cells = [cell.text for cell in structure if cell.role == "TD"]
    assert cells[:3] == ["Machinery and vehicles", "34 %", "up"] and len(cells) == 9
    assert "|:---" not in _text(books[language]) and "| Sector" not in _text(books[language])


@pytest.mark.parametrize(
    "language, note",
    [
        ("en", "The plan was first published in 2014 and has been revised twice since then."),
        ("de", "Der Verhaltenskodex wurde 2013 in Yaoundé vereinbart."),
    ],
)
def test_a_footnote_is_a_note_at_the_foot_of_its_page(books, language, note):
    path = books[language]
    assert any(element.role == "Note" and note in element.text for element in pdf_structure(path))
    assert "[^" not in _text(path)
    page = _page_with(path, note)
    boxes = pdf_word_boxes(path, page)
    note_top = min(y0 for word, _, y0, _, _ in boxes if word == note.split()[-1])
    body_bottom = max(y1 for _, _, _, _, y1 in boxes if y1 < note_top - 1)
    assert note_top > 841.89 * 0.6 and note_top > body_bottom  # below the text, in the page's lower part


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_long_address_stays_inside_its_column(books, language):
    path = books[language]
    page = _page_with(path, "classified-forests")
    words = pdf_word_boxes(path, page)
    assert any("classified-forests" in word for word, *_ in words)
    assert all(COLUMN[0] - 0.5 <= x0 and x1 <= COLUMN[1] + 0.5 for _, x0, _, x1, _ in words)
    address = [word for word, *_ in words if "example.org" in word or "forests" in word]
    assert not any(word.endswith("\u2010") for word in address)  # broken at its joints, never hyphenated


@pytest.mark.parametrize(
    "language, question, sub_headings",
    [
        ("en", "Potential 5/5", ["Ports and logistics", "Renewable energy"]),
        ("de", "Potenzial 4/5", ["Ausbildung", "Überwachung"]),
    ],
)
def test_sub_headings_are_nested_under_their_key_question(books, language, question, sub_headings):
    outline = outline_titles(books[language])
    titles = [title for _, title in outline]
    depth = dict((title, depth) for depth, title in outline)
    start = titles.index(sub_headings[0])
    assert titles[start - 1 : start + 2] == [question, *sub_headings]
    assert all(depth[heading] == depth[question] + 1 for heading in sub_headings)
    structure = pdf_structure(books[language])
    assert [e.role for e in structure if e.text in sub_headings and e.role.startswith("H")] == ["H4", "H4"]
    assert [e.role for e in structure if e.text == question and e.role.startswith("H")][-1] == "H3"


@pytest.mark.parametrize("language", ["en", "de"])
def test_countries_follow_the_alphabet_of_the_book(books, language):
    outline = outline_titles(books[language])
    region = next(
        index for index, (_, title) in enumerate(outline) if title in ("Coasts and Highlands", "Küsten und Hochländer")
    )
    countries = [title for depth, title in outline[region + 1 :] if depth == outline[region][0] + 1]
    assert countries == COUNTRIES[language]
    text = _text(books[language])
    cards = text[text.index("COUNTRIES AND INTERESTS" if language == "en" else "LÄNDER UND INTERESSEN") :]
    positions = [cards.index(name) for name in COUNTRIES[language]]
    assert positions == sorted(positions)


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_written_figure_is_printed_grouped_in_the_language_of_the_book(books, language):
    text = _text(books[language])
    label = "Population" if language == "en" else "Bevölkerung"
    names = dict(zip(COUNTRIES["en"], COUNTRIES[language], strict=True))
    names["Ethiopia"], names["Gabon"], names["Seychelles"] = (
        ("Äthiopien", "Gabun", "Seychellen") if language == "de" else ("Ethiopia", "Gabon", "Seychelles")
    )
    for country, (_, english, german) in FIGURES.items():
        printed = english if language == "en" else german
        assert f"{names[country]} p. " in text or f"{names[country]} S. " in text
        assert f"{label}: {printed} ·" in text, (country, printed)


def test_english_texts_in_the_german_book_are_tagged_english_and_german_ones_are_not(books):
    structure = pdf_structure(books["de"])
    english = " ".join(element.text for element in structure if element.language == "en")
    assert "Senegal is one of the most stable democracies" in english  # an answer only written in English
    assert "Desk Officer for the Gulf of Guinea" in english  # a role only written in English
    assert "Plan for an Emerging Senegal" in english  # a source
    assert "Die Inseln liegen an den Schifffahrtswegen" in _text(books["de"])  # the German answer, printed
    assert "Die Inseln liegen" not in english and "Verbindungsbüro" not in english
    assert {element.language for element in structure if element.language} == {"en"}


@pytest.mark.parametrize(
    "language, printed",
    [
        (
            "en",
            [
                "Aoife O’Brien",  # an author's name
                "CÔTE D’IVOIRE",  # a running head
                "Côte d’Ivoire",  # a country's name
                "Ministry of the Economy: “Plan for an Emerging Senegal”, 2014.",  # a source
                "Foundation office “Atlantic Coast”, Dakar",  # an office line
                "Liaison office ‘Gulf of Guinea’",
                "Editors’ Atlas 2024",  # the edition's title, in the running foot
                "the hinges of the coast",
            ],
        ),
        (
            "de",
            [
                "Aoife O’Brien",
                "CÔTE D’IVOIRE",
                "Ministry of the Economy: “Plan for an Emerging Senegal”, 2014.",  # English, in English quotes
                "Küstenwache von São Tomé: „Jahresbericht“, 2023.",
                "Foundation office “Atlantic Coast”, Dakar",
                "Verbindungsbüro ‚Golf von Guinea‘",  # German, in German quotes
                "„Partnerschaft auf Augenhöhe“",
            ],
        ),
    ],
)
def test_names_titles_and_sources_have_the_quotes_and_apostrophes_of_their_language(books, language, printed):
    text = _text(books[language])
    for written in printed:
        assert written in text
    assert "'" not in text and '"' not in text  # no straight quote or apostrophe is left anywhere


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_pages_have_no_short_fragments_nor_three_hyphenated_lines_in_a_row(books, language):
    assert any(words[-1].endswith("\u2010") for _, words in pdf_lines(books[language]))
    assert hyphenation_faults(books[language]) == []


def test_a_sources_address_is_shown_short_and_links_to_the_whole_from_a_link_element(books):
    address = (
        "https://www.example.org/forests/strategies/national/2019/"
        "preservation-rehabilitation-and-extension-of-forests.pdf"
    )
    shown = "example.org/forests/…/preservation-rehabilitation-and-extension-of-forests.pdf"
    assert shown in "".join(_text(books["en"]).split())  # its lines joined
    with pikepdf.open(books["en"]) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        tagged = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert address in {str(a.A.URI) for a in links if "/A" in a}
        # PDF/UA: every link annotation in a Link element, with a description
        assert all(tagged[int(a.StructParent)].S == "/Link" and "/Contents" in a for a in links)
