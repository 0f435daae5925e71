"""Embeddable charts: each main chart on a page of its own, /embed/<chart id>/, and an
"Embed" button beside "Download PNG" that gives the iframe code for it.

The generated pages are checked as HTML; in Chromium, an embed page draws its chart with
its numbers in light and dark at 390 px, and the code the button gives, pasted into a page
of another site (another address), shows the chart drawn inside its iframe; on a phone the
iframe takes the height the chart drawn there needs.
"""

from __future__ import annotations

import threading
from html.parser import HTMLParser

import pytest
from conftest import TODAY, charts_on, new_context, until
from siteserver import server as site_server
from test_browser import MEASURE, expected

from generator.build import generate
from generator.pages import EMBED_SCRIPT

MAIN = {  # chart id -> the page it comes from, as the embed page links it
    "attacks-by-base-and-month": "../../",
    "attacks-per-month-by-base": "../../",
    "attacks-per-month-by-status": "../../",
    "attacks-per-base": "../../bases/",
    "incidents-per-month": "../../months/",
    "escalation-timeline": "../../timeline/",
    "episode-2022-08-15": "../../timeline/#episode-2022-08-15",
    "episode-2022-01-05": "../../timeline/#episode-2022-01-05",
    "episode-2021-06-27": "../../timeline/#episode-2021-06-27",
    "map": "../../map/",
    "base-green-village": "../../bases/green-village/",
    "base-ain-al-asad": "../../bases/ain-al-asad/",
    "base-al-tanf": "../../bases/al-tanf/",
    "base-camp-victory": "../../bases/camp-victory/",
    "base-conoco": "../../bases/conoco/",
    "base-baghdad-unnamed": "../../bases/baghdad-unnamed/",
}


class Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def first(self, tag: str, **wanted: str) -> dict[str, str | None]:
        return next(
            a for t, a in self.found if t == tag and all(a.get(k) == v for k, v in wanted.items())
        )


@pytest.fixture
def outputs(project, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://data.example.org/tracker/")
    return generate(project, as_of=TODAY).outputs


def test_every_main_chart_has_a_page_of_its_own(outputs):
    pages = {p.split("/")[1] for p in outputs if p.startswith("embed/")}
    assert pages == set(MAIN)
    assert "month-2022-08" not in pages and "actor-iran-backed-groups" not in pages
    for chart_id, source in MAIN.items():
        html = outputs[f"embed/{chart_id}/index.html"].decode()
        page = Elements(html)
        assert (
            page.first("div", **{"class": "chart"})["data-src"] == f"../../charts/{chart_id}.json"
        )
        assert page.first("a", target="_blank")["href"] == source
        assert "Drawn from" not in html  # the same words as under every chart on the site
        assert "The data runs to 24 August 2022; data as of 1 January 2026." in html
        scripts = [a["src"] for t, a in page.found if t == "script"]
        assert scripts == [
            "../../assets/javascripts/embed.js",
            "../../assets/javascripts/charts.js",
        ]
        assert "md-search" not in html and "md-header" not in html  # no theme, nav or search
        assert page.first("meta", name="robots")["content"] == "noindex"


def test_the_embed_page_shows_the_chart_title_caption_and_source(outputs):
    html = outputs["embed/base-green-village/index.html"].decode()
    assert "<title>Attacks on Green Village per month · Attacks on US forces in Iraq and" in html
    assert '<h1 class="embed__title">Attacks on Green Village per month</h1>' in html
    assert (
        '<a href="../../bases/green-village/" target="_blank" rel="noopener">'
        "Green Village · Attacks on US forces in Iraq and Syria</a>"
    ) in html


def test_charts_give_their_embed_code_with_the_sites_address(outputs):
    page = Elements(outputs["bases/index.md"].decode())
    code = page.first("figure", id="chart-attacks-per-base")["data-embed-code"]
    assert code.startswith(
        '<iframe src="https://data.example.org/tracker/embed/attacks-per-base/" '
        'title="Attacks per base" width="760" height="'
    )
    assert code.endswith(
        '" style="width: 100%; max-width: 760px; border: 0;" loading="lazy" '
        f'data-tracker-embed="attacks-per-base"></iframe><script>{EMBED_SCRIPT}</script>'
    )
    iframe = Elements(code)
    assert [t for t, _ in iframe.found] == ["iframe", "script"]
    attrs = iframe.first("iframe")
    assert attrs["title"] == "Attacks per base"
    assert int(attrs["width"]) == 760 and int(attrs["height"]) > 200
    month = Elements(outputs["months/2022-08.md"].decode())
    assert "data-embed-code" not in month.first("figure", id="chart-month-2022-08")  # not main


def test_without_the_sites_address_there_is_no_code_to_give(project, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    out = generate(project, as_of=TODAY).outputs
    page = Elements(out["bases/index.md"].decode())
    assert page.first("figure", id="chart-attacks-per-base")["data-embed-code"] == ""
    assert "embed/attacks-per-base/index.html" in out  # the page itself is still there


# --- in Chromium -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("chart_id", ["attacks-by-base-and-month", "map", "base-green-village"])
def test_an_embed_page_draws_its_chart_with_its_numbers(
    browser, server, built_site, scheme, chart_id
):
    context = new_context(
        browser, viewport={"width": 390, "height": 844}, color_scheme=scheme, is_mobile=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + f"embed/{chart_id}/")
    charts_on(page, 1)
    assert page.locator(".chart").evaluate(MEASURE) == expected(built_site.charts[chart_id])
    body = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert body == ("slate" if scheme == "dark" else "default")
    font = page.evaluate("document.querySelector('.chart')._fullLayout.font.color")
    assert font == page.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--md-default-fg-color').trim()"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert server + "assets/vendor/plotly.min.js" in requested  # from the site itself
    assert [u for u in requested if not u.startswith(server)] == []
    assert not [u for u in requested if "search" in u]
    assert page.locator(".chart-tools").count() == 0  # the chart alone
    assert errors == []
    context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_the_theme_can_be_asked_for_in_the_address(browser, server):
    context = new_context(browser, color_scheme="light")
    page = context.new_page()
    page.goto(server + "embed/attacks-per-base/?theme=dark")
    charts_on(page, 1)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_the_embed_button_gives_code_that_shows_the_chart_on_another_site(
    page, server, built_site, tmp_path
):
    page.goto(server + "bases/")
    charts_on(page, 1)
    button = page.get_by_role("button", name="Embed: Attacks per base")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    code = page.locator(".chart-embed__code").input_value()
    assert code.startswith(
        f'<iframe src="{server}embed/attacks-per-base/" title="Attacks per base"'
    )

    # A newsroom's page, on another address, with the code pasted into it.
    (tmp_path / "story.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Story</title>"
        "<link rel='icon' href='data:,'></head>"
        f"<body><h1>A story</h1><p>The attacks, base by base:</p>{code}</body></html>"
    )
    other = site_server(str(tmp_path), 0)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{other.server_address[1]}/story.html")
        frame = page.frame_locator("iframe[title='Attacks per base']")
        frame.locator(".chart[data-rendered=true]").wait_for()
        drawn = frame.locator(".chart").evaluate(MEASURE)
        assert drawn == expected(built_site.charts["attacks-per-base"])
        assert frame.locator("h1").inner_text() == "Attacks per base"
    finally:
        other.shutdown()
    assert page.errors == []


def _story(folder, code: str) -> str:
    """A newsroom's page, served from another address, with the code pasted into it."""
    (folder / "story.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Story</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<link rel='icon' href='data:,'></head>"
        f"<body><h1>A story</h1><p>The attacks, base by base:</p>{code}</body></html>"
    )
    return "story.html"


# A message as the embed page posts it, sent to the host page's listener from a window.
POST = """([source, message]) => {
  const iframe = document.querySelector('iframe');
  const from = source === 'frame' ? iframe.contentWindow : window;
  window.dispatchEvent(new MessageEvent('message', {data: message, source: from}));
  return iframe.style.height;
}"""


@pytest.mark.slow
@pytest.mark.browser
def test_on_a_phone_the_iframe_takes_the_height_its_chart_needs(browser, built_site, tmp_path):
    """At 390 px the heatmap is drawn on its side, taller than on a desktop: the embed page
    posts its height and the embed code's script gives it to the iframe, so the whole chart
    and the source line show without scrolling inside the frame."""
    home = Elements((built_site.site / "index.html").read_text())
    code = home.first("figure", id="chart-attacks-by-base-and-month")["data-embed-code"]
    fallback = int(Elements(code).first("iframe")["height"])
    story = _story(tmp_path, code)
    other = site_server(str(tmp_path), 0)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    context = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"http://127.0.0.1:{other.server_address[1]}/{story}")
        page.frame_locator("iframe").locator(".chart[data-rendered=true]").wait_for()
        frame = page.locator("iframe").element_handle().content_frame()
        assert frame.evaluate("document.querySelector('.chart').dataset.months") == "side"
        until(
            lambda: frame.evaluate(
                "document.documentElement.scrollHeight <= window.innerHeight"
                " && document.querySelector('.embed__source').getBoundingClientRect().bottom"
                " <= window.innerHeight"
            ),
            "the iframe to show the whole chart and its source line",
        )
        given = page.locator("iframe").bounding_box()
        assert given is not None and given["height"] > fallback + 100  # it grew
        assert given["width"] <= 390

        # What the script takes: a number, from its own frame, for its own chart, held
        # between 100 and 20,000 px; nothing else changes the iframe's height.
        now = page.evaluate("document.querySelector('iframe').style.height")
        ours = {"type": "incident-tracker:embed-height", "chart": "attacks-by-base-and-month"}
        for source, message in [
            ("frame", {**ours, "height": "9999"}),
            ("frame", {**ours, "height": None}),
            ("frame", {**ours, "chart": "attacks-per-base", "height": 900}),
            ("frame", {**ours, "type": "resize", "height": 900}),
            ("frame", "incident-tracker:embed-height"),
            ("host", {**ours, "height": 900}),
        ]:
            assert page.evaluate(POST, [source, message]) == now, message
        assert page.evaluate(POST, ["frame", {**ours, "height": 1e9}]) == "20000px"
        assert page.evaluate(POST, ["frame", {**ours, "height": -5}]) == "100px"
        assert page.evaluate(POST, ["frame", {**ours, "height": 640.4}]) == "640px"
        assert errors == []
    finally:
        context.close()
        other.shutdown()
