"""The listening page, read back by lxml and played in a real headless Chromium.

Two real episodes are converted (one with four chapters, one with an awkward
title whose folder is renamed to need percent-encoding), the page is written,
and Chromium opens it both over HTTP (starlette's StaticFiles, which serves
byte ranges, so the player can seek) and from disk (file://). What it shows is
checked against independent readers: ffprobe for durations, webvtt-py for the
captions, the transcript files themselves.
"""

from __future__ import annotations

import html
import http.client
import json
import math
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import webvtt
from lxml import html as lxml_html

from audio_edition.errors import InputError
from audio_edition.inputs import read_source
from audio_edition.model import Channel, Chapter, Entry
from audio_edition.pipeline import Options, convert
from audio_edition.publish.page import date_text, render_page, write_page
from audio_edition.sizes import clock
from tests.conftest import EXAMPLES, ffprobe

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

AWKWARD_TITLE = "Salt & pepper: why \"<small>\" shops say 'less is more' 🧂 at A&W Café"
AWKWARD_ARTICLE = f"""{AWKWARD_TITLE}

By Ines Okafor-Lund

May 5, 2026

The corner shop on Elm Row sells eleven kinds of salt & no pepper at all. Its owner says the shelf began as a joke that customers took seriously.

She now orders one new salt every month, and the regulars keep score on a chalkboard by the till.
"""
AWKWARD_FOLDER = "salt & pepper #1 café"
"""A folder name that only works as a link when percent-encoded ("#" would start a fragment)."""
SHOW = Channel(title='Bytes & <Bites>: "the" show 🎧', description="Odd <tags> & 'quotes' stay text.")


# --- the site: real episodes and the page ---------------------------------------------------------


def entry_for(out_dir: Path, folder: Path) -> Entry:
    """The catalog's Entry for an episode folder when the catalog module exists; else built here from episode.json."""
    try:
        from audio_edition.episode import entry_from_folder
    except ImportError:
        pass
    else:
        return entry_from_folder(folder)
    record = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
    files = tuple(
        (kind, f"{folder.name}/{record[kind]}")
        for kind in ("mp3", "vtt", "srt", "chapters_json", "transcript", "cover")
    )
    return Entry(
        guid=record["guid"], slug=folder.name, title=record["title"], author=record["author"],
        source=record["source"], description=record["description"], published=record["published"],
        converted=record["converted"], duration_s=record["duration_s"], voice=record["voice"],
        language=record["language"], spoken_sha256=record["spoken_sha256"], files=files,
        sizes=tuple((kind, (out_dir / path).stat().st_size) for kind, path in files),
        chapters=tuple(Chapter(c["title"], c["start_s"], c["end_s"], c.get("image")) for c in record["chapters"]),
    )  # fmt: skip


