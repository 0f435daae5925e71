"""The benchmark's synthetic data: valid, realistic in its mix, and the same every time."""

from __future__ import annotations

import subprocess
from collections import Counter

from conftest import TODAY

from bench.__main__ import copy_project, floor_project
from bench.synthetic import BASES, synthetic_dataset, write_dataset, write_history
from generator.history import read_history
from generator.project import Project
from generator.validate import load_dataset


def test_a_synthetic_dataset_passes_the_validator(tmp_path):
    write_dataset(tmp_path / "data", synthetic_dataset(200))
    dataset = load_dataset(Project(tmp_path), as_of=TODAY)
    incidents = dataset.incidents
    assert len(incidents) == 200
    assert len(dataset.bases) == len(BASES) == 30
    kinds = Counter(i.kind for i in incidents)
    assert 0.6 < kinds["attack"] / 200 < 0.8
    assert len({i.month for i in incidents}) > 40  # spread over the six years
    assert len({i.base for i in incidents if i.kind == "attack"}) > 20
    assert {len(i.sources) for i in incidents} == {1, 2, 3}
    assert {i.status for i in incidents} == {"reported", "claimed", "confirmed"}
    assert {i.date_precision for i in incidents} >= {"day", "week"}
    assert any(i.responds_to for i in incidents)
    assert any(i.related for i in incidents)
    assert any(i.strikes for i in incidents)
    sentences = Counter(i.summary.count(". ") + 1 for i in incidents)
    assert set(sentences) == {1, 2, 3, 4}


def test_the_same_size_gives_the_same_files(tmp_path):
    write_dataset(tmp_path / "a", synthetic_dataset(50))
    write_dataset(tmp_path / "b", synthetic_dataset(50))
    files = {
        name: {
            p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
            for p in (tmp_path / name).rglob("*.yaml")
        }
        for name in ("a", "b")
    }
    assert len(files["a"]) == 51
    assert files["a"] == files["b"]


def test_the_floor_has_as_many_pages_and_the_same_config(tmp_path):
    floor_project(tmp_path / "floor", 120)
    pages = list((tmp_path / "floor" / "docs").rglob("*.md"))
    assert len(pages) == 120
    copy_project(tmp_path / "site")
    config = (tmp_path / "site" / "mkdocs.yml").read_bytes()
    assert (tmp_path / "floor" / "mkdocs.yml").read_bytes() == config
    assert not (tmp_path / "site" / "docs" / "index.md").exists()  # generated, not copied
    assert (tmp_path / "site" / "docs" / "about.md").is_file()


def test_the_synthetic_history_corrects_a_tenth_of_the_records(tmp_path, monkeypatch):
    for name in ("SITE_URL", "REPO_URL"):
        monkeypatch.delenv(name, raising=False)
    dataset = synthetic_dataset(200)
    write_dataset(tmp_path / "data", dataset)
    assert write_history(tmp_path, tmp_path / "data", dataset) == 20
    project = Project(tmp_path)
    history = read_history(project, load_dataset(project, as_of=TODAY))
    assert (history.state, history.corrections, history.corrected) == ("complete", 20, 20)
    assert {c.commit.subject for c in history.log} == {"Correct 5 records"}
    assert all(c.changes[0].field == "summary" for c in history.log)
    status = subprocess.run(
        ["git", "-C", str(tmp_path), "status", "--porcelain"], capture_output=True, text=True
    )
    assert status.stdout == ""  # the working tree is the last commit


def test_the_maps_labels_bench_builds_a_map_of_thousands_of_bases():
    from bench.labels import report, synthetic_bases
    from generator.charts.map import incident_map
    from generator.stats import Stats

    dataset = synthetic_bases(300)
    chart = incident_map(Stats(dataset))
    assert chart is not None
    assert sum(1 for row in chart.table.rows if row[1] == "Base") == 300
    lines = report([100]).splitlines()
    assert lines[2].startswith("| 100 bases | the map's figure | ")
    assert "labels.js" in lines[3]
