"""``make diff`` and ``make review``: what a change does to the published site.

The review is computed by this checkout's code (the reviewer's, or CI's base branch) from
the two versions' files, which it reads as data only:

    sides       the files of a commit, read as git objects (names checked, never checked
                out), or of the working tree, copied into scratch folders
    changes     the data compared in its own terms: records, bases, actors, the dataset's
                settings, field by field, and the counts before and after
    published   each side's whole site rendered in memory by the build's own code, and
                every published file that differs
    files       every file the change touches: data, hand-written pages, or code
    render      the summary, as GitHub-flavoured Markdown in which the data stays text

A change that alters what the site publishes is never summed up as "no change": the
summary's first line comes from the comparison of the published files, not from a list of
fields.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from generator import escape, git, history
from generator.model import Dataset
from generator.project import Project
from generator.text import printable
from generator.validate import today as build_today

from .changes import DataChanges, compare
from .files import FileChange, changed_files
from .published import FileDiff, Published, differences, publish
from .sides import ReviewError, commit_of, copy_working_tree, export, merge_base

__all__ = ["Review", "ReviewError", "markdown", "review"]


@dataclass(frozen=True)
class Side:
    """One version compared: a commit, or the working tree (commit '')."""

    ref: str
    commit: str

    @property
    def label(self) -> str:
        if not self.commit:
            return "the working tree"
        return self.ref if self.commit.startswith(self.ref) else f"{self.ref} ({self.commit[:7]})"

    @property
    def markdown(self) -> Markup:
        if not self.commit:
            return Markup("the working tree")
        if self.commit.startswith(self.ref):
            return escape.gfm_code(self.commit[:7])
        return escape.gfm_code(self.ref) + Markup(f" ({self.commit[:7]})")


# The groups a changed file of the site is listed under (FileDiff.owner's kinds), in order.
OWNER_GROUPS = {
    "record": "Incident pages",
    "base": "Base pages and charts",
    "actor": "Actor pages and charts",
    "month": "Month pages and charts",
    "page": "The rest of the site: overview, indexes, charts, downloads and feeds",
}


@dataclass(frozen=True)
class FolderReview:
    """One data folder compared: its data and the site built from it."""

    folder: str  # relative to the repository's top, e.g. 'data', 'examples/campaign-2023-24'
    old: Published
    new: Published
    changes: DataChanges | None  # None when either side cannot be read
    published: tuple[FileDiff, ...]

    @property
    def new_hints(self) -> tuple[str, ...]:
        """The validator's hints (possible duplicates, gazetteer mismatches) that this
        change brings: given for the new side and not for the base, without line numbers
        (an edit above a record moves its lines)."""

        def said(side: Published) -> dict[str, str]:
            hints = side.dataset.hints if side.dataset is not None else ()
            return {f"{h.path}: {h.field}: {h.message}": str(h) for h in hints}

        before = said(self.old)
        return tuple(text for key, text in said(self.new).items() if key not in before)

    @property
    def corrections(self) -> tuple[history.Correction, ...]:
        """What the change adds to the corrections log: each correction or removal of a
        published record that the new side's history lists and the base's does not, with
        the reason it publishes (the commit's first line), newest first."""
        before = {(c.record, c.commit.hash, c.removed) for c in self.old.past.log}
        return tuple(
            c for c in self.new.past.log if (c.record, c.commit.hash, c.removed) not in before
        )

    @property
    def published_groups(self) -> tuple[tuple[str, tuple[FileDiff, ...]], ...]:
        """The site's changed files grouped by what they belong to (a record, a base, an
        actor, a month, or the site as a whole), each group in path order."""
        groups: dict[str, list[FileDiff]] = {label: [] for label in OWNER_GROUPS.values()}
        for diff in self.published:
            groups[OWNER_GROUPS[diff.owner[0]]].append(diff)
        return tuple((label, tuple(diffs)) for label, diffs in groups.items() if diffs)

    @property
    def unexplained(self) -> bool:
        """The site changes though the data, as compared, does not."""
        return bool(self.published) and (self.changes is None or self.changes.empty)


@dataclass(frozen=True)
class Review:
    old: Side
    new: Side
    folders: tuple[FolderReview, ...]
    files: tuple[FileChange, ...]
    pages: tuple[FileDiff, ...]  # hand-written pages of docs/ that differ
    code: tuple[FileChange, ...] = field(default=())

    @property
    def data_files(self) -> tuple[FileChange, ...]:
        """Files in the data folders that the records do not show: links, modes, others."""
        return tuple(
            f
            for f in self.files
            if f.kind == "data"
            and (f.status in ("type changed", "mode changed") or not f.path.endswith(".yaml"))
        )

    @property
    def problems(self) -> bool:
        """Whether the data cannot be built on either side."""
        return any(f.old.problem or f.new.problem for f in self.folders)

    @property
    def site_changes(self) -> bool:
        return bool(self.pages) or any(f.published for f in self.folders)

    @property
    def headline(self) -> str:
        """What the change does to the site as this checkout's code builds it."""
        if self.problems:
            return "The data cannot be built on one side: its problems are listed below."
        if self.site_changes:
            return "This change alters what the site publishes."
        if self.code:
            return "The data and the pages publish the same site; the code change may not."
        return "No change to what the site publishes."


def review(
    project: Project,
    base: str,
    head: str | None = None,
    *,
    from_merge_base: bool = False,
    as_of: dt.date | None = None,
) -> Review:
    """Compare the site of ``base`` with that of ``head`` (None: the working tree). With
    ``from_merge_base``, the base is where ``head`` branched off ``base`` (a pull request)."""
    top = git.toplevel(project.root)
    if top is None:
        raise ReviewError(
            f"{printable(str(project.root))} is not in a git repository; a review compares two "
            "versions of one"
        )
    prefix = project.root.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    new_commit = commit_of(top, head) if head is not None else ""
    old_commit = commit_of(top, base)
    if from_merge_base:
        old_commit = merge_base(top, old_commit, new_commit or "HEAD")
    old_side, new_side = Side(base, old_commit), Side(head or "", new_commit)
    main_data = prefix + project.data_dir.resolve().relative_to(project.root.resolve()).as_posix()
    files = changed_files(top, old_commit, new_commit or None, ())
    folders = _data_folders(top, old_commit, new_commit, main_data, [f.path for f in files])
    files = changed_files(top, old_commit, new_commit or None, tuple(folders))
    day = as_of or build_today()
    reviewed: list[FolderReview] = []
    with tempfile.TemporaryDirectory(prefix="incident-review-") as tmp:
        scratch = Path(tmp)
        docs = prefix + "docs"
        for side, name in ((old_side, "old"), (new_side, "new")):
            (scratch / name).mkdir()
            if side.commit:
                export(top, side.commit, [*folders, docs], scratch / name)
            else:
                copy_working_tree(top, [*folders, docs], scratch / name)
        pages = _pages(scratch / "old" / docs, scratch / "new" / docs)
        for folder in folders:
            sides = []
            for name in ("old", "new"):
                root = scratch / f"{name}-{len(reviewed)}"
                root.mkdir()
                _link_inputs(scratch / name, root, folder, docs)
                side = old_side if name == "old" else new_side
                sides.append(publish(project, root, folder, day, _history(top, folder, side)))
            old, new = sides
            changes = (
                compare(old.dataset, new.dataset)
                if old.dataset is not None and new.dataset is not None
                else None
            )
            reviewed.append(FolderReview(folder, old, new, changes, tuple(differences(old, new))))
    return Review(
        old_side,
        new_side,
        tuple(reviewed),
        tuple(files),
        tuple(pages),
        tuple(f for f in files if f.code),
    )


def _history(top: Path, folder: str, side: Side) -> Callable[[Dataset], history.History]:
    """The records' history as the side's commit holds it (the working tree: HEAD's; what
    is not committed yet has none), read from the repository's git objects."""
    source = Project(top, top / folder)
    return lambda dataset: history.read_history(source, dataset, rev=side.commit or "HEAD")


def _data_folders(top: Path, old: str, new: str, main: str, paths: list[str]) -> list[str]:
    """The project's data folder, and every other folder holding a bases.yaml (on either
    side) that the change touches: each dataset under examples/ is reviewed too."""
    found = {main}
    for path in paths:
        parts = path.split("/")[:-1]
        for n in range(len(parts), 0, -1):
            folder = "/".join(parts[:n])
            if folder in found or _has_bases(top, old, folder) or _has_bases(top, new, folder):
                found.add(folder)
                break
    return sorted(found)


def _has_bases(top: Path, commit: str, folder: str) -> bool:
    if not commit:
        path = top / folder / "bases.yaml"
        return path.is_file() or path.is_symlink()
    try:
        git.run(top, "cat-file", "-e", f"{commit}:{folder}/bases.yaml")
    except git.GitError:
        return False
    return True


def _link_inputs(side: Path, root: Path, folder: str, docs: str) -> None:
    """A scratch project for one data folder: the side's data and docs/ moved under the
    layout the build expects (data folder at its path, docs/ at the root)."""
    import shutil

    if (side / folder).exists() or (side / folder).is_symlink():
        (root / folder).parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(side / folder, root / folder, symlinks=True)
    if (side / docs).is_dir():
        shutil.copytree(side / docs, root / "docs", symlinks=True)


def _pages(old: Path, new: Path) -> list[FileDiff]:
    """The hand-written pages of docs/ (Markdown) that differ: their words are published."""

    def pages(docs: Path) -> dict[str, bytes]:
        if not docs.is_dir():
            return {}
        return {
            f"docs/{p.relative_to(docs).as_posix()}": p.read_bytes()
            for p in sorted(docs.rglob("*.md"))
            if p.is_file() and not p.is_symlink()
        }

    return differences(Published(pages(old)), Published(pages(new)))


def markdown(done: Review) -> str:
    """The review as GitHub-flavoured Markdown (``make diff``, ``make review``, CI)."""
    from .render import render

    return render(done)
