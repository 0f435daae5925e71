"""How often: attacks by base and month (the heatmap), per base, per month (stacked by base,
by status, by attribution), and attacks and US strikes per month."""

from __future__ import annotations

import math
from dataclasses import dataclass

from generator import escape
from generator.dates import month_end, month_label, month_start
from generator.model import Actor
from generator.stats import AttackSite, Stats
from generator.vocabularies import ATTRIBUTIONS, STATUSES
from generator.wording import plural

from .figure import (
    ATTACK,
    ATTRIBUTION_COLOURS,
    HEAT,
    OTHER,
    STACKED_BASES,
    STRIKE,
    Chart,
    Row,
    Table,
    figure,
    month_axis,
    month_bars,
    month_cell,
    month_meta,
    per_month_axes,
    site_cell,
    site_colours,
    status_colour,
    trace,
    whole_numbers,
)


def _with_statuses(stats: Stats, base: str, month: str) -> str:
    """'3 attacks: 2 officially confirmed, 1 reported' (or '0 attacks')."""
    total = stats.attack_counts[(base, month)]
    parts = [
        f"{n} {STATUSES[s].lower()}"
        for s in reversed(STATUSES)
        if (n := stats.attack_status_counts[(base, month, s)])
    ]
    return plural(total, "attack") + (": " + ", ".join(parts) if parts else "")


def _base_month(site: AttackSite, month: str, attacks: int) -> str | None:
    """The base's page showing one month's attacks (its table filtered by kind and date),
    for a heatmap cell with attacks; None for an empty cell."""
    if not attacks:
        return None
    first, last = month_start(month).isoformat(), month_end(month).isoformat()
    return f"{site.url}?kind=attack&from={first}&to={last}"


@dataclass(frozen=True)
class Series:
    """One part of a stacked bar: its name in the legend and table, colour and monthly counts."""

    name: str
    colour: str
    values: list[int]
    before: str = ""  # hover text before the month ('%{fullData.name}<br>')
    after: str = ""  # hover text after the count (' (reported)')


def stacked_per_month(
    stats: Stats,
    series: list[Series],
    totals: list[int],
    *,
    id: str,
    title: str,
    caption: str,
    height: int,
) -> Chart:
    """Attacks per month as stacked bars, one part per series that has any, and the table
    with a column per part and the month's total: the one shape of every stacked chart."""
    months = stats.months
    shown = [s for s in series if any(s.values)]
    bars = []
    for s in shown:
        bars.append(
            month_bars(
                months,
                s.values,
                "attack",
                name=s.name,
                colour=s.colour,
                hover=s.before,
                after=s.after,
            )
        )
    fig = figure(
        [*bars, bar_totals(months, totals)],
        barmode="stack",
        **per_month_axes(months, "Attacks", max(totals), totals=True),
    )
    rows: tuple[Row, ...] = tuple(
        (month_cell(m, stats), *(s.values[k] for s in shown), totals[k])
        for k, m in enumerate(months)
    )
    columns = ("Month", *(s.name for s in shown), "Total")
    return Chart(id, title, caption, fig, Table(columns, rows), height)


def bar_totals(months: tuple[str, ...], totals: list[int]) -> dict[str, object]:
    """The total of each stacked bar, written on top of it (none over an empty month): text
    only, no marker, no hover, no legend entry; the audit counts bars, not these."""
    return trace(
        "scatter",
        x=list(months),
        y=totals,
        mode="text",
        text=[f"{n:,}" if n else "" for n in totals],
        textposition="top center",
        textfont={"size": 11},
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
        meta={"labels": "totals"},
    )


def _by_status(values: dict[str, list[int]]) -> list[Series]:
    """One series per status, the firmest first."""
    return [
        Series(STATUSES[s], status_colour(s), values[s], after=f" ({STATUSES[s].lower()})")
        for s in reversed(STATUSES)
    ]


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


