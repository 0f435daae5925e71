"""Downloads: the incidents as CSV, JSON and GeoJSON, counts by base and month, the schema,
and an Atom feed of the latest incidents. Every incident file gives exactly one row.

The CSV columns are described once, in ``COLUMNS``; the Data page documents them from there.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from generator import escape
from generator.dates import midnight_utc
from generator.history import NO_HISTORY, History, Version
from generator.model import OUTCOMES, SIDES, Dataset, Incident, incident_json_schema
from generator.settings import Settings
from generator.stats import Stats
from generator.vocabularies import (
    ATTRIBUTIONS,
    BASE_TYPES,
    DATE_PRECISIONS,
    KINDS,
    LOCATION_PRECISIONS,
    STATUSES,
    WEAPONS,
)
from generator.wording import as_read, incident_country, incident_title, incident_url

FEED_ENTRIES = 50
CORRECTIONS_PAGE = "corrections/"


@dataclass(frozen=True)
class Export:
    """A file readers can download, and what it holds."""

    path: str  # relative to docs/ (and the site root)
    title: str
    format: str
    rows: int  # incidents (or count rows, or feed entries) it holds
    data: bytes
    listed: bool = True  # on the Data page; the rest serve the site's own scripts


# The full records, and the rows of incidents.csv as JSON (see incidents_table_json): what
# tables.js cuts a table's download of the rows shown from.
INCIDENTS_JSON = "data/incidents.json"
TABLE_JSON = "data/incidents.table.json"


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[Incident, Stats, Settings], object]


def _sources(field: str) -> Callable[[Incident, Stats, Settings], str]:
    return lambda i, t, s: "; ".join(str(getattr(src, field) or "") for src in i.sources)


def _casualty(side: str, outcome: str) -> Column:
    def value(i: Incident, t: Stats, s: Settings) -> str | None:
        number = i.casualties.get(side, outcome) if i.casualties else None
        return number.cell if number is not None else None

    return Column(f"{side}_{outcome}", f"{SIDES[side]}: {outcome} (see below)", value)


def _site(attribute: str) -> Callable[[Incident, Stats, Settings], object]:
    return lambda i, t, s: getattr(t.site_of(i), attribute) if t.site_of(i) else None


COLUMNS = (
    Column("id", "Permanent id of the record (its file name)", lambda i, t, s: i.id),
    Column(
        "url",
        "Permanent address of the incident's page (empty when the site was built without "
        "knowing its own address)",
        lambda i, t, s: s.permalink(incident_url(i.id)),
    ),
    Column(
        "date",
        "Day of the incident, YYYY-MM-DD; YYYY-MM when only the month is known",
        lambda i, t, s: i.date_text,
    ),
    Column("date_precision", DATE_PRECISIONS.explained(), lambda i, t, s: i.date_precision),
    Column(
        "time",
        "Time of day, HH:MM, if reported: the local time of the place, unless time_zone names "
        "another clock",
        lambda i, t, s: i.time,
    ),
    Column(
        "time_zone",
        "The clock time is on, as an IANA name (e.g. America/New_York), when not the place's",
        lambda i, t, s: i.time_zone,
    ),
    Column("kind", KINDS.explained(), lambda i, t, s: i.kind),
    Column("title", "Headline as shown on the site", lambda i, t, s: incident_title(i, t.dataset)),
    Column(
        "base",
        "Site id: a base of bases.yaml, or unnamed-<country> for a site the "
        "reporting does not name; for a strike, the base it was near",
        _site("id"),
    ),
    Column("base_name", "Name of that base or site", _site("name")),
    Column(
        "base_type",
        f"What the base is: {BASE_TYPES.listing(' or ')}",
        lambda i, t, s: t.dataset.base_by_id[i.base].type if i.base else None,
    ),
    Column("location", "Place name (strikes; detail for attacks)", lambda i, t, s: i.location),
    Column(
        "country",
        "Country (for attacks, the base's country unless given)",
        lambda i, t, s: incident_country(i, t.dataset),
    ),
    Column("lat", "Latitude of the location, if recorded", lambda i, t, s: i.lat),
    Column("lon", "Longitude of the location, if recorded", lambda i, t, s: i.lon),
    Column(
        "location_precision",
        LOCATION_PRECISIONS.listing(" or "),
        lambda i, t, s: i.location_precision,
    ),
    Column(
        "weapon",
        f"{WEAPONS.listing(' or ')}; several separated by '; '",
        lambda i, t, s: "; ".join(i.weapons),
    ),
    Column("status", STATUSES.listing(" or "), lambda i, t, s: i.status),
    Column(
        "perpetrator",
        "Who is held responsible: an actor id (actors.yaml), or a name as reported",
        lambda i, t, s: i.perpetrator,
    ),
    Column(
        "perpetrator_name",
        "The actor's name, when perpetrator is an actor id",
        lambda i, t, s: a.name if (a := t.dataset.actor_of(i)) else None,
    ),
    Column("attribution", ATTRIBUTIONS.explained(), lambda i, t, s: i.attribution),
    Column(
        "claimed_by",
        "Actor ids of the groups that claimed it, as a source reports, separated by '; ' "
        "(who is held responsible is perpetrator)",
        lambda i, t, s: "; ".join(i.claimed_by),
    ),
    Column(
        "projectiles", "Rockets, rounds, drones or missiles fired", lambda i, t, s: i.projectiles
    ),
    Column("intercepted", "How many were intercepted", lambda i, t, s: i.intercepted),
    Column(
        "strikes",
        "For a strike: how many strikes the record stands for (empty: one)",
        lambda i, t, s: i.strikes,
    ),
    Column(
        "strike_count",
        "Strikes the record counts for on the site: 0 for an attack, strikes (or 1) for a strike",
        lambda i, t, s: i.counted_strikes,
    ),
    Column("target", "For a strike: what was struck", lambda i, t, s: i.target),
    Column(
        "targets",
        "For a strike: how many targets or facilities were struck",
        lambda i, t, s: i.targets,
    ),
    *(_casualty(side, outcome) for side in SIDES for outcome in OUTCOMES),
    Column("damage", "Damage reported", lambda i, t, s: i.damage),
    Column("summary", "What happened, in the project's words", lambda i, t, s: i.summary),
    Column("notes", "Analyst's notes", lambda i, t, s: i.notes),
    Column(
        "responds_to",
        "Ids of the incidents this one answered, separated by '; '",
        lambda i, t, s: "; ".join(i.responds_to),
    ),
    Column(
        "related",
        "Ids of related incidents, separated by '; '",
        lambda i, t, s: "; ".join(i.related),
    ),
    Column(
        "also_hit",
        "For an attack: ids of other bases hit in the same barrage, separated by '; ' (the "
        "attack counts once, at base)",
        lambda i, t, s: "; ".join(i.also_hit),
    ),
    Column(
        "distinct_from",
        "Ids of records reviewed as different events though they look alike, separated by '; '",
        lambda i, t, s: "; ".join(i.distinct_from),
    ),
    Column("tags", "Keywords, separated by '; '", lambda i, t, s: "; ".join(i.tags)),
    Column(
        "previous_ids",
        "Ids the record had before, separated by '; '",
        lambda i, t, s: "; ".join(i.previous_ids),
    ),
    Column(
        "source_count",
        "Number of sources (1: a single-source record)",
        lambda i, t, s: len(i.sources),
    ),
    Column(
        "source_publishers", "Publisher of each source, separated by '; '", _sources("publisher")
    ),
    Column("source_titles", "Title of each source, separated by '; '", _sources("title")),
    Column(
        "source_dates", "Publication date of each source, separated by '; '", _sources("published")
    ),
    Column(
        "source_urls",
        "Web address of each source (empty if none), separated by '; '",
        _sources("url"),
    ),
)


COUNT_COLUMNS = (
    ("month", "YYYY-MM"),
    ("base", "Site id: a base, or unnamed-<country>"),
    ("base_name", "Name of the base or site"),
    ("attacks", "Attacks recorded on the site in the month"),
    *((s, f"… of which {STATUSES.meanings[s]}") for s in reversed(STATUSES)),
    (
        "us_killed",
        "US personnel killed in the month's attacks on the site (2-5, 47+ as above; empty "
        "when no record of them states a number: not stated, not none)",
    ),
    ("us_injured", "US personnel injured in them (empty: not stated)"),
)

CASUALTY_COLUMNS = (
    ("id", "The incident's id"),
    ("side", SIDES.explained()),
    ("outcome", "killed or injured"),
    ("min", "The fewest the reports allow (empty: not given, 'up to …')"),
    ("max", "The most the reports allow (empty: not given, 'at least …')"),
    ("exact", "yes when min and max are the same number"),
)


def rows(stats: Stats, settings: Settings) -> list[dict[str, object]]:
    return [{c.name: c.value(i, stats, settings) for c in COLUMNS} for i in stats.dataset.incidents]


def incidents_csv(table: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(c.name for c in COLUMNS)
    for row in table:
        writer.writerow(escape.csv_cell(v) for v in row.values())
    return out.getvalue().encode("utf-8")


def casualties_csv(stats: Stats) -> tuple[int, bytes]:
    """One row per incident, side and outcome that the records give a number for."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(name for name, _ in CASUALTY_COLUMNS)
    n = 0
    for incident in stats.dataset.incidents:
        for side, numbers in (incident.casualties.by_side() if incident.casualties else {}).items():
            for outcome, number in numbers.given().items():
                writer.writerow(
                    [
                        incident.id,
                        side,
                        outcome,
                        _cell(number.min),
                        _cell(number.max),
                        "yes" if number.exact else "no",
                    ]
                )
                n += 1
    return n, out.getvalue().encode("utf-8")


