"""What a pull request could once change on the site while its review said "no changes":
each case reproduced as an attacker would, on a real git repository, and what happens now.

1. a dataset title with markup (the site's name, printed unescaped by the theme);
2. actors and dataset settings changed (the review compared a list of known fields);
3. a .gitattributes line that makes the checkout hold other bytes than the commit;
5. a crafted commit whose tree holds an entry named '..';
10. names that look alike: blank-looking letters, look-alike characters;
11. a CSV cell whose second line starts a formula.

(4, the CI summary, is tests/test_workflows.py; 6, an address taken over through
previous_ids, tests/test_review.py; 7 and 8, the drafter, tests/test_draft_security.py and
tests/test_new.py; 9, long chains, tests/test_validate.py and the benchmark.)
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import copy_project, problems

from generator.cli import main
from generator.escape import csv_cell
from generator.tools.review import ReviewError, review
from generator.tools.review.sides import export

LONELY = "data/incidents/2022/2022-01-03-camp-victory-drones.yaml"


def git(root, *args: str, stdin: bytes | None = None) -> str:
    run = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=True)
    return run.stdout.decode().strip()


@pytest.fixture
def repo(tmp_path, monkeypatch):
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


def commit(project, message: str) -> None:
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--allow-empty", "-m", message)


def review_of(capsys, project, *refs: str) -> tuple[int, str]:
    code = main(["--root", str(project.root), "diff", *refs])
    out, _ = capsys.readouterr()
    return code, out


# --- 1. the dataset's title becomes the site's name --------------------------------------


def test_1_a_title_with_markup_is_refused_and_a_changed_title_is_reviewed(repo, capsys):
    info = repo.info_file
    text = info.read_text()
    info.write_text(text.replace("title:", 'title: Attacks"><img src=x onerror=alert(1)>\n#'))
    assert problems(repo) == [
        "data/dataset.yaml:2:8: title: contains '\"', which the site's theme would read as "
        "markup (this text becomes the site's name on every page); leave double quotes and "
        "angle brackets out"
    ]
    info.write_text(text.replace("title:", "title: Attacks on US forces (corrected)\n#"))
    code, out = review_of(capsys, repo, "HEAD")
    assert code == 0 and "No change" not in out
    assert "#### Dataset settings (`dataset.yaml`)" in out
    assert "  - `title`: Attacks on US forces in Iraq and Syria → Attacks on US forces" in out
    assert "<details><summary>(the site&#39;s name): changed" in out


def test_1_markup_in_the_site_name_stops_the_build(tmp_path):
    """The last defence, should markup reach MkDocs' settings another way (mkdocs.yml)."""
    project = copy_project(tmp_path / "project")
    env = {**os.environ, "SITE_NAME": 'x"><script>alert(1)</script>'}
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode != 0
    assert "site_name contains '\"', which the theme would print as markup" in built.stderr


# --- 2. actors and settings ----------------------------------------------------------------


def test_2_renaming_an_actor_reparenting_one_and_adding_a_country_are_reviewed(repo, capsys):
    actors = repo.actors_file
    text = actors.read_text()
    assert "name: Iran-backed groups" in text
    text = text.replace("name: Iran-backed groups", "name: Islamic State (ISIS)")
    reparented = "  name: Syrian pro-government or Iran-backed forces (unresolved)\n"
    assert reparented in text
    actors.write_text(text.replace(reparented, reparented + "  parent: iran-backed-groups\n"))
    info = repo.info_file
    info.write_text(
        info.read_text().replace("countries: [Iraq, Syria]", "countries: [Iraq, Syria, Jordan]")
    )
    code, out = review_of(capsys, repo, "HEAD")
    assert code == 0
    assert "Actors: 2 changed. Dataset settings: 1 field changed." in out
    assert (
        "#### Changed actors (2)\n\n- **Islamic State (ISIS)**: `iran-backed-groups`\n"
        "  - `name`: Iran-backed groups → Islamic State (ISIS)\n"
    ) in out
    assert (
        "- **Syrian pro-government or Iran-backed forces (unresolved)**: "
        "`syrian-government-or-iran-backed-forces`\n  - `parent`: (not set) → iran-backed-groups\n"
    ) in out
    assert "  - `countries`: Iraq, Syria → Iraq, Syria, Jordan\n" in out
    assert "actors/iran-backed-groups.md: changed" in out  # and the pages it changes


