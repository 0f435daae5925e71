"""The README is the user's manual: its example must validate and its commands must exist."""

from __future__ import annotations

import re
import textwrap

from conftest import ROOT, problems

README = (ROOT / "README.md").read_text("utf-8")


def test_the_complete_example_in_the_readme_is_a_valid_incident(project):
    block = re.search(r"```yaml\n(.*?)```", README, re.S)
    assert block, "the README has no yaml example"
    example = textwrap.dedent(block.group(1))
    assert example.startswith("# yaml-language-server: $schema=../../incident.schema.json")
    target = project.incidents_dir / "2022" / "2022-08-15-green-village-rockets.yaml"
    target.write_text(example, "utf-8")  # replaces the sample record with the same id
    assert problems(project) == []


def test_every_make_target_in_the_readme_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    mentioned = set(re.findall(r"`make ([a-z-]+)`", README))
    assert mentioned, "the README mentions no make target"
    assert mentioned <= targets, f"README mentions missing targets: {mentioned - targets}"
