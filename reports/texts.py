"""Markdown texts: the answers to the key questions, region introductions, notes.

Texts are written by editors, not trusted: raw HTML is shown as text, never
passed through, and a text may not refer to anything outside the document
(no images, no links to other addresses), so rendering can never read a
file or touch the network because of what an editor typed.
"""

from __future__ import annotations

from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from . import addresses
from .problems import Problem
from .questions import KEY_QUESTIONS, LABELS, QUESTIONS

_QUESTION_BY_HEADING = {heading: q.id for q in QUESTIONS for heading in q.headings}
_ENGLISH_HEADINGS = ", ".join(f"'## {LABELS[q]}'" for q in KEY_QUESTIONS)

QUOTES = {"en": "“”‘’", "de": "„“‚‘"}


@cache  # one parser per language: building one costs more than rendering a section
def _parser(language: str = "en") -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "quotes": QUOTES[language]})
    md.enable(["replacements", "smartquotes"])
    md.core.ruler.before("replacements", "addresses", _addresses)
    return md


@cache
def _plain_parser(language: str = "en") -> MarkdownIt:
    md = MarkdownIt("zero", {"typographer": True, "quotes": QUOTES[language]})
    md.enable(["replacements", "smartquotes"])
    md.core.ruler.before("replacements", "addresses", _addresses)
    return md


def _addresses(state: StateCore) -> None:
    """Web addresses in the text set apart, breakable and unhyphenated (reports/addresses.py); before
    the typographer, which would make '--' in an address a dash."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = []
        for token in block.children:
            spans = addresses.find_addresses(token.content) if token.type == "text" else []
            position = 0
            for start, end in spans:
                children.append(Token("text", "", 0, content=token.content[position:start]))
                html = addresses.breakable(token.content[start:end])
                children.append(Token("html_inline", "", 0, content=str(html)))
                position = end
            children.append(token if not spans else Token("text", "", 0, content=token.content[position:]))
        block.children = children


@lru_cache(maxsize=8192)  # a text is parsed when loaded (to check it) and again when rendered
def _parsed(markdown: str, language: str) -> tuple[list, dict]:
    env: dict = {}
    return _parser(language).parse(markdown, env), env


def render(markdown: str, language: str = "en") -> Markup:
    """Markdown -> safe HTML; raw HTML in the text comes out as visible text."""
    md = _parser(language)
    tokens, env = _parsed(markdown, language)
    return Markup(md.renderer.render(tokens, md.options, env))


def render_plain(text: str, language: str = "en") -> Markup:
    """A short text from YAML (a summary, a bio) -> safe HTML with the language's quotation
    marks and dashes; no Markdown, so an asterisk or a bracket stays as typed."""
    return Markup(_plain_parser(language).renderInline(text))


def check_text(markdown: str, file: str, first_line: int = 1) -> list[Problem]:
    """Problems with what a text refers to: images and links to anything but the document."""
    problems = []
    tokens, _ = _parsed(markdown, "en")
    for block in tokens:
        line = first_line + (block.map[0] if block.map else 0)
        for token in block.children or ():
            if token.type == "image":
                problems.append(
                    Problem(
                        file,
                        line,
                        0,
                        "",
                        f"image '{token.attrGet('src')}' refused: texts "
                        "cannot include images (charts are drawn from the data)",
                    )
                )
            elif token.type == "link_open":
                href = token.attrGet("href") or ""
                if not href.startswith("#"):
                    problems.append(
                        Problem(
                            file,
                            line,
                            0,
                            "",
                            f"link to '{href}' refused: texts may only "
                            "link within the document; name outside sources under 'sources'",
                        )
                    )
    return problems


def split_answers(markdown: str, file: str) -> tuple[dict[str, str], list[Problem]]:
    """An assessment text -> {key question: Markdown}, checking the five '## ' sections."""
    answers: dict[str, str] = {}
    starts: dict[str, int] = {}
    problems: list[Problem] = []
    current: str | None = None
    lines: list[str] = []

    def close():
        if current is not None:
            text = "\n".join(lines).strip()
            if not text:
                problems.append(Problem(file, starts[current], 0, "", f"section '{current}' is empty"))
            answers[current] = text

    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.startswith("## "):
            close()
            heading = line[3:].strip()
            question = _QUESTION_BY_HEADING.get(heading.lower())
            if question is None:
                problems.append(
                    Problem(
                        file,
                        number,
                        1,
                        "",
                        f"unknown section '{heading}'; expected the five key questions {_ENGLISH_HEADINGS}",
                    )
                )
                current = None
                continue
            if question in answers or question == current:
                problems.append(Problem(file, number, 1, "", f"section '{heading}' given twice"))
            current, lines = question, []
            starts[question] = number
        elif current is None:
            if line.strip() and not problems:
                problems.append(
                    Problem(
                        file,
                        number,
                        1,
                        "",
                        f"text before the first section heading; start with '## {LABELS[KEY_QUESTIONS[0]]}'",
                    )
                )
        else:
            lines.append(line)
    close()

    missing = [q for q in KEY_QUESTIONS if q not in answers]
    if missing and not problems:
        names = ", ".join(f"'{LABELS[q]}'" for q in missing)
        problems.append(Problem(file, 0, 0, "", f"missing section(s) {names}"))
    order = [q for q in starts if q in answers]
    if not problems and order != list(KEY_QUESTIONS):
        problems.append(Problem(file, 0, 0, "", f"sections must follow the order {_ENGLISH_HEADINGS}"))
    for question, text in answers.items():
        problems += check_text(text, file, starts[question] + 1)
    return answers, problems
