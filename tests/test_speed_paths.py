"""The shortcuts a big build takes give the same result as the plain way."""

from __future__ import annotations

import pytest
from conftest import TODAY

from generator import hooks, parallel
from generator.build import generate
from generator.hooks import set_aside as set_aside_html


def test_parallel_generation_gives_the_same_bytes(project, monkeypatch):
    sequential = generate(project, as_of=TODAY).outputs
    if parallel.workers() < 2:
        pytest.skip("one core: nothing runs in parallel here")
    pools = []

    class CountedPool(parallel.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(parallel, "MIN_WORK", 1)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", CountedPool)
    # Other tests' threads (the browser's) would make parallel_map stay in-process.
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    assert generate(project, as_of=TODAY).outputs == sequential
    assert len(pools) == 2  # reading the records, rendering the pages


def test_the_hook_puts_the_html_blocks_back_where_they_were():
    table = "<table><tr><td>a &lt;b&gt;</td></tr></table>"
    rendered = f"# Title\n\n\x02{table}\x03\n\n## Next\n\n\x02<p>x</p>\x03\n"
    page = set_aside_html(rendered)
    skeleton, blocks = hooks.split(page)
    assert skeleton == "# Title\n\n<!--html 0-->\n\n## Next\n\n<!--html 1-->\n"
    html = skeleton.replace("# Title", "<h1>Title</h1>").replace("## Next", "<h2>Next</h2>")
    assert hooks.join(html, blocks) == (f"<h1>Title</h1>\n\n{table}\n\n<h2>Next</h2>\n\n<p>x</p>\n")


def test_pages_without_blocks_pass_through_the_hook_unchanged():
    assert hooks.split("# About\n\nText.\n") == ("# About\n\nText.\n", {})
    assert hooks.join("<p>Text.</p>", {}) == "<p>Text.</p>"