@dataclass(frozen=True)
class Site:
    out: Path
    entries: tuple[Entry, ...]

    def by_title(self, title: str) -> Entry:
        return next(e for e in self.entries if e.title == title)

    @property
    def chaptered(self) -> Entry:
        return next(e for e in self.entries if len(e.chapters) == 4)

    @property
    def awkward(self) -> Entry:
        return self.by_title(AWKWARD_TITLE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    out = tmp_path_factory.mktemp("site")
    awkward_txt = tmp_path_factory.mktemp("articles") / "awkward.txt"
    awkward_txt.write_text(AWKWARD_ARTICLE, encoding="utf-8")
    folders = []
    for source in (EXAMPLES / "harbor-bridge.txt", awkward_txt):
        folders.append(convert(read_source(str(source)), Options(out_dir=out, quiet=True)).folder)
    renamed = out / AWKWARD_FOLDER
    folders[-1].rename(renamed)
    folders[-1] = renamed
    entries = tuple(entry_for(out, folder) for folder in folders)
    write_page(out, entries, SHOW, "feed.xml")
    return Site(out, entries)


# --- a server with byte ranges, and Chromium ------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(site: Site) -> Iterator[str]:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.staticfiles import StaticFiles

    app = Starlette()
    app.mount("/", StaticFiles(directory=site.out, html=True))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the test server did not start"
    port = sock.getsockname()[1]
    # The player seeks only where the server answers byte ranges: prove this one does.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/" + site.chaptered.file("mp3"), headers={"Range": "bytes=100-199"})
    response = conn.getresponse()
    assert (response.status, len(response.read())) == (206, 100)
    conn.close()
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="page-test-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        )  # fmt: skip
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@dataclass
class Opened:
    page: object
    problems: list[str]


@pytest.fixture(params=["http", "file"])
def opened(request: pytest.FixtureRequest, site: Site, browser: object) -> Iterator[Opened]:
    """The page in a fresh tab, from the server or from disk, with its media metadata loaded."""
    url = request.getfixturevalue("base_url") if request.param == "http" else (site.out / "index.html").as_uri()
    page = browser.new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # A player with preload="metadata" cancels its MP3 request once it has the metadata: not a failure.
    page.on(
        "requestfailed",
        lambda r: (
            None
            if (r.resource_type, r.failure) == ("media", "net::ERR_ABORTED")
            else problems.append(f"request failed: {r.url} {r.failure}")
        ),
    )
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url)
    # Settled: every player has its metadata or an error, every track is loaded (2) or failed (3).
    page.wait_for_function(
        "Array.from(document.querySelectorAll('audio')).every(a => a.readyState >= 1 || a.error)"
        " && Array.from(document.querySelectorAll('track')).every(t => t.readyState >= 2)",
        timeout=15000,
    )  # fmt: skip
    yield Opened(page, problems)
    page.close()


def player_id(page: object, entry: Entry) -> str:
    """The id of the <audio> whose source is this entry's MP3 (found by URL, not by our id scheme)."""
    return page.evaluate(
        """(mp3) => Array.from(document.querySelectorAll('audio'))
                      .find(a => decodeURIComponent(new URL(a.src).pathname).endsWith('/' + mp3)).id""",
        entry.file("mp3"),
    )  # fmt: skip


# --- in the browser -------------------------------------------------------------------------------


def test_page_loads_without_errors(opened: Opened, site: Site) -> None:
    page = opened.page
    page.wait_for_timeout(300)
    assert opened.problems == [], "\n".join(opened.problems)
    assert page.evaluate("document.documentElement.lang") == "en-us"
    assert page.title() == SHOW.title
    assert page.locator("h1").inner_text() == SHOW.title
    assert page.locator("audio").count() == len(site.entries)


def test_audio_durations_match_ffprobe(opened: Opened, site: Site) -> None:
    for entry in site.entries:
        expected = float(ffprobe(site.out / entry.file("mp3"), "-show_format")["format"]["duration"])
        duration = opened.page.evaluate("(id) => document.getElementById(id).duration", player_id(opened.page, entry))
        assert abs(duration - expected) <= 0.1, entry.title
        assert (
            opened.page.evaluate("(id) => document.getElementById(id).preload", player_id(opened.page, entry))
            == "metadata"
        )


def test_caption_tracks_hold_the_vtt_cues(opened: Opened, site: Site) -> None:
    for entry in site.entries:
        captions = webvtt.read(str(site.out / entry.file("vtt")))
        track = opened.page.evaluate(
            """(id) => { const t = document.getElementById(id).textTracks[0];
                         return {kind: t.kind, mode: t.mode, n: t.cues.length, first: t.cues[0].text,
                                 start: t.cues[0].startTime, lastEnd: t.cues[t.cues.length - 1].endTime}; }""",
            player_id(opened.page, entry),
        )  # fmt: skip
        assert track["kind"] == "captions" and track["mode"] == "showing", entry.title
        assert track["n"] == len(captions), entry.title
        assert track["first"] == captions[0].text, entry.title
        assert abs(track["start"] - _seconds(captions[0].start)) < 0.002
        assert abs(track["lastEnd"] - _seconds(captions[-1].end)) < 0.002


