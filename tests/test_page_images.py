"""The preview's page images (reports/page_images.py): after an edit, a page is drawn again only
when what it draws changed, and every page shown looks as the new PDF draws it."""

from __future__ import annotations

import io
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf
import pytest

from reports.kinds import CountryDossier
from reports.page_images import first_changed, page_images
from reports.pipeline import BuildOptions, make_pdf
from reports.preview import Preview
from reports.rebuild import Outcome
from tests.conftest import DATA

ASSESSMENT = Path("countries/japan/rules-based-order.md")


def _dossier(data: Path, text: str, word: str) -> bytes:
    """Japan's dossier with one word added to a sentence of its first assessment (`text`)."""
    edited = text.replace("Both are democracies", f"Both are {word} democracies", 1)
    assert edited != text
    (data / ASSESSMENT).write_text(edited, encoding="utf-8")
    return make_pdf(CountryDossier("japan"), BuildOptions(data=data, cache=None)).pdf


def _text_maps(pdf: bytes, page: int) -> set[bytes]:
    """The /ToUnicode maps of the fonts a page uses directly."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        fonts = document.pages[page].obj.Resources.Font
        return {fonts[name].ToUnicode.read_bytes() for name in fonts.keys() if "/ToUnicode" in fonts[name]}


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> tuple[bytes, bytes]:
    data = tmp_path_factory.mktemp("page-images") / "data"
    shutil.copytree(DATA, data)
    text = (data / ASSESSMENT).read_text(encoding="utf-8")
    return _dossier(data, text, "stable"), _dossier(data, text, "mature")


def test_pages_after_an_edit_keep_their_images_though_the_fonts_text_maps_changed(edited):
    before_pdf, after_pdf = edited
    last = -1  # the region's cards: nothing on it changed
    assert _text_maps(before_pdf, last) != _text_maps(after_pdf, last)  # what made every page be drawn again
    with ThreadPoolExecutor(2) as encoders:
        before = page_images(before_pdf, encoders)
        after = page_images(after_pdf, encoders, before)
        fresh = page_images(after_pdf, encoders)  # every page drawn from the new PDF
        changed = first_changed(before, after)
        assert changed == 0  # the edited sentence is on the first page
        assert after[changed].digest != before[changed].digest
        assert after[last] is before[last]  # kept, not drawn again
        # Every page shows what the new PDF draws, kept or not.
        assert [image.digest for image in after] == [image.digest for image in fresh]


def _outcome(pdf: bytes | None, *problems: str) -> Outcome:
    return Outcome(pdf, Path("out/japan.pdf"), (), "", problems, 0.5, {})


def test_pages_drawn_while_a_build_checks_its_pdf_are_shown_only_once_it_passes(edited):
    before_pdf, after_pdf = edited
    preview = Preview("japan", "en")
    try:
        preview.show(_outcome(before_pdf))
        shown = [page["src"] for page in preview.view()["pages"]]
        # The build hands over its PDF as soon as it is typeset, then its check fails: the preview keeps
        # the last good pages and shows the problem.
        preview.typeset(after_pdf)
        failed = "error: the PDF does not meet the screen profile (PDF/UA-1), nothing was written: fonts: not embedded"
        preview.show(_outcome(None, failed))
        view = preview.view()
        assert [page["src"] for page in view["pages"]] == shown
        assert view["problems"] == [failed] and view["changed"] is None
        # The same PDF again, and this time it passes: its pages, as the new PDF draws them.
        preview.typeset(after_pdf)
        preview.show(_outcome(after_pdf))
        view = preview.view()
        with ThreadPoolExecutor(2) as encoders:
            fresh = page_images(after_pdf, encoders)
        assert [page["src"] for page in view["pages"]] == [f"/pages/{image.digest}.png" for image in fresh]
        assert view["problems"] == [] and view["changed"] == 0
    finally:
        preview.close()
