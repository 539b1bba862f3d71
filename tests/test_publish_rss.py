"""The feed, read back with feedparser, podcastparser (gPodder's parser) and lxml.

Episodes are real ones from the pipeline; durations are checked against ffprobe,
enclosure lengths against the files, podcast:guid against the namespace's own examples.
"""

from __future__ import annotations

import calendar
import dataclasses
import io
import json
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

import feedparser
import podcastparser
import pytest
import webvtt
from lxml import etree

from audio_edition.episode import entry_from_folder
from audio_edition.errors import InputError
from audio_edition.model import Channel
from audio_edition.publish.page import render_page
from audio_edition.publish.rss import podcast_guid, published_at, render_feed
from tests.conftest import ffprobe
from tests.fixtures.publish.support import convert_articles

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
BASE = "http://127.0.0.1:8000/"
AWKWARD = "Fish & Chips <Live>: \"Salt\", 'Vinegar' & the 🐟 that got away"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """An output folder with three real episodes."""
    folder = tmp_path_factory.mktemp("feed-out")
    convert_articles(folder, "awkward", "ferry", "essay")
    return folder


@pytest.fixture(scope="module")
def entries(out):
    return [entry_from_folder(p) for p in sorted(out.iterdir()) if (p / "episode.json").exists()]


@pytest.fixture(scope="module")
def xml(entries) -> bytes:
    return render_feed(entries, Channel(email="owner@example.org", subcategory="Daily News"), BASE)


def local(out: Path, url: str, base: str = BASE) -> Path:
    """The file in `out` that a URL of the feed names."""
    assert url.startswith(base), url
    return out / unquote(url[len(base) :])


def test_feedparser_reads_it_without_complaint(xml, entries, out):
    feed = feedparser.parse(xml)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "Audio editions"
    assert [e.title for e in feed.entries] == [
        AWKWARD,
        "What my tomato plants taught me about waiting",
        "The night ferry keeps its timetable, fog or no fog",
    ]
    by_guid = {e.guid: e for e in entries}
    for item in feed.entries:
        entry = by_guid[item.id]
        (enclosure,) = item.enclosures
        assert enclosure.type == "audio/mpeg"
        path = local(out, enclosure.href)
        assert int(enclosure.length) == path.stat().st_size == entry.size("mp3")
        assert item.guidislink is False


def test_podcastparser_reads_titles_sizes_and_durations(xml, out):
    parsed = podcastparser.parse(BASE + "feed.xml", io.BytesIO(xml))
    assert parsed["title"] == "Audio editions"
    assert parsed["cover_url"] == BASE + "channel-cover.jpg"
    assert len(parsed["episodes"]) == 3
    for episode in parsed["episodes"]:
        (enclosure,) = episode["enclosures"]
        path = local(out, enclosure["url"])
        assert enclosure["file_size"] == path.stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
        probed = float(ffprobe(path, "-show_format")["format"]["duration"])
        assert abs(episode["total_time"] - probed) <= 1.0
        assert episode["episode_art_url"] == BASE + str(path.parent.relative_to(out)) + "/cover.jpg"
    assert AWKWARD in [e["title"] for e in parsed["episodes"]]


def test_apple_required_tags(xml):
    root = etree.fromstring(xml)
    channel = root.find("channel")
    for tag in ("title", "description", "language", "link"):
        assert channel.findtext(tag).strip()
    image = channel.find("itunes:image", NS).get("href")
    assert image.endswith((".jpg", ".png"))
    category = channel.find("itunes:category", NS)
    assert category.get("text") == "News"
    assert category.find("itunes:category", NS).get("text") == "Daily News"
    assert channel.findtext("itunes:explicit", namespaces=NS) in ("true", "false")
    assert channel.findtext("itunes:author", namespaces=NS)
    assert channel.findtext("itunes:owner/itunes:email", namespaces=NS) == "owner@example.org"
    assert channel.findtext("itunes:owner/itunes:name", namespaces=NS)
    self_link = channel.find("atom:link", NS)
    assert (self_link.get("rel"), self_link.get("href")) == ("self", BASE + "feed.xml")
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("description")
        assert item.find("enclosure").get("type") == "audio/mpeg"
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.findtext("itunes:episodeType", namespaces=NS) == "full"
        assert int(item.findtext("itunes:duration", namespaces=NS)) > 0
        assert item.find("itunes:image", NS).get("href").endswith("/cover.jpg")


