"""The types of a record's fields: dates, names and texts that cannot hide anything from a
reviewer, web addresses, ids, numbers and ranges, each checked with a message a contributor
can act on."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from collections import Counter
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.vocabularies import WEAPONS, Weapon

# --- field types ---------------------------------------------------------------------------

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
# Noncharacters (U+FDD0–FDEF, and the last two code points of every plane) and lone
# surrogates: not text at all; XML (the feed) cannot even hold them.
_NONCHARACTER_RE = re.compile(
    "[\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
    + "]"
)
# Every default-ignorable code point (Unicode 15.1's DerivedCoreProperties.txt,
# Default_Ignorable_Code_Point: a renderer shows nothing for them) that is not a format
# character (those are refused apart), whether assigned yet or not, and the braille blank,
# which renders blank: the combining grapheme joiner, the Hangul and Khitan fillers,
# Khmer's inherent vowels, Mongolian and other variation selectors, the reserved U+2065,
# U+FFF0-FFF8 and the whole tag and supplementary-selector block. A name holding one looks
# the same as the name without it. The two joiners between letters are checked apart.
_BLANK_LOOKING = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2065\u2800\u3164\ufe00-\ufe0f"
    "\uffa0\ufff0-\ufff8\U00016fe4\U000e0000-\U000e0fff]"
)
# Bidirectional embeddings, overrides and isolates: invisible, and they can make a record
# display in another order than the one a reviewer read ("Trojan Source").
_BIDI_RE = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def _to_date(value: object) -> object:
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
    if m := _BLANK_LOOKING.search(value):
        c = m.group()
        raise PydanticCustomError(
            "blank_letter",
            "contains U+{code} ({name}), which shows as nothing or as a blank; delete it: it "
            "makes the text look like another that is spelt differently",
            {"code": f"{ord(c):04X}", "name": unicodedata.name(c, "a blank character")},
        )
    for c in value:
        if unicodedata.category(c) == "Cn":
            raise PydanticCustomError(
                "unassigned",
                "contains U+{code}, a code point Unicode has not assigned (it shows as "
                "nothing or a box); delete it",
                {"code": f"{ord(c):04X}"},
            )
        if unicodedata.category(c) == "Zs" and c != " ":
            raise PydanticCustomError(
                "odd_space",
                "contains U+{code} ({name}) where a name has a plain space; retype the space",
                {"code": f"{ord(c):04X}", "name": unicodedata.name(c, "a space")},
            )
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
    if m := _NONCHARACTER_RE.search(value):
        raise PydanticCustomError(
            "noncharacter",
            "contains U+{code}, which is not a character at all (a broken copy or an "
            "encoding error); delete it",
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
_SLUG = re.compile(SLUG_PATTERN)


def is_record_id(text: str) -> bool:
    """Whether ``text`` can be a record's id (lower-case words joined by hyphens, at most
    120 characters, not a reserved name): the RecordId rule, for code that makes ids."""
    return bool(_SLUG.fullmatch(text)) and len(text) <= 120 and text not in RESERVED_IDS


Text = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(_plain_text)]
Name = Annotated[Text, AfterValidator(_name)]  # names and titles: they are compared and shown
# Characters that are markup in HTML. A site's name goes into MkDocs' settings, which the
# theme prints into attributes without escaping (aria-label="<site name>" on every page).
_MARKUP_RE = re.compile('[<>"]')


def _plain_setting(value: str) -> str:
    if m := _MARKUP_RE.search(value):
        raise PydanticCustomError(
            "markup_in_setting",
            "contains {char}, which the site's theme would read as markup (this text becomes "
            "the site's name on every page); leave double quotes and angle brackets out",
            {"char": repr(m.group())},
        )
    return value


SiteText = Annotated[Name, AfterValidator(_plain_setting)]  # text that becomes a setting


def _time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "time_zone",
            "'{value}' is not a time zone; write its IANA name, e.g. America/New_York for "
            "Washington's clock, UTC, or Asia/Baghdad",
            {"value": value},
        ) from None
    return value


TimeZone = Annotated[
    str,
    StringConstraints(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_+\-/]+$"),
    AfterValidator(_time_zone),
]
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


def _to_incident_date(value: object) -> object:
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


def _to_time(value: object) -> object:
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


def _one_or_many(value: object) -> object:
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


def _one_base(value: object) -> object:
    if isinstance(value, list):
        raise PydanticCustomError(
            "several_bases",
            "names {n} bases; write one record per base attacked and link the records with "
            "related: [their ids]",
            {"n": len(value)},
        )
    return value


Weapons = Annotated[
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
]
BaseRef = Annotated[Ref, BeforeValidator(_one_base)]  # one base per record


def month_only(data: object) -> object:
    """A record with 'date: 2023-11' has date_precision month; one that says otherwise gets
    a date that the date check refuses with a message saying so."""
    if not isinstance(data, dict):
        return data
    day = data.get("date")
    if isinstance(day, str) and _MONTH_RE.fullmatch(day.strip()):
        given = data.get("date_precision")
        if given is None:
            data = {**data, "date_precision": "month"}
        elif given != "month" and isinstance(given, str):
            conflict = _MonthConflict(day.strip())
            conflict.precision = given
            data = {**data, "date": conflict}
    return data


class Record(BaseModel):
    """A part of a record file: unknown keys refused, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Tally(Record):
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


def _to_tally(value: object) -> object:
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
