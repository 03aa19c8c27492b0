"""The country dossier: facts, every assessment of one country, its office and region."""

from __future__ import annotations

from dataclasses import dataclass

from ..charts import Chart, rating_chart
from ..i18n import Language
from ..model import Assessment, Atlas, Author, Country, Interest, Text
from ..problems import InputError, Problem
from ..questions import LABELS, RATED_QUESTIONS
from . import Document


@dataclass(frozen=True)
class AssessmentView:
    """An assessment as a document shows it, in one language."""

    country: Country
    assessment: Assessment
    interest: Interest
    author: Author | None
    chart: Chart | None
    answers: dict[str, Text]  # key question -> Markdown, in answers_language
    answers_language: str  # the language the answers are written in
    anchor: str


@dataclass(frozen=True)
class CountryChapter:
    """Everything a country's pages show; reused by region and atlas documents."""

    country: Country
    region_name: Text
    assessments: list[AssessmentView]
    neighbours: list[AssessmentView]  # the region's other countries, as cards
    anchor: str


def find_country(atlas: Atlas, reference: str) -> Country:
    country = atlas.find_country(reference)
    if country is None:
        known = ", ".join(f"{c.slug} ({c.code})" for c in atlas.countries.values())
        raise InputError([Problem("", 0, 0, "", f"unknown country '{reference}'; expected one of: {known}")])
    return country


def rating_alt(
    view_country: Country, interest: Interest, assessment: Assessment, atlas: Atlas, language: Language
) -> str:
    _ = language.gettext
    scale = atlas.edition.rating_scale
    parts = [
        _("{question} {value} of {max}").format(question=_(LABELS[q]), value=assessment.rating(q), max=scale.max)
        for q in RATED_QUESTIONS
    ]
    return _("Ratings for {country}, {interest}: {ratings}.").format(
        country=language.plain(view_country.name),
        interest=language.plain(interest.short),
        ratings=", ".join(parts),
    )


def assessment_view(
    atlas: Atlas, country: Country, assessment: Assessment, language: Language, with_chart: bool = True
) -> AssessmentView:
    """with_chart=False for cards and lists, which never show the chart (drawing it is slow)."""
    interest = atlas.interests[assessment.interest]
    chart = None
    if assessment.ratings is not None and with_chart:
        scale = atlas.edition.rating_scale
        chart = rating_chart(
            [language.gettext(LABELS[q]) for q in RATED_QUESTIONS],
            [assessment.rating(q) for q in RATED_QUESTIONS],
            scale.min,
            scale.max,
            rating_alt(country, interest, assessment, atlas, language),
        )
    answers_language = language.code if language.code in assessment.answers else "en"
    answers = {
        question: Text(text, answers_language)
        for question, text in assessment.answers.get(answers_language, {}).items()
    }
    return AssessmentView(
        country,
        assessment,
        interest,
        atlas.authors.get(assessment.author or ""),
        chart,
        answers,
        answers_language,
        f"{country.slug}-{assessment.interest}",
    )


def country_chapter(atlas: Atlas, country: Country, language: Language) -> CountryChapter:
    views = [assessment_view(atlas, country, a, language) for a in country.assessments]
    neighbours = [
        assessment_view(atlas, other, a, language, with_chart=False)
        for other in language.by_name(atlas.countries_in(country.region))
        if other.slug != country.slug
        for a in other.assessments
    ]
    region = atlas.regions[country.region]
    return CountryChapter(country, region.name.get(language.code), views, neighbours, country.slug)


def country_dossier(atlas: Atlas, reference: str, language_code: str) -> Document:
    country = find_country(atlas, reference)
    language = Language(language_code)
    chapter = country_chapter(atlas, country, language)
    charts = [view.chart for view in chapter.assessments if view.chart]
    return Document(
        "country.html",
        language_code,
        {
            "atlas": atlas,
            "edition": atlas.edition,
            "chapter": chapter,
            "authors": chapter_authors(chapter),
        },
        charts,
    )


def chapter_authors(chapter: CountryChapter) -> list[Author]:
    """The authors of a country's assessments, each once, in the order of the assessments."""
    seen: dict[str, Author] = {}
    for view in chapter.assessments:
        if view.author:
            seen.setdefault(view.author.id, view.author)
    return list(seen.values())
