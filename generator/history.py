"""What git knows about the data: the version a build is drawn from, when each record file
last changed, and each record's publication and corrections (the corrections log). Outside
a repository (or without git) the version falls back to the build date, and there is no
history to tell.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import git
from generator.changes import FieldChange, field_changes
from generator.dates import long_date
from generator.errors import Problem
from generator.fields import is_record_id
from generator.load import MAX_INCIDENT_BYTES, parse_yaml
from generator.model import Dataset, Incident
from generator.parallel import parallel_map
from generator.parse import parse_record
from generator.project import Project
from generator.text import printable


@dataclass(frozen=True)
class Version:
    """The data a build is drawn from: the last commit that changed data/, or a date."""

    commit: str | None
    date: dt.date
    modified: bool = False  # data/ has changes not yet committed
    preview: bool = False  # the preview's: it shows the folder as it is, edits and all

    @property
    def label(self) -> str:
        day = long_date(self.date)
        if self.commit is None:
            return f"data as of {day}"
        if self.preview:  # the same before and after the first edit: no page changes for it
            return f"data version {self.commit} of {day} and any changes not yet committed"
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


def preview_version(project: Project, today: dt.date) -> Version:
    """The data version ``make serve`` shows: its label stays the same when the first edit
    makes the folder differ from the commit, so that edit rebuilds only the pages it
    changes, not every page that names the version."""
    return replace(data_version(project, today), preview=True)


# --- the corrections log: every version of every record in git's history --------------------

MAX_SUBJECT = 300  # characters of a commit's subject shown as a correction's reason


@dataclass(frozen=True)
class Commit:
    """A commit that changed the data, as the corrections log shows it."""

    hash: str
    date: dt.date
    subject: str  # the message's first line, control and format characters as escapes

    @property
    def short(self) -> str:
        return self.hash[:7]


@dataclass(frozen=True)
class Correction:
    """A change to a published record after it first appeared: its fields before and after
    (``changes``), or its removal from the data."""

    record: str  # the record's id now (for a removed record, its last id)
    commit: Commit
    changes: tuple[FieldChange, ...] = ()
    removed: bool = False

    @property
    def anchor(self) -> str:
        """The entry's id on the corrections page."""
        return f"{self.record}-{self.commit.short}"


@dataclass(frozen=True)
class RecordHistory:
    """When a record was published, and each correction since, oldest first."""

    published: Commit | None  # None: before the history this build holds (a shallow clone)
    corrections: tuple[Correction, ...] = ()

    @property
    def corrected_on(self) -> tuple[tuple[dt.date, Correction, int], ...]:
        """Each day it was corrected, newest first: (the day, its latest correction that
        day, how many corrections it had that day)."""
        days: dict[dt.date, list[Correction]] = {}
        for correction in self.corrections:
            days.setdefault(correction.commit.date, []).append(correction)
        return tuple(
            (day, found[-1], len(found)) for day, found in sorted(days.items(), reverse=True)
        )


# What the build knows of the data's history.
COMPLETE, SHALLOW, NO_HISTORY = "complete", "shallow", "none"


@dataclass(frozen=True)
class History:
    """The data's history as git holds it: when each record was published and corrected,
    and when each file last changed.

    ``state`` says how far it can be trusted: ``complete`` (the whole history),
    ``shallow`` (a shallow clone: what it lists happened, but earlier changes are missing
    and records that were already there have no publication date) or ``none`` (no git
    repository, or git is not installed: nothing is listed).
    """

    state: str
    records: dict[str, RecordHistory] = field(default_factory=dict)  # current id -> history
    log: tuple[Correction, ...] = ()  # every correction and removal, newest first
    changed: dict[str, dt.date] = field(default_factory=dict)  # file -> its last commit's day
    since: dt.date | None = None  # shallow: the day the history this build holds starts

    @property
    def corrections(self) -> int:
        """How many corrections the log lists (removals apart)."""
        return sum(1 for c in self.log if not c.removed)

    @property
    def corrected(self) -> int:
        """How many records the log shows corrected (removed ones apart)."""
        return len({c.record for c in self.log if not c.removed})

    @property
    def removals(self) -> int:
        return sum(1 for c in self.log if c.removed)

    def of(self, incident_id: str) -> RecordHistory:
        return self.records.get(incident_id, RecordHistory(None))


