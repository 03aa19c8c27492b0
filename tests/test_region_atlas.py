"""Issue 3: the region dossier and the atlas edition as navigable books."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

import babel
import pypdf
import pytest
import yaml
from conftest import DATA, data_of_countries, pdf_pages_text

from reports import AtlasEdition, BuildOptions
from reports.charts import draw_all
from reports.inputs import Inputs
from reports.pipeline import html_book
from reports.profiles import PROFILES
from reports.typeset import typeset_chapter


@pytest.fixture(scope="module")
def region_pdf(region_book):
    return region_book.path


@pytest.fixture(scope="module")
def atlas_pdf(atlas_book):
    return atlas_book.path


def outline(path):
    """(depth, title, 1-based page) of every outline entry, in order."""
    reader = pypdf.PdfReader(path)
    entries = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return entries


def contents_entries(pages):
    """(title, page) pairs printed on the table of contents page."""
    page = next(text for text in pages if text.lstrip().startswith("CONTENTS"))
    return [
        (m.group(1).strip(), int(m.group(2))) for m in re.finditer(r"^\s*(\S.*?\S)\s{2,}(\d+)\s*$", page, re.MULTILINE)
    ]


def country_names(region=None):
    names = {}
    for path in sorted((DATA / "countries").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        if region is None or data["region"] == region:
            names[path.stem] = data["name"]["en"]
    return names


def test_contents_page_numbers_are_the_pages_where_chapters_start(region_pdf):
    pages = pdf_pages_text(region_pdf)
    entries = contents_entries(pages)
    starts = {title: page for depth, title, page in outline(region_pdf) if depth <= 1}
    names = country_names("asia-pacific")
    assert {title for title, _ in entries} >= set(names.values()) | {"Asia and the Pacific", "Sources", "Authors"}
    for title, page in entries:
        assert starts[title] == page, title
        assert title.upper() in pages[page - 1] or title in pages[page - 1]


def test_outline_nests_region_country_assessment_question(region_pdf):
    entries = [(depth, title) for depth, title, _ in outline(region_pdf)]
    assert entries[entries.index((0, "Contents")) + 1] == (0, "Asia and the Pacific")
    japan = entries.index((1, "Japan"))
    assert entries[japan + 1][0] == 2 and entries[japan + 1][1].startswith("Strengthening")
    assert entries[japan + 2][0] == 3 and entries[japan + 2][1].startswith("Relevance")
    assert [title for depth, title in entries if depth == 1] == sorted(country_names("asia-pacific").values())


def link_target_pages(reader, page_number):
    """1-based pages that the links on a page point to."""
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    targets = []
    for annotation in reader.pages[page_number - 1].get("/Annots", []):
        annotation = annotation.get_object()
        destination = annotation.get("/Dest") or annotation.get("/A", {}).get("/D")
        if isinstance(destination, str):
            destination = reader.named_destinations[destination].page
        elif destination is not None:
            destination = destination[0]
        if destination is not None:
            targets.append(pages[destination.idnum])
    return targets


def test_country_card_names_the_page_of_the_country_chapter(region_pdf):
    pages = pdf_pages_text(region_pdf)
    entries = outline(region_pdf)
    starts = {title: page for depth, title, page in entries if depth == 1}
    overview = next(page for _, title, page in entries if title == "Asia and the Pacific")
    card_pages = range(overview, starts["Afghanistan"])
    cards = re.sub(r"\s+", " ", "\n".join(pages[n - 1] for n in card_pages))
    for name in ("Afghanistan", "Kazakhstan", "Japan"):
        assert f"{name} p. {starts[name]}" in cards, name
    reader = pypdf.PdfReader(region_pdf)
    targets = {target for n in card_pages for target in link_target_pages(reader, n)}
    assert {starts["Japan"], starts["Kazakhstan"]} <= targets


def test_a_regions_cards_begin_below_its_introduction_where_a_row_fits(region_pdf):
    """Asia and the Pacific's introduction leaves room for one row of cards on its page: the heading
    and the first row (Afghanistan, China) stand there. While the cards were the lines of one block,
    a page break kept two of them on either side, as for lines of text, and the heading went on to
    the next page with them, leaving this one half empty."""
    pages = pdf_pages_text(region_pdf)
    overview = next(page for page in pages if "No other region has shifted the centre" in page)
    assert "COUNTRIES AND INTERESTS" in overview
    assert "Capital: Kabul" in overview and "Capital: Beijing" in overview


def test_running_header_names_the_current_chapter(region_pdf):
    pages = pdf_pages_text(region_pdf)
    starts = {title: page for depth, title, page in outline(region_pdf) if depth == 1}
    following = pages[starts["Kazakhstan"]]  # the page after the chapter's first page
    assert following.strip().splitlines()[0].strip().startswith("KAZAKHSTAN")


def test_atlas_chapters_start_on_right_hand_pages_and_blank_pages_are_bare(atlas_pdf):
    pages = pdf_pages_text(atlas_pdf)
    chapters = contents_entries(pages)
    assert len(chapters) > 10
    assert all(page % 2 == 1 for _, page in chapters), chapters
    blanks = [number for number, text in enumerate(pages, start=1) if not text.strip()]
    assert blanks, "a book of odd-length chapters has blank left pages"
    assert all(number % 2 == 0 for number in blanks)


def test_atlas_has_front_matter_all_regions_index_and_authors(atlas_pdf):
    pages = pdf_pages_text(atlas_pdf)
    atlas = yaml.safe_load((DATA / "atlas.yaml").read_text())
    imprint = re.sub(r"\s+", " ", pages[1])
    assert atlas["isbn"] in imprint and atlas["licence"] in imprint and str(atlas["edition"]) in imprint
    top = [title for depth, title, _ in outline(atlas_pdf) if depth == 0]
    regions = [yaml.safe_load(p.read_text())["name"]["en"] for p in sorted((DATA / "regions").glob("*.yaml"))]
    assert top == ["Contents", "Methodology", "Partners by interest", *regions, "Index of countries", "Authors"]
    starts = {title: page for depth, title, page in outline(atlas_pdf)}
    index = re.sub(r"\s+", " ", pages[starts["Index of countries"] - 1])
    for name in country_names().values():
        assert re.search(rf"{re.escape(name)} .*? {starts[name]}\b", index), name
    methodology = " ".join((DATA / "methodology.md").read_text().split()[:6])
    assert methodology in re.sub(r"\s+", " ", pages[starts["Methodology"] - 1])


CROWDED = 60  # countries, each assessed for all five interests by one author


@pytest.fixture(scope="module")
def crowded_chapters(tmp_path_factory) -> dict[str, list[str]]:
    """The text of each page of the atlas's interests and authors chapters, each typeset on its own,
    for the sample's Japan and 60 more countries, every one assessed for every interest by the same
    author: rankings of 61 partners, longer than a page, and an author of 305 assessments."""
    data = data_of_countries(DATA, tmp_path_factory.mktemp("crowded") / "data", ["japan"])
    codes = [code for code in sorted(babel.Locale("en").territories) if len(code) == 2 and code.isalpha()]
    interests = [entry["id"] for entry in yaml.safe_load((DATA / "interests.yaml").read_text(encoding="utf-8"))]
    questions = "".join(f"## {q}\n\nA sentence.\n\n" for q in ("Relevance", "Willingness", "Status quo", "Potential"))
    for number, code in enumerate([code for code in codes if code != "JP"][:CROWDED], 1):
        slug = f"testland-{number:02d}"
        assessments = "".join(
            f"  - interest: {interest}\n    author: rabea-brauer\n    date: 2023-03-01\n"
            f"    ratings: {{relevance: {number % 5 + 1}, willingness: 3, status_quo: 3, potential: 4}}\n"
            '    summary: "A short summary."\n    sources: ["A source."]\n'
            for interest in interests
        )
        (data / "countries" / f"{slug}.yaml").write_text(
            f"code: {code}\nname: Testland {number:02d}\ncapital: Testville\nregion: latin-america\n"
            'population: {value: "1,000,000", as_of: 2023-01-01, source: "Census"}\n'
            f"assessments:\n{assessments}",
            encoding="utf-8",
        )
        (data / "countries" / slug).mkdir()
        for interest in interests:
            text = questions + "## Policy recommendation\n\nA sentence.\n"
            (data / "countries" / slug / f"{interest}.md").write_text(text, encoding="utf-8")
    made = AtlasEdition().make(BuildOptions(data=data, cache=None), Inputs())
    with ThreadPoolExecutor(1) as executor:
        draw_all(made.document.charts, executor)
    pages = html_book(made.document, made.data_dir)
    texts = {}
    for kind in ("interests", "authors"):
        chapter = next(c for c in pages.chapters if c.name.startswith(kind))
        typeset = typeset_chapter(pages.chapter_page(chapter), PROFILES["screen"])
        texts[kind] = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(typeset.pdf)).pages]
    return texts


def test_a_ranking_longer_than_a_page_starts_below_the_chapter_lead(crowded_chapters):
    """An interest ranked for more partners than fit on a page (chart and table) starts on the
    chapter's first page, its title with its chart, its table running on under repeated headers;
    kept whole like a short one, it left the first page empty but for the lead."""
    texts = crowded_chapters["interests"]
    assert "Strengthening a values- and rules-based world order" in texts[0]  # with its chart and first rows
    assert texts[1].startswith("Country Relevance Willingness Status quo Potential Mean Page\n")  # repeated


def test_an_author_of_many_assessments_starts_below_the_chapter_title(crowded_chapters):
    """An author whose list of assessments is longer than a page starts under the chapter's title, the
    list running on to the next page; kept whole, the entry left the first page empty but for the title."""
    texts = crowded_chapters["authors"]
    assert len(texts) >= 2
    assert "Rabea Brauer" in texts[0] and "Testland 01" in texts[0]
    assert "Testland 60" in texts[-1]
