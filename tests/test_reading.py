"""The site as a reader meets it, in Chromium at 1366 px and 390 px, light and dark: the
overview answers the questions they arrive with, every month is labelled, nothing scrolls
sideways on a phone, the map names and places everything, colours keep their meaning, and
detail pages say where they are. On the sample and on the 2023-24 campaign.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import charts_on, new_context
from playwright.sync_api import expect

from generator.dates import long_date, month_label
from generator.stats import Stats
from generator.wording import incident_title

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(params=["sample", "campaign"])
def site(request):
    """(built site, its address): each test runs on both datasets."""
    built = request.getfixturevalue("built_site" if request.param == "sample" else "campaign_site")
    url = request.getfixturevalue("server" if request.param == "sample" else "campaign_server")
    return built, url


def open_page(browser, url: str, *, viewport=DESKTOP, scheme="light"):
    context = new_context(
        browser, viewport=viewport, color_scheme=scheme, is_mobile=viewport["width"] < 500
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    visit(page, url)
    return context, page


def visit(page, url: str) -> None:
    """Go to ``url`` in a page already open and wait for its charts: a page kept open
    starts plotly.js again in about 1 s, a new one in about 2.5 s."""
    page.goto(url)
    charts_on(page, page.locator(".chart").count())


# --- 1. the overview answers the questions ---------------------------------------------------


def test_the_overview_answers_the_readers_questions(browser, site):
    built, url = site
    stats = Stats(built.generated.dataset)
    context, page = open_page(browser, url)
    summary = page.locator(".overview__summary").inner_text()
    named = sum(1 for s in stats.sites_ranked if not s.unnamed)  # unnamed sites: no sites
    assert summary.startswith(f"{len(stats.attacks)} attacks on ")
    assert f" {named} sites hosting" in summary or f" {named} named sites" in summary
    assert f"and {stats.total.strikes} US strikes are recorded" in summary

    for kind, label in (("attack", "Latest attack"), ("strike", "Latest US strike")):
        latest = stats.latest(kind)
        card = page.locator(".headline__figure", has_text=label)
        assert card.locator("time").get_attribute("datetime") == latest.date.isoformat()
        assert card.get_by_role("link").inner_text() == incident_title(latest, stats.dataset)
    for days in (30, 90):
        w = stats.window(days)
        card = page.locator(f".headline__figure[data-window='{days}']").inner_text()
        assert card.startswith(f"LAST {days} DAYS\n{w.attacks} attack"), card
        assert f"{w.strikes} US strike" in card
        assert re.search(rf"(up|down) from {w.attacks_before} |as many as|none either", card)
    assert f"end on {long_date(stats.as_of)}, the date of the latest record" in (
        page.locator(".headline__note").inner_text()
    )

    us = stats.us_casualties
    card = page.locator(".headline__figure--casualties").inner_text()
    if us.incidents:
        assert (f"{us.killed.text} killed" if us.killed else "killed: not stated") in card
        assert (f"{us.injured.text} injured" if us.injured else "injured: not stated") in card
    else:
        assert "no record states US casualties" in card

    coverage = page.locator(".coverage")
    expect(coverage).to_be_visible()
    assert " ".join(stats.dataset.info.coverage.split()) in " ".join(coverage.inner_text().split())
    assert page.errors == []
    context.close()


# --- 2. every month has its own label --------------------------------------------------------

# The month axis of each chart that has one: its tick labels and the pixel centre of each
# month's category, in the chart's own coordinates.
MONTH_TICKS = """el => {
  const layout = el._fullLayout, turned = el.getAttribute('data-months') === 'side';
  const axis = turned ? layout.yaxis : layout.xaxis;
  const svg = el.querySelector('svg.main-svg').getBoundingClientRect();
  const ticks = [...el.querySelectorAll(`.${axis._id}tick text`)].map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent, left: b.left - svg.left, right: b.right - svg.left,
            top: b.top - svg.top, bottom: b.bottom - svg.top,
            size: parseFloat(getComputedStyle(t).fontSize)};
  });
  const centres = layout.meta.months.map((_, k) => axis.c2p(k) + axis._offset);
  return {turned, ticks, centres, mode: el.getAttribute('data-months'),
          width: svg.width, height: svg.height, months: layout.meta.months};
}"""


def month_charts(page) -> list[dict]:
    has_months = "el => Boolean(el._fullLayout.meta && el._fullLayout.meta.months)"
    return [c.evaluate(MONTH_TICKS) for c in page.locator(".chart").all() if c.evaluate(has_months)]


def overlapping(a: dict, b: dict) -> bool:
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5 and (
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
def test_every_bar_and_heatmap_column_carries_its_own_month_label(browser, site, viewport):
    built, url = site
    stats = Stats(built.generated.dataset)
    busiest = stats.sites_ranked[0].id
    for path in ("", f"bases/{busiest}/", "months/"):
        context, page = open_page(browser, url + path, viewport=viewport)
        charts = month_charts(page)
        assert charts, path
        for chart in charts:
            ticks, months = chart["ticks"], chart["months"]
            assert len(ticks) == len(months) == len(stats.months), (path, chart["mode"])
            year = None
            for tick, month, key, centre in zip(
                ticks, months, stats.months, chart["centres"], strict=True
            ):
                # 'Jun2021' (two lines), 'Jul', or 'Jun 2021' (upright or on its side)
                name, _, shown_year = tick["text"].replace("\xa0", " ").partition(" ")
                name, shown_year = (
                    (name[:3], name[3:] or shown_year) if not shown_year else (name, shown_year)
                )
                year = shown_year or year
                assert f"{name} {year}" == month == month_label(key, short=True), tick
                assert tick["size"] >= 10
                middle = (
                    (tick["top"] + tick["bottom"]) / 2
                    if chart["turned"]
                    else (tick["left"] + tick["right"]) / 2
                )
                assert abs(middle - centre) < 3, f"{path}: the {month} label is not under it"
                assert tick["left"] >= -1 and tick["right"] <= chart["width"] + 1
            for a, b in pairwise(ticks):
                assert not overlapping(a, b), f"{path}: {a['text']} overlaps {b['text']}"
        assert page.errors == []
        context.close()


# --- 3. the layout uses the screen; a phone never scrolls sideways ---------------------------


def test_the_screen_goes_to_the_content_and_prose_stays_readable(browser, server):
    context, page = open_page(browser, server + "bases/green-village/")
    assert not page.locator(".md-sidebar--primary").is_visible()  # no empty sidebar
    table = page.locator(".incident-table table").bounding_box()
    article = page.locator("article").bounding_box()
    assert table["width"] >= article["width"] - 2  # tables take the full width
    assert article["width"] >= 900
    page.goto(server + "incidents/2022-01-05-baghdad-rockets/")
    per_line = page.evaluate("""() => {
      const p = document.querySelector('.incident__summary p');
      const chars = p.textContent.length, lines = p.getClientRects().length;
      const range = document.createRange(); range.selectNodeContents(p);
      return chars / range.getClientRects().length; }""")
    assert 45 <= per_line <= 85, f"{per_line:.0f} characters a line"
    context.close()


def page_kinds(built) -> list[str]:
    stats = Stats(built.generated.dataset)
    d = built.generated.dataset
    kinds = [
        "",
        "timeline/",
        "map/",
        "bases/",
        "months/",
        "actors/",
        "incidents/",
        "data/",
        "coverage/",
        "about/",
        f"bases/{stats.sites_ranked[0].id}/",
        f"months/{stats.active_months[-1]}/",
        f"incidents/{d.incidents[-1].id}/",
    ]
    if d.actors:
        kinds.append(f"actors/{d.actors[0].id}/")
    return kinds


def test_no_page_scrolls_sideways_on_a_phone_and_every_column_shows(browser, site):
    built, url = site
    context, page = open_page(browser, url, viewport=PHONE)
    for path in page_kinds(built):
        visit(page, url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"/{path} is {width}px wide on a 390px screen"
        for row in page.locator(".incident-table tbody tr").all()[:5]:
            for cell in row.locator("td").all():
                if not cell.inner_text().strip():
                    continue
                box = cell.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], path
                label = cell.evaluate("td => getComputedStyle(td, '::before').content")
                assert label.strip('"').endswith(": "), (path, label)
    context.close()


# --- 4. the timeline's episodes ---------------------------------------------------------------


def test_each_episode_has_its_own_day_scale_chart_and_chronology(browser, site):
    built, url = site
    stats = Stats(built.generated.dataset)
    context, page = open_page(browser, url + "timeline/")
    drawn = set(built.generated.charts.episode)
    assert drawn, "the dataset has episodes"
    for e in stats.episodes:
        section = page.locator(f"h3#{e.id}")
        expect(section).to_have_count(1)
        chronology = page.locator(f"h3#{e.id} ~ .chronology").first
        assert chronology.locator("li").count() == len(e.incidents)
        if e.id not in drawn:
            continue
        chart = page.locator(f"#chart-{e.id} .chart")
        labels = chart.evaluate(  # the places, where their labels find room (test_phone.py)
            "el => [...el.querySelectorAll('.annotation-text-g text')].map(t => t.textContent)"
            ".filter(Boolean)"
        )
        assert 1 <= len(labels) <= len(e.incidents)
        span = chart.evaluate("el => el._fullLayout.xaxis.range.map(Date.parse)")
        assert span[1] - span[0] <= (e.last - e.first).days * 86_400_000 * 1.4 + 3 * 86_400_000
        arrows = chart.evaluate("el => el.querySelectorAll('.annotation-arrow-g').length")
        assert arrows == sum(len(i.responds_to) for i in e.incidents)
    legend = page.locator("#chart-escalation-timeline").evaluate(
        "f => [...f.querySelectorAll('.legendtext')].map(t => t.textContent)"
    )
    assert "Filled: confirmed or claimed" in legend and "Open: reported only" in legend
    context.close()


# --- 5. the map ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_map_labels_and_places_every_base_and_located_incident(browser, site, scheme):
    built, url = site
    stats = Stats(built.generated.dataset)
    context, page = open_page(browser, url + "map/", scheme=scheme)
    chart = page.locator("#chart-map .chart")
    labels = chart.evaluate(
        "el => [...el.querySelectorAll('.scattergeo text, .textpoint text')]"
        ".map(t => t.textContent)"
    )
    # The most attacked bases are labelled first (others where their labels find room; the
    # table lists every one).
    for site in [s for s in stats.sites_ranked if not s.unnamed][:8]:
        assert any(site.name in label for label in labels), f"{site.name} is not labelled"
    shown = chart.evaluate("""el => el._fullData
      .filter(t => t.type === 'scattergeo' && t.customdata)
      .reduce((n, t) => n + t.lat.length, 0)""")
    table = built.charts["map"].table.rows
    assert shown == len([r for r in table if r[2]])  # a marker for each row with coordinates
    placed = [r for r in table if r[2]]
    assert sum(r[5] for r in placed if isinstance(r[5], int)) == sum(
        1 for i in stats.attacks if stats.position(i) is not None
    )
    assert sum(r[5] for r in table if isinstance(r[5], int)) == sum(  # unnamed: by country
        1
        for i in stats.attacks
        if stats.position(i) is not None or (i.base is None and stats.site_of(i))
    )
    assert (
        sum(r[6] for r in table if isinstance(r[6], int))
        == stats.count(i for i in stats.strike_records if stats.position(i) is not None).strikes
    )
    unplaced = [i for i in stats.dataset.incidents if stats.position(i) is None]
    caption = page.locator("#chart-map figcaption").inner_text()
    assert ("every incident is shown" in caption) == (not unplaced)
    # Strikes stand out from the land in either palette.
    contrast = chart.evaluate("""el => {
      const probe = document.createElement('span'); document.body.appendChild(probe);
      const rgb = c => { probe.style.color = c;
        return getComputedStyle(probe).color.match(/[\\d.]+/g).slice(0, 3).map(Number); };
      const first = c => Array.isArray(c) ? c[0] : c;
      const lum = c => rgb(c).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92
        : ((v + 0.055) / 1.055) ** 2.4).reduce((s, v, k) => s + v * [0.2126, 0.7152, 0.0722][k], 0);
      const strikes = el._fullData.find(t => (t.name || '').startsWith('US strikes'));
      const strike = first(strikes.marker.color);
      const bg = getComputedStyle(document.body).backgroundColor;
      const [a, b] = [lum(strike), lum(bg)].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05); }""")
    assert contrast >= 3, f"strike markers at {contrast:.1f}:1 against the page"
    context.close()


# --- 6. detail pages say where they are -------------------------------------------------------


def test_detail_pages_have_their_tab_a_breadcrumb_and_neighbours(browser, server, built_site):
    incidents = built_site.generated.dataset.incidents
    k = 5
    context, page = open_page(browser, server + f"incidents/{incidents[k].id}/")
    expect(page.locator(".md-tabs__item--active")).to_have_text("Incidents")
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
    assert crumbs.all_inner_texts() == ["Overview", "Incidents", month_label(incidents[k].month)]
    page.get_by_role("navigation", name="Previous and next incident").locator("a[rel=next]").click()
    page.wait_for_url(server + f"incidents/{incidents[k + 1].id}/")
    expect(page.locator(".md-tabs__item--active")).to_have_text("Incidents")
    crumbs.first.click()
    page.wait_for_url(server)
    expect(page.locator(".md-tabs__item--active")).to_have_text("Overview")
    for path, tab in (
        ("bases/green-village/", "Bases"),
        ("months/2022-01/", "Months"),
        ("actors/iran-backed-groups/", "Actors"),
    ):
        page.goto(server + path)
        expect(page.locator(".md-tabs__item--active")).to_have_text(tab)
    page.goto(server + "months/2022-01/")
    pager = page.get_by_role(
        "navigation", name="Previous and next month with incidents", exact=True
    )
    expect(pager.locator("a[rel=prev]")).to_contain_text("June 2021")
    expect(pager.locator("a[rel=next]")).to_contain_text("August 2022")
    context.close()


# --- 7. no toolbar: a PNG button ---------------------------------------------------------------


def test_charts_have_no_toolbar_and_a_png_button_that_downloads(browser, server):
    context, page = open_page(browser, server)
    assert page.locator(".modebar-btn").count() == 0  # Plotly's toolbar is not drawn at all
    focusable = page.locator(".chart a, .chart button, .chart [tabindex]").count()
    assert focusable == 0, "nothing inside a chart takes keyboard focus"
    buttons = page.get_by_role("button", name=re.compile("^Download PNG"))
    assert buttons.count() == page.locator(".chart").count() == 3
    with page.expect_download() as download:
        buttons.first.click()
    path = download.value.path()
    assert download.value.suggested_filename == "attacks-by-base-and-month.png"
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    context.close()


# --- 8. one colour per meaning -------------------------------------------------------------------

COLOURS = """() => [...document.querySelectorAll('.chart')].flatMap(el => el._fullData
  .filter(t => t.name && t.marker && typeof t.marker.color === 'string' && t.visible !== false
          && t.showlegend !== false)
  .map(t => [t.name, t.marker.color]))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_meaning_has_the_same_colour_on_every_chart(browser, site, scheme):
    built, url = site
    stats = Stats(built.generated.dataset)
    seen: dict[str, set[str]] = {}
    context, page = open_page(browser, url, scheme=scheme)
    for path in (
        "",
        "months/",
        f"bases/{stats.sites_ranked[0].id}/",
        "timeline/",
        "map/",
        *(f"actors/{a.id}/" for a in built.generated.dataset.actors[:2]),
    ):
        visit(page, url + path)
        for name, colour in page.evaluate(COLOURS):
            key = "US strikes" if name.startswith("US strikes") else name
            seen.setdefault(key, set()).add(colour.replace(" ", "").lower())
    context.close()
    assert all(len(c) == 1 for c in seen.values()), seen
    one = {name: next(iter(c)) for name, c in seen.items()}
    assert one["Attacks on bases"] != one["US strikes"]
    bases = {one[s.name] for s in stats.sites_ranked[:8] if s.name in one}
    assert one["Attacks on bases"] not in bases and one["US strikes"] not in bases


