"""Every file a change touches, and what a reviewer reads it as: data (summed up by the
review), a hand-written page (shown as text), or code (anything else: it decides what the
build does, and no summary can vouch for it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator import git
from generator.write import owned

MODES = {
    "100644": "file",
    "100755": "executable file",
    "120000": "symbolic link",
    "160000": "git submodule",
    "040000": "folder",
    "000000": "nothing",
}

# What a file outside the data and the pages is, for the reviewer; the first match wins.
KINDS = (
    (".github/", "workflows"),
    ("templates/", "templates"),
    ("overrides/", "templates"),
    ("docs/", "site assets"),
    ("mkdocs.yml", "site settings"),
    ("generator/", "code"),
    ("tests/", "code"),
    ("scripts/", "code"),
    ("bench/", "code"),
    (".ci/", "code"),
    ("Makefile", "code"),
    ("pyproject.toml", "code"),
    ("requirements/", "code"),
)


# Files in a data folder that are programs, not data: what a reader may be told to run
# (an importer's adapter) is code, whatever folder holds it; so is any executable file.
PROGRAMS = (".py", ".pyw", ".sh", ".bash", ".js", ".mjs", ".cjs", ".ts", ".pl", ".rb", ".ps1")
PROGRAM_NAMES = ("Makefile", "GNUmakefile", "makefile", "Dockerfile", "conftest.py")
EXECUTABLE = "100755"


@dataclass(frozen=True)
class FileChange:
    path: str  # relative to the repository's top
    status: str  # added, deleted, modified, type changed, mode changed
    old_mode: str
    new_mode: str
    kind: str  # 'data', 'page' or what code it is ('workflows', 'git attributes'…)

    @property
    def what(self) -> str:
        if self.status in ("type changed", "mode changed"):
            return f"{self.status}: {MODES.get(self.old_mode, self.old_mode)} → " + MODES.get(
                self.new_mode, self.new_mode
            )
        mode = self.new_mode if self.status != "deleted" else self.old_mode
        return f"{self.status} ({MODES.get(mode, mode)})"

    @property
    def code(self) -> bool:
        return self.kind not in ("data", "page")


def kind_of(path: str, data_folders: tuple[str, ...], mode: str = "100644") -> str:
    """'data' inside a data folder, 'page' for a hand-written page of docs/, else the kind
    of code it is. Git attributes are code wherever they are: they change the bytes a
    checkout writes; so are programs and executable files in a data folder."""
    name = path.rsplit("/", 1)[-1]
    if name == ".gitattributes":
        return "git attributes"
    if any(path == d or path.startswith(d + "/") for d in data_folders):
        executable = mode == EXECUTABLE and not name.endswith((".yaml", ".yml"))  # a record's
        program = name.endswith(PROGRAMS) or name in PROGRAM_NAMES or executable  # mode is listed
        return "code in a data folder" if program else "data"
    rel = path.removeprefix("docs/")
    if path.startswith("docs/") and path.endswith(".md") and not owned(rel):
        return "page"
    return next((k for prefix, k in KINDS if path.startswith(prefix)), "other files")


def changed_files(
    root: Path, old: str, new: str | None, data_folders: tuple[str, ...]
) -> list[FileChange]:
    """Every path git sees changed between two commits (``new`` None: the working tree, files
    not yet committed included), but the generator's own pages."""
    args = ["diff", "--raw", "-z", "--no-renames", old]
    raw = git.run(root, *args, *([new] if new else []), "--").split(b"\0")
    changes: list[FileChange] = []
    names = {"A": "added", "D": "deleted", "M": "modified", "T": "type changed"}
    for meta, name in zip(raw[0::2], raw[1::2], strict=False):
        if not meta.startswith(b":"):
            continue
        old_mode, new_mode, _, _, letter = meta[1:].decode().split()
        status = names.get(letter[0], letter)
        if status == "modified" and old_mode != new_mode:
            status = "mode changed"
        path = os.fsdecode(name)
        mode = new_mode if status != "deleted" else old_mode
        changes.append(
            FileChange(path, status, old_mode, new_mode, kind_of(path, data_folders, mode))
        )
    if new is None:  # files not yet committed and not ignored
        untracked = git.run(root, "ls-files", "--others", "--exclude-standard", "-z")
        for name in untracked.split(b"\0"):
            if name:
                path = os.fsdecode(name)
                here = root / path
                mode = (
                    "120000"
                    if here.is_symlink()
                    else EXECUTABLE
                    if here.is_file() and os.access(here, os.X_OK)
                    else "100644"
                )
                changes.append(
                    FileChange(path, "added", "000000", mode, kind_of(path, data_folders, mode))
                )
    return sorted((c for c in changes if not _generated(c.path)), key=lambda c: (c.kind, c.path))


def _generated(path: str) -> bool:
    """The generator's own output in docs/ (ignored by git, never edited by hand)."""
    return path.startswith("docs/") and owned(path.removeprefix("docs/"))
