"""Spec files that pick from the atlas: briefing packs and symposium events.

A spec is written by the same editors as the data and checked the same way:
unknown keys, wrong types and references to countries, interests or
speakers that do not exist are problems at the spec's file and line. Its
Markdown text (briefing notes, an event review) sits next to it with the
same name: `tokyo-delegation-2023.yaml` + `tokyo-delegation-2023.md`
(`.de.md` for German).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from .inputs import Inputs
from .loader import load_spec
from .model import AddressLine, Atlas, Country, LanguageCode, Localized, NonEmpty, Record, Slug
from .problems import InputError, Problem, display_path
from .yamlsource import SourceMap

# --- Briefing packs ---------------------------------------------------------------------------


def _all_means_none(value):
    return None if value == "all" else value


def _country_alone(value):
    return {"country": value} if isinstance(value, str) else value


class Selection(Record):
    """One country of a pack, with all its assessments or only some interests."""

    country: NonEmpty
    interests: Annotated[list[Slug] | None, BeforeValidator(_all_means_none)] = None  # None: all of them


class Contact(Record):
    name: NonEmpty
    role: Localized | None = None
    organisation: Localized | None = None
    address: list[AddressLine] = []
    phone: NonEmpty | None = None
    email: NonEmpty | None = None


class Travel(Record):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _in_order(self):
        if self.end < self.start:
            raise ValueError(f"the journey ends ({self.end}) before it starts ({self.start})")
        return self


class PackSpec(Record):
    """data/packs/<name>.yaml: what a delegation gets in its briefing pack."""

    title: Localized
    delegation: Localized
    destination: Localized | None = None
    travel: Travel | None = None
    prepared_for: Localized | None = None
    prepared_by: Localized | None = None
    issued: dt.date
    marking: Localized | None = None  # a handling marking such as "For official use only"
    countries: list[Annotated[Selection, BeforeValidator(_country_alone)]] = Field(min_length=1)
    contacts: list[Contact] = []


@dataclass(frozen=True)
class Pack:
    """A checked pack spec: the selected countries and interests, resolved against the atlas."""

    spec: PackSpec
    selection: list[tuple[Country, list[str]]]  # country, interests in the atlas's order
    notes: Localized | None


def load_pack(path: Path, atlas: Atlas, texts: list | None = None, inputs: Inputs | None = None) -> Pack:
    read = load_spec(PackSpec, path, atlas.edition.languages, texts, inputs)
    spec, source, notes, problems = read.spec, read.source, read.text, list(read.problems)
    if spec is None or source is None:
        # Its countries are checked all the same: every problem of the file in one run.
        chosen = read.data.get("countries") if isinstance(read.data, dict) else None
        for index, item in enumerate(chosen if isinstance(chosen, list) else []):
            reference = item.get("country") if isinstance(item, dict) else item
            if isinstance(reference, str) and source:
                _country(atlas, reference, source, ("countries", index, "country"), problems)
        raise InputError(problems)
    selection = []
    seen: set[str] = set()
    for index, chosen in enumerate(spec.countries):
        country = _country(atlas, chosen.country, source, ("countries", index, "country"), problems)
        if country is None:
            continue
        if country.slug in seen:
            problems.append(
                source.problem(("countries", index, "country"), f"country '{chosen.country}' is selected twice")
            )
            continue
        seen.add(country.slug)
        assessed = [a.interest for a in country.assessments]
        if chosen.interests is None:
            selection.append((country, assessed))
            continue
        for position, interest in enumerate(chosen.interests):
            where = ("countries", index, "interests", position)
            if interest not in atlas.interests:
                problems.append(
                    source.problem(
                        where, f"unknown interest '{interest}'; expected one of: " + ", ".join(atlas.interests)
                    )
                )
            elif interest not in assessed:
                problems.append(
                    source.problem(
                        where,
                        f"{country.name.get('en')} has no assessment for '{interest}'; it has: {', '.join(assessed)}",
                    )
                )
        selection.append((country, [i for i in assessed if i in chosen.interests]))
    if problems:
        raise InputError(problems)
    return Pack(spec, selection, notes)


# --- Symposium events -------------------------------------------------------------------------


def _clock_time(value):
    # YAML 1.1 reads an unquoted 14:30 as the base-60 number 870; give the editor the time they wrote.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return dt.time(value // 60, value % 60)
    return value


ClockTime = Annotated[dt.time, BeforeValidator(_clock_time)]


class Venue(Record):
    name: Localized
    address: list[AddressLine] = []


class Speaker(Record):
    name: NonEmpty
    name_native: dict[LanguageCode, NonEmpty] = {}  # the name in its own script, by its language: {ja: "岩間 陽子"}
    title: NonEmpty | None = None  # "Dr.", "Prof. Dr.", "H.E."
    part: Literal["keynote", "panel"]
    role: Localized
    affiliation: Localized
    bio: Localized


class Session(Record):
    start: ClockTime
    end: ClockTime | None = None
    title: Localized
    speakers: list[NonEmpty] = []


class Review(Record):
    title: Localized
    credit: Localized | None = None


def _https(value: str) -> str:
    if not value.startswith("https://") or len(value) <= len("https://"):
        raise ValueError(f"expected a web address starting with 'https://', got '{value}'")
    return value


class EventSpec(Record):
    """data/events/<name>.yaml: a symposium, its programme and speakers."""

    title: Localized
    series: Localized
    date: dt.date
    venue: Venue
    host: NonEmpty | Localized  # a name as written for every language, or per language
    topics: list[Localized] = []
    programme: list[Session] = Field(min_length=1)
    speakers: dict[Slug, Speaker] = Field(min_length=1)
    review: Review
    countries: list[NonEmpty] = []
    online: Annotated[str, AfterValidator(_https)]  # the online version, printed as a QR code


@dataclass(frozen=True)
class Event:
    """A checked event spec with its countries resolved and its review text read."""

    spec: EventSpec
    countries: list[Country]
    review: Localized


def load_event(path: Path, atlas: Atlas, texts: list | None = None, inputs: Inputs | None = None) -> Event:
    read = load_spec(EventSpec, path, atlas.edition.languages, texts, inputs)
    spec, source, review, problems = read.spec, read.source, read.text, list(read.problems)
    if review is None and not Path(path).with_suffix(".md").exists():  # (one that cannot be read says why)
        problems.append(
            Problem(
                display_path(Path(path).with_suffix(".md")),
                0,
                0,
                "",
                f"file is missing: the review text of {display_path(path)} goes here",
            )
        )
    if spec is None or source is None:
        chosen = read.data.get("countries") if isinstance(read.data, dict) else None
        for index, reference in enumerate(chosen if isinstance(chosen, list) else []):
            if isinstance(reference, str) and source:
                _country(atlas, reference, source, ("countries", index), problems)
        raise InputError(problems)
    countries = [
        country
        for index, reference in enumerate(spec.countries)
        if (country := _country(atlas, reference, source, ("countries", index), problems))
    ]
    for index, session in enumerate(spec.programme):
        for position, speaker in enumerate(session.speakers):
            if speaker not in spec.speakers:
                problems.append(
                    source.problem(
                        ("programme", index, "speakers", position),
                        f"unknown speaker '{speaker}'; expected one of: " + ", ".join(spec.speakers),
                    )
                )
    if problems or review is None:
        raise InputError(problems)
    return Event(spec, countries, review)


# --- Shared -----------------------------------------------------------------------------------


def _country(atlas: Atlas, reference: str, source: SourceMap, where: tuple, problems: list[Problem]) -> Country | None:
    country = atlas.find_country(reference)
    if country is None:
        problems.append(
            source.problem(where, f"unknown country '{reference}'; expected one of: " + ", ".join(atlas.countries))
        )
    return country
