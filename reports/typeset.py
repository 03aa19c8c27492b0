"""The only place that uses WeasyPrint (reports/native.py loads it): HTML + CSS in, PDF bytes out.

Rendering reads nothing but the project's templates/ and styles/ folders,
the data folder, and the charts handed in by the caller. Every other
reference (a file elsewhere, a '..' escape, http, https, any other scheme)
stops the build with a message naming it: no network, no stray files.
What it is given and gives back (Page, TypesetChapter) is plain data in
reports/pages.py, so that a process that only hands out the work (a book
build's own) need not load WeasyPrint.
"""

from __future__ import annotations

from . import native  # noqa: F401  (first: WeasyPrint loads its libraries without compiler runs)

# isort: split
import hashlib
import io
import logging
import re
import uuid
import zlib
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from weasyprint.css import ColorProfile
from weasyprint.pdf import tags as weasyprint_tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import hyphenation
from .cmyk import operation_in_cmyk
from .pages import FOOT_BOXES, STYLES, TEMPLATES, EmbeddedFile, Page, TypesetChapter
from .pdfcontent import PRIVATE_DATA
from .problems import BuildError
from .profiles import Profile

_MEDIA_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


class RefusedReference(FatalURLFetchingError):
    """A document referred to something outside what a build may read."""


class ProjectFetcher(URLFetcher):
    """Serves project files and in-memory resources; refuses everything else."""

    def __init__(self, roots: list[Path], resources: dict[str, bytes]):
        super().__init__(fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]
        self.resources = resources

    def fetch(self, url, headers=None):
        if url in self.resources:
            return URLFetcherResponse(url, self.resources[url], {"Content-Type": _media_type(url)})
        parts = urlsplit(url)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _media_type(url)})
        raise RefusedReference(
            f"refused to load '{url}': documents may only use files from the "
            "project's templates/, styles/ and data folders"
        )


def _media_type(url: str) -> str:
    return _MEDIA_TYPES.get(Path(urlsplit(url).path).suffix.lower(), "application/octet-stream")


def typeset(page: Page, profile: Profile, embedded: Sequence[EmbeddedFile] = ()) -> bytes:
    """Lay out the page as the profile asks and return the PDF; raise BuildError on a refused reference.

    `embedded` files are carried inside the PDF (an archived edition's source data).
    The same page, profile and files always give the same bytes: dates come from the
    document's metadata, identifiers from its content.
    """
    with _refused_references():
        _, write = _render(page, profile, embedded)
        return write()


_ID = re.compile(r'\sid="([^"]+)"')
_LOCAL_LINK = re.compile(r'\shref="#([^"]+)"')
_STUBS = (
    '<div class="link-stubs" aria-hidden="true" '
    'style="position: absolute; top: 0; left: 0; width: 0; height: 0">{}</div></body>'
)


def typeset_chapter(page: Page, profile: Profile, layout_only: bool = False) -> TypesetChapter:
    """Typeset a chapter whose links may point into other chapters.

    WeasyPrint drops a link whose target is not in the document, so every such
    target gets an invisible stand-in here; the joiner points the link at the
    real place in the book. `layout_only` stops before drawing: the chapter's
    pages, anchors and bookmarks without its PDF, at about half the cost.
    """
    stubs = frozenset(_LOCAL_LINK.findall(page.html)) - frozenset(_ID.findall(page.html))
    html = page.html
    if stubs:
        markers = "".join(f'<span class="link-stub" id="{name}"></span>' for name in sorted(stubs))
        html = html.replace("</body>", _STUBS.format(markers))
    with _refused_references():
        document, write = _render(Page(html, page.data_dir, page.resources, page.stylesheets), profile)
        pdf = b"" if layout_only else write()
    bookmarks = tuple(
        (level, index, label)
        for index, laid_out in enumerate(document.pages)
        for level, label, _position, _state in laid_out.bookmarks
    )
    anchors: dict[str, int] = {}
    for index, laid_out in enumerate(document.pages):
        for name in laid_out.anchors:  # an element spanning pages is an anchor on each: keep its first
            if name not in stubs:
                anchors.setdefault(name, index)
    foot = tuple(tuple(box for box in FOOT_BOXES if _has_margin_box(laid_out, box)) for laid_out in document.pages)
    return TypesetChapter(pdf, len(document.pages), bookmarks, anchors, stubs, foot)


