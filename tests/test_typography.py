"""Typography per language: where words break, on the dictionaries and on the printed pages."""

from __future__ import annotations

import re
import subprocess
from html import unescape
from pathlib import Path

import pikepdf
import pytest

from reports import hyphenation
from reports.pages import STYLES, Page
from reports.profiles import PROFILES
from reports.typeset import typeset
from tests.conftest import tagged_languages

HYPHEN = "\u2010"  # the hyphen WeasyPrint sets at a break it made
_LIMITS = re.search(r"hyphenate-limit-chars:\s*(\d+)\s+(\d+)\s+(\d+)", (STYLES / "atlas.css").read_text())
assert _LIMITS, "styles/atlas.css sets hyphenate-limit-chars"
WORD, BEFORE, AFTER = (int(value) for value in _LIMITS.groups())  # the limits the pages are set with

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


def _lines(path: Path, first: int = 1, last: int = 0) -> list[tuple[int, list[str]]]:
    """(page, words) of every printed line, in poppler's reading order."""
    command = ["pdftotext", "-bbox-layout", "-f", str(first), *(["-l", str(last)] if last else []), str(path), "-"]
    xml = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    lines = []
    for number, page in enumerate(xml.split("<page ")[1:], start=first):
        for line in page.split("<line ")[1:]:
            words = [unescape(word) for word in re.findall(r"<word [^>]*>([^<]*)</word>", line)]
            if words:
                lines.append((number, words))
    return lines


def hyphenation_faults(path: Path) -> list[str]:
    """Every break shorter than the stylesheet's limits, and every third hyphenated line in a row."""
    faults = []
    lines = _lines(path)
    run = 0
    for index, (page, words) in enumerate(lines):
        end = words[-1]
        if end.endswith(HYPHEN):
            before = re.sub(r"\W", "", end[:-1].split("-")[-1])
            after = re.sub(r"\W", "", lines[index + 1][1][0]) if index + 1 < len(lines) else ""
            if len(before) < BEFORE or len(after) < AFTER:
                faults.append(f"page {page}: {end}{after}: a fragment shorter than {BEFORE} and {AFTER} letters")
        run = run + 1 if end.endswith((HYPHEN, "-")) else 0
        if run == 3:
            faults.append(f"page {page}: three hyphenated lines in a row, ending {words[-1]}")
    return faults


def test_the_sample_pages_have_no_short_fragments_nor_three_hyphenated_lines_in_a_row(region_book, japan_de):
    for path in (region_book.path, japan_de):
        assert any(words[-1].endswith(HYPHEN) for _, words in _lines(path))  # the pages are hyphenated
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
    ends = {words[-1] for _, words in _lines(pdf)}
    assert f"Deutsch{HYPHEN}" in ends and f"fig{HYPHEN}" in ends
    assert not ends & {f"Deut{HYPHEN}", f"Deutschl{HYPHEN}", f"figu{HYPHEN}"}  # pyphen alone breaks "Deut-schland"


def test_english_texts_in_a_german_book_are_tagged_english(japan_de):
    """Fallback answers, sources, office lines and roles written only in English carry their language
    in the PDF's structure tree, so a screen reader speaks them (and the pages hyphenate them) as English."""
    with pikepdf.open(japan_de) as pdf:
        assert str(pdf.Root.Lang) == "de"
    tagged = tagged_languages(japan_de)
    english = " ".join(text for language, text in tagged if language == "en")
    for written_in_english in (
        "Japan is one of Germany’s most important economic partners",  # an answer
        "Federal Foreign Office: Policy guidelines for the Indo-Pacific region",  # a source
        "Foreign Office Japan / Social and Economic Governance Programme Asia",  # the office
        "Head of the Japan country programme",  # the author's role
    ):
        assert written_in_english in english
    assert {language for language, _ in tagged} == {"en"}  # German, the book's, is not marked again
    assert not {"Politikempfehlung", "Quellen", "Relevanz"} & set(english.split())
