"""What git knows about the data: the version a build is drawn from, and when each record
last changed. Outside a repository (or without git) both fall back to the build date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from generator import git
from generator.dates import long_date
from generator.project import Project


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


def data_version(project: Project, today: dt.date) -> Version:
    if not git.is_repository_root(project.root):
        return Version(None, today)
    data = project.display(project.data_dir)
    try:
        last = git.text(project.root, "log", "-1", "--format=%h %cs", "--", data).split()
        status = git.text(project.root, "status", "--porcelain", "--", data)
    except git.GitError:
        return Version(None, today)
    if not last:
        return Version(None, today, modified=True)
    commit, date = last
    return Version(commit, dt.date.fromisoformat(date), modified=bool(status.strip()))


def last_changed(project: Project) -> dict[str, dt.date]:
    """Path (as 'data/incidents/2022/x.yaml') -> date of the last commit that changed it."""
    if not git.is_repository_root(project.root):
        return {}
    incidents = project.display(project.incidents_dir)
    try:
        log = git.text(
            project.root,
            "log",
            "--format=%x00%cs",
            "--name-only",
            "--no-renames",
            "-z",
            "--",
            incidents,
        )
    except git.GitError:
        return {}
    result: dict[str, dt.date] = {}
    day: dt.date | None = None
    for token in log.split("\x00"):  # -z: names as they are, newlines and all
        token = token.lstrip("\n")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token):
            day = dt.date.fromisoformat(token)
        elif token and day is not None:
            result.setdefault(token, day)
    return result
