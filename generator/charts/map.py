"""The map: bases sized by the attacks on them, other places attacked, and US strikes sized by
how many hit each place. charts.js labels them where their labels find room at the size the
map is drawn (the most attacked first), and writes each country's name at the first of the
spots this module offers inside its outline."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator import escape
from generator.model import Dataset, Incident
from generator.stats import AttackSite, Stats
from generator.vocabularies import LOCATION_PRECISIONS
from generator.wording import (
    and_list,
    incident_date,
    incident_place,
    incident_title,
    incident_url,
    plural,
)

from .figure import (
    ATTACK,
    OTHER,
    QUIET_TEXT,
    RING,
    STRIKE,
    Cell,
    Chart,
    Row,
    Table,
    figure,
    site_cell,
    trace,
)
from .outlines import country_ids, mercator, name_spots


@dataclass
class _Mark:
    """One marker on the map: a base with the attacks on it, or the attacks (or strikes)
    at one position."""

    kind: str  # "base", "attack" or "strike"
    lat: float
    lon: float
    names: list[str]
    link: str
    precision: str
    incidents: list[Incident]
    beside: bool = False  # strikes placed at a base: drawn just beside its marker

    @property
    def name(self) -> str:
        shown = self.names[:2]
        return " · ".join(shown) + (f" +{len(self.names) - 2}" if len(self.names) > 2 else "")

    @property
    def label(self) -> str:
        """What the map writes beside it: a base's name; a place's, in a few words."""
        if self.kind == "base":
            return self.names[0]
        first = re.split(r"[,(;]| / ", self.names[0])[0].strip()
        first = first if len(first) <= 24 else first[:23].rstrip() + "…"
        return first + (f" +{len(self.names) - 1}" if len(self.names) > 1 else "")

    @property
    def short_label(self) -> str:
        """The label on a phone: a base's name without what its brackets add."""
        return self.label.split(" (")[0] if self.kind == "base" else self.label

    @property
    def rank(self) -> tuple[int, int, str]:
        """Whose label is placed first: bases by the attacks on them, then other places by
        their incidents, then bases with none."""
        if self.kind == "base":
            return (0 if self.incidents else 2, -len(self.incidents), self.names[0])
        return (1, -len(self.incidents), self.names[0])

    @property
    def shown_at(self) -> tuple[float, float]:
        return (self.lat - 0.12, self.lon + 0.16) if self.beside else (self.lat, self.lon)


def _mark_size(n: int) -> float:
    return round(min(44.0, 10 + 6 * math.sqrt(n)), 1)


MAP_ASPECT = 1.8  # the map's usual width over its height, in px: the ranges fill that shape
NEIGHBOUR_DEPTH = 3  # grid steps of room a neighbouring country needs to be named


def _map_marks(stats: Stats) -> list[_Mark]:
    """The markers: every base with coordinates, then the attacks and the strikes by
    position (stats.position), in the order of the records."""
    dataset = stats.dataset
    marks: dict[tuple[str, object], _Mark] = {}
    for b in dataset.bases:
        if b.lat is not None and b.lon is not None:
            marks[("base", b.id)] = _Mark(
                "base",
                b.lat,
                b.lon,
                [b.name],
                f"bases/{b.id}/",
                _precision(b.location_precision),
                [],
            )
    for i in dataset.incidents:
        where = stats.position(i)
        if where is None:
            continue
        if i.is_attack and where.at_base and i.base is not None:
            marks[("base", i.base)].incidents.append(i)
            continue
        key = (i.kind, (round(where.lat, 2), round(where.lon, 2)))
        # An attack on a site the reporting does not name is drawn at its own position under
        # its own words, never as "Unnamed site in <country>": that site is no place.
        place = (
            (i.location or incident_title(i, dataset))
            if i.is_attack and i.base is None
            else (incident_place(i, dataset) or incident_title(i, dataset))
        )
        if key not in marks:
            precision = _precision(where.precision)
            marks[key] = _Mark(
                i.kind,
                where.lat,
                where.lon,
                [],
                incident_url(i.id),
                f"at its base ({precision})"
                if where.at_base
                else f"at {where.place} ({precision}), from the gazetteer"
                if where.place
                else precision,
                [],
                beside=where.at_base,
            )
        mark = marks[key]
        mark.incidents.append(i)
        if place not in mark.names:
            mark.names.append(place)
    for m in marks.values():
        if m.kind != "base" and len(m.incidents) > 1:
            m.link = incident_url(m.incidents[-1].id)  # the latest; the hover lists the rest
    return list(marks.values())