# --- 3. bytes a checkout would convert -----------------------------------------------------


@pytest.mark.parametrize(
    "line", ["working-tree-encoding=SHIFT_JIS", "filter=lfs", "eol=crlf", "ident"]
)
def test_3_a_gitattributes_line_that_converts_data_on_checkout_is_refused(repo, capsys, line):
    (repo.root / ".gitattributes").write_text(f"data/incidents/**/*.yaml {line}\n")
    found = problems(repo)
    assert found and all(
        p.endswith(
            "file: a .gitattributes line sets "
            + (line if "=" in line else f"{line}=set")
            + " for this file, so a checkout writes other bytes than the commit holds and "
            "the site would be built from text no review saw; remove that line"
        )
        for p in found
    )
    assert len(found) == 17
    _, out = review_of(capsys, repo, "HEAD")  # it reads the bytes git holds; CI's check fails
    assert "> - `.gitattributes` (git attributes): added (file)" in out


def test_3_text_normalisation_alone_is_allowed(repo):
    (repo.root / ".gitattributes").write_text("* text=auto eol=lf\n")
    assert problems(repo) == []


# --- 5. tree entries git itself never writes -----------------------------------------------


def _crafted_commit(root, name: str) -> str:
    """A commit whose data/ tree holds an entry called ``name`` (a folder with one file)."""
    blob = git(root, "hash-object", "-w", "--stdin", stdin=b"pwned\n")
    inner = git(root, "mktree", stdin=f"100644 blob {blob}\tpwned.yaml\n".encode())
    head_tree = git(root, "rev-parse", "HEAD^{tree}")
    data = git(root, "rev-parse", "HEAD:data")
    listing = git(root, "ls-tree", data).splitlines()
    listing.append(f"040000 tree {inner}\t{name}")
    new_data = git(root, "mktree", stdin=("\n".join(listing) + "\n").encode())
    top = [ln for ln in git(root, "ls-tree", head_tree).splitlines() if not ln.endswith("\tdata")]
    top.append(f"040000 tree {new_data}\tdata")
    tree = git(root, "mktree", stdin=("\n".join(top) + "\n").encode())
    return git(root, "commit-tree", tree, "-p", "HEAD", "-m", "crafted")


@pytest.mark.parametrize("name", ["..", ".", ".git", "a\\..\\b"])
def test_5_a_crafted_tree_entry_is_refused_and_nothing_is_written_outside(repo, tmp_path, name):
    crafted = _crafted_commit(repo.root, name)
    scratch = tmp_path / "scratch" / "inner"
    scratch.mkdir(parents=True)
    with pytest.raises(ReviewError, match="which git itself never writes: a crafted commit"):
        export(repo.root, crafted, ["data"], scratch)
    assert not (tmp_path / "scratch" / "pwned.yaml").exists()
    assert not list(tmp_path.rglob("pwned.yaml"))
    with pytest.raises(ReviewError):
        review(repo, "HEAD", crafted)


def test_5_a_blob_too_large_is_refused_without_being_read(repo, tmp_path, monkeypatch):
    """A crafted commit's blob may compress to nothing and unpack to gigabytes: its size is
    read first, and its content never."""
    from generator import git as git_module
    from generator.tools.review import sides

    (repo.root / "data" / "big.yaml").write_text("# " + "x" * 300_000 + "\n")
    commit(repo, "a big file")
    big = git(repo.root, "rev-parse", "HEAD:data/big.yaml")
    read: list[str] = []
    real_run = git_module.run

    def spy(root, *args, stdin=None):
        if "--batch" in args and stdin:
            read.extend(stdin.decode().split())
        return real_run(root, *args, stdin=stdin)

    monkeypatch.setattr(git_module, "run", spy)
    monkeypatch.setattr(sides, "MAX_FILE_BYTES", 200_000)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with pytest.raises(ReviewError, match=r"data/big.yaml at .* is too large to review"):
        export(repo.root, git(repo.root, "rev-parse", "HEAD"), ["data"], scratch)
    assert big not in read
    assert git_module.blobs(repo.root, [big], 200_000) == [None] and big not in read


