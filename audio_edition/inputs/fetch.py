"""Fetching a web page: one http(s) URL in, its bytes and what they are out.

Standard library only (urllib), with the limits an article fetcher needs and
urllib does not enforce on its own: redirects are followed one hop at a time so
that each hop can be checked (http or https only, at most `MAX_REDIRECTS`),
the timeout covers the whole fetch rather than each socket read, and the size
limit (`inputs.MAX_BYTES`) is enforced while reading, after gzip decoding, so a
lying or missing Content-Length cannot get past it.

Every failure is an `InputError` with one line a user can act on.
"""

from __future__ import annotations

import codecs
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from email.message import Message
from typing import Any

from audio_edition.errors import InputError
from audio_edition.inputs.source import MAX_BYTES, bom_encoding
from audio_edition.sizes import human_size

__all__ = [
    "FEED_TYPES",
    "MAX_REDIRECTS",
    "PAGE_TYPES",
    "TIMEOUT",
    "Page",
    "decode_html",
    "fetch",
    "is_url",
]

TIMEOUT = 20.0
"""Seconds for the whole fetch, redirects included."""
MAX_REDIRECTS = 10
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown"})
"""What `load_article` can read: a web page, plain text, Markdown."""
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/x-rss+xml", "text/rss+xml", "text/plain", "text/html",
})  # fmt: skip
"""What a feed of articles is served as (some servers send feeds as text/html or text/plain)."""
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_USER_AGENT = "audio-edition/0.1 (turns articles into podcast episodes)"
# WHATWG Encoding: these labels mean windows-1252 on the web, whatever their name says.
_AS_CP1252 = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "iso_8859-1", "cp819"}
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)


@dataclass(frozen=True)
class Page:
    """What a URL answered, after redirects."""

    url: str
    """The final URL, after redirects: relative links in the page resolve against it."""
    content_type: str
    """The media type without parameters, lower case: "text/html"."""
    charset: str | None
    """The charset the Content-Type header declared, if any."""
    data: bytes
    """The body, gzip already decoded."""

    @property
    def text(self) -> str:
        """The body as text: for HTML, the charset from BOM, header or <meta>; UTF-8 otherwise."""
        if self.content_type in HTML_TYPES:
            return decode_html(self.data, self.charset)
        return _decode(self.data, _charset(self.data, self.charset) or "utf-8")


def is_url(text: str) -> bool:
    """Whether an argument is meant as a web address (http or https)."""
    return bool(re.match(r"https?://", text.strip(), re.I))


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT,
    max_bytes: int | None = None,
    accept: Collection[str] = PAGE_TYPES,
    what: str = "a web page",
    allow_private: bool = True,
) -> Page:
    """GET `url`, following redirects, and return what it holds.

    Raises `InputError` for another scheme, an unreachable host, a timeout, an
    HTTP error status, too many redirects, a redirect out of http(s), a media
    type not in `accept` ("... is application/pdf, not `what`"), or a body
    larger than `max_bytes` (default `inputs.MAX_BYTES`). Without `allow_private`, a URL (or a
    redirect) to a loopback, private or link-local address is refused before connecting.
    """
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    _check_scheme(url, url)
    if not allow_private:
        _check_public(url, url)
    deadline = time.monotonic() + timeout
    # A little after the deadline: the socket timeouts, set to what is left, say it first when they can.
    with _Watchdog(deadline + _GRACE) as watchdog:
        try:
            return _fetch(url, deadline, timeout, max_bytes, accept, what, watchdog, allow_private)
        except InputError as exc:
            if watchdog.fired and f"within {timeout:g} s" not in str(exc):
                # Whatever the cut connection looked like to the reader: the deadline passed.
                raise InputError(f"{url}: no complete answer within {timeout:g} s") from None
            raise


_GRACE = 0.2
"""Seconds past the deadline before the watchdog cuts the connections."""


