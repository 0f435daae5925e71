"""Where the site lives: SITE_URL, else docs/CNAME, else the GitHub remote origin, else no
address at all, and then never a made-up one (README: "Where the site lives").

Each source is checked in the settings, in the generated pages and in a site built by the
real MkDocs: the canonical link, the citation, the feeds, the sitemap, the repository and
"Edit this record" links.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import feedparser
import pytest
from conftest import TODAY, charts_on, copy_project
from playwright.sync_api import expect
from siteserver import server as site_server

from generator.build import build, generate
from generator.errors import GeneratorError
from generator.project import Project
from generator.settings import Settings

RECORD = "2022-08-24-conoco-rockets"
RECORD_FILE = f"data/incidents/2022/{RECORD}.yaml"


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


def with_remote(project: Project, url: str) -> Project:
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "remote", "add", "origin", url)
    return project


@pytest.fixture(autouse=True)
def no_site_url(monkeypatch):
    """The tests say where the site lives themselves; the shell running them does not."""
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("REPO_URL", raising=False)


# (how the project is set up, the site's address, the repository's, what said so)
SOURCES = {
    "SITE_URL": (
        lambda p, mp: mp.setenv("SITE_URL", "https://data.example.org/attacks"),
        "https://data.example.org/attacks/",
        None,
        "SITE_URL",
    ),
    "SITE_URL over the others": (
        lambda p, mp: (
            mp.setenv("SITE_URL", "https://data.example.org/"),
            (p.docs_dir / "CNAME").write_text("tracker.example.net\n"),
            with_remote(p, "https://github.com/Newsroom/tracker.git"),
        ),
        "https://data.example.org/",
        "https://github.com/Newsroom/tracker/",
        "SITE_URL",
    ),
    "CNAME": (
        lambda p, mp: (
            (p.docs_dir / "CNAME").write_text("Tracker.Example.NET\n"),
            with_remote(p, "https://github.com/Newsroom/tracker.git"),
        ),
        "https://tracker.example.net/",
        "https://github.com/Newsroom/tracker/",
        "docs/CNAME",
    ),
    "https remote": (
        lambda p, mp: with_remote(p, "https://github.com/Newsroom/attack-tracker.git"),
        "https://newsroom.github.io/attack-tracker/",
        "https://github.com/Newsroom/attack-tracker/",
        "the git remote origin",
    ),
    "https remote with credentials": (
        lambda p, mp: with_remote(p, "https://x-access-token:secret@github.com/a-b/c.d"),
        "https://a-b.github.io/c.d/",
        "https://github.com/a-b/c.d/",
        "the git remote origin",
    ),
    "ssh remote": (
        lambda p, mp: with_remote(p, "git@github.com:newsroom/attack-tracker.git"),
        "https://newsroom.github.io/attack-tracker/",
        "https://github.com/newsroom/attack-tracker/",
        "the git remote origin",
    ),
    "ssh:// remote": (
        lambda p, mp: with_remote(p, "ssh://git@github.com/newsroom/attack-tracker"),
        "https://newsroom.github.io/attack-tracker/",
        "https://github.com/newsroom/attack-tracker/",
        "the git remote origin",
    ),
    "a user's own Pages repository": (
        lambda p, mp: with_remote(p, "git@github.com:Newsroom/newsroom.github.io.git"),
        "https://newsroom.github.io/",
        "https://github.com/Newsroom/newsroom.github.io/",
        "the git remote origin",
    ),
    "not GitHub": (
        lambda p, mp: with_remote(p, "https://gitlab.com/newsroom/attack-tracker.git"),
        None,
        None,
        "",
    ),
    "a look-alike host": (
        lambda p, mp: with_remote(p, "https://github.com.evil.example/newsroom/tracker.git"),
        None,
        None,
        "",
    ),
    "no remote": (lambda p, mp: with_remote(p, "/srv/git/tracker.git"), None, None, ""),
    "no git": (lambda p, mp: None, None, None, ""),
}


@pytest.mark.parametrize("source", list(SOURCES))
def test_where_the_site_lives_comes_from_the_first_source_that_says(project, monkeypatch, source):
    setup, site_url, repo_url, said = SOURCES[source]
    setup(project, monkeypatch)
    settings = Settings.read(project)
    assert (settings.site_url, settings.repo_url, settings.address_source) == (
        site_url,
        repo_url,
        said,
    )


def test_the_remote_of_a_repository_around_the_project_is_not_its_own(tmp_path):
    """A project folder inside another repository (a test copy, an example) is not that
    repository: its remote does not name the project's site."""
    outer = with_remote(Project(tmp_path), "https://github.com/someone/else.git")
    project = copy_project(outer.root / "inner")
    assert Settings.read(project).site_url is None


@pytest.mark.parametrize(
    "cname",
    ["two words\n", "https://tracker.example.net/\n", "tracker.example.net\nsecond.example\n"],
)
def test_a_cname_that_is_not_a_domain_is_refused_with_what_to_do(project, cname):
    (project.docs_dir / "CNAME").write_text(cname)
    with pytest.raises(GeneratorError, match="not a domain name: write the site's domain alone"):
        Settings.read(project)


def test_a_site_url_that_is_not_a_web_address_is_refused(project, monkeypatch):
    monkeypatch.setenv("SITE_URL", "javascript:alert(1)")
    with pytest.raises(GeneratorError, match="give an address starting with https://"):
        Settings.read(project)


