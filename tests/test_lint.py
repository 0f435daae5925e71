"""The code stays in one style: ruff's checks and formatting (config in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

RUFF = Path(sys.executable).parent / "ruff"


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RUFF), *args, "generator", "tests", "tools", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_check():
    run = ruff("check", "--no-cache")
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format():
    run = ruff("format", "--check", "--no-cache")
    assert run.returncode == 0, (
        run.stdout + run.stderr + "\nrun: .venv/bin/ruff format generator tests bench"
    )
