"""The gazetteer's data files keep their shape: generator/gazetteer/sites.yaml (the sites that
hosted US or coalition forces), places.csv (towns, districts and provinces from GeoNames) and
clocks.yaml (each country's time zone), and every real base id the repository's datasets use
is a site in it."""

from __future__ import annotations

import csv
import math
import re
import zoneinfo
from itertools import combinations
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from generator.dates import country_clocks, unknown_clocks

GAZETTEER = ROOT / "generator" / "gazetteer"
SITE_TYPES = {"base", "airport", "diplomatic", "oil-gas-field", "patrol", "other"}
PRECISIONS = {"exact", "approximate", "region"}
COUNTRIES = {"Iraq", "Syria", "Jordan"}
REQUIRED = (
    "id",
    "name",
    "type",
    "country",
    "province",
    "lat",
    "lon",
    "precision",
    "source",
    "us_presence",
)
OPTIONAL = ("aliases", "arabic")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
COLUMNS = [
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
]
KINDS = {"province", "district", "town", "village", "area"}
# The 18 + 14 + 12 governorates, under the names the gazetteer gives them (GeoNames also
# has Halabja, split from Sulaymaniyah in 2014: present too, but not required here).
PROVINCES = {
    "Iraq": {
        "Anbar",
        "Babil",
        "Baghdad",
        "Basra",
        "Dhi Qar",
        "Diyala",
        "Duhok",
        "Erbil",
        "Karbala",
        "Kirkuk",
        "Maysan",
        "Muthanna",
        "Najaf",
        "Nineveh",
        "Qadisiyah",
        "Salahuddin",
        "Sulaymaniyah",
        "Wasit",
    },
    "Syria": {
        "Aleppo",
        "Damascus",
        "Daraa",
        "Deir ez-Zor",
        "Hama",
        "Hasakah",
        "Homs",
        "Idlib",
        "Latakia",
        "Quneitra",
        "Raqqa",
        "Rif Dimashq",
        "Suwayda",
        "Tartus",
    },
    "Jordan": {
        "Ajloun",
        "Amman",
        "Aqaba",
        "Balqa",
        "Irbid",
        "Jerash",
        "Karak",
        "Ma'an",
        "Madaba",
        "Mafraq",
        "Tafilah",
        "Zarqa",
    },
}
# Sites less than 300 m apart, each pair explained by a comment in sites.yaml (one shares
# the other's point for want of its own, or both sit in one small area).
NEAR_ON_PURPOSE = {
    frozenset({"baghdad-international-airport", "baghdad-diplomatic-support-center"}),
    frozenset({"union-iii", "green-zone"}),
    frozenset({"camp-swift", "fire-base-bell"}),
    frozenset({"camp-swift", "nineveh-operations-center"}),
    frozenset({"fire-base-bell", "nineveh-operations-center"}),
    frozenset({"al-harir", "bashur"}),
    frozenset({"tower-22", "rukban-area"}),
    frozenset({"green-village", "mss-euphrates"}),
    frozenset({"qasrak", "tal-tamr"}),
    frozenset({"hasakah", "mount-abdulaziz"}),
    frozenset({"hemo", "us-patrols-northeast-syria"}),
    frozenset({"tabqa-air-base", "tabqa-dam"}),
    frozenset({"lafarge-cement-plant", "kharab-ishk"}),
}
# Dataset files whose base ids must all be sites, and the ids that are not real sites.
DATASET_BASES = (
    "data/bases.yaml",
    "examples/campaign-2023-24/bases.yaml",
    "tests/fixtures/articles/bases.yaml",
)
NOT_SITES = {
    "baghdad-unnamed": "a stand-in for an unnamed base in Baghdad (data/bases.yaml)",
}


def in_box(lat: float, lon: float) -> bool:
    """Inside the rough bounding box of Iraq, Syria and Jordan (Aqaba's coast is at 34.9° E)."""
    return 29.0 <= lat <= 38.0 and 34.8 <= lon <= 49.0


