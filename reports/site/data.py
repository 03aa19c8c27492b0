"""What the site offers besides its pages: the edition's facts and ratings as data, and the index
its search reads.

The data files hold the figures as the model has them (a population as a whole number, with whether
it is approximate, its date and source; ratings as numbers), names in every language, one set per
edition. The search index lists every page with its title and the text of its <main>, so the search
script finds a page by any word it shows, without a server.
"""

from __future__ import annotations

import csv
import io
import json

import lxml.html

from ..model import Atlas, Localized
from ..questions import RATED_QUESTIONS


def edition_json(atlas: Atlas, languages: tuple[str, ...]) -> bytes:
    edition = atlas.edition
    scale = edition.rating_scale
    document = {
        "edition": edition.edition,
        "title": _names(edition.title, languages),
        "date": edition.date.isoformat(),
        "publisher": edition.publisher,
        "licence": edition.licence,
        "rating_scale": {
            "min": scale.min,
            "max": scale.max,
            "illustrative": scale.illustrative,
            "labels": {str(step): _names(label, languages) for step, label in scale.labels.items()},
            "rated_questions": list(RATED_QUESTIONS),
        },
        "interests": [
            {"id": i.id, "name": _names(i.name, languages), "short": _names(i.short, languages)}
            for i in atlas.interests.values()
        ],
        "regions": [{"slug": r.slug, "name": _names(r.name, languages)} for r in atlas.regions.values()],
        "countries": [
            {
                "slug": country.slug,
                "code": country.code,
                "name": _names(country.name, languages),
                "capital": _names(country.capital, languages),
                "region": country.region,
                "population": {
                    "value": country.population.value,
                    "approximate": country.population.approximate,
                    "as_of": country.population.as_of.isoformat(),
                    "source": _names(country.population.source, languages),
                },
                "assessments": [
                    {
                        "interest": a.interest,
                        "status": a.status,
                        "date": a.date.isoformat(),
                        "author": atlas.authors[a.author].name if a.author else None,
                        "ratings": {q: a.rating(q) for q in RATED_QUESTIONS} if a.ratings else None,
                        "reason": _names(a.reason, languages) if a.reason else None,
                    }
                    for a in country.assessments
                ],
            }
            for country in atlas.countries.values()
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


def facts_csv(atlas: Atlas, languages: tuple[str, ...]) -> bytes:
    rows = [
        [
            "country",
            "code",
            *(f"name_{code}" for code in languages),
            *(f"capital_{code}" for code in languages),
            "region",
            "population",
            "population_approximate",
            "population_as_of",
            *(f"population_source_{code}" for code in languages),
        ]
    ]
    for country in atlas.countries.values():
        rows.append(
            [
                country.slug,
                country.code,
                *(country.name.get(code) for code in languages),
                *(country.capital.get(code) for code in languages),
                country.region,
                str(country.population.value),
                "yes" if country.population.approximate else "no",
                country.population.as_of.isoformat(),
                *(country.population.source.get(code) for code in languages),
            ]
        )
    return _csv(rows)


def ratings_csv(atlas: Atlas) -> bytes:
    rows = [["country", "code", "interest", "status", "date", "author", *RATED_QUESTIONS]]
    for country in atlas.countries.values():
        for a in country.assessments:
            ratings = [str(a.rating(q)) if a.ratings else "" for q in RATED_QUESTIONS]
            author = atlas.authors[a.author].name if a.author else ""
            rows.append([country.slug, country.code, a.interest, a.status, a.date.isoformat(), author, *ratings])
    return _csv(rows)


def _names(text: Localized, languages: tuple[str, ...]) -> dict[str, str]:
    """A text in each language it is written in (no English fallback in its place)."""
    return {code: str(text.get(code)) for code in languages if text.has(code)}


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


def search_entry(title: str, link: str, kind: str, html: str) -> dict[str, str]:
    """One page in the search index: its title, its link from the search page, what it is, and the
    words a reader sees in its <main>, less charts and what a template marks data-search="skip" (what
    stands on another page of its own)."""
    main = lxml.html.document_fromstring(html).find(".//main")
    words: list[str] = []
    if main is not None:
        for skipped in main.xpath(".//svg | .//script | .//style | .//*[@data-search='skip']"):
            skipped.drop_tree()  # its tail, the text after it, stays
        for chunk in main.itertext():
            words += chunk.split()
    return {"title": title, "url": link, "kind": kind, "text": " ".join(words)}


def search_index(entries: list[dict[str, str]]) -> bytes:
    """A script that gives the search page its index (a script, not a JSON file: a browser loads it
    from a folder opened from disk too)."""
    return ("window.SEARCH_INDEX = " + json.dumps(entries, ensure_ascii=False) + ";\n").encode()
