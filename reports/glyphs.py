"""The glyph check: refuse, before typesetting, text that no font of the design's stacks can set.

Without it a missing glyph becomes a blank box in the PDF, or a glyph from
whatever font the machine happens to have. The font stacks are read from
styles/atlas.css (--serif, --sans); a bundled family is served from
styles/fonts/, any other (the Noto CJK fallback) is looked up with
fontconfig, as WeasyPrint finds it.
"""

from __future__ import annotations

import re
import struct
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTCollection, TTFont

from .pages import STYLES
from .problems import BuildError, InputError, Problem, display_path
from .yamlsource import decode_text, format_field, parse_yaml

FONT_DIR = STYLES / "fonts"
_PROPERTY = re.compile(r"--([\w-]+)\s*:\s*([^;]+);")
_VAR = re.compile(r"var\(--([\w-]+)\)")
_GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


@cache
def font_stacks(stylesheet: Path = STYLES / "atlas.css") -> dict[str, tuple[str, ...]]:
    """{'serif': ('Noto Serif', 'Noto Serif CJK JP'), 'sans': (...)}, as the stylesheet declares them
    (read once per process, as the typesetter reads the styles)."""
    properties = dict(_PROPERTY.findall(stylesheet.read_text(encoding="utf-8")))
    stacks = {}
    for name in ("serif", "sans"):
        value = _VAR.sub(lambda used: properties[used[1]], properties[name])  # the scripts' faces, listed once
        families = [family.strip().strip("\"'") for family in value.split(",")]
        stacks[name] = tuple(family for family in families if family and family not in _GENERIC)
    return stacks


@cache
def coverage(family: str) -> frozenset[int]:
    """The code points one family can draw (its regular face; the styles share a character set)."""
    bundled = _bundled().get(family)
    if bundled:
        return frozenset().union(*(_code_points(TTFont(path, lazy=True)) for path in bundled))
    return _code_points(_system_face(family))


def _system_face(family: str) -> TTFont:
    """The face fontconfig picks for a family that is not bundled (the CJK fallback)."""
    path, index = _system_font(family)
    if path.suffix.lower() in (".ttc", ".otc"):
        return TTCollection(path, lazy=True).fonts[index]
    return TTFont(path, lazy=True)


@cache
def _bundled() -> dict[str, list[Path]]:
    """The bundled font files by family."""
    families: dict[str, list[Path]] = {}
    for path in sorted(FONT_DIR.glob("*.[ot]tf")):
        families.setdefault(_family(TTFont(path, lazy=True)), []).append(path)
    return families


def _code_points(font: TTFont) -> frozenset[int]:
    """The code points the font's character map maps, as fontTools' best map has them, read from the
    map's bytes: fontTools would first name every glyph (65,535 in a CJK face), ten times the time."""
    data = font.getTableData("cmap")
    count = struct.unpack_from(">H", data, 2)[0]
    offsets = {
        struct.unpack_from(">HH", data, 4 + 8 * i): struct.unpack_from(">I", data, 8 + 8 * i)[0] for i in range(count)
    }
    offset = next((offsets[best] for best in _BEST_MAPS if best in offsets), None)
    if offset is None:
        return frozenset(font.getBestCmap())
    form = struct.unpack_from(">H", data, offset)[0]
    ranges: Iterator[tuple[int, int]]
    if form == 12:  # groups of (first, last, first glyph)
        groups = struct.unpack_from(">I", data, offset + 12)[0]
        ranges = ((first, last) for first, last, _ in struct.iter_unpack(">III", data[offset + 16 :][: 12 * groups]))
    elif form == 4:  # segments: the last codes, then the first codes; the closing segment (0xFFFF) maps nothing
        segments = struct.unpack_from(">H", data, offset + 6)[0] // 2
        last = struct.unpack_from(f">{segments}H", data, offset + 14)
        first = struct.unpack_from(f">{segments}H", data, offset + 16 + 2 * segments)
        ranges = zip(first[:-1], last[:-1])
    else:
        return frozenset(font.getBestCmap())
    found: set[int] = set()
    for low, high in ranges:
        found.update(range(low, high + 1))
    return frozenset(found)


_BEST_MAPS = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))  # (platform, encoding), as fontTools


def font_files() -> list[Path]:
    """Every font file the styles' stacks use: the bundled faces and the system fonts fontconfig picks
    for the other families (the CJK fallback). A build's cache key covers them all."""
    files = set(FONT_DIR.glob("*.[ot]tf"))
    for family in {family for families in font_stacks().values() for family in families} - set(_bundled()):
        files.add(_system_font(family)[0])
    return sorted(files)


def _family(font: TTFont) -> str:
    return font["name"].getDebugName(16) or font["name"].getDebugName(1)


