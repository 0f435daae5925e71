"""``make bench-draft SET=speed``: whether drafting takes time in proportion to the article.

    python -m bench.draft_speed [--lines 10000]

Builds articles of 1,000 up to ``--lines`` lines from the sentences of the dev set's articles
(in order, repeated, each line numbered so that none is a repeat; the same bytes every run),
drafts each against the evaluation data, and
prints the seconds and the seconds per 1,000 lines. Linear time keeps that last column flat;
the target is under 10 s for 10,000 lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from bench.draft import ARTICLES, empty_copy
from generator.tools.draft import Article, draft_article
from generator.tools.draft.reading import read_article
from generator.validate import load_dataset


def long_article(lines: int) -> str:
    """``lines`` lines of news text: the dev articles' lines over and over, each made unique
    by its number at its end (" —1234"), so that no line is a repeat a cache could skip."""
    pool: list[str] = []
    for path in sorted((ARTICLES / "dev").glob("*.txt")):
        pool += [line for line in read_article(str(path)).text.split("\n") if line.strip()]
    return "\n".join(f"{pool[n % len(pool)]} —{n}" for n in range(lines)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        dataset = load_dataset(empty_copy(ARTICLES, Path(tmp)))
        print("| lines | drafts | seconds | seconds per 1,000 lines |")
        print("|---:|---:|---:|---:|")
        size = 1000
        while size <= args.lines:
            article = Article(long_article(size), "long.txt", published=dt.date(2024, 1, 29))
            start = time.perf_counter()
            drafts = draft_article(article, dataset)
            seconds = time.perf_counter() - start
            print(f"| {size:,} | {len(drafts)} | {seconds:.2f} | {seconds / size * 1000:.2f} |")
            size = size * 10 if size * 10 <= args.lines or size == args.lines else args.lines
    return 0


if __name__ == "__main__":
    sys.exit(main())
