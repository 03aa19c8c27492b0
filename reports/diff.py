"""What changed between two editions: a plain change model, independent of any document.

Assessments are matched by (country slug, interest); texts are compared
section by section (the card summary and the five key questions), word by word.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .collation import sort_key
from .model import Assessment, Atlas, Country, Text
from .questions import KEY_QUESTIONS, RATED_QUESTIONS

Key = tuple[str, str]  # (country slug, interest id)


@dataclass(frozen=True)
class AssessmentChange:
    country: Country
    interest: str
    kind: str  # "added", "removed", "suspended", "resumed"


@dataclass(frozen=True)
class RatingChange:
    country: Country
    interest: str
    question: str
    before: int
    after: int


@dataclass(frozen=True)
class FactChange:
    country: Country
    fact: str  # "population" or "capital"
    before: object
    after: object


@dataclass(frozen=True)
class WordRun:
    kind: str  # "same", "added", "removed", "gap" (unchanged words left out)
    text: str  # a Text, knowing its language, where the compared text did


@dataclass(frozen=True)
class TextChange:
    country: Country
    interest: str
    section: str  # "summary" or a key question
    runs: list[WordRun]


@dataclass(frozen=True)
class EditionDiff:
    before: Atlas
    after: Atlas
    assessments: list[AssessmentChange]
    ratings: list[RatingChange]
    facts: list[FactChange]
    texts: list[TextChange]

    @property
    def empty(self) -> bool:
        return not (self.assessments or self.ratings or self.facts or self.texts)


def _assessments(atlas: Atlas) -> dict[Key, tuple[Country, Assessment]]:
    return {(c.slug, a.interest): (c, a) for c in atlas.countries.values() for a in c.assessments}


def compare(before: Atlas, after: Atlas, language: str = "en") -> EditionDiff:
    old, new = _assessments(before), _assessments(after)
    changes, ratings, texts = [], [], []

    def by_name(keys: set[Key], atlas: dict[Key, tuple[Country, Assessment]]) -> list[Key]:
        return sorted(keys, key=lambda k: (sort_key(language, atlas[k][0].name.get(language)), k[1]))

    for key in by_name(old.keys() - new.keys(), old):
        changes.append(AssessmentChange(old[key][0], key[1], "removed"))
    for key in by_name(new.keys() - old.keys(), new):
        changes.append(AssessmentChange(new[key][0], key[1], "added"))
    for key in by_name(old.keys() & new.keys(), new):
        (_, a), (country, b) = old[key], new[key]
        if a.suspended != b.suspended:
            changes.append(AssessmentChange(country, key[1], "suspended" if b.suspended else "resumed"))
        if a.ratings and b.ratings:
            ratings += [
                RatingChange(country, key[1], q, a.ratings.of(q), b.ratings.of(q))
                for q in RATED_QUESTIONS
                if a.ratings.of(q) != b.ratings.of(q)
            ]
        sections: list[tuple[str, str, str]] = [("summary", a.summary.get(language), b.summary.get(language))]
        old_answers, new_answers = a.answers.get(language, {}), b.answers.get(language, {})
        sections += [
            (q, Text(old_answers.get(q, ""), language), Text(new_answers.get(q, ""), language)) for q in KEY_QUESTIONS
        ]
        texts += [TextChange(country, key[1], section, word_diff(x, y)) for section, x, y in sections if x != y]
    facts = []
    both = before.countries.keys() & after.countries.keys()
    for slug in sorted(both, key=lambda s: sort_key(language, after.countries[s].name.get(language))):
        earlier, later = before.countries[slug], after.countries[slug]
        if (earlier.population.value, earlier.population.approximate) != (
            later.population.value,
            later.population.approximate,
        ):
            facts.append(FactChange(later, "population", earlier.population, later.population))
        if earlier.capital.get(language) != later.capital.get(language):
            facts.append(FactChange(later, "capital", earlier.capital.get(language), later.capital.get(language)))
    return EditionDiff(before, after, changes, ratings, facts, texts)


_WORDS = re.compile(r"\S+\s*")


def word_diff(before: str, after: str, context: int = 8) -> list[WordRun]:
    """Word-level changes; long unchanged stretches shrink to `context` words on each side of a change.

    A run is in the language of the text it comes from (a German text may fall back to English).
    """
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    runs: list[WordRun] = []

    def run(kind: str, words: list[str], source: str) -> WordRun:
        text = "".join(words)
        return WordRun(kind, Text(text, source.language) if isinstance(source, Text) else text)

    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = old[i1:i2]
            head = words[:context] if index > 0 else []
            tail = words[-context:] if index < len(opcodes) - 1 else []
            if len(words) > len(head) + len(tail):
                runs += [run("same", head, after), WordRun("gap", "…"), run("same", tail, after)]
            else:
                runs.append(run("same", words, after))
            continue
        if i2 > i1:
            runs.append(run("removed", old[i1:i2], before))
        if j2 > j1:
            runs.append(run("added", new[j1:j2], after))
    return [run for run in runs if run.text]
