"""The publish step: add, remove, rebuild; and what a full disk, a read-only folder, a second
publisher or a killed process does to the output folder (real processes, forked)."""

from __future__ import annotations

import hashlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import tempfile
import time
from pathlib import Path

import feedparser
import lxml.html
import pytest
from PIL import Image

import audio_edition.publish.page  # noqa: F401 - imported before forking children that drop privileges
from audio_edition import publish
from audio_edition.assemble.cover import make_cover
from audio_edition.episode import entry_from_folder
from audio_edition.errors import InputError, OutputError
from audio_edition.publish.catalog import CATALOG_NAME, CorruptCatalogError
from audio_edition.publish.channel import default_config
from tests.fixtures.publish.support import (
    convert_articles,
    copier,
    forked,
    mover,
    outcome,
    published_folder,
    run_forked,
    variant,
)

make_cover("warm up Pillow's fonts before any fork", "")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """Three real episodes from the pipeline, converted once for this module."""
    return convert_articles(tmp_path_factory.mktemp("made"), "awkward", "ferry", "essay")


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def feed_items(out: Path) -> dict[str, feedparser.FeedParserDict]:
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    return {item.id: item for item in feed.entries}


def catalog_rows(out: Path) -> dict[str, str]:
    """guid -> slug, read with plain sqlite3 (which also rolls back what a killed writer left)."""
    db = sqlite3.connect(out / CATALOG_NAME)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return dict(db.execute("SELECT guid, slug FROM episodes"))
    finally:
        db.close()


def catalog_content(out: Path) -> list[tuple]:
    db = sqlite3.connect(out / CATALOG_NAME)
    try:
        return [
            row for table in ("episodes", "files", "chapters") for row in sorted(db.execute(f"SELECT * FROM {table}"))
        ]
    finally:
        db.close()


def snapshot(out: Path) -> dict[str, object]:
    """Every file's content hash (the catalog by its rows), to compare before and after a failure."""
    files = {}
    for path in sorted(out.rglob("*")):
        name = str(path.relative_to(out))
        if path.is_file() and not name.startswith((CATALOG_NAME, ".lock")):
            files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"files": files, "catalog": catalog_content(out)}


def assert_consistent(out: Path) -> None:
    """Feed, catalog and folders agree: every item's files exist with the sizes the feed gives."""
    items, rows = feed_items(out), catalog_rows(out)
    assert set(items) == set(rows)
    for guid, item in items.items():
        (enclosure,) = item.enclosures
        path = out / enclosure.href.removeprefix(publish.DEFAULT_BASE_URL)
        assert path.stat().st_size == int(enclosure.length)
        assert path.parent.name == rows[guid]
    # Nothing of the publish step left over (a convert's own staging folder is the convert's to clear).
    assert not [p.name for p in out.iterdir() if p.name.startswith((".publish-", ".removed-", ".journal"))]
    listed = set(rows.values())
    assert not [p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name not in listed]


# Publishing -------------------------------------------------------------------------------------------


def test_add_writes_feed_catalog_page_cover_and_settings(out, made):
    entry = publish.add(out, copier(made["awkward"], out))
    assert entry == entry_from_folder(out / made["awkward"].name)
    (item,) = feed_items(out).values()
    assert item.id == entry.guid and item.title == entry.title
    assert catalog_rows(out) == {entry.guid: entry.slug}
    page = lxml.html.parse(str(out / "index.html")).getroot()
    assert entry.title in page.text_content()
    assert [a.get("src") for a in page.iter("audio")] == [entry.file("mp3")]
    anchor = item.link.rsplit("#", 1)[1]  # the feed's item link lands on the episode on the page
    assert item.link.startswith("http://127.0.0.1:8000/index.html#") and page.get_element_by_id(anchor) is not None
    with Image.open(out / "channel-cover.jpg") as art:
        assert (art.format, art.mode, art.size) == ("JPEG", "RGB", (1400, 1400))
    assert (out / "channel.toml").read_text(encoding="utf-8") == default_config()
    for name in ("feed.xml", "index.html", "channel-cover.jpg"):
        assert (out / name).stat().st_mode & 0o777 == 0o644
    assert_consistent(out)
    assert publish.entries(out) == [entry]


def test_republishing_keeps_the_guid_and_one_entry(out, made):
    for name in ("awkward", "ferry", "essay"):
        publish.add(out, copier(made[name], out))
    first = {e.guid: e.slug for e in publish.entries(out)}
    again = publish.add(out, copier(made["ferry"], out))
    # The new version is a folder of its own beside the old (slug-2): the old one, whose files the feed
    # named until the switch, is gone once it is done. A third version takes the plain name again.
    now = {e.guid: e.slug for e in publish.entries(out)}
    assert set(now) == set(first) and now[again.guid] == first[again.guid] + "-2"
    assert not (out / first[again.guid]).exists() and len(feed_items(out)) == 3
    assert publish.add(out, copier(made["ferry"], out)).slug == first[again.guid]
    assert not (out / now[again.guid]).exists()
    assert_consistent(out)


