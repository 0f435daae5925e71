"""Reading an article: a text, Markdown or HTML file, standard input or a web address, as
text and metadata (title, outlet, publication date)."""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import re
import socket
import ssl
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError
from generator.text import strip_invisible
from generator.tools.draft.lexicon import MONTH, MONTHS


class DraftError(GeneratorError):
    """An article cannot be read (a missing file, a page that will not load)."""


MAX_ARTICLE_BYTES = 5 * 1024 * 1024  # a file, standard input or a page
FETCH_SECONDS = 20  # for a page, redirects included
MAX_REDIRECTS = 5
MAX_TITLE = 300  # characters: a longer first line is text, not a title
DATELINE_ONLY = re.compile(r"[\d\s/:.,–-]*")  # a first line of figures is not a title


@dataclass(frozen=True)
class Article:
    """An article as text, with what is known of where it was published."""

    text: str
    name: str  # where it came from: a path, '-' or a web address
    title: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None


def read_article(
    source: str,
    *,
    title: str | None = None,
    publisher: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    stdin: bytes | None = None,
) -> Article:
    """Read an article from a file, '-' (standard input) or an http(s) address.

    HTML gives its text and metadata through trafilatura; a text or Markdown file may
    start with a header of ``url:``, ``publisher:``, ``title:`` and ``published:`` lines
    ended by ``---`` (or YAML front matter), and a dateline in the text gives the date.
    Options given here win over what the article says.
    """
    if source.startswith(("http://", "https://")):
        raw = _fetch(source)
        url = url or source
    elif source == "-":
        raw = stdin if stdin is not None else sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
        if len(raw) > MAX_ARTICLE_BYTES:
            raise DraftError(f"-: standard input is over {MAX_ARTICLE_BYTES // 2**20} MB")
    else:
        path = Path(source)
        if not path.is_file():
            raise DraftError(f"{source}: no such file; give a text, Markdown or HTML file")
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            raise DraftError(f"{source}: the file is over {MAX_ARTICLE_BYTES // 2**20} MB")
        try:
            raw = path.read_bytes()
        except OSError as e:
            raise DraftError(f"{source}: cannot be read ({e.strerror})") from None
    text = raw.decode("utf-8", errors="replace")
    found = _from_html(text) if _looks_like_html(source, text) else _from_text(text)
    body = str(found.pop("text"))
    meta = {k: v for k, v in found.items() if v}
    day = published or _day_or_none(meta.get("published")) or dateline(body)
    return Article(
        text=body,
        name=source,
        title=title or meta.get("title"),
        publisher=publisher or meta.get("publisher"),
        published=day,
        url=url or meta.get("url"),
    )


def _fetch(address: str) -> bytes:
    """The page at an http(s) address, within ``FETCH_SECONDS`` and ``MAX_ARTICLE_BYTES``.

    Only public addresses are fetched: the host is resolved once, every address it has is
    checked (``refused_address``), and the connection goes to the address checked, so a
    name that resolves again to another address cannot slip past. Each redirect is checked
    the same way, at most ``MAX_REDIRECTS`` of them.
    """
    deadline = time.monotonic() + FETCH_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        status, location, body = _get(address, deadline)
        if status in (301, 302, 303, 307, 308) and location:
            address = urllib.parse.urljoin(address, location)
            continue
        if status != 200:
            raise DraftError(
                f"{address}: could not be fetched (HTTP {status}); save the page "
                "and give the file instead"
            )
        return body
    raise DraftError(
        f"{address}: more than {MAX_REDIRECTS} redirects; save the page and give the file instead"
    )


def refused_address(ip: str) -> str | None:
    """Why an address is not fetched (loopback, private, link-local, multicast, reserved,
    unspecified), or None for a public one."""
    try:
        address = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return "not an IP address"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for what in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{what}"):
            return what.replace("_", "-")
    if not address.is_global:
        return "not public"
    return None


