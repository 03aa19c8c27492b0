"""What `check` refuses in an editor's Markdown: whatever would not print as written.

Every problem names the line it stands on in the file. markdown-it gives a block's first line; a
run of text inside it is placed by counting the line breaks before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from .markdown import MAX_NESTING, parsed
from .problems import Problem

_CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}
_UNRESOLVED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
_TAG = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")
_INSTEAD = {  # what to write in Markdown instead of a tag
    "b": "write **bold** or *italic* for emphasis",
    "strong": "write **bold** or *italic* for emphasis",
    "i": "write *italic* for emphasis",
    "em": "write *italic* for emphasis",
    "u": "write *italic* for emphasis",
    "br": "leave a blank line to start a new paragraph",
    "p": "leave a blank line to start a new paragraph",
    "sup": "write a footnote as [^1] and its text as '[^1]: ...' below the paragraph",
    "table": "write a Markdown table ('| a | b |' rows)",
    "a": "name outside sources under 'sources'",
    "img": "texts cannot include images (charts are drawn from the data)",
}


@dataclass(frozen=True)
class Headings:
    """The heading levels a text may use where it is printed."""

    top: int  # the highest level it may write ('##' under a document's or chapter's title)
    deepest: int
    above: str  # what a higher heading would stand beside


TEXT_HEADINGS = Headings(top=2, deepest=6, above="the title of its page")
# '##' headings are the key questions; an answer's sub-headings are printed one level lower (h4, h5).
ANSWER_HEADINGS = Headings(top=3, deepest=4, above="the key questions")


def check_text(markdown: str, file: str, first_line: int = 1, headings: Headings | None = None) -> list[Problem]:
    """Problems in a Markdown text whose first line is line `first_line` of `file`."""
    tokens, env = parsed(markdown, "en")
    rules = headings or TEXT_HEADINGS
    problems = [Problem(file, first_line + line, 0, "", message) for line, message in _problems(tokens, rules)]
    problems += [Problem(file, first_line + line, 0, "", message) for line, message in _note_definitions(markdown, env)]
    problems += [
        Problem(file, first_line + line, 0, "", message) for line, message in _long_rows(tokens, markdown.splitlines())
    ]
    return sorted(problems)


def _problems(tokens: list[Token], headings: Headings) -> Iterator[tuple[int, str]]:
    previous_heading = headings.top - 1
    ref_lines: dict[int, int] = {}  # a note's id -> the line that calls it (a note written in place has no line)
    note_line = 0
    for index, block in enumerate(tokens):
        line = block.map[0] if block.map else note_line
        if block.nesting == 1 and block.type in _CONTAINERS and block.level + 1 >= MAX_NESTING:
            yield line, _TOO_DEEP
            return
        if block.type == "html_block":
            yield line, _raw_html(block.content)
        elif block.type == "heading_open":
            level = int(block.tag[1:])
            if message := _heading_problem(level, tokens[index + 1].content, previous_heading, headings):
                yield line, message
            previous_heading = max(level, headings.top - 1)
        elif block.type == "footnote_open":
            note_line = ref_lines.get(block.meta["id"], 0)
            yield from _note_shape(tokens, index)
        for offset, token in _placed(block):
            if token.type == "footnote_ref":
                ref_lines.setdefault(token.meta["id"], line + offset)
            if message := _inline_problem(token):
                yield line + offset, message


_TOO_DEEP = (
    f"quotes or lists nested {MAX_NESTING} levels deep or more cannot be printed "
    "(the text inside would be lost); nest them less deeply"
)


def _heading_problem(level: int, title: str, previous: int, headings: Headings) -> str | None:
    marks = "#" * level
    if level < headings.top:
        return f"heading '{marks} {title}' would stand beside {headings.above}; write '{'#' * headings.top} {title}'"
    if level > previous + 1:
        return f"heading '{marks} {title}' skips a level; write '{'#' * (previous + 1)} {title}'"
    if level > headings.deepest:
        return f"heading '{marks} {title}' is nested too deep; use '{'#' * headings.top}' to '{'#' * headings.deepest}'"
    return None


def _placed(block: Token) -> Iterator[tuple[int, Token]]:
    """The inline tokens of a block with the line each stands on, counted from the block's first."""
    offset = 0
    for token in block.children or ():
        if token.type in ("softbreak", "hardbreak"):
            offset += 1
        yield offset, token


def _inline_problem(token: Token) -> str | None:
    if token.type == "image":
        return f"image '{token.attrGet('src')}' refused: texts cannot include images (charts are drawn from the data)"
    if token.type == "link_open" and not str(token.attrGet("href") or "").startswith("#"):
        return (
            f"link to '{token.attrGet('href')}' refused: texts may only link within the document; "
            "name outside sources under 'sources'"
        )
    if token.type == "html_inline" and not token.content.startswith("</"):
        return _raw_html(token.content)
    if token.type == "text" and (match := _UNRESOLVED_NOTE.search(token.content)):
        call = match.group(0)
        return f"footnote '{call}' has no text: write '{call}: ...' below the paragraph, in the same section"
    return None


def _raw_html(html: str) -> str:
    shown = html.strip().splitlines()[0] if html.strip() else html
    match = _TAG.match(shown)
    instead = _INSTEAD.get(match.group(1).lower(), "write Markdown instead") if match else "write Markdown instead"
    return f"raw HTML '{shown[:40]}' refused: it would be printed as text; {instead}"


def _note_shape(tokens: list[Token], start: int) -> Iterator[tuple[int, str]]:
    """A footnote is printed inline at the foot of the page: one paragraph of text."""
    label = tokens[start].meta.get("label", "")
    blocks = []
    for token in tokens[start + 1 :]:
        if token.type == "footnote_close":
            break
        if token.level == tokens[start].level + 1 and token.nesting == 1:
            blocks.append(token)
    if len(blocks) > 1 or any(block.type != "paragraph_open" for block in blocks):
        line = next((block.map[0] for block in blocks if block.map), 0)
        yield line, f"footnote '[^{label}]' must be one paragraph of text (no lists, tables or second paragraphs)"


_CELL_BORDER = re.compile(r"(?<!\\)\|")


def _long_rows(tokens: list[Token], lines: list[str]) -> Iterator[tuple[int, str]]:
    """A row with more cells than its table has columns loses the extra ones: say so."""
    columns = 0
    for token in tokens:
        if token.type == "table_open":
            columns = 0
        elif token.type == "th_open":
            columns += 1
        elif token.type == "tr_open" and token.map and columns:
            row = lines[token.map[0]].strip()
            cells = len(_CELL_BORDER.split(row.removeprefix("|").removesuffix("|")))
            if cells > columns:
                yield (
                    token.map[0],
                    (
                        f"table row has {cells} cells but the table has {columns} columns; "
                        "the extra cells would be lost: add a column to the header row, or write \\| for a | in a cell"
                    ),
                )


def _note_definitions(markdown: str, env: dict) -> Iterator[tuple[int, str]]:
    """Notes the parser drops without a word: one never called, and the first of two with one label."""
    lines = markdown.splitlines()
    for key, note_id in env.get("footnotes", {}).get("refs", {}).items():
        label = key[1:]
        definition = re.compile(r"^ {0,3}\[\^" + re.escape(label) + r"\]:")
        found = [number for number, text in enumerate(lines) if definition.match(text)]
        if note_id == -1:
            yield (
                found[0] if found else 0,
                f"footnote '[^{label}]' is never called: put '[^{label}]' in the text where it belongs, or remove it",
            )
        if len(found) > 1:
            yield found[1], f"footnote '[^{label}]' is written a second time here; give each note its own label"
