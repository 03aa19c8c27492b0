"""Preflight: does a PDF meet its output profile? Checked the way a prepress department would.

Reads the PDF with pikepdf (never by hand) and answers one question per
check, with a detail a person can act on. Used by `build.py preflight` and
by every build on its own output before it is written.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pikepdf
from rich.console import Console
from rich.table import Table

from .pdfcontent import content_box, drawn_points, structured_content, walk_content
from .profiles import Profile

MM = 72 / 25.4
PAPER_SIZES = {"A4": (210, 297), "A5": (148, 210)}  # trim sizes a print profile accepts, in mm
BLEED_MM = 3
MIN_DPI = 300
_XMP_IDS = {  # the standard a profile claims -> (XMP property, expected value)
    "PDF/UA-1": [("pdfuaid:part", "1")],
    "PDF/A-3A": [("pdfaid:part", "3"), ("pdfaid:conformance", "A")],
    "PDF/A-3U": [("pdfaid:part", "3"), ("pdfaid:conformance", "U")],
    "PDF/A-3B": [("pdfaid:part", "3"), ("pdfaid:conformance", "B")],
    "PDF/X-4": [("pdfxid:GTS_PDFXVersion", "PDF/X-4")],
}


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def preflight(pdf: bytes, profile: Profile) -> list[Check]:
    """Every check of the profile, on one PDF, and the outside validator's verdict."""
    with _judging(pdf, profile) as verdict:
        checks = _checks(pdf, profile, _document_checks, _content_checks)
        return checks if _unreadable(checks) else checks + verdict.result()


def content_checks(pdf: bytes, profile: Profile) -> list[Check]:
    """The checks of what the pages draw (fonts, figures' alt text, colours, images), for a chapter
    that will be joined into a book: the join copies these objects as they are."""
    return _checks(pdf, profile, _content_checks)


def book_checks(pdf: bytes, profile: Profile, chapters: list[tuple[str, list[Check]]]) -> list[Check]:
    """A book joined from chapters: the document checks on the book itself, the content checks
    as its chapters passed or failed them (each failure named with its chapter)."""
    # One after the other: a book read twice at once, by our checks and by the validator, took the
    # 200-country atlas's build from 790 to 1,240 MiB at its peak.
    checks = _checks(pdf, profile, _document_checks)
    if _unreadable(checks):
        return checks
    checks += outside_validator(pdf, profile)
    for name in dict.fromkeys(check.name for _, part in chapters for check in part):
        failed = [
            f"{chapter}: {check.detail}"
            for chapter, part in chapters
            for check in part
            if check.name == name and not check.passed
        ]
        checked = sum(check.name == name for _, part in chapters for check in part)
        checks.append(Check(name, not failed, "; ".join(failed) or f"passed in each of {checked} parts"))
    return checks


# The standards the independent validator judges, by the names profiles use (no free PDF/X validator exists).
_VALIDATED = {"PDF/UA-1": "PDF_UA_1", "PDF/A-3A": "PDF_A_3A", "PDF/A-3U": "PDF_A_3U", "PDF/A-3B": "PDF_A_3B"}


@contextmanager
def _judging(pdf: bytes, profile: Profile) -> Iterator[Future[list[Check]]]:
    """The outside validator's verdict, reached in a thread while our own checks run: the validator
    does not hold Python's lock while it reads the PDF (a country dossier: 0.09 s for both instead of
    0.12 s one after the other). For a document, not a book (see book_checks)."""
    with ThreadPoolExecutor(1, thread_name_prefix="validator") as judge:
        yield judge.submit(outside_validator, pdf, profile)


def outside_validator(pdf: bytes, profile: Profile) -> list[Check]:
    """page-validation's verdict on every standard the profile claims: an outside judge outranks our
    own checks, and a rule it finds broken fails the build."""
    checks = []
    for standard, verdict in validator_verdicts(pdf, profile).items():
        failures = [f"{failure['rule']}: {failure['message']}" for failure in verdict["failed_rules"]]
        name = f"{standard} (page-validation {version('page-validation')})"
        checks.append(Check(name, not failures, "; ".join(failures) or "no rule failed"))
    return checks


