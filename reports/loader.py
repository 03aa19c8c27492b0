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

import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .collation import sort_key
from .i18n import catalogue_languages, catalogue_path
from .inputs import Inputs, Snapshot
from .model import (
    DEFAULT_LANGUAGES,
    Assessment,
    Atlas,
    Author,
    Country,
    Edition,
    Interest,
    Limits,
    Localized,
    Region,
    TextSource,
)
from .problems import OUTSIDE, InputError, Problem, display_path
from .texts import check_text, split_answers
from .yamlsource import SourceMap, decode_text, format_field, parse_yaml

M = TypeVar("M", bound=BaseModel)


class _Collector:
    """Gathers problems across files so that one run reports them all."""

    def __init__(self, root: Path, inputs: Inputs):
        self.root = root
        self.inputs = inputs  # every file read or looked for, for the build's cache key
        self.problems: list[Problem] = []
        self.texts: list[TextSource] = []
        self.limits = Limits()  # the edition's, once atlas.yaml is read
        self.languages: tuple[str, ...] = DEFAULT_LANGUAGES  # the edition's, once atlas.yaml is read
        # every per-language text with where it stands, to check its languages against the edition's
        self._written: list[tuple[SourceMap, tuple, Localized]] = []

    def shown(self, path: Path) -> str:
        return display_path(path)

    def yaml(self, path: Path) -> tuple[Any, SourceMap] | None:
        if not self.inputs.is_file(path):
            self.problems.append(Problem(self.shown(path), 0, 0, "", "file is missing"))
            return None
        if not self._inside(path) or not self._within_limit(path):
            return None
        try:
            return parse_yaml(decode_text(self.inputs.read_bytes(path), self.shown(path)), self.shown(path))
        except InputError as error:
            self.problems += error.problems
            return None

    def text(self, path: Path) -> str | None:
        if not self._inside(path) or not self._within_limit(path):
            return None
        try:
            return decode_text(self.inputs.read_bytes(path), self.shown(path))
        except InputError as error:
            self.problems += error.problems
            return None

    def _inside(self, path: Path) -> bool:
        """Whether the file lies inside the folder being loaded once links are resolved. A link that
        leads elsewhere would print, and seal into an archive, whatever file it points to."""
        if path.resolve().is_relative_to(self.root.resolve()):
            return True
        self.problems.append(Problem(self.shown(path), 0, 0, "", f"{OUTSIDE}; put the file itself there"))
        return False

    def _within_limit(self, path: Path) -> bool:
        """Whether the file is no larger than the edition's limits allow (a pasted file or a runaway
        export would take minutes and gigabytes to typeset)."""
        text = path.suffix == ".md"
        limit, name = (self.limits.text_kb, "text_kb") if text else (self.limits.file_kb, "file_kb")
        size = path.stat().st_size
        if size <= limit * 1024:
            return True
        what = "a Markdown text" if text else "a YAML file"
        self.problems.append(
            Problem(
                self.shown(path),
                0,
                0,
                "",
                f"the file is {_kb(size)}; {what} may be at most {limit:,} KB (limits.{name} in atlas.yaml)",
            )
        )
        return False

    def validate(
        self, model: type[M], data: Any, source: SourceMap, path: tuple = (), context: dict | None = None
    ) -> M | None:
        try:
            result = model.model_validate(data, context={"languages": self.languages, **(context or {})})
        except ValidationError as error:
            self.problems += [_problem(source, path, e) for e in error.errors()]
            return None
        self._localized_fields(result, source, path)
        return result

    def _localized_fields(self, value: Any, source: SourceMap, path: tuple) -> None:
        """Record every per-language text in a validated value, with its place in the file."""
        if isinstance(value, Localized):
            self.texts.append(
                TextSource(source.file, source.locate(path)[0], format_field(path), frozenset(value.root))
            )
            self._written.append((source, path, value))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                self._localized_fields(getattr(value, name), source, path + (name,))
        elif isinstance(value, dict):
            for key, item in value.items():
                self._localized_fields(item, source, path + (key,))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                self._localized_fields(item, source, path + (index,))

    def undeclared_languages(self) -> None:
        """A text in a language the edition does not declare would never be printed: say where."""
        declared = ", ".join(self.languages)
        for source, path, text in self._written:
            for language in text.root:
                if language not in self.languages:
                    self.problems.append(
                        source.problem(
                            path + (language,),
                            f"'{language}' is not a language of this edition ({declared}); "
                            "add it to languages in atlas.yaml, or correct the code",
                        )
                    )
        self._written.clear()

    def localized_files(self, base: Path) -> dict[str, Path]:
        """<base>.md (English) and <base>.<lang>.md for the other languages, those that exist;
        recorded for the translation coverage when the English original exists."""
        paths = {
            language: base.with_name(base.name + ("" if language == "en" else f".{language}") + ".md")
            for language in self.languages
        }
        found = {language: path for language, path in paths.items() if self.inputs.is_file(path)}
        if "en" in found:
            self.texts.append(TextSource(self.shown(found["en"]), 0, "", frozenset(found)))
        else:
            self.problems += [
                Problem(
                    self.shown(path),
                    0,
                    0,
                    "",
                    f"a translation without its English original {paths['en'].name}; write the English text first",
                )
                for path in found.values()
            ]
        return found