def _stepped_scale(top: int) -> dict[str, object]:
    """A colour scale of steps, not a gradient: each count (or band of counts) one colour,
    and a key with one entry per step. Zero is a colour of its own."""
    steps = heat_steps(top)
    k = len(steps)
    shades = [HEAT[len(HEAT) - 1 - round((k - 1 - j) * 4 / max(k - 1, 1))] for j in range(k)]
    low, high = -0.5, top + 0.5

    def at(v: float) -> float:
        return round((v - low) / (high - low), 6)

    scale: list[list[object]] = [[0, HEAT[0]], [at(0.5), HEAT[0]]]
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
    fig = figure(
        [
            trace(
                "heatmap",
                x=list(months),
                y=[escape.plotly(b.name) for b in bases],
                z=z,
                text=[[str(n) if n else "" for n in row] for row in z],
                texttemplate="%{text}",
                customdata=[
                    [
                        [month_label(m), _with_statuses(stats, b.id, m), _base_month(b, m, n)]
                        for m, n in zip(months, row, strict=True)
                    ]
                    for b, row in zip(bases, z, strict=True)
                ],
                xgap=2,
                ygap=2,
                hovertemplate="%{y}<br>%{customdata[0]}: %{customdata[1]}<extra></extra>",
                **_stepped_scale(top),
            )
        ],
        xaxis=month_axis(months),
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        meta={**month_meta(months), "link": 2},  # a cell with attacks opens them (customdata[2])
    )
    rows: tuple[Row, ...] = tuple(
        (site_cell(b), *row, sum(row)) for b, row in zip(bases, z, strict=True)
    )
    columns = ("Base", *(month_label(m, short=True) for m in months), "Total")
    return Chart(
        id="attacks-by-base-and-month",
        title="Attacks by base and month",
        caption=f"Each cell counts the attacks recorded on one base in one month "
        f"({stats.period}); the stronger the cell's colour against the page, the more "
        "attacks. Bases with no recorded attack are left out. Click a cell to list its "
        "attacks on the base's page.",
        figure=fig,
        table=Table(columns, rows),
        height=150 + 34 * len(bases),
    )


def attack_stacked_bars(stats: Stats) -> Chart | None:
    ranked, months = stats.sites_ranked, stats.months
    if not ranked:
        return None
    shown, rest = ranked[:STACKED_BASES], ranked[STACKED_BASES:]
    colours = site_colours(stats)
    hover = "%{fullData.name}<br>"
    series = [
        Series(b.name, colours[b.id], [stats.attack_counts[(b.id, m)] for m in months], hover)
        for b in shown
    ]
    if rest:
        other = [sum(stats.attack_counts[(b.id, m)] for b in rest) for m in months]
        series.append(Series(f"Other bases ({len(rest)})", OTHER, other, hover))
    return stacked_per_month(
        stats,
        series,
        [stats.attacks_per_month[m] for m in months],
        id="attacks-per-month-by-base",
        title="Attacks per month, by base",
        caption="Each bar counts the attacks recorded in a month, split by the base attacked"
        + (f"; the {len(rest)} least attacked bases are summed as 'Other bases'." if rest else "."),
        height=380,
    )


def attacks_per_base(stats: Stats) -> Chart | None:
    bases = stats.sites_ranked
    if not bases:
        return None
    colours = site_colours(stats)
    counts = [stats.attacks_per_site[b.id] for b in bases]
    fig = figure(
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
            **whole_numbers(counts[0]),
        },
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
    )
    return Chart(
        id="attacks-per-base",
        title="Attacks per base",
        caption=f"All attacks recorded on each base, {stats.period}.",
        figure=fig,
        table=Table(
            ("Base", "Attacks"),
            tuple((site_cell(b), n) for b, n in zip(bases, counts, strict=True)),
        ),
        height=120 + 30 * len(bases),
    )


