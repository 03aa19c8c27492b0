"""Markdown texts: the answers to the key questions, region introductions, notes.

Texts are written by editors, not trusted: raw HTML is shown as text, never
passed through, and a text may not refer to anything outside the document
(no images, no links to other addresses), so rendering can never read a
file or touch the network because of what an editor typed.
"""

from __future__ import annotations

from functools import cache

from markupsafe import Markup

from .i18n import Language, catalogue_languages
from .markdown import to_html
from .problems import Problem
from .questions import KEY_QUESTIONS, LABELS, QUESTIONS
from .texts_check import ANSWER_HEADINGS, check_text

__all__ = ["check_text", "render", "split_answers"]

_ENGLISH_HEADINGS = ", ".join(f"'## {LABELS[q]}'" for q in KEY_QUESTIONS)


@cache
def _question_by_heading(languages: tuple[str, ...]) -> dict[str, str]:
    """A key question's '## ' heading in every language with a catalogue, lower case -> its id:
    'relevance', 'relevanz', 'pertinence', 'relevancia' -> 'relevance'. A new language's
    assessments are written with the headings its catalogue gives."""
    return {Language(code).gettext(question.label).lower(): question.id for code in languages for question in QUESTIONS}


def render(markdown: str, language: str = "en", heading_shift: int = 0) -> Markup:
    """Markdown -> safe HTML; raw HTML in the text comes out as visible text. Headings move
    `heading_shift` levels down, to sit under the heading the text is printed below."""
    return Markup(to_html(markdown, language, heading_shift))


def split_answers(markdown: str, file: str) -> tuple[dict[str, str], list[Problem]]:
    """An assessment text -> {key question: Markdown}, checking the five '## ' sections."""
    answers: dict[str, str] = {}
    starts: dict[str, int] = {}
    firsts: dict[str, int] = {}  # the line each answer's text starts on, after blank lines
    problems: list[Problem] = []
    current: str | None = None
    lines: list[str] = []
    questions = _question_by_heading(catalogue_languages())

    def close():
        if current is not None:
            text = "\n".join(lines).strip()
            blank = next((n for n, line in enumerate(lines) if line.strip()), 0)
            firsts[current] = starts[current] + 1 + blank
            if not text:
                problems.append(Problem(file, starts[current], 0, "", f"section '{current}' is empty"))
            answers[current] = text

    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.startswith("## "):
            close()
            heading = line[3:].strip()
            question = questions.get(heading.lower())
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
        problems += check_text(text, file, firsts[question], headings=ANSWER_HEADINGS)
    return answers, problems