def _problem(source: SourceMap, prefix: tuple, error: ErrorDetails) -> Problem:
    """A pydantic error as a message an editor understands, at the right line."""
    # Drop the validator's own steps ('root', union members such as "list[...]"): the field as written.
    loc = prefix + tuple(
        part for part in error["loc"] if part != "root" and not (isinstance(part, str) and "[" in part)
    )
    kind, got = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return source.problem(loc, f"unknown key '{loc[-1]}'")
    if kind == "missing":
        return source.problem(loc, "required field is missing")
    if kind in ("model_type", "dict_type") and got is None and not loc:
        return source.problem(loc, "the file is empty")
    message = error["msg"].removeprefix("Value error, ")
    if message.startswith("value: "):  # a figure's own message names its field
        loc, message = loc + ("value",), message.removeprefix("value: ")
    elif kind not in ("value_error", "assertion_error"):
        expected = _EXPECTED.get(kind) or message.removeprefix("Input should be ")
        message = f"expected {expected}, got {got!r}"
        if isinstance(got, bool) and kind == "string_type":
            # YAML reads yes/no/on/off as true/false: Norway's code NO arrives as False.
            message += " (YAML reads yes, no, on and off as true or false: put the text in quotes)"
    return source.problem(loc, message)


# Pydantic's wording for the errors editors make most, said in their terms.
_EXPECTED = {
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_type": "a date written YYYY-MM-DD",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "a text",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
}


# The last atlases this process loaded: (data folder as named, as resolved) -> (the files it read,
# their total size, the atlas). As named too: an atlas's texts name their files under it.
_LOADED: dict[tuple[Path, Path], tuple[dict[str, str], int, Atlas]] = {}
_KEPT_ATLASES = 2
_KEEPING = threading.Lock()


def load_atlas(root: Path, inputs: Inputs | None = None) -> Atlas:
    """Read and check every file of a data folder; raise InputError listing all problems.

    `inputs` records every file read (see reports/inputs.py). A process that loads a folder again
    while every file it read reads the same gets the atlas it loaded then (an Atlas is never
    changed): each worker of the web edition loads the data once, not once for each of its PDFs,
    which at 200 countries took 0.42 to 0.66 s a PDF."""
    root = Path(root)
    if not root.is_dir():
        raise InputError([Problem(display_path(root), 0, 0, "", "data folder not found")])
    inputs = Inputs() if inputs is None else inputs
    folder, size = (root, root.resolve()), _data_size(root)
    earlier = _LOADED.get(folder)
    if earlier and earlier[1] == size and Snapshot().unchanged(earlier[0]):
        inputs.extend(earlier[0])
        return earlier[2]
    read = Inputs()
    try:
        atlas = _load(root, read, size)
    finally:
        record = read.record()
        inputs.extend(record)  # also when it fails: a watcher waits for a change to these
    with _KEEPING:
        _LOADED.pop(folder, None)
        _LOADED[folder] = (record, size, atlas)
        while len(_LOADED) > _KEPT_ATLASES:
            del _LOADED[next(iter(_LOADED))]
    return atlas


