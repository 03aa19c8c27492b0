"""The kinds of document a build makes: one class each, filling in the steps of reports/pipeline.py.

A kind is a frozen value naming what to make (a country, a region, a pack
spec...). It checks its arguments before anything starts, loads the data it
needs through the build's `Inputs` (so every file it reads is part of the
build's key), makes its Document or Book, and may turn the typeset PDF into
the files it writes (`finish`). Its fields are its arguments: they are part
of the build's key as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from .diff import compare
from .documents.atlas import atlas_edition
from .documents.country import country_dossier, find_country
from .documents.diff import diff_document
from .documents.handout import symposium_handout
from .documents.pack import briefing_pack
from .documents.region import region_dossier
from .editions import check_edition_reference, load_edition
from .imposition import impose_booklet
from .inputs import Inputs
from .loader import edition_language, load_atlas
from .model import Atlas
from .pipeline import OUT, BuildOptions, Made
from .problems import InputError, Problem, display_path
from .specs import load_event, load_pack


class DocumentKind:
    """The steps a kind fills in; the defaults suit a document made from the data folder."""

    book: ClassVar[bool] = False  # typeset as a book of chapters, in parallel

    def check_arguments(self, options: BuildOptions) -> None:
        """Arguments that cannot work, reported before any worker process starts."""
        _require_folder(options.data, "data folder not found")

    def make(self, options: BuildOptions, inputs: Inputs) -> Made:
        raise NotImplementedError

    def unread_options(self) -> frozenset[str]:
        """Options this kind never reads, so that they stay out of its build key: a dossier made
        from the working data is the same whichever folder holds the sealed editions (the web
        edition built after sealing one reuses the PDFs the sealing built)."""
        return frozenset({"archive"})

    def finish(self, pdf: bytes, output: Path) -> list[tuple[Path, bytes]]:
        """The files to write, made before any is written."""
        return [(output, pdf)]


def _language(options: BuildOptions, atlas: Atlas) -> str:
    return edition_language(atlas, options.language, options.data)


def _require_folder(path: Path, message: str) -> None:
    if not Path(path).is_dir():
        raise InputError([Problem(display_path(path), 0, 0, "", message)])


def _require_file(path: Path) -> None:
    if not Path(path).is_file():
        raise InputError([Problem(display_path(path), 0, 0, "", "file not found")])


@dataclass(frozen=True)
class CountryDossier(DocumentKind):
    country: str  # a slug (japan) or ISO code (JP)

    def make(self, options: BuildOptions, inputs: Inputs) -> Made:
        atlas = load_atlas(options.data, inputs)
        country = find_country(atlas, self.country)
        return Made(
            country_dossier(atlas, country.slug, _language(options, atlas)), OUT / f"{country.slug}.pdf", options.data
        )


@dataclass(frozen=True)
class RegionDossier(DocumentKind):
    region: str  # a slug (asia-pacific)
    book: ClassVar[bool] = True

    def make(self, options: BuildOptions, inputs: Inputs) -> Made:
        atlas = load_atlas(options.data, inputs)
        return Made(
            region_dossier(atlas, self.region, _language(options, atlas)), OUT / f"{self.region}.pdf", options.data
        )


@dataclass(frozen=True)
class AtlasEdition(DocumentKind):
    edition: str | None = None  # a year: a sealed edition, or the working data's; None: the working data
    book: ClassVar[bool] = True

    def check_arguments(self, options: BuildOptions) -> None:
        if self.edition:
            check_edition_reference(self.edition, options.data, options.archive)
        else:
            super().check_arguments(options)

    def unread_options(self) -> frozenset[str]:
        return frozenset() if self.edition else super().unread_options()

    def make(self, options: BuildOptions, inputs: Inputs) -> Made:
        if self.edition:
            edition = load_edition(self.edition, options.data, options.archive, inputs)
            atlas, data_dir = edition.atlas, edition.data_dir
        else:
            atlas, data_dir = load_atlas(options.data, inputs), options.data
        return Made(
            atlas_edition(atlas, _language(options, atlas)), OUT / f"atlas-{atlas.edition.edition}.pdf", data_dir
        )


@dataclass(frozen=True)
class BriefingPack(DocumentKind):
    spec: Path  # data/packs/<name>.yaml; its notes in <name>.md
    book: ClassVar[bool] = True

    def check_arguments(self, options: BuildOptions) -> None:
        _require_file(self.spec)
        super().check_arguments(options)

    def make(self, options: BuildOptions, inputs: Inputs) -> Made:
        atlas = load_atlas(options.data, inputs)
        pack = load_pack(self.spec, atlas, inputs=inputs)
        return Made(briefing_pack(atlas, pack, _language(options, atlas)), OUT / f"{self.spec.stem}.pdf", options.data)


@dataclass(frozen=True)
class SymposiumHandout(DocumentKind):
    event: Path  # data/events/<name>.yaml; its review in <name>.md
    booklet: bool = False  # A5 pages imposed on A4 sheets for saddle stitching, and the A5 version

    def check_arguments(self, options: BuildOptions) -> None:
        _require_file(self.event)
        super().check_arguments(options)

    def make(self, options: BuildOptions, inputs: Inputs) -> Made:
        atlas = load_atlas(options.data, inputs)
        event = load_event(self.event, atlas, inputs=inputs)
        name = f"{self.event.stem}-booklet.pdf" if self.booklet else f"{self.event.stem}.pdf"
        return Made(
            symposium_handout(atlas, event, _language(options, atlas), booklet=self.booklet), OUT / name, options.data
        )

    def finish(self, pdf: bytes, output: Path) -> list[tuple[Path, bytes]]:
        if not self.booklet:
            return [(output, pdf)]
        return [(output.with_name(f"{output.stem}-a5.pdf"), pdf), (output, impose_booklet(pdf))]


@dataclass(frozen=True)
class EditionDiff(DocumentKind):
    before: str  # edition years
    after: str

    def check_arguments(self, options: BuildOptions) -> None:
        for reference in (self.before, self.after):
            check_edition_reference(reference, options.data, options.archive)

    def unread_options(self) -> frozenset[str]:
        return frozenset()  # it reads sealed editions

    def make(self, options: BuildOptions, inputs: Inputs) -> Made:
        before = load_edition(self.before, options.data, options.archive, inputs)
        after = load_edition(self.after, options.data, options.archive, inputs)
        language = _language(options, after.atlas)
        document = diff_document(
            compare(before.atlas, after.atlas, language), language, before.archived, after.archived
        )
        return Made(document, OUT / f"diff-{self.before}-{self.after}.pdf", options.data)
