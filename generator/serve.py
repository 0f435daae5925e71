"""``make serve``: MkDocs' live-reloading server, plus regeneration when the data changes.

MkDocs watches docs/; this watches data/ and templates/, regenerates, and writes only the
files whose content changed, so MkDocs rebuilds and the browser reloads.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import click
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator import build as pipeline
from generator.errors import GeneratorError
from generator.project import Project
from generator.publish import builder_env

DEBOUNCE_SECONDS = 0.3


def regenerate(project: Project) -> None:
    start = time.perf_counter()
    try:
        generated = pipeline.generate(project)
        journal = pipeline.write_docs(project, generated)
    except GeneratorError as e:
        click.echo(f"{e}\nThe preview keeps the last good pages until this is fixed.", err=True)
        return
    click.echo(
        f"Regenerated in {time.perf_counter() - start:.2f} s: {journal.changed} files changed.",
        err=True,
    )


class _Handler(FileSystemEventHandler):
    def __init__(self, project: Project) -> None:
        self.project = project
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(DEBOUNCE_SECONDS, regenerate, (self.project,))
            self.timer.daemon = True
            self.timer.start()


def serve(project: Project, dev_addr: str, engine: str = "mkdocs", *, dirty: bool = True) -> None:
    """Generate, then run the builder's live-reloading server and regenerate on every edit.

    With ``dirty`` the builder rebuilds only the pages whose files changed, and the
    generator rewrites only those: an edit shows in about 3 s at 1,000 incidents, against
    7 s for a full rebuild. Generated pages are not in the nav, so nothing else goes stale.
    """
    regenerate(project)
    observer = Observer()
    handler = _Handler(project)
    for folder in (project.data_dir, project.templates_dir):
        observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    command = [
        sys.executable,
        "-m",
        engine,
        "serve",
        "--dev-addr",
        dev_addr,
        "--config-file",
        str(project.config_file),
        *(["--dirty"] if dirty else []),
    ]
    # Serve at the root of the dev address, not under the published site_url's path.
    env = {**builder_env(project), "SITE_URL": f"http://{dev_addr}/"}
    server = subprocess.Popen(command, cwd=project.root, env=env)

    def stop(signum: int, frame: object) -> None:  # `kill` stops the server too, like Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
        observer.stop()
        observer.join()
