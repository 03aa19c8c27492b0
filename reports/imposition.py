"""Imposition: A5 pages onto A4 landscape sheets, in saddle-stitch order.

A booklet of N pages (padded with blanks to a multiple of four) is printed
on N/4 sheets, both sides, folded once and stapled in the fold. For eight
pages: sheet 1 front 8|1, back 2|7; sheet 2 front 6|3, back 4|5. Each page
is placed as a form XObject, so text and drawings stay vectors and stay
searchable.
"""

from __future__ import annotations

import io

import pikepdf

A4_LANDSCAPE = (841.89, 595.28)  # points; two A5 pages (2 x 148 mm) leave half a millimetre at each edge
Spread = tuple[int | None, int | None]  # 1-based page numbers on the left and right half; None = blank


def saddle_stitch_order(pages: int) -> list[Spread]:
    """The sides to print, in order (sheet 1 front, sheet 1 back, sheet 2 front, ...)."""
    padded = -(-pages // 4) * 4

    def page(number: int) -> int | None:
        return number if number <= pages else None

    sides: list[Spread] = []
    for sheet in range(padded // 4):
        outer, inner = 2 * sheet + 1, padded - 2 * sheet
        sides.append((page(inner), page(outer)))  # front: last | first
        sides.append((page(outer + 1), page(inner - 1)))  # back: second | second-to-last
    return sides


def impose_booklet(pdf: bytes, sheet: tuple[float, float] = A4_LANDSCAPE) -> bytes:
    """A PDF of equal-sized portrait pages -> the printer's sheets, two pages meeting at the fold."""
    source = pikepdf.Pdf.open(io.BytesIO(pdf))
    width, height = (float(v) for v in source.pages[0].mediabox[2:4])
    fold, bottom = sheet[0] / 2, (sheet[1] - height) / 2
    sheets = pikepdf.Pdf.new()
    for left, right in saddle_stitch_order(len(source.pages)):
        side = sheets.add_blank_page(page_size=sheet)
        for number, x in ((left, fold - width), (right, fold)):
            if number is not None:
                side.add_overlay(
                    sheets.copy_foreign(source.pages[number - 1].as_form_xobject()),
                    pikepdf.Rectangle(x, bottom, x + width, bottom + height),
                )
    for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate"):
        if key in source.docinfo:  # the sheets are the same publication
            sheets.docinfo[key] = source.docinfo[key]
    output = io.BytesIO()
    sheets.save(output, deterministic_id=True)
    return output.getvalue()
