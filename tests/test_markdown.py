"""What editors write prints right: tables, footnotes and sub-headings in an answer, read back
from the PDF (text, outline, tag tree), in English and German."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pypdf
import pytest

from reports import BuildOptions, CountryDossier, RegionDossier, build
from tests.conftest import DATA, data_of_countries, outline_titles, pdf_pages_text, pdf_word_boxes

JAPAN_TEXT = Path("countries/japan/rules-based-order")

# Written under the first key question of each language's text: a sub-heading, a table with
# alignment and figures, two footnotes; a third note in the second section.
ADDITIONS = {
    "en": (
        "## Willingness",
        """### Shared positions in the G7

Both governments coordinate closely[^g7] on sanctions and aid, as noted above[^g7];
the figures below show the weight of each forum.[^src]

| Forum | Since | Share of meetings | Comment |
|:------|:-----:|------------------:|---------|
| G7 | 1975 | 42 % | summits and ministerial tracks |
| G20 | 1999 | 1,250 | finance and leaders' meetings |
| ASEM | 1996 | 7.5 % | dialogue between Asia and Europe |

[^g7]: Coordination runs through the sherpas of both heads of government.
[^src]: Figures compiled by the author for this sample.

""",
        "Both have drawn closer.[^late]\n\n[^late]: A note in the second section.\n\n",
    ),
    "de": (
        "## Bereitschaft",
        """### Gemeinsame Positionen in der G7

Beide Regierungen stimmen sich eng ab[^g7], wie oben vermerkt[^g7]; die Zahlen
zeigen das Gewicht der Foren.[^src]

| Forum | Seit | Anteil der Treffen | Bemerkung |
|:------|:----:|-------------------:|-----------|
| G7 | 1975 | 42 % | Gipfel und Ministertreffen |
| G20 | 1999 | 1.250 | Finanz- und Gipfeltreffen |
| ASEM | 1996 | 7,5 % | Dialog zwischen Asien und Europa |

[^g7]: Die Abstimmung läuft über die Sherpas beider Regierungschefs.
[^src]: Zahlen vom Autor für dieses Beispiel zusammengestellt.

