"""``make bench``: how long a site of 1,000, 10,000 (and 100,000) incidents takes to build.

For each size it writes a synthetic dataset (``bench/synthetic.py``) into a fresh copy of
the project, as a git repository whose history publishes it and then corrects a tenth of
its records (what the corrections log reads), then runs the real pipeline in two separate
processes, timed from outside:

- generation: ``generator.build.generate`` and writing docs/ (load, check, read git's
  history, aggregate, render the Markdown and chart data); the history's share is given
  apart;
- MkDocs: ``generator.publish.build_site`` (``mkdocs build --strict``, then the swap into
  site/).

Peak memory is each process's maximum resident set (with its children, e.g. mkdocs), from
``os.wait4``. In the same run it times the floor: a bare ``mkdocs build --strict`` of the
same number of trivial pages, with the same mkdocs.yml (theme, short nav, not_in_nav,
plugins). It prints a Markdown table and the ratios the targets in issue 6 talk about, then
the time the map's labels take at 500, 2,000 and 8,000 places (`bench/labels.py`).

    python -m bench --sizes "1000 10000" [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from bench import labels
from bench.synthetic import synthetic_dataset, write_dataset, write_history
from generator.project import SITE_INPUTS
from generator.publish import builder_env
from generator.write import owned

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000  # GitHub Pages' 1 GB limit is in these units


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    output: str


@dataclass(frozen=True)
class Row:
    incidents: int
    generation: Run
    history: float  # seconds of the generation reading git: data version, corrections log
    corrections: int
    mkdocs: Run
    pages: int
    site_mb: float
    floor: Run
    floor_mb: float

    @property
    def total(self) -> float:
        return self.generation.seconds + self.mkdocs.seconds


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(command: list[str], cwd: Path) -> Run:
    """Run a command; its wall time and the peak RSS of it and its children."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=builder_env(), stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # reaps it: this child's own rusage
        seconds = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if code != 0:
        raise SystemExit(f"{' '.join(command)} failed ({code}):\n{output}\n{errors}")
    return Run(seconds, usage.ru_maxrss * 1024 / MB, output)


def copy_inputs(target: Path) -> None:
    """What MkDocs reads besides docs/: mkdocs.yml, overrides/, templates/, the hook."""
    for name in SITE_INPUTS:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name)
        else:
            shutil.copy2(ROOT / name, target / name)


def copy_project(target: Path) -> None:
    """The site's inputs and the hand-written part of docs/."""
    target.mkdir(parents=True)
    copy_inputs(target)
    docs = ROOT / "docs"

    def generated(folder: str, names: list[str]) -> list[str]:
        rel = Path(folder).relative_to(docs)
        return [n for n in names if owned((rel / n).as_posix()) or owned(f"{rel / n}/x")]

    shutil.copytree(docs, target / "docs", ignore=generated)


def floor_project(target: Path, pages: int) -> None:
    """The same mkdocs.yml and assets, with ``pages`` trivial pages (those of the nav too)."""
    target.mkdir(parents=True)
    copy_inputs(target)
    docs = target / "docs"
    shutil.copytree(
        ROOT / "docs" / "assets", docs / "assets", ignore=shutil.ignore_patterns("vendor")
    )
    nav = nav_pages(ROOT / "mkdocs.yml")
    for rel in nav:
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(f"# {rel}\n\nA trivial page.\n")
    for n in range(pages - len(nav)):
        (docs / "incidents" / f"page-{n:06d}.md").write_text(f"# Page {n}\n\nA trivial page.\n")


def nav_pages(config: Path) -> list[str]:
    """The pages mkdocs.yml's nav lists (the floor needs them for --strict)."""
    with config.open() as f:
        nav = yaml_load(f)["nav"]
    return [page for entry in nav for page in entry.values()]


def directory_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / MB


