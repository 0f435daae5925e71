"""Only changed files are written: what lets `make serve` rebuild quickly after an edit.

`sync_docs` compares every generated file with what is in docs/ and writes only those
whose bytes differ; untouched files keep their modification time, so MkDocs' watcher (and
`mkdocs serve --dirty`) sees exactly the pages that changed.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import TODAY

from generator import pages as pages_mod
from generator import validate
from generator.build import generate, write_docs

ID = "2022-01-03-camp-victory-drones"  # linked from no other record, not among the latest


def regenerate(project) -> set[str]:
    """Generate and write; the paths (relative to docs/) that were written or deleted."""
    journal = write_docs(project, generate(project, as_of=TODAY))
    docs = project.docs_dir
    return {p.relative_to(docs).as_posix() for p, _ in journal.written + journal.deleted}


OLD = 1_000_000_000  # 9 September 2001: a file written by the regeneration has another mtime


def mtimes(project) -> dict[str, int]:
    """Every file in docs/, its modification time first set to OLD: a file written after
    this shows a new time, however coarse the file system's timestamps are."""
    docs = project.docs_dir
    out = {}
    for p in docs.rglob("*"):
        if p.is_file():
            os.utime(p, (OLD, OLD))
            out[p.relative_to(docs).as_posix()] = p.stat().st_mtime_ns
    return out


def written_since(project) -> set[str]:
    docs = project.docs_dir
    return {
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*")
        if p.is_file() and p.stat().st_mtime_ns != OLD * 1_000_000_000
    }


def edit(project, incident_id: str, old: str, new: str) -> None:
    path = next(project.incidents_dir.glob(f"*/{incident_id}.yaml"))
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def changed_since(before: dict[str, int], after: set[str], project) -> set[str]:
    """Files written (with a new modification time) or deleted since ``before``."""
    now = {
        p.relative_to(project.docs_dir).as_posix()
        for p in project.docs_dir.rglob("*")
        if p.is_file()
    }
    return after | (before.keys() - now)


def test_a_second_generate_without_changes_writes_nothing(project):
    first = regenerate(project)
    assert first == set(generate(project, as_of=TODAY).outputs)  # all new: 57 files
    mtimes(project)
    assert regenerate(project) == set()
    assert written_since(project) == set()


def test_editing_a_summary_rewrites_only_the_pages_that_show_it(project):
    regenerate(project)
    before = mtimes(project)
    edit(project, ID, "summary: >-\n", "summary: >-\n  Edited.\n")
    expected = {
        f"incidents/{ID}.md",
        "months/2022-01.md",  # the only pages with summaries
        "data/incidents.csv",  # and the downloads and the feed, which carry them
        "data/incidents.json",
        "data/incidents.table.json",
        "feed.xml",
    }  # not the GeoJSON: its properties are what a map needs, without summaries
    assert regenerate(project) == expected
    assert changed_since(before, written_since(project), project) == expected


def test_an_edited_template_is_compiled_again_in_the_same_process(project):
    """Templates are compiled once a process and kept (the preview regenerates in one
    process): an edit to a template still shows at the next regeneration."""
    regenerate(project)
    template = project.templates_dir / "incident.md.j2"
    text = template.read_text("utf-8")
    assert "{% set i = incident %}\n" in text
    template.write_text(
        text.replace("{% set i = incident %}\n", "{% set i = incident %}\nEdited template.\n"),
        "utf-8",
    )
    changed = regenerate(project)
    assert {p for p in changed if p.startswith("incidents/")} >= {f"incidents/{ID}.md"}
    assert "Edited template." in (project.docs_dir / "incidents" / f"{ID}.md").read_text("utf-8")


def test_editing_a_title_rewrites_every_page_that_names_the_incident(project):
    regenerate(project)
    before = mtimes(project)
    edit(project, ID, "kind: attack\n", "kind: attack\ntitle: A new headline\n")
    expected = {
        f"incidents/{ID}.md",
        "months/2022-01.md",  # its entry
        "bases/camp-victory.md",  # the base's incident table
        "incidents/index.md",  # the table of all incidents
        "timeline.md",  # the timeline's table
        "charts/escalation-timeline.json",  # and its hover labels
        "charts/map.json",  # the hover of its base's marker lists it
        "incidents/2021-06-28-green-village-counter-battery.md",  # its neighbours' pages
        "incidents/2022-01-04-ain-al-asad-drones.md",  # link to it as previous or next
        "data/incidents.csv",
        "data/incidents.json",
        "data/incidents.table.json",
        "data/incidents.geojson",
        "feed.xml",
    }  # not the overview: its latest incidents are later ones
    assert regenerate(project) == expected
    assert changed_since(before, written_since(project), project) == expected


