"""Issue 7: the German edition from the same data, and what editors see of missing translations."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import DATA, PROJECT, pdf_pages_text, run_build, run_main

from reports import i18n
from reports.documents.country import country_dossier
from reports.loader import load_atlas

FALLBACK_NOTE = "Dieser Abschnitt liegt nur auf Englisch vor."
GERMAN_HEADINGS = ("Relevanz", "Bereitschaft", "Status quo", "Potenzial", "Politikempfehlung")
ENGLISH_HEADINGS = ("Relevance", "Willingness", "Status quo", "Potential", "Policy recommendation")


@pytest.fixture(scope="module")
def japan_de_pages(japan_de) -> list[str]:
    return pdf_pages_text(japan_de)


def _flat(pages: list[str]) -> str:
    """The document's words in one line: poppler's layout spaces and line breaks collapsed."""
    return " ".join(" ".join(pages).split())


def _lines_with(pages: list[str], text: str) -> list[str]:
    return [line.strip() for page in pages for line in page.splitlines() if text in line]


# --- the German dossier ---------------------------------------------------------------------------


def test_german_dossier_has_the_german_key_question_headings(japan_de_pages):
    for heading in GERMAN_HEADINGS:
        assert any(line.startswith(heading) for line in _lines_with(japan_de_pages, heading)), heading
    assert "Policy recommendation" not in _flat(japan_de_pages)


def test_german_dossier_writes_numbers_dates_and_names_the_german_way(japan_de_pages):
    text = _flat(japan_de_pages)
    assert "Bevölkerung 126.476.461" in text
    assert "126,476,461" not in text
    assert "30. November 2022" in text  # the assessment's date, 2022-11-30
    assert "Stand: 30. Juni 2023" in text  # the edition's date
    assert "Hauptstadt Tokio" in text
    assert "Hauptstadt: Peking" in text and "Hauptstadt: Taschkent" in text and "Hauptstadt: Taipeh" in text
    assert "Bevölkerung: ca. 19 Mio." in text  # Kazakhstan, given as 'appr. 19 million'
    assert "Seite 1 von" in text


def test_german_text_uses_german_quotation_marks(japan_de_pages):
    text = _flat(japan_de_pages)
    assert "„Partner für Zusammenarbeit“" in text
    assert "„2+2“-Format" in text


def test_german_dossier_declares_its_language(japan_de, japan_pdf):
    with pikepdf.open(japan_de) as pdf:
        assert str(pdf.Root.Lang) == "de"
        assert str(pdf.docinfo["/Title"]) == "Japan: Länderdossier · Partneratlas 2023"
    with pikepdf.open(japan_pdf) as pdf:
        assert str(pdf.Root.Lang) == "en"


def test_a_section_without_german_text_says_so_where_it_stands(japan_de_pages):
    # Japan's rules-based-order text exists in German, its prosperity text does not.
    notes = [number for number, page in enumerate(japan_de_pages) if FALLBACK_NOTE in page]
    assert len(notes) == 1
    page = " ".join(japan_de_pages[notes[0]].split())
    assert page.index("Wohlstand sichern durch Freihandel und Innovation") < page.index(FALLBACK_NOTE)
    assert "Japan is one of Germany" in page  # the English text follows the note
    assert "Kaum ein Land im asiatisch-pazifischen Raum" in _flat(japan_de_pages)


def test_english_passages_in_a_german_document_are_marked_english():
    html = country_dossier(load_atlas(DATA), "japan", "de").html()
    assert html.startswith('<!DOCTYPE html>\n<html lang="de">')
    # The prosperity answers, five sections, each marked as English after the one note.
    assert html.count(FALLBACK_NOTE) == 1
    assert len(re.findall(r'<div class="fallback" lang="en"><p>Japan is one of', html)) == 1
    assert html.count('<div class="fallback" lang="en">') == 5
    assert '<span lang="en">Rabea Brauer leads' in html


def test_chart_is_labelled_in_german():
    document = country_dossier(load_atlas(DATA), "japan", "de")
    chart = document.charts[0]
    for label in GERMAN_HEADINGS[:4]:
        assert label.encode() in chart.svg
    assert b"Willingness" not in chart.svg
    assert chart.alt.startswith("Bewertungen für Japan, Regelbasierte Ordnung: Relevanz 5 von 5")


def test_names_missing_in_the_data_come_from_babel(data_copy):
    country_file = data_copy / "countries" / "kazakhstan.yaml"
    text = country_file.read_text(encoding="utf-8")
    country_file.write_text(
        text.replace('name: {en: "Kazakhstan", de: "Kasachstan"}', 'name: "Kazakhstan"'), encoding="utf-8"
    )
    atlas = load_atlas(data_copy)
    assert "de" not in re.search(r"^name: .*$", country_file.read_text(encoding="utf-8"), re.M).group(0)
    html = country_dossier(atlas, "japan", "de").html()
    assert ">Kasachstan</" in html  # Babel's German name for KZ


# --- the English dossier is unchanged -------------------------------------------------------------


def test_english_dossier_is_still_english(japan_pdf):
    pages = pdf_pages_text(japan_pdf)
    text = _flat(pages)
    for heading in ENGLISH_HEADINGS:
        assert any(line.startswith(heading) for line in _lines_with(pages, heading)), heading
    assert "Population 126,476,461" in text
    assert "Capital Tokyo" in text
    assert "Population: approx. 19 million" in text
    assert "30 November 2022" in text
    assert "Page 1 of" in text
    assert "“Partner for Cooperation”" in text
    # A summary from YAML, typed with straight quotes (its card sits in a column: lines interleave).
    assert "“socialist-oriented" in text and "market economy”" in text
    for german in ("Relevanz", "Dieser Abschnitt", "nur auf Englisch", "only in English", "Tokio", "„"):
        assert german not in text, german


# --- the coverage report --------------------------------------------------------------------------


def _report(data: Path, capsys) -> tuple[list[str], str]:
    result = run_main(capsys, "check", "--data", data, "--lang", "de")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    return lines, result.stdout


def _named_markdown(lines: list[str]) -> set[str]:
    """The Markdown files the report names as lacking German: 'the whole text: x.de.md is missing'."""
    named, current = set(), None
    for line in lines:
        if not line.startswith(" "):
            current = line
        elif "the whole text" in line:
            named.add(current)
    return named


def _named_fields(lines: list[str]) -> set[tuple[str, str]]:
    named, current = set(), None
    for line in lines:
        if not line.startswith(" "):
            current = line
        elif match := re.match(r"\s+line (\d+): (\S+)$", line):
            named.add((current, f"{match.group(1)}:{match.group(2)}"))
    return named


def test_coverage_report_names_exactly_the_missing_texts(data_copy, capsys):
    lines, output = _report(data_copy, capsys)
    english = {p for p in data_copy.rglob("*.md") if not re.search(r"\.[a-z]{2}\.md$", p.name)}
    untranslated = {p for p in english if not p.with_name(p.stem + ".de.md").exists()}
    shown = {p.as_posix() for p in untranslated}  # outside the working folder: shown in full
    assert _named_markdown(lines) == shown
    assert not any("japan/rules-based-order.md" in line or "regions/asia-pacific.md" in line for line in lines)

    # Short texts in YAML files are named with their line; Japan's first summary is on its own line.
    japan = [line for line in lines if line.endswith("countries/japan.yaml")][0]
    summary_line = next(
        number
        for number, text in enumerate((data_copy / "countries/japan.yaml").read_text().splitlines(), 1)
        if text.strip().startswith("summary:")
    )
    assert (japan, f"{summary_line}:assessments[0].summary") in _named_fields(lines)

    count = len(_named_markdown(lines)) + len(_named_fields(lines))
    summary = lines[-1]
    assert re.fullmatch(
        rf"{count} of \d+ texts lack a German version: {len(shown)} Markdown files and "
        rf"{count - len(shown)} fields in YAML files\.",
        summary,
    ), summary

    # Translate one Markdown text and one field: exactly these two leave the report.
    shutil.copy(
        data_copy / "countries/india/rules-based-order.md", data_copy / "countries/india/rules-based-order.de.md"
    )
    japan_yaml = data_copy / "countries/japan.yaml"
    text = japan_yaml.read_text(encoding="utf-8")
    japan_yaml.write_text(
        text.replace(
            "    summary: {", '    summary: {de: "Japan ist einer der engsten Wertepartner Deutschlands.", ', 1
        ),
        encoding="utf-8",
    )
    after, _ = _report(data_copy, capsys)
    assert _named_markdown(lines) - _named_markdown(after) == {
        (data_copy / "countries/india/rules-based-order.md").as_posix()
    }

    def without_lines(named):  # the edit moved the lines below it
        return {(file, field.split(":", 1)[1]) for file, field in named}

    assert without_lines(_named_fields(lines)) - without_lines(_named_fields(after)) == {
        (japan, "assessments[0].summary")
    }
    assert len(_named_fields(after)) == len(_named_fields(lines)) - 1
    assert after[-1].startswith(f"{count - 2} of ")


def test_check_without_language_lists_no_translations():
    """End to end: the command line itself, in its own process."""
    result = run_build("check")
    assert result.returncode == 0, result.stderr
    assert "German" not in result.stdout and "line " not in result.stdout


# --- the catalogues -------------------------------------------------------------------------------


def _fresh_msgids() -> set[tuple[str, str | None]]:
    """Every label in the sources now, with its context, extracted as `pybabel extract -F babel.cfg -k N_` does."""
    with open(PROJECT / "babel.cfg", encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
    return {
        (message if isinstance(message, str) else message[0], context)
        for _, _, message, _, context in extract_from_dir(PROJECT, method_map, options_map, keywords=keywords)
    }


def _catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


@pytest.mark.parametrize("language", [code for code in i18n.catalogue_languages() if code != "en"])
def test_every_label_in_the_sources_is_translated(language):
    labels = _fresh_msgids()
    assert {("Relevance", None), ("Page {page} of {pages}", None), ("long", "figure unit")} <= labels
    catalogue = _catalogue(i18n.catalogue_path(language))
    untranslated = sorted(
        label
        for label, context in labels
        if not (found := catalogue.get(label, context=context)) or not found.string or found.fuzzy
    )
    assert not untranslated, (
        f"labels without a translation in {language} (run the update commands in README.md and translate them): "
        f"{untranslated}"
    )


def test_the_template_catalogue_is_up_to_date():
    template = {
        (message.id, message.context) for message in _catalogue(PROJECT / "reports/locale/atlas.pot") if message.id
    }
    assert template == _fresh_msgids(), "reports/locale/atlas.pot is stale: run the extract command in README.md"


def test_compiled_catalogue_follows_the_po_file(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(PROJECT / "reports/locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    mo = locale / "de/LC_MESSAGES/atlas.mo"

    assert i18n.Language("de").gettext("Capital") == "Hauptstadt"
    assert mo.is_file()  # compiled on first use

    po = locale / "de/LC_MESSAGES/atlas.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Hauptstadt"', 'msgstr "Hauptort"'), encoding="utf-8")
    os.utime(mo, (po.stat().st_mtime - 10, po.stat().st_mtime - 10))
    assert i18n.Language("de").gettext("Capital") == "Hauptort"  # a stale .mo is rebuilt
    assert not list(mo.parent.glob("*.part"))


def test_a_translation_without_its_english_original_is_refused(data_copy, capsys):
    (data_copy / "regions/asia-pacific.md").unlink()
    result = run_main(capsys, "check", "--data", data_copy, "--lang", "de")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{(data_copy / 'regions/asia-pacific.de.md').as_posix()}: a translation without its English original "
        "asia-pacific.md; write the English text first",
        "1 problem found.",
    ]
