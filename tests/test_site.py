"""End to end: the real `mkdocs build --strict` on the generated tree."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import GOOD, write_incident

from generator.build import build
from generator.errors import BuildError, DataError

pytestmark = pytest.mark.slow


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "src", "data-src"):
                self.links.append(value)


def internal_links(page: Path, site: Path) -> list[tuple[str, Path]]:
    """(link, file it should resolve to) for every same-site link on a built page."""
    parser = _Links()
    parser.feed(page.read_text("utf-8"))
    base = "http://site/" + page.parent.relative_to(site).as_posix() + "/"
    out = []
    for link in parser.links:
        url = urlsplit(urljoin(base, link))
        if url.scheme not in ("http", "https") or url.netloc != "site":
            continue
        target = site / url.path.lstrip("/")
        out.append((link, target / "index.html" if url.path.endswith("/") else target))
    return out


def site_files(project) -> dict[Path, bytes]:
    roots = [project.site_dir, project.docs_dir]
    return {p: p.read_bytes() for r in roots for p in r.rglob("*") if p.is_file()}


def test_build_summary(built_site):
    s = built_site.summary
    assert (s.incidents, s.pages, s.charts) == (17, 39, 21)


def test_every_incident_has_a_permalink_page(built_site):
    for incident in built_site.generated.dataset.incidents:
        page = built_site.site / "incidents" / incident.id / "index.html"
        assert page.is_file(), incident.id


def test_every_internal_link_resolves(built_site):
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) >= 39
    broken = [
        (p.relative_to(built_site.site).as_posix(), link)
        for p in pages
        for link, target in internal_links(p, built_site.site)
        if not target.is_file()
    ]
    assert broken == []


def test_the_nav_is_short_and_lists_no_incident(built_site):
    html = (built_site.site / "index.html").read_text()
    tabs = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+?)\s*<', html)
    assert tabs == [
        "Overview",
        "Timeline",
        "Map",
        "Bases",
        "Months",
        "Actors",
        "Incidents",
        "Data",
        "Coverage",
        "Corrections",
        "About",
    ]
    nav = html.split('<nav class="md-nav md-nav--primary')[1].split("</nav>")[0]
    assert "incidents/2022-" not in nav


def test_plotly_is_not_linked_statically_from_any_page(built_site):
    """charts.js loads it on demand, only where a page has a chart (checked in the browser)."""
    for page in built_site.site.rglob("*.html"):
        assert "plotly.min.js" not in page.read_text(), page


def test_the_site_serves_its_own_plotly_and_no_third_party_script(built_site):
    assert (built_site.site / "assets" / "vendor" / "plotly.min.js").stat().st_size > 1_000_000
    for page in built_site.site.rglob("*.html"):
        scripts = re.findall(r'<script[^>]+src="([^"]+)"', page.read_text())
        assert all(not s.startswith(("http:", "https:", "//")) for s in scripts), page


def test_invalid_data_leaves_docs_and_site_untouched(project):
    build(project)
    before = site_files(project)
    write_incident(
        project,
        GOOD.replace("kind: attack", "kind: attak"),
        name="2022/2022-08-15-green-village-rockets-2.yaml",
    )
    with pytest.raises(DataError):
        build(project)
    assert site_files(project) == before


def test_a_failed_mkdocs_build_rolls_back_docs_and_keeps_the_old_site(project):
    build(project)
    before = site_files(project)
    # A valid new incident, but a broken link in a hand-written page makes --strict fail.
    write_incident(
        project,
        GOOD.replace("2022-08-15-green-village-rockets", "2022-08-15-green-village-rockets-2"),
    )
    about = project.docs_dir / "about.md"
    about.write_text(about.read_text() + "\n[broken](no-such-page.md)\n")
    before[about] = about.read_bytes()
    with pytest.raises(BuildError, match=r"no-such-page\.md"):
        build(project)
    assert site_files(project) == before


def test_a_removed_incident_leaves_no_stale_page(project):
    build(project)
    gone = "2022-01-03-camp-victory-drones"  # no other record links to it
    assert (project.site_dir / "incidents" / gone / "index.html").is_file()
    next(project.incidents_dir.glob(f"*/{gone}.yaml")).unlink()
    summary = build(project)
    assert summary.incidents == 16
    assert not (project.docs_dir / "incidents" / f"{gone}.md").exists()
    assert not (project.site_dir / "incidents" / gone).exists()


# --- what a page says about itself: titles, descriptions, previews, ids, search ------------


class _Head(HTMLParser):
    """A page's <title>, its <meta> tags by name or property, and every id on it."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.ids: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "title":
            self._in_title = True
        if tag == "meta" and (key := a.get("name") or a.get("property")):
            self.meta[key] = a.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def heads(site: Path) -> dict[str, _Head]:
    out = {}
    for page in sorted(site.rglob("index.html")):
        if "http-equiv" in page.read_text()[:2000]:
            continue  # a redirect to a moved page
        if page.parent.parent == site / "embed":
            continue  # a chart alone, for other sites to show (tests/test_embed.py)
        head = _Head()
        head.feed(page.read_text("utf-8"))
        out[page.parent.relative_to(site).as_posix()] = head
    return out


@pytest.mark.parametrize("which", ["built_site", "campaign_site"])
def test_every_page_has_its_own_title_description_and_preview(request, which):
    site = request.getfixturevalue(which)
    pages = heads(site.site)
    titles = [h.title.strip() for h in pages.values()]
    repeated = {t for t in titles if titles.count(t) > 1}
    assert not repeated, f"pages share a title: {sorted(repeated)[:5]}"
    incidents = {k: h for k, h in pages.items() if k.startswith("incidents/")}
    assert len(incidents) == len(site.generated.dataset.incidents)
    for path, head in pages.items():
        assert head.meta.get("og:title") and head.meta.get("og:description"), path
        assert head.meta.get("twitter:card") == "summary", path
        assert head.meta.get("og:url", "").endswith(("/" + path + "/") if path != "." else "/")
        assert len(set(head.ids)) == len(head.ids), f"{path} repeats an id"
    descriptions = [h.meta["description"] for h in incidents.values()]
    assert len(set(descriptions)) == len(descriptions)
    green = pages["incidents/2022-08-24-green-village-rockets"] if which == "built_site" else None
    if green is not None:
        assert green.title.startswith("Rocket attack on Green Village, 24 Aug 2022 - ")
        assert green.meta["og:type"] == "article"
        assert green.meta["description"].startswith("24 August 2022. ")


def test_search_finds_the_incident_pages_not_the_month_pages(built_site):
    import json

    docs = json.loads((built_site.site / "search" / "search_index.json").read_text())["docs"]
    locations = {d["location"].split("#")[0] for d in docs}
    for incident in built_site.generated.dataset.incidents:
        assert f"incidents/{incident.id}/" in locations
    assert not [loc for loc in locations if loc.startswith("months/") and loc != "months/"]
    page = " ".join(
        d["text"] for d in docs if d["location"].startswith("incidents/2022-08-24-conoco-rockets/")
    )
    assert "Rockets were also reported" in page  # the summary is found
    assert "Overview" not in page and "Previous" not in page  # not the breadcrumb, the pager
    titles = {d["title"] for d in docs}
    assert "Record history" not in titles and "Cite this record" not in titles
    everything = " ".join(d["text"] for d in docs)
    assert "Cite this record" not in everything and "BibTeX" not in everything
    assert "@misc{" not in everything  # the record's table, citation and history are left out
