"""Jinja2 templates: autoescaped, strict, with the one translation function installed."""

from __future__ import annotations

from functools import cache

import jinja2

from .i18n import Language
from .texts import render
from .typeset import TEMPLATES


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
    environment.filters.update({
        "loc": lambda text: "" if text is None else text.get(language.code),
        "markdown": lambda text: render(text, language.code),
        "number": language.number,
        "date": language.date,
        "population": language.population,
        "score": language.score,
        "css_string": _css_string,
    })
    return environment


def _css_string(text: str) -> str:
    """A label for CSS generated content: '"Page {page} of {pages}"' -> counters in place."""
    text = str(text)  # _() returns Markup, whose replace() would HTML-escape the quotes we add
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
    return (quoted.replace("{page}", '" counter(page) "')
                  .replace("{pages}", '" counter(pages) "'))


def render_html(template: str, language: str, **context) -> str:
    return _environment(language).get_template(template).render(**context)