def test_the_heatmap_key_is_a_step_per_count_and_shows_on_a_phone(browser, server):
    for viewport in (DESKTOP, PHONE):
        context, page = open_page(browser, server, viewport=viewport)
        heatmap = page.locator("#chart-attacks-by-base-and-month .chart")
        ticks = heatmap.evaluate(
            "el => [...el.querySelectorAll('.colorbar .cbaxis text')].map(t => t.textContent)"
        )
        assert ticks == ["0", "1", "2"]
        bar = heatmap.locator(".colorbar").bounding_box()
        assert bar["x"] >= 0 and bar["x"] + bar["width"] <= viewport["width"]
        context.close()


# --- 9. filters and sortable tables --------------------------------------------------------


def test_the_words_and_date_filters_narrow_the_table_and_stay_in_the_url(browser, server):
    context, page = open_page(browser, server + "incidents/")
    count = page.locator(".table-filter__count")
    page.get_by_label("Words").fill("green village rocket")
    expect(count).to_have_text("Showing 5 of 17 incidents")  # 3 attacks, 2 strikes at launchers
    assert "q=green+village+rocket" in page.url
    page.get_by_label("From").fill("2022-08-01")
    expect(count).to_have_text("Showing 2 of 17 incidents")
    page.goto(server + "incidents/?from=2022-01-01&to=2022-01-31")
    expect(count).to_have_text("Showing 7 of 17 incidents")
    tags = page.locator("select[name=tag] option").all_inner_texts()
    assert "iran-backed-groups" not in tags and "Iran-backed groups" in tags  # words, not slugs
    perpetrators = page.locator("select[name=perpetrator] option").all_inner_texts()
    assert "Iran-backed groups" in perpetrators  # the actor's name, not its id
    context.close()


