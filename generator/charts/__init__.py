"""Plotly figures of attack frequency, each with a data table holding the same numbers.

A figure is plain JSON data, without Plotly's default template (tests/test_charts.py checks
each one with ``plotly.graph_objects``); the page shows an empty container that
``docs/assets/javascripts/charts.js`` fills, adding colours for the light or dark theme.

    figure      what every chart shares: colours, Chart and Table, traces, month axes
    frequency   attacks by base and month, per base, per month (stacked), by status
    timeline    every incident on one time axis; each episode on its own day scale
    map         bases, attack sites and strikes on the map, with their labels
    coverage    the records' running count of attacks beside the official counts
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.stats import Stats

from .coverage import official_counts
from .figure import COLOURS, Cell, Chart, Table
from .frequency import (
    actor_attacks_per_month,
    attack_heatmap,
    attack_stacked_bars,
    attacks_by_status,
    attacks_per_base,
    base_attacks_per_month,
    heat_steps,
    incidents_per_month,
    month_attacks_by_base,
)
from .map import incident_map
from .timeline import EPISODE_CHARTS, episode_chart, escalation_timeline

__all__ = ["COLOURS", "Cell", "Chart", "SiteCharts", "Table", "build_charts", "heat_steps"]


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
    coverage: Chart | None  # the records beside the official counts (dataset.yaml's tallies)
    base: dict[str, Chart]
    month: dict[str, Chart]
    actor: dict[str, Chart]
    episode: dict[str, Chart]  # episode id -> chart, for the latest EPISODE_CHARTS

    def _fixed(self) -> Iterator[Chart]:
        """The site-wide charts the data has, one each."""
        fixed = (
            self.heatmap,
            self.stacked,
            self.by_status,
            self.per_base,
            self.per_month,
            self.timeline,
            self.map,
            self.coverage,
        )
        yield from (c for c in fixed if c is not None)

    def __iter__(self) -> Iterator[Chart]:
        yield from self._fixed()
        yield from self.base.values()
        yield from self.month.values()
        yield from self.actor.values()
        yield from self.episode.values()

    def main(self) -> Iterator[Chart]:
        """The charts that stand on their own, each offered on a page of its own for other
        sites to embed: every chart but the months' and the actors'."""
        yield from self._fixed()
        yield from self.episode.values()
        yield from self.base.values()


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
        coverage=official_counts(stats),
        base={k: c for k, c in base_charts.items() if c is not None},
        month={k: c for k, c in month_charts.items() if c is not None},
        actor={k: c for k, c in actor_charts.items() if c is not None},
        episode={e.id: episode_chart(stats, e) for e in stats.episodes[-EPISODE_CHARTS:]},
    )
