"""One side of a review: the files a commit holds, read as git objects and never checked
out, or the files of the working tree; copied into a scratch folder that the same loader,
validator and page renderer as a build then read.

A commit is input like any other. Its trees are walked object by object (``git cat-file``),
so every name is seen as git stores it: a name that is empty, ``.``, ``..`` or ``.git``, or
that holds a slash, a backslash or a NUL, is refused before anything is written, and every
path written is built from checked names inside the scratch folder. Links are written as
links, never followed, so that the validator refuses them as a build would; submodules are
refused. Sizes are bounded: a commit cannot fill the disk of whoever reviews it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator import git
from generator.errors import GeneratorError
from generator.text import printable
from generator.write import owned

BLOB, LINK, TREE, SUBMODULE = "100644", "120000", "040000", "160000"
EXECUTABLE = "100755"
MAX_FILES = 200_000  # files a side may hold in the folders reviewed
MAX_BYTES = 2 * 1024**3  # their bytes together
MAX_FILE_BYTES = 64 * 1024**2  # one file (a record may be 256 KB, a list 4 MB)


class ReviewError(GeneratorError):
    """A side cannot be read or compared: not a repository, an unknown ref, a hostile tree."""


@dataclass(frozen=True)
class Entry:
    """A file of a commit: its path (checked names joined by '/'), mode and object id."""

    path: str
    mode: str
    object: str


def commit_of(root: Path, ref: str) -> str:
    """The commit a ref names, or a ReviewError that says what to do."""
    if git.toplevel(root) is None:
        raise ReviewError(
            f"{printable(str(root))} is not in a git repository; a review compares two "
            "versions of one"
        )
    try:
        return git.commit_of(root, ref)
    except git.GitError:
        raise ReviewError(
            f"'{printable(ref)}' is not a commit, branch or tag in this repository; check the "
            "name (`git log --oneline` lists commits; a pull request's branch may need "
            "`git fetch origin pull/N/head:pr-N` first)"
        ) from None


def merge_base(root: Path, a: str, b: str) -> str:
    """The commit where ``b`` branched off ``a``: what a pull request is compared with."""
    try:
        return git.text(root, "merge-base", a, b).strip()
    except git.GitError:
        raise ReviewError(
            f"'{printable(a)}' and '{printable(b)}' have no commit in common; compare them "
            "with --base instead"
        ) from None


def files(root: Path, commit: str, folders: Iterable[str]) -> list[Entry]:
    """Every file under ``folders`` (paths from the repository's top) at ``commit``, by
    walking its trees; a hostile name or tree raises ReviewError."""
    tree = git.text(root, "rev-parse", "--verify", "--end-of-options", f"{commit}^{{tree}}")
    found: list[Entry] = []
    for folder in sorted(set(folders)):
        start = _descend(root, tree.strip(), folder)
        if start is not None:
            found += _walk(root, start, folder)
    if len(found) > MAX_FILES:
        raise ReviewError(
            f"{commit[:7]} holds more than {MAX_FILES:,} files in the folders reviewed"
        )
    return found


def _descend(root: Path, tree: str, folder: str) -> str | None:
    """The tree object of ``folder`` inside ``tree``, or None when it is not there."""
    for name in folder.strip("/").split("/"):
        entries = {n: (m, o) for m, n, o in _tree_entries(root, tree)}
        if name not in entries or entries[name][0] != TREE:
            return None
        tree = entries[name][1]
    return tree


def _walk(root: Path, tree: str, prefix: str) -> list[Entry]:
    out: list[Entry] = []
    todo = [(tree, prefix.strip("/"))]
    while todo:
        tree, at = todo.pop()
        for mode, name, obj in _tree_entries(root, tree):
            path = f"{at}/{name}"
            if mode == TREE:
                todo.append((obj, path))
            elif mode == SUBMODULE:
                raise ReviewError(
                    f"{printable(path)} is a git submodule; the folders reviewed hold files only"
                )
            else:
                out.append(Entry(path, mode, obj))
        if len(out) > MAX_FILES:
            break
    return sorted(out, key=lambda e: e.path)


def _tree_entries(root: Path, tree: str) -> list[tuple[str, str, str]]:
    """(mode, name, object id) of each entry of a tree object, names checked."""
    data = git.run(root, "cat-file", "tree", tree)
    entries = []
    pos = 0
    while pos < len(data):
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        mode = data[pos:space].decode("ascii").rjust(6, "0")
        raw = data[space + 1 : nul]
        obj = data[nul + 1 : nul + 21].hex()
        pos = nul + 21
        entries.append((mode, _checked_name(raw), obj))
    return entries


def _checked_name(raw: bytes) -> str:
    name = os.fsdecode(raw)
    if name in ("", ".", "..") or name.casefold() == ".git" or any(c in name for c in "/\\\0"):
        raise ReviewError(
            f"the commit holds a tree entry named {printable(repr(name))}, which git itself "
            "never writes: a crafted commit; refusing to read it"
        )
    return name


def export(root: Path, commit: str, folders: Iterable[str], target: Path) -> list[Entry]:
    """Write the files under ``folders`` at ``commit`` into ``target`` (an empty scratch
    folder), as git holds them: bytes as committed (no attribute or filter applied, the
    same bytes a build must read), links as links. Returns the files written."""
    entries = files(root, commit, folders)
    blobs = [e for e in entries if e.mode in (BLOB, EXECUTABLE, LINK)]
    total = 0
    for entry, size in zip(blobs, git.sizes(root, [e.object for e in blobs]), strict=True):
        total += size if size is not None else 0
        if size is None or size > MAX_FILE_BYTES or total > MAX_BYTES:  # checked before reading
            raise ReviewError(
                f"{printable(entry.path)} at {commit[:7]} is too large to review"
                if size is not None
                else f"{printable(entry.path)} at {commit[:7]} is missing from this clone"
            )
    links: list[tuple[Path, bytes]] = []
    for entry, content in zip(blobs, git.read(root, [e.object for e in blobs]), strict=True):
        dest = target.joinpath(*entry.path.split("/"))
        if not dest.resolve().is_relative_to(target.resolve()):  # cannot happen: names are checked
            raise ReviewError(
                f"refusing to write {printable(entry.path)} outside the scratch folder"
            )
        dest.parent.mkdir(parents=True, exist_ok=True)
        if entry.mode == LINK:
            links.append((dest, content))
        else:
            dest.write_bytes(content)
    for dest, link_target in links:  # last: nothing is ever written through one of them
        os.symlink(os.fsdecode(link_target), dest)
    return entries


def copy_working_tree(root: Path, folders: Iterable[str], target: Path) -> None:
    """The same folders from the working tree (files not yet committed included), links
    kept as links; the generator's own pages in docs/ left out."""
    for folder in sorted(set(folders)):
        source = root / folder
        if source.is_dir() and not source.is_symlink():
            shutil.copytree(source, target / folder, symlinks=True, ignore=_generated_in(root))
        elif source.is_symlink():
            (target / folder).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(source), target / folder)


def _generated_in(root: Path) -> Callable[[str, list[str]], list[str]]:
    """For copytree: the names in a folder that are the generator's own output in docs/."""
    docs = root / "docs"

    def ignore(folder: str, names: list[str]) -> list[str]:
        here = Path(folder)
        if not here.is_relative_to(docs):
            return []
        rel = here.relative_to(docs).as_posix()
        paths = {n: n if rel == "." else f"{rel}/{n}" for n in names}
        return [n for n, p in paths.items() if owned(p) or owned(p + "/x")]

    return ignore