def validator_verdicts(pdf: bytes, profile: Profile) -> dict[str, dict]:
    """For each standard the profile claims that the validator judges: its rules counted, and each
    rule that failed with its message (which names the page or object)."""
    import page  # loaded only where a PDF is checked

    verdicts = {}
    for standard in (profile.standard, *profile.also_claims):
        if standard in _VALIDATED:
            report = page.validate_pdf_bytes(pdf, profile=getattr(page.ValidationProfile, _VALIDATED[standard]))
            verdicts[standard] = {
                "compliant": report.is_compliant,
                "rules": {"total": report.rules.total, "passed": report.rules.passed, "failed": report.rules.failed},
                "failed_rules": [{"rule": f.rule_id, "message": f.message} for f in report.failures],
            }
    return verdicts


def conformance_report(pdf: bytes, profile: Profile) -> bytes:
    """The validator's verdict as a file kept beside an archived PDF (CONFORMANCE.json)."""
    report = {
        "validator": "page-validation",
        "version": version("page-validation"),
        "standards": validator_verdicts(pdf, profile),
    }
    return (json.dumps(report, indent=2, sort_keys=True) + "\n").encode()


def _unreadable(checks: list[Check]) -> bool:
    return len(checks) == 1 and checks[0].name == "readable PDF"


def _checks(pdf: bytes, profile: Profile, *kinds) -> list[Check]:
    try:
        document = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as error:  # qpdf names the in-memory stream first: say only what is wrong
        return [
            Check("readable PDF", False, "not a PDF that can be read: " + re.sub(r"^stream <[^>]*>: ", "", str(error)))
        ]
    with document:
        return [check for kind in kinds for check in kind(document, profile)]


def _document_checks(document: pikepdf.Pdf, profile: Profile) -> list[Check]:
    checks = [_identification(document, standard) for standard in (profile.standard, *profile.also_claims)]
    if profile.output_intent:
        checks.append(_output_intent(document, profile))
    return checks + [check for name in profile.document_checks for check in _DOCUMENT_CHECKS[name](document)]


def _content_checks(document: pikepdf.Pdf, profile: Profile) -> list[Check]:
    checks = [_fonts_embedded(document)]
    pages = _PageContents(document)  # each page's content walked once, for all the checks that read it
    return checks + [check for name in profile.content_checks for check in _CONTENT_CHECKS[name](document, pages)]


class _PageContents:
    """What each page draws (reports/pdfcontent.py's walk), read when first asked for and kept:
    a print profile's checks read every page three times."""

    def __init__(self, document: pikepdf.Pdf):
        self.pages = list(document.pages)
        self._walked: dict[int, list] = {}

    def __iter__(self):
        """(page number, page, its content walked) for every page."""
        for number, page in enumerate(self.pages, 1):
            if number not in self._walked:
                self._walked[number] = list(walk_content(page.obj, page.resources))
            yield number, page, self._walked[number]


def print_report(path: Path, profile: Profile, checks: list[Check]) -> None:
    table = Table(title=f"Preflight of {path} for the {profile.name} profile ({profile.standard})")
    table.add_column("check")
    table.add_column("result")
    table.add_column("detail", overflow="fold")
    for check in checks:
        table.add_row(check.name, "[green]pass[/green]" if check.passed else "[bold red]FAIL[/bold red]", check.detail)
    terminal = Console()
    # Piped into a file or a test, lines are not folded: each check's detail stays on one line.
    console = Console(width=max(terminal.width, 110) if terminal.is_terminal else 240)
    console.print(table)
    failed = [check.name for check in checks if not check.passed]
    console.print(
        f"FAILED: {'; '.join(failed)}" if failed else "All checks passed.",
        style="bold red" if failed else "bold green",
        highlight=False,
    )


