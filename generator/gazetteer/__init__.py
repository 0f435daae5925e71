"""The gazetteer that ships with the project: the sites that hosted US forces in Iraq, Syria
and Jordan (``sites.yaml``, kept by hand, a source for each) and the provinces, districts and
towns of the three countries (``places.csv``, from GeoNames; see README.md in this folder).

One list for every dataset, reviewed as code. A dataset's ``bases.yaml`` entries link to a
site by ``id``; a strike's ``location`` resolves to coordinates through it; the drafter finds
places in articles with it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Literal

import yaml

from generator.text import name_key
from generator.vocabularies import BASE_LIKE_TYPES

COUNTRIES = ("Iraq", "Syria", "Jordan")
PlaceKind = Literal["province", "district", "town", "village", "area"]
# How specific a kind of place is: a location naming a town and its province is the town.
SPECIFICITY: dict[str, int] = {
    "site": 0,
    "area": 1,
    "village": 2,
    "town": 3,
    "district": 4,
    "province": 5,
}


@dataclass(frozen=True)
class KnownSite:
    """A site that hosted US or coalition forces (``sites.yaml``)."""

    id: str
    name: str
    type: str
    country: str
    province: str
    aliases: tuple[str, ...]
    arabic: tuple[str, ...]
    lat: float
    lon: float
    precision: str  # exact | approximate | region
    source: str
    us_presence: str

    kind: Literal["site"] = "site"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.arabic)


@dataclass(frozen=True)
class KnownPlace:
    """A province, district, town, village or area (``places.csv``)."""

    geonameid: str
    name: str
    ascii_name: str
    kind: PlaceKind
    country: str
    province: str
    lat: float
    lon: float
    population: int | None
    aliases: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"geonames-{self.geonameid}"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.ascii_name, *self.aliases)

    @property
    def precision(self) -> str:
        """How near the coordinates are to what a report of the place means: a town's
        point is within a few km of anything in it; a district's or province's only its
        region (the coordinates are its seat's)."""
        return "approximate" if self.kind in ("town", "village", "area") else "region"


Entry = KnownSite | KnownPlace
# A base in or by a town lies within this distance of the town's point (Balad Air Base is 22
# km from Balad, K-1 11 km from Kirkuk).
NEAR_TOWN_KM = 25.0
_KINDS: dict[str, PlaceKind] = {
    "province": "province",
    "district": "district",
    "town": "town",
    "village": "village",
    "area": "area",
}


@dataclass(frozen=True)
class Gazetteer:
    sites: tuple[KnownSite, ...]
    places: tuple[KnownPlace, ...]

    @cached_property
    def site_by_id(self) -> dict[str, KnownSite]:
        return {s.id: s for s in self.sites}

    @cached_property
    def _by_name(self) -> dict[str, tuple[Entry, ...]]:
        out: dict[str, list[Entry]] = {}
        entries: list[Entry] = [*self.sites, *self.places]
        for entry in entries:
            for key in {name_key(n) for n in entry.names if n}:
                out.setdefault(key, []).append(entry)
        return {k: tuple(_most_specific(v)) for k, v in out.items()}

    def named(self, name: str, country: str | None = None) -> tuple[Entry, ...]:
        """Every site or place with this name (or alias), most specific first, in the
        country when one is given."""
        found = self._by_name.get(name_key(name), ())
        return tuple(e for e in found if country is None or e.country == country)

    def resolve(self, location: str, country: str | None = None) -> Entry | None:
        """The site or place a free-text location names: the whole text, else its most
        specific part ('Mashtal, eastern Baghdad' -> Mashtal; 'near Abu Kamal' -> Abu
        Kamal). None when nothing in it is known, or when a name is ambiguous within the
        country (two towns of one name): a wrong point is worse than none."""
        candidates: list[Entry] = []
        for part, kinds in location_parts(location):
            found = [e for e in self.named(part, country) if kinds is None or e.kind in kinds]
            if len({(e.kind, e.lat, e.lon) for e in found if e.kind == found[0].kind}) > 1:
                continue  # two places of the same kind and name: do not guess
            if found:
                candidates.append(found[0])
        return next(iter(_most_specific(candidates)), None)

    def site_by_town(self, town: str, country: str | None = None) -> KnownSite | None:
        """The one site hosting US forces that a base "in" a town means ("an Iraqi base in
        Kirkuk" is K-1): the only base, airfield or field within ``NEAR_TOWN_KM`` of the
        town. None when the name is no town's or two towns', or two sites lie that close
        (Baghdad has nine): a wrong base is worse than the town."""
        named = self.named(town, country)
        towns = [e for e in named if e.kind == "town"]
        if len({(t.lat, t.lon) for t in towns}) != 1:
            return None
        bases = [
            s for s in self.sites if s.type in BASE_LIKE_TYPES and s.country == towns[0].country
        ]
        for province in (e for e in named if e.kind == "province"):
            # the province's name too ("a base in Deir ez-Zor"): only if it has one base
            if sum(s.province == province.province for s in bases) != 1:
                return None
        near = [
            s
            for s in bases
            if distance_km(towns[0].lat, towns[0].lon, s.lat, s.lon) <= NEAR_TOWN_KM
        ]
        return near[0] if len(near) == 1 else None


_LEADING = (
    "us base ",  # "US base 'Himo'"
    "near ",
    "outside ",
    "north of ",
    "south of ",
    "east of ",
    "west of ",
    "around ",
    "the ",
    "in ",
    "eastern ",
    "western ",
    "northern ",
    "southern ",
    "central ",
)


_QUOTES = str.maketrans("", "", "'\"‘’“”")

# A last word that says what kind of place the name before it is ('Deir ez-Zor province').
_TRAILING: dict[str, frozenset[str] | None] = {
    " province": frozenset({"province"}),
    " governorate": frozenset({"province"}),
    " district": frozenset({"district"}),
    " city": frozenset({"town"}),
    " town": frozenset({"town", "village"}),
    " countryside": None,
    " outskirts": None,
    " area": None,
    " region": None,
}


def location_parts(location: str) -> Iterator[tuple[str, frozenset[str] | None]]:
    """The whole text, then each comma- or 'and'-separated part without quotation marks,
    leading words such as 'near' or 'eastern' and a last word such as 'province' (which then
    says what kind of place to look for)."""
    yield location, None
    for piece in location.replace(" and ", ",").replace(";", ",").split(","):
        text, kinds = piece.translate(_QUOTES).strip(), None
        changed = True
        while changed:
            changed = False
            for lead in _LEADING:
                if text.casefold().startswith(lead):
                    text, changed = text[len(lead) :].strip(), True
        for trail, trail_kinds in _TRAILING.items():
            if text.casefold().endswith(trail) and len(text) > len(trail):
                text, kinds = text[: -len(trail)].strip(), trail_kinds
                break
        if text and text != location:
            yield text, kinds


def _most_specific(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: SPECIFICITY[e.kind])


@cache
def load() -> Gazetteer:
    """The gazetteer shipped in this package (read once per process)."""
    folder = resources.files(__package__)
    sites = yaml.load((folder / "sites.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
    rows = csv.DictReader(io.StringIO((folder / "places.csv").read_text("utf-8")))
    return Gazetteer(tuple(_site(s) for s in sites), tuple(_place(r) for r in rows))


def _site(entry: dict[str, object]) -> KnownSite:
    def names(key: str) -> tuple[str, ...]:
        value = entry.get(key) or []
        return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)

    return KnownSite(
        id=str(entry["id"]),
        name=str(entry["name"]),
        type=str(entry["type"]),
        country=str(entry["country"]),
        province=str(entry.get("province") or ""),
        aliases=names("aliases"),
        arabic=names("arabic"),
        lat=float(str(entry["lat"])),
        lon=float(str(entry["lon"])),
        precision=str(entry["precision"]),
        source=str(entry["source"]),
        us_presence=str(entry.get("us_presence") or ""),
    )


def _place(row: dict[str, str]) -> KnownPlace:
    return KnownPlace(
        geonameid=row["geonameid"],
        name=row["name"],
        ascii_name=row["ascii_name"],
        kind=_KINDS[row["kind"]],
        country=row["country"],
        province=row["province"],
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        population=int(row["population"]) if row["population"] else None,
        aliases=tuple(a for a in row["aliases"].split("|") if a),
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points, in km."""
    a = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(math.radians(lat1))
        * math.cos(math.radians(lat2))
        * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))
