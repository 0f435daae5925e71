"""How long after saving an incident file `make serve` serves the changed page.

    python -m bench.serve_latency [--size 1000] [--edits 5] [-- extra serve options]

Writes a synthetic dataset of ``--size`` incidents into a fresh copy of the project, a git
repository as a clone is (so the first edit makes the data differ from its commit), starts
``python -m generator serve`` on a free port and waits for the first build. Then, several
times: it changes the summary of one incident (a new word each time), and polls the
incident's page and its month's page until both show the word. The time from the save to
the moment both pages are served is what a reader sees, give or take the browser's own
reload (a few tens of ms).

It also checks that the pages built after the edit are complete: that the site's search
index still lists every page. (``mkdocs serve --dirty``, the default, rebuilds only the
pages whose Markdown changed; Material then updates its index as if one page changed.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.__main__ import copy_project, log
from bench.synthetic import synthetic_dataset, write_dataset, write_history
from generator.publish import builder_env

POLL = 0.05


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until ``url`` serves a page containing ``text``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - start
        time.sleep(POLL)
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


def search_pages(base: str) -> int:
    """Pages in the served search index (its entries are pages and their sections)."""
    index = json.loads(fetch(f"{base}search/search_index.json") or '{"docs": []}')
    return sum(1 for doc in index["docs"] if "#" not in doc["location"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serve_latency")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("serve_options", nargs="*", help="passed to `generator serve`")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="serve-latency-"))
    project = workdir / "site"
    copy_project(project)
    dataset = synthetic_dataset(args.size)
    write_dataset(project / "data", dataset)
    write_history(project, project / "data", dataset)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [
        sys.executable,
        "-m",
        "generator",
        "--root",
        str(project),
        "serve",
        "--dev-addr",
        f"127.0.0.1:{port}",
        *args.serve_options,
    ]
    log(f"{' '.join(command[3:])}  ({args.size:,} incidents)")
    # Its own process group, so that stopping it also stops the `mkdocs serve` it starts.
    server = subprocess.Popen(
        command,
        env=builder_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        start = time.perf_counter()
        target = dataset.incidents[len(dataset.incidents) // 2]
        page = f"{base}incidents/{target.id}/"
        month = f"{base}months/{target.month}/"
        wait_for(page, target.id, timeout=600)
        log(f"first build served after {time.perf_counter() - start:.1f} s")
        pages_before = search_pages(base)
        path = project / "data" / "incidents" / f"{target.date.year}" / f"{target.id}.yaml"
        original = path.read_text("utf-8")
        times = []
        for n in range(args.edits):
            word = f"Edited{n}x{int(time.time() * 1000) % 100000}"
            edited = re.sub(r"^summary: ", f"summary: {word} ", original, count=1, flags=re.M)
            assert edited != original
            time.sleep(1.0)  # let the previous rebuild settle
            saved = time.perf_counter()
            path.write_text(edited, "utf-8")
            wait_for(page, word, timeout=120)
            wait_for(month, word, timeout=120)
            times.append(time.perf_counter() - saved)
            log(f"edit {n + 1}: both pages served after {times[-1]:.2f} s")
        pages_after = search_pages(base)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"{args.size:,} incidents, serve {' '.join(args.serve_options) or '(default)'}: "
        f"edit to page served median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s over {len(times)} edits; search index entries "
        f"{pages_before:,} before, {pages_after:,} after the edits"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
