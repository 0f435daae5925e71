"""``make diff``: what a change does to the data and to the numbers, as Markdown.

The data at a git ref is read with git plumbing (``git ls-tree`` and ``git cat-file``) into
a scratch folder and checked by the same loader and validator as a build, so both sides are
real ``Dataset`` objects and every count comes from ``Stats``. Incidents are matched by id;
a file that moved keeps its id and is reported as moved, and a record whose id changed but
whose content did not is reported as renamed rather than as removed and added.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import escape, git
from generator.errors import DataError, GeneratorError
from generator.model import Base, Dataset, Incident, sort_key
from generator.project import Project
from generator.stats import Stats
from generator.validate import load_dataset
from generator.wording import incident_title

NOT_SET = "(not set)"
SHORT = 80  # longer texts are shown as the words around the change
CONTEXT_WORDS = 4
MAX_HUNKS = 3  # changes shown in one long text; a longer rewrite shows its first and last


class DiffError(GeneratorError):
    """A side of the comparison cannot be read: not a git repository, an unknown ref, bad data."""


# --- reading the data at a ref -------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """The checked data at one git ref, or in the working tree (ref None)."""

    ref: str | None
    commit: str
    dataset: Dataset
    missing: bool = False  # the ref has no data/bases.yaml: compared as empty

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
        scratch = Project(Path(tmp))
        _export(project.root, commit, "data", scratch.root)
        nothing = Snapshot(ref, commit, Dataset(bases=(), incidents=()), missing=True)
        if not scratch.bases_file.is_file():
            return nothing
        return Snapshot(ref, commit, _load(scratch, nothing.label, as_of))


def _export(root: Path, commit: str, folder: str, target: Path) -> None:
    """Write the files under ``folder`` at ``commit`` into ``target``, without a checkout."""
    listing = git.run(root, "ls-tree", "-r", "-z", commit, "--", folder)
    entries = []
    for line in listing.split(b"\0"):
        if not line:
            continue
        meta, _, path = line.partition(b"\t")
        mode, kind, obj = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            entries.append((obj.decode(), os.fsdecode(path)))
    if not entries:
        return
    out = git.run(root, "cat-file", "--batch", stdin="".join(f"{o}\n" for o, _ in entries).encode())
    pos = 0
    for _, name in entries:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        start = header_end + 1
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(out[start : start + size])
        pos = start + size + 1  # the content is followed by a newline


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


# --- comparing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    """One added, removed or changed record."""

    id: str
    title: str
    date: str = ""
    path: str = ""
    old_id: str = ""  # set when the id changed and the content did not
    old_path: str = ""  # set when the file moved
    changes: tuple[FieldChange, ...] = ()


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


def compare(old: Snapshot, new: Snapshot) -> DataDiff:
    a, b = old.dataset, new.dataset
    gone = {i: a.incident_by_id[i] for i in sorted(set(a.incident_by_id) - set(b.incident_by_id))}
    came = {i: b.incident_by_id[i] for i in sorted(set(b.incident_by_id) - set(a.incident_by_id))}
    changed: list[Entry] = []
    for old_id, new_id in _renamed(gone, came):
        changed.append(_changed(a, b, a.incident_by_id[old_id], b.incident_by_id[new_id]))
        del gone[old_id], came[new_id]
    for i in sorted(set(a.incident_by_id) & set(b.incident_by_id)):
        entry = _changed(a, b, a.incident_by_id[i], b.incident_by_id[i])
        if entry.changes or entry.old_path or entry.old_id:
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
            _base(bases_b[i], _field_changes(bases_a[i], bases_b[i]))
            for i in sorted(set(bases_a) & set(bases_b))
            if bases_a[i] != bases_b[i]
        ),
        **_counts(Stats(a), Stats(b)),
    )


def _renamed(gone: dict[str, Incident], came: dict[str, Incident]) -> list[tuple[str, str]]:
    """Pairs (old id, new id): a new record that lists the old id in ``previous_ids`` (the
    documented way to correct an id), or one identical to it apart from the id."""
    pairs = []
    by_previous = {old: i for i, incident in came.items() for old in incident.previous_ids}
    for i in list(gone):
        if i in by_previous and by_previous[i] in came:
            pairs.append((i, by_previous[i]))
    taken = {new for _, new in pairs}
    by_content: dict[str, list[str]] = {}
    for i, incident in came.items():
        if i not in taken:
            by_content.setdefault(_content(incident), []).append(i)
    for i, incident in gone.items():
        matches = by_content.get(_content(incident))
        if i not in by_previous and matches:
            pairs.append((i, matches.pop(0)))
    return pairs


def _content(incident: Incident) -> str:
    return incident.model_copy(update={"id": "", "previous_ids": []}).model_dump_json()


def _entry(dataset: Dataset, incident: Incident, **kw: Any) -> Entry:
    return Entry(
        id=incident.id,
        title=incident_title(incident, dataset),
        date=incident.date.isoformat(),
        path=dataset.files.get(incident.id, ""),
        **kw,
    )


def _changed(a: Dataset, b: Dataset, old: Incident, new: Incident) -> Entry:
    old_path, new_path = a.files.get(old.id, ""), b.files.get(new.id, "")
    changes = [c for c in _field_changes(old, new) if c.field != "id"]
    return _entry(
        b,
        new,
        old_id=old.id if old.id != new.id else "",
        old_path=old_path if old_path != new_path else "",
        changes=tuple(changes),
    )


def _base(base: Base, changes: Iterable[FieldChange] = ()) -> Entry:
    return Entry(id=base.id, title=base.name, changes=tuple(changes))


def _field_changes(old: Any, new: Any) -> list[FieldChange]:
    """Field by field, in the model's field order; lists of records (sources) entry by entry."""
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    out: list[FieldChange] = []
    for key in _ordered_keys(a, b):
        if a.get(key) == b.get(key):
            continue
        if _is_records(a.get(key)) or _is_records(b.get(key)):
            out += _entries_changes(key, a.get(key) or [], b.get(key) or [])
        else:
            out += _flat_changes(_flat(a.get(key), key), _flat(b.get(key), key))
    return out


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _flat_changes(a: dict[str, str], b: dict[str, str]) -> list[FieldChange]:
    return [
        FieldChange(key, *shorten(a.get(key), b.get(key)))
        for key in _ordered_keys(a, b)
        if a.get(key) != b.get(key)
    ]