# --- what the generated pages say ----------------------------------------------------------


def test_with_an_address_pages_cite_and_link_it(project):
    with_remote(project, "git@github.com:newsroom/tracker.git")
    out = generate(project, as_of=TODAY).outputs
    page = out[f"incidents/{RECORD}.md"].decode()
    permalink = f"https://newsroom.github.io/tracker/incidents/{RECORD}/"
    assert f". {permalink}. Accessed" in page
    assert f"\\url{{{permalink}}}" in page
    assert f'href="https://github.com/newsroom/tracker/edit/main/{RECORD_FILE}"' in page
    assert "data-page-address" not in page
    feed = feedparser.parse(out["feed.xml"])
    assert feed.bozo == 0
    assert feed.feed.id == "https://newsroom.github.io/tracker/"
    assert {e.id for e in feed.entries} >= {permalink}


def test_without_an_address_pages_link_relatively_and_say_so(project):
    out = generate(project, as_of=TODAY).outputs
    page = out[f"incidents/{RECORD}.md"].decode()
    where = f'<span data-page-address="../../incidents/{RECORD}/">'
    assert f". {where}Cite this page's address</span>. Accessed" in page
    assert f"\\url{{{where}this page's address</span>}}" in page
    assert "Edit this record" not in page
    feed = feedparser.parse(out["feed.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.id.startswith("urn:uuid:")
    entry = feed.entries[0]
    assert entry.id.startswith("urn:uuid:")
    assert entry.link == "incidents/2022-08-24-saker-island-airstrikes/"  # beside feed.xml
    leaked = [
        name
        for name, data in out.items()
        if b"example.github.io" in data or b"github.com/example" in data
    ]
    assert leaked == []


# --- the built site ------------------------------------------------------------------------


def built(project: Project) -> dict[str, str]:
    """Every text file of the built site (the vendored scripts left out)."""
    build(project)
    site = project.site_dir
    return {
        p.relative_to(site).as_posix(): p.read_text("utf-8")
        for p in site.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".xml", ".json", ".csv")
        and "vendor" not in p.parts
    }


@pytest.mark.slow
@pytest.mark.parametrize("source", ["SITE_URL", "CNAME", "https remote", "ssh remote"])
def test_a_site_built_with_an_address_uses_it_everywhere(project, monkeypatch, source):
    setup, site_url, repo_url, _ = SOURCES[source]
    setup(project, monkeypatch)
    files = built(project)
    page = files[f"incidents/{RECORD}/index.html"]
    permalink = f"{site_url}incidents/{RECORD}/"
    assert f'<link rel="canonical" href="{permalink}">' in page
    assert f'<meta property="og:url" content="{permalink}">' in page
    assert f". {permalink}. Accessed" in page
    assert f"<loc>{site_url}</loc>" in files["sitemap.xml"]
    feed = feedparser.parse(files["feed.xml"])
    assert feed.feed.link == site_url
    assert feed.entries[-1].link.startswith(site_url + "incidents/")
    if repo_url:
        assert f'<a href="{repo_url}" title="Go to repository" class="md-source">' in page
        assert f'href="{repo_url}edit/main/{RECORD_FILE}"' in page
    else:
        assert 'class="md-source"' not in page and "Edit this record" not in page
    assert not [name for name, text in files.items() if "example.github.io" in text]


@pytest.mark.slow
@pytest.mark.parametrize("source", ["not GitHub", "no git"])
def test_a_site_built_without_an_address_names_none(project, monkeypatch, source):
    SOURCES[source][0](project, monkeypatch)
    files = built(project)
    assert "<loc>" not in files["sitemap.xml"]  # a sitemap that lists nothing
    assert '"navigation.instant"' not in files["index.html"]  # it needs the sitemap
    for name, text in files.items():
        assert "example.github.io" not in text and "github.com/example" not in text, name
        assert '<link rel="canonical"' not in text, name
        assert 'class="md-source"' not in text, name
    page = files[f"incidents/{RECORD}/index.html"]
    assert "Cite this page's address" in page
    assert "Edit this record" not in page
    assert '<link rel="alternate" type="application/atom+xml"' in page  # a feed still
    feed = feedparser.parse(files["feed.xml"])
    assert feed.bozo == 0 and feed.entries[0].link.startswith("incidents/")


@pytest.mark.slow
@pytest.mark.browser
def test_in_a_browser_a_site_without_an_address_names_its_own(project, page, monkeypatch):
    """The citation gives the address the page is read at; the Embed button says that
    embedding needs the site's address, rather than giving code that cannot work."""
    build(project)
    served = site_server(str(project.site_dir), 0)
    threading.Thread(target=served.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{served.server_address[1]}/"
    try:
        page.goto(url + f"incidents/{RECORD}/")
        citation = page.locator(f"#citation-{RECORD}")
        expect(citation).to_contain_text(f". {url}incidents/{RECORD}/. Accessed on ")
        page.goto(url + "bases/")
        charts_on(page, 1)
        page.get_by_role("button", name="Embed: Attacks per base").click()
        expect(page.locator(".chart-embed")).to_have_text(
            "Embedding needs the site's address, and this copy of the site was built without "
            "one (see “Where the site lives” in the project's README)."
        )
        assert page.locator(".chart-embed textarea").count() == 0
    finally:
        served.shutdown()
    assert page.errors == []
