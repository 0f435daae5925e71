"""Downloads: the incidents as CSV, JSON and GeoJSON, counts by base and month, the schema,
and an Atom feed of the latest incidents. Every incident file gives exactly one row.

The CSV columns are described once, in ``COLUMNS``; the Data page documents them from there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from feedgen.feed import FeedGenerator

from generator import escape
from generator.dates import midnight_utc
from generator.history import Version
from generator.model import (
    ATTRIBUTIONS,
    DATE_PRECISIONS,
    KINDS,
    LOCATION_PRECISIONS,
    STATUSES,
    WEAPONS,
    Dataset,
    Incident,
    incident_json_schema,
)
from generator.settings import Settings
from generator.stats import Stats
from generator.wording import incident_country, incident_title, incident_url

FEED_ENTRIES = 50


@dataclass(frozen=True)
class Export:
    """A file readers can download, and what it holds."""

    path: str  # relative to docs/ (and the site root)
    title: str
    format: str
    rows: int  # incidents (or count rows, or feed entries) it holds
    data: bytes


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[Incident, Dataset, Settings], Any]


def _sources(field: str) -> Callable[[Incident, Dataset, Settings], str]:
    return lambda i, d, s: "; ".join(str(getattr(src, field) or "") for src in i.sources)


def _casualty(field: str) -> Callable[[Incident, Dataset, Settings], Any]:
    return lambda i, d, s: getattr(i.casualties, field) if i.casualties else None


COLUMNS = (
    Column("id", "Permanent id of the record (its file name)", lambda i, d, s: i.id),
    Column("url", "Permanent address of the incident's page", lambda i, d, s:
           s.permalink(incident_url(i.id))),
    Column("date", "Day of the incident, YYYY-MM-DD", lambda i, d, s: i.date.isoformat()),
    Column("date_precision", DATE_PRECISIONS.explained(), lambda i, d, s: i.date_precision),
    Column("kind", KINDS.explained(), lambda i, d, s: i.kind),
    Column("title", "Headline as shown on the site", lambda i, d, s: incident_title(i, d)),
    Column("base", "Base id (data/bases.yaml); for a strike, the base it was near",
           lambda i, d, s: i.base),
    Column("base_name", "Name of that base",
           lambda i, d, s: d.base_by_id[i.base].name if i.base else None),
    Column("location", "Place name (strikes; detail for attacks)", lambda i, d, s: i.location),
    Column("country", "Country (for attacks, the base's country unless given)",
           lambda i, d, s: incident_country(i, d)),
    Column("lat", "Latitude of the location, if recorded", lambda i, d, s: i.lat),
    Column("lon", "Longitude of the location, if recorded", lambda i, d, s: i.lon),
    Column("location_precision", LOCATION_PRECISIONS.listing(" or "), lambda i, d, s:
           i.location_precision),
    Column("weapon", WEAPONS.listing(" or "), lambda i, d, s: i.weapon),
    Column("status", STATUSES.listing(" or "), lambda i, d, s: i.status),
    Column("perpetrator", "Group held responsible, if any", lambda i, d, s: i.perpetrator),
    Column("attribution", ATTRIBUTIONS.explained(), lambda i, d, s: i.attribution),
    Column("projectiles", "Rockets, rounds, drones or missiles fired", lambda i, d, s:
           i.projectiles),
    Column("intercepted", "How many were intercepted", lambda i, d, s: i.intercepted),
    Column("strikes", "For a strike: how many strikes the record stands for (empty: one)",
           lambda i, d, s: i.strikes),
    Column("killed", "People killed (empty: not known)", _casualty("killed")),
    Column("injured", "People injured (empty: not known)", _casualty("injured")),
    Column("damage", "Damage reported", lambda i, d, s: i.damage),
    Column("summary", "What happened, in the project's words", lambda i, d, s: i.summary),
    Column("notes", "Analyst's notes", lambda i, d, s: i.notes),
    Column("responds_to", "Ids of the incidents this one answered, separated by '; '",
           lambda i, d, s: "; ".join(i.responds_to)),
    Column("related", "Ids of related incidents, separated by '; '",
           lambda i, d, s: "; ".join(i.related)),
    Column("tags", "Keywords, separated by '; '", lambda i, d, s: "; ".join(i.tags)),
    Column("previous_ids", "Ids the record had before, separated by '; '",
           lambda i, d, s: "; ".join(i.previous_ids)),
    Column("source_count", "Number of sources", lambda i, d, s: len(i.sources)),
    Column("source_publishers", "Publisher of each source, separated by '; '",
           _sources("publisher")),
    Column("source_titles", "Title of each source, separated by '; '", _sources("title")),
    Column("source_dates", "Publication date of each source, separated by '; '",
           _sources("published")),
    Column("source_urls", "Web address of each source (empty if none), separated by '; '",
           _sources("url")),
)  # fmt: skip

COUNT_COLUMNS = (
    ("month", "YYYY-MM"),
    ("base", "Base id"),
    ("base_name", "Name of the base"),
    ("attacks", "Attacks recorded on the base in the month"),
    *((s, f"… of which {STATUSES.meanings[s]}") for s in reversed(STATUSES)),
)


def rows(dataset: Dataset, settings: Settings) -> list[dict[str, Any]]:
    return [{c.name: c.value(i, dataset, settings) for c in COLUMNS} for i in dataset.incidents]


def incidents_csv(table: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(c.name for c in COLUMNS)
    for row in table:
        writer.writerow(escape.csv_cell(v) for v in row.values())
    return out.getvalue().encode("utf-8")


def incidents_json(dataset: Dataset, settings: Settings, version: Version) -> bytes:
    records = []
    for i in dataset.incidents:
        record = i.model_dump(mode="json")
        record["derived"] = {
            "title": incident_title(i, dataset),
            "url": settings.permalink(incident_url(i.id)),
            "base_name": dataset.base_by_id[i.base].name if i.base else None,
            "country": incident_country(i, dataset),
        }
        records.append(record)
    document = {
        "title": settings.site_name,
        "version": version.label,
        "count": len(records),
        "incidents": records,
    }
    return _json(document)


# What a map needs of each incident; the full records are in the CSV and JSON files.
GEO_PROPERTIES = ("id", "url", "date", "date_precision", "kind", "title", "base", "base_name",
                  "location", "country", "location_precision", "weapon", "status")  # fmt: skip


def incidents_geojson(
    dataset: Dataset, table: list[dict[str, Any]], settings: Settings, version: Version
) -> bytes:
    features = []
    for row, incident in zip(table, dataset.incidents, strict=True):
        point, source = _coordinates(incident, dataset)
        properties = {k: row[k] for k in GEO_PROPERTIES}
        features.append({
            "type": "Feature",
            "id": incident.id,
            "geometry": {"type": "Point", "coordinates": point} if point else None,
            "properties": {**properties, "coordinates_from": source},
        })  # fmt: skip
    return _json({"type": "FeatureCollection", "name": settings.site_name,
                  "version": version.label, "features": features})  # fmt: skip


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
        for base in stats.dataset.bases:
            status = [stats.attack_status_counts[(base.id, month, s)]
                      for s in reversed(STATUSES)]  # fmt: skip
            writer.writerow([month, base.id, escape.csv_cell(base.name),
                             stats.attack_counts[(base.id, month)], *status])  # fmt: skip
    return out.getvalue().encode("utf-8")


def atom_feed(
    dataset: Dataset, settings: Settings, version: Version, changed: dict[str, dt.date]
) -> bytes:
    """The latest incidents, newest first. Dates come from the data, never from the clock."""
    root = settings.site_url or "/"
    feed = FeedGenerator()
    feed.id(root)
    feed.title(f"{settings.site_name}: latest incidents")
    feed.subtitle("New and updated incident records, with their summaries.")
    feed.link(href=root, rel="alternate")
    feed.link(href=root + "feed.xml", rel="self")
    feed.language("en")
    feed.updated(midnight_utc(version.date))
    for incident in list(reversed(dataset.incidents))[:FEED_ENTRIES]:
        url = settings.permalink(incident_url(incident.id))
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(incident_title(incident, dataset))
        entry.link(href=url)
        entry.published(midnight_utc(incident.date))
        entry.updated(midnight_utc(changed.get(dataset.files.get(incident.id, ""), incident.date)))
        entry.summary(incident.summary)
        entry.category(term=incident.kind)
        entry.author(name=settings.site_name)
    atom: bytes = feed.atom_str(pretty=True)
    return atom


def build_exports(
    stats: Stats, settings: Settings, version: Version, changed: dict[str, dt.date]
) -> tuple[Export, ...]:
    dataset = stats.dataset
    n = len(dataset.incidents)
    table = rows(dataset, settings)
    schema = json.dumps(incident_json_schema(), indent=2, ensure_ascii=False) + "\n"
    return (
        Export("data/incidents.csv", "All incidents", "CSV", n, incidents_csv(table)),
        Export("data/incidents.json", "All incidents, full records", "JSON", n,
               incidents_json(dataset, settings, version)),
        Export("data/incidents.geojson", "All incidents, with coordinates where known",
               "GeoJSON", n, incidents_geojson(dataset, table, settings, version)),
        Export("data/attacks-by-base-and-month.csv", "Attacks by base and month", "CSV",
               len(stats.months) * len(dataset.bases), counts_csv(stats)),
        Export("data/incident.schema.json", "The record format", "JSON Schema",
               0, schema.encode()),
        Export("feed.xml", "Latest incidents", "Atom feed", min(n, FEED_ENTRIES),
               atom_feed(dataset, settings, version, changed)),
    )  # fmt: skip


def _json(document: Any) -> bytes:
    """Compact JSON (with ``indent``, json falls back to its slow pure-Python encoder)."""
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
