"""Typesetting a book in chapters gives the book typeset in one piece."""

import io
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pikepdf
import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from reports.cache import Cache
from reports.profiles import PROFILES
from reports.sharing import _to_unicode
from reports.typeset import typeset
from reports.typeset_book import BuildReport, HtmlBook, HtmlChapter, typeset_chapters
from tests.conftest import DATA, pdf_navigation, pdf_page_looks, pdf_pages_text

HEAD = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A test book</title>
<meta name="dcterms.created" content="2023-06-30"><meta name="dcterms.modified" content="2023-06-30">
<style>
@page { size: A4; margin: 20mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); }
        @top-left { content: string(chapter); } }
@page :blank { @bottom-right { content: none; } @top-left { content: none; } }
@page cover { @bottom-right { content: none; } }
.cover { page: cover; }
.chapter { break-before: right; }
h1 { string-set: chapter content(); bookmark-level: 1; }
h2 { bookmark-level: 2; }
a.page-ref::after { content: target-counter(attr(href), page); }
</style></head>"""
SCREEN = PROFILES["screen"]
PARAGRAPH = "<p>" + "Words of a chapter that fill its pages. " * 40 + "</p>"


def _chapter(name: str, body: str, kind: str = "chapter") -> HtmlChapter:
    return HtmlChapter(name, f'{HEAD}<body><div class="{kind}">{body}</div></body></html>')


def _book(length_of_chapter_2: int = 2) -> HtmlBook:
    contents = "".join(
        f'<li><a href="#c{i}">Chapter {i}</a> p. <a class="page-ref" href="#c{i}"></a></li>' for i in range(1, 5)
    )
    chapters = [_chapter("contents", f'<h1 id="contents">Contents</h1><ul>{contents}</ul>', "cover")]
    for i in range(1, 5):
        length = length_of_chapter_2 if i == 2 else i % 3 + 1
        sections = "".join(f'<h2 id="c{i}s{j}">Section {j}</h2>' + PARAGRAPH * length for j in range(3))
        following = i % 4 + 1
        chapters.append(
            _chapter(
                f"chapter {i}",
                f'<h1 id="c{i}">Chapter {i}</h1>{sections}'
                f'<p>See <a href="#c{following}">chapter {following}</a> on page '
                f'<a class="page-ref" href="#c{following}"></a>.</p>',
            )
        )
    return HtmlBook(chapters, DATA, stylesheets=[])


def typeset_in_chapters(book: HtmlBook, profile, executor, cache=None, report=None) -> bytes:
    return typeset_chapters(book, profile, executor, cache, report=report)()


def typeset_in_one_piece(book: HtmlBook, profile) -> bytes:
    return typeset(book.one_piece(), profile)


def _reading(pdf: bytes, tmp_path: Path) -> dict:
    """What a reader meets: the text of each page (layout kept), how each page looks (drawn at 40 dpi,
    a digest of each image), the outline and the link targets."""
    path = tmp_path / "book.pdf"
    path.write_bytes(pdf)
    texts = pdf_pages_text(path)
    return {"pages": len(texts), "text": texts, "looks": pdf_page_looks(path), **pdf_navigation(path)}


@pytest.fixture(scope="module")
def executor():
    with ThreadPoolExecutor(2) as pool:
        yield pool


def test_chapters_give_the_same_book_as_one_piece(executor, tmp_path):
    book = _book()
    one_piece = _reading(typeset_in_one_piece(book, SCREEN), tmp_path)
    in_chapters = _reading(typeset_in_chapters(book, SCREEN, executor), tmp_path)
    assert in_chapters == one_piece
    assert one_piece["pages"] == 15
    assert "Chapter 2 p. 7" in one_piece["text"][0]  # a contents entry with its real page
    assert "Page 7 of 15" in one_piece["text"][6]
    assert one_piece["text"][1].strip() == ""  # the blank verso after the contents page
    assert (0, "Chapter 3", 11) in one_piece["outline"]
    assert (1, "c4", 13) in one_piece["links"]  # the contents entry of chapter 4 leads to its page


def test_joined_book_is_a_valid_tagged_pdf(executor, tmp_path):
    path = tmp_path / "book.pdf"
    path.write_bytes(typeset_in_chapters(_book(), SCREEN, executor))
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with pikepdf.open(path) as pdf:
        tree = pdf.Root.StructTreeRoot
        keys = [int(page.obj.StructParents) for page in pdf.pages if "/StructParents" in page.obj]
        assert len(keys) == len(set(keys)), "every page needs its own marked-content key"
        assert int(tree.ParentTreeNextKey) == len(tree.ParentTree.Nums) // 2


def test_a_longer_chapter_moves_the_page_numbers_after_it(executor, tmp_path):
    book = _book(length_of_chapter_2=5)
    assert _reading(typeset_in_chapters(book, SCREEN, executor), tmp_path) == _reading(
        typeset_in_one_piece(book, SCREEN), tmp_path
    )


def test_page_numbers_typeset_in_parts_run_on_across_them(executor, tmp_path, monkeypatch):
    monkeypatch.setattr("reports.typeset_book._OVERLAY_PART", 4)  # 15 pages: four parts
    book = _book()
    in_chapters = _reading(typeset_in_chapters(book, SCREEN, executor), tmp_path)
    assert in_chapters == _reading(typeset_in_one_piece(book, SCREEN), tmp_path)
    assert "Page 5 of 15" in in_chapters["text"][4] and "Page 15 of 15" in in_chapters["text"][14]


def test_cached_rebuild_is_byte_identical_and_typesets_only_what_changed(executor, tmp_path):
    cache = Cache(tmp_path / "cache")
    fresh = typeset_in_chapters(_book(), SCREEN, executor, cache)
    report = BuildReport()
    assert typeset_in_chapters(_book(), SCREEN, executor, cache, report=report) == fresh
    assert report.typeset == []
    edited = _book()
    edited.chapters[3] = HtmlChapter("chapter 3", edited.chapters[3].html.replace("Section 1", "Section one"))
    report = BuildReport()
    typeset_in_chapters(edited, SCREEN, executor, cache, report=report)
    assert report.typeset == ["chapter 3 (layout)", "chapter 3 (page numbers)"]


def test_damaged_cache_entry_is_rebuilt_not_used(executor, tmp_path):
    cache = Cache(tmp_path / "cache")
    fresh = typeset_in_chapters(_book(), SCREEN, executor, cache)
    entries = sorted(p for p in (tmp_path / "cache").rglob("*") if p.is_file())
    damaged = entries[0]
    data = bytearray(damaged.read_bytes())
    data[-10] ^= 0xFF
    damaged.write_bytes(bytes(data))
    report = BuildReport()
    assert typeset_in_chapters(_book(), SCREEN, executor, cache, report=report) == fresh
    assert len(report.typeset) == 1


def _outlines_by_character(pdf: bytes) -> dict[tuple[str, str], set]:
    """(face, character) -> the outlines the PDF's embedded fonts draw for it, parts of composite
    glyphs drawn in place."""
    outlines: dict[tuple[str, str], set] = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for font in document.objects:
            if not (isinstance(font, pikepdf.Dictionary) and font.get("/Subtype") == "/Type0"):
                continue
            descriptor = font.DescendantFonts[0].FontDescriptor
            embedded = descriptor.get("/FontFile2", descriptor.get("/FontFile3"))  # TrueType or OpenType CFF
            if embedded is None:
                continue
            program = TTFont(io.BytesIO(embedded.read_bytes()))
            glyphs, order = program.getGlyphSet(), program.getGlyphOrder()
            face = str(font.BaseFont).split("+", 1)[1]
            for cid, text in _to_unicode(font.ToUnicode.read_bytes()).items():
                pen = DecomposingRecordingPen(glyphs)
                glyphs[order[cid]].draw(pen)
                outlines.setdefault((face, text), set()).add(repr(pen.value))
    return outlines


def test_a_joined_book_draws_every_letter_as_its_chapter_did(executor):
    """Subsets of one face are merged when chapters are joined. The parts of a composite glyph (the
    dotless i and the diaeresis of ï) that lie past the last glyph a chapter draws are numbered anew
    in its subset, at ids another chapter may draw as letters of their own (ð and ñ here): merged,
    every letter still has the outline it has in the book typeset in one piece."""
    style = "<p style=\"font-family: 'Noto Sans'\">"
    accented = "àáâãäåæçèéêëìíîðñòóôõöøùúûüýþÿ"  # the Latin-1 letters around ï, but not ï
    book = HtmlBook(
        [
            _chapter("letters", f"{style}{accented} " * 20 + "</p>", "cover"),
            _chapter("taiwan", f"{style}Taïwan</p>"),
        ],
        DATA,
        stylesheets=["fonts.css"],
    )
    joined_pdf = typeset_in_chapters(book, SCREEN, executor)
    joined = _outlines_by_character(joined_pdf)
    one_piece = _outlines_by_character(typeset_in_one_piece(book, SCREEN))
    assert {("Noto-Sans", letter) for letter in "ïðñT"} <= joined.keys()
    different = sorted(key for key in joined.keys() & one_piece.keys() if joined[key] != one_piece[key])
    assert different == []
    with pikepdf.open(io.BytesIO(joined_pdf)) as document:  # and the subsets were merged
        fonts = [o for o in document.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"]
        faces = [str(font.BaseFont) for font in fonts]
    assert len([face for face in faces if face.endswith("+Noto-Sans")]) == 1, faces
