"""`build.py check`: every problem in one run, as file:line:col: field: message, exit status 2."""

import shutil
from pathlib import Path

import pytest

from reports.cli import main

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]"
        for i in range(8)
    ]
)

JAPAN = "countries/japan.yaml"
JAPAN_TEXT = "countries/japan/rules-based-order.md"

# (file, text to find, replacement) -> the exact message an editor gets
BAD_INPUTS = {
    "yaml syntax": (
        (JAPAN, "region: asia-pacific", "region: [asia-pacific"),
        "data/countries/japan.yaml:5:11: YAML syntax error: expected ',' or ']', but got ':'",
    ),
    "wrong type": (
        (JAPAN, "as_of: 2020-07-01", "as_of: last summer"),
        "data/countries/japan.yaml:7:3: population.as_of: expected a date written YYYY-MM-DD, got 'last summer'",
    ),
    "unknown key": (
        (JAPAN, "region: asia-pacific", "region: asia-pacific\npopulaton: 5"),
        "data/countries/japan.yaml:5:1: populaton: unknown key 'populaton'",
    ),
    "missing field": (
        (JAPAN, 'capital: {en: "Tokyo", de: "Tokio", fr: "Tokyo", es: "Tokio"}\n', ""),
        "data/countries/japan.yaml:1:1: capital: required field is missing",
    ),
    "unknown region": (
        (JAPAN, "region: asia-pacific", "region: asia-pacifc"),
        "data/countries/japan.yaml:4:1: region: unknown region 'asia-pacifc'; "
        "expected one of: asia-pacific, latin-america",
    ),
    "unknown interest": (
        (JAPAN, "  - interest: prosperity", "  - interest: prosperty"),
        "data/countries/japan.yaml:24:5: assessments[1].interest: unknown interest 'prosperty'; "
        "expected one of: migration, prosperity, resources-climate, rules-based-order, security",
    ),
    "unknown author": (
        (JAPAN, "author: rabea-brauer", "author: rabea-bauer"),
        "data/countries/japan.yaml:15:5: assessments[0].author: unknown author 'rabea-bauer'; "
        "expected one of: carla-weissenborn, lena-voskuhl, miriam-ostendorf, rabea-brauer, "
        "tobias-kranich",
    ),
    "duplicate key": (
        (JAPAN, "region: asia-pacific", "region: asia-pacific\nregion: asia-pacific"),
        "data/countries/japan.yaml:5:1: region: duplicate key 'region' (first given on line 4)",
    ),
    "rating off the scale": (
        (JAPAN, "relevance: 5, willingness: 4, status_quo: 3", "relevance: 7, willingness: 4, status_quo: 3"),
        "data/countries/japan.yaml:17:15: assessments[0].ratings.relevance: expected a rating "
        "from 1 to 5 (see rating_scale in atlas.yaml), got 7",
    ),
    "ambiguous number": (
        (JAPAN, 'value: "126,476,461"', 'value: "1,234"'),
        "data/countries/japan.yaml:6:3: population.value: '1,234' can be read two ways: as 1234 (English: "
        "',' grouping thousands) or as 1.234 (German: ',' as the decimal mark); write 1234 for the whole "
        "number, or add a unit for a decimal (e.g. '1.234 million' or '1,234 Mio.')",
    ),
    "image of /etc/passwd": (
        (JAPAN_TEXT, "## Willingness", "![x](/etc/passwd)\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:11: image '/etc/passwd' refused: texts "
        "cannot include images (charts are drawn from the data)",
    ),
    "link to http": (
        (JAPAN_TEXT, "## Willingness", "[x](http://example.com/)\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:11: link to 'http://example.com/' refused: texts "
        "may only link within the document; name outside sources under 'sources'",
    ),
    "link on the second line of a paragraph": (
        (JAPAN_TEXT, "## Willingness", "As the\n[minister](https://example.com/) said.\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:12: link to 'https://example.com/' refused: texts "
        "may only link within the document; name outside sources under 'sources'",
    ),
    "image in a note written in place": (
        (JAPAN_TEXT, "## Willingness", "A first line,\nthen a note^[see ![x](/etc/passwd)].\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:12: image '/etc/passwd' refused: texts "
        "cannot include images (charts are drawn from the data)",
    ),
    "raw <b> inside a paragraph": (
        (JAPAN_TEXT, "## Willingness", "A first line,\nthen <b>bold</b> words.\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:12: raw HTML '<b>' refused: it would be printed as "
        "text; write **bold** or *italic* for emphasis",
    ),
    "raw <br> in a table cell": (
        (JAPAN_TEXT, "## Willingness", "| a | b |\n|---|---|\n| 1 | 2<br>3 |\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:13: raw HTML '<br>' refused: it would be printed as "
        "text; leave a blank line to start a new paragraph",
    ),
    "table row longer than its header": (
        (JAPAN_TEXT, "## Willingness", "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 | 5 |\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:14: table row has 3 cells but the table has 2 columns; "
        "the extra cells would be lost: add a column to the header row, or write \\| for a | in a cell",
    ),
    "raw HTML block": (
        (JAPAN_TEXT, "## Willingness", "<div>\nboxed\n</div>\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:11: raw HTML '<div>' refused: it would be printed as "
        "text; write Markdown instead",
    ),
    "footnote without its text": (
        (JAPAN_TEXT, "## Willingness", "Said so.[^1]\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:11: footnote '[^1]' has no text: write '[^1]: ...' "
        "below the paragraph, in the same section",
    ),
    "footnote never called": (
        (JAPAN_TEXT, "## Willingness", "Said so.\n\n[^src]: A source.\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:13: footnote '[^src]' is never called: put '[^src]' "
        "in the text where it belongs, or remove it",
    ),
    "footnote written twice": (
        (JAPAN_TEXT, "## Willingness", "Said so.[^1]\n\n[^1]: A source.\n[^1]: Another.\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:14: footnote '[^1]' is written a second time here; "
        "give each note its own label",
    ),
    "footnote of two paragraphs": (
        (JAPAN_TEXT, "## Willingness", "Said so.[^1]\n\n[^1]: - a list\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:13: footnote '[^1]' must be one paragraph of text "
        "(no lists, tables or second paragraphs)",
    ),
    "sub-heading skips a level": (
        (JAPAN_TEXT, "## Willingness", "#### Detail\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:11: heading '#### Detail' skips a level; write '### Detail'",
    ),
    "heading above the key questions": (
        (JAPAN_TEXT, "## Willingness", "# Detail\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:11: heading '# Detail' would stand beside the key "
        "questions; write '### Detail'",
    ),
    "quotes nested past the parser's limit": (
        (JAPAN_TEXT, "## Willingness", "Quoted:\n\n" + "> " * 25 + "lost words\n\n## Willingness"),
        "data/countries/japan/rules-based-order.md:13: quotes or lists nested 20 levels deep or more cannot "
        "be printed (the text inside would be lost); nest them less deeply",
    ),
    "ratings on a suspended assessment": (
        (
            "countries/afghanistan.yaml",
            "status: suspended",
            "status: suspended\n    ratings: {relevance: 1, willingness: 1, status_quo: 1, potential: 1}",
        ),
        "data/countries/afghanistan.yaml:10:5: assessments[0]: a suspended assessment has no 'ratings'; remove them",
    ),
    "misspelt key question": (
        (JAPAN_TEXT, "## Willingness", "## Willingnes"),
        "data/countries/japan/rules-based-order.md:11:1: unknown section 'Willingnes'; expected "
        "the five key questions '## Relevance', '## Willingness', '## Status quo', "
        "'## Potential', '## Policy recommendation'",
    ),
    "unknown country code": (
        (JAPAN, "code: JP", "code: XX"),
        "data/countries/japan.yaml:1:1: code: expected an ISO 3166 alpha-2 country code (like 'JP'), got 'XX'",
    ),
    "wrong status": (
        (JAPAN, "status: active", "status: paused"),
        "data/countries/japan.yaml:14:5: assessments[0].status: expected 'active' or 'suspended', got 'paused'",
    ),
    "Norway's code read as false": (
        (JAPAN, "code: JP", "code: NO"),
        "data/countries/japan.yaml:1:1: code: expected a text, got False (YAML "
        "reads yes, no, on and off as true or false: put the text in quotes)",
    ),
    "alias bomb": (
        ("authors.yaml", None, BILLION_LAUGHS),
        "data/authors.yaml:1:4: document expands to more than 20000 values (aliases nested too deep?); "
        "refusing to expand it",
    ),
}


def _break(data: Path, file: str, old: str | None, new: str) -> None:
    path = data / file
    if old is None:
        path.write_text(new)
        return
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))


def _check(data: Path, capsys, monkeypatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(data.parent)
    status = main(["check", "--data", "data"])
    return status, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_reported_at_file_line_and_field(case, data_copy, capsys, monkeypatch):
    (file, old, new), message = BAD_INPUTS[case]
    _break(data_copy, file, old, new)
    status, lines = _check(data_copy, capsys, monkeypatch)
    assert status == 2
    assert lines == [message, "1 problem found."]


def test_non_utf8_file_is_refused(data_copy, capsys, monkeypatch):
    path = data_copy / "countries" / "vietnam.yaml"
    path.write_bytes(path.read_bytes().replace(b'capital: {en: "Hanoi"', b'capital: {en: "H\xe0 N\xf4i"'))
    status, lines = _check(data_copy, capsys, monkeypatch)
    assert status == 2
    assert lines[0] == (
        "data/countries/vietnam.yaml:3: file is not UTF-8 text (byte 0xe0 at offset 62); save it with UTF-8 encoding"
    )


def test_all_problems_are_reported_in_one_run(data_copy, capsys, monkeypatch):
    _break(data_copy, JAPAN, "region: asia-pacific", "region: nowhere")
    _break(data_copy, "countries/india.yaml", "code: IN", "code: IN\ncapitol: Delhi")
    _break(data_copy, "interests.yaml", "- id: migration", "- id: Migration")
    status, lines = _check(data_copy, capsys, monkeypatch)
    assert status == 2
    assert lines[-1] == "5 problems found."
    assert any(line.startswith("data/countries/japan.yaml:4:1: region: unknown region 'nowhere'") for line in lines)
    assert "data/countries/india.yaml:2:1: capitol: unknown key 'capitol'" in lines
    assert (
        "data/interests.yaml:13:3: [4].id: expected lower-case words joined by hyphens (like 'asia-pacific'), "
        "got 'Migration'" in lines
    )
    # Pakistan's and Afghanistan's assessments now name an interest that no longer exists.
    for country in ("pakistan", "afghanistan"):
        assert any(
            line.startswith(
                f"data/countries/{country}.yaml:10:5: assessments[0].interest: unknown interest 'migration'"
            )
            for line in lines
        )


def test_script_in_markdown_is_refused_and_never_run(data_copy, tmp_path, capsys):
    from reports.texts import render
    from tests.conftest import run_main

    _break(data_copy, JAPAN_TEXT, "## Willingness", "Do not run <script>alert('x')</script> here.\n\n## Willingness")
    result = run_main(capsys, "country", "japan", "--data", data_copy, "-o", tmp_path / "japan.pdf")
    assert result.returncode == 2
    assert "rules-based-order.md:11: raw HTML '<script>' refused: it would be printed as text" in result.stderr
    assert not (tmp_path / "japan.pdf").exists()
    # Were it printed (a document built without the check), it would be text, never HTML.
    assert "&lt;script&gt;" in render("Do not run <script>alert('x')</script> here.")
    assert "<script>" not in render("<script>\nalert('x')\n</script>")


def test_clean_sample_data_passes(capsys):
    assert main(["check"]) == 0
    assert (
        "12 countries, 13 assessments, 2 regions, 2 pack and event files: no problems found." in capsys.readouterr().out
    )


def test_check_covers_pack_and_event_files(data_copy, capsys, monkeypatch):
    _break(data_copy, "packs/tokyo-delegation-2023.yaml", "country: japan", "country: japn")
    status, lines = _check(data_copy, capsys, monkeypatch)
    assert status == 2
    assert len(lines) == 2 and lines[-1] == "1 problem found."
    assert lines[0].startswith("data/packs/tokyo-delegation-2023.yaml:")
    assert "unknown country 'japn'" in lines[0]


def _second_country_file(data: Path, slug: str, old: str | None = None, new: str = "") -> None:
    """A copy of Japan's file (and its texts) as countries/<slug>.yaml, with `old` replaced by `new`."""
    text = (data / JAPAN).read_text()
    (data / "countries" / f"{slug}.yaml").write_text(text.replace(old, new, 1) if old else text)
    shutil.copytree(data / "countries" / "japan", data / "countries" / slug)


def test_a_country_given_twice_is_refused_naming_both_files_and_lines(data_copy, capsys, monkeypatch):
    _second_country_file(data_copy, "nippon")
    status, lines = _check(data_copy, capsys, monkeypatch)
    assert status == 2
    assert lines == [
        "data/countries/nippon.yaml:1:1: code: ISO code 'JP' is already used by data/countries/japan.yaml:1; "
        "a country has one file",
        "data/countries/nippon.yaml:2:8: name.en: the name 'Japan' is already used by data/countries/japan.yaml:2; "
        "a country has one file",
        "2 problems found.",
    ]


def test_a_name_given_twice_is_refused_in_any_language(data_copy, capsys, monkeypatch):
    # Another code, and an English name of its own, but the German name of Japan (letter case aside).
    _second_country_file(
        data_copy, "korea", 'code: JP\nname: {en: "Japan", de: "Japan"}', 'code: KR\nname: {en: "Korea", de: "JAPAN"}'
    )
    status, lines = _check(data_copy, capsys, monkeypatch)
    assert status == 2
    assert lines == [
        "data/countries/korea.yaml:2:21: name.de: the name 'JAPAN' is already used by data/countries/japan.yaml:2; "
        "a country has one file",
        "1 problem found.",
    ]


def test_file_names_that_differ_only_in_letter_case_are_refused(data_copy, capsys, monkeypatch):
    _second_country_file(data_copy, "Vietnam", "code: JP", "code: KR")
    (data_copy / "countries" / "Vietnam.yaml").write_text(
        (data_copy / "countries" / "Vietnam.yaml")
        .read_text()
        .replace('name: {en: "Japan", de: "Japan"}', 'name: "South Korea"')
    )
    status, lines = _check(data_copy, capsys, monkeypatch)
    assert status == 2
    assert lines[0] == (
        "data/countries/vietnam.yaml:1:1: the file name differs from data/countries/Vietnam.yaml only in letter "
        "case; rename one (a country has one file)"
    )