def _cell(value: int | None) -> str | int:
    return "" if value is None else value


def incidents_json(stats: Stats, settings: Settings, version: Version) -> bytes:
    dataset = stats.dataset
    records = []
    for i in dataset.incidents:
        record = i.model_dump(mode="json", exclude_none=True)
        site = stats.site_of(i)
        record["derived"] = {
            "title": incident_title(i, dataset),
            "url": settings.permalink(incident_url(i.id)),
            "site": site.id if site else None,
            "site_name": site.name if site else None,
            "country": incident_country(i, dataset),
            "weapons": list(i.weapons),
            "strike_count": i.counted_strikes,
            "perpetrator_name": a.name if (a := dataset.actor_of(i)) else None,
        }
        records.append(record)
    document = {
        "title": dataset.info.title,
        "version": version.label,
        **version_fields(version),
        "count": len(records),
        "incidents": records,
    }
    return _json(document)


def version_fields(version: Version) -> dict[str, object]:
    """The data version, for programs: the commit (None without git), its date, and whether
    the data folder had changes not yet committed."""
    return {
        "data_version": version.commit,
        "data_version_date": version.date.isoformat(),
        "data_version_modified": version.modified,
    }


def incidents_table_json(
    dataset: Dataset, table: list[dict[str, object]], version: Version
) -> bytes:
    """The incidents file's rows as JSON, each value as the CSV is written from it (before
    its cells are escaped): what tables.js builds a table's download of the rows shown
    from, so that its CSV has the same columns, values and escaping as incidents.csv."""
    return _json(
        {
            "title": dataset.info.title,
            "version": version.label,
            **version_fields(version),
            "columns": [c.name for c in COLUMNS],
            "count": len(table),
            "rows": [list(row.values()) for row in table],
        }
    )


