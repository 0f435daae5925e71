"""A hostile pull request touches nothing outside the project and changes nothing unseen.

Each case is something a pull request can commit besides text: a symbolic link where the
build writes, reads or publishes; a record that is a link; hand-written markup; absurd
dates, forced YAML tags, huge records; ids that are page names. Every symlink case builds a
real project in a temporary folder next to an "outside" folder, and proves that the
outside folder is byte for byte what it was, with the real commands (`make site`, `make
clean`, `validate`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import GOOD, TODAY, copy_project, problems, write_incident
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import escape
from generator.build import generate_docs
from generator.errors import GeneratorError
from generator.project import Project

SECRET = b"ghp_SECRET-token-that-must-never-be-published-or-quoted\n"


def tree(folder: Path) -> dict[str, str]:
    """Every entry under a folder (links not followed) and a digest of what it holds."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "link -> " + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "folder"
    return out


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the project, like a user's home: files, a subfolder, a 'key'."""
    folder = tmp_path / "outside"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("the user's own file\n")
    (folder / "sub" / "deep.txt").write_text("and another\n")
    (folder / "id_ed25519").write_bytes(SECRET)
    return folder


def cli(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """The command a person runs (`make site` runs `python -m generator site`)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
    )


# --- 1, 2: links where the build writes or publishes ---------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "generated", ["charts", "bases", "incidents", "data", "embed", "assets/vendor"]
)
def test_a_generated_folder_that_is_a_link_is_refused_and_the_target_untouched(
    tmp_path, outside, generated
):
    project = copy_project(tmp_path / "project")
    link = project.docs_dir / generated
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)  # absolute
    before = tree(outside)
    for command in (("site",), ("generate",), ("clean",)):
        run = cli(project, *command)
        assert run.returncode == 1, (command, run.stdout, run.stderr)
        assert f"  docs/{generated} -> {outside}\n" in run.stderr
        assert "Built" not in run.stdout
        assert tree(outside) == before, command
    relative = project.docs_dir / "months"
    relative.symlink_to(os.path.relpath(outside, relative.parent))  # and a relative link
    assert cli(project, "site").returncode == 1
    assert tree(outside) == before


@pytest.mark.slow
@pytest.mark.parametrize(
    "where", ["docs/assets/env.txt", "docs/key.md", "overrides/key.html", "templates/_key.md.j2"]
)
def test_a_link_to_a_secret_is_never_published(tmp_path, outside, where):
    project = copy_project(tmp_path / "project")
    (project.root / where).symlink_to(outside / "id_ed25519")
    run = cli(project, "site")
    assert run.returncode == 1
    assert f"  {where} -> {outside / 'id_ed25519'}\n" in run.stderr
    assert SECRET.decode().strip() not in run.stdout + run.stderr
    assert not project.site_dir.exists()
    environ = project.docs_dir / "assets" / "environ.txt"
    if not environ.exists():
        environ.symlink_to("/proc/self/environ")
        assert cli(project, "site").returncode == 1
        assert not project.site_dir.exists()


@pytest.mark.slow
def test_the_site_folder_itself_may_not_be_a_link(tmp_path, outside):
    project = copy_project(tmp_path / "project")
    project.site_dir.symlink_to(outside)
    before = tree(outside)
    run = cli(project, "site")
    assert run.returncode == 1 and "  site -> " in run.stderr
    assert tree(outside) == before


# --- 3, 5: links in the data ----------------------------------------------------------------


@pytest.mark.parametrize("target", ["inside", "secret"])
def test_a_record_that_is_a_link_is_refused_without_reading_it(tmp_path, outside, target):
    project = copy_project(tmp_path / "project")
    elsewhere = project.root / "examples" / "x.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(GOOD.replace("2022-08-15-green-village-rockets", "2022-08-30-x"))
    pointed = elsewhere if target == "inside" else outside / "id_ed25519"
    link = project.incidents_dir / "2022" / "2022-08-30-x.yaml"
    link.symlink_to(pointed)
    run = cli(project, "validate")
    assert run.returncode == 1
    assert run.stderr == (
        f"data/incidents/2022/2022-08-30-x.yaml:1:1: file: is a symbolic link (to {pointed}); "
        "data files and folders must be real ones, so that a review sees exactly what is "
        "published. Replace it with the file itself, or remove it\n"
        "1 problem found; nothing was written.\n"
    )
    assert "SECRET" not in run.stderr


def test_a_folder_of_records_that_is_a_link_is_refused(tmp_path, outside):
    project = copy_project(tmp_path / "project")
    (outside / "2030.yaml").write_text(GOOD)
    (project.incidents_dir / "2023").symlink_to(outside)
    assert problems(project) == [
        f"data/incidents/2023:1:1: file: is a symbolic link (to {outside}); data files and "
        "folders must be real ones, so that a review sees exactly what is published. Replace "
        "it with the file itself, or remove it"
    ]


# --- 6: hand-written pages --------------------------------------------------------------------


@pytest.mark.slow
def test_markup_added_to_a_hand_written_page_cannot_run(tmp_path):
    project = copy_project(tmp_path / "project")
    about = project.docs_dir / "about.md"
    about.write_text(
        about.read_text() + '\n<img src=x onerror="window.__xss=1">\n\nClick here\n'
        '{: onclick="window.__xss=2" }\n\n[a link](javascript:window.__xss=3)\n\n'
        "<script>window.__xss=4</script>\n\n<iframe src=//evil.example></iframe>\n"
    )
    (project.docs_dir / "extra.md").write_text("# Extra\n\n<svg onload=alert(1)></svg>\n")
    assert cli(project, "site").returncode == 0
    for page in ("about", "extra"):
        html = (project.site_dir / page / "index.html").read_text()
        content = html[html.index('<article class="md-content__inner') :]
        content = content[: content.index("</article>")]
        for bad in ("onerror", "onclick", "onload", "javascript:", "<script", "<iframe", "<svg"):
            assert bad not in content, (page, bad)
    html = (project.site_dir / "about" / "index.html").read_text()
    assert "Click here" in html and "What is counted" in html  # the words stay


@pytest.mark.slow
def test_a_pages_front_matter_cannot_inject_markup_or_choose_a_template(tmp_path):
    """Material writes a page's title, description and author into the HTML unescaped."""
    project = copy_project(tmp_path / "project")
    (project.docs_dir / "evil.md").write_text(
        '---\ntitle: "<img src=x onerror=window.__xss=1>"\n'
        "description: '\"><script>window.__xss=2</script>'\n"
        'author: "<b onmouseover=window.__xss=3>x</b>"\ntemplate: 404.html\n'
        "hide: [navigation, toc, '<x>']\nsearch: {exclude: true}\n---\n"
        "# A page\n\nWords.\n"
    )
    assert cli(project, "site").returncode == 0
    html = (project.site_dir / "evil" / "index.html").read_text()
    for bad in ("<img src=x", "<script>window", "<b onmouseover"):
        assert bad not in html, bad
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in html  # shown as text: the title
    assert "Words." in html  # its own template, not 404.html
    assert 'data-md-type="navigation" hidden' in html  # the settings a page may choose


def test_front_matter_is_cleaned_to_what_a_page_may_set():
    from generator.hooks import clean_meta

    meta = {
        "title": "A <b>\n title",
        "description": 3,
        "template": "x.html",
        "hide": ["toc", "evil"],
        "search": {"exclude": True, "boost": 9},
        "author": "x",
        "robots": "noindex",
    }
    assert clean_meta(meta) == {
        "title": "A &lt;b&gt; title",
        "hide": ["toc"],
        "search": {"exclude": True},
    }
    assert clean_meta({"hide": "toc", "search": {"exclude": "yes"}}) == {}


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        'quo"te',
        "back\\slash",
        "new\nline",
        "tab\t",
        "\x85nel",
        "\u2028ls",
        "\x7fdel",
        "emoji 😀",
        "---",
        "#x",
        "a: b",
        "'single'",
        "{flow}",
        "&amp;",
    ],
)
def test_a_description_is_one_yaml_string_whatever_the_text(text):
    from generator.escape import yaml_text
    from generator.text import clean

    assert yaml.safe_load(f"description: {yaml_text(text)}\n") == {"description": clean(text)}
    long = yaml.safe_load(f"d: {yaml_text('word ' * 100, 60)}")["d"]
    assert len(long) <= 60 and long.endswith("…")


