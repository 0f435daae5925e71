"""Plotly figures of attack frequency, each with a data table holding the same numbers.

A figure is plain JSON data, without Plotly's default template (tests/test_charts.py checks
each one with ``plotly.graph_objects``); the page shows an empty container that
``docs/assets/javascripts/charts.js`` fills, adding colours for the light or dark theme.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator import escape
from generator.dates import month_end, month_label, month_start
from generator.model import ATTRIBUTIONS, KINDS, LOCATION_PRECISIONS, STATUSES, Actor
from generator.stats import Site, Stats
from generator.wording import incident_date, incident_place, incident_title, incident_url

# Okabe–Ito based, readable on light and dark backgrounds and for colour-blind readers.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6BB1", "#B8860B")
OTHER_COLOUR = "#9E9E9E"
ATTACK_COLOUR = "#D55E00"
STRIKE_COLOUR = "#0072B2"
# Zero is a faint grey (visible in both themes); one attack and up run from light to dark red.
HEAT_SCALE = (
    (0.0, "rgba(128,128,128,0.12)"),
    (1e-6, "#fdd49e"),
    (0.5, "#ef6548"),
    (1.0, "#990000"),
)
STACKED_BASES = len(PALETTE)  # bases shown on their own in stacked charts; the rest are summed
# Evidence, strongest first: officially confirmed in a strong colour, media reports in grey.
# Attribution by lightness, strongest darkest: claimed, attributed, suspected, not stated.
ATTRIBUTION_SHADES = ("#D55E00", "#E69F00", "#F0C987", "#8C8C8C")
# Evidence by lightness, strongest darkest: officially confirmed, claimed, reported.
STATUS_SHADES = ("#8C8C8C", "#E69F00", "#D55E00")  # in the order of model.STATUSES


def status_colour(status: str) -> str:
    return STATUS_SHADES[STATUSES.index(status)]


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
        b.id: PALETTE[n] if n < len(PALETTE) else OTHER_COLOUR
        for n, b in enumerate(stats.sites_ranked)
    }


def _month_axis(months: tuple[str, ...]) -> dict[str, Any]:
    """A date axis spanning whole months, with a little room so edge bars are not cut."""
    start = month_start(months[0]) - dt.timedelta(days=10)
    end = month_end(months[-1]) + dt.timedelta(days=11)
    return {
        "type": "date",
        "tickformat": "%b %Y",
        "hoverformat": "%B %Y",
        "range": [start.isoformat(), end.isoformat()],
    }


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


def _per_month_axes(months: tuple[str, ...], counted: str, most: int, *, legend_y: float = -0.2
                    ) -> dict[str, Any]:  # fmt: skip
    """The layout of bars per month: months across, whole counts up, the legend below."""
    return {
        "xaxis": _month_axis(months),
        "yaxis": {"title": {"text": counted}, "rangemode": "tozero", **_whole_numbers(most)},
        "legend": {"orientation": "h", "y": legend_y, "traceorder": "normal"},
    }


def _status_hover(status: str) -> str:
    return f"%{{x|%B %Y}}: %{{customdata}} ({STATUSES[status].lower()})<extra></extra>"


def _status_bars(
    months: tuple[str, ...], series: list[tuple[str, list[int]]]
) -> list[dict[str, Any]]:
    """Stacked monthly bars of attacks, one trace per status that has any."""
    return [
        trace(
            "bar",
            x=list(months),
            y=values,
            name=STATUSES[status],
            marker={"color": status_colour(status)},
            customdata=[plural(n, "attack") for n in values],
            xperiod="M1",
            xperiodalignment="middle",
            hovertemplate=_status_hover(status),
        )
        for status, values in series
        if any(values)
    ]


def _month_cell(month: str, stats: Stats) -> Cell:
    return Cell(month_label(month), f"months/{month}/" if month in stats.by_month else None)


# --- the charts ----------------------------------------------------------------------------


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
                customdata=[[plural(n, "attack") for n in row] for row in z],
                xperiod="M1",
                xperiodalignment="middle",
                zmin=0,
                zmax=top,
                colorscale=[list(s) for s in HEAT_SCALE],
                xgap=2,
                ygap=2,
                colorbar={"title": {"text": "Attacks"}, "thickness": 12, **_whole_numbers(top)},
                hovertemplate="%{y}<br>%{x|%B %Y}: %{customdata}<extra></extra>",
            )
        ],
        xaxis=_month_axis(months),
        yaxis={"autorange": "reversed", "automargin": True},
    )
    rows: tuple[Row, ...] = tuple(
        (_site_cell(b), *row, sum(row)) for b, row in zip(bases, z, strict=True)
    )
    columns = ("Base", *(month_label(m, short=True) for m in months), "Total")
    return Chart(
        id="attacks-by-base-and-month",
        title="Attacks by base and month",
        caption=f"Each cell counts the attacks recorded on one base in one month "
        f"({stats.period}). Bases with no recorded attack are left out.",
        figure=figure,
        table=Table(columns, rows),
        height=140 + 34 * len(bases),
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
                OTHER_COLOUR,
                [sum(stats.attack_counts[(b.id, m)] for b in rest) for m in months],
            )
        )
    figure = _figure(
        [
            trace(
                "bar",
                x=list(months),
                y=values,
                name=escape.plotly(name),
                marker={"color": colour},
                customdata=[plural(n, "attack") for n in values],
                xperiod="M1",
                xperiodalignment="middle",
                hovertemplate="%{fullData.name}<br>%{x|%B %Y}: %{customdata}<extra></extra>",
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
        xaxis={"title": {"text": "Attacks"}, "rangemode": "tozero", **_whole_numbers(counts[0])},
        yaxis={"autorange": "reversed", "automargin": True},
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
            trace(
                "bar",
                x=list(months),
                y=values,
                name=name,
                marker={"color": colour},
                customdata=[plural(n, word) for n in values],
                xperiod="M1",
                xperiodalignment="middle",
                hovertemplate="%{x|%B %Y}: %{customdata}<extra></extra>",
            )
            for name, word, colour, values in (
                ("Attacks on bases", "attack", ATTACK_COLOUR, attacks),
                ("US strikes", "strike", STRIKE_COLOUR, strikes),
            )
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
    series = [(status, [stats.attack_status_counts[(base.id, m, status)] for m in months])
              for status in reversed(STATUSES)]  # fmt: skip
    figure = _figure(
        _status_bars(months, series),
        barmode="stack",
        **_per_month_axes(months, "Attacks", max(counts), legend_y=-0.25),
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
                marker={"color": [colours.get(b.id, OTHER_COLOUR) for b, _ in rows]},
                customdata=[plural(n, "attack") for _, n in rows],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        ],
        xaxis={"title": {"text": "Attacks"}, "rangemode": "tozero", **_whole_numbers(rows[0][1])},
        yaxis={"autorange": "reversed", "automargin": True},
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
    bases = [*((v, ATTRIBUTIONS[v].capitalize()) for v in ATTRIBUTIONS), (None, "Not stated")]
    series = []
    for value, name in bases:
        counts = Counter(i.month for i in attacks if i.attribution == value)
        values = [counts[m] for m in months]
        if any(values):
            series.append((name, values))
    shades = dict(zip((name for _, name in bases), ATTRIBUTION_SHADES, strict=True))
    figure = _figure(
        [
            trace("bar", x=list(months), y=values, name=name, marker={"color": shades[name]},
                  customdata=[plural(n, "attack") for n in values], xperiod="M1",
                  xperiodalignment="middle",
                  hovertemplate="%{x|%B %Y}: %{customdata}" + f" ({name.lower()})<extra></extra>")
            for name, values in series
        ],
        barmode="stack",
        **_per_month_axes(months, "Attacks", max(Counter(i.month for i in attacks).values()),
                          legend_y=-0.25),
    )  # fmt: skip
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
            ("Month", *(name for name, _ in series), "Total"),
            tuple(
                (_month_cell(m, stats), *(v[k] for _, v in series), per_month[m])
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
    series = [(status, [stats.status_per_month[(m, status)] for m in months])
              for status in reversed(STATUSES)]  # fmt: skip
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
        "the attackers, or reported in the media only.",
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


def escalation_timeline(stats: Stats) -> Chart | None:
    """Attacks and US strikes on one time axis, with a line from each incident to the one it
    responded to. Markers are filled when officially confirmed or claimed, open when only
    reported. Clicking a marker opens the incident's page."""
    dataset = stats.dataset
    incidents = dataset.incidents[-TIMELINE_LIMIT:]
    if not incidents:
        return None
    shown = {i.id for i in incidents}
    stack: dict[tuple[str, object], int] = {}
    y: dict[str, float] = {}
    for i in incidents:  # same-day incidents stack away from their lane
        k = stack.get((i.kind, i.date), 0)
        stack[(i.kind, i.date)] = k + 1
        y[i.id] = 1 + 0.16 * k if i.kind == "attack" else -0.16 * k
    links_x: list[str | None] = []
    links_y: list[float | None] = []
    for i in incidents:
        for ref in i.responds_to:
            if ref in shown:
                links_x += [dataset.incident_by_id[ref].date.isoformat(), i.date.isoformat(), None]
                links_y += [y[ref], y[i.id], None]
    traces = []
    for kind, name, colour, symbol in (
        ("attack", "Attacks on bases", ATTACK_COLOUR, "circle"),
        ("strike", "US strikes", STRIKE_COLOUR, "diamond"),
    ):
        points = [i for i in incidents if i.kind == kind]
        traces.append(trace("scatter",
            x=[i.date.isoformat() for i in points],
            y=[y[i.id] for i in points],
            mode="markers",
            name=name,
            marker={"color": colour, "size": 12, "line": {"color": colour, "width": 2},
                    "symbol": [symbol if i.status != "reported" else f"{symbol}-open"
                               for i in points]},
            customdata=[[escape.plotly(incident_title(i, dataset)), incident_date(i),
                         STATUSES[i.status], escape.plotly(incident_place(i, dataset)),
                         incident_url(i.id)] for i in points],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}"
                          "<extra></extra>",
        ))  # fmt: skip
    traces.insert(
        0,
        trace(
            "scatter",
            x=links_x,
            y=links_y,
            mode="lines",
            name="Responds to",
            line={"color": OTHER_COLOUR, "width": 1.5},
            hoverinfo="skip",
        ),
    )
    top = max(y.values())
    bottom = min(y.values())
    figure = _figure(
        traces,
        xaxis={"type": "date", "tickformat": "%b %Y", "hoverformat": "%d %B %Y"},
        yaxis={
            "tickvals": [0, 1],
            "ticktext": ["US strikes", "Attacks on bases"],
            "range": [bottom - 0.6, top + 0.6],
            "zeroline": False,
            "fixedrange": True,
        },
        legend={"orientation": "h", "y": -0.15},
        hovermode="closest",
        meta={"link": 4},  # customdata[4] is the page a click on a marker opens
    )
    by_id = dataset.incident_by_id
    rows = tuple(
        (Cell(incident_title(i, dataset), incident_url(i.id)), incident_date(i),
         KINDS[i.kind], STATUSES[i.status],
         "; ".join(incident_title(by_id[r], dataset) for r in i.responds_to),
         "; ".join(incident_title(a, dataset) for a in dataset.answered_by.get(i.id, ())))
        for i in reversed(incidents)
    )  # fmt: skip
    links = len([x for x in links_x if x is None])
    limited = len(incidents) < len(dataset.incidents)
    return Chart(
        id="escalation-timeline",
        title="Escalation timeline",
        caption=(
            "Each attack on a base (circles, top) and each US strike (diamonds, bottom) "
            f"on one time axis; the {plural(links, 'line')} join an incident to the one "
            "it responded to. Open markers are reported only; filled ones are officially "
            "confirmed or claimed. Click a marker to open the incident"
            + (f". Only the latest {len(incidents):,} incidents are shown." if limited else ".")
        ),
        figure=figure,
        table=Table(("Incident", "Date", "Kind", "Status", "Responds to", "Answered by"), rows),
        height=440,
    )


