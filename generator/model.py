"""The record types: one field per YAML key, each documented.

These pydantic models check the shape of each file (types, required fields, allowed values)
and are the source of ``data/incident.schema.json``. Checks that need more than one field or
more than one file (an attack needs a base; a base must exist; ids must be unique) live in
``validate.py``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from generator.dates import month_key
from generator.text import NameIndex

# --- vocabularies: the allowed values and how they read on the site -----------------------


class Vocabulary(Mapping[str, str]):
    """The values a field allows, in order, each with its label on the site.

    The one definition of a vocabulary: the record type checks values with ``check``, the
    JSON Schema lists them from ``schema``, and labels, CLI choices, CSV column
    descriptions, facets and the About page all read them from here.
    """

    def __init__(self, field: str, labels: dict[str, str], meanings: dict[str, str] | None = None):
        self.field = field
        self.labels = labels
        self.meanings = meanings or {}
        self.check = BeforeValidator(self._check)
        self.schema = WithJsonSchema({"type": "string", "enum": list(labels)})

    def __getitem__(self, value: str) -> str:
        return self.labels[value]

    def __iter__(self) -> Iterator[str]:
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)

    def __reversed__(self) -> Iterator[str]:
        return reversed(list(self.labels))

    def index(self, value: str) -> int:
        """The value's place in the vocabulary's order."""
        return list(self.labels).index(value)

    def words(self, **words: str) -> dict[str, str]:
        """Other words for some of the values (keyword names are the values), checked to be
        values of this vocabulary: a phrase table can never name a value that is not one."""
        unknown = set(words) - set(self.labels)
        if unknown:
            raise ValueError(f"not {self.field} values: {sorted(unknown)}")
        return dict(words)

    def listing(self, last: str = ", ") -> str:
        """'attack, strike' (or 'attack or strike' with last=' or ')."""
        values = list(self.labels)
        return ", ".join(values[:-1]) + last + values[-1] if len(values) > 1 else values[0]

    def explained(self) -> str:
        """'reported: in the media only; claimed: …' from the meanings."""
        return "; ".join(f"{v}: {self.meanings.get(v, self.labels[v])}" for v in self.labels)

    def _check(self, value: Any) -> str:
        if isinstance(value, str) and value in self.labels:
            return value
        if not isinstance(value, str):
            raise PydanticCustomError(
                "vocabulary_type",
                "expected one of: {allowed}",
                {"allowed": ", ".join(self.labels)},
            )
        close = difflib.get_close_matches(value, list(self.labels), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'? Use" if close else "; use"
        raise PydanticCustomError(
            "vocabulary",
            "{shown} is not allowed{hint} one of: {allowed}",
            {"shown": repr(value), "hint": hint, "allowed": ", ".join(self.labels)},
        )


KINDS = Vocabulary(
    "kind",
    {"attack": "Attack", "strike": "US strike"},
    {"attack": "on a base hosting US forces", "strike": "carried out by US forces"},
)
WEAPONS = Vocabulary(
    "weapon",
    {
        "rocket": "Rocket",
        "drone": "Drone",
        "mortar": "Mortar",
        "indirect-fire": "Indirect fire",
        "missile": "Missile",
        "airstrike": "Airstrike",
        "artillery": "Artillery",
        "small-arms": "Small arms",
        "ied": "IED",
        "unknown": "Unknown",
    },
)
# How a weapon reads elsewhere: the last word of an id ("…-green-village-rockets") and
# the headline of a US strike made with it ("US airstrike — Al-Mayadin").
WEAPON_ID_WORDS = WEAPONS.words(
    rocket="rockets", drone="drones", mortar="mortars", missile="missiles",
    airstrike="airstrikes",
)  # fmt: skip
STRIKE_HEADLINES = WEAPONS.words(
    airstrike="US airstrike", artillery="US artillery fire", missile="US missile strike",
    drone="US drone strike", rocket="US rocket fire", mortar="US mortar fire",
    **{"indirect-fire": "US indirect fire", "small-arms": "US small-arms fire"},
)  # fmt: skip
STATUSES = Vocabulary(
    "status",
    {"reported": "Reported", "claimed": "Claimed", "confirmed": "Officially confirmed"},
    {
        "reported": "in the media only",
        "claimed": "claimed by the perpetrator",
        "confirmed": "confirmed by an official source (US, coalition or government)",
    },
)
DATE_PRECISIONS = Vocabulary(
    "date_precision", {"day": "exact day", "week": "within a week", "month": "month only"}
)
ATTRIBUTIONS = Vocabulary(
    "attribution",
    {
        "claimed": "claimed responsibility",
        "attributed": "blamed by officials",
        "suspected": "suspected",
    },
)
LOCATION_PRECISIONS = Vocabulary(
    "location_precision",
    {
        "exact": "exact",
        "approximate": "approximate, within a few km",
        "region": "region only",
    },
    {"exact": "the exact place", "approximate": "within a few km", "region": "the region only"},
)

Kind = Annotated[str, KINDS.check, KINDS.schema]
Weapon = Annotated[str, WEAPONS.check, WEAPONS.schema]
Status = Annotated[str, STATUSES.check, STATUSES.schema]
DatePrecision = Annotated[str, DATE_PRECISIONS.check, DATE_PRECISIONS.schema]
Attribution = Annotated[str, ATTRIBUTIONS.check, ATTRIBUTIONS.schema]
LocationPrecision = Annotated[str, LOCATION_PRECISIONS.check, LOCATION_PRECISIONS.schema]

# --- field types ---------------------------------------------------------------------------

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
# Bidirectional embeddings, overrides and isolates: invisible, and they can make a record
# display in another order than the one a reviewer read ("Trojan Source").
_BIDI_RE = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# In a URL: white space, a backslash, or any control or direction character.
_URL_BAD_RE = re.compile(
    r"[\s\\\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]"
)


def _to_date(value: Any) -> Any:
    """Accept a YAML date or a 'YYYY-MM-DD' string; refuse times, numbers and other formats."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "give the day only, as YYYY-MM-DD (no time)")
    if isinstance(value, dt.date):
        return _in_range(value)
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        try:
            return _in_range(dt.date.fromisoformat(value.strip()))
        except ValueError:
            raise PydanticCustomError(
                "date_impossible",
                "'{value}' is not a real date (check the day and month)",
                {"value": value},
            ) from None
    raise PydanticCustomError("date_format", "write the date as YYYY-MM-DD, for example 2022-08-15")


