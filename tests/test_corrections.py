"""The corrections log (/corrections/, corrections.xml), made from git's history, on real
temporary git repositories: each record's publication, its corrections field by field with
the commit's reason, ids corrected, formatting left out, removals, and honest about a
shallow history or none at all.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import feedparser
import pytest
from conftest import TODAY, copy_project

from generator.build import generate
from generator.history import read_history
from generator.project import Project
from generator.validate import load_dataset

RECORD = "2022-08-24-conoco-rockets"
FILE = f"data/incidents/2022/{RECORD}.yaml"
OTHER = "2022-01-03-camp-victory-drones"
OTHER_FILE = f"data/incidents/2022/{OTHER}.yaml"


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    run = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return run.stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Project:
    """The sample project in a git repository: its first commit publishes every record
    on 1 March 2025."""
    for name, value in {
        "GIT_AUTHOR_NAME": "Analyst",
        "GIT_AUTHOR_EMAIL": "analyst@example.org",
        "GIT_COMMITTER_NAME": "Analyst",
        "GIT_COMMITTER_EMAIL": "analyst@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SITE_URL", raising=False)
    project = copy_project(tmp_path / "repo")
    git(project.root, "init", "-q", "-b", "main")
    commit(project, "The sample data", "2025-03-01")
    return project


def commit(project: Project, message: str, day: str) -> str:
    when = {"GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z"}
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--allow-empty", "-m", message, env=when)
    return git(project.root, "rev-parse", "--short=7", "HEAD")


def edit(project: Project, path: str, old: str, new: str) -> None:
    file = project.root / path
    text = file.read_text()
    assert old in text, f"{old!r} is not in {path}"
    file.write_text(text.replace(old, new))


def append(project: Project, path: str, text: str) -> None:
    file = project.root / path
    file.write_text(file.read_text() + text)


def history(project: Project):
    return read_history(project, load_dataset(project, as_of=TODAY))


def outputs(project: Project) -> dict[str, str]:
    return {k: v.decode() for k, v in generate(project, as_of=TODAY).outputs.items()}


def log_entries(page: str) -> list[str]:
    """The entries of the corrections page, each as its HTML."""
    return [part.split("\n</li>")[0] for part in page.split('<li class="correction" ')[1:]]


def test_a_record_edited_twice_shows_two_corrections_with_before_and_after(repo):
    edit(repo, FILE, "status: reported", "status: confirmed")
    first = commit(repo, "Conoco: confirmed by CENTCOM's statement", "2025-03-10")
    append(repo, FILE, "damage: A storage tank was hit.\n")
    second = commit(repo, "Conoco: the damage, as the Pentagon said on 26 August", "2025-04-02")

    past = history(repo).of(RECORD)
    assert past.published is not None and past.published.date.isoformat() == "2025-03-01"
    assert [(c.commit.short, [x.text for x in c.changes]) for c in past.corrections] == [
        (first, ["status: reported → confirmed"]),
        (second, ["damage: (not set) → A storage tank was hit."]),
    ]

    out = outputs(repo)
    page = out["corrections.md"]
    entries = log_entries(page)
    assert len(entries) == 2  # nothing else was corrected
    newest, oldest = entries
    assert newest.startswith(f'id="{RECORD}-{second}">')
    assert '<time datetime="2025-04-02">2 April 2025</time>' in newest
    assert f'<a href="../incidents/{RECORD}/">Rocket attack on Conoco gas field</a>' in newest
    assert (
        '<li>Damage: <span class="correction__old">not recorded</span> → '
        '<span class="correction__new">A storage tank was hit.</span></li>'
    ) in newest
    assert (
        "Reason: Conoco: the damage, as the Pentagon said on 26 August "
        f"(commit <code>{second}</code>)"
    ) in newest
    assert "<li>Status: <span" in oldest and "Reason: Conoco: confirmed by CENTCOM&#39;s" in oldest
    assert "2 corrections to 1 record are listed, from the whole history of the data" in page

    record = out[f"incidents/{RECORD}.md"]
    assert "<li>Published on 1 March 2025.</li>" in record
    assert (
        f'<li>Corrected on <a href="../../corrections/#{RECORD}-{second}">2 April 2025</a> and '
        f'<a href="../../corrections/#{RECORD}-{first}">10 March 2025</a>: what changed'
    ) in record
    assert "Published on 1 March 2025" in out[f"incidents/{OTHER}.md"]
    assert "Corrected on" not in out[f"incidents/{OTHER}.md"]


def test_readers_see_the_sites_names_for_fields_and_values(repo, monkeypatch):
    """The log and the feed say a change as record pages say the record: field labels,
    actors and bases by name, a vocabulary's labels, dates in words; git's history (and the
    review) keep the names the record file uses."""
    edit(repo, FILE, "status: reported", "status: confirmed")
    edit(
        repo,
        FILE,
        "perpetrator: syrian-government-or-iran-backed-forces",
        "perpetrator: iran-backed-groups",
    )
    edit(repo, FILE, "tags: [iran-backed-groups]", "tags: [iran-backed-groups, gas-field]")
    edit(repo, FILE, "published: 2022-08-24", "published: 2022-08-25")
    append(repo, FILE, "casualties:\n  us:\n    injured: 2\n")
    first = commit(repo, "Conoco: CENTCOM's statement", "2025-03-10")
    (change,) = history(repo).of(RECORD).corrections
    raw = [c.text for c in change.changes]
    assert "perpetrator: syrian-government-or-iran-backed-forces → iran-backed-groups" in raw
    assert "status: reported → confirmed" in raw

    monkeypatch.setenv("SITE_URL", "https://data.example.org/")
    out = outputs(repo)
    (entry,) = log_entries(out["corrections.md"])
    shown = [
        " ".join(re.sub(r"<[^>]+>", "", li).split())
        for li in re.findall(r"<li>(.*?)</li>", entry.split('class="correction__changes">')[1])
    ]
    assert shown == [
        "Status: Reported → Officially confirmed",
        "Perpetrator: Syrian pro-government or Iran-backed forces (unresolved) → "
        "Iran-backed groups",
        "Casualties: US forces, injured: not stated → 2",
        "Tags: Iran-backed groups → Iran-backed groups, Gas field",
        "Source 1: published: 24 August 2022 → 25 August 2022",
    ]
    assert "<code>status</code>" not in entry and "iran-backed-groups →" not in entry
    feed = feedparser.parse(out["corrections.xml"])
    assert feed.entries[0].summary == (
        "Changed: " + " | ".join(shown) + f". Reason: Conoco: CENTCOM's statement ({first})."
    )


def test_a_corrected_id_stays_one_record(repo):
    """The id corrected the documented way (a new file name, the old id in previous_ids):
    one record, whose history goes on from the old file's."""
    new_id = "2022-01-03-baghdad-airport-drones"
    new_file = f"data/incidents/2022/{new_id}.yaml"
    append(repo, OTHER_FILE, "damage: None reported.\n")
    commit(repo, "Camp Victory: no damage", "2025-03-05")
    text = (repo.root / OTHER_FILE).read_text().replace(f"id: {OTHER}", f"id: {new_id}")
    (repo.root / OTHER_FILE).unlink()
    (repo.root / new_file).write_text(text + f"previous_ids: [{OTHER}]\n")
    renamed = commit(repo, "Camp Victory: the id names the airport", "2025-03-20")

    h = history(repo)
    assert OTHER not in h.records
    past = h.of(new_id)
    assert past.published is not None and past.published.date.isoformat() == "2025-03-01"
    assert [x.text for c in past.corrections for x in c.changes] == [
        "damage: (not set) → None reported.",
        f"id: {OTHER} → {new_id}",
    ]
    assert not [c for c in h.log if c.removed]  # the old file is not a removed record
    page = outputs(repo)["corrections.md"]
    assert f'id="{new_id}-{renamed}"' in page and "Removed" not in page


