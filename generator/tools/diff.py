"""``make diff``: what a change does to the data and to the numbers, as Markdown.

The data at a git ref is read with git plumbing (``git ls-tree`` and ``git cat-file``) into
a scratch folder and checked by the same loader and validator as a build, so both sides are
real ``Dataset`` objects and every count comes from ``Stats``. Every file git tracks is
exported as git holds it, symbolic links included, so a link in the data is refused here as
in a build. Incidents are matched by id: a file that moved keeps its id and is reported as
moved; a record whose id was corrected (``previous_ids``) is one change, also when it
merges several records; one whose id changed and whose content did not is renamed.

Besides the data, the summary lists every other file the change touches (code, templates,
hand-written pages, workflows, settings) for the reviewer to read as code: none of them is
summed up in numbers, and any of them can change what the site shows.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import escape, git
from generator.changes import FieldChange, field_changes
from generator.errors import DataError, GeneratorError
from generator.model import Base, Dataset, Incident, sort_key
from generator.project import GENERATED_DIRS, GENERATED_FILES, Project
from generator.stats import Stats
from generator.validate import load_dataset
from generator.wording import incident_title

MODES = {
    "100644": "file",
    "100755": "executable file",
    "120000": "symbolic link",
    "160000": "git submodule",
    "040000": "folder",
    "000000": "nothing",
}


class DiffError(GeneratorError):
    """A side of the comparison cannot be read: not a git repository, an unknown ref, bad data."""


# --- reading the data at a ref -------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """The checked data at one git ref, or in the working tree (ref None)."""

    ref: str | None
    commit: str
    dataset: Dataset
    missing: bool = False  # the ref has no bases file: compared as empty

    @property
    def label(self) -> str:
        """How messages name it: "origin/main (cb4f457)" or "the working tree"."""
        if self.ref is None:
            return "the working tree"
        return self.ref if self.commit.startswith(self.ref) else f"{self.ref} ({self.commit[:7]})"

    @property
    def markdown(self) -> Markup:
        if self.ref is None:
            return Markup("the working tree")
        if self.commit.startswith(self.ref):
            return escape.gfm_code(self.commit[:7])
        return escape.gfm_code(self.ref) + Markup(f" ({self.commit[:7]})")


def resolve(root: Path, ref: str) -> str:
    """The commit a ref names, or a DiffError that says what to do."""
    if git.toplevel(root) is None:
        raise DiffError(f"{root} is not in a git repository; `diff` compares two versions of one")
    try:
        return git.commit_of(root, ref)
    except git.GitError:
        raise DiffError(
            f"'{ref}' is not a commit, branch or tag in this repository; check the name "
            "(`git log --oneline` lists commits; a remote branch may need `git fetch` first)"
        ) from None


def snapshot(project: Project, ref: str | None, *, as_of: dt.date | None = None) -> Snapshot:
    """The data at ``ref`` (None: the working tree, including files not yet committed)."""
    if ref is None:
        return Snapshot(None, "", _load(project, "the working tree", as_of))
    commit = resolve(project.root, ref)
    with tempfile.TemporaryDirectory(prefix="incident-diff-") as tmp:
        scratch = project.with_root(Path(tmp))
        _export(project.root, commit, project.display(project.data_dir), scratch.root)
        nothing = Snapshot(ref, commit, Dataset(bases=(), incidents=()), missing=True)
        if not scratch.bases_file.is_file() and not scratch.bases_file.is_symlink():
            return nothing
        return Snapshot(ref, commit, _load(scratch, nothing.label, as_of))


def _export(root: Path, commit: str, folder: str, target: Path) -> None:
    """Write the files under ``folder`` at ``commit`` into ``target``, as git holds them:
    regular files with their bytes, symbolic links as links (never followed here)."""
    listing = git.run(root, "ls-tree", "-r", "-z", commit, "--", folder)
    entries: list[tuple[str, str, str]] = []  # (mode, object, path)
    for line in listing.split(b"\0"):
        if not line:
            continue
        meta, _, path = line.partition(b"\t")
        mode, kind, obj = meta.decode().split()
        name = os.fsdecode(path)
        if kind == "commit":
            raise DiffError(f"{name} is a git submodule; the data folder holds files only")
        entries.append((mode, obj, name))
    if not entries:
        return
    out = git.run(
        root, "cat-file", "--batch", stdin="".join(f"{o}\n" for _, o, _ in entries).encode()
    )
    pos = 0
    links: list[tuple[Path, bytes]] = []
    for mode, _, name in entries:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        start = header_end + 1
        content = out[start : start + size]
        pos = start + size + 1  # the content is followed by a newline
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            links.append((dest, content))
        else:
            dest.write_bytes(content)
    for dest, link_target in links:  # last: no file is ever written through one of them
        os.symlink(os.fsdecode(link_target), dest)


def _load(project: Project, label: str, as_of: dt.date | None) -> Dataset:
    try:
        return load_dataset(project, as_of=as_of)
    except DataError as e:
        n = len(e.problems)
        raise DiffError(
            f"The data in {label} has {n} problem{'s' if n != 1 else ''}, so it cannot be "
            f"compared:\n{e.listing()}\n"
            "Fix them first: `make validate` lists them for the files you have."
        ) from None


# --- files that are not records: what a reviewer reads as code -----------------------------


@dataclass(frozen=True)
class FileChange:
    path: str  # relative to the project
    status: str  # added, deleted, modified, type changed, mode changed
    old_mode: str
    new_mode: str
    category: str

    @property
    def what(self) -> str:
        if self.status in ("type changed", "mode changed"):
            return f"{self.status}: {MODES.get(self.old_mode, self.old_mode)} → " + MODES.get(
                self.new_mode, self.new_mode
            )
        kind = self.new_mode if self.status != "deleted" else self.old_mode
        return f"{self.status} ({MODES.get(kind, kind)})"


# Where a path outside the data belongs; the first prefix that matches wins.
CATEGORIES = (
    (".github/", "workflows"),
    ("templates/", "templates"),
    ("overrides/", "templates"),
    ("docs/", "hand-written pages and site assets"),
    ("mkdocs.yml", "settings"),
    ("generator/", "code"),
    ("tests/", "code"),
    ("tools/", "code"),
    ("bench/", "code"),
    (".ci/", "code"),
    ("Makefile", "code"),
    ("pyproject.toml", "code"),
    ("requirements/", "code"),
    ("examples/", "examples"),
)


def category(path: str, data: str) -> str:
    """'data' for the data folder's records, else what a reviewer reads the file as."""
    if path == data or path.startswith(data + "/"):
        return "data"
    return next((c for prefix, c in CATEGORIES if path.startswith(prefix)), "other files")


