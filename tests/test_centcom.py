"""Proof on real data: the CENTCOM strikes CSV, imported and built, shows the CSV's numbers.

The CSV (5,605 rows, one per day and place of US Central Command's daily strike releases)
is not part of the project. It is looked for at $CENTCOM_CSV, else at
../shared/data/centcom-strikes-2014-2016.csv beside the repository; without it these tests
are skipped.

What is compared, and why it is a real check: for every (month, place, country), the
number of records and the number of strikes in the "US strikes by place" table of the
built month page (site/months/<YYYY-MM>/index.html), against the number of rows and the
sum of the `number` column computed here straight from the CSV with the csv module. The
place is the CSV's location cell with its spaces tidied, merged into one name only where
the adapter's PLACES table (examples/centcom/adapter.py) lists the spelling; the table is
applied here with a plain dictionary lookup, not with the adapter's or the importer's code.
The monthly totals are also checked on the Months chart's data
(site/charts/incidents-per-month.json).
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT

from generator.project import Project
from generator.tools.importer import import_csv

CSV_PATH = Path(
    os.environ.get("CENTCOM_CSV")
    or ROOT.parent / "shared" / "data" / "centcom-strikes-2014-2016.csv"
)
EXAMPLE = ROOT / "examples" / "centcom"
README = (ROOT / "README.md").read_text("utf-8")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CSV_PATH.is_file(),
        reason=f"the CENTCOM strikes CSV is not at {CSV_PATH}; set CENTCOM_CSV to its path "
        "to run the import proof (the file is not part of the project)",
    ),
]

Key = tuple[str, str, str]  # month, place, country


@pytest.fixture(scope="module")
def centcom(tmp_path_factory):
    """The README's commands for this example, run as written but into a temporary folder:
    the CSV imported into a new site folder with the example adapter, and the site built."""
    folder = tmp_path_factory.mktemp("centcom") / "centcom-site"
    block = re.search(r"### Example: US Central Command.*?```sh\n(.*?)```", README, re.S)
    assert block, "the README's CENTCOM example has no commands"
    script = (
        block.group(1)
        .replace("../centcom-site", shlex.quote(str(folder)))
        .replace("../shared/data/centcom-strikes-2014-2016.csv", shlex.quote(str(CSV_PATH)))
        .replace(".venv/bin/python", shlex.quote(sys.executable))
    )
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return Project(folder), run.stdout


def _adapter_module():
    spec = importlib.util.spec_from_file_location("centcom_adapter", EXAMPLE / "adapter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def from_csv() -> tuple[Counter[Key], Counter[Key]]:
    """Records and strikes per (month, place, country), straight from the CSV."""
    adapter = _adapter_module()
    rules = {name.casefold(): place for name, place in adapter.PLACES.items()}
    countries = adapter.COUNTRIES
    records: Counter[Key] = Counter()
    strikes: Counter[Key] = Counter()
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            month = dt.datetime.strptime(row["date"], "%m/%d/%Y").strftime("%Y-%m")
            name = " ".join(row["location"].split())
            rule = rules.get(name.casefold())
            country = (rule and rule.country) or countries.get(row["country"], row["country"])
            key = (month, (rule and rule.location) or name, country or "")
            records[key] += 1
            strikes[key] += int(row["number"])
    return records, strikes


class _PlaceTable(HTMLParser):
    """The rows of <table id="strikes-by-place"> as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "strikes-by-place") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def from_site(site: Path) -> tuple[Counter[Key], Counter[Key]]:
    records: Counter[Key] = Counter()
    strikes: Counter[Key] = Counter()
    for page in sorted(site.glob("months/*/index.html")):
        table = _PlaceTable()
        table.feed(page.read_text("utf-8"))
        assert table.rows[0] == ["Place", "Country", "Records", "Strikes"], page
        for place, country, n_records, n_strikes in table.rows[1:]:
            key = (page.parent.name, place, country)
            assert key not in records, f"{key} is listed twice"
            records[key] = int(n_records)
            strikes[key] = int(n_strikes)
    return records, strikes


def test_every_row_becomes_one_record(centcom):
    project, output = centcom
    assert "Imported 5,605 rows: wrote 5,605 new incident files" in output
    assert "(0 already there and identical)" in output
    assert "Built 5605 incidents into " in output
    assert len(list(project.incidents_dir.glob("*/*.yaml"))) == 5605


def test_strikes_and_records_per_place_and_month_on_the_site_equal_the_csv(centcom):
    project, _ = centcom
    csv_records, csv_strikes = from_csv()
    site_records, site_strikes = from_site(project.site_dir)
    assert sum(csv_records.values()) == 5605
    assert len(csv_strikes) == 621  # (month, place) pairs: a real comparison, not a few sums
    assert site_strikes == csv_strikes
    assert site_records == csv_records


def test_strikes_per_month_on_the_months_chart_equal_the_csv(centcom):
    project, _ = centcom
    _, csv_strikes = from_csv()
    per_month: Counter[str] = Counter()
    for (month, _, _), n in csv_strikes.items():
        per_month[month] += n
    chart = json.loads((project.site_dir / "charts" / "incidents-per-month.json").read_text())
    trace = next(t for t in chart["data"] if t["name"] == "US strikes")
    shown = {m: n for m, n in zip(trace["x"], trace["y"], strict=True) if n}
    assert shown == dict(per_month)
    assert sum(shown.values()) == sum(csv_strikes.values())


def test_importing_the_same_csv_again_changes_nothing(centcom):
    project, _ = centcom
    before = {p: p.stat().st_mtime_ns for p in project.incidents_dir.glob("*/*.yaml")}
    again = import_csv(CSV_PATH, EXAMPLE / "adapter.py", project)
    assert (again.written, again.unchanged) == (0, 5605)
    assert {p: p.stat().st_mtime_ns for p in before} == before