def incidents_per_month(stats: Stats) -> Chart | None:
    months = stats.months
    if not months:
        return None
    attacks = [stats.attacks_per_month[m] for m in months]
    strikes = [stats.strikes_per_month[m] for m in months]
    fig = figure(
        [
            month_bars(months, attacks, "attack", name="Attacks on bases", colour=ATTACK),
            month_bars(months, strikes, "US strike", name="US strikes", colour=STRIKE),
        ],
        barmode="group",
        **per_month_axes(months, "Incidents", max(max(attacks), max(strikes))),
    )
    rows = tuple(
        (month_cell(m, stats), a, s) for m, a, s in zip(months, attacks, strikes, strict=True)
    )
    return Chart(
        id="incidents-per-month",
        title="Attacks and US strikes per month",
        caption="Attacks on bases hosting US forces and strikes by US forces, counted by the "
        "month of the incident.",
        figure=fig,
        table=Table(("Month", "Attacks", "US strikes"), rows),
        height=360,
    )


def base_attacks_per_month(stats: Stats, base: AttackSite) -> Chart | None:
    if not stats.attacks_per_site[base.id]:
        return None
    months = stats.months
    values = {
        status: [stats.attack_status_counts[(base.id, m, status)] for m in months]
        for status in STATUSES
    }
    return stacked_per_month(
        stats,
        _by_status(values),
        [stats.attack_counts[(base.id, m)] for m in months],
        id=f"base-{base.id}",
        title=f"Attacks on {base.name} per month",
        caption=f"Attacks recorded on this base each month, {stats.period} (the whole period "
        "of the dataset), split by how they are known: officially confirmed, claimed "
        "by the attackers, or reported in the media.",
        height=320,
    )


def month_attacks_by_base(stats: Stats, month: str) -> Chart | None:
    rows = stats.month_site_counts(month)
    if not rows:
        return None
    colours = site_colours(stats)
    fig = figure(
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
            **whole_numbers(rows[0][1]),
        },
        yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
    )
    return Chart(
        id=f"month-{month}",
        title=f"Attacks by base, {month_label(month)}",
        caption=f"Attacks recorded in {month_label(month)} on each base attacked that month.",
        figure=fig,
        table=Table(("Base", "Attacks"), tuple((site_cell(b), n) for b, n in rows)),
        height=120 + 34 * len(rows),
    )


def actor_attacks_per_month(stats: Stats, actor: Actor) -> Chart | None:
    """An actor's attacks (its member groups' included) per month, by how the attribution is
    known: claimed by the group, attributed by officials, suspected, or not stated."""
    counts = stats.actor_attacks_per_month(actor)
    if not counts:
        return None
    months = stats.months
    kinds = [*((v, ATTRIBUTIONS[v].capitalize()) for v in ATTRIBUTIONS), (None, "Not stated")]
    series = [
        Series(name, ATTRIBUTION_COLOURS[v], [counts[(m, v)] for m in months], f"{name}<br>")
        for v, name in kinds
    ]
    return stacked_per_month(
        stats,
        series,
        [sum(counts[(m, v)] for v, _ in kinds) for m in months],
        id=f"actor-{actor.id}",
        title=f"Attacks by {actor.name} per month",
        caption="Attacks held against this group each month"
        + (", its member groups' included" if len(stats.actor_family(actor)) > 1 else "")
        + f", {stats.period}, split by how that is known: claimed by the group, attributed "
        "by officials, or suspected.",
        height=320,
    )


def attacks_by_status(stats: Stats) -> Chart | None:
    """Attacks per month split by how they are known (confirmed, claimed, reported)."""
    months = stats.months
    if not stats.attacks:
        return None
    values = {s: [stats.status_per_month[(m, s)] for m in months] for s in STATUSES}
    return stacked_per_month(
        stats,
        _by_status(values),
        [stats.attacks_per_month[m] for m in months],
        id="attacks-per-month-by-status",
        title="Attacks per month, by how they are known",
        caption="Each bar counts the attacks recorded in a month, split by status: officially "
        "confirmed (by the US military, the coalition or a government), claimed by "
        "the attackers, or reported in the media only. The stronger the colour against "
        "the page, the firmer the evidence.",
        height=360,
    )
