"""The GitHub Actions workflows: linted, least privilege, and only the make targets a person runs.

The linter is zizmor (a binary wheel from PyPI, like ruff), run offline with
`.github/zizmor.yml`. It checks each workflow against GitHub's workflow schema and audits it
for known dangers: untrusted input in scripts, `pull_request_target`, credentials left in
the checkout, unpinned third-party actions, excessive permissions.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

ZIZMOR = Path(sys.executable).parent / "zizmor"
WORKFLOWS = ROOT / ".github" / "workflows"
MAKE_TARGETS = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.M))
# The only run steps that are not make targets: installing git before the checkout (so it
# has history for `make diff`) and .ci/setup, which installs what pip cannot.
SETUP_STEPS = {
    "apt-get update -qq && apt-get install -y -qq git ca-certificates >/dev/null",
    ".ci/setup",
    ".ci/setup --browser",
}


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(ZIZMOR), "--offline", "--strict-collection", "--no-progress",
            "--config", str(ROOT / ".github" / "zizmor.yml"), *map(str, paths),
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip


ALL = sorted(p.name for p in WORKFLOWS.glob("*.y*ml"))


def test_the_workflows_are_ci_and_pages():
    assert ALL == ["ci.yml", "pages.yml"]


def test_the_linter_passes_the_workflows():
    run = zizmor(WORKFLOWS)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_linter_catches_a_dangerous_workflow(tmp_path):
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: bad\n"
        "on: pull_request_target\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
    )
    run = zizmor(bad)
    assert run.returncode != 0
    for audit in ("dangerous-triggers", "template-injection", "artipacked"):
        assert audit in run.stdout, run.stdout


def test_the_linter_refuses_a_workflow_that_does_not_fit_the_schema(tmp_path):
    bad = tmp_path / ".github" / "workflows" / "typo.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: typo\non: push\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        "    stepz:\n      - run: make test\n"
    )
    run = zizmor(bad)
    assert run.returncode != 0
    assert "does not match expected validation schema" in run.stdout + run.stderr


@pytest.mark.parametrize("name", ALL)
def test_run_steps_are_make_targets_a_person_runs(name):
    for step in steps(load(name)):
        if "run" not in step:
            continue
        command = step["run"].strip()
        if command in SETUP_STEPS:
            continue
        words = shlex.split(command)
        assert words[0] == "make", f"{name}: {command!r} is not a make target"
        assert words[1] in MAKE_TARGETS, f"{name}: no `make {words[1]}` in the Makefile"
        rest = words[2:]
        if rest[-2:] == [">>", "$GITHUB_STEP_SUMMARY"]:
            rest = rest[:-2]
        assert all(re.fullmatch(r"[A-Z_]+=\S+", w) for w in rest), f"{name}: {command!r}"


@pytest.mark.parametrize("name", ALL)
def test_no_workflow_builds_contributed_code_with_a_write_token(name):
    code = [
        line.split(" #")[0]
        for line in (WORKFLOWS / name).read_text().splitlines()
        if not line.lstrip().startswith("#")
    ]
    workflow = load(name)
    assert not [line for line in code if "pull_request_target" in line]
    assert "workflow_run" not in triggers(workflow)
    assert workflow["permissions"] == {"contents": "read"}
    for step in steps(workflow):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_ci_validates_tests_builds_diffs_and_uploads_the_site():
    ci = load("ci.yml")
    assert set(triggers(ci)) == {"push", "pull_request"}
    assert ci["concurrency"]["cancel-in-progress"] is True
    runs = [s["run"] for s in steps(ci) if "run" in s]
    assert runs[-4:] == [
        "make validate",
        "make test",
        "make site",
        'make diff BASE=HEAD^1 >> "$GITHUB_STEP_SUMMARY"',
    ]
    checkout = next(s for s in steps(ci) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 2  # HEAD^1 is the base of the pull request
    upload = next(s for s in steps(ci) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_pages_deploys_from_the_default_branch_with_least_privilege():
    pages = load("pages.yml")
    assert triggers(pages) == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    assert build["if"] == "github.ref_name == github.event.repository.default_branch"
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "build"
    uses = [s["uses"].split("@")[0] for s in steps(pages) if "uses" in s]
    assert uses == [
        "actions/checkout",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    site = next(s for s in build["steps"] if s.get("run") == "make site")
    assert site["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"


def test_ci_run_is_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    assert script.rstrip().endswith("make test")
