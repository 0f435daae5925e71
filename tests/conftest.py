"""Shared fixtures: throw-away copies of the project, and helpers that speak the domain."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from generator.errors import DataError
from generator.project import SITE_INPUTS, Project
from generator.validate import load_dataset
from generator.write import owned

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 1, 1)  # fixed "today" for the date checks in tests

# A valid incident to start from; tests change one thing and look at the message.
GOOD = """\
id: 2022-08-15-green-village-rockets
date: 2022-08-15
kind: attack
base: green-village
weapon: rocket
summary: Rockets were fired at the base.
sources:
  - publisher: CNN
    title: Rockets hit base
    published: 2022-08-16
    url: https://example.com/a
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output instead of comparing.",
    )


def copy_project(target: Path, *, data: bool = True) -> Project:
    """A copy of the project's inputs (not its venv, site or generated pages) in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        src = ROOT / name
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)
    shutil.copytree(
        ROOT / "docs",
        target / "docs",
        ignore=lambda d, names: [n for n in names if _generated(ROOT / "docs", d, n)],
    )
    if data:
        shutil.copytree(ROOT / "data", target / "data")
    else:
        (target / "data" / "incidents").mkdir(parents=True)
        shutil.copy2(ROOT / "data" / "bases.yaml", target / "data" / "bases.yaml")
    return Project(target)


def _generated(docs: Path, folder: str, name: str) -> bool:
    rel = (Path(folder) / name).relative_to(docs).as_posix()
    return owned(rel) or owned(rel + "/x")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the project with the sample data."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def empty_project(tmp_path: Path) -> Project:
    """A copy of the project with the sample bases but no incidents."""
    return copy_project(tmp_path / "project", data=False)


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory):
    """The bases and actors of the drafter's answer keys (tests/fixtures/articles), no
    incident: the data folder `draft` is scored against."""
    from bench.draft import ARTICLES, empty_copy  # only the drafter's tests pay for it

    return load_dataset(empty_copy(ARTICLES, tmp_path_factory.mktemp("evaluation")))


# The day after a Friday: the day the drafter's one-paragraph test articles are published, so
# that "on Friday" is yesterday's news.
FRIDAY_NEXT = dt.date(2024, 2, 3)


def new_drafts(text: str, dataset, published: dt.date | None = FRIDAY_NEXT) -> list:
    """The new incidents ``draft`` proposes for a one-paragraph article (not background, not
    already recorded)."""
    from generator.tools.draft import Article, draft_article

    found = draft_article(Article(text, "a.txt", published=published), dataset)
    return [d for d in found if d.is_new]


def drafts_in(text: str, dataset, published: dt.date | None = FRIDAY_NEXT) -> list:
    """Every incident ``draft`` finds in a one-paragraph article, news or background: for the
    rules of place and date, whatever the trained model decides."""
    from generator.tools.draft import Article, draft_article

    return list(draft_article(Article(text, "a.txt", published=published), dataset))


def mentions_in(text: str, dataset, published: dt.date | None = FRIDAY_NEXT) -> list:
    """The mentions of incidents ``draft`` finds in a one-paragraph text."""
    from generator.tools.draft import Gazetteer, sentences
    from generator.tools.draft.mentions import find_mentions

    return find_mentions(sentences(text), Gazetteer(dataset), published)


def write_incident(project: Project, text: str, name: str | None = None) -> Path:
    """Write an incident file; its path comes from ``name`` or the id (which starts with the
    year, like every id in these tests)."""
    text = textwrap.dedent(text)
    if name is None:
        incident_id = next(line[4:] for line in text.splitlines() if line.startswith("id: "))
        name = f"{incident_id[:4]}/{incident_id}.yaml"
    path = project.incidents_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def problems(project: Project) -> list[str]:
    """Every problem the validator reports, as the user sees it ('path:line:col: …')."""
    try:
        load_dataset(project, as_of=TODAY)
    except DataError as e:
        return [str(p) for p in e.problems]
    return []


def assert_problems(project: Project, text: str, *expected: str, name: str | None = None) -> None:
    """Write one incident and check the exact messages the validator gives for it."""
    write_incident(project, text, name)
    assert problems(project) == list(expected)


# --- built sites, a web server and a browser, shared by the slow tests --------------------
#
# `make test` runs the suite in several processes (pytest-xdist). A site is built once for
# the whole run, by whichever process needs it first, and served by a server process of its
# own, so that every test process reads the same build at the same address.


def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every test process of this run shares."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (across the test processes) during the block."""
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def report(tmp_path_factory: pytest.TempPathFactory, line: str) -> None:
    """A figure the browser tests measure, printed at the end of the run (test_browser.py)."""
    root = shared_root(tmp_path_factory)
    with locked(root / "report.lock"), open(root / "report.txt", "a") as f:
        f.write(line + "\n")


