"""The map: bases sized by the attacks on them, other attack sites, and US strikes sized by how
many hit each place, each labelled where its label finds room."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator import escape
from generator.model import Dataset, Incident
from generator.stats import Stats
from generator.vocabularies import LOCATION_PRECISIONS
from generator.wording import (
    and_list,
    incident_date,
    incident_place,
    incident_title,
    incident_url,
    plural,
)

from .figure import ATTACK, OTHER, RING, STRIKE, Cell, Chart, Row, Table, figure, site_cell, trace


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
    def shown_at(self) -> tuple[float, float]:
        return (self.lat - 0.12, self.lon + 0.16) if self.beside else (self.lat, self.lon)


def _mark_size(n: int) -> float:
    return round(min(44.0, 10 + 6 * math.sqrt(n)), 1)


MAP_ASPECT = 1.8  # the map's usual width over its height, in px: the ranges fill that shape
MAP_LABELS = 40  # places other than bases that may have a label (the rest: hover, table)


def _mercator(lat: float) -> float:
    """How far north a latitude is drawn, in the units of a degree of longitude."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


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
        place = incident_place(i, dataset) or incident_title(i, dataset)
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
    """Bases sized by the attacks on them, other attack sites, and US strikes sized by how
    many there were at each place: every incident at its own position or its base's."""
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
    tall = _mercator(lat_range[1]) - _mercator(lat_range[0])
    lon_range = _span(min(lons) - pad, max(lons) + pad, tall * MAP_ASPECT)
    names = [
        (n, la, lo)
        for n, la, lo in COUNTRY_LABELS
        if lat_range[0] < la < lat_range[1] and lon_range[0] < lo < lon_range[1]
    ]
    # Every base is labelled; of the other places, the MAP_LABELS with most incidents where
    # their label finds room (a strike beside a base has the base's label).
    others = sorted(
        (m for m in marks if m.kind != "base" and not m.beside), key=lambda m: -size[id(m)]
    )[:MAP_LABELS]
    labelled = [m for m in marks if m.kind == "base"] + others
    places = _label_positions(
        [(*m.shown_at, m.label, size[id(m)], m.kind == "base") for m in labelled],
        [(la, lo, n) for n, la, lo in names],
        lat_range,
        lon_range,
    )
    label_at = {id(m): place for m, place in zip(labelled, places, strict=True) if place}

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
            text=[escape.plotly(m.label) if id(m) in label_at else "" for m in group],
            textposition=[label_at.get(id(m), "middle right") for m in group],
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
        )

    bases = [m for m in marks if m.kind == "base"]
    attacks = [m for m in marks if m.kind == "attack"]
    strikes = [m for m in marks if m.kind == "strike"]
    traces = []
    if names:  # for orientation; the outlines carry no names
        traces.append(
            trace(
                "scattergeo",
                lat=[la for _, la, _ in names],
                lon=[lo for _, _, lo in names],
                text=[n for n, _, _ in names],
                mode="text",
                hoverinfo="skip",
                showlegend=False,
                textfont={"size": 13, "color": OTHER},
            )
        )
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
                "Attacks at other sites",
                "circle",
                [ATTACK] * len(attacks),
                "attack site",
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
                "Attack site",
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
    unplaced = stats.count(stats.unplaced)
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
        "recorded); attacks at sites that are not bases of the list; and US strikes, sized by "
        "how many hit each place. Each incident is placed at its own coordinates, else at the "
        "place its location names in the project's gazetteer, else at its base (strikes just "
        "beside it)"
        + (
            f"; {and_list(missing)} {'has' if unshown == 1 else 'have'} neither and "
            f"{'is' if unshown == 1 else 'are'} not shown"
            if missing
            else "; every incident is shown"
        )
        + ". Most positions are approximate; the table says how exact each is.",
        figure=fig,
        table=Table(
            ("Place", "Type", "Latitude", "Longitude", "Position", "Attacks", "US strikes"),
            tuple(rows),
        ),
        height=560,
    )


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


