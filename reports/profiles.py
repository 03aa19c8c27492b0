"""Output profiles: what a PDF must be for where it goes (a screen, a print shop, an archive).

A profile is a property of the typesetting stage, so every document kind gets
all three without code of its own: it names the PDF standard WeasyPrint
writes, the stylesheets added to the document's own, and the checks that
preflight (reports/preflight.py) runs on the result. Every profile is tagged:
a printed or archived PDF is read on screens too.

Like WeasyPrint's table of PDF variants, each entry holds all that makes a
profile different; no other module asks for a profile by its name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputIntent:
    """The output intent a profile's PDF must carry."""

    subtype: str  # e.g. "/GTS_PDFX"
    components: int | None  # colour components of its ICC profile (4: CMYK), None for any


@dataclass(frozen=True)
class Profile:
    name: str
    purpose: str
    pdf_variant: str  # a WeasyPrint pdf_variant, e.g. "pdf/x-4"
    standard: str  # how preflight names it, e.g. "PDF/X-4"
    stylesheets: tuple[str, ...]  # added after the document's own, from styles/
    cmyk_only: bool = False  # RGB paint (charts, crop marks) turned into CMYK (reports/cmyk.py)
    no_annotations: bool = False  # links mean nothing on paper, and PDF/X keeps the print area clear of them
    output_intent: OutputIntent | None = None
    also_claims: tuple[str, ...] = ()  # standards identified in the XMP besides `standard`
    # Preflight's checks by name, beyond those every profile has (its standard's identification, its
    # output intent, fonts embedded): of the PDF as a whole, and of what its pages draw (a book runs
    # these on each chapter).
    document_checks: tuple[str, ...] = ()
    content_checks: tuple[str, ...] = ()


PROFILES: dict[str, Profile] = {
    "screen": Profile(
        "screen",
        "reading on screen and with assistive technology",
        "pdf/ua-1",
        "PDF/UA-1",
        (),
        document_checks=("accessibility",),
        content_checks=("alt text", "content area"),
    ),
    "print": Profile(
        "print",
        "a print shop: CMYK, bleed and crop marks",
        "pdf/x-4",
        "PDF/X-4",
        ("print.css",),
        cmyk_only=True,
        no_annotations=True,
        output_intent=OutputIntent("/GTS_PDFX", 4),
        document_checks=("page boxes", "no annotations"),
        content_checks=("cmyk only", "image resolution", "content area"),
    ),
    "archive": Profile(
        "archive",
        "long-term archiving",
        "pdf/a-3a",
        "PDF/A-3A",
        (),
        output_intent=OutputIntent("/GTS_PDFA1", None),
        also_claims=("PDF/UA-1",),  # an archived edition is read with assistive technology too
        document_checks=("not encrypted", "attachments"),
        content_checks=("content area",),
    ),
}
DEFAULT_PROFILE = "screen"


def profile_named(name: str) -> Profile:
    return PROFILES[name]
