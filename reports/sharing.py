"""One copy of what a joined book's chapters have in common.

Each chapter is a complete PDF: it carries its own colour profile, its own
subsets of the fonts, its own graphics states. Joined as they are, a book
holds the same ICC profile once per chapter (0.8 MB each in print) and a
subset of each face per chapter. Here, after joining:

1. the subsets of one face are merged into one font. WeasyPrint subsets
   with the glyph ids of the original font kept (HarfBuzz's RETAIN_GIDS, and
   CIDToGIDMap /Identity) and names a face the same in every chapter, so a
   glyph id means the same glyph in every subset: the merged font carries
   each chapter's glyphs, widths and Unicode mappings, and every chapter's
   text draws from it as it did from its own subset;
2. objects that are then identical (the colour profile, the merged fonts'
   descriptors, graphics states, images, forms ...) are kept once, every
   reference pointing at the one copy.

Only pikepdf and fontTools: nothing here knows about chapters or WeasyPrint's
layout, only about PDF objects.
"""

from __future__ import annotations

import array
import hashlib
import io
import re
import struct
import sys
from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import pikepdf
from fontTools.misc.psCharStrings import T2CharString
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph
from pikepdf import Array, Dictionary

# What the pages draw with may be shared when identical (the walk of _resources never reaches pages,
# structure elements, annotations or the outline, each one place in the document), but for:
_PER_PLACE = ("/StructParent", "/StructParents")  # an object tied to its place in the structure tree


def share_resources(book: pikepdf.Pdf) -> None:
    """Merge font subsets of the same face, then keep one copy of each identical object."""
    resources = _resources(book)
    fonts = _merged_fonts(book, resources)
    replacements = {**fonts, **_identical(resources, fonts)}
    if replacements:
        _replace_references(_holders(book, [obj for obj in resources if obj.objgen not in replacements]), replacements)


# Where a page's or a resource's references lead elsewhere than to what it draws with.
_NOT_RESOURCES = frozenset({"/Parent", "/P", "/Annots", "/StructParents", "/StructParent", "/Metadata", "/B", "/Thumb"})
# Arrays of numbers only (a font's widths, boxes, matrices): nothing to follow, but long.
_NUMBERS = frozenset({"/W", "/W2", "/Widths", "/FontBBox", "/BBox", "/Matrix", "/Decode", "/Domain", "/Range"})
_PAGE_RESOURCES = ("/Resources", "/Contents", "/Group")
_SKIPPED = _NOT_RESOURCES | _NUMBERS
_CONTAINERS = (Dictionary, Array, pikepdf.Stream)