# Where a label may sit beside its marker, in order of preference.
_LABEL_PLACES = (
    "middle right",
    "middle left",
    "top center",
    "bottom center",
    "top right",
    "bottom right",
    "top left",
    "bottom left",
)
_Box = tuple[float, float, float, float]


def _label_positions(
    points: list[tuple[float, float, str, float, bool]],
    fixed: list[tuple[float, float, str]],
    lat_range: list[float],
    lon_range: list[float],
    *,
    height: int = 480,
) -> list[str]:
    """A place for each label beside its marker where it covers no other label or marker
    and stays on the map, as far as that can be done at the map's usual size: a required
    label takes the place that covers least, an optional one is left out ('') when every
    place would cover something. ``points``: (lat, lon, label, marker size in px,
    required), the first placed first; ``fixed``: text already on the map (country names),
    (lat, lon, text)."""
    width = height * MAP_ASPECT
    top, bottom = _mercator(lat_range[1]), _mercator(lat_range[0])
    scale = min(width / (lon_range[1] - lon_range[0]), height / (top - bottom))

    def at(lat: float, lon: float) -> tuple[float, float]:
        return ((lon - lon_range[0]) * scale, (top - _mercator(lat)) * scale)

    def text_box(x: float, y: float, text: str) -> _Box:
        w = 7.0 * len(text) + 4
        return (x - w / 2, y - 8, x + w / 2, y + 8)

    centres = [(*at(lat, lon), size / 2) for lat, lon, _, size, _ in points]
    taken: list[_Box] = [(x - r, y - r, x + r, y + r) for x, y, r in centres]
    taken += [text_box(*at(lat, lon), text) for lat, lon, text in fixed]
    edge = (0.0, 0.0, (lon_range[1] - lon_range[0]) * scale, (top - bottom) * scale)

    def box(place: str, x: float, y: float, r: float, w: float, h: float) -> _Box:
        vertical, horizontal = place.split()
        left = {"right": x + r + 2, "left": x - r - 2 - w, "center": x - w / 2}[horizontal]
        top = {"middle": y - h / 2, "top": y - r - 2 - h, "bottom": y + r + 2}[vertical]
        return (left, top, left + w, top + h)

    def overlap(a: _Box, b: _Box) -> float:
        dx = min(a[2], b[2]) - max(a[0], b[0])
        dy = min(a[3], b[3]) - max(a[1], b[1])
        return dx * dy if dx > 0 and dy > 0 else 0.0

    def cost(b: _Box, own: int) -> float:
        area = (b[2] - b[0]) * (b[3] - b[1])
        outside = area - overlap(b, edge)
        return 3 * outside + sum(overlap(b, t) for k, t in enumerate(taken) if k != own)

    out = []
    for n, ((x, y, r), (_, _, text, _, required)) in enumerate(zip(centres, points, strict=True)):
        w, h = 7.0 * len(text) + 4, 15.0
        best = min(
            _LABEL_PLACES, key=lambda p: (cost(box(p, x, y, r, w, h), n), _LABEL_PLACES.index(p))
        )
        if not required and cost(box(best, x, y, r, w, h), n) > 0:
            out.append("")
            continue
        out.append(best)
        taken.append(box(best, x, y, r, w, h))
    return out


def _precision(value: str | None) -> str:
    return LOCATION_PRECISIONS.meanings[value] if value else "not stated"


# Where to write country names on the map (label positions, not borders).
COUNTRY_LABELS = (
    ("SYRIA", 35.4, 38.4),
    ("IRAQ", 32.6, 43.6),
    ("JORDAN", 30.9, 36.8),
    ("TURKEY", 38.4, 37.6),
    ("IRAN", 33.5, 48.3),
    ("SAUDI ARABIA", 29.6, 42.8),
    ("LEBANON", 34.0, 35.9),
    ("KUWAIT", 29.3, 47.6),
)


def _span(low: float, high: float, minimum: float) -> list[float]:
    """A range at least ``minimum`` wide, centred on the data."""
    if high - low >= minimum:
        return [round(low, 2), round(high, 2)]
    middle = (low + high) / 2
    return [round(middle - minimum / 2, 2), round(middle + minimum / 2, 2)]