def file_changes(project: Project, old: str, new: str | None) -> list[FileChange]:
    """Every path git sees changed between ``old`` and ``new`` (None: the working tree,
    files not yet committed included), but generated pages."""
    root = project.root
    args = ["diff", "--raw", "-z", "--no-renames", "--relative", old]
    raw = git.run(root, *args, *([new] if new else []), "--").split(b"\0")
    changes: list[FileChange] = []
    data = project.display(project.data_dir)
    status_names = {"A": "added", "D": "deleted", "M": "modified", "T": "type changed"}
    for meta, name in zip(raw[0::2], raw[1::2], strict=False):
        if not meta.startswith(b":"):
            continue
        old_mode, new_mode, _, _, letter = meta[1:].decode().split()
        status = status_names.get(letter[0], letter)
        if status == "modified" and old_mode != new_mode:
            status = "mode changed"
        path = project.display(root / os.fsdecode(name))
        changes.append(FileChange(path, status, old_mode, new_mode, category(path, data)))
    if new is None:  # files not yet committed and not ignored
        untracked = git.run(root, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
        for name in untracked.split(b"\0"):
            if name:
                path = project.display(root / os.fsdecode(name))
                mode = "120000" if (root / os.fsdecode(name)).is_symlink() else "100644"
                changes.append(FileChange(path, "added", "000000", mode, category(path, data)))
    return sorted(
        (c for c in changes if not _generated(c.path)), key=lambda c: (c.category, c.path)
    )


def _generated(path: str) -> bool:
    """The generator's own output in docs/ (ignored by git, never edited by hand)."""
    rel = path.removeprefix("docs/")
    return path.startswith("docs/") and (
        rel in GENERATED_FILES or any(rel.startswith(d + "/") for d in GENERATED_DIRS)
    )


# --- comparing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One added, removed or changed record."""

    id: str
    title: str
    date: str = ""
    path: str = ""
    old_ids: tuple[str, ...] = ()  # the ids it had (a corrected id, or records merged into it)
    old_path: str = ""  # set when the file moved
    changes: tuple[FieldChange, ...] = ()
    renamed_by_content: bool = False  # an id changed with nothing else, without previous_ids


@dataclass(frozen=True)
class CountChange:
    label: str  # "Green Village, 2022-08"
    old: int
    new: int

    @property
    def delta(self) -> str:
        return f"{self.new - self.old:+d}"


@dataclass(frozen=True)
class DataDiff:
    old: Snapshot
    new: Snapshot
    added: tuple[Entry, ...]
    removed: tuple[Entry, ...]
    changed: tuple[Entry, ...]
    bases_added: tuple[Entry, ...]
    bases_removed: tuple[Entry, ...]
    bases_changed: tuple[Entry, ...]
    attacks: tuple[CountChange, ...]  # by base and month, only cells that changed
    strikes: tuple[CountChange, ...]  # by month, only months that changed
    totals: tuple[CountChange, ...]
    files: tuple[FileChange, ...] = field(default=())

    @property
    def headline(self) -> str:
        """'Incidents: 1 added, 1 changed. Bases: 1 changed.'"""
        parts = []
        for what, groups in (
            (
                "Incidents",
                (("added", self.added), ("removed", self.removed), ("changed", self.changed)),
            ),
            (
                "Bases",
                (
                    ("added", self.bases_added),
                    ("removed", self.bases_removed),
                    ("changed", self.bases_changed),
                ),
            ),
        ):
            counts = [f"{len(entries)} {verb}" for verb, entries in groups if entries]
            if counts:
                parts.append(f"{what}: {', '.join(counts)}.")
        return " ".join(parts)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.changed,
                self.bases_added,
                self.bases_removed,
                self.bases_changed,
            )
        )

    @property
    def data_files(self) -> tuple[FileChange, ...]:
        """Changes in the data folder the records do not show: links, modes, other files."""
        return tuple(
            f
            for f in self.files
            if f.category == "data"
            and (f.status in ("type changed", "mode changed") or not f.path.endswith(".yaml"))
        )

    @property
    def not_data(self) -> dict[str, tuple[FileChange, ...]]:
        """Category -> the files outside the data that changed."""
        out: dict[str, list[FileChange]] = {}
        for f in self.files:
            if f.category != "data":
                out.setdefault(f.category, []).append(f)
        return {k: tuple(v) for k, v in out.items()}