def _resources(book: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every indirect object the pages draw with (content streams, resource dictionaries, fonts and
    their files, colour spaces, images, forms and what they use) and the output intents, in a fixed
    order: all that can be shared, without walking the structure tree and the outline."""
    found: list[pikepdf.Object] = []
    seen: set[tuple[int, int]] = set()

    def follow(value) -> None:
        if not isinstance(value, (Dictionary, Array, pikepdf.Stream)):
            return
        if value.is_indirect:
            if value.objgen in seen:
                return
            seen.add(value.objgen)
            found.append(value)
        container = value.stream_dict if isinstance(value, pikepdf.Stream) else value
        if isinstance(container, Dictionary):
            # keys() is a set: sorted, for the same order (and bytes) every time
            items = [container[key] for key in sorted(container.keys()) if key not in _SKIPPED]
        else:
            items = list(container)
        for item in items:
            if isinstance(item, _CONTAINERS):
                follow(item)

    for page in book.pages:
        for key in _PAGE_RESOURCES:
            if key in page.obj:
                follow(page.obj[key])
    follow(book.Root.get("/OutputIntents"))
    return found


def _holders(book: pikepdf.Pdf, resources: list[pikepdf.Object]) -> list[pikepdf.Object]:
    """Whatever may refer to a resource: the pages, the resources kept, the output intents. (A resource
    replaced by its copy is left as it is: nothing refers to it any more, and saving leaves it out.)"""
    intents = book.Root.get("/OutputIntents")
    return [page.obj for page in book.pages] + resources + ([intents] if intents is not None else [])


# --- 1. font subsets -----------------------------------------------------------------------------


def _merged_fonts(book: pikepdf.Pdf, resources: list[pikepdf.Object]) -> dict[tuple[int, int], pikepdf.Object]:
    """Each subset (a Type0 font) -> the font merged from all subsets of its face."""
    groups: dict[str, list[pikepdf.Dictionary]] = defaultdict(list)
    for obj in resources:
        if isinstance(obj, Dictionary) and obj.get("/Type") == "/Font" and obj.get("/Subtype") == "/Type0":
            groups[str(obj.get("/BaseFont", ""))].append(obj)
    replacements: dict[tuple[int, int], pikepdf.Object] = {}
    for fonts in groups.values():
        if len(fonts) > 1:
            merged = _merged_font(book, fonts)
            if merged is not None:
                replacements.update({font.objgen: merged for font in fonts})
    return replacements


def _merged_font(book: pikepdf.Pdf, fonts: list[pikepdf.Dictionary]) -> pikepdf.Dictionary | None:
    """One Type0 font for all subsets of one face, or None where they cannot be merged safely
    (outlines neither TrueType nor OpenType CFF, a CIDSet to keep, an encoding other than Identity-H)."""
    descendants = [font.DescendantFonts[0] for font in fonts]
    descriptors = [d.FontDescriptor for d in descendants]
    kinds = {_outline_kind(font, d, fd) for font, d, fd in zip(fonts, descendants, descriptors)}
    if len(kinds) != 1 or (kind := kinds.pop()) is None:
        return None
    widths: dict[int, float] = {}
    unicode: dict[int, str] = {}
    last_drawn: dict[bytes, int] = {}  # a subset's program -> the highest glyph id its text draws
    for font, descendant, descriptor in zip(fonts, descendants, descriptors):
        own_widths = _widths(descendant.get("/W", Array()))
        own_unicode = _to_unicode(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else {}
        for cid, width in own_widths.items():
            widths.setdefault(cid, width)
        for cid, text in own_unicode.items():
            unicode.setdefault(cid, text)  # the first chapter's, as one piece maps a glyph once
        program = bytes(descriptor[kind].read_bytes())
        last_drawn[program] = max([last_drawn.get(program, -1), *own_widths, *own_unicode])
    if min(last_drawn.values()) < 0:
        return None  # a subset that names none of the glyphs it draws: which ids it kept is unknown
    merged = _merged_program(tuple(last_drawn.items()))
    if merged is None:
        return None
    first, first_descriptor = fonts[0], descriptors[0]
    descriptor = Dictionary({key: value for key, value in first_descriptor.items()})
    if kind == "/FontFile2":
        descriptor.FontFile2 = book.make_stream(merged, Length1=len(merged))
    else:
        descriptor.FontFile3 = book.make_stream(merged, Subtype=pikepdf.Name.OpenType)
    descriptor.FontBBox = Array(
        [
            min(float(fd.FontBBox[0]) for fd in descriptors),
            min(float(fd.FontBBox[1]) for fd in descriptors),
            max(float(fd.FontBBox[2]) for fd in descriptors),
            max(float(fd.FontBBox[3]) for fd in descriptors),
        ]
    )
    descendant = Dictionary({key: value for key, value in descendants[0].items()})
    descendant.FontDescriptor = book.make_indirect(descriptor)
    descendant.W = _widths_array(widths)
    font = Dictionary({key: value for key, value in first.items()})
    font.DescendantFonts = Array([book.make_indirect(descendant)])
    if unicode:
        font.ToUnicode = book.make_stream(_to_unicode_cmap(unicode))
    return book.make_indirect(font)


def _outline_kind(font: pikepdf.Object, descendant: pikepdf.Object, descriptor: pikepdf.Object) -> str | None:
    """The key of the font file in a subset that can be merged: TrueType outlines (/FontFile2, glyph id =
    CID) or OpenType with CFF outlines (/FontFile3, CID-keyed, so its glyph ids are the CIDs too)."""
    if font.get("/Encoding") != "/Identity-H" or "/CIDSet" in descriptor:
        return None
    if descendant.get("/Subtype") == "/CIDFontType2" and descendant.get("/CIDToGIDMap") == "/Identity":
        return "/FontFile2" if "/FontFile2" in descriptor else None
    if descendant.get("/Subtype") == "/CIDFontType0" and "/FontFile3" in descriptor:
        return "/FontFile3" if descriptor.FontFile3.get("/Subtype") == "/OpenType" else None
    return None


@lru_cache(maxsize=16)
def _merged_program(subsets: tuple[tuple[bytes, int], ...]) -> bytes | None:
    """The glyphs of every subset (its program, the highest glyph id its text draws) in one font, each
    at its glyph id. Kept for the next build in the same process (the preview's): an edit rarely
    changes the subsets, and merging a CJK face takes long."""
    if len(subsets) == 1:
        return subsets[0][0]
    try:
        # recalcTimestamp=False: the same chapters give the same bytes (a saved font would carry the time).
        fonts = [TTFont(io.BytesIO(program), recalcTimestamp=False, lazy=True) for program, _ in subsets]
        if len({(f["head"].unitsPerEm, f["head"].created, f["head"].fontRevision) for f in fonts}) != 1:
            return None  # not subsets of one original font
        if "glyf" in fonts[0]:
            base = fonts[0]
            _merge_truetype_glyphs(base, fonts, [last for _, last in subsets])
        else:  # CFF outlines have no parts: the others' glyphs are copied into the largest subset
            fonts.sort(key=lambda font: -font["maxp"].numGlyphs)
            base, others = fonts[0], fonts[1:]
            if "CFF " not in base or not _copy_cff_glyphs(base, others):
                return None
            hmtx, order = base["hmtx"], base.getGlyphOrder()
            for other in others:
                # A glyph without an outline (a space) still has its advance: keep it, or it prints 0 wide.
                for gid, (advance, bearing) in enumerate(_metrics(other)):
                    if advance != 0 and hmtx[order[gid]][0] == 0:
                        hmtx[order[gid]] = (advance, bearing)
        for table in ("hdmx", "LTSH", "VDMX"):  # per-glyph device tables, optional: not kept stale
            if table in base:
                del base[table]
        output = io.BytesIO()
        base.save(output)
        return output.getvalue()
    except Exception:  # a font fontTools cannot read: the subsets stay as they are
        return None


def _merge_truetype_glyphs(base: TTFont, fonts: list[TTFont], last_drawn: list[int]) -> None:
    """Every subset's glyphs, as their bytes, in the base font (one of them), which is rebuilt.

    A subset keeps each glyph id up to the highest its text draws. The parts of a composite glyph
    (the dotless i and the diaeresis of an ï) that lie beyond it are numbered anew after it, so the
    same id names different parts in different subsets and may be a glyph another subset draws: each
    such part gets an id of its own after every subset's highest (one per distinct part), and the
    composite glyphs that use it are changed to name it."""
    highest = max(last_drawn)
    outlines: dict[int, bytes] = {}
    metrics: dict[int, tuple[int, int]] = {}
    parts: dict[tuple[bytes, tuple[int, int]], int] = {}  # a part numbered anew -> its id in the merged font
    for font, last in zip(fonts, last_drawn):
        own, own_metrics = _outlines(font), _metrics(font)

        def placed(gid: int, own=own, own_metrics=own_metrics, last=last) -> int:
            """The glyph's id in the merged font, its outline (and its parts') put there."""
            data, metric = _parts_renamed(own.get(gid, b""), placed), own_metrics[gid]
            if gid > last:
                gid = parts.setdefault((data, metric), highest + 1 + len(parts))
            if gid not in outlines:
                outlines[gid], metrics[gid] = data, metric
            return gid

        for gid in range(min(last + 1, len(own_metrics))):
            if gid in own:
                placed(gid)
            elif own_metrics[gid][0] != 0:  # a glyph without an outline (a space) still has its advance
                metrics.setdefault(gid, own_metrics[gid])
    order = [".notdef", *(f"glyph{gid:05d}" for gid in range(1, highest + 1 + len(parts)))]
    base.setGlyphOrder(order)
    glyf, hmtx = base["glyf"], base["hmtx"]
    glyf.glyphOrder = order
    glyf.glyphs = {name: Glyph(outlines.get(gid, b"")) for gid, name in enumerate(order)}
    hmtx.metrics = {name: metrics.get(gid, (0, 0)) for gid, name in enumerate(order)}
    base["post"].formatType = 3.0  # no glyph names: the subsets' lists would not match the new order


# A composite glyph's parts (TrueType 'glyf'): each a flags word, a glyph id, then its offsets and scale.
_ARGS_ARE_WORDS, _A_SCALE, _MORE_PARTS, _X_AND_Y_SCALE, _TWO_BY_TWO = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


def _parts_renamed(data: bytes, renamed: Callable[[int], int]) -> bytes:
    """A glyph's outline bytes with each part of a composite glyph named by renamed(glyph id)."""
    if len(data) < 10 or struct.unpack_from(">h", data)[0] >= 0:
        return data  # empty, or a simple glyph
    changed, position = bytearray(data), 10
    while True:
        flags, gid = struct.unpack_from(">HH", changed, position)
        struct.pack_into(">H", changed, position + 2, renamed(gid))
        position += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        position += 2 if flags & _A_SCALE else 4 if flags & _X_AND_Y_SCALE else 8 if flags & _TWO_BY_TWO else 0
        if not flags & _MORE_PARTS:
            return bytes(changed)


def _copy_cff_glyphs(base: TTFont, others: list[TTFont]) -> bool:
    """Copy into the base font the CFF charstrings only the others have, as their bytes, with their font
    dictionary.

    The subsets are CID-keyed (glyph id = CID) and without subroutines (WeasyPrint desubroutinizes), so a
    charstring stands alone; its widths and hints refer to its font dictionary's Private values, so the
    subsets must have the same font dictionaries in the same order, or False (nothing is merged). The
    bounding boxes are the union of the subsets' (recalculating them would draw every glyph)."""
    top = base["CFF "].cff.topDictIndex[0]
    dictionaries = _font_dictionaries(top)
    if dictionaries is None:
        return False
    order, charstrings, hmtx = base.getGlyphOrder(), top.CharStrings, base["hmtx"]
    vertical = base["vmtx"] if "vmtx" in base else None
    present = _charstring_gids(top)
    for other in others:
        other_top, other_order = other["CFF "].cff.topDictIndex[0], other.getGlyphOrder()
        if _font_dictionaries(other_top) != dictionaries:
            return False
        metrics = _metrics(other)
        vertical_metrics = _metrics(other, vertical=True) if vertical is not None and "vmtx" in other else None
        for gid in sorted(_charstring_gids(other_top) - present):
            fd = other_top.FDSelect[gid]
            charstrings[order[gid]] = T2CharString(
                bytecode=other_top.CharStrings[other_order[gid]].bytecode,
                private=top.FDArray[fd].Private,
                globalSubrs=top.GlobalSubrs,
            )
            top.FDSelect[gid] = fd
            hmtx[order[gid]] = metrics[gid]
            if vertical is not None and vertical_metrics is not None:
                vertical[order[gid]] = vertical_metrics[gid]
            present.add(gid)
    fonts = [base, *others]
    head = base["head"]
    head.xMin, head.yMin = min(f["head"].xMin for f in fonts), min(f["head"].yMin for f in fonts)
    head.xMax, head.yMax = max(f["head"].xMax for f in fonts), max(f["head"].yMax for f in fonts)
    boxes = [f["CFF "].cff.topDictIndex[0].FontBBox for f in fonts]
    top.FontBBox = [
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    ]
    base.recalcBBoxes = False
    return True


def _font_dictionaries(top: Any) -> list[tuple] | None:
    """A CID-keyed CFF font's font dictionaries as comparable values (name and Private values), or None
    for a font that is not CID-keyed."""
    if not hasattr(top, "FDArray"):
        return None
    return [
        (getattr(fd, "FontName", None), sorted((key, repr(value)) for key, value in fd.Private.rawDict.items()))
        for fd in top.FDArray
    ]


def _charstring_gids(top: Any) -> set[int]:
    """The glyph ids whose charstring does more than end (the others are places a subset keeps,
    RETAIN_GIDS), read from the lengths in the CharStrings index without reading a charstring."""
    offsets = top.CharStrings.charStringsIndex.offsets
    return {gid for gid in range(len(offsets) - 1) if offsets[gid + 1] - offsets[gid] != 1}


def _outlines(font: TTFont) -> dict[int, bytes]:
    """The outline bytes of each glyph id that has an outline, read from the font's tables as they are."""
    long_offsets = font["head"].indexToLocFormat == 1
    offsets = array.array("I" if long_offsets else "H", font.reader["loca"])
    if sys.byteorder == "little":
        offsets.byteswap()
    scale, outlines = 1 if long_offsets else 2, font.reader["glyf"]
    return {
        gid: outlines[offsets[gid] * scale : offsets[gid + 1] * scale]
        for gid in range(font["maxp"].numGlyphs)
        if offsets[gid + 1] != offsets[gid]
    }


def _metrics(font: TTFont, vertical: bool = False) -> list[tuple[int, int]]:
    """(advance, side bearing) of every glyph id, read from the font's hmtx (or vmtx) as it is (at once:
    a book's subsets each carry every glyph id of the face)."""
    header, table = ("vhea", "vmtx") if vertical else ("hhea", "hmtx")
    count = struct.unpack(">H", font.reader[header][34:36])[0]
    horizontal, glyphs = font.reader[table], font["maxp"].numGlyphs
    metrics = list(struct.iter_unpack(">Hh", horizontal[: 4 * min(count, glyphs)]))
    if glyphs > count:  # the rest share the last advance and have only their bearings
        bearings = struct.unpack_from(f">{glyphs - count}h", horizontal, 4 * count)
        metrics += [(metrics[-1][0], bearing) for bearing in bearings]
    return metrics


def _widths(array: pikepdf.Object) -> dict[int, float]:
    """A CIDFont's /W: 'c [w1 w2 ...]' and 'c_first c_last w' entries."""
    widths, items, i = {}, list(array), 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], Array):
            for offset, width in enumerate(items[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                widths[cid] = float(items[i + 2])
            i += 3
    return widths


def _widths_array(widths: dict[int, float]) -> pikepdf.Array:
    array: list = []
    for cid in sorted(widths):
        if cid - 1 not in widths:
            array += [cid, []]
        array[-1].append(widths[cid])
    return Array([Array(item) if isinstance(item, list) else item for item in array])


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _to_unicode(cmap: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, flags=re.S):
        for low, high, start in _BFRANGE.findall(block):
            first = int(start, 16)
            for offset, cid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[cid] = chr(first + offset)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, flags=re.S):
        for cid, text in _BFCHAR.findall(block):
            mapping[int(cid, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", errors="replace")
    return mapping


def _to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{cid:04x}> <{text.encode('utf-16-be').hex()}>".encode() for cid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


# --- 2. identical objects ------------------------------------------------------------------------


def _identical(
    resources: list[pikepdf.Object], fonts: Mapping[tuple[int, int], pikepdf.Object]
) -> dict[tuple[int, int], pikepdf.Object]:
    """Each object the pages draw with -> the first one identical to it: identical bytes,
    dictionaries and arrays, where references count as equal when they point at identical objects
    (or, for the font subsets merged, at the same merged font)."""
    digests: dict[tuple[int, int], bytes] = {}
    drawn = {obj.objgen for obj in resources}

    kinds: dict[tuple[int, int], bool] = {}  # shareable or not, by object: asked at every reference

    def shareable(obj) -> bool:  # anything else is described as itself
        key = obj.objgen
        if key not in kinds:
            kinds[key] = key in drawn and (isinstance(obj, Array) or not any(name in obj for name in _PER_PLACE))
        return kinds[key]

    def digest(obj, visiting: frozenset = frozenset()) -> bytes:
        key = obj.objgen
        if key not in digests:
            hasher = hashlib.sha256()
            if isinstance(obj, pikepdf.Stream):
                hasher.update(b"stream" + hashlib.sha256(obj.read_raw_bytes()).digest())
                hasher.update(entries(obj.stream_dict, visiting | {key}, skip=("/Length",)))
            elif isinstance(obj, Dictionary):  # what it holds (as a reference, it would equal only itself)
                hasher.update(entries(obj, visiting | {key}))
            else:
                hasher.update(items(obj, visiting | {key}))
            digests[key] = hasher.digest()
        return digests[key]

    def entries(dictionary, visiting: frozenset, skip=()) -> bytes:
        described = (
            key.encode() + b" " + describe(dictionary[key], visiting)
            for key in sorted(dictionary.keys())
            if key not in skip
        )
        return b"{" + b"".join(described) + b"}"

    def items(array, visiting: frozenset) -> bytes:
        return b"[" + b" ".join(describe(item, visiting) for item in array) + b"]"

    def describe(value, visiting: frozenset) -> bytes:
        if isinstance(value, (Dictionary, Array, pikepdf.Stream)) and value.is_indirect:
            key = value.objgen
            if key in digests:  # described already (most references lead to a few objects: a colour space)
                return b"<" + digests[key] + b">"
            if key in fonts:
                return b"F%d %d" % fonts[key].objgen
            if key not in visiting and shareable(value):
                return b"<" + digest(value, visiting) + b">"
            return b"R%d %d" % key
        if isinstance(value, Dictionary):
            return entries(value, visiting)
        if isinstance(value, Array):
            return items(value, visiting)
        return value.unparse() if isinstance(value, pikepdf.Object) else repr(value).encode()

    first: dict[bytes, pikepdf.Object] = {}
    replacements: dict[tuple[int, int], pikepdf.Object] = {}
    for obj in resources:
        if obj.objgen not in fonts and shareable(obj):
            kept = first.setdefault(digest(obj), obj)
            if kept.objgen != obj.objgen:
                replacements[obj.objgen] = kept
    return replacements


def _replace_references(holders: list[pikepdf.Object], replacements: Mapping[tuple[int, int], pikepdf.Object]) -> None:
    """Point every reference the holders make to a replaced object at its replacement (the replaced
    objects are then unreferenced, and saving leaves them out)."""

    def visit(container) -> None:
        items: list[tuple[Any, Any]]
        if isinstance(container, Dictionary):
            items = [(key, value) for key, value in container.items() if key not in _NUMBERS]
        else:
            items = list(enumerate(container))
        for key, value in items:
            if not isinstance(value, (Dictionary, Array, pikepdf.Stream)):
                continue
            if value.is_indirect:
                if value.objgen in replacements:
                    container[key] = replacements[value.objgen]
            else:
                visit(value)

    for obj in holders:
        visit(obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj)
