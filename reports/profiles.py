"""Output profiles: what a PDF must be for where it goes (a screen, a print shop, an archive).

A profile is a property of the typesetting stage, so every document kind gets
all three without code of its own: it names the PDF standard WeasyPrint
writes, the stylesheets added to the document's own, and the checks that
preflight (reports/preflight.py) runs on the result. Every profile is tagged:
a printed or archived PDF is read on screens too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    purpose: str
    pdf_variant: str                 # a WeasyPrint pdf_variant, e.g. "pdf/x-4"
    standard: str                    # how preflight names it, e.g. "PDF/X-4"
    stylesheets: tuple[str, ...]     # added after the document's own, from styles/
    cmyk_only: bool = False          # RGB paint (charts, crop marks) turned into CMYK (reports/cmyk.py)
    no_annotations: bool = False     # links mean nothing on paper, and PDF/X keeps the print area clear of them


PROFILES: dict[str, Profile] = {
    "screen": Profile(
        "screen", "reading on screen and with assistive technology",
        "pdf/ua-1", "PDF/UA-1", ()),
    "print": Profile(
        "print", "a print shop: CMYK, bleed and crop marks",
        "pdf/x-4", "PDF/X-4", ("print.css",), cmyk_only=True, no_annotations=True),
    "archive": Profile(
        "archive", "long-term archiving",
        "pdf/a-3u", "PDF/A-3U", ()),
}
DEFAULT_PROFILE = "screen"


def profile_named(name: str) -> Profile:
    return PROFILES[name]
