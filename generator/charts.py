"""Plotly figures of attack frequency, each with a data table holding the same numbers.

A figure is plain JSON data, without Plotly's default template (tests/test_charts.py checks
each one with ``plotly.graph_objects``); the page shows an empty container that
``docs/assets/javascripts/charts.js`` fills, adding colours for the light or dark theme.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator import escape
from generator.dates import month_label
from generator.model import ATTRIBUTIONS, KINDS, LOCATION_PRECISIONS, STATUSES, Actor, Incident
from generator.stats import Episode, Site, Stats
from generator.wording import (
    and_list,
    incident_date,
    incident_place,
    incident_title,
    incident_url,
    place_or_title,
)

# Colours are named, not written: each name is a CSS custom property of
# docs/assets/stylesheets/site.css, which gives it a value for the light and for the dark
# palette; charts.js resolves the names for the palette in use. One meaning has one name on
# every chart: attacks warm, US strikes cool, how well something is known by lightness (the
# strongest evidence stands out most), bases by a palette of their own, and grey for the rest.
ATTACK = "--tracker-attack"
STRIKE = "--tracker-strike"
OTHER = "--tracker-other"
BASE_COLOURS = tuple(f"--tracker-base-{n}" for n in range(1, 9))
EVIDENCE = tuple(f"--tracker-evidence-{n}" for n in range(1, 4))  # strongest first
# The vocabularies list statuses weakest first and attributions strongest first.
STATUS_COLOURS = dict(zip(reversed(STATUSES), EVIDENCE, strict=True))
ATTRIBUTION_COLOURS: dict[str | None, str] = {
    **dict(zip(ATTRIBUTIONS, EVIDENCE, strict=True)),
    None: OTHER,
}
HEAT = tuple(f"--tracker-heat-{n}" for n in range(6))  # 0: no attack; 1-5: fewest to most
EPISODE = "--tracker-episode"  # the band behind an episode on the timeline
RING = "--tracker-ring"  # the outline of a map marker, against the land
COLOURS = (ATTACK, STRIKE, OTHER, *BASE_COLOURS, *EVIDENCE, *HEAT, EPISODE, RING)
STACKED_BASES = len(BASE_COLOURS)  # bases shown on their own in stacked charts; the rest summed


def status_colour(status: str) -> str:
    return STATUS_COLOURS[status]


TIMELINE_LIMIT = 1000  # the timeline shows the latest incidents; the table says how many


@dataclass(frozen=True)
class Cell:
    text: str
    url: str | None = None  # site-root-relative page URL, e.g. "bases/green-village/"


Row = tuple["Cell | int | str", ...]


@dataclass(frozen=True)
class Table:
    """A data table: the first column holds row headers."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    caption: str
    figure: dict[str, Any]
    table: Table
    height: int

    @property
    def path(self) -> str:
        """Where the figure JSON is written, relative to docs/."""
        return f"charts/{self.id}.json"

    def to_json(self) -> bytes:
        return (
            json.dumps(self.figure, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            + "\n"
        ).encode()


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def trace(kind: str, **properties: Any) -> dict[str, Any]:
    """A Plotly trace as plain data, e.g. trace("bar", x=[…], y=[…])."""
    return {"type": kind, **properties}


def _figure(data: list[dict[str, Any]], **layout: Any) -> dict[str, Any]:
    """A figure as plain JSON data, with no template (the loader sets a theme-aware layout).

    Building it with plotly.graph_objects would check every property name, but costs a deep
    copy of everything (1 s of a 1,000-incident build); tests/test_charts.py checks every
    figure of the sample site that way instead.
    """
    figure: dict[str, Any] = json.loads(json.dumps({"data": data, "layout": layout}))
    return figure


def site_colours(stats: Stats) -> dict[str, str]:
    """The same colour for a site on every chart: by attack rank, the rest grey."""
    return {
        b.id: BASE_COLOURS[n] if n < len(BASE_COLOURS) else OTHER
        for n, b in enumerate(stats.sites_ranked)
    }


# --- months across: every bar and every column carries its own label ----------------------


def _month_ticks(months: tuple[str, ...]) -> list[str]:
    """'Jun<br>2021' under the first month and each January, the month alone elsewhere."""
    out = []
    for n, key in enumerate(months):
        name = month_label(key, short=True)
        out.append(name.replace(" ", "<br>") if n == 0 or key.endswith("-01") else name[:3])
    return out


def _month_axis(months: tuple[str, ...]) -> dict[str, Any]:
    """One category per month, each with its tick label under the middle of its bar.

    charts.js turns the chart on its side (months down, one row each) when the screen is
    too narrow for a label per month; ``meta.months`` gives it the labels to use then.
    """
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": list(months),
        "tickmode": "array",
        "tickvals": list(months),
        "ticktext": _month_ticks(months),
        "fixedrange": True,
    }


