"""publish --to: the podcast put on a host, a local folder served over HTTP or a real S3 server
(moto's server mode on 127.0.0.1), read back by HTTP, boto3, podcastparser and gPodder's gpo.

Real episodes from the pipeline; the CLI run as a user runs it; a publish killed at each named point
(faults.HOST_POINTS) leaves the feed the host serves valid, every file it names there and whole.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import podcastparser
import pytest

from audio_edition import faults
from tests.fixtures.publish.support import convert_articles
from tests.test_publish_gpodder import gpo

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "shows"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audio_edition", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)  # fmt: skip


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """An output folder with two real, published episodes (the template each test copies)."""
    out = tmp_path_factory.mktemp("host") / "out"
    convert_articles(out, "awkward", "ferry")
    return out


def podcast(made: Path, tmp_path: Path, base_url: str | None) -> Path:
    out = tmp_path / "out"
    shutil.copytree(made, out, symlinks=True)
    if base_url:
        (out / "channel.toml").write_text(f'base_url = "{base_url}"\n', encoding="utf-8")
    return out


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read()


def feed_is_whole(feed_url: str) -> list[dict]:
    """The episodes of the feed at `feed_url`; each enclosure fetched from the host is as long as the feed says."""
    parsed = podcastparser.parse(feed_url, io.BytesIO(fetch(feed_url)))
    for episode in parsed["episodes"]:
        (enclosure,) = episode["enclosures"]
        assert len(fetch(enclosure["url"])) == enclosure["file_size"], enclosure["url"]
    return parsed["episodes"]


# ------------------------------------------------------------------ a folder


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP by Python's own static server, as a web host would: (the folder, its address)."""
    root = tmp_path / "www" / "podcast"
    root.mkdir(parents=True)
    (root / "about.html").write_text("<p>Our own page, not the tool's.</p>\n", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root.parent)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/podcast/"
    finally:
        server.shutdown()
        server.server_close()


def test_publish_needs_the_destinations_public_address(made, tmp_path):
    out = podcast(made, tmp_path, None)
    dest = tmp_path / "dest"
    result = cli("publish", "--out", str(out), "--to", str(dest))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "base_url" in result.stderr
    assert not dest.exists()


