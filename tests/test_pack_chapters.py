"""Issue 6: a briefing pack typeset in chapters is the same pack as one typeset in one piece."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, pdf_navigation, pdf_pages_text, run_build

SPEC = (DATA / "packs" / "tokyo-delegation-2023.yaml").relative_to(DATA.parent)


def _build(tmp_path_factory, *options: str) -> Path:
    path = tmp_path_factory.mktemp("pack") / "pack.pdf"
    result = run_build("pack", SPEC, "-o", path, "--quiet", *options)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def in_chapters(pack_book) -> Path:
    # Built with --no-cache --jobs 2: every chapter is typeset by this build.
    return pack_book.path


@pytest.fixture(scope="module")
def in_one_piece(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "--one-piece")


def _texts(path: Path) -> list[str]:
    return [" ".join(text.split()) for text in pdf_pages_text(path)]


def test_chapters_and_one_piece_give_the_same_pages(in_chapters, in_one_piece):
    chapters, one_piece = _texts(in_chapters), _texts(in_one_piece)
    assert len(chapters) == len(one_piece)
    for number, (text, expected) in enumerate(zip(chapters, one_piece), start=1):
        assert text == expected, f"page {number}"


def test_chapters_and_one_piece_give_the_same_outline_and_links(in_chapters, in_one_piece):
    chapters, one_piece = pdf_navigation(in_chapters), pdf_navigation(in_one_piece)
    assert chapters == one_piece
    assert len(one_piece["outline"]) > 5
    assert len(one_piece["links"]) > 5


def test_no_page_is_left_blank_and_every_one_is_numbered(in_chapters):
    texts = _texts(in_chapters)
    for number, text in enumerate(texts, start=1):
        # A blank verso would be a page without the handling marking; the pack has none.
        assert f"Page {number} of {len(texts)}" in text, f"page {number}"
        assert "FOR OFFICIAL USE ONLY" in text, f"page {number}"