def pytest_terminal_summary(terminalreporter, config) -> None:
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    found = factory.getbasetemp() / "report.txt"
    if found.is_file():
        terminalreporter.section("page weight, measured in Chromium (gzip, as GitHub Pages serves)")
        for line in sorted(found.read_text().splitlines()):
            terminalreporter.write_line(line)


def pytest_sessionfinish(session) -> None:
    """The run is over: stop the servers of the shared sites (in the main process only)."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    for record in factory.getbasetemp().glob("site-*.json"):
        with contextlib.suppress(ProcessLookupError, ValueError, KeyError):
            os.kill(int(json.loads(record.read_text())["server"]), signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(condition: Callable[[], object], what: str, seconds: float = 120) -> None:
    """Wait until ``condition()`` holds, checking every tenth of a second; fail after
    ``seconds`` (generous: the suite must pass on a busy 2-core machine)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


class BuiltSite:
    """A project built with the real `mkdocs build --strict`, for http://127.0.0.1:<port>/."""

    def __init__(self, project: Project, *, port: int | None = None, summary=None) -> None:
        from generator.build import Summary, build, generate

        self.project = project
        self.port = port or free_port()
        if summary is None:
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("SITE_URL", self.url)  # so Material's instant navigation works here
                summary = build(project)
        self.summary: Summary = summary
        self.generated = generate(project, as_of=TODAY)
        self.charts = {c.id: c for c in self.generated.charts}

    @classmethod
    def shared(
        cls, name: str, tmp_path_factory: pytest.TempPathFactory, make: Callable[[Path], Project]
    ) -> BuiltSite:
        """The site ``make(folder)`` gives, built once for the whole run and served by a
        server process until the run ends."""
        from generator.build import Summary

        root = shared_root(tmp_path_factory)
        record = root / f"site-{name}.json"
        with locked(root / f"site-{name}.lock"):
            if record.is_file():
                known = json.loads(record.read_text())
                project = Project(Path(known["project"]))
                return cls(project, port=known["port"], summary=Summary(**known["summary"]))
            site = cls(make(root / f"site-{name}"))
            server = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "tests" / "siteserver.py"),
                    str(site.site),
                    str(site.port),
                    str(os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()),
                ],
                start_new_session=True,
            )
            until(lambda: _accepts(site.port) or server.poll() is not None, "the site's server")
            assert server.poll() is None, "the site's server did not start"
            summary = dataclasses.asdict(site.summary) | {"hints": ()}
            record.write_text(
                json.dumps(
                    {
                        "project": str(site.project.root),
                        "port": site.port,
                        "server": server.pid,
                        "summary": summary,
                    }
                )
            )
            return site

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def site(self) -> Path:
        return self.project.site_dir

    def pages(self) -> list[str]:
        """Every page's path relative to the site root ('' for the home page), without the
        stubs that send an old incident address on to its page or month (a test that
        opened one would be reading the page it moves on to)."""
        moved = {
            path.removesuffix("index.html")
            for path in self.generated.outputs
            if path.startswith("incidents/") and path.endswith("/index.html")
        }
        every = (
            "" if p.parent == self.site else p.parent.relative_to(self.site).as_posix() + "/"
            for p in self.site.rglob("index.html")
        )
        return sorted(path for path in every if path not in moved)


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The sample project, built once."""
    return BuiltSite.shared("sample", tmp_path_factory, lambda d: copy_project(d / "project"))


@pytest.fixture(scope="session")
def server(built_site: BuiltSite) -> str:
    return built_site.url


CAMPAIGN = ROOT / "examples" / "campaign-2023-24"


def _campaign(folder: Path) -> Project:
    root = copy_project(folder / "project").root
    shutil.rmtree(root / "data")
    shutil.copytree(CAMPAIGN, root / "data")
    return Project(root)


@pytest.fixture(scope="session")
def campaign_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The 2023-24 campaign (examples/), built once: real reporting."""
    return BuiltSite.shared("campaign", tmp_path_factory, _campaign)