def metres(a: dict[str, float], b: dict[str, float]) -> float:
    lat1, lat2 = math.radians(a["lat"]), math.radians(b["lat"])
    dlat, dlon = lat2 - lat1, math.radians(b["lon"] - a["lon"])
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def comments_above_entries() -> dict[str, str]:
    """Each site id and the comment lines right above its entry in sites.yaml."""
    comments: dict[str, str] = {}
    block: list[str] = []
    for line in (GAZETTEER / "sites.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            block.append(line)
        elif line.startswith("- id: "):
            comments[line.removeprefix("- id: ").strip()] = " ".join(block)
            block = []
        elif not line.strip():
            continue
        else:
            block = []
    return comments


def squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


@pytest.fixture(scope="module")
def sites() -> list[dict[str, object]]:
    with (GAZETTEER / "sites.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def places() -> tuple[list[str], list[dict[str, str]]]:
    with (GAZETTEER / "places.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def test_there_are_at_least_sixty_sites(sites):
    assert len(sites) >= 60


def test_site_ids_are_unique_slugs(sites):
    ids = [site["id"] for site in sites]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    assert all(isinstance(i, str) and SLUG.fullmatch(i) for i in ids), ids


def test_sites_have_the_fields_in_the_allowed_sets(sites):
    for site in sites:
        missing = [f for f in REQUIRED if site.get(f) in (None, "")]
        assert not missing, (site.get("id"), missing)
        assert not set(site) - set(REQUIRED) - set(OPTIONAL), (site["id"], set(site))
        assert site["type"] in SITE_TYPES, site["id"]
        assert site["precision"] in PRECISIONS, site["id"]
        assert site["country"] in COUNTRIES, site["id"]
        assert site["province"] in PROVINCES[site["country"]] | {"Halabja"}, site["id"]
        for field in OPTIONAL:
            value = site.get(field, [])
            assert isinstance(value, list), (site["id"], field)
            assert all(isinstance(v, str) and v.strip() for v in value), (site["id"], field)


def test_sites_lie_inside_iraq_syria_and_jordan(sites):
    for site in sites:
        assert isinstance(site["lat"], float) and isinstance(site["lon"], float), site["id"]
        assert in_box(site["lat"], site["lon"]), site["id"]


def test_every_site_cites_a_source(sites):
    for site in sites:
        assert isinstance(site["source"], str) and len(site["source"].strip()) >= 8, site["id"]


def test_no_two_sites_within_300_m_unless_explained(sites):
    near = {frozenset({a["id"], b["id"]}) for a, b in combinations(sites, 2) if metres(a, b) < 300}
    assert near - NEAR_ON_PURPOSE == set(), sorted(map(sorted, near - NEAR_ON_PURPOSE))
    comments = comments_above_entries()
    for pair in NEAR_ON_PURPOSE:
        assert pair <= set(comments), sorted(pair)
        assert any("300 m" in comments[i] for i in pair), f"no comment explains {sorted(pair)}"


@pytest.mark.parametrize("path", DATASET_BASES)
def test_every_named_base_of_the_datasets_is_a_site(sites, path):
    with (ROOT / path).open(encoding="utf-8") as handle:
        bases = yaml.safe_load(handle)
    ids = {site["id"] for site in sites}
    wanted = {base["id"] for base in bases} - set(NOT_SITES)
    assert wanted - ids == set(), sorted(wanted - ids)


def test_places_have_the_header_and_enough_rows(places):
    header, rows = places
    assert header == COLUMNS
    assert len(rows) >= 300


def test_place_ids_are_unique_and_well_formed(places):
    _, rows = places
    ids = [row["geonameid"] for row in rows]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"\d+|x-[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_places_are_valid_rows(places):
    _, rows = places
    for row in rows:
        assert row["name"] and row["ascii_name"].isascii(), row["geonameid"]
        assert row["kind"] in KINDS, row["geonameid"]
        assert row["country"] in COUNTRIES, row["geonameid"]
        assert row["province"] in PROVINCES[row["country"]] | {"Halabja"}, row["geonameid"]
        assert in_box(float(row["lat"]), float(row["lon"])), row["geonameid"]
        assert row["population"] == "" or row["population"].isdigit(), row["geonameid"]
        aliases = row["aliases"].split("|") if row["aliases"] else []
        assert all(a.strip() == a and a for a in aliases), row["geonameid"]


def test_all_provinces_are_places(places):
    _, rows = places
    found = {(row["country"], row["name"]) for row in rows if row["kind"] == "province"}
    wanted = {(country, name) for country, names in PROVINCES.items() for name in names}
    assert wanted - found == set(), sorted(wanted - found)


def test_places_are_sorted_by_country_kind_and_name(places):
    _, rows = places
    order = ["province", "district", "town", "village", "area"]
    keys = [(row["country"], order.index(row["kind"])) for row in rows]
    assert keys == sorted(keys)


def test_places_extra_rows_cite_a_source():
    with (GAZETTEER / "places-extra.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [*COLUMNS, "source"]
        rows = list(reader)
    assert rows and all(row["source"].strip() for row in rows)


def test_the_generator_does_not_import_the_build_script():
    for path in (ROOT / "generator").rglob("*.py"):
        assert "build_gazetteer" not in path.read_text(encoding="utf-8"), path


def test_reported_places_are_present(places):
    _, rows = places
    names = set()
    for row in rows:
        names |= {squash(row["name"]), squash(row["ascii_name"])}
        names |= {squash(a) for a in row["aliases"].split("|") if a}
    wanted = [
        "Jurf al-Sakhar",
        "al-Qaim",
        "Husaybah",
        "Rutba",
        "Hit",
        "Haditha",
        "Fallujah",
        "Ramadi",
        "Abu Kamal",
        "Mayadin",
        "Deir ez-Zor",
        "Hajin",
        "Susah",
        "Baghuz",
        "Hasakah",
        "Qamishli",
        "Shaddadi",
        "Derik",
        "Rmeilan",
        "Tal Tamr",
        "Tabqa",
        "Raqqa",
        "Manbij",
        "Kobani",
        "Tanf",
        "Rukban",
        "Palmyra",
        "Qayyarah",
        "Makhmour",
        "Mosul",
        "Kirkuk",
        "Tikrit",
        "Samarra",
        "Balad",
        "Taji",
        "Mashtal",
        "Baghdad al-Jadida",
        "Musayyib",
        "Hillah",
        "Karbala",
        "Najaf",
        "Basra",
        "Erbil",
        "Sulaymaniyah",
        "Duhok",
        "Zummar",
        "Sinjar",
        "Ruwaished",
        "Mafraq",
        "Zarqa",
        "Azraq",
    ]
    assert [w for w in wanted if squash(w) not in names] == []


def test_site_provinces_use_the_places_names(sites, places):
    _, rows = places
    provinces = {row["province"] for row in rows}
    assert {site["province"] for site in sites} <= provinces


def test_the_build_script_is_kept_apart_from_the_package():
    assert Path(ROOT / "scripts" / "build_gazetteer.py").is_file()


def test_every_country_clock_is_a_time_zone_with_a_comment():
    """clocks.yaml: each country a dataset can cover -> an IANA zone, a comment on its line;
    every country of the repository's datasets is in it."""
    lines = (GAZETTEER / "clocks.yaml").read_text("utf-8").splitlines()
    entries = [line for line in lines if line and not line.startswith("#")]
    assert len(entries) == len(country_clocks()) >= 10
    for line in entries:
        assert re.fullmatch(r"[^:#]+: [A-Za-z_/]+ +# .+", line), line
    for zone in country_clocks().values():
        zoneinfo.ZoneInfo(zone)  # raises for a name that is not a time zone
    infos = [ROOT / "data" / "dataset.yaml", *ROOT.glob("examples/*/dataset.yaml")]
    infos += ROOT.glob("tests/cases/*/dataset.yaml")
    for info in infos:
        countries = (yaml.safe_load(info.read_text("utf-8")) or {}).get("countries") or []
        assert not [c for c in countries if unknown_clocks(c)], info
