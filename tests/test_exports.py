"""Downloads, the feed, citations and record history: what readers take away from the site."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess

import feedparser
import pytest
from conftest import GOOD, TODAY, write_incident

from generator.build import generate
from generator.exports import COLUMNS, COUNT_COLUMNS


def files(project) -> dict[str, bytes]:
    return generate(project, as_of=TODAY).outputs


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_every_download_has_one_row_per_incident_file(project):
    out = files(project)
    n = len(project.incident_files())
    assert n == 17
    assert len(read_csv(out["data/incidents.csv"])) == n
    assert json.loads(out["data/incidents.json"])["count"] == n
    assert len(json.loads(out["data/incidents.json"])["incidents"]) == n
    assert len(json.loads(out["data/incidents.geojson"])["features"]) == n
    counts = read_csv(out["data/attacks-by-base-and-month.csv"])
    assert len(counts) == 6 * 15  # every base in every month from June 2021 to August 2022
    assert sum(int(r["attacks"]) for r in counts) == 10


def test_the_csv_columns_are_the_documented_ones(project):
    out = files(project)
    header = next(csv.reader(io.StringIO(out["data/incidents.csv"].decode())))
    assert header == [c.name for c in COLUMNS]
    counts_header = next(
        csv.reader(io.StringIO(out["data/attacks-by-base-and-month.csv"].decode()))
    )
    assert counts_header == [name for name, _ in COUNT_COLUMNS]
    page = out["data/index.md"].decode()
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in page


def test_a_csv_row_matches_the_record(project, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://data.example.org/tracker/")
    row = next(
        r
        for r in read_csv(files(project)["data/incidents.csv"])
        if r["id"] == "2022-01-05-green-village-indirect-fire"
    )
    assert row["date"] == "2022-01-05"
    assert row["title"] == "Indirect fire attack on Green Village"
    assert row["base_name"] == "Green Village"
    assert row["country"] == "Syria"
    assert row["projectiles"] == "8"
    assert row["unknown_killed"] == row["us_killed"] == ""  # not known, not zero
    assert row["related"] == "2022-01-04-green-village-preemptive-strike"
    assert row["url"] == (
        "https://data.example.org/tracker/incidents/2022-01-05-green-village-indirect-fire/"
    )


def test_without_the_site_address_the_url_column_is_empty(project, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    rows = read_csv(files(project)["data/incidents.csv"])
    assert {r["url"] for r in rows} == {""}
    incidents = json.loads(files(project)["data/incidents.json"])["incidents"]
    assert {i["derived"]["url"] for i in incidents} == {None}


def test_spreadsheet_formulas_in_text_are_defused(empty_project):
    write_incident(
        empty_project,
        GOOD.replace(
            "summary: Rockets were fired at the base.", 'summary: \'=HYPERLINK("http://evil","x")\''
        ),
    )
    out = files(empty_project)
    row = read_csv(out["data/incidents.csv"])[0]
    assert row["summary"] == '\'=HYPERLINK("http://evil","x")'
    record = json.loads(out["data/incidents.json"])["incidents"][0]
    assert record["summary"] == '=HYPERLINK("http://evil","x")'  # exact in the JSON


@pytest.mark.parametrize(
    "formula",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        '＝HYPERLINK("x")',
        "＋1",
        "－1",
        "＠SUM(A1)",
        "  =1+1",
        "\t=1",
    ],
)
def test_every_way_a_cell_can_start_a_formula_is_defused(formula):
    from generator import escape

    assert escape.csv_cell(formula) == "'" + formula
    assert escape.csv_cell("Rockets = 3") == "Rockets = 3"


def test_the_data_page_says_the_formula_rule_the_code_follows(project):
    """The Data page's words are made from escape's own names (FORMULA_LEADS,
    FORMULA_FIRST, FORMULA_FIRST_FULL_WIDTH); and each case they name is escaped."""
    from generator import escape

    page = " ".join(files(project)["data/index.md"].decode().split())
    assert (
        "A text cell gets a leading apostrophe, so that spreadsheets do not run it as a "
        "formula, when it starts with a tab or a carriage return, or when any of its lines "
        "starts, after white space, with `=`, `+`, `-` or `@` (or their full-width forms "
        "`＝`, `＋`, `－` and `＠`); a number such as `-3` stays a number."
    ) in page
    for lead in escape.FORMULA_LEADS:
        assert escape.runs_as_formula(lead + "Rockets")
    for first in escape.FORMULA_FIRST + escape.FORMULA_FIRST_FULL_WIDTH:
        assert escape.runs_as_formula(f"Rockets fell.\n  {first}1")
    assert escape.csv_cell(-3) == -3


def test_the_data_page_points_to_the_downloads_of_the_rows_shown(project):
    out = files(project)
    page = " ".join(out["data/index.md"].decode().split())
    assert (
        "Every table of incidents (the [incidents table](../incidents/index.md), and each "
        "base's, month's and actor's page) offers **Download the incidents shown**: the rows "
        "it shows, after the filters you set, as CSV or JSON"
    ) in page
    for table in (
        "incidents/index.md",
        "bases/green-village.md",
        "months/2022-08.md",
        "actors/iran-backed-groups.md",
    ):
        assert "Download the incidents shown:" in out[table].decode(), table


def test_geojson_places_incidents_where_known(project):
    saker = next(project.incidents_dir.glob("*/2022-08-24-saker-island-airstrikes.yaml"))
    saker.write_text(re.sub(r"(lat|lon|location_precision): .*\n", "", saker.read_text()))
    features = {
        f["id"]: f for f in json.loads(files(project)["data/incidents.geojson"])["features"]
    }
    strike = features["2022-08-24-al-mayadin-airstrikes"]
    assert strike["geometry"] == {"type": "Point", "coordinates": [40.45, 35.02]}
    assert strike["properties"]["coordinates_from"] == "incident"
    attack = features["2022-08-15-green-village-rockets"]
    assert attack["geometry"]["coordinates"] == [40.57, 35.03]
    assert attack["properties"]["coordinates_from"] == "base"
    unplaced = features["2022-08-24-saker-island-airstrikes"]
    assert unplaced["geometry"] is None and unplaced["properties"]["coordinates_from"] is None


def test_the_feed_is_valid_atom_with_the_latest_incidents(project):
    data = files(project)["feed.xml"]
    feed = feedparser.parse(data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == 17
    first = feed.entries[0]
    assert first.title == "US airstrike — Saker Island"  # newest first
    assert first.link == "incidents/2022-08-24-saker-island-airstrikes/"  # no site address
    assert first.published.startswith("2022-08-24")
    assert feed.feed.updated.startswith("2026-01-01")  # the data version's date, not the clock


@pytest.mark.slow
def test_every_page_links_the_feed_from_its_head(built_site):
    for page in built_site.site.rglob("index.html"):
        if page.relative_to(built_site.site).parts[0] == "embed":
            continue  # a chart alone, for other sites' pages: no head of the site's own
        head = page.read_text().split("</head>")[0]
        assert 'rel="alternate" type="application/atom+xml"' in head, page


def test_incident_pages_link_to_edit_their_record(project, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://data.example.org/tracker/")
    monkeypatch.setenv("REPO_URL", "https://github.com/newsroom/tracker")
    page = files(project)["incidents/2022-08-24-conoco-rockets.md"].decode()
    assert (
        'href="https://github.com/newsroom/tracker/edit/main/data/incidents/2022/'
        '2022-08-24-conoco-rockets.yaml"'
    ) in page
    assert "https://data.example.org/tracker/incidents/2022-08-24-conoco-rockets/" in page


def test_without_a_repository_there_is_no_edit_link(project, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://data.example.org/tracker/")
    monkeypatch.delenv("REPO_URL", raising=False)
    page = files(project)["incidents/2022-08-24-conoco-rockets.md"].decode()
    assert "Edit this record" not in page


@pytest.fixture
def repository(project):
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(project.root), *args], check=True, capture_output=True, text=True
        ).stdout

    git("init", "-q", "-b", "main")
    git("config", "user.email", "test@example.com")
    git("config", "user.name", "Test")
    env = {"GIT_COMMITTER_DATE": "2025-03-04T12:00:00Z", "GIT_AUTHOR_DATE": "2025-03-04T12:00:00Z"}
    subprocess.run(["git", "-C", str(project.root), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(project.root), "commit", "-qm", "data"],
        check=True,
        env={**__import__("os").environ, **env},
    )
    return git


def test_last_change_and_data_version_come_from_git(project, repository):
    commit = repository("rev-parse", "--short", "HEAD").strip()
    out = files(project)
    page = out["incidents/2022-08-24-conoco-rockets.md"].decode()
    assert "last changed on 4 March 2025" in page
    assert f"data version {commit} of 4 March 2025" in page
    # a chart says both dates: where the records end, and the version of the files
    assert (
        f"The data runs to 24 August 2022; data version {commit} of 4 March 2025."
        in out["index.md"].decode()
    )


def test_local_changes_to_the_data_are_said(project, repository):
    path = project.incidents_dir / "2022" / "2022-08-24-conoco-rockets.yaml"
    path.write_text(path.read_text().replace("Rockets were also", "Rockets were"))
    page = files(project)["index.md"].decode()
    assert "of 4 March 2025 with local changes" in page


def test_without_git_the_version_is_the_build_date(project):
    assert (
        "The data runs to 24 August 2022; data as of 1 January 2026."
        in files(project)["index.md"].decode()
    )
    assert dt.date(2026, 1, 1) == TODAY
