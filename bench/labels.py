"""``make bench``, the map's labels: the work grows in proportion to the places, not their
square (issue 20: 2,000 bases took 18 s when the generator placed every label against every
other).

Two parts, timed separately:

- the generator's share: the map's figure (markers, each label's rank, the countries' name
  spots) for datasets of 500, 2,000 and 8,000 bases with coordinates, each with an attack;
- the browser's share: ``docs/assets/javascripts/labels.js`` placing the labels, run in
  Node on synthetic maps of as many places, spread over the map and all at one point (the
  worst case for a placement that compares labels with each other). It prints the cell
  tests made per place, which stays flat as the places grow. Without Node it says so.

    python -m bench.labels [--sizes "500 2000 8000"]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import time
from pathlib import Path

from generator.charts.map import incident_map
from generator.model import Base, Dataset, Incident, Source
from generator.stats import Stats

ROOT = Path(__file__).resolve().parent.parent
LABELS_JS = ROOT / "docs" / "assets" / "javascripts" / "labels.js"

# Places a label on synthetic maps in Node: n places of random width spread over an
# 880 × 490 px map, or all at its middle; the same seed each time.
NODE = """
const labels = require(process.argv[1]);
const out = [];
const sizes = JSON.parse(process.argv[2]);
for (const n of [...sizes, ...sizes]) for (const clustered of [false, true]) {  // warm, then timed
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const markers = Array.from({length: n}, () => {
    const x = clustered ? 440 : random() * 880, y = clustered ? 245 : random() * 490;
    return {x, y, r: 4 + random() * 10};
  });
  const wanted = markers.map((m, k) => ({x: m.x, y: m.y, r: m.r, size: 12, rank: k,
                                         width: 30 + random() * 120}));
  const start = process.hrtime.bigint();
  const result = labels.place({left: 0, top: 0, right: 880, bottom: 490}, markers, wanted);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  out.push({n, clustered, ms, checks: result.checks,
            placed: result.placed.filter(Boolean).length});
}
console.log(JSON.stringify(out.slice(out.length / 2)));
"""


def synthetic_bases(n: int) -> Dataset:
    """n bases spread over Iraq and Syria, each attacked once (a seeded, made-up map)."""
    rng = random.Random(20)
    day = dt.date(2024, 1, 1)
    source = Source(publisher="Bench", title="Synthetic", published=day)
    bases = tuple(
        Base(
            id=f"base-{k}",
            name=f"Base {k} {'al-' * (k % 3)}{'Sakhar' * (1 + k % 2)}",
            country="Iraq" if k % 2 else "Syria",
            lat=round(rng.uniform(32.0, 37.0), 4),
            lon=round(rng.uniform(38.0, 46.0), 4),
        )
        for k in range(n)
    )
    incidents = tuple(
        Incident(
            id=f"2024-01-01-base-{k}-rockets",
            date=day,
            kind="attack",
            base=b.id,
            weapon="rocket",
            summary="Rockets.",
            sources=[source],
        )
        for k, b in enumerate(bases)
    )
    return Dataset(bases=bases, incidents=incidents)


def generator_share(sizes: list[int]) -> list[str]:
    lines = []
    for n in sizes:
        stats = Stats(synthetic_bases(n))
        start = time.perf_counter()
        chart = incident_map(stats)
        seconds = time.perf_counter() - start
        assert chart is not None
        lines.append(f"| {n:,} bases | the map's figure | {seconds:.2f} s |")
    return lines


def browser_share(sizes: list[int]) -> list[str]:
    node = shutil.which("node")
    if node is None:
        return ["| – | labels.js | not measured: Node is not installed |"]
    run = subprocess.run(
        [node, "-e", NODE, str(LABELS_JS), json.dumps(sizes)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = []
    for r in json.loads(run.stdout):
        where = "all at one point" if r["clustered"] else "spread over the map"
        lines.append(
            f"| {r['n']:,} places, {where} | labels.js placing them | {r['ms']:.0f} ms, "
            f"{r['checks'] / r['n']:,.0f} cell tests a place, {r['placed']:,} labelled |"
        )
    return lines


def report(sizes: list[int]) -> str:
    rows = generator_share(sizes) + browser_share(sizes)
    return "\n".join(["| map | what | time |", "|---|---|---:|", *rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.labels", description=__doc__)
    parser.add_argument("--sizes", default="500 2000 8000")
    args = parser.parse_args(argv)
    print(report([int(s) for s in args.sizes.split()]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
