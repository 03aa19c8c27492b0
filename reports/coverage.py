"""Which texts still lack a version in a language: the translators' list of work.

Every text an editor can write per language (a Markdown file, or a field such as
an assessment's summary) is recorded by the loader with where it stands; this
module only sorts out the missing ones and words the report.
"""

from __future__ import annotations

from itertools import groupby

from babel import Locale

from .model import Atlas, TextSource


def missing_texts(atlas: Atlas, language: str) -> list[TextSource]:
    """The texts without a version in `language`, by file and position."""
    return sorted((text for text in atlas.texts if language not in text.languages),
                  key=lambda text: (text.file, text.line, text.field))


def coverage_report(atlas: Atlas, language: str) -> str:
    """Per file, the texts lacking a version in `language`; then a count."""
    name = Locale.parse(language).get_display_name("en")
    missing = missing_texts(atlas, language)
    lines = [f"Texts without a {name} version, per file:"] if missing else []
    for file, texts in groupby(missing, key=lambda text: text.file):
        lines.append(file)
        for text in texts:
            if text.field:
                lines.append(f"  line {text.line}: {text.field}")
            else:
                lines.append(f"  the whole text: {text.translation_file(language).rsplit('/', 1)[-1]} is missing")
    total = len(atlas.texts)
    if not missing:
        lines.append(f"All {total} texts exist in {name}.")
        return "\n".join(lines)
    files = sum(1 for text in missing if not text.field)
    fields = len(missing) - files
    lines.append(f"{len(missing)} of {total} texts lack a {name} version: "
                 f"{files} Markdown file{'s' if files != 1 else ''} and "
                 f"{fields} field{'s' if fields != 1 else ''} in YAML files.")
    return "\n".join(lines)
