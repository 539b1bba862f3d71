"""End to end with a real podcast client: gPodder's `gpo` subscribes to the served feed and downloads the episode.

A real convert, published into the catalog and feed, served by `audio_edition.publish.serve`
with no base URL configured (so the feed points at the address gpo asked), and gpo,
with a home and download folder of its own, doing what a listener's app does. What
gpo saw is read back from its own database with sqlite3.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from audio_edition import publish
from audio_edition.inputs import read_source
from audio_edition.model import Entry
from audio_edition.pipeline import Options, convert
from tests.test_publish_serve import served

GPO = shutil.which("gpo") or "/usr/bin/gpo"

# Written for this test: short, so the render is quick; a title with characters a feed must escape.
ARTICLE = """\
Ferries & fog: the "slow boat" week at Harbour Point

By Odile Brenner

March 3, 2026

For six mornings running the fog sat on the harbour like a lid, and the
ferry to the islands left an hour late, then two, then not at all.

Nobody at the pier seemed to mind very much. The café sold out of
cinnamon rolls by nine, and the deckhands played cards on an upturned crate.

The wind turns

By Saturday the wind turned and the boat left on time, to a small cheer.
"""
TITLE = 'Ferries & fog: the "slow boat" week at Harbour Point'


def gpo(home: Path, *args: str) -> str:
    """Run gpo with its own home and download folder; its stdout (it fails the test on a non-zero exit)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "GPODDER_HOME": str(home / "gpodder"),
        "GPODDER_DOWNLOAD_DIR": str(home / "downloads"),
        "GPODDER_DISABLE_EXTENSIONS": "1",
        "GPODDER_WRITE_LOGS": "no",
        "no_proxy": "*",
    }
    result = subprocess.run([GPO, *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Entry]:
    out = tmp_path_factory.mktemp("podcast")
    article = tmp_path_factory.mktemp("article") / "ferries.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    episode = convert(read_source(str(article)), Options(out_dir=out, quiet=True))
    (entry,) = publish.entries(out)  # convert published it
    assert entry.slug == episode.folder.name
    assert (out / "feed.xml").is_file()
    return out, entry


def test_gpo_subscribes_updates_and_downloads_the_exact_mp3(published, tmp_path):
    out, entry = published
    mp3 = out / entry.file("mp3")
    assert entry.title == TITLE

    with served(out) as server:
        feed_url = f"http://127.0.0.1:{server.port}/feed.xml"
        gpo(tmp_path, "subscribe", feed_url)
        update = gpo(tmp_path, "update", feed_url)
        assert "[DONE]" in update and "1 new episode" in update, update
        listed = gpo(tmp_path, "episodes", "--guid", feed_url)
        assert TITLE in listed and entry.guid in listed, listed
        gpo(tmp_path, "download", feed_url)
        # Updating again finds nothing new: the guid is stable across feed requests.
        again = gpo(tmp_path, "update", feed_url)
        assert "[DONE]" in again and "0 new episodes" in again, again

    downloads = [p for p in (tmp_path / "downloads").rglob("*") if p.is_file()]
    assert len(downloads) == 1, downloads
    assert downloads[0].read_bytes() == mp3.read_bytes()

    # What gpo stored, from its own database.
    with sqlite3.connect(tmp_path / "gpodder" / "Database") as db:
        db.row_factory = sqlite3.Row
        (podcast,) = db.execute("SELECT * FROM podcast").fetchall()
        (row,) = db.execute("SELECT * FROM episode").fetchall()
    assert podcast["url"] == feed_url
    assert row["title"] == TITLE
    assert row["guid"] == entry.guid
    # The feed generated for this request points at the address gpo used.
    assert row["url"].startswith(f"http://127.0.0.1:{server.port}/")
    assert row["url"].endswith("/" + mp3.name)
    assert row["mime_type"] == "audio/mpeg"
    assert row["file_size"] == mp3.stat().st_size == entry.size("mp3")
    assert abs(row["total_time"] - entry.duration_s) <= 1
    assert row["state"] == 1  # gpodder's STATE_DOWNLOADED
    assert row["download_filename"] == downloads[0].name
    # The chapters gPodder shows come from the feed's Podlove Simple Chapters.
    assert len(entry.chapters) >= 2
    stored = json.loads(row["chapters"])
    assert [c["title"] for c in stored] == [c.title for c in entry.chapters]
    assert all(0 <= c.start_s - s["start"] < 1 for s, c in zip(stored, entry.chapters))