def _month_meta(months: tuple[str, ...]) -> dict[str, Any]:
    return {"months": [month_label(m, short=True) for m in months]}


def _whole_numbers(top: int) -> dict[str, Any]:
    """Tick every whole number while that is readable; Plotly's choice beyond that."""
    return {"dtick": 1} if top < 10 else {}


def _site_cell(site: Site) -> Cell:
    return Cell(site.name, site.url)


def _with_statuses(stats: Stats, base: str, month: str) -> str:
    """'3 attacks: 2 officially confirmed, 1 reported' (or '0 attacks')."""
    total = stats.attack_counts[(base, month)]
    parts = [
        f"{n} {STATUSES[s].lower()}"
        for s in reversed(STATUSES)
        if (n := stats.attack_status_counts[(base, month, s)])
    ]
    return plural(total, "attack") + (": " + ", ".join(parts) if parts else "")


def _per_month_axes(months: tuple[str, ...], counted: str, most: int) -> dict[str, Any]:
    """The layout of bars per month: months across, whole counts up, the legend above (the
    month labels below may stand upright and take room that a legend below would need)."""
    return {
        "xaxis": _month_axis(months),
        "yaxis": {
            "title": {"text": counted},
            "rangemode": "tozero",
            "fixedrange": True,
            **_whole_numbers(most),
        },
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        "meta": _month_meta(months),
    }


def _month_bars(
    months: tuple[str, ...],
    values: list[int],
    word: str,
    *,
    name: str,
    colour: str,
    hover: str = "",
) -> dict[str, Any]:
    """One series of bars per month; hovering says 'June 2021: 3 attacks'."""
    return trace(
        "bar",
        x=list(months),
        y=values,
        name=escape.plotly(name),
        marker={"color": colour},
        customdata=[[month_label(m), plural(n, word)] for m, n in zip(months, values, strict=True)],
        hovertemplate=hover + "%{customdata[0]}: %{customdata[1]}<extra></extra>",
    )


def _status_bars(
    months: tuple[str, ...], series: list[tuple[str, list[int]]]
) -> list[dict[str, Any]]:
    """Stacked monthly bars of attacks, one trace per status that has any."""
    bars = []
    for status, values in series:
        if any(values):
            bar = _month_bars(
                months, values, "attack", name=STATUSES[status], colour=status_colour(status)
            )
            bar["hovertemplate"] = bar["hovertemplate"].replace(
                "<extra>", f" ({STATUSES[status].lower()})<extra>"
            )
            bars.append(bar)
    return bars


def _month_cell(month: str, stats: Stats) -> Cell:
    return Cell(month_label(month), f"months/{month}/" if month in stats.by_month else None)


# --- the charts ----------------------------------------------------------------------------


def heat_steps(top: int) -> tuple[tuple[int, int], ...]:
    """The heatmap's colour steps for counts 1..top: one per count up to five, then five
    steps that widen as counts grow (1–2, 3–4, 5–7, 8–11, 12–20 for a top of 20)."""
    if top < len(HEAT):
        return tuple((n, n) for n in range(1, top + 1))
    uppers = sorted({math.ceil(top ** (k / 5) - 1e-9) for k in range(1, 6)})
    lowers = [1, *(u + 1 for u in uppers[:-1])]
    return tuple(zip(lowers, uppers, strict=True))


