"""The campaign site on a phone and for a newsroom on deadline (issue 20), in Chromium at
1366 px and on a 390 px phone, light and dark: what a journalist's test found, each checked
as a reader meets it.

1. the rows a table shows download as CSV and JSON;
2. the map's labels never overprint and none is cut; the legend's shapes differ; every
   country in scope is named; an unnamed site is not drawn as a place;
3. an incident is listed once among another's related incidents;
4. nothing on the timeline overprints;
5. the words a reader sees are written for readers;
6. heatmap numbers are legible and their cells open the base's month; stacked bars carry
   their total; the bases and actors tables fit a phone.
"""

from __future__ import annotations

import pytest
from conftest import charts_on, new_context

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


@pytest.fixture(params=list(VIEWS))
def view(request):
    """(viewport, colour scheme): each test runs at 1366 and 390 px, light and dark."""
    return VIEWS[request.param]


class Reader:
    """A browser tab at one screen size and palette, opening pages of one site."""

    def __init__(self, browser, url: str, view) -> None:
        viewport, scheme = view
        self.width = viewport["width"]
        self.context = new_context(
            browser, viewport=viewport, color_scheme=scheme, is_mobile=viewport["width"] < 500
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
