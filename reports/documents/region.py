"""The region dossier, and the region chapters the atlas reuses.

A region is an overview chapter (introduction, country cards, comparison
charts) followed by one chapter per country, built with the country
dossier's own country_chapter().
"""

from __future__ import annotations

from dataclasses import replace

from ..charts import Chart, heatmap, population_chart
from ..i18n import Language
from ..model import Atlas, Region
from ..problems import InputError, Problem
from ..questions import LABELS, RATED_QUESTIONS
from .book import Book, Chapter, contents
from .country import AssessmentView, assessment_view, country_chapter


def find_region(atlas: Atlas, reference: str) -> Region:
    if reference not in atlas.regions:
        known = ", ".join(sorted(atlas.regions))
        raise InputError([Problem("", 0, 0, "", f"unknown region '{reference}'; expected one of: {known}")])
    return atlas.regions[reference]


def region_cards(atlas: Atlas, region: Region, language: Language) -> list[AssessmentView]:
    """Every assessment of the region's countries, as the overview's cards."""
    return [
        assessment_view(atlas, country, assessment, language, with_chart=False)
        for country in language.by_name(atlas.countries_in(region.slug))
        for assessment in country.assessments
    ]


def ratings_heatmap(atlas: Atlas, cards: list[AssessmentView], language: Language) -> Chart | None:
    """Countries x rated questions, grouped by interest; suspended assessments have no ratings."""
    order = list(atlas.interests)
    rated = sorted(
        (v for v in cards if v.assessment.ratings),
        key=lambda v: (order.index(v.interest.id), language.sort_key(v.country.name.get(language.code))),
    )
    if not rated:
        return None
    _ = language.gettext
    rows = [f"{language.plain(v.country.name)} · {language.plain(v.interest.short)}" for v in rated]
    values = [[v.assessment.rating(q) for q in RATED_QUESTIONS] for v in rated]
    scale = atlas.edition.rating_scale
    alt = _("Ratings by country and interest: {rows}.").format(
        rows="; ".join(f"{row} {', '.join(map(str, value))}" for row, value in zip(rows, values))
    )
    return heatmap(rows, [_(LABELS[q]) for q in RATED_QUESTIONS], values, scale.min, scale.max, alt)


def region_population_chart(atlas: Atlas, region: Region, language: Language) -> Chart:
    # Largest first; countries of equal population in alphabetical order.
    countries = sorted(language.by_name(atlas.countries_in(region.slug)), key=lambda c: -c.population.value)
    names = [language.plain(c.name) for c in countries]
    figures = [language.population(c.population) for c in countries]
    alt = language.gettext("Population by country: {figures}.").format(
        figures="; ".join(f"{n} {f}" for n, f in zip(names, figures))
    )
    return population_chart(
        names, [c.population.value for c in countries], [c.population.approximate for c in countries], figures, alt
    )


def region_chapters(atlas: Atlas, region: Region, language: Language) -> list[Chapter]:
    """The overview of a region (outline level 1), then its countries (level 2), one chapter each."""
    cards = region_cards(atlas, region, language)
    charts = {
        "heatmap": ratings_heatmap(atlas, cards, language),
        "population": region_population_chart(atlas, region, language),
    }
    overview = Chapter(
        "region",
        f"region-{region.slug}",
        region.name.get(language.code),
        {"edition": atlas.edition, "region": region, "cards": cards, "charts": charts},
        [c for c in charts.values() if c],
    )
    chapters = [overview]
    for country in language.by_name(atlas.countries_in(region.slug)):
        # The region's cards stand once, in the overview, not again in every country's chapter.
        dossier = replace(country_chapter(atlas, country, language), neighbours=[])
        chapters.append(
            Chapter(
                "country",
                dossier.anchor,
                country.name.get(language.code),
                {"edition": atlas.edition, "dossier": dossier},
                [v.chart for v in dossier.assessments if v.chart],
                level=2,
            )
        )
    return chapters


def _views(atlas: Atlas, countries: list, language: Language) -> list[AssessmentView]:
    return [
        assessment_view(atlas, country, a, language, with_chart=False)
        for country in countries
        for a in country.assessments
    ]


def sources_chapter(atlas: Atlas, countries: list, language: Language) -> Chapter:
    """Every assessment's sources, with the page of the assessment."""
    views = [v for v in _views(atlas, countries, language) if v.assessment.sources]
    return Chapter("sources", "sources", language.gettext("Sources"), {"views": views})


def authors_chapter(atlas: Atlas, countries: list, language: Language) -> Chapter:
    """The authors by surname, each with the assessments they wrote."""
    written: dict[str, list[AssessmentView]] = {}
    for view in _views(atlas, countries, language):
        if view.author:
            written.setdefault(view.author.id, []).append(view)
    authors = sorted(written, key=lambda key: language.sort_key(_surname_first(atlas.authors[key].name)))
    return Chapter(
        "authors",
        "authors",
        language.gettext("Authors"),
        {"authors": [(atlas.authors[key], written[key]) for key in authors]},
    )


def region_dossier(atlas: Atlas, reference: str, language_code: str) -> Book:
    region = find_region(atlas, reference)
    language = Language(language_code)
    _ = language.gettext
    countries = language.by_name(atlas.countries_in(region.slug))
    body = [
        *region_chapters(atlas, region, language),
        sources_chapter(atlas, countries, language),
        authors_chapter(atlas, countries, language),
    ]
    name = region.name.get(language_code)
    front = Chapter(
        "front",
        "front",
        name,
        {"edition": atlas.edition, "kind": _("Region dossier"), "heading": name, "contents": contents(body)},
        listed=False,
    )
    dates = [a.date for c in countries for a in c.assessments]
    return Book(
        language_code,
        f"{name}: {_('Region dossier')} · {atlas.edition.title.get(language_code)} {atlas.edition.edition}",
        f"{_('Region dossier')}: {name}",
        author_names(atlas, countries, language) or atlas.edition.publisher,
        f"{name}, {_('Partner Atlas')} {atlas.edition.edition}",
        max(dates).isoformat(),
        [front, *body],
    )


def author_names(atlas: Atlas, countries: list, language: Language) -> str:
    names = {atlas.authors[a.author].name for c in countries for a in c.assessments if a.author}
    return ", ".join(sorted(names, key=language.sort_key))


def _surname_first(name: str) -> str:
    """'Rabea Brauer' -> 'Brauer Rabea': authors are listed by surname, then first names."""
    *first, surname = name.split()
    return " ".join([surname, *first])
