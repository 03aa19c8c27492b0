"""The site's addresses: one scheme for all languages, so a page's twin in another language is the
same address under another language folder.

    /en/                                        the edition's home page
    /en/interests/rules-based-order/            partners for one interest, ranked
    /en/regions/asia-pacific/                   a region
    /en/countries/japan/                        a country
    /en/countries/japan/rules-based-order/      one assessment: the five key questions
    /en/methodology/  /en/authors/  /en/sources/  /en/search/
    /en/pdf/countries/japan.pdf, /en/pdf/regions/asia-pacific.pdf, /en/pdf/atlas-2023.pdf
    /data/partner-atlas-2023.json, ...-facts.csv, ...-ratings.csv (one set per edition)
    /static/                                    stylesheets, fonts, the search script

A page address ends in '/' and is written as its folder's index.html. Links between pages are
relative, so the folder works under any path of any static server.
"""

from __future__ import annotations

STATIC = "static/"


def home(language: str) -> str:
    return f"{language}/"


def interest(language: str, interest_id: str) -> str:
    return f"{language}/interests/{interest_id}/"


def region(language: str, slug: str) -> str:
    return f"{language}/regions/{slug}/"


def country(language: str, slug: str) -> str:
    return f"{language}/countries/{slug}/"


def assessment(language: str, country_slug: str, interest_id: str) -> str:
    return f"{language}/countries/{country_slug}/{interest_id}/"


def page(language: str, name: str) -> str:
    """methodology, authors, sources, search."""
    return f"{language}/{name}/"


def country_pdf(language: str, slug: str) -> str:
    return f"{language}/pdf/countries/{slug}.pdf"


def region_pdf(language: str, slug: str) -> str:
    return f"{language}/pdf/regions/{slug}.pdf"


def atlas_pdf(language: str, year: int) -> str:
    return f"{language}/pdf/atlas-{year}.pdf"


def data_file(year: int, suffix: str) -> str:
    """'json', 'facts.csv' or 'ratings.csv'."""
    return f"data/partner-atlas-{year}{'.' if suffix == 'json' else '-'}{suffix}"


def in_language(address: str, language: str) -> str:
    """The same page in another language: 'en/countries/japan/' -> 'de/countries/japan/'."""
    return language + "/" + address.split("/", 1)[1]


def file_of(address: str) -> str:
    """The file a page is written to: 'en/countries/japan/' -> 'en/countries/japan/index.html'."""
    return address + "index.html" if address == "" or address.endswith("/") else address


def relative(source: str, target: str) -> str:
    """The link from the page at `source` to `target`, both addresses from the site's root ('' is the
    root page). Addresses are normalised (no '.', '..' or '//'), so the link is found by their parts."""
    folder = file_of(source).split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < min(len(folder), len(parts) - 1) and folder[common] == parts[common]:
        common += 1
    return "../" * (len(folder) - common) + "/".join(parts[common:]) or "./"
