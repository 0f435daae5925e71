"""The 2023–24 campaign (examples/campaign-2023-24/): built as a site of its own, its numbers
checked against counts made here from the records alone.

The expected figures are computed straight from the YAML files with PyYAML and a few lines
of arithmetic, not with the generator's model or Stats: attacks per site per month, US
strikes per month (``strikes`` or one per record), and the US killed and injured (exact
numbers and "at least" lower bounds). They are compared with what the built site shows
(the charts' data, the overview, the base pages), what the downloads hold (the counts CSV,
the incidents CSV, the casualties CSV) and what ``make diff`` says against an empty base.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project

from generator.build import build
from generator.cli import main
from generator.project import Project

pytestmark = pytest.mark.slow

CAMPAIGN = ROOT / "examples" / "campaign-2023-24"
RECORDS = [
    yaml.safe_load(p.read_text("utf-8")) for p in sorted(CAMPAIGN.glob("incidents/*/*.yaml"))
]
BASES = {b["id"]: b for b in yaml.safe_load((CAMPAIGN / "bases.yaml").read_text("utf-8"))}


def month(record) -> str:
    return str(record["date"])[:7]


def site_of(record) -> str:
    return record["base"] if record.get("base") else "unnamed-" + record["country"].lower()


def expected_attacks() -> Counter[tuple[str, str]]:
    return Counter((site_of(r), month(r)) for r in RECORDS if r["kind"] == "attack")


def expected_strikes() -> Counter[str]:
    out: Counter[str] = Counter()
    for r in RECORDS:
        if r["kind"] == "strike":
            out[month(r)] += r.get("strikes", 1)
    return out


def expected_us(outcome: str) -> tuple[int, bool]:
    """(the sum of the lower bounds, whether any is only 'at least')."""
    low, open_ended = 0, False
    for r in RECORDS:
        value = ((r.get("casualties") or {}).get("us") or {}).get(outcome)
        if isinstance(value, int):
            low += value
        elif isinstance(value, dict):
            low += value.get("min", 0)
            open_ended |= "max" not in value
    return low, open_ended


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> Project:
    root = copy_project(tmp_path_factory.mktemp("campaign") / "project").root
    project = Project(root, CAMPAIGN)
    summary = build(project)
    assert summary.incidents == len(RECORDS) >= 60
    return project


def test_the_dataset_is_real_reporting_with_links(campaign):
    assert len(RECORDS) >= 60
    months = {month(r) for r in RECORDS}
    assert min(months) == "2023-10" and max(months) == "2024-08"
    for r in RECORDS:
        for source in r["sources"]:
            assert re.match(r"https?://", source["url"]), (r["id"], source)
            assert source["publisher"] and source["title"] and source["published"]
    named = {b["name"] for b in BASES.values()}
    for place in ("Ain al-Asad", "Harir", "Tanf", "Erbil", "Shaddadi", "Tower 22", "Embassy"):
        assert any(place.lower() in n.lower() for n in named), place
    assert {b["country"] for b in BASES.values()} == {"Iraq", "Syria", "Jordan"}


def test_attacks_per_site_and_month_on_the_site_and_in_the_counts_file(campaign):
    expected = expected_attacks()
    heatmap = json.loads(
        (campaign.site_dir / "charts" / "attacks-by-base-and-month.json").read_text()
    )
    [trace] = heatmap["data"]
    names = {b["name"]: b["id"] for b in BASES.values()}
    drawn: Counter[tuple[str, str]] = Counter()
    for name, row in zip(trace["y"], trace["z"], strict=True):
        site = names.get(name) or "unnamed-" + name.removeprefix("Unnamed site in ").lower()
        for m, n in zip(trace["x"], row, strict=True):
            if n:
                drawn[(site, m)] = n
    assert drawn == expected
    counts = csv.DictReader(
        io.StringIO((campaign.site_dir / "data" / "attacks-by-base-and-month.csv").read_text())
    )
    tabled = Counter(
        {(r["base"], r["month"]): int(r["attacks"]) for r in counts if int(r["attacks"])}
    )
    assert tabled == expected


def test_strikes_per_month_on_the_site_and_in_the_downloads(campaign):
    expected = expected_strikes()
    chart = json.loads((campaign.site_dir / "charts" / "incidents-per-month.json").read_text())
    trace = next(t for t in chart["data"] if t["name"] == "US strikes")
    assert {m: n for m, n in zip(trace["x"], trace["y"], strict=True) if n} == expected
    rows = list(
        csv.DictReader(io.StringIO((campaign.site_dir / "data" / "incidents.csv").read_text()))
    )
    per_month: Counter[str] = Counter()
    for row in rows:
        per_month[row["date"][:7]] += int(row["strike_count"])
    assert +per_month == expected


def test_us_casualties_on_the_overview_and_in_the_downloads(campaign):
    html = (campaign.site_dir / "index.html").read_text()
    for outcome in ("killed", "injured"):
        low, open_ended = expected_us(outcome)
        shown = f"at least {low:,}" if open_ended else f"{low:,}"
        card = (
            rf'headline__number">{re.escape(shown)} killed</span>'
            if outcome == "killed"
            else rf"</span>{re.escape(shown)} injured, in the \d+ records"
        )
        assert re.search(card, html), (outcome, shown)
    rows = list(
        csv.DictReader(io.StringIO((campaign.site_dir / "data" / "casualties.csv").read_text()))
    )
    for outcome in ("killed", "injured"):
        low, _ = expected_us(outcome)
        assert (
            sum(int(r["min"] or 0) for r in rows if (r["side"], r["outcome"]) == ("us", outcome))
            == low
        )
    tower = (campaign.site_dir / "bases" / "tower-22" / "index.html").read_text()
    assert "US personnel killed</th><td>3" in tower


INFO = yaml.safe_load((CAMPAIGN / "dataset.yaml").read_text("utf-8"))


def attacks_between(since, until) -> int:
    return sum(
        1
        for r in RECORDS
        if r["kind"] == "attack" and len(str(r["date"])) == 10 and since <= r["date"] <= until
    )


def test_official_counts_stand_beside_the_records_on_the_overview_and_coverage_page(campaign):
    attacks = [t for t in INFO["tallies"] if t.get("of", "attacks") == "attacks"]
    latest = max(attacks, key=lambda t: (t["as_of"], t["count"]))
    recorded = attacks_between(latest["since"], latest["as_of"])
    share = round(100 * recorded / latest["count"])
    overview = (campaign.site_dir / "index.html").read_text()
    assert (
        f"at least {latest['count']} attacks from 17 October 2023 to 11 February 2024; "
        f"recorded here over the same days: {recorded} ({share}%)"
    ) in overview
    assert "headline__official" in overview  # the Pentagon's injured beside ours
    coverage = (campaign.site_dir / "coverage" / "index.html").read_text()
    rows = re.findall(r'<tr><th scope="row"><time datetime="([0-9-]+)">', coverage)
    assert len(rows) == len(INFO["tallies"])  # every official count, attacks and injured
    chart = json.loads((campaign.site_dir / "charts" / "official-counts.json").read_text())
    running, official = chart["data"]
    assert running["y"][-1] == attacks_between(
        min(t["since"] for t in attacks), max(t["as_of"] for t in attacks)
    )
    assert sorted(official["y"]) == sorted(t["count"] for t in attacks)
    # Each count after the first sets its rise beside the records' rise over those days.
    second = sorted(attacks, key=lambda t: (t["as_of"], t["count"]))[1]
    first = sorted(attacks, key=lambda t: (t["as_of"], t["count"]))[0]
    rise = attacks_between(second["since"], second["as_of"]) - attacks_between(
        first["since"], first["as_of"]
    )
    assert (
        f'official">+{second["count"] - first["count"]}</td>'
        f'<td data-label="Recorded here since">+{rise} ('
    ) in coverage


def test_claims_apart_from_blame_barrages_counted_once_and_single_sources_marked(campaign):
    claimed = [r for r in RECORDS if r.get("claimed_by")]
    assert claimed
    irq = [r for r in claimed if "islamic-resistance-in-iraq" in r["claimed_by"]]
    actor = campaign.site_dir / "actors" / "islamic-resistance-in-iraq" / "index.html"
    page = actor.read_text()
    section = page.split('id="claimed"')[1]
    assert len(re.findall(r'<tr data-id="', section)) == len(irq)
    sample = claimed[0]
    record = (campaign.site_dir / "incidents" / sample["id"] / "index.html").read_text()
    assert '<th scope="row">Claimed by</th>' in record
    # One barrage on two sites: one attack, at its base; the other site lists it apart.
    [barrage] = [r for r in RECORDS if r.get("also_hit")]
    other = barrage["also_hit"][0]
    base_page = (campaign.site_dir / "bases" / other / "index.html").read_text()
    main, also = base_page.split('id="also-hit-list"')
    assert f'data-id="{barrage["id"]}"' in also and f'data-id="{barrage["id"]}"' not in main
    # Single-source records are marked on their page and filterable in the table.
    single = [r for r in RECORDS if len(r["sources"]) == 1]
    table = (campaign.site_dir / "incidents" / "index.html").read_text()
    assert table.count('data-sources="single"') == len(single)
    assert '<select name="sources">' in table
    page = (campaign.site_dir / "incidents" / single[0]["id"] / "index.html").read_text()
    assert "A single source: this record rests on one report" in page


def test_a_time_on_washingtons_clock_is_shown_with_the_local_time(campaign):
    [timed] = [r for r in RECORDS if r.get("time_zone")]
    page = (campaign.site_dir / "incidents" / timed["id"] / "index.html").read_text()
    assert f"{timed['time']} on the {timed['time_zone']} clock (" in page
    assert " local time)" in page


def test_make_diff_from_an_empty_base_counts_the_same(campaign, tmp_path, capsys, monkeypatch):
    git_env = {
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for name, value in git_env.items():
        monkeypatch.setenv(name, value)
    repo = copy_project(tmp_path / "repo", data=False).root
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "empty"], cwd=repo, check=True)
    data = repo / "examples" / "campaign-2023-24"
    import shutil

    shutil.copytree(CAMPAIGN, data)
    code = main(["--root", str(repo), "--data", str(data), "diff", "main"])
    out, err = capsys.readouterr()
    assert code == 0, err
    attacks = sum(expected_attacks().values())
    assert f"- Attacks on bases: 0 → {attacks} (+{attacks})\n" in out
    strikes = sum(expected_strikes().values())
    assert f"- US strikes: 0 → {strikes} (+{strikes})\n" in out
    for m, n in expected_strikes().items():
        assert f"- {m}: 0 → {n}\n" in out
    names = {b["id"]: b["name"] for b in BASES.values()}
    for (site, m), n in expected_attacks().items():
        label = names.get(site) or f"Unnamed site in {site.removeprefix('unnamed-').title()}"
        assert f"- {label}, {m}: 0 → {n}\n" in out, (label, m)


def test_the_readme_shows_how_to_build_it():
    readme = (ROOT / "README.md").read_text()
    assert "make site DATA=examples/campaign-2023-24" in readme
    assert (CAMPAIGN / "README.md").is_file()
    assert Path(CAMPAIGN / "incident.schema.json").is_file()