@dataclass
class _Chain:
    """The versions of one record's file, followed through moves, renames and re-adds."""

    versions: list[tuple[int, str]]  # (commit's position in the log, blob)
    before_history: bool  # its first version was already there where a shallow history starts
    ended: int | None = None  # the commit that deleted it, if it is gone


_ENTRY = re.compile(r":(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*")
_HEADER = re.compile(r"([0-9a-f]{40}|[0-9a-f]{64})((?: [0-9a-f]{40}| [0-9a-f]{64})*)")
_RECORD_MODES = ("100644", "100755")  # files; links and submodules are never records


def read_history(project: Project, dataset: Dataset, rev: str = "HEAD") -> History:
    """The history of every record in ``dataset``, read in one pass of ``git log``.

    Each record file's versions are followed through the history of ``rev`` (the
    checked-out branch; the review reads each side's commit):
    through moves and renames (git's rename detection, and a file deleted and added again
    under the same name), and through corrected ids (a record's ``previous_ids`` name the
    files it continues). Its first version is its publication; each later version whose
    record reads differently (``changes.field_changes``: a change of formatting or layout
    only is not one) is a correction. A record whose file was deleted, and that no record
    continues, is listed as removed. A version the validator cannot read on its own is
    skipped: it could not have been published as it was.
    """
    root = project.root
    incidents = project.repository_path(project.incidents_dir)
    if not incidents or not git.is_repository_root(root):
        return History(NO_HISTORY)
    try:
        shallow = git.text(root, "rev-parse", "--is-shallow-repository").strip() == "true"
        commit = git.commit_of(root, rev)
        key = (str(root.resolve()), commit, incidents, shallow)
        commits = _LOGS.get(key)
        if commits is None:
            commits = _parse_log(_log(root, commit, incidents))
            _LOGS.clear()  # one commit's log is kept: the preview's, until the next commit
            _LOGS[key] = commits
    except (git.GitError, ValueError):  # no commit yet, or output git should never give
        return History(NO_HISTORY)
    return _History(project, dataset, commits, shallow).history()


# What a process has read of git's history, for the preview (``make serve``), which builds
# again after every edit: the parsed log of the last commit read (by repository, commit,
# folder and whether the clone is shallow), and each version of a record read from git, by
# its blob id (a blob's id is its content: what it holds never changes). A build reads each
# once either way.
_LOGS: dict[tuple[str, str, str, bool], list[_LogCommit]] = {}
_VERSIONS: dict[str, Incident | None] = {}
MAX_VERSIONS = 100_000  # records kept from git at most (a few hundred bytes each)


def _log(root: Path, commit: str, incidents: str) -> str:
    """``git log`` of the record files up to ``commit``, as _parse_log reads it."""
    out = git.run(
        root,
        "log",
        "--no-color",  # whatever the user's settings say: text to parse
        "--no-show-signature",
        "--topo-order",
        "--reverse",
        "--format=%x00%H %P%x00%cs%x00%s",
        "--raw",
        "-z",
        "-M",
        "--no-abbrev",
        commit,
        "--",
        incidents,
    )
    return out.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class _LogCommit:
    commit: Commit
    root: bool  # no parent: the first commit, or where a shallow history starts
    entries: tuple[tuple[str, str, str, str, str, str], ...]  # status, modes, blobs, paths


