"""`make serve`: regenerates once, runs `mkdocs serve` (--dirty unless asked for full), and
regenerates the pages when a record is saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from types import SimpleNamespace
from typing import ClassVar

import pytest
from conftest import free_port

from generator import serve
from generator.publish import builder_env


class FakeServer:
    commands: ClassVar[list[list[str]]] = []

    def __init__(self, command: list[str], **kwargs) -> None:
        FakeServer.commands.append(command)
        self.env = kwargs["env"]

    def wait(self) -> int:
        return 0


@pytest.mark.parametrize("dirty", [False, True])
def test_serve_runs_mkdocs_serve_dirty_unless_asked_for_full(project, monkeypatch, dirty):
    FakeServer.commands = []
    # Only serve.py's own subprocess: the generator itself runs git through subprocess too.
    monkeypatch.setattr(serve, "subprocess", SimpleNamespace(Popen=FakeServer))
    serve.serve(project, "127.0.0.1:8123", dirty=dirty)
    [command] = FakeServer.commands
    assert command[command.index("serve") :][:3] == ["serve", "--dev-addr", "127.0.0.1:8123"]
    assert ("--dirty" in command) is dirty
    assert (project.docs_dir / "incidents" / "index.md").is_file()  # regenerated first


# --- the real preview: `python -m generator serve`, edited while it runs --------------------

ID = "2022-01-03-camp-victory-drones"


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _until(condition, what: str, timeout: float = 180) -> None:
    """Wait until ``condition()`` holds, checking again every 0.2 s; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting after {timeout:.0f} s for {what}")
        time.sleep(0.2)


@pytest.mark.slow
def test_an_edit_to_a_record_reaches_the_served_page_and_a_broken_one_keeps_the_last_good(
    project, tmp_path
):
    port = free_port()
    page = f"http://127.0.0.1:{port}/incidents/{ID}/"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "--root",
                str(project.root),
                "serve",
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            env=builder_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _until(lambda: ID in (_fetch(page) or ""), "the first build to be served")
        record = next(project.incidents_dir.glob(f"*/{ID}.yaml"))
        original = record.read_text("utf-8")
        record.write_text(original.replace("summary: >-\n", "summary: >-\n  Edited-once.\n"))
        _until(lambda: "Edited-once." in (_fetch(page) or ""), "the edit to be served")

        record.write_text(original.replace("kind: attack", "kind: atack"))
        _until(
            lambda: "1 problem found" in log.read_text("utf-8", "replace"),
            "the preview to report the broken record",
        )
        assert "kind: 'atack' is not allowed; did you mean 'attack'?" in log.read_text("utf-8")
        assert "The preview keeps the last good pages" in log.read_text("utf-8")
        assert "Edited-once." in (_fetch(page) or "")  # still the last good version
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
