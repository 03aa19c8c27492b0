"""The yearly atlas edition: front matter, methodology, interests, all regions, index, authors."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import mean

from ..charts import Chart, ranking_chart
from ..i18n import Language
from ..model import Atlas, Interest
from ..questions import RATED_QUESTIONS
from .book import Book, Chapter, contents
from .country import AssessmentView, assessment_view
from .region import authors_chapter, region_chapters


@dataclass(frozen=True)
class Ranked:
    view: AssessmentView
    score: float  # mean of the rated key questions


@dataclass(frozen=True)
class InterestOverview:
    interest: Interest
    ranked: list[Ranked]  # strongest partners first
    suspended: list[AssessmentView]
    chart: Chart | None


def interest_overview(atlas: Atlas, interest: Interest, language: Language) -> InterestOverview:
    views = [
        assessment_view(atlas, country, a, language, with_chart=False)
        for country in atlas.countries.values()
        for a in country.assessments
        if a.interest == interest.id
    ]
    ranked = sorted(
        (Ranked(v, mean(v.assessment.ratings.of(q) for q in RATED_QUESTIONS)) for v in views if v.assessment.ratings),
        key=lambda r: (-r.score, language.sort_key(r.view.country.name.get(language.code))),
    )
    chart = None
    if ranked:
        names = [language.plain(r.view.country.name) for r in ranked]
        scores = [language.score(r.score) for r in ranked]
        alt = language.gettext("Mean rating by country for {interest}: {values}.").format(
            interest=language.plain(interest.short), values="; ".join(f"{n} {s}" for n, s in zip(names, scores))
        )
        scale = atlas.edition.rating_scale
        chart = ranking_chart(names, [r.score for r in ranked], scores, scale.min, scale.max, alt)
    return InterestOverview(interest, ranked, [v for v in views if v.assessment.suspended], chart)


def atlas_edition(atlas: Atlas, language_code: str) -> Book:
    language = Language(language_code)
    _ = language.gettext
    title = atlas.edition.title.get(language_code)
    overviews = [interest_overview(atlas, i, language) for i in atlas.interests.values()]
    body = [
        Chapter("methodology", "methodology", _("Methodology"), {"edition": atlas.edition, "text": atlas.methodology}),
        Chapter(
            "interests",
            "interests",
            _("Partners by interest"),
            {"edition": atlas.edition, "overviews": overviews},
            [o.chart for o in overviews if o.chart],
        ),
    ]
    regions = language.by_name(atlas.regions.values())
    for region in regions:
        body += region_chapters(atlas, region, language)
    countries = language.by_name(atlas.countries.values())
    body.append(Chapter("index", "index", _("Index of countries"), {"atlas": atlas, "countries": countries}))
    body.append(authors_chapter(atlas, countries, language))
    front = Chapter(
        "front",
        "front",
        title,
        {
            "edition": atlas.edition,
            "kind": _("Yearly edition"),
            "heading": title,
            "subtitle": atlas.edition.subtitle,
            "imprint": True,
            "contents": contents(body),
        },
        listed=False,
    )
    return Book(
        language_code,
        f"{title} {atlas.edition.edition}",
        atlas.edition.subtitle.get(language_code) if atlas.edition.subtitle else title,
        ", ".join(atlas.edition.editors) or atlas.edition.publisher,
        ", ".join([r.name.get(language_code) for r in regions] + [f"{_('Partner Atlas')} {atlas.edition.edition}"]),
        atlas.edition.date.isoformat(),
        [front, *body],
    )
