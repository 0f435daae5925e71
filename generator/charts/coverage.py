"""The records' running count of attacks beside the official counts of dataset.yaml's
``tallies``: how much of what officials counted the dataset holds, day by day."""

from __future__ import annotations

from generator.dates import long_date
from generator.stats import Stats
from generator.wording import official_count

from .figure import ATTACK, OTHER, Chart, Table, figure, trace


def official_counts(stats: Stats) -> Chart | None:
    """Attacks recorded since the official counts' start, as a running total, and each
    official count of attacks as a point; None when the dataset gives no count of attacks."""
    rows = [r for r in stats.tallies if r.official.of == "attacks"]
    if not rows:
        return None
    since = min(r.official.since or stats.dataset.incidents[0].date for r in rows)
    until = max(r.official.as_of for r in rows)
    running = stats.recorded_by_day("attacks", since, until)
    days = [since.isoformat()] + [d.isoformat() for d, _ in running] + [until.isoformat()]
    counts = [0] + [n for _, n in running] + [running[-1][1] if running else 0]
    recorded = trace(
        "scatter",
        x=days,
        y=counts,
        mode="lines",
        line={"shape": "hv", "color": ATTACK, "width": 2},
        name="Recorded here",
        hovertemplate="%{y} attacks recorded by %{x|%-d %b %Y}<extra></extra>",
    )
    official = trace(
        "scatter",
        x=[r.official.as_of.isoformat() for r in rows],
        y=[r.official.count for r in rows],
        mode="markers",
        marker={"color": OTHER, "size": 8, "symbol": "diamond"},
        name="Official counts",
        text=[official_count(r.official) for r in rows],
        hovertemplate="%{text}<extra></extra>",
    )
    fig = figure(
        [recorded, official],
        xaxis={"type": "date", "fixedrange": True, "tickformat": "%-d %b<br>%Y"},
        yaxis={"title": {"text": "Attacks"}, "rangemode": "tozero", "fixedrange": True},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    )
    table = Table(
        ("Day", "Official count", "Recorded here", "Share"),
        tuple(
            (
                long_date(r.official.as_of),
                official_count(r.official),
                r.recorded,
                f"{r.share:.0%}" if r.share is not None else "",
            )
            for r in rows
        ),
    )
    return Chart(
        id="official-counts",
        title="Attacks recorded here beside the official counts",
        caption="The attacks this dataset records from "
        f"{long_date(since)}, added up day by day (the line), and each count of attacks "
        "that officials gave over the same days, as reported (the diamonds). Where the line "
        "runs below the diamonds, attacks that officials counted are missing from the records.",
        figure=fig,
        table=table,
        height=380,
    )