def _entries_changes(key: str, a: list[Any], b: list[Any]) -> list[FieldChange]:
    """Entries matched in order: one changed in place is shown field by field, one added or
    removed as a single line ('sources[1]: (not set) → CENTCOM, Statement, 2022-08-25')."""
    out: list[FieldChange] = []
    matcher = difflib.SequenceMatcher(
        None, [_entry_text(x) for x in a], [_entry_text(x) for x in b], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # Same number on both sides: changed in place. Else too unsure to pair them up.
        pairs = i2 - i1 if tag == "replace" and i2 - i1 == j2 - j1 else 0
        for n in range(pairs):
            where = f"{key}[{j1 + n}]"
            out += _flat_changes(_flat(a[i1 + n], where), _flat(b[j1 + n], where))
        for n in range(i1 + pairs, i2):
            out.append(FieldChange(f"{key}[{n}]", *shorten(_entry_text(a[n]), None, 3 * SHORT)))
        for n in range(j1 + pairs, j2):
            out.append(FieldChange(f"{key}[{n}]", *shorten(None, _entry_text(b[n]), 3 * SHORT)))
    return out


def _entry_text(value: Any) -> str:
    return ", ".join(_flat(value).values())


def _ordered_keys(a: dict[str, str], b: dict[str, str]) -> list[str]:
    keys = list(a)
    for key in b:
        if key not in a:
            keys.append(key)
    return keys


def _flat(value: Any, prefix: str = "") -> dict[str, str]:
    """{'casualties': {'killed': 0}} -> {'casualties.killed': '0'}; lists of records by index,
    lists of words joined; empty values left out (shown as not set)."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(_flat(item, f"{prefix}.{key}" if prefix else key))
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        for n, item in enumerate(value):
            out.update(_flat(item, f"{prefix}[{n}]"))
    elif isinstance(value, list):
        if value:
            out[prefix] = ", ".join(str(v) for v in value)
    elif value is not None:
        out[prefix] = " ".join(str(value).split()) if isinstance(value, str) else _scalar(value)
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def shorten(old: str | None, new: str | None, limit: int = SHORT) -> tuple[str, str]:
    """Both texts; for long ones, the words around each change, with '…' for the rest."""
    if old is None or new is None:
        text = new if old is None else old
        assert text is not None
        cut = text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
        return (NOT_SET, cut) if old is None else (cut, NOT_SET)
    if len(old) <= limit and len(new) <= limit:
        return old, new
    a, b = old.split(" "), new.split(" ")
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # Windows of context around each change, merged where they touch: (a from, a to, b from, b to).
    windows: list[list[int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        lo_a, lo_b = max(0, i1 - CONTEXT_WORDS), max(0, j1 - CONTEXT_WORDS)
        if windows and lo_a <= windows[-1][1]:
            windows[-1][1], windows[-1][3] = i2 + CONTEXT_WORDS, j2 + CONTEXT_WORDS
        else:
            windows.append([lo_a, i2 + CONTEXT_WORDS, lo_b, j2 + CONTEXT_WORDS])
    if len(windows) > MAX_HUNKS:
        windows = [*windows[: MAX_HUNKS - 1], windows[-1]]
    return _excerpt(a, [(w[0], w[1]) for w in windows]), _excerpt(
        b, [(w[2], w[3]) for w in windows]
    )


def _excerpt(words: list[str], windows: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    end = 0
    for lo, hi in windows:
        hi = min(hi, len(words))
        if lo > end or (lo > 0 and not parts):
            parts.append("…")
        parts.append(" ".join(words[lo:hi]))
        end = hi
    if end < len(words):
        parts.append("…")
    return " ".join(p for p in parts if p)


def _counts(a: Stats, b: Stats) -> dict[str, tuple[CountChange, ...]]:
    names = {**{x.id: x.name for x in a.dataset.bases}, **{x.id: x.name for x in b.dataset.bases}}
    cells = set(a.attack_counts) | set(b.attack_counts)
    attacks = [
        CountChange(f"{names[base]}, {month}", a.attack_counts[k], b.attack_counts[k])
        for k in sorted(cells, key=lambda k: (names[k[0]], k[1]))
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
        CountChange("US strikes", len(a.strikes), len(b.strikes)),
        CountChange("Bases attacked", len(a.bases_ranked), len(b.bases_ranked)),
        CountChange("Months with an attack", len(a.attacks_per_month), len(b.attacks_per_month)),
    ]
    return {"attacks": tuple(attacks), "strikes": tuple(strikes), "totals": tuple(totals)}


# --- Markdown ------------------------------------------------------------------------------


def render(diff: DataDiff, templates_dir: Path) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=escape.gfm,  # every {{ value }} is escaped for Markdown unless marked safe
    )
    env.filters["code"] = escape.gfm_code
    text = env.get_template("diff.md.j2").render(diff=diff)
    return re.sub(r"\n{3,}", "\n\n", text)


def data_diff(project: Project, old_ref: str, new_ref: str | None = None) -> str:
    """The Markdown summary of the changes to the data from ``old_ref`` to ``new_ref``."""
    old = snapshot(project, old_ref)
    new = snapshot(project, new_ref)
    return render(compare(old, new), project.templates_dir)
