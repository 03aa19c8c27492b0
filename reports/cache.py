"""A content-addressed cache for typeset chapters and charts.

An entry's key is a hash of everything that went into it (the HTML, the
charts it shows, the styles and fonts, the PDF options, the code and library
versions), so a changed input simply misses. A whole build is keyed by what
it makes, its options and the environment, and its record lists the data
files it read (reports/inputs.py): it is reused only while they all read the
same. Entries are written to a
temporary file and renamed into place, and each carries a checksum of its
payload: a killed build or two builds at once never leave an entry that
is then used; a damaged entry is detected, removed and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.metadata import version
from pathlib import Path

from . import collation
from .i18n import LOCALE_DIR
from .inputs import Snapshot
from .output import write_atomic
from .pages import PROJECT, STYLES, TEMPLATES, Page, TypesetChapter
from .preflight import Check
from .profiles import Profile

DEFAULT_ROOT = PROJECT / ".cache" / "atlas"
_MAGIC = b"partner-atlas-cache 1\n"


@cache
def code_version() -> str:
    """Our source code and the versions of the libraries that shape the output."""
    digest = hashlib.sha256()
    for path in sorted((PROJECT / "reports").rglob("*.py")):
        digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes())
    libraries = (
        "weasyprint",
        "pydyf",
        "pikepdf",
        "matplotlib",
        "fonttools",
        "babel",
        "pyicu",
        "markdown-it-py",
        "mdit-py-plugins",
    )
    for library in libraries:
        digest.update(f"{library}={version(library)}\0".encode())
    digest.update(collation.version().encode())  # the system's ICU orders the lists
    return digest.hexdigest()


@cache
def typesetting_version() -> str:
    """What shapes the typesetting of given HTML besides the code: the styles and every font file
    they use, the system's CJK fallback included. A system font is known by its path, size and
    time of change (it changes when its package is updated), not read whole: it is large."""
    from .glyphs import font_files  # fontconfig is asked only when a key is needed

    system = [path for path in font_files() if not path.is_relative_to(STYLES)]
    stamps = [f"{path}\0{path.stat().st_size}\0{path.stat().st_mtime_ns}" for path in system]
    return hashlib.sha256("\0".join([_digest(STYLES), *stamps]).encode()).hexdigest()


@cache
def environment_version() -> str:
    """Everything besides the code, the data and the options that shapes a document: templates,
    styles, fonts and translations."""
    return _digest(TEMPLATES, *sorted(LOCALE_DIR.rglob("*.po"))) + typesetting_version()


def _digest(*sources: Path) -> str:
    """The names and contents of the files (and of every file in the folders) given; one that does
    not exist counts as absent (the build then reports it, if it needs it)."""
    digest = hashlib.sha256()
    for source in sources:
        if not source.exists():
            digest.update(b"absent\0" + str(source).encode() + b"\0")
            continue
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        for path in files:
            name = path.relative_to(source).as_posix() if source.is_dir() else str(path)
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class Cache:
    def __init__(self, root: Path = DEFAULT_ROOT):
        self.root = Path(root)

    def key(self, kind: str, *parts: str | bytes) -> str:
        digest = hashlib.sha256(f"{kind}\0{code_version()}\0".encode())
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def load(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        header_end = len(_MAGIC) + 64
        payload = raw[header_end + 1 :]
        if (
            not raw.startswith(_MAGIC)
            or raw[header_end : header_end + 1] != b"\n"
            or raw[len(_MAGIC) : header_end].decode("ascii", "replace") != hashlib.sha256(payload).hexdigest()
        ):
            path.unlink(missing_ok=True)  # damaged: never use it, rebuild it
            return None
        return payload

    def store(self, key: str, payload: bytes) -> None:
        checksum = hashlib.sha256(payload).hexdigest().encode()
        write_atomic(self._path(key), _MAGIC + checksum + b"\n" + payload, durable=False)

    # Whole builds

    def build_key(self, *shaping: str) -> str:
        """A build's key, known before anything is loaded: what it makes and with which options
        (`shaping`), and the environment. The data it reads is checked against the build's record."""
        return self.key("build", *shaping, environment_version())

    def earlier_build(self, build_key: str, now: Snapshot | None = None) -> tuple[bytes, Path, dict[str, str]] | None:
        """The PDF of an earlier build with the same key whose inputs all still read the same (as in
        the snapshot `now`, if given), its default output file and the record of its inputs; None when
        there was none or an input changed."""
        record = self.load(build_key)
        if record is None:
            return None
        earlier = json.loads(record)
        if not (now or Snapshot()).unchanged(earlier["inputs"]):
            return None
        pdf = self.load(earlier["result"])
        return (pdf, Path(earlier["output"]), earlier["inputs"]) if pdf is not None else None

    def record_build(self, build_key: str, inputs: dict[str, str], result_key: str, default_output: Path) -> None:
        """Remember a build: the inputs it read and the key under which its PDF is stored."""
        self.store(
            build_key,
            json.dumps(
                {"inputs": inputs, "result": result_key, "output": str(default_output)}, sort_keys=True
            ).encode(),
        )

    # Glyph checks

    def glyphs_key(self, html: str, charts: dict[str, bytes]) -> str:
        """The glyph check of a document depends on its text and on the fonts the styles name."""
        return self.key("glyphs", typesetting_version(), html, *charts.values())

    # Typeset chapters

    def chapter_key(self, page: Page, profile: Profile, layout_only: bool = False) -> str:
        resources = [name.encode() + b"\0" + data for name, data in sorted(page.resources.items())]
        return self.key(
            "chapter layout" if layout_only else "chapter",
            page.html,
            typesetting_version(),
            "\0".join(page.stylesheets),
            repr(profile),
            str(page.data_dir),
            *resources,
        )

    def get(self, page: Page, profile: Profile, layout_only: bool = False) -> TypesetChapter | None:
        payload = self.load(self.chapter_key(page, profile, layout_only))
        if payload is None:
            return None
        header, _, pdf = payload.partition(b"\0")
        meta = json.loads(header)
        return TypesetChapter(
            pdf,
            meta["page_count"],
            tuple(tuple(b) for b in meta["bookmarks"]),
            meta["anchors"],
            frozenset(meta["stubs"]),
            tuple(tuple(boxes) for boxes in meta["foot"]),
            tuple(Check(*check) for check in meta["checks"]),
        )

    def put(self, page: Page, profile: Profile, chapter: TypesetChapter, layout_only: bool = False) -> None:
        meta = {
            "page_count": chapter.page_count,
            "bookmarks": chapter.bookmarks,
            "anchors": chapter.anchors,
            "stubs": sorted(chapter.stubs),
            "foot": chapter.foot,
            "checks": [(check.name, check.passed, check.detail) for check in chapter.checks],
        }
        self.store(
            self.chapter_key(page, profile, layout_only),
            json.dumps(meta, sort_keys=True).encode() + b"\0" + chapter.pdf,
        )
