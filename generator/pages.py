"""Render the Jinja2 templates in templates/ into the Markdown pages of the site.

Text from the data never becomes Markdown or HTML syntax: templates put it into HTML
(autoescaped by Jinja2) or, in headings, through the ``md`` filter, which escapes both
Markdown and HTML. Links between generated pages are relative, so the site works under any
``site_url`` path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator import charts as ch
from generator.model import (
    ATTRIBUTIONS,
    DATE_PRECISIONS,
    KINDS,
    LOCATION_PRECISIONS,
    STATUSES,
    WEAPONS,
    Dataset,
    Incident,
)
from generator.stats import MONTH_NAMES, Stats, month_label

LATEST = 10  # incidents listed on the overview

STRIKE_LABELS = {
    "airstrike": "US airstrike",
    "artillery": "US artillery fire",
    "missile": "US missile strike",
    "drone": "US drone strike",
    "rocket": "US rocket fire",
    "mortar": "US mortar fire",
    "indirect-fire": "US indirect fire",
    "small-arms": "US small-arms fire",
}

# Characters Python-Markdown (with the tables extension) treats as syntax and accepts a
# backslash before. '<', '>' and '&' are escaped as HTML entities instead.
_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


@dataclass(frozen=True)
class Page:
    path: str  # relative to docs/, e.g. "bases/green-village.md"
    text: str

    @property
    def url(self) -> str:
        return page_url(self.path)


def page_url(path: str) -> str:
    """docs path -> site URL (MkDocs directory URLs): 'bases/x.md' -> 'bases/x/'."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


# --- filters -------------------------------------------------------------------------------


def md(text: str) -> Markup:
    """Inline text for a Markdown context (a heading, a link text): shown exactly as written."""
    flat = " ".join(str(text).split())
    return Markup(escape(_MD_ESCAPE.sub(r"\\\1", flat)))


def paragraphs(text: str) -> Markup:
    """Plain text with blank lines between paragraphs -> escaped <p> elements."""
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(text))]
    return Markup("\n").join(Markup("<p>{}</p>").format(p) for p in parts if p)


@jinja2.pass_context
def href(context: Any, target: str) -> str:
    """A site-root-relative URL ('bases/x/', 'charts/y.json') made relative to this page."""
    here: str = context["page_url"]
    up = "../" * here.count("/")
    return (up + target) or "./"


@jinja2.pass_context
def mdlink(context: Any, target: str) -> str:
    """A docs path ('incidents/x.md') made relative to this page's file, for Markdown links."""
    here = Path(context["page_path"]).parent
    return Path("../" * len(here.parts) + target).as_posix()


def long_date(value: Any) -> str:
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"


def short_date(value: Any) -> str:
    return f"{value.day} {MONTH_NAMES[value.month - 1][:3]} {value.year}"


def incident_date(incident: Incident, *, short: bool = True) -> str:
    """The date as precisely as it is known."""
    if incident.date_precision == "month":
        return month_label(incident.month, short=short)
    shown = short_date(incident.date) if short else long_date(incident.date)
    return f"c. {shown}" if incident.date_precision == "week" else shown


def count(n: int, word: str) -> str:
    return ch.plural(n, word)


# --- titles and links ----------------------------------------------------------------------


def incident_title(incident: Incident, dataset: Dataset) -> str:
    if incident.title:
        return incident.title
    if incident.kind == "attack":
        base = dataset.base_by_id[incident.base or ""].name
        what = "Attack" if incident.weapon == "unknown" else f"{WEAPONS[incident.weapon]} attack"
        return f"{what} on {base}"
    return f"{STRIKE_LABELS.get(incident.weapon, 'US strike')} — {incident.location}"


def incident_place(incident: Incident, dataset: Dataset) -> str:
    """Where, in a few words: the base for attacks, the location for strikes."""
    if incident.kind == "attack" and incident.base:
        return dataset.base_by_id[incident.base].name
    return incident.location or ""


def incident_country(incident: Incident, dataset: Dataset) -> str | None:
    if incident.country:
        return incident.country
    if incident.base:
        return dataset.base_by_id[incident.base].country
    return None


# --- rendering -----------------------------------------------------------------------------


class Renderer:
    """Renders every page of the site from the templates."""

    def __init__(self, templates_dir: Path, dataset: Dataset, stats: Stats) -> None:
        self.dataset = dataset
        self.stats = stats
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            md=md,
            paragraphs=paragraphs,
            href=href,
            mdlink=mdlink,
            long_date=long_date,
            short_date=short_date,
            month_label=month_label,
            count=count,
        )
        self.env.globals.update(
            dataset=dataset,
            stats=stats,
            kinds=KINDS,
            weapons=WEAPONS,
            statuses=STATUSES,
            date_precisions=DATE_PRECISIONS,
            attributions=ATTRIBUTIONS,
            location_precisions=LOCATION_PRECISIONS,
            title=lambda i: incident_title(i, dataset),
            place=lambda i: incident_place(i, dataset),
            country=lambda i: incident_country(i, dataset),
            when=incident_date,
        )

    def render(self, template: str, path: str, **context: Any) -> Page:
        text = self.env.get_template(template).render(
            page_path=path, page_url=page_url(path), **context
        )
        return Page(path, text)


@dataclass(frozen=True)
class SiteCharts:
    """Every chart of the site, by the page that shows it."""

    heatmap: ch.Chart | None
    stacked: ch.Chart | None
    per_base: ch.Chart | None
    per_month: ch.Chart | None
    base: dict[str, ch.Chart]
    month: dict[str, ch.Chart]

    def __iter__(self) -> Iterator[ch.Chart]:
        fixed = (self.heatmap, self.stacked, self.per_base, self.per_month)
        yield from (c for c in fixed if c is not None)
        yield from self.base.values()
        yield from self.month.values()


def build_charts(stats: Stats) -> SiteCharts:
    base_charts = {b.id: ch.base_attacks_per_month(stats, b) for b in stats.dataset.bases}
    month_charts = {m: ch.month_attacks_by_base(stats, m) for m in stats.active_months}
    return SiteCharts(
        heatmap=ch.attack_heatmap(stats),
        stacked=ch.attack_stacked_bars(stats),
        per_base=ch.attacks_per_base(stats),
        per_month=ch.incidents_per_month(stats),
        base={k: c for k, c in base_charts.items() if c is not None},
        month={k: c for k, c in month_charts.items() if c is not None},
    )


def render_pages(renderer: Renderer, charts: SiteCharts) -> list[Page]:
    dataset, stats = renderer.dataset, renderer.stats
    incidents = dataset.incidents
    pages = [
        renderer.render(
            "overview.md.j2", "index.md", charts=charts, latest=tuple(reversed(incidents[-LATEST:]))
        ),
        renderer.render("bases.md.j2", "bases/index.md", chart=charts.per_base),
        renderer.render("months.md.j2", "months/index.md", chart=charts.per_month),
        renderer.render("incidents.md.j2", "incidents/index.md"),
    ]
    pages += [
        renderer.render(
            "base.md.j2",
            f"bases/{b.id}.md",
            base=b,
            chart=charts.base.get(b.id),
            incidents=stats.by_base[b.id],
        )
        for b in dataset.bases
    ]
    pages += [
        renderer.render(
            "month.md.j2",
            f"months/{m}.md",
            month=m,
            chart=charts.month.get(m),
            incidents=stats.by_month[m],
        )
        for m in stats.active_months
    ]
    pages += [
        renderer.render("incident.md.j2", f"incidents/{i.id}.md", incident=i) for i in incidents
    ]
    return pages