def test_a_folder_gets_the_podcast_and_only_the_changes(made, tmp_path, site):
    root, base = site
    out = podcast(made, tmp_path, base)
    dry = cli("publish", "--out", str(out), "--to", str(root), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["uploaded"] and sorted(p.name for p in root.iterdir()) == ["about.html"]

    first = cli("publish", "--out", str(out), "--to", str(root), "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["feed_url"] == base + "feed.xml" and report["deleted"] == []
    assert report["uploaded"][-2:] == ["index.html", "feed.xml"]  # media first, the feed last
    episodes = feed_is_whole(base + "feed.xml")
    assert len(episodes) == 2
    for episode in episodes:
        name = episode["enclosures"][0]["url"][len(base) :]
        assert fetch(base + name) == (out / name).read_bytes()
    # Nothing private goes: no catalog, settings, guid or lock.
    names = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert not {n for n in names if n.endswith((".sqlite", ".toml")) or "/." in "/" + n} - {".audio-edition.json"}
    assert "about.html" in names

    again = cli("publish", "--out", str(out), "--to", str(root), "--json")
    assert json.loads(again.stdout)["uploaded"] == [] and json.loads(again.stdout)["deleted"] == []

    # One episode removed from the podcast: after the new feed is up its files go, and only those.
    removed = json.loads(cli("episodes", "--out", str(out), "--json").stdout.splitlines()[0])
    assert cli("episodes", "remove", removed["guid"], "--out", str(out)).returncode == 0
    third = json.loads(cli("publish", "--out", str(out), "--to", str(root), "--json").stdout)
    assert third["deleted"] and all(name.startswith(removed["slug"] + "/") for name in third["deleted"])
    assert set(third["uploaded"]) == {"index.html", "feed.xml"}
    assert not (root / removed["slug"]).exists() and (root / "about.html").is_file()
    assert [e["guid"] for e in feed_is_whole(base + "feed.xml")] != [removed["guid"]]
    assert len(feed_is_whole(base + "feed.xml")) == 1


def test_a_folder_inside_the_podcast_or_a_file_is_refused(made, tmp_path):
    out = podcast(made, tmp_path, "https://example.org/podcast/")
    for dest, words in ((out / "public", "into itself"), (out / "feed.xml", "a file, not a folder")):
        result = cli("publish", "--out", str(out), "--to", str(dest))
        assert result.returncode == 1 and result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
    assert cli("publish", "--out", str(out), "--to", "ftp://example.org/x").returncode == 1


@pytest.mark.parametrize("point", faults.HOST_POINTS)
def test_a_publish_killed_midway_leaves_the_published_feed_valid(made, tmp_path, site, point):
    root, base = site
    out = podcast(made, tmp_path, base)
    assert cli("publish", "--out", str(out), "--to", str(root)).returncode == 0
    before = feed_is_whole(base + "feed.xml")
    # A new episode, and an old one removed: the next publish both uploads and deletes.
    convert_articles(out, "essay")
    gone = json.loads(cli("episodes", "--out", str(out), "--json").stdout.splitlines()[-1])["guid"]
    assert cli("episodes", "remove", gone, "--out", str(out)).returncode == 0
    now = {json.loads(line)["guid"] for line in cli("episodes", "--out", str(out), "--json").stdout.splitlines()}
    killed = cli("publish", "--out", str(out), "--to", str(root), env={faults.ENV: f"{point}:kill"})
    assert killed.returncode == -9
    during = {e["guid"] for e in feed_is_whole(base + "feed.xml")}  # the old feed or the new, whole either way
    assert during == ({e["guid"] for e in before} if point != "host.feed" else now)
    finished = cli("publish", "--out", str(out), "--to", str(root), "--json")
    assert finished.returncode == 0, finished.stderr
    after = feed_is_whole(base + "feed.xml")
    assert len(after) == 2 and gone not in {e["guid"] for e in after}
    # Whatever the killed run uploaded is accounted for: nothing is left that the feed does not name.
    media = {
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and len(p.relative_to(root).parts) > 1
    }
    named = {a["url"][len(base) :] for e in after for a in e["enclosures"]}
    assert {m.split("/")[0] for m in media} == {n.split("/")[0] for n in named}


# ------------------------------------------------------------------ S3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, str]]:
    """moto's S3 server on 127.0.0.1, a bucket in it, and the environment boto3 needs to reach it."""
    port = _free_port()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch(endpoint + "/")
                break
            except OSError:
                assert time.monotonic() < deadline, "moto's server did not start"
                time.sleep(0.2)
        import boto3

        client = boto3.client("s3", endpoint_url=endpoint, **_keys(env))
        client.create_bucket(Bucket=BUCKET)
        # What a podcaster does once for a bucket listeners download from: anyone may read its objects.
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                  "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}]}  # fmt: skip
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
        yield {**env, "endpoint": endpoint}
    finally:
        server.terminate()
        server.wait(timeout=10)


def _keys(env: dict[str, str]) -> dict[str, str]:
    return {"aws_access_key_id": env["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
            "region_name": env["AWS_DEFAULT_REGION"]}  # fmt: skip


def test_an_s3_bucket_gets_the_podcast_and_gpodder_downloads_it(made, tmp_path, s3):
    import boto3

    prefix = "harbour"
    base = f"{s3['endpoint']}/{BUCKET}/{prefix}/"  # path-style public address of the prefix
    out = podcast(made, tmp_path, base)
    env = {k: v for k, v in s3.items() if k != "endpoint"}
    args = ("publish", "--out", str(out), "--to", f"s3://{BUCKET}/{prefix}", "--endpoint-url", s3["endpoint"], "--json")
    first = cli(*args, env=env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["uploaded"][-1] == "feed.xml"
    client = boto3.client("s3", endpoint_url=s3["endpoint"], **_keys(env))
    head = client.head_object(Bucket=BUCKET, Key=f"{prefix}/feed.xml")
    assert head["ContentType"] == "application/rss+xml; charset=utf-8" and "max-age=300" in head["CacheControl"]
    episodes = feed_is_whole(base + "feed.xml")
    mp3 = episodes[0]["enclosures"][0]["url"][len(base) :]
    head = client.head_object(Bucket=BUCKET, Key=f"{prefix}/{mp3}")
    assert head["ContentType"] == "audio/mpeg" and head["ContentLength"] == (out / mp3).stat().st_size
    keys = {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)["Contents"]}
    assert not {k for k in keys if k.endswith((".sqlite", ".toml", ".podcast-guid"))}

    # Unchanged: nothing is sent again (the store's ETag and the manifest agree).
    again = cli(*args, env=env)
    assert json.loads(again.stdout)["uploaded"] == []

    # A listener's podcast app subscribes to the bucket's feed and gets the episode byte for byte.
    feed_url = base + "feed.xml"
    home = tmp_path / "gpo"
    gpo(home, "subscribe", feed_url)
    assert "2 new episodes" in gpo(home, "update", feed_url)
    gpo(home, "download", feed_url)
    downloads = sorted(p for p in (home / "downloads").rglob("*.mp3"))
    local = sorted(p for p in out.rglob("*.mp3"))
    assert [p.read_bytes() for p in downloads] in (
        [p.read_bytes() for p in local],
        [p.read_bytes() for p in local[::-1]],
    )
    assert len(downloads) == 2


def test_s3_errors_are_one_line(made, tmp_path, s3):
    out = podcast(made, tmp_path, f"{s3['endpoint']}/no-such-bucket/")
    env = {k: v for k, v in s3.items() if k != "endpoint"}
    result = cli("publish", "--out", str(out), "--to", "s3://no-such-bucket", "--endpoint-url", s3["endpoint"], env=env)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "NoSuchBucket" in result.stderr


def test_an_s3_publish_killed_before_the_feed_leaves_the_old_feed_whole(made, tmp_path, s3):
    prefix = "killed"
    base = f"{s3['endpoint']}/{BUCKET}/{prefix}/"
    out = podcast(made, tmp_path, base)
    env = {k: v for k, v in s3.items() if k != "endpoint"}
    args = ("publish", "--out", str(out), "--to", f"s3://{BUCKET}/{prefix}", "--endpoint-url", s3["endpoint"])
    assert cli(*args, env=env).returncode == 0
    before = {e["guid"] for e in feed_is_whole(base + "feed.xml")}
    gone = json.loads(cli("episodes", "--out", str(out), "--json").stdout.splitlines()[0])["guid"]
    assert cli("episodes", "remove", gone, "--out", str(out)).returncode == 0
    convert_articles(out, "essay")
    assert cli(*args, env={**env, faults.ENV: "host.page:kill"}).returncode == -9
    assert {e["guid"] for e in feed_is_whole(base + "feed.xml")} == before  # the removed episode still plays
    assert cli(*args, env=env).returncode == 0
    after = {e["guid"] for e in feed_is_whole(base + "feed.xml")}
    assert gone not in after and len(after) == 2