def _step_label(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _stepped_scale(top: int) -> dict[str, Any]:
    """A colour scale of steps, not a gradient: each count (or band of counts) one colour,
    and a key with one entry per step. Zero is a colour of its own."""
    steps = heat_steps(top)
    k = len(steps)
    shades = [HEAT[len(HEAT) - 1 - round((k - 1 - j) * 4 / max(k - 1, 1))] for j in range(k)]
    low, high = -0.5, top + 0.5

    def at(v: float) -> float:
        return round((v - low) / (high - low), 6)

    scale: list[list[Any]] = [[0, HEAT[0]], [at(0.5), HEAT[0]]]
    for (a, b), shade in zip(steps, shades, strict=True):
        scale += [[at(a - 0.5), shade], [at(b + 0.5), shade]]
    return {
        "zmin": low,
        "zmax": high,
        "colorscale": scale,
        "colorbar": {
            "title": {"text": "Attacks"},
            "thickness": 12,
            "tickmode": "array",
            "tickvals": [0, *((a + b) / 2 for a, b in steps)],
            "ticktext": ["0", *(_step_label(a, b) for a, b in steps)],
        },
    }


def attack_heatmap(stats: Stats) -> Chart | None:
    bases, months = stats.sites_ranked, stats.months
    if not bases:
        return None
    z = [[stats.attack_counts[(b.id, m)] for m in months] for b in bases]
    top = max(max(row) for row in z)
    figure = _figure(
        [
            trace(
                "heatmap",
                x=list(months),
                y=[escape.plotly(b.name) for b in bases],
                z=z,
                text=[[str(n) if n else "" for n in row] for row in z],
                texttemplate="%{text}",
                customdata=[
                    [[month_label(m), _with_statuses(stats, b.id, m)] for m in months]
                    for b in bases
                ],
                xgap=2,
                ygap=2,
                hovertemplate="%{y}<br>%{customdata[0]}: %{customdata[1]}<extra></extra>",
                **_stepped_scale(top),
            )
        ],
        xaxis=_month_axis(months),
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        meta=_month_meta(months),
    )
    rows: tuple[Row, ...] = tuple(
        (_site_cell(b), *row, sum(row)) for b, row in zip(bases, z, strict=True)
    )
    columns = ("Base", *(month_label(m, short=True) for m in months), "Total")
    return Chart(
        id="attacks-by-base-and-month",
        title="Attacks by base and month",
        caption=f"Each cell counts the attacks recorded on one base in one month "
        f"({stats.period}); the stronger the cell's colour against the page, the more "
        "attacks. Bases with no recorded attack are left out.",
        figure=figure,
        table=Table(columns, rows),
        height=150 + 34 * len(bases),
    )


def attack_stacked_bars(stats: Stats) -> Chart | None:
    ranked, months = stats.sites_ranked, stats.months
    if not ranked:
        return None
    shown, rest = ranked[:STACKED_BASES], ranked[STACKED_BASES:]
    colours = site_colours(stats)
    series: list[tuple[str, str, list[int]]] = [
        (b.name, colours[b.id], [stats.attack_counts[(b.id, m)] for m in months]) for b in shown
    ]
    if rest:
        series.append(
            (
                f"Other bases ({len(rest)})",
                OTHER,
                [sum(stats.attack_counts[(b.id, m)] for b in rest) for m in months],
            )
        )
    figure = _figure(
        [
            _month_bars(
                months, values, "attack", name=name, colour=colour, hover="%{fullData.name}<br>"
            )
            for name, colour, values in series
        ],
        barmode="stack",
        **_per_month_axes(months, "Attacks", max(stats.attacks_per_month.values())),
    )
    rows: tuple[Row, ...] = tuple(
        (_month_cell(m, stats), *(values[k] for _, _, values in series), stats.attacks_per_month[m])
        for k, m in enumerate(months)
    )
    return Chart(
        id="attacks-per-month-by-base",
        title="Attacks per month, by base",
        caption="Each bar counts the attacks recorded in a month, split by the base attacked"
        + (f"; the {len(rest)} least attacked bases are summed as 'Other bases'." if rest else "."),
        figure=figure,
        table=Table(("Month", *(name for name, _, _ in series), "Total"), rows),
        height=380,
    )


def attacks_per_base(stats: Stats) -> Chart | None:
    bases = stats.sites_ranked
    if not bases:
        return None
    colours = site_colours(stats)
    counts = [stats.attacks_per_site[b.id] for b in bases]
    figure = _figure(
        [
            trace(
                "bar",
                x=counts,
                y=[escape.plotly(b.name) for b in bases],
                orientation="h",
                marker={"color": [colours[b.id] for b in bases]},
                customdata=[plural(n, "attack") for n in counts],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        ],
        xaxis={
            "title": {"text": "Attacks"},
            "rangemode": "tozero",
            "fixedrange": True,
            **_whole_numbers(counts[0]),
        },
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
    )
    return Chart(
        id="attacks-per-base",
        title="Attacks per base",
        caption=f"All attacks recorded on each base, {stats.period}.",
        figure=figure,
        table=Table(
            ("Base", "Attacks"),
            tuple((_site_cell(b), n) for b, n in zip(bases, counts, strict=True)),
        ),
        height=120 + 30 * len(bases),
    )


def incidents_per_month(stats: Stats) -> Chart | None:
    months = stats.months
    if not months:
        return None
    attacks = [stats.attacks_per_month[m] for m in months]
    strikes = [stats.strikes_per_month[m] for m in months]
    figure = _figure(
        [
            _month_bars(months, attacks, "attack", name="Attacks on bases", colour=ATTACK),
            _month_bars(months, strikes, "US strike", name="US strikes", colour=STRIKE),
        ],
        barmode="group",
        **_per_month_axes(months, "Incidents", max(max(attacks), max(strikes))),
    )
    rows = tuple(
        (_month_cell(m, stats), a, s) for m, a, s in zip(months, attacks, strikes, strict=True)
    )
    return Chart(
        id="incidents-per-month",
        title="Attacks and US strikes per month",
        caption="Attacks on bases hosting US forces and strikes by US forces, counted by the "
        "month of the incident.",
        figure=figure,
        table=Table(("Month", "Attacks", "US strikes"), rows),
        height=360,
    )


def base_attacks_per_month(stats: Stats, base: Site) -> Chart | None:
    if not stats.attacks_per_site[base.id]:
        return None
    months = stats.months
    counts = [stats.attack_counts[(base.id, m)] for m in months]
    series = [
        (status, [stats.attack_status_counts[(base.id, m, status)] for m in months])
        for status in reversed(STATUSES)
    ]
    figure = _figure(
        _status_bars(months, series),
        barmode="stack",
        **_per_month_axes(months, "Attacks", max(counts)),
    )
    shown = [(status, values) for status, values in series if any(values)]
    return Chart(
        id=f"base-{base.id}",
        title=f"Attacks on {base.name} per month",
        caption=f"Attacks recorded on this base each month, {stats.period} (the whole period "
        "of the dataset), split by how they are known: officially confirmed, claimed "
        "by the attackers, or reported in the media.",
        figure=figure,
        table=Table(
            ("Month", *(STATUSES[s] for s, _ in shown), "Total"),
            tuple(
                (_month_cell(m, stats), *(v[k] for _, v in shown), counts[k])
                for k, m in enumerate(months)
            ),
        ),
        height=320,
    )


def month_attacks_by_base(stats: Stats, month: str) -> Chart | None:
    rows = stats.month_site_counts(month)
    if not rows:
        return None
    colours = site_colours(stats)
    figure = _figure(
        [
            trace(
                "bar",
                x=[n for _, n in rows],
                y=[escape.plotly(b.name) for b, _ in rows],
                orientation="h",
                marker={"color": [colours.get(b.id, OTHER) for b, _ in rows]},
                customdata=[plural(n, "attack") for _, n in rows],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        ],
        xaxis={
            "title": {"text": "Attacks"},
            "rangemode": "tozero",
            "fixedrange": True,
            **_whole_numbers(rows[0][1]),
        },
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
    )
    return Chart(
        id=f"month-{month}",
        title=f"Attacks by base, {month_label(month)}",
        caption=f"Attacks recorded in {month_label(month)} on each base attacked that month.",
        figure=figure,
        table=Table(("Base", "Attacks"), tuple((_site_cell(b), n) for b, n in rows)),
        height=120 + 34 * len(rows),
    )


def actor_attacks_per_month(stats: Stats, actor: Actor) -> Chart | None:
    """An actor's attacks (its member groups' included) per month, by how the attribution is
    known: claimed by the group, attributed by officials, suspected, or not stated."""
    attacks = [i for i in stats.by_actor(actor) if i.kind == "attack"]
    if not attacks:
        return None
    months = stats.months
    kinds = [*((v, ATTRIBUTIONS[v].capitalize()) for v in ATTRIBUTIONS), (None, "Not stated")]
    series = []
    for value, name in kinds:
        counts = Counter(i.month for i in attacks if i.attribution == value)
        values = [counts[m] for m in months]
        if any(values):
            series.append((value, name, values))
    figure = _figure(
        [
            _month_bars(
                months,
                values,
                "attack",
                name=name,
                colour=ATTRIBUTION_COLOURS[value],
                hover=f"{name}<br>",
            )
            for value, name, values in series
        ],
        barmode="stack",
        **_per_month_axes(months, "Attacks", max(Counter(i.month for i in attacks).values())),
    )
    per_month = Counter(i.month for i in attacks)
    return Chart(
        id=f"actor-{actor.id}",
        title=f"Attacks by {actor.name} per month",
        caption="Attacks held against this group each month"
        + (", its member groups' included" if len(stats.actor_family(actor)) > 1 else "")
        + f", {stats.period}, split by how that is known: claimed by the group, attributed "
        "by officials, or suspected.",
        figure=figure,
        table=Table(
            ("Month", *(name for _, name, _ in series), "Total"),
            tuple(
                (_month_cell(m, stats), *(v[k] for _, _, v in series), per_month[m])
                for k, m in enumerate(months)
            ),
        ),
        height=320,
    )


def attacks_by_status(stats: Stats) -> Chart | None:
    """Attacks per month split by how they are known (confirmed, claimed, reported)."""
    months = stats.months
    if not stats.attacks:
        return None
    series = [
        (status, [stats.status_per_month[(m, status)] for m in months])
        for status in reversed(STATUSES)
    ]
    shown = [(status, values) for status, values in series if any(values)]
    figure = _figure(
        _status_bars(months, shown),
        barmode="stack",
        **_per_month_axes(months, "Attacks", max(stats.attacks_per_month.values())),
    )
    return Chart(
        id="attacks-per-month-by-status",
        title="Attacks per month, by how they are known",
        caption="Each bar counts the attacks recorded in a month, split by status: officially "
        "confirmed (by the US military, the coalition or a government), claimed by "
        "the attackers, or reported in the media only. The stronger the colour against "
        "the page, the firmer the evidence.",
        figure=figure,
        table=Table(
            ("Month", *(STATUSES[s] for s, _ in shown), "Total"),
            tuple(
                (_month_cell(m, stats), *(v[k] for _, v in shown), stats.attacks_per_month[m])
                for k, m in enumerate(months)
            ),
        ),
        height=360,
    )


# --- attack and response: the timeline and its episodes ------------------------------------


def _legend_marker(name: str, symbol: str) -> dict[str, Any]:
    """A legend entry only (no points): what a marker's shape or fill means."""
    return trace(
        "scatter",
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        hoverinfo="skip",
        marker={"color": OTHER, "size": 11, "symbol": symbol, "line": {"color": OTHER, "width": 2}},
    )


# How each kind is drawn on the timeline: name, colour, marker (in the order of KINDS).
KIND_MARKERS = dict(
    zip(
        KINDS,
        (("Attacks on bases", ATTACK, "circle"), ("US strikes", STRIKE, "diamond")),
        strict=True,
    )
)


def _incident_points(
    kind: str,
    incidents: list[Incident],
    xs: dict[str, str],
    ys: dict[str, float],
    dataset: Any,
    *,
    labels: bool = False,
) -> dict[str, Any]:
    """Markers for the attacks (circles) or US strikes (diamonds) among incidents: filled
    when officially confirmed or claimed, open when only reported."""
    name, colour, symbol = KIND_MARKERS[kind]
    points = [i for i in incidents if i.kind == kind]
    extra: dict[str, Any] = {"mode": "markers"}
    if labels:
        extra = {
            "mode": "markers+text",
            "textposition": "middle right",
            "text": [escape.plotly(_short_place(i, dataset)) for i in points],
            "textfont": {"size": 12},
            "cliponaxis": False,
        }
    return trace(
        "scatter",
        x=[xs[i.id] for i in points],
        y=[ys[i.id] for i in points],
        name=name,
        marker={
            "color": colour,
            "size": 13,
            "line": {"color": colour, "width": 2},
            "symbol": [symbol if i.status != "reported" else f"{symbol}-open" for i in points],
        },
        customdata=[
            [
                escape.plotly(incident_title(i, dataset)),
                incident_date(i),
                STATUSES[i.status],
                escape.plotly(incident_place(i, dataset)),
                incident_url(i.id),
            ]
            for i in points
        ],
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}"
        "<extra></extra>",
        **extra,
    )


def _short_place(incident: Incident, dataset: Any) -> str:
    place = place_or_title(incident, dataset)
    return place if len(place) <= 28 else place[:27] + "…"


def _lanes(incidents: tuple[Incident, ...], step: float) -> dict[str, float]:
    """Attacks on the upper lane, strikes on the lower; same-day ones stack outwards."""
    stack: Counter[tuple[str, object]] = Counter()
    y: dict[str, float] = {}
    for i in incidents:
        k = stack[(i.kind, i.date)]
        stack[(i.kind, i.date)] += 1
        y[i.id] = 1 + step * k if i.kind == "attack" else -step * k
    return y


def _lane_axis(y: dict[str, float], pad: float) -> dict[str, Any]:
    return {
        "tickvals": [0, 1],
        "ticktext": ["US strikes", "Attacks on bases"],
        "range": [min(y.values()) - pad, max(y.values()) + pad],
        "zeroline": False,
        "fixedrange": True,
        "showgrid": False,
    }


def escalation_timeline(stats: Stats) -> Chart | None:
    """Attacks and US strikes on one time axis, with a line from each incident to the one it
    responded to, and a numbered band behind each episode. Markers are filled when
    officially confirmed or claimed, open when only reported. Clicking a marker opens the
    incident's page."""
    dataset = stats.dataset
    incidents = dataset.incidents[-TIMELINE_LIMIT:]
    if not incidents:
        return None
    shown = {i.id for i in incidents}
    y = _lanes(incidents, 0.16)
    xs = {i.id: i.date.isoformat() for i in incidents}
    links_x: list[str | None] = []
    links_y: list[float | None] = []
    for i in incidents:
        for ref in i.responds_to:
            if ref in shown:
                links_x += [xs[ref], xs[i.id], None]
                links_y += [y[ref], y[i.id], None]
    episodes = [e for e in stats.episodes if e.incidents[0].id in shown]
    traces = [
        trace(
            "scatter",
            x=links_x,
            y=links_y,
            mode="lines",
            name="Responds to",
            line={"color": OTHER, "width": 1.5},
            hoverinfo="skip",
        ),
        _incident_points("attack", list(incidents), xs, y, dataset),
        _incident_points("strike", list(incidents), xs, y, dataset),
        _legend_marker("Filled: confirmed or claimed", "circle"),
        _legend_marker("Open: reported only", "circle-open"),
    ]
    half_day = dt.timedelta(hours=36)
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "layer": "below",
            "x0": (dt.datetime.combine(e.first, dt.time()) - half_day).isoformat(),
            "x1": (dt.datetime.combine(e.last, dt.time()) + half_day).isoformat(),
            "y0": 0,
            "y1": 1,
            "fillcolor": EPISODE,
            "line": {"width": 0},
        }
        for e in episodes
    ]
    notes = [
        {
            "x": e.first.isoformat(),
            "y": 1,
            "xref": "x",
            "yref": "paper",
            "yanchor": "bottom",
            "text": str(e.number),
            "showarrow": False,
            "font": {"size": 12},
        }
        for e in episodes
    ]
    figure = _figure(
        traces,
        xaxis={"type": "date", "tickformat": "%b %Y", "hoverformat": "%d %B %Y"},
        yaxis=_lane_axis(y, 0.6),
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 28},
        hovermode="closest",
        shapes=shapes,
        annotations=notes,
        meta={"link": 4},  # customdata[4] is the page a click on a marker opens
    )
    by_id = dataset.incident_by_id
    rows = tuple(
        (
            Cell(incident_title(i, dataset), incident_url(i.id)),
            incident_date(i),
            KINDS[i.kind],
            STATUSES[i.status],
            "; ".join(incident_title(by_id[r], dataset) for r in i.responds_to),
            "; ".join(incident_title(a, dataset) for a in dataset.answered_by.get(i.id, ())),
        )
        for i in reversed(incidents)
    )
    links = len([x for x in links_x if x is None])
    limited = len(incidents) < len(dataset.incidents)
    return Chart(
        id="escalation-timeline",
        title="Escalation timeline",
        caption=(
            "Each attack on a base (circles, top) and each US strike (diamonds, bottom) "
            f"on one time axis; the {plural(links, 'line')} join an incident to the one "
            "it responded to, and each numbered band is an episode, drawn on its own below. "
            "Open markers are reported only; filled ones are officially confirmed or "
            "claimed. Click a marker to open the incident"
            + (f". Only the latest {len(incidents):,} incidents are shown." if limited else ".")
        ),
        figure=figure,
        table=Table(("Incident", "Date", "Kind", "Status", "Responds to", "Answered by"), rows),
        height=440,
    )


