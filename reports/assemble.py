"""Joining separately typeset chapters into one book PDF.

Chapters are typeset apart (in parallel, cached), each starting at its own
page 1. Joining them makes the book a reader expects, identical in its
navigation to the same book typeset in one piece:

- pages in order, with blank versos where a chapter must start on a recto;
- the running foot (the book's name, "page x of y") from an overlay typeset
  for the whole book, stamped onto each page as an artifact;
- one outline, rebuilt from the chapters' bookmark levels;
- links into other chapters pointed at their real destinations;
- one structure tree (tagged PDF), the chapters' trees side by side;
- one copy of what the chapters share: colour profile, fonts (reports/sharing.py).

Only pikepdf here: nothing knows about countries or WeasyPrint.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

from .pages import TypesetChapter
from .sharing import share_resources


@dataclass(frozen=True)
class Placement:
    """Where a chapter goes: its first page in the book (0-based) and what precedes it."""

    chapter: TypesetChapter
    first_page: int
    blank_before: bool  # a blank verso inserted so that the chapter starts on a recto


def place(chapters: list[TypesetChapter], recto: list[bool]) -> list[Placement]:
    """Page positions of the chapters in the book."""
    placements, next_page = [], 0
    for chapter, needs_recto in zip(chapters, recto):
        blank = needs_recto and next_page % 2 == 1  # page index 1 is page 2, a verso
        first = next_page + blank
        placements.append(Placement(chapter, first, blank))
        next_page = first + chapter.page_count
    return placements


def join(placements: list[Placement], overlays: list[bytes]) -> bytes:
    """The book: chapters' pages in place, the running foot stamped from the overlays' pages (one per
    page of the book, in order), outline, links, tags."""
    book = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(p.chapter.pdf)) for p in placements]
    numbers = [pikepdf.open(io.BytesIO(overlay)) for overlay in overlays]
    try:
        first = sources[0]
        _copy_catalog(first, book)
        destinations: dict[str, Array] = {}
        outline_entries: list[tuple[int, str, int]] = []
        parent_tree: list = []
        struct_kids: list = []
        next_struct_key = 0
        blanks: set[int] = set()  # the blank versos' page indices
        for placement, source in zip(placements, sources):
            if placement.blank_before:
                blanks.add(len(book.pages))
                _blank_page(book, source.pages[0])
            start = len(book.pages)
            for page in source.pages:
                book.pages.append(page)
            copied: dict[Any, pikepdf.Page] = {
                source.pages[i].objgen: book.pages[start + i] for i in range(len(source.pages))
            }
            stubs = placement.chapter.stubs
            for name, destination in _named_destinations(source).items():
                if name not in stubs:
                    page = copied[destination[0].objgen]
                    destinations[name] = Array([page.obj, *destination[1:]])
            outline_entries += [(level, label, start + index) for level, index, label in placement.chapter.bookmarks]
            next_struct_key = _move_structure(
                book, source, book.pages[start : start + len(source.pages)], next_struct_key, parent_tree, struct_kids
            )
        _write_destinations(book, destinations)
        _write_outline(book, outline_entries)
        if struct_kids:
            _write_structure(book, first, struct_kids, parent_tree, next_struct_key)
        if numbers:
            _stamp(book, [page for overlay in numbers for page in overlay.pages], blanks)
        share_resources(book)
        _compress_streams(book)
        return save_book(book)
    finally:
        for source in [*sources, *numbers]:
            source.close()


def save_book(book: pikepdf.Pdf) -> bytes:
    """The book's bytes, where no stream's data ends in a carriage return (see _compress_streams).

    The object and cross-reference streams are made and compressed by qpdf while saving, so they are
    checked in the saved file. When one ends in a CR (about one in 256; a book has dozens), one
    object in each such object stream gets a filler number (a private key, which readers ignore) and
    the file is saved again keeping its object streams as they are, so the filler changes exactly
    the streams at fault (and the cross-reference stream, whose offsets then move)."""
    output = _saved(book, pikepdf.ObjectStreamMode.generate)
    for filler in range(1, 9):
        if not _CR_AT_AN_END.search(output):
            break  # the file as written shows that no stream ends in CR: not read again (1 s at 900 pages)
        with pikepdf.open(io.BytesIO(output)) as saved:
            ending = [
                obj
                for obj in saved.objects
                if isinstance(obj, pikepdf.Stream)
                and obj.get("/Type") in (Name.ObjStm, Name.XRef)
                and obj.read_raw_bytes().endswith(b"\r")
            ]
            if not ending:
                break
            for stream in ending:
                _filled(saved, stream)[_FILLER] = filler
            output = _saved(saved, pikepdf.ObjectStreamMode.preserve)
    return output


_FILLER = Name("/PartnerAtlasFiller")
_CR_AT_AN_END = re.compile(rb"\r\n?endstream")  # as the file is written: data, a line feed, 'endstream'


def _saved(book: pikepdf.Pdf, object_streams: pikepdf.ObjectStreamMode) -> bytes:
    output = io.BytesIO()
    book.save(output, deterministic_id=True, compress_streams=True, object_stream_mode=object_streams)
    return output.getvalue()


def _filled(saved: pikepdf.Pdf, stream: pikepdf.Stream) -> pikepdf.Object:
    """The dictionary to change so that a stream's bytes change: one kept in the object stream (its
    header lists its objects' numbers), or, for the cross-reference stream, the catalog."""
    if stream.get("/Type") == Name.ObjStm:
        header = stream.read_bytes()[: int(stream.First)].split()
        for number in header[0::2]:
            obj = saved.get_object((int(number), 0))
            if isinstance(obj, Dictionary):
                return obj
    return saved.Root


