"""Lists of countries in the reader's alphabet, not in code-point order.

Code-point order puts 'Senegal' before 'São Tomé' and, in German, 'Äthiopien' after 'Vietnam'.
A small copy of the data with a region of three such countries is built in both languages
and the order read back from the PDF's pages: contents, cards, heatmap, chapters, index,
population chart and the ranking of an interest.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reports import AtlasEdition, BuildOptions, RegionDossier, build
from reports.collation import sort_key
from tests.conftest import DATA, data_of_countries, pdf_pages_text

AFRICA = {
    # slug: (code, English name, German name, population as written)
    "ethiopia": ("ET", "Ethiopia", "Äthiopien", "114,963,583"),
    "sao-tome-and-principe": ("ST", "São Tomé and Príncipe", "São Tomé und Príncipe", "rund 220.000"),
    "senegal": ("SN", "Senegal", "Senegal", "16,743,930"),
}
ANSWERS = "".join(
    f"## {question}\n\nA short answer written for the collation test.\n\n"
    for question in ("Relevance", "Willingness", "Status quo", "Potential", "Policy recommendation")
)
KEEP = {"japan", "vietnam"}  # the Asian countries kept: the index must put Äthiopien before Vietnam


def _country_file(code: str, english: str, german: str, population: str) -> str:
    # Equal ratings for every country: the ranking of the interest is decided by the names alone.
    return f"""\
code: {code}
name: {{en: "{english}", de: "{german}"}}
capital: {{en: "Capital", de: "Hauptstadt"}}
region: africa
population:
  value: "{population}"
  as_of: 2020-07-01
  source: "Test figure"
assessments:
  - interest: migration
    author: miriam-ostendorf
    date: 2023-05-01
    ratings: {{relevance: 3, willingness: 3, status_quo: 3, potential: 3}}
    summary: "A card written for the collation test."
"""


@pytest.fixture(scope="module")
def africa_data(tmp_path_factory) -> Path:
    """The sample data with Latin America and most of Asia left out and a region 'africa' added."""
    data = tmp_path_factory.mktemp("collation") / "data"
    data_of_countries(DATA, data, KEEP)
    for path in (data / "regions").glob("latin-america*"):
        path.unlink()
    (data / "regions" / "africa.yaml").write_text('name: {en: "Africa", de: "Afrika"}\n', encoding="utf-8")
    (data / "regions" / "africa.md").write_text("Three countries, chosen for their names.\n", encoding="utf-8")
    for slug, facts in AFRICA.items():
        (data / "countries" / f"{slug}.yaml").write_text(_country_file(*facts), encoding="utf-8")
        (data / "countries" / slug).mkdir()
        (data / "countries" / slug / "migration.md").write_text(ANSWERS, encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def built(africa_data, tmp_path_factory):
    """The text of each page of a book built from the data: each book once for the module, in one
    WeasyPrint run (that chapters give the same pages is test_books.py's and test_parallel_books.py's)."""
    folder, books = tmp_path_factory.mktemp("collation-books"), {}

    def pages(kind, language: str) -> list[str]:
        name = f"{type(kind).__name__}-{language}"
        if name not in books:
            output = folder / f"{name}.pdf"
            build(kind, BuildOptions(data=africa_data, cache=None, language=language, one_piece=True), output=output)
            books[name] = pdf_pages_text(output)
        return books[name]

    return pages


def _order(text: str, names: list[str]) -> list[str]:
    """The names in the order they first appear in the text (each must appear)."""
    for name in names:
        assert name in text, f"{name!r} not found"
    return sorted(names, key=text.index)


def _page(pages: list[str], heading: str) -> str:
    return next(page for page in pages if heading in page)


def test_the_collator_knows_the_alphabets():
    english = ["Vietnam", "Senegal", "São Tomé and Príncipe", "Ethiopia"]
    german = ["Vietnam", "Senegal", "São Tomé und Príncipe", "Äthiopien"]
    assert sorted(english, key=lambda name: sort_key("en", name)) == [
        "Ethiopia",
        "São Tomé and Príncipe",
        "Senegal",
        "Vietnam",
    ]
    assert sorted(german, key=lambda name: sort_key("de", name)) == [
        "Äthiopien",
        "São Tomé und Príncipe",
        "Senegal",
        "Vietnam",
    ]
    assert sorted(german) == ["Senegal", "São Tomé und Príncipe", "Vietnam", "Äthiopien"]  # what code points do


# The region overview's headings (the template sets them in capitals), per language.
HEADINGS = {
    "en": ("CONTENTS", "COUNTRIES AND INTERESTS", "RATINGS COMPARED", "POPULATION"),
    "de": ("INHALT", "LÄNDER UND INTERESSEN", "BEWERTUNGEN IM VERGLEICH", "BEVÖLKERUNG"),
}


@pytest.mark.parametrize(
    "language, names",
    [
        ("en", ["Ethiopia", "São Tomé and Príncipe", "Senegal"]),
        ("de", ["Äthiopien", "São Tomé und Príncipe", "Senegal"]),
    ],
)
def test_region_dossier_lists_countries_in_the_readers_alphabet(built, language, names):
    pages = built(RegionDossier("africa"), language)
    contents, cards, ratings, population = HEADINGS[language]
    assert _order(_page(pages, contents), names) == names  # the country chapters, in the contents
    overview = _page(pages, cards)
    assert _order(overview[overview.index(cards) : overview.index(ratings)], names) == names
    assert _order(overview[overview.index(ratings) : overview.index(population)], names) == names  # heatmap
    # The population chart: largest first.
    by_size = [names[0], names[2], names[1]]
    assert _order(overview[overview.index(population) :], by_size) == by_size


@pytest.mark.parametrize(
    "language, index, chapters",
    [
        (
            "en",
            ["Ethiopia", "Japan", "São Tomé and Príncipe", "Senegal", "Vietnam"],
            ("INDEX OF COUNTRIES", "PARTNERS BY INTEREST", "Regulating global migration"),
        ),
        (
            "de",
            ["Äthiopien", "Japan", "São Tomé und Príncipe", "Senegal", "Vietnam"],
            ("LÄNDERVERZEICHNIS", "PARTNER NACH INTERESSEN", "Globale Migration steuern"),
        ),
    ],
)
def test_atlas_index_and_ranking_follow_the_readers_alphabet(built, language, index, chapters):
    pages = built(AtlasEdition(), language)
    index_heading, interests_heading, migration = chapters
    assert _order(_page(pages, index_heading), index) == index  # (the running header names the chapter)
    # Three countries rated alike for migration: the tie is broken by the alphabet, in chart and table.
    tied = [name for name in index if name not in ("Japan", "Vietnam")]
    interests = "".join(pages)
    interests = interests[interests.index(interests_heading) :]
    assert _order(interests[interests.index(migration) :], tied) == tied


@pytest.mark.parametrize(
    "language, figures",
    [
        ("en", ["Population: 114,963,583", "Population: approx. 220,000", "Population: 16,743,930"]),
        ("de", ["Bevölkerung: 114.963.583", "Bevölkerung: ca. 220.000", "Bevölkerung: 16.743.930"]),
    ],
)
def test_every_figure_is_grouped_in_the_books_language(built, language, figures):
    text = "".join(built(RegionDossier("africa"), language))
    for figure in figures:  # on the cards
        assert figure in text
    # In the population chart and the country chapters too: no run of five digits or more is left ungrouped.
    assert re.findall(r"\d{5,}", text) == []
    assert text.count(figures[1].split(": ")[1]) >= 3  # card, chart and São Tomé's own chapter
