"""Fault injection: the publish step killed (SIGKILL), interrupted (Ctrl-C) or out of disk (ENOSPC) at
every named point, for a new article and for a re-convert; and a soak of random kills (`-m soak`).

After each fault: feed.xml parses and every enclosure it names is there with its exact length, right
away, before anything repairs it. After the next publish: catalog, feed and page agree, nothing is
left over, and the change is there if and only if the fault came after the commit (the switch).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import lxml.html
import pytest

import audio_edition.publish.page  # noqa: F401 - imported before forking
from audio_edition import faults, publish
from audio_edition.episode import entry_from_folder
from audio_edition.publish.catalog import CATALOG_NAME
from tests.conftest import EXAMPLES
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

AFTER_COMMIT = {"publish.committed", "publish.swapping", "publish.swapped", "publish.done"}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    return convert_articles(tmp_path_factory.mktemp("made"), "awkward", "ferry", "essay")


@pytest.fixture(scope="module")
def template(made, tmp_path_factory) -> Path:
    return published_folder(made, tmp_path_factory.mktemp("template") / "out")


def rows(out: Path) -> dict[str, tuple[str, str]]:
    """guid -> (slug, converted), read with plain sqlite3."""
    db = sqlite3.connect(out / CATALOG_NAME)
    try:
        return {guid: (slug, converted) for guid, slug, converted in db.execute(
            "SELECT guid, slug, converted FROM episodes")}  # fmt: skip
    finally:
        db.close()


def feed_is_whole(out: Path) -> dict[str, str]:
    """feed.xml parses and every enclosure is there with its exact length: guid -> enclosure path."""
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    found = {}
    for item in feed.entries:
        (enclosure,) = item.enclosures
        path = out / enclosure.href.removeprefix(publish.DEFAULT_BASE_URL)
        assert path.stat().st_size == int(enclosure.length), item.id
        found[item.id] = str(path.relative_to(out))
    return found


def agree(out: Path) -> None:
    """Catalog, feed and page name the same episodes and files; no folder or file of the step is left."""
    catalog = rows(out)
    in_feed = feed_is_whole(out)
    assert set(in_feed) == set(catalog)
    for guid, (slug, _) in catalog.items():
        assert entry_from_folder(out / slug).guid == guid
        assert in_feed[guid].startswith(slug + "/")
    page = lxml.html.parse(str(out / "index.html")).getroot()
    assert sorted(a.get("src") for a in page.iter("audio")) == sorted(in_feed.values())
    leftovers = [p.name for p in out.iterdir() if p.name.startswith((".publish-", ".removed-", ".journal"))]
    assert leftovers == []
    listed = sorted(slug for slug, _ in catalog.values())
    assert sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")) == listed


def _later() -> str:
    """A conversion time after every one the template holds (they were made minutes ago)."""
    return (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_version(made: dict[str, Path], out: Path, stage: Path, kind: str) -> tuple[Path, str, str]:
    """A folder ready to publish in `out`: (staged folder, its guid, its converted time)."""
    if kind == "new":
        folder = variant(made["essay"], stage, "essay", converted=_later())
    else:  # the ferry article again: same guid, a later conversion, an MP3 of another length
        old = entry_from_folder(out / next(slug for slug, _ in rows(out).values() if "ferry" in slug))
        folder = variant(made["ferry"], stage, made["ferry"].name, guid=old.guid, converted=_later())
        mp3 = next(folder.glob("*.mp3"))
        mp3.write_bytes(mp3.read_bytes() + bytes(4096))
    record = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
    return mover(folder, out), record["guid"], record["converted"]


@pytest.mark.parametrize("kind", ["new", "reconvert"])
@pytest.mark.parametrize("action", faults.ACTIONS)
@pytest.mark.parametrize("point", faults.POINTS)
def test_a_fault_at_any_point_loses_nothing(point, action, kind, made, template, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(template, out)
    before = rows(out)
    staged, guid, converted = new_version(made, out, tmp_path / "stage", kind)

    def setup() -> None:
        os.environ[faults.ENV] = f"{point}:{action}"

    code, message = run_forked(lambda: publish.add(out, staged).slug, setup)
    assert code != 0, f"the fault at {point} did not fire: {message}"
    if action != "kill":
        assert ("KeyboardInterrupt" if action == "interrupt" else "No space left") in message, message
    # Right away, before any repair: the feed is whole and names only files that are there.
    feed_is_whole(out)
    # The next publish finishes or undoes the change, then does its own.
    publish.add(out, copier(made["awkward"], out))
    agree(out)
    after = rows(out)
    if point in AFTER_COMMIT:
        assert after[guid][1] == converted, "a committed change was lost"
    else:
        assert {g: c for g, (_, c) in after.items()} == {g: c for g, (_, c) in before.items()} | (
            {} if guid not in before else {guid: before[guid][1]}
        )
    assert set(after) >= set(before)


def test_every_point_is_on_the_path(made, template, tmp_path):
    """A publish that runs through passes every named point once: none is dead code."""
    out = tmp_path / "out"
    shutil.copytree(template, out)
    staged, _, _ = new_version(made, out, tmp_path / "stage", "reconvert")
    seen: list[str] = []
    real = faults.point
    faults.point = seen.append  # type: ignore[assignment]
    try:
        publish.add(out, staged)
    finally:
        faults.point = real
    assert seen == list(faults.POINTS)


@pytest.mark.parametrize(("fault", "published"), [("publish.installed:interrupt", False),
                                                  ("publish.committed:kill", True)])  # fmt: skip
def test_a_convert_killed_or_interrupted_while_publishing(fault, published, tmp_path):
    """The real pipeline and CLI: a re-convert (with an edit) stopped before the switch leaves the old
    version published; killed after it, the next convert completes the new one."""
    article = tmp_path / "bridge.txt"
    article.write_text((EXAMPLES / "harbor-bridge.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    cli = [sys.executable, "-m", "audio_edition", "convert", "--out", str(out), "--quiet", "--json"]
    first = subprocess.run([*cli, str(article)], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    old = json.loads(first.stdout)
    article.write_text(article.read_text(encoding="utf-8").replace("due in November", "due in October"),
                       encoding="utf-8")  # fmt: skip
    env = os.environ | {faults.ENV: fault}
    stopped = subprocess.run([*cli, str(article)], capture_output=True, text=True, env=env)
    assert stopped.returncode != 0
    if "interrupt" in fault:
        assert stopped.stderr.count("\n") == 1 and "interrupted" in stopped.stderr
    feed_is_whole(out)
    other = tmp_path / "other.txt"
    shutil.copy(EXAMPLES / "plain-essay.txt", other)
    nxt = subprocess.run([*cli, str(other)], capture_output=True, text=True)
    assert nxt.returncode == 0, nxt.stderr
    agree(out)
    (guid,) = [g for g, (slug, _) in rows(out).items() if g == old["feed"]["guid"]]
    transcript = (out / rows(out)[guid][0]).glob("*.txt")
    assert ("due in October" in next(transcript).read_text(encoding="utf-8")) == published


@pytest.mark.soak
def test_soak_200_random_kills_over_convert_and_publish_on_50_episodes(made, tmp_path):
    """Publishes new episodes and re-converts into a folder of 50 episodes, killed at random 200 times
    (one in ten a whole convert process): after every recovery nothing committed is missing and
    catalog, feed and page agree."""
    out = tmp_path / "out"
    out.mkdir()
    stage = tmp_path / "stage"
    for i in range(50):
        publish.add(out, mover(variant(made["ferry"], stage, f"base{i:02d}", title=f"Base {i}"), out))
    article = tmp_path / "bridge.txt"
    shutil.copy(EXAMPLES / "harbor-bridge.txt", article)
    rng = random.Random(12)
    kills = 0
    serial = 0
    while kills < 200:
        batch = []
        for _ in range(6):
            serial += 1
            if rng.random() < 0.5:
                batch.append(variant(made["essay"], stage, f"n{serial:04d}", title=f"New {serial}"))
            else:
                slug = rng.choice(sorted(s for s, _ in rows(out).values()))
                guid = entry_from_folder(out / slug).guid
                folder = variant(made["ferry"], stage, f"r{serial:04d}", guid=guid, title=f"Again {serial}",
                                 converted=f"2026-12-02T{serial // 3600 % 24:02d}:{serial // 60 % 60:02d}:{serial % 60:02d}Z")  # fmt: skip
                batch.append(folder)

        def churn(batch: list[Path] = batch) -> None:
            for folder in batch:
                publish.add(out, mover(folder, out))

        committed_before = rows(out)
        if kills % 10 == 9:  # every tenth: a real convert (render, assemble, publish) killed at random
            convert = subprocess.Popen([sys.executable, "-m", "audio_edition", "convert", str(article), "--out",
                                        str(out), "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
            time.sleep(rng.uniform(0.5, 4.0))
            convert.kill()
            convert.wait()
        else:
            pid, read = forked(churn)
            time.sleep(rng.uniform(0.0, 0.08))
            os.kill(pid, signal.SIGKILL)
            outcome(pid, read)
        kills += 1
        feed_is_whole(out)
        for leftover in stage.iterdir():  # what the killed process had not taken
            shutil.rmtree(leftover)
        publish.rebuild(out) if not (out / CATALOG_NAME).exists() else publish.add(
            out, mover(variant(made["awkward"], stage, f"z{kills:04d}", title=f"Check {kills}"), out)
        )
        agree(out)
        assert set(rows(out)) >= set(committed_before), "a published episode went missing"


@pytest.mark.parametrize(("point", "new_wins"), [("publish.journaled", False), ("publish.installed", True)])
def test_feed_rebuild_resolves_a_journal_beside_a_damaged_catalog(point, new_wins, made, template, tmp_path):
    """`feed rebuild` is the remedy for a damaged catalog, so it cannot ask the catalog: a new version
    already in place wins (it is the later conversion), one not yet moved in is dropped."""
    out = tmp_path / "out"
    shutil.copytree(template, out)
    staged, guid, converted = new_version(made, out, tmp_path / "stage", "reconvert")
    code, _ = run_forked(lambda: publish.add(out, staged), lambda: os.environ.__setitem__(faults.ENV, f"{point}:kill"))
    assert code != 0 and (out / ".journal.json").exists()
    (out / CATALOG_NAME).write_bytes(os.urandom(4096))
    publish.rebuild(out)
    agree(out)
    assert (rows(out)[guid][1] == converted) == new_wins
