"""The campaign site on a phone and for a newsroom on deadline (issue 20), in Chromium at
1366 px and on a 390 px phone (colours in both palettes on both screens; the rest at 1366 px
light and 390 px dark): what a journalist's test found, each checked as a reader meets it.

1. the rows a table shows download as CSV and JSON;
2. the map's labels never overprint and none is cut; the legend's shapes differ; every
   country in scope is named; an unnamed site is not drawn as a place;
3. an incident is listed once among another's related incidents;
4. nothing on the timeline overprints;
5. the words a reader sees are written for readers;
6. every chart text is legible on what it sits on; heatmap cells open the base's month;
   stacked bars carry their total; the bases and actors tables fit a phone.
"""

from __future__ import annotations

import base64
import csv
import io
import itertools
import json
import re
from pathlib import Path

import pytest
from conftest import charts_on, new_context, report
from playwright.sync_api import expect
from test_browser import Transfers
from test_reading import overlapping

from generator.stats import Stats
from generator.wording import incident_date

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWS = {
    "1366px-light": (DESKTOP, "light"),
    "1366px-dark": (DESKTOP, "dark"),
    "390px-light": (PHONE, "light"),
    "390px-dark": (PHONE, "dark"),
}


# What a test reads that the palette does not change (words, layout, links, downloads)
# runs once per screen, the desktop light and the phone dark; colours are read in all four.
EACH_SCREEN = ["1366px-light", "390px-dark"]


@pytest.fixture(params=EACH_SCREEN)
def view(request):
    """(viewport, colour scheme): at 1366 px in the light palette and 390 px in the dark."""
    return VIEWS[request.param]


@pytest.fixture(params=list(VIEWS))
def every_view(request):
    """(viewport, colour scheme): 1366 and 390 px, each light and dark."""
    return VIEWS[request.param]


class Reader:
    """A browser tab at one screen size and palette, opening pages of one site."""

    def __init__(self, browser, url: str, view) -> None:
        viewport, scheme = view
        self.width = viewport["width"]
        self.context = new_context(
            browser,
            viewport=viewport,
            color_scheme=scheme,
            is_mobile=viewport["width"] < 500,
            accept_downloads=True,
        )
        self.page = self.context.new_page()
        self.page.errors = []
        self.page.on("pageerror", lambda e: self.page.errors.append(str(e)))
        self.page.on(
            "console", lambda m: self.page.errors.append(m.text) if m.type == "error" else None
        )
        self.url = url

    def open(self, path: str):
        self.page.goto(self.url + path)
        charts_on(self.page, self.page.locator(".chart").count())
        return self.page

    def close(self) -> None:
        assert self.page.errors == []
        self.context.close()


@pytest.fixture
def reader(browser, campaign_server, view):
    r = Reader(browser, campaign_server, view)
    yield r
    r.close()


@pytest.fixture
def palette_reader(browser, campaign_server, every_view):
    """A reader in each of the four views, for what the palette changes (colours)."""
    r = Reader(browser, campaign_server, every_view)
    yield r
    r.close()


# --- 3. related incidents, each once -----------------------------------------------------------


def test_an_incident_is_listed_once_among_the_related_incidents(reader, campaign_site):
    dataset = campaign_site.generated.dataset
    both = [  # incidents that name one incident in two relations
        i
        for i in dataset.incidents
        if {r.id for r in dataset.related_to.get(i.id, ())}
        & ({*i.responds_to} | {a.id for a in dataset.answered_by.get(i.id, ())})
    ]
    assert len(both) >= 10, "the campaign has incidents related in two ways"
    for incident in both[:3]:
        page = reader.open(f"incidents/{incident.id}/")
        listed = page.locator("ul.related li:has(a[href*='incidents/'])").evaluate_all(
            """items => items.map(li => [li.textContent.split(':')[0],
                new URL(li.querySelector('a').href).pathname.split('/').filter(Boolean).pop()])"""
        )
        ids = [i for _, i in listed]
        assert len(ids) == len(set(ids)), listed
        answers = {a.id for a in dataset.answered_by.get(incident.id, ())}
        for relation, other in listed:  # under its most specific relation
            expected = (
                "Responds to"
                if other in incident.responds_to
                else "Answered by"
                if other in answers
                else "See also"
            )
            assert relation == expected, (incident.id, other)


# --- 5. words for readers ----------------------------------------------------------------------


