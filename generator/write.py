"""Put generated files in place: all of them or, on failure, none.

The one home of all-or-nothing file placement:

- ``sync_docs`` makes the generator's part of docs/ equal to the new output: it writes only
  the files whose bytes changed (so ``mkdocs serve`` rebuilds little), deletes files that
  are no longer produced (no stale incident page survives its record), and keeps a journal
  that can undo all of it if a later step fails;
- ``create_files`` adds new files (new incident records), never over an existing file;
- ``replace_dir`` swaps a finished site into place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildError
from generator.project import GENERATED_DIRS, GENERATED_FILES


@dataclass
class Journal:
    """What ``sync_docs`` changed, so it can be undone."""

    written: list[tuple[Path, bytes | None]] = field(default_factory=list)  # path, old bytes
    deleted: list[tuple[Path, bytes]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return len(self.written) + len(self.deleted)

    def rollback(self) -> None:
        for path, old in reversed(self.written):
            if old is None:
                path.unlink(missing_ok=True)
            else:
                _atomic_write(path, old)
        for path, old in self.deleted:
            _atomic_write(path, old)
        self.written.clear()
        self.deleted.clear()


def generated_files(docs_dir: Path) -> set[str]:
    """The generator's files now in docs/, as paths relative to it."""
    found = {f for f in GENERATED_FILES if (docs_dir / f).is_file()}
    for d in GENERATED_DIRS:
        for folder, _, files in os.walk(docs_dir / d):  # os.walk: a third of rglob's time
            rel = Path(folder).relative_to(docs_dir).as_posix()
            found.update(f"{rel}/{name}" for name in files)
    return found


def _refuse_links(docs: Path) -> None:
    """No symbolic link at docs/, at any generated path, or anywhere under them."""
    links = [docs] if docs.is_symlink() else []
    for rel in (*GENERATED_FILES, *GENERATED_DIRS):
        path = docs
        for part in Path(rel).parts:
            path = path / part
            if path.is_symlink():
                links.append(path)
                break
        else:
            if path.is_dir():
                for folder, dirs, files in os.walk(path):
                    links += [
                        Path(folder) / n for n in (*dirs, *files) if (Path(folder) / n).is_symlink()
                    ]
    if links:
        shown = ", ".join(sorted(str(p) for p in links))
        raise BuildError(f"refusing to write through symbolic links: {shown}; nothing was written")


def owned(rel: str) -> bool:
    """Whether a path relative to docs/ belongs to the generator."""
    return rel in GENERATED_FILES or any(rel.startswith(d + "/") for d in GENERATED_DIRS)


def sync_docs(outputs: dict[str, bytes], docs_dir: Path) -> Journal:
    """Make the generated part of docs/ hold exactly ``outputs``; return the undo journal."""
    docs = docs_dir
    _refuse_links(docs)  # Project.check_paths said so already; this is the last defence
    for rel in outputs:  # ids are slugs, so this never fires; it is the last line of defence
        parts = rel.split("/")
        if not owned(rel) or rel.startswith("/") or ".." in parts or "" in parts:
            raise BuildError(f"refusing to write {rel!r}: outside the generated part of docs/")
    journal = Journal()
    made: set[Path] = set()
    existing = generated_files(docs)  # listed once: most files of a fresh build are new
    try:
        for rel in sorted(outputs):
            target = docs / rel
            data = outputs[rel]
            old = target.read_bytes() if rel in existing else None
            if old != data:
                journal.written.append((target, old))
                _atomic_write(target, data, made)
        for rel in sorted(existing - outputs.keys()):
            target = docs / rel
            journal.deleted.append((target, target.read_bytes()))
            target.unlink()
        _remove_empty_dirs(docs)
    except OSError as e:
        journal.rollback()
        raise BuildError(
            f"could not write {e.filename}: {e.strerror}; docs/ was left as it was"
        ) from None
    return journal


def _atomic_write(path: Path, data: bytes, made: set[Path] | None = None) -> None:
    """Write to a temporary name beside the file, then rename: readers see old or new."""
    if made is None or path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        if made is not None:
            made.add(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:  # the usual permissions (umask), unlike mkstemp's 0600
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _remove_empty_dirs(docs: Path) -> None:
    for d in GENERATED_DIRS:
        root = str(docs / d)
        for folder, _, files in os.walk(root, topdown=False):  # children before parents
            if folder != root and not files and not os.listdir(folder):
                os.rmdir(folder)


def replace_file(path: Path, data: bytes) -> None:
    """Replace one file's bytes whole (readers see the old or the new)."""
    _atomic_write(path, data)


def create_files(files: dict[Path, bytes], *, shown: Callable[[Path], str] = str) -> None:
    """Create every file, or none: a file that exists already is never replaced.

    Each file is written beside its target under a temporary name and then hard-linked
    into place, which fails if the target exists (``open(…, "x")`` where the file system
    has no hard links). On any failure the files and folders made so far are removed.
    """
    done: list[Path] = []
    made: list[Path] = []
    current = next(iter(files), Path("."))
    try:
        for current, data in files.items():
            for parent in reversed(current.parents):
                if not parent.is_dir():
                    parent.mkdir()
                    made.append(parent)
            _create(current, data)
            done.append(current)
    except OSError as e:
        for path in reversed(done):
            path.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        why = "it already exists" if isinstance(e, FileExistsError) else e.strerror
        raise BuildError(f"could not write {shown(current)}: {why}; nothing was written") from None


def _create(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    with open(tmp, "xb") as f:
        f.write(data)
    try:
        os.link(tmp, path)  # fails with FileExistsError if the target exists
    except FileExistsError:
        raise
    except OSError:  # no hard links here: exclusive creation instead
        with open(path, "xb") as f:
            f.write(data)
    finally:
        tmp.unlink(missing_ok=True)


def replace_dir(new: Path, target: Path) -> None:
    """Swap a finished directory into place: the reader sees the old one or the new one."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except OSError:
        if old.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
