"""QR codes to a document's online version, drawn as vectors.

segno writes the code as one SVG path, so it prints sharp at any size and
stays a drawing in the PDF (no bitmap). Black on white with the standard
quiet zone of four modules: what phone cameras read most reliably.
"""

from __future__ import annotations

import io

import segno

from .charts import Chart


def qr_code(address: str, alt: str) -> Chart:
    code = segno.make(address, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", border=4, dark="#000000", light="#ffffff", xmldecl=False, nl=False, omitsize=True)
    return Chart(buffer.getvalue(), alt)
