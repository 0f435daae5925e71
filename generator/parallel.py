"""Use every core for the work that is the same for each file or page.

Reading and checking 10,000 records, and rendering their pages, are most of a big build's
generation time, and each file is independent of the others. ``parallel_map`` runs such
work in forked worker processes: they inherit the data already in memory (nothing large is
sent to them), and only the results come back. Small jobs, machines with one core, and
processes that run threads (the preview server) do the work in-process instead.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

MIN_WORK = 2_000  # records to render or read; below this, starting processes costs more
# What forked workers run: the function over a slice of the items, as a closure.
_job: Callable[[int, int], Sequence[object]] | None = None


def workers() -> int:
    """How many processes to use: the cores available to us."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def parallel_map(
    function: Callable[[T], R], items: Sequence[T], *, work: int | None = None
) -> list[R]:
    """``[function(x) for x in items]``, in order, spread over the cores when that pays.

    ``work`` is how much there is to do, in records (by default one per item): it decides
    whether starting processes pays.
    """
    count = workers()
    forking = "fork" in multiprocessing.get_all_start_methods()
    amount = len(items) if work is None else work
    if count < 2 or amount < MIN_WORK or not forking or threading.active_count() > 1:
        return [function(item) for item in items]
    global _job

    def job(start: int, stop: int) -> list[R]:
        return [function(item) for item in items[start:stop]]

    _job = job
    size = -(-len(items) // (count * 4))  # a few chunks per worker, to even out
    chunks = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(count, mp_context=context) as pool:
            parts = pool.map(_run, chunks)
            return [cast(R, result) for part in parts for result in part]
    finally:
        _job = None


def _run(bounds: tuple[int, int]) -> Sequence[object]:
    assert _job is not None
    return _job(*bounds)
