"""Figures as editors write them: '126,476,461', '23.900.000', 'appr. 19 million', 'rund 1,2 Mrd.'.

A written figure is `[marker] number [unit]` (README, "Figures"). English and German
data mix two conventions: English groups thousands with ',' and writes the decimal
point '.', German the other way round. Which one a figure follows is decided by its
words: an English unit (thousand, million, billion) or German one (Tsd., Mio., Mrd.,
Millionen, Milliarden) first, else an English or German marker (about, rund). A
figure without such a word is read both ways; where the two readings differ it is
refused, with both readings in the message. Spaces (also U+00A0 and U+202F) and
apostrophes always group thousands, never mark a decimal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

EN, DE = "en", "de"
BOTH = (EN, DE)

# Marker -> the languages it belongs to (matched without regard to case).
MARKERS = {
    "approximately": (EN,),
    "approx.": (EN,),
    "approx": (EN,),
    "appr.": (EN,),
    "appr": (EN,),
    "about": (EN,),
    "around": (EN,),
    "rund": (DE,),
    "etwa": (DE,),
    "ungefähr": (DE,),
    "circa": BOTH,
    "ca.": BOTH,
    "ca": BOTH,
    "c.": BOTH,
    "~": BOTH,
    "≈": BOTH,
}


@dataclass(frozen=True)
class Unit:
    factor: dict[str, int]  # language -> what the word multiplies by in it


def _unit(factor: int, *languages: str) -> Unit:
    return Unit({language: factor for language in languages})


UNITS = {
    "thousand": _unit(10**3, EN),
    "thousands": _unit(10**3, EN),
    "million": _unit(10**6, EN),
    "millions": _unit(10**6, EN),
    "m": _unit(10**6, EN),
    "mn": _unit(10**6, EN),
    "billion": _unit(10**9, EN),
    "billions": _unit(10**9, EN),
    "bn": _unit(10**9, EN),
    "tsd.": _unit(10**3, DE),
    "tsd": _unit(10**3, DE),
    "tausend": _unit(10**3, DE),
    "mio.": _unit(10**6, DE),
    "mio": _unit(10**6, DE),
    "millionen": _unit(10**6, DE),
    "mrd.": _unit(10**9, DE),
    "mrd": _unit(10**9, DE),
    "milliarde": _unit(10**9, DE),
    "milliarden": _unit(10**9, DE),
    "billionen": _unit(10**12, DE),
}
# A capital letter makes 'Million' a German word as well as an English one; 'Billion' then
# means 10^12 in German and 10^9 in English.
CAPITALISED = {
    "million": Unit({EN: 10**6, DE: 10**6}),
    "billion": Unit({EN: 10**9, DE: 10**12}),
}

DECIMAL_MARK = {EN: ".", DE: ","}
_SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
_GROUPING = _SPACES + "'’"  # always grouping, in both conventions
_FIGURE = re.compile(r"^(?P<number>\d+(?:[.,'’ ]\d+)*)(?: ?(?P<unit>\S.*))?$")
_EXAMPLE_UNIT = {EN: "million", DE: "Mio."}


class FigureError(ValueError):
    """A figure that cannot be read unambiguously; the message says how to write it."""


@dataclass(frozen=True)
class _Reading:
    language: str
    value: Decimal  # after the unit

    @property
    def whole(self) -> bool:
        return self.value == self.value.to_integral_value()


def parse_whole_number(text: str | int | float) -> tuple[int, bool]:
    """Read a count of people, things... -> (value, approximate).

    A figure with a marker or a unit is approximate. Raises FigureError with a message fit for an editor.
    """
    if isinstance(text, bool):
        raise FigureError(f"expected a number, got {text!r}")
    if isinstance(text, int):
        return _non_negative(text), False
    if isinstance(text, float):
        # YAML read an unquoted '220.000' as 220.0: what was written is lost, and a guess could be 1,000 times off.
        raise FigureError(
            f"YAML read the figure as the decimal number {text!r}, which may not be what is written there "
            "('220.000' becomes 220.0); put the figure in quotes, like \"220.000\""
        )
    if not isinstance(text, str):
        raise FigureError(f"expected a number, got {type(text).__name__}")
    original = text.strip()
    # Every space (no-break ones included) becomes one plain space: as grouping they are all the same.
    text = " ".join(re.sub(f"[{_SPACES}]", " ", original).split())
    marker_languages: tuple[str, ...] = ()
    for marker, languages in MARKERS.items():
        if text.lower().startswith(marker) and (marker in ("~", "≈") or text[len(marker) :][:1] in (" ", "")):
            marker_languages, text = languages, text[len(marker) :].strip()
            break
    match = _FIGURE.match(text)
    if not match:
        raise FigureError(_not_a_number(original))
    number, unit_word = match["number"], match["unit"]
    # The unit's language decides the decimal mark; without a unit the marker's, else both are tried.
    unit = (
        _find_unit(unit_word, original) if unit_word else Unit({language: 1 for language in marker_languages or BOTH})
    )
    languages = tuple(unit.factor)
    readings = [
        _Reading(language, value * unit.factor[language])
        for language in languages
        if (value := _read(number, language)) is not None
    ]
    distinct = list({r.value: r for r in readings}.values())
    if len(distinct) > 1:
        raise FigureError(_two_readings(original, number, unit_word, distinct))
    if not distinct:
        if unit_word and (other := next((lang for lang in BOTH if _read(number, lang) is not None), None)):
            raise FigureError(_wrong_convention(original, number, unit_word, max(unit.factor.values()), other))
        raise FigureError(_not_a_number(original))
    reading = distinct[0]
    if not reading.whole:
        if unit_word:
            raise FigureError(f"'{original}' is {_plain(reading.value)}, not a whole number; give fewer decimals")
        raise FigureError(
            f"'{original}' reads as {_plain(reading.value)} ({_meaning(number, None, reading.language)}), "
            f"not a whole number; write all digits, or add a unit (e.g. '{number} {_EXAMPLE_UNIT[reading.language]}')"
        )
    return _non_negative(int(reading.value)), bool(marker_languages or unit_word)


def _not_a_number(original: str) -> str:
    return (
        f"'{original}' is not a number; write digits, grouped in threes if you like (126,476,461, "
        "126.476.461 or 126 476 461), or a figure with a unit ('appr. 19 million', 'rund 1,2 Mrd.')"
    )


def _wrong_convention(original: str, number: str, unit_word: str, factor: int, language: str) -> str:
    """'1,5 thousand': a number written the German way with an English unit, or the other way round."""
    unit_language, mark, grouping = ("English", ".", ",") if language == DE else ("German", ",", ".")
    swapped = number.translate(str.maketrans(",.", ".,"))
    same_unit = {10**3: ("thousand", "Tsd."), 10**6: ("million", "Mio."), 10**9: ("billion", "Mrd.")}.get(factor)
    example = f"'{swapped} {unit_word}'"
    if same_unit:
        example += f" or '{number} {same_unit[0] if language == EN else same_unit[1]}'"
    return (
        f"'{original}': '{unit_word}' is {unit_language}, which writes '{mark}' before decimals and "
        f"'{grouping}' between groups of three; write {example}"
    )


def _find_unit(word: str, original: str) -> Unit:
    lower = word.lower()
    if lower in CAPITALISED and word != lower:  # 'Million', 'BILLION'
        return CAPITALISED[lower]
    if lower in UNITS:
        return UNITS[lower]
    raise FigureError(
        f"unknown unit '{word}' in '{original}'; use thousand, million or billion (English), "
        "or Tsd., Mio., Mrd., Millionen or Milliarden (German)"
    )


def _read(number: str, language: str) -> Decimal | None:
    """The number as one convention reads it, or None if it does not follow that convention."""
    mark = DECIMAL_MARK[language]
    whole, _, fraction = number.partition(mark)
    if fraction and not fraction.isdigit():
        return None
    separators = set(re.sub(r"\d", "", whole))  # the other mark, a space or an apostrophe
    if separators:
        if len(separators) > 1:
            return None
        groups = whole.split(separators.pop())
        if not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])):
            return None
    digits = re.sub(r"\D", "", whole)
    return Decimal(f"{digits}.{fraction}" if fraction else digits)


def _role(number: str, language: str) -> list[str]:
    mark = DECIMAL_MARK[language]
    grouping = sorted({c for c in number if not c.isdigit() and c != mark})
    return [f"'{c}' grouping thousands" for c in grouping] + (
        [f"'{mark}' as the decimal mark"] if mark in number else []
    )


def _two_readings(original: str, number: str, unit_word: str | None, readings: list[_Reading]) -> str:
    first, second = readings[0], readings[1]
    shown = " or ".join(f"as {_plain(r.value)} ({_meaning(number, unit_word, r.language)})" for r in (first, second))
    if unit_word:
        advice = (
            "write the unit the English way ('million', with ',' grouping and '.' for decimals) "
            "or the German way ('Mio.', with '.' grouping and ',' for decimals)"
        )
        if unit_word.lower() == "billion":
            advice = "write 'billion' (English, 10^9), or 'Mrd.' or 'Milliarden' (German, 10^9)"
    elif all(r.whole for r in readings):  # '220.000': a number with three zero decimals, or grouped
        grouped = {language: _grouped(number, language) for language in BOTH}
        advice = (
            f"write {re.sub(r'[^0-9]', '', number)}, or say which way with a marker "
            f"('about {grouped[EN]}', 'rund {grouped[DE]}')"
        )
    else:
        decimal = number.replace(",", ".").replace(" ", "")
        advice = (
            f"write {re.sub(r'[^0-9]', '', number)} for the whole number, or add a unit for a decimal "
            f"(e.g. '{decimal} million' or '{decimal.replace('.', ',')} Mio.')"
        )
    return f"'{original}' can be read two ways: {shown}; {advice}"


def _meaning(number: str, unit_word: str | None, language: str) -> str:
    parts = _role(number, language)
    if unit_word and unit_word.lower() == "billion" and unit_word != "billion":
        parts.append(f"'{unit_word}' as {'10^9' if language == EN else '10^12'}")
    return f"{'English' if language == EN else 'German'}: {', '.join(parts)}"


def _grouped(number: str, language: str) -> str:
    """The digits of a number grouped in threes the way one language writes it."""
    digits = re.sub(r"[^0-9]", "", number)
    return f"{int(digits):,}".replace(",", "," if language == EN else ".")


def _plain(value: Decimal) -> str:
    """A number as plain digits (a '.' before decimals), so that the message itself is unambiguous."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _non_negative(value: int) -> int:
    if value < 0:
        raise FigureError(f"expected a number of zero or more, got {value}")
    return value
