"""How the site changes shape as the data grows, and permanent addresses that never break.

Each limit (mkdocs.yml, extra.tracker) is lowered here so the sample data crosses it.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import GOOD, TODAY, problems, write_incident

from generator.build import build, generate
from generator.errors import GeneratorError

ID = "2022-08-23-deir-ez-zor-airstrikes"


def limit(project, name: str, value: object) -> None:
    config = project.config_file
    text, n = re.subn(rf"{name}: \d+", f"{name}: {value}", config.read_text())
    assert n == 1
    config.write_text(text)


# --- previous ids ----------------------------------------------------------------------------


def test_a_corrected_id_keeps_its_old_address(project, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://data.example.org/tracker/")
    path = next(project.incidents_dir.glob(f"*/{ID}.yaml"))
    path.write_text(path.read_text() + "previous_ids: [2022-08-23-deir-ez-zor-strikes]\n")
    out = generate(project, as_of=TODAY).outputs
    stub = out["incidents/2022-08-23-deir-ez-zor-strikes/index.html"].decode()
    assert '<meta http-equiv="refresh" content="0; url=../../incidents/' + ID + '/">' in stub
    assert f'<link rel="canonical" href="https://data.example.org/tracker/incidents/{ID}/">' in stub
    assert json.loads(out["data/incidents.json"])["incidents"][-5]["previous_ids"] == [
        "2022-08-23-deir-ez-zor-strikes"
    ]


def test_a_previous_id_may_not_be_in_use(empty_project):
    write_incident(empty_project, GOOD + "previous_ids: [2022-08-16-x]\n")
    write_incident(
        empty_project,
        GOOD.replace("2022-08-15-green-village-rockets", "2022-08-16-x").replace(
            "date: 2022-08-15", "date: 2022-08-16"
        ),
    )
    assert problems(empty_project) == [
        "data/incidents/2022/2022-08-15-green-village-rockets.yaml:12:16: previous_ids[0]: "
        "'2022-08-16-x' is the id of data/incidents/2022/2022-08-16-x.yaml; a previous id must "
        "not be in use"
    ]


def test_links_to_a_previous_id_are_told_the_new_one(empty_project):
    write_incident(empty_project, GOOD + "previous_ids: [2022-08-15-gv-rockets]\n")
    other = (
        GOOD.replace("2022-08-15-green-village-rockets", "2022-08-16-x").replace(
            "date: 2022-08-15", "date: 2022-08-16"
        )
        + "responds_to: [2022-08-15-gv-rockets]\n"
    )
    write_incident(empty_project, other)
    assert problems(empty_project) == [
        "data/incidents/2022/2022-08-16-x.yaml:12:15: responds_to[0]: '2022-08-15-gv-rockets' "
        "is now '2022-08-15-green-village-rockets'; use the new id"
    ]


# --- above incident_pages_up_to: incidents are entries on their month pages ------------------


@pytest.fixture
def compact(project):
    limit(project, "incident_pages_up_to", 5)
    return generate(project, as_of=TODAY).outputs


def test_without_incident_pages_every_permalink_redirects_to_the_month_entry(compact):
    assert not [p for p in compact if re.fullmatch(r"incidents/2\d{3}-.*\.md", p)]
    stubs = [p for p in compact if p.endswith("/index.html") and p.startswith("incidents/")]
    assert len(stubs) == 17
    stub = compact[f"incidents/{ID}/index.html"].decode()
    assert f'url=../../months/2022-08/#{ID}">' in stub


def test_without_incident_pages_the_month_entry_holds_the_whole_record(compact):
    month = compact["months/2022-08.md"].decode()
    entry = month.split(f'<h3 id="{ID}">')[1].split("<h3 ")[0]
    for part in (
        "<h4>Record</h4>",
        "<h4>Sources</h4>",
        "<h4>Cite this record</h4>",
        f'<span data-page-address="../../incidents/{ID}/">Cite this page',  # no site address
        "Responds to:",
    ):
        assert part in entry, part
    index = compact["incidents/index.md"].decode()
    assert f'href="../months/2022-08/#{ID}"' in index  # tables link straight to the entry
    row = next(r for r in compact["data/incidents.csv"].decode().splitlines() if r.startswith(ID))
    assert f"{ID}," in row and "/months/" not in row  # no site address: no permalink, no month


@pytest.mark.slow
def test_without_incident_pages_the_site_builds_and_serves_the_redirects(project):
    limit(project, "incident_pages_up_to", 5)
    summary = build(project)
    assert summary.pages == 39 - 17
    stub = project.site_dir / "incidents" / ID / "index.html"
    assert f"months/2022-08/#{ID}" in stub.read_text()


# --- above search_summaries_up_to: search finds titles only ----------------------------------


@pytest.mark.slow
def test_above_the_search_limit_the_index_holds_titles_not_summaries(project):
    limit(project, "search_summaries_up_to", 5)
    build(project)
    docs = json.loads((project.site_dir / "search" / "search_index.json").read_text())["docs"]
    found = {d["title"]: d["location"] for d in docs}
    # each incident once, by its title, as an entry of its month (reading every incident
    # page whole for titles alone would cost the build about 2 ms a page)
    saker = "2022-08-24-saker-island-airstrikes"
    assert found["24 Aug 2022 · US airstrike — Saker Island"] == f"months/2022-08/#{saker}"
    assert not [d for d in docs if d["location"].startswith("incidents/")]
    assert not [d for d in docs if "400 hours" in d["text"]]  # from a summary


# --- above incidents_table_up_to: a page of the table per year -------------------------------


def test_a_big_incidents_table_has_a_page_per_year(project):
    limit(project, "incidents_table_up_to", 5)
    out = generate(project, as_of=TODAY).outputs
    assert {p for p in out if p.startswith("years/")} == {"years/2021.md", "years/2022.md"}
    assert out["years/2021.md"].decode().count('data-id="') == 3
    assert out["years/2022.md"].decode().count('data-id="') == 14
    assert 'href="../years/2022/"' in out["incidents/index.md"].decode()


def test_limits_must_be_whole_numbers(project):
    limit(project, "incident_pages_up_to", 5)
    config = project.config_file
    config.write_text(
        config.read_text().replace("incident_pages_up_to: 5", "incident_pages_up_to: lots")
    )
    with pytest.raises(
        GeneratorError, match=r"extra.tracker.incident_pages_up_to must be a whole number"
    ):
        generate(project, as_of=TODAY)
