"""Render the Jinja2 templates in templates/ into the Markdown pages of the site.

Text from the data never becomes Markdown or HTML syntax: templates put it into HTML
(autoescaped by Jinja2) or, in headings, through the ``md`` filter, which escapes both
Markdown and HTML. Links between generated pages are relative, so the site works under any
``site_url`` path.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import jinja2
from jinja2.bccache import Bucket
from markupsafe import Markup

from generator import escape, hooks
from generator.charts import Chart, SiteCharts
from generator.dates import (
    date_span,
    long_date,
    month_key,
    month_label,
    month_start,
    next_month,
    short_date,
)
from generator.exports import (
    COLUMNS,
    COUNT_COLUMNS,
    GEO_PROPERTIES,
    INCIDENTS_JSON,
    TABLE_JSON,
    Export,
)
from generator.history import History, Version
from generator.model import OUTCOMES, SIDES, Dataset, Incident
from generator.parallel import parallel_map
from generator.settings import Settings
from generator.stats import Stats
from generator.text import country_parts, name_key
from generator.vocabularies import (
    ATTRIBUTIONS,
    BASE_TYPES,
    DATE_PRECISIONS,
    KINDS,
    LOCATION_PRECISIONS,
    STATUSES,
    TALLIED,
    WEAPONS,
    Vocabulary,
)
from generator.wording import (
    and_list,
    as_read,
    attacks_and_strikes,
    attacks_on_sites,
    casualties_brief,
    casualty_count,
    data_note,
    incident_country,
    incident_date,
    incident_place,
    incident_time,
    incident_title,
    incident_url,
    official_count,
    page_titles,
    place_or_title,
    plural,
    share_recorded,
    strike_phrase,
    tag_label,
    weapons_label,
)

LATEST = 10  # incidents listed on the overview
EMBED_WIDTH = 760  # px: the width embed code asks for (at most; it shrinks to fit)
EMBED_ROOM = 200  # px the embed page needs besides the chart: title, caption, source line
# The script in the embed code, after the iframe: the embed page posts its height whenever
# it changes (embed.js; a chart drawn on its side in a narrow frame is taller than on a
# desktop), and this sets the height of the iframe that sent it, matched by its window and
# chart id. Only a number is taken, rounded and held between 100 and 20,000 px. Fixed code:
# nothing from the data is in it; a host that strips scripts keeps the iframe's own height.
EMBED_SCRIPT = (
    "(function(){window.addEventListener('message',function(e){var d=e.data;"
    "if(!d||d.type!=='incident-tracker:embed-height'||typeof d.height!=='number'"
    "||!isFinite(d.height))return;"
    "var h=Math.min(Math.max(Math.round(d.height),100),20000);"
    "var f=document.querySelectorAll('iframe[data-tracker-embed]');"
    "for(var i=0;i<f.length;i++){if(f[i].contentWindow===e.source"
    "&&f[i].getAttribute('data-tracker-embed')===d.chart)f[i].style.height=h+'px';}});})();"
)
T = TypeVar("T")


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


@dataclass(frozen=True)
class Embed:
    """A main chart on a page of its own, ``/embed/<chart id>/``, for other sites to show
    in an iframe: the chart, its title and caption, the data version and a link back to
    the page it comes from."""

    chart: Chart
    page: str  # the page it comes from, site-root-relative ('' for the overview)
    page_title: str

    @property
    def url(self) -> str:
        return f"embed/{self.chart.id}/"

    @property
    def path(self) -> str:
        """Where the page is written, relative to docs/ (copied as it is by MkDocs)."""
        return f"embed/{self.chart.id}/index.html"

    @property
    def height(self) -> int:
        """The height embed code gives the iframe, kept where the embed page cannot tell its
        own (a host that strips the code's script)."""
        return self.chart.height + EMBED_ROOM


@dataclass(frozen=True)
class SiteContext:
    """Everything the templates show."""

    dataset: Dataset
    stats: Stats
    settings: Settings
    version: Version
    history: History  # when each record was published, corrected, and its file last changed
    charts: SiteCharts
    exports: tuple[Export, ...]

    @property
    def title(self) -> str:
        """What the dataset records, as its headline says it (dataset.yaml)."""
        return self.dataset.info.title

    def changed_on(self, incident: Incident) -> dt.date | None:
        """The day of the last commit that changed the record's file."""
        return self.history.changed.get(self.file_of(incident))

    # How the site changes shape as the data grows (settings.LIMITS, mkdocs.yml).

    @property
    def incident_pages(self) -> bool:
        """A page per incident; above the limit, incidents are entries on month pages."""
        return len(self.dataset.incidents) <= self.settings.limits["incident_pages_up_to"]

    @property
    def search_summaries(self) -> bool:
        """Whether the search index holds summaries, or titles only."""
        return len(self.dataset.incidents) <= self.settings.limits["search_summaries_up_to"]

    @property
    def searched_incident_pages(self) -> bool:
        """Whether search finds incidents on their own pages. Above the summaries limit the
        index holds titles only, and the month pages hold them at a twentieth of the cost
        (the search plugin reads every page it indexes whole, about 2 ms each)."""
        return self.incident_pages and self.search_summaries

    @property
    def paged_index(self) -> bool:
        """Whether the incidents table has a page per year."""
        return len(self.dataset.incidents) > self.settings.limits["incidents_table_up_to"]

    def link(self, incident: Incident) -> str:
        """Where the site shows an incident (site-root-relative): its page or its entry."""
        if self.incident_pages:
            return incident_url(incident.id)
        return f"months/{incident.month}/#{incident.id}"

    def index_page(self, incident: Incident) -> str:
        """The page of the incidents table that lists it."""
        return f"years/{incident.date.year}.md" if self.paged_index else "incidents/index.md"

    def file_of(self, incident: Incident) -> str:
        return self.dataset.files.get(incident.id, "")

    @cached_property
    def embeds(self) -> dict[str, Embed]:
        """Chart id -> its embed page, for every main chart (``SiteCharts.main``)."""
        charts, stats = self.charts, self.stats
        pages: dict[str, tuple[str, str]] = {}
        for chart in (charts.heatmap, charts.stacked, charts.by_status):
            if chart is not None:
                pages[chart.id] = ("", "Overview")
        for chart, page, title in (
            (charts.per_base, "bases/", "Bases"),
            (charts.per_month, "months/", "Months"),
            (charts.timeline, "timeline/", "Timeline"),
            (charts.map, "map/", "Map"),
            (charts.coverage, "coverage/", "Coverage"),
        ):
            if chart is not None:
                pages[chart.id] = (page, title)
        for episode_id, chart in charts.episode.items():
            pages[chart.id] = (f"timeline/#{episode_id}", "Timeline")
        for site in stats.sites:
            if (chart := charts.base.get(site.id)) is not None:
                pages[chart.id] = (site.url, site.name)
        return {c.id: Embed(c, *pages[c.id]) for c in charts.main() if c.id in pages}

    def embed_code(self, chart_id: str) -> str | None:
        """The HTML that shows a main chart on another site (an iframe of its embed page and
        the script that fits the iframe to the page's height, EMBED_SCRIPT),
        "" when the site's address is not known (the code would be broken), None for a
        chart that is not offered for embedding."""
        embed = self.embeds.get(chart_id)
        if embed is None:
            return None
        url = self.settings.permalink(embed.url)
        if url is None:
            return ""
        return (
            f'<iframe src="{escape.html(url)}" title="{escape.html(embed.chart.title)}" '
            f'width="{EMBED_WIDTH}" height="{embed.height}" '
            f'style="width: 100%; max-width: {EMBED_WIDTH}px; border: 0;" loading="lazy" '
            f'data-tracker-embed="{escape.html(embed.chart.id)}"></iframe>'
            f"<script>{EMBED_SCRIPT}</script>"
        )


# --- filters -------------------------------------------------------------------------------


def paragraphs(text: str) -> Markup:
    """Plain text with blank lines between paragraphs -> escaped <p> elements."""
    parts = (" ".join(p.split()) for p in re.split(r"\n\s*\n", str(text)))
    return Markup("\n".join(f"<p>{escape.html(p)}</p>" for p in parts if p))


def html_block(caller: Callable[[], str]) -> Markup:
    """``{% call html() %}…{% endcall %}``: an HTML block that Markdown will not parse."""
    return Markup(hooks.BLOCK_START) + Markup(caller()) + Markup(hooks.BLOCK_END)


# The page being rendered (docs path). Set by Renderer.render; read by the link filters, so
# that templates import their macros without context and Jinja can cache them.
_rendering: contextvars.ContextVar[str] = contextvars.ContextVar("rendering")


def href(target: str) -> str:
    """A site-root-relative URL ('bases/x/', 'charts/y.json') made relative to this page."""
    up = "../" * page_url(_rendering.get()).count("/")
    return (up + target) or "./"


@jinja2.pass_context
def _href(context: object, target: str) -> str:
    """The ``href`` filter. Taking the context keeps Jinja from working out ``'x/' | href``
    once, when it compiles a template, for whichever page happened to be first."""
    return href(target)


@dataclass(frozen=True)
class Facet:
    """One filter of an incident table: the row attribute it reads and the values present."""

    name: str  # matches the rows' data-<name> attribute (see templates/_macros.md.j2)
    label: str
    all: str
    options: tuple[tuple[str, str], ...]  # (value, label)


def perpetrator_key(incident: Incident, dataset: Dataset) -> str:
    """What a table row holds for its perpetrator: the actor id, or the text as compared
    (``text.name_key``), so that spellings differing in case or hyphens filter as one."""
    if not incident.perpetrator:
        return ""
    actor = dataset.actor_of(incident)
    return actor.id if actor else name_key(incident.perpetrator)


def incident_countries(incident: Incident, dataset: Dataset) -> tuple[str, ...]:
    """The dataset's countries an incident is in: one, or two for a border strike
    ('Iraq and Syria'), as a table row's data-country holds them (joined by '|')."""
    named = {name_key(part) for part in country_parts(incident_country(incident, dataset) or "")}
    return tuple(c for c in dataset.info.countries if name_key(c) in named)


def facets(incidents: tuple[Incident, ...], stats: Stats) -> list[Facet]:
    """The filters worth offering for these incidents: those with more than one value.

    An incident with several weapons is found under each of them.
    """
    dataset = stats.dataset

    def present(vocabulary: Vocabulary, values: set[str]) -> tuple[tuple[str, str], ...]:
        return tuple((k, v) for k, v in vocabulary.items() if k in values)

    sites = {s.id: s for i in incidents if (s := stats.site_of(i)) is not None}
    years = sorted({str(i.date.year) for i in incidents}, reverse=True)
    tags = sorted({t for i in incidents for t in i.tags}, key=tag_label)
    spellings: dict[str, Counter[str]] = {}
    for i in incidents:
        if i.perpetrator:
            actor = dataset.actor_of(i)
            name = actor.name if actor else i.perpetrator
            spellings.setdefault(perpetrator_key(i, dataset), Counter())[name] += 1
    perpetrators = sorted(
        ((k, names.most_common(1)[0][0]) for k, names in spellings.items()),
        key=lambda o: o[1].casefold(),
    )
    claimed = {a for i in incidents for a in i.claimed_by}
    claimants = sorted(
        ((a, actor.name if (actor := dataset.actor_by_id.get(a)) else a) for a in claimed),
        key=lambda o: o[1].casefold(),
    )
    countries = {c for i in incidents for c in incident_countries(i, dataset)}
    found = [
        Facet(
            "country",
            "Country",
            "All countries",
            tuple((c, c) for c in dataset.info.countries if c in countries),
        ),
        Facet(
            "base",
            "Base",
            "All bases",
            tuple((s.id, s.name) for s in sorted(sites.values(), key=lambda s: s.name)),
        ),
        Facet("kind", "Kind", "Attacks and strikes", present(KINDS, {i.kind for i in incidents})),
        Facet(
            "weapon",
            "Weapon",
            "All weapons",
            present(WEAPONS, {w for i in incidents for w in i.weapons}),
        ),
        Facet("status", "Status", "Any status", present(STATUSES, {i.status for i in incidents})),
        Facet("year", "Year", "All years", tuple((y, y) for y in years)),
        Facet("tag", "Tag", "Any tag", tuple((t, tag_label(t)) for t in tags)),
        Facet("perpetrator", "Perpetrator", "Anyone", tuple(perpetrators)),
        Facet("claimed", "Claimed by", "Claimed or not", tuple(claimants)),
        Facet(
            "sources",
            "Sources",
            "Any number of sources",
            tuple((k, v) for k, v in SOURCE_COUNTS if k in {_sources(i) for i in incidents}),
        ),
    ]
    return [f for f in found if len(f.options) > 1 or (f.name in ("tag", "claimed") and f.options)]


SOURCE_COUNTS = (("single", "A single source"), ("several", "Two or more"))


def _sources(incident: Incident) -> str:
    return "single" if incident.single_source else "several"


# How an incident's page names its links to others, the most specific first.
RELATIONS = ("Responds to", "Answered by", "See also")


def relations(incident: Incident, dataset: Dataset) -> tuple[tuple[str, Incident], ...]:
    """The incidents an incident's page links to, each once, under its most specific
    relation (RELATIONS): one it responds to, then one that answered it, then one that is
    only related. An incident named both in ``responds_to`` and ``related`` is listed as
    'Responds to' alone."""
    by_id = dataset.incident_by_id
    groups = (
        tuple(by_id[ref] for ref in incident.responds_to),
        dataset.answered_by.get(incident.id, ()),
        dataset.related_to.get(incident.id, ()),
    )
    seen: set[str] = set()
    out: list[tuple[str, Incident]] = []
    for relation, others in zip(RELATIONS, groups, strict=True):
        for other in others:
            if other.id not in seen:
                seen.add(other.id)
                out.append((relation, other))
    return tuple(out)


def neighbours(items: Iterable[T], item: T) -> tuple[T | None, T | None]:
    """The items before and after ``item`` in a short sequence (None at either end)."""
    listed = list(items)
    return _around(listed, listed.index(item))


PagerLink = tuple[str, str, str]  # (text, site-root-relative target, direction)


def month_pager(month: str, active: Sequence[str]) -> tuple[PagerLink | None, PagerLink | None]:
    """The months with incidents before and after ``month``. Months without incidents have
    no page, so a link that skips one says so: 'Previous month with incidents'."""
    before, after = neighbours(active, month)
    start = month_start(month)

    def link(other: str | None, word: str, adjacent: str) -> PagerLink | None:
        if other is None:
            return None
        direction = word if other == adjacent else f"{word} month with incidents"
        return (month_label(other), f"months/{other}/", direction)

    previous_month = month_key(start - dt.timedelta(days=1))
    return (
        link(before, "Previous", previous_month),
        link(after, "Next", month_key(next_month(start))),
    )


def _around(items: Sequence[T], k: int) -> tuple[T | None, T | None]:
    """The items before and after position ``k`` (None at either end)."""
    return (items[k - 1] if k > 0 else None, items[k + 1] if k + 1 < len(items) else None)


def count(n: int, word: str) -> str:
    return plural(n, word)


def size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"


# --- rendering -----------------------------------------------------------------------------


class _Compiled(jinja2.BytecodeCache):
    """The templates compiled once a process, kept in memory: each build makes a Renderer of
    its own, and the preview makes one an edit. Jinja keys each by the template's name and a
    checksum of its source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


class Renderer:
    """Renders every page of the site from the templates."""

    def __init__(self, templates_dir: Path, site: SiteContext) -> None:
        self.site = site
        self.templates_dir = templates_dir
        dataset = site.dataset
        self.titles = titles = page_titles(dataset)
        incidents = dataset.incidents
        order = {i.id: k for k, i in enumerate(incidents)}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_COMPILED,
        )
        self.env.filters.update(
            md=escape.markdown,
            paragraphs=paragraphs,
            bibtex=escape.bibtex,
            href=_href,
            long_date=long_date,
            short_date=short_date,
            month_label=month_label,
            count=count,
            size=size,
            date_span=date_span,
            and_list=lambda words: and_list(list(words)) if words else "",
            yaml=escape.yaml_text,
            site_place=lambda i: place_or_title(i, dataset),
        )
        self.env.globals.update(
            site=site,
            dataset=dataset,
            stats=site.stats,
            settings=site.settings,
            version=site.version,
            data_note=data_note(dataset, site.version),
            kinds=KINDS,
            weapons=WEAPONS,
            statuses=STATUSES,
            date_precisions=DATE_PRECISIONS,
            attributions=ATTRIBUTIONS,
            location_precisions=LOCATION_PRECISIONS,
            columns=COLUMNS,
            count_columns=COUNT_COLUMNS,
            downloads={"json": INCIDENTS_JSON, "table": TABLE_JSON},
            geo_properties=GEO_PROPERTIES,
            formula_first=escape.FORMULA_FIRST,
            formula_first_full_width=escape.FORMULA_FIRST_FULL_WIDTH,
            formula_leads=list(escape.FORMULA_LEADS.values()),
            title=lambda i: incident_title(i, dataset),
            place=lambda i: incident_place(i, dataset),
            country=lambda i: incident_country(i, dataset),
            when=incident_date,
            time_of=lambda i: incident_time(i, dataset),
            url_of=site.link,
            permalink_of=lambda i: site.settings.permalink(incident_url(i.id)),
            facets=lambda incidents: facets(tuple(incidents), site.stats),
            weapons_label=weapons_label,
            scope=and_list(list(dataset.info.countries)),
            perpetrator_key=lambda i: perpetrator_key(i, dataset),
            countries_of=lambda i: "|".join(incident_countries(i, dataset)),
            sides=SIDES,
            outcomes=OUTCOMES,
            base_types=BASE_TYPES,
            html=html_block,
            embed_code=site.embed_code,
            read_change=lambda change: as_read(change, dataset),
            casualties_brief=casualties_brief,
            casualty_count=casualty_count,
            tag_label=tag_label,
            sources_key=_sources,
            official_count=official_count,
            share_recorded=share_recorded,
            tallied=TALLIED,
            strike_phrase=strike_phrase,
            attacks_and_strikes=attacks_and_strikes,
            attacks_on_sites=lambda: attacks_on_sites(
                site.stats, and_list(list(dataset.info.countries))
            ),
            page_title=lambda i: titles[i.id],
            neighbours=neighbours,
            incident_neighbours=lambda i: _around(incidents, order[i.id]),
            relations=lambda i: relations(i, dataset),
            month_pager=lambda m: month_pager(m, site.stats.active_months),
        )

    def render(self, template: str, path: str, **context: object) -> Page:
        token = _rendering.set(path)
        try:
            text = self.env.get_template(template).render(**context)
        finally:
            _rendering.reset(token)
        return Page(path, hooks.set_aside(text))


def render_pages(renderer: Renderer, kept: KeptPages | None = None) -> list[Page]:
    """Every generated page, in a fixed order, rendered over all the cores for big sites.

    The pages are independent of each other, so they are one list of jobs: the few big
    pages (the incidents table, base pages) go first, so that the cores share out the
    many small ones (months, incidents) after them. With ``kept`` (the preview), an
    incident page whose inputs are those of the last render is not rendered again.
    """
    site = renderer.site
    dataset, stats, charts = site.dataset, site.stats, site.charts
    incidents = dataset.incidents
    jobs: list[tuple[str, str, dict[str, object]]] = [
        ("incidents.md.j2", "incidents/index.md", {}),
        ("overview.md.j2", "index.md", {"latest": tuple(reversed(incidents[-LATEST:]))}),
        ("timeline.md.j2", "timeline.md", {"chart": charts.timeline}),
        ("map.md.j2", "map.md", {"chart": charts.map}),
        ("bases.md.j2", "bases/index.md", {"chart": charts.per_base}),
        ("months.md.j2", "months/index.md", {"chart": charts.per_month}),
        ("data.md.j2", "data/index.md", {}),
        ("corrections.md.j2", "corrections.md", {}),
        ("coverage.md.j2", "coverage.md", {"chart": charts.coverage}),
    ]
    jobs += [
        (
            "base.md.j2",
            f"bases/{s.id}.md",
            {
                "place": s,
                "chart": charts.base.get(s.id),
                "incidents": stats.by_site[s.id],
                "attacks": stats.attacks_at(s.id),
                "counts": stats.count_at(s.id),
            },
        )
        for s in stats.sites
    ]
    jobs += [("actors.md.j2", "actors/index.md", {})]
    jobs += [
        (
            "actor.md.j2",
            f"actors/{a.id}.md",
            {
                "actor": a,
                "chart": charts.actor.get(a.id),
                "incidents": (held := stats.by_actor(a)),
                "counts": stats.count(held),
                "claimed": stats.claimed_by(a),
            },
        )
        for a in dataset.actors
    ]
    if site.paged_index:
        jobs += [
            ("year.md.j2", f"years/{y}.md", {"year": y, "incidents": stats.by_year[y]})
            for y in stats.years
        ]
    jobs += [  # month pages hold every record when incidents have no pages
        (
            "month.md.j2",
            f"months/{m}.md",
            {
                "month": m,
                "chart": charts.month.get(m),
                "incidents": stats.by_month[m],
                "counts": stats.count_in(m),
            },
        )
        for m in stats.active_months
    ]
    fixed = len(jobs)  # rendered every time; the incident pages follow, in order
    reused: dict[str, Page] = {}
    digests = (
        incident_page_digests(renderer, kept) if kept is not None and site.incident_pages else {}
    )
    if site.incident_pages:
        for i in incidents:
            path = f"incidents/{i.id}.md"
            if kept is not None and (page := kept.get(path, digests[i.id])) is not None:
                reused[path] = page
            else:
                jobs.append(("incident.md.j2", path, {"incident": i}))
    for template in dict.fromkeys(job[0] for job in jobs):  # compiled once, before any fork
        renderer.env.get_template(template)
    rendered = parallel_map(  # each record is drawn on its own page, its month's and a table
        lambda job: renderer.render(job[0], job[1], **job[2]), jobs, work=3 * len(incidents)
    )
    if kept is None or not site.incident_pages:
        return rendered
    new = {p.path: p for p in rendered[fixed:]}
    kept.keep(new, digests, incidents)
    pages = new | reused
    return rendered[:fixed] + [pages[f"incidents/{i.id}.md"] for i in incidents]


class KeptPages:
    """The incident pages the last render made, each with the digest of what it shows.

    The preview (``make serve``) renders the site again after every saved edit; most of that
    time went on rendering a thousand incident pages to find the few that changed. An
    incident page shows its record, the records before and after it and those it is
    related to, its episode, its history, its site, and what is the same for every page
    (the templates, the dataset's settings, bases and actors, the site's settings and data
    version, the number of incidents); ``incident_page_digests`` hashes all of that, and a
    page whose digest is unchanged is the page it was. A one-off build keeps nothing.
    """

    def __init__(self) -> None:
        self.known: dict[str, tuple[str, Page]] = {}
        self.texts: dict[int, tuple[Incident, str]] = {}

    def text_of(self, incident: Incident) -> str:
        """A record as text (its ``repr``: every field), kept for as long as the record is
        the same object: ``validate.Reads`` gives the same record for the same bytes."""
        known = self.texts.get(id(incident))
        if known is None or known[0] is not incident:
            known = self.texts[id(incident)] = (incident, repr(incident))
        return known[1]

    def get(self, path: str, digest: str) -> Page | None:
        known = self.known.get(path)
        return known[1] if known is not None and known[0] == digest else None

    def keep(
        self, pages: dict[str, Page], digests: dict[str, str], records: Iterable[Incident]
    ) -> None:
        """Remember the pages just rendered, and forget the pages of records now gone."""
        self.texts = {id(i): (i, self.text_of(i)) for i in records}
        paths = {f"incidents/{i}.md": d for i, d in digests.items()}
        self.known = {path: known for path, known in self.known.items() if path in paths}
        for path, page in pages.items():
            if path in paths:
                self.known[path] = (paths[path], page)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def incident_page_digests(renderer: Renderer, kept: KeptPages) -> dict[str, str]:
    """Incident id -> a digest of everything its page shows (``KeptPages``)."""
    site = renderer.site
    dataset, stats = site.dataset, site.stats
    incidents = dataset.incidents
    folder = renderer.templates_dir
    templates = sorted(p for p in folder.rglob("*") if p.is_file())
    common = _digest(
        repr(
            (
                [(p.relative_to(folder).as_posix(), p.read_bytes()) for p in templates],
                dataset.info,
                dataset.bases,
                dataset.actors,
                site.settings,
                site.version.label,  # all of the version a page shows (the preview's stays
                len(incidents),  # the same when the first edit makes the data differ)
            )
        )
    )
    own = {i.id: kept.text_of(i) for i in incidents}
    episodes = {
        e.id: repr((e.id, e.number, [own[i.id] for i in e.incidents])) for e in stats.episodes
    }
    digests: dict[str, str] = {}
    for k, i in enumerate(incidents):
        before, after = _around(incidents, k)
        episode = stats.episode_of(i)
        shown = repr(
            (
                own[i.id],
                renderer.titles[i.id],
                own[before.id] if before else None,
                own[after.id] if after else None,
                [(relation, own[r.id]) for relation, r in relations(i, dataset)],
                episodes[episode.id] if episode else None,
                site.history.of(i.id),
                site.changed_on(i),
                site.file_of(i),
                stats.site_of(i),
            )
        )
        digests[i.id] = _digest(f"{common}\x00{shown}")
    return digests


def redirects(renderer: Renderer) -> dict[str, bytes]:
    """Small pages that keep permanent addresses working: /incidents/<id>/ when incidents
    have no page of their own, and the previous ids of records whose id was corrected.

    Path (relative to docs/) -> HTML. The template is rendered once; ids and months are
    slugs, escaped all the same.
    """
    site = renderer.site
    stub = renderer.env.get_template("redirect.html.j2").render(
        title="Moved",
        target="\x01target\x01",
        canonical="\x01canonical\x01" if site.settings.site_url else None,
    )
    out: dict[str, bytes] = {}

    def add(old_id: str, incident: Incident) -> None:
        target = "../../" + site.link(incident)
        canonical = site.settings.permalink(site.link(incident)) or ""
        html = stub.replace("\x01target\x01", str(escape.html(target)))
        html = html.replace("\x01canonical\x01", str(escape.html(canonical)))
        out[f"incidents/{old_id}/index.html"] = html.encode()

    for incident in site.dataset.incidents:
        if not site.incident_pages:
            add(incident.id, incident)
        for old in incident.previous_ids:
            add(old, incident)
    return out


def embeds(renderer: Renderer) -> dict[str, bytes]:
    """The embed pages (``Embed``): path (relative to docs/) -> HTML, a standalone page
    with no theme, navigation or search, autoescaped like every other page."""
    site = renderer.site
    template = renderer.env.get_template("embed.html.j2")
    out: dict[str, bytes] = {}
    for embed in site.embeds.values():
        token = _rendering.set(f"embed/{embed.chart.id}.md")  # links as from /embed/<id>/
        try:
            out[embed.path] = template.render(embed=embed, chart=embed.chart).encode()
        finally:
            _rendering.reset(token)
    return out