def _data_size(root: Path) -> int:
    """The total size of the folder's YAML and Markdown files, which limits.data_mb bounds."""
    return sum(path.stat().st_size for path in root.rglob("*") if path.suffix in (".yaml", ".yml", ".md"))


def _load(root: Path, inputs: Inputs, total: int) -> Atlas:
    files = _Collector(root, inputs)

    edition = None
    if loaded := files.yaml(root / "atlas.yaml"):
        files.languages = _declared_languages(*loaded)
        edition = files.validate(Edition, *loaded)
        if edition:
            _check_catalogues(files, edition, loaded[1])
    if edition:
        files.limits = edition.limits
        files.languages = tuple(edition.languages)
    if total > files.limits.data_mb * 1024 * 1024:
        raise InputError(
            [
                Problem(
                    files.shown(root),
                    0,
                    0,
                    "",
                    f"the data folder's YAML and Markdown files "
                    f"take {_kb(total)}; at most {files.limits.data_mb:,} MB are read "
                    "(limits.data_mb in atlas.yaml)",
                )
            ]
        )

    # A collection stays None when its file could not be read, so that references
    # into it are not reported as unknown on top of the real problem.
    interests: dict[str, Interest] | None = None
    if loaded := files.yaml(root / "interests.yaml"):
        interests = {}
        data, source = loaded
        if not isinstance(data, list):
            files.problems.append(source.problem((), "expected a list of interests"))
        else:
            for index, item in enumerate(data):
                if interest := files.validate(Interest, item, source, (index,)):
                    interests[interest.id] = interest

    authors: dict[str, Author] | None = None
    if loaded := files.yaml(root / "authors.yaml"):
        authors = {}
        data, source = loaded
        if not isinstance(data, dict):
            files.problems.append(source.problem((), "expected authors by id (id: name, role, bio)"))
        else:
            for key, item in data.items():
                if author := files.validate(Author, item, source, (key,)):
                    authors[str(key)] = author.model_copy(update={"id": str(key)})

    regions = {}
    for path in files.inputs.glob(root / "regions", "*.yaml"):
        if loaded := files.yaml(path):
            if region := files.validate(Region, *loaded):
                regions[path.stem] = region.model_copy(
                    update={"slug": path.stem, "introduction": _localized_text(files, path.with_suffix(""))}
                )

    scale = edition.rating_scale if edition else None
    countries = {}
    named: dict[str, set[str]] = {}  # the interests each country file names
    sources: dict[str, SourceMap] = {}  # where each country's values stand, for the uniqueness check
    for path in files.inputs.glob(root / "countries", "*.yaml"):
        loaded = files.yaml(path)
        if not loaded:
            continue
        data, source = loaded
        country = files.validate(Country, data, source, context={"scale": scale})
        if country is None:
            continue
        _check_references(files, country, source, regions, interests, authors)
        if all(a.interest in (interests or {}) for a in country.assessments):  # else that is the problem to fix
            named[path.stem] = {a.interest for a in country.assessments}
        assessments = [
            a.model_copy(update={"answers": _answers(files, path, a)})
            for a in country.assessments
            if a.interest in (interests or {})
        ]
        countries[path.stem] = country.model_copy(update={"slug": path.stem, "assessments": assessments})
        sources[path.stem] = source
    _unused_texts(files, root, named)
    _check_unique(files, countries, sources)

    if not countries and not files.problems:
        files.problems.append(Problem(files.shown(root / "countries"), 0, 0, "", "no country files found"))
    methodology = _localized_text(files, root / "methodology")
    if edition:  # (else the languages are not known)
        files.undeclared_languages()
    if files.problems or edition is None:
        raise InputError(files.problems)
    ordered = dict(sorted(countries.items(), key=lambda item: sort_key("en", item[1].name.get("en"))))
    return Atlas(edition, interests or {}, authors or {}, regions, ordered, tuple(files.texts), methodology)