def test_new_title_same_guid_replaces_the_old_folder(out, made, tmp_path):
    old = publish.add(out, copier(made["ferry"], out))
    renamed = variant(made["ferry"], tmp_path / "stage", "ferry-renamed", guid=old.guid, title="Ferry, renamed")
    new = publish.add(out, mover(renamed, out))
    assert (new.guid, new.slug) == (old.guid, "ferry-renamed")
    assert not (out / old.slug).exists()
    (item,) = feed_items(out).values()
    assert item.title == "Ferry, renamed" and "/ferry-renamed/ferry-renamed.mp3" in item.enclosures[0].href
    assert_consistent(out)


def test_remove_by_slug_and_guid_prefix(out, made):
    added = [publish.add(out, copier(made[n], out)) for n in ("awkward", "ferry", "essay")]
    removed = publish.remove(out, added[1].slug)
    assert removed == added[1] and not (out / removed.slug).exists()
    assert publish.remove(out, added[0].guid[:8]) == added[0]
    assert set(feed_items(out)) == {added[2].guid}
    assert added[0].title not in lxml.html.parse(str(out / "index.html")).getroot().text_content()
    before = snapshot(out)
    with pytest.raises(InputError, match="no episode 'nothing-like-this'"):
        publish.remove(out, "nothing-like-this")
    assert snapshot(out) == before
    assert_consistent(out)


def test_rebuild_after_the_catalog_is_lost_or_damaged(out, made):
    for name in ("awkward", "ferry", "essay"):
        publish.add(out, copier(made[name], out))
    feed = (out / "feed.xml").read_bytes()
    guids = catalog_rows(out)

    (out / CATALOG_NAME).unlink()
    assert {e.guid for e in publish.rebuild(out)} == set(guids)
    assert catalog_rows(out) == guids and (out / "feed.xml").read_bytes() == feed

    # Damaged, with a journal left beside it: publishing refuses and says what to do.
    (out / CATALOG_NAME).write_bytes(os.urandom(8192))
    (out / f"{CATALOG_NAME}-journal").write_bytes(os.urandom(4096))
    waiting = copier(made["essay"], out)
    with pytest.raises(CorruptCatalogError) as caught:
        publish.add(out, waiting)
    assert "audio-edition feed rebuild" in str(caught.value) and "\n" not in str(caught.value)
    assert waiting.is_dir() and (out / "feed.xml").read_bytes() == feed  # it did not move
    shutil.rmtree(waiting)
    with pytest.raises(CorruptCatalogError):
        publish.remove(out, next(iter(guids)))
    publish.rebuild(out)
    assert catalog_rows(out) == guids and (out / "feed.xml").read_bytes() == feed
    assert not (out / f"{CATALOG_NAME}-journal").exists()
    assert_consistent(out)


def test_add_without_a_catalog_keeps_the_episodes_already_there(out, made):
    publish.add(out, copier(made["awkward"], out))
    publish.add(out, copier(made["ferry"], out))
    (out / CATALOG_NAME).unlink()
    publish.add(out, copier(made["essay"], out))
    assert len(catalog_rows(out)) == 3
    assert_consistent(out)


def test_feed_for_points_at_the_server_unless_a_base_url_is_set(out, made):
    entry = publish.add(out, copier(made["ferry"], out))
    served = feedparser.parse(publish.feed_for(out, "http://192.168.1.20:8080"))
    assert served.entries[0].enclosures[0].href == f"http://192.168.1.20:8080/{entry.file('mp3')}"
    assert feed_items(out)[entry.guid].enclosures[0].href == f"http://127.0.0.1:8000/{entry.file('mp3')}"
    assert publish.feed_url(out) == "http://127.0.0.1:8000/feed.xml"

    (out / "channel.toml").write_text('base_url = "https://example.org/pod"\n', encoding="utf-8")
    assert publish.feed_url(out, "http://192.168.1.20:8080/") == "https://example.org/pod/feed.xml"
    pinned = feedparser.parse(publish.feed_for(out, "http://192.168.1.20:8080/"))
    assert pinned.entries[0].enclosures[0].href == f"https://example.org/pod/{entry.file('mp3')}"
    assert publish.feed_for(out, None) == publish.feed_for(out, "http://elsewhere/")