def incident_map(stats: Stats) -> Chart | None:
    """Bases sized by the attacks on them, other places attacked, and US strikes sized by
    how many there were at each place: every incident at its own position or its base's.
    Attacks on sites the reporting does not name, without a position of their own, are
    counted in the table by country, not drawn."""
    dataset = stats.dataset
    marks = _map_marks(stats)
    if not marks:
        return None
    size = {
        id(m): _mark_size(
            stats.count(m.incidents).strikes if m.kind == "strike" else len(m.incidents)
        )
        for m in marks
    }
    lats = [m.shown_at[0] for m in marks]
    lons = [m.shown_at[1] for m in marks]
    pad = 1.2
    lat_range = _span(min(lats) - pad, max(lats) + pad, 5)
    tall = mercator(lat_range[1]) - mercator(lat_range[0])
    lon_range = _span(min(lons) - pad, max(lons) + pad, tall * MAP_ASPECT)
    # The order labels are placed in (charts.js): the most attacked bases first.
    rank = {id(m): n for n, m in enumerate(sorted(marks, key=lambda m: m.rank))}

    def layer(
        group: list[_Mark],
        name: str,
        symbol: str,
        colours: list[str],
        what: str,
        count: Callable[[_Mark], str],
    ) -> dict[str, object]:
        return trace(
            "scattergeo",
            lat=[m.shown_at[0] for m in group],
            lon=[m.shown_at[1] for m in group],
            mode="markers+text",
            name=name,
            text=[escape.plotly(m.label) for m in group],
            textposition="middle right",
            textfont={"size": 12},
            marker={
                "size": [size[id(m)] for m in group],
                "symbol": symbol,
                "color": colours,
                "opacity": 0.9,
                "line": {"width": 1, "color": RING},
            },
            customdata=[
                [escape.plotly(m.name), what, count(m), _listing(m, dataset), m.link] for m in group
            ],
            hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{customdata[2]}"
            "%{customdata[3]}<extra></extra>",
            meta={
                "labels": {
                    "rank": [rank[id(m)] for m in group],
                    "short": [escape.plotly(m.short_label) for m in group],
                }
            },
        )

    bases = [m for m in marks if m.kind == "base"]
    attacks = [m for m in marks if m.kind == "attack"]
    strikes = [m for m in marks if m.kind == "strike"]
    traces = []
    if names := _country_names(stats, marks, lat_range, lon_range):
        traces.append(names)
    if strikes:  # under the bases, so that a strike beside a base never hides it
        traces.append(
            layer(
                strikes,
                "US strikes (size: strikes)",
                "diamond",
                [STRIKE] * len(strikes),
                "US strikes",
                lambda m: (
                    plural(stats.count(m.incidents).strikes, "US strike")
                    + (" near the base, no position of their own" if m.beside else "")
                ),
            )
        )
    if bases:
        traces.append(
            layer(
                bases,
                "Bases (size: attacks; grey: none recorded)",
                "circle",
                [ATTACK if m.incidents else OTHER for m in bases],
                "base",
                lambda m: (
                    plural(len(m.incidents), "attack")
                    + " · "
                    + plural(stats.strikes_near_site[_base_id(m)], "US strike")
                    + " nearby"
                ),
            )
        )
    if attacks:
        traces.append(
            layer(
                attacks,
                "Attacks placed by their own reports",
                "square",
                [ATTACK] * len(attacks),
                "attack",
                lambda m: plural(len(m.incidents), "attack"),
            )
        )
    fig = figure(
        traces,
        geo={
            "scope": "asia",
            "resolution": 50,
            "projection": {"type": "mercator"},
            "lataxis": {"range": lat_range},
            "lonaxis": {"range": lon_range},
            "showcountries": True,
            "showland": True,
            "showlakes": True,
            "showrivers": True,
            "showocean": False,
            "showframe": False,
        },
        legend={"orientation": "h", "y": -0.05, "traceorder": "reversed"},
        dragmode=False,
        meta={"link": -1},  # the last customdata entry is the page a click opens
    )
    rows: list[Row] = []
    for m in bases:
        rows.append(
            (
                site_cell(stats.site_by_id[_base_id(m)]),
                "Base",
                f"{m.lat:.2f}",
                f"{m.lon:.2f}",
                m.precision,
                len(m.incidents),
                "",
            )
        )
    for m in attacks:
        rows.append(
            (
                Cell(m.name, m.link),
                "Attack",
                f"{m.lat:.2f}",
                f"{m.lon:.2f}",
                m.precision,
                len(m.incidents),
                "",
            )
        )
    for m in strikes:
        rows.append(
            (
                Cell(m.name, m.link),
                "US strikes",
                f"{m.lat:.2f}",
                f"{m.lon:.2f}",
                m.precision,
                "",
                stats.count(m.incidents).strikes,
            )
        )
    unnamed = _unnamed_unplaced(stats)
    for site, n in unnamed:
        rows.append((site_cell(site), "Attacks, site not named", "", "", "country only", n, ""))
    not_named = sum(n for _, n in unnamed)
    unplaced = stats.count(i for i in stats.unplaced if not _unnamed_site(i))
    missing = [
        plural(n, w)
        for n, w in ((unplaced.attacks, "attack"), (unplaced.strikes, "US strike"))
        if n
    ]
    unshown = unplaced.attacks + unplaced.strikes
    return Chart(
        id="map",
        title="Map of bases, attacks and US strikes",
        caption="Bases hosting US forces, sized by the attacks recorded on each (grey: none "
        "recorded); attacks placed by their own reports rather than at a base; and US "
        "strikes, sized by how many hit each place. Each incident is placed at its own "
        "coordinates, else at the place its location names in the project's gazetteer, else "
        "at its base (strikes just beside it)"
        + (
            f"; {and_list(missing)} {'has' if unshown == 1 else 'have'} neither and "
            f"{'is' if unshown == 1 else 'are'} not shown"
            if missing
            else ""
        )
        + (
            f"; the table counts by country the {plural(not_named, 'attack')} on sites the "
            "reporting does not name, which the map leaves out: only the country is known"
            if not_named
            else ""
        )
        + ("" if missing or not_named else "; every incident is shown")
        + ". Most positions are approximate; the table says how exact each is. Where there "
        "is no room for a label, tap or hover over the marker, or see the table.",
        figure=fig,
        table=Table(
            ("Place", "Type", "Latitude", "Longitude", "Position", "Attacks", "US strikes"),
            tuple(rows),
        ),
        height=560,
    )


