"""The Review workflow's part (``.github/workflows/review.yml``): a pull request reviewed by
the default branch's code, posted as the run's summary and as a comment.

It runs after CI in the base repository's context, where a token can comment; so it takes
nothing from the pull request but data. The pull request's number comes from an artifact
of the CI run, which the pull request's own code wrote: it is read as at most a few bytes
of JSON holding digits, and trusted only as far as GitHub confirms it: the pull request's
head, fetched as git objects, must be the commit that CI ran on (the workflow event says
which, and the event is GitHub's). Nothing of the head is checked out, installed or run.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from generator import git
from generator.project import Project

from . import Review, ReviewError, review
from .render import render

MARKER = "<!-- incident-tracker review -->"  # finds the comment to update
MAX_REQUEST_BYTES = 1024
MAX_COMMENT = 60_000  # GitHub refuses comments over 65,536 characters
MAX_SUMMARY = 900_000  # and job summaries over 1 MiB
TIMEOUT = 30


@dataclass(frozen=True)
class Posted:
    summary: str  # what went into the job summary
    comment: str  # what the comment says ('' when none was posted)


def read_request(path: Path) -> int:
    """The pull request's number from the CI run's artifact, checked like any input."""
    try:
        data = path.read_bytes()[: MAX_REQUEST_BYTES + 1]
    except OSError as e:
        raise ReviewError(f"the review request cannot be read: {e.strerror}") from None
    if len(data) > MAX_REQUEST_BYTES:
        raise ReviewError("the review request is larger than a pull request's number can be")
    try:
        number = json.loads(data.decode("ascii"))["number"]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise ReviewError('the review request is not {"number": N}') from None
    if not isinstance(number, int) or isinstance(number, bool) or not 0 < number < 10**9:
        raise ReviewError("the review request does not hold a pull request's number")
    return number


def fetch_head(root: Path, number: int, expected: str) -> str:
    """Fetch the pull request's head as git objects (no checkout) and return it, if it is
    the commit CI ran on; else ReviewError (the pull request moved on, or the number named
    another one)."""
    if not (len(expected) == 40 and all(c in "0123456789abcdef" for c in expected)):
        raise ReviewError("the commit CI ran on is not a commit id")
    ref = f"refs/review/pull/{number}"
    args = ["fetch", "--no-tags", "--quiet", "origin", f"+refs/pull/{number}/head:{ref}"]
    token = os.environ.get("GH_TOKEN", "")
    if token:  # for private repositories; the header lives in this one command
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        args = ["-c", f"http.extraheader=AUTHORIZATION: basic {basic}", *args]
    git.run(root, *args)
    head = git.text(root, "rev-parse", "--verify", ref).strip()
    if head != expected:
        raise ReviewError(
            f"pull request {number}'s head is {head[:7]}, not {expected[:7]}, the commit CI "
            "ran on: it moved on since (a newer run reviews it) or the request names "
            "another pull request; nothing is posted"
        )
    return head


def review_pull_request(
    project: Project, request: Path, head_sha: str, summary: Path | None, *, post: bool = True
) -> Posted:
    """Review the pull request against where it branched off this checkout's branch; write
    the job summary; post or update the comment."""
    number = read_request(request)
    head = fetch_head(project.root, number, head_sha)
    done = review(project, "HEAD", head, from_merge_base=True)
    text = _fitting(done, MAX_SUMMARY)
    if summary is not None:
        with summary.open("a", encoding="utf-8") as f:
            f.write(text)
    comment = ""
    if post:
        comment = MARKER + "\n" + _fitting(done, MAX_COMMENT, link=_run_link())
        _comment(number, comment)
    return Posted(text, comment)


def _fitting(done: Review, limit: int, *, link: str = "") -> str:
    """The review within ``limit`` characters: the changed files' lines are cut first (the
    data's changes, the counts and every changed file's name are always there)."""
    for lines in (4000, 1000, 200, 0):
        text = render(done, lines=lines)
        if len(text) <= limit:
            return text
    where = f" ({link})" if link else ""
    head = render(done, lines=0)[: limit - 300]
    return head + f"\n\n… The review is longer than fits here: the job summary{where} has it.\n"


def _run_link() -> str:
    server, repo, run = (
        os.environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run.isdigit() else ""


def _comment(number: int, body: str) -> None:
    """Create the review comment, or update the one an earlier run posted."""
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repo = os.environ.get("GITHUB_REPOSITORY", "")
    if not repo or repo.count("/") != 1:
        raise ReviewError("GITHUB_REPOSITORY is not set; the comment has nowhere to go")
    comments = _api("GET", f"{api}/repos/{repo}/issues/{number}/comments?per_page=100")
    earlier = next(
        (
            c
            for c in (comments if isinstance(comments, list) else [])
            if isinstance(c, dict)
            and str(c.get("body", "")).startswith(MARKER)
            and (c.get("user") or {}).get("type") == "Bot"
        ),
        None,
    )
    if earlier is not None:
        _api("PATCH", f"{api}/repos/{repo}/issues/comments/{int(earlier['id'])}", {"body": body})
    else:
        _api("POST", f"{api}/repos/{repo}/issues/{number}/comments", {"body": body})


def _api(method: str, url: str, payload: dict[str, str] | None = None) -> object:
    token = os.environ.get("GH_TOKEN", "")
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode() if payload is not None else None,
        method=method,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data: object = json.loads(response.read() or b"null")
            return data
    except urllib.error.HTTPError as e:
        raise ReviewError(f"GitHub answered {e.code} to {method} {url}") from None
    except (urllib.error.URLError, TimeoutError) as e:
        raise ReviewError(f"GitHub could not be reached: {e}") from None