def test_adding_an_incident_writes_its_page_and_the_pages_that_count_it(project):
    regenerate(project)
    before = mtimes(project)
    source = next(project.incidents_dir.glob(f"*/{ID}.yaml"))
    new_id = "2022-01-04-camp-victory-drones"
    text = source.read_text().replace(ID, new_id).replace("date: 2022-01-03", "date: 2022-01-04")
    (source.parent / f"{new_id}.yaml").write_text(text)
    expected = {
        f"incidents/{new_id}.md",
        "incidents/2022-01-04-ain-al-asad-drones.md",  # its neighbours: the previous and
        "incidents/2022-01-04-green-village-preemptive-strike.md",  # next incident now
        "months/2022-01.md",
        "bases/camp-victory.md",
        "incidents/index.md",
        "index.md",  # headline figures
        "bases/index.md",  # attacks per base
        "months/index.md",  # attacks per month
        "charts/attacks-by-base-and-month.json",
        "charts/attacks-per-base.json",
        "charts/attacks-per-month-by-base.json",
        "charts/incidents-per-month.json",
        "charts/base-camp-victory.json",
        "charts/month-2022-01.json",
        "charts/attacks-per-month-by-status.json",
        # Camp Victory now ranks above Al-Tanf, and base colours follow the rank.
        "charts/month-2022-08.json",
        "timeline.md",
        "charts/escalation-timeline.json",
        "map.md",  # the map's table: attacks per base
        "charts/map.json",  # and its marker sizes
        "data/index.md",  # row counts and sizes of the downloads
        "data/incidents.csv",
        "data/incidents.json",
        "data/incidents.table.json",
        "data/incidents.geojson",
        "data/attacks-by-base-and-month.csv",
        "feed.xml",
    }
    assert regenerate(project) == expected
    assert changed_since(before, written_since(project), project) == expected


def test_removing_an_incident_deletes_its_page(project):
    regenerate(project)
    next(project.incidents_dir.glob(f"*/{ID}.yaml")).unlink()
    changed = regenerate(project)
    assert f"incidents/{ID}.md" in changed
    assert not Path(project.docs_dir / "incidents" / f"{ID}.md").exists()


def test_generated_files_are_readable_by_everyone_like_other_files(project):
    regenerate(project)
    page = project.docs_dir / "incidents" / f"{ID}.md"
    assert page.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- the preview's kept incident pages (pages.KeptPages) -------------------------------------


def _edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _record(project, incident_id: str) -> Path:
    return next(project.incidents_dir.glob(f"*/{incident_id}.yaml"))


# Each edit changes what some incident pages show in a different way: its own record, the
# order of records (the pages before and after), a relation (the related page and the
# episode), a base (every page at it), the dataset's title (every page), a template, the
# history a page shows, and a record added and one removed.
EDITS = {
    "a summary": lambda p: edit(p, ID, "summary: >-\n", "summary: >-\n  Edited.\n"),
    "a date that moves a record": lambda p: edit(
        p, "2022-08-15-al-tanf-drones", "date: 2022-08-15", "date: 2022-01-04"
    ),
    "a response": lambda p: edit(
        p, ID, "tags: [", "responds_to: [2021-06-28-green-village-rockets]\ntags: ["
    ),
    "a base's name": lambda p: _edit_file(
        p.data_dir / "bases.yaml", "name: Camp Victory", "name: Victory Base Complex"
    ),
    "the dataset's title": lambda p: (p.data_dir / "dataset.yaml").write_text(
        "title: Attacks on bases in Iraq and Syria, edited\n", "utf-8"
    ),
    "a template": lambda p: _edit_file(
        p.templates_dir / "_record.md.j2", "No related incidents are recorded.", "None related."
    ),
    "a record removed": lambda p: _record(p, "2022-08-24-al-mayadin-airstrikes").unlink(),
    "a record added": lambda p: (p.incidents_dir / "2022" / "2022-01-03-copy.yaml").write_text(
        _record(p, ID).read_text("utf-8").replace(f"id: {ID}", "id: 2022-01-03-copy"), "utf-8"
    ),
}


def test_the_preview_renders_again_exactly_the_incident_pages_whose_inputs_changed(project):
    """After every edit, the pages made with the pages kept from the renders before are the
    pages a fresh build makes, byte for byte; and a summary edit renders three incident
    pages again (its own, and the pages before and after it), not all of them."""
    from generator.pages import KeptPages

    kept = KeptPages()
    reads = validate.Reads()
    generate(project, as_of=TODAY, kept=kept, reads=reads)
    counted = []
    original = pages_mod.Renderer.render

    def render(self, template, path, **context):
        if template == "incident.md.j2":
            counted.append(path)
        return original(self, template, path, **context)

    for what, change in EDITS.items():
        change(project)
        counted.clear()
        pages_mod.Renderer.render = render
        try:
            preview = generate(project, as_of=TODAY, kept=kept, reads=reads)
        finally:
            pages_mod.Renderer.render = original
        fresh = generate(project, as_of=TODAY)
        assert preview.outputs == fresh.outputs, what
        if what == "a summary":  # its page, and the two whose links to it read its record
            assert f"incidents/{ID}.md" in counted and len(counted) == 3
        if what in ("the dataset's title", "a template"):
            assert len(counted) == len(fresh.dataset.incidents), what
