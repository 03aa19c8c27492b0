"""Issue 3: comparing the sealed 2022 edition with the working data."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import DATA, PROJECT, pdf_pages_text, run_build

ARCHIVED = PROJECT / "archive" / "2022" / "data"


@pytest.fixture(scope="module")
def diff_text(diff_build):
    return [re.sub(r"\s+", " ", page) for page in pdf_pages_text(diff_build.path)]


def _assessment(root, country, interest):
    data = yaml.safe_load((root / "countries" / f"{country}.yaml").read_text())
    return data, next(a for a in data["assessments"] if a["interest"] == interest)


def test_summary_comes_first_and_lists_the_added_assessment(diff_text):
    added = sorted(
        p.stem for p in (DATA / "countries").glob("*.yaml") if not (ARCHIVED / "countries" / p.name).exists()
    )
    assert added == ["chile"]
    data, _ = _assessment(DATA, "chile", "resources-climate")
    assert "Summary" in diff_text[0]
    assert f"Assessments added 1: {data['name']['en']} · Resources and climate" in diff_text[0]


def test_lists_a_known_rating_change(diff_text):
    _, old = _assessment(ARCHIVED, "japan", "rules-based-order")
    _, new = _assessment(DATA, "japan", "rules-based-order")
    before, after = old["ratings"]["willingness"], new["ratings"]["willingness"]
    assert before != after
    row = f"Japan Rules-based order Willingness {before} {after} {after - before:+d}"
    assert any(row in page for page in diff_text)


def test_shows_changed_facts_and_word_level_text_changes(diff_text):
    old, _ = _assessment(ARCHIVED, "kazakhstan", "security")
    new, _ = _assessment(DATA, "kazakhstan", "security")
    text = " ".join(diff_text)
    assert f"Kazakhstan Capital {old['capital']['en']} {new['capital']['en']}" in text
    assert "Kazakhstan · Security: Relevance" in text


def test_an_unknown_edition_is_a_clear_error(tmp_path):
    """End to end: the command line itself, in its own process."""
    result = run_build("diff", "1999", "2023", "-o", tmp_path / "diff.pdf")
    assert result.returncode == 2
    assert result.stderr == (
        "no edition 1999: sealed editions in archive: 2022; the working data is edition 2023\n1 problem found.\n"
    )
    assert not (tmp_path / "diff.pdf").exists()