def _parse_log(text: str) -> list[_LogCommit]:
    """``git log -z --raw --format=%x00%H %P%x00%cs%x00%s`` into commits and their entries."""
    tokens = text.split("\0")
    commits: list[_LogCommit] = []
    k = 1 if tokens and tokens[0] == "" else 0
    while k < len(tokens):
        header = _HEADER.fullmatch(tokens[k].rstrip(" "))  # "%H %P": no parent, a space
        if header is None:
            if tokens[k] == "":
                k += 1
                continue
            raise ValueError(f"unexpected git log output: {tokens[k][:40]!r}")
        day, subject = dt.date.fromisoformat(tokens[k + 1]), tokens[k + 2]
        k += 3
        entries = []
        while k < len(tokens) and (entry := _ENTRY.fullmatch(tokens[k].lstrip("\n"))):
            old_mode, new_mode, _, new_blob, status = entry.groups()
            paths = 2 if status in ("R", "C") else 1
            old_path, new_path = tokens[k + 1], tokens[k + paths]
            entries.append((status, old_mode, new_mode, new_blob, old_path, new_path))
            k += 1 + paths
        commit = Commit(header[1], day, _subject(subject))
        commits.append(_LogCommit(commit, not header[2], tuple(entries)))
    return commits


def _subject(text: str) -> str:
    text = printable(text.strip())
    return text if len(text) <= MAX_SUBJECT else text[: MAX_SUBJECT - 1] + "…"


