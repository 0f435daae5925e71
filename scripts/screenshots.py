"""Screenshots of the built site for reviewers: `make screenshots` writes screenshots/*.png.

The overview, the timeline, the map, a base page, a month page, an incident page, a
filtered incidents table, the corrections log and the heatmap's embed page, each in the
light and the dark palette at 1366 px, and the overview, the incidents table, the timeline,
the map, the corrections log and the embed page on a 390 px phone screen, light and dark
(<name>-phone.png, <name>-phone-dark.png). Uses Debian's chromium through playwright, like
the browser tests. It shoots whatever `site/` holds: `make screenshots
DATA=examples/campaign-2023-24` shows the campaign.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import socket
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "overview": "",
    "timeline": "timeline/",
    "map": "map/",
    "base": "",  # the most attacked base, read from the overview's heatmap table
    "month": "",  # the latest month with incidents
    "incident": "",  # the latest incident
    "incidents-filtered": "incidents/?kind=attack&status=confirmed",
    "corrections": "corrections/",
    "embed": "embed/attacks-by-base-and-month/",  # the heatmap alone, as other sites show it
}
PHONE = ("overview", "incidents-filtered", "timeline", "map", "corrections", "embed")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def latest(site: Path) -> dict[str, str]:
    """The addresses of the busiest base, the latest month and the latest incident."""
    html = (site / "index.html").read_text("utf-8")
    base = re.search(r'<th scope="row"><a href="(bases/[^"]+/)"', html)
    months = sorted(p.parent.name for p in (site / "months").glob("*/index.html"))
    incidents = sorted(p.parent.name for p in (site / "incidents").glob("*/index.html"))
    return {
        "base": base.group(1) if base else "bases/",
        "month": f"months/{months[-1]}/" if months else "months/",
        "incident": f"incidents/{incidents[-1]}/" if incidents else "incidents/",
    }


def main() -> int:
    site, out = ROOT / "site", ROOT / "screenshots"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not (site / "index.html").is_file():
        print("There is no built site: run `make site` first.", file=sys.stderr)
        return 1
    if chromium is None:
        print("Chromium is needed: sudo apt-get install chromium", file=sys.stderr)
        return 1
    out.mkdir(exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    pages = {**PAGES, **latest(site)}
    shots = [
        (name, path, scheme, {"width": 1366, "height": 900})
        for name, path in pages.items()
        for scheme in ("light", "dark")
    ]
    shots += [
        (name, pages[name], scheme, {"width": 390, "height": 844})
        for name in PHONE
        for scheme in ("phone", "phone-dark")
    ]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            for name, path, scheme, viewport in shots:
                context = browser.new_context(
                    viewport=viewport,
                    color_scheme="dark" if scheme.endswith("dark") else "light",
                    is_mobile=scheme.startswith("phone"),
                    device_scale_factor=1,
                )
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{port}/{path}")
                charts = page.locator(".chart").count()
                if charts:
                    page.wait_for_function(
                        f"document.querySelectorAll('.chart[data-rendered]').length === {charts}",
                        timeout=20_000,
                    )
                target = out / f"{name}-{scheme}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target.relative_to(ROOT))
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
