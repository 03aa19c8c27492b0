"""How an editor's Markdown is read, and how it becomes HTML for print.

The syntax is CommonMark with GitHub's tables and footnotes. Raw HTML is recognised, so that
`check` can refuse it at its line, but never passed through: it is printed as the text it is.
What the print needs beyond plain Markdown is set here as attributes and classes; how it looks
is left to styles/:

- a table is a `text-table`; its columns carry the alignment written as a class (`align-left`,
  `align-center`, `align-right`), a column of figures also `number`; header cells have
  `scope="col"`;
- a footnote is printed where it is called: a link `<a class="footnote-call">` to the note, then
  the note `<span class="footnote">`, which the stylesheet floats to the foot of the page and
  numbers; a second call of the same note is a link to it, with its number;
- headings are moved down by the `heading_shift` the template asks for (a `###` under a key
  question printed as `h3` becomes `h4`), so the document's headings never skip a level.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from . import typography

MAX_NESTING = 20  # markdown-it's limit: deeper quotes and lists are dropped, so check refuses them

# A figure as editors write it in a table: 67 %, 1,380,004,385, -0.5, 2.3 bn, ~19 m
_NUMBER = re.compile(r"^[~≈<>±+\-−]?\s*[\d.,  ']*\d[\d.,  ']*\s*(%|‰|bn|m|k|million|billion|pp)?$")
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


@cache  # one parser per language: building one costs more than rendering a section
def parser(language: str = "en") -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {"html": True, "maxNesting": MAX_NESTING},
    )
    md.enable(["table", "strikethrough"])
    typography.apply(md, language)  # quotes, apostrophes and dashes as in every other text
    footnote_plugin(md)  # [^1] with its note below, and ^[a note written in place]
    md.core.ruler.push("print_tables", _mark_tables)
    for rule in ("html_block", "html_inline"):
        md.add_render_rule(rule, _as_text)
    for rule in ("heading_open", "heading_close"):
        md.add_render_rule(rule, _heading)
    md.add_render_rule("footnote_ref", _footnote)  # the notes themselves are left out by to_html
    return md


@lru_cache(maxsize=8192)  # a text is parsed when loaded (to check it) and again when rendered
def parsed(markdown: str, language: str = "en") -> tuple[list[Token], dict]:
    env: dict = {}
    return parser(language).parse(markdown, env), env


def to_html(markdown: str, language: str, heading_shift: int = 0) -> str:
    """The HTML of a text; each footnote is printed where it is called, not at the end."""
    md = parser(language)
    tokens, env = parsed(markdown, language)
    notes = _footnote_bodies(tokens)
    prefix = hashlib.sha1(markdown.encode()).hexdigest()[:8]  # note ids unique across a document's texts
    render_env = {**env, "heading_shift": heading_shift, "notes": notes, "note_prefix": prefix}
    body = [token for token in tokens if not token.type.startswith("footnote_") and not _in_notes(token)]
    return md.renderer.render(body, md.options, render_env)


# --- tables -------------------------------------------------------------------------------------


def _mark_tables(state: StateCore) -> None:
    """Alignment as a class (a designer's choice, not an inline style), figures right-aligned,
    header cells scoped to their column."""
    tokens = state.tokens
    for start, token in enumerate(tokens):
        if token.type != "table_open":
            continue
        rows: list[list[Token]] = []
        contents: list[list[str]] = []
        depth = 0
        for index in range(start, len(tokens)):
            current = tokens[index]
            if current.type == "tr_open":
                rows.append([])
                contents.append([])
            elif current.type in ("th_open", "td_open"):
                rows[-1].append(current)
                contents[-1].append(tokens[index + 1].content.strip())
            depth += current.nesting
            if depth == 0:
                break
        columns = max(len(row) for row in rows)
        numeric = [
            all(_NUMBER.match(row[c]) for row in contents[1:] if c < len(row) and row[c])
            and any(c < len(row) and row[c] for row in contents[1:])
            for c in range(columns)
        ]
        token.attrSet("class", "text-table")
        for row in rows:
            for column, cell in enumerate(row):
                match = _ALIGN.search(str(cell.attrs.pop("style", "")))
                classes = ([f"align-{match.group(1)}"] if match else []) + (["number"] if numeric[column] else [])
                if classes:
                    cell.attrSet("class", " ".join(classes))
                if cell.type == "th_open":
                    cell.attrSet("scope", "col")


# --- raw HTML, headings -------------------------------------------------------------------------


def _as_text(self, tokens, index, options, env) -> str:
    return escapeHtml(tokens[index].content)


def _heading(self, tokens, index, options, env) -> str:
    token = tokens[index]
    level = min(int(token.tag[1:]) + env.get("heading_shift", 0), 6)
    if token.nesting == -1:
        return f"</h{level}>\n"
    return f"<h{level}{self.renderAttrs(token)}>"


# --- footnotes ----------------------------------------------------------------------------------


def _in_notes(token: Token) -> bool:
    return bool(token.meta.get("in_note"))


def _footnote_bodies(tokens: list[Token]) -> dict[int, list[Token]]:
    """Each note's inline tokens, by its id; the plugin moved the notes to the end of the text."""
    notes: dict[int, list[Token]] = {}
    current: int | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = []
        elif token.type == "footnote_close":
            current = None
        elif current is not None:
            token.meta["in_note"] = True
            if token.type == "inline":
                notes[current].append(token)
    return notes


def _footnote(self, tokens, index, options, env) -> str:
    """The call, a link to the note (numbered by the stylesheet, counting the calls), then the note
    itself, which the stylesheet floats to the foot of the page."""
    meta = tokens[index].meta
    anchor = f"note-{env['note_prefix']}-{meta['id'] + 1}"
    if meta.get("subId", 0) > 0:  # the same note called again: its number, linked to it
        return f'<a class="footnote-call again" href="#{anchor}"></a>'
    body = " ".join(self.renderInline(inline.children or [], options, env) for inline in env["notes"][meta["id"]])
    return f'<a class="footnote-call" href="#{anchor}"></a><span class="footnote" id="{anchor}">{body}</span>'
