"""The pages of the web edition in one language, and what each shows.

Every page is made from the same views of the data as the PDFs (reports/documents/): the region's
cards and charts, an interest's ranking, an assessment with its rating chart, the authors and the
sources, all in the reader's language and alphabet. A page knows its address (reports/site/paths.py)
and the PDFs that hold it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..documents.atlas import interest_overview
from ..documents.country import chapter_authors, country_chapter
from ..documents.region import authors_chapter, ratings_heatmap, region_cards, region_population_chart, sources_chapter
from ..i18n import Language
from ..model import Atlas
from . import paths
from .charts import web_chart


@dataclass(frozen=True)
class SitePage:
    address: str  # from the site's root, e.g. 'en/countries/japan/'
    template: str  # under templates/site/
    title: str  # plain text, for the window title and the search results
    context: dict
    pdfs: list[tuple[str, str]] = field(default_factory=list)  # (label, address) of the PDFs that hold it
    searchable: bool = True  # listed in the search index


def site_pages(atlas: Atlas, language: Language) -> list[SitePage]:
    """Every page of the site in one language, the home page first."""
    _ = language.gettext
    code = language.code
    year = atlas.edition.edition
    atlas_pdf = (_("The atlas {year}").format(year=year), paths.atlas_pdf(code, year))
    regions = language.by_name(atlas.regions.values())
    countries = language.by_name(atlas.countries.values())
    in_region = {slug: language.by_name(atlas.countries_in(slug)) for slug in atlas.regions}  # each in the alphabet
    rated_head = [_("Key question"), _("Rating")]

    pages = [
        SitePage(
            paths.home(code),
            "home.html",
            f"{atlas.edition.title.get(code)} {year}",
            {
                "regions": [(region, in_region[region.slug]) for region in regions],
                "interests": list(atlas.interests.values()),
            },
            [atlas_pdf],
        )
    ]
    for interest in atlas.interests.values():
        overview = interest_overview(atlas, interest, language)
        pages.append(
            SitePage(
                paths.interest(code, interest.id),
                "interest.html",
                language.plain(interest.name),
                {
                    "overview": overview,
                    "chart": web_chart(overview.chart),
                },
                [atlas_pdf],
            )
        )
    for region in regions:
        cards = region_cards(atlas, region, language)
        pages.append(
            SitePage(
                paths.region(code, region.slug),
                "region.html",
                language.plain(region.name),
                {
                    "region": region,
                    "cards": cards,
                    "countries": in_region[region.slug],
                    "heatmap": web_chart(ratings_heatmap(atlas, cards, language), [_("Country · interest")]),
                    "population": web_chart(
                        region_population_chart(atlas, region, language), [_("Country"), _("Population")]
                    ),
                },
                [(_("Region dossier"), paths.region_pdf(code, region.slug)), atlas_pdf],
            )
        )
    for country in countries:
        region = atlas.regions[country.region]
        chapter = country_chapter(atlas, country, language)
        neighbours = [other for other in in_region[region.slug] if other.slug != country.slug]
        country_pdfs = [
            (_("Country dossier"), paths.country_pdf(code, country.slug)),
            (_("Region dossier"), paths.region_pdf(code, region.slug)),
            atlas_pdf,
        ]
        pages.append(
            SitePage(
                paths.country(code, country.slug),
                "country.html",
                language.plain(country.name),
                {
                    "country": country,
                    "region": region,
                    "chapter": chapter,
                    "authors": chapter_authors(chapter),
                    "neighbours": neighbours,
                },
                country_pdfs,
            )
        )
        for view in chapter.assessments:
            pages.append(
                SitePage(
                    paths.assessment(code, country.slug, view.interest.id),
                    "assessment.html",
                    f"{language.plain(country.name)}: {language.plain(view.interest.short)}",
                    {"country": country, "region": region, "view": view, "chart": web_chart(view.chart, rated_head)},
                    country_pdfs,
                )
            )
    pages += [
        SitePage(
            paths.page(code, "methodology"),
            "methodology.html",
            _("Methodology"),
            {"text": atlas.methodology},
            [atlas_pdf],
        ),
        SitePage(
            paths.page(code, "authors"),
            "authors.html",
            _("Authors"),
            authors_chapter(atlas, countries, language).context,
            [atlas_pdf],
        ),
        SitePage(
            paths.page(code, "sources"),
            "sources.html",
            _("Sources"),
            sources_chapter(atlas, countries, language).context,
            [atlas_pdf],
        ),
        SitePage(paths.page(code, "search"), "search.html", _("Search"), {}, searchable=False),
    ]
    return pages
