"""Which texts still lack a version in a language: the translators' list of work.

Every text an editor can write per language (a Markdown file, or a field such as
an assessment's summary) is recorded by the loader with where it stands; this
module only sorts out the missing ones and words the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from babel import Locale

from .model import TextSource


def missing_texts(texts: Sequence[TextSource], language: str) -> list[TextSource]:
    """The texts without a version in `language`, by file and position."""
    return sorted(
        (text for text in texts if language not in text.languages), key=lambda text: (text.file, text.line, text.field)
    )


def coverage_report(texts: Sequence[TextSource], language: str) -> str:
    """Per file, the texts lacking a version in `language`; then a count."""
    name = Locale.parse(language).get_display_name("en")
    missing = missing_texts(texts, language)
    lines = [f"Texts without a {name} version, per file:"] if missing else []
    for file, in_file in groupby(missing, key=lambda text: text.file):
        lines.append(file)
        for text in in_file:
            if text.field:
                lines.append(f"  line {text.line}: {text.field}")
            else:
                lines.append(f"  the whole text: {text.translation_file(language).rsplit('/', 1)[-1]} is missing")
    total = len(texts)
    if not missing:
        lines.append(f"All {total} texts exist in {name}.")
        return "\n".join(lines)
    files = sum(1 for text in missing if not text.field)
    fields = len(missing) - files
    lines.append(
        f"{len(missing)} of {total} texts lack a {name} version: "
        f"{files} Markdown file{'s' if files != 1 else ''} and "
        f"{fields} field{'s' if fields != 1 else ''} in YAML files."
    )
    return "\n".join(lines)
