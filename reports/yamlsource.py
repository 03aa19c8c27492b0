"""Reading YAML files safely, remembering where every value came from.

The safe loader only builds plain data. On top of it we refuse duplicate
keys (PyYAML silently keeps the last one), bound the expansion of aliases
(a "billion laughs" file is refused instead of eating the memory) and keep
the line and column of every key, so that validation errors can point an
editor at the exact place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import InputError, Problem

# A real data file has a few hundred nodes; aliases expanding past this are an attack or a mistake.
MAX_NODES = 20_000
# and is nested a few levels deep; a file nested deeper than this is refused before it exhausts the stack.
MAX_DEPTH = 64
# Control characters other than tab and line breaks (a NUL, a bell), pasted in or written as YAML escapes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

Path_ = tuple[Any, ...]


@dataclass
class SourceMap:
    """Where each value of a YAML document stands: field path -> (line, column), 1-based."""

    file: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[int, int]:
        """The position of the longest known prefix of `path` (a missing key points at its parent)."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path_, message: str) -> Problem:
        line, column = self.locate(path)
        return Problem(self.file, line, column, format_field(path), message)


def format_field(path: Path_) -> str:
    """('assessments', 0, 'ratings', 'relevance') -> 'assessments[0].ratings.relevance'."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def read_text(path: Path, shown: str) -> str:
    """A data file's text; anything but UTF-8 is refused with a clear message."""
    return decode_text(path.read_bytes(), shown)


def decode_text(raw: bytes, shown: str) -> str:
    """A data file's bytes as text; anything but UTF-8 is refused with a clear message."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    shown,
                    line,
                    0,
                    "",
                    f"file is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset "
                    f"{error.start}); save it with UTF-8 encoding",
                )
            ]
        ) from None
    text = text.removeprefix("\ufeff")
    if control := _CONTROL.search(text):
        raise InputError([_control_character(text, control.start(), shown)])
    return text


def _control_character(text: str, position: int, shown: str) -> Problem:
    before = text[:position]
    line, column = before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
    return Problem(
        shown,
        line,
        column,
        "",
        f"invisible control character U+{ord(text[position]):04X}; remove it (it cannot be printed)",
    )


# libyaml's parser when PyYAML has it (its wheels do): the same nodes and marks, several times faster.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, shown: str) -> tuple[Any, SourceMap]:
    """Parse one YAML file into plain data and its source map, or raise InputError."""
    return parse_yaml(read_text(path, shown), shown)


def parse_yaml(text: str, shown: str) -> tuple[Any, SourceMap]:
    """Parse one YAML text into plain data and its source map, or raise InputError."""
    try:
        return _load(text, shown, _FAST_LOADER)
    except _TooDeep:
        raise  # ours, whichever parser: the pure-Python one would take seconds to say the same
    except InputError:
        if _FAST_LOADER is yaml.SafeLoader:
            raise
        # A broken file is parsed again by the pure-Python parser, whose messages are the documented ones.
        return _load(text, shown, yaml.SafeLoader)


def _load(text: str, shown: str, loader_class) -> tuple[Any, SourceMap]:
    source = SourceMap(shown)
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow anywhere, such as a NUL
        raise InputError([_control_character(text, error.position, shown)]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, source
        builder = _Builder(loader, source)
        return builder.build(node, ()), source
    except yaml.MarkedYAMLError as error:
        if "maximum nesting depth" in str(error.problem):  # libyaml's own limit, a thousand levels
            raise _too_deep(shown) from None
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = f"YAML syntax error: {error.problem or error.context}"
        raise InputError([Problem(shown, line, column, "", message)]) from None
    except yaml.YAMLError as error:
        raise InputError([Problem(shown, 0, 0, "", f"YAML error: {error}")]) from None
    except RecursionError:  # the pure-Python parser's limit
        raise _too_deep(shown) from None
    finally:
        loader.dispose()


class _TooDeep(InputError):
    """Nesting too deep for the parser itself to follow (a thousand levels and more)."""


def _too_deep(shown: str) -> _TooDeep:
    return _TooDeep(
        [Problem(shown, 0, 0, "", f"lists or mappings nested more than {MAX_DEPTH} levels deep; refusing to read it")]
    )


class _Builder:
    """Turns a composed node tree into Python data, checking keys and counting nodes."""

    def __init__(self, loader, source: SourceMap):
        self.loader = loader
        self.source = source
        self.nodes = 0
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        data = self._build(node, path)
        if self.problems:
            raise InputError(self.problems)
        return data

    def _build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            mark = node.start_mark
            raise InputError(
                [
                    Problem(
                        self.source.file,
                        mark.line + 1,
                        mark.column + 1,
                        "",
                        f"document expands to more than {MAX_NODES} values "
                        "(aliases nested too deep?); refusing to expand it",
                    )
                ]
            )
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if len(path) > MAX_DEPTH:
            raise InputError(
                [
                    Problem(
                        self.source.file,
                        line,
                        column,
                        "",
                        f"lists or mappings nested more than {MAX_DEPTH} levels deep; refusing to read it",
                    )
                ]
            )
        self.source.positions.setdefault(path, (line, column))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self._build(item, path + (index,)) for index, item in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except ValueError as error:  # a date that does not exist, such as 2023-13-45
            self.problems.append(
                Problem(
                    self.source.file, line, column, format_field(path), f"'{node.value}' is not a valid date ({error})"
                )
            )
            return None
        if isinstance(value, str) and (control := _CONTROL.search(value)):
            self.problems.append(
                Problem(
                    self.source.file,
                    line,
                    column,
                    format_field(path),
                    f"invisible control character U+{ord(control[0]):04X} in the text; "
                    "remove it (it cannot be printed)",
                )
            )
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        self.loader.flatten_mapping(node)  # resolves "<<" merge keys
        result: dict = {}
        for key_node, value_node in node.value:
            key = self.loader.construct_object(key_node, deep=True)
            mark = key_node.start_mark
            if isinstance(key, (list, dict)):
                self.problems.append(
                    Problem(
                        self.source.file, mark.line + 1, mark.column + 1, "", "a key must be a plain word or number"
                    )
                )
                continue
            if key in result:
                first = self.source.positions[path + (key,)][0]
                self.problems.append(
                    Problem(
                        self.source.file,
                        mark.line + 1,
                        mark.column + 1,
                        format_field(path + (key,)),
                        f"duplicate key '{key}' (first given on line {first})",
                    )
                )
                continue
            self.source.positions[path + (key,)] = (mark.line + 1, mark.column + 1)
            result[key] = self._build(value_node, path + (key,))
        return result
