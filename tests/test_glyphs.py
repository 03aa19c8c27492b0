"""Issue 5: text the fonts cannot set is refused before typesetting; Japanese script and diacritics print."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import DATA, pdf_pages_text, run_main
from fontTools.ttLib import TTFont

import reports.typeset
from reports.glyphs import _bundled, _system_face, check_glyphs, coverage, font_stacks
from reports.inputs import Inputs
from reports.kinds import RegionDossier
from reports.pipeline import BuildOptions, html_book
from reports.problems import BuildError, InputError

SCRIPTS = (
    "Noto Sans Arabic, Noto Sans Hebrew, Noto Sans Ethiopic, Noto Sans Devanagari, Noto Sans Bengali, "
    "Noto Sans Thai, Noto Sans Georgian, Noto Sans Armenian"
)
STACKS = f"serif (Noto Serif, {SCRIPTS}, Noto Serif CJK JP) or sans (Noto Sans, {SCRIPTS}, Noto Sans CJK JP) stacks"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_character_no_font_covers_is_refused_with_its_place(data_copy, tmp_path, capsys):
    replace_in(data_copy / "countries" / "japan.yaml", 'name: {en: "Japan",', 'name: {en: "Japan \U00013000",')
    target = tmp_path / "japan.pdf"
    result = run_main(capsys, "country", "japan", "--data", data_copy, "-o", target)
    assert result.returncode == 2
    assert result.stderr == (
        "data/countries/japan.yaml:2:19: character '\U00013000' (U+13000 EGYPTIAN HIEROGLYPH A001) "
        f"in 'the document title' is not covered by any font of the {STACKS}; it would print as an empty box\n"
        "1 problem found.\n"
    )
    assert not target.exists()


def test_a_book_refuses_it_too_and_writes_nothing(data_copy, tmp_path, capsys):
    # Books check their chapters while the workers typeset them: the error stops the build all the same.
    replace_in(data_copy / "countries" / "japan.yaml", 'name: {en: "Japan",', 'name: {en: "Japan \U00013000",')
    target = tmp_path / "asia-pacific.pdf"
    result = run_main(capsys, "region", "asia-pacific", "--data", data_copy, "--quiet", "-o", target)
    assert result.returncode == 2
    # The first chapter that prints the name, the contents, is named.
    assert result.stderr == (
        "data/countries/japan.yaml:2:19: character '\U00013000' (U+13000 EGYPTIAN HIEROGLYPH A001) in 'Contents' "
        f"is not covered by any font of the {STACKS}; it would print as an empty box\n1 problem found.\n"
    )
    assert not target.exists()


def test_a_book_typeset_by_one_job_stops_at_the_error_too(data_copy, tmp_path, capsys, monkeypatch):
    """With --jobs 1 the chapters are typeset in a thread of the build's own process: the error calls
    off the chapters not yet begun, as it does with worker processes (and so does Ctrl-C)."""
    replace_in(data_copy / "countries" / "japan.yaml", 'name: {en: "Japan",', 'name: {en: "Japan \U00013000",')
    begun = []
    typeset_chapter = reports.typeset.typeset_chapter

    def counted(page, *args):
        begun.append(page)
        return typeset_chapter(page, *args)

    monkeypatch.setattr(reports.typeset, "typeset_chapter", counted)
    target = tmp_path / "asia-pacific.pdf"
    result = run_main(capsys, "region", "asia-pacific", "--data", data_copy, "--jobs", "1", "--quiet", "-o", target)
    assert result.returncode == 2 and "U+13000" in result.stderr and not target.exists()
    made = RegionDossier("asia-pacific").make(BuildOptions(data=data_copy), Inputs())
    chapters = len(html_book(made.document, made.data_dir).chapters)
    assert len(begun) < chapters / 2, f"{len(begun)} of {chapters} chapters typeset after the error"


def test_the_document_part_is_named_when_the_text_is_in_the_body(data_copy, tmp_path, capsys):
    # a variation selector is not drawn and so not reported; the G clef is not in any of our fonts
    replace_in(data_copy / "countries" / "japan.yaml", '"OAG Haus 4F"', '"OAG Haus 4F \U0001d11e\ufe0e"')
    result = run_main(capsys, "country", "japan", "--data", data_copy, "-o", tmp_path / "japan.pdf")
    assert result.returncode == 2
    assert result.stderr == (
        "data/countries/japan.yaml:11:26: character '\U0001d11e' (U+1D11E MUSICAL SYMBOL G CLEF) in "
        f"'02 — Foundation office' is not covered by any font of the {STACKS}; it would print as an empty box\n"
        "1 problem found.\n"
    )
    assert not (tmp_path / "japan.pdf").exists()


def test_japanese_script_and_diacritics_are_set_and_embedded(data_copy, tmp_path, capsys):
    replace_in(data_copy / "countries" / "japan.yaml", '"Tokyo 107-0052"', '"〒107-0052 東京都港区赤坂7-5-56"')
    replace_in(data_copy / "countries" / "vietnam.yaml", "Hanoi", "Hà Nội")
    target = tmp_path / "japan.pdf"
    result = run_main(capsys, "country", "japan", "--data", data_copy, "-o", target)
    assert result.returncode == 0, result.stderr
    text = "\n".join(pdf_pages_text(target))
    assert "東京都港区赤坂" in text
    assert "Hà Nội" in text
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-JP" in line]
    assert cjk and cjk[0].split()[-5] == "yes"


def test_stacks_come_from_the_stylesheet_with_the_scripts_and_the_cjk_fallback():
    scripts = tuple(SCRIPTS.split(", "))
    assert font_stacks() == {
        "serif": ("Noto Serif", *scripts, "Noto Serif CJK JP"),
        "sans": ("Noto Sans", *scripts, "Noto Sans CJK JP"),
    }


def test_check_refuses_a_character_no_font_covers_at_its_line_but_not_in_a_comment(data_copy, capsys):
    # A comment is never printed: what it holds is no problem. The value's character is, at its own column.
    replace_in(
        data_copy / "countries" / "japan.yaml",
        'native_name: {ja: "日本"}',
        'native_name: {ja: "日本", ar: "\U00013000"}  # \U0001d11e is not printed',
    )
    replace_in(data_copy / "events" / "security-dialogue-2023.md", "prevention.", "prevention \U0001d11e.")
    result = run_main(capsys, "check", "--data", data_copy)
    assert result.returncode == 2

    def place(relative: str, character: str) -> str:
        """file:line:column of the character's first occurrence, as an editor finds it."""
        lines = (data_copy / relative).read_text(encoding="utf-8").splitlines()
        number = next(n for n, text in enumerate(lines, 1) if character in text)
        return f"{(data_copy / relative).as_posix()}:{number}:{lines[number - 1].index(character) + 1}"

    assert result.stderr.splitlines() == [
        f"{place('countries/japan.yaml', chr(0x13000))}: native_name.ar: character '\U00013000' (U+13000 EGYPTIAN "
        f"HIEROGLYPH A001) is not covered by any font of the {STACKS}; it would print as an empty box",
        f"{place('events/security-dialogue-2023.md', chr(0x1D11E))}: character '\U0001d11e' (U+1D11E MUSICAL SYMBOL "
        f"G CLEF) is not covered by any font of the {STACKS}; it would print as an empty box",
        "2 problems found.",
    ]