def incident_map(stats: Stats) -> Chart | None:
    """Bases sized by the attacks on them, and the strikes that have coordinates."""
    dataset = stats.dataset
    bases = [b for b in dataset.bases if b.lat is not None and b.lon is not None]
    strikes = [i for i in stats.strikes if i.lat is not None and i.lon is not None]
    if not bases and not strikes:
        return None
    lats = [b.lat for b in bases if b.lat is not None]
    lats += [i.lat for i in strikes if i.lat is not None]
    lons = [b.lon for b in bases if b.lon is not None]
    lons += [i.lon for i in strikes if i.lon is not None]
    traces = [trace("scattergeo",
        lat=[b.lat for b in bases],
        lon=[b.lon for b in bases],
        mode="markers",
        name="Bases (size: attacks)",
        marker={"size": [8 + 7 * stats.attacks_per_site[b.id] ** 0.5 for b in bases],
                "color": [ATTACK_COLOUR if stats.attacks_per_site[b.id] else OTHER_COLOUR
                          for b in bases],
                "opacity": 0.85, "line": {"width": 1, "color": "#ffffff"}},
        customdata=[[escape.plotly(b.name), plural(stats.attacks_per_site[b.id], "attack"),
                     plural(stats.strikes_near_site[b.id], "US strike") + " nearby",
                     f"bases/{b.id}/"] for b in bases],
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                      "<extra></extra>",
    )]  # fmt: skip
    if strikes:
        traces.append(trace("scattergeo",
            lat=[i.lat for i in strikes],
            lon=[i.lon for i in strikes],
            mode="markers",
            name="US strikes",
            marker={"size": 10, "symbol": "diamond", "color": STRIKE_COLOUR, "opacity": 0.85},
            customdata=[[escape.plotly(incident_title(i, dataset)), incident_date(i),
                         STATUSES[i.status], incident_url(i.id)] for i in strikes],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}"
                          "<extra></extra>",
        ))  # fmt: skip
    pad = 1.5
    lat_range = _span(min(lats) - pad, max(lats) + pad, 6)
    lon_range = _span(min(lons) - pad, max(lons) + pad, 8)
    names = [
        (n, la, lo)
        for n, la, lo in COUNTRY_LABELS
        if lat_range[0] < la < lat_range[1] and lon_range[0] < lo < lon_range[1]
    ]
    if names:  # for orientation; the outlines carry no names
        traces.insert(0, trace("scattergeo",
            lat=[la for _, la, _ in names], lon=[lo for _, _, lo in names],
            text=[n for n, _, _ in names], mode="text", hoverinfo="skip", showlegend=False,
            textfont={"size": 13, "color": OTHER_COLOUR},
        ))  # fmt: skip
    figure = _figure(
        traces,
        geo={"scope": "asia", "resolution": 50, "projection": {"type": "mercator"},
             "lataxis": {"range": lat_range}, "lonaxis": {"range": lon_range},
             "showcountries": True, "showland": True, "showlakes": True,
             "showrivers": True, "showocean": False, "showframe": False},
        legend={"orientation": "h", "y": -0.05},
        meta={"link": -1},  # the last customdata entry is the page a click opens
    )  # fmt: skip
    rows: tuple[Row, ...] = tuple(
        (
            _site_cell(stats.site_by_id[b.id]),
            "Base",
            f"{b.lat:.2f}",
            f"{b.lon:.2f}",
            _precision(b.location_precision),
            stats.attacks_per_site[b.id],
        )
        for b in bases
    )
    rows += tuple((Cell(incident_title(i, dataset), incident_url(i.id)), "US strike",
                   f"{i.lat:.2f}", f"{i.lon:.2f}",
                   _precision(i.location_precision), "")
                  for i in strikes)  # fmt: skip
    missing = stats.strike_total - stats.strike_count(strikes)
    return Chart(
        id="map",
        title="Map of bases and US strikes",
        caption="Bases hosting US forces, sized by the attacks recorded on each (grey: none "
        "recorded), and US strikes where the record gives coordinates"
        + (f"; {plural(missing, 'strike')} without coordinates are not shown" if missing else "")
        + ". Most positions are approximate; the table says how exact each is.",
        figure=figure,
        table=Table(("Place", "Type", "Latitude", "Longitude", "Position", "Attacks"), rows),
        height=520,
    )


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

    def __iter__(self) -> Iterator[Chart]:
        fixed = (self.heatmap, self.stacked, self.by_status, self.per_base, self.per_month,
                 self.timeline, self.map)  # fmt: skip
        yield from (c for c in fixed if c is not None)
        yield from self.base.values()
        yield from self.month.values()
        yield from self.actor.values()


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
    )