def _has_margin_box(laid_out, at_keyword: str) -> bool:
    # WeasyPrint has no public API for this; a page has the box only where its CSS gives it content.
    return any(getattr(box, "at_keyword", None) == at_keyword for box in laid_out._page_box.children)


def _render(page: Page, profile: Profile, embedded: Sequence[EmbeddedFile] = ()):
    """The laid-out document, and a function that writes it as the profile asks."""
    fetcher = ProjectFetcher([TEMPLATES, STYLES, page.data_dir], page.resources)
    base_url = TEMPLATES.as_uri() + "/"
    styles = _styles((*page.stylesheets, *profile.stylesheets), _styles_state())
    fingerprint = _fingerprint(page, profile, embedded)
    _quiet_weasyprint()
    _tag_languages()
    hyphenation.install()
    options = {"pdf_variant": profile.pdf_variant, "pdf_tags": True, "pdf_identifier": True}
    document = weasyprint.HTML(string=page.html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=styles.sheets, font_config=styles.fonts, color_profiles=styles.fresh_color_profiles(), **options
    )
    if not document.metadata.created:
        # Without it WeasyPrint would stamp PDF/X with the clock, and no two builds would match.
        raise BuildError(
            'the document has no date (<meta name="dcterms.created">): '
            "a build takes its dates from the data, never from the clock"
        )
    attachments = [
        weasyprint.Attachment(
            string=file.content, name=file.name, description=file.description, relationship=file.relationship
        )
        for file in embedded
    ]

    def write() -> bytes:
        finisher = _finisher(profile, fingerprint, styles.color_profile_contents())
        return document.write_pdf(finisher=finisher, attachments=attachments or None, **options)

    return document, write


@dataclass(frozen=True)
class _Styles:
    sheets: list[weasyprint.CSS]
    fonts: FontConfiguration  # holds the @font-face rules of the sheets (styles/fonts.css)
    color_profiles: dict[str, tuple[bytes, ColorProfile]]  # @color-profile rules (print.css): the output intent

    def color_profile_contents(self) -> frozenset[bytes]:
        return frozenset(content for content, _ in self.color_profiles.values())

    def fresh_color_profiles(self) -> dict[str, ColorProfile]:
        # A profile object writes different bytes once its name has been read: one per document.
        return {
            key: ColorProfile(io.BytesIO(content), profile.src, profile.rendering_intent, profile.components)
            for key, (content, profile) in self.color_profiles.items()
        }


@lru_cache(maxsize=8)
def _styles(names: tuple[str, ...], _state: tuple) -> _Styles:
    """The stylesheets from styles/, parsed once per process (and again only when a file there changes):
    parsing them and loading their fonts costs more than laying out a short chapter."""
    fonts, color_profiles = FontConfiguration(), {}  # type: ignore[var-annotated]
    fetcher = ProjectFetcher([STYLES], {})
    with _refused_references():
        sheets = [
            weasyprint.CSS(
                url=(STYLES / name).as_uri(), url_fetcher=fetcher, font_config=fonts, color_profiles=color_profiles
            )
            for name in names
        ]
    return _Styles(sheets, fonts, {key: (profile.content, profile) for key, profile in color_profiles.items()})


def _styles_state() -> tuple:
    return tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for path in sorted(STYLES.rglob("*"))
        if (stat := path.stat()) and path.is_file()
    )


@contextmanager
def _refused_references():
    try:
        yield
    except FatalURLFetchingError as error:
        cause = error.__cause__ or error.__context__ or error
        message = str(error) if isinstance(error, RefusedReference) else str(cause)
        raise BuildError(message) from None


def _fingerprint(page: Page, profile: Profile, embedded: Sequence[EmbeddedFile]) -> bytes:
    digest = hashlib.sha256(profile.name.encode() + b"\0" + page.html.encode())
    for name in sorted(page.resources):
        digest.update(name.encode() + b"\0" + page.resources[name])
    for file in embedded:
        digest.update(file.name.encode() + b"\0" + file.content)
    return digest.digest()


_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


