"""`pip install .` gives a working `incident-tracker` command, and the locks stay locked."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, copy_project

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
LOCKS = {
    name: (ROOT / "requirements" / name).read_text("utf-8") for name in ("site.txt", "test.txt")
}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pins(lock: str) -> dict[str, list[str]]:
    """Package -> the 'name==version ; marker' lines that pin it."""
    out: dict[str, list[str]] = {}
    for line in lock.splitlines():
        if line and not line.startswith((" ", "#")):
            out.setdefault(_name(line), []).append(line.rstrip(" \\"))
    return out


@pytest.mark.slow
def test_pip_install_gives_a_working_command(tmp_path):
    """Built from a copy of the sources (pip would leave build files in the checkout), then
    run from outside the repository, so the installed package is the one that runs."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    prefix = tmp_path / "prefix"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--prefix",
            str(prefix),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    [site_packages] = prefix.glob("lib/python*/site-packages")
    assert (site_packages / "generator" / "vendor" / "topojson" / "asia_50m.json").is_file()
    assert (site_packages / "generator" / "py.typed").is_file()
    project = copy_project(tmp_path / "project")
    env = {
        "PYTHONPATH": str(site_packages),
        "PATH": "/usr/bin:/bin",
        "SOURCE_DATE_EPOCH": "1767225600",
    }
    command = prefix / "bin" / "incident-tracker"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(command), *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    which = "import generator; print(generator.__file__)"
    where = subprocess.run(
        [sys.executable, "-c", which],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(site_packages))
    done = run("--root", str(project.root), "validate")
    assert (done.returncode, done.stdout) == (0, "OK: 17 incidents, 6 bases, 2 actors are valid.\n")
    done = run("--root", str(project.root), "generate")
    assert done.returncode == 0, done.stderr
    assert (project.docs_dir / "assets" / "vendor" / "topojson" / "asia_50m.json").is_file()
    done = run("--help")
    for command_name in ("site", "validate", "new", "diff", "import-csv", "serve"):
        assert f"  {command_name} " in done.stdout


def test_every_dependency_is_locked_with_hashes():
    site, test = (_pins(LOCKS[name]) for name in ("site.txt", "test.txt"))
    for requirement in PYPROJECT["project"]["dependencies"]:
        assert _name(requirement) in site, f"{requirement} is not in requirements/site.txt"
    for requirement in PYPROJECT["project"]["optional-dependencies"]["test"]:
        assert _name(requirement) in test, f"{requirement} is not in requirements/test.txt"
    for name, lock in LOCKS.items():
        blocks = re.split(r"\n(?=\S)", lock)
        pinned = [b for b in blocks if b and not b.startswith("#")]
        assert pinned, name
        for block in pinned:
            assert "==" in block.splitlines()[0], f"{name}: not an exact version: {block}"
            assert "--hash=sha256:" in block, f"{name}: no hash for {block.splitlines()[0]}"


def test_the_test_lock_installs_the_same_versions_as_the_site_lock():
    site, test = (_pins(LOCKS[name]) for name in ("site.txt", "test.txt"))
    for package, lines in site.items():
        assert test.get(package) == lines, package


def test_the_makefile_installs_only_locked_hashed_packages():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    assert len(installs) == 2
    for line in installs:
        assert "--require-hashes --no-deps -r requirements/" in line


def test_one_version_number():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    import generator

    assert re.fullmatch(r"\d+\.\d+\.\d+", generator.__version__)