@pytest.mark.parametrize("text", ["Thümmel", "Mijatović", "Hà Nội", "Łódź, Kraków", "İstanbul, Şişli, Ağrı"])
def test_bundled_fonts_cover_latin_with_diacritics(text):
    for family in ("Noto Serif", "Noto Sans"):
        assert all(ord(character) in coverage(family) for character in text if character not in " ,")


def test_each_family_covers_what_its_fonts_map_as_fonttools_reads_them():
    # The CJK faces' maps of ranges are read from their bytes, not through fontTools: the same characters.
    families = dict.fromkeys(family for stack in font_stacks().values() for family in stack)
    for family in families:
        fonts = (
            [TTFont(path, lazy=True) for path in _bundled()[family]] if family in _bundled() else [_system_face(family)]
        )
        assert coverage(family) == frozenset().union(*(font.getBestCmap() for font in fonts)), family
    assert len(coverage("Noto Sans CJK JP")) > 40_000 and 0x6771 in coverage("Noto Sans CJK JP")  # 東


def test_a_missing_fallback_font_is_a_clear_error():
    with pytest.raises(
        BuildError, match="the font 'Noto Nonexistent CJK' named in styles/atlas.css is not installed; run ./setup.sh"
    ):
        coverage("Noto Nonexistent CJK")


def test_chart_labels_are_checked_too():
    html = '<html lang="en"><head><title>T</title></head><body><h1>Japan</h1></body></html>'
    chart = '<svg xmlns="http://www.w3.org/2000/svg"><text>Relevance \U0001d11e</text></svg>'.encode()
    with pytest.raises(InputError) as raised:
        check_glyphs(html, DATA, {"chart:ab12.svg": chart})
    (problem,) = raised.value.problems
    assert problem.message.startswith("character '\U0001d11e' (U+1D11E MUSICAL SYMBOL G CLEF) in 'a chart'")
    check_glyphs(html, DATA, {"chart:ab12.svg": chart.replace("\U0001d11e".encode(), b"5")})