# What a map needs of each incident; the full records are in the CSV and JSON files.
GEO_PROPERTIES = (
    "id",
    "url",
    "date",
    "date_precision",
    "kind",
    "title",
    "base",
    "base_name",
    "location",
    "country",
    "location_precision",
    "weapon",
    "status",
)


def incidents_geojson(
    stats: Stats, table: list[dict[str, object]], settings: Settings, version: Version
) -> bytes:
    dataset = stats.dataset
    features = []
    for row, incident in zip(table, dataset.incidents, strict=True):
        point, source = _coordinates(incident, dataset)
        properties = {k: row[k] for k in GEO_PROPERTIES}
        features.append(
            {
                "type": "Feature",
                "id": incident.id,
                "geometry": {"type": "Point", "coordinates": point} if point else None,
                "properties": {**properties, "coordinates_from": source},
            }
        )
    return _json(
        {
            "type": "FeatureCollection",
            "name": dataset.info.title,
            "version": version.label,
            "features": features,
        }
    )


def _coordinates(incident: Incident, dataset: Dataset) -> tuple[list[float] | None, str | None]:
    """[lon, lat] of the incident, else of its base (for GeoJSON), and where they came from."""
    if incident.lat is not None and incident.lon is not None:
        return [incident.lon, incident.lat], "incident"
    base = dataset.base_by_id.get(incident.base or "")
    if base is not None and base.lat is not None and base.lon is not None:
        return [base.lon, base.lat], "base"
    return None, None