def test_configured_cover_is_copied_and_user_settings_kept(out, made):
    publish.add(out, copier(made["ferry"], out))
    assert (out / "channel-cover.jpg").exists()
    Image.new("RGB", (1600, 1600), "navy").save(out / "show.png")
    settings = 'title = "Harbour Reader & Co"\ncover = "show.png"\nemail = "ed@example.org"\n'
    (out / "channel.toml").write_text(settings, encoding="utf-8")
    publish.add(out, copier(made["essay"], out))
    assert (out / "channel-cover.png").read_bytes() == (out / "show.png").read_bytes()
    assert not (out / "channel-cover.jpg").exists()
    assert (out / "channel.toml").read_text(encoding="utf-8") == settings
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.feed.title == "Harbour Reader & Co"
    assert feed.feed.image.href == "http://127.0.0.1:8000/channel-cover.png"


def test_bad_settings_stop_before_the_episode_moves(out, made):
    publish.add(out, copier(made["ferry"], out))
    (out / "channel.toml").write_text('explicit = "no"\n', encoding="utf-8")
    waiting = copier(made["essay"], out)
    before = snapshot(out)
    with pytest.raises(InputError, match="explicit must be true or false"):
        publish.add(out, waiting)
    assert snapshot(out) == before


def test_readers_create_nothing(tmp_path):
    assert publish.entries(tmp_path) == []
    assert feedparser.parse(publish.feed_for(tmp_path, None)).entries == []
    assert list(tmp_path.iterdir()) == []


def test_install_failure_is_an_output_error(out, made, monkeypatch):
    publish.add(out, copier(made["ferry"], out))
    waiting = copier(made["essay"], out)
    before = snapshot(out)
    monkeypatch.setenv("AUDIO_EDITION_FAULT", "publish.installed:enospc")
    with pytest.raises(OutputError, match=r"cannot move the episode into .*: No space left on device"):
        publish.add(out, waiting)
    assert snapshot(out) == before  # the new folder back under its staging name, nothing else changed


# Faults -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(made, tmp_path_factory) -> Path:
    """A template output folder with two episodes published, copied by the fault tests."""
    return published_folder(made, tmp_path_factory.mktemp("published") / "out")


def test_full_disk_loses_nothing(published, made, tmp_path):
    """A file-size limit makes the kernel refuse writes past it (EFBIG), as a full disk does (ENOSPC):
    swept across the sizes the catalog, its journal, the page and the feed reach."""
    # A new channel cover of noise (a PNG of about 6 MB) is the largest write, after the catalog's.
    noise = tmp_path / "noise.png"
    Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3)).save(noise, compress_level=0)
    failures = []
    for limit in (0, 2048, 8192, 20_000, 100_000, 1_000_000, 100_000_000):
        out = tmp_path / f"out-{limit}"
        shutil.copytree(published, out)
        shutil.copy(noise, out / "noise.png")
        (out / "channel.toml").write_text('cover = "noise.png"\n', encoding="utf-8")
        staged = mover(variant(made["essay"], tmp_path / f"stage-{limit}", "essay"), out)
        before = snapshot(out)

        def setup(limit: int = limit) -> None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

        code, message = run_forked(lambda out=out, staged=staged: publish.add(out, staged).guid, setup)
        if code == 0:
            assert len(catalog_rows(out)) == 3
            assert_consistent(out)
            continue
        failures.append(message)
        assert message.startswith("OutputError: ") and ("File too large" in message or "disk" in message), message
        assert "\n" not in message
        # Nothing that was there changed: the new folder is back under its staging name, unpublished.
        assert snapshot(out) == before
        publish.add(out, staged)  # room again: the same folder publishes
        assert_consistent(out)
        assert len(catalog_rows(out)) == 3
    assert code == 0  # the largest limit succeeds: the sweep reaches every stage
    assert any("the catalog" in m for m in failures) and any("cannot write to" in m for m in failures), failures


