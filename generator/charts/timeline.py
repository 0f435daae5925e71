"""Attack and response: every incident on one time axis, and each episode (a chain joined by
``responds_to``) on its own day scale."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from generator import escape
from generator.model import Dataset, Incident
from generator.stats import Episode, Stats
from generator.vocabularies import KINDS, STATUSES
from generator.wording import (
    attacks_and_strikes,
    incident_date,
    incident_place,
    incident_title,
    incident_url,
    place_or_title,
    plural,
)

from .figure import ATTACK, EPISODE, OTHER, STRIKE, Cell, Chart, Table, figure, trace

TIMELINE_LIMIT = 1000  # the timeline shows the latest incidents; the table says how many


def _legend_marker(name: str, symbol: str) -> dict[str, object]:
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
    dataset: Dataset,
    *,
    labels: bool = False,
) -> dict[str, object]:
    """Markers for the attacks (circles) or US strikes (diamonds) among incidents: filled
    when officially confirmed or claimed, open when only reported."""
    name, colour, symbol = KIND_MARKERS[kind]
    points = [i for i in incidents if i.kind == kind]
    extra: dict[str, object] = {"mode": "markers", "meta": {"lane": kind}}
    if labels:  # placed by charts.js where they find room, in the order of the incidents
        order = {i.id: n for n, i in enumerate(incidents)}
        extra = {
            "mode": "markers+text",
            "textposition": "middle right",
            "text": [escape.plotly(_short_place(i, dataset)) for i in points],
            "textfont": {"size": 12},
            "cliponaxis": False,
            "meta": {"lane": kind, "labels": {"rank": [order[i.id] for i in points]}},
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


def _short_place(incident: Incident, dataset: Dataset) -> str:
    place = place_or_title(incident, dataset)
    return place if len(place) <= 28 else place[:27] + "…"


def _lanes(incidents: tuple[Incident, ...], step: float) -> dict[str, float]:
    """Attacks on the upper lane, strikes on the lower; same-day ones stack outwards."""
    stack: Counter[tuple[str, object]] = Counter()
    y: dict[str, float] = {}
    for i in incidents:
        k = stack[(i.kind, i.date)]
        stack[(i.kind, i.date)] += 1
        y[i.id] = 1 + step * k if i.is_attack else -step * k
    return y


def _lane_axis(y: dict[str, float], pad: float) -> dict[str, object]:
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
    ends: list[list[str]] = []  # the incidents each line joins, for charts.js to follow them
    for i in incidents:
        for ref in i.responds_to:
            if ref in shown:
                links_x += [xs[ref], xs[i.id], None]
                links_y += [y[ref], y[i.id], None]
                ends.append([incident_url(ref), incident_url(i.id)])
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
            meta={"ends": ends},
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
    fig = figure(
        traces,
        xaxis={"type": "date", "tickformat": "%b %Y", "hoverformat": "%d %B %Y"},
        yaxis=_lane_axis(y, 0.6),
        legend={"orientation": "h", "y": -0.15},
        margin={"t": 28},
        hovermode="closest",
        shapes=shapes,
        annotations=notes,
        # customdata[4] is the page a click on a marker opens, and names it for charts.js,
        # which stacks markers that would touch and lifts episode numbers that would meet.
        meta={"link": 4, "timeline": {"numbers": True}},
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
    links = len(ends)
    limited = len(incidents) < len(dataset.incidents)
    return Chart(
        id="escalation-timeline",
        title="Escalation timeline",
        caption=(
            "Each attack on a base (circles, top) and each US strike (diamonds, bottom) "
            "on one time axis, stacked outwards from its row where markers would touch; "
            f"the {plural(links, 'line')} "
            f"{'joins' if links == 1 else 'join'} an incident to the one it responded to, and "
            "each numbered band is an episode, drawn on its own below. "
            "Open markers are reported only; filled ones are officially confirmed or "
            "claimed. Click a marker to open the incident"
            + (f". Only the latest {len(incidents):,} incidents are shown." if limited else ".")
        ),
        figure=fig,
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
    linked = [(i, ref) for i in incidents for ref in i.responds_to if ref in ids]
    ends = [[incident_url(i.id), incident_url(ref)] for i, ref in linked]  # (to, from)
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
        for i, ref in linked
    ]
    start = dt.datetime.combine(episode.first, dt.time())
    end = dt.datetime.combine(episode.last, dt.time()) + dt.timedelta(days=1)
    days = (end - start).days
    fig = figure(
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
        # charts.js stacks markers that would touch, places the labels where they find room,
        # and moves each arrow (to, from) with its markers.
        meta={"link": 4, "timeline": {"arrows": ends}},
    )
    by_id = dataset.incident_by_id
    return Chart(
        id=episode.id,
        title=f"Episode {episode.number} day by day",
        caption=attacks_and_strikes(episode.count, on="")
        + ", each arrow from an incident to the one that answered it. Attacks above, US "
        "strikes below; a marker sits at the local time when the record gives one. Each is "
        "labelled with its place where the label finds room; the chronology below names all.",
        figure=fig,
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
