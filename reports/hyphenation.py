"""Where words may break at the end of a line, per language: the dictionaries the PDF is set with.

WeasyPrint hyphenates with pyphen, by the `lang` of each run of text, and pyphen ships
LibreOffice's dictionaries. The German one has two levels: a list of compounds with their
joints (Deutsch|land), then syllable patterns for the parts. pyphen reads both levels as one,
so the syllable patterns run across the joints and break "Deut-schland" (and "Zusamme-narbeit").
Here the German dictionary is read as LibreOffice's hyphenator reads it: the joints of the
first level, each part then broken by the second level on its own. A break that would leave a
syllable without a vowel is dropped as well (no German syllable has none; the patterns propose
such breaks in words the compound list does not know). English dictionaries are single-level and
used as pyphen reads them.
"""

from __future__ import annotations

import re
import tempfile
from functools import cached_property
from pathlib import Path

import pyphen

from .i18n import catalogue_languages

_VOWELS = re.compile("[aeiouyäöüéèáàâêîôûëïùÿœæíóú]", re.IGNORECASE)  # German, French, Spanish
_NEXT_LEVEL = "NEXTLEVEL"
_COMPOUND_MINIMUM = 2  # the dictionary's COMPOUNDLEFTHYPHENMIN and COMPOUNDRIGHTHYPHENMIN
_NO_HYPHEN = "-'’"  # the dictionary's NOHYPHEN: never break beside a hyphen or an apostrophe


class TwoLevelDictionary:
    """A dictionary with a NEXTLEVEL line, read as its two levels (pyphen's HyphDict interface)."""

    def __init__(self, path: Path):
        self.path = path
        self.cache: dict[str, list[int]] = {}

    @cached_property  # read when a text in the language is first hyphenated, not before
    def _levels(self) -> tuple[pyphen.HyphDict, pyphen.HyphDict]:
        encoding = self.path.read_bytes().split(b"\n", 1)[0].decode().strip()
        lines = self.path.read_text(encoding).split("\n")
        split = lines.index(_NEXT_LEVEL)
        return _level(encoding, lines[1:split]), _level(encoding, lines[split + 1 :])

    def positions(self, word: str) -> list[pyphen.DataInt]:
        if word not in self.cache:
            points = self._points(word.lower())
            points = [p for p in points if word[p - 1] not in _NO_HYPHEN and word[p] not in _NO_HYPHEN]
            self.cache[word] = _with_vowels(word, points)
        return [pyphen.DataInt(point) for point in self.cache[word]]

    def _points(self, word: str) -> list[int]:  # each part shorter than the word: this ends
        compounds, syllables = self._levels
        joints = [int(p) for p in compounds.positions(word) if 0 < p < len(word)]
        if not joints:
            return [int(p) for p in syllables.positions(word) if 0 < p < len(word)]
        points = set(joints)
        bounds = [0, *joints, len(word)]
        for start, end in zip(bounds, bounds[1:], strict=False):
            for point in self._points(word[start:end]):
                if (start == 0 or point >= _COMPOUND_MINIMUM) and (
                    end == len(word) or end - start - point >= _COMPOUND_MINIMUM
                ):
                    points.add(start + point)
        return sorted(points)


def _level(encoding: str, lines: list[str]) -> pyphen.HyphDict:
    """One level of the patterns, read by pyphen (which reads files only)."""
    with tempfile.TemporaryDirectory() as folder:
        level = Path(folder) / "level.dic"
        level.write_text("\n".join([encoding, *lines]), encoding)
        return pyphen.HyphDict(level)


def _with_vowels(word: str, points: list[int]) -> list[int]:
    """The points whose syllables on both sides have a vowel."""
    kept = list(points)
    changed = True
    while changed:
        changed = False
        bounds = [0, *kept, len(word)]
        for index in range(len(bounds) - 1):
            if not _VOWELS.search(word[bounds[index] : bounds[index + 1]]):
                # a syllable without a vowel joins its neighbours: the points around it go (a word with
                # no vowel of the list at all, such as one in another script, has none to lose)
                joined = [p for p in kept if p not in (bounds[index], bounds[index + 1])]
                if joined != kept:
                    kept, changed = joined, True
                    break
    return kept


def install(languages: tuple[str, ...] | None = None) -> None:
    """Let pyphen (and so WeasyPrint) read the two-level dictionaries of the languages printed (by
    default every language with a catalogue) by their levels, through pyphen's own cache of read
    dictionaries; once per process."""
    languages = catalogue_languages() if languages is None else languages
    read: dict[bytes, TwoLevelDictionary] = {}  # de_AT, de_CH and de_DE are one file thrice
    for path in {pyphen.LANGUAGES[name] for name in pyphen.LANGUAGES if name.split("_")[0] in languages}:
        content = path.read_bytes()
        if path not in pyphen.hdcache and _has_two_levels(content):
            if content not in read:
                read[content] = TwoLevelDictionary(path)
            pyphen.hdcache[path] = read[content]


def _has_two_levels(content: bytes) -> bool:
    """Whether a dictionary has patterns on both sides of its NEXTLEVEL line. The French one has
    only its settings (LEFTHYPHENMIN...) before it: a single level, read as pyphen reads it."""
    if _NEXT_LEVEL.encode() not in content:
        return False
    first = content.split(_NEXT_LEVEL.encode(), 1)[0].split(b"\n")[1:]  # after the encoding's line
    return any(line.strip() and not re.fullmatch(rb"[A-Z]+ .*", line.strip()) for line in first)


def dictionary(language: str, left: int, right: int) -> pyphen.Pyphen:
    """The dictionary WeasyPrint breaks a language's words with, at the stylesheet's limits."""
    install()
    return pyphen.Pyphen(lang=language, left=left, right=right)