def edition_language(atlas: Atlas, language: str | None, data_dir: Path) -> str:
    """The language asked for (None: the edition's), if the edition is written in it."""
    language = language or atlas.edition.language
    if language not in atlas.edition.languages:
        raise InputError(
            [
                Problem(
                    display_path(Path(data_dir) / "atlas.yaml"),
                    0,
                    0,
                    "languages",
                    f"the edition is not written in '{language}' (its languages: "
                    f"{', '.join(atlas.edition.languages)}); add '{language}' to languages to make documents in it",
                )
            ]
        )
    return language


def _declared_languages(data: Any, source: SourceMap) -> tuple[str, ...]:
    """atlas.yaml's languages as written, for validating its own texts; Edition checks them."""
    declared = data.get("languages") if isinstance(data, dict) else None
    if isinstance(declared, list) and all(isinstance(code, str) for code in declared):
        return tuple(declared)
    return DEFAULT_LANGUAGES


def _check_catalogues(files: _Collector, edition: Edition, source: SourceMap) -> None:
    """Every language of the edition has its labels translated (English is the labels' own)."""
    catalogued = catalogue_languages()
    for index, code in enumerate(edition.languages):
        if code not in catalogued:
            files.problems.append(
                source.problem(
                    ("languages", index),
                    f"no label catalogue for '{code}' ({display_path(catalogue_path(code))}); create it with "
                    f"pybabel init -i reports/locale/atlas.pot -d reports/locale -D atlas -l {code} "
                    "and translate every label (README: 'Labels: the translation catalogues')",
                )
            )


def _check_unique(files: _Collector, countries: dict[str, Country], sources: dict[str, SourceMap]) -> None:
    """One country, one file: an ISO code, a file name (in any letter case) or a name in any
    language used by two files would print the country twice. The later file is told where the
    earlier one gave it."""
    seen: dict[tuple, tuple[str, tuple]] = {}  # (what, value) -> (slug, field) of the first file to give it

    def first(slug: str, key: tuple, field: tuple) -> tuple[str, tuple] | None:
        if key in seen:
            return seen[key]
        seen[key] = (slug, field)
        return None

    def where(slug: str, field: tuple) -> str:
        return f"{sources[slug].file}:{sources[slug].locate(field)[0]}"

    for slug, country in countries.items():
        source = sources[slug]
        if earlier := first(slug, ("slug", slug.casefold()), ()):
            files.problems.append(
                source.problem(
                    (),
                    f"the file name differs from {sources[earlier[0]].file} only in letter case; "
                    "rename one (a country has one file)",
                )
            )
        if earlier := first(slug, ("code", country.code), ("code",)):
            files.problems.append(
                source.problem(
                    ("code",), f"ISO code '{country.code}' is already used by {where(*earlier)}; a country has one file"
                )
            )
        for language in files.languages:
            name = country.name.get(language)
            key = ("name", language, unicodedata.normalize("NFKC", " ".join(name.split())).casefold())
            if earlier := first(slug, key, ("name", language)):
                files.problems.append(
                    source.problem(
                        ("name", language),
                        f"the name '{name}' is already used by {where(*earlier)}; a country has one file",
                    )
                )
                break


