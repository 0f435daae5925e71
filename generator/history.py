"""What git knows about the data: the version a build is drawn from, and when each record
last changed. Without git (or outside a repository) both fall back gracefully.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass

from generator.project import Project
from generator.wording import long_date


@dataclass(frozen=True)
class Version:
    """The data a build is drawn from: the last commit that changed data/, or a date."""

    commit: str | None
    date: dt.date
    modified: bool = False  # data/ has changes not yet committed

    @property
    def label(self) -> str:
        day = long_date(self.date)
        if self.commit is None:
            return f"data as of {day}"
        return f"data version {self.commit} of {day}" + (
            " with local changes" if self.modified else ""
        )


def _git(project: Project, *args: str) -> str | None:
    try:
        run = subprocess.run(
            ["git", "-C", str(project.root), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout if run.returncode == 0 else None


def _in_repository(project: Project) -> bool:
    top = _git(project, "rev-parse", "--show-toplevel")
    return top is not None and top.strip() == str(project.root.resolve())


def data_version(project: Project, today: dt.date) -> Version:
    if not _in_repository(project):
        return Version(None, today)
    last = _git(project, "log", "-1", "--format=%h %cs", "--", "data")
    if not last or not last.strip():
        return Version(None, today, modified=True)
    commit, date = last.split()
    status = _git(project, "status", "--porcelain", "--", "data")
    return Version(commit, dt.date.fromisoformat(date), modified=bool(status and status.strip()))


def last_changed(project: Project) -> dict[str, dt.date]:
    """Path (as 'data/incidents/2022/x.yaml') -> date of the last commit that changed it."""
    if not _in_repository(project):
        return {}
    log = _git(project, "log", "--format=%x00%cs", "--name-only", "--no-renames", "--",
               "data/incidents")  # fmt: skip
    result: dict[str, dt.date] = {}
    for entry in (log or "").split("\x00")[1:]:
        lines = [line for line in entry.splitlines() if line.strip()]
        if not lines:
            continue
        date = dt.date.fromisoformat(lines[0])
        for path in lines[1:]:
            result.setdefault(path, date)
    return result
