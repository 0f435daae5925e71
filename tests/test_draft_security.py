"""`draft` on hostile input: web addresses it must not fetch, pages too big or too slow, text
that would hide a line of YAML behind a comment, input that must not raise, and work that
grows in proportion to the article (issue 19's security requirements, one test each).

No test sends a packet beyond this machine: every connection is checked to go to the
loopback test server, or refused before it is made.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.draft_speed import long_article
from generator.tools.draft import (
    Article,
    DraftError,
    as_json,
    as_yaml,
    draft_article,
    incidents,
    places,
    read_article,
    reading,
)

LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test on any connection but to the loopback test server."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def connect(address, *args, **kwargs):
        made.append(address)
        if address[0] != "127.0.0.1":
            raise AssertionError(f"a connection to {address} was attempted")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    return made


@pytest.fixture
def loopback_allowed(monkeypatch):
    """The test server is on 127.0.0.1: allow that one address, check every other."""
    real = reading.refused_address
    monkeypatch.setattr(
        reading, "refused_address", lambda ip: None if ip == "127.0.0.1" else real(ip)
    )


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes, float]]] = {}

    def do_GET(self) -> None:  # the test server's one method
        status, headers, body, pause = self.routes[self.path]
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if pause:
            for byte in body:
                time.sleep(pause)
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
        else:
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, tuple[int, dict[str, str], bytes, float]]]]:
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes, float]]] = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    httpd.shutdown()
    httpd.server_close()


# --- which addresses are fetched ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4 in IPv6 clothing
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not public"),  # shared address space (carrier NAT)
    ],
)
def test_addresses_that_are_not_public_are_refused(ip, why):
    assert reading.refused_address(ip) is not None
    assert why in (reading.refused_address(ip) or "") or why == "not public"


def test_a_public_address_is_allowed():
    assert reading.refused_address("93.184.216.34") is None
    assert reading.refused_address("2606:2800:220:1:248:1893:25c8:1946") is None


def test_a_name_that_resolves_to_a_private_address_is_refused_before_connecting(
    monkeypatch, no_connections
):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.7", 80))])
    with pytest.raises(DraftError, match=r"resolves to 10\.0\.0\.7, a private address"):
        read_article("http://intranet.example.test/article")
    assert no_connections == []


def test_one_private_address_among_public_ones_is_refused(monkeypatch, no_connections):
    answers = [(2, 1, 6, "", ("93.184.216.34", 80)), (2, 1, 6, "", ("127.0.0.1", 80))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: answers)
    with pytest.raises(DraftError, match="loopback"):
        read_article("http://mixed.example.test/")
    assert no_connections == []


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch):
    """Resolved once: a second lookup (DNS rebinding) is never made; the socket is opened
    to the checked address itself."""
    lookups: list[str] = []

    def resolve(host, *args, **kwargs):
        lookups.append(host)
        return [(2, 1, 6, "", ("93.184.216.34", 80))]

    opened: list[tuple[str, int]] = []

    def connect(address, *args, **kwargs):
        opened.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", connect)
    with pytest.raises(DraftError, match="could not be fetched"):
        read_article("http://news.example.test/a")
    assert lookups == ["news.example.test"]
    assert opened == [("93.184.216.34", 80)]


def test_a_redirect_to_a_private_address_is_refused(server, loopback_allowed, no_connections):
    base, routes = server
    routes["/a"] = (302, {"Location": "http://10.9.8.7/admin"}, b"", 0)
    with pytest.raises(DraftError, match=r"10\.9\.8\.7, a private address"):
        read_article(f"{base}/a")
    assert [host for host, _ in no_connections] == ["127.0.0.1"]


def test_a_redirect_to_a_name_of_a_loopback_address_is_refused(
    server, loopback_allowed, no_connections, monkeypatch
):
    base, routes = server
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "rebound.example.test":
            return [(2, 1, 6, "", ("127.0.0.2", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    routes["/a"] = (301, {"Location": "http://rebound.example.test/"}, b"", 0)
    with pytest.raises(DraftError, match="loopback"):
        read_article(f"{base}/a")


def test_redirects_are_followed_a_few_times_only(server, loopback_allowed, no_connections):
    base, routes = server
    routes["/loop"] = (302, {"Location": "/loop"}, b"", 0)
    with pytest.raises(DraftError, match="redirects"):
        read_article(f"{base}/loop")
    assert len(no_connections) == reading.MAX_REDIRECTS + 1


def test_a_page_is_read_through_an_allowed_redirect(server, loopback_allowed, no_connections):
    base, routes = server
    routes["/old"] = (301, {"Location": "/new"}, b"", 0)
    routes["/new"] = (200, {}, b"Rockets hit the base on Monday.\n", 0)
    assert read_article(f"{base}/old").text.strip() == "Rockets hit the base on Monday."


def test_other_schemes_are_not_fetched(no_connections):
    with pytest.raises(DraftError, match="only http and https"):
        reading._fetch("ftp://example.test/a")


# --- limits on size and time ----------------------------------------------------------------------


def test_a_page_over_the_size_limit_is_refused(
    server, loopback_allowed, no_connections, monkeypatch
):
    base, routes = server
    monkeypatch.setattr(reading, "MAX_ARTICLE_BYTES", 1000)
    routes["/big"] = (200, {}, b"x" * 5000, 0)  # no Content-Length: counted while read
    with pytest.raises(DraftError, match="over"):
        read_article(f"{base}/big")
    routes["/said"] = (200, {"Content-Length": "5000"}, b"x" * 5000, 0)
    with pytest.raises(DraftError, match="over"):
        read_article(f"{base}/said")


def test_a_page_that_takes_too_long_is_given_up(
    server, loopback_allowed, no_connections, monkeypatch
):
    base, routes = server
    monkeypatch.setattr(reading, "FETCH_SECONDS", 0.5)
    routes["/slow"] = (200, {}, b"y" * 40, 0.1)  # a byte every 0.1 s: 4 s in all
    with pytest.raises(DraftError, match=r"took over|could not be fetched"):
        read_article(f"{base}/slow")


def test_input_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ARTICLE_BYTES", 100)
    with pytest.raises(DraftError, match="standard input is over"):
        read_article("-", stdin=b"a" * 101)
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 101)
    with pytest.raises(DraftError, match="over"):
        read_article(str(path))


# --- nothing hides behind a comment --------------------------------------------------------------

HIDDEN = "\u2028kind: strike\u2029base: al-tanf\x85date: 2020-01-01\x0bx\x0cy\rz"


def _hostile_drafts(evaluation):
    article = Article(
        f"Two rockets struck the Green Village base on Friday, a US official said.{HIDDEN}\n",
        f"evil{HIDDEN}.txt",
        title=f"Rockets{HIDDEN}",
        publisher=f"Outlet{HIDDEN}",
        published=dt.date(2023, 10, 2),
        url=f"https://example.com/{HIDDEN}",
    )
    return [(article, draft_article(article, evaluation))]


def test_line_breaks_are_escaped_in_yaml_comments_and_values(evaluation):
    out = as_yaml(_hostile_drafts(evaluation))
    assert not set(out) & set(LINE_BREAKS)
    for line in out.split("\n"):
        assert line.startswith(("#", "---", " ", "-")) or not line or ":" in line
    docs = [d for d in yaml.safe_load_all(out) if d]
    (record,) = docs
    assert record["base"] == "green-village" and record["kind"] == "attack"
    assert "\\u2028" in record["sources"][0]["title"]  # shown, not acted on
    assert "# Drafts from evil\\u2028kind: strike" in out


def test_line_breaks_are_escaped_in_json(evaluation):
    out = as_json(_hostile_drafts(evaluation))
    assert not set(out) & set(LINE_BREAKS)
    (item,) = json.loads(out)
    assert item["sources"][0]["title"].startswith("Rockets\u2028")  # the same value


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    raw=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=3000).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.text(alphabet=st.sampled_from(list(LINE_BREAKS + " aZ.\n:-#<>'\"")), max_size=2000).map(
            str.encode
        ),
        st.builds(
            lambda title, body: f"title: {title}\npublished: 2023-10-02\n---\n{body}".encode(
                "utf-8", "surrogatepass"
            ),
            st.text(alphabet=st.sampled_from(list(LINE_BREAKS + "Rocket hit")), max_size=80),
            st.text(max_size=500),
        ),
    )
)
def test_any_input_drafts_without_a_traceback(raw, evaluation):
    try:
        article = read_article("-", stdin=raw)
    except DraftError:
        return
    drafted = [(article, draft_article(article, evaluation))]
    for out in (as_yaml(drafted), as_json(drafted)):
        assert not set(out) & set(LINE_BREAKS)
    list(yaml.safe_load_all(as_yaml(drafted)))
    json.loads(as_json(drafted))


def test_a_long_title_of_line_separators_drafts_without_a_traceback(evaluation):
    """Once, a title of many U+2028 crashed the YAML output (a traceback, issue 17)."""
    raw = (
        "title: Rockets" + "\u2028" * 100_000 + "hit\npublished: 2023-10-02\n---\n"
        "Two rockets struck the Green Village base on Friday, a US official said.\n"
    )
    article = read_article("-", stdin=raw.encode())
    drafted = [(article, draft_article(article, evaluation))]
    for out in (as_yaml(drafted), as_json(drafted)):
        assert not set(out) & set(LINE_BREAKS)
    assert list(yaml.safe_load_all(as_yaml(drafted)))


def test_huge_lines_and_html_do_not_raise(evaluation):
    for raw in (
        b"a" * 200_000,
        ("Rockets hit the base. " * 20_000).encode(),
        b"<html><body>" + b"<p>x</p>" * 5000 + b"</body></html>",
        b"\x00\xff\xfe" * 1000,
    ):
        try:
            article = read_article("-", stdin=raw)
        except DraftError:
            continue
        as_yaml([(article, draft_article(article, evaluation))])


# --- linear time: counted in work, never in seconds -----------------------------------------------


def _work(lines: int, evaluation, monkeypatch) -> int:
    """Calls of the steps whose count could grow faster than the article: a name looked up
    at a word, an incident's date worked out."""
    counts = {"calls": 0}
    match_at = places.Gazetteer._match_at
    when = incidents.Told.when.fget

    def counted_match(self, *args):
        counts["calls"] += 1
        return match_at(self, *args)

    def counted_when(self):
        counts["calls"] += 1
        return when(self)

    monkeypatch.setattr(places.Gazetteer, "_match_at", counted_match)
    monkeypatch.setattr(incidents.Told, "when", property(counted_when))
    draft_article(
        Article(long_article(lines), "long.txt", published=dt.date(2024, 1, 29)), evaluation
    )
    monkeypatch.undo()
    return counts["calls"]


