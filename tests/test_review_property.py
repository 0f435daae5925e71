"""The review's promise, as a property: whatever a pull request changes in a data file
(any field of an incident, bases.yaml, actors.yaml or dataset.yaml) or in a hand-written
page, either the validator refuses it, or the review is not empty whenever the built site
(its HTML and its downloads) changes.

The site is built with the real `mkdocs build --strict`, before and after. A second test
shows that the property would have caught the review as it was (a list of record and base
fields): renaming an actor changed five pages while that review said "no changes".
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess

import pytest
import yaml
from conftest import TODAY, copy_project
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.errors import BuildError, DataError
from generator.project import Project
from generator.tools.review import review
from generator.validate import load_dataset

pytestmark = pytest.mark.slow

PUBLISHED = (".html", ".json", ".csv", ".geojson", ".xml", ".bib")
EPOCH = "1767225600"  # 2026-01-01, the tests' "today"


def git(root, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def published(project: Project) -> dict[str, str]:
    """The built site's pages and downloads, as digests (the search index included)."""
    site = project.site_dir
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix in PUBLISHED
    }


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The sample project in a git repository, built once."""
    env = {
        "GIT_AUTHOR_NAME": "Analyst",
        "GIT_AUTHOR_EMAIL": "analyst@example.org",
        "GIT_COMMITTER_NAME": "Analyst",
        "GIT_COMMITTER_EMAIL": "analyst@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "SOURCE_DATE_EPOCH": EPOCH,
        "SITE_URL": "http://127.0.0.1:8000/",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    project = copy_project(tmp_path_factory.mktemp("property") / "repo")
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "base")
    # Every build here is of an edited folder, the base's too, so the version line reads
    # "… with local changes" before and after a mutation: only what the mutation changes
    # can change the site. (The review itself compares commits, with fixed versions.)
    project.info_file.write_text(project.info_file.read_text() + "# edited locally\n")
    build(project)
    yield project, published(project)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _files(project: Project) -> list[str]:
    data = project.data_dir
    yamls = [p for p in sorted(data.rglob("*.yaml"))]
    return [p.relative_to(project.root).as_posix() for p in yamls] + ["docs/about.md"]


def _paths(value, prefix=()):
    """Every place in a YAML value a pull request could edit (keys and list entries)."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _paths(v, (*prefix, n))


def _set(value, path, new):
    if not path:
        return new
    head, *rest = path
    if isinstance(value, dict):
        copy = dict(value)
        if new is _DELETE and not rest:
            copy.pop(head, None)
        else:
            copy[head] = _set(value[head], rest, new)
        return copy
    copy = list(value)
    if new is _DELETE and not rest:
        del copy[head]
    else:
        copy[head] = _set(value[head], rest, new)
    return copy


_DELETE = object()
WORDS = st.text(alphabet="abcdefghij ASG-'é<>&\"", min_size=1, max_size=12)
VALUES = st.one_of(
    WORDS,
    st.integers(min_value=0, max_value=120),
    st.sampled_from(["attack", "strike", "confirmed", "claimed", "drone", "Iraq", "Jordan"]),
    st.lists(WORDS, min_size=1, max_size=2),
    st.just(_DELETE),
)


def _edit_page(text: str, data) -> str:
    """A hand-written page edited as a pull request could: words added at its end, a word
    of its text replaced (in a heading, a list, a paragraph or a link), or front matter
    added (a title, a description, a template to render it with)."""
    words = data.draw(WORDS, label="words")
    how = data.draw(st.sampled_from(["append", "replace", "front matter"]), label="how")
    if how == "append":
        return text + "\n" + words + "\n"
    if how == "replace":
        found = [m.span() for m in re.finditer(r"[A-Za-z]{3,}", text)]
        start, end = data.draw(st.sampled_from(found), label="word")
        return text[:start] + words + text[end:]
    key = data.draw(st.sampled_from(["title", "description", "template", "hide"]), label="key")
    return f"---\n{key}: {yaml.safe_dump(words).splitlines()[0]}\n---\n{text}"


def review_says_nothing(project: Project) -> bool:
    done = review(project, "HEAD", as_of=TODAY)
    return not done.site_changes and all(
        f.changes is not None and f.changes.empty for f in done.folders
    )


def site_changed(project: Project, before: dict[str, str]) -> bool:
    build(project)
    return published(project) != before


@settings(
    max_examples=int(os.environ.get("REVIEW_PROPERTY_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_change_that_alters_the_site_never_has_an_empty_review(base, tmp_path_factory, data):
    project, before = base
    work = Project(tmp_path_factory.mktemp("mutant") / "repo")
    shutil.copytree(project.root, work.root, symlinks=True)
    name = data.draw(st.sampled_from(_files(work)), label="file")
    path = work.root / name
    if name.endswith(".md"):
        path.write_text(_edit_page(path.read_text(), data))
    else:
        value = yaml.safe_load(path.read_text())
        where = data.draw(st.sampled_from(list(_paths(value))[1:]), label="where")
        new = data.draw(VALUES, label="value")
        path.write_text(yaml.safe_dump(_set(value, where, new), allow_unicode=True))
    try:
        load_dataset(work, as_of=TODAY)
    except DataError:
        event("refused by the validator")
        return  # refused: nothing reaches the site
    try:
        changed = site_changed(work, before)
    except BuildError:  # `mkdocs build --strict` refused it (a link the edit broke)
        event("refused by the build")
        return  # CI's build fails: nothing is published
    if changed:
        event("the site changed")
        assert not review_says_nothing(work), f"{name}: the site changed, the review is empty"
    else:
        event("the site did not change")


def test_the_property_would_have_caught_the_review_by_fields(base, tmp_path_factory):
    """The review as it was compared records and bases by their fields; renaming the
    actor behind five incidents changed the site and that review said nothing. The
    property's check flags exactly that."""
    project, before = base
    work = Project(tmp_path_factory.mktemp("actor") / "repo")
    shutil.copytree(project.root, work.root, symlinks=True)
    actors = work.actors_file
    actors.write_text(actors.read_text().replace("name: Iran-backed groups", "name: ISIS"))
    old = load_dataset(project, as_of=TODAY)
    new = load_dataset(work, as_of=TODAY)
    by_fields_empty = old.incidents == new.incidents and old.bases == new.bases
    assert by_fields_empty  # what that review compared did not change…
    assert site_changed(work, before)  # …yet the site did: the property fails for it
    assert not review_says_nothing(work)  # and today's review says so


def test_a_change_that_alters_nothing_on_the_site_is_not_taken_for_one(base, tmp_path_factory):
    """Hypothesis found it: dropping a dataset title equal to the default changes nothing
    the site says, yet the uncommitted edit changed every page's version line, so the
    property's "the site changed" was only the build's own label."""
    project, before = base
    work = Project(tmp_path_factory.mktemp("title") / "repo")
    shutil.copytree(project.root, work.root, symlinks=True)
    info = yaml.safe_load(work.info_file.read_text())
    assert info.pop("title") == "Attacks on US forces in Iraq and Syria"  # the default
    work.info_file.write_text(yaml.safe_dump(info, allow_unicode=True))
    load_dataset(work, as_of=TODAY)
    assert not site_changed(work, before)
    assert review_says_nothing(work)