def counts_csv(stats: Stats) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(name for name, _ in COUNT_COLUMNS)
    for month in stats.months:
        month_attacks = stats.attacks_in(stats.by_month.get(month, ()))
        for place in stats.sites:
            status = [stats.attack_status_counts[(place.id, month, s)] for s in reversed(STATUSES)]
            here = [i for i in month_attacks if (s := stats.site_of(i)) and s.id == place.id]
            us = stats.casualties(here, "us")
            writer.writerow(
                [
                    month,
                    place.id,
                    escape.csv_cell(place.name),
                    stats.attack_counts[(place.id, month)],
                    *status,
                    us.killed.cell if us.killed else "",
                    us.injured.cell if us.injured else "",
                ]
            )
    return out.getvalue().encode("utf-8")


class FeedAddress:
    """Addresses in an Atom feed at the site's root. With the site's address they are
    absolute. Without it, links are relative (Atom resolves them against the feed's own
    address, wherever it is served) and ids, which Atom wants absolute and never changing,
    are ``urn:uuid:`` names made from the dataset's title and the page: no made-up site."""

    def __init__(self, settings: Settings, title: str) -> None:
        self.root = settings.site_url
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, "incident-tracker:" + title)

    def link(self, url: str) -> str:
        """A site-root-relative URL ('' for the home page) as the feed links it."""
        return (self.root or "") + url or "./"

    def id(self, url: str) -> str:
        return self.root + url if self.root else uuid.uuid5(self.namespace, url).urn


def atom_feed(dataset: Dataset, settings: Settings, version: Version, history: History) -> bytes:
    """The latest incidents, newest first. Dates come from the data, never from the clock."""
    address = FeedAddress(settings, dataset.info.title)
    feed = FeedGenerator()
    feed.id(address.id(""))
    feed.title(f"{dataset.info.title}: latest incidents")
    feed.subtitle("New and updated incident records, with their summaries.")
    feed.link(href=address.link(""), rel="alternate")
    feed.link(href=address.link("feed.xml"), rel="self")
    feed.language("en")
    feed.updated(midnight_utc(version.date))
    for incident in list(reversed(dataset.incidents))[:FEED_ENTRIES]:
        url = incident_url(incident.id)
        entry = feed.add_entry(order="append")
        entry.id(address.id(url))
        entry.title(incident_title(incident, dataset))
        entry.link(href=address.link(url))
        entry.published(midnight_utc(incident.date))
        changed = history.changed.get(dataset.files.get(incident.id, ""), incident.date)
        entry.updated(midnight_utc(changed))
        entry.summary(incident.summary)
        entry.category(term=incident.kind)
        entry.author(name=dataset.info.title)
    atom: bytes = feed.atom_str(pretty=True)
    return atom


