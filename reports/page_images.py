"""A PDF's pages as images for the preview (reports/preview.py), and which of them changed.

Pages are drawn by PDFium at twice the resolution a browser lays a page out
at, so that text stays sharp enough to proofread on a high-density screen and
when zoomed in. A page is known by the digest of its pixels: a page that looks
as before keeps its image (and its address, which browsers cache), and the
first page whose pixels differ is where the preview scrolls to.

Drawing every page of a book after each edit would cost more than typesetting
the edited chapter, so a page is drawn only when what it draws changed: its
content streams and everything they use (fonts, images, colour spaces), read
with pikepdf. A page whose drawing is byte for byte as before looks as before.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace

import pikepdf
import pypdfium2

RESOLUTION = 192  # dots per inch: two image pixels to a CSS pixel (96 to the inch)
# What a page draws, besides its own content and resources, is decided by these entries; the rest
# (its parent, its place in the structure tree) is not drawn. Links are annotations without looks.
# A font's /ToUnicode map says which characters its glyphs stand for, for copying and searching
# text, not how they look. A font serves the whole document, so its map changes with an edit on any
# page (a one-word edit to Japan's dossier changed it on all six): every page would be drawn again.
_DRAWN = ("/Contents", "/Resources", "/MediaBox", "/CropBox", "/Rotate", "/UserUnit", "/Group")
_NOT_DRAWN = frozenset({"/Parent", "/P", "/StructParent", "/StructParents", "/Length", "/ToUnicode"})


@dataclass(frozen=True)
class PageImage:
    digest: str  # of the drawn pixels
    width: int  # pixels
    height: int
    png: Future[bytes]  # encoding takes longer than drawing: the image is there once this is done
    drawing: bytes = b""  # the digest of what the page draws (see above)


def page_images(pdf: bytes, encoders: Executor, earlier: Sequence[PageImage] = ()) -> list[PageImage]:
    """Every page of the PDF as an image: a page that draws what one of `earlier` drew, or looks
    exactly like it, reuses its image; a new one is encoded as PNG by `encoders`, in page order,
    while the next pages are drawn (PDFium draws one page at a time). Returns once every page is
    drawn, before the new ones are encoded."""
    by_drawing = {image.drawing: image for image in earlier}
    by_pixels = {image.digest: image for image in earlier}
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for index, drawing in enumerate(_drawings(pdf)):
            if drawing in by_drawing:
                images.append(by_drawing[drawing])
                continue
            page = document[index]
            bitmap = page.render(scale=RESOLUTION / 72)
            page.close()
            digest = hashlib.sha256(bitmap.buffer).hexdigest()[:32]
            if digest in by_pixels:
                image = replace(by_pixels[digest], drawing=drawing)
            else:
                image = PageImage(digest, bitmap.width, bitmap.height, encoders.submit(_png, bitmap), drawing)
            by_pixels[digest] = by_drawing[drawing] = image
            images.append(image)
        return images
    finally:
        document.close()


def _png(bitmap: pypdfium2.PdfBitmap) -> bytes:
    encoded = io.BytesIO()
    bitmap.to_pil().save(encoded, "PNG", compress_level=1)  # a page served on this machine: speed over size
    return encoded.getvalue()


def _drawings(pdf: bytes) -> list[bytes]:
    """For each page, a digest of everything it draws."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        seen: dict[tuple[int, int], bytes] = {}  # an object shared by pages (a font) is read once
        return [
            _digest(pikepdf.Dictionary({key: page.obj[key] for key in _DRAWN if key in page.obj}), seen)
            for page in document.pages
        ]


def _digest(value, seen: dict[tuple[int, int], bytes]) -> bytes:
    indirect = isinstance(value, pikepdf.Object) and value.is_indirect
    if indirect and value.objgen in seen:
        return seen[value.objgen]
    digest = hashlib.sha256()
    if isinstance(value, pikepdf.Dictionary) and value.get("/Type") == "/Page":
        digest.update(b"a page")  # a form or pattern pointing at a page does not draw it
    elif isinstance(value, (pikepdf.Dictionary, pikepdf.Stream)):
        if isinstance(value, pikepdf.Stream):
            digest.update(b"stream\0" + value.read_raw_bytes())
        for key in sorted(value.keys()):
            if key not in _NOT_DRAWN:
                digest.update(key.encode() + b"\0" + _digest(value[key], seen))
    elif isinstance(value, pikepdf.Array):
        digest.update(b"[" + b"".join(_digest(item, seen) for item in value) + b"]")
    else:
        digest.update(repr(value).encode())
    if indirect:
        seen[value.objgen] = digest.digest()
    return digest.digest()


def first_changed(before: Sequence[PageImage], after: Sequence[PageImage]) -> int | None:
    """The index of the first page that looks different (a page removed at the end: the new last
    page); None when every page looks as before."""
    for index, image in enumerate(after):
        if index >= len(before) or before[index].digest != image.digest:
            return index
    return len(after) - 1 if len(after) < len(before) and after else None