def test_podcast_namespace_tags(xml, out):
    root = etree.fromstring(xml)
    channel = root.find("channel")
    assert root.nsmap["podcast"] == "https://podcastindex.org/namespace/1.0"
    assert channel.findtext("podcast:guid", namespaces=NS) == podcast_guid(BASE + "feed.xml")
    locked = channel.find("podcast:locked", NS)
    assert (locked.text, locked.get("owner")) == ("yes", "owner@example.org")
    for item in channel.findall("item"):
        chapters = item.find("podcast:chapters", NS)
        assert chapters.get("type") == "application/json+chapters"
        data = json.loads(local(out, chapters.get("url")).read_text(encoding="utf-8"))
        assert data["version"].startswith("1.") and data["chapters"][0]["startTime"] == 0
        transcripts = {t.get("type"): t for t in item.findall("podcast:transcript", NS)}
        assert set(transcripts) == {"text/vtt", "application/x-subrip", "text/plain"}
        assert transcripts["text/vtt"].get("rel") == "captions"
        assert transcripts["application/x-subrip"].get("rel") == "captions"
        vtt = webvtt.read(str(local(out, transcripts["text/vtt"].get("url"))))
        assert len(vtt.captions) > 2
        srt = local(out, transcripts["application/x-subrip"].get("url")).read_text(encoding="utf-8")
        assert srt.startswith("1\n") and " --> " in srt


def test_podcast_guid_matches_the_namespace_examples():
    # The two examples of docs/tags/guid.md in Podcastindex-org/podcast-namespace.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert podcast_guid("http://podnews.net/rss/") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert podcast_guid("podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_a_configured_podcast_guid_survives_a_move(entries, tmp_path):
    ns = {"podcast": "https://podcastindex.org/namespace/1.0"}

    def guid(xml: bytes) -> str:
        return etree.fromstring(xml).findtext("channel/podcast:guid", namespaces=ns)

    here, there = render_feed(entries, Channel(), BASE), render_feed(entries, Channel(), "https://example.org/show/")
    assert guid(here) != guid(there)  # derived from the feed URL
    (tmp_path / "channel.toml").write_text(f'guid = "{guid(here)}"\n', encoding="utf-8")
    from audio_edition.publish.channel import load_channel

    fixed = load_channel(tmp_path)
    assert guid(render_feed(entries, fixed, "https://example.org/show/")) == guid(here)
    (tmp_path / "channel.toml").write_text('guid = "not-a-uuid"\n', encoding="utf-8")
    with pytest.raises(InputError, match="guid"):
        load_channel(tmp_path)


def test_awkward_titles_survive_every_parser(entries):
    nasty = "Q&A: <script>alert(\"x\")</script> — “curly” 'quotes' ]]> & emoji 🎧🇺🇦\x0b\x00"
    odd = dataclasses.replace(
        entries[0], title=nasty, description="Tom & Jerry <b>bold</b> ]]>", author="O'Brien & <Sons>"
    )
    xml = render_feed([odd], Channel(title='Show & <Tell> "Live" 🎙'), BASE)
    clean = nasty.replace("\x0b", "").replace("\x00", "")  # characters XML 1.0 cannot carry
    feed = feedparser.parse(xml)
    assert feed.bozo == 0
    assert feed.feed.title == 'Show & <Tell> "Live" 🎙'
    assert feed.entries[0].title == clean
    parsed = podcastparser.parse(BASE + "feed.xml", io.BytesIO(xml))
    assert parsed["title"] == 'Show & <Tell> "Live" 🎙'
    assert parsed["episodes"][0]["title"] == clean
    item = etree.fromstring(xml).find("channel/item")
    assert item.findtext("title") == clean
    assert item.findtext("description") == "Tom & Jerry <b>bold</b> ]]>"
    assert item.findtext("itunes:author", namespaces=NS) == "O'Brien & <Sons>"
    assert b"<script>" not in xml  # escaped, not markup


