"""A PDF's pages as images for the preview (reports/preview.py), and which of them changed.

Pages are drawn by PDFium at twice the resolution a browser lays a page out
at, so that text stays sharp enough to proofread on a high-density screen and
when zoomed in. A page is known by the digest of its pixels: a page that looks
as before keeps its image (and its address, which browsers cache), and the
first page whose pixels differ is where the preview scrolls to.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass

import pypdfium2

RESOLUTION = 192  # dots per inch: two image pixels to a CSS pixel (96 to the inch)


@dataclass(frozen=True)
class PageImage:
    digest: str  # of the drawn pixels
    width: int  # pixels
    height: int
    png: Future[bytes]  # encoding takes longer than drawing: the image is there once this is done


def page_images(pdf: bytes, encoders: Executor, earlier: Sequence[PageImage] = ()) -> list[PageImage]:
    """Every page of the PDF, drawn; a page drawn exactly as one of `earlier` reuses its image, a
    new one is encoded as PNG by `encoders`, in page order, while the next pages are drawn (PDFium
    draws one page at a time). Returns once every page is drawn, before the new ones are encoded."""
    known = {image.digest: image for image in earlier}
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            bitmap = page.render(scale=RESOLUTION / 72)
            page.close()
            digest = hashlib.sha256(bitmap.buffer).hexdigest()[:32]
            if digest not in known:
                known[digest] = PageImage(digest, bitmap.width, bitmap.height, encoders.submit(_png, bitmap))
            images.append(known[digest])
        return images
    finally:
        document.close()


def _png(bitmap: pypdfium2.PdfBitmap) -> bytes:
    encoded = io.BytesIO()
    bitmap.to_pil().save(encoded, "PNG", compress_level=1)  # a page served on this machine: speed over size
    return encoded.getvalue()


def first_changed(before: Sequence[PageImage], after: Sequence[PageImage]) -> int | None:
    """The index of the first page that looks different (a page removed at the end: the new last
    page); None when every page looks as before."""
    for index, image in enumerate(after):
        if index >= len(before) or before[index].digest != image.digest:
            return index
    return len(after) - 1 if len(after) < len(before) and after else None