# Beyond these years a date is a typo, and date arithmetic near year 1 or 9999 overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _in_range(day: dt.date) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PydanticCustomError(
            "date_range",
            "{day} is out of range: dates run from {first} to {last}; check the year",
            {"day": day.isoformat(), "first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return day


RESERVED_IDS = frozenset({"index"})  # a page per id: bases/index.md is the Bases page


def _not_reserved(value: str) -> str:
    if value in RESERVED_IDS:
        raise PydanticCustomError(
            "reserved_id",
            "'{value}' cannot be an id: a page of the site has that name; choose another",
            {"value": value},
        )
    return value


_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")  # letters of these look alike: 'е' is not 'e'


def _name(value: str) -> str:
    """A name or title: plain text without invisible format characters (Unicode Cf), and
    without words that mix Latin, Cyrillic and Greek letters. Either would make two names
    that look the same ("Green Village" and "Green Village" + U+200B, or with a Cyrillic
    'е') count as two."""
    for n, c in enumerate(value):
        if unicodedata.category(c) == "Cf" and not _joiner_between_letters(value, n):
            raise PydanticCustomError(
                "format_char",
                "contains the invisible character U+{code} ({name}); delete it: it makes the "
                "text look like another that is spelt differently",
                {"code": f"{ord(c):04X}", "name": unicodedata.name(c, "format character")},
            )
    for word in re.findall(r"\w+", value):
        scripts = Counter(_script(c) for c in word if c.isalpha() and _script(c) in _SCRIPTS)
        if len(scripts) > 1:
            ranked = [s for s, _ in scripts.most_common()]  # the odd one out last
            odd = next(c for c in word if _script(c) == ranked[-1])
            raise PydanticCustomError(
                "mixed_script",
                "mixes {scripts} letters in '{word}' ('{odd}' is {last}); retype it in one "
                "alphabet",
                {"scripts": " and ".join(s.title() for s in ranked), "word": word, "odd": odd,
                 "last": ranked[-1].title()},
            )  # fmt: skip
    return value


def _script(c: str) -> str:
    return unicodedata.name(c, "").split(" ")[0]


def _joiner_between_letters(text: str, n: int) -> bool:
    """A zero-width (non-)joiner inside a word of a script that needs it (Persian, Arabic,
    Indic scripts), where it changes how letters join, not what the text says."""
    if text[n] not in "\u200c\u200d" or not 0 < n < len(text) - 1:
        return False
    before, after = text[n - 1], text[n + 1]
    return before.isalpha() and after.isalpha() and not (before.isascii() or after.isascii())


def _plain_text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty or only spaces")
    if m := _BIDI_RE.search(value):
        raise PydanticCustomError(
            "bidi_control",
            "contains the invisible direction control U+{code}, which can make text display "
            "in a different order than it is written; delete it",
            {"code": f"{ord(m.group()):04X}"},
        )
    if m := _CONTROL_RE.search(value):
        raise PydanticCustomError(
            "control_char",
            "contains the invisible control character U+{code}; delete it (it often comes "
            "from copying out of a PDF or a spreadsheet)",
            {"code": f"{ord(m.group()):04X}"},
        )
    return value


def _http_url(value: str) -> str:
    url = value.strip()
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("http", "https") or not rest or rest.startswith("/"):
        raise PydanticCustomError(
            "url_scheme",
            "must be a web address starting with http:// or https://",
        )
    if (
        any(c.isspace() for c in url)
        or _CONTROL_RE.search(url)
        or _BIDI_RE.search(url)
        or ("\\" in url)
    ):
        raise PydanticCustomError(
            "url_chars", "must not contain spaces, backslashes or control characters"
        )
    return url


Date = Annotated[dt.date, BeforeValidator(_to_date)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
RecordId = Annotated[Slug, AfterValidator(_not_reserved)]  # the id of a page of the site
Text = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(_plain_text)]
Name = Annotated[Text, AfterValidator(_name)]  # names and titles: they are compared and shown
LongText = Annotated[
    str, StringConstraints(min_length=1, max_length=20_000), AfterValidator(_plain_text)
]
# A reference to a base or incident id. Checked against the data (with a suggestion for
# near misses) rather than by pattern, so "Ain al-Asad" gets "did you mean 'ain-al-asad'?".
Ref = Annotated[
    str,
    StringConstraints(min_length=1, max_length=120),
    AfterValidator(_plain_text),
    AfterValidator(_name),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN}),
]
Url = Annotated[str, StringConstraints(max_length=2_000), AfterValidator(_http_url)]
Count = Annotated[int, Field(strict=True, ge=0, le=1_000_000)]
Latitude = Annotated[float, Field(strict=True, ge=-90, le=90)]
Longitude = Annotated[float, Field(strict=True, ge=-180, le=180)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# --- the records ---------------------------------------------------------------------------


class Source(_Record):
    """A published report the incident record rests on."""

    publisher: Name = Field(description="Outlet or body that published it, e.g. 'CNN', 'CENTCOM'.")
    title: Name = Field(description="Title of the article, statement or post, as published.")
    published: Date = Field(description="Publication date, YYYY-MM-DD.")
    url: Url | None = Field(None, description="Web address (http or https only).")
    archive_url: Url | None = Field(
        None, description="A copy in a web archive (http or https), in case the original moves."
    )


class Casualties(_Record):
    """People killed and injured, as reported. Leave a number out when it is not known."""

    killed: Count | None = Field(None, description="People killed (0 if reports say none).")
    injured: Count | None = Field(None, description="People injured (0 if reports say none).")


class Incident(_Record):
    """One attack on a base hosting US forces, or one strike by US forces."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"kind": {"const": "attack"}}},
                    "then": {"required": ["base"], "properties": {"base": {"type": "string"}}},
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

    id: RecordId = Field(description="Permanent id; the file name without .yaml. Used in URLs.")
    date: Date = Field(description="Day of the incident, YYYY-MM-DD (local time).")
    date_precision: DatePrecision = Field(
        "day",
        description=f"How exact the date is: {DATE_PRECISIONS.explained()}. Default: day.",
    )
    kind: Kind = Field(description=KINDS.explained())
    title: Name | None = Field(
        None,
        description="Headline for the incident page; made from kind, weapon and place "
        "when left out.",
    )
    base: Ref | None = Field(
        None,
        description="Id of a base in data/bases.yaml. Required for an attack; for a strike, "
        "the base it was carried out near or to protect.",
    )
    location: Name | None = Field(
        None,
        description="Place name. Required for a strike; for an attack, detail such as "
        "'perimeter' or 'nearby oil field'.",
    )
    country: Name | None = Field(
        None, description="Country; for an attack, defaults to the base's country."
    )
    lat: Latitude | None = Field(None, description="Latitude of the location, -90 to 90.")
    lon: Longitude | None = Field(None, description="Longitude of the location, -180 to 180.")
    location_precision: LocationPrecision | None = Field(
        None, description=f"How exact the location is: {LOCATION_PRECISIONS.explained()}."
    )
    weapon: Weapon = Field("unknown", description="Main means used.")
    status: Status = Field(
        "reported",
        description=STATUSES.explained(),
    )
    perpetrator: Name | None = Field(
        None, description="Group that carried it out or is held responsible."
    )
    attribution: Attribution | None = Field(
        None, description=f"Basis of 'perpetrator': {ATTRIBUTIONS.explained()}."
    )
    projectiles: Count | None = Field(
        None, description="Number of rockets, rounds, drones or missiles fired."
    )
    intercepted: Count | None = Field(
        None, description="How many of the projectiles were shot down or intercepted."
    )
    strikes: Annotated[int, Field(strict=True, ge=1, le=10_000)] | None = Field(
        None,
        description="For a strike: how many strikes this one record stands for, when a source "
        "reports several at one place on one day (e.g. 'four strikes near Mosul'). Leave it "
        "out for one.",
    )
    casualties: Casualties | None = Field(None, description="People killed and injured.")
    damage: Text | None = Field(None, description="Damage reported, in a sentence.")
    summary: LongText = Field(
        description="What happened, in the project's own words (plain text; blank lines "
        "separate paragraphs)."
    )
    notes: LongText | None = Field(
        None,
        description="Analyst's notes: uncertainty, conflicting reports, how the date "
        "was worked out.",
    )
    responds_to: list[Ref] = Field(
        default_factory=list,
        description="Ids of incidents this one answered (e.g. the attack a strike retaliated for).",
    )
    related: list[Ref] = Field(
        default_factory=list, description="Ids of other incidents worth reading with this one."
    )
    tags: list[Slug] = Field(default_factory=list, description="Free keywords, lower-case slugs.")
    previous_ids: list[RecordId] = Field(
        default_factory=list,
        description="Ids this record had before, when an id had to be corrected: their "
        "permanent addresses keep working and lead here.",
    )
    sources: list[Source] = Field(
        min_length=1, max_length=100, description="At least one published source (100 at most)."
    )

    @property
    def strike_count(self) -> int:
        """Strikes this record stands for: 0 for an attack, else ``strikes`` (1 if not given)."""
        return 0 if self.kind != "strike" else (self.strikes or 1)

    @property
    def month(self) -> str:
        return month_key(self.date)


class Base(_Record):
    """A base or site hosting US forces, as listed in data/bases.yaml."""

    id: RecordId = Field(
        description="Permanent id, e.g. 'green-village'. Used in URLs and records."
    )
    name: Name = Field(description="Name shown on the site.")
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


class DatasetInfo(_Record):
    """What the dataset is, as a whole: data/dataset.yaml (every field optional)."""

    title: Name = Field(
        "Attacks on US forces in Iraq and Syria",
        description="What the dataset records, as the site's headline says it.",
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


# --- the checked dataset -------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """Every base and incident, checked, in a stable order: bases by id, incidents by date, id."""

    bases: tuple[Base, ...]
    incidents: tuple[Incident, ...]
    files: dict[str, str] = field(default_factory=dict)  # incident id -> data file path
    info: DatasetInfo = field(default_factory=DatasetInfo)

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


def sort_key(incident: Incident) -> tuple[dt.date, str]:
    return (incident.date, incident.id)


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

    return tuple(sorted(incidents, key=lambda i: (i.date, depth(i), i.id)))


def incident_json_schema() -> dict[str, Any]:
    """The JSON Schema editors use to complete and check incident files."""
    schema = Incident.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "incident.schema.json",
        **schema,
    }