@pytest.mark.parametrize("name", ["evil.html", "assets/pic.svg", "feed2.xml", "page.htm"])
def test_files_a_browser_would_run_as_they_are_are_not_published(tmp_path, name):
    project = copy_project(tmp_path / "project")
    path = project.docs_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("<script>alert(1)</script>")
    run = cli(project, "generate")
    assert run.returncode == 1
    assert (
        "refusing to publish these files from docs/, which a browser could run as they are "
        f"(only Markdown pages are cleaned of script): docs/{name}."
    ) in run.stderr


# --- 8: dates out of any range ----------------------------------------------------------------


@pytest.mark.parametrize(
    "date, message",
    [
        (
            "0001-02-15",
            "date: 0001-02-15 is out of range: dates run from 1900 to 2999; check the year",
        ),
        (
            "0001-01-03",
            "date: 0001-01-03 is out of range: dates run from 1900 to 2999; check the year",
        ),
        (
            "9999-12-31",
            "date: 9999-12-31 is out of range: dates run from 1900 to 2999; check the year",
        ),
        (
            "1950-02-15",
            "date: 1950-02-15 is before 1990-01-01, the first day this dataset "
            "covers; check the year (the first day is 'earliest' in dataset.yaml)",
        ),
    ],
)
def test_a_date_outside_the_dataset_s_range_is_refused(empty_project, date, message):
    text = GOOD.replace("date: 2022-08-15", f"date: {date}\ndate_precision: week")
    text = text.replace("published: 2022-08-16", f"published: {date}")
    year = date[:4]
    write_incident(empty_project, text, name=f"{year}/2022-08-15-green-village-rockets.yaml")
    found = problems(empty_project)
    assert any(p.endswith(message) for p in found), found