def test_the_caption_being_heard_is_shown(opened: Opened, site: Site) -> None:
    page = opened.page
    for entry in site.entries:
        captions = webvtt.read(str(site.out / entry.file("vtt")))
        audio = player_id(page, entry)
        box = page.locator(f"#{page.evaluate('(id) => document.getElementById(id).dataset.captions', audio)}")
        assert box.is_hidden()
        for caption in (captions[0], captions[len(captions) // 2], captions[-1]):
            middle = (_seconds(caption.start) + _seconds(caption.end)) / 2
            page.evaluate("([id, t]) => { document.getElementById(id).currentTime = t; }", [audio, middle])
            expected = html.unescape(caption.text)  # cue text as written: "&amp;" is "&"
            page.wait_for_function(
                "([sel, text]) => document.querySelector(sel).textContent === text",
                arg=[f"#{box.get_attribute('id')}", expected],
                timeout=5000,
            )
            assert box.is_visible()


def test_words_are_marked_as_they_are_said(opened: Opened, site: Site) -> None:
    """Served, the caption box marks each word once the player reaches its timestamp in the .words.vtt."""
    page, entry = opened.page, site.chaptered
    audio = player_id(page, entry)
    box = f"#{page.evaluate('(id) => document.getElementById(id).dataset.captions', audio)}"
    timed = webvtt.read(str(site.out / entry.file("words_vtt")))
    cue = max(timed, key=lambda c: len(c.raw_text))  # the longest sentence
    stamps = [_seconds(s) for s in re.findall(r"<(\d\d:\d\d:\d\d\.\d{3})>", cue.raw_text)]
    assert len(stamps) >= 10
    at = (stamps[4] + stamps[5]) / 2  # between the fifth and sixth timestamp
    page.evaluate("([id, t]) => { document.getElementById(id).currentTime = t; }", [audio, at])
    if opened.page.url.startswith("file:"):  # from disk: no word timings, the plain caption
        page.wait_for_function("(sel) => document.querySelector(sel).textContent.length > 0", arg=box, timeout=5000)
        assert page.locator(f"{box} span.word").count() == 0
        return
    page.wait_for_function("(sel) => document.querySelectorAll(sel + ' span.word').length > 0", arg=box, timeout=5000)
    words = page.locator(f"{box} span.word")
    assert words.count() == len(stamps) + 1  # the first word starts with the cue
    said = page.evaluate("(sel) => document.querySelectorAll(sel + ' span.word.said').length", box)
    assert said == 1 + 5  # the first word, then the five timestamps already passed
    assert html.unescape(re.sub(r"<[^>]+>", "", cue.raw_text)) == page.locator(box).text_content()


def test_chapter_links_seek_the_player(opened: Opened, site: Site) -> None:
    page, entry = opened.page, site.chaptered
    audio = player_id(page, entry)
    page.evaluate(
        """(id) => { window.seeks = [];
        document.getElementById(id).addEventListener('seeked', e => window.seeks.push(e.target.currentTime)); }""",
        audio,
    )
    links = page.locator(f"a[data-player='{audio}']")
    assert links.count() == len(entry.chapters) == 4
    # Newest chapter first, so that every click really moves the player backwards or forwards.
    for n, index in enumerate([2, 0, 3, 1]):
        chapter, link = entry.chapters[index], links.nth(index)
        assert chapter.title in link.inner_text()
        assert link.locator("time").inner_text() == f"{int(chapter.start_s // 60)}:{int(chapter.start_s % 60):02d}"
        if n % 2:
            link.focus()
            page.keyboard.press("Enter")  # keyboard-usable: a real link in the tab order
        else:
            link.click()
        page.wait_for_function("(n) => window.seeks.length > n", arg=n)
        seeked = page.evaluate("(n) => window.seeks[n]", n)
        assert abs(seeked - chapter.start_s) <= 0.05, (chapter.title, seeked)
        assert link.get_attribute("aria-current") == "true"
        assert page.evaluate("() => location.hash") == ""  # the link did not navigate
    page.evaluate("(id) => document.getElementById(id).pause()", audio)


def test_transcripts_are_on_the_page(opened: Opened, site: Site) -> None:
    page = opened.page
    for entry in site.entries:
        written = (site.out / entry.file("transcript")).read_text(encoding="utf-8")
        article = page.get_by_role("article", name=entry.title, exact=True)
        details = article.locator("details")
        details.locator("summary").click()
        shown = details.inner_text()
        for paragraph in (p for p in written.split("\n\n") if p.strip()):
            for line in paragraph.splitlines():
                assert line.strip() in shown, line
        assert details.locator("p").count() == len([p for p in written.split("\n\n") if p.strip()])


def test_awkward_titles_render_literally(opened: Opened, site: Site) -> None:
    page = opened.page
    titles = page.locator("article h2").all_inner_texts()
    assert AWKWARD_TITLE in titles
    assert page.locator("small").count() == 0  # "<small>" stayed text, not an element
    assert page.locator("h1").inner_text() == SHOW.title
    assert page.locator("header p").first.inner_text() == SHOW.description
    # The audio of the episode in the folder named "salt & pepper #1 café" loaded (its duration is known).
    duration = page.evaluate("(id) => document.getElementById(id).duration", player_id(page, site.awkward))
    assert math.isfinite(duration) and duration > 1


def test_newest_first_with_author_date_and_duration(opened: Opened, site: Site) -> None:
    page = opened.page
    expected = sorted(site.entries, key=lambda e: e.published or "", reverse=True)
    assert page.locator("article h2").all_inner_texts() == [e.title for e in expected]
    for entry in site.entries:
        article = page.get_by_role("article", name=entry.title, exact=True)
        meta = article.locator(".meta").inner_text()
        if entry.author:
            assert entry.author in meta
        assert article.locator(".meta time").first.get_attribute("datetime") == entry.published
        whole = int(entry.duration_s)
        assert f"Duration {whole // 60}:{whole % 60:02d}" in meta


def test_accessible_names_and_subscribe_link(opened: Opened, site: Site) -> None:
    page = opened.page
    for entry in site.entries:
        name = page.evaluate(
            "(id) => { const a = document.getElementById(id);"
            " return document.getElementById(a.getAttribute('aria-labelledby')).textContent; }",
            player_id(page, entry),
        )  # fmt: skip
        assert name == entry.title
    assert page.get_by_label("Feed address for a podcast app").count() == 1
    feed = page.evaluate("new URL('feed.xml', document.baseURI).href")
    assert page.get_by_label("Feed address for a podcast app").input_value() == feed
    assert page.evaluate("document.querySelector('a[type=\"application/rss+xml\"]').href") == feed
    assert page.locator("nav[aria-labelledby] h3").count() == 1  # one episode has chapters


# --- the HTML itself (no browser) -----------------------------------------------------------------


def test_links_are_relative_and_percent_encoded(site: Site) -> None:
    tree = lxml_html.fromstring((site.out / "index.html").read_bytes())
    sources = tree.xpath("//audio/@src") + tree.xpath("//track/@data-src") + tree.xpath("//img/@src")
    assert len(sources) == 4 * len(site.entries)  # the MP3, its captions, its word timings, its cover
    for src in sources:
        parts = urlsplit(src)
        assert not parts.scheme and not parts.netloc and not src.startswith("/")
        assert not parts.fragment and " " not in src and all(ord(c) < 128 for c in src)
        assert (site.out / unquote(src)).is_file(), src
    awkward = [s for s in sources if "caf" in s]
    assert awkward and all("%23" in s and "%26" in s for s in awkward)


def test_every_text_is_escaped(tmp_path: Path) -> None:
    nasty = '</script><script>alert("x")</script> & <b>"quoted"</b> \'single\' 🎙️'
    entry = _bare_entry(
        title=nasty,
        author=nasty,
        description=nasty,
        chapters=(Chapter(nasty, 0.0, 1.0), Chapter("Two & <three>", 1.0, 2.0)),
    )
    text = render_page(tmp_path, [entry], Channel(title=nasty, description=nasty), "feed.xml")
    tree = lxml_html.fromstring(text.encode("utf-8"))
    assert tree.xpath("//h1")[0].text_content() == nasty
    assert tree.xpath("//title")[0].text_content() == nasty
    assert tree.xpath("//article//h2")[0].text_content() == nasty
    assert [span.text_content() for span in tree.xpath("//nav//a/span[2]")] == [nasty, "Two & <three>"]
    assert not tree.xpath("//b") and len(tree.xpath("//script")) == 1  # only the page's own script


def test_feed_links_must_be_web_or_relative(tmp_path: Path) -> None:
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", " "):
        with pytest.raises(InputError):
            render_page(tmp_path, [], Channel(), bad)
    absolute = render_page(tmp_path, [], Channel(), "https://example.org/pod/feed.xml?a=1&b=2")
    assert lxml_html.fromstring(absolute).xpath("//link[@rel='alternate']/@href") == [
        "https://example.org/pod/feed.xml?a=1&b=2"
    ]


def test_missing_files_and_no_episodes(tmp_path: Path) -> None:
    empty = lxml_html.fromstring(render_page(tmp_path, [], Channel(), "feed.xml"))
    assert "No episodes yet" in empty.text_content()
    # The transcript and VTT named by the entry are not there: the episode is shown without them.
    tree = lxml_html.fromstring(render_page(tmp_path, [_bare_entry()], Channel(), "feed.xml"))
    assert not tree.xpath("//details") and not tree.xpath("//script[@type='text/vtt']")
    assert tree.xpath("//track/@data-src") == ["a%20b/x.vtt"]
    # A transcript path leading out of the output folder is not read.
    outside = tmp_path.parent / "secret.txt"
    outside.write_text("secret words", encoding="utf-8")
    sneaky = _bare_entry(files=(("mp3", "x.mp3"), ("transcript", "../secret.txt")))
    assert "secret words" not in render_page(tmp_path, [sneaky], Channel(), "feed.xml")


def test_write_page_is_atomic_and_ids_unique(tmp_path: Path) -> None:
    one, two = _bare_entry(slug="a_b"), _bare_entry(slug="a-b")
    target = write_page(tmp_path, [one, two], Channel(), "feed.xml")
    assert target == tmp_path / "index.html" and sorted(os.listdir(tmp_path)) == ["index.html"]
    ids = lxml_html.fromstring(target.read_bytes()).xpath("//@id")
    assert len(ids) == len(set(ids))
    if os.geteuid() != 0:  # root writes anywhere
        tmp_path.chmod(0o500)
        try:
            with pytest.raises(OSError):
                write_page(tmp_path, [one], Channel(title="new"), "feed.xml")
            assert "new" not in target.read_text(encoding="utf-8")
        finally:
            tmp_path.chmod(0o700)


def test_clock_and_dates() -> None:
    assert [clock(s) for s in (0, 14.148, 59.999, 109.442, 3723.5)] == ["0:00", "0:14", "0:59", "1:49", "1:02:03"]
    assert date_text("2026-06-18T14:05") == "June 18, 2026, 2:05 p.m."
    assert date_text("2026-04-02") == "April 2, 2026"
    assert date_text("2026-11-25T00:10:00Z") == "November 25, 2026, 12:10 a.m."
    assert date_text("someday") == "someday"


# --- helpers ----------------------------------------------------------------------------------------


def _bare_entry(**changes: object) -> Entry:
    entry = Entry(
        guid="g", slug="a b", title="T", author=None, source=None, description="", published=None,
        converted="2026-11-25T03:10:00Z", duration_s=62.4, voice="default", language="en-US",
        spoken_sha256="0" * 64, files=(("mp3", "a b/x.mp3"), ("vtt", "a b/x.vtt"), ("transcript", "a b/x.txt")),
        sizes=(("mp3", 1000),),
    )  # fmt: skip
    return replace(entry, **changes)


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


@pytest.mark.parametrize("width", [320, 375, 412])
def test_nothing_is_cut_off_on_a_phone(site: Site, browser: object, width: int) -> None:
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 740})
    try:
        page.goto((site.out / "index.html").as_uri())
        field = page.get_by_label("Feed address for a podcast app")
        address = field.input_value()
        assert address.endswith("/feed.xml") and len(address) > 40  # the page's file:// address: long
        box = field.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        # The whole address shows: nothing of it scrolled out of its box, either way.
        hidden = field.evaluate("e => [e.scrollWidth - e.clientWidth, e.scrollHeight - e.clientHeight]")
        assert hidden[0] <= 0 and hidden[1] <= 1, hidden
        # No part of the page needs sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.close()
