"""Property-based tests: whatever a contributor writes, the loader and validator end in a
dataset or a list of problems, never an uncaught exception; and whatever validates, renders.
"""

from __future__ import annotations

import datetime as dt
import os
import string

import pytest
import yaml
from conftest import GOOD, TODAY, copy_project
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.build import generate
from generator.errors import DataError
from generator.text import clean
from generator.validate import load_dataset
from generator.wording import incident_date, page_titles

FILE = "2022/2022-08-15-green-village-rockets.yaml"
PATH = f"data/incidents/{FILE}"
# `make test` runs the default profile; HYPOTHESIS_PROFILE=thorough runs 20 times as many.
settings.register_profile("default", max_examples=300)
settings.register_profile("thorough", max_examples=6000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("props") / "project", data=False)


def check(project, data: bytes):
    """Write one incident file; the validator must return a dataset or list problems."""
    path = project.incidents_dir / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        dataset = load_dataset(project, as_of=TODAY)
        event("valid")
        return dataset
    except DataError as e:
        event("problems listed")
        assert e.problems, "a DataError must list at least one problem"
        for p in e.problems:
            assert p.path == PATH
            assert p.line >= 1 and p.col >= 1
            assert p.field and p.message
        assert str(e).endswith("nothing was written.")
        return None


# Values a YAML file can hold, including the awkward ones.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(
        [
            "attack",
            "strike",
            "green-village",
            "2022-08-15",
            "2022-02-30",
            "javascript:alert(1)",
            "https://example.com",
            "rocket",
            "NO",
            "~",
            "",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=12), inner, max_size=4),
    ),
    max_leaves=12,
)
EXTRA_KEYS = [
    "casualties",
    "lat",
    "lon",
    "related",
    "responds_to",
    "projectiles",
    "intercepted",
    "date_precision",
    "tags",
    "sources",
    "wepon",
    "x",
]
keys = st.sampled_from([*sorted(yaml.safe_load(GOOD)), *EXTRA_KEYS])


@SETTINGS
@given(changes=st.dictionaries(keys, values, max_size=4), removed=st.sets(keys, max_size=3))
def test_mutated_records_end_in_a_dataset_or_problems(project, changes, removed):
    record = yaml.safe_load(GOOD)
    for key in removed:
        record.pop(key, None)
    record.update(changes)
    try:
        text = yaml.safe_dump(record, allow_unicode=True)
    except (yaml.YAMLError, ValueError):
        return  # not representable as YAML at all: nothing a contributor could write
    check(project, text.encode())


@SETTINGS
@given(data=st.data())
def test_edited_text_ends_in_a_dataset_or_problems(project, data):
    """Random edits to the text of a good file: typos, stray characters, cut lines."""
    text = GOOD
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = data.draw(st.text(alphabet=string.printable + "\t\x00\u202e\ufeff€’", max_size=6))
        text = text[:at] + insert + text[at + cut :]
    check(project, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(data=st.binary(max_size=300))
def test_random_bytes_end_in_problems(project, data):
    assert check(project, data) is None  # once found b"~": a file silently dropped


@pytest.mark.slow  # each example renders the whole site in memory
@settings(SETTINGS, max_examples=100)
@given(
    title=st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=60),
    summary=st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=200),
    precision=st.sampled_from(["day", "week", "month"]),
    kind=st.sampled_from(["attack", "strike"]),
    projectiles=st.none() | st.integers(0, 50),
)
def test_whatever_validates_renders_and_passes_the_audit(
    project, title, summary, precision, kind, projectiles
):
    record = yaml.safe_load(GOOD)
    record.update(title=title, summary=summary, date_precision=precision, kind=kind)
    if kind == "strike":
        record["location"] = title
    if projectiles is not None:
        record["projectiles"] = projectiles
    dataset = check(project, yaml.safe_dump(record, allow_unicode=True).encode())
    if dataset is not None:
        outputs = generate(project, as_of=TODAY).outputs  # includes the audit
        page = outputs["incidents/2022-08-15-green-village-rockets.md"].decode()
        front_matter, skeleton = page.removeprefix("---\n").split("---\n", 1)
        meta = yaml.safe_load(front_matter)  # the title and description stay YAML strings
        incident = dataset.incident_by_id["2022-08-15-green-village-rockets"]
        assert meta["title"] == clean(page_titles(dataset)[incident.id])
        assert meta["description"].startswith(incident_date(incident, short=False))
        assert "\n# " in skeleton
