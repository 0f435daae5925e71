"""Where things live in a project checkout, which files in docs/ the generator owns, and
the one rule for every path the project reads or writes.

The rule: no symbolic links in the data folder, docs/, overrides/, templates/, site/ or on
the way to any of them, and nothing read, written or deleted outside the project. A pull
request can commit a link (``docs/charts -> /somewhere``, ``data/x.yaml -> ~/.ssh/key``);
following it would delete or publish files that are not the project's. Every command
checks the rule (``Project.check_paths``) before it reads anything, and the file writers
check each target (``Project.inside``) before they write or delete.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import GeneratorError
from generator.hooks import GENERATED_DIRS, GENERATED_FILES
from generator.text import printable

# What MkDocs reads besides docs/ (for copies of a project: tests, the benchmark).
SITE_INPUTS = ("mkdocs.yml", "overrides", "templates", "generator/hooks.py")
# Paths under docs/ that belong to the generator (defined where MkDocs' hook needs them).
# What hand-written parts of docs/ may hold: pages (cleaned by the hook), the site's own
# style and scripts (code, reviewed as code), pictures, fonts, and GitHub Pages' settings.
PUBLISHABLE = frozenset(
    (
        ".md",
        ".css",
        ".js",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".ico",
        ".woff",
        ".woff2",
        ".txt",
        "CNAME",
        ".nojekyll",
    )
)
__all__ = ["GENERATED_DIRS", "GENERATED_FILES", "Project", "UnsafePathError", "printable"]


@dataclass(frozen=True)
class Project:
    """A project folder: ``root`` holds mkdocs.yml, templates/ and docs/; the data folder is
    ``root/data`` unless another one is given (``DATA=examples/…``)."""

    root: Path
    data: Path | None = field(default=None)

    @property
    def data_dir(self) -> Path:
        return self.data if self.data is not None else self.root / "data"

    @property
    def bases_file(self) -> Path:
        return self.data_dir / "bases.yaml"

    @property
    def actors_file(self) -> Path:
        """The groups perpetrators can name by id (optional)."""
        return self.data_dir / "actors.yaml"

    @property
    def info_file(self) -> Path:
        """What the dataset is: its title, countries, coverage and first day."""
        return self.data_dir / "dataset.yaml"

    @property
    def incidents_dir(self) -> Path:
        return self.data_dir / "incidents"

    @property
    def schema_file(self) -> Path:
        """The JSON Schema of this data folder's incident files (its bases and actors are
        offered for completion)."""
        return self.data_dir / "incident.schema.json"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    def display(self, path: Path) -> str:
        """A path as the user should see it in messages: relative to the project, with /,
        and any control character in a file name shown as an escape (a newline in a name
        must not start a new line of output)."""
        try:
            shown = path.relative_to(self.root).as_posix()
        except ValueError:
            shown = path.as_posix()
        return printable(shown)

    def repository_path(self, path: Path) -> str:
        """A file's path in the project's repository, as pages and edit links name it
        (data/incidents/2022/x.yaml); "" for a data folder outside the project, so a
        build from elsewhere publishes no path of the machine it ran on."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return ""

    def incident_file(self, incident_id: str, day: dt.date) -> Path:
        """Where an incident's file goes: <data>/incidents/<YYYY>/<id>.yaml."""
        return self.incidents_dir / f"{day.year:04d}" / f"{incident_id}.yaml"

    def schema_modeline(self, path: Path) -> str:
        """The first line of an incident file at ``path``: editors that read it check the
        file against the schema while it is typed."""
        relative = os.path.relpath(self.schema_file, path.parent)
        return f"# yaml-language-server: $schema={Path(relative).as_posix()}"

    def incident_files(self, tree: Tree | None = None) -> list[Path]:
        """Every incident file (<year>/<id>.yaml, real files only), in a stable order.
        ``tree`` is a walk of the data folder already made (``walk``)."""
        return self._incidents(tree)[0]

    def stray_files(self, tree: Tree | None = None) -> list[Path]:
        """Files in the incidents folder that are not at <year>/<id>.yaml and so would be
        ignored (links are reported by ``links``, not here)."""
        return self._incidents(tree)[1]

    def _incidents(self, tree: Tree | None) -> tuple[list[Path], list[Path]]:
        """The incident files and the stray files of the incidents folder, in a stable order."""
        folder = self.incidents_dir
        if not folder.is_dir() or folder.is_symlink():
            return [], []
        files = (tree or walk(folder)).under(folder)
        records: list[Path] = []
        stray: list[Path] = []
        for path in files.files:
            incident = (
                path in files.regular and path.suffix == ".yaml" and path.parent.parent == folder
            )
            (records if incident else stray).append(path)
        return records, stray

    # --- the path rule -------------------------------------------------------------------

    def guarded(self) -> tuple[Path, ...]:
        """What the rule covers: what the build reads (data, pages, theme, templates) and
        writes (docs/, site/)."""
        return (
            self.data_dir,
            self.docs_dir,
            self.root / "overrides",
            self.templates_dir,
            self.site_dir,
            self.config_file,
            self.root / "generator" / "hooks.py",
        )

    def links(self, *paths: Path, tree: Tree | None = None) -> list[tuple[Path, str]]:
        """Every symbolic link at, under or on the way to ``paths`` (default: ``guarded``),
        with what it points to. ``tree`` is a walk of the first path, already made."""
        found: dict[Path, str] = {}
        walked = {paths[0]: tree} if paths and tree is not None else {}
        for path in paths or self.guarded():
            for step in _chain(self.root, path):
                if step.is_symlink():
                    found[step] = os.readlink(step)
            if path.is_dir() and not path.is_symlink():
                for link in (walked.get(path) or walk(path)).links:
                    found[link] = os.readlink(link)
        return sorted(found.items())

    def check_paths(self, *paths: Path) -> None:
        """Refuse to go on if the rule is broken anywhere in ``paths`` (default: ``guarded``).

        The data folder's links are left to the validator, which lists them with the
        data's other problems.
        """
        wanted = paths or tuple(p for p in self.guarded() if p != self.data_dir)
        links = self.links(*wanted)
        if links:
            raise UnsafePathError(self, links)

    def check_published(self) -> None:
        """Refuse hand-written files in docs/ that MkDocs would publish as they are and a
        browser would run: HTML, SVG and XML can carry script, and are not cleaned like
        the Markdown pages are."""
        refused = []
        for folder, dirs, files in os.walk(self.docs_dir):
            here = Path(folder)
            rel = here.relative_to(self.docs_dir).as_posix()
            if rel != "." and any(rel == d or rel.startswith(d + "/") for d in GENERATED_DIRS):
                dirs.clear()  # the generator's own output
                continue
            for name in files:
                allowed = Path(name).suffix.lower() in PUBLISHABLE or name in PUBLISHABLE
                if not allowed and not (rel == "." and name in GENERATED_FILES):
                    refused.append(self.display(here / name))
        if refused:
            raise GeneratorError(
                "refusing to publish these files from docs/, which a browser could run as "
                "they are (only Markdown pages are cleaned of script): "
                + ", ".join(sorted(refused))
                + f". docs/ may hold: {', '.join(sorted(PUBLISHABLE))}. Write a Markdown "
                "page instead, or remove the file."
            )

    def inside(self, path: Path) -> Path:
        """``path``, if writing or deleting it stays inside the project: no link on the way,
        none at the path itself. Else UnsafePathError."""
        links = [(p, os.readlink(p)) for p in _chain(self.root, path) if p.is_symlink()]
        if links:
            raise UnsafePathError(self, links)
        if not _within(self.root, path):
            raise UnsafePathError(self, [], outside=path)
        return path

    def with_root(self, root: Path) -> Project:
        """The same layout under another folder (a scratch copy for checking)."""
        if self.data is None:
            return Project(root)
        if not self.data.is_relative_to(self.root):
            raise GeneratorError(
                f"the data folder {printable(str(self.data))} is outside the project folder "
                f"{printable(str(self.root))}: checking new records and comparing versions "
                "need it inside (move or copy it there, for example to examples/), or give "
                "--root the folder that holds it"
            )
        return Project(root, root / self.data.relative_to(self.root))


