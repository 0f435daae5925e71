"""``make train-draft``: train the drafter's news-or-background decision on the keyed articles.

    python -m bench.draft_train [--out generator/tools/draft/model/news.json]

Every incident the drafter finds in the articles of dev, test, heldout, heldout3 and the
seeds (``generator.tools.draft.candidates``) is an example: news (1) when its record matches
an incident of the article's key (kind, place and date, paired one to one as the benchmark
pairs them), else background or a mistake (0). Tallies are left out (always background).
The model is a logistic regression over ``features.NAMES``, each feature scaled to mean 0
and deviation 1, an L2 penalty of ``PENALTY`` on the weights (not the bias), fitted by
Newton's method for ``ROUNDS`` rounds from zero, in plain Python: no library, no random
start, the examples in the order of the sets and file names, so the same data give the same
weights and the file the same bytes. The scaling is folded into the weights written, so that
``classifier.py`` applies them to the features as computed.

``make bench-draft SET=cv`` fits the same way on three sets and the seeds and scores the
fourth.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

from bench.draft import (
    ARTICLES,
    ROOT,
    SETS,
    Case,
    empty_copy,
    key_cases,
    matched,
    pairs,
    read,
    seed_cases,
)
from generator.model import Dataset
from generator.project import Project
from generator.tools.draft import Classifier, candidates
from generator.tools.draft.features import NAMES
from generator.validate import load_dataset

OUT = ROOT / "generator" / "tools" / "draft" / "model" / "news.json"
PENALTY = 1.0
ROUNDS = 25
THRESHOLD = 0.5

Row = tuple[list[float], int]


def rows(cases: list[Case], dataset: Dataset) -> list[Row]:
    """The examples of some articles: each incident the drafter finds, its features and
    whether it is one of the key's new incidents."""
    out: list[Row] = []
    for case in cases:
        found = [c for c in candidates(read(case), dataset) if c.told.aggregate is None]
        records = [c.draft.record for c in found]
        news = {d for d, _ in pairs(records, case.incidents, matched)}
        out += [(c.features, int(n in news)) for n, c in enumerate(found)]
    return out


def fit(examples: list[Row], penalty: float = PENALTY, rounds: int = ROUNDS) -> Classifier:
    """A logistic regression of the labels on the features (see the module's words)."""
    width = len(NAMES)
    count = max(len(examples), 1)
    mean = [sum(x[j] for x, _ in examples) / count for j in range(width)]
    spread = [
        math.sqrt(sum((x[j] - mean[j]) ** 2 for x, _ in examples) / count) or 1.0
        for j in range(width)
    ]
    scaled = [
        ([1.0] + [(x[j] - mean[j]) / spread[j] for j in range(width)], y) for x, y in examples
    ]
    beta = [0.0] * (width + 1)
    for _ in range(rounds):
        gradient = [0.0] * (width + 1)
        hessian = [[0.0] * (width + 1) for _ in range(width + 1)]
        for x, y in scaled:
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
            w = p * (1.0 - p)
            for i in range(width + 1):
                gradient[i] += (p - y) * x[i]
                row = hessian[i]
                wx = w * x[i]
                for j in range(i, width + 1):
                    row[j] += wx * x[j]
        for i in range(width + 1):
            for j in range(i):
                hessian[i][j] = hessian[j][i]
        for i in range(1, width + 1):  # the penalty, not on the bias
            gradient[i] += penalty * beta[i]
            hessian[i][i] += penalty
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
    weights = tuple(beta[j + 1] / spread[j] for j in range(width))
    bias = beta[0] - sum(beta[j + 1] * mean[j] / spread[j] for j in range(width))
    return Classifier(NAMES, weights, bias, THRESHOLD)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """x with a x = b, by Gaussian elimination with partial pivoting (a is small)."""
    n = len(b)
    m = [[*row, rhs] for row, rhs in zip(a, b, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            continue
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            if f:
                for c in range(col, n + 1):
                    m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(m[r][r]) < 1e-12:
            continue
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def training_rows() -> tuple[list[Row], dict[str, int]]:
    """Every example of the keyed sets and the seeds, and how many each gave."""
    with tempfile.TemporaryDirectory() as tmp:
        dataset = load_dataset(empty_copy(ARTICLES, Path(tmp) / "articles"))
        sample = load_dataset(Project(ROOT))
        seeds = load_dataset(empty_copy(ROOT / "data", Path(tmp) / "seeds"))
        out: list[Row] = []
        counts: dict[str, int] = {}
        for name in SETS:
            found = rows(key_cases(name), dataset)
            counts[name] = len(found)
            out += found
        found = rows(seed_cases(sample), seeds)
        counts["seeds"] = len(found)
        out += found
    return out, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    examples, counts = training_rows()
    model = fit(examples)
    about = {
        "about": "Whether an incident as told is news (1) or background: a logistic model over "
        "features.NAMES, written by `make train-draft` (bench/draft_train.py).",
        "trained_on": {name: f"{n} examples" for name, n in counts.items()},
        "news_examples": sum(y for _, y in examples),
        "penalty": PENALTY,
        "rounds": ROUNDS,
    }
    args.out.write_text(model.as_json(about), "utf-8")
    right = sum(model.says(x) == bool(y) for x, y in examples)
    print(
        f"Trained on {len(examples)} examples ({about['news_examples']} news); "
        f"{right} of them decided as keyed. Wrote {_shown(args.out)}."
    )
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
