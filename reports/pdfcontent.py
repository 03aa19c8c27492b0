"""What a PDF page draws, read from its content streams: for preflight's checks.

Walks a page's drawing operators with the transformation in effect, entering the
forms it draws, and follows the text state far enough to say where each run of
text starts and ends (its font's widths, spacing, scaling), so that a check can
ask where text, lines and images are on the page.
"""

from __future__ import annotations

import re
import sys
from array import array
from decimal import Decimal
from itertools import repeat

import pikepdf

_LITTLE_ENDIAN = sys.byteorder == "little"  # two-byte codes in a PDF string are big-endian
PRIVATE_DATA = "PartnerAtlas"  # our key in a page's /PieceInfo, where the typesetter records its content box


def content_box(page: pikepdf.Page) -> tuple[float, float, float, float] | None:
    """The page's content box (the page less its @page margins) as the typesetter recorded it, in
    the coordinates of the trimmed page; None for a page it did not record."""
    try:
        box = page.obj.PieceInfo[f"/{PRIVATE_DATA}"].Private.ContentBox
    except (AttributeError, KeyError):
        return None
    x0, y0, x1, y1 = (float(value) for value in box)
    return x0, y0, x1, y1


def drawn_points(content):
    """("text" | "graphics" | "image", (x, y), MCID) for the ends of every run of text (at its
    baseline and cap height), every path painted and every image, in page space, with the marked
    content it is drawn in (None outside any); artifacts left out.

    `content` is what walk_content gives for the page."""
    tags: list[tuple[bool, int | None]] = []  # marked-content sequences open: an artifact? its MCID
    path: list[tuple[float, float]] = []
    text = _TextState()
    for matrix, operands, operator, resources in content:
        if operator in ("BMC", "BDC"):
            properties = operands[1] if operator == "BDC" else None
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                mcid: int | None = int(properties["/MCID"])
            else:
                mcid = tags[-1][1] if tags else None
            tags.append((operands[0] == "/Artifact" or bool(tags and tags[-1][0]), mcid))
            continue
        if operator == "EMC":
            if tags:
                tags.pop()
            continue
        artifact, mcid = tags[-1] if tags else (False, None)
        if operator in _PATH_POINTS:
            values = [float(v) for v in operands]
            if operator == "re":
                x, y, w, h = values
                values = [x, y, x + w, y + h]
            path += [_apply(matrix, values[i], values[i + 1]) for i in range(0, len(values), 2)]
        elif operator in _PAINT:
            if not artifact:
                yield from (("graphics", point, mcid) for point in path)
            path = []
        elif operator == "n":
            path = []  # a clipping path: nothing painted
        elif operator == "Do" and operands[1].get("/Subtype") == "/Image" and not artifact:
            yield from (("image", _apply(matrix, x, y), mcid) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1)))
        elif operator in _TEXT_OPERATORS:
            points = text.run(operator, operands, resources)
            if points and not artifact:
                yield from (("text", _apply(multiply(m, matrix), x, y), mcid) for m, (x, y) in points)


def structured_content(document: pikepdf.Pdf) -> set[tuple[tuple[int, int] | None, int]]:
    """(page object, MCID) of the marked content that the document's tag tree reaches: the content
    itself. Page furniture that WeasyPrint tags apart from the tree (the running heads and page
    numbers of the margin boxes) is not in it."""
    reached: set[tuple[tuple[int, int] | None, int]] = set()
    root = document.Root.get("/StructTreeRoot")
    stack: list[tuple[object, tuple[int, int] | None]] = [(root.get("/K"), None)] if root is not None else []
    seen: set[tuple[int, int]] = set()
    while stack:
        element, page = stack.pop()
        if isinstance(element, pikepdf.Array):
            stack += [(kid, page) for kid in element]
        elif isinstance(element, int) and page is not None:
            reached.add((page, element))
        elif isinstance(element, pikepdf.Dictionary):
            if element.is_indirect:
                if element.objgen in seen:
                    continue
                seen.add(element.objgen)
            page = element.Pg.objgen if "/Pg" in element else page
            if "/MCID" in element:
                reached.add((page, int(element.MCID)))
            elif "/K" in element:
                stack.append((element.K, page))
    return reached


