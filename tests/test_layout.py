"""Layout as a reader sees it (issue 12): numbered blocks, running heads, page references, rounded
means, index numbers on the line, addresses that stay in their column, books without duplicates."""

import io
import re
import shutil
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

import tests.conftest
from reports import AtlasEdition, BuildOptions, CountryDossier, RegionDossier, build, make_pdf
from reports.i18n import Language
from reports.preflight import preflight
from reports.profiles import profile_named
from tests.conftest import data_of_countries, pdf_page_looks, pdf_pages_text, pdf_word_boxes

PROSPERITY = "Securing prosperity through free trade and innovation"
RULES = "Strengthening a values- and rules-based world order"
INDEXED = ("japan", "india", "brazil", "vietnam")  # of both regions


def _build(kind, data: Path, output: Path, **options) -> Path:
    build(kind, BuildOptions(data=data, cache=None, jobs=2, **options), output=output)
    return output


@pytest.fixture(scope="module")
def atlas_pdf(tmp_path_factory) -> Path:
    """The atlas of the four countries the index test reads, with Japan's means at the halves that
    round differently: 3.25 and 2.75."""
    folder = tmp_path_factory.mktemp("atlas")
    data = folder / "data"
    data_of_countries(tests.conftest.DATA, data, INDEXED)
    japan = data / "countries" / "japan.yaml"
    text = japan.read_text(encoding="utf-8")
    text = text.replace(
        "ratings: {relevance: 5, willingness: 4, status_quo: 3, potential: 5}",
        "ratings: {relevance: 4, willingness: 3, status_quo: 3, potential: 3}",  # mean 3.25
    ).replace(
        "ratings: {relevance: 5, willingness: 4, status_quo: 4, potential: 4}",
        "ratings: {relevance: 3, willingness: 3, status_quo: 3, potential: 2}",  # mean 2.75
    )
    japan.write_text(text, encoding="utf-8")
    return _build(AtlasEdition(), data, folder / "atlas.pdf")


def _head(page: str) -> str:
    """The running head: the first line of a page's text."""
    return next((line for line in page.splitlines() if line.strip()), "")


def test_blocks_are_numbered_01_to_04_in_order(japan_pdf):
    text = "\n".join(pdf_pages_text(japan_pdf))
    numbers = re.findall(r"^\s*(0\d) — ", text, flags=re.M)  # block labels start a line; running heads do not
    assert numbers == sorted(numbers)
    assert list(dict.fromkeys(numbers)) == ["01", "02", "03", "04"]
    assert re.search(r"^\s*03 — AUTHOR$", text, flags=re.M)


def test_running_head_names_the_assessment_a_page_continues(japan_pdf):
    pages = pdf_pages_text(japan_pdf)
    office = next(page for page in pages if re.search(r"^\s*02 — FOUNDATION OFFICE", page, flags=re.M))
    assert not office.lstrip().startswith(("Securing", "Strengthening")), "the office should follow an assessment"
    assert PROSPERITY in _head(office)  # the last page of the prosperity assessment, where the office begins
    assert "Foundation office" not in _head(office)
    region = next(page for page in pages if re.search(r"^\s*04 — THE REGION", page, flags=re.M))
    assert "04 — The region" in _head(region)  # a block that starts its page names it


def test_each_card_refers_to_the_page_of_its_own_assessment(region_book):
    pages = pdf_pages_text(region_book.path)
    referred = {int(n) for page in pages for n in re.findall(r"\bJapan p\. (\d+)", page)}
    starts = {
        number
        for number, page in enumerate(pages, 1)
        if _head(page).startswith("JAPAN") and re.search(rf"^({re.escape(RULES)}|{PROSPERITY})$", page, flags=re.M)
    }
    assert len(referred) == 2, referred  # two cards, two pages
    assert referred == starts


def test_means_round_half_up():
    assert [Language("en").score(v) for v in (3.25, 2.75, 3.15, 4.0)] == ["3.3", "2.8", "3.2", "4.0"]
    assert Language("de").score(3.25) == "3,3"


