"""The build's own check: every incident reaches every page and chart it belongs on."""

from __future__ import annotations

import re

import pytest
from conftest import TODAY

from generator import charts
from generator.build import generate
from generator.errors import BuildError
from generator.write import sync_docs


def sabotage(project, template: str, old: str, new: str) -> None:
    path = project.templates_dir / template
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_sample_data_passes(project):
    generate(project, as_of=TODAY)


def test_a_template_that_drops_an_incident_fails_the_build(project):
    sabotage(
        project, "incidents.md.j2", "dataset.incidents | reverse", "dataset.incidents[1:] | reverse"
    )
    with pytest.raises(BuildError) as e:
        generate(project, as_of=TODAY)
    assert (
        "2021-06-27-iraq-syria-border-airstrikes appears 0 times on incidents/index.md, not once"
        in str(e.value)
    )
    assert "not in the data" in str(e.value)


def test_a_template_that_lists_an_incident_twice_fails_the_build(project):
    sabotage(
        project,
        "month.md.j2",
        "{% for i in incidents %}",
        "{% for i in incidents + incidents[:1] %}",
    )
    with pytest.raises(BuildError, match=r"appears 2 times on months/2021-06\.md, not once"):
        generate(project, as_of=TODAY)


def test_a_base_page_missing_an_attack_fails_the_build(project):
    sabotage(
        project,
        "base.md.j2",
        "m.incident_table(incidents | reverse",
        "m.incident_table(incidents | rejectattr('is_attack') | list | reverse",
    )
    with pytest.raises(
        BuildError,
        match=r"2022-08-15-green-village-rockets appears 0 times on bases/green-village\.md",
    ):
        generate(project, as_of=TODAY)


def test_a_chart_that_loses_a_count_fails_the_build(project, monkeypatch):
    original = charts.attack_heatmap

    def lossy(stats):
        chart = original(stats)
        chart.figure["data"][0]["z"][0][0] -= 1
        return chart

    monkeypatch.setattr(charts, "attack_heatmap", lossy)
    with pytest.raises(
        BuildError, match=re.escape("chart attacks-by-base-and-month adds up to 9, not 10")
    ):
        generate(project, as_of=TODAY)


def test_a_main_chart_without_its_embed_page_fails_the_build(project, monkeypatch):
    from generator import pages

    original = pages.SiteContext.embeds.func

    def without_the_map(site):
        found = dict(original(site))
        del found["map"]
        return found

    monkeypatch.setattr(pages.SiteContext, "embeds", property(without_the_map))
    with pytest.raises(BuildError, match="chart map has no embed page drawing it"):
        generate(project, as_of=TODAY)


def test_an_embed_page_that_draws_another_figure_fails_the_build(project):
    sabotage(project, "embed.html.j2", 'data-src="{{ chart.path | href }}"', 'data-src="x.json"')
    with pytest.raises(BuildError, match="chart attacks-per-base has no embed page drawing it"):
        generate(project, as_of=TODAY)


@pytest.mark.parametrize("path", ["../outside.md", "incidents/../../x.md", "about.md", "/etc/x.md"])
def test_nothing_is_written_outside_the_generated_part_of_docs(tmp_path, path):
    docs = tmp_path / "docs"
    docs.mkdir()
    with pytest.raises(BuildError, match="refusing to write"):
        sync_docs({path: b"x"}, docs)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