def test_the_words_a_reader_sees_are_written_for_readers(reader, campaign_site):
    dataset = campaign_site.generated.dataset
    stats = Stats(dataset)
    hurt = next(i for i in dataset.incidents if i.casualties and i.casualties.us)
    page = reader.open(f"incidents/{hurt.id}/")
    headers = page.locator(".fields th").all_inner_texts()
    assert "Casualties: US forces" in headers, headers  # not "us forces", the pronoun
    assert not any("us forces" in h for h in headers)

    strike = next(i for i in dataset.incidents if i.is_strike)
    page = reader.open(f"incidents/{strike.id}/")
    assert "Perpetrator" not in page.locator(".fields th").all_inner_texts()

    page = reader.open("actors/")
    intro = page.locator("article").inner_text()
    assert "perpetrator:" not in intro and "actors.yaml" not in intro

    for path in ("bases/", "bases/unnamed-syria/"):
        text = " ".join(reader.open(path).locator("article").inner_text().split())
        assert "the reporting places" not in text
        assert "reports locate in" in text
    about = " ".join(reader.open("about/").locator("article").inner_text().split())
    assert "the reporting places" not in about
    assert "When the reports say which country an attack was in but do not name" in about

    latest = incident_date(dataset.incidents[-1], short=False)
    page = reader.open("")
    for version in page.locator(".chart-version").all_inner_texts():
        assert version.startswith(f"The data runs to {latest}; data "), version

    # a month whose neighbour with incidents is not the month next to it says so
    gaps = [
        (a, b)
        for a, b in zip(stats.active_months, stats.active_months[1:], strict=False)
        if stats.months.index(b) - stats.months.index(a) > 1
    ]
    assert gaps, "the campaign has months without incidents"
    before, after = gaps[0]
    page = reader.open(f"months/{after}/")
    pager = page.get_by_role(
        "navigation", name="Previous and next month with incidents", exact=True
    )
    assert pager.locator("a[rel=prev] .pager__direction").inner_text().lower() == (
        "previous month with incidents"
    )
    page = reader.open(f"months/{before}/")
    assert page.locator(".pager a[rel=next] .pager__direction").first.inner_text().lower() == (
        "next month with incidents"
    )


# --- 6. heatmap, stacked bars, index tables ----------------------------------------------------

# Every text a chart draws in SVG (axis labels, legends, heatmap numbers, bar totals, map
# labels and country names, timeline notes), which axe-core does not check, against what it
# sits on. Each text's box and ink (its fill, with the opacity it is drawn at) are read, the
# texts hidden, and the chart's picture taken: the colour most of the box shows there is
# what the text sits on (a heatmap cell, the map's land, the page). WCAG's contrast ratio.
SVG_TEXTS = """el => {
  el.scrollIntoView({block: 'center'});
  const frame = el.getBoundingClientRect();
  const probe = document.createElement('span'); document.body.appendChild(probe);
  const rgba = c => { probe.style.color = c;
    const v = getComputedStyle(probe).color.match(/[\\d.]+/g).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const texts = [...el.querySelectorAll('svg text')].filter(t => {
    const box = t.getBoundingClientRect(), style = getComputedStyle(t);
    return t.textContent.trim() && box.width > 0 && box.height > 0
      && style.visibility === 'visible' && style.display !== 'none';
  }).map(t => {
    const box = t.getBoundingClientRect();
    const shown = t.querySelector('tspan[style*="fill"]') || t;
    const style = getComputedStyle(shown);
    let alpha = Number(style.fillOpacity);
    for (let n = shown; n && n !== el; n = n.parentElement) {
      alpha *= Number(getComputedStyle(n).opacity);
    }
    const ink = rgba(style.fill);
    return {text: t.textContent, ink: ink.slice(0, 3), alpha: alpha * ink[3],
            left: box.left - frame.left, top: box.top - frame.top,
            width: box.width, height: box.height};
  });
  probe.remove();
  const hide = document.createElement('style');
  hide.id = 'hide-chart-text';
  hide.textContent = '.chart svg text { visibility: hidden !important; }';
  document.head.appendChild(hide);
  return texts.filter(t => t.alpha > 0);
}"""

