"""The local server, run as a user runs it (a process of its own on port 0), checked with raw http.client requests."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from audio_edition import publish
from audio_edition.errors import AudioEditionError, OutputError
from audio_edition.inputs import read_source
from audio_edition.pipeline import Options, convert
from audio_edition.publish.serve import ServeError, run
from tests.conftest import ROOT

READY = re.compile(
    r"Serving (?P<dir>.+) at http://127\.0\.0\.1:(?P<port>\d+)/ — feed http://127\.0\.0\.1:(?P=port)/feed\.xml"
)


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    line: str

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request with `path` sent exactly as written (no normalisation by the client)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            conn.endheaders()
            response = conn.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()


@contextlib.contextmanager
def served(folder: Path, timeout: float = 20.0, **settings: float) -> Iterator[Server]:
    """`run(folder, port=0, **settings)` in a process of its own; the port read from its ready line on stderr."""
    code = ("from pathlib import Path; from audio_edition.publish.serve import run; "
            f"run(Path({str(folder)!r}), port=0, **{settings!r})")  # fmt: skip
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        line = ""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], deadline - time.monotonic())
            if not ready:
                break
            line = process.stderr.readline()
            if not line:
                break
            if line.startswith("Serving "):
                break
        match = READY.fullmatch(line.rstrip("\n"))
        assert match, f"no ready line; got {line!r}, exit {process.poll()}"
        yield Server(process, int(match["port"]), line.rstrip("\n"))
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stderr.close()


MP3 = bytes(range(256)) * 80  # 20,480 bytes; the server does not care what is inside
FILES = {
    "ep/ep.mp3": MP3,
    "ep/ep.vtt": "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nThe tide came in — early.\n".encode(),
    "ep/ep.srt": "1\n00:00:00,000 --> 00:00:01,500\nThe tide came in — early.\n".encode(),
    "ep/ep.chapters.json": b'{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Start"}]}\n',
    "ep/ep.txt": "The tide came in — early.\n".encode(),
    "ep/cover.jpg": b"\xff\xd8\xff\xe0" + bytes(300) + b"\xff\xd9",
    "cover.png": b"\x89PNG\r\n\x1a\n" + bytes(100),
    "index.html": "<!DOCTYPE html><title>Harbour notes ☕</title><p>Listen</p>\n".encode(),
    "episodes/index.html": b"<!DOCTYPE html><title>inner page</title>\n",
    ".lock": b"LOCK-CONTENT",
    ".staging-ep-pid1-x/ep.mp3": b"STAGING-CONTENT",
    "catalog.sqlite": b"SQLite format 3\x00CATALOG-CONTENT",
    "catalog.sqlite-wal": b"WAL-CONTENT",
    "channel.toml": b'title = "SETTINGS-CONTENT"\n',
    "ep/.notes": b"HIDDEN-CONTENT",
}
SECRET = b"OUTSIDE-SECRET-7f3a"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """An output folder with one file of each kind, private files, and a secret beside it."""
    root = tmp_path_factory.mktemp("site")
    folder = root / "out"
    for name, data in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "secret.txt").write_bytes(SECRET)
    (root / "private").mkdir()
    (root / "private" / "secret.txt").write_bytes(SECRET)
    os.symlink(root / "secret.txt", folder / "ep" / "link.txt")  # a file link pointing out
    os.symlink(root / "private", folder / "linked-dir")  # a folder link pointing out
    os.symlink(folder / ".lock", folder / "ep" / "lock.txt")  # a link inside, to a private file
    os.symlink(folder / "ep" / "ep.vtt", folder / "ep" / "alias.vtt")  # a harmless link inside
    return folder


@pytest.fixture(scope="module")
def server(site) -> Iterator[Server]:
    with served(site) as running:
        yield running


def test_ready_line_names_folder_real_port_and_feed(server, site):
    assert server.port > 0
    assert READY.fullmatch(server.line)["dir"] == str(site)
    # The port it announced is the one it answers on.
    status, _, _ = server.request("GET", "/")
    assert status == 200


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/ep/ep.mp3", "audio/mpeg"),
        ("/ep/ep.vtt", "text/vtt; charset=utf-8"),
        ("/ep/ep.srt", "application/x-subrip"),
        ("/ep/ep.chapters.json", "application/json"),
        ("/ep/ep.txt", "text/plain; charset=utf-8"),
        ("/ep/cover.jpg", "image/jpeg"),
        ("/cover.png", "image/png"),
        ("/index.html", "text/html; charset=utf-8"),
    ],
)
def test_each_kind_with_its_media_type_and_exact_bytes(server, path, media_type):
    status, headers, body = server.request("GET", path)
    assert status == 200
    assert headers["content-type"] == media_type
    assert body == FILES[path.lstrip("/")]
    assert int(headers["content-length"]) == len(body)
    assert headers["accept-ranges"] == "bytes"
    assert headers["x-content-type-options"] == "nosniff"


def test_root_and_folders_serve_their_index(server):
    status, headers, body = server.request("GET", "/")
    assert (status, headers["content-type"], body) == (200, "text/html; charset=utf-8", FILES["index.html"])
    assert server.request("GET", "/episodes/")[2] == FILES["episodes/index.html"]
    status, headers, _ = server.request("GET", "/episodes")
    assert status in (301, 302, 307, 308) and headers["location"].endswith("/episodes/")
    # No listing of a folder without an index.
    status, _, body = server.request("GET", "/ep/")
    assert status == 404 and b"ep.mp3" not in body


def test_head_gives_headers_without_body(server):
    status, headers, body = server.request("HEAD", "/ep/ep.mp3")
    assert status == 200 and body == b""
    assert int(headers["content-length"]) == len(MP3)
    assert headers["content-type"] == "audio/mpeg"


def test_byte_ranges(server):
    size = len(MP3)
    status, headers, body = server.request("GET", "/ep/ep.mp3", {"Range": "bytes=1000-1999"})
    assert status == 206
    assert headers["content-range"] == f"bytes 1000-1999/{size}"
    assert body == MP3[1000:2000] and int(headers["content-length"]) == 1000
    # Open-ended and suffix ranges, as players seeking near the end send them.
    status, headers, body = server.request("GET", "/ep/ep.mp3", {"Range": f"bytes={size - 10}-"})
    assert (status, body, headers["content-range"]) == (206, MP3[-10:], f"bytes {size - 10}-{size - 1}/{size}")
    status, _, body = server.request("GET", "/ep/ep.mp3", {"Range": "bytes=-300"})
    assert (status, body) == (206, MP3[-300:])
    # A range past the end cannot be satisfied.
    status, headers, _ = server.request("GET", "/ep/ep.mp3", {"Range": f"bytes={size}-{size + 100}"})
    assert status == 416 and headers["content-range"] == f"bytes */{size}"
    # HEAD with a range: the headers of the part, no body.
    status, headers, body = server.request("HEAD", "/ep/ep.mp3", {"Range": "bytes=0-99"})
    assert (status, headers["content-length"], body) == (206, "100", b"")


def test_conditional_get(server):
    _, headers, _ = server.request("GET", "/ep/ep.vtt")
    status, _, body = server.request("GET", "/ep/ep.vtt", {"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")
    status, _, body = server.request("GET", "/ep/ep.vtt", {"If-None-Match": '"something-else"'})
    assert status == 200 and body == FILES["ep/ep.vtt"]


@pytest.mark.parametrize("path", ["/ep/ep.chapters.json", "/ep/ep.vtt", "/ep/ep.srt", "/ep/ep.mp3"])
def test_cors_for_web_players(server, path):
    _, headers, _ = server.request("GET", path, {"Origin": "https://player.example"})
    assert headers["access-control-allow-origin"] == "*"
    assert "Content-Range" in headers["access-control-expose-headers"]


def test_cors_preflight(server):
    status, headers, body = server.request("OPTIONS", "/ep/ep.mp3", {
        "Origin": "https://player.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "range",
    })  # fmt: skip
    assert status == 204 and body == b""
    assert headers["access-control-allow-origin"] == "*"
    assert "Range" in headers["access-control-allow-headers"]
    assert "GET" in headers["access-control-allow-methods"]


def test_only_reading_methods(server):
    status, _, _ = server.request("POST", "/ep/ep.mp3")
    assert status == 405
    status, _, _ = server.request("DELETE", "/ep/ep.mp3")
    assert status == 405


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/ep/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/ep/%2e%2e/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/ep/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%2e%2e/private/secret.txt",
        "//secret.txt",
        "/ep/link.txt",
        "/linked-dir/secret.txt",
        "/linked-dir/",
        f"/{'%2e%2e/' * 8}etc/passwd",
        "/ep/ep.mp3%00.txt",
    ],
)
def test_nothing_outside_the_folder(server, path):
    status, _, body = server.request("GET", path)
    assert status in (400, 404), (path, status)
    assert SECRET not in body and b"root:" not in body


@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("/.lock", b"LOCK-CONTENT"),
        ("/%2elock", b"LOCK-CONTENT"),
        ("/.staging-ep-pid1-x/ep.mp3", b"STAGING-CONTENT"),
        ("/.staging-ep-pid1-x/", b"STAGING-CONTENT"),
        ("/catalog.sqlite", b"CATALOG-CONTENT"),
        ("/catalog.sqlite-wal", b"WAL-CONTENT"),
        ("/ep/../catalog.sqlite", b"CATALOG-CONTENT"),
        ("/channel.toml", b"SETTINGS-CONTENT"),
        ("/ep/.notes", b"HIDDEN-CONTENT"),
        ("/ep/lock.txt", b"LOCK-CONTENT"),
    ],
)
def test_private_files_are_not_served(server, path, content):
    for method in ("GET", "HEAD"):
        status, _, body = server.request(method, path)
        assert status == 404, (method, path, status)
        assert content not in body


def test_links_inside_the_folder_are_followed(server):
    status, headers, body = server.request("GET", "/ep/alias.vtt")
    assert (status, body) == (200, FILES["ep/ep.vtt"])
    assert headers["content-type"] == "text/vtt; charset=utf-8"


def test_sigterm_and_ctrl_c_stop_it_cleanly(site):
    for sig in (signal.SIGTERM, signal.SIGINT):
        with served(site) as running:
            assert running.request("GET", "/ep/ep.txt")[0] == 200
            running.process.send_signal(sig)
            assert running.process.wait(timeout=10) == 0
            rest = running.process.stderr.read()
            assert "Traceback" not in rest and "Error" not in rest, rest
            with pytest.raises(OSError):
                socket.create_connection(("127.0.0.1", running.port), timeout=2).close()


def test_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(ServeError, match=r"cannot serve .*nothing-here.*does not exist") as info:
        run(tmp_path / "nothing-here", port=0)
    assert isinstance(info.value, OutputError) and isinstance(info.value, AudioEditionError)
    assert "\n" not in str(info.value)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ServeError, match="is not a folder"):
        run(tmp_path / "a-file", port=0)


def test_port_in_use_is_one_clear_error(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=rf"port {port} on 127\.0\.0\.1 is already in use") as info:
            run(site, port=port)
        assert "\n" not in str(info.value)


def test_run_from_a_process_reports_a_busy_port_without_traceback(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code = ("import sys; from pathlib import Path; from audio_edition.publish.serve import run\n"
                "from audio_edition.errors import AudioEditionError\n"
                f"try: run(Path({str(site)!r}), port={port})\n"
                "except AudioEditionError as e: print(e, file=sys.stderr); sys.exit(1)")  # fmt: skip
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"port {port} on 127.0.0.1 is already in use: stop the other server or choose another --port"
    ]


# The feed: generated per request when no base URL is configured, the file on disk when one is.

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"

# Written for this test; kept short so the render is quick.
NOTE = """\
Night buses & the 2 a.m. timetable