def test_urls_are_percent_encoded_and_resolve(tmp_path, entries, out):
    entry = entries[0]
    slug = "été à la mer 2"
    shutil.copytree(out / entry.slug, tmp_path / slug)
    moved = dataclasses.replace(entry, slug=slug, files=tuple((k, slug + p[len(entry.slug) :]) for k, p in entry.files))
    base = "https://example.org/my pod/"
    xml = render_feed([moved], Channel(), base)
    enclosure = etree.fromstring(xml).find("channel/item/enclosure").get("url")
    assert enclosure.startswith("https://example.org/my%20pod/%C3%A9t%C3%A9%20%C3%A0%20la%20mer%202/")
    assert " " not in enclosure
    assert local(tmp_path, enclosure, "https://example.org/my%20pod/").stat().st_size == entry.size("mp3")


def test_channel_settings_reach_the_feed(entries):
    channel = Channel(
        title="Harbour Reader",
        explicit=True,
        locked=False,
        language="en-gb",
        link="https://ex.org/",
        category="Arts",
        author="Ines Ward",
    )
    root = etree.fromstring(render_feed(entries, channel, "https://cdn.example.org/show"))
    ch = root.find("channel")
    assert ch.findtext("itunes:explicit", namespaces=NS) == "true"
    assert ch.findtext("podcast:locked", namespaces=NS) == "no"
    assert ch.find("podcast:locked", NS).get("owner") is None
    assert ch.find("itunes:owner/itunes:email", NS) is None
    assert ch.findtext("link") == "https://ex.org/"
    assert ch.findtext("language") == "en-gb"
    assert ch.find("itunes:category", NS).get("text") == "Arts"
    assert ch.find("itunes:category/itunes:category", NS) is None
    assert ch.find("atom:link", NS).get("href") == "https://cdn.example.org/show/feed.xml"
    assert ch.findtext("podcast:guid", namespaces=NS) == podcast_guid("cdn.example.org/show/feed.xml")
    assert all(e.get("url").startswith("https://cdn.example.org/show/") for e in ch.iter("enclosure"))


@pytest.fixture
def new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_pub_dates_are_rfc2822_in_local_time(new_york, entries):
    base = entries[0]
    timed = dataclasses.replace(base, guid="a", published="2026-06-18T14:05")
    dated = dataclasses.replace(base, guid="b", published="2026-01-10")
    undated = dataclasses.replace(base, guid="c", published=None, converted="2026-11-25T03:10:00Z")
    feed = feedparser.parse(render_feed([timed, dated, undated], Channel(), BASE))
    assert feed.bozo == 0
    when = {e.id: calendar.timegm(e.published_parsed) for e in feed.entries}
    utc = lambda *a: calendar.timegm(datetime(*a, tzinfo=timezone.utc).timetuple())  # noqa: E731
    assert when["a"] == utc(2026, 6, 18, 18, 5)  # 14:05 EDT
    assert when["b"] == utc(2026, 1, 10, 17, 0)  # a date alone: local noon, EST
    assert when["c"] == utc(2026, 11, 25, 3, 10)
    assert [e.id for e in feed.entries] == ["c", "a", "b"]  # newest first
    assert "-0400" in etree.fromstring(render_feed([timed], Channel(), BASE)).findtext("channel/item/pubDate")
    assert published_at(timed).utcoffset().total_seconds() == -4 * 3600


def test_empty_feed_is_still_valid():
    xml = render_feed([], Channel(), BASE)
    feed = feedparser.parse(xml)
    assert feed.bozo == 0 and feed.entries == []
    assert podcastparser.parse(BASE + "feed.xml", io.BytesIO(xml))["episodes"] == []


def test_render_is_deterministic(entries):
    channel = Channel()
    assert render_feed(entries, channel, BASE) == render_feed(list(reversed(entries)), channel, BASE)
    assert os.environ.get("TZ") != "America/New_York"


