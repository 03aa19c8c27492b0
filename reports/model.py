"""The atlas as immutable objects: what the data files describe, validated.

One schema for everything an editor writes. Unknown keys are errors, so a
typo never passes silently. Texts that exist per language are `Localized`:
an editor may write a plain string (English) or one entry per language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .figures import FigureError, parse_whole_number

# The languages of an edition that declares none (atlas.yaml's `languages:`): those of the
# editions made before the declaration, the sealed 2022 one among them.
DEFAULT_LANGUAGES = ("en", "de")

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TERRITORIES = frozenset(code for code in Locale("en").territories if isinstance(code, str) and len(code) == 2)


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"expected lower-case words joined by hyphens (like 'asia-pacific'), got '{value}'")
    return value


def _territory_code(value: str) -> str:
    if value not in Locale("en").territories:
        raise ValueError(f"expected an ISO 3166 country code or a UN M49 region code (like '142'), got '{value}'")
    return value


def _language_code(value: str) -> str:
    """A BCP 47 language tag Babel knows ('fr', 'es', 'zh-Hant', 'fa-AF'), written as HTML's lang wants it."""
    try:
        Locale.parse(value, sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(f"expected a language code (like 'fr', 'ja' or 'zh-Hant'), got '{value}'") from None
    return value


Slug = Annotated[str, AfterValidator(_slug)]
LanguageCode = Annotated[str, AfterValidator(_language_code)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _plain_string_is_english(value):
    return {"en": value} if isinstance(value, str) else value


class Text(str):
    """A text as printed, knowing its language: English where a translation is missing."""

    language: str

    def __new__(cls, text: str, language: str):
        self = super().__new__(cls, text)
        self.language = language
        return self

    def __getnewargs__(self):  # copies and pickles keep the language
        return str(self), self.language


class Localized(RootModel[dict[LanguageCode, NonEmpty]]):
    """A text per language; English is required, the other languages fall back to it. Which
    languages a text may be written in is the edition's choice (atlas.yaml's `languages:`),
    checked by the loader where it knows the edition."""

    model_config = ConfigDict(frozen=True)
    root: Annotated[dict[LanguageCode, NonEmpty], BeforeValidator(_plain_string_is_english)]

    @model_validator(mode="after")
    def _english_required(self):
        if "en" not in self.root:
            raise ValueError("an English text ('en') is required")
        return self

    def has(self, language: str) -> bool:
        return language in self.root

    def get(self, language: str) -> Text:
        if language in self.root:
            return Text(self.root[language], language)
        return Text(self.root["en"], "en")


def edition_languages(info: ValidationInfo) -> tuple[str, ...]:
    """The languages of the edition being loaded, passed by the loader as validation context."""
    return tuple((info.context or {}).get("languages", DEFAULT_LANGUAGES))


# A line of a postal address: as written for every language ('OAG Haus 4F', '7-5-56 Akasaka'), or
# per language where readers need their own form ({en: "Japan", fr: "Japon"}).
AddressLine = NonEmpty | Localized


def _territory_names(data, info: ValidationInfo):
    """Names the data does not give in a language, from Babel's territory names for the code.

    An editor writes a country's name in every language only where it differs from
    common usage; Babel knows 'Kasachstan' for KZ and 'Kazajistán' for it in Spanish.
    """
    if isinstance(data, dict) and isinstance(data.get("code"), str) and "name" in data:
        names = _plain_string_is_english(data["name"])
        if isinstance(names, dict):
            known = {
                language: Locale.parse(language, sep="-").territories.get(data["code"])
                for language in edition_languages(info)
            }
            names = {**{k: v for k, v in known.items() if v}, **names}
            data = {**data, "name": names}
    return data


class RatingScale(Record):
    min: int
    max: int
    illustrative: bool = False
    note: Localized | None = None
    labels: dict[int, Localized]

    @model_validator(mode="after")
    def _labels_cover_scale(self):
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        expected = set(range(self.min, self.max + 1))
        if set(self.labels) != expected:
            raise ValueError(f"labels must name every step from {self.min} to {self.max}")
        return self

    @property
    def steps(self) -> range:
        return range(self.min, self.max + 1)


def _isbn13(value: str) -> str:
    digits = value.replace("-", "").replace(" ", "")
    if not (len(digits) == 13 and digits.isdigit()):
        raise ValueError(f"expected an ISBN-13 (13 digits, hyphens allowed), got '{value}'")
    checksum = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10
    if checksum:
        raise ValueError(f"ISBN '{value}' has a wrong check digit")
    return value


class Limits(Record):
    """How large the input may be (data/atlas.yaml, `limits:`). A long assessment is some 10 KB; the
    limits stop a pasted file or a runaway export from taking minutes and gigabytes to typeset."""

    text_kb: int = Field(default=100, ge=1)  # one Markdown text: some 15,000 words, 40 pages
    file_kb: int = Field(default=256, ge=1)  # one YAML file
    data_mb: int = Field(default=64, ge=1)  # all YAML and Markdown files of the data folder


class Edition(Record):
    """The edition the working data describes (data/atlas.yaml)."""

    edition: int = Field(ge=1900, le=2200)
    title: Localized
    subtitle: Localized | None = None
    publisher: NonEmpty
    editors: list[NonEmpty] = []
    date: dt.date
    isbn: Annotated[str, AfterValidator(_isbn13)] | None = None
    licence: NonEmpty
    language: LanguageCode = "en"  # of a document built without --lang
    # The languages its texts are written in: each has a label catalogue (reports/locale/).
    languages: list[LanguageCode] = Field(default=list(DEFAULT_LANGUAGES), min_length=1)
    rating_scale: RatingScale
    limits: Limits = Limits()

    @model_validator(mode="after")
    def _languages_declared(self):
        doubled = sorted({code for code in self.languages if self.languages.count(code) > 1})
        if doubled:
            raise ValueError(f"languages: {', '.join(doubled)} given twice")
        if "en" not in self.languages:
            raise ValueError("languages: English ('en') is required: every text is written in English first")
        if self.language not in self.languages:
            raise ValueError(f"language: '{self.language}' is not one of languages ({', '.join(self.languages)})")
        return self


class Interest(Record):
    id: Slug
    name: Localized
    short: Localized


class Author(Record):
    id: str = ""  # the key in authors.yaml, filled in by the loader
    name: NonEmpty
    role: Localized
    bio: Localized


class Region(Record):
    slug: str = ""  # the file name, filled in by the loader
    code: Annotated[str, AfterValidator(_territory_code)] | None = None  # UN M49, e.g. '142' (Asia)
    name: Localized
    introduction: Localized | None = None  # from <slug>.md, filled in by the loader

    @model_validator(mode="before")
    @classmethod
    def _names_from_babel(cls, data, info: ValidationInfo):
        return _territory_names(data, info)


def _not_in_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise ValueError(f"{value} lies in the future; give the date the figure stood at")
    return value


class Population(Record):
    value: int
    approximate: bool = False
    as_of: Annotated[dt.date, AfterValidator(_not_in_future)]
    source: Localized

    @model_validator(mode="before")
    @classmethod
    def _read_figure(cls, data):
        if isinstance(data, dict) and "value" in data:
            try:
                value, approximate = parse_whole_number(data["value"])
            except FigureError as error:
                raise ValueError(f"value: {error}") from None
            data = {**data, "value": value, "approximate": data.get("approximate", approximate)}
        return data


class Office(Record):
    name: Localized
    address: list[AddressLine] = Field(min_length=1)


class Ratings(Record):
    relevance: int
    willingness: int
    status_quo: int
    potential: int

    @field_validator("*")
    @classmethod
    def _on_scale(cls, value: int, info: ValidationInfo) -> int:
        scale = (info.context or {}).get("scale")
        if scale and not scale.min <= value <= scale.max:
            raise ValueError(
                f"expected a rating from {scale.min} to {scale.max} (see rating_scale in atlas.yaml), got {value}"
            )
        return value

    def of(self, question: str) -> int:
        return getattr(self, question)


class Assessment(Record):
    """One country x one interest: ratings, and answers to the five key questions."""

    interest: Slug
    status: Literal["active", "suspended"] = "active"
    reason: Localized | None = None
    author: str | None = None
    date: dt.date
    ratings: Ratings | None = None  # an active assessment's; read them with rating()
    summary: Localized
    sources: list[Localized] = []
    # language -> key question -> Markdown; read from countries/<slug>/<interest>[.de].md
    answers: dict[str, dict[str, str]] = {}

    @model_validator(mode="after")
    def _status_rules(self):
        if self.status == "suspended":
            if self.reason is None:
                raise ValueError("a suspended assessment needs a 'reason'")
            if self.ratings is not None:
                raise ValueError("a suspended assessment has no 'ratings'; remove them")
        else:
            if self.ratings is None:
                raise ValueError("an active assessment needs 'ratings'")
            if self.reason is not None:
                raise ValueError("'reason' is only for suspended assessments")
            if self.author is None:
                raise ValueError("an active assessment needs an 'author'")
        return self

    def rating(self, question: str) -> int:
        """The rating of a rated key question (only an active assessment has ratings)."""
        if self.ratings is None:
            raise ValueError(f"a suspended assessment has no rating for '{question}'")
        return self.ratings.of(question)

    @property
    def suspended(self) -> bool:
        return self.status == "suspended"


def _iso_code(value: str) -> str:
    if value not in _TERRITORIES:
        raise ValueError(f"expected an ISO 3166 alpha-2 country code (like 'JP'), got '{value}'")
    return value


class Country(Record):
    slug: str = ""  # the file name, filled in by the loader
    code: Annotated[str, AfterValidator(_iso_code)]
    name: Localized
    # The name in the country's own language(s) and script, by language tag: {ja: "日本"}; printed
    # beside the name in the reader's language, marked with its language (and direction).
    native_name: dict[LanguageCode, NonEmpty] = {}
    capital: Localized
    region: Slug
    population: Population
    office: Office | None = None
    assessments: list[Assessment] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _names_from_babel(cls, data, info: ValidationInfo):
        return _territory_names(data, info)

    @model_validator(mode="after")
    def _one_assessment_per_interest(self):
        seen = [a.interest for a in self.assessments]
        doubled = sorted({i for i in seen if seen.count(i) > 1})
        if doubled:
            raise ValueError(f"more than one assessment for interest {', '.join(doubled)}")
        return self


@dataclass(frozen=True)
class TextSource:
    """Where an editor writes a text per language: a Markdown file, or a field in a YAML file."""

    file: str  # as shown to the editor; for Markdown the English original
    line: int  # 0 for a whole file
    field: str  # '' for a whole file, else like 'assessments[0].summary'
    languages: frozenset[str]  # the languages it exists in

    def translation_file(self, language: str) -> str:
        """The file a Markdown text's version in `language` goes to: 'x.md' -> 'x.de.md'."""
        return self.file.removesuffix(".md") + f".{language}.md"


@dataclass(frozen=True)
class Atlas:
    """Everything in the data folder, checked and cross-referenced."""

    edition: Edition
    interests: dict[str, Interest]
    authors: dict[str, Author]
    regions: dict[str, Region]
    countries: dict[str, Country]  # by slug, in the order of their English names (documents sort for their language)
    texts: tuple[TextSource, ...] = ()  # every text that can exist per language, for coverage
    methodology: Localized | None = None  # methodology.md: the key questions and the rating scale

    def find_country(self, reference: str) -> Country | None:
        """A country by slug ('japan') or ISO code ('JP', 'jp')."""
        if reference in self.countries:
            return self.countries[reference]
        for country in self.countries.values():
            if country.code == reference.upper():
                return country
        return None

    def countries_in(self, region: str) -> list[Country]:
        return [c for c in self.countries.values() if c.region == region]
