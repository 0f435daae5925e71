"""The record types: one field per YAML key, each documented.

These pydantic models check the shape of each file (types, required fields, allowed values)
and are the source of ``data/incident.schema.json``. Their vocabularies are in
``vocabularies.py`` and the types of their fields in ``fields.py``. Checks that need more than
one field or more than one file (an attack needs a base; a base must exist; ids must be
unique) live in ``validate.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated

from pydantic import ConfigDict, Field, field_serializer, model_validator
from pydantic_core import PydanticCustomError

from generator.dates import month_key
from generator.errors import Problem
from generator.fields import (
    BaseRef,
    Count,
    Date,
    IncidentDate,
    Latitude,
    LocalTime,
    Longitude,
    LongText,
    Name,
    Number,
    Record,
    RecordId,
    Ref,
    SiteText,
    Slug,
    Tally,
    Text,
    TimeZone,
    Url,
    Weapons,
    month_only,
)
from generator.text import NameIndex
from generator.vocabularies import (
    ATTRIBUTIONS,
    BASE_TYPES,
    DATE_PRECISIONS,
    KINDS,
    LOCATION_PRECISIONS,
    STATUSES,
    TALLIED,
    Attribution,
    BaseType,
    DatePrecision,
    Kind,
    LocationPrecision,
    Status,
    Tallied,
    Vocabulary,
)

# --- the records ---------------------------------------------------------------------------


class Source(Record):
    """A published report the incident record rests on."""

    publisher: Name = Field(
        title="Publisher", description="Outlet or body that published it, e.g. 'CNN', 'CENTCOM'."
    )
    title: Name = Field(
        title="Title", description="Title of the article, statement or post, as published."
    )
    published: Date = Field(title="Published", description="Publication date, YYYY-MM-DD.")
    url: Url | None = Field(None, title="Address", description="Web address (http or https only).")
    archive_url: Url | None = Field(
        None,
        title="Archived copy",
        description="A copy in a web archive (http or https), in case the original moves.",
    )


class SideCasualties(Record):
    """People of one side killed and injured. Leave a number out when it is not known."""

    killed: Number | None = Field(None, description="Killed (0 if reports say none).")
    injured: Number | None = Field(None, description="Injured (0 if reports say none).")

    def given(self) -> dict[str, Tally]:
        """Outcome ('killed', 'injured') -> its number, for the numbers the record gives."""
        return {o: v for o in OUTCOMES if (v := getattr(self, o)) is not None}


class Casualties(Record):
    """People killed and injured, by side, as reported.

    ``killed`` and ``injured`` on their own are the older form, for reports that do not say
    whose people they were: they mean the same as ``unknown: {killed, injured}``.
    """

    killed: Number | None = Field(
        None, description="Killed, side not stated (the same as unknown.killed)."
    )
    injured: Number | None = Field(
        None, description="Injured, side not stated (the same as unknown.injured)."
    )
    us: SideCasualties | None = Field(
        None, title="US forces", description="US forces: troops, personnel and contractors."
    )
    coalition: SideCasualties | None = Field(
        None, title="Coalition forces", description="Other coalition forces."
    )
    partner: SideCasualties | None = Field(
        None,
        title="Partner forces",
        description="Partner forces, e.g. the SDF, Iraqi security forces or Peshmerga.",
    )
    civilian: SideCasualties | None = Field(None, title="Civilians", description="Civilians.")
    militant: SideCasualties | None = Field(
        None,
        title="Militants",
        description="Militants: the attackers, or members of the groups a strike hit.",
    )
    unknown: SideCasualties | None = Field(
        None, title="Side unspecified", description="People whose side the reports do not give."
    )

    @model_validator(mode="after")
    def _one_form(self) -> Casualties:
        flat = self.killed is not None or self.injured is not None
        if flat and self.unknown is not None:
            raise PydanticCustomError(
                "casualty_forms",
                "gives killed/injured (side not stated) and unknown: as well; they mean the "
                "same thing: keep one",
            )
        return self

    def by_side(self) -> dict[str, SideCasualties]:
        """Side -> its numbers, for the sides given (the older form counts as unknown)."""
        out = {side: c for side in SIDES if (c := getattr(self, side)) is not None}
        if self.killed is not None or self.injured is not None:
            out["unknown"] = SideCasualties(killed=self.killed, injured=self.injured)
        return out

    def get(self, side: str, outcome: str) -> Tally | None:
        numbers = self.by_side().get(side)
        value: Tally | None = getattr(numbers, outcome) if numbers else None
        return value


# The sides, defined once by the fields above (their titles are their labels).
SIDES = Vocabulary(
    "side",
    {
        name: str(f.title)
        for name, f in Casualties.model_fields.items()
        if f.annotation == (SideCasualties | None)
    },
    {
        name: str(f.description)
        for name, f in Casualties.model_fields.items()
        if f.annotation == (SideCasualties | None)
    },
)
OUTCOMES = Vocabulary(
    "outcome",
    {name: name for name in SideCasualties.model_fields},  # killed, injured
)


class Incident(Record):
    """One attack on a base hosting US forces, or one strike by US forces."""

    # Each field's title is its name for readers: the corrections log names a changed field
    # by it (wording.field_label), as it names a source's fields and a casualty's side.

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"kind": {"const": "attack"}}},
                    "then": {"anyOf": [{"required": ["base"]}, {"required": ["country"]}]},
                },
                {
                    "if": {"properties": {"kind": {"const": "strike"}}},
                    "then": {
                        "required": ["location"],
                        "properties": {"location": {"type": "string"}},
                    },
                },
            ]
        }
    )

    id: RecordId = Field(
        title="Id", description="Permanent id; the file name without .yaml. Used in URLs."
    )
    date: IncidentDate = Field(
        title="Date",
        description="Day of the incident, YYYY-MM-DD (local time of the place), or YYYY-MM "
        "when only the month is known.",
    )
    date_precision: DatePrecision = Field(
        "day",
        title="Date precision",
        description=f"How exact the date is: {DATE_PRECISIONS.explained()}. Default: day; "
        "month when the date is YYYY-MM.",
    )
    time: LocalTime | None = Field(
        None,
        title="Time",
        description='Time of day, 24-hour "HH:MM", in quotes (e.g. "04:30"): the local time '
        "of the place unless time_zone names another clock. For an exact day only.",
    )
    time_zone: TimeZone | None = Field(
        None,
        title="Time zone",
        description="The clock 'time' is on, as an IANA name (America/New_York for a time "
        "given in Washington, UTC): the date must still be the local date of the place at "
        "that moment.",
    )
    kind: Kind = Field(title="Kind", description=KINDS.explained())
    title: Name | None = Field(
        None,
        title="Title",
        description="Headline for the incident page; made from kind, weapon and place "
        "when left out.",
    )
    base: BaseRef | None = Field(
        None,
        title="Base",
        description="Id of a base in bases.yaml: the base attacked (an attack on a site the "
        "reporting does not name gives country instead); for a strike, the base it was "
        "carried out near or to protect. One base per record.",
    )
    location: Name | None = Field(
        None,
        title="Location",
        description="Place name. Required for a strike; for an attack, detail such as "
        "'perimeter' or 'nearby oil field'.",
    )
    country: Name | None = Field(
        None,
        title="Country",
        description="Country: for a strike, the country struck; for an attack on a site the "
        "reporting does not name, its country (else the base's country).",
    )
    lat: Latitude | None = Field(
        None, title="Latitude", description="Latitude of the location, -90 to 90."
    )
    lon: Longitude | None = Field(
        None, title="Longitude", description="Longitude of the location, -180 to 180."
    )
    location_precision: LocationPrecision | None = Field(
        None,
        title="Location precision",
        description=f"How exact the location is: {LOCATION_PRECISIONS.explained()}.",
    )
    weapon: Weapons = Field(
        title="Weapon",
        default_factory=lambda: ["unknown"],
        description="Means used: one value, or a list when several were used "
        "(e.g. [missile, rocket]).",
    )
    status: Status = Field(
        "reported",
        title="Status",
        description=STATUSES.explained(),
    )
    perpetrator: Name | None = Field(
        None,
        title="Perpetrator",
        description="Who carried it out or is held responsible: an actor id from actors.yaml "
        "(preferred), or a name as reported.",
    )
    attribution: Attribution | None = Field(
        None,
        title="Attribution",
        description=f"Basis of 'perpetrator': {ATTRIBUTIONS.explained()}.",
    )
    projectiles: Count | None = Field(
        None,
        title="Projectiles",
        description="Number of rockets, rounds, drones or missiles fired.",
    )
    intercepted: Count | None = Field(
        None,
        title="Intercepted",
        description="How many of the projectiles were shot down or intercepted.",
    )
    strikes: Annotated[int, Field(strict=True, ge=1, le=10_000)] | None = Field(
        None,
        title="Strikes",
        description="For a strike: how many strikes this one record stands for, when a source "
        "reports several at one place on one day (e.g. 'four strikes near Mosul'). Leave it "
        "out for one. Every strike count on the site adds these up.",
    )
    target: Text | None = Field(
        None,
        title="Target",
        description="For a strike: what was struck, e.g. 'weapons storage facility used by "
        "the IRGC'.",
    )
    targets: Annotated[int, Field(strict=True, ge=1, le=10_000)] | None = Field(
        None,
        title="Targets struck",
        description="For a strike: how many targets or facilities were struck (e.g. 85 "
        "targets), as the source counts them. Not a count of strikes.",
    )
    casualties: Casualties | None = Field(
        None,
        title="Casualties",
        description="People killed and injured, by side: us, coalition, partner, "
        "civilian, militant, unknown.",
    )
    damage: Text | None = Field(None, title="Damage", description="Damage reported, in a sentence.")
    summary: LongText = Field(
        title="Summary",
        description="What happened, in the project's own words (plain text; blank lines "
        "separate paragraphs).",
    )
    notes: LongText | None = Field(
        None,
        title="Notes",
        description="Analyst's notes: uncertainty, conflicting reports, how the date "
        "was worked out.",
    )
    responds_to: list[Ref] = Field(
        title="Responds to",
        default_factory=list,
        description="Ids of incidents this one answered (e.g. the attack a strike retaliated for).",
    )
    related: list[Ref] = Field(
        title="Related incidents",
        default_factory=list,
        description="Ids of other incidents worth reading with this one.",
    )
    claimed_by: list[Ref] = Field(
        title="Claimed by",
        default_factory=list,
        description="Actor ids (actors.yaml) of the groups that claimed it, as a source "
        "reports; who is held responsible, and on what basis, is perpetrator and attribution.",
    )
    also_hit: list[Ref] = Field(
        title="Also hit",
        default_factory=list,
        description="For an attack: ids of other bases hit in the same attack (one barrage on "
        "adjacent sites). It counts once, at 'base'; each site's page lists it.",
    )
    distinct_from: list[Ref] = Field(
        title="Not the same event as",
        default_factory=list,
        description="Ids of records that look like the same event but are not (a reviewed "
        "decision): the duplicate hint is not given for them.",
    )
    tags: list[Slug] = Field(
        title="Tags", default_factory=list, description="Free keywords, lower-case slugs."
    )
    previous_ids: list[RecordId] = Field(
        title="Previous ids",
        default_factory=list,
        description="Ids this record had before, when an id had to be corrected: their "
        "permanent addresses keep working and lead here.",
    )
    sources: list[Source] = Field(
        title="Sources",
        min_length=1,
        max_length=100,
        description="At least one published source (100 at most).",
    )

    @model_validator(mode="before")
    @classmethod
    def _month_only(cls, data: object) -> object:
        return month_only(data)

    @field_serializer("date", when_used="json")
    def _date_out(self, day: dt.date) -> str:
        """YYYY-MM for a month-only date: a download never invents a day."""
        return self.date_text

    @property
    def date_text(self) -> str:
        """The date as precisely as it is known: YYYY-MM-DD, or YYYY-MM for the month only."""
        return month_key(self.date) if self.date_precision == "month" else self.date.isoformat()

    @property
    def weapons(self) -> tuple[str, ...]:
        return tuple(self.weapon)

    @property
    def is_attack(self) -> bool:
        return self.kind == "attack"

    @property
    def is_strike(self) -> bool:
        return self.kind == "strike"

    @property
    def single_source(self) -> bool:
        """Whether the record rests on one report (marked on its page, filterable)."""
        return len(self.sources) == 1

    @property
    def counted_strikes(self) -> int:
        """The US strikes this record counts: 0 for an attack, else ``strikes`` (1 when not
        given). The one rule: every strike count on the site, in the downloads and in the
        review adds these up."""
        return (self.strikes or 1) if self.is_strike else 0

    @property
    def month(self) -> str:
        return month_key(self.date)


class Base(Record):
    """A base or site hosting US forces, as listed in data/bases.yaml."""

    id: RecordId = Field(
        description="Permanent id, e.g. 'green-village'. Used in URLs and records."
    )
    name: Name = Field(description="Name shown on the site.")
    type: BaseType = Field("base", description=f"What the site is: {BASE_TYPES.explained()}.")
    country: Name = Field(description="Country, e.g. 'Syria'.")
    province: Text | None = Field(None, description="Province or governorate.")
    aliases: list[Name] = Field(
        default_factory=list, description="Other names and spellings used in reporting."
    )
    lat: Latitude | None = Field(None, description="Latitude, -90 to 90.")
    lon: Longitude | None = Field(None, description="Longitude, -180 to 180.")
    location_precision: LocationPrecision | None = Field(
        None, description=f"How exact lat/lon are: {LOCATION_PRECISIONS.explained()}."
    )
    description: LongText | None = Field(None, description="What the base is, in a few lines.")


class Actor(Record):
    """A group that carries out or is held responsible for incidents (data/actors.yaml)."""

    id: RecordId = Field(description="Permanent id, e.g. 'kataib-hezbollah'. Used in records.")
    name: Name = Field(description="Name shown on the site.")
    aliases: list[Name] = Field(
        default_factory=list, description="Other names and spellings used in reporting."
    )
    parent: Ref | None = Field(
        None,
        description="Id of an umbrella group it belongs to or claims under, e.g. "
        "'islamic-resistance-in-iraq'.",
    )
    description: LongText | None = Field(None, description="Who they are, in a few lines.")


class OfficialCount(Record):
    """A count an official body gave (the Pentagon's attacks since 17 October, as of a
    day), with the source that reports it: the site sets its own count beside it."""

    as_of: Date = Field(description="The day the count was given for, YYYY-MM-DD.")
    of: Tallied = Field("attacks", description=f"What it counts: {TALLIED.listing(', or ')}.")
    count: Count = Field(description="The number given.")
    at_least: bool = Field(False, description="true when the source says 'more than' N.")
    since: Date | None = Field(
        None, description="The day the count starts from, when the source gives one."
    )
    scope: Text = Field(
        description="What the count covers, as the source says (e.g. 'attacks on US forces "
        "in Iraq and Syria')."
    )
    source: Source = Field(description="The report that gives the count.")


class DatasetInfo(Record):
    """What the dataset is, as a whole: data/dataset.yaml (every field optional)."""

    title: SiteText = Field(
        "Attacks on US forces in Iraq and Syria",
        description="What the dataset records, as the site's headline says it; also the "
        "site's name on every page (plain text: no double quotes or angle brackets).",
    )
    countries: list[Name] = Field(
        default_factory=lambda: ["Iraq", "Syria"],
        min_length=1,
        description="The countries the dataset covers; every base and incident is in one.",
    )
    coverage: LongText | None = Field(
        None,
        description="How complete the dataset is and what it is drawn from, for readers.",
    )
    earliest: Date = Field(
        dt.date(1990, 1, 1),
        description="The first day the dataset covers; an incident before it is refused.",
    )
    tallies: list[OfficialCount] = Field(
        default_factory=list,
        max_length=500,
        description="Official counts to set beside the dataset's own (the overview shows them "
        "with the share recorded).",
    )


# --- the checked dataset -------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """Every base and incident, checked, in a stable order: bases by id, incidents by date, id."""

    bases: tuple[Base, ...]
    incidents: tuple[Incident, ...]
    files: dict[str, str] = field(default_factory=dict)  # incident id -> path in the repository
    info: DatasetInfo = field(default_factory=DatasetInfo)
    actors: tuple[Actor, ...] = ()
    hints: tuple[Problem, ...] = ()  # worth a look, but not wrong (a free-text perpetrator)

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    @cached_property
    def actor_names(self) -> NameIndex:
        """Actor ids by id, name and alias."""
        return NameIndex((a.id, (a.name, *a.aliases)) for a in self.actors)

    def actor_of(self, incident: Incident) -> Actor | None:
        """The actor a record's perpetrator names by id, if it does."""
        return self.actor_by_id.get(incident.perpetrator or "")

    @cached_property
    def members(self) -> dict[str, tuple[Actor, ...]]:
        """Actor id -> the actors that name it as their parent (directly)."""
        out: dict[str, list[Actor]] = {}
        for a in self.actors:
            if a.parent:
                out.setdefault(a.parent, []).append(a)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def base_by_id(self) -> dict[str, Base]:
        return {b.id: b for b in self.bases}

    @cached_property
    def base_names(self) -> NameIndex:
        """Base ids by id, name and alias."""
        return NameIndex((b.id, (b.name, *b.aliases)) for b in self.bases)

    @cached_property
    def incident_by_id(self) -> dict[str, Incident]:
        return {i.id: i for i in self.incidents}

    @cached_property
    def answered_by(self) -> dict[str, tuple[Incident, ...]]:
        """Incident id -> the incidents that name it in ``responds_to``."""
        result: dict[str, list[Incident]] = {}
        for incident in self.incidents:
            for target in incident.responds_to:
                result.setdefault(target, []).append(incident)
        return {k: tuple(v) for k, v in result.items()}

    @cached_property
    def related_to(self) -> dict[str, tuple[Incident, ...]]:
        """Incident id -> incidents linked by ``related`` in either direction."""
        pairs: dict[str, set[str]] = {}
        for incident in self.incidents:
            for other in incident.related:
                pairs.setdefault(incident.id, set()).add(other)
                pairs.setdefault(other, set()).add(incident.id)
        by_id = self.incident_by_id
        return {k: tuple(sorted((by_id[i] for i in v), key=sort_key)) for k, v in pairs.items()}