def test_the_first_day_comes_from_dataset_yaml(empty_project):
    empty_project.info_file.write_text("earliest: 2022-09-01\n")
    write_incident(empty_project, GOOD)
    assert problems(empty_project) == [
        "data/incidents/2022/2022-08-15-green-village-rockets.yaml:2:7: date: 2022-08-15 is "
        "before 2022-09-01, the first day this dataset covers; check the year (the first day "
        "is 'earliest' in dataset.yaml)"
    ]


# --- 10: BibTeX -----------------------------------------------------------------------------


def test_a_title_cannot_add_fields_to_the_bibtex_entry():
    hostile = 'X}, url = "https://evil.example/", year = 2099, x = 0'
    field = escape.bibtex(hostile)
    assert field.count("{") == field.count("}")  # balanced: the field never closes early
    depth = 0
    for c in f"title = {{{field}}},":
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0
    assert depth == 0
    assert "\\textbraceright" in field


# --- 12, 14: page names, forced tags, huge records ------------------------------------------


def test_a_base_called_index_is_refused(empty_project):
    bases = empty_project.bases_file
    text = bases.read_text() + "\n- id: index\n  name: Index base\n  country: Iraq\n"
    bases.write_text(text)
    line = text.count("\n") - 2
    assert problems(empty_project) == [
        f"data/bases.yaml:{line}:7: [6].id: 'index' cannot be an id: a page of the site has that "
        "name; choose another"
    ]


@pytest.mark.parametrize(
    "line, message",
    [
        (
            'projectiles: !!bool "maybe"',
            "projectiles: cannot read 'maybe' as bool; remove the '!!bool' tag or fix the value",
        ),
        ('date: !!timestamp "hello"', "date: 'hello' is not a real date (check the day and month)"),
        ("intercepted: !!float nan", "intercepted: expected a whole number, got nan"),
    ],
)
def test_forced_yaml_tags_give_a_problem_not_a_traceback(empty_project, line, message):
    key = line.split(":")[0]
    text = "\n".join(ln for ln in GOOD.splitlines() if not ln.startswith(key + ":"))
    write_incident(empty_project, text + f"\n{line}\n")
    found = problems(empty_project)
    assert len(found) == 1 and found[0].endswith(message), found


def test_a_record_with_too_many_sources_is_refused_and_a_big_one_builds(empty_project):
    source = "  - publisher: P\n    title: {t}\n    published: 2022-08-16\n"
    many = GOOD + "".join(source.format(t=f"Title {n} " + "x" * 400) for n in range(100))
    write_incident(empty_project, many)
    assert problems(empty_project) == [
        "data/incidents/2022/2022-08-15-green-village-rockets.yaml:8:3: sources: has 101 "
        "entries; at most 100 are allowed"
    ]
    fewer = GOOD + "".join(source.format(t=f"Title {n} " + "x" * 480) for n in range(99))
    write_incident(empty_project, fewer)
    summary = generate_docs(empty_project)  # the downloads are read back: no field too large
    assert summary.incidents == 1