def test_an_id_corrected_in_two_commits_is_still_one_record(repo):
    """The old file deleted in one commit and the record added under its new id later."""
    new_id = "2022-01-03-victory-base-drones"
    text = (repo.root / OTHER_FILE).read_text().replace(f"id: {OTHER}", f"id: {new_id}")
    (repo.root / OTHER_FILE).unlink()
    commit(repo, "Remove the Camp Victory record for now", "2025-03-05")
    path = repo.root / f"data/incidents/2022/{new_id}.yaml"
    path.write_text(text + f"previous_ids: [{OTHER}]\n")
    commit(repo, "Camp Victory under its corrected id", "2025-03-06")
    h = history(repo)
    assert h.of(new_id).published.date.isoformat() == "2025-03-01"
    assert [c.record for c in h.log] == [new_id]


def test_a_change_of_formatting_only_is_not_a_correction(repo):
    edit(repo, FILE, "kind: attack\n", '# Reviewed against the source.\nkind: "attack"\n')
    edit(repo, FILE, "tags: [iran-backed-groups]\n", "")
    edit(repo, FILE, "id: ", "tags:\n  - iran-backed-groups\nid: ")  # moved, as a block list
    edit(repo, FILE, "status: reported", "status: 'reported'")
    edit(  # the summary's lines wrapped elsewhere: the same text once read
        repo,
        OTHER_FILE,
        "Drones attacked US forces at Camp Victory, next to Baghdad airport. It happened in a\n",
        "Drones attacked US forces at Camp Victory,\n  next to Baghdad airport. It happened in a\n",
    )
    commit(repo, "Tidy two files", "2025-03-10")
    h = history(repo)
    assert h.log == ()
    assert h.of(RECORD).corrections == ()
    assert h.changed[FILE].isoformat() == "2025-03-10"  # the file did change
    assert "No published record has been corrected or removed" in outputs(repo)["corrections.md"]


