"""Figures as editors write them: '126,476,461', '23.900.000', 'appr. 19 million'.

Both thousands conventions occur in real data (German '126.476.461', English
'126,476,461'), so a separator alone does not say which is meant. We accept
a form only when it can be read one way: several groups of three digits, or
a decimal with a unit word ('1.45 billion'). '1.234' could be one thousand
two hundred and thirty-four or one point two three four, and is refused.
"""

from __future__ import annotations

import re

APPROXIMATE_MARKERS = (
    "approximately",
    "approx.",
    "approx",
    "appr.",
    "appr",
    "about",
    "around",
    "circa",
    "ca.",
    "ca",
    "c.",
    "~",
    "≈",
)
UNITS = {
    "thousand": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "mio.": 10**6,
    "mio": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "bn": 10**9,
    "mrd.": 10**9,
    "mrd": 10**9,
}

_GROUPED = re.compile(r"^\d{1,3}([.,'\u202f\u00a0 ])\d{3}(\1\d{3})+$")
_SINGLE_GROUP = re.compile(r"^\d{1,3}[.,]\d{3}$")
_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")


class FigureError(ValueError):
    """A figure that cannot be read unambiguously; the message says how to write it."""


def parse_whole_number(text: str | int | float) -> tuple[int, bool]:
    """Read a count of people, things... -> (value, approximate).

    Raises FigureError with a message fit for an editor.
    """
    if isinstance(text, bool):
        raise FigureError(f"expected a number, got {text!r}")
    if isinstance(text, int):
        return _non_negative(text), False
    if isinstance(text, float):
        # YAML already read '1.234' as a float: the editor's intent is unknowable.
        text = repr(text)
    if not isinstance(text, str):
        raise FigureError(f"expected a number, got {type(text).__name__}")
    original = text
    text = " ".join(text.strip().lower().split())
    approximate = False
    for marker in APPROXIMATE_MARKERS:
        if text.startswith(marker) and (marker in ("~", "≈") or text[len(marker) :][:1] in (" ", "")):
            approximate, text = True, text[len(marker) :].strip()
            break
    number, _, unit = text.partition(" ")
    if unit:
        if unit not in UNITS:
            raise FigureError(f"unknown unit '{unit}' in '{original}'; use thousand, million or billion")
        if not _DECIMAL.match(number):
            raise FigureError(f"'{original}' is not a number followed by a unit; write e.g. '19 million'")
        # A figure given in millions or billions is rounded by nature.
        value = round(float(number.replace(",", ".")) * UNITS[unit])
        return _non_negative(value), True
    if number.isdigit():
        return int(number), approximate
    if _GROUPED.match(number):
        return int(re.sub(r"\D", "", number)), approximate
    if _SINGLE_GROUP.match(number):
        raise FigureError(
            f"'{original}' is ambiguous: it can be read as a decimal or as a thousands group; "
            f"write {number.replace(',', '').replace('.', '')} for the whole number, "
            f"or add a unit for a decimal (e.g. '{number.replace(',', '.')} million')"
        )
    if _DECIMAL.match(number):
        raise FigureError(
            f"'{original}' is not a whole number; add a unit (e.g. '{number} million') or write all digits"
        )
    raise FigureError(
        f"'{original}' is not a number; write digits with ',' or '.' between groups "
        "of three (126,476,461), or a figure with a unit ('appr. 19 million')"
    )


def _non_negative(value: int) -> int:
    if value < 0:
        raise FigureError(f"expected a number of zero or more, got {value}")
    return value
