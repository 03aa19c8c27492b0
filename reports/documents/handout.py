"""The symposium handout: programme, speakers, the review, country facts and the way online."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

from ..i18n import Language
from ..model import Atlas
from ..qr import qr_code
from ..specs import Event
from . import Document


def symposium_handout(atlas: Atlas, event: Event, language_code: str, booklet: bool = False) -> Document:
    """The A4 handout, or with `booklet` the same content on A5 pages for folding."""
    language = Language(language_code)
    spec = event.spec
    qr = qr_code(spec.online, language.gettext("QR code linking to {address}").format(address=spec.online))
    speakers = spec.speakers
    return Document(
        "handout.html",
        language_code,
        {
            "edition": atlas.edition,
            "event": spec,
            "review": event.review,
            "keynotes": {key: s for key, s in speakers.items() if s.part == "keynote"},
            "panel": {key: s for key, s in speakers.items() if s.part == "panel"},
            "countries": [
                (
                    country,
                    atlas.regions[country.region].name.get(language_code),
                    [atlas.interests[a.interest] for a in country.assessments],
                )
                for country in event.countries
            ],
            "qr": qr,
            "native_names": _japanese_font_installed(),
            "booklet": booklet,
        },
        [qr],
        ["atlas.css", "handout.css"] + (["booklet.css"] if booklet else []),
    )


@cache
def _japanese_font_installed() -> bool:
    # Names in Japanese script are printed only when a font can show them: tofu boxes would be worse
    # than the Latin name alone. setup.sh installs fonts-noto-cjk.
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True)
    return found.returncode == 0 and bool(found.stdout.strip())
