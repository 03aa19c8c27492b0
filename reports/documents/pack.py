"""The briefing pack: a delegation's selection of country dossiers behind a cover and an overview.

A pack is a book of chapters (cover and contents, at a glance, briefing notes,
one chapter per country, contacts) like the region dossier and the atlas, so
it is typeset the same way. Unlike theirs, a pack's chapters follow each other
on the next page: a blank page would be a page without the handling marking.
"""

from __future__ import annotations

from dataclasses import replace

from ..charts import ratings_side_by_side
from ..i18n import Language
from ..model import Atlas
from ..questions import LABELS, RATED_QUESTIONS
from ..specs import Pack
from .book import Book, Chapter
from .country import AssessmentView, CountryChapter, country_chapter


def briefing_pack(atlas: Atlas, pack: Pack, language_code: str) -> Book:
    language = Language(language_code)
    _ = language.gettext
    spec, edition = pack.spec, atlas.edition
    dossiers = [
        _selected(country_chapter(atlas, country, language), interests) for country, interests in pack.selection
    ]
    views = [view for dossier in dossiers for view in dossier.assessments]
    overview = _overview_chart(atlas, views, language)
    body = [
        Chapter(
            "glance",
            "at-a-glance",
            _("At a glance"),
            {"edition": edition, "dossiers": dossiers, "overview": overview},
            [overview] if overview else [],
        )
    ]
    if pack.notes:
        body.append(Chapter("notes", "briefing-notes", _("Briefing notes"), {"notes": pack.notes}))
    body += [
        Chapter(
            "country",
            dossier.anchor,
            dossier.country.name.get(language_code),
            {"edition": edition, "dossier": dossier},
            [v.chart for v in dossier.assessments if v.chart],
        )
        for dossier in dossiers
    ]
    if spec.contacts:
        body.append(Chapter("contacts", "contacts", _("Contacts"), {"contacts": spec.contacts}))
    front = Chapter(
        "pack-cover",
        "cover",
        spec.title.get(language_code),
        {"edition": edition, "kind": _("Briefing pack"), "pack": spec, "marking": spec.marking, "contents": body},
        listed=False,
    )
    names = ", ".join(dossier.country.name.get(language_code) for dossier in dossiers)
    return Book(
        language_code,
        spec.title.get(language_code),
        f"{_('Briefing pack')}: {spec.delegation.get(language_code)}",
        spec.prepared_by.get(language_code) if spec.prepared_by else edition.publisher,
        f"{names}, {_('Partner Atlas')} {edition.edition}",
        spec.issued.isoformat(),
        [front, *body],
        stylesheets=["atlas.css", "pack.css"],
        recto=False,
    )


def _selected(chapter: CountryChapter, interests: list[str]) -> CountryChapter:
    # A pack shows only the chosen assessments, and no region cards: they would bring back
    # countries and interests the delegation did not ask for.
    return replace(
        chapter, neighbours=[], assessments=[v for v in chapter.assessments if v.assessment.interest in interests]
    )


def _overview_chart(atlas: Atlas, views: list[AssessmentView], language: Language):
    rated = [view for view in views if view.assessment.ratings is not None]
    if not rated:
        return None
    _ = language.gettext
    scale = atlas.edition.rating_scale
    titles = [f"{language.plain(v.country.name)}\n{language.plain(v.interest.short)}" for v in rated]
    alt = _("Ratings side by side: {ratings}").format(ratings=" ".join(view.chart.alt for view in rated if view.chart))
    return ratings_side_by_side(
        titles,
        [_(LABELS[q]) for q in RATED_QUESTIONS],
        [[v.assessment.rating(q) for q in RATED_QUESTIONS] for v in rated],
        scale.min,
        scale.max,
        alt,
    )