def measure(size: int, workdir: Path, keep: bool) -> Row:
    project = workdir / f"site-{size}"
    log(f"[{size:,}] writing the synthetic dataset into {project}")
    copy_project(project)
    dataset = synthetic_dataset(size)
    write_dataset(project / "data", dataset)
    corrections = write_history(project, project / "data", dataset)
    python = sys.executable
    log(f"[{size:,}] generation ({corrections:,} corrections in the history)")
    generation = timed([python, "-m", "bench.stage", "generate", str(project)], ROOT)
    report = json.loads(generation.output.strip().splitlines()[-1])
    log(
        f"[{size:,}] {generation.seconds:.1f} s (history {report['history']:.1f} s); "
        f"MkDocs build of {report['pages']:,} pages"
    )
    mkdocs = timed([python, "-m", "bench.stage", "publish", str(project)], ROOT)
    site_mb = directory_mb(project / "site")
    log(f"[{size:,}] {mkdocs.seconds:.1f} s, {site_mb:,.0f} MB; the floor")
    floor_dir = workdir / f"floor-{size}"
    floor_project(floor_dir, report["pages"])
    floor = timed(
        [python, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", "site"],
        floor_dir,
    )
    floor_mb = directory_mb(floor_dir / "site")
    log(f"[{size:,}] floor {floor.seconds:.1f} s, {floor_mb:,.0f} MB")
    if not keep:
        shutil.rmtree(project)
        shutil.rmtree(floor_dir)
    return Row(
        size,
        generation,
        report["history"],
        corrections,
        mkdocs,
        report["pages"],
        site_mb,
        floor,
        floor_mb,
    )


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "pydantic")
    )
    return (
        f"{os.cpu_count()} cores{f' ({model})' if model else ''}{memory}; "
        f"Python {platform.python_version()}, {versions}"
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| incidents | generation s | of which history s | MkDocs s | total s | pages | "
        "site MB | peak MB (generation / MkDocs) | floor s | total / floor | floor site MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.incidents:,} | {r.generation.seconds:.1f} | {r.history:.1f} "
            f"({r.corrections:,} corrections) | {r.mkdocs.seconds:.1f} | "
            f"{r.total:.1f} | {r.pages:,} | {r.site_mb:,.0f} | "
            f"{r.generation.peak_mb:,.0f} / {r.mkdocs.peak_mb:,.0f} | "
            f"{r.floor.seconds:.1f} | {_against_floor(r)} | {r.floor_mb:,.0f} |"
        )
    return "\n".join(lines)


def _against_floor(r: Row) -> str:
    """Total / floor, where it means something: with a page per incident."""
    if r.pages < r.incidents:  # incidents are entries on month pages (settings.LIMITS)
        return "n/a: month entries"
    return f"{r.total / r.floor.seconds:.2f}"


def ratios(rows: list[Row]) -> list[str]:
    by_size = {r.incidents: r for r in rows}
    out = []
    if 1000 in by_size and 10000 in by_size:
        out.append(
            f"- total at 10,000 / total at 1,000: "
            f"{by_size[10000].total / by_size[1000].total:.1f} (target: at most 11)"
        )
    for r in rows:
        against = _against_floor(r)
        floor = (
            f"total is {against}× the floor"
            if not against.startswith("n/a")
            else "incidents are entries on their month pages, so no floor of as many pages"
        )
        out.append(
            f"- {r.incidents:,}: generation is {r.generation.seconds / r.total:.0%} of the "
            f"total ({r.generation.seconds:.1f} s); {floor}"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000 10000", help='e.g. "1000 10000 100000"')
    parser.add_argument(
        "--workdir", type=Path, default=None, help="where to build (default: a temp folder)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the built projects")
    args = parser.parse_args(argv)
    sizes = [int(s.replace(",", "").replace("_", "")) for s in args.sizes.split()]
    workdir = Path(tempfile.mkdtemp(prefix="bench-", dir=args.workdir))
    log(f"Benchmark of {', '.join(f'{s:,}' for s in sizes)} incidents in {workdir}")
    rows = []
    try:
        for size in sizes:
            rows.append(measure(size, workdir, args.keep))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"Machine: {machine()}\n")
    print(table(rows))
    print()
    print("\n".join(ratios(rows)))
    print("\nThe map's labels (bench/labels.py):\n")
    print(labels.report([500, 2000, 8000]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