class UnsafePathError(GeneratorError):
    """A path the project would read or write is a link, or leads outside the project."""

    def __init__(
        self, project: Project, links: list[tuple[Path, str]], outside: Path | None = None
    ):
        self.links = links
        if outside is not None:
            message = f"refusing to write {project.display(outside)}: it is outside the project"
        else:
            listed = "\n".join(
                f"  {project.display(p)} -> {printable(target)}" for p, target in links
            )
            message = (
                f"refusing to go on: {len(links)} symbolic link{'s' if len(links) != 1 else ''}"
                f" where the project reads or writes files:\n{listed}\n"
                "A link could make a build read, publish or delete files outside the project. "
                "Replace each with the real file or folder (or remove it: `git rm <path>`)."
            )
        super().__init__(message)


@dataclass(frozen=True)
class Tree:
    """What one walk of a folder found (``walk``), no link followed."""

    files: tuple[Path, ...]  # every entry that is neither a folder nor a link, by path
    regular: frozenset[Path]  # those of them that are regular files (not pipes, sockets...)
    links: tuple[Path, ...]  # every symbolic link, to a file or a folder, by path

    def under(self, folder: Path) -> Tree:
        """The part of the walk inside ``folder``."""
        inside = folder.as_posix() + "/"
        return Tree(
            tuple(p for p in self.files if p.as_posix().startswith(inside)),
            frozenset(p for p in self.regular if p.as_posix().startswith(inside)),
            tuple(p for p in self.links if p.as_posix().startswith(inside)),
        )


def walk(folder: Path, skip: Callable[[str], bool] = lambda rel: False) -> Tree:
    """Every file and link under ``folder``, in one pass (``os.scandir`` says what each
    entry is without another system call); folders whose path relative to ``folder``
    ``skip`` accepts are not entered. Sorted by path, the order of the records."""
    files: list[Path] = []
    regular: set[Path] = set()
    links: list[Path] = []
    if not folder.is_dir() or folder.is_symlink():
        return Tree((), frozenset(), ())
    pending = [(folder, "")]
    while pending:
        here, rel = pending.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                path = here / entry.name
                if entry.is_symlink():
                    links.append(path)
                elif entry.is_dir(follow_symlinks=False):
                    inner = f"{rel}{entry.name}"
                    if not skip(inner):
                        pending.append((path, inner + "/"))
                else:
                    files.append(path)
                    if entry.is_file(follow_symlinks=False):
                        regular.add(path)
    return Tree(
        tuple(sorted(files, key=Path.as_posix)),
        frozenset(regular),
        tuple(sorted(links, key=Path.as_posix)),
    )


def _chain(root: Path, path: Path) -> list[Path]:
    """``path`` and its parents below ``root`` (root excluded), outermost first."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return [path]
    out, current = [], root
    for part in relative.parts:
        current = current / part
        out.append(current)
    return out


def _within(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
