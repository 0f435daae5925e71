"""`python -m generator diff BASE [HEAD]` on a real temporary git repository."""

from __future__ import annotations

import subprocess

import pytest
from conftest import GOOD, ROOT, copy_project, write_incident

from generator.cli import main
from generator.tools.diff import shorten

SAMPLE = "data/incidents/2022/2022-08-15-green-village-rockets.yaml"
LONELY = "data/incidents/2022/2022-01-03-camp-victory-drones.yaml"  # nothing links to it
GOLDEN = ROOT / "tests" / "golden"
NEW = GOOD.replace("2022-08-15", "2022-08-30").replace("2022-08-16", "2022-08-31")


def git(root, *args: str) -> str:
    run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return run.stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository holding a copy of the project, with one commit: the sample data."""
    for name, value in {
        "GIT_AUTHOR_NAME": "Analyst",
        "GIT_AUTHOR_EMAIL": "analyst@example.org",
        "GIT_COMMITTER_NAME": "Analyst",
        "GIT_COMMITTER_EMAIL": "analyst@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(name, value)
    project = copy_project(tmp_path / "repo")
    git(project.root, "init", "-q", "-b", "main")
    commit(project, "sample data")
    return project


def commit(project, message: str) -> str:
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--allow-empty", "-m", message)
    return git(project.root, "rev-parse", "--short=7", "HEAD")


def diff(capsys, project, *refs: str) -> tuple[int, str, str]:
    code = main(["--root", str(project.root), "diff", *refs])
    out, err = capsys.readouterr()
    return code, out, err


def edit(project, path: str, old: str, new: str) -> None:
    file = project.root / path
    text = file.read_text()
    assert old in text, f"{old!r} is not in {path}"
    file.write_text(text.replace(old, new))


def test_no_change(repo, capsys):
    first = git(repo.root, "rev-parse", "--short=7", "HEAD")
    (repo.root / "docs" / "about.md").write_text("Only a page changed.\n")
    second = commit(repo, "not data")
    assert diff(capsys, repo, "HEAD~1", "HEAD") == (
        0,
        f"## Changes to the data: `HEAD~1` ({first}) → `HEAD` ({second})\n"
        "\nNo changes to the data.\n",
        "",
    )
    assert diff(capsys, repo, "main")[1].endswith("\nNo changes to the data.\n")


def test_a_pull_request_that_adds_one_incident_and_corrects_another(repo, capsys):
    base = git(repo.root, "rev-parse", "--short=7", "HEAD")
    write_incident(repo, NEW)
    edit(repo, SAMPLE, "  injured: 0", "  injured: 2")
    edit(repo, SAMPLE, "Nobody was hurt.", "Two soldiers were lightly hurt.")
    edit(repo, SAMPLE, "status: confirmed", "status: reported")
    code, out, err = diff(capsys, repo, "main")  # against the working tree
    assert (code, err) == (0, "")
    expected = (GOLDEN / "diff-add-and-correct.md").read_text().replace("BASE", base)
    assert out == expected
    head = commit(repo, "add and correct")
    committed = diff(capsys, repo, "HEAD~1", "HEAD")[1]
    assert committed == out.replace(
        f"`main` ({base}) → the working tree", f"`HEAD~1` ({base}) → `HEAD` ({head})"
    )


def test_sources_added_in_front_or_corrected_in_place(repo, capsys):
    edit(
        repo,
        LONELY,
        "sources:\n",
        "sources:\n  - publisher: CENTCOM\n    title: Statement\n    published: 2022-01-04\n"
        "    url: https://example.com/statement\n",
    )
    assert (
        "  - `sources[0]`: (not set) → CENTCOM, Statement, 2022-01-04, "
        "https:&#8203;//example.com/statement\n"
    ) in diff(capsys, repo, "HEAD")[1]
    commit(repo, "a source")
    edit(
        repo,
        LONELY,
        "published: 2022-01-04\n    url: https://example.com/statement",
        "published: 2022-01-05\n    url: https://example.com/statement",
    )
    edit(repo, LONELY, "title: Statement", "title: Statement on drones")
    out = diff(capsys, repo, "HEAD")[1]
    assert (
        "  - `sources[0].title`: Statement → Statement on drones\n"
        "  - `sources[0].published`: 2022-01-04 → 2022-01-05\n"
    ) in out
    assert "`sources[1]" not in out


def test_removed_and_counts_that_drop_to_zero(repo, capsys):
    (repo.root / LONELY).unlink()
    commit(repo, "remove")
    code, out, _ = diff(capsys, repo, "HEAD~1", "HEAD")
    assert code == 0
    assert "Incidents: 1 removed.\n" in out
    assert (
        "### Removed incidents (1)\n\n- 2022-01-03 **Drone attack on Camp Victory**: "
        f"`2022-01-03-camp-victory-drones`, was `{LONELY}`\n"
    ) in out
    assert "- Camp Victory, 2022-01: 1 → 0\n" in out
    assert "- Incidents: 17 → 16 (-1)\n" in out
    assert "Added incidents" not in out and "Changed incidents" not in out


def test_a_moved_file_is_moved_not_removed_and_added(repo, capsys):
    # The record was filed under the wrong year: same id, new folder, date corrected.
    edit(repo, LONELY, "date: 2022-01-03", "date: 2021-01-03")
    edit(repo, LONELY, "2022-01-03-camp-victory-drones", "2022-01-03-camp-victory-drones")
    (repo.root / "data/incidents/2021").mkdir(exist_ok=True)
    git(repo.root, "mv", LONELY, "data/incidents/2021/2022-01-03-camp-victory-drones.yaml")
    commit(repo, "move")
    out = diff(capsys, repo, "HEAD~1", "HEAD")[1]
    assert "Incidents: 1 changed.\n" in out
    assert (
        "- 2021-01-03 **Drone attack on Camp Victory**: `2022-01-03-camp-victory-drones`\n"
        f"  - file moved: `{LONELY}` → "
        "`data/incidents/2021/2022-01-03-camp-victory-drones.yaml`\n"
        "  - `date`: 2022-01-03 → 2021-01-03\n"
    ) in out
    assert "- Camp Victory, 2021-01: 0 → 1\n- Camp Victory, 2022-01: 1 → 0\n" in out


def test_a_renamed_id_with_the_same_content_is_one_change(repo, capsys):
    new_path = "data/incidents/2022/2022-01-03-camp-victory-drone-attack.yaml"
    git(repo.root, "mv", LONELY, new_path)
    edit(
        repo,
        new_path,
        "id: 2022-01-03-camp-victory-drones",
        "id: 2022-01-03-camp-victory-drone-attack",
    )
    commit(repo, "rename")
    out = diff(capsys, repo, "HEAD~1", "HEAD")[1]
    assert "Incidents: 1 changed.\n" in out
    assert (
        "- 2022-01-03 **Drone attack on Camp Victory**: `2022-01-03-camp-victory-drone-attack`\n"
        "  - id: `2022-01-03-camp-victory-drones` → `2022-01-03-camp-victory-drone-attack` "
        "(same record under a new id)\n"
        f"  - file moved: `{LONELY}` → `{new_path}`\n"
    ) in out
    assert "No count of attacks by base and month changed.\n" in out
    assert "- Incidents: 17 (unchanged)\n" in out


def test_an_id_corrected_the_documented_way_is_one_change(repo, capsys):
    # CONTRIBUTING.md: rename file and id, list the old id in previous_ids, fix the summary.
    new_path = "data/incidents/2022/2022-01-03-camp-victory-drone-attack.yaml"
    git(repo.root, "mv", LONELY, new_path)
    edit(
        repo,
        new_path,
        "id: 2022-01-03-camp-victory-drones",
        "id: 2022-01-03-camp-victory-drone-attack\nprevious_ids: [2022-01-03-camp-victory-drones]",
    )
    edit(repo, new_path, "Drones attacked US forces", "Two drones attacked US forces")
    commit(repo, "correct the id")
    out = diff(capsys, repo, "HEAD~1", "HEAD")[1]
    assert "Incidents: 1 changed.\n" in out
    assert (
        "  - id: `2022-01-03-camp-victory-drones` → `2022-01-03-camp-victory-drone-attack` "
        "(same record under a new id)\n"
    ) in out
    assert "Removed incidents" not in out and "Added incidents" not in out


def test_base_changes_and_markdown_in_the_data_is_escaped(repo, capsys):
    edit(repo, "data/bases.yaml", "name: Camp Victory", "name: Camp *Victory* | Baghdad")
    edit(repo, SAMPLE, "perpetrator: Iran-backed groups", "perpetrator: '<b>[x](y)</b> `z`'")
    out = diff(capsys, repo, "HEAD")[1]
    assert "Incidents: 1 changed. Bases: 1 changed.\n" in out
    assert "  - `perpetrator`: Iran-backed groups → \\<b\\>\\[x\\](y)\\</b\\> \\`z\\`\n" in out
    assert (
        "### Changed bases (1)\n\n- **Camp \\*Victory\\* \\| Baghdad**: `camp-victory`\n"
        "  - `name`: Camp Victory → Camp \\*Victory\\* \\| Baghdad\n"
    ) in out


def test_a_ref_with_invalid_data_is_named_with_its_problems(repo, capsys):
    edit(repo, LONELY, "kind: attack", "kind: attak")
    commit(repo, "typo")
    code, out, err = diff(capsys, repo, "HEAD~1", "HEAD")
    assert (code, out) == (1, "")
    short = git(repo.root, "rev-parse", "--short=7", "HEAD")
    assert err.splitlines() == [
        f"The data in HEAD ({short}) has 1 problem, so it cannot be compared:",
        f"{LONELY}:4:7: kind: 'attak' is not allowed; did you mean 'attack'? Use one of: "
        "attack, strike",
        "Fix them first: `make validate` lists them for the files you have.",
    ]


def test_a_ref_without_data_counts_as_empty(repo, capsys):
    git(repo.root, "checkout", "-q", "--orphan", "empty")
    git(repo.root, "rm", "-rq", "--cached", ".")
    git(repo.root, "commit", "-q", "--allow-empty", "-m", "empty")
    out = diff(capsys, repo, "empty", "main")[1]
    assert "`empty` (" in out and "has no `data/bases.yaml`, so it counts as having no data." in out
    assert "Incidents: 17 added. Bases: 6 added.\n" in out
    assert "- Incidents: 0 → 17 (+17)\n" in out


def test_an_unknown_ref_is_named(repo, capsys):
    assert diff(capsys, repo, "no-such-branch") == (
        1,
        "",
        "'no-such-branch' is not a commit, branch or tag in this repository; check the name "
        "(`git log --oneline` lists commits; a remote branch may need `git fetch` first)\n",
    )


def test_outside_a_git_repository(project, capsys):
    code, out, err = diff(capsys, project, "main")
    assert (code, out) == (1, "")
    assert (
        err == f"{project.root} is not in a git repository; `diff` compares two versions of one\n"
    )


def test_a_project_in_a_subfolder_of_the_repository(tmp_path, repo, capsys):
    outer = tmp_path / "outer"
    project = copy_project(outer / "site")
    git(outer, "init", "-q", "-b", "main")
    commit(project, "sample")
    write_incident(project, NEW)
    out = diff(capsys, project, "main")[1]
    assert "Incidents: 1 added.\n" in out
    assert "`data/incidents/2022/2022-08-30-green-village-rockets.yaml`" in out


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("short", "text", ("short", "text")),
        (None, "x", ("(not set)", "x")),
        ("x", None, ("x", "(not set)")),
        (None, "word " * 30, ("(not set)", ("word " * 15).strip() + " …")),
        (
            " ".join(f"w{n}" for n in range(40)),
            " ".join(f"w{n}" if n != 20 else "CHANGED" for n in range(40)),
            (
                "… w16 w17 w18 w19 w20 w21 w22 w23 w24 …",
                "… w16 w17 w18 w19 CHANGED w21 w22 w23 w24 …",
            ),
        ),
    ],
)
def test_long_text_is_shown_around_the_change(old, new, expected):
    assert shorten(old, new) == expected
