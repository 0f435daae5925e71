"""Golden files: the generated pages and chart data, compared whole, for two datasets:

- ``sample``: the sample data in data/;
- ``forms``: tests/cases/forms/, six made-up incidents that use every form a record can
  take (a month-only date, a local time, several weapons, casualties by side with ranges,
  a strike's target and targets, an unnamed site, an embassy and a gas field, actors with
  an umbrella group, a perpetrator in words).

After a deliberate change to templates or charts, run `make golden` and review the diff of
tests/golden/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY

from generator.build import PLOTLY_JS_TARGET, VENDORED, generate
from generator.project import Project

HERE = Path(__file__).parent
CASES = {"sample": None, "forms": HERE / "cases" / "forms"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_pages_and_charts_match_the_golden_files(project, request, monkeypatch, case):
    monkeypatch.delenv("SITE_URL", raising=False)  # the copy has no address: none is shown
    monkeypatch.delenv("REPO_URL", raising=False)
    GOLDEN = HERE / "golden" / case
    if CASES[case] is not None:
        project = Project(project.root, CASES[case])
    outputs = generate(project, as_of=TODAY).outputs
    for vendored in VENDORED:  # copies of files from packages, not our output
        outputs.pop(vendored)
    machine = (str(HERE.parent), str(project.root))  # the site names no folder of this machine
    leaked = [rel for rel, data in outputs.items() if any(m.encode() in data for m in machine)]
    assert not leaked, f"a path of the machine that built it is published in {leaked}"
    if request.config.getoption("--update-golden"):
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for rel, data in outputs.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
        pytest.skip(f"golden files rewritten; review `git diff tests/golden/{case}`")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(outputs) == sorted(expected), "generated files differ from tests/golden/"
    for rel in sorted(outputs):
        assert outputs[rel].decode() == expected[rel].decode(), f"{rel} differs; see `make golden`"


def test_plotly_js_is_served_from_the_site(project):
    outputs = generate(project, as_of=TODAY).outputs
    assert outputs[PLOTLY_JS_TARGET].startswith(b"/**\n* plotly.js v")


def test_the_forms_read_as_reporting_says_them(project):
    """A few of the golden pages' lines, spelt out: how each form reads on the site."""
    pages = generate(Project(project.root, CASES["forms"]), as_of=TODAY).outputs

    def page(rel: str) -> str:
        return pages[rel].decode()

    month_only = page("incidents/2023-11-ain-al-asad-rockets.md")
    assert "<td>November 2023 (month only)</td>" in month_only
    assert "<td>Rocket and drone</td>" in month_only
    assert (
        '<th scope="row">Casualties: US forces</th><td>at least 1 injured; killed not stated'
        in month_only
    )
    tower = page("incidents/2024-01-28-tower-22-drones.md")
    assert "28 January 2024 (exact day), 05:30 local time" in tower
    assert "Kata&#39;ib Hezbollah</a> (blamed by officials)" in tower
    strike = page("incidents/2024-02-02-deir-ez-zor-airstrikes.md")
    assert "<td>4 (this record stands for 4 strikes)</td>" in strike
    assert '<th scope="row">Targets struck</th><td>85</td>' in strike
    assert "Casualties: Militants</th><td>20–30 killed" in strike
    unnamed = page("bases/unnamed-iraq.md")
    assert unnamed.startswith("---") and "# Unnamed site in Iraq" in unnamed
    overview = page("index.md")
    assert "# Every form of record \\(test dataset\\)" in overview
    assert 'headline__number">3 killed</span>at least 41 injured, in the 2 records' in overview