@pytest.fixture
def shared_tmp():
    """A folder another user can reach (pytest's own tmp folder is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="audio-edition-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in (folder, *folder.rglob("*")):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def test_read_only_folder_loses_nothing(published, made, shared_tmp):
    out = shared_tmp / "out"
    shutil.copytree(published, out)
    staged = mover(variant(made["essay"], shared_tmp / "stage", "essay"), out)
    for path in (out, *out.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    before = snapshot(out)
    guid = next(iter(catalog_rows(out)))

    if os.geteuid() == 0:  # root may write anywhere: the child gives that up

        def setup() -> None:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
    else:

        def setup() -> None:
            for path in (out, *out.iterdir()):
                if path.is_dir():
                    path.chmod(0o555)

    for action in (
        lambda: publish.add(out, staged),
        lambda: publish.remove(out, guid),
        lambda: publish.rebuild(out),
    ):
        code, message = run_forked(action, setup)
        assert code == 1 and message.startswith("OutputError: "), message
        assert any(word in message for word in ("Permission denied", "readonly", "read-only")), message
        for path in (out, *out.iterdir()):
            if path.is_dir():
                path.chmod(0o755)
        assert snapshot(out) == before
    # Readers still work in a read-only folder: what `serve` needs.
    code, message = run_forked(lambda: len(feedparser.parse(publish.feed_for(out, None)).entries), setup)
    assert (code, message) == (0, "ok 2")


def test_concurrent_publishers_all_land(made, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    workers, each = 3, 5
    mine: list[list[Path]] = [
        [variant(made["ferry"], tmp_path / f"stage-{w}", f"w{w}-ep{i}", title=f"W{w} E{i}") for i in range(each)]
        for w in range(workers)
    ]

    def race(jobs: list) -> None:
        go_read, go_write = os.pipe()
        children = [forked(job, go=(go_read, go_write)) for job in jobs]
        os.close(go_read)
        os.close(go_write)  # everyone starts now
        results = [outcome(*child) for child in children]
        assert all(code == 0 for code, _ in results), results

    def adder(folders: list[Path]):
        return lambda: [publish.add(out, mover(f, out)).guid for f in folders]

    race([adder(folders) for folders in mine])
    assert len(catalog_rows(out)) == workers * each
    assert_consistent(out)

    # Second round: each worker removes two of its episodes while adding two new ones, interleaved.
    extra = [
        [variant(made["essay"], tmp_path / f"stage2-{w}", f"w{w}-new{i}") for i in range(2)] for w in range(workers)
    ]

    def mixer(w: int):
        def job() -> None:
            for i in range(2):
                publish.remove(out, f"w{w}-ep{i}")
                publish.add(out, mover(extra[w][i], out))

        return job

    race([mixer(w) for w in range(workers)])
    slugs = set(catalog_rows(out).values())
    assert slugs == {f"w{w}-ep{i}" for w in range(workers) for i in range(2, each)} | {
        f"w{w}-new{i}" for w in range(workers) for i in range(2)
    }
    assert_consistent(out)


def test_killed_at_any_moment_leaves_a_whole_feed_and_catalog(published, made, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(published, out)
    stage = tmp_path / "stage"
    # Enough episodes that 14 kills come before the stage runs dry on a fast machine (about 8 are
    # published between two kills there; 60 ran out after 8 kills).
    for i in range(160):
        variant(made["ferry"], stage, f"k{i:03d}", title=f"Kill test {i}")
    rng = random.Random(6)

    def churn() -> None:
        for n, folder in enumerate(sorted(stage.iterdir())):
            publish.add(out, mover(folder, out))
            if n % 3 == 2:
                publish.remove(out, sorted(p.name for p in out.glob("k*"))[0])

    rounds = 0
    while rounds < 14 and any(stage.iterdir()):
        pid, read = forked(churn)
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(pid, signal.SIGKILL)
        outcome(pid, read)
        rounds += 1
        # Whatever moment it died at: the feed parses, the catalog is whole, and they differ by at
        # most the one change in flight; every file either names is there with its size.
        items, rows = feed_items(out), catalog_rows(out)
        assert len(set(items) ^ set(rows)) <= 1, set(items) ^ set(rows)
        for item in items.values():
            path = out / item.enclosures[0].href.removeprefix(publish.DEFAULT_BASE_URL)
            assert path.stat().st_size == int(item.enclosures[0].length)
        for guid, slug in rows.items():
            assert entry_from_folder(out / slug).guid == guid
    assert rounds >= 10
    publish.add(out, copier(made["essay"], out))  # the next publish brings everything up to date
    assert_consistent(out)
    assert len(catalog_rows(out)) > 3


def test_an_empty_catalog_is_refused_like_a_damaged_one(out, made):
    """A truncated catalog.sqlite is not a new, empty one: publishing into it would drop every other episode
    from the feed. It is refused with the rebuild hint, nothing changes, and `feed rebuild` restores it."""
    publish.add(out, copier(made["awkward"], out))
    publish.add(out, copier(made["ferry"], out))
    (out / CATALOG_NAME).write_bytes(b"")
    before = {name: (out / name).read_bytes() for name in ("feed.xml", "index.html")}
    for attempt in (lambda: publish.check(out), lambda: publish.add(out, copier(made["essay"], out)),
                    lambda: publish.entries(out)):  # fmt: skip
        with pytest.raises(CorruptCatalogError, match=r"is empty \(0 bytes\); run `audio-edition feed rebuild`"):
            attempt()
    assert {name: (out / name).read_bytes() for name in before} == before
    assert not (out / made["essay"].name).exists()
    shutil.rmtree(next(out.glob(".staging-test-*")))
    assert len(publish.rebuild(out)) == 2
    assert_consistent(out)
