"""Issue 11: a German document prints no English but the data's, and marks that English as English.

Every document kind is rendered in German (HTML, in-process). What is left once every run marked
lang="en" is taken out must hold no word of an English label (a label's English words that its
German translation does not use, unless the data itself writes them), and no passage of an
editor's text that exists only in English.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
import tinyhtml5
from babel.messages.pofile import read_po
from pydantic import BaseModel

from reports.diff import compare
from reports.documents.atlas import atlas_edition
from reports.documents.country import country_dossier
from reports.documents.diff import diff_document
from reports.documents.handout import symposium_handout
from reports.documents.pack import briefing_pack
from reports.documents.region import region_dossier
from reports.loader import load_atlas
from reports.model import Localized
from reports.pipeline import html_book
from reports.specs import load_event, load_pack
from tests.conftest import DATA, PROJECT

ARCHIVED = PROJECT / "archive" / "2022" / "data"
_WORD = re.compile(r"[^\W\d_]+")
_XHTML = "{http://www.w3.org/1999/xhtml}"


def _one_piece(book) -> str:
    return html_book(book, DATA).one_piece().html


def _words(text: str) -> list[str]:
    return _WORD.findall(str(text))


@pytest.fixture(scope="module")
def atlas():
    return load_atlas(DATA)


@pytest.fixture(scope="module")
def documents(atlas):
    """(name, German HTML, the data it shows) of every document kind."""
    pack = load_pack(DATA / "packs" / "tokyo-delegation-2023.yaml", atlas)
    event = load_event(DATA / "events" / "security-dialogue-2023.yaml", atlas)
    archived = load_atlas(ARCHIVED)
    return [
        ("country", country_dossier(atlas, "japan", "de").html(), [atlas]),
        ("region", _one_piece(region_dossier(atlas, "asia-pacific", "de")), [atlas]),
        ("atlas", _one_piece(atlas_edition(atlas, "de")), [atlas]),
        ("pack", _one_piece(briefing_pack(atlas, pack, "de")), [atlas, pack]),
        ("handout", symposium_handout(atlas, event, "de").html(), [atlas, event]),
        ("diff", diff_document(compare(archived, atlas, "de"), "de", True, False).html(), [archived, atlas]),
    ]


_NOT_PRINTED = ("texts", "answers")  # where the atlas keeps its files' names, and the Markdown texts


def _leaves(value):
    """(text, localized or None) for every text in the data: Localized ones, and plain strings."""
    if isinstance(value, Localized):
        yield value, value
    elif isinstance(value, str):
        yield value, None
    elif isinstance(value, BaseModel):
        for name, item in value.__dict__.items():
            if name not in _NOT_PRINTED:
                yield from _leaves(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name not in _NOT_PRINTED:
                yield from _leaves(getattr(value, field.name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)


def _data_texts(sources) -> tuple[list[list[str]], list[list[str]]]:
    """The word sequences of the texts the data writes in German or in no particular language
    (names, addresses), and of every text that exists only in English."""
    printable, english_only = [], []
    for source in sources:
        for text, localized in _leaves(source):
            if localized is None or localized.has("de"):
                printable.append(_words(text if localized is None else localized.get("de")))
            elif len(_words(localized.get("en"))) >= 3:
                english_only.append(_words(localized.get("en")))
    # An assessment's answers are kept per language, not as Localized.
    for source in sources:
        countries = getattr(source, "countries", ())
        for country in countries.values() if isinstance(countries, dict) else countries:
            for assessment in country.assessments:
                for language, answers in assessment.answers.items():
                    for answer in answers.values():
                        if language == "de":
                            printable.append(_words(answer))
                        elif "de" not in assessment.answers:
                            english_only.append(_words(answer))
    return printable, english_only


def _english_label_words(allowed: set[str]) -> set[str]:
    """Words of the catalogue's English labels that their German translations do not use."""
    with (PROJECT / "reports/locale/de/LC_MESSAGES/atlas.po").open("rb") as file:
        catalogue = read_po(file)
    english, german = set(), set()
    for message in catalogue:
        if message.id and message.string:
            english.update(_words(message.id if isinstance(message.id, str) else " ".join(message.id)))
            german.update(_words(message.string if isinstance(message.string, str) else " ".join(message.string)))
    german_lower = {word.lower() for word in german | allowed}
    return {word.lower() for word in english if len(word) > 2 and word.lower() not in german_lower}


def _unmarked_text(html: str) -> str:
    """The document's visible text and alt texts, without the runs marked lang="en"."""
    root = tinyhtml5.parse(html)
    parts: list[str] = []

    def walk(element, english=False):
        english = element.get("lang", "en" if english else "de").startswith("en")  # else its parent's
        if not english and element.tag not in (f"{_XHTML}style", f"{_XHTML}script"):
            parts.append(element.text or "")
            parts.extend(element.get(name, "") for name in ("alt", "aria-label"))
        for child in element:
            walk(child, english)
            if not english:
                parts.append(child.tail or "")  # the text after a child is its parent's

    walk(root)
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("kind", ["country", "region", "atlas", "pack", "handout", "diff"])
def test_german_document_prints_no_unmarked_english(documents, kind):
    name, html, sources = next(d for d in documents if d[0] == kind)
    text = _unmarked_text(html)
    printable, english_only = _data_texts(sources)
    label_words = _english_label_words({word for words in printable for word in words})
    leaked = sorted({word for word in _words(text) if word.lower() in label_words})
    assert not leaked, f"English label words in the German {name}: {leaked}"

    # A passage of an English-only text, unless a German or language-neutral text says the same.
    shown, printed = _joined([_words(text)]), _joined(printable)
    unmarked = sorted(
        {window for words in english_only for window in _windows(words) if window in shown and window not in printed}
    )
    assert not unmarked, f'English texts without lang="en" in the German {name}: {unmarked}'


def _windows(words: list[str], size: int = 5) -> list[str]:
    return [" " + " ".join(words[i : i + size]) + " " for i in range(max(1, len(words) - size + 1))]


def _joined(texts: list[list[str]]) -> str:
    return "|".join(" " + " ".join(words) + " " for words in texts)


def test_english_runs_are_tagged_english_in_the_pdf():
    import io

    import pikepdf

    from reports.pages import Page
    from reports.profiles import PROFILES
    from reports.typeset import typeset

    html = (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Probe</title>'
        '<meta name="dcterms.created" content="2023-06-30"></head><body>'
        '<p>Ein Satz. <span lang="en">An English role.</span></p>'
        '<div class="fallback" lang="en"><p>An English answer.</p></div></body></html>'
    )
    pdf = typeset(Page(html, DATA, {}, []), PROFILES["screen"])
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tagged = sorted(
            (str(element.S), str(element.Lang))
            for element in document.objects
            if isinstance(element, pikepdf.Dictionary) and element.get("/Type") == "/StructElem" and "/Lang" in element
        )
        assert tagged == [("/Div", "en"), ("/Span", "en")]
        assert str(document.Root.Lang) == "de"
