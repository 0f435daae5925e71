"""Same data, same bytes: whatever the folder, file order, time zone, locale or hash seed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, copy_project

from generator.build import generate
from generator.project import Project

pytestmark = pytest.mark.slow


def build_in_subprocess(project: Project, **env: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), "site"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def recreate_in_reverse_order(project: Project) -> None:
    """Write the incident files again, newest first, so the directory order differs."""
    files = {p: p.read_bytes() for p in project.incident_files()}
    shutil.rmtree(project.incidents_dir)
    for path, data in sorted(files.items(), reverse=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_two_builds_are_byte_identical_across_folders_zones_locales_and_order(tmp_path):
    a = copy_project(tmp_path / "a")
    b = copy_project(tmp_path / "second copy" / "b")
    recreate_in_reverse_order(b)
    epoch = "1767225600"  # 2026-01-01: the date any shown date is drawn from
    build_in_subprocess(a, TZ="UTC", LC_ALL="C.UTF-8", PYTHONHASHSEED="1", SOURCE_DATE_EPOCH=epoch)
    build_in_subprocess(
        b,
        TZ="Pacific/Kiritimati",
        LC_ALL="C",
        LANG="de_DE.UTF-8",
        PYTHONHASHSEED="2",
        SOURCE_DATE_EPOCH=epoch,
    )
    docs_a, docs_b = tree(a.docs_dir), tree(b.docs_dir)
    assert sorted(docs_a) == sorted(docs_b)
    assert [k for k in docs_a if docs_a[k] != docs_b[k]] == []
    site_a, site_b = tree(a.site_dir), tree(b.site_dir)
    assert sorted(site_a) == sorted(site_b)
    assert [k for k in site_a if site_a[k] != site_b[k]] == []


def test_the_order_files_are_read_in_does_not_matter(project, monkeypatch):
    forward = generate(project, as_of=TODAY).outputs
    original = Project.incident_files
    monkeypatch.setattr(
        Project, "incident_files", lambda self, tree=None: original(self, tree)[::-1]
    )
    assert generate(project, as_of=TODAY).outputs == forward