def _fonts_embedded(document: pikepdf.Pdf) -> Check:
    missing, count = set(), 0
    for font in _objects_of_type(document, "/Font"):
        if font.get("/Subtype") in ("/Type0", "/Type3"):
            continue  # Type0 is checked through its descendant; Type3 glyphs are drawn inside the PDF
        count += 1
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.add(str(font.get("/BaseFont", "unnamed")).lstrip("/"))
    if missing:
        return Check("fonts embedded", False, "not embedded: " + ", ".join(sorted(missing)))
    return Check("fonts embedded", True, f"{count} fonts, all embedded")


def _identification(document: pikepdf.Pdf, standard: str) -> Check:
    name = f"{standard} identification (XMP)"
    metadata = document.open_metadata()
    wrong = []
    for key, expected in _XMP_IDS[standard]:
        found = metadata.get(key)
        if found != expected:
            wrong.append(f"{key} is {found!r}, expected {expected!r}")
    return Check(name, not wrong, "; ".join(wrong) or ", ".join(f"{k}={v}" for k, v in _XMP_IDS[standard]))


def _output_intent(document: pikepdf.Pdf, profile: Profile) -> Check:
    name = "output intent"
    assert profile.output_intent is not None, "declared only by profiles that have an output intent"
    subtype, components = profile.output_intent.subtype, profile.output_intent.components
    icc = "a CMYK ICC profile" if components == 4 else "an ICC profile"
    for intent in document.Root.get("/OutputIntents", []):
        destination = intent.get("/DestOutputProfile")
        if (
            intent.get("/S") == subtype
            and destination is not None
            and (components is None or destination.get("/N") == components)
        ):
            return Check(name, True, f"{subtype[1:]}: {intent.get('/OutputConditionIdentifier', 'unnamed')}")
    return Check(name, False, f"no {subtype[1:]} output intent with {icc} embedded")


def _page_boxes(document: pikepdf.Pdf) -> Check:
    name = f"page boxes (TrimBox A4, BleedBox {BLEED_MM} mm)"
    sizes = set()
    for number, page in enumerate(document.pages, 1):
        trim = _box(page.obj.get("/TrimBox"))
        bleed = _box(page.obj.get("/BleedBox"))
        if trim is None or bleed is None:
            return Check(name, False, f"page {number}: no TrimBox/BleedBox")
        media = _box(page.obj.get("/MediaBox")) or trim
        size = _paper(trim)
        if size is None:
            width, height = (trim[2] - trim[0]) / MM, (trim[3] - trim[1]) / MM
            return Check(
                name, False, f"page {number}: TrimBox is {width:.1f} x {height:.1f} mm, not {' or '.join(PAPER_SIZES)}"
            )
        margins = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        if min(margins) < BLEED_MM * MM - 0.1:
            return Check(
                name,
                False,
                f"page {number}: BleedBox extends only {min(margins) / MM:.1f} mm "
                f"beyond the TrimBox, {BLEED_MM} mm needed",
            )
        if any(
            b < m - 0.01
            for b, m in zip((media[0], media[1], -media[2], -media[3]), (bleed[0], bleed[1], -bleed[2], -bleed[3]))
        ):
            return Check(name, False, f"page {number}: BleedBox lies outside the MediaBox")
        sizes.add(size)
    return Check(name, True, f"{len(document.pages)} pages, trim {', '.join(sorted(sizes))}, bleed >= {BLEED_MM} mm")


def _paper(box: tuple[float, float, float, float]) -> str | None:
    width, height = (box[2] - box[0]) / MM, (box[3] - box[1]) / MM
    for paper, (w, h) in PAPER_SIZES.items():
        if abs(width - w) < 0.5 and abs(height - h) < 0.5:
            return paper
    return None