""",
        "Beide sind sich nähergekommen.[^late]\n\n[^late]: Eine Anmerkung im zweiten Abschnitt.\n\n",
    ),
}

# A table longer than a page: its header row must be printed again on the next page.
LONG_TABLE = "| Year | Exports (bn) |\n|---|---|\n" + "".join(
    f"| {1950 + n} | {n * 37.25 + 1:,.2f} |\n" for n in range(70)
)


def _write(data: Path, language: str) -> None:
    second, sub_section, note = ADDITIONS[language]
    path = data / JAPAN_TEXT.with_name(JAPAN_TEXT.name + ("" if language == "en" else ".de") + ".md")
    text = path.read_text(encoding="utf-8")
    text = text.replace(second, sub_section + second, 1)
    potential = "## Potential" if language == "en" else "## Potenzial"
    text = text.replace(potential, LONG_TABLE + "\n" + potential, 1)
    heading_after_second = "## Status quo"
    text = text.replace(heading_after_second, note + heading_after_second, 1)
    assert text.count("[^") == 7, "test setup: every addition placed"
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("markdown") / "data"
    shutil.copytree(DATA, data)
    for language in ("en", "de"):
        _write(data, language)
    return data


@pytest.fixture(scope="module")
def dossiers(data) -> dict[str, Path]:
    pdfs = {}
    for language in ("en", "de"):
        pdfs[language] = data.parent / f"japan-{language}.pdf"
        build(CountryDossier("japan"), BuildOptions(data=data, cache=None, language=language), output=pdfs[language])
    return pdfs


@pytest.mark.parametrize("language", ["en", "de"])
def test_table_prints_in_rows_and_footnotes_at_the_foot(dossiers, language):
    pages = pdf_pages_text(dossiers[language])
    text = "".join(pages)
    assert "[^" not in text and "|" not in text and "---" not in text
    words = {
        "en": ("Share of meetings", "42 %", "1,250", "7.5 %"),
        "de": ("Anteil der Treffen", "42 %", "1.250", "7,5 %"),
    }
    header, *figures = words[language]
    assert re.search(rf"Forum\s+{'Since' if language == 'en' else 'Seit'}\s+{header}", text)
    for forum, year, figure in zip(("G7", "G20", "ASEM"), ("1975", "1999", "1996"), figures, strict=True):
        assert re.search(rf"^\s*{forum}\s+{year}\s+{re.escape(figure)}\s+\S", text, re.MULTILINE)
    # The two notes of the first answer at the foot of the page that calls them, numbered 1, 2;
    # the note of the second answer goes on counting: 3.
    first_note = {"en": "Coordination runs through", "de": "Die Abstimmung läuft"}[language]
    page = next(page for page in pages if "Forum" in page)
    assert re.search(rf"^\s*1\s+{first_note}", page, re.MULTILINE)
    assert re.search(r"^\s*2\s+(Figures compiled|Zahlen vom Autor)", page, re.MULTILINE)
    third = {"en": "A note in the second section", "de": "Eine Anmerkung im zweiten Abschnitt"}[language]
    assert re.search(rf"^\s*3\s+{third}", text, re.MULTILINE)
    assert page.index(first_note) > page.index("ASEM")  # below the text, not where it was written
    assert re.search(r"(noted above|oben vermerkt)\s?1\b", page)  # a note called again: its number


def test_each_call_links_to_its_note(dossiers):
    reader = pypdf.PdfReader(dossiers["en"])
    notes = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    calls = [
        (number, str(annot.get_object()["/Dest"]))
        for number, page in enumerate(reader.pages)
        for annot in page.get("/Annots", [])
        if str(annot.get_object().get("/Dest", "")).startswith("note-")
    ]
    assert len({name for _, name in calls}) == 3  # three notes, one of them called twice
    assert all(notes[name] == number for number, name in calls)  # the note is at the foot of the call's page


def test_a_long_tables_header_is_repeated_on_the_next_page(dossiers):
    pages = [page for page in pdf_pages_text(dossiers["en"]) if re.search(r"^\s*19\d\d\s+[\d,]+\.\d\d\s*$", page, re.M)]
    assert len(pages) >= 2, "test setup: the long table spans pages"
    for page in pages:
        assert re.search(r"^\s*Year\s+Exports \(bn\)", page, re.MULTILINE)


def test_figures_are_right_aligned(dossiers):
    """The right edges of a column of figures line up (pdftotext's word boxes), in a column the
    editor gave no alignment, and in one aligned right."""
    pdf = dossiers["en"]
    for figure in ("1,006.75", "1,250"):
        page = next(n for n, text in enumerate(pdf_pages_text(pdf), 1) if figure in text)
        words = [(x0, x1, word) for word, x0, _, x1, _ in pdf_word_boxes(pdf, page)]
        if figure == "1,250":  # '42 %' and '7.5 %' end in '%'
            edges = [float(right) for _, right, word in words if word in ("1,250", "%")]
        else:
            edges = [float(right) for _, right, word in words if re.fullmatch(r"[\d,]+\.\d\d", word)]
        assert len(edges) >= 3 and max(edges) - min(edges) < 0.5, figure


@pytest.mark.parametrize("language", ["en", "de"])
def test_sub_heading_is_nested_under_its_question_in_the_outline(dossiers, language):
    outline = [(depth, re.sub(r"\s+\d/\d$", "", title)) for depth, title in outline_titles(dossiers[language])]
    question, sub = {
        "en": ("Relevance", "Shared positions in the G7"),
        "de": ("Relevanz", "Gemeinsame Positionen in der G7"),
    }[language]
    at = outline.index((2, question))
    assert outline[at + 1] == (3, sub)
    assert outline[at + 2][0] == 2  # the next question stands beside the first again


def test_sub_heading_is_nested_under_its_question_in_a_book(data, tmp_path):
    """Typeset in one piece, so that the notes' numbering must start again for each country: the region
    with Japan (its sub-heading and notes) and India (a note of its own) for its countries."""
    data = data_of_countries(data, tmp_path / "data", ("japan", "india"))
    india = data / "countries/india/rules-based-order.md"
    note = "A call.[^n]\n\n[^n]: India's note.\n\n"
    india.write_text(india.read_text().replace("## Willingness", note + "## Willingness"))
    output = tmp_path / "asia-pacific.pdf"
    build(RegionDossier("asia-pacific"), BuildOptions(data=data, cache=None, one_piece=True, jobs=1), output=output)
    outline = [(depth, re.sub(r"\s+\d/\d$", "", title)) for depth, title in outline_titles(output)]
    at = next(
        n for n, (depth, title) in enumerate(outline) if title == "Relevance" and outline[n + 1][1].startswith("Shared")
    )
    assert outline[at + 1] == (outline[at][0] + 1, "Shared positions in the G7")
    text = "".join(pdf_pages_text(output))
    assert "[^" not in text and re.search(r"^\s*1\s+Coordination runs through", text, re.MULTILINE)
    assert re.search(r"^\s*1\s+India’s note", text, re.MULTILINE)


def _structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements in reading order."""
    found = []

    def walk(element):
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_tag_tree_heading_levels_and_table_headers(dossiers):
    with pikepdf.open(dossiers["en"]) as pdf:
        elements = _structure(pdf)
        levels = [int(str(e.S)[2:]) for e in elements if re.fullmatch(r"/H[1-6]", str(e.S))]
        # Title, facts, contents, the interest, then the first key question and its sub-heading.
        assert levels[:7] == [1, 2, 2, 2, 3, 4, 3]
        # No heading skips a level, down to the region cards under their block's h2.
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels

        headers = [e for e in elements if e.S == "/TH"]
        cells = [e for e in elements if e.S == "/TD"]
        assert len(headers) >= 4 and cells
        assert all(th.A.Scope == "/Column" for th in headers)  # each heads its column
        ids = {str(th.ID) for th in headers}
        # Every data cell names its column's header cell (PDF/UA: headers tied to cells).
        assert all(str(td.A.Headers[0]) in ids for td in cells)

        # The three notes are Notes, each with its ID; nothing else is.
        notes = [e for e in elements if e.S == "/Note"]
        assert len(notes) == 3 and len({str(note.ID) for note in notes}) == 3


def test_header_cells_are_scoped_to_their_column(tmp_path):
    from reports.texts import render

    html = render("| a | b |\n|:--|--:|\n| x | 1 |\n")
    assert '<th class="align-left" scope="col">a</th>' in html
    assert '<th class="align-right number" scope="col">b</th>' in html
    assert '<td class="align-right number">1</td>' in html


def test_a_note_written_in_place_and_struck_words():
    from reports.texts import render

    html = render("A ~~struck~~ claim^[A note *in place*.]\n")
    assert "<s>struck</s>" in html
    call_and_note = r'<a class="footnote-call" href="#(note-[\w-]+)"></a><span class="footnote" id="\1">A note <em>in'
    assert re.search(call_and_note, html)
