"""Jinja2 templates: autoescaped, strict, with the one translation function installed."""

from __future__ import annotations

from functools import cache
from types import CodeType

import jinja2
from markupsafe import Markup

from . import addresses
from .i18n import Language, direction
from .model import Localized
from .pages import TEMPLATES
from .questions import QUESTIONS
from .texts import render
from .typography import typographic


class _CompiledOnce(jinja2.BytecodeCache):
    """The compiled templates, shared by the environments of every language in this process: they
    differ only in what is installed into them, not in how a template compiles (a site's pages in
    four languages compiled each template four times, 0.2 s a language). Kept with the checksum of
    the source it was compiled from: an edited template (the preview's) is compiled again."""

    def __init__(self) -> None:
        self._compiled: dict[str, tuple[str, CodeType | None]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        checksum, code = self._compiled.get(bucket.key, ("", None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = (bucket.checksum, bucket.code)


_COMPILED = _CompiledOnce()


@cache
def _environment(language_code: str) -> jinja2.Environment:
    language = Language(language_code)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=_COMPILED,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        language.gettext, language.ngettext, newstyle=True
    )
    environment.globals["lang"] = language.code
    environment.globals["key_questions"] = QUESTIONS
    environment.filters.update(
        {
            "loc": lambda text: _loc(text, language),
            "source": lambda text: _source(text, language),
            "markdown": lambda text, announce=True, heading_shift=0: _markdown(text, language, announce, heading_shift),
            "prose": lambda text, announce=True: _prose(text, language, announce),
            "fallback_note": lambda text_language: _note(text_language, language),
            "native": lambda names, name=None: _native(names, name, language),
            "number": language.number,
            "date": language.date,
            "population": language.population,
            "score": language.score,
            "css_string": _css_string,
        }
    )
    return environment


# Every text an editor writes passes one of the filters below: `loc` (a name, a role, a title),
# `source` (a source, its web addresses shown short), `prose` (a sentence or two) or `markdown`
# (a whole text), each in the typography of its language (reports/typography.py). A text missing
# in the document's language is printed in English, and `_marked` says so: its language on the
# element (hyphenation, screen readers, the PDF's tags) and, where `announce`, a note where it
# stands. A plain str (a person's name, a postal address) belongs to no language and takes the
# document's. Where one note stands for several texts (the five answers of an assessment), the
# template places it with `fallback_note` and the texts are not announced one by one.


def _in_language(text, language: Language) -> tuple[str, str]:
    if isinstance(text, Localized):
        text = text.get(language.code)
    return text, getattr(text, "language", language.code)


def _note(text_language: str, language: Language) -> Markup:
    if text_language == language.code:
        return Markup("")
    note = language.gettext("This section is only available in English.")
    return Markup('<p class="fallback-note">{}</p>').format(note)


def _marked(html: Markup, text_language: str, language: Language, block: bool, announce: bool) -> Markup:
    if text_language == language.code:
        return html
    if block:
        note = _note(text_language, language) if announce else ""
        return Markup('{}<div class="fallback" lang="{}">{}</div>').format(note, text_language, html)
    marked = Markup('<span lang="{}">{}</span>').format(text_language, html)
    if not announce:
        return marked
    return Markup('{} <span class="fallback-mark">{}</span>').format(marked, language.gettext("(only in English)"))


def _loc(text, language: Language) -> Markup:
    """A short text as typed (a name, a role, a title), a fallback marked but not announced."""
    if text is None:
        return Markup("")
    text, text_language = _in_language(text, language)
    return _marked(typographic(text, text_language), text_language, language, block=False, announce=False)


def _source(text, language: Language) -> Markup:
    """A source as typed, its web addresses shown short and breakable, each a link to the whole."""
    text, text_language = _in_language(text, language)
    shown = typographic(text, text_language, address=addresses.in_source)
    return _marked(shown, text_language, language, block=False, announce=False)


def _markdown(text, language: Language, announce: bool, heading_shift: int) -> Markup:
    """A Markdown text (Localized, or a str that may know its language) as HTML, its headings
    `heading_shift` levels below the levels written."""
    text, text_language = _in_language(text, language)
    return _marked(render(text, text_language, heading_shift), text_language, language, block=True, announce=announce)


def _prose(text, language: Language, announce: bool) -> Markup:
    """A short text inside a paragraph (a summary, a bio), a fallback marked."""
    if text is None:
        return Markup("")
    text, text_language = _in_language(text, language)
    return _marked(typographic(text, text_language), text_language, language, block=False, announce=announce)


def _native(names: dict[str, str], name: Localized | None, language: Language) -> Markup:
    """A country's (or a speaker's) own name(s), each marked with its language and isolated from the text around it, so
    that a right-to-left name (Arabic, Hebrew) is set right to left and leaves the line's order alone.
    A name the reader already has (Chile's 'Chile' in a Spanish document) is not repeated."""
    printed = name.get(language.code) if name is not None else None
    return Markup(" · ").join(
        Markup('<bdi class="native-name" lang="{}" dir="{}">{}</bdi>').format(tag, direction(tag), own)
        for tag, own in names.items()
        if own != printed
    )


def _css_string(text: str) -> Markup:
    """A label for CSS generated content: '"Page {page} of {pages}"' -> counters in place."""
    # `_()` and `loc` return Markup, whose operations would HTML-escape the quotes; a language mark is
    # no text of the label.
    text = text.striptags() if isinstance(text, Markup) else str(text)
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
    return Markup(quoted.replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "'))


def render_html(template: str, language: str, **context) -> str:
    return _environment(language).get_template(template).render(**context)