By Ilse Marrow

May 9, 2026

The number nine bus now runs all night, once every forty minutes.

Drivers say the last hour before dawn is the quietest of the week.
"""


@pytest.fixture(scope="module")
def podcast(tmp_path_factory) -> Path:
    """An output folder with one real, published episode and no base URL configured."""
    out = tmp_path_factory.mktemp("podcast") / "out"
    article = tmp_path_factory.mktemp("note") / "night-buses.txt"
    article.write_text(NOTE, encoding="utf-8")
    episode = convert(read_source(str(article)), Options(out_dir=out, quiet=True))
    assert [e.slug for e in publish.entries(out)] == [episode.folder.name]  # convert published it
    return out


@pytest.fixture(scope="module")
def podcast_server(podcast) -> Iterator[Server]:
    with served(podcast) as running:
        yield running


def feed_urls(body: bytes) -> dict[str, list[str]]:
    """Every URL the feed gives, by where it is."""
    root = etree.fromstring(body)
    ns = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}
    return {
        "self": root.xpath("channel/atom:link[@rel='self']/@href", namespaces=ns),
        "channel image": root.xpath("channel/image/url/text() | channel/itunes:image/@href", namespaces=ns),
        "enclosure": root.xpath("channel/item/enclosure/@url"),
        "item image": root.xpath("channel/item/itunes:image/@href", namespaces=ns),
        "chapters": root.xpath("channel/item/podcast:chapters/@url", namespaces=ns),
        "transcripts": root.xpath("channel/item/podcast:transcript/@url", namespaces=ns),
    }


def test_feed_points_at_the_address_asked(podcast_server, podcast):
    # A name that leads to this server ("localhost" resolves to the loopback address it listens on).
    base = f"http://localhost:{podcast_server.port}/"
    status, headers, body = podcast_server.request("GET", "/feed.xml", {"Host": f"localhost:{podcast_server.port}"})
    assert status == 200
    assert headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert headers["access-control-allow-origin"] == "*"
    urls = feed_urls(body)
    assert urls["self"] == [base + "feed.xml"]
    assert all(urls.values()), urls
    everything = [u for found in urls.values() for u in found]
    assert all(u.startswith(base) for u in everything), everything
    # Each of them, asked of the server, is the file of the folder.
    for address in everything:
        path = address[len(base) - 1 :]
        status, _, served_bytes = podcast_server.request("GET", path)
        assert status == 200, address
        if path != "/feed.xml":
            assert served_bytes == (podcast / unquote(path.lstrip("/"))).read_bytes(), address


def test_feed_enclosure_and_transcript_types_match_what_is_served(podcast_server, podcast):
    _, _, body = podcast_server.request("GET", "/feed.xml")
    root = etree.fromstring(body)
    enclosure = root.find("channel/item/enclosure")
    path = "/" + enclosure.get("url").split("/", 3)[3]
    _, headers, _ = podcast_server.request("HEAD", path)
    assert headers["content-type"] == enclosure.get("type") == "audio/mpeg"
    assert int(headers["content-length"]) == int(enclosure.get("length"))
    for transcript in root.iterfind(f"channel/item/{{{PODCAST}}}transcript"):
        path = "/" + transcript.get("url").split("/", 3)[3]
        status, headers, _ = podcast_server.request("GET", path)
        assert status == 200
        assert headers["content-type"].split(";")[0] == transcript.get("type")
        assert headers["access-control-allow-origin"] == "*"


def test_feed_by_default_names_the_servers_own_address(podcast_server):
    # http.client sends "Host: 127.0.0.1:PORT", as a podcast app given the printed address would.
    _, _, body = podcast_server.request("GET", "/feed.xml")
    assert feed_urls(body)["self"] == [f"http://127.0.0.1:{podcast_server.port}/feed.xml"]
    # An address it does not listen on, or another port: no feed is made for it.
    for host in ("[::1]:9000", f"127.0.0.2:{podcast_server.port}", "127.0.0.1:1"):
        status, _, body = podcast_server.request("GET", "/feed.xml", {"Host": host})
        assert status == 421 and b"<rss" not in body, host


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "podcast.test:8765", "localhost:1"])
def test_a_host_header_naming_another_server_gets_no_feed(podcast_server, host):
    status, _, body = podcast_server.request("GET", "/feed.xml", {"Host": host.format(port=podcast_server.port)})
    assert status == 421
    assert b"<rss" not in body and body.count(b"\n") == 1
    # The files themselves are still served, whatever the Host.
    assert podcast_server.request("GET", "/", {"Host": host.format(port=podcast_server.port)})[0] == 200


@pytest.mark.parametrize("host", ['evil.example"><x', "a b", "", "x/y@z", "host:99999999"])
def test_a_host_header_that_is_no_address_is_not_written_into_the_feed(podcast_server, host):
    status, _, body = podcast_server.request("GET", "/feed.xml", {"Host": host})
    assert status in (200, 400)
    if status == 200:
        assert feed_urls(body)["self"] == [f"http://127.0.0.1:{podcast_server.port}/feed.xml"]
        assert b"evil" not in body and b"x/y" not in body


def test_feed_head_and_etag(podcast_server):
    _, headers, body = podcast_server.request("GET", "/feed.xml")
    status, head_headers, head_body = podcast_server.request("HEAD", "/feed.xml")
    assert (status, head_body) == (200, b"")
    assert int(head_headers["content-length"]) == len(body)
    status, _, again = podcast_server.request("GET", "/feed.xml", {"If-None-Match": headers["etag"]})
    assert (status, again) == (304, b"")
    # Another address, another feed: its ETag differs.
    _, other, _ = podcast_server.request("GET", "/feed.xml", {"Host": f"localhost:{podcast_server.port}"})
    assert other["etag"] != headers["etag"]


def test_page_and_channel_cover_are_served(podcast_server, podcast):
    status, headers, body = podcast_server.request("GET", "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert body == (podcast / "index.html").read_bytes()
    assert "Night buses &amp; the 2 a.m. timetable" in body.decode()
    # The settings file the first publish wrote, and the catalog, stay private.
    assert (podcast / "channel.toml").is_file() and (podcast / "catalog.sqlite").is_file()
    assert podcast_server.request("GET", "/channel.toml")[0] == 404
    assert podcast_server.request("GET", "/catalog.sqlite")[0] == 404


def test_with_a_base_url_configured_the_feed_on_disk_is_served(podcast, tmp_path):
    folder = tmp_path / "out"
    shutil.copytree(podcast, folder, symlinks=True)
    (folder / "channel.toml").write_text('base_url = "https://podcasts.example.org/harbour/"\n', encoding="utf-8")
    publish.rebuild(folder)
    on_disk = (folder / "feed.xml").read_bytes()
    assert b"https://podcasts.example.org/harbour/" in on_disk
    with served(folder) as running:
        status, headers, body = running.request("GET", "/feed.xml", {"Host": "podcast.test:8765"})
        assert status == 200 and body == on_disk
        assert headers["content-type"] == "application/rss+xml; charset=utf-8"
        assert headers["access-control-allow-origin"] == "*"
        assert feed_urls(body)["self"] == ["https://podcasts.example.org/harbour/feed.xml"]


def test_broken_settings_give_a_clear_503_not_a_traceback(podcast, tmp_path):
    folder = tmp_path / "out"
    shutil.copytree(podcast, folder, symlinks=True)
    (folder / "channel.toml").write_text("title = 5\n", encoding="utf-8")
    with served(folder) as running:
        status, _, body = running.request("GET", "/feed.xml")
        assert status == 503
        assert b"channel.toml: title must be a string" in body and body.count(b"\n") == 1
        # The files are still served.
        assert running.request("GET", "/")[0] == 200
        running.process.send_signal(signal.SIGTERM)
        assert running.process.wait(timeout=10) == 0
        log = running.process.stderr.read()
    assert "Traceback" not in log
    assert [line for line in log.splitlines() if "title must be a string" in line]


def _route_source() -> str | None:
    """The address this machine would send from to a non-local host, by iproute2 (independent of serve.py)."""
    try:
        out = subprocess.run(["ip", "-4", "route", "get", "192.0.2.1"], capture_output=True, text=True).stdout
    except OSError:
        return None
    match = re.search(r"\bsrc (\S+)", out)
    return match[1] if match and not match[1].startswith("127.") else None


def test_on_every_interface_it_names_the_network_address_and_the_feed_there_works(podcast):
    """--host 0.0.0.0: a second line gives the address a phone would use; asked there, the feed points there."""
    expected = _route_source()
    code = f"from pathlib import Path; from audio_edition.publish.serve import run; run(Path({str(podcast)!r}), '0.0.0.0', 0)"
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, bufsize=0)
    try:
        said = b""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and b"\n" not in said:
            if select.select([process.stderr], [], [], 1)[0]:
                said += process.stderr.read(4096)
        while select.select([process.stderr], [], [], 1)[0]:  # whatever follows the ready line
            more = process.stderr.read(4096)
            if not more:
                break
            said += more
        first, _, rest = said.decode().partition("\n")
        assert first.startswith("Serving ") and "http://0.0.0.0:" in first
        port = int(re.search(r":(\d+)/", first)[1])
        second = rest.strip()
        if expected is None:  # no network but loopback: nothing more to say
            assert second == ""
            expected, base = "127.0.0.1", f"http://127.0.0.1:{port}/"
        else:
            assert second == f"On this network: http://{expected}:{port}/feed.xml"
            base = f"http://{expected}:{port}/"
        connection = http.client.HTTPConnection(expected, port, timeout=10)
        connection.request("GET", "/feed.xml")
        response = connection.getresponse()
        assert response.status == 200
        enclosures = feed_urls(response.read())["enclosure"]
        assert enclosures and all(url.startswith(base) for url in enclosures)
        connection.close()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        process.stderr.close()


def _closed_by_server(sock: socket.socket, within: float, drip: bytes = b"") -> float | None:
    """Seconds until the server closes `sock` (sending `drip` every 0.2 s meanwhile); None if it does not."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if drip:
            try:
                sock.sendall(drip)
            except OSError:
                return time.monotonic() - started
        ready, _, _ = select.select([sock], [], [], 0.2)
        if ready:
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data or b" 408 " in data[:20]:
                return time.monotonic() - started
    return None