def corrections_feed(
    dataset: Dataset, settings: Settings, version: Version, history: History
) -> bytes:
    """The latest corrections (and removals) of published records, newest first, each with
    what changed and the commit's reason. Dates come from git's history, never the clock."""
    address = FeedAddress(settings, dataset.info.title)
    feed = FeedGenerator()
    feed.id(address.id(CORRECTIONS_PAGE))
    feed.title(f"{dataset.info.title}: corrections")
    feed.subtitle(
        "Changes to published incident records after they first appeared, newest first."
        if history.state != NO_HISTORY
        else "This copy of the site was built without the data's history: no change is listed."
    )
    feed.link(href=address.link(CORRECTIONS_PAGE), rel="alternate")
    feed.link(href=address.link("corrections.xml"), rel="self")
    feed.language("en")
    latest = history.log[0].commit.date if history.log else version.date
    feed.updated(midnight_utc(latest))
    for correction in history.log[:FEED_ENTRIES]:
        incident = dataset.incident_by_id.get(correction.record)
        entry = feed.add_entry(order="append")
        entry.id(address.id(f"{CORRECTIONS_PAGE}#{correction.anchor}"))
        if incident is None:
            entry.title(f"Removed: record {correction.record}")
            entry.link(href=address.link(f"{CORRECTIONS_PAGE}#{correction.anchor}"))
        else:
            entry.title(f"Corrected: {incident_title(incident, dataset)}")
            entry.link(href=address.link(incident_url(incident.id)))
        when = midnight_utc(correction.commit.date)
        entry.published(when)
        entry.updated(when)
        changed = (
            "The record was removed from the data."
            if correction.removed
            else "Changed: "
            + " | ".join(as_read(c, dataset).text for c in correction.changes)
            + "."
        )
        entry.summary(f"{changed} Reason: {correction.commit.subject} ({correction.commit.short}).")
        entry.author(name=dataset.info.title)
    atom: bytes = feed.atom_str(pretty=True)
    return atom


def build_exports(
    stats: Stats, settings: Settings, version: Version, history: History
) -> tuple[Export, ...]:
    dataset = stats.dataset
    n = len(dataset.incidents)
    table = rows(stats, settings)
    schema = json.dumps(incident_json_schema(dataset), indent=2, ensure_ascii=False) + "\n"
    casualty_rows, casualties = casualties_csv(stats)
    return (
        Export("data/incidents.csv", "All incidents", "CSV", n, incidents_csv(table)),
        Export(
            INCIDENTS_JSON,
            "All incidents, full records",
            "JSON",
            n,
            incidents_json(stats, settings, version),
        ),
        Export(
            TABLE_JSON,
            "All incidents, the CSV's columns as JSON (for the tables' downloads)",
            "JSON",
            n,
            incidents_table_json(dataset, table, version),
            listed=False,
        ),
        Export(
            "data/incidents.geojson",
            "All incidents, with coordinates where known",
            "GeoJSON",
            n,
            incidents_geojson(stats, table, settings, version),
        ),
        Export(
            "data/casualties.csv",
            "Casualties by incident, side and outcome",
            "CSV",
            casualty_rows,
            casualties,
        ),
        Export(
            "data/attacks-by-base-and-month.csv",
            "Attacks by base and month",
            "CSV",
            len(stats.months) * len(stats.sites),
            counts_csv(stats),
        ),
        Export("data/incident.schema.json", "The record format", "JSON Schema", 0, schema.encode()),
        Export(
            "feed.xml",
            "Latest incidents",
            "Atom feed",
            min(n, FEED_ENTRIES),
            atom_feed(dataset, settings, version, history),
        ),
        Export(
            "corrections.xml",
            "Corrections to published records",
            "Atom feed",
            min(len(history.log), FEED_ENTRIES),
            corrections_feed(dataset, settings, version, history),
        ),
    )


def _json(document: object) -> bytes:
    """Compact JSON (with ``indent``, json falls back to its slow pure-Python encoder)."""
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