def test_a_removed_record_is_listed_as_removed(repo):
    (repo.root / OTHER_FILE).unlink()
    removed = commit(repo, "Camp Victory: a duplicate of the 3 January report", "2025-05-01")
    page = outputs(repo)["corrections.md"]
    (entry,) = log_entries(page)
    assert entry.startswith(f'id="{OTHER}-{removed}">')
    assert f"Removed: the record <code>{OTHER}</code>" in entry
    assert "Reason: Camp Victory: a duplicate of the 3 January report" in entry
    assert "and 1 record removed" in page


def test_a_version_that_was_never_valid_is_skipped(repo):
    edit(repo, FILE, "status: reported", "status: reportd")
    commit(repo, "A typo", "2025-03-10")
    edit(repo, FILE, "status: reportd", "status: confirmed")
    fixed = commit(repo, "Conoco confirmed", "2025-03-11")
    (correction,) = history(repo).of(RECORD).corrections
    assert correction.commit.short == fixed
    assert [x.text for x in correction.changes] == ["status: reported → confirmed"]


def test_commit_messages_are_shown_as_text(repo):
    edit(repo, FILE, "status: reported", "status: confirmed")
    subject = "<script>window.__xss=1</script> \u202eevil <!--html 0--> & more"
    fixed = commit(repo, subject + "\n\nThe body is not shown.", "2025-03-10")
    out = outputs(repo)
    (entry,) = log_entries(out["corrections.md"])
    assert (
        "Reason: &lt;script&gt;window.__xss=1&lt;/script&gt; \\u202eevil &lt;!--html 0--&gt; "
        f"&amp; more (commit <code>{fixed}</code>)"
    ) in entry
    assert "body" not in entry
    feed = feedparser.parse(out["corrections.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    (item,) = feed.entries
    assert "<script>window.__xss=1</script> \\u202eevil" in item.summary  # text, not markup
    assert "<script>" not in out["corrections.xml"]


def test_the_feed_lists_the_corrections_newest_first(repo, monkeypatch):
    edit(repo, FILE, "status: reported", "status: confirmed")
    first = commit(repo, "Conoco confirmed", "2025-03-10")
    edit(repo, OTHER_FILE, "status: reported", "status: claimed")
    second = commit(repo, "Camp Victory claimed", "2025-03-12")
    monkeypatch.setenv("SITE_URL", "https://data.example.org/")
    feed = feedparser.parse(outputs(repo)["corrections.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.link == "https://data.example.org/corrections/"
    assert [(e.title, e.link, e.id, e.updated[:10]) for e in feed.entries] == [
        (
            "Corrected: Drone attack on Camp Victory",
            f"https://data.example.org/incidents/{OTHER}/",
            f"https://data.example.org/corrections/#{OTHER}-{second}",
            "2025-03-12",
        ),
        (
            "Corrected: Rocket attack on Conoco gas field",
            f"https://data.example.org/incidents/{RECORD}/",
            f"https://data.example.org/corrections/#{RECORD}-{first}",
            "2025-03-10",
        ),
    ]
    assert feed.entries[1].summary == (
        f"Changed: Status: Reported → Officially confirmed. Reason: Conoco confirmed ({first})."
    )


def test_a_shallow_clone_says_its_history_is_incomplete(repo, tmp_path):
    edit(repo, FILE, "status: reported", "status: confirmed")
    commit(repo, "Conoco confirmed", "2025-03-10")
    append(repo, FILE, "damage: A storage tank was hit.\n")
    last = commit(repo, "Conoco: the damage", "2025-03-20")

    one = tmp_path / "depth-1"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(one))
    shallow = Project(one)
    h = history(shallow)
    assert (h.state, h.log, h.since.isoformat()) == ("shallow", (), "2025-03-20")
    assert h.of(RECORD).published is None  # it was there before the history starts
    page = outputs(shallow)["corrections.md"]
    assert "The history is incomplete" in page and "starts on 20 March 2025" in page
    assert (
        "No published record has been corrected or removed in the history this copy holds" in page
    )
    assert log_entries(page) == []
    assert "Published on" not in outputs(shallow)[f"incidents/{RECORD}.md"]

    two = tmp_path / "depth-2"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo.root}", str(two))
    h = history(Project(two))
    assert h.state == "shallow"
    assert [(c.commit.short, [x.text for x in c.changes]) for c in h.log] == [
        (last, ["damage: (not set) → A storage tank was hit."])  # what it proves, no more
    ]


def test_without_git_there_is_no_history(project):
    assert history(project).state == "none"
    out = outputs(project)
    assert "No history in this copy of the site" in out["corrections.md"]
    assert log_entries(out["corrections.md"]) == []
    feed = feedparser.parse(out["corrections.xml"])
    assert feed.bozo == 0 and feed.entries == []


def test_the_log_is_the_same_bytes_for_the_same_repository(repo):
    edit(repo, FILE, "status: reported", "status: confirmed")
    commit(repo, "Conoco confirmed", "2025-03-10")
    a = outputs(repo)
    b = outputs(repo)
    assert a["corrections.md"] == b["corrections.md"]
    assert a["corrections.xml"] == b["corrections.xml"]


def test_corrections_on_one_day_are_one_date_on_the_record_page(repo):
    edit(repo, FILE, "status: reported", "status: claimed")
    commit(repo, "Conoco claimed", "2025-03-10")
    edit(repo, FILE, "status: claimed", "status: confirmed")
    later = commit(repo, "Conoco confirmed", "2025-03-10")
    record = outputs(repo)[f"incidents/{RECORD}.md"]
    assert (
        f'<li>Corrected on <a href="../../corrections/#{RECORD}-{later}">10 March 2025</a> '
        "(2 corrections): what changed"
    ) in record


def test_the_previews_first_edit_rewrites_only_the_pages_that_show_it(repo):
    """The first edit in a git checkout makes data/ differ from its commit. The published
    label would then say "with local changes" on every page, and `make serve` would
    rebuild them all (12 s at 1,000 incidents); the preview's label says the same before and
    after, so the edit rewrites only the pages that show the record."""
    from generator.serve import regenerate

    regenerate(repo)
    docs = repo.docs_dir
    page = docs / "incidents" / "2022-01-03-camp-victory-drones.md"
    assert "and any changes not yet committed" in page.read_text("utf-8")
    for p in docs.rglob("*"):
        if p.is_file():
            os.utime(p, (1_000_000_000, 1_000_000_000))
    path = "data/incidents/2022/2022-01-03-camp-victory-drones.yaml"
    edit(repo, path, "summary: >-\n", "summary: >-\n  Edited.\n")
    regenerate(repo)
    written = {
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*")
        if p.is_file() and p.stat().st_mtime != 1_000_000_000
    }
    assert "incidents/2022-01-03-camp-victory-drones.md" in written
    assert "Edited." in page.read_text("utf-8")
    assert "index.md" not in written  # the overview names the version, not the summary
    assert len(written) <= 8, sorted(written)


@pytest.mark.slow
@pytest.mark.browser
def test_on_a_phone_a_reader_follows_a_correction_from_the_record_to_the_log(repo, browser):
    """Built with MkDocs from a repository with a history, read at 390 px in the dark
    palette: the record page's 'Corrected on' link lands on the entry, which says what
    changed and why, and nothing on the log scrolls sideways."""
    import threading

    from conftest import new_context
    from playwright.sync_api import expect
    from siteserver import server as site_server

    from generator.build import build

    edit(repo, FILE, "status: reported", "status: confirmed")
    reason = "Conoco: confirmed by CENTCOM's statement of 25 August, which names the base"
    first = commit(repo, reason, "2025-03-10")
    build(repo)
    served = site_server(str(repo.site_dir), 0)
    threading.Thread(target=served.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{served.server_address[1]}/"
    phone = {"width": 390, "height": 844}
    context = new_context(browser, viewport=phone, color_scheme="dark", is_mobile=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + f"incidents/{RECORD}/")
        page.get_by_role("link", name="10 March 2025").click()
        entry = page.locator(f'li.correction[id="{RECORD}-{first}"]')
        expect(entry).to_be_in_viewport()
        assert page.url.endswith(f"corrections/#{RECORD}-{first}")
        expect(entry.locator(".correction__changes")).to_have_text(
            "Status: Reported → Officially confirmed"
        )
        expect(entry.locator(".correction__reason")).to_contain_text(reason)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= phone["width"], f"the corrections log is {width}px wide"
        assert errors == []
    finally:
        context.close()
        served.shutdown()


def test_the_history_of_a_commit_is_read_from_git_once_a_process(repo, monkeypatch):
    """The preview builds again after every edit: the log of a commit already read, and
    the versions of records already read, are not asked of git again; a new commit is."""
    from generator import git as git_module
    from generator import history as history_module

    monkeypatch.setattr(history_module, "_LOGS", {})  # as a new process starts: nothing
    monkeypatch.setattr(history_module, "_VERSIONS", {})  # read yet (other tests read these)
    edit(repo, FILE, "status: reported", "status: confirmed")
    commit(repo, "Conoco: confirmed", "2025-03-10")
    asked: list[str] = []
    real_run = git_module.run

    def spy(root, *args, stdin=None):
        asked.append(" ".join(a for a in args if not a.startswith("-"))[:20])
        return real_run(root, *args, stdin=stdin)

    monkeypatch.setattr(git_module, "run", spy)
    first = history(repo)
    assert any(a.startswith("log") for a in asked) and any("cat-file" in a for a in asked)
    asked.clear()
    again = history(repo)
    assert again == first
    assert not [a for a in asked if a.startswith(("log", "cat-file"))], asked
    edit(repo, FILE, "weapon: rocket", "weapon: drone")
    third = commit(repo, "Conoco: drones, not rockets", "2025-04-02")
    assert [c.commit.short for c in history(repo).of(RECORD).corrections][-1] == third