# --- 10. names that look alike ------------------------------------------------------------


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "Green Village\u3164",
            "contains U+3164 (HANGUL FILLER), which shows as nothing or as a blank; delete "
            "it: it makes the text look like another that is spelt differently",
        ),
        (
            "Green\u2800Village",
            "contains U+2800 (BRAILLE PATTERN BLANK), which shows as nothing or as a blank; "
            "delete it: it makes the text look like another that is spelt differently",
        ),
        (
            "Green\u00a0Village 2",
            "contains U+00A0 (NO-BREAK SPACE) where a name has a plain space; retype the space",
        ),
    ],
)
def test_10_blank_looking_letters_in_a_name_are_refused(empty_project, name, message):
    bases = empty_project.bases_file
    text = bases.read_text() + f'\n- id: second-village\n  name: "{name}"\n  country: Syria\n'
    bases.write_text(text)
    line = text.count("\n") - 1
    assert problems(empty_project) == [f"data/bases.yaml:{line}:9: [6].name: {message}"]


@pytest.mark.parametrize("alias", ["Ｇreen Village", "Green VilIage", "Green Vi11age"])
def test_10_two_bases_whose_names_look_alike_are_refused(empty_project, alias):
    bases = empty_project.bases_file
    text = bases.read_text() + f"\n- id: second-village\n  name: Second\n  aliases: [{alias}]\n"
    bases.write_text(text + "  country: Syria\n")
    found = problems(empty_project)
    assert len(found) == 1
    assert found[0].endswith(
        f"[6].aliases[0]: the name '{alias}' looks the same as 'Green Village' of base "
        "'green-village' (characters that look alike); names must look different"
    )


def test_10_two_actors_whose_names_look_alike_are_refused(empty_project):
    actors = empty_project.data_dir / "actors.yaml"
    actors.write_text(
        "- id: kataib-hezbollah\n  name: Kata'ib Hezbollah\n"
        "- id: other-group\n  name: Other\n  aliases: [Kata'ib HezboIlah]\n"
    )
    found = problems(empty_project)
    assert any(
        "[1].aliases[0]: the name" in p and "of actor 'kataib-hezbollah'" in p for p in found
    ), found


@pytest.mark.parametrize("code_point", ["\U00016fe4", "\ufff0", "\U000e0000", "\u2065"])
def test_10_every_default_ignorable_code_point_is_refused_in_a_name(empty_project, code_point):
    bases = empty_project.bases_file
    bases.write_text(
        bases.read_text() + f"\n- id: second-village\n  name: Second{code_point} Village\n"
        "  country: Syria\n"
    )
    found = problems(empty_project)
    assert len(found) == 1 and f"contains U+{ord(code_point):04X}" in found[0], found


def test_10_a_joiner_between_persian_letters_is_still_allowed(empty_project):
    bases = empty_project.bases_file
    bases.write_text(
        bases.read_text() + "\n- id: tall-base\n  name: بالا\u200cتر\n  country: Syria\n"
    )
    assert problems(empty_project) == []


# --- 11. formulas on a second line of a cell ------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    ['\n=HYPERLINK("https://evil.example","x")', "Note\r\n  @SUM(A1)", "a\u2028+1", "＝1+1", "\t1"],
)
def test_11_a_cell_any_of_whose_lines_starts_a_formula_is_protected(cell):
    assert csv_cell(cell) == "'" + cell


def test_11_numbers_and_plain_text_are_left_as_they_are():
    assert [csv_cell(v) for v in (-2, 3.5, "Plain text", "a-b", None)] == [
        -2,
        3.5,
        "Plain text",
        "a-b",
        "",
    ]


def test_3_a_gitattributes_line_that_converts_a_hand_written_page_is_refused(repo):
    (repo.root / ".gitattributes").write_text("docs/*.md working-tree-encoding=UTF-16\n")
    found = problems(repo)
    assert len(found) == 1 and found[0].startswith("docs/about.md:1:1: file: a .gitattributes")


def test_3_when_git_cannot_say_which_attributes_apply_the_build_stops(repo, monkeypatch):
    from generator import git as git_module

    real_run = git_module.run

    def failing(root, *args, stdin=None):
        if args and args[0] == "check-attr":
            raise git_module.GitError("git check-attr failed: fatal: bad config line 1")
        return real_run(root, *args, stdin=stdin)

    monkeypatch.setattr(git_module, "run", failing)
    assert problems(repo) == [
        "data:1:1: file: could not check which .gitattributes lines apply to the data (git "
        "check-attr failed: fatal: bad config line 1); a line that converts files on checkout "
        "would make the site differ from what the review saw, so the build stops: run `git "
        "check-attr -a` on a record to see why git fails"
    ]
