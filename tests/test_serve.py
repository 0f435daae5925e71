"""`make serve`: regenerates once, then runs `mkdocs serve`: --dirty unless asked for full."""

from __future__ import annotations

from types import SimpleNamespace
from typing import ClassVar

import pytest

from generator import serve


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
