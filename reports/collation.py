"""Lists in the reader's alphabet: the Unicode Collation Algorithm with the book language's rules.

Python's own order is by code point: 'Senegal' before 'São Tomé' ('e' < 'ã'), and 'Äthiopien'
after 'Vietnam'. ICU's collator (PyICU, built against Debian's libicu) sorts the way a
dictionary of that language does: accents second to letters, German 'Ä' with 'A'. Every
list of names a document prints is sorted through `sort_key`.
"""

from __future__ import annotations

from functools import cache

import icu


@cache
def _collator(language: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(language))


def sort_key(language: str, text: str) -> bytes:
    """A key that orders texts as the language's alphabet does (the name itself breaks ties)."""
    return _collator(language).getSortKey(text) + b"\0" + text.encode()


def version() -> str:
    """ICU's version and the collation rules' version: an order can change with them."""
    return f"ICU {icu.ICU_VERSION}, Unicode {icu.UNICODE_VERSION}"