def compare(old: Snapshot, new: Snapshot, files: Iterable[FileChange] = ()) -> DataDiff:
    a, b = old.dataset, new.dataset
    gone = {i: a.incident_by_id[i] for i in sorted(set(a.incident_by_id) - set(b.incident_by_id))}
    came = {i: b.incident_by_id[i] for i in sorted(set(b.incident_by_id) - set(a.incident_by_id))}
    changed: list[Entry] = []
    # A record that names gone ids in previous_ids replaces them (a corrected id, or a
    # merge of duplicates): one change, whether its own id is new or was already there.
    replaced: dict[str, list[str]] = {}
    for new_id, incident in sorted(b.incident_by_id.items()):
        olds = [p for p in incident.previous_ids if p in gone]
        if olds:
            replaced[new_id] = olds
    for new_id, olds in replaced.items():
        before = a.incident_by_id.get(new_id) or gone[olds[0]]
        changed.append(_changed(a, b, before, b.incident_by_id[new_id], tuple(olds)))
        for o in olds:
            del gone[o]
        came.pop(new_id, None)
    for old_id, new_id in _same_content(gone, came):
        entry = _changed(a, b, gone[old_id], came[new_id], (old_id,))
        changed.append(Entry(**{**entry.__dict__, "renamed_by_content": True}))
        del gone[old_id], came[new_id]
    for i in sorted(set(a.incident_by_id) & set(b.incident_by_id)):
        if i in replaced:
            continue
        entry = _changed(a, b, a.incident_by_id[i], b.incident_by_id[i])
        if entry.changes or entry.old_path:
            changed.append(entry)
    bases_a, bases_b = a.base_by_id, b.base_by_id
    return DataDiff(
        old=old,
        new=new,
        added=tuple(_entry(b, i) for i in sorted(came.values(), key=sort_key)),
        removed=tuple(_entry(a, i) for i in sorted(gone.values(), key=sort_key)),
        changed=tuple(sorted(changed, key=lambda e: (e.date, e.id))),
        bases_added=tuple(_base(bases_b[i]) for i in sorted(set(bases_b) - set(bases_a))),
        bases_removed=tuple(_base(bases_a[i]) for i in sorted(set(bases_a) - set(bases_b))),
        bases_changed=tuple(
            _base(bases_b[i], field_changes(bases_a[i], bases_b[i]))
            for i in sorted(set(bases_a) & set(bases_b))
            if bases_a[i] != bases_b[i]
        ),
        files=tuple(files),
        **_counts(Stats(a), Stats(b)),
    )


