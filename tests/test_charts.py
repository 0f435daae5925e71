"""The charts as figures: what Plotly accepts, what each one must show, and one colour per
meaning. (tests/test_browser.py checks what Chromium draws of them.)"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import plotly.graph_objects as go
import pytest
from conftest import ROOT, TODAY
from plotly.offline import get_plotlyjs_version

from generator.build import BUNDLED_TRACES, generate
from generator.charts import COLOURS, heat_steps
from generator.charts import figure as colours
from generator.charts.outlines import name_spots
from generator.dates import month_label
from generator.stats import Stats
from generator.vocabularies import STATUSES

SITE_CSS = ROOT / "docs" / "assets" / "stylesheets" / "site.css"


def resolved(figure: dict) -> dict:
    """The figure with its colour names replaced, as charts.js does (by any colour)."""
    return json.loads(re.sub(r'"--tracker-[a-z0-9-]+"', '"#888888"', json.dumps(figure)))


@pytest.fixture
def site_charts(project):
    return generate(project, as_of=TODAY).charts


def test_every_chart_is_a_valid_plotly_figure(site_charts):
    every = list(site_charts)
    assert len(every) == 21  # 18 and one per episode (3)
    for chart in every:
        go.Figure(resolved(chart.figure))  # raises ValueError on anything Plotly does not know


def test_every_chart_draws_with_a_trace_the_sites_plotly_js_holds(site_charts):
    """The site serves plotly.js with the traces its charts use and no others
    (generator/vendor/plotly/entry.js): a chart of another type would stay blank. A new
    type is added there, then `make plotly-bundle`."""
    used = {t["type"] for chart in site_charts for t in chart.figure["data"]}
    assert used == BUNDLED_TRACES, f"not bundled: {used - BUNDLED_TRACES}"
    entry = (ROOT / "generator" / "vendor" / "plotly" / "entry.js").read_text()
    registered = set(re.findall(r"plotly\.js/lib/(\w+)", entry))
    assert registered == (BUNDLED_TRACES - {"scatter"}) | {"core"}  # scatter is in the core
    bundle = (ROOT / "generator" / "vendor" / "plotly" / "plotly.min.js").read_text()
    version = get_plotlyjs_version()  # the plotly.js the figures are checked against
    assert bundle.startswith(f"/**\n* plotly.js v{version} "), "rebuild: make plotly-bundle"


def test_every_colour_name_has_a_value_in_both_palettes():
    css = SITE_CSS.read_text()
    light, dark = css.split('[data-md-color-scheme="slate"] {', 1)
    dark = dark.split("}", 1)[0]
    for name in COLOURS:
        assert re.search(rf"{name}:\s*[#r]", light), f"{name} has no light value in site.css"
        assert re.search(rf"{name}:\s*[#r]", dark), f"{name} has no dark value in site.css"


def colours_by_meaning(figures) -> dict[str, set[str]]:
    """Legend name -> the colour names it is drawn in, over every figure given."""
    found: dict[str, set[str]] = {}
    for figure in figures:
        for t in figure["data"]:
            colour = (t.get("marker") or {}).get("color")
            if isinstance(colour, str) and t.get("name"):
                found.setdefault(t["name"], set()).add(colour)
    return found


def test_a_meaning_has_one_colour_on_every_chart(site_charts):
    found = colours_by_meaning(c.figure for c in site_charts)
    assert found["Attacks on bases"] == {colours.ATTACK}
    assert found["US strikes"] == {colours.STRIKE}
    for status, colour in colours.STATUS_COLOURS.items():
        if STATUSES[status] in found:
            assert found[STATUSES[status]] == {colour}
    assert all(len(colours) == 1 for colours in found.values()), found
    # A base has its colour wherever bases have colours, and none of them is the attack or
    # the strike colour.
    per_base = site_charts.per_base.figure["data"][0]
    stacked = {
        t["name"]: t["marker"]["color"] for t in site_charts.stacked.figure["data"] if "name" in t
    }
    for name, colour in zip(per_base["y"], per_base["marker"]["color"], strict=True):
        assert stacked.get(name, colour) == colour
        assert colour not in (colours.ATTACK, colours.STRIKE, *colours.EVIDENCE)


@pytest.mark.parametrize(
    ("top", "steps"),
    [
        (1, ((1, 1),)),
        (5, ((1, 1), (2, 2), (3, 3), (4, 4), (5, 5))),
        (6, ((1, 2), (3, 3), (4, 5), (6, 6))),
        (20, ((1, 2), (3, 4), (5, 7), (8, 11), (12, 20))),
        (1000, ((1, 4), (5, 16), (17, 64), (65, 252), (253, 1000))),
    ],
)
def test_the_heatmap_key_has_a_step_per_count_or_band(top, steps):
    assert heat_steps(top) == steps
    bands = heat_steps(top)
    assert bands[0][0] == 1 and bands[-1][1] == top
    assert all(a[1] + 1 == b[0] for a, b in pairwise(bands))


def test_the_heatmap_colours_each_count_by_its_step(site_charts):
    trace = site_charts.heatmap.figure["data"][0]
    scale = trace["colorscale"]
    low, high = trace["zmin"], trace["zmax"]

    def colour(n: int) -> str:
        at = (n - low) / (high - low)
        return next(c for stop, c in reversed(scale) if stop <= at + 1e-9)

    assert colour(0) == colours.HEAT[0]
    assert len({colour(n) for n in range(1, 3)}) == 2  # the sample's counts are 0-2
    assert trace["colorbar"]["ticktext"] == ["0", "1", "2"]
    assert [str(n) if n else "" for n in trace["z"][0]] == trace["text"][0]


def test_every_month_chart_labels_every_month(site_charts):
    month_charts = [c for c in site_charts if "months" in c.figure["layout"].get("meta", {})]
    assert len(month_charts) >= 10
    for chart in month_charts:
        layout = chart.figure["layout"]
        axis = layout["xaxis"]
        assert axis["type"] == "category"
        assert axis["tickvals"] == axis["categoryarray"]
        months = axis["categoryarray"]
        assert layout["meta"]["months"] == [month_label(m, short=True) for m in months]
        ticks = axis["ticktext"]
        assert len(ticks) == len(months)
        assert ticks[0] == month_label(months[0], short=True).replace(" ", "<br>")
        for key, tick in zip(months, ticks, strict=True):
            assert tick.startswith(month_label(key, short=True)[:3])
            assert ("<br>" in tick) == (key == months[0] or key.endswith("-01"))
        for t in chart.figure["data"]:
            if t["type"] == "bar":
                assert t["x"] == months


def test_the_map_places_every_incident_that_has_a_position(site_charts, project):
    stats = Stats(generate(project, as_of=TODAY).dataset)
    table = site_charts.map.table
    attacks = sum(r[5] for r in table.rows if isinstance(r[5], int))
    strikes = sum(r[6] for r in table.rows if isinstance(r[6], int))
    placed_attacks = [i for i in stats.attacks if stats.position(i) is not None]
    placed_strikes = [i for i in stats.strike_records if stats.position(i) is not None]
    assert attacks == len(placed_attacks) == len(stats.attacks)  # the sample places them all
    assert strikes == stats.count(placed_strikes).strikes == stats.total.strikes
    assert "every incident is shown" in site_charts.map.caption
    names = {t for trace in site_charts.map.figure["data"] for t in trace.get("text", ())}
    for base in stats.dataset.bases:
        assert base.name in names, f"{base.name} has no label on the map"


def test_the_map_caption_does_not_ask_a_phone_to_hover(site_charts, project):
    caption = site_charts.map.caption
    assert "tap or hover over the marker, or see the table" in caption
    assert "where there is no room for a label, hover" not in caption.lower()
    pages = generate(project, as_of=TODAY).outputs
    for page in ("map.md", "timeline.md"):  # nor do the words above the charts
        text = " ".join(pages[page].decode().split())
        assert "Tap or hover over a marker" in text and ". Hover over" not in text, page


def test_the_map_says_how_many_incidents_it_cannot_place(project):
    for path in (project.data_dir / "incidents").rglob("*saker-island*.yaml"):
        text = path.read_text()
        path.write_text(re.sub(r"(lat|lon|location_precision): .*\n", "", text))
    chart = generate(project, as_of=TODAY).charts.map
    assert "; 1 US strike has neither and is not shown." in chart.caption


def test_episodes_are_the_chains_of_responses(project):
    generated = generate(project, as_of=TODAY)
    stats = Stats(generated.dataset)
    episodes = stats.episodes
    assert [(e.id, len(e.incidents)) for e in episodes] == [
        ("episode-2021-06-27", 3),
        ("episode-2022-01-05", 2),
        ("episode-2022-08-15", 5),
    ]
    for e in episodes:
        ids = {i.id for i in e.incidents}
        for i in e.incidents:  # linked within the episode, and to nothing outside it
            assert set(i.responds_to) <= ids
            assert {a.id for a in stats.dataset.answered_by.get(i.id, ())} <= ids
        chart = generated.charts.episode[e.id]
        points = [x for t in chart.figure["data"] for x in t["x"]]
        assert len(points) == len(e.incidents)
        arrows = chart.figure["layout"]["annotations"]
        assert len(arrows) == sum(len(i.responds_to) for i in e.incidents)
        labels = [x for t in chart.figure["data"] for x in t["text"]]
        assert all(labels)


def test_a_countrys_name_is_offered_spots_inside_it_and_in_view():
    # The campaign's map shows only Jordan's north-east corner, where Tower 22 is.
    lat_range, lon_range = [31.58, 38.37], [34.09, 49.02]
    spots, depth = name_spots("Jordan", lat_range, lon_range)
    assert spots and depth >= 1
    for lat, lon in spots:
        assert lat_range[0] < lat < lat_range[1] and lon_range[0] < lon < lon_range[1]
        assert 29 < lat < 33.4 and 35 < lon < 39.3  # inside Jordan's outline
    iraq, deep = name_spots("Iraq", lat_range, lon_range)
    assert deep > depth and len(iraq) == 8  # the best spot first: well inside, in view
    assert name_spots("Atlantis", lat_range, lon_range) == ([], 0)
    assert name_spots("Kuwait", lat_range, lon_range) == ([], 0)  # out of view


def test_the_map_leaves_label_placement_to_the_browser_with_ranks_and_spots(site_charts):
    data = site_charts.map.figure["data"]
    names = next(t for t in data if "countries" in t.get("meta", {}))
    assert names["text"][:2] == ["IRAQ", "SYRIA"]  # the dataset's countries, required
    assert names["meta"]["countries"]["required"][:2] == [True, True]
    ranks = [r for t in data if "labels" in t.get("meta", {}) for r in t["meta"]["labels"]["rank"]]
    assert sorted(ranks) == list(range(len(ranks)))
    symbols = [t["marker"]["symbol"] for t in data if "marker" in t]
    assert len(set(symbols)) == len(symbols)  # a shape per kind of marker


def test_a_figure_has_no_toolbar_setting_that_uploads(site_charts):
    js = (ROOT / "docs" / "assets" / "javascripts" / "charts.js").read_text()
    assert "displayModeBar: false" in js
    assert "showSendToCloud" not in js and "sendData" not in js
    for chart in site_charts:
        assert "config" not in chart.figure


def test_chart_files_are_named_for_the_charts(site_charts):
    ids = [c.id for c in site_charts]
    assert len(ids) == len(set(ids))
    assert all(Path(c.path).name == f"{c.id}.json" for c in site_charts)
