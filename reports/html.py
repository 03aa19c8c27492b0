"""Jinja2 templates: autoescaped, strict, with the one translation function installed."""

from __future__ import annotations

from functools import cache

import jinja2
from markupsafe import Markup

from .i18n import Language
from .model import Localized
from .questions import QUESTIONS
from .texts import render, render_plain
from .pages import TEMPLATES


@cache
def _environment(language_code: str) -> jinja2.Environment:
    language = Language(language_code)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_callables(language.gettext, language.ngettext, newstyle=True)
    environment.globals["lang"] = language.code
    environment.globals["key_questions"] = QUESTIONS
    environment.filters.update({
        "loc": lambda text: "" if text is None else text.get(language.code),
        "markdown": lambda text, announce=True: _markdown(text, language, announce),
        "prose": lambda text, announce=True: _prose(text, language, announce),
        "number": language.number,
        "date": language.date,
        "population": language.population,
        "score": language.score,
        "css_string": _css_string,
    })
    return environment


# A text missing in the document's language is printed in English: marked with its
# language (hyphenation, screen readers) and announced where it stands.

def _in_language(text, language: Language) -> tuple[str, str]:
    if isinstance(text, Localized):
        text = text.get(language.code)
    return text, getattr(text, "language", language.code)


def _markdown(text, language: Language, announce: bool) -> Markup:
    """A Markdown text (Localized, or a str that may know its language) as HTML."""
    text, text_language = _in_language(text, language)
    html = render(text, text_language)
    if text_language == language.code:
        return html
    note = (Markup('<p class="fallback-note">{}</p>').format(
        language.gettext("This section is only available in English.")) if announce else "")
    return Markup('{}<div class="fallback" lang="{}">{}</div>').format(note, text_language, html)


def _prose(text, language: Language, announce: bool) -> Markup:
    """A short text inside a paragraph (a summary, a bio), a fallback marked."""
    if text is None:
        return Markup("")
    text, text_language = _in_language(text, language)
    html = render_plain(text, text_language)
    if text_language == language.code:
        return html
    marked = Markup('<span lang="{}">{}</span>').format(text_language, html)
    if not announce:
        return marked
    return Markup('{} <span class="fallback-mark">{}</span>').format(marked, language.gettext("(only in English)"))


def _css_string(text: str) -> Markup:
    """A label for CSS generated content: '"Page {page} of {pages}"' -> counters in place."""
    text = str(text)  # `_()` returns Markup, whose operations would HTML-escape the quotes
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
    return Markup(quoted.replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "'))


def render_html(template: str, language: str, **context) -> str:
    return _environment(language).get_template(template).render(**context)
