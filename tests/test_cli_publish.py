"""The publishing commands end to end: web pages in over HTTP on 127.0.0.1, the catalog and the feed out.

Every result is read back with independent tools: feedparser for the feed,
the JSON chapters file, the episode folders on disk.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest

from tests.conftest import EXAMPLES, ROOT

WEB = ROOT / "tests" / "fixtures" / "web"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "audio_edition", *args], cwd=ROOT, capture_output=True, text=True)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    """The web fixtures, and an RSS feed of two of them, served from 127.0.0.1."""
    root = tmp_path_factory.mktemp("site")
    for page in ("newspaper.html", "blog.html"):
        (root / page).write_bytes((WEB / page).read_bytes())
    (root / "story").mkdir()  # /story redirects to /story/ (the server's own rule for folders)
    (root / "story" / "index.html").write_bytes((WEB / "magazine.html").read_bytes())
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>"
                    for p in ("newspaper.html", "blog.html", "story"))  # fmt: skip
    (root / "rss.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>{base}</link>'
        f"<description>d</description>{items}</channel></rss>",
        encoding="utf-8",
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


def _feed(out: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_a_url_becomes_an_episode_with_photo_chapters_and_a_stable_guid(site, tmp_path):
    out = tmp_path / "out"
    url = site + "newspaper.html"
    first = cli("convert", url, "--out", str(out), "--json", "--quiet")
    assert first.returncode == 0, first.stderr
    episode = json.loads(first.stdout)
    assert episode["feed"]["file"] == str((out / "feed.xml").resolve())
    record = json.loads((Path(episode["mp3"]).parent / "episode.json").read_text(encoding="utf-8"))
    assert record["source"] == url
    # A captioned photo on the page is a chapter, with the photo as its image (absolute URL).
    chapters = json.loads(Path(episode["chapters_json"]).read_text(encoding="utf-8"))["chapters"]
    images = [c["img"] for c in chapters if "img" in c]
    assert images and all(i.startswith(("http://", "https://")) and "/" in i.split("//", 1)[1] for i in images)
    parsed = _feed(out)
    assert [e.title for e in parsed.entries] == [episode["title"]]
    assert parsed.entries[0].id == episode["feed"]["guid"]
    # Converted again: the same episode (same guid), not a second one.
    again = cli("convert", url, "--out", str(out), "--json", "--quiet")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["feed"]["guid"] == episode["feed"]["guid"]
    assert [e.id for e in _feed(out).entries] == [episode["feed"]["guid"]]
    assert len([p for p in out.iterdir() if p.is_dir()]) == 1


def test_from_feed_converts_each_article_once(site, tmp_path):
    out = tmp_path / "out"
    first = cli("convert", "--from-feed", site + "rss.xml", "--out", str(out), "--json", "--quiet")
    assert first.returncode == 0, first.stderr
    sources = {json.loads((Path(json.loads(line)["mp3"]).parent / "episode.json").read_text())["source"]
               for line in first.stdout.splitlines()}  # fmt: skip
    assert sources == {site + "newspaper.html", site + "blog.html", site + "story/"}
    before = (out / "feed.xml").read_bytes()
    second = cli("convert", "--from-feed", site + "rss.xml", "--out", str(out), "--json", "--quiet")
    assert second.returncode == 0, second.stderr
    assert second.stdout == "" and "converted already" in second.stderr
    assert (out / "feed.xml").read_bytes() == before


def test_episodes_list_remove_and_rebuild(tmp_path):
    out = tmp_path / "out"
    made = cli("convert", str(EXAMPLES / "plain-essay.txt"), str(EXAMPLES / "wire-drought.txt"), "--out", str(out),
               "--json", "--quiet")  # fmt: skip
    assert made.returncode == 0, made.stderr
    guids = {json.loads(line)["feed"]["guid"] for line in made.stdout.splitlines()}
    listed = cli("episodes", "--out", str(out), "--json")
    assert {json.loads(line)["guid"] for line in listed.stdout.splitlines()} == guids
    # One length everywhere: the listing says what the page and the convert line say, rounded down as players do.
    page = (out / "index.html").read_text(encoding="utf-8")
    for line in cli("episodes", "--out", str(out)).stdout.splitlines():
        length = line.split()[2]
        assert f">{length}</time></span>" in page, (line, re.findall(r"Duration <time[^>]*>([^<]*)", page))
    for line in made.stdout.splitlines():
        episode = json.loads(line)
        whole = int(episode["duration_s"])
        assert f"{whole // 60}:{whole % 60:02d}" in page
    # The catalog is lost: rebuilt from the episode folders, with the same guids.
    (out / "catalog.sqlite").unlink()
    rebuilt = cli("feed", "rebuild", "--out", str(out))
    assert rebuilt.returncode == 0 and rebuilt.stdout.endswith(": 2 episodes\n")
    assert {e.id for e in _feed(out).entries} == guids
    gone = sorted(guids)[0]
    removed = cli("episodes", "remove", gone[:8], "--out", str(out))
    assert removed.returncode == 0, removed.stderr
    assert {e.id for e in _feed(out).entries} == guids - {gone}
    assert len([p for p in out.iterdir() if p.is_dir()]) == 1
    again = cli("feed", "rebuild", "--out", str(out))
    assert again.stdout.endswith(": 1 episode\n"), again.stdout
    unknown = cli("episodes", "remove", "no-such-episode", "--out", str(out))
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1 and "Traceback" not in unknown.stderr


def test_a_damaged_catalog_is_one_clear_line_and_nothing_changes(tmp_path):
    out = tmp_path / "out"
    assert cli("convert", str(EXAMPLES / "plain-essay.txt"), "--out", str(out), "--quiet").returncode == 0
    (out / "catalog.sqlite").write_bytes(b"this is not a database" * 100)
    feed_before = (out / "feed.xml").read_bytes()
    result = cli("convert", str(EXAMPLES / "wire-drought.txt"), "--out", str(out), "--quiet")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "feed rebuild" in result.stderr
    assert (out / "feed.xml").read_bytes() == feed_before
    assert len([p for p in out.iterdir() if p.is_dir()]) == 1


def test_two_converts_into_one_folder_at_once_both_land(tmp_path):
    out = tmp_path / "out"
    procs = [
        subprocess.Popen([sys.executable, "-m", "audio_edition", "convert", str(EXAMPLES / name), "--out", str(out),
                          "--json", "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("plain-essay.txt", "translated-briefing.txt")
    ]  # fmt: skip
    results = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    guids = {json.loads(stdout)["feed"]["guid"] for stdout, _ in results}
    assert {e.id for e in _feed(out).entries} == guids
    listed = cli("episodes", "--out", str(out), "--json")
    assert {json.loads(line)["guid"] for line in listed.stdout.splitlines()} == guids


def test_a_bad_channel_toml_fails_before_rendering(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "channel.toml").write_text('category = "Newz"\n', encoding="utf-8")
    result = cli("convert", str(EXAMPLES / "longread-archive.txt"), "--out", str(out), "--quiet",
                 "--cache-dir", str(tmp_path / "cache"))  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "channel.toml" in result.stderr and "Newz" in result.stderr
    assert not (tmp_path / "cache").exists()  # nothing was rendered
    assert sorted(p.name for p in out.iterdir()) == ["channel.toml"]


def _article(path: Path, title: str, author: str, date: str, body: str) -> Path:
    path.write_text(f"{title}\n\nBy {author}\n\n{date}\n\n{body}\n", encoding="utf-8")
    return path


def test_same_title_different_articles_at_once_get_two_folders(tmp_path):
    out = tmp_path / "out"
    a = _article(
        tmp_path / "a.txt",
        "Budget news",
        "Ann Lee",
        "March 3, 2026",
        "The council approved the budget on Monday after a long debate about road repairs.",
    )
    b = _article(
        tmp_path / "b.txt",
        "Budget news",
        "Bo Chen",
        "March 3, 2026",
        "The school board cut its budget on Monday, closing two libraries for the summer.",
    )
    procs = [subprocess.Popen([sys.executable, "-m", "audio_edition", "convert", str(p), "--out", str(out), "--json",
                               "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in (a, b)]  # fmt: skip
    results = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    folders = {Path(json.loads(stdout)["mp3"]).parent.name for stdout, _ in results}
    assert folders == {"budget-news", "budget-news-2"}
    assert len(_feed(out).entries) == 2


def test_a_weekly_column_is_a_new_episode_each_week(tmp_path):
    out = tmp_path / "out"
    week1 = _article(
        tmp_path / "w1.txt",
        "Weekly roundup",
        "Ann Lee",
        "April 2, 2026",
        "The ferry timetable changes this week, and the market moves to Saturday.",
    )
    week2 = _article(
        tmp_path / "w2.txt",
        "Weekly roundup",
        "Ann Lee",
        "April 9, 2026",
        "The library reopens on Tuesday, and the pool closes for repairs until June.",
    )
    for path in (week1, week2):
        assert cli("convert", str(path), "--out", str(out), "--quiet").returncode == 0
    assert len({e.id for e in _feed(out).entries}) == 2


def test_a_publish_whose_feed_cannot_be_written_is_finished_by_the_next(tmp_path):
    """The catalog commit is the switch: a feed.xml that cannot be replaced (here a folder) fails the
    convert in one line after it, the old version's files stay untouched, and the next publish, once
    the feed can be written, finishes the change: feed and catalog then name the correction."""
    out = tmp_path / "out"
    article = _article(
        tmp_path / "a.txt",
        "Harbor notes",
        "Ann Lee",
        "May 1, 2026",
        "The harbor master counted forty boats on Sunday morning.",
    )
    first = cli("convert", str(article), "--out", str(out), "--json", "--quiet")
    assert first.returncode == 0, first.stderr
    mp3 = Path(json.loads(first.stdout)["mp3"])
    before = mp3.read_bytes()
    article.write_text(article.read_text(encoding="utf-8").replace("forty", "fifty"), encoding="utf-8")
    (out / "feed.xml").unlink()
    (out / "feed.xml").mkdir()
    result = cli("convert", str(article), "--out", str(out), "--quiet")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert mp3.read_bytes() == before  # the old version is a folder of its own, untouched
    (out / "feed.xml").rmdir()
    other = _article(tmp_path / "b.txt", "Tide tables", "Ann Lee", "May 2, 2026", "High water comes at noon today.")
    assert cli("convert", str(other), "--out", str(out), "--quiet").returncode == 0
    (item,) = [e for e in _feed(out).entries if e.title == "Harbor notes"]
    transcript = out / item.enclosures[0].href.removeprefix("http://127.0.0.1:8000/").replace(".mp3", ".txt")
    assert "fifty boats" in transcript.read_text(encoding="utf-8")
    assert not mp3.parent.exists()  # the old version's folder went once the change was finished


def test_the_channel_title_is_the_id3_album(tmp_path):
    from mutagen.id3 import ID3

    out = tmp_path / "out"
    out.mkdir()
    (out / "channel.toml").write_text('title = "Harbor Radio"\n', encoding="utf-8")
    published = cli("convert", str(EXAMPLES / "plain-essay.txt"), "--out", str(out), "--quiet", "--json",
                    "--cache-dir", str(tmp_path / "cache"))  # fmt: skip
    assert published.returncode == 0, published.stderr
    assert str(ID3(json.loads(published.stdout)["mp3"])["TALB"]) == "Harbor Radio"
    alone = cli("convert", str(EXAMPLES / "plain-essay.txt"), "--out", str(tmp_path / "alone"), "--quiet", "--json",
                "--no-publish", "--cache-dir", str(tmp_path / "cache"))  # fmt: skip
    assert alone.returncode == 0, alone.stderr
    assert str(ID3(json.loads(alone.stdout)["mp3"])["TALB"]) == "Audio editions"  # not published: no channel


def test_a_public_feeds_links_may_not_reach_this_machine(site, tmp_path, monkeypatch):
    """A feed on the internet that links to 127.0.0.1 (or a private network) would point the tool at
    local services: those links are refused, each in one line, unless --allow-private. The feed here is
    on 127.0.0.1 too, so it is made to count as public; the check of each link is the real one."""
    from click.testing import CliRunner

    from audio_edition import cli as cli_module
    from audio_edition.inputs import fetch

    real = fetch.is_private
    monkeypatch.setattr(fetch, "is_private", lambda url: False if url.endswith("rss.xml") else real(url))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli_module.main, ["convert", "--from-feed", site + "rss.xml", "--out", str(out),
                                                  "--no-publish", "--quiet"])  # fmt: skip
    assert result.exit_code == 1
    refused = [line for line in result.stderr.splitlines() if "loopback or private-network address" in line]
    assert len(refused) == 3 and all("--allow-private" in line for line in refused)
    assert not out.exists() or not [p for p in out.iterdir() if p.is_dir()]


def test_private_addresses_are_told_from_public_ones():
    from audio_edition.inputs.fetch import is_private

    for url in ("http://127.0.0.1:8000/a", "http://localhost/", "http://10.2.3.4/", "http://192.168.1.20/x",
                "http://[::1]:8080/", "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/"):  # fmt: skip
        assert is_private(url), url
    for url in ("http://8.8.8.8/feed.xml", "https://[2606:4700:4700::1111]/", "http://no-such-host.invalid/"):
        assert not is_private(url), url


def test_a_draft_stays_a_draft_through_a_feed_rebuild(tmp_path):
    out = tmp_path / "out"
    published = cli("convert", str(EXAMPLES / "plain-essay.txt"), "--out", str(out), "--quiet", "--json",
                    "--cache-dir", str(tmp_path / "cache"))  # fmt: skip
    assert published.returncode == 0, published.stderr
    draft = cli("convert", str(EXAMPLES / "wire-drought.txt"), "--out", str(out), "--quiet", "--json",
                "--no-publish", "--cache-dir", str(tmp_path / "cache"))  # fmt: skip
    assert draft.returncode == 0, draft.stderr
    draft_folder = Path(json.loads(draft.stdout)["mp3"]).parent
    assert draft_folder.parent == out

    def feed_titles() -> list[str]:
        return [e.title for e in feedparser.parse((out / "feed.xml").read_bytes()).entries]

    before = feed_titles()
    assert len(before) == 1
    rebuilt = cli("feed", "rebuild", "--out", str(out))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert feed_titles() == before
    assert draft_folder.is_dir()  # left alone, not deleted
    # Converted again without --no-publish, it is published.
    again = cli("convert", str(EXAMPLES / "wire-drought.txt"), "--out", str(out), "--quiet",
                "--cache-dir", str(tmp_path / "cache"))  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert len(feed_titles()) == 2
    assert not draft_folder.exists()  # the draft was an earlier version of the episode now published


def test_writing_a_feed_hosts_would_object_to_says_so_once(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "channel.toml").write_text('locked = true\nbase_url = "https://example.org/podcast/"\n', encoding="utf-8")
    made = cli("convert", str(EXAMPLES / "plain-essay.txt"), str(EXAMPLES / "wire-drought.txt"), "--out", str(out),
               "--quiet", "--cache-dir", str(tmp_path / "cache"))  # fmt: skip
    assert made.returncode == 0, made.stderr
    warned = [line for line in made.stderr.splitlines() if "warning" in line]
    assert len(warned) == 1 and "podcast:locked is off" in warned[0] and "set email in channel.toml" in warned[0]
    assert b"<podcast:locked>no</podcast:locked>" in (out / "feed.xml").read_bytes()


def test_a_feed_given_as_an_article_points_to_from_feed(site, tmp_path):
    result = cli("convert", site + "rss.xml", "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "not an article" in result.stderr and f"--from-feed {site}rss.xml" in result.stderr
