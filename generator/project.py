"""Where things live in a project checkout, and which files in docs/ the generator owns."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

# What MkDocs reads besides docs/ (for copies of a project: tests, the benchmark).
SITE_INPUTS = ("mkdocs.yml", "overrides", "templates", "generator/hooks.py")
# Paths under docs/ that belong to the generator: rewritten on every build, never edited
# by hand, listed in .gitignore. Everything else in docs/ is hand-written and left alone.
GENERATED_FILES = ("index.md", "timeline.md", "map.md", "feed.xml")
GENERATED_DIRS = ("bases", "months", "years", "incidents", "charts", "data", "assets/vendor")


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
    def incidents_dir(self) -> Path:
        return self.data_dir / "incidents"

    @property
    def schema_file(self) -> Path:
        """The JSON Schema of incident files: one per project, whichever data folder."""
        return self.root / "data" / "incident.schema.json"

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
        """A path as the user should see it in messages: relative to the project, with /."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def incident_file(self, incident_id: str, day: dt.date) -> Path:
        """Where an incident's file goes: <data>/incidents/<YYYY>/<id>.yaml."""
        return self.incidents_dir / f"{day.year:04d}" / f"{incident_id}.yaml"

    def schema_modeline(self, path: Path) -> str:
        """The first line of an incident file at ``path``: editors that read it check the
        file against the schema while it is typed."""
        relative = os.path.relpath(self.schema_file, path.parent)
        return f"# yaml-language-server: $schema={Path(relative).as_posix()}"

    def incident_files(self) -> list[Path]:
        """Every incident file, in a stable order whatever the file system returns."""
        if not self.incidents_dir.is_dir():
            return []
        return sorted(self.incidents_dir.glob("*/*.yaml"), key=lambda p: p.as_posix())

    def stray_files(self) -> list[Path]:
        """Files in the incidents folder that are not at <year>/<id>.yaml and so would be
        ignored."""
        if not self.incidents_dir.is_dir():
            return []
        expected = {p.as_posix() for p in self.incident_files()}
        return sorted(
            (p for p in self.incidents_dir.rglob("*") if p.as_posix() not in expected
             and p.is_file()),
            key=lambda p: p.as_posix(),
        )  # fmt: skip

    def with_root(self, root: Path) -> Project:
        """The same layout under another folder (a scratch copy for checking)."""
        data = None if self.data is None else root / self.data.relative_to(self.root)
        return Project(root, data)