def _resolve(host: str, port: int) -> str:
    """The one address of ``host`` to connect to; every address it resolves to must be public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise DraftError(f"{host}: cannot be resolved ({e})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not addresses:
        raise DraftError(f"{host}: cannot be resolved")
    for ip in addresses:
        why = refused_address(ip)
        if why is not None:
            raise DraftError(
                f"{host}: resolves to {ip}, a {why} address; only public addresses are fetched"
            )
    return addresses[0]


def _get(address: str, deadline: float) -> tuple[int, str | None, bytes]:
    parts = urllib.parse.urlsplit(address)
    if parts.scheme not in ("http", "https"):
        raise DraftError(f"{address}: only http and https addresses are fetched")
    if not parts.hostname:
        raise DraftError(f"{address}: the address names no host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    ip = _resolve(parts.hostname, port)
    left = deadline - time.monotonic()
    if left <= 0:
        raise DraftError(f"{address}: took over {FETCH_SECONDS} s; save the page instead")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPS(parts.hostname, ip, port, timeout=left)
    else:
        connection = _PinnedHTTP(parts.hostname, ip, port, timeout=left)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "GET",
            path,
            headers={
                "User-Agent": "incident-tracker draft",
                "Host": parts.netloc.rsplit("@", 1)[-1],
            },
        )
        response = connection.getresponse()
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > MAX_ARTICLE_BYTES:
            raise DraftError(f"{address}: the page is over {MAX_ARTICLE_BYTES // 2**20} MB")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_ARTICLE_BYTES:
            if time.monotonic() > deadline:
                raise DraftError(f"{address}: took over {FETCH_SECONDS} s; save the page instead")
            chunk = response.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_ARTICLE_BYTES:
            raise DraftError(f"{address}: the page is over {MAX_ARTICLE_BYTES // 2**20} MB")
        return response.status, response.getheader("Location"), b"".join(chunks)
    except (OSError, http.client.HTTPException, ValueError) as e:
        raise DraftError(
            f"{address}: could not be fetched ({e}); save the page and give the file instead"
        ) from None
    finally:
        connection.close()


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to the address already checked, whatever the name resolves to now."""

    def __init__(self, host: str, ip: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self.ip, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to the address checked, its certificate checked for the name."""

    def __init__(self, host: str, ip: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.ip = ip
        self.context = ssl.create_default_context()

    def connect(self) -> None:
        sock = socket.create_connection((self.ip, self.port), self.timeout)
        self.sock = self.context.wrap_socket(sock, server_hostname=self.host)


def _looks_like_html(source: str, text: str) -> bool:
    if source.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _from_html(html: str) -> dict[str, str | None]:
    import trafilatura  # only for HTML: it takes a moment to load

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as e:  # a parser's failure on a hostile page: a message, not a traceback
        raise DraftError(f"the page could not be read as HTML ({type(e).__name__})") from None
    if doc is None:
        raise DraftError("the page holds no article text that could be found")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return {
        "text": str(meta.get("text") or ""),
        "title": _text(meta.get("title")),
        "publisher": _text(meta.get("sitename") or meta.get("hostname")),
        "published": _text(meta.get("date")),
        "url": _text(meta.get("url")),
    }


def _text(value: object) -> str | None:
    return str(value) if value else None


_HEADER_LINE = re.compile(r"^(url|publisher|title|published|date|source):\s*(.*)$", re.I)


# A note a header adds to a title it guessed. Searched from its "(", not from the spaces
# before it: a title of many spaces would take time in the square of its length.
_TITLE_NOTE = re.compile(r"\((?:best guess|title not)[^)]*\)\s*$")


def _from_text(text: str) -> dict[str, str | None]:
    """A text or Markdown article, with the header (or front matter) it may start with."""
    text = strip_invisible(text.replace("\r\n", "\n"))
    meta: dict[str, str | None] = {}
    lines = text.split("\n")
    start = 1 if lines and lines[0].strip() == "---" else 0
    for n in range(start, min(len(lines), 12)):
        if lines[n].strip() == "---":
            found = [_HEADER_LINE.match(line.strip()) for line in lines[start:n]]
            if n > start and all(found):
                for m in found:
                    if m is not None:
                        key = {"date": "published", "source": "publisher"}.get(
                            m.group(1).lower(), m.group(1).lower()
                        )
                        meta[key] = m.group(2).strip().strip("'\"") or None
                text = "\n".join(lines[n + 1 :])
            break
    if (meta.get("title") or "").startswith("("):
        meta["title"] = None
    if (title := meta.get("title")) and (note := _TITLE_NOTE.search(title)):
        meta["title"] = title[: note.start()].rstrip()
    lead = re.match(r"\s*date:?\s+(\d{4}-\d{2}-\d{2})\b\s*", text)
    if lead:  # a page's date printed before its text ("date 2021-03-04 A US …")
        meta.setdefault("published", lead.group(1))
        text = text[lead.end() :]
    text = _markdown_to_text(text)
    if not meta.get("title"):  # no header: a plain text's first line is its title
        first = next((line.strip() for line in text.split("\n") if line.strip()), "")
        if 0 < len(first) <= MAX_TITLE and not DATELINE_ONLY.fullmatch(first):
            meta["title"] = first
    return {"text": text, **meta}


def _markdown_to_text(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links: their words
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text, flags=re.M)  # headings
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return text


def _day_or_none(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
        if m:
            try:
                return dt.date.fromisoformat(m.group(1))
            except ValueError:
                return None
    return None


_DATELINE = (
    re.compile(rf"\b(?P<m>{MONTH})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{MONTH})\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<y>\d{4})-(?P<mm>\d{2})-(?P<d>\d{2})\b"),
    re.compile(r"\b(?P<mm>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})\b"),
)


def dateline(text: str) -> dt.date | None:
    """The publication date a text prints on a line of its own ("Published: May 3, 2023",
    "Tue, 01/04/2022 – 20:25", "August 12, 2023"), near its top or bottom."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    candidates = lines[:12] + lines[-6:]
    for line in candidates:
        if len(line) > 90:
            continue
        for pattern in _DATELINE:
            m = pattern.search(line)
            if m is None:
                continue
            rest = pattern.sub(" ", line)
            rest = re.sub(
                r"(?i)\b(?:published|updated|posted|date|by|on|at|am|pm|a\.m\.|p\.m\.|"
                r"utc|gmt|et|est|[a-z]{3,9}day|mon|tue|wed|thu|fri|sat|sun)\b|[\d:|,–—-]",
                " ",
                rest,
            )
            if len(rest.split()) <= 4:
                day = _ymd(m)
                if day is not None:
                    return day
    return None


def _ymd(m: re.Match[str]) -> dt.date | None:
    groups = m.groupdict()
    month = int(groups["mm"]) if groups.get("mm") else MONTHS.get(groups["m"].lower().rstrip("."))
    try:
        return dt.date(int(groups["y"]), month or 0, int(groups["d"]))
    except (ValueError, TypeError):
        return None
