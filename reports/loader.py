"""Loading the data folder into an Atlas, reporting every problem in one run.

Layout of a data folder (see README.md, "Adding a country"):

    atlas.yaml                      the edition: title, year, publisher, rating scale
    interests.yaml                  the five interests
    authors.yaml                    authors by id
    methodology.md                  the methodology chapter of the atlas (methodology.de.md in German)
    regions/<slug>.yaml, <slug>.md  a region and its introduction (<slug>.de.md in German)
    countries/<slug>.yaml           a country: facts and its assessments
    countries/<slug>/<interest>.md  the answers to the five key questions (<interest>.de.md)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .model import (LANGUAGES, Assessment, Atlas, Author, Country, Edition, Interest, Localized,
                    Region)
from .problems import InputError, Problem, display_path
from .texts import check_text, split_answers
from .yamlsource import SourceMap, load_yaml, read_text

M = TypeVar("M", bound=BaseModel)


class _Collector:
    """Gathers problems across files so that one run reports them all."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def shown(self, path: Path) -> str:
        return display_path(path)

    def yaml(self, path: Path) -> tuple[Any, SourceMap] | None:
        if not path.is_file():
            self.problems.append(Problem(self.shown(path), 0, 0, "", "file is missing"))
            return None
        try:
            return load_yaml(path, self.shown(path))
        except InputError as error:
            self.problems += error.problems
            return None

    def text(self, path: Path) -> str | None:
        try:
            return read_text(path, self.shown(path))
        except InputError as error:
            self.problems += error.problems
            return None

    def validate(self, model: type[M], data: Any, source: SourceMap, path: tuple = (),
                 context: dict | None = None) -> M | None:
        try:
            return model.model_validate(data, context=context)
        except ValidationError as error:
            self.problems += [_problem(source, path, e) for e in error.errors()]
            return None


def _problem(source: SourceMap, prefix: tuple, error: dict) -> Problem:
    """A pydantic error as a message an editor understands, at the right line."""
    loc = prefix + tuple(part for part in error["loc"] if part != "root")
    kind, got = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return source.problem(loc, f"unknown key '{loc[-1]}'")
    if kind == "missing":
        return source.problem(loc, "required field is missing")
    message = error["msg"].removeprefix("Value error, ")
    if message.startswith("value: "):  # a figure's own message names its field
        loc, message = loc + ("value",), message.removeprefix("value: ")
    elif kind not in ("value_error", "assertion_error"):
        message = f"expected {message[0].lower() + message[1:].removeprefix('Input should be ')}, got {got!r}"
    return source.problem(loc, message)


def load_atlas(root: Path) -> Atlas:
    """Read and check every file of a data folder; raise InputError listing all problems."""
    root = Path(root)
    if not root.is_dir():
        raise InputError([Problem(display_path(root), 0, 0, "", "data folder not found")])
    files = _Collector(root)

    edition = None
    if loaded := files.yaml(root / "atlas.yaml"):
        edition = files.validate(Edition, *loaded)

    interests: dict[str, Interest] = {}
    if loaded := files.yaml(root / "interests.yaml"):
        data, source = loaded
        if not isinstance(data, list):
            files.problems.append(source.problem((), "expected a list of interests"))
        else:
            for index, item in enumerate(data):
                if interest := files.validate(Interest, item, source, (index,)):
                    interests[interest.id] = interest

    authors: dict[str, Author] = {}
    if loaded := files.yaml(root / "authors.yaml"):
        data, source = loaded
        if not isinstance(data, dict):
            files.problems.append(source.problem((), "expected authors by id (id: name, role, bio)"))
        else:
            for key, item in data.items():
                if author := files.validate(Author, item, source, (key,)):
                    authors[str(key)] = author.model_copy(update={"id": str(key)})

    regions = {}
    for path in sorted((root / "regions").glob("*.yaml")):
        if loaded := files.yaml(path):
            if region := files.validate(Region, *loaded):
                regions[path.stem] = region.model_copy(update={
                    "slug": path.stem, "introduction": _localized_text(files, path.with_suffix(""))})

    scale = edition.rating_scale if edition else None
    countries = {}
    for path in sorted((root / "countries").glob("*.yaml")):
        loaded = files.yaml(path)
        if not loaded:
            continue
        data, source = loaded
        country = files.validate(Country, data, source, context={"scale": scale})
        if country is None:
            continue
        _check_references(files, country, source, regions, interests, authors)
        assessments = [a.model_copy(update={"answers": _answers(files, path, a)})
                       for a in country.assessments]
        countries[path.stem] = country.model_copy(update={"slug": path.stem, "assessments": assessments})

    if not countries and not files.problems:
        files.problems.append(Problem(files.shown(root / "countries"), 0, 0, "", "no country files found"))
    methodology = _localized_text(files, root / "methodology")
    if files.problems:
        raise InputError(files.problems)
    ordered = dict(sorted(countries.items(), key=lambda item: item[1].name.get("en")))
    return Atlas(edition, interests, authors, regions, ordered, methodology)


def _check_references(files: _Collector, country: Country, source: SourceMap,
                      regions: dict, interests: dict, authors: dict) -> None:
    def unknown(path: tuple, what: str, value: str, known: dict) -> None:
        choices = ", ".join(sorted(known)) or "none defined"
        files.problems.append(source.problem(path, f"unknown {what} '{value}'; expected one of: {choices}"))

    if country.region not in regions:
        unknown(("region",), "region", country.region, regions)
    for index, assessment in enumerate(country.assessments):
        if assessment.interest not in interests:
            unknown(("assessments", index, "interest"), "interest", assessment.interest, interests)
        if assessment.author is not None and assessment.author not in authors:
            unknown(("assessments", index, "author"), "author", assessment.author, authors)


def _answers(files: _Collector, country_file: Path, assessment: Assessment) -> dict[str, dict[str, str]]:
    """The answers to the key questions per language, from countries/<slug>/<interest>[.<lang>].md."""
    answers = {}
    base = country_file.with_suffix("") / assessment.interest
    for language in LANGUAGES:
        path = base.with_name(base.name + ("" if language == "en" else f".{language}") + ".md")
        if not path.is_file():
            continue
        text = files.text(path)
        if text is not None:
            sections, problems = split_answers(text, files.shown(path))
            files.problems += problems
            answers[language] = sections
    if "en" not in answers and not assessment.suspended:
        files.problems.append(Problem(files.shown(base.with_suffix(".md")), 0, 0, "",
                                      "file is missing: an active assessment needs its text"))
    return answers


def _localized_text(files: _Collector, base: Path) -> Localized | None:
    """<base>.md (English) and <base>.<lang>.md, checked like every text."""
    texts = {}
    for language in LANGUAGES:
        path = base.with_name(base.name + ("" if language == "en" else f".{language}") + ".md")
        if path.is_file() and (text := files.text(path)) is not None:
            files.problems += check_text(text, files.shown(path))
            texts[language] = text
    return Localized(texts) if "en" in texts else None