def test_means_printed_in_the_atlas_round_half_up(atlas_pdf):
    text = "\n".join(pdf_pages_text(atlas_pdf))
    rows = re.findall(r"^\s*Japan\s+(\d)\s+(\d)\s+(\d)\s+(\d)\s+(\d\.\d)\b", text, flags=re.M)
    assert ("4", "3", "3", "3", "3.3") in rows
    assert ("3", "3", "3", "2", "2.8") in rows


def _words(pdf: Path, page: int) -> list[tuple[str, float, float, float]]:
    """(word, x min, y max, height) of each word on a page."""
    return [(w, x0, y1, y1 - y0) for w, x0, y0, _, y1 in pdf_word_boxes(pdf, page)]


def test_index_page_numbers_stand_on_the_line_of_their_entry(atlas_pdf):
    pages = pdf_pages_text(atlas_pdf)
    index = next(n for n, page in enumerate(pages, 1) if re.search(r"^\s*Index of countries$", page, flags=re.M))
    words = _words(atlas_pdf, index)
    numbers = [w for w in words if w[0].isdigit() and w[1] > 400]  # the right-aligned page numbers
    names = [w for w in words if w[0] in {slug.capitalize() for slug in INDEXED}]
    assert numbers and len(names) == 4
    for name in names:
        number = min(numbers, key=lambda n: abs(n[2] - name[2]))
        assert abs(number[2] - name[2]) < 0.3, f"{name[0]}'s page number {number[0]} is off its line"


LONG_TITLE = "Partner Atlas of the Foundation for International Dialogue and Cooperation Studies"  # 82 letters


@pytest.mark.parametrize("title", ["sample", "long"])
def test_a_books_running_foot_is_one_line_from_margin_to_margin(title, region_book, tmp_path):
    """Every page of a book but its title page and blank versos ends in one line: the book's name from
    the left margin, "Page x of y" ending at the right margin, on one baseline. Also when the
    edition's title is long: the name's part of the foot does not wrap it."""
    if title == "sample":
        book = region_book.path  # the session's Asia-Pacific book
    else:
        data = data_of_countries(tests.conftest.DATA, tmp_path / "data", ("brazil", "chile", "mexico"))
        edition = data / "atlas.yaml"
        edition.write_text(
            re.sub(r"^title: .*$", f'title: {{en: "{LONG_TITLE}"}}', edition.read_text(encoding="utf-8"), flags=re.M),
            encoding="utf-8",
        )
        book = _build(RegionDossier("latin-america"), data, tmp_path / "region.pdf")
    pages = pdf_pages_text(book)
    left, right, foot_top = 22 / 25.4 * 72, (210 - 20) / 25.4 * 72, (297 - 22) / 25.4 * 72  # styles/atlas.css
    for number, text in enumerate(pages, 1):
        if number == 1 or not text.strip():
            continue
        foot = sorted((b for b in pdf_word_boxes(book, number) if b[2] > foot_top), key=lambda b: b[1])
        name = " ".join(b[0] for b in foot[:-4])
        assert name.startswith(LONG_TITLE if title == "long" else "Partner Atlas 2023"), f"page {number}: {name}"
        assert [b[0] for b in foot[-4:]] == ["Page", str(number), "of", str(len(pages))], f"page {number}: {foot}"
        assert abs(foot[0][1] - left) < 1, f"page {number}: the name starts at {foot[0][1]:.1f} pt"
        assert abs(foot[-1][3] - right) < 1, f"page {number}: the page number ends at {foot[-1][3]:.1f} pt"
        assert max(b[4] for b in foot) - min(b[4] for b in foot) < 0.3, f"page {number}: the foot is not one line"


@pytest.fixture(scope="module")
def region_print(tmp_path_factory) -> Path:
    """The three-country region in the print profile, joined from chapters."""
    output = tmp_path_factory.mktemp("print") / "latin-america.pdf"
    options = BuildOptions(data=tests.conftest.DATA, profile="print", cache=None, jobs=2)
    output.write_bytes(make_pdf(RegionDossier("latin-america"), options).pdf)
    return output