CONTRAST = """async ([texts, png, width]) => {
  document.getElementById('hide-chart-text').remove();
  const picture = new Image();
  picture.src = 'data:image/png;base64,' + png;
  await picture.decode();
  const canvas = document.createElement('canvas');
  canvas.width = picture.naturalWidth; canvas.height = picture.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(picture, 0, 0);
  const scale = canvas.width / width;
  const lum = c => c.map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92
    : ((v + 0.055) / 1.055) ** 2.4).reduce((s, v, k) => s + v * [0.2126, 0.7152, 0.0722][k], 0);
  return texts.map(t => {
    const x0 = Math.max(0, Math.floor(t.left * scale)), y0 = Math.max(0, Math.floor(t.top * scale));
    const x1 = Math.min(canvas.width, Math.ceil((t.left + t.width) * scale));
    const y1 = Math.min(canvas.height, Math.ceil((t.top + t.height) * scale));
    const seen = {};
    if (x1 > x0 && y1 > y0) {
      const data = context.getImageData(x0, y0, x1 - x0, y1 - y0).data;
      for (let k = 0; k < data.length; k += 4) {
        const key = data[k] + ',' + data[k + 1] + ',' + data[k + 2];
        seen[key] = (seen[key] || 0) + 1;
      }
    }
    const most = Object.keys(seen).sort((p, q) => seen[q] - seen[p])[0] || '255,255,255';
    const under = most.split(',').map(Number);
    const ink = t.ink.map((v, k) => v * t.alpha + under[k] * (1 - t.alpha));
    const [hi, lo] = [lum(under), lum(ink)].sort((p, q) => q - p);
    return {text: t.text, ratio: (hi + 0.05) / (lo + 0.05), ink: ink.map(Math.round), under};
  });
}"""


def svg_text_contrast(page, chart) -> list[dict]:
    """Each SVG text of the chart (a ``.chart`` locator) with its contrast ratio."""
    texts = chart.evaluate(SVG_TEXTS)
    width = chart.evaluate("el => el.getBoundingClientRect().width")
    png = base64.b64encode(chart.screenshot(animations="disabled")).decode()
    return page.evaluate(CONTRAST, [texts, png, width])


# The charts on these pages draw every kind of SVG text there is: the overview's heatmap,
# stacked bars with their totals and legends; the map's labels and country names; the
# timeline's notes and episode numbers.
CHART_PAGES = ["", "map/", "timeline/"]


def test_every_chart_text_is_legible_on_what_it_sits_on(palette_reader, campaign_site):
    stats = Stats(campaign_site.generated.dataset)
    faint: list[str] = []
    kinds: set[str] = set()
    for path in CHART_PAGES:
        page = palette_reader.open(path)
        for chart in page.locator(".chart").all():
            name = chart.evaluate("el => el.closest('figure').id")
            measured = svg_text_contrast(page, chart)
            assert measured, f"{name}: no text measured"
            faint += [f"{name}: {t}" for t in measured if t["ratio"] < 4.5]
            kinds.add(name)
            if name == "chart-attacks-by-base-and-month":  # every heatmap number is measured
                numbers = chart.evaluate(
                    "el => [...el.querySelectorAll('.heatmaplayer text')]"
                    ".filter(t => t.textContent.trim()).length"
                )
                assert numbers == sum(1 for n in stats.attack_counts.values() if n)
    assert {"chart-attacks-by-base-and-month", "chart-map", "chart-escalation-timeline"} <= kinds
    assert not faint, f"{len(faint)} texts under 4.5:1, e.g. {faint[:3]}"


