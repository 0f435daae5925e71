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
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    field_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.dates import month_key
from generator.errors import Problem
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
    rocket="rockets",
    drone="drones",
    mortar="mortars",
    missile="missiles",
    airstrike="airstrikes",
)
STRIKE_HEADLINES = WEAPONS.words(
    airstrike="US airstrike",
    artillery="US artillery fire",
    missile="US missile strike",
    drone="US drone strike",
    rocket="US rocket fire",
    mortar="US mortar fire",
    **{"indirect-fire": "US indirect fire", "small-arms": "US small-arms fire"},
)
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

BASE_TYPES = Vocabulary(
    "type",
    {
        "base": "Base",
        "airport": "Airport",
        "diplomatic": "Embassy or diplomatic site",
        "oil-gas-field": "Oil or gas field",
        "patrol": "Patrol or convoy",
        "other": "Other site",
    },
    {
        "base": "a military base or outpost",
        "airport": "an airport or air base shared with civil use",
        "diplomatic": "an embassy, consulate or diplomatic compound",
        "oil-gas-field": "an oil or gas field or plant",
        "patrol": "a patrol or convoy on the move",
        "other": "any other site hosting US forces",
    },
)

Kind = Annotated[str, KINDS.check, KINDS.schema]
Weapon = Annotated[str, WEAPONS.check, WEAPONS.schema]
Status = Annotated[str, STATUSES.check, STATUSES.schema]
DatePrecision = Annotated[str, DATE_PRECISIONS.check, DATE_PRECISIONS.schema]
Attribution = Annotated[str, ATTRIBUTIONS.check, ATTRIBUTIONS.schema]
LocationPrecision = Annotated[str, LOCATION_PRECISIONS.check, LOCATION_PRECISIONS.schema]
BaseType = Annotated[str, BASE_TYPES.check, BASE_TYPES.schema]

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
        raise PydanticCustomError("date_time", "give the day only, as YYYY-MM-DD (no time)")
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
UNNAMED_PREFIX = "unnamed-"  # the pages of sites the reporting does not name (stats.AttackSite)


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
    if value.isascii():  # the common case: no format character, every letter Latin
        return value
    for n, c in enumerate(value):
        if unicodedata.category(c) == "Cf" and not _joiner_between_letters(value, n):
            raise PydanticCustomError(
                "format_char",
                "contains the invisible character U+{code} ({name}); delete it: it makes the "
                "text look like another that is spelt differently",
                {"code": f"{ord(c):04X}", "name": unicodedata.name(c, "format character")},
            )
    for word in re.findall(r"\w+", value):
        if word.isascii():
            continue
        scripts = Counter(_script(c) for c in word if c.isalpha() and _script(c) in _SCRIPTS)
        if len(scripts) > 1:
            ranked = [s for s, _ in scripts.most_common()]  # the odd one out last
            odd = next(c for c in word if _script(c) == ranked[-1])
            raise PydanticCustomError(
                "mixed_script",
                "mixes {scripts} letters in '{word}' ('{odd}' is {last}); retype it in one "
                "alphabet",
                {
                    "scripts": " and ".join(s.title() for s in ranked),
                    "word": word,
                    "odd": odd,
                    "last": ranked[-1].title(),
                },
            )
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


_MONTH_RE = re.compile(r"\d{4}-\d{2}")
_TIME_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class _MonthConflict(str):
    """A month-only date ('2023-11') whose record says it is exact to the day or week."""

    precision = ""


def _to_incident_date(value: Any) -> Any:
    """An incident's date: like any date, or 'YYYY-MM' when only the month is known."""
    if isinstance(value, _MonthConflict):
        raise PydanticCustomError(
            "month_conflict",
            "'{value}' gives the month only, but date_precision says {precision}; leave "
            "date_precision out (a month-only date is month precision) or give the day",
            {"value": str(value), "precision": value.precision},
        )
    if isinstance(value, str) and _MONTH_RE.fullmatch(value.strip()):
        try:
            return _in_range(dt.date.fromisoformat(value.strip() + "-01"))
        except ValueError:
            raise PydanticCustomError(
                "date_impossible", "'{value}' is not a real month", {"value": value}
            ) from None
    try:
        return _to_date(value)
    except PydanticCustomError as e:
        if e.type != "date_format":
            raise
    raise PydanticCustomError(
        "date_format",
        "write the date as YYYY-MM-DD, for example 2022-08-15, or YYYY-MM when only the "
        "month is known",
    )


