"""What the site publishes from one side of a review, and how the two sides differ.

A side's site is rendered in memory by the same code as a build (``build.generate``): every
generated page, chart, download and feed, and the site's name (the hand-written pages of
docs/ are compared as they are). The templates, ``mkdocs.yml`` and the code are the
reviewer's (this checkout's), never the side's: a pull request's code is reviewed as code,
not run. What changes with
every commit by itself is held fixed on both sides, so that it never shows as a change:
the data version under the charts, each record's "last changed" date, and the dates the
feed takes from them. The corrections log is not: each side's is read from git's history
of its commit, so the reasons and dates a change adds to it (its commits' first lines and
days) show like any other published text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from generator import history
from generator.build import generate
from generator.errors import DataError, GeneratorError
from generator.model import Dataset
from generator.project import Project

# Held fixed on both sides (see above); the review says so.
FIXED_VERSION = history.Version(None, dt.date(2000, 1, 1))
NO_PAST = history.History(history.NO_HISTORY)  # a side that is not a commit has no history
SITE_NAME = "(the site's name)"  # the pseudo-file that holds the site's name
FROM_THE_REVIEWER = ("mkdocs.yml", "templates", "overrides")


@dataclass(frozen=True)
class Published:
    """One side's site: path -> bytes (the generated pages, charts, downloads and feed
    under their docs/ path, and the site's name), and the data it was built from; or why
    it cannot be built."""

    files: dict[str, bytes]
    problem: str = ""  # the data cannot be built: its problems, as the validator words them
    dataset: Dataset | None = None
    past: history.History = NO_PAST  # the records' history the side publishes


def publish(
    trusted: Project,
    scratch_root: Path,
    data: str,
    as_of: dt.date,
    history_of: Callable[[Dataset], history.History] | None = None,
) -> Published:
    """The site built from the data folder ``data`` and the docs/ of the side copied into
    ``scratch_root``, with the templates and settings of ``trusted``; its corrections log
    from ``history_of`` the side's records (none without it)."""
    for name in FROM_THE_REVIEWER:
        source = trusted.root / name
        if source.is_dir():
            shutil.copytree(source, scratch_root / name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, scratch_root / name)
    (scratch_root / "docs").mkdir(exist_ok=True)
    project = Project(scratch_root, scratch_root / data)
    if not project.bases_file.is_file() and not project.bases_file.is_symlink():
        return Published({}, "", Dataset(bases=(), incidents=()))  # no data folder here

    def past(dataset: Dataset) -> history.History:
        if history_of is None:
            return NO_PAST
        return replace(history_of(dataset), changed={})  # "last changed": held fixed, above

    try:
        generated = generate(project, as_of=as_of, version=FIXED_VERSION, past=past)
    except DataError as e:
        return Published({}, e.listing())
    except GeneratorError as e:
        return Published({}, str(e))
    files = dict(generated.outputs)
    files[SITE_NAME] = generated.dataset.info.title.encode()
    return Published(files, "", generated.dataset, generated.past)


@dataclass(frozen=True)
class FileDiff:
    """A published file that differs between the sides."""

    path: str
    status: str  # added, removed, changed
    added: int  # lines
    removed: int
    lines: tuple[str, ...]  # a unified diff, without its header

    @property
    def owner(self) -> tuple[str, str]:
        """What the file belongs to: ('record', id), ('base', id), ('actor', id),
        ('month', YYYY-MM), ('page', path) for the rest."""
        return owner_of(self.path)


def owner_of(path: str) -> tuple[str, str]:
    stem = path.removesuffix(".md").removesuffix(".json").removesuffix("/index.html")
    for prefix, kind in (
        ("incidents/", "record"),
        ("bases/", "base"),
        ("charts/base-", "base"),
        ("actors/", "actor"),
        ("charts/actor-", "actor"),
        ("months/", "month"),
        ("charts/month-", "month"),
    ):
        if stem.startswith(prefix) and stem.removeprefix(prefix) not in ("index", ""):
            return kind, stem.removeprefix(prefix)
    return "page", path


def differences(old: Published, new: Published) -> list[FileDiff]:
    """Every published file that is added, removed or changed, with its lines."""
    out = []
    for path in sorted(set(old.files) | set(new.files)):
        a, b = old.files.get(path), new.files.get(path)
        if a == b:
            continue
        before, after = _lines(path, a), _lines(path, b)
        diff = list(difflib.unified_diff(before, after, lineterm="", n=1))[2:]
        status = "added" if a is None else "removed" if b is None else "changed"
        out.append(
            FileDiff(
                path,
                status,
                sum(1 for line in diff if line.startswith("+")),
                sum(1 for line in diff if line.startswith("-")),
                tuple(diff),
            )
        )
    return out


def _lines(path: str, data: bytes | None) -> list[str]:
    """A published file as lines to compare: JSON laid out one value per line, so that a
    changed number in a chart shows as one line; anything else as its text."""
    if data is None:
        return []
    text = data.decode("utf-8", "replace")
    if path.endswith((".json", ".geojson")):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False)
    return text.splitlines()
