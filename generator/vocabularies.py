"""The vocabularies: the values a field allows, in order, each with its label on the site.

Each is written once, here; the record types check values with it, the JSON Schema lists
its values, and labels, CLI choices, CSV column descriptions, facets and the About page all
read it from here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from generator.text import closest

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

    def _check(self, value: object) -> str:
        if isinstance(value, str) and value in self.labels:
            return value
        if not isinstance(value, str):
            raise PydanticCustomError(
                "vocabulary_type",
                "expected one of: {allowed}",
                {"allowed": ", ".join(self.labels)},
            )
        close = closest(value, self.labels)
        hint = f"; did you mean '{close}'? Use" if close else "; use"
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

# The types of site a report's unnamed "base" may be (the drafter's "a base in Kirkuk"): not an
# embassy, a patrol or any other site.
BASE_LIKE_TYPES = frozenset({"base", "airport", "oil-gas-field"})

Kind = Annotated[str, KINDS.check, KINDS.schema]
Weapon = Annotated[str, WEAPONS.check, WEAPONS.schema]
Status = Annotated[str, STATUSES.check, STATUSES.schema]
DatePrecision = Annotated[str, DATE_PRECISIONS.check, DATE_PRECISIONS.schema]
Attribution = Annotated[str, ATTRIBUTIONS.check, ATTRIBUTIONS.schema]
LocationPrecision = Annotated[str, LOCATION_PRECISIONS.check, LOCATION_PRECISIONS.schema]
BaseType = Annotated[str, BASE_TYPES.check, BASE_TYPES.schema]

# What an official tally counts (dataset.yaml's tallies), and how the overview names it.
TALLIED = Vocabulary(
    "of",
    {
        "attacks": "Attacks on US forces",
        "us-injured": "US personnel injured",
        "us-killed": "US personnel killed",
    },
)
Tallied = Annotated[str, TALLIED.check, TALLIED.schema]
# What an official count counts, as the noun after its number: one, and more than one.
TALLIED_ONE = TALLIED.words(
    attacks="attack", **{"us-injured": "US person injured", "us-killed": "US person killed"}
)
TALLIED_MANY = TALLIED.words(
    attacks="attacks",
    **{"us-injured": "US personnel injured", "us-killed": "US personnel killed"},
)