def test_feed_and_page_list_episodes_in_one_order(new_york, entries, tmp_path):
    # Same day: one with a time (09:30, before the noon a date alone stands for) and one with only the date;
    # the page once put them the other way round from the feed.
    base = entries[0]
    timed = dataclasses.replace(base, guid="t", title="Morning item", published="2026-03-02T09:30")
    dated = dataclasses.replace(base, guid="d", title="Dated item", published="2026-03-02")
    later = dataclasses.replace(base, guid="l", title="Later item", published="2026-03-03T08:00")
    feed = feedparser.parse(render_feed([timed, dated, later], Channel(), BASE))
    in_feed = [e.title for e in feed.entries]
    html = render_page(tmp_path, [timed, later, dated], Channel(), BASE + "feed.xml")
    in_page = sorted(in_feed, key=html.index)
    assert in_feed == ["Later item", "Dated item", "Morning item"]
    assert in_page == in_feed


def test_aware_pub_dates_keep_their_zone(new_york, entries):
    # Pages that name their zone: kept as printed, whatever this machine's zone (New York here).
    east = dataclasses.replace(entries[0], guid="east", published="2025-04-02T08:30+02:00")
    west = dataclasses.replace(entries[0], guid="west", published="2025-04-02T17:00-07:00")
    root = etree.fromstring(render_feed([east, west], Channel(), BASE))
    dates = {item.findtext("guid"): item.findtext("pubDate") for item in root.iter("item")}
    assert dates == {"east": "Wed, 02 Apr 2025 08:30:00 +0200", "west": "Wed, 02 Apr 2025 17:00:00 -0700"}
    parsed = {
        e["guid"]: e["published"] for e in podcastparser.parse(BASE, io.BytesIO(etree.tostring(root)))["episodes"]
    }
    utc = lambda *a: calendar.timegm(datetime(*a, tzinfo=timezone.utc).timetuple())  # noqa: E731
    assert parsed == {"east": utc(2025, 4, 2, 6, 30), "west": utc(2025, 4, 3, 0, 0)}  # the next day in UTC


def test_podlove_simple_chapters_carry_every_chapter(xml, entries):
    # podcastparser (gPodder's parser) reads chapters only from psc:chapters.
    parsed = podcastparser.parse(BASE + "feed.xml", io.BytesIO(xml))
    by_guid = {e.guid: e for e in entries}
    assert any(len(e.chapters) > 1 for e in entries)
    for episode in parsed["episodes"]:
        entry = by_guid[episode["guid"]]
        got = [(c["start"], c["title"]) for c in episode["chapters"]]
        assert [title for _, title in got] == [c.title for c in entry.chapters]
        # podcastparser keeps whole seconds of "00:00:20.391"
        assert all(0 <= c.start_s - start < 1 for (start, _), c in zip(got, entry.chapters))
        # In time order, the first at zero, each start as the MP3's chapters (ffprobe) have it.
        assert [start for start, _ in got] == sorted(start for start, _ in got) and got[0][0] == 0
    root = etree.fromstring(xml)
    psc = root.find("channel/item/{http://podlove.org/simple-chapters}chapters")
    assert psc is not None and psc.get("version") == "1.2"
    assert all(len(c.get("start")) == 12 for c in psc)  # HH:MM:SS.mmm
    starts = [c.get("start") for c in psc]
    first = next(e for e in entries if e.guid == root.findtext("channel/item/guid"))
    assert starts == [f"00:00:{c.start_s:06.3f}" for c in first.chapters]  # short episodes: under a minute


def test_a_feed_is_locked_only_when_an_owner_email_can_verify_it(entries):
    from audio_edition.publish.rss import warnings

    def locked(channel: Channel) -> tuple[str, str | None]:
        element = etree.fromstring(render_feed(entries, channel, BASE)).find("channel/podcast:locked", NS)
        return element.text, element.get("owner")

    assert locked(Channel()) == ("no", None)  # the default: no e-mail, so unlocked
    assert locked(Channel(email="owner@example.org")) == ("yes", "owner@example.org")
    assert locked(Channel(email="owner@example.org", locked=False)) == ("no", "owner@example.org")
    assert locked(Channel(locked=True)) == ("no", None)  # a lock nobody could verify is not written
    assert warnings(Channel()) == []  # a feed on this machine needs no owner
    assert len(warnings(Channel(locked=True))) == 1 and "email" in warnings(Channel(locked=True))[0]
    published = warnings(Channel(base_url="https://example.org/podcast/"))
    assert len(published) == 1 and "owner e-mail" in published[0]
    assert warnings(Channel(base_url="https://example.org/podcast/", email="owner@example.org")) == []