def _compress_streams(book: pikepdf.Pdf) -> None:
    """Compress every stream but the XMP metadata (PDF/A wants it readable), so that no stream's
    data ends in a carriage return.

    The file writes a line feed between a stream's data and 'endstream'; after a final CR,
    validators read CR LF as that end of line and the stream's /Length as one byte too long
    (PDF/A: ISO 19005-2, 6.1.7.1). Compressed data ends in a checksum of the content, so such a
    stream is changed before it is compressed: a page's or form's drawing gets a trailing line
    feed (which draws nothing); any other stream is stored uncompressed. (The object streams the
    save makes are compressed by qpdf: see save_book.)"""
    drawings = {
        obj.objgen for obj in book.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form"
    }
    for page in book.pages:
        contents = page.obj.get("/Contents")
        parts = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
        drawings |= {part.objgen for part in parts}
    for stream in book.objects:
        if not isinstance(stream, pikepdf.Stream) or stream.get("/Type") == pikepdf.Name.Metadata:
            continue
        flate = stream.get("/Filter") == pikepdf.Name.FlateDecode
        if stream.get("/Filter") is not None and not (flate and stream.read_raw_bytes().endswith(b"\r")):
            continue  # compressed already, and well
        data = stream.read_bytes()
        if stream.objgen in drawings and zlib.compress(data).endswith(b"\r"):
            data += b"\n"
        compressed = zlib.compress(data)
        if compressed.endswith(b"\r"):
            stream.write(data)
        else:
            stream.write(compressed, filter=pikepdf.Name.FlateDecode)


def _copy_catalog(source: pikepdf.Pdf, book: pikepdf.Pdf) -> None:
    """Document-wide settings (language, viewer preferences, output intents, metadata) of the first chapter."""
    for key in ("/Lang", "/ViewerPreferences", "/MarkInfo", "/OutputIntents", "/Metadata", "/PageLabels"):
        if key in source.Root:
            book.Root[key] = _copy(book, source, source.Root[key])
    book.docinfo = _copy(book, source, source.docinfo)


def _copy(book: pikepdf.Pdf, source: pikepdf.Pdf, value):
    """A value of another PDF, made ours (pikepdf copies only indirect objects across files)."""
    if isinstance(value, (Dictionary, Array, pikepdf.Stream)):
        return book.copy_foreign(value if value.is_indirect else source.make_indirect(value))
    return value


def _blank_page(book: pikepdf.Pdf, like: pikepdf.Page) -> None:
    page = pikepdf.Page(Dictionary(Type=Name.Page, Resources=Dictionary(), Contents=book.make_stream(b"")))
    for box in ("/MediaBox", "/TrimBox", "/BleedBox", "/CropBox"):
        if box in like.obj:
            page.obj[box] = Array([float(v) for v in like.obj[box]])
    book.pages.append(page)


def _named_destinations(source: pikepdf.Pdf) -> dict[str, Any]:
    names = source.Root.Names.get("/Dests") if "/Names" in source.Root else None
    if names is None:
        return {}
    tree = pikepdf.NameTree(names)
    return {str(name): destination for name, destination in tree.items()}


def _write_destinations(book: pikepdf.Pdf, destinations: dict[str, Array]) -> None:
    if not destinations:
        return
    tree = pikepdf.NameTree.new(book)
    for name in sorted(destinations):
        tree[name] = destinations[name]
    book.Root.Names = Dictionary(Dests=tree.obj)


