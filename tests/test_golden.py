"""Golden files: the generated pages and chart data for the sample dataset, compared whole.

After a deliberate change to templates or charts, run `make golden` and review the diff of
tests/golden/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY

from generator.build import PLOTLY_JS_TARGET, VENDORED, generate

GOLDEN = Path(__file__).parent / "golden" / "sample"


def test_generated_pages_and_charts_match_the_golden_files(project, request, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)  # permalinks use mkdocs.yml's site_url
    outputs = generate(project, as_of=TODAY).outputs
    for vendored in VENDORED:  # copies of files from packages, not our output
        outputs.pop(vendored)
    if request.config.getoption("--update-golden"):
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for rel, data in outputs.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
        pytest.skip("golden files rewritten; review `git diff tests/golden`")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()
    }
    assert sorted(outputs) == sorted(expected), "generated files differ from tests/golden/"
    for rel in sorted(outputs):
        assert outputs[rel].decode() == expected[rel].decode(), f"{rel} differs; see `make golden`"


def test_plotly_js_is_served_from_the_site(project):
    outputs = generate(project, as_of=TODAY).outputs
    assert outputs[PLOTLY_JS_TARGET].startswith(b"/**\n* plotly.js v")