def _unnamed_site(incident: Incident) -> bool:
    return incident.is_attack and incident.base is None


def _unnamed_unplaced(stats: Stats) -> list[tuple[AttackSite, int]]:
    """Attacks on sites the reporting does not name, with no position of their own: how
    many in each country (an unnamed site is a country's, not a place)."""
    counts: dict[str, int] = {}
    for i in stats.unplaced:
        if _unnamed_site(i) and (site := stats.site_of(i)) is not None:
            counts[site.id] = counts.get(site.id, 0) + 1
    return [(stats.site_by_id[k], n) for k, n in sorted(counts.items())]


def _country_names(
    stats: Stats, marks: list[_Mark], lat_range: list[float], lon_range: list[float]
) -> dict[str, object] | None:
    """The countries' names, for orientation: every country of the dataset (required) and
    the neighbours with room in view. Each is drawn at the first of its spots that charts.js
    finds free; a dataset country whose outline is not known is named at its bases."""
    scope = list(stats.dataset.info.countries)
    names, spots, required = [], [], []
    for country in [*scope, *(c for c in country_ids() if c not in scope)]:
        found, depth = name_spots(country, lat_range, lon_range)
        if country in scope and not found:
            found = _at_its_bases(stats, marks, country)
        if not found or (country not in scope and depth < NEIGHBOUR_DEPTH):
            continue
        names.append(country.upper())
        spots.append([list(spot) for spot in found])
        required.append(country in scope)
    if not names:
        return None
    return trace(
        "scattergeo",
        lat=[s[0][0] for s in spots],
        lon=[s[0][1] for s in spots],
        text=[escape.plotly(n) for n in names],
        mode="text",
        hoverinfo="skip",
        showlegend=False,
        textfont={"size": 13, "color": QUIET_TEXT},
        meta={"countries": {"spots": spots, "required": required}},
    )


def _at_its_bases(stats: Stats, marks: list[_Mark], country: str) -> list[tuple[float, float]]:
    """The middle of a country's bases on the map, for a country without an outline."""
    placed = [
        m.shown_at
        for m in marks
        if m.kind == "base" and stats.site_by_id[_base_id(m)].country == country
    ]
    if not placed:
        return []
    return [
        (
            round(sum(p[0] for p in placed) / len(placed), 3),
            round(sum(p[1] for p in placed) / len(placed), 3),
        )
    ]


def _base_id(mark: _Mark) -> str:
    return mark.link.removeprefix("bases/").removesuffix("/")


def _listing(mark: _Mark, dataset: Dataset) -> str:
    """The incidents behind a marker, for its hover: the latest five."""
    if not mark.incidents:
        return ""
    latest = mark.incidents[-5:][::-1]
    lines = [f"{escape.plotly(incident_title(i, dataset))}, {incident_date(i)}" for i in latest]
    more = len(mark.incidents) - len(latest)
    return "<br>" + "<br>".join(lines) + (f"<br>and {more:,} more" if more else "")


def _precision(value: str | None) -> str:
    return LOCATION_PRECISIONS.meanings[value] if value else "not stated"


def _span(low: float, high: float, minimum: float) -> list[float]:
    """A range at least ``minimum`` wide, centred on the data."""
    if high - low >= minimum:
        return [round(low, 2), round(high, 2)]
    middle = (low + high) / 2
    return [round(middle - minimum / 2, 2), round(middle + minimum / 2, 2)]
