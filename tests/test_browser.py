"""The built site in headless Chromium: charts drawn on hard loads and after instant navigation.

Needs Debian's `chromium` (`sudo apt-get install chromium`; .ci/run installs it). Without it
these tests skip locally, and fail in CI (CI=true), where they must run.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urljoin

import pytest
from conftest import charts_on, new_context, report
from playwright.sync_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# What a drawn chart looks like, read from the SVG Plotly made.
MEASURE = """el => ({
  bars: [...el.querySelectorAll('.barlayer .point path')]
    .filter(p => { const b = p.getBBox(); return b.width > 0.5 && b.height > 0.5; }).length,
  heatmaps: el.querySelectorAll('.heatmaplayer image').length,
  cells: (el.calcdata || []).filter(t => t[0] && t[0].z)
    .reduce((n, t) => n + t[0].z.length * t[0].z[0].length, 0),
  points: el.querySelectorAll('path.point').length,
  links: el.querySelectorAll('.scatterlayer path.js-line').length,
})"""


def drawn_charts(page, count: int, ids: Sequence[str] = ()) -> dict[str, dict[str, int]]:
    """Wait until ``count`` charts are drawn (those of ``ids`` first, see ``charts_on``);
    return what each one shows, by chart id."""
    charts_on(page, count, ids)
    return {
        fig.get_attribute("id").removeprefix("chart-"): fig.locator(".chart").evaluate(MEASURE)
        for fig in page.locator("figure.chart-figure").all()
    }


def expected(chart) -> dict[str, int]:
    """What a browser should draw for a chart, counted from its figure data."""
    data = chart.figure["data"]
    bars = sum(
        1
        for t in data
        if t["type"] == "bar"
        for v in t.get("y" if t.get("orientation") != "h" else "x", ())
        if v
    )
    points = sum(  # legend entries alone have no point (x: [None])
        sum(1 for v in (t.get("lat") or t.get("x") or ()) if v is not None)
        for t in data
        if t["type"] in ("scatter", "scattergeo") and "markers" in t.get("mode", "")
    )
    links = sum(
        t["x"].count(None) for t in data if t["type"] == "scatter" and t.get("mode") == "lines"
    )
    cells = sum(len(t["z"]) * len(t["z"][0]) for t in data if t["type"] == "heatmap")
    return {
        "bars": bars,
        "heatmaps": 1 if cells else 0,
        "cells": cells,
        "points": points,
        "links": links,
    }


def test_overview_draws_the_heatmap_and_stacked_bars(page, server, built_site):
    page.goto(server)
    drawn = drawn_charts(page, 3)
    for chart_id in (
        "attacks-by-base-and-month",
        "attacks-per-month-by-base",
        "attacks-per-month-by-status",
    ):
        assert drawn[chart_id] == expected(built_site.charts[chart_id])
    assert drawn["attacks-by-base-and-month"]["cells"] == 6 * 15  # bases attacked × months
    assert drawn["attacks-per-month-by-base"]["bars"] == 8  # non-zero (base, month) pairs
    assert page.errors == []


@pytest.mark.parametrize(
    "path, chart_id, bars",
    [
        ("bases/green-village/", "base-green-village", 4),  # Aug 2022: confirmed + reported
        ("months/2022-01/", "month-2022-01", 4),
        ("bases/", "attacks-per-base", 6),
        ("months/", "incidents-per-month", 6),
    ],
)
def test_base_and_month_pages_draw_their_chart_on_a_hard_load(
    page, server, built_site, path, chart_id, bars
):
    page.goto(server + path)
    drawn = drawn_charts(page, 1)
    assert drawn == {chart_id: expected(built_site.charts[chart_id])}
    assert drawn[chart_id]["bars"] == bars
    assert page.errors == []


def test_charts_draw_after_instant_navigation(page, server, built_site):
    page.goto(server)
    charts_on(page, 3)
    page.evaluate("window.__same_document = true")  # lost on a full reload

    page.locator(".md-tabs__link", has_text="Bases").click()
    page.wait_for_url(server + "bases/")
    assert drawn_charts(page, 1, ["attacks-per-base"]) == {
        "attacks-per-base": expected(built_site.charts["attacks-per-base"])
    }

    page.locator("article table a:visible", has_text="Green Village").first.click()
    page.wait_for_url(server + "bases/green-village/")
    assert drawn_charts(page, 1, ["base-green-village"]) == {
        "base-green-village": expected(built_site.charts["base-green-village"])
    }

    page.locator("article table a", has_text="Indirect fire attack on Green Village").click()
    page.wait_for_url(server + "incidents/2022-01-05-green-village-indirect-fire/")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="January 2022"
    ).click()
    page.wait_for_url(server + "months/2022-01/")
    drawn = drawn_charts(page, 1, ["month-2022-01"])
    assert drawn == {"month-2022-01": expected(built_site.charts["month-2022-01"])}

    assert page.evaluate("window.__same_document") is True, "navigation reloaded the page"
    assert page.errors == []


def test_hover_shows_the_exact_count(page, server):
    page.goto(server + "bases/green-village/")
    charts_on(page, 1)
    bar = page.locator(".chart .barlayer .point path").last  # August 2022, the reported one
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(".hoverlayer .hovertext")
    assert (
        page.locator(".hoverlayer .hovertext").text_content() == "August 2022: 1 attack (reported)"
    )


def test_pages_without_charts_do_not_load_plotly(page, server):
    loaded = []
    page.on("request", lambda r: loaded.append(r.url) if "plotly" in r.url else None)
    page.goto(server + "incidents/2022-08-15-green-village-rockets/")
    page.wait_for_load_state("networkidle")
    assert loaded == []
    page.goto(server + "about/")
    page.wait_for_load_state("networkidle")
    assert loaded == []
    assert page.errors == []


def test_every_page_loads_without_console_errors(page, server, built_site):
    for path in built_site.pages():
        page.goto(server + path, wait_until="load")
        if page.locator(".chart").count():
            charts_on(page, page.locator(".chart").count())
    assert page.errors == []


# --- the reader features: every chart type, filters, downloads, themes, weight -------------


@pytest.mark.parametrize(
    "path, counts",
    [
        ("timeline/", {"escalation-timeline": {"points": 17, "links": 7}}),
        ("map/", {"map": {"points": 10}}),  # 6 bases, and strikes at 4 places
        ("", {"attacks-per-month-by-status": {"bars": 5}}),  # (month, status) pairs with attacks
    ],
)
def test_every_chart_type_is_drawn_with_its_numbers(page, server, built_site, path, counts):
    page.goto(server + path)
    drawn = drawn_charts(page, page.locator(".chart").count())
    for chart_id, numbers in counts.items():
        assert drawn[chart_id] == expected(built_site.charts[chart_id])
        assert {k: drawn[chart_id][k] for k in numbers} == numbers
    assert page.errors == []


def test_the_map_draws_its_outlines_from_the_site_itself(page, server):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + "map/")
    charts_on(page, 1)
    assert page.locator(".chart .geolayer .layer.countries path").count() >= 1
    assert server + "assets/vendor/topojson/asia_50m.json" in requested
    assert [u for u in requested if not u.startswith(server)] == []  # no third party at all


def test_the_map_says_so_when_its_outlines_cannot_be_loaded(page, server):
    page.route("**/asia_50m.json", lambda route: route.abort())
    page.goto(server + "map/")
    page.wait_for_selector(".chart[data-rendered=error]")
    assert (
        page.locator(".chart")
        .inner_text()
        .startswith(
            "The base map could not be loaded, so the map is not shown. The table below lists"
        )
    )


def test_every_chart_type_draws_after_instant_navigation(page, server, built_site):
    page.goto(server)
    charts_on(page, 3)
    page.evaluate("window.__same_document = true")
    for tab, url, chart_ids in (
        (
            "Timeline",
            "timeline/",
            [
                "escalation-timeline",
                "episode-2022-08-15",
                "episode-2022-01-05",
                "episode-2021-06-27",
            ],
        ),
        ("Map", "map/", ["map"]),
        ("Months", "months/", ["incidents-per-month"]),
    ):
        page.locator(".md-tabs__link", has_text=tab).click()
        page.wait_for_url(server + url)
        assert drawn_charts(page, len(chart_ids), chart_ids) == {
            c: expected(built_site.charts[c]) for c in chart_ids
        }
    assert page.evaluate("window.__same_document") is True
    assert page.errors == []


def test_clicking_a_timeline_marker_opens_the_incident(page, server):
    page.goto(server + "timeline/")
    charts_on(page, 4)
    page.evaluate("window.__same_document = true")
    marker = page.locator(".chart path.point").first  # the earliest attack: June 2021
    box = marker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(server + "incidents/2021-06-28-green-village-rockets/")
    assert page.evaluate("window.__same_document") is True  # through instant navigation


def test_switching_to_dark_mode_redraws_the_charts(page, server):
    page.goto(server)
    charts_on(page, 3)
    colour = "document.querySelector('.chart')._fullLayout.font.color"
    light = page.evaluate(colour)
    page.locator("label.md-header__button[for^='__palette']:visible").click()
    page.wait_for_function(f"{colour} !== {light!r}")
    dark = page.evaluate(colour)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert dark == page.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--md-default-fg-color').trim()"
    )
    assert page.errors == []


def test_filtering_the_incidents_table_changes_the_count_and_the_url(page, server):
    # expect() waits for the page's script: the reset button applies after the form resets.
    page.goto(server + "incidents/")
    count = page.locator(".table-filter__count")
    expect(count).to_have_text("Showing all 17 incidents")
    page.select_option("select[name=kind]", "strike")
    expect(count).to_have_text("Showing 7 of 17 incidents")
    assert page.locator("#incident-list tbody tr:visible").count() == 7
    expect(page).to_have_url(server + "incidents/?kind=strike")
    page.select_option("select[name=base]", "green-village")
    expect(count).to_have_text("Showing 3 of 17 incidents")
    expect(page).to_have_url(server + "incidents/?kind=strike&base=green-village")
    page.goto(page.url)  # someone opens the shared link
    expect(count).to_have_text("Showing 3 of 17 incidents")
    assert page.locator("#incident-list tbody tr:visible").count() == 3
    page.locator(".table-filter__reset").click()
    expect(count).to_have_text("Showing all 17 incidents")
    expect(page).to_have_url(server + "incidents/")


def test_sorting_the_incidents_table_keeps_the_order_in_the_url(page, server):
    page.goto(server + "incidents/")
    first = "document.querySelector('#incident-list tbody tr').dataset.id"
    assert page.evaluate(first) == "2022-08-24-saker-island-airstrikes"  # newest first
    page.locator("#incident-list th button", has_text="Date").click()
    assert page.evaluate(first) == "2021-06-27-iraq-syria-border-airstrikes"
    assert page.url == server + "incidents/?sort=0&order=asc"
    page.reload()
    assert page.evaluate(first) == "2021-06-27-iraq-syria-border-airstrikes"


def test_a_tag_on_an_incident_page_opens_the_filtered_table(page, server):
    page.goto(server + "incidents/2022-08-23-deir-ez-zor-airstrikes/")
    page.locator("a", has_text="retaliation").click()
    expect(page).to_have_url(server + "incidents/?tag=retaliation")
    expect(page.locator(".table-filter__count")).to_have_text("Showing 2 of 17 incidents")


def test_download_links_return_files_with_one_row_per_incident(page, server, built_site):
    import csv
    import io
    import json

    import feedparser

    incidents = len(built_site.project.incident_files())
    page.goto(server + "data/")
    links = {
        a.inner_text(): a.get_attribute("href") for a in page.locator("article a[download]").all()
    }
    assert sorted(links) == [
        "attacks-by-base-and-month.csv",
        "casualties.csv",
        "corrections.xml",
        "feed.xml",
        "incident.schema.json",
        "incidents.csv",
        "incidents.geojson",
        "incidents.json",
    ]

    def get(name: str) -> str:
        response = page.request.get(urljoin(page.url, links[name]))
        assert response.ok, name
        return response.text()

    assert len(list(csv.DictReader(io.StringIO(get("incidents.csv"))))) == incidents
    assert len(json.loads(get("incidents.json"))["incidents"]) == incidents
    assert len(json.loads(get("incidents.geojson"))["features"]) == incidents
    counts = list(csv.DictReader(io.StringIO(get("attacks-by-base-and-month.csv"))))
    assert sum(int(r["attacks"]) for r in counts) == 10
    assert len(feedparser.parse(get("feed.xml")).entries) == incidents
    casualties = list(csv.DictReader(io.StringIO(get("casualties.csv"))))
    assert {r["side"] for r in casualties} <= {
        "us",
        "coalition",
        "partner",
        "civilian",
        "militant",
        "unknown",
    }
    assert json.loads(get("incident.schema.json"))["title"] == "Incident"


def test_pages_fit_a_phone_screen(browser, server):
    context = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    for path, charts in (("", 3), ("map/", 1), ("timeline/", 4), ("bases/green-village/", 1)):
        page.goto(server + path)
        charts_on(page, charts)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path or 'overview'} is {width}px wide on a 390px screen"
        chart = page.locator(".chart").first.bounding_box()
        assert chart["width"] <= 390
    context.close()


# Bytes a chart page's first visit may transfer, compressed, in all: about 0.6 MB since
# plotly.js holds only the site's traces (1.6 MB with the whole library).
BUDGET = 800_000


class Transfers:
    """Bytes each request received over the network (compressed, headers included), as
    Chromium's DevTools count them; 0 for what came from the browser's cache."""

    def __init__(self, context, page) -> None:
        self.urls: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: self.bytes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
        )

    def by_url(self) -> dict[str, int]:
        return {self.urls[r]: n for r, n in self.bytes.items() if r in self.urls}

    def clear(self) -> None:
        self.urls.clear()
        self.bytes.clear()


def first_visit(browser, url: str, charts: int) -> dict[str, int]:
    """Bytes transferred for each file on a first visit with an empty cache."""
    context = new_context(browser)
    page = context.new_page()
    transfers = Transfers(context, page)
    page.goto(url)
    if charts:
        charts_on(page, charts)
    page.wait_for_load_state("networkidle")
    sizes = transfers.by_url()
    context.close()
    return sizes


@pytest.mark.parametrize(
    "path, charts",
    [
        ("", 3),
        ("map/", 1),
        ("timeline/", 4),
        ("bases/green-village/", 1),
        ("incidents/2022-08-15-green-village-rockets/", 0),
    ],
)
def test_a_first_visit_stays_within_the_page_weight_budget(
    browser, server, path, charts, tmp_path_factory
):
    sizes = first_visit(browser, server + path, charts)
    total = sum(sizes.values())
    plotly = sum(v for k, v in sizes.items() if k.endswith("plotly.min.js"))
    report(
        tmp_path_factory,
        f"first visit to /{path}: {total / 1e6:.3f} MB in {len(sizes)} files, "
        f"of which plotly.js {plotly / 1e6:.3f} MB",
    )
    if charts:
        assert plotly > 400_000, "plotly.js should be there, compressed"
        assert total <= BUDGET, f"/{path} transfers {total:,} bytes: over the budget"
    else:
        assert plotly == 0, "a page without a chart must not download plotly.js"


def test_a_second_chart_page_reuses_plotly(browser, server, tmp_path_factory):
    context = new_context(browser)
    page = context.new_page()
    transfers = Transfers(context, page)
    page.goto(server)
    charts_on(page, 3)
    assert transfers.by_url()[server + "assets/vendor/plotly.min.js"] > 400_000
    transfers.clear()
    page.locator(".md-tabs__link", has_text="Map").click()  # instant navigation
    page.wait_for_url(server + "map/")
    charts_on(page, 1, ["map"])  # the new page's chart, not the old page's
    assert server + "assets/vendor/plotly.min.js" not in transfers.by_url()
    page.goto(server + "bases/")  # a hard load of another chart page
    charts_on(page, 1)
    again = transfers.by_url().get(server + "assets/vendor/plotly.min.js")
    assert again in (None, 0), f"plotly.js downloaded again: {again:,} bytes"
    report(
        tmp_path_factory,
        "second chart page: plotly.js not transferred again (instant navigation: "
        "not requested; hard load: from the browser's cache)",
    )
    context.close()