def _write_outline(book: pikepdf.Pdf, entries: list[tuple[int, str, int]]) -> None:
    """Nest entries by level, as WeasyPrint does for a book typeset in one piece."""
    with book.open_outline() as outline:
        stack: list[tuple[int, OutlineItem]] = []
        for level, label, page in entries:
            item = OutlineItem(label, page)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else outline.root).append(item)
            stack.append((level, item))


def _move_structure(book, source, pages, next_key, parent_tree, struct_kids) -> int:
    """Give the chapter's marked content keys from the book's number space; collect its tree."""
    root = source.Root.get("/StructTreeRoot")
    if root is None:
        return next_key
    offset = next_key
    nums = _copy(book, source, root.ParentTree.get("/Nums", Array()))  # copied in one go: much faster
    highest = -1
    for i in range(0, len(nums), 2):
        key = int(nums[i])
        parent_tree += [key + offset, nums[i + 1]]
        highest = max(highest, key)
    for page in pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    kids = root.K if isinstance(root.K, Array) else Array([root.K])
    for kid in kids:
        document = _copy(book, source, kid)
        struct_kids += list(document.K) if document.get("/S") == Name.Document else [document]
    return offset + highest + 1


def _write_structure(book, first, struct_kids, parent_tree, next_key) -> None:
    root = book.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = book.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array(struct_kids)))
    for kid in struct_kids:
        kid.P = document
    # Elements a chapter's Document holds only as their parent (WeasyPrint's page margins, which
    # are not among its kids): pointed at the book's, or each would keep its chapter's whole
    # structure root (and its parent tree) in the book.
    seen: set = set()
    for value in parent_tree[1::2]:
        for element in value if isinstance(value, Array) else [value]:
            while isinstance(element, Dictionary) and element.objgen not in seen:  # up to the Document
                seen.add(element.objgen)
                parent = element.get("/P")
                if isinstance(parent, Dictionary) and parent.get("/S") == Name.Document:
                    element.P = document
                    break
                element = parent
    root.K = Array([document])
    root.ParentTree = book.make_indirect(Dictionary(Nums=Array(parent_tree)))
    root.ParentTreeNextKey = next_key
    namespaces = first.Root.StructTreeRoot.get("/Namespaces")
    if namespaces is not None:
        root.Namespaces = _copy(book, first, namespaces)
        document.NS = root.Namespaces[0]
    book.Root.StructTreeRoot = root


_STAMP = "/AtlasPageNumber"


def _untagged(form: pikepdf.Object) -> pikepdf.Object:
    """The overlay's drawing without its marked-content tags: the stamp is an artifact as a whole,
    and tagged content inside an artifact is an error (PDF/UA-1)."""
    kept = [
        instruction
        for instruction in pikepdf.parse_content_stream(form)
        if str(instruction.operator) not in ("BDC", "BMC", "EMC")
    ]
    form.write(pikepdf.unparse_content_stream(kept))
    if "/StructParents" in form:
        del form.StructParents
    return form


def _stamp(book: pikepdf.Pdf, numbers: list[pikepdf.Page], blanks: set[int]) -> None:
    """Draw each overlay page (the running foot) onto the book's page, marked as an artifact.

    A stamp shows the overlay page inside the trimmed page: the crop marks a print profile draws on
    every page, in the bleed, come from the chapter's own page. A blank verso has none of its own, so
    its stamp shows the whole overlay page, marks and all, as the book in one piece has them."""
    for index, (page, number) in enumerate(zip(book.pages, numbers, strict=True)):
        form = book.copy_foreign(_untagged(number.as_form_xobject()))
        if index in blanks:
            form.BBox = Array(list(number.obj.MediaBox))  # as written, so an identical stamp is one
        # Pages may share one resources dictionary: give each page its own, with its stamp.
        resources = Dictionary({key: value for key, value in page.obj.get("/Resources", Dictionary()).items()})
        xobjects = Dictionary({key: value for key, value in resources.get("/XObject", Dictionary()).items()})
        xobjects[_STAMP] = form  # a fixed name keeps builds byte-identical
        resources.XObject = xobjects
        page.obj.Resources = resources
        # The page's own content leaves its coordinate system changed: isolate it first.
        page.contents_add(book.make_stream(b"q\n"), prepend=True)
        page.contents_add(book.make_stream(b"\nQ /Artifact BMC q " + _STAMP.encode() + b" Do Q EMC"), prepend=False)