def test_a_heatmap_cell_opens_the_base_page_at_its_month(reader, campaign_site):
    stats = Stats(campaign_site.generated.dataset)
    page = reader.open("")
    heatmap = page.locator("#chart-attacks-by-base-and-month .chart")
    heatmap.scroll_into_view_if_needed()
    page.evaluate("window.__same_document = true")
    number = heatmap.locator(".heatmaplayer text").filter(has_text="6").first
    box = number.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/bases/*/?kind=attack&from=*")
    assert page.evaluate("window.__same_document") is True  # through instant navigation
    query = page.evaluate("Object.fromEntries(new URL(location.href).searchParams)")
    base = page.url.split("/bases/")[1].split("/")[0]
    month = query["from"][:7]
    assert query["to"].startswith(month)
    attacks = stats.attack_counts[(base, month)]
    assert attacks == 6
    total = len(stats.by_site[base])
    expect(page.locator(".table-filter__count")).to_have_text(f"Showing 6 of {total} incidents")
    shown = page.locator("#incident-list tbody tr:not([hidden])")
    assert shown.count() == attacks
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.kind)")) == {"attack"}
    dates = shown.evaluate_all("rows => rows.map(r => r.dataset.date)")
    assert all(d.startswith(month) for d in dates)


TOTALS = """el => {
  const bars = [...el.querySelectorAll('.barlayer .point path')]
    .map(p => p.getBoundingClientRect());
  return [...el.querySelectorAll('.scatterlayer .textpoint text')].map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom,
            touching: bars.filter(r => r.width > 0.5 && r.height > 0.5 && r.left < b.right - 1
              && r.right > b.left + 1 && r.top < b.bottom - 1 && r.bottom > b.top + 1).length};
  });
}"""


def test_a_stacked_bar_carries_its_total(reader, campaign_site):
    stats = Stats(campaign_site.generated.dataset)
    page = reader.open("")
    for chart in ("attacks-per-month-by-base", "attacks-per-month-by-status"):
        labels = page.locator(f"#chart-{chart} .chart").evaluate(TOTALS)
        expected = [str(n) for m in stats.months if (n := stats.attacks_per_month[m])]
        assert [t["text"] for t in labels] == expected  # none over an empty month
        assert all(t["touching"] == 0 for t in labels), "a total covers a bar"


def test_the_bases_and_actors_tables_fit_the_screen(reader):
    for path, table in (("bases/", "#base-list"), ("actors/", "#actor-list")):
        page = reader.open(path)
        box = page.locator(table).evaluate(
            "t => ({scroll: t.parentElement.scrollWidth, width: t.parentElement.clientWidth})"
        )
        assert box["scroll"] <= box["width"] + 1, f"{path} scrolls sideways"
        assert page.evaluate("document.documentElement.scrollWidth") <= reader.width
        # A hint to click a column heading only where the headings are shown
        headings = page.locator(f"{table} thead").bounding_box()
        if headings is None or headings["height"] <= 1:  # hidden: a phone's cards
            text = " ".join(page.locator("article").inner_text().split())
            assert "Sort the table by clicking a column heading" not in text, path
        for cell in page.locator(f"{table} tbody tr").first.locator("td").all():
            if not cell.inner_text().strip():
                continue  # an empty cell: on a phone's card, left out
            b = cell.bounding_box()
            assert b["x"] >= 0 and b["x"] + b["width"] <= reader.width, path
            if reader.width < 500:  # a card: each value after its column's name
                label = cell.evaluate("td => getComputedStyle(td, '::before').content")
                assert label.strip('"').endswith(": "), label


# --- 1. take what you filtered -----------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_rows_a_table_shows_download_as_csv_and_json(reader, campaign_site, tmp_path_factory):
    site = campaign_site.site
    full_csv = (site / "data" / "incidents.csv").read_bytes()
    by_id = {r["id"]: r for r in read_csv(full_csv.decode())}
    full = json.loads((site / "data" / "incidents.json").read_text())
    records = {r["id"]: r for r in full["incidents"]}
    page = reader.open("incidents/")
    transfers = Transfers(reader.context, page)
    page.select_option("select[name=country]", "Syria")
    page.select_option("select[name=kind]", "attack")
    page.fill("input[name=from]", "2023-10-01")
    page.fill("input[name=to]", "2024-02-04")
    shown = page.locator("#incident-list tbody tr:not([hidden])").evaluate_all(
        "rows => rows.map(r => r.dataset.id)"
    )
    assert 10 < len(shown) < len(by_id)
    stem = "incidents-country-syria-kind-attack-2023-10-01-to-2024-02-04-data-"
    button = page.locator(".table-download button[data-format=csv]")
    expect(button).to_be_visible()
    with page.expect_download() as csv_download:
        button.click()
    assert csv_download.value.suggested_filename.startswith(stem)
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = Path(csv_download.value.path()).read_bytes().decode()
    rows = read_csv(text)
    assert {r["id"] for r in rows} == set(shown)
    assert all(r == by_id[r["id"]] for r in rows)  # the same cells as incidents.csv
    assert text.split("\r\n")[0] == full_csv.decode().split("\r\n")[0]  # the same columns

    with page.expect_download() as json_download:
        page.locator(".table-download button[data-format=json]").click()
    assert json_download.value.suggested_filename == (
        csv_download.value.suggested_filename.removesuffix(".csv") + ".json"
    )
    document = json.loads(Path(json_download.value.path()).read_text())
    assert document["filter"] == {
        "country": "Syria",
        "kind": "attack",
        "from": "2023-10-01",
        "to": "2024-02-04",
    }
    assert document["data_version"] == full["data_version"]
    assert document["generated"] == full["data_version_date"]  # from the data, not the clock
    assert document["source"] == campaign_site.url + "data/incidents.json"
    assert document["count"] == len(shown)
    assert document["incidents"] == [records[i] for i in records if i in set(shown)]
    sizes = transfers.by_url()
    fetched = {u.removeprefix(campaign_site.url): n for u, n in sizes.items() if "/data/" in u}
    assert set(fetched) == {"data/incidents.table.json", "data/incidents.json"}
    if reader.width > 500 and page.evaluate("matchMedia('(prefers-color-scheme: light)').matches"):
        report(
            tmp_path_factory,
            "download of the rows shown: fetches "
            + ", ".join(f"{k} {v / 1e6:.3f} MB" for k, v in sorted(fetched.items()))
            + " (on click only; a page without a click fetches neither)",
        )

    # Nothing filtered: the CSV is incidents.csv itself, byte for byte.
    page.locator(".table-filter__reset").click()
    expect(page.locator(".table-filter__count")).to_have_text(re.compile("^Showing all"))
    with page.expect_download() as everything:
        button.click()
    assert Path(everything.value.path()).read_bytes() == full_csv
    assert everything.value.suggested_filename.startswith("incidents-all-data-")


def test_a_base_or_month_page_downloads_its_incidents(reader, campaign_site):
    stats = Stats(campaign_site.generated.dataset)
    base = stats.sites_ranked[0]
    month = stats.active_months[-1]
    for path, stem, ids in (
        (f"bases/{base.id}/", f"incidents-base-{base.id}-data-", stats.by_site[base.id]),
        (f"months/{month}/", f"incidents-month-{month}-data-", stats.by_month[month]),
    ):
        page = reader.open(path)
        with page.expect_download() as download:
            page.locator(".table-download button[data-format=csv]").click()
        assert download.value.suggested_filename.startswith(stem)
        rows = read_csv(Path(download.value.path()).read_text())
        assert [r["id"] for r in rows] == [i.id for i in ids]  # in the data's order
        expect(page.locator(".table-download output")).to_contain_text(
            f"Downloaded {len(ids)} incident"
        )


# The hostile cells of issue 20, and every white space and line break Python knows before
# each character a formula can start with.
HOSTILE = [
    '\n=HYPERLINK("http://evil.example","click")',
    "@SUM(A1:A9)",
    "＝1+1",
    " -2",
    "\t=1",
    "\r=1",
    "Rockets fell.\r\n+1",
    "Rockets = 3",
    "a-b",
    "",
    "'=already",
    -2,
    3.25,
    0,
    None,
    *(
        f"{space}{first}1"
        for space in [chr(c) for c in range(0x3001) if chr(c).isspace()] + ["\ufeff", "\u200b"]
        for first in "=+-@＝＋－＠"
    ),
    *(f"x{brk}{first}1" for brk in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029" for first in "=@"),
]


def test_the_downloads_defuse_formulas_by_the_generators_rule(browser, campaign_server):
    from generator import escape

    r = Reader(browser, campaign_server, VIEWS["1366px-light"])
    page = r.open("incidents/")
    in_browser = page.evaluate(
        "async cells => { const code = await window.incidentTables.downloads();"
        " return cells.map(c => code.csvCell(c)); }",
        HOSTILE,
    )
    in_python = [escape.csv_cell(c) for c in HOSTILE]
    differ = [(c, b, p) for c, b, p in zip(HOSTILE, in_browser, in_python, strict=True) if b != p]
    assert not differ, differ[:5]
    assert in_python[:4] == [
        "'" + HOSTILE[0],
        "'@SUM(A1:A9)",
        "'＝1+1",
        "' -2",
    ]
    assert in_browser[11:14] == [-2, 3.25, 0]  # numbers stay numbers
    r.close()


def test_a_download_file_name_is_bounded(browser, campaign_server):
    r = Reader(browser, campaign_server, VIEWS["390px-light"])
    page = r.open("incidents/")
    name = page.evaluate(
        """async () => (await window.incidentTables.downloads()).fileName(
             [{name: 'base', value: 'Érbil Air Base'},
              {name: 'q', value: 'Ain al-Asad '.repeat(40)}],
             {data_version: 'abc1234', data_version_date: '2026-12-06'})"""
    )
    assert name.startswith("incidents-base-erbil-air-base-words-ain-al-asad-ain-al-asad")
    assert name.endswith("-data-version-abc1234")
    assert len(name) <= len("incidents--data-version-abc1234") + 100
    r.close()


# --- 2. the map on a phone ---------------------------------------------------------------------

# Every label the map draws (place names and country names), its box as drawn, the map's
# frame (its clip: text beyond it is cut), and the legend's entries with their marker shapes.
MAP = """el => {
  const svg = el.querySelector('svg.main-svg').getBoundingClientRect();
  const clip = el.querySelector("clipPath[id$='geo'] rect");
  const x = +clip.getAttribute('x'), y = +clip.getAttribute('y');
  const frame = {left: x, top: y, right: x + +clip.getAttribute('width'),
                 bottom: y + +clip.getAttribute('height')};
  const labels = [...el.querySelectorAll('.geo text')].filter(t => t.textContent.trim())
    .map(t => { const b = t.getBoundingClientRect();
      return {text: t.textContent, left: b.left - svg.left, right: b.right - svg.left,
              top: b.top - svg.top, bottom: b.bottom - svg.top}; });
  const legend = [...el.querySelectorAll('.legend .traces')].map(g => ({
    name: g.querySelector('.legendtext').textContent,
    shape: g.querySelector('.legendpoints path.scatterpts').getAttribute('d')}));
  const points = el._fullData.filter(t => t.customdata).flatMap(t => t.customdata.map(c => c[0]));
  return {frame, labels, legend, points};
}"""


def test_no_map_label_overprints_another_or_leaves_the_map(reader, campaign_site):
    dataset = campaign_site.generated.dataset
    page = reader.open("map/")
    drawn = page.locator("#chart-map .chart").evaluate(MAP)
    labels, frame = drawn["labels"], drawn["frame"]
    for a, b in itertools.combinations(labels, 2):
        assert not overlapping(a, b), f"{a['text']!r} overprints {b['text']!r}"
    for label in labels:
        assert label["left"] >= frame["left"] - 0.5 and label["right"] <= frame["right"] + 0.5
        assert label["top"] >= frame["top"] - 0.5 and label["bottom"] <= frame["bottom"] + 0.5
    texts = [label["text"] for label in labels]
    for country in dataset.info.countries:  # Jordan too: Tower 22 is there
        assert country.upper() in texts, f"{country} has no name on the map"
    most = Stats(dataset).sites_ranked[0]
    assert any(most.name.split(" (")[0] in t for t in texts), "the most attacked base"
    named = [t for t in texts if t.upper() != t]
    assert len(named) >= (8 if reader.width < 500 else 20), named


def test_the_maps_legend_tells_its_markers_apart_by_shape(reader):
    page = reader.open("map/")
    legend = page.locator("#chart-map .chart").evaluate(MAP)["legend"]
    assert len(legend) == 3, legend
    assert len({entry["shape"] for entry in legend}) == len(legend), legend


def test_an_unnamed_site_is_not_drawn_as_a_place_nor_counted_as_one(reader, campaign_site):
    stats = Stats(campaign_site.generated.dataset)
    page = reader.open("map/")
    drawn = page.locator("#chart-map .chart").evaluate(MAP)
    assert not [p for p in drawn["points"] if p.startswith("Unnamed site")]
    assert not [t for t in (lab["text"] for lab in drawn["labels"]) if "Unnamed site" in t]
    unnamed = [s for s in stats.sites_ranked if s.unnamed]
    assert unnamed, "the campaign has attacks on unnamed sites"
    rows = page.locator("#chart-map table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent).join(' | '))"
    )
    for site in unnamed:  # its attacks without a position of their own: a row, no marker
        unplaced = [i for i in stats.attacks_at(site.id) if stats.position(i) is None]
        row = [r for r in rows if r.startswith(site.name + " | Attacks, site not named")]
        assert len(row) == (1 if unplaced else 0), (site.name, rows)
        if unplaced:
            assert row[0].endswith(f"| country only | {len(unplaced)} | ")
    page = reader.open("")
    summary = page.locator(".overview__summary").inner_text()
    named = sum(1 for s in stats.sites_ranked if not s.unnamed)
    elsewhere = sum(stats.attacks_per_site[s.id] for s in unnamed)
    assert summary.startswith(
        f"{stats.total.attacks} attacks on sites hosting US forces in Iraq, Syria and Jordan "
        f"({stats.total.attacks - elsewhere} on {named} named sites, {elsewhere} on sites the "
        "reporting does not name)"
    ), summary


# Label placement on synthetic maps: n places of random width at random points of a map
# (the same points for every n, from a fixed seed), and n places all at one point.
PLACE = """([n, clustered]) => {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const frame = {left: 0, top: 0, right: 880, bottom: 490};
  const points = Array.from({length: n}, () => clustered
    ? {x: 440, y: 245} : {x: random() * 880, y: random() * 490});
  const markers = points.map(p => ({x: p.x, y: p.y, r: 4 + random() * 10}));
  const labels = markers.map((m, k) => ({x: m.x, y: m.y, r: m.r, size: 12, rank: k,
                                         width: 30 + random() * 120}));
  const result = window.trackerLabels.place(frame, markers, labels);
  return {checks: result.checks, placed: result.placed.filter(Boolean).length};
}"""


def test_placing_map_labels_takes_work_in_proportion_to_the_places(browser, campaign_server):
    r = Reader(browser, campaign_server, VIEWS["1366px-light"])
    page = r.open("map/")
    for clustered in (False, True):
        work = {n: page.evaluate(PLACE, [n, clustered]) for n in (500, 2000, 8000)}
        per_place = {n: w["checks"] / n for n, w in work.items()}
        # no quadratic growth: four times the places, about four times the cell tests
        assert per_place[8000] <= 1.3 * per_place[2000] <= 1.3 * 1.3 * per_place[500], per_place
        assert all(w["placed"] >= 1 for w in work.values()) or not clustered
    r.close()


# --- 4. the timeline on a phone ----------------------------------------------------------------

# What a timeline chart draws, each as its box in the chart's own coordinates: the markers,
# and the annotations' text (the episode numbers on the timeline, the places on an
# episode's chart; its arrows have none).
TIMELINE = """el => {
  const svg = el.querySelector('svg.main-svg').getBoundingClientRect();
  const box = n => { const b = n.getBoundingClientRect();
    return {left: b.left - svg.left, right: b.right - svg.left, top: b.top - svg.top,
            bottom: b.bottom - svg.top, text: n.textContent}; };
  return {
    width: svg.width, height: svg.height,
    markers: [...el.querySelectorAll('.scatterlayer path.point')].map(box),
    notes: [...el.querySelectorAll('.annotation-text-g text')]
      .filter(t => t.textContent.trim()).map(box),
  };
}"""


def assert_apart(boxes: list[dict], what: str) -> None:
    for a, b in itertools.combinations(boxes, 2):
        assert not overlapping(a, b), f"{what}: {a} overprints {b}"


def test_nothing_on_the_timeline_overprints(reader, campaign_site):
    stats = Stats(campaign_site.generated.dataset)
    page = reader.open("timeline/")
    drawn = page.locator("#chart-escalation-timeline .chart").evaluate(TIMELINE)
    assert len(drawn["markers"]) == len(stats.dataset.incidents)
    assert_apart(drawn["markers"], "a marker")
    assert [n["text"] for n in drawn["notes"]] == [str(e.number) for e in stats.episodes]
    assert_apart(drawn["notes"], "an episode number")
    for number in drawn["notes"]:
        assert number["top"] >= 0 and number["right"] <= drawn["width"]
    places = {e.id: {_short(i, stats) for i in e.incidents} for e in stats.episodes}
    by_id = {e.id: e for e in stats.episodes}
    for episode in campaign_site.generated.charts.episode:
        chart = page.locator(f"#chart-{episode} .chart")
        drawn = chart.evaluate(TIMELINE)
        assert len(drawn["markers"]) == len(by_id[episode].incidents)
        assert_apart(drawn["markers"], f"{episode}: a marker")
        assert_apart(drawn["notes"], f"{episode}: a label")
        assert {n["text"] for n in drawn["notes"]} <= places[episode]
        for label in drawn["notes"]:
            assert label["left"] >= 0 and label["right"] <= drawn["width"], label  # not cut
            assert label["top"] >= 0 and label["bottom"] <= drawn["height"], label
            for marker in drawn["markers"]:
                assert not overlapping(label, marker), f"{episode}: {label} covers a marker"
        assert drawn["notes"], f"{episode} has no label at all"


def _short(incident, stats) -> str:
    """An incident's place as an episode's chart labels it."""
    from generator.charts.timeline import _short_place

    return _short_place(incident, stats.dataset)