@pytest.mark.parametrize("profile", ["screen", "print", "archive"])
def test_a_book_joined_from_chapters_looks_like_one_piece_and_carries_shared_resources_once(
    profile, region_book, region_archive, region_print, tmp_path
):
    """Joined from chapters, a book looks like the same book typeset in one piece, page by page (the
    fonts' subsets merged, the running foot stamped; the ï of the French "Taïwan" once printed with
    other letters' parts), and carries the colour profile and each face once, not once per chapter:
    at most 1.1 times its size (it was 11 times in print, twice on screen). On screen and in the
    archive profile the session's Asia-Pacific books; in print the three-country region, joined
    once for this module and typeset in one piece here."""
    books = {}
    joined = {"screen": region_book.path, "archive": region_archive, "print": region_print}  # made of chapters
    region = "latin-america" if profile == "print" else "asia-pacific"
    for one_piece in (False, True):
        if not one_piece and profile in joined:
            books[one_piece] = joined[profile]
            continue
        options = BuildOptions(data=tests.conftest.DATA, profile=profile, one_piece=one_piece, cache=None, jobs=2)
        books[one_piece] = tmp_path / f"{region}-{one_piece}.pdf"
        books[one_piece].write_bytes(make_pdf(RegionDossier(region), options).pdf)
    assert pdf_page_looks(books[False]) == pdf_page_looks(books[True])
    sizes = {one_piece: path.stat().st_size for one_piece, path in books.items()}
    assert sizes[False] <= 1.1 * sizes[True], f"joined {sizes[False]} bytes, one piece {sizes[True]}"


def test_a_print_books_crop_marks_are_its_pages_own_and_a_blank_versos(region_print):
    """The running foot is stamped from an overlay typeset for the whole book; a page shows its
    trimmed part, and the crop marks in the bleed are the page's own. So a stamp draws no marks
    but on a blank verso, which has none of its own: hidden marks under the page's would be
    content beyond the trim that a print shop's preflight reports (and they made the overlay two
    fifths slower to typeset)."""
    stamped, blanks = set(), set()
    with pikepdf.open(region_print) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            forms = page.obj.Resources.XObject
            if set(forms.keys()) == {"/AtlasPageNumber"}:
                blanks.add(number)  # a blank verso joining put in: nothing drawn but the stamp
            if any(str(op) == "Do" for _, op in pikepdf.parse_content_stream(forms["/AtlasPageNumber"])):
                stamped.add(number)  # WeasyPrint draws each mark as a form
        assert blanks and len(blanks) < len(pdf.pages)
    assert stamped == blanks


def test_a_joined_book_embeds_each_face_once_whatever_its_outlines(region_book):
    """Each chapter subsets the faces it uses; joined, the subsets of one face become one font. The
    CJK face of China's, Japan's and Taiwan's own names has CFF outlines (OpenType, /FontFile3),
    the others TrueType: both kinds are merged, and every name still reads as written."""
    with pikepdf.open(region_book.path) as pdf:
        descriptors = [
            o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"
        ]
        faces = [str(d.FontName).split("+", 1)[1] for d in descriptors if "/FontFile2" in d or "/FontFile3" in d]
        cff = [str(d.FontName) for d in descriptors if "/FontFile3" in d]
    assert len(cff) == 1, cff
    assert len(faces) == len(set(faces)), sorted(faces)
    text = " ".join(pdf_pages_text(region_book.path))
    assert all(name in text for name in ("中国", "日本", "臺灣"))


