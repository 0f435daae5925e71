"""``make serve``: MkDocs' live-reloading server, plus regeneration when the data changes.

MkDocs watches docs/; this watches data/ and templates/, regenerates (in a process of its
own, so that it may use every core), and writes only the files whose content changed, so
MkDocs rebuilds and the browser reloads.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

import click
from watchdog import events
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator import build as pipeline
from generator import history, validate
from generator.errors import GeneratorError
from generator.pages import KeptPages
from generator.project import Project
from generator.publish import builder_env

# How long to wait for more saves before regenerating: an editor's save is a few events
# within milliseconds (MkDocs waits 0.1 s too); saves that come while it regenerates are
# one more regeneration, not one each.
DEBOUNCE_SECONDS = 0.1
# What an edit does to a file or folder. Not opening and closing without writing: every
# regeneration reads every record, and each read would wake the watcher twice.
CHANGES = (
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileClosedEvent,
    events.FileMovedEvent,
    events.FileDeletedEvent,
    events.DirCreatedEvent,
    events.DirMovedEvent,
    events.DirDeletedEvent,
)


def regenerate(
    project: Project, reads: validate.Reads | None = None, kept: KeptPages | None = None
) -> None:
    start = time.perf_counter()
    try:
        version = history.preview_version(project, validate.today())
        generated = pipeline.generate(project, reads=reads, version=version, kept=kept)
        journal = pipeline.write_docs(project, generated)
    except GeneratorError as e:
        click.echo(f"{e}\nThe preview keeps the last good pages until this is fixed.", err=True)
        return
    click.echo(
        f"Regenerated in {time.perf_counter() - start:.2f} s: {journal.changed} files changed.",
        err=True,
    )


class _Generator:
    """The generator in a process of its own, forked before the watcher starts any thread.

    It regenerates when told to, and, having no other thread, may fork workers to render on
    every core (``parallel_map`` refuses to fork beside threads: a lock another thread held
    would stay locked in the child). Requests that arrive while it works are one request.
    """

    def __init__(self, project: Project, reads: validate.Reads, kept: KeptPages) -> None:
        context = multiprocessing.get_context("fork")
        self.requests, requests = context.Pipe()
        # Not a daemon: a daemon may not start the workers. If the server dies, the pipe
        # closes and the loop ends. Forked, it starts with the records and pages the first
        # regeneration made.
        self.process = context.Process(target=self._loop, args=(project, reads, kept, requests))
        self.process.start()
        requests.close()

    @staticmethod
    def _loop(
        project: Project, reads: validate.Reads, kept: KeptPages, requests: Connection
    ) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        try:
            while requests.recv():
                while requests.poll():  # edits saved meanwhile: one regeneration for all
                    if not requests.recv():
                        return
                regenerate(project, reads, kept)
        except (EOFError, OSError):  # the server has gone
            return

    def request(self) -> None:
        with contextlib.suppress(OSError):
            self.requests.send(True)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.requests.send(False)
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


class _Handler(FileSystemEventHandler):
    def __init__(self, generator: _Generator) -> None:
        self.generator = generator
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(DEBOUNCE_SECONDS, self.generator.request)
            self.timer.daemon = True
            self.timer.start()


def serve(project: Project, dev_addr: str, engine: str = "mkdocs", *, dirty: bool = True) -> None:
    """Generate, then run the builder's live-reloading server and regenerate on every edit.

    With ``dirty`` the builder rebuilds only the pages whose files changed, and the
    generator rewrites only those: an edit shows in about 3 s at 1,000 incidents (about
    2 s of it regenerating, 1 s MkDocs), against 18 s for a full rebuild. Generated pages are
    not in the nav, so nothing else goes stale.
    """
    reads = validate.Reads()  # each edit parses only the files it changed
    kept = KeptPages()  # and renders only the incident pages whose inputs changed
    regenerate(project, reads, kept)
    generator = _Generator(project, reads, kept)  # before any thread: it may fork workers
    observer = Observer()
    handler = _Handler(generator)
    for folder in (project.data_dir, project.templates_dir):
        observer.schedule(handler, str(folder), recursive=True, event_filter=list(CHANGES))
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
        generator.stop()