def _to_time(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        hours, minutes = divmod(value, 60)
        raise PydanticCustomError(
            "time_unquoted",
            'put the time in quotes, like time: "{shown}": without quotes YAML reads a '
            "time such as 4:30 as a number (here {value})",
            {"shown": f"{hours:02d}:{minutes:02d}", "value": value},
        )
    if not isinstance(value, str) or not _TIME_RE.fullmatch(value):
        raise PydanticCustomError(
            "time_format",
            'write the local time as "HH:MM" on a 24-hour clock, in quotes, e.g. "04:30"',
        )
    return value


IncidentDate = Annotated[
    dt.date,
    BeforeValidator(_to_incident_date),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"}),
]
LocalTime = Annotated[
    str,
    BeforeValidator(_to_time),
    WithJsonSchema({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}),
]


def _one_or_many(value: Any) -> Any:
    """A single weapon, or a list of them: always a list inside."""
    return [value] if not isinstance(value, list) else value


def _distinct_weapons(value: list[str]) -> list[str]:
    if not value:
        raise PydanticCustomError("too_short", "needs at least one entry")
    if len(set(value)) != len(value):
        raise PydanticCustomError("duplicate", "names a weapon twice; keep one")
    if "unknown" in value and len(value) > 1:
        raise PydanticCustomError(
            "unknown_with_others", "says 'unknown' beside known weapons; remove 'unknown'"
        )
    return value


def _weapons_out(value: list[str]) -> str | list[str]:
    return value[0] if len(value) == 1 else list(value)


def _one_base(value: Any) -> Any:
    if isinstance(value, list):
        raise PydanticCustomError(
            "several_bases",
            "names {n} bases; write one record per base attacked and link the records with "
            "related: [their ids]",
            {"n": len(value)},
        )
    return value


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Tally(_Record):
    """A number as the reporting gives it: exact (min = max), a range, "at least" (no max)
    or "up to" (no min). Written in a record as 3, or {min: 2, max: 5}, or {min: 1}."""

    min: Count | None = None
    max: Count | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Tally:
        if self.min is None and self.max is None:
            raise PydanticCustomError(
                "empty_range", "give min, max or both (min: 1 means 'at least one')"
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PydanticCustomError(
                "range_order",
                "min {min} is more than max {max}",
                {"min": self.min, "max": self.max},
            )
        return self

    @property
    def low(self) -> int:
        return self.min or 0

    @property
    def exact(self) -> bool:
        return self.min is not None and self.min == self.max

    def __add__(self, other: Tally) -> Tally:
        high = None if self.max is None or other.max is None else self.max + other.max
        return Tally(min=self.low + other.low, max=high)

    @property
    def text(self) -> str:
        """'3', '2–5', 'at least 47', 'up to 5', as a reader should see it."""
        if self.exact:
            return f"{self.low:,}"
        if self.max is None:
            return f"at least {self.low:,}"
        if self.min is None:
            return f"up to {self.max:,}"
        return f"{self.low:,}–{self.max:,}"

    @property
    def written(self) -> int | dict[str, int]:
        """How a record writes it: 3, or {min: 2, max: 5}."""
        return _from_tally(self)

    @classmethod
    def parse(cls, text: str) -> Tally:
        """The inverse of ``cell``: '3', '2-5' or '47+' (ValueError for anything else)."""
        m = re.fullmatch(r"\s*(\d+)\s*(?:(\+)|-\s*(\d+))?\s*", text)
        if m is None:
            raise ValueError(f"'{text}' is not a number like 3, 2-5 or 47+ (at least 47)")
        low = int(m.group(1))
        high = None if m.group(2) else int(m.group(3) or low)
        return cls(min=low, max=high)

    @property
    def cell(self) -> str:
        """For a CSV cell: '3', '2-5', '47+' (at least), '0-5' (up to)."""
        if self.exact:
            return str(self.low)
        return f"{self.low}+" if self.max is None else f"{self.low}-{self.max}"


NONE = Tally(min=0, max=0)


def _to_tally(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise PydanticCustomError("negative", "must be at least 0, got {v}", {"v": value})
        return {"min": value, "max": value}
    if isinstance(value, (dict, Tally)):
        return value
    raise PydanticCustomError(
        "tally_type",
        "expected a whole number, or a range such as {example} ({least} for 'at least one'), "
        "got {shown}",
        {
            "shown": repr(value) if isinstance(value, str) else str(value),
            "example": "{min: 2, max: 5}",
            "least": "{min: 1}",
        },
    )


def _from_tally(value: Tally) -> int | dict[str, int]:
    if value.exact:
        return value.low
    return {k: v for k, v in (("min", value.min), ("max", value.max)) if v is not None}


Number = Annotated[
    Tally,
    BeforeValidator(_to_tally),
    PlainSerializer(_from_tally),
    WithJsonSchema(
        {
            "oneOf": [
                {"type": "integer", "minimum": 0},
                {
                    "type": "object",
                    "properties": {
                        "min": {"type": "integer", "minimum": 0},
                        "max": {"type": "integer", "minimum": 0},
                    },
                    "additionalProperties": False,
                },
            ],
            "description": "A number, or a range {min, max}; {min: 1} means 'at least one'.",
        }
    ),
]


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


class SideCasualties(_Record):
    """People of one side killed and injured. Leave a number out when it is not known."""

    killed: Number | None = Field(None, description="Killed (0 if reports say none).")
    injured: Number | None = Field(None, description="Injured (0 if reports say none).")

    def given(self) -> dict[str, Tally]:
        """Outcome ('killed', 'injured') -> its number, for the numbers the record gives."""
        return {o: v for o in OUTCOMES if (v := getattr(self, o)) is not None}


class Casualties(_Record):
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
        None, title="Side not stated", description="People whose side the reports do not give."
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


class Incident(_Record):
    """One attack on a base hosting US forces, or one strike by US forces."""

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

    id: RecordId = Field(description="Permanent id; the file name without .yaml. Used in URLs.")
    date: IncidentDate = Field(
        description="Day of the incident, YYYY-MM-DD (local time of the place), or YYYY-MM "
        "when only the month is known."
    )
    date_precision: DatePrecision = Field(
        "day",
        description=f"How exact the date is: {DATE_PRECISIONS.explained()}. Default: day; "
        "month when the date is YYYY-MM.",
    )
    time: LocalTime | None = Field(
        None,
        description='Local time of the place, 24-hour "HH:MM", in quotes (e.g. "04:30"). '
        "For an exact day only.",
    )
    kind: Kind = Field(description=KINDS.explained())
    title: Name | None = Field(
        None,
        description="Headline for the incident page; made from kind, weapon and place "
        "when left out.",
    )
    base: Annotated[Ref, BeforeValidator(_one_base)] | None = Field(
        None,
        description="Id of a base in bases.yaml: the base attacked (an attack on a site the "
        "reporting does not name gives country instead); for a strike, the base it was "
        "carried out near or to protect. One base per record.",
    )
    location: Name | None = Field(
        None,
        description="Place name. Required for a strike; for an attack, detail such as "
        "'perimeter' or 'nearby oil field'.",
    )
    country: Name | None = Field(
        None,
        description="Country: for a strike, the country struck; for an attack on a site the "
        "reporting does not name, its country (else the base's country).",
    )
    lat: Latitude | None = Field(None, description="Latitude of the location, -90 to 90.")
    lon: Longitude | None = Field(None, description="Longitude of the location, -180 to 180.")
    location_precision: LocationPrecision | None = Field(
        None, description=f"How exact the location is: {LOCATION_PRECISIONS.explained()}."
    )
    weapon: Annotated[
        list[Weapon],
        BeforeValidator(_one_or_many),
        AfterValidator(_distinct_weapons),
        PlainSerializer(_weapons_out),
        WithJsonSchema(
            {
                "oneOf": [
                    {"type": "string", "enum": list(WEAPONS)},
                    {
                        "type": "array",
                        "items": {"type": "string", "enum": list(WEAPONS)},
                        "minItems": 1,
                        "uniqueItems": True,
                    },
                ]
            }
        ),
    ] = Field(
        default_factory=lambda: ["unknown"],
        description="Means used: one value, or a list when several were used "
        "(e.g. [missile, rocket]).",
    )
    status: Status = Field(
        "reported",
        description=STATUSES.explained(),
    )
    perpetrator: Name | None = Field(
        None,
        description="Who carried it out or is held responsible: an actor id from actors.yaml "
        "(preferred), or a name as reported.",
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
        "out for one. Every strike count on the site adds these up.",
    )
    target: Text | None = Field(
        None,
        description="For a strike: what was struck, e.g. 'weapons storage facility used by "
        "the IRGC'.",
    )
    targets: Annotated[int, Field(strict=True, ge=1, le=10_000)] | None = Field(
        None,
        description="For a strike: how many targets or facilities were struck (e.g. 85 "
        "targets), as the source counts them. Not a count of strikes.",
    )
    casualties: Casualties | None = Field(
        None,
        description="People killed and injured, by side: us, coalition, partner, "
        "civilian, militant, unknown.",
    )
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

    @model_validator(mode="before")
    @classmethod
    def _month_only(cls, data: Any) -> Any:
        """'date: 2023-11' means date_precision month; a record that says otherwise is told."""
        day = data.get("date") if isinstance(data, dict) else None
        if isinstance(day, str) and _MONTH_RE.fullmatch(day.strip()):
            given = data.get("date_precision")
            if given is None:
                data = {**data, "date_precision": "month"}
            elif given != "month" and isinstance(given, str):
                conflict = _MonthConflict(day.strip())
                conflict.precision = given
                data = {**data, "date": conflict}
        return data

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
    def counted_strikes(self) -> int:
        """The US strikes this record counts: 0 for an attack, else ``strikes`` (1 when not
        given). The one rule: every strike count on the site, in the downloads and in the
        review adds these up."""
        return (self.strikes or 1) if self.is_strike else 0

    @property
    def month(self) -> str:
        return month_key(self.date)


class Base(_Record):
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


class Actor(_Record):
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


def incident_json_schema(dataset: Dataset | None = None) -> dict[str, Any]:
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


def _without_type(prop: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in prop.items() if k not in ("anyOf", "type", "pattern", "enum")}