def _system_font(family: str) -> tuple[Path, int]:
    try:
        found = subprocess.run(
            ["fc-list", "-f", "%{file}|%{index}\\n", f"{family}:style=Regular"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        found = []
    if not found:
        raise BuildError(
            f"the font '{family}' named in styles/atlas.css is not installed; "
            "run ./setup.sh (Debian package fonts-noto-cjk)"
        )
    path, index = sorted(found)[0].split("|")
    return Path(path), int(index or 0)


class _Text(HTMLParser):
    """Collects (text, part of the document) pairs; the part is the nearest heading before it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, str]] = []
        self.part = "the document title"
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.part = "the start of the document"
        elif tag in ("h1", "h2", "h3", "h4"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.part = " ".join("".join(self._heading).split())
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)
        self.pieces.append((data, self.part))


def check_glyphs(html: str, data_dir: Path, resources: dict[str, bytes] | None = None) -> None:
    """Raise InputError naming every character that a font stack cannot set, and where it occurs.

    The text of SVG resources (chart labels) is checked too: it is set in the same fonts.
    """
    pieces = _text_of(html)
    for name, content in sorted((resources or {}).items()):
        if name.endswith(".svg"):
            pieces += [(text, "a chart") for text, _ in _text_of(content.decode("utf-8"))]
    missing: dict[str, tuple[str, str]] = {}  # character -> (stack description, document part)
    seen: set[str] = set()  # each character is looked up once, where it first occurs
    for text, part in pieces:
        for character in set(text) - seen:
            seen.add(character)
            if stack := _lacking(character):
                missing[character] = (stack, part)
    if missing:
        texts = list(printed_texts(data_dir, data_dir.parent))
        raise InputError(
            [
                problem
                for character, (stack, part) in sorted(missing.items())
                for problem in _problems(character, stack, part, texts)
            ]
        )


def check_data_glyphs(data_dir: Path) -> list[Problem]:
    """Every character of the data's texts that no font of the stacks can set, at its file and line: what
    `check` reports before any document is built. Only what can be printed counts (a YAML comment does not)."""
    problems = []
    for text in printed_texts(data_dir):
        for character in sorted(set(text.text)):
            if stack := _lacking(character):
                line, column = text.find(character)
                problems.append(
                    Problem(text.file, line, column, text.field, f"{_described(character)} {_not_covered(stack)}")
                )
    return problems


@dataclass(frozen=True)
class PrintedText:
    """A text of the data as it may be printed: a YAML string value or a Markdown file, and where it stands."""

    file: str  # as shown to the editor
    line: int  # where the value (or the file) starts, 1-based
    column: int
    field: str  # '' for a Markdown file
    text: str
    source: str  # the file's text, to find a character's own line

    def find(self, character: str) -> tuple[int, int]:
        """The line and column of the character's first occurrence in this text: in the file's text from where
        the value starts (a YAML escape such as \\u00e9 is not found: the value's own place then)."""
        lines = self.source.splitlines()
        for number in range(self.line, len(lines) + 1):
            start = self.column - 1 if number == self.line else 0
            column = lines[number - 1].find(character, start)
            if column >= 0:
                return number, column + 1
        return self.line, self.column


def printed_texts(data_dir: Path, root: Path | None = None) -> Iterator[PrintedText]:
    """Every string value of the data folder's YAML files and every Markdown file, with its place (its path
    shown relative to the working folder, else to `root`). Files that cannot be read are left to the loader,
    which reports them."""
    for path in sorted(data_dir.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".md") or not path.is_file():
            continue
        if not path.resolve().is_relative_to(data_dir.resolve()):  # never a linked file from elsewhere
            continue
        shown = display_path(path, root)
        try:
            source = decode_text(path.read_bytes(), shown)
            if path.suffix == ".md":
                yield PrintedText(shown, 1, 1, "", source, source)
                continue
            data, positions = parse_yaml(source, shown)
        except InputError:
            continue
        for where, value in _strings(data, ()):
            line, column = positions.locate(where)
            yield PrintedText(shown, line, column, format_field(where), value, source)


def _strings(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


@cache
def _lacking(character: str) -> str | None:
    """The stacks that cannot set a character, described for a message; None when both can (or it is not drawn)."""
    if not _drawn(character):
        return None
    # Text may be set in either stack, so each one must cover it.
    lacking = [
        f"{name} ({', '.join(families)})"
        for name, families in font_stacks().items()
        if not any(ord(character) in coverage(family) for family in families)
    ]
    if not lacking:
        return None
    return " or ".join(lacking) + (" stacks" if len(lacking) > 1 else " stack")


def _text_of(markup: str) -> list[tuple[str, str]]:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser.pieces


def _drawn(character: str) -> bool:
    """Controls, format characters (soft hyphen, joiners) and variation selectors have no glyph of their own."""
    return unicodedata.category(character) not in ("Cc", "Cf") and not (
        "\ufe00" <= character <= "\ufe0f" or "\U000e0100" <= character <= "\U000e01ef"
    )


def _described(character: str) -> str:
    return f"character '{character}' (U+{ord(character):04X} {unicodedata.name(character, 'unnamed character')})"


def _not_covered(stack: str) -> str:
    return f"is not covered by any font of the {stack}; it would print as an empty box"


def _problems(character: str, stack: str, part: str, texts: list[PrintedText]) -> list[Problem]:
    message = f"{_described(character)} in '{part}' {_not_covered(stack)}"
    places = sorted({(text.file, *text.find(character)) for text in texts if character in text.text})
    if not places:
        return [Problem("", 0, 0, "", message)]
    return [Problem(file, line, column, "", message) for file, line, column in places]