def _unused_texts(files: _Collector, root: Path, named: dict[str, set[str]]) -> None:
    """An assessment text that no country file asks for would never be printed: say so."""
    for path in files.inputs.glob(root / "countries", "*/*.md"):
        slug, interest = path.parent.name, path.name.split(".")[0]
        country_file = root / "countries" / f"{slug}.yaml"
        if not files.inputs.is_file(country_file):
            files.problems.append(
                Problem(
                    files.shown(path),
                    0,
                    0,
                    "",
                    f"an assessment text without its country "
                    f"file {files.shown(country_file)}; it would never be printed",
                )
            )
        elif interest not in named.get(slug, {interest}):
            files.problems.append(
                Problem(
                    files.shown(path),
                    0,
                    0,
                    "",
                    f"{files.shown(country_file)} has no assessment for '{interest}'; this text would never be printed",
                )
            )


def _kb(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB" if size >= 1024 * 1024 else f"{-(-size // 1024):,} KB"


def _check_references(
    files: _Collector, country: Country, source: SourceMap, regions: dict, interests: dict | None, authors: dict | None
) -> None:
    def unknown(path: tuple, what: str, value: str, known: dict | None) -> None:
        if known is None:
            return
        choices = ", ".join(sorted(known)) or "none defined"
        files.problems.append(source.problem(path, f"unknown {what} '{value}'; expected one of: {choices}"))

    if country.region not in regions:
        unknown(("region",), "region", country.region, regions)
    for index, assessment in enumerate(country.assessments):
        if assessment.interest not in (interests or {}):
            unknown(("assessments", index, "interest"), "interest", assessment.interest, interests)
        if assessment.author is not None and assessment.author not in (authors or {}):
            unknown(("assessments", index, "author"), "author", assessment.author, authors)


def _answers(files: _Collector, country_file: Path, assessment: Assessment) -> dict[str, dict[str, str]]:
    """The answers to the key questions per language, from countries/<slug>/<interest>[.<lang>].md."""
    answers = {}
    base = country_file.with_suffix("") / assessment.interest
    found = files.localized_files(base)
    for language, path in found.items():
        text = files.text(path)
        if text is not None:
            sections, problems = split_answers(text, files.shown(path))
            files.problems += problems
            answers[language] = sections
    if "en" not in found and not assessment.suspended:  # (one that exists but cannot be read says why)
        files.problems.append(
            Problem(
                files.shown(base.with_suffix(".md")), 0, 0, "", "file is missing: an active assessment needs its text"
            )
        )
    return answers


def _localized_text(files: _Collector, base: Path) -> Localized | None:
    """<base>.md (English) and <base>.<lang>.md, checked like every text.

    Every Markdown text that exists per language (region introductions, the methodology,
    event texts) is read through here, so the coverage report and the fallback see it.
    """
    texts: dict[Any, str] = {}
    for language, path in files.localized_files(base).items():
        if (text := files.text(path)) is not None:
            files.problems += check_text(text, files.shown(path))
            texts[language] = text
    return Localized(texts) if "en" in texts else None


@dataclass(frozen=True)
class SpecFile(Generic[M]):
    """A spec file as read: its checked content (None when it has problems), its raw data and where
    each value stands, its Markdown text, and every problem found so far."""

    spec: M | None
    data: Any
    source: SourceMap | None
    text: Localized | None
    problems: list[Problem]


def load_spec(
    model: type[M],
    path: Path,
    languages: Sequence[str],
    texts: list[TextSource] | None = None,
    inputs: Inputs | None = None,
) -> SpecFile[M]:
    """A spec file (a briefing pack, an event) read and checked like any data file, in the edition's
    `languages`, with its Markdown text from <name>.md (<name>.de.md in German) if there is one. The texts it
    holds are added to `texts`, for the translators' coverage report.

    Problems are returned, not raised, so that the caller adds those of the references it checks
    and reports all of them in one run.
    """
    path = Path(path)
    files = _Collector(path.parent, inputs or Inputs())
    files.languages = tuple(languages)
    loaded = files.yaml(path)
    spec = files.validate(model, *loaded) if loaded else None
    text = _localized_text(files, path.with_suffix(""))
    files.undeclared_languages()
    if texts is not None:
        texts += files.texts
    data, source = loaded if loaded else (None, None)
    return SpecFile(spec, data, source, text, files.problems)