class _Watchdog:
    """One deadline for the whole fetch, headers included: when it passes, every connection the fetch
    opened is shut, so a server that drips its headers (each byte within the socket timeout) cannot hold it."""

    def __init__(self, deadline: float) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def handlers(self) -> list[urllib.request.BaseHandler]:
        """urllib handlers whose connections report their sockets to this watchdog."""
        watchdog = self

        def watched(base: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
            class Watched(base):  # type: ignore[valid-type,misc]
                def connect(self) -> None:
                    super().connect()
                    watchdog.watch(self.sock)

            return Watched

        class HTTP(urllib.request.HTTPHandler):
            def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
                return super().do_open(watched(http_class), req, **kwargs)

        class HTTPS(urllib.request.HTTPSHandler):
            def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
                return super().do_open(watched(http_class), req, **kwargs)

        return [HTTP(), HTTPS()]


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _fetch(url: str, deadline: float, timeout: float, max_bytes: int, accept: Collection[str], what: str,
           watchdog: _Watchdog, allow_private: bool) -> Page:  # fmt: skip
    opener = urllib.request.build_opener(_NoRedirects, *watchdog.handlers())
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        request = urllib.request.Request(current, headers={
            "User-Agent": _USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "gzip",
        })  # fmt: skip
        try:
            response = opener.open(request, timeout=_remaining(deadline, url, timeout))
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code in _REDIRECTS:
                location = exc.headers.get("Location")
                if not location:
                    raise InputError(f"{current}: HTTP {exc.code} redirect without a Location") from None
                target = urllib.parse.urljoin(current, location.strip())
                _check_redirect(url, target)
                if not allow_private:
                    _check_public(url, target)
                current = target
                continue
            raise InputError(
                f"{current}: HTTP {exc.code} {exc.reason or http.client.responses.get(exc.code, '')}".rstrip()
            ) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            raise _network_error(current, exc, timeout) from None
        with response:
            return _read(response, url, deadline, timeout, max_bytes, accept, what)
    raise InputError(f"{url}: more than {MAX_REDIRECTS} redirects")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back to `fetch`, which checks each hop itself."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _check_scheme(original: str, url: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else url
        raise InputError(f"{original}: only http and https URLs can be fetched, not {shown}")
    if not urllib.parse.urlsplit(url).hostname:
        raise InputError(f"{original}: no host name in the URL")


def _check_redirect(original: str, target: str) -> None:
    scheme = urllib.parse.urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"{original} redirects to {target[:80]}, which is not an http or https URL")
    if not urllib.parse.urlsplit(target).hostname:
        raise InputError(f"{original} redirects to {target[:80]}, which has no host name")


def is_private(url: str) -> bool:
    """Whether `url`'s host is this machine or a private network: a loopback, private, link-local or
    otherwise non-public address, written out or resolved (a name that does not resolve counts as public:
    the fetch will say it is unknown)."""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        if host.lower() == "localhost" or host.lower().endswith(".localhost"):
            return True
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError, OSError):
            return False
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return any(not address.is_global for address in addresses)


def _check_public(original: str, url: str) -> None:
    if is_private(url):
        host = urllib.parse.urlsplit(url).hostname
        raise InputError(
            f"{original}: {host} is a loopback or private-network address, which a link from a public feed may "
            "not reach (pass --allow-private to allow it)"
        )


