"""The local server: the output folder over HTTP, so a podcast app on the same network can subscribe.

Files are served by Starlette's StaticFiles (HEAD, byte ranges, ETag and
Last-Modified come from it) under uvicorn. What this module adds is what a
podcast folder needs: the right media types, CORS for the files web players
fetch, nothing hidden or private (the lock, staging folders, the catalog) and
nothing outside the folder; and, when the channel names no base URL, a feed
generated per request that points at the address the request came to, if it
is one this server listens on (421 Misdirected Request for any other Host).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import hashlib
import ipaddress
import os
import re
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import anyio.to_thread
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from audio_edition.errors import AudioEditionError, OutputError
from audio_edition.publish.channel import load_channel
from audio_edition.publish.media import FEED_TYPE, media_type
from audio_edition.publish.update import feed_for

FEED = "feed.xml"

# Written for the tool, not for listeners: the catalog (and SQLite's side files) and the settings.
PRIVATE_NAMES = re.compile(r"catalog\.sqlite(-journal|-wal|-shm)?|channel\.toml")

# A Host header we are willing to write into a feed: a name or address and an optional port.
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]{1,5})?")


class ServeError(OutputError):
    """The output folder cannot be served: it is missing, or the address cannot be listened on."""


def is_private(relative: str) -> bool:
    """True for what is never served: hidden names (`.lock`, `.staging-*`) at any depth, the catalog, the settings."""
    parts = [p for p in relative.replace("\\", "/").split("/") if p not in ("", ".")]
    return any(p.startswith(".") or PRIVATE_NAMES.fullmatch(p) for p in parts)


class _FolderFiles(StaticFiles):
    """StaticFiles that keeps private files private and names media types itself."""

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if is_private(path):
            return "", None
        full_path, stat_result = super().lookup_path(path)
        # A symlink inside the folder may point at a private file inside it.
        if full_path and is_private(os.path.relpath(full_path, os.path.realpath(self.directory or "."))):
            return "", None
        return full_path, stat_result

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = FileResponse(
            full_path, status_code=status_code, stat_result=stat_result, media_type=media_type(Path(full_path).name)
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response


class _PublicHeaders:
    """Every response may be read by a web player on another origin, and is not content-sniffed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            # CORS preflight, e.g. a player sending a Range header.
            await Response(status_code=204, headers={
                "Access-Control-Allow-Origin": "*",
                "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
                "Access-Control-Allow-Headers": "Range, If-None-Match, If-Modified-Since",
                "Access-Control-Max-Age": "86400",
            })(scope, receive, send)  # fmt: skip
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                    (b"access-control-allow-origin", b"*"),
                    (b"access-control-expose-headers", b"Content-Length, Content-Range, Accept-Ranges, ETag"),
                    (b"x-content-type-options", b"nosniff"),
                ]  # fmt: skip
            await send(message)

        await self.app(scope, receive, send_with_headers)


def base_url_of(request: Request) -> str | None:
    """The address the request came to, as a base URL ending in "/"; the socket's own when Host is unusable;
    None when Host names another server than this one (an address or port it does not listen on, or a name
    that does not lead here): a feed is never made for whatever a request claims."""
    server = request.scope.get("server") or ("127.0.0.1", 80)
    own = f"[{server[0]}]" if ":" in server[0] else server[0]
    host = request.headers.get("host", "")
    match = _HOST.fullmatch(host)
    if match is None:
        host = f"{own}:{server[1]}"
    else:
        port = int(match.group(2)[1:]) if match.group(2) else (443 if request.url.scheme == "https" else 80)
        if port != server[1] or not _leads_here(match.group(1).strip("[]"), server[0]):
            return None
    root = request.scope.get("root_path", "").rstrip("/")
    return f"{request.url.scheme}://{host}{root}/"


def _leads_here(name: str, local: str) -> bool:
    """Whether `name` (an address or a host name) is `local`, the address the connection came in on."""
    try:
        return ipaddress.ip_address(name) == ipaddress.ip_address(local)
    except ValueError:
        pass
    try:
        return str(ipaddress.ip_address(local.split("%")[0])) in _addresses(name.lower())
    except ValueError:
        return False


@functools.lru_cache(maxsize=64)
def _addresses(name: str) -> frozenset[str]:
    """The addresses a host name resolves to here ("localhost" -> 127.0.0.1 and ::1)."""
    try:
        found = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return frozenset()
    return frozenset(str(ipaddress.ip_address(str(info[4][0]).split("%")[0])) for info in found)


def _configured_base_url(out_dir: Path) -> str | None:
    # Read on every request: the user may edit channel.toml while the server runs.
    return load_channel(out_dir).base_url


