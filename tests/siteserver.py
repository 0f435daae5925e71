"""Serve a built site for the browser tests the way GitHub Pages does: gzip for text when the
browser asks, cached for ten minutes.

Run as its own process by ``conftest.BuiltSite.shared``, so that a site built once is served
to every test process of a parallel run:

    python tests/siteserver.py SITE_FOLDER PORT [PID]

With a PID, the server stops when that process has gone (the test run that started it),
so that an interrupted run leaves no server behind.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import sys
import threading
from typing import ClassVar


class Handler(http.server.SimpleHTTPRequestHandler):
    GZIP = (".html", ".js", ".css", ".json", ".xml", ".svg", ".csv", ".geojson", ".txt")
    _compressed: ClassVar[dict[str, bytes]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self) -> None:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.endswith(self.GZIP) and os.path.isfile(path)):
            return super().do_GET()
        if path not in self._compressed:
            with open(path, "rb") as f:
                self._compressed[path] = gzip.compress(f.read(), mtime=0)
        body = self._compressed[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def server(folder: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(Handler, directory=folder)
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def _stop_when_gone(pid: int, httpd: http.server.ThreadingHTTPServer) -> None:
    gone = threading.Event()
    while not gone.wait(1.0):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            gone.set()
    httpd.shutdown()


if __name__ == "__main__":
    httpd = server(sys.argv[1], int(sys.argv[2]))
    if len(sys.argv) > 3:
        threading.Thread(
            target=_stop_when_gone, args=(int(sys.argv[3]), httpd), daemon=True
        ).start()
    httpd.serve_forever()
