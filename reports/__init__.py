"""The Partner Atlas as a library: build checked PDFs of its documents from Python.

    from pathlib import Path
    from reports import BuildOptions, CountryDossier, build

    build(CountryDossier("japan"), BuildOptions(language="de"), output=Path("out/japan-de.pdf"))

See README.md, "Use from Python".
"""

from .check import CheckedData, check_data
from .kinds import (
    AtlasEdition,
    BriefingPack,
    CountryDossier,
    DocumentKind,
    EditionDiff,
    RegionDossier,
    SymposiumHandout,
)
from .pipeline import BuildOptions, BuildResult, Built, build, make_pdf
from .problems import BuildError, InputError, Problem
from .sealing import migrate_edition, seal_edition

__all__ = [
    "AtlasEdition",
    "BriefingPack",
    "BuildError",
    "BuildOptions",
    "BuildResult",
    "Built",
    "CheckedData",
    "CountryDossier",
    "DocumentKind",
    "EditionDiff",
    "InputError",
    "Problem",
    "RegionDossier",
    "SymposiumHandout",
    "build",
    "check_data",
    "make_pdf",
    "migrate_edition",
    "seal_edition",
]