def test_a_joined_book_keeps_one_copy_of_each_resource_its_chapters_share(region_book):
    """What the chapters' pages draw with, once their fonts are merged, is often the same in every
    chapter: resource dictionaries, graphics states, font descriptors, forms. The joined book keeps
    one copy of each (until 5 December only streams were compared, and every chapter kept its own
    dictionaries: at 200 countries, 5,200 of them, and 2,900 forms that differed by them alone)."""
    with pikepdf.open(region_book.path) as pdf:
        pages = {page.obj.objgen for page in pdf.pages}
        drawn_with = [
            obj
            for obj in pdf.objects
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream))
            and obj.objgen not in pages
            and "/StructParents" not in obj
            and (obj.get("/Type") in ("/ExtGState", "/FontDescriptor", "/XObject") or _is_resource_dictionary(obj))
        ]
        written = Counter(
            (obj.stream_dict.unparse() + obj.read_raw_bytes())
            if isinstance(obj, pikepdf.Stream)
            else obj.unparse(resolved=True)
            for obj in drawn_with
        )
    assert len(drawn_with) > 20
    repeated = [(form[:80], count) for form, count in written.items() if count > 1]
    assert not repeated, repeated


def _is_resource_dictionary(obj) -> bool:
    keys = set(obj.keys()) if isinstance(obj, pikepdf.Dictionary) else set()
    return bool(keys) and keys <= {"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/ProcSet"}


ADDRESS = (
    "https://www.auswaertiges-amt.de/resource/blob/2380500/33f978a9d4f511942c241eb4602086c1"
    "33f978a9d4f511942c241eb4602086c1-Indo-Pacific-guidelines--2020--final.pdf"
)
SOURCE = "https://www.auswaertiges-amt.de/blob/2380500/33f978a9d4f511942c241eb4602086c1/200901-leitlinien--data.pdf"
LONG_WORD = "Donaudampfschiff" + "x" * 120  # longer than the column, no hyphenation point


@pytest.fixture(scope="module")
def long_addresses(tmp_path_factory) -> dict[str, Path]:
    """Japan's dossier in each profile, with a long address and a long word in an answer and an
    address in a source."""
    folder = tmp_path_factory.mktemp("addresses")
    data = folder / "data"
    shutil.copytree(tests.conftest.DATA, data)
    answer = data / "countries" / "japan" / "rules-based-order.md"
    text = answer.read_text(encoding="utf-8")
    first = text.index("\n\n", text.index("## Relevance")) + 2
    added = f"The guidelines are published at {ADDRESS} and summarised in {LONG_WORD}.\n\n"
    answer.write_text(text[:first] + added + text[first:], encoding="utf-8")
    country = data / "countries" / "japan.yaml"
    listed = "Policy guidelines for the Indo-Pacific region, September 2020."
    country.write_text(
        country.read_text(encoding="utf-8").replace(listed, f"{listed} {SOURCE}"),
        encoding="utf-8",
    )
    return {
        profile: _build(CountryDossier("japan"), data, folder / f"japan-{profile}.pdf", profile=profile)
        for profile in ("screen", "print", "archive")  # each build passes its profile's preflight and validator
    }


def _content_area_check(pdf: bytes, profile: str):
    return next(c for c in preflight(pdf, profile_named(profile)) if c.name.startswith("text and graphics inside"))


@pytest.mark.parametrize("profile", ["screen", "print", "archive"])
def test_a_long_address_breaks_at_its_joints_and_stays_in_the_content_area(long_addresses, profile):
    pdf = long_addresses[profile]
    text = "".join(pdf_pages_text(pdf))
    unbroken = re.sub(r"\s+", "", text)  # the lines and justified words joined again
    assert ADDRESS in unbroken  # as typed: no hyphen put in, '--' not made a dash, broken only between lines
    assert "‐" not in unbroken[unbroken.index(ADDRESS) - 5 : unbroken.index(ADDRESS) + len(ADDRESS) + 5]
    assert LONG_WORD in unbroken.replace("‐", "")  # an ordinary word: hyphenated where it can be, then broken
    assert all(not line.endswith("-") for line in text.splitlines() if line.strip() and line.strip() in ADDRESS)
    # The source's address, shown short (no scheme, no www, no middle), and breakable
    assert "auswaertiges-amt.de/blob/…/200901-leitlinien--data.pdf" in unbroken
    check = _content_area_check(pdf.read_bytes(), profile)
    assert check.passed, check.detail
    with pikepdf.open(pdf) as document:
        uris = {str(a.A.URI) for page in document.pages for a in page.obj.get("/Annots", []) if "/A" in a}
    # The short address links to the whole one, tagged as PDF/UA and PDF/A-3A ask (the build ran
    # page-validation); print has no links (no annotations at all)
    assert uris == ({SOURCE} if profile != "print" else set())