def _cmyk_only(document: pikepdf.Pdf, pages: _PageContents) -> Check:
    """Print colours are CMYK: no DeviceRGB paint in any content stream or image."""
    name = "colours in CMYK"
    rgb_pages: set[int | str] = set()
    for number, _, content in pages:
        for _, operands, operator, _ in content:
            if operator in ("rg", "RG") or (
                operator in ("cs", "CS") and operands and operands[0] == pikepdf.Name.DeviceRGB
            ):
                rgb_pages.add(number)
    for image in _objects_of_type(document, "/XObject"):
        if image.get("/Subtype") == "/Image" and image.get("/ColorSpace") == pikepdf.Name.DeviceRGB:
            rgb_pages.add("image")
    if rgb_pages:
        return Check(
            name,
            False,
            "RGB colour on "
            + ", ".join(f"page {p}" if p != "image" else "an image" for p in sorted(rgb_pages, key=str)),
        )
    return Check(name, True, "no RGB colour")


def _no_annotations(document: pikepdf.Pdf) -> Check:
    name = "no annotations in the print area"
    allowed = ("/PrinterMark", "/TrapNet")  # prepress annotations; anything else would sit on the printed page
    pages = [
        number
        for number, page in enumerate(document.pages, 1)
        if any(annot.get("/Subtype") not in allowed for annot in page.obj.get("/Annots", []))
    ]
    if pages:
        return Check(name, False, "annotations (links, notes) on page " + ", ".join(map(str, pages)))
    return Check(name, True, "none")


def _image_resolution(pages: _PageContents) -> Check:
    name = f"raster images >= {MIN_DPI} dpi"
    worst, count = None, 0
    for number, _, content in pages:
        for matrix, operands, operator, _ in content:
            if operator != "Do" or operands[1].get("/Subtype") != "/Image":
                continue
            image = operands[1]
            count += 1
            width_in = math.hypot(matrix[0], matrix[1]) / 72
            height_in = math.hypot(matrix[2], matrix[3]) / 72
            dpi = min(
                int(image.Width) / width_in if width_in else math.inf,
                int(image.Height) / height_in if height_in else math.inf,
            )
            if worst is None or dpi < worst[0]:
                worst = (dpi, number)
    if worst is None:
        return Check(name, True, "no raster images")
    if worst[0] < MIN_DPI:
        return Check(name, False, f"an image on page {worst[1]} has {worst[0]:.0f} dpi effective")
    return Check(name, True, f"{count} images, lowest {worst[0]:.0f} dpi")


def _inside_content_area(document: pikepdf.Pdf, pages: _PageContents) -> Check:
    """Text, lines and images stay inside each page's content box: the page less the margins its
    @page rules give it, which the typesetter records in the page (reports/pdfcontent.py), so
    nothing leaves its column, runs into the margin, the bleed or under the cut. The running heads
    and page numbers in the margins (content outside the tag tree) stay inside the trimmed page; so
    does everything on a page without the record (a PDF made elsewhere). What a PDF marks as an
    artifact (crop marks, backgrounds) is not checked."""
    name = "text and graphics inside the content area"
    structured = structured_content(document)
    outside = []
    recorded = 0
    for number, page, content in pages:
        trim = _box(page.obj.get("/TrimBox")) or _box(page.obj.get("/CropBox")) or _box(page.obj.get("/MediaBox"))
        if trim is None:
            continue
        column = content_box(page)
        if column is not None:  # recorded relative to the trimmed page's corner
            recorded += 1
            column = (column[0] + trim[0], column[1] + trim[1], column[2] + trim[0], column[3] + trim[1])
        worst = None
        for what, (x, y), mcid in drawn_points(content):
            furniture = mcid is not None and (page.obj.objgen, mcid) not in structured
            area, edge_of = (trim, "page") if column is None or furniture else (column, "column")
            distances = [area[0] - x, x - area[2], area[1] - y, y - area[3]]
            beyond = max(distances)
            if beyond > 0.5 and (worst is None or beyond > worst[1]):
                side = ("left", "right", "bottom", "top")[distances.index(beyond)]
                worst = (what, beyond, f"{side} edge of the {edge_of}")
        if worst:
            outside.append(f"page {number}: {worst[0]} {worst[1] / MM:.1f} mm beyond the {worst[2]}")
    if outside:
        return Check(name, False, "; ".join(outside))
    unrecorded = len(document.pages) - recorded
    held = "each in its column" + (f" ({unrecorded} without a recorded column: in the page)" if unrecorded else "")
    return Check(name, True, f"{len(document.pages)} pages, {held}, running heads in the page; nothing outside")


