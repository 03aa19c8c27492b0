"""The palette: every colour of the documents and their charts, defined once, in the stylesheets.

styles/atlas.css names the colours as custom properties on :root, in sRGB for screens;
styles/print.css gives the same names their CMYK separation for the print profile (PDF/X-4).
Charts paint with the palette's colours by name, and the print profile separates a chart's
colour as print.css separates the same colour in text: one ink, one separation.
"""

from __future__ import annotations

import re
from functools import lru_cache

import tinycss2

from .pages import STYLES

SCREEN_STYLESHEET = "atlas.css"
PRINT_STYLESHEET = "print.css"
_HEX = re.compile(r"#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})")
_DEVICE_CMYK = re.compile(r"device-cmyk\(\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\)")

RGB = tuple[int, int, int]
CMYK = tuple[float, float, float, float]


def colour(name: str) -> str:
    """A colour of the palette, as '#rrggbb' (what matplotlib and SVG take)."""
    return _colours(SCREEN_STYLESHEET)[name]


def colours() -> dict[str, str]:
    """The whole screen palette, name -> '#rrggbb': what a chart drawn from it depends on."""
    return dict(_colours(SCREEN_STYLESHEET))


def separation(red: int, green: int, blue: int) -> CMYK | None:
    """The print profile's CMYK separation of a palette colour given in sRGB (0-255), if it is one."""
    return _separations(_state(SCREEN_STYLESHEET), _state(PRINT_STYLESHEET)).get((red, green, blue))


def _colours(stylesheet: str) -> dict[str, str]:
    return _custom_properties(stylesheet, _state(stylesheet))


def _state(stylesheet: str) -> tuple[str, int]:
    # A stylesheet edited while a process runs (a designer's change) is read again.
    path = STYLES / stylesheet
    return stylesheet, path.stat().st_mtime_ns


@lru_cache(maxsize=8)
def _custom_properties(stylesheet: str, _state: tuple) -> dict[str, str]:
    """'--ink: #1f3a5f' in the stylesheet's :root rule -> {'ink': '#1f3a5f'}."""
    rules = tinycss2.parse_stylesheet(
        (STYLES / stylesheet).read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True
    )
    properties = {}
    for rule in rules:
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if item.type == "declaration" and item.name.startswith("--"):
                    properties[item.name[2:]] = tinycss2.serialize(item.value).strip()
    return properties


@lru_cache(maxsize=8)
def _separations(screen: tuple, printed: tuple) -> dict[RGB, CMYK]:
    rgb, cmyk = _custom_properties(*screen), _custom_properties(*printed)
    table = {}
    for name, value in cmyk.items():
        hex_colour, device = _HEX.fullmatch(rgb.get(name, "")), _DEVICE_CMYK.fullmatch(value)
        if hex_colour and device:
            red, green, blue = (int(part, 16) for part in hex_colour.groups())
            cyan, magenta, yellow, black = (float(v) for v in device.groups())
            table[(red, green, blue)] = (cyan, magenta, yellow, black)
    return table
