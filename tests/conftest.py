"""Shared fixtures: throw-away copies of the project, and helpers that speak the domain."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from generator.errors import DataError
from generator.project import Project
from generator.validate import load_dataset
from generator.write import owned

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 1, 1)  # fixed "today" for the date checks in tests

# A valid incident to start from; tests change one thing and look at the message.
GOOD = """\
id: 2022-08-15-green-village-rockets
date: 2022-08-15
kind: attack
base: green-village
weapon: rocket
summary: Rockets were fired at the base.
sources:
  - publisher: CNN
    title: Rockets hit base
    published: 2022-08-16
    url: https://example.com/a
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output instead of comparing.",
    )


def copy_project(target: Path, *, data: bool = True) -> Project:
    """A copy of the project's inputs (not its venv, site or generated pages) in ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "overrides", "templates"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)
    shutil.copytree(
        ROOT / "docs",
        target / "docs",
        ignore=lambda d, names: [n for n in names if _generated(ROOT / "docs", d, n)],
    )
    if data:
        shutil.copytree(ROOT / "data", target / "data")
    else:
        (target / "data" / "incidents").mkdir(parents=True)
        shutil.copy2(ROOT / "data" / "bases.yaml", target / "data" / "bases.yaml")
    return Project(target)


def _generated(docs: Path, folder: str, name: str) -> bool:
    rel = (Path(folder) / name).relative_to(docs).as_posix()
    return owned(rel) or owned(rel + "/x")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the project with the sample data."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def empty_project(tmp_path: Path) -> Project:
    """A copy of the project with the sample bases but no incidents."""
    return copy_project(tmp_path / "project", data=False)


def write_incident(project: Project, text: str, name: str | None = None) -> Path:
    """Write an incident file; its path comes from ``name`` or the id (which starts with the
    year, like every id in these tests)."""
    text = textwrap.dedent(text)
    if name is None:
        incident_id = next(line[4:] for line in text.splitlines() if line.startswith("id: "))
        name = f"{incident_id[:4]}/{incident_id}.yaml"
    path = project.incidents_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def problems(project: Project) -> list[str]:
    """Every problem the validator reports, as the user sees it ('path:line:col: …')."""
    try:
        load_dataset(project, as_of=TODAY)
    except DataError as e:
        return [str(p) for p in e.problems]
    return []


def assert_problems(project: Project, text: str, *expected: str, name: str | None = None) -> None:
    """Write one incident and check the exact messages the validator gives for it."""
    write_incident(project, text, name)
    assert problems(project) == list(expected)


# --- a built site, shared by the slow tests ------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory):
    """The sample project built once with the real `mkdocs build --strict`.

    Built for http://127.0.0.1:<port>/ (SITE_URL), so Material's instant navigation works
    when the browser tests serve it there.
    """
    from generator.build import build, generate

    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    port = free_port()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SITE_URL", f"http://127.0.0.1:{port}/")
        summary = build(project)
    return BuiltSite(project, summary, generate(project, as_of=TODAY), port)


class BuiltSite:
    def __init__(self, project, summary, generated, port):
        self.project = project
        self.summary = summary
        self.generated = generated
        self.port = port
        self.charts = {c.id: c for c in generated.charts}

    @property
    def site(self) -> Path:
        return self.project.site_dir
