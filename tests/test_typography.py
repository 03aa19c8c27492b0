"""Typography per language: where words break, on the dictionaries and on the printed pages."""

from __future__ import annotations

import re

import pikepdf
import pytest

from reports import hyphenation
from reports.pages import Page
from reports.profiles import PROFILES
from reports.typeset import typeset
from tests.conftest import AFTER, BEFORE, HYPHEN, WORD, hyphenation_faults, pdf_lines, pdf_structure

# word: where it may break, as the reader of the language expects; "" where it must not break
KNOWN_WORDS = {
    "de": {
        "Deutschland": "Deutsch-land",
        "Bundesrepublik": "Bun-des-re-pu-blik",
        "Wirtschaft": "Wirt-schaft",
        "Landwirtschaft": "Land-wirt-schaft",
        "Hauptstadt": "Haupt-stadt",
        "Partnerschaft": "Part-ner-schaft",
        "Außenpolitik": "Außen-po-li-tik",
        "Handelsbeziehungen": "Han-dels-be-zie-hun-gen",
        "Einschätzung": "Ein-schät-zung",
        "Schifffahrt": "Schiff-fahrt",
        "genau": "",  # five letters: too short to break at all
        "Kasachstan": "Kasach-stan",
    },
    "en": {
        "figures": "fig-ures",
        "government": "gov-ern-ment",
        "cooperation": "cooper-a-tion",
        "assessment": "assess-ment",
        "parliament": "par-lia-ment",
        "partnership": "part-ner-ship",
        "development": "devel-op-ment",
        "independence": "inde-pend-ence",
        "mission": "mis-sion",
        "since": "",  # five letters
        "together": "",
    },
}


@pytest.mark.parametrize(
    "language, word, expected",
    [(language, word, broken) for language, words in KNOWN_WORDS.items() for word, broken in words.items()],
)
def test_known_words_break_where_their_language_breaks_them(language, word, expected):
    dictionary = hyphenation.dictionary(language, BEFORE, AFTER)
    broken = dictionary.inserted(word) if len(word) >= WORD else ""
    assert broken == expected or (expected == "" and broken in ("", word))


def test_no_german_break_leaves_a_part_without_a_vowel():
    dictionary = hyphenation.dictionary("de", 1, 1)
    for word in ("Deutschland", "Zusammenarbeit", "Entwicklungszusammenarbeit", "Botschafterin"):
        parts = dictionary.inserted(word).split("-")
        assert all(re.search("[aeiouyäöü]", part, re.IGNORECASE) for part in parts), parts


def test_the_sample_pages_have_no_short_fragments_nor_three_hyphenated_lines_in_a_row(region_book, japan_de):
    for path in (region_book.path, japan_de):
        assert any(words[-1].endswith(HYPHEN) for _, words in pdf_lines(path))  # the pages are hyphenated
        assert hyphenation_faults(path) == []


def test_a_pdf_breaks_german_and_english_words_each_by_its_own_rules(tmp_path):
    """Narrow columns force the breaks: German with German rules, English inside it with English ones."""
    columns = "".join(
        f'<p style="width: {width}mm; text-align: left">{"Deutschland " * 4}</p>'
        f'<p lang="en" style="width: {width}mm; text-align: left">{"figures " * 4}</p>'
        for width in (13, 16, 19)
    )
    head = '<title>Trennung</title><meta name="dcterms.created" content="2023-01-01">'
    html = f'<!DOCTYPE html><html lang="de"><head>{head}</head><body>{columns}</body></html>'
    pdf = tmp_path / "words.pdf"
    pdf.write_bytes(typeset(Page(html, tmp_path), PROFILES["screen"]))
    ends = {words[-1] for _, words in pdf_lines(pdf)}
    assert f"Deutsch{HYPHEN}" in ends and f"fig{HYPHEN}" in ends
    assert not ends & {f"Deut{HYPHEN}", f"Deutschl{HYPHEN}", f"figu{HYPHEN}"}  # pyphen alone breaks "Deut-schland"


def test_english_texts_in_a_german_book_are_tagged_english(japan_de):
    """Fallback answers, sources, office lines and roles written only in English carry their language
    in the PDF's structure tree, so a screen reader speaks them (and the pages hyphenate them) as English."""
    with pikepdf.open(japan_de) as pdf:
        assert str(pdf.Root.Lang) == "de"
    tagged = [(element.language, element.text) for element in pdf_structure(japan_de) if element.language]
    english = " ".join(text for language, text in tagged if language == "en")
    for written_in_english in (
        "Japan is one of Germany’s most important economic partners",  # an answer
        "Federal Foreign Office: Policy guidelines for the Indo-Pacific region",  # a source
        "Foreign Office Japan / Social and Economic Governance Programme Asia",  # the office
        "Head of the Japan country programme",  # the author's role
    ):
        assert written_in_english in english
    # German, the book's, is not marked again; Japan's own name is Japanese
    assert {language for language, _ in tagged} == {"en", "ja"}
    assert [text for language, text in tagged if language == "ja"] == ["日本"]
    assert not {"Politikempfehlung", "Quellen", "Relevanz"} & set(english.split())
