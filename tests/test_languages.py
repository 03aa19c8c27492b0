"""Issue 17: the languages of an edition come from atlas.yaml and the catalogues; French and Spanish editions."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jinja2
import pikepdf
from babel.messages.pofile import read_po, write_po
from conftest import DATA, PROJECT, pdf_pages_text, run_build, run_main

from reports import html, i18n
from reports.documents.country import country_dossier
from reports.loader import load_atlas

EVENT = Path("events/security-dialogue-2023.yaml")
NNBSP = "\u202f"  # narrow no-break space: French groups digits with it and sets it inside « »


def _build(capsys, target: Path, *args) -> list[str]:
    result = run_main(capsys, *args, "--no-cache", "-o", target)
    assert result.returncode == 0, result.stderr
    return pdf_pages_text(target)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- French and Spanish documents -----------------------------------------------------------------


def test_french_dossier_in_french_words_figures_dates_and_quotes(tmp_path, capsys):
    target = tmp_path / "japan-fr.pdf"
    pages = _build(capsys, target, "country", "japan", "--lang", "fr")
    text = " ".join(" ".join(pages).split())  # layout spaces collapsed; narrow no-break spaces stay
    for heading in ("Pertinence", "Disposition", "Situation actuelle", "Potentiel", "Recommandation politique"):
        assert re.search(rf"^\s*{heading}\b", "\n".join(pages), re.M), heading
    # poppler reads the narrow no-break spaces back as spaces; the HTML typeset holds them
    assert "Population 126 476 461" in text
    assert "« partenaire pour la coopération »" in text  # typed as "…" in the .fr.md
    html = country_dossier(load_atlas(DATA), "japan", "fr").html()
    assert f"126{NNBSP}476{NNBSP}461" in html and f"«{NNBSP}partenaire pour la coopération{NNBSP}»" in html
    assert "30 novembre 2022" in text  # the assessment's date
    assert "Capitale Tokyo" in text and "Région Asie et Pacifique" in text
    assert "Bureau Japon / Programme régional" in text  # the office's name, per language
    assert "Japon" in text.split("Tokyo 107-0052", 1)[1][:20]  # the address's last line
    assert "Page 1 sur" in text
    assert "only in English" not in text and "n’existe qu’en anglais" not in text  # every answer is French
    with pikepdf.open(target) as pdf:
        assert str(pdf.Root.Lang) == "fr"


def test_spanish_dossier_in_spanish_words_figures_dates_and_quotes(tmp_path, capsys):
    target = tmp_path / "japan-es.pdf"
    pages = _build(capsys, target, "country", "japan", "--lang", "es")
    text = " ".join(" ".join(pages).split())
    for heading in ("Relevancia", "Disposición", "Situación actual", "Potencial", "Recomendación política"):
        assert re.search(rf"^\s*{heading}\b", "\n".join(pages), re.M), heading
    assert "Población 126.476.461" in text
    assert "30 de noviembre de 2022" in text
    assert "«socio para la cooperación»" in text
    assert "Capital Tokio" in text
    assert "Página 1 de" in text
    # A country without a Spanish summary says so where it stands (Vietnam's card in the region block).
    assert "(solo en inglés)" in text
    assert "Población: aprox. 19 millones" in text  # Kazakhstan's rounded figure, in Spanish words
    with pikepdf.open(target) as pdf:
        assert str(pdf.Root.Lang) == "es"


def test_french_handout_with_its_review_venue_and_host(tmp_path, capsys):
    target = tmp_path / "handout-fr.pdf"
    pages = _build(capsys, target, "handout", PROJECT / "data" / EVENT, "--lang", "fr")
    text = " ".join(" ".join(pages).split())
    assert "Les défis actuels de la politique de sécurité en Asie et en Europe" in text
    assert "13 novembre 2023" in text
    assert "Heinrich-Böll-Stiftung, centre de conférences, Schumannstraße 8, 10117 Berlin, Allemagne" in text
    assert "Organisé par Heinrich-Böll-Stiftung" in text
    assert "La Chine au centre" in text and "La question de Taïwan" in text  # the review's own headings
    assert "Table ronde" in text and "Intervenants" in text


# --- the languages come from the data and the catalogues -----------------------------------------


def test_a_text_in_a_language_the_edition_does_not_declare_is_refused_at_its_line(data_copy, capsys):
    _replace(data_copy / "atlas.yaml", "languages: [en, de, fr, es]", "languages: [en, de, fr]")
    result = run_main(capsys, "check", "--data", data_copy)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    expected = (
        f"{(data_copy / 'interests.yaml').as_posix()}:2:199: [0].name.es: 'es' is not a language of this "
        "edition (en, de, fr); add it to languages in atlas.yaml, or correct the code"
    )
    assert expected in lines
    assert all(": 'es' is not a language of this edition" in line for line in lines[:-1])

    result = run_build("country", "japan", "--data", data_copy, "--lang", "xx", "-o", data_copy / "x.pdf")
    assert result.returncode == 2
    assert "argument --lang: invalid choice: 'xx' (choose from 'en', 'de', 'es', 'fr')" in result.stderr


def test_a_language_without_its_texts_declared_cannot_be_built(data_copy, capsys, tmp_path):
    # Spanish has a catalogue; an edition that does not declare it (and has no Spanish texts) is not built in it.
    for path in data_copy.rglob("*.yaml"):
        text = re.sub(r',\s*es: "[^"]*"', "", path.read_text(encoding="utf-8"))
        path.write_text(re.sub(r'\n *es: "[^"]*"', "", text), encoding="utf-8")
    for path in data_copy.rglob("*.es.md"):
        path.unlink()
    _replace(data_copy / "atlas.yaml", "languages: [en, de, fr, es]", "languages: [en, de, fr]")
    result = run_main(capsys, "country", "japan", "--data", data_copy, "--lang", "es", "-o", tmp_path / "j.pdf")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{(data_copy / 'atlas.yaml').as_posix()}: languages: the edition is not written in 'es' (its languages: "
        "en, de, fr); add 'es' to languages to make documents in it",
        "1 problem found.",
    ]
    assert not (tmp_path / "j.pdf").exists()


def test_a_declared_language_needs_its_catalogue(data_copy, capsys):
    _replace(data_copy / "atlas.yaml", "languages: [en, de, fr, es]", "languages: [en, de, fr, es, it]")
    result = run_main(capsys, "check", "--data", data_copy)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{(data_copy / 'atlas.yaml').as_posix()}:12:29: languages[4]: no label catalogue for 'it' "
        "(reports/locale/it/LC_MESSAGES/atlas.po); create it with pybabel init -i reports/locale/atlas.pot "
        "-d reports/locale -D atlas -l it and translate every label (README: 'Labels: the translation catalogues')",
        "1 problem found.",
    ]


ITALIAN = {
    "Relevance": "Rilevanza",
    "Willingness": "Disponibilità",
    "Status quo": "Situazione attuale",
    "Potential": "Potenziale",
    "Policy recommendation": "Raccomandazione politica",
    "Capital": "Capitale",
    "Page {page} of {pages}": "Pagina {page} di {pages}",
}


def test_a_new_language_is_a_catalogue_its_texts_and_one_line(data_copy, tmp_path, capsys, monkeypatch):
    """Italian, added as an editor would: a catalogue, an assessment written in it, one line in atlas.yaml."""
    locale = tmp_path / "locale"
    shutil.copytree(PROJECT / "reports/locale", locale, ignore=shutil.ignore_patterns("*.mo"))
    with (locale / "atlas.pot").open("rb") as file:
        catalogue = read_po(file, locale="it")
    for message in catalogue:
        if message.id in ITALIAN:
            message.string = ITALIAN[message.id]
    (locale / "it/LC_MESSAGES").mkdir(parents=True)
    with (locale / "it/LC_MESSAGES/atlas.po").open("wb") as file:
        write_po(file, catalogue)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)

    _replace(data_copy / "atlas.yaml", "languages: [en, de, fr, es]", "languages: [en, de, fr, es, it]")
    answers = "\n\n".join(
        f"## {ITALIAN[label]}\n\nUna risposta scritta in italiano sul tema: {ITALIAN[label].lower()}."
        for label in ("Relevance", "Willingness", "Status quo", "Potential", "Policy recommendation")
    )
    (data_copy / "countries/japan/prosperity.it.md").write_text(answers + "\n", encoding="utf-8")
    _replace(data_copy / "countries/japan.yaml", 'capital: {en: "Tokyo",', 'capital: {it: "Tokyo", en: "Tokyo",')

    target = tmp_path / "japan-it.pdf"
    result = run_main(capsys, "country", "japan", "--data", data_copy, "--lang", "it", "--no-cache", "-o", target)
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(pdf_pages_text(target)).split())
    assert "Una risposta scritta in italiano sul tema: situazione attuale." in text
    assert "Capitale Tokyo" in text and "126.476.461" in text and "30 novembre 2022" in text
    assert "Pagina 1 di" in text


def test_coverage_report_in_french_and_spanish(capsys):
    for language, name in (("fr", "French"), ("es", "Spanish")):
        result = run_main(capsys, "check", "--lang", language)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[1] == f"Texts without a {name} version, per file:"
        assert re.fullmatch(rf"\d+ of \d+ texts lack a {name} version: .*", lines[-1])
        # the sample's translated texts are not listed; a text that has none is
        assert not any(line.endswith("countries/japan/rules-based-order.md") for line in lines)
        assert not any(line.endswith("events/security-dialogue-2023.md") for line in lines)
        assert any(line.endswith("countries/india/rules-based-order.md") for line in lines)


# --- Templates --------------------------------------------------------------------------------------


def test_the_languages_share_each_compiled_template_and_an_edited_one_is_compiled_again(tmp_path, monkeypatch):
    """Every language's environment takes a template compiled for another (reports/html.py), unless
    the template changed since: the preview renders the edited one."""
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_template(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    template = tmp_path / "greeting.html"
    template.write_text("{{ _('Contents') }}", encoding="utf-8")
    rendered = {}
    for code in ("en", "de", "fr"):
        environment = html._environment(code).overlay(loader=jinja2.FileSystemLoader(tmp_path))
        rendered[code] = environment.get_template("greeting.html").render()
    assert compiled == ["greeting.html"]
    assert rendered == {"en": "Contents", "de": "Inhalt", "fr": "Sommaire"}
    template.write_text("{{ _('Contents') }}!", encoding="utf-8")
    environment = html._environment("es").overlay(loader=jinja2.FileSystemLoader(tmp_path))
    assert environment.get_template("greeting.html").render() == "Índice!"
    assert compiled == ["greeting.html", "greeting.html"]