def make_app(out_dir: Path) -> Starlette:
    """The ASGI application serving `out_dir` (exposed for tests and for other ASGI servers)."""
    folder = Path(out_dir)
    files = _FolderFiles(directory=folder, html=True, follow_symlink=False)

    async def feed(request: Request) -> Response:
        try:
            configured = await anyio.to_thread.run_sync(_configured_base_url, folder)
            if configured is not None:
                # Published elsewhere: the feed on disk already has the right addresses.
                return await files.get_response(FEED, request.scope)
            base = await anyio.to_thread.run_sync(base_url_of, request)
            if base is None:
                host = request.headers.get("host", "")
                return PlainTextResponse(f"this server does not answer for {host!r}\n", status_code=421)
            body = await anyio.to_thread.run_sync(feed_for, folder, base)
        except (AudioEditionError, OSError) as exc:
            print(f"audio-edition: error: {FEED}: {exc}", file=sys.stderr, flush=True)
            return PlainTextResponse(f"the feed cannot be made: {exc}\n", status_code=503)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        wanted = request.headers.get("if-none-match", "")
        if etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=FEED_TYPE, headers=headers)

    return Starlette(
        routes=[Route(f"/{FEED}", feed, methods=["GET", "HEAD"]), Mount("/", app=files)],
    )


class _Server(uvicorn.Server):
    """uvicorn's server, announcing itself once listening; a signal ends `run` normally."""

    def __init__(self, config: uvicorn.Config, announce: str) -> None:
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            print(self.announce, file=sys.stderr, flush=True)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # Ctrl-C or SIGTERM is how a server is meant to stop: shut down gracefully and return,
        # rather than re-raising the signal as uvicorn does (a second Ctrl-C forces it).
        def stop(sig: int, frame: FrameType | None) -> None:
            if self.should_exit and sig == signal.SIGINT:
                self.force_exit = True
            self.should_exit = True

        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, stop) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, so that a busy port is our clear error and port 0 tells its real number."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeError(f"cannot listen on {host}: {getattr(exc, 'strerror', None) or exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(
                f"port {port} on {host} is already in use: stop the other server or choose another --port"
            ) from None
        raise ServeError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    return sock


def _lan_address() -> str | None:
    """This machine's address on its local network (no packet is sent), or None."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: a UDP "connect" only picks the route
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


HEADER_TIMEOUT_S = 10.0
"""A client has this long from connecting (or from its last response) to send a whole request head;
uvicorn alone waits for ever, so a few hundred idle or slow clients would use up the server's files."""
MAX_CONNECTIONS = 200
"""Connections beyond this many get 503 Service Unavailable."""
KEEP_ALIVE_S = 5


def _guarded_h11(header_timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a deadline for each request's head."""
    from uvicorn.protocols.http.h11_impl import H11Protocol  # noqa: PLC0415 - uvicorn's own, after uvicorn

    class Guarded(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(header_timeout, self._too_slow)
            self._waiting_for = self.cycle

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not self._waiting_for:  # a new request's head has arrived
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request on this connection has its own deadline

        def _too_slow(self) -> None:
            if not self.transport.is_closing() and self.cycle is self._waiting_for:
                self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return Guarded


def run(out_dir: Path, host: str = "127.0.0.1", port: int = 8000, *, header_timeout: float = HEADER_TIMEOUT_S) -> None:
    """Serve `out_dir` on host:port until Ctrl-C or SIGTERM.

    One line goes to stderr when the server is listening (with the real port when
    `port` is 0). Raises ServeError when the folder is missing or the port is taken.
    A client that sends no complete request head within `header_timeout` seconds is disconnected.
    """
    folder = Path(out_dir)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ServeError(f"cannot serve {folder}: it {what} (convert an article into it first)")
    sock = _bind(host, port)
    real_port = sock.getsockname()[1]
    url = _url(host, real_port)
    announce = f"Serving {folder} at {url} — feed {url}{FEED}"
    if host in ("0.0.0.0", "::", ""):  # every interface: say which address a phone should use
        nearby = _lan_address()
        if nearby:
            announce += f"\nOn this network: {_url(nearby, real_port)}{FEED}"
    config = uvicorn.Config(
        _PublicHeaders(make_app(folder)),
        log_level="warning",
        access_log=False,
        lifespan="off",
        interface="asgi3",
        ws="none",
        server_header=False,
        timeout_graceful_shutdown=5,
        http=_guarded_h11(header_timeout),
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    try:
        _Server(config, announce).run(sockets=[sock])
    finally:
        sock.close()