def _accessibility(document: pikepdf.Pdf) -> list[Check]:
    root = document.Root
    structure = root.get("/StructTreeRoot")
    marked = root.MarkInfo.get("/Marked", False) if "/MarkInfo" in root else False
    language = str(root.get("/Lang", "")).strip()
    title = str(document.docinfo.get("/Title", "")).strip() or document.open_metadata().get("dc:title", "")
    display_title = root.ViewerPreferences.get("/DisplayDocTitle", False) if "/ViewerPreferences" in root else False
    return [
        Check(
            "structure tree",
            structure is not None,
            "tagged (StructTreeRoot)" if structure is not None else "no StructTreeRoot: the PDF is not tagged",
        ),
        Check("marked content", bool(marked), "MarkInfo/Marked is true" if marked else "MarkInfo/Marked is not true"),
        Check("document language", bool(language), f"Lang {language}" if language else "no /Lang in the catalog"),
        Check("title", bool(title), title if title else "no document title"),
        Check(
            "title shown as window title",
            bool(display_title),
            "DisplayDocTitle is true" if display_title else "ViewerPreferences/DisplayDocTitle is not true",
        ),
    ]


def _alt_text(document: pikepdf.Pdf) -> Check:
    structure = document.Root.get("/StructTreeRoot")
    figures = _figures(structure) if structure is not None else []
    without_alt = [index for index, figure in enumerate(figures, 1) if not str(figure.get("/Alt", "")).strip()]
    return Check(
        "alt text on figures",
        structure is not None and not without_alt,
        "no structure tree"
        if structure is None
        else f"figure(s) {', '.join(map(str, without_alt))} of {len(figures)} without /Alt"
        if without_alt
        else f"{len(figures)} figures, all with /Alt",
    )


def _figures(element, depth=0) -> list[pikepdf.Dictionary]:
    if depth > 200 or not isinstance(element, pikepdf.Dictionary):
        return []
    found = [element] if element.get("/S") == "/Figure" else []
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        found += _figures(kid, depth + 1)
    return found


def _not_encrypted(document: pikepdf.Pdf) -> Check:
    encrypted = document.is_encrypted or "/Encrypt" in document.trailer
    return Check("no encryption", not encrypted, "encrypted" if encrypted else "not encrypted")


def _attachments(document: pikepdf.Pdf) -> Check:
    name = "embedded files declared (AFRelationship, /AF)"
    declared = {spec.objgen for spec in document.Root.get("/AF", [])}
    files = list(document.attachments.items())
    undeclared = [
        filename for filename, spec in files if "/AFRelationship" not in spec.obj or spec.obj.objgen not in declared
    ]
    if undeclared:
        return Check(name, False, "without a relationship in /AF: " + ", ".join(undeclared))
    return Check(name, True, f"{len(files)} embedded files, all declared" if files else "no embedded files")


def _objects_of_type(document: pikepdf.Pdf, type_name: str):
    for obj in document.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and obj.get("/Type") == type_name:
            yield obj


def _box(value) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


# The checks a profile may declare (reports/profiles.py), by name; each gives one or more results.
_DOCUMENT_CHECKS = {
    "page boxes": lambda document: [_page_boxes(document)],
    "no annotations": lambda document: [_no_annotations(document)],
    "accessibility": _accessibility,
    "not encrypted": lambda document: [_not_encrypted(document)],
    "attachments": lambda document: [_attachments(document)],
}
_CONTENT_CHECKS = {  # given the document and its pages' contents (_PageContents)
    "cmyk only": lambda document, pages: [_cmyk_only(document, pages)],
    "image resolution": lambda document, pages: [_image_resolution(pages)],
    "alt text": lambda document, pages: [_alt_text(document)],
    "content area": lambda document, pages: [_inside_content_area(document, pages)],
}
