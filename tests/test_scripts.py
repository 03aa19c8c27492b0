"""Issue 17: a country's name in its own script, printed as written, in bundled fonts, with its language."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import DATA, pdf_pages_text, run_build, run_main

from reports.documents.atlas import atlas_edition
from reports.loader import load_atlas

# code, English name, language tag, the name in its own script, the bundled face that sets it
SCRIPTS = [
    ("ET", "Ethiopia", "am", "ኢትዮጵያ", "Noto-Sans-Ethiopic"),
    ("MA", "Morocco", "ar", "المغرب", "Noto-Sans-Arabic"),
    ("IL", "Israel", "he", "ישראל", "Noto-Sans-Hebrew"),
    ("TH", "Thailand", "th", "ประเทศไทย", "Noto-Sans-Thai"),
    ("GE", "Georgia", "ka", "საქართველო", "Noto-Sans-Georgian"),
    ("KR", "South Korea", "ko", "대한민국", "Noto-Sans-CJK-JP"),  # Hangul is in the CJK font
    ("BD", "Bangladesh", "bn", "বাংলাদেশ", "Noto-Sans-Bengali"),
    ("AM", "Armenia", "hy", "Հայաստան", "Noto-Sans-Armenian"),
    ("NP", "Nepal", "ne", "नेपाल", "Noto-Sans-Devanagari"),
]
# Invisible marks around what was written: poppler marks a right-to-left run; a Bengali vowel sign drawn
# before its consonant maps to a zero-width space, its text being its consonant's (reports/typeset.py).
INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def scripts_data(tmp_path_factory) -> Path:
    """The sample data with a region of test countries, one per script, each with a suspended assessment."""
    data = tmp_path_factory.mktemp("scripts") / "data"
    shutil.copytree(DATA, data)
    (data / "regions" / "scripts.yaml").write_text('name: "Scripts of the world"\n', encoding="utf-8")
    for code, name, tag, native, _ in SCRIPTS:
        (data / "countries" / f"{name.lower().replace(' ', '-')}.yaml").write_text(
            f"code: {code}\n"
            f'name: "{name}"\n'
            f'native_name: {{{tag}: "{native}"}}\n'
            'capital: "Capital"\n'
            "region: scripts\n"
            'population: {value: "1,000,000", as_of: 2020-01-01, source: "A test figure"}\n'
            "assessments:\n"
            "  - interest: migration\n"
            "    status: suspended\n"
            "    date: 2023-01-01\n"
            '    reason: "A test country: it shows its name in its own script."\n'
            '    summary: "A country made up for the test of its script."\n',
            encoding="utf-8",
        )
    return data


@pytest.fixture(scope="module")
def region_pdf(scripts_data, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("scripts-book") / "scripts.pdf"
    result = run_build(
        "region", "scripts", "--data", scripts_data, "--jobs", "1", "--no-cache", "--quiet", "-o", target
    )
    assert result.returncode == 0, result.stderr
    return target


def _shown_glyph_ids(pdf: pikepdf.Pdf) -> dict[str, set[int]]:
    """The glyph ids each font shows on the pages (WeasyPrint writes a glyph's id in the font as its CID)."""
    shown: dict[str, set[int]] = {}

    def walk(owner, resources):
        fonts = resources.get("/Font", {}) if resources is not None else {}
        font = None
        for operands, operator in pikepdf.parse_content_stream(owner):
            if operator == pikepdf.Operator("Tf"):
                font = str(fonts[operands[0]].BaseFont).split("+")[-1]
            elif operator in (pikepdf.Operator("Tj"), pikepdf.Operator("TJ")):
                strings = operands[0] if operator == pikepdf.Operator("TJ") else [operands[0]]
                for string in strings:
                    if isinstance(string, pikepdf.String):
                        raw = bytes(string)
                        shown.setdefault(font, set()).update(
                            int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)
                        )
            elif operator == pikepdf.Operator("Do"):
                xobject = resources.XObject[operands[0]]
                if xobject.Subtype == "/Form":
                    walk(xobject, xobject.get("/Resources", resources))

    for page in pdf.pages:
        walk(page.obj, page.obj.get("/Resources"))
    return shown


def _languages(pdf: pikepdf.Pdf) -> dict[str, str]:
    """Language tag -> the text of the structure elements that carry it (their ActualText or marked content)."""
    found: dict[str, str] = {}

    def walk(element, depth=0):
        if depth > 200 or not isinstance(element, pikepdf.Dictionary):
            return
        if "/Lang" in element:
            found[str(element.Lang)] = str(element.get("/S"))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, depth + 1)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_every_script_comes_back_as_written(region_pdf):
    text = INVISIBLE.sub("", "\n".join(pdf_pages_text(region_pdf)))
    for _, name, _, native, _ in SCRIPTS:
        assert native in text, f"{name}: {native}"


def test_every_name_is_set_in_a_bundled_face_without_a_missing_glyph(region_pdf):
    with pikepdf.open(region_pdf) as pdf:
        shown = _shown_glyph_ids(pdf)
    for _, name, _, _, face in SCRIPTS:
        assert face in shown, f"{name} is not set in {face}"
    missing = {font: 0 in glyphs for font, glyphs in shown.items()}
    assert not any(missing.values()), f".notdef (glyph 0) shown in {[f for f, m in missing.items() if m]}"
    fonts = subprocess.run(["pdffonts", str(region_pdf)], capture_output=True, text=True, check=True).stdout
    for _, _, _, _, face in SCRIPTS:
        line = next(line for line in fonts.splitlines() if f"+{face} " in line)
        assert line.split()[-5:-2] == ["yes", "yes", "yes"], line  # embedded, subset, with a ToUnicode map


def test_every_name_carries_its_language_in_the_tagged_pdf(region_pdf):
    with pikepdf.open(region_pdf) as pdf:
        languages = _languages(pdf)
    assert {tag for _, _, tag, _, _ in SCRIPTS} <= set(languages)


def test_a_right_to_left_name_is_isolated_and_the_index_names_it(scripts_data):
    atlas = load_atlas(scripts_data)
    index = next(chapter for chapter in atlas_edition(atlas, "en").chapters if chapter.kind == "index")
    html = str(index.html("en"))
    assert '<bdi class="native-name" lang="ar" dir="rtl">المغرب</bdi>' in html
    assert '<bdi class="native-name" lang="he" dir="rtl">ישראל</bdi>' in html
    assert '<bdi class="native-name" lang="am" dir="ltr">ኢትዮጵያ</bdi>' in html


def test_a_country_dossier_prints_its_right_to_left_name_under_its_title(scripts_data, tmp_path, capsys):
    target = tmp_path / "morocco.pdf"
    result = run_main(capsys, "country", "morocco", "--data", scripts_data, "--no-cache", "-o", target)
    assert result.returncode == 0, result.stderr
    lines = [INVISIBLE.sub("", line).strip() for line in pdf_pages_text(target)[0].splitlines() if line.strip()]
    assert lines[1:3] == ["Morocco", "المغرب"]