def test_idle_and_slow_header_clients_are_let_go(site):
    """uvicorn alone keeps a connection that sends nothing, or drips a request head, for ever: a few
    hundred of them used up the server's file descriptors. Each now has 1 s (here) to send its head."""
    with served(site, header_timeout=1.0) as running:
        idle = socket.create_connection(("127.0.0.1", running.port))
        slow = socket.create_connection(("127.0.0.1", running.port))
        slow.sendall(b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        try:
            assert (_closed_by_server(idle, 4) or 99) < 3
            assert (_closed_by_server(slow, 4, drip=b"X-Drip: 1\r\n") or 99) < 3
        finally:
            idle.close()
            slow.close()
        assert running.request("GET", "/index.html")[0] == 200  # and the server still serves


def test_connections_beyond_the_bound_get_503(site):
    from audio_edition.publish.serve import MAX_CONNECTIONS

    with served(site, header_timeout=30.0) as running:
        held = [socket.create_connection(("127.0.0.1", running.port)) for _ in range(MAX_CONNECTIONS)]
        try:
            time.sleep(0.5)
            assert running.request("GET", "/index.html")[0] == 503
        finally:
            for sock in held:
                sock.close()
        time.sleep(0.5)
        assert running.request("GET", "/index.html")[0] == 200


def test_podcast_guid_is_fixed_at_the_first_publish_whatever_the_address(podcast, podcast_server, tmp_path):
    ns = {"podcast": PODCAST}
    stored = (podcast / ".podcast-guid").read_text(encoding="ascii").strip()
    assert str(uuid.UUID(stored)) == stored
    on_disk = etree.parse(str(podcast / "feed.xml")).findtext("channel/podcast:guid", namespaces=ns)
    assert on_disk == stored
    # Served on its own address and under another name for it: one guid, the stored one.
    guids = set()
    for host in (f"127.0.0.1:{podcast_server.port}", f"localhost:{podcast_server.port}"):
        status, _, body = podcast_server.request("GET", "/feed.xml", {"Host": host})
        assert status == 200
        guids.add(etree.fromstring(body).findtext("channel/podcast:guid", namespaces=ns))
    assert guids == {stored}
    assert podcast_server.request("GET", "/.podcast-guid")[0] == 404
    # Moved to a host: the addresses change, the guid does not.
    folder = tmp_path / "moved"
    shutil.copytree(podcast, folder, symlinks=True)
    (folder / "channel.toml").write_text('base_url = "https://podcasts.example.org/night/"\n', encoding="utf-8")
    publish.rebuild(folder)
    root = etree.parse(str(folder / "feed.xml"))
    assert root.findtext("channel/podcast:guid", namespaces=ns) == stored
    assert (
        root.find("channel/{http://www.w3.org/2005/Atom}link").get("href").startswith("https://podcasts.example.org/")
    )


def test_a_folder_published_before_guids_were_kept_keeps_its_feeds_guid(podcast, tmp_path):
    folder = tmp_path / "old"
    shutil.copytree(podcast, folder, symlinks=True)
    (folder / ".podcast-guid").unlink()
    old = etree.parse(str(folder / "feed.xml")).findtext(f"channel/{{{PODCAST}}}guid")
    (folder / "channel.toml").write_text('base_url = "https://elsewhere.example/"\n', encoding="utf-8")
    publish.rebuild(folder)
    assert (folder / ".podcast-guid").read_text(encoding="ascii").strip() == old
    assert etree.parse(str(folder / "feed.xml")).findtext(f"channel/{{{PODCAST}}}guid") == old