class _History:
    """Works out the records' histories from the parsed log (``read_history``)."""

    def __init__(
        self, project: Project, dataset: Dataset, commits: list[_LogCommit], shallow: bool
    ) -> None:
        self.project = project
        self.dataset = dataset
        self.commits = commits
        self.shallow = shallow
        self.folder = project.repository_path(project.incidents_dir) + "/"
        self.live: dict[str, _Chain] = {}  # path -> the record's chain
        self.gone: dict[str, list[_Chain]] = {}  # id (file name) -> chains deleted under it
        self.changed: dict[str, dt.date] = {}

    def history(self) -> History:
        for n, logged in enumerate(self.commits):
            self._apply(n, logged)
        current = {i.id: self.live.get(path) for i, path in self._files()}
        claimed = self._continue_corrected_ids(current)
        removed = {
            stem: chains[-1]
            for stem, chains in sorted(self.gone.items())
            if chains and stem not in claimed
        }
        blobs = self._blobs([*current.values(), *removed.values()])
        records: dict[str, RecordHistory] = {}
        log: list[tuple[int, Correction]] = []
        for record, chain in sorted(current.items()):
            if chain is None:  # not committed yet
                continue
            published, corrections = self._versions(record, chain, blobs)
            records[record] = RecordHistory(
                self.commits[published].commit if published is not None else None,
                tuple(c for _, c in corrections),
            )
            log += corrections
        for stem, chain in removed.items():
            published, corrections = self._versions(stem, chain, blobs)
            if chain.ended is not None and (published is not None or chain.before_history):
                gone = self.commits[chain.ended].commit
                log += [*corrections, (chain.ended, Correction(stem, gone, removed=True))]
        log.sort(key=lambda c: (c[1].commit.date, c[0], c[1].record), reverse=True)
        starts = [c.commit.date for c in self.commits if c.root]
        return History(
            SHALLOW if self.shallow else COMPLETE,
            records,
            tuple(c for _, c in log),
            self.changed,
            min(starts) if self.shallow and starts else None,
        )

    def _files(self) -> list[tuple[Incident, str]]:
        dataset = self.dataset
        return [(i, dataset.files.get(i.id, "")) for i in dataset.incidents]

    def _is_record(self, path: str) -> bool:
        """<incidents>/<year>/<id>.yaml, the id a record's: what the build reads as one."""
        rest = path.removeprefix(self.folder)
        return (
            rest != path
            and rest.count("/") == 1
            and rest.endswith(".yaml")
            and is_record_id(_stem(path))
        )

    def _apply(self, n: int, logged: _LogCommit) -> None:
        """One commit's changes to the record files: deletions first, then changes and
        moves, then additions (a file deleted and added again in one commit is moved)."""
        order = {"D": 0, "A": 2, "C": 2}
        day = logged.commit.date
        for status, _, new_mode, blob, old, new in sorted(
            logged.entries, key=lambda e: (order.get(e[0], 1), e[4], e[5])
        ):
            record = status != "D" and new_mode in _RECORD_MODES and self._is_record(new)
            chain = self.live.pop(old, None) if status in ("D", "R", "M", "T") else None
            if status == "D" or not record:
                if chain is not None:
                    chain.ended = n
                    self.gone.setdefault(_stem(old), []).append(chain)
                self.changed.pop(old, None)
                continue
            self.changed.pop(old, None)
            self.changed[new] = day
            if chain is None:
                revived = self.gone.get(_stem(new))
                if revived:  # deleted and added again under its name: the same record
                    chain = revived.pop()
                    chain.ended = None
                else:
                    chain = _Chain([], before_history=self.shallow and logged.root)
            chain.versions.append((n, blob))
            self.live[new] = chain

    def _continue_corrected_ids(self, current: dict[str, _Chain | None]) -> set[str]:
        """Prepend to each record the chain of the file it continues under a corrected id
        (the first of its ``previous_ids`` whose file was deleted before it appeared);
        return every id now held by a record, so that none of them is listed as removed."""
        claimed = set(current)
        for incident in self.dataset.incidents:
            claimed.update(incident.previous_ids)
            chain = current.get(incident.id)
            if chain is None or not chain.versions:
                continue
            first = chain.versions[0][0]
            for old in incident.previous_ids:
                before = [
                    c for c in self.gone.get(old, ()) if c.ended is not None and c.ended <= first
                ]
                if before:
                    earlier = before[-1]
                    self.gone[old].remove(earlier)
                    chain.versions[:0] = earlier.versions
                    chain.before_history = earlier.before_history
                    break
        return claimed

    def _blobs(self, chains: list[_Chain | None]) -> dict[str, Incident | None]:
        """Each version of the records that have more than one (and the last of removed
        ones), read and checked on its own: the versions still in the working tree are the
        records already loaded; the others come from one ``git cat-file --batch`` and are
        read on every core."""
        wanted = {
            blob
            for c in chains
            if c is not None and (len(c.versions) > 1 or c.ended is not None)
            for _, blob in c.versions
        }
        found: dict[str, Incident | None] = {}
        for incident, path in self._files():
            chain = self.live.get(path)
            if chain is not None and chain.versions[-1][1] in wanted:
                blob = chain.versions[-1][1]
                if _blob_id(self.project.root / path) == blob:
                    found[blob] = incident
        found.update((b, _VERSIONS[b]) for b in wanted - set(found) if b in _VERSIONS)
        missing = sorted(wanted - set(found))
        if not missing:
            return found
        raws = git.blobs(self.project.root, missing, MAX_INCIDENT_BYTES)  # None: not read
        read = dict(zip(missing, parallel_map(_record, raws), strict=True))
        if len(_VERSIONS) + len(read) > MAX_VERSIONS:
            _VERSIONS.clear()
        _VERSIONS.update(read)
        found.update(read)
        return found

    def _versions(
        self, record: str, chain: _Chain, blobs: dict[str, Incident | None]
    ) -> tuple[int | None, list[tuple[int, Correction]]]:
        """(the position of the commit that published it, its corrections)."""
        if len(chain.versions) == 1 and chain.ended is None:
            first = chain.versions[0][0]
            return (None if chain.before_history else first), []
        published: int | None = None
        corrections: list[tuple[int, Correction]] = []
        last: Incident | None = None
        for k, (n, blob) in enumerate(chain.versions):
            incident = blobs.get(blob)
            if incident is None:
                continue
            if last is None:
                published = None if (k == 0 and chain.before_history) else n
            else:
                changes = tuple(
                    c for c in field_changes(last, incident) if c.field != "previous_ids"
                )
                if changes:
                    corrections.append((n, Correction(record, self.commits[n].commit, changes)))
            last = incident
        return published, corrections


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".yaml")


def _blob_id(path: Path) -> str | None:
    """The id git gives the file's bytes (SHA-1 repositories), or None if it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def _record(raw: bytes | None) -> Incident | None:
    """A version of a record file, read and checked on its own; None if it is not valid."""
    if raw is None:
        return None
    doc = parse_yaml(raw, "a version in git's history", max_bytes=MAX_INCIDENT_BYTES)
    if doc.problems or doc.value is None:
        return None
    problems: list[Problem] = []
    incident = parse_record(Incident, doc, (), problems)
    return None if problems else incident
