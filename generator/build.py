"""The pipeline: load and check every record, aggregate, render, then write.

Nothing is written until everything has been read, checked and rendered in memory; a
failure at any step leaves docs/ and site/ as they were.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import history, publish, validate
from generator.audit import audit
from generator.charts import SiteCharts, build_charts
from generator.errors import Problem
from generator.exports import build_exports
from generator.model import Dataset
from generator.pages import KeptPages, Page, Renderer, SiteContext, embeds, redirects, render_pages
from generator.project import Project
from generator.settings import Settings
from generator.stats import Stats
from generator.write import Journal, sync_docs

log = logging.getLogger(__name__)

PLOTLY_JS_TARGET = "assets/vendor/plotly.min.js"
VENDOR = Path(__file__).parent / "vendor"
# Served by the site itself: plotly.js with only the traces the charts use (a third of the
# whole library: vendor/plotly/, rebuilt by `make plotly-bundle`), and the map's outlines.
VENDORED = {
    PLOTLY_JS_TARGET: VENDOR / "plotly" / "plotly.min.js",
    "assets/vendor/topojson/asia_50m.json": VENDOR / "topojson" / "asia_50m.json",
}
# The trace types vendor/plotly/entry.js registers (scatter is in plotly.js's core).
BUNDLED_TRACES = frozenset({"scatter", "bar", "heatmap", "scattergeo"})


@dataclass(frozen=True)
class Generated:
    """Everything the generator produces, in memory, before anything is written."""

    dataset: Dataset
    pages: list[Page]
    charts: SiteCharts
    outputs: dict[str, bytes]  # path relative to docs/ -> bytes
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> how long it took
    past: history.History = field(default_factory=lambda: history.History(history.NO_HISTORY))


@dataclass(frozen=True)
class Summary:
    incidents: int
    pages: int
    charts: int
    changed: int
    seconds: float
    hints: tuple[Problem, ...] = ()

    def line(self, target: str) -> str:
        return (
            f"Built {self.incidents} incidents into {self.pages} pages and {self.charts} "
            f"charts in {self.seconds:.1f} s: {target}"
        )


def generate(
    project: Project,
    *,
    as_of: dt.date | None = None,
    version: history.Version | None = None,
    past: history.History | Callable[[Dataset], history.History] | None = None,
    reads: validate.Reads | None = None,
    kept: KeptPages | None = None,
) -> Generated:
    """Load, check, aggregate and render; return the output without writing it.

    The data version and the records' history (published, corrected, last changed) come
    from git unless given (the review gives a fixed version, and each side's history as a
    function of the records it loads). ``reads`` keeps the records parsed between the
    preview's loads, and ``kept`` the incident pages rendered."""
    clock = _Stages()
    project.check_paths()
    project.check_published()
    today = as_of or validate.today()
    dataset = validate.load_dataset(project, as_of=today, reads=reads)
    clock.done("load and check")
    stats = Stats(dataset)
    settings = Settings.read(project)
    if settings.site_url:
        log.info("site address: %s (from %s)", settings.site_url, settings.address_source)
    else:
        log.info("site address: none (no SITE_URL, docs/CNAME or GitHub remote origin)")
    version = version or history.data_version(project, today)
    if past is None:
        past = history.read_history(project, dataset)
    elif not isinstance(past, history.History):
        past = past(dataset)
    clock.done("git")
    charts = build_charts(stats)
    clock.done("charts")
    exports = build_exports(stats, settings, version, past)
    clock.done("downloads")
    site = SiteContext(dataset, stats, settings, version, past, charts, exports)
    renderer = Renderer(project.templates_dir, site)
    pages = render_pages(renderer, kept)
    moved = redirects(renderer)
    embedded = embeds(renderer)
    clock.done("pages")
    audit(site, {p.path: p.text for p in pages}, moved, embedded)
    clock.done("audit")
    outputs = {p.path: p.text.encode() for p in pages}
    outputs.update(moved)
    outputs.update(embedded)
    outputs.update((c.path, c.to_json()) for c in charts)
    outputs.update((e.path, e.data) for e in exports)
    outputs.update((target, source.read_bytes()) for target, source in VENDORED.items())
    return Generated(dataset, pages, charts, outputs, clock.seconds, past)


class _Stages:
    """Logs how long each stage took (see them with `python -m generator -v site`)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def done(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = now - self.last
        log.info("%-15s %.2f s", stage, now - self.last)
        self.last = now


def write_docs(project: Project, generated: Generated) -> Journal:
    journal = sync_docs(generated.outputs, project.docs_dir)
    log.info("docs/: %d generated files changed", journal.changed)
    return journal


def generate_docs(project: Project) -> Summary:
    """``make generate``: the pages and charts in docs/, without building the site."""
    start = time.perf_counter()
    generated = generate(project)
    journal = write_docs(project, generated)
    return _summary(project, generated, journal, start)


def build(project: Project, *, engine: str = "mkdocs") -> Summary:
    """``make site``: generate into docs/, then build site/ with the site builder."""
    start = time.perf_counter()
    generated = generate(project)
    journal = write_docs(project, generated)
    try:
        publish.build_site(project, engine)
    except BaseException:
        journal.rollback()
        raise
    return _summary(project, generated, journal, start)


def gh_deploy(
    project: Project, *, engine: str = "mkdocs", remote: str = "origin"
) -> tuple[Summary, str]:
    """``make gh-deploy``: generate into docs/, then build and push to the gh-pages branch.

    Returns the summary and the builder's word on where the site will appear.
    """
    start = time.perf_counter()
    generated = generate(project)
    journal = write_docs(project, generated)
    try:
        where = publish.gh_deploy(project, engine, remote)
    except BaseException:
        journal.rollback()
        raise
    return _summary(project, generated, journal, start), where


def _summary(project: Project, generated: Generated, journal: Journal, start: float) -> Summary:
    handwritten = [
        p
        for p in project.docs_dir.rglob("*.md")
        if p.relative_to(project.docs_dir).as_posix() not in generated.outputs
    ]
    return Summary(
        incidents=len(generated.dataset.incidents),
        pages=len(generated.pages) + len(handwritten),
        charts=sum(1 for _ in generated.charts),
        changed=journal.changed,
        seconds=time.perf_counter() - start,
        hints=generated.dataset.hints,
    )