_XMP_CLAIMS = {  # standards a profile claims besides WeasyPrint's own variant
    "PDF/UA-1": b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1" />',
}
# PDF/A allows only the XMP properties it predefines or that the file declares in an extension schema.
_PDFA_EXTENSIONS = {
    "PDF/UA-1": b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>The part of ISO 14289 the file conforms to</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>""",
}


def _claim(xmp: bytes, profile: Profile) -> bytes:
    """The XMP with the identification of every further standard the profile claims."""
    claims = b"".join(_XMP_CLAIMS[standard] for standard in profile.also_claims)
    if profile.standard.startswith("PDF/A"):
        claims += b"".join(_PDFA_EXTENSIONS[standard] for standard in profile.also_claims)
    return xmp.replace(b"</rdf:RDF>", claims + b"</rdf:RDF>", 1) if claims else xmp


def _finisher(profile: Profile, fingerprint: bytes, color_profiles: frozenset[bytes] = frozenset()):
    """Last changes to the PDF objects before WeasyPrint writes them."""
    # WeasyPrint gives PDF/X a random XMP DocumentID; one derived from the content keeps builds identical.
    document_id = b"xmp.did:" + str(uuid.UUID(bytes=fingerprint[:16], version=4)).encode()

    def finisher(document, pdf) -> None:
        if "Metadata" in pdf.catalog:
            metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
            metadata.stream = [
                _claim(_DOCUMENT_ID.sub(document_id, chunk), profile) if isinstance(chunk, bytes) else chunk
                for chunk in metadata.stream
            ]
            metadata.compress = False  # PDF/A: the XMP stays readable without decoding (ISO 19005-1, 6.7.3)
        _fix_attachment_dates(pdf, document.metadata.modified or document.metadata.created)
        _record_content_boxes(document, pdf, document.metadata.modified or document.metadata.created)
        _compress_once(pdf, color_profiles)
        _scope_table_headers(pdf)
        _one_link_annotation_per_link(pdf)
        end_every_stream(pdf)
        _tag_footnotes(pdf, fingerprint.hex()[:8])
        _map_every_glyph_to_text(pdf)
        if profile.no_annotations:
            for page in pdf.objects:
                if isinstance(page, dict) and page.get("Type") == "/Page":
                    page.pop("Annots", None)
        if profile.cmyk_only:
            for stream in pdf.objects:
                if _is_content(stream):
                    # Operations are bytes; other items (property lists of tags) are left as they are.
                    stream.stream = [
                        operation_in_cmyk(chunk) if isinstance(chunk, bytes) else chunk for chunk in stream.stream
                    ]

    return finisher


_EMPTY_MAPPING = re.compile(rb"^(<[0-9a-f]{4}>) <>$")


def _map_every_glyph_to_text(pdf) -> None:
    """Give a glyph whose text its neighbour carries a zero-width space in the font's ToUnicode map.

    In Bengali (and other Indic scripts) a vowel sign written after its consonant is drawn before it
    ('দে': the glyph of ে, then that of দ). WeasyPrint gives the cluster's text to the consonant's glyph
    and an empty text to the sign's, which PDF/UA refuses as a malformed map; U+200B keeps the text
    as written when it is extracted or read out."""
    for stream in pdf.objects:
        chunks = getattr(stream, "stream", None)
        if isinstance(chunks, list) and any(
            isinstance(chunk, bytes) and chunk.endswith(b"beginbfchar") for chunk in chunks
        ):
            stream.stream = [
                _EMPTY_MAPPING.sub(rb"\1 <200b>", chunk) if isinstance(chunk, bytes) else chunk for chunk in chunks
            ]


def _compress_once(pdf, contents: frozenset[bytes]) -> None:
    """Give the colour profiles of the stylesheets (print.css's output intent, 1 MB) as compressed
    once per process: compressing it took most of the time a short chapter takes to write. The
    bytes are those pydyf would write (zlib at level 9, then /Filter, then /Length)."""
    for stream in pdf.objects:
        if (
            isinstance(stream, pydyf.Stream)
            and stream.compress
            and len(stream.stream) == 1
            and isinstance(stream.stream[0], bytes)
            and stream.stream[0] in contents
            and "Filter" not in stream.extra
        ):
            stream.stream = [_deflated(stream.stream[0])]
            stream.extra["Filter"] = "/FlateDecode"
            stream.compress = False


@lru_cache(maxsize=4)
def _deflated(content: bytes) -> bytes:
    compressor = zlib.compressobj(level=9)  # as pydyf.Stream compresses
    return compressor.compress(content) + compressor.flush()


def _scope_table_headers(pdf) -> None:
    """Give each header cell of the tag tree its /Scope, which WeasyPrint leaves out (it ties the
    cells to their headers only by /Headers): a header cell in a table's head heads its column,
    one in its body (the templates' scope="row") its row."""
    for element in pdf.objects:
        if isinstance(element, pydyf.Dictionary) and element.get("S") == "/TH" and "A" in element:
            row = pdf.objects[int(element["P"].split()[0])]
            group = pdf.objects[int(row["P"].split()[0])]
            element["A"]["Scope"] = "/Row" if group.get("S") in ("/TBody", "/TFoot") else "/Column"


def _ended_data(self) -> bytes:
    """pydyf ends a stream's data with a line feed before 'endstream', so data that ends in a
    carriage return (compressed data does, one time in 256) reads as ending one byte early, and
    PDF/A's validator finds its /Length wrong: such data is followed by CR LF instead."""
    written = pydyf.Stream.data.fget(self)  # the property of pydyf, for any subclass
    return written[: -len(b"\nendstream")] + b"\r\nendstream" if written.endswith(b"\r\nendstream") else written


_ENDED: dict[type, type] = {}  # a stream class (or a document's) -> the same, ending its (streams') data unambiguously


def _ended(stream_class: type) -> type:
    if stream_class not in _ENDED:
        _ENDED[stream_class] = type(stream_class.__name__, (stream_class,), {"data": property(_ended_data)})
    return _ENDED[stream_class]


def end_every_stream(pdf) -> None:
    """Every stream of the document ends its data unambiguously (see _ended_data): those it has, and the
    object and cross-reference streams pydyf adds while it writes the file."""
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream):
            stream.__class__ = _ended(type(stream))
    document_class = type(pdf)
    if document_class not in _ENDED:

        def add_object(self, item) -> None:
            if isinstance(item, pydyf.Stream):
                item.__class__ = _ended(type(item))
            document_class.add_object(self, item)

        _ENDED[document_class] = type(document_class.__name__, (document_class,), {"add_object": add_object})
    pdf.__class__ = _ENDED[document_class]


def _one_link_annotation_per_link(pdf) -> None:
    """WeasyPrint gives a link annotation to each line of an <a> and also to every element inside it
    (an address's joints, reports/addresses.py), each of those tied to the inner element's own tag,
    which PDF/UA-1 refuses: a link annotation belongs in a Link element. The inner ones cover the
    same area as the link's own, so they are dropped, with their places in the tag tree, the parent
    tree and the page. (Their objects are written unused: pydyf miscounts an object stream that has
    free objects in it.)"""
    objects = pdf.objects

    def referenced(reference):
        return objects[int(reference.split()[0])]

    def inside_link(element) -> bool:
        while "P" in element:
            element = referenced(element["P"])
            if element.get("S") == "/Link":
                return True
        return False

    dropped: dict[bytes, int] = {}  # annotation reference -> its key in the parent tree
    for element in list(objects):
        if not isinstance(element, pydyf.Dictionary) or element.get("Type") != "/StructElem":
            continue
        if element.get("S") == "/Link" or not isinstance(element.get("K"), list) or not inside_link(element):
            continue
        for kid in list(element["K"]):
            target = referenced(kid) if isinstance(kid, bytes) else None
            if isinstance(target, pydyf.Dictionary) and target.get("Type") == "/OBJR":
                annotation = referenced(target["Obj"])
                if annotation.get("Subtype") == "/Link":
                    element["K"].remove(kid)
                    dropped[target["Obj"]] = annotation["StructParent"]  # (its objects stay, unused)
    if not dropped:
        return
    for page in objects:
        if isinstance(page, pydyf.Dictionary) and page.get("Type") == "/Page" and "Annots" in page:
            page["Annots"] = pydyf.Array(a for a in page["Annots"] if a not in dropped)
    parent_tree = referenced(referenced(pdf.catalog["StructTreeRoot"])["ParentTree"])
    keys, nums = set(dropped.values()), parent_tree["Nums"]
    parent_tree["Nums"] = pydyf.Array(
        item for pair in zip(nums[::2], nums[1::2], strict=True) if pair[0] not in keys for item in pair
    )


def _tag_footnotes(pdf, prefix: str) -> None:
    """Tag each note at the foot of a page a /Note (with the /ID PDF/UA asks of one). WeasyPrint
    tags the page's footnote area, which belongs to no element, as a /NonStruct straight under the
    /Document, and each note in it by its element, a /Span (see styles/atlas.css, .footnote).
    The IDs carry the prefix (of the content) so that the chapters joined into a book keep them apart."""
    for area in pdf.objects:
        if not (isinstance(area, pydyf.Dictionary) and area.get("S") == "/NonStruct" and "P" in area):
            continue
        parent = pdf.objects[int(area["P"].split()[0])]
        if parent.get("S") != "/Document" or area.reference not in parent["K"]:  # (margin boxes are left out)
            continue
        kids = area["K"]
        if not kids or not all(isinstance(kid, bytes) for kid in kids):
            continue
        notes = [pdf.objects[int(kid.split()[0])] for kid in kids]
        if all(note.get("S") == "/Span" for note in notes):
            for note in notes:
                note["S"] = "/Note"
                note["ID"] = pydyf.String(f"note-{prefix}-{note.number}")


def _is_content(stream) -> bool:
    """A page's or a form's drawing operations (not a font, image, profile, attachment or metadata)."""
    return isinstance(stream, pydyf.Stream) and ("Type" not in stream.extra or stream.extra.get("Subtype") == "/Form")


def _fix_attachment_dates(pdf, date: str | None) -> None:
    """WeasyPrint dates an attachment by its file's ctime or the current time; use the document's date."""
    stamp = pydyf.String("D:" + date.replace("-", "")[:8].ljust(8, "0") + "000000Z") if date else None
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.extra.get("Type") == "/EmbeddedFile":
            params = stream.extra.get("Params", {})
            for key in ("CreationDate", "ModDate"):
                if stamp is None:
                    params.pop(key, None)
                elif key in params:
                    params[key] = stamp


def _record_content_boxes(document, pdf, date: str | None) -> None:
    """Write each page's content box (the page less its @page margins, as the stylesheets of the
    document and its profile set them) into the page's private data (/PieceInfo, ISO 32000 14.5),
    where preflight reads it: text or graphics outside it has left the column. In PDF coordinates:
    the trimmed page's bottom-left corner is the origin."""
    stamp = pydyf.String("D:" + (date or "").replace("-", "")[:8].ljust(8, "0") + "000000Z")
    kids = pdf.pages["Kids"][::3]  # references: number, generation, "R"
    for number, page in zip(kids, document.pages, strict=True):
        box = page._page_box  # WeasyPrint's laid-out page: its content box in CSS pixels, y downwards
        x, y = box.content_box_x(), box.content_box_y()
        scale = 0.75  # CSS pixels to points
        content = [
            x * scale,
            (page.height - y - box.height) * scale,
            (x + box.width) * scale,
            (page.height - y) * scale,
        ]
        data = pydyf.Dictionary(
            {"LastModified": stamp, "Private": pydyf.Dictionary({"ContentBox": pydyf.Array(content)})}
        )
        pdf_page = pdf.objects[number]
        pdf_page["PieceInfo"] = pydyf.Dictionary({PRIVATE_DATA: data})
        pdf_page["LastModified"] = stamp


def _tag_languages() -> None:
    """Give a structure element the language of its HTML element where that declares its own (an
    English passage in a German document, see reports/html.py), as PDF/UA asks of a change of
    language. WeasyPrint (up to 70 at least) tags only the document's language; its private tree
    builder, which calls itself for each box, is wrapped once per process."""
    build = weasyprint_tags._build_box_tree
    if getattr(build, "tags_languages", False):
        return

    def build_with_languages(box, parent, pdf, *args):
        own = getattr(box, "_box", box)  # an absolutely placed box stands in for its own
        language = own.element.get("lang") if own.element is not None else None
        for element in build(box, parent, pdf, *args):
            if language and own.element_tag not in ("html", "body") and element.get("P") == parent.reference:
                element["Lang"] = pydyf.String(language)
            yield element

    build_with_languages.tags_languages = True  # type: ignore[attr-defined]
    weasyprint_tags._build_box_tree = build_with_languages


def _quiet_weasyprint() -> None:
    # WeasyPrint logs unsupported CSS as warnings; errors still reach us as exceptions.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