def _same_content(gone: dict[str, Incident], came: dict[str, Incident]) -> list[tuple[str, str]]:
    """Pairs (old id, new id) of records identical apart from the id."""
    by_content: dict[str, list[str]] = {}
    for i, incident in came.items():
        by_content.setdefault(_content(incident), []).append(i)
    pairs = []
    for i, incident in gone.items():
        matches = by_content.get(_content(incident))
        if matches:
            pairs.append((i, matches.pop(0)))
    return pairs


def _content(incident: Incident) -> str:
    return incident.model_copy(update={"id": "", "previous_ids": []}).model_dump_json()


def _entry(
    dataset: Dataset,
    incident: Incident,
    *,
    old_ids: tuple[str, ...] = (),
    old_path: str = "",
    changes: tuple[FieldChange, ...] = (),
) -> Entry:
    return Entry(
        id=incident.id,
        title=incident_title(incident, dataset),
        date=incident.date.isoformat(),
        path=dataset.files.get(incident.id, ""),
        old_ids=old_ids,
        old_path=old_path,
        changes=changes,
    )


def _changed(
    a: Dataset, b: Dataset, old: Incident, new: Incident, old_ids: tuple[str, ...] = ()
) -> Entry:
    old_path, new_path = a.files.get(old.id, ""), b.files.get(new.id, "")
    changes = [c for c in field_changes(old, new) if c.field not in ("id", "previous_ids")]
    if new.previous_ids != old.previous_ids and not old_ids:
        changes += [c for c in field_changes(old, new) if c.field == "previous_ids"]
    return _entry(
        b,
        new,
        old_ids=old_ids,
        old_path=old_path if old_path != new_path else "",
        changes=tuple(changes),
    )


def _base(base: Base, changes: Iterable[FieldChange] = ()) -> Entry:
    return Entry(id=base.id, title=base.name, changes=tuple(changes))


def _counts(a: Stats, b: Stats) -> dict[str, tuple[CountChange, ...]]:
    names = {**{x.id: x.name for x in a.sites}, **{x.id: x.name for x in b.sites}}
    cells = set(a.attack_counts) | set(b.attack_counts)
    attacks = [
        CountChange(f"{names.get(base, base)}, {month}", a.attack_counts[k], b.attack_counts[k])
        for k in sorted(cells, key=lambda k: (names.get(k[0], k[0]), k[1]))
        for base, month in [k]
        if a.attack_counts[k] != b.attack_counts[k]
    ]
    months = sorted(set(a.strikes_per_month) | set(b.strikes_per_month))
    strikes = [
        CountChange(m, a.strikes_per_month[m], b.strikes_per_month[m])
        for m in months
        if a.strikes_per_month[m] != b.strikes_per_month[m]
    ]
    totals = [
        CountChange("Incidents", len(a.dataset.incidents), len(b.dataset.incidents)),
        CountChange("Attacks on bases", len(a.attacks), len(b.attacks)),
        CountChange("US strikes", a.total.strikes, b.total.strikes),
        CountChange("Sites attacked", len(a.sites_ranked), len(b.sites_ranked)),
        CountChange("Months with an attack", len(a.attacks_per_month), len(b.attacks_per_month)),
    ]
    return {"attacks": tuple(attacks), "strikes": tuple(strikes), "totals": tuple(totals)}


# --- Markdown ------------------------------------------------------------------------------


TEMPLATES = Path(__file__).parent / "templates"  # shipped with this code, not the project's


def render(diff: DataDiff) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=escape.gfm,  # every {{ value }} is made inert for GitHub's Markdown
    )
    env.filters["code"] = escape.gfm_code
    text = env.get_template("diff.md.j2").render(diff=diff)
    return re.sub(r"\n{3,}", "\n\n", text)


def data_diff(project: Project, old_ref: str, new_ref: str | None = None) -> str:
    """The Markdown summary of the changes to the data from ``old_ref`` to ``new_ref``."""
    old = snapshot(project, old_ref)
    new = snapshot(project, new_ref)
    files = file_changes(project, old.commit, new.commit or None)
    return render(compare(old, new, files))