# --- 15: imports run no pattern from the data -------------------------------------------------


def test_the_example_adapter_reads_a_hostile_cell_in_linear_time(tmp_path):
    """Mappings are Python adapters now (reviewed as code): no regular expression comes
    from the data. The example's own pattern is linear on the input that made the old
    mapping's `(a+)+$x` run for minutes; if it were not, this test would not finish."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("a", Path("examples/centcom/adapter.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    hostile = " " * 200_000 + "v" + "a" * 100_000
    assert module.MERGED_BULLET.split(hostile, maxsplit=1)[0] == hostile


# --- the property: random trees of files, folders and links ---------------------------------


ENTRY = st.sampled_from(
    [
        "file",
        "folder",
        "link-outside",
        "link-outside-file",
        "link-inside",
        "link-dangling",
        "link-self",
    ]
)
PLACES = st.sampled_from(
    [
        "data",
        "data/incidents",
        "data/incidents/2022",
        "data/bases.yaml",
        "data/incidents/2022/x.yaml",
        "docs",
        "docs/charts",
        "docs/assets",
        "docs/about.md",
        "docs/bases",
        "docs/incidents/x.md",
        "docs/assets/vendor",
        "docs/data",
        "docs/embed",
        "docs/CNAME",
        "site",
        "templates/x.md.j2",
        "overrides/partials",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(st.tuples(PLACES, ENTRY), min_size=1, max_size=6))
def test_no_tree_of_files_and_links_writes_outside_or_ends_in_a_traceback(
    tmp_path_factory, entries
):
    root = tmp_path_factory.mktemp("tree")
    outside = root / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "a.yaml").write_text(GOOD)
    (outside / "sub" / "b.md").write_text("# b\n")
    project = copy_project(root / "project")
    for place, kind in entries:
        path = project.root / place
        if path.is_symlink() or path.exists():
            continue
        if not path.parent.is_dir() or path.parent.is_symlink():
            continue
        targets = {
            "link-outside": outside,
            "link-outside-file": outside / "a.yaml",
            "link-inside": project.root / "examples",
            "link-dangling": root / "none",
            "link-self": path,
        }
        if kind == "file":
            path.write_text("x: 1\n")
        elif kind == "folder":
            path.mkdir()
        else:
            path.symlink_to(targets[kind])
    before = tree(outside)
    for action in (lambda: generate_docs(project), lambda: subprocess_free_clean(project)):
        with contextlib.suppress(GeneratorError):  # a refusal is fine; a traceback fails
            action()
        assert tree(outside) == before


def subprocess_free_clean(project: Project) -> None:
    """What `make clean` does, in-process (the CLI's `clean` command)."""
    from generator.cli import main

    code = main(["--root", str(project.root), "clean"])
    assert code in (0, 1)


def test_the_property_would_catch_a_write_through_a_link(tmp_path, outside):
    """Without the path rule, a linked generated folder is written into: the property above
    is not vacuous."""
    from generator import write

    project = copy_project(tmp_path / "project")
    (project.docs_dir / "charts").symlink_to(outside)
    before = tree(outside)
    generated = json.dumps({"x": 1}).encode()
    with pytest.raises(GeneratorError):
        write.sync_docs({"charts/x.json": generated}, project.docs_dir)
    assert tree(outside) == before
    assert TODAY  # the fixed "today" of the other tests is not needed here


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "Green Village\u200b",
            "contains the invisible character U+200B (ZERO WIDTH SPACE); "
            "delete it: it makes the text look like another that is spelt differently",
        ),
        (
            "Gr\u0435en Village",
            "mixes Latin and Cyrillic letters in 'Gr\u0435en' ('\u0435' is "
            "Cyrillic); retype it in one alphabet",
        ),
    ],
)
def test_a_base_name_that_passes_for_another_is_refused(empty_project, name, message):
    bases = empty_project.bases_file
    text = bases.read_text() + f'\n- id: second-village\n  name: "{name}"\n  country: Syria\n'
    bases.write_text(text)
    line = text.count("\n") - 1
    assert problems(empty_project) == [f"data/bases.yaml:{line}:9: [6].name: {message}"]