EPISODE_CHARTS = 20  # the latest episodes each get a chart; the timeline's table has all


def _moment(incident: Incident, k: int, n: int) -> dt.datetime:
    """Where an incident sits on a day scale: its local time if known, else spread over
    the day among the others of its kind that day."""
    if incident.time:
        hours, minutes = map(int, incident.time.split(":"))
        return dt.datetime.combine(incident.date, dt.time(hours, minutes))
    return dt.datetime.combine(incident.date, dt.time()) + dt.timedelta(days=(k + 1) / (n + 1))


def episode_chart(stats: Stats, episode: Episode) -> Chart:
    """One episode on its own day scale: each incident labelled with its place, an arrow
    from each incident to the one that answered it."""
    dataset = stats.dataset
    incidents = episode.incidents
    y = _lanes(incidents, 0.3)
    same_day = Counter((i.kind, i.date) for i in incidents)
    seen: Counter[tuple[str, dt.date]] = Counter()
    at: dict[str, dt.datetime] = {}
    for i in incidents:  # by date; an incident after those it responds to
        moment = _moment(i, seen[(i.kind, i.date)], same_day[(i.kind, i.date)])
        before = [at[r] for r in i.responds_to if r in at]
        if not i.time and before and max(before) >= moment:  # answered later that day
            day_end = dt.datetime.combine(i.date, dt.time()) + dt.timedelta(days=1)
            moment = max(before) + (max(day_end, max(before)) - max(before)) / 2
        at[i.id] = moment
        seen[(i.kind, i.date)] += 1
    xs = {k: v.isoformat() for k, v in at.items()}
    ids = {i.id for i in incidents}
    arrows = [
        {
            "x": xs[i.id],
            "y": y[i.id],
            "ax": xs[ref],
            "ay": y[ref],
            "xref": "x",
            "yref": "y",
            "axref": "x",
            "ayref": "y",
            "showarrow": True,
            "arrowhead": 2,
            "arrowsize": 1.2,
            "arrowwidth": 1.5,
            "arrowcolor": OTHER,
            "standoff": 8,
            "startstandoff": 8,
            "text": "",
        }
        for i in incidents
        for ref in i.responds_to
        if ref in ids
    ]
    start = dt.datetime.combine(episode.first, dt.time())
    end = dt.datetime.combine(episode.last, dt.time()) + dt.timedelta(days=1)
    days = (end - start).days
    figure = _figure(
        [
            _incident_points("attack", list(incidents), xs, y, dataset, labels=True),
            _incident_points("strike", list(incidents), xs, y, dataset, labels=True),
        ],
        xaxis={
            "type": "date",
            "range": [
                (start - dt.timedelta(hours=6)).isoformat(),
                (end + dt.timedelta(days=max(1, days // 3))).isoformat(),
            ],
            "tickformat": "%-d %b",
            "hoverformat": "%-d %B %Y, %H:%M",
            "fixedrange": True,
            **({"dtick": 86_400_000} if days <= 16 else {}),
        },
        yaxis=_lane_axis(y, 0.5),
        showlegend=False,
        hovermode="closest",
        annotations=arrows,
        meta={"link": 4},
    )
    by_id = dataset.incident_by_id
    strikes = stats.strike_count(episode.strikes)
    return Chart(
        id=episode.id,
        title=f"Episode {episode.number} day by day",
        caption=f"{plural(len(episode.attacks), 'attack')} and "
        f"{plural(strikes, 'US strike')}"
        + (
            f" in {plural(len(episode.strikes), 'record')}"
            if strikes != len(episode.strikes)
            else ""
        )
        + ", each arrow from an incident to the one that answered it. Attacks above, US "
        "strikes below; a marker sits at the local time when the record gives one.",
        figure=figure,
        table=Table(
            ("Incident", "Date", "Kind", "Responds to"),
            tuple(
                (
                    Cell(incident_title(i, dataset), incident_url(i.id)),
                    incident_date(i),
                    KINDS[i.kind],
                    "; ".join(incident_title(by_id[r], dataset) for r in i.responds_to),
                )
                for i in incidents
            ),
        ),
        height=220 + 40 * round(max(y.values()) - min(y.values())),
    )


# --- the map -------------------------------------------------------------------------------


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
        if i.kind == "attack" and where.at_base and i.base is not None:
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
                f"at its base ({precision})" if where.at_base else precision,
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
            stats.strike_count(m.incidents) if m.kind == "strike" else len(m.incidents)
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
    ) -> dict[str, Any]:
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
                    plural(stats.strike_count(m.incidents), "US strike")
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
    figure = _figure(
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
                _site_cell(stats.site_by_id[_base_id(m)]),
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
                stats.strike_count(m.incidents),
            )
        )
    missing_attacks = sum(1 for i in stats.unplaced if i.kind == "attack")
    missing_strikes = stats.strike_count(i for i in stats.unplaced if i.kind == "strike")
    missing = [
        plural(n, w) for n, w in ((missing_attacks, "attack"), (missing_strikes, "US strike")) if n
    ]
    unshown = missing_attacks + missing_strikes
    return Chart(
        id="map",
        title="Map of bases, attacks and US strikes",
        caption="Bases hosting US forces, sized by the attacks recorded on each (grey: none "
        "recorded); attacks at sites that are not bases of the list; and US strikes, sized by "
        "how many hit each place. Each incident is placed at its own coordinates or, without "
        "them, at its base (strikes just beside it)"
        + (
            f"; {and_list(missing)} {'has' if unshown == 1 else 'have'} neither and "
            f"{'is' if unshown == 1 else 'are'} not shown"
            if missing
            else "; every incident is shown"
        )
        + ". Most positions are approximate; the table says how exact each is.",
        figure=figure,
        table=Table(
            ("Place", "Type", "Latitude", "Longitude", "Position", "Attacks", "US strikes"),
            tuple(rows),
        ),
        height=560,
    )


def _base_id(mark: _Mark) -> str:
    return mark.link.removeprefix("bases/").removesuffix("/")


def _listing(mark: _Mark, dataset: Any) -> str:
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


# --- every chart of the site -----------------------------------------------------------


@dataclass(frozen=True)
class SiteCharts:
    """Every chart of the site, by the page that shows it."""

    heatmap: Chart | None
    stacked: Chart | None
    by_status: Chart | None
    per_base: Chart | None
    per_month: Chart | None
    timeline: Chart | None
    map: Chart | None
    base: dict[str, Chart]
    month: dict[str, Chart]
    actor: dict[str, Chart]
    episode: dict[str, Chart]  # episode id -> chart, for the latest EPISODE_CHARTS

    def __iter__(self) -> Iterator[Chart]:
        fixed = (
            self.heatmap,
            self.stacked,
            self.by_status,
            self.per_base,
            self.per_month,
            self.timeline,
            self.map,
        )
        yield from (c for c in fixed if c is not None)
        yield from self.base.values()
        yield from self.month.values()
        yield from self.actor.values()
        yield from self.episode.values()


def build_charts(stats: Stats) -> SiteCharts:
    base_charts = {s.id: base_attacks_per_month(stats, s) for s in stats.sites}
    month_charts = {m: month_attacks_by_base(stats, m) for m in stats.active_months}
    actor_charts = {a.id: actor_attacks_per_month(stats, a) for a in stats.dataset.actors}
    return SiteCharts(
        heatmap=attack_heatmap(stats),
        stacked=attack_stacked_bars(stats),
        by_status=attacks_by_status(stats),
        per_base=attacks_per_base(stats),
        per_month=incidents_per_month(stats),
        timeline=escalation_timeline(stats),
        map=incident_map(stats),
        base={k: c for k, c in base_charts.items() if c is not None},
        month={k: c for k, c in month_charts.items() if c is not None},
        actor={k: c for k, c in actor_charts.items() if c is not None},
        episode={e.id: episode_chart(stats, e) for e in stats.episodes[-EPISODE_CHARTS:]},
    )