def sort_key(incident: Incident) -> tuple[dt.date, int, str]:
    """By date; an incident known only to the month comes before those dated within it."""
    return (incident.date, incident.date_precision != "month", incident.id)


def chronological(incidents: list[Incident]) -> tuple[Incident, ...]:
    """By date; on the same day an incident comes after those it responds to, then by id.

    Needs ``responds_to`` free of cycles (``validate`` refuses them).
    """
    by_id = {i.id: i for i in incidents}
    rank: dict[str, int] = {}

    def depth(incident: Incident) -> int:
        if incident.id not in rank:
            same_day = [
                by_id[r]
                for r in incident.responds_to
                if r in by_id and by_id[r].date == incident.date
            ]
            rank[incident.id] = max((depth(r) + 1 for r in same_day), default=0)
        return rank[incident.id]

    return tuple(
        sorted(incidents, key=lambda i: (i.date, i.date_precision != "month", depth(i), i.id))
    )


def incident_json_schema(dataset: Dataset | None = None) -> dict[str, object]:
    """The JSON Schema editors use to complete and check incident files.

    With a dataset, the editor also offers its base ids for ``base`` and its actor ids for
    ``perpetrator`` (free text stays allowed there).
    """
    schema = Incident.model_json_schema()
    properties = schema["properties"]
    if dataset is not None and dataset.bases:
        ids = [b.id for b in dataset.bases]
        properties["base"] = {**_without_type(properties["base"]), "type": "string", "enum": ids}
    if dataset is not None and dataset.actors:
        ids = [a.id for a in dataset.actors]
        properties["perpetrator"] = {
            **_without_type(properties["perpetrator"]),
            "anyOf": [{"type": "string", "enum": ids}, {"type": "string"}, {"type": "null"}],
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "incident.schema.json",
        **schema,
    }


def _without_type(prop: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in prop.items() if k not in ("anyOf", "type", "pattern", "enum")}
