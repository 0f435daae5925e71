"""The drafter's lexicon: the words and patterns it reads articles by.

They live in the YAML files of ``lexicon/``, one per stage (dates, places, mentions,
decisions, fields), each entry with a comment saying what it catches, and are read once per
process. A pattern is a regular expression, or a list of alternatives joined with ``|``;
``${name}`` in it stands for another entry, or for one made here from a vocabulary
(``MONTH``, ``NUMBER``, ``WEEKDAY``, ``PART``, ``COUNTS``, ``HOLIDAYS``, ``QUANTITY2``). The
code says whether case matters where it compiles a pattern; this module holds no words.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from generator.dates import MONTH_NAMES
from generator.model import OUTCOMES, SIDES
from generator.vocabularies import STATUSES, WEAPONS

FILES = ("dates", "places", "mentions", "decisions", "fields")
_REF = re.compile(r"\$\{(\w+)\}")


class LexiconError(ValueError):
    """A lexicon file that cannot be used: a name defined twice, or a reference to none."""


@cache
def entries() -> dict[str, Any]:
    """Every entry of the lexicon files, by name (read once)."""
    folder = resources.files(__package__) / "lexicon"
    out: dict[str, Any] = {}
    for name in FILES:
        data = yaml.load((folder / f"{name}.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
        for key, value in (data or {}).items():
            if key in out:
                raise LexiconError(f"lexicon/{name}.yaml: {key} is defined twice")
            out[key] = value
    return out


def _alternatives(value: object) -> str:
    return "|".join(str(v) for v in value) if isinstance(value, list) else str(value)


def pattern(name: str) -> str:
    """The regular expression of an entry, its ``${name}`` references filled in."""
    if name in _MADE:
        return _MADE[name]
    if name not in entries():
        raise LexiconError(f"the lexicon has no entry {name!r}")
    return _REF.sub(lambda m: pattern(m.group(1)), _alternatives(entries()[name]))


def words(name: str) -> dict[str, str]:
    """A table of patterns by value (``weapon_words``: weapon -> pattern)."""
    return {
        str(k): _REF.sub(lambda m: pattern(m.group(1)), _alternatives(v))
        for k, v in entries()[name].items()
    }


def wordset(name: str) -> set[str]:
    return {str(w) for w in entries()[name]}


# Names made from vocabularies and other entries rather than written out.
_MADE: dict[str, str] = {}
MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)}
MONTHS.update({name[:3].lower(): n for name, n in zip(MONTH_NAMES, range(1, 13), strict=True)})
MONTHS["sept"] = 9
MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS: dict[str, int] = {str(k): int(v) for k, v in entries()["number_words"].items()}
NUMBER = r"(?:\d[\d,]*|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
HOLIDAYS: dict[str, tuple[int, int]] = {
    str(k): (int(v[0]), int(v[1])) for k, v in entries()["holidays"].items()
}
_MADE.update(
    MONTH=MONTH,
    NUMBER=NUMBER,
    WEEKDAY=r"(?:" + "|".join(WEEKDAYS) + ")",
    PART=r"(?:\s+(?:morning|afternoon|evening|night|early morning))?",
    COUNTS="|".join(w for w, n in NUMBER_WORDS.items() if n > 2 and " " not in w),
    HOLIDAYS="|".join(HOLIDAYS),
)
_MADE["QUANTITY2"] = pattern("quantity").replace("<q>", "<q2>").replace("<n>", "<n2>")

# --- the tables, as the stages use them -----------------------------------------------------

WEAPON_WORDS = WEAPONS.words(**words("weapon_words"))
STRIKE_WEAPONS = WEAPONS.words(**words("strike_weapons"))
STATUS_WORDS = STATUSES.words(**words("status_words"))
SIDE_WORDS = SIDES.words(**words("side_words"))
HURT = OUTCOMES.words(**words("hurt"))
HURTING = OUTCOMES.words(**words("hurting"))

BASE_CONTEXT = wordset("base_context")
GENERIC_NAME_WORDS = BASE_CONTEXT | wordset("generic_name_words")
ARTICLES = wordset("articles")
SITE_ABBREVIATIONS = {
    tuple(str(k).split()): str(v) for k, v in entries()["site_abbreviations"].items()
}
PLACES: dict[str, tuple[str, ...]] = {
    str(c): tuple(str(t) for t in towns) for c, towns in entries()["places"].items()
}
REGIONS = wordset("regions")
DEMONYMS: dict[str, str] = {str(k): str(v) for k, v in entries()["demonyms"].items()}
PLACE_STOP = wordset("place_stop")
NOT_PLACES = wordset("not_places")
DISTANCE_UNITS = wordset("distance_units")

RELATIVE_DAYS: dict[str, int] = {str(k): int(v) for k, v in entries()["relative_days"].items()}
US_TIME_ZONES: dict[str, int] = {str(k): int(v) for k, v in entries()["us_time_zones"].items()}
DATE_PATTERNS: list[tuple[str, str]] = [
    (str(kind), _REF.sub(lambda m: pattern(m.group(1)), str(p)))
    for kind, p in entries()["date_patterns"].items()
]

RECENT_DAYS = int(entries()["recent_days"])
RECENT_RELATIVE = int(entries()["recent_relative"])
RECENT_CAUSE = int(entries()["recent_cause"])
SAME_SITE_KM = float(entries()["same_site_km"])