_PATH_POINTS = {"m", "l", "c", "v", "y", "re"}
_SHOWING = {"Tj", "TJ", "'"}  # text-showing operators whose only operand is the text
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
_TEXT_OPERATORS = {"BT", "Tf", "Tc", "Tw", "Tz", "TL", "Ts", "Tr", "Td", "TD", "Tm", "T*", "Tj", "TJ", "'", '"'}


def _apply(matrix, x: float, y: float) -> tuple[float, float]:
    return (matrix[0] * x + matrix[2] * y + matrix[4], matrix[1] * x + matrix[3] * y + matrix[5])


class _TextState:
    """Where text goes: the text and line matrices and what moves them (ISO 32000, 9.3 and 9.4)."""

    def __init__(self):
        self.font, self.size, self.char, self.word, self.scale, self.leading, self.rise = (
            None,
            0.0,
            0.0,
            0.0,
            1.0,
            0.0,
            0.0,
        )
        self.invisible = False
        self.matrix: tuple[float, ...] = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        self.line: tuple[float, ...] = self.matrix
        self._widths: dict = {}

    def run(self, operator: str, operands, resources) -> list:
        """Apply one text operator; for one that shows text, the text-space points it covers, each
        with the text matrix they are in."""
        values = [] if operator in _SHOWING else [float(v) for v in operands if _is_number(v)]
        if operator == "BT":
            self.matrix = self.line = (1.0, 0, 0, 1.0, 0, 0)
        elif operator == "Tf":
            fonts = resources.get("/Font", {}) if resources is not None else {}
            self.font, self.size = fonts.get(operands[0]), float(operands[1])
        elif operator in ("Tc", "Tw", "Tz", "TL", "Ts") and values:
            setattr(
                self,
                {"Tc": "char", "Tw": "word", "Tz": "scale", "TL": "leading", "Ts": "rise"}[operator],
                values[0] / 100 if operator == "Tz" else values[0],
            )
        elif operator == "Tr":
            self.invisible = int(operands[0]) in (3, 7)
        elif operator in ("Td", "TD"):
            if operator == "TD":
                self.leading = -values[1]
            self.matrix = self.line = multiply((1, 0, 0, 1, values[0], values[1]), self.line)
        elif operator == "Tm":
            self.matrix = self.line = (values[0], values[1], values[2], values[3], values[4], values[5])
        elif operator == "T*":
            self.run("Td", [0, -self.leading], resources)
        elif operator in _SHOWING or operator == '"':
            if operator in ("'", '"'):
                if operator == '"':
                    self.word, self.char = values[0], values[1]
                self.run("T*", [], resources)
            shown = operands[-1]
            start = self.matrix
            advance = self._advance(shown)
            self.matrix = multiply((1, 0, 0, 1, advance, 0), self.matrix)
            if self.invisible:
                return []
            top = self.rise + 0.7 * self.size
            return [(start, (0, self.rise)), (start, (0, top)), (start, (advance, self.rise)), (start, (advance, top))]
        return []

    def _advance(self, items) -> float:
        widths, default, two_bytes = self._font_widths()
        data, kerning = _shown(items)
        codes = array("H", data[: len(data) // 2 * 2]) if two_bytes else data
        if two_bytes and _LITTLE_ENDIAN:
            codes.byteswap()  # type: ignore[union-attr]
        width = sum(map(widths.get, codes, repeat(default, len(codes))))
        advance = width / 1000 * self.size + self.char * len(codes) - kerning / 1000 * self.size
        if not two_bytes:
            advance += self.word * data.count(32)
        return advance * self.scale

    def _font_widths(self):
        """The font's glyph widths by code (in thousandths of the size), the width of a code it does not
        list, and whether its codes take two bytes."""
        font = self.font
        key = font.objgen if font is not None and font.is_indirect else id(font)
        if key not in self._widths:
            self._widths[key] = _widths_of(font)
        return self._widths[key]


def _shown(items) -> tuple[bytes, float]:
    """The bytes a text-showing operator shows and the sum of its kerning numbers.

    A TJ array holds a string per glyph or two between kerning numbers (WeasyPrint writes a line's
    glyph ids so, in hexadecimal): it is read from its written form in one go, since taking it item
    by item costs a Python object each. One with a literal string in it is read item by item."""
    if isinstance(items, pikepdf.Array):
        written = items.unparse()[1:-1]
        rest = _HEX_STRING.sub(b" ", written).replace(b"()", b" ")
        if b"(" not in rest and b"<" not in rest:
            try:
                kerning = sum(map(float, rest.split()))
            except ValueError:  # something else than numbers between the strings: read item by item
                pass
            else:
                return bytes.fromhex(b"".join(_HEX_STRING.findall(written)).decode("ascii")), kerning
    else:
        items = [items]
    strings, kerning = [], 0.0
    for item in items:
        if isinstance(item, pikepdf.String):
            strings.append(bytes(item))
        elif _is_number(item):
            kerning += float(item)
    return b"".join(strings), kerning


_HEX_STRING = re.compile(rb"<([0-9A-Fa-f\s]*)>")


def _is_number(value) -> bool:
    # pikepdf gives a content stream's numbers as int or Decimal (and bool is an int, but no number)
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _widths_of(font) -> tuple[dict[int, float], float, bool]:
    """The font's widths by character code, the width of a code it does not list, whether codes take two bytes."""
    if font is None:
        return {}, 0.0, False
    if font.get("/Subtype") == "/Type0":
        descendant = font.DescendantFonts[0]
        default, widths, items, i = float(descendant.get("/DW", 1000)), {}, list(descendant.get("/W", [])), 0
        while i + 1 < len(items):
            first = int(items[i])
            if isinstance(items[i + 1], pikepdf.Array):
                widths.update({first + k: float(w) for k, w in enumerate(items[i + 1])})
                i += 2
            else:
                widths.update({cid: float(items[i + 2]) for cid in range(first, int(items[i + 1]) + 1)})
                i += 3
        return widths, default, True
    first, listed = int(font.get("/FirstChar", 0)), [float(w) for w in font.get("/Widths", [])]
    unit = float(font.FontMatrix[0]) * 1000 if "/FontMatrix" in font else 1.0  # Type3: glyph space
    return {first + index: width * unit for index, width in enumerate(listed)}, 0.0, False


def walk_content(owner: pikepdf.Object, resources, matrix=(1, 0, 0, 1, 0, 0), depth=0):
    """Yield (current matrix, operands, operator, resources) of a page or form, entering forms it draws.

    For "Do", operands are (name, XObject) so that callers see what is drawn.
    """
    stack, current = [], matrix
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    for instruction in pikepdf.parse_content_stream(owner):
        operands, operator = instruction.operands, str(instruction.operator)
        if operator == "q":
            stack.append(current)
        elif operator == "Q" and stack:
            current = stack.pop()
        elif operator == "cm":
            current = multiply(tuple(float(value) for value in operands), current)
        elif operator == "Do":
            xobject = xobjects.get(operands[0])
            if xobject is None:
                continue
            yield current, (operands[0], xobject), operator, resources
            if xobject.get("/Subtype") == "/Form" and depth < 10:
                form_matrix = tuple(float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                yield from walk_content(
                    xobject, xobject.get("/Resources", resources), multiply(form_matrix, current), depth + 1
                )
            continue
        yield current, operands, operator, resources


def multiply(a, b):
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )
