"""axe-core (tests/npm/axe/, installed from npm by `make test`) on every kind of page (the
embed pages of charts too), in the light and the dark palette, on a desktop and a phone
screen (every pair of site, screen and palette): no serious or critical violation of any
rule it runs (WCAG 2.x A and AA, and its best practices).

Rules that only Material for MkDocs could satisfy would be listed in ACCEPTED with their
upstream issue, and in the README; today there are none (the search dialog's name and the
progress bar, which axe reported, are fixed in overrides/ and mkdocs.yml).
"""

from __future__ import annotations

import os

import pytest
from conftest import ROOT, charts_on, new_context

pytestmark = [pytest.mark.slow, pytest.mark.browser]

AXE = ROOT / "tests" / "npm" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ACCEPTED: dict[str, str] = {}  # rule id -> upstream issue, for what only Material can fix
SERVERS = {
    "built_site": "server",
    "campaign_site": "campaign_server",
    "compact_site": "compact_server",
}
SCREENS = {"1366px": {"width": 1366, "height": 900}, "390px": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        reason = "axe-core is not installed in tests/npm/axe (make test runs npm ci there)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; in CI .ci/setup --browser installs nodejs and npm")
        pytest.skip(reason)
    return AXE.read_text()


def every_page_kind(site) -> list[str]:
    """One page of each kind the generator makes, and the hand-written About page."""
    dataset = site.generated.dataset
    fixed = [
        "",
        "timeline/",
        "map/",
        "bases/",
        "months/",
        "actors/",
        "incidents/",
        "data/",
        "corrections/",
        "coverage/",
        "about/",
    ]
    pages = set(site.pages())
    last = dataset.incidents[-1]
    detail = [
        f"bases/{last.base or ''}/",
        f"months/{last.month}/",
        f"incidents/{last.id}/",
        "bases/unnamed-iraq/",
        *(f"actors/{a.id}/" for a in dataset.actors[:1]),
        "years/2022/",
    ]
    charts = site.generated.charts  # embed pages: a chart alone, for other sites
    main = [c.id for c in charts.main()]
    embeds = [f"embed/{c}/" for c in main[:1] + [c for c in main if c in ("map",)] + main[-1:]]
    return [p for p in fixed + detail + embeds if p in pages]


def violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    found = page.evaluate("""async () => {
      const result = await axe.run(document, {resultTypes: ['violations']});
      return result.violations.map(v => ({id: v.id, impact: v.impact,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in found
        if v["impact"] in ("serious", "critical") and v["id"] not in ACCEPTED
    ]


# Every pair of site and screen, site and palette, screen and palette is read (all pairs,
# 6 runs instead of the 12 of every combination): a fault that needs a site, a screen and a
# palette together is the only kind this could miss.
ALL_PAIRS = [
    ("built_site", "1366px", "light"),
    ("built_site", "390px", "dark"),
    ("campaign_site", "1366px", "dark"),
    ("campaign_site", "390px", "light"),
    ("compact_site", "1366px", "light"),
    ("compact_site", "390px", "dark"),
]


@pytest.mark.parametrize(("which", "screen", "scheme"), ALL_PAIRS)
def test_no_page_kind_has_a_serious_accessibility_fault(
    browser, request, axe_source, which, screen, scheme
):
    site = request.getfixturevalue(which)
    url = request.getfixturevalue(SERVERS[which])
    viewport = SCREENS[screen]
    context = new_context(
        browser, viewport=viewport, color_scheme=scheme, is_mobile=viewport["width"] < 500
    )
    page = context.new_page()
    faults = {}
    kinds = every_page_kind(site)
    assert len(kinds) >= (10 if which == "compact_site" else 12)
    for path in kinds:
        page.goto(url + path)
        charts_on(page, page.locator(".chart").count())
        if found := violations(page, axe_source):
            faults[f"/{path}"] = found
    context.close()
    assert faults == {}