def test_the_bases_and_months_tables_sort_and_show_they_can(browser, server):
    context, page = open_page(browser, server + "bases/")
    header = page.locator("#base-list th").nth(4)  # Attacks
    cue = header.locator(".sort-button").evaluate("b => getComputedStyle(b, '::after').content")
    assert "⇅" in cue  # visible before any click
    header.locator(".sort-button").click()
    header.locator(".sort-button").click()  # descending
    attacks = page.locator("#base-list tbody tr td:nth-child(5)").all_inner_texts()
    assert [int(a) for a in attacks] == sorted((int(a) for a in attacks), reverse=True)
    page.goto(server + "months/")
    page.locator("#month-list th").nth(1).locator(".sort-button").click()
    values = [int(v) for v in page.locator("#month-list tbody td:nth-child(2)").all_inner_texts()]
    assert values == sorted(values)  # numbers sort as numbers: 10 after 9
    context.close()


def test_the_casualty_and_perpetrator_columns_show_what_records_give(
    browser, campaign_server, campaign_site
):
    context, page = open_page(browser, campaign_server + "incidents/")
    row = page.locator("tr[data-id='2024-01-28-tower-22-drone']")
    assert "US forces: 3 killed" in row.locator("td[data-label=Casualties]").inner_text()
    assert row.locator("td[data-label=Perpetrator] a").count() == 1
    context.close()


def test_the_compact_shape_reads_the_same(browser, compact_server):
    """Above the limits, the month pages hold the records and the table has a page a year:
    they fit a phone too."""
    for path in ("years/2022/", "months/2022-08/"):
        context, page = open_page(browser, compact_server + path, viewport=PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        context.close()
