"""What every chart shares: colours by name, the Chart and its data Table, traces as plain
data, and the month axes that carry a label under every bar and column."""

from __future__ import annotations

import json
from dataclasses import dataclass

from generator import escape
from generator.dates import month_label
from generator.stats import AttackSite, Stats
from generator.vocabularies import ATTRIBUTIONS, STATUSES
from generator.wording import plural

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
# Text drawn quieter than the rest (the map's country names): 4.5:1 or more against the
# map's land and the page in both palettes, which OTHER, a grey for marks, is not.
QUIET_TEXT = "--tracker-quiet-text"
COLOURS = (ATTACK, STRIKE, OTHER, *BASE_COLOURS, *EVIDENCE, *HEAT, EPISODE, RING, QUIET_TEXT)
STACKED_BASES = len(BASE_COLOURS)  # bases shown on their own in stacked charts; the rest summed


def status_colour(status: str) -> str:
    return STATUS_COLOURS[status]


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
    figure: dict[str, object]
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


def trace(kind: str, **properties: object) -> dict[str, object]:
    """A Plotly trace as plain data, e.g. trace("bar", x=[…], y=[…])."""
    return {"type": kind, **properties}


def figure(data: list[dict[str, object]], **layout: object) -> dict[str, object]:
    """A figure as plain JSON data, with no template (the loader sets a theme-aware layout).

    Building it with plotly.graph_objects would check every property name, but costs a deep
    copy of everything (1 s of a 1,000-incident build); tests/test_charts.py checks every
    figure of the sample site that way instead.
    """
    figure: dict[str, object] = json.loads(json.dumps({"data": data, "layout": layout}))
    return figure


def site_colours(stats: Stats) -> dict[str, str]:
    """The same colour for a site on every chart: by attack rank, the rest grey."""
    return {
        b.id: BASE_COLOURS[n] if n < len(BASE_COLOURS) else OTHER
        for n, b in enumerate(stats.sites_ranked)
    }


# --- months across: every bar and every column carries its own label ----------------------


def month_ticks(months: tuple[str, ...]) -> list[str]:
    """'Jun<br>2021' under the first month and each January, the month alone elsewhere."""
    out = []
    for n, key in enumerate(months):
        name = month_label(key, short=True)
        out.append(name.replace(" ", "<br>") if n == 0 or key.endswith("-01") else name[:3])
    return out


def month_axis(months: tuple[str, ...]) -> dict[str, object]:
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
        "ticktext": month_ticks(months),
        "fixedrange": True,
    }


def month_meta(months: tuple[str, ...]) -> dict[str, object]:
    return {"months": [month_label(m, short=True) for m in months]}


def whole_numbers(top: int) -> dict[str, object]:
    """Tick every whole number while that is readable; Plotly's choice beyond that."""
    return {"dtick": 1} if top < 10 else {}


def site_cell(site: AttackSite) -> Cell:
    return Cell(site.name, site.url)


def per_month_axes(
    months: tuple[str, ...], counted: str, most: int, *, totals: bool = False
) -> dict[str, object]:
    """The layout of bars per month: months across, whole counts up, the legend above (the
    month labels below may stand upright and take room that a legend below would need).
    ``totals``: room above the tallest bar for its total (kept when the chart turns)."""
    room = {"range": [0, round(max(most, 1) * 1.15, 2)]} if totals else {}
    return {
        "xaxis": month_axis(months),
        "yaxis": {
            "title": {"text": counted},
            "rangemode": "tozero",
            "fixedrange": True,
            **whole_numbers(most),
            **room,
        },
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        "meta": month_meta(months),
    }


def month_bars(
    months: tuple[str, ...],
    values: list[int],
    word: str,
    *,
    name: str,
    colour: str,
    hover: str = "",
    after: str = "",
) -> dict[str, object]:
    """One series of bars per month; hovering says 'June 2021: 3 attacks' (``hover`` before
    it, ``after`` after it)."""
    return trace(
        "bar",
        x=list(months),
        y=values,
        name=escape.plotly(name),
        marker={"color": colour},
        customdata=[[month_label(m), plural(n, word)] for m, n in zip(months, values, strict=True)],
        hovertemplate=hover + "%{customdata[0]}: %{customdata[1]}" + after + "<extra></extra>",
    )


def month_cell(month: str, stats: Stats) -> Cell:
    return Cell(month_label(month), f"months/{month}/" if month in stats.by_month else None)
