"""Colours in CMYK for the print profile: what the print stylesheet cannot reach.

The print stylesheet gives every CSS colour as device-cmyk(). Charts (SVG in
RGB hex colours) and WeasyPrint's own crop marks (black, in RGB) still paint
with DeviceRGB operators, which PDF/X-4 with a CMYK output intent does not
allow; the typesetter passes each content-stream operation through
`operation_in_cmyk` before the PDF is written. A colour of the palette gets
the separation the print stylesheet gives it, so a chart's bars and the
text in the same ink print with the same inks.
"""

from __future__ import annotations

import re

from .palette import separation

_RGB_OPERATION = re.compile(rb"^(\S+) (\S+) (\S+) (rg|RG)$")


def rgb_to_cmyk(red: float, green: float, blue: float) -> tuple[float, ...]:
    """A palette colour's separation from the print stylesheet; for any other colour (the shades
    between two palette colours) the naive separation: exact for greys (black ink only)."""
    declared = separation(*(round(value * 255) for value in (red, green, blue)))
    if declared is not None:
        return declared
    black = 1 - max(red, green, blue)
    if black >= 1:
        return 0.0, 0.0, 0.0, 1.0
    if max(red, green, blue) - min(red, green, blue) < 0.02:  # a grey: no coloured ink at all
        return 0.0, 0.0, 0.0, round(black, 3)
    scale = 1 - black
    return tuple(
        round(value, 3)
        for value in ((1 - red - black) / scale, (1 - green - black) / scale, (1 - blue - black) / scale, black)
    )


def operation_in_cmyk(operation: bytes) -> bytes:
    """'r g b rg' -> 'c m y k k' (and RG -> K for strokes); any other operation unchanged."""
    match = _RGB_OPERATION.match(operation)
    if match is None:
        return operation
    try:
        red, green, blue = (float(value) for value in match.groups()[:3])
    except ValueError:
        return operation
    cmyk = b" ".join(f"{value:g}".encode() for value in rgb_to_cmyk(red, green, blue))
    return cmyk + (b" K" if match.group(4) == b"RG" else b" k")
