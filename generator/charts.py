"""Plotly figures of attack frequency, each with a data table holding the same numbers.

A figure is built with ``plotly.graph_objects`` (which checks every property name), then
stored as plain JSON without Plotly's default template; the page shows an empty container
that ``docs/assets/javascripts/charts.js`` fills, adding colours for the light or dark theme.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

from generator.model import Base
from generator.stats import Stats, month_label

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


@dataclass(frozen=True)
class Cell:
    text: str
    url: str | None = None  # site-root-relative page URL, e.g. "bases/green-village/"


@dataclass(frozen=True)
class Table:
    """A data table: the first column holds row headers."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell | int, ...], ...]


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

    @property
    def bars(self) -> int:
        """Bars with a value above zero (what a browser test expects to see drawn)."""
        return sum(
            1
            for t in self.figure["data"]
            if t["type"] == "bar"
            for v in t.get("y" if t.get("orientation") != "h" else "x", ())
            if v
        )

    @property
    def cells(self) -> int:
        return sum(
            len(t["z"]) * len(t["z"][0]) for t in self.figure["data"] if t["type"] == "heatmap"
        )


def plotly_text(text: str) -> str:
    """Plotly renders a small HTML subset in labels; escape so names show as written."""
    return html.escape(text, quote=False)


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _figure(data: list[Any], **layout: Any) -> dict[str, Any]:
    """Check the figure with plotly.graph_objects, then keep it as plain JSON data."""
    fig = go.Figure(data=data, layout=layout).to_plotly_json()
    fig["layout"].pop("template", None)  # the loader sets a light, theme-aware layout
    return json.loads(json.dumps(fig, cls=PlotlyJSONEncoder))


def base_colours(stats: Stats) -> dict[str, str]:
    """The same colour for a base on every chart: by attack rank, the rest grey."""
    return {
        b.id: PALETTE[n] if n < len(PALETTE) else OTHER_COLOUR
        for n, b in enumerate(stats.bases_ranked)
    }


def _month_axis(months: tuple[str, ...]) -> dict[str, Any]:
    """A date axis spanning whole months, with a little room so edge bars are not cut."""
    start = dt.date.fromisoformat(f"{months[0]}-01") - dt.timedelta(days=10)
    year, month = map(int, months[-1].split("-"))
    end = dt.date(year + month // 12, month % 12 + 1, 1) + dt.timedelta(days=10)
    return {
        "type": "date",
        "tickformat": "%b %Y",
        "hoverformat": "%B %Y",
        "range": [start.isoformat(), end.isoformat()],
    }


def _whole_numbers(top: int) -> dict[str, Any]:
    """Tick every whole number while that is readable; Plotly's choice beyond that."""
    return {"dtick": 1} if top < 10 else {}


def _base_cell(base: Base) -> Cell:
    return Cell(base.name, f"bases/{base.id}/")


def _month_cell(month: str, stats: Stats) -> Cell:
    return Cell(month_label(month), f"months/{month}/" if month in stats.by_month else None)


# --- the charts ----------------------------------------------------------------------------


def attack_heatmap(stats: Stats) -> Chart | None:
    bases, months = stats.bases_ranked, stats.months
    if not bases:
        return None
    z = [[stats.attack_counts[(b.id, m)] for m in months] for b in bases]
    top = max(max(row) for row in z)
    figure = _figure(
        [
            go.Heatmap(
                x=list(months),
                y=[plotly_text(b.name) for b in bases],
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
    rows = tuple((_base_cell(b), *row, sum(row)) for b, row in zip(bases, z, strict=True))
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
    ranked, months = stats.bases_ranked, stats.months
    if not ranked:
        return None
    shown, rest = ranked[:STACKED_BASES], ranked[STACKED_BASES:]
    colours = base_colours(stats)
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
            go.Bar(
                x=list(months),
                y=values,
                name=plotly_text(name),
                marker={"color": colour},
                customdata=[plural(n, "attack") for n in values],
                xperiod="M1",
                xperiodalignment="middle",
                hovertemplate="%{fullData.name}<br>%{x|%B %Y}: %{customdata}<extra></extra>",
            )
            for name, colour, values in series
        ],
        barmode="stack",
        xaxis=_month_axis(months),
        yaxis={
            "title": {"text": "Attacks"},
            "rangemode": "tozero",
            **_whole_numbers(max(stats.attacks_per_month.values())),
        },
        legend={"orientation": "h", "y": -0.2, "traceorder": "normal"},
    )
    rows = tuple(
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
    bases = stats.bases_ranked
    if not bases:
        return None
    colours = base_colours(stats)
    counts = [stats.attacks_per_base[b.id] for b in bases]
    figure = _figure(
        [
            go.Bar(
                x=counts,
                y=[plotly_text(b.name) for b in bases],
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
            tuple((_base_cell(b), n) for b, n in zip(bases, counts, strict=True)),
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
            go.Bar(
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
        xaxis=_month_axis(months),
        yaxis={
            "title": {"text": "Incidents"},
            "rangemode": "tozero",
            **_whole_numbers(max(max(attacks), max(strikes))),
        },
        legend={"orientation": "h", "y": -0.2, "traceorder": "normal"},
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


def base_attacks_per_month(stats: Stats, base: Base) -> Chart | None:
    if not stats.attacks_per_base[base.id]:
        return None
    months = stats.months
    counts = [stats.attack_counts[(base.id, m)] for m in months]
    figure = _figure(
        [
            go.Bar(
                x=list(months),
                y=counts,
                name="Attacks",
                marker={"color": base_colours(stats).get(base.id, OTHER_COLOUR)},
                customdata=[plural(n, "attack") for n in counts],
                xperiod="M1",
                xperiodalignment="middle",
                hovertemplate="%{x|%B %Y}: %{customdata}<extra></extra>",
            )
        ],
        xaxis=_month_axis(months),
        yaxis={"title": {"text": "Attacks"}, "rangemode": "tozero", **_whole_numbers(max(counts))},
    )
    return Chart(
        id=f"base-{base.id}",
        title=f"Attacks on {base.name} per month",
        caption=f"Attacks recorded on this base each month, {stats.period} "
        "(the whole period of the dataset).",
        figure=figure,
        table=Table(
            ("Month", "Attacks"),
            tuple((_month_cell(m, stats), n) for m, n in zip(months, counts, strict=True)),
        ),
        height=300,
    )


def month_attacks_by_base(stats: Stats, month: str) -> Chart | None:
    rows = stats.month_base_counts(month)
    if not rows:
        return None
    colours = base_colours(stats)
    figure = _figure(
        [
            go.Bar(
                x=[n for _, n in rows],
                y=[plotly_text(b.name) for b, _ in rows],
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
        table=Table(("Base", "Attacks"), tuple((_base_cell(b), n) for b, n in rows)),
        height=120 + 34 * len(rows),
    )