@pytest.fixture(scope="session")
def campaign_server(campaign_site: BuiltSite) -> str:
    return campaign_site.url


def _compact(folder: Path) -> Project:
    project = copy_project(folder / "project")
    config = project.config_file.read_text()
    for name in ("incident_pages_up_to", "incidents_table_up_to"):
        config = re.sub(rf"{name}: \d+", f"{name}: 5", config)
    project.config_file.write_text(config)
    return project


@pytest.fixture(scope="session")
def compact_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The sample built as a big dataset is: no page per incident (entries on the month
    pages) and a page of the incidents table per year (mkdocs.yml limits lowered)."""
    return BuiltSite.shared("compact", tmp_path_factory, _compact)


@pytest.fixture(scope="session")
def compact_server(compact_site: BuiltSite) -> str:
    return compact_site.url


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; in CI the browser tests must run (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's), driven by playwright. Skips locally if missing."""
    path = chromium_path()
    if path is None:
        _unavailable("chromium is not installed (sudo apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (make test installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# How long a browser test waits for a condition before it fails. Generous: the suite must
# pass on a busy 2-core machine, and a condition that holds is met long before this.
BROWSER_TIMEOUT = 60_000


def new_context(browser, **options):
    """A browser context whose waits all use BROWSER_TIMEOUT (1280 × 900 unless told)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=BROWSER_TIMEOUT)
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    context.set_default_timeout(BROWSER_TIMEOUT)
    context.set_default_navigation_timeout(BROWSER_TIMEOUT)
    return context


@pytest.fixture
def page(browser):
    """A fresh page that records console errors, failed requests and dialogs."""
    context = new_context(browser)
    page = context.new_page()
    page.errors = []
    page.dialogs = []
    page.on(
        "console",
        lambda m: page.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: page.errors.append(f"page error: {e}"))
    page.on(
        "requestfailed",  # a request cut short by moving on to the next page is not an error
        lambda r: (
            None
            if r.failure == "net::ERR_ABORTED"
            else page.errors.append(f"request failed: {r.url} ({r.failure})")
        ),
    )

    def dialog(d) -> None:
        page.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    yield page
    context.close()


def charts_on(page, count: int, ids: Sequence[str] = ()) -> None:
    """Wait until ``count`` charts on the page are drawn; none may have failed.

    With ``ids``, wait for those charts' figures first: after an instant navigation the
    address changes before the new page replaces the old one, whose charts are drawn.
    A chart still not drawn after BROWSER_TIMEOUT is named, with its state, in the failure.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for chart_id in ids:
        page.locator(f"figure#chart-{chart_id}").wait_for(state="attached")
    try:
        page.wait_for_function(
            f"document.querySelectorAll('.chart[data-rendered=true]').length === {count}",
            timeout=BROWSER_TIMEOUT,
        )
    except PlaywrightTimeout:
        pending = page.evaluate(
            """() => Array.from(document.querySelectorAll('.chart'))
                 .filter(el => el.getAttribute('data-rendered') !== 'true')
                 .map(el => el.dataset.src + ': ' + el.dataset.rendered)"""
        )
        drawn = page.locator(".chart[data-rendered=true]").count()
        pytest.fail(f"{page.url}: {count} charts expected, {drawn} drawn; not drawn: {pending}")
    assert page.locator(".chart[data-rendered=error]").count() == 0
