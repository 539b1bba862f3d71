"""Tests for audio_edition.inputs.fetch: pages served by a local HTTP server on 127.0.0.1.

Each route of the server below plays one kind of web server: honest, gzipping,
redirecting (also to places a fetcher must not follow), failing, slow, lying
about its size or sending far too much. The assertions check what the fetcher
returns against what the server sent, and that every refusal is one InputError
line that names the problem.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from audio_edition.errors import AudioEditionError, InputError
from audio_edition.inputs.fetch import FEED_TYPES, Page, decode_html, fetch, is_url
from audio_edition.inputs.source import MAX_BYTES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "web"
PAGE = (FIXTURES / "newspaper.html").read_bytes()
LATIN = (
    '<html><head><meta charset="windows-1252"><title>Café</title></head><body><p>Crème brûlée — €4.</p></body></html>'
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[dict[str, dict[str, str]]] = {}
    sent: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        Handler.seen[self.path] = dict(self.headers.items())
        path = self.path
        if path == "/article.html":
            self.reply(200, PAGE, "text/html; charset=utf-8")
        elif path == "/gzip":
            assert "gzip" in self.headers.get("Accept-Encoding", "")
            self.reply(200, gzip.compress(PAGE), "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        elif path == "/hop1":
            self.redirect(302, "/hop2")
        elif path == "/hop2":
            self.redirect(301, f"http://127.0.0.1:{self.server.server_port}/hop3?x=1")
        elif path == "/hop3?x=1":
            self.redirect(307, "article.html")
        elif path == "/loop":
            self.redirect(302, "/loop")
        elif path == "/to-file":
            self.redirect(302, "file:///etc/passwd")
        elif path == "/to-ftp":
            self.redirect(301, "ftp://files.example.org/article.html")
        elif path == "/no-location":
            self.reply(302, b"", "text/html")
        elif path == "/missing":
            self.reply(404, b"<h1>Not here</h1>", "text/html")
        elif path == "/broken":
            self.reply(500, b"oops", "text/plain")
        elif path == "/report.pdf":
            self.reply(200, b"%PDF-1.7\n" + b"0" * 2000, "application/pdf")
        elif path == "/photo":
            self.reply(200, b"\xff\xd8\xff\xe0" + b"\0" * 100, "image/jpeg")
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(MAX_BYTES + 10))
            self.end_headers()
            Handler.sent[path] = 0
            self.stream(path, MAX_BYTES + 10)
        elif path == "/endless":
            # No Content-Length: the body ends when the connection closes, and this one hardly ever does.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            self.stream(path, 200 * 1024 * 1024)
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            Handler.sent[path] = 0
            try:
                chunk = b"<p>" + b"x" * 65000 + b"</p>"
                for _ in range(200):
                    self.wfile.write(f"{len(chunk):X}\r\n".encode() + chunk + b"\r\n")
                    Handler.sent[path] += len(chunk)
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
        elif path == "/gzip-bomb":
            body = gzip.compress(b"<p>" + b" " * (40 * 1024 * 1024) + b"</p>", compresslevel=9)
            self.reply(200, body, "text/html", {"Content-Encoding": "gzip"})
        elif path == "/slow-headers":
            time.sleep(3)
            self.reply(200, PAGE, "text/html")
        elif path == "/slow-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):  # a byte every 0.2 s: never a socket timeout, always too slow in total
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
        elif path in ("/header-lines", "/header-drip"):
            # Headers that never end: a line every 0.2 s, or one line a byte at a time.
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                for i in range(1000):
                    self.wfile.write(f"X-Line-{i}: {i}\r\n".encode() if path == "/header-lines" else b"a")
                    if path == "/header-drip" and i == 0:
                        self.wfile.write(b"X-Long: ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/cp1252-meta":
            self.reply(200, LATIN.encode("cp1252"), "text/html")
        elif path == "/latin1-header":
            body = "<html><body><p>Price: €12 — a bargain.</p></body></html>".encode("cp1252")
            self.reply(200, body, "text/html; charset=ISO-8859-1")
        elif path == "/no-type":
            self.reply(200, b"<!DOCTYPE html><html><body><p>Hello there, reader.</p></body></html>", None)
        elif path == "/no-type-binary":
            self.reply(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, None)
        elif path == "/feed.xml":
            self.reply(200, b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>",
                       "application/rss+xml")  # fmt: skip
        else:
            self.reply(404, b"", "text/html")

    def reply(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (the timeout tests)

    def redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream(self, path: str, total: int) -> None:
        Handler.sent[path] = 0
        block = b"<p>" + b"y" * (64 * 1024 - 7) + b"</p>"
        try:
            while Handler.sent[path] < total:
                self.wfile.write(block)
                Handler.sent[path] += len(block)
        except OSError:
            pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def refused(url: str, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        fetch(url, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message and isinstance(info.value, AudioEditionError) and isinstance(info.value, ValueError)
    return message


# --- pages that arrive -------------------------------------------------------------


def test_fetch_returns_final_url_type_and_text(server):
    page = fetch(f"{server}/article.html")
    assert isinstance(page, Page)
    assert page.url == f"{server}/article.html"
    assert page.content_type == "text/html" and page.charset == "utf-8"
    assert page.data == PAGE
    assert page.text == PAGE.decode("utf-8")
    assert "Jonas Pärt" in page.text and "€2.3m" in page.text
    assert Handler.seen["/article.html"]["User-Agent"].startswith("audio-edition/")


def test_gzip_is_decoded(server):
    page = fetch(f"{server}/gzip")
    assert Handler.seen["/gzip"]["Accept-Encoding"] == "gzip"
    assert page.data == PAGE


def test_redirects_are_followed_to_the_final_url(server):
    page = fetch(f"{server}/hop1")
    assert page.url == f"{server}/article.html"  # relative, absolute and relative Locations, three status codes
    assert page.data == PAGE
    assert {"/hop1", "/hop2", "/hop3?x=1", "/article.html"} <= set(Handler.seen)


def test_redirect_loop_stops(server):
    assert "more than 10 redirects" in refused(f"{server}/loop")


@pytest.mark.parametrize(("path", "target"), [("/to-file", "file:///etc/passwd"), ("/to-ftp", "ftp://")])
def test_redirect_out_of_http_is_refused(server, path, target):
    message = refused(f"{server}{path}")
    assert f"redirects to {target}" in message and "not an http or https URL" in message


def test_redirect_without_location(server):
    assert "redirect without a Location" in refused(f"{server}/no-location")


# --- pages that do not -------------------------------------------------------------


def test_404_and_500_name_the_status(server):
    assert refused(f"{server}/missing") == f"{server}/missing: HTTP 404 Not Found"
    assert refused(f"{server}/broken") == f"{server}/broken: HTTP 500 Internal Server Error"


@pytest.mark.parametrize(("path", "media"), [("/report.pdf", "application/pdf"), ("/photo", "image/jpeg")])
def test_non_html_is_refused(server, path, media):
    assert refused(f"{server}{path}") == f"{server}{path} is {media}, not a web page"


def test_feed_types_are_accepted_only_when_asked(server):
    assert "a feed of articles, not an article: convert its articles with --from-feed" in refused(f"{server}/feed.xml")
    assert fetch(f"{server}/feed.xml", accept=FEED_TYPES).content_type == "application/rss+xml"


@pytest.mark.parametrize("url", ["ftp://files.example.org/a.html", "file:///etc/passwd", "javascript:alert(1)",
                                 "mailto:desk@example.org", "http:///no-host"])  # fmt: skip
def test_other_schemes_are_refused(url):
    message = refused(url)
    assert "only http and https" in message or "no host name" in message


def test_unreachable_host():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    message = refused(f"http://127.0.0.1:{port}/article", timeout=5)
    assert message.startswith(f"http://127.0.0.1:{port}/article: cannot connect")


def test_declared_size_over_the_limit_is_refused_before_reading(server):
    started = time.monotonic()
    message = refused(f"{server}/huge-declared")
    assert "larger than 5.0 MiB" in message and time.monotonic() - started < 5


@pytest.mark.parametrize("path", ["/endless", "/chunked"])
def test_undeclared_size_is_limited_while_reading(server, path):
    started = time.monotonic()
    message = refused(f"{server}{path}")
    assert message == f"{server}{path} is larger than 5.0 MiB; that is not an article"
    assert time.monotonic() - started < 10
    time.sleep(0.2)
    # The fetcher stopped reading soon after the limit, far before the server's 13 or 200 MB.
    assert Handler.sent[path] < MAX_BYTES + 8 * 1024 * 1024


def test_a_small_limit_is_honoured(server):
    assert "larger than 1000 bytes" in refused(f"{server}/article.html", max_bytes=1000)


def test_gzip_bomb_is_stopped_at_the_limit(server):
    assert "larger than 5.0 MiB" in refused(f"{server}/gzip-bomb")


def test_slow_server_times_out(server):
    started = time.monotonic()
    message = refused(f"{server}/slow-headers", timeout=0.5)
    assert message == f"{server}/slow-headers: no answer within 0.5 s"
    assert time.monotonic() - started < 2


def test_trickling_body_times_out_in_total(server):
    # Each byte comes well within the timeout; the whole page never does.
    started = time.monotonic()
    message = refused(f"{server}/slow-body", timeout=1)
    assert "no complete answer within 1 s" in message
    assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("path", ["/header-lines", "/header-drip"])
def test_headers_that_never_end_time_out_in_total(server, path):
    """One deadline for the whole fetch, headers included: a header line every 0.2 s (or one line a byte
    at a time) kept a fetch for minutes, each read well within the socket timeout."""
    started = time.monotonic()
    message = refused(f"{server}{path}", timeout=1)
    assert "within 1 s" in message
    assert time.monotonic() - started < 2.5


# --- text -------------------------------------------------------------------------


def test_charset_from_meta_when_the_header_has_none(server):
    page = fetch(f"{server}/cp1252-meta")
    assert page.charset is None
    assert "Crème brûlée — €4." in page.text


def test_latin1_header_means_windows_1252(server):
    assert "Price: €12 — a bargain." in fetch(f"{server}/latin1-header").text


def test_missing_content_type_is_sniffed(server):
    assert "Hello there, reader." in fetch(f"{server}/no-type").text
    assert "does not look like a web page" in refused(f"{server}/no-type-binary")


def test_decode_html_order_bom_header_meta_utf8():
    utf8 = "<p>naïve café</p>".encode()
    assert decode_html(utf8) == "<p>naïve café</p>"
    assert decode_html(b"\xef\xbb\xbf" + utf8) == "<p>naïve café</p>"
    assert decode_html("<p>€</p>".encode("cp1252")) == "<p>€</p>"  # not UTF-8, nothing declared
    koi = '<meta charset="koi8-r"><p>Привет</p>'.encode("koi8_r")
    assert "Привет" in decode_html(koi)
    assert "Привет" in decode_html("<p>Привет</p>".encode("koi8_r"), "koi8-r")
    # A UTF-8 BOM beats a wrong header, as in browsers.
    assert decode_html(b"\xef\xbb\xbf" + utf8, "iso-8859-1") == "<p>naïve café</p>"


def test_is_url():
    assert is_url("https://example.org/a") and is_url("HTTP://example.org")
    assert not is_url("example.org/a") and not is_url("notes.html") and not is_url("ftp://x")


def test_a_private_address_is_refused_before_connecting_when_asked(server):
    message = refused(f"{server}/never-asked", allow_private=False)
    assert "127.0.0.1 is a loopback or private-network address" in message
    assert "/never-asked" not in Handler.seen
