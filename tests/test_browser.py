"""The built site in headless Chromium: charts drawn on hard loads and after instant navigation.

Needs Debian's `chromium` (`sudo apt-get install chromium`; .ci/run installs it). Without it
these tests skip locally, and fail in CI (CI=true), where they must run.
"""

from __future__ import annotations

import pytest
from conftest import charts_on

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# What a drawn chart looks like, read from the SVG Plotly made.
MEASURE = """el => ({
  bars: [...el.querySelectorAll('.barlayer .point path')]
    .filter(p => { const b = p.getBBox(); return b.width > 0.5 && b.height > 0.5; }).length,
  heatmaps: el.querySelectorAll('.heatmaplayer image').length,
  cells: (el.calcdata || []).filter(t => t[0] && t[0].z)
    .reduce((n, t) => n + t[0].z.length * t[0].z[0].length, 0),
})"""


def drawn_charts(page, count: int) -> dict[str, dict[str, int]]:
    """Wait until ``count`` charts are drawn; return what each one shows, by chart id."""
    charts_on(page, count)
    return {
        fig.get_attribute("id"): fig.locator(".chart").evaluate(MEASURE)
        for fig in page.locator("figure.chart-figure").all()
    }


def expected(chart) -> dict[str, int]:
    return {"bars": chart.bars, "heatmaps": 1 if chart.cells else 0, "cells": chart.cells}


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
    assert drawn_charts(page, 1) == {
        "attacks-per-base": expected(built_site.charts["attacks-per-base"])
    }

    page.locator("article table a:visible", has_text="Green Village").first.click()
    page.wait_for_url(server + "bases/green-village/")
    assert drawn_charts(page, 1) == {
        "base-green-village": expected(built_site.charts["base-green-village"])
    }

    page.locator("article table a", has_text="Indirect fire attack on Green Village").click()
    page.wait_for_url(server + "incidents/2022-01-05-green-village-indirect-fire/")
    page.locator("article a", has_text="January 2022").click()
    page.wait_for_url(server + "months/2022-01/")
    assert drawn_charts(page, 1) == {"month-2022-01": expected(built_site.charts["month-2022-01"])}

    assert page.evaluate("window.__same_document") is True, "navigation reloaded the page"
    assert page.errors == []


def test_hover_shows_the_exact_count(page, server):
    page.goto(server + "bases/green-village/")
    charts_on(page, 1)
    bar = page.locator(".chart .barlayer .point path").last  # August 2022, the reported one
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