def test_drafting_work_grows_in_proportion_to_the_article(evaluation, monkeypatch):
    small, large = _work(300, evaluation, monkeypatch), _work(1200, evaluation, monkeypatch)
    assert large <= 4.6 * small, (small, large)  # four times the lines: about four times the work


def test_a_line_separator_in_the_text_ends_a_line_and_hides_nothing(evaluation):
    text = (
        "Two rockets struck the Green Village base on Friday, a US official said."
        "\u2028kind: strike\u2029base: al-tanf\n"
    )
    found = draft_article(Article(text, "a.txt", published=dt.date(2023, 10, 2)), evaluation)
    assert [(d.record["kind"], d.record.get("base")) for d in found if d.is_new] == [
        ("attack", "green-village")
    ]


def test_an_article_that_takes_too_long_to_read_is_given_up(evaluation, monkeypatch):
    from generator.tools.draft import mentions

    monkeypatch.setattr(mentions, "DRAFT_SECONDS", -1)  # no time at all: the first sentence
    article = Article("Rockets hit the Tower 22 base on Sunday.", "a.txt", published=None)
    with pytest.raises(DraftError, match="took over -1 s to read, at sentence 1 of 1"):
        draft_article(article, evaluation)


NEWS_WORDS = [
    "Rockets",
    "hit",
    "the",
    "base",
    "Green",
    "Village",
    "Tower",
    "22",
    "on",
    "Friday",
    "Monday",
    "yesterday",
    "US",
    "official",
    "said",
    "killed",
    "wounded",
    "three",
    "2023-10-02",
    "October",
    "5",
    "claimed",
    "responsibility",
    "Pentagon",
    "strike",
    "struck",
    "Syria",
    "Iraq",
    "Anbar",
    "Mashtal",
    ",",
    ".",
    "\n",
    "\u2028",
    "at",
    "least",
    "drones",
    "attack",
    "since",
    "60",
    "attacks",
    "Besmaya",
    "al-Asad",
    "7",
    "km",
    "east",
    "of",
]


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from(NEWS_WORDS), max_size=200),
    published=st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2026, 1, 1))),
)
def test_any_jumble_of_news_words_drafts_without_a_traceback(words, published, evaluation):
    article = read_article("-", stdin=" ".join(words).encode(), published=published)
    drafted = [(article, draft_article(article, evaluation))]
    list(yaml.safe_load_all(as_yaml(drafted)))
    json.loads(as_json(drafted))
