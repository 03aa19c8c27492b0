"""The one translation function, and language-aware formatting of numbers and dates.

Every label a document prints goes through `Language.gettext` (in templates: `_()`),
so the German edition needs only a catalogue, not new templates. Catalogues are
edited as .po files; the compiled .mo files are derived, never committed, and
rebuilt here whenever they are missing or older than their .po.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import Protocol, TypeVar

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal

from . import typography
from .collation import sort_key
from .model import Localized, Population
from .output import write_atomic

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "atlas"


class _Named(Protocol):
    @property
    def name(self) -> Localized: ...


N = TypeVar("N", bound=_Named)


def N_(message: str) -> str:
    """Marks a label defined in Python for extraction; it is translated where it is printed."""
    return message


def catalogue_path(code: str) -> Path:
    """Where the labels of a language are translated: reports/locale/<code>/LC_MESSAGES/atlas.po."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_languages() -> tuple[str, ...]:
    """The languages a document can be made in: English, the labels' own, and every language with a
    catalogue. Which of them an edition's texts are written in, its atlas.yaml says."""
    return ("en", *sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


def compiled_catalogue(code: str) -> bytes | None:
    """The .mo of one language, compiled from its .po if the .mo is missing or stale.

    The .mo is written atomically, so a build running in parallel never reads half a
    catalogue; where the locale folder is read-only the compiled bytes are used directly.
    """
    po = catalogue_path(code)
    mo = po.with_suffix(".mo")
    if not po.is_file():
        return None
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo.read_bytes()
    with po.open("rb") as file:
        catalogue = read_po(file, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    try:
        write_atomic(mo, buffer.getvalue())
    except OSError:
        pass
    return buffer.getvalue()


def compile_catalogues() -> list[str]:
    """Compile every language's catalogue that needs it (set-up runs this); the languages found."""
    codes = [code for code in catalogue_languages() if catalogue_path(code).is_file()]
    for code in codes:
        compiled_catalogue(code)
    return codes


def direction(tag: str) -> str:
    """'rtl' for a language written right to left (ar, fa, he, ps, ur), else 'ltr' (CLDR's character order)."""
    return "rtl" if Locale.parse(tag, sep="-").character_order == "right-to-left" else "ltr"


class Language:
    """One document language: its translations and its ways of writing numbers and dates."""

    def __init__(self, code: str):
        self.code = code

    @cached_property
    def _translations(self) -> gettext.NullTranslations:
        compiled = compiled_catalogue(self.code)
        return gettext.GNUTranslations(io.BytesIO(compiled)) if compiled else gettext.NullTranslations()

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def sort_key(self, text: str) -> bytes:
        """Orders names the way this language's alphabet does (reports/collation.py)."""
        return sort_key(self.code, text)

    def by_name(self, items: Iterable[N]) -> list[N]:
        """Countries, regions... in the alphabetical order of their names in this language."""
        return sorted(items, key=lambda item: self.sort_key(item.name.get(self.code)))

    def plain(self, text) -> str:
        """An editor's text (a name, a title; Localized or str) as a chart or an alternative text
        prints it: in this language, or in the one it fell back to, with that language's typography."""
        text = text.get(self.code) if isinstance(text, Localized) else text
        return typography.plain(text, getattr(text, "language", self.code))

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.code)

    def score(self, value: float) -> str:
        """A mean rating with one decimal: '4.3' (English), '4,3' (German). Halves round up, as
        readers round (3.25 gives 3.3), not to even as babel would; the float's shortest decimal
        form is rounded, so a mean of 3.15 gives 3.2 although the float lies just below it."""
        rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return format_decimal(rounded, format="0.0", locale=self.code)

    def date(self, value: dt.date) -> str:
        return format_date(value, "d MMMM y" if self.code == "en" else "long", locale=self.code)

    def population(self, population: Population) -> str:
        """'126,476,461', or for a rounded figure 'approx. 19 million' (German 'ca. 19 Mio.')."""
        if not population.approximate:
            return self.number(population.value)
        return self.gettext("approx. {figure}").format(figure=self._approximate(population.value))

    def _approximate(self, value: int) -> str:
        """A figure with a unit where the unit gives it whole ('19 million', '1,45 Mrd.'); otherwise
        every digit, grouped ('220.000', '95,529,003'): a compact form would round, and below a
        million German has no short unit (Babel prints '220000')."""
        if value >= 10**6:
            exponent = 3 * ((len(str(value)) - 1) // 3)  # the unit: million, billion...
            if value % (10 ** (exponent - 2)) == 0:  # two decimals of that unit say it all
                # TRANSLATORS: how an approximate figure's unit is written: 'long' ('19 million',
                # '19 millions') or 'short' ('19 Mio.'); CLDR's short forms are often only a letter ('19 M').
                style = self._translations.pgettext("figure unit", "long")
                return format_compact_decimal(
                    value, format_type="short" if style == "short" else "long", locale=self.code, fraction_digits=2
                )
        return self.number(value)