def _with_text_at(pdf: Path, page_number: int, x: float, y: float) -> bytes:
    """The PDF with a word drawn at (x, y) on one page, in a font the page has."""
    with pikepdf.open(pdf) as document:
        page = document.pages[page_number - 1]
        font = next(iter(page.resources.Font.keys()))
        page.contents_add(document.make_stream(b"q\n"), prepend=True)  # the page's own coordinates end here
        page.contents_add(document.make_stream(f"Q BT {font} 10 Tf {x} {y} Td <0030003100320033> Tj ET".encode()))
        output = io.BytesIO()
        document.save(output)
        return output.getvalue()


def test_text_outside_the_content_area_fails_preflight_naming_the_page(long_addresses):
    screen, printed = long_addresses["screen"], long_addresses["print"]
    assert _content_area_check(screen.read_bytes(), "screen").passed
    check = _content_area_check(_with_text_at(screen, 2, 585, 400), "screen")  # A4 is 595 pt wide
    assert not check.passed
    assert "page 2: text" in check.detail and "right edge" in check.detail
    # In print, the bleed is outside the page: text there is cut off
    check = _content_area_check(_with_text_at(printed, 3, 100, -6), "print")
    assert not check.passed
    assert "page 3: text" in check.detail and "bottom edge" in check.detail


@pytest.mark.parametrize(
    "shown", ["[<41414141> 667 () <4141{hex}>] TJ", "[(AAAA) 667 () (AA{a})] TJ", "[(AAAAA{a})] TJ", "(AAAAA{a}) Tj"]
)
def test_the_end_of_a_run_of_text_is_where_its_widths_and_kerning_put_it(shown):
    """Where a run of text ends comes from its font's widths less its kerning, whether its strings are
    written in hexadecimal (as WeasyPrint writes them) or as literal strings: from x = 100 on a page 200
    pt wide, five A (667 thousandths of 30 pt each, 20 pt), or six with one A's width of kerning back,
    end at 200.05 pt, inside; one A more is 20 pt past the edge."""
    for more in ("", "A"):
        longer = shown.format(a=more, hex="41" * len(more))
        with pikepdf.new() as document:
            font = pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name.Helvetica,
                FirstChar=65,
                Widths=[667],
            )
            page = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, 200, 200],
                Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=document.make_indirect(font))),
                Contents=document.make_stream(f"BT /F1 30 Tf 100 100 Td {longer} ET".encode()),
            )
            document.pages.append(pikepdf.Page(page))
            output = io.BytesIO()
            document.save(output)
        check = _content_area_check(output.getvalue(), "screen")
        if more:
            assert check.detail == "page 1: text 7.1 mm beyond the right edge of the page", longer
        else:
            assert check.passed, (longer, check.detail)


def test_text_in_the_margin_beside_the_column_fails_preflight(long_addresses):
    """The content area is the page's column (its @page margins), not the page less a few millimetres:
    a word 2 mm into the right margin is far from the page's edge, and still out of place."""
    screen = long_addresses["screen"]
    check = _content_area_check(screen.read_bytes(), "screen")
    assert check.passed and "each in its column" in check.detail  # the running heads in the margins pass
    column_right = 595.28 - 20 * 72 / 25.4  # A4 less the 20 mm right margin of styles/atlas.css
    check = _content_area_check(_with_text_at(screen, 2, column_right + 6, 400), "screen")
    assert not check.passed
    assert check.detail.startswith("page 2: text ") and check.detail.endswith("beyond the right edge of the column")
