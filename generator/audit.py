"""Prove that nothing was lost between the records and the pages. Runs on every build.

Every incident must appear exactly once in the incidents index, once on its month page and,
for an attack, once on its base page; every chart must add up to the records it counts.
A failure here is a bug in the generator or a template, never in the data.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

from generator.charts import Chart
from generator.errors import BuildError
from generator.exports import Export
from generator.pages import SiteContext


def index_row(incident_id: str) -> str:
    """How a table row names its incident (see templates/_macros.md.j2)."""
    return f'data-id="{incident_id}"'


def month_entry(incident_id: str) -> str:
    """How a month page anchors an incident's entry (see templates/month.md.j2)."""
    return f'<h3 id="{incident_id}">'


def embed_figure(chart: Chart) -> str:
    """How an embed page names the figure it draws (see templates/embed.html.j2)."""
    return f'<div class="chart" data-src="../../{chart.path}"'


_ROW = re.compile(index_row("([a-z0-9-]+)"))
_ENTRY = re.compile(month_entry("([a-z0-9-]+)"))


# Tables after a page's own list that may repeat its incidents: an actor's claims, the
# attacks counted at another base that also hit this one.
_SECONDARY = re.compile('<table id="(?:claimed-list|also-hit-list)"')


def _main_part(page: str) -> str:
    """The page up to its secondary tables: where each of its incidents is listed once."""
    found = _SECONDARY.search(page)
    return page[: found.start()] if found else page


def audit(
    site: SiteContext,
    pages: dict[str, str],
    redirects: dict[str, bytes],
    embeds: dict[str, bytes] | None = None,
) -> None:
    """Raise BuildError listing every incident or count that went missing on the way.

    ``site`` is what the templates were given; ``pages`` maps docs paths to the Markdown
    made; ``redirects`` the small pages that keep permanent addresses working; ``embeds``
    the pages of the main charts, for other sites to embed.
    """
    stats = site.stats
    charts, exports = site.charts, site.exports
    problems: list[str] = []
    found: dict[str, Counter[str]] = {}  # page -> incident id -> times it appears there

    def once(page: str, pattern: re.Pattern[str], what: str) -> None:
        if page not in found:  # read each page once, however many incidents it holds
            found[page] = Counter(pattern.findall(_main_part(pages.get(page, ""))))
        if (n := found[page][what]) != 1:
            problems.append(f"{what} appears {n} times on {page}, not once")

    for incident in stats.dataset.incidents:
        if site.incident_pages and f"incidents/{incident.id}.md" not in pages:
            problems.append(f"{incident.id} has no page")
        if not site.incident_pages and f"incidents/{incident.id}/index.html" not in redirects:
            problems.append(f"{incident.id} has no permanent address")
        for old in incident.previous_ids:
            if f"incidents/{old}/index.html" not in redirects:
                problems.append(f"{incident.id}'s previous id {old} leads nowhere")
        once(site.index_page(incident), _ROW, incident.id)
        once(f"months/{incident.month}.md", _ENTRY, incident.id)
        if incident.is_attack and (place := stats.site_of(incident)) is not None:
            once(f"bases/{place.id}.md", _ROW, incident.id)
        if (actor := stats.dataset.actor_of(incident)) is not None:
            once(f"actors/{actor.id}.md", _ROW, incident.id)

    attacks, strikes = stats.total.attacks, stats.total.strikes
    expected: list[tuple[Chart | None, str | None, int]] = [
        (charts.heatmap, None, attacks),
        (charts.stacked, None, attacks),
        (charts.per_base, None, attacks),
        (charts.per_month, "Attacks on bases", attacks),
        (charts.per_month, "US strikes", strikes),
    ]
    expected += [(c, None, stats.attacks_per_site[b]) for b, c in charts.base.items()]
    actors = stats.dataset.actor_by_id
    expected += [
        (c, None, len(stats.attacks_in(stats.by_actor(actors[a])))) for a, c in charts.actor.items()
    ]
    expected += [(c, None, stats.attacks_per_month[m]) for m, c in charts.month.items()]
    for chart, trace, total in expected:
        if chart is not None and (drawn := chart_total(chart, trace)) != total:
            problems.append(f"chart {chart.id} adds up to {drawn}, not {total}")
        if chart is not None and (tabled := table_total(chart, trace)) != total:
            problems.append(f"the table of chart {chart.id} adds up to {tabled}, not {total}")
    if attacks and charts.heatmap is None:
        problems.append("there are attacks but no heatmap")
    for chart in charts.main():  # each main chart on a page of its own, drawing its figure
        page = (embeds or {}).get(f"embed/{chart.id}/index.html", b"").decode()
        if embed_figure(chart) not in page:
            problems.append(f"chart {chart.id} has no embed page drawing it")
    incidents = len(stats.dataset.incidents)
    for export in exports:
        if export.path.startswith("data/incidents.") and (n := records_in(export)) != incidents:
            problems.append(f"{export.path} holds {n} incidents, not {incidents}")

    if problems:
        raise BuildError(
            "The build's own check failed: records went missing between the data and the "
            "pages. This is a bug in the generator or a template, not in the data:\n  "
            + "\n  ".join(problems)
        )


def records_in(export: Export) -> int:
    """Count the incidents a download really holds, by reading it back."""
    text = export.data.decode("utf-8")
    if export.path.endswith(".csv"):
        # A cell may be as long as the file (a record with hundreds of sources): raise the
        # csv module's limit (131,072) so that reading it back never fails.
        csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
        return len(list(csv.reader(io.StringIO(text, newline="")))) - 1
    document = json.loads(text)
    for key in ("features", "rows", "incidents"):
        if key in document:
            return len(document[key])
    return 0


def chart_total(chart: Chart, trace_name: str | None = None) -> int:
    """The sum of the values a figure draws (of one named trace, if given)."""
    total = 0
    traces = chart.figure["data"]
    for trace in traces if isinstance(traces, list) else []:
        if trace_name is not None and trace.get("name") != trace_name:
            continue
        if trace["type"] not in ("bar", "heatmap"):  # labels (a bar's total) count nothing
            continue
        if trace["type"] == "heatmap":
            total += sum(_numbers(row) for row in trace["z"])
        else:
            total += _numbers(trace["x"] if trace.get("orientation") == "h" else trace["y"])
    return total


def _numbers(values: object) -> int:
    """The sum of the whole numbers in a list of a figure (its gaps are None)."""
    found = values if isinstance(values, list) else []
    return sum(v for v in found if isinstance(v, int))


def table_total(chart: Chart, trace_name: str | None = None) -> int:
    """The sum of a chart's data table: its 'Total' column, or the named or only column."""
    columns = chart.table.columns
    name = "Total" if "Total" in columns else (_column_for(trace_name) or columns[-1])
    k = columns.index(name)
    return sum(v for row in chart.table.rows if isinstance(v := row[k], int))


def _column_for(trace_name: str | None) -> str | None:
    return {"Attacks on bases": "Attacks", "US strikes": "US strikes"}.get(trace_name or "")
