"""Briefing packs (issue 4): what a delegation finds in the PDF, and what an editor hears about a bad spec."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DATA, outline_titles, pdf_pages_text, run_build, run_main

from reports.loader import load_atlas

SPEC = DATA / "packs" / "tokyo-delegation-2023.yaml"


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def atlas():
    return load_atlas(DATA)


@pytest.fixture(scope="module")
def pack_pdf(pack_book) -> Path:
    assert f"wrote {pack_book.path}" in pack_book.stdout
    return pack_book.path


@pytest.fixture(scope="module")
def pages(pack_pdf) -> list[str]:
    return pdf_pages_text(pack_pdf)


def _selection(spec: dict, atlas) -> dict[str, list[str]]:
    """country slug -> selected interests, read from the spec as an editor wrote it."""
    chosen = {}
    for item in spec["countries"]:
        item = {"country": item} if isinstance(item, str) else item
        country = atlas.countries[item["country"]]
        interests = item.get("interests", "all")
        chosen[country.slug] = [a.interest for a in country.assessments] if interests == "all" else interests
    return chosen


def _flat(text: str) -> str:
    return " ".join(text.split())


def _squeezed(text: str) -> str:
    # Letter-spaced capitals come out of pdftotext as "F OR OFFICIAL": compare without spaces.
    return re.sub(r"\s", "", text).upper()


def test_the_marking_is_on_the_cover_and_every_page(pages, spec):
    marking = _squeezed(spec["marking"]["en"])
    assert len(pages) > 5
    for number, text in enumerate(pages, start=1):
        # In the footer of every page; on the cover once more on its own.
        assert _squeezed(text).count(marking) == 1 + (number == 1), f"page {number}"


def test_the_cover_names_title_delegation_dates_and_issue(pages, spec):
    cover = _flat(pages[0])
    assert spec["title"]["en"] in cover
    assert spec["delegation"]["en"] in cover
    assert "12 November 2023 – 16 November 2023" in cover
    assert "Date of issue 3 November 2023" in cover


def test_the_at_a_glance_table_lists_exactly_the_selected_countries(pages, spec, atlas):
    glance = [text for text in pages if text.lstrip().upper().startswith("AT A GLANCE")]
    assert len(glance) == 1
    selected = _selection(spec, atlas)
    for country in atlas.countries.values():
        shown = re.search(rf"^\s*{country.name.get('en')}\b", glance[0], re.MULTILINE) is not None
        assert shown == (country.slug in selected), country.slug
    for slug in selected:
        country = atlas.countries[slug]
        row = next(line for line in glance[0].splitlines() if line.strip().startswith(country.name.get("en")))
        assert country.capital.get("en") in row
        assert f"{country.population.value:,}" in row
        # A country's first row shows its first selected interest.
        ratings = next(a.ratings for a in country.assessments if a.interest == selected[slug][0])
        assert row.split()[-4:] == [str(ratings.of(q)) for q in ("relevance", "willingness", "status_quo", "potential")]


def test_only_the_selected_interests_appear(pack_pdf, spec, atlas):
    selected = _selection(spec, atlas)
    assert set(selected["japan"]) < {a.interest for a in atlas.countries["japan"].assessments}, (
        "the sample must leave out one of Japan's interests for this test to mean anything"
    )
    outline = outline_titles(pack_pdf)
    names = {c.name.get("en"): c.slug for c in atlas.countries.values()}
    interest_names = {i.name.get("en"): i.id for i in atlas.interests.values()}
    found: dict[str, list[str]] = {}
    current = None
    for depth, title in outline:
        if depth == 0:
            current = names.get(title)
            if current:
                found[current] = []
        elif current and title in interest_names:
            found[current].append(interest_names[title])
    assert found == selected


def test_contents_page_numbers_point_at_the_sections(pages):
    contents = pages[1]
    entries = re.findall(r"^\s*(\S.*?)\s*(?:\. ?){3,}\s*(\d+)\s*$", contents, re.MULTILINE)
    assert [title for title, _ in entries][:2] == ["At a glance", "Briefing notes"]
    assert len(entries) >= 6
    for title, page in entries:
        assert title.upper() in pages[int(page) - 1].upper(), (title, page)


def test_an_unknown_country_is_an_error_at_its_line(tmp_path, capsys):
    spec = tmp_path / "pack.yaml"
    text = SPEC.read_text(encoding="utf-8").replace("  - china\n", "  - atlantis\n")
    spec.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - atlantis") + 1
    output = tmp_path / "pack.pdf"
    result = run_main(capsys, "pack", spec, "-o", output)
    assert result.returncode == 2
    assert (
        result.stderr == f"{spec.as_posix()}:{line}:5: countries[1].country: unknown country 'atlantis'; "
        "expected one of: afghanistan, brazil, chile, china, india, japan, "
        "kazakhstan, mexico, pakistan, taiwan, uzbekistan, vietnam\n1 problem found.\n"
    )
    assert not output.exists()


def test_unknown_and_unassessed_interests_are_errors_at_their_lines(tmp_path, capsys):
    spec = tmp_path / "pack.yaml"
    text = SPEC.read_text(encoding="utf-8").replace(
        "interests: [rules-based-order]", "interests: [migration, rules-order]"
    )
    spec.write_text(text, encoding="utf-8")
    line, row = next((n, row) for n, row in enumerate(text.splitlines(), start=1) if "rules-order" in row)
    result = run_main(capsys, "pack", spec, "-o", tmp_path / "pack.pdf")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        (
            f"{spec.as_posix()}:{line}:{row.index('migration') + 1}: countries[0].interests[0]: Japan has no "
            "assessment for 'migration'; it has: rules-based-order, prosperity"
        ),
        (
            f"{spec.as_posix()}:{line}:{row.index('rules-order') + 1}: countries[0].interests[1]: unknown interest "
            "'rules-order'; expected one of: rules-based-order, prosperity, security, resources-climate, migration"
        ),
        "2 problems found.",
    ]
    assert not (tmp_path / "pack.pdf").exists()


def test_a_misspelt_key_in_a_spec_is_reported_like_in_data(tmp_path, capsys):
    spec = tmp_path / "pack.yaml"
    shutil.copy(SPEC, spec)
    spec.write_text(spec.read_text(encoding="utf-8").replace("issued:", "isued:"), encoding="utf-8")
    rows = spec.read_text(encoding="utf-8").splitlines()
    first = next(n for n, row in enumerate(rows, start=1) if row and not row.startswith("#"))  # the spec's first key
    misspelt = next(n for n, row in enumerate(rows, start=1) if row.startswith("isued:"))
    result = run_main(capsys, "pack", spec, "-o", tmp_path / "pack.pdf")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{spec.as_posix()}:{first}:1: issued: required field is missing",
        f"{spec.as_posix()}:{misspelt}:1: isued: unknown key 'isued'",
        "2 problems found.",
    ]
    assert not (tmp_path / "pack.pdf").exists()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["pack", "data/packs/no-such-pack.yaml"], "data/packs/no-such-pack.yaml: file not found"),
        (["atlas", "--data", "no-such-folder"], "no-such-folder: data folder not found"),
    ],
)
def test_a_missing_spec_or_data_folder_is_named_without_a_traceback(arguments, message, tmp_path):
    """End to end: the command line itself, in its own process."""
    result = run_build(*arguments, "--quiet", "-o", tmp_path / "book.pdf")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [message, "1 problem found."]
    assert not (tmp_path / "book.pdf").exists()