def _remaining(deadline: float, url: str, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise InputError(f"{url}: no complete answer within {timeout:g} s")
    return left


def _network_error(url: str, exc: BaseException, timeout: float) -> InputError:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return InputError(f"{url}: no answer within {timeout:g} s")
    if isinstance(reason, socket.gaierror):
        return InputError(f"{url}: unknown host {urllib.parse.urlsplit(url).hostname}")
    if isinstance(reason, ssl.SSLError):
        return InputError(f"{url}: secure connection failed: {reason.reason or reason}")
    if isinstance(reason, ConnectionRefusedError):
        return InputError(f"{url}: cannot connect: the server refused the connection")
    if isinstance(reason, OSError):
        return InputError(f"{url}: cannot connect: {reason.strerror or reason}")
    return InputError(f"{url}: cannot fetch: {reason}")


def _read(
    response: http.client.HTTPResponse,
    original: str,
    deadline: float,
    timeout: float,
    max_bytes: int,
    accept: Collection[str],
    what: str,
) -> Page:
    final = response.geturl()
    headers: Message = response.headers
    media = (headers.get_content_type() if headers.get("Content-Type") else "").lower()
    if not media:
        media = "text/html"  # nothing declared: sniffed below, it must at least look like markup
    if media not in accept:
        if accept is PAGE_TYPES and media in FEED_TYPES:
            # An article was asked for and a feed of them came: say how to read a feed.
            feed = "a feed of articles" if "rss" in media or "atom" in media or "rdf" in media else f"{media}"
            raise InputError(f"{final} is {feed}, not an article: convert its articles with --from-feed {final}")
        raise InputError(f"{final} is {media}, not {what}")
    limit = f"{human_size(max_bytes)}; that is not an article"
    declared = headers.get("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise InputError(f"{final} is {human_size(int(declared))}; pages larger than {limit}")
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflate = zlib.decompressobj()
    elif encoding == "identity":
        inflate = None
    else:
        raise InputError(f"{final}: unsupported Content-Encoding {encoding!r}")
    body = bytearray()
    try:
        while True:
            _set_timeout(response, _remaining(deadline, original, timeout))
            chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
            if not chunk:
                break
            if inflate is not None:
                # Never inflate more than the limit allows: a small gzip can expand a thousandfold.
                chunk = inflate.decompress(chunk, max_bytes + 1 - len(body))
            body += chunk
            if len(body) > max_bytes:
                raise InputError(f"{final} is larger than {limit}")
        if inflate is not None:
            body += inflate.flush()
            if len(body) > max_bytes:
                raise InputError(f"{final} is larger than {limit}")
    except TimeoutError:
        raise InputError(f"{final}: no complete answer within {timeout:g} s") from None
    except zlib.error as exc:
        raise InputError(f"{final}: the server sent damaged {encoding} data ({exc})") from None
    except http.client.IncompleteRead:
        raise InputError(f"{final}: the connection closed before the page was complete") from None
    except (OSError, http.client.HTTPException) as exc:
        raise InputError(f"{final}: the connection failed while reading: {exc}") from None
    data = bytes(body)
    if not headers.get("Content-Type") and not re.search(
        rb"<(?:!doctype\s+html|html|head|body|p|\?xml|rss|feed)\b", data[:4096], re.I
    ):
        raise InputError(f"{final} does not say what it is and does not look like {what}")
    return Page(url=final, content_type=media, charset=headers.get_content_charset(), data=data)


def _set_timeout(response: http.client.HTTPResponse, seconds: float) -> None:
    """Shorten the socket's timeout to what is left of the whole fetch's."""
    sock = getattr(getattr(response, "fp", None), "raw", None)
    sock = getattr(sock, "_sock", None)
    if isinstance(sock, socket.socket):
        sock.settimeout(seconds)


def decode_html(data: bytes, declared: str | None = None) -> str:
    """HTML bytes to text the way browsers pick the encoding: BOM, then header, then <meta>, then UTF-8.

    Bytes that are not valid UTF-8 and declare nothing are read as windows-1252,
    the web's default for English pages.
    """
    charset = _charset(data, declared) or _meta_charset(data)
    if charset:
        return _decode(data, charset)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _charset(data: bytes, declared: str | None) -> str | None:
    """A BOM wins over what the header says (as in browsers); None when neither tells."""
    return bom_encoding(data) or _known(declared)


def _meta_charset(data: bytes) -> str | None:
    """<meta charset=...> or <meta http-equiv content="...; charset=...">, in the first 4 KB as browsers look."""
    match = _META_CHARSET.search(data[:4096])
    name = _known(match.group(1).decode("ascii", "replace")) if match else None
    # A <meta> found by an ASCII scan cannot be telling the truth about UTF-16; browsers read UTF-8 then.
    return "utf-8" if name and name.startswith("utf-16") else name


def _known(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(data: bytes, charset: str) -> str:
    return data.decode(charset, errors="replace")
