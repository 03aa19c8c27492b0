"""The briefing pack: a delegation's selection of country dossiers behind a cover and an overview."""

from __future__ import annotations

from dataclasses import replace

from ..charts import ratings_side_by_side
from ..i18n import Language
from ..model import RATED_QUESTIONS, Atlas
from ..specs import Pack
from . import Document
from .country import QUESTION_LABELS, AssessmentView, CountryChapter, country_chapter


def briefing_pack(atlas: Atlas, pack: Pack, language_code: str) -> Document:
    language = Language(language_code)
    chapters = [_selected(country_chapter(atlas, country, language), interests)
                for country, interests in pack.selection]
    views = [view for chapter in chapters for view in chapter.assessments]
    overview = _overview_chart(atlas, views, language)
    charts = [view.chart for view in views if view.chart] + ([overview] if overview else [])
    return Document("pack.html", language_code, {
        "atlas": atlas,
        "edition": atlas.edition,
        "pack": pack.spec,
        "notes": pack.notes,
        "chapters": chapters,
        "views": views,
        "overview": overview,
        "questions": QUESTION_LABELS,
        "rated": RATED_QUESTIONS,
    }, charts, ["atlas.css", "pack.css"])


def _selected(chapter: CountryChapter, interests: list[str]) -> CountryChapter:
    # A pack shows only the chosen assessments, and no region cards: they would bring back
    # countries and interests the delegation did not ask for.
    return replace(chapter, neighbours=[],
                   assessments=[v for v in chapter.assessments if v.assessment.interest in interests])


def _overview_chart(atlas: Atlas, views: list[AssessmentView], language: Language):
    rated = [view for view in views if view.assessment.ratings is not None]
    if not rated:
        return None
    _ = language.gettext
    scale = atlas.edition.rating_scale
    titles = [f"{v.country.name.get(language.code)}\n{v.interest.short.get(language.code)}" for v in rated]
    alt = _("Ratings side by side: {ratings}").format(ratings=" ".join(view.chart.alt for view in rated))
    return ratings_side_by_side(titles, [_(QUESTION_LABELS[q]) for q in RATED_QUESTIONS],
                                [[v.assessment.ratings.of(q) for q in RATED_QUESTIONS] for v in rated],
                                scale.min, scale.max, alt)
