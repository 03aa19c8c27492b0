"""The one translation function, and language-aware formatting of numbers and dates.

Every label a document prints goes through `Language.gettext` (in templates: `_()`),
so the German edition needs only a catalogue, not new templates.
"""

from __future__ import annotations

import datetime as dt
import gettext
from functools import cached_property
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal

from .model import Population

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "atlas"


class Language:
    """One document language: its translations and its ways of writing numbers and dates."""

    def __init__(self, code: str):
        self.code = code

    @cached_property
    def _translations(self) -> gettext.NullTranslations:
        return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[self.code], fallback=True)

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.code)

    def score(self, value: float) -> str:
        """A mean rating with one decimal: '4.3' (English), '4,3' (German)."""
        return format_decimal(value, format="0.0", locale=self.code)

    def date(self, value: dt.date) -> str:
        return format_date(value, "d MMMM y" if self.code == "en" else "long", locale=self.code)

    def population(self, population: Population) -> str:
        """'126,476,461', or for a rounded figure 'approx. 19 million'."""
        if not population.approximate:
            return self.number(population.value)
        rounded = format_compact_decimal(population.value, format_type="long" if self.code == "en" else "short",
                                         locale=self.code, fraction_digits=2)
        return self.gettext("approx. {figure}").format(figure=rounded)
