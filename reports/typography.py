"""The one typographic pass over what editors write: the quotation marks, apostrophes and dashes
of the text's language.

Every editor-written text goes through these rules: the Markdown prose (reports/markdown.py gives
its parser the same rules with `apply`) and every short text a template prints, a name, a title,
a running head, a source, an office line (`typographic`, through the filters of reports/html.py),
a chart's label (`plain`, through reports/i18n.py's Language.plain).
Straight quotes become the language's ("…" and '…' are “…” and ‘…’ in English, „…“ and ‚…‘ in
German, «…» in French and Spanish), an apostrophe becomes ’ in every language, and -- a dash; in
French the space before ; : ! ? is one that does not break. Web addresses are set apart
before (reports/addresses.py), so nothing in them changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from . import addresses

# Double open, double close, single open, single close, per language; a language not listed here takes
# the English marks (`quotes`) until someone adds its own. French sets a narrow no-break space (U+202F)
# inside its guillemets; Spanish uses guillemets without spaces, and English quotes inside them (the
# Real Academia's order: «…“…”…»).
QUOTES = {
    "en": ["“", "”", "‘", "’"],
    "de": ["„", "“", "‚", "‘"],
    "fr": ["«\u202f", "\u202f»", "“", "”"],
    "es": ["«", "»", "“", "”"],
}


def quotes(language: str) -> list[str]:
    return QUOTES.get(language, QUOTES["en"])


# The space a language sets before (or after) a mark, where the editor typed a plain one: French keeps
# a narrow no-break space before ; ! ? and inside guillemets typed as such, a no-break space before a
# colon, so that a mark never starts a line.
_SPACED_MARKS = {
    "fr": [
        (re.compile(r" +([;!?»])"), "\u202f\\1"),
        (re.compile(r"« +"), "«\u202f"),
        (re.compile(r" +:"), "\u00a0:"),
    ],
}


def _spaced_marks(language: str):
    rules = _SPACED_MARKS[language]

    def rule(state: StateCore) -> None:
        for block in state.tokens:
            for token in block.children or []:
                if token.type == "text":
                    for pattern, replacement in rules:
                        token.content = pattern.sub(replacement, token.content)

    return rule


def apply(md: MarkdownIt, language: str) -> MarkdownIt:
    """Give a parser the typography of a language; its addresses are rendered by the `address`
    function in the render env (breakable in full where none is given)."""
    md.options["typographer"] = True
    md.options["quotes"] = quotes(language)
    md.enable(["replacements", "smartquotes"])
    md.core.ruler.before("replacements", "addresses", _mark_addresses)
    md.add_render_rule("address", _render_address)
    if language in _SPACED_MARKS:
        md.core.ruler.after("smartquotes", "spaced_marks", _spaced_marks(language))
    return md


@lru_cache(maxsize=16384)  # the same names and titles are printed on many pages
def typographic(text: str, language: str, address: Callable[[str], Markup] = addresses.breakable) -> Markup:
    """A plain text (no Markdown: an asterisk or a bracket stays as typed) as HTML in the
    typography of its language, each web address in it shown by `address`."""
    return Markup(_plain_parser(language).renderInline(text, {"address": address}))


@lru_cache(maxsize=4096)
def plain(text: str, language: str) -> str:
    """A text as above, as plain text: for a chart's label or an alternative text."""
    inline = _plain_parser(language).parseInline(text)[0]
    return "".join(token.content for token in inline.children or [])


@cache
def _plain_parser(language: str) -> MarkdownIt:
    return apply(MarkdownIt("zero"), language)


def _mark_addresses(state: StateCore) -> None:
    """Web addresses set apart as tokens of their own, before the typographer, which would make
    '--' in an address a dash; the quotes around an address still pair across it."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = []
        for token in block.children:
            spans = addresses.find_addresses(token.content) if token.type == "text" else []
            position = 0
            for start, end in spans:
                children.append(Token("text", "", 0, content=token.content[position:start]))
                children.append(Token("address", "", 0, content=token.content[start:end]))
                position = end
            children.append(token if not spans else Token("text", "", 0, content=token.content[position:]))
        block.children = children


def _render_address(self, tokens, index, options, env) -> str:
    return str(env.get("address", addresses.breakable)(tokens[index].content))
