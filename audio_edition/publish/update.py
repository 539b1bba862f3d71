"""The publish step: an episode folder into the catalog, the feed and the listening page.

Everything that changes the output folder happens under an exclusive lock on
`OUT/.lock` (fcntl.flock), so converts running at the same time into one folder
publish one after the other and none is lost. Each change is made so that a
failure or a killed process leaves the previous state whole:

1. the catalog change runs in an SQLite transaction;
2. inside it, the new feed.xml, index.html and channel cover are written to
   temporary files beside their targets (and flushed to disk);
3. the transaction commits; only then are the temporary files renamed over
   the old ones (os.replace, atomic).

A write that fails (full disk, read-only folder) rolls the transaction back and
removes the temporary files: feed, catalog and page stay as they were. A process
killed between 3's commit and its renames leaves the previous feed in place; the
next publish writes the current one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from lxml import etree

from audio_edition import faults
from audio_edition.episode import EPISODE_JSON, entry_from_folder, is_draft, recorded
from audio_edition.errors import AudioEditionError, OutputError
from audio_edition.folder import atomic_write, free_name, fsync, write_temp
from audio_edition.model import Channel, Entry, newest_first
from audio_edition.publish.catalog import CATALOG_NAME, Catalog
from audio_edition.publish.channel import (
    CONFIG_NAME,
    COVER_STEM,
    GUID_NAME,
    cover_bytes,
    cover_name,
    default_config,
    load_channel,
)
from audio_edition.publish.rss import FEED_NAME, PODCAST, folder_url, podcast_guid, render_feed, url
from audio_edition.publish.rss import warnings as feed_warnings

DEFAULT_BASE_URL = "http://127.0.0.1:8000/"
"""Where feed.xml on disk points when no base URL is configured: `audio-edition serve`'s default address."""
LOCK_NAME = ".lock"
PAGE_NAME = "index.html"
_TEMP = ".publish-"
"""Prefix of temporary files; any left under the lock were left by a killed process."""
_TRASH = ".removed-"
T = TypeVar("T")


def add(out_dir: Path, staged: Path, slug: str | None = None) -> Entry:
    """Publish the finished episode folder `staged` (a hidden folder inside `out_dir`) as `out_dir/<slug>`.

    Each version of an episode is a folder of its own that never changes: the new one moves in under
    a free name (`slug`, else `slug-2`, ...) beside the old. Under the output folder's lock: the change
    is written to the journal, the folder moved in, the catalog committed (the switch: until then the
    feed and page name the old version, whose files are all still there), then feed.xml, the page and
    the cover rewritten and the old version's folder removed. Before the commit, any failure takes the
    new folder back out; after it, the rest is finished by whoever takes the lock next. `slug`
    defaults to the name of the episode's MP3. Returns the catalog entry (its slug: the folder's name).
    """
    out_dir, staged = Path(out_dir), Path(staged)
    if staged.resolve().parent != out_dir.resolve():
        raise OutputError(f"the episode folder {staged} is not inside {out_dir}")
    with _locked(out_dir):
        faults.point("publish.locked")
        channel = load_channel(out_dir)  # a bad channel.toml stops before anything moves
        seed = [] if (out_dir / CATALOG_NAME).exists() else scan(out_dir)
        with _catalog(out_dir) as catalog:
            catalog.check()
            new = entry_from_folder(staged)
            name = free_name(out_dir, slug or Path(new.file("mp3")).stem)
            final = out_dir / name
            earlier = {e.slug for e in [*catalog.entries(), *seed] if e.guid == new.guid}
            # A draft of this episode (convert --no-publish) is an earlier version too: it goes once this one is in.
            earlier |= {f.name for f in out_dir.iterdir()
                        if f.is_dir() and f != staged and is_draft(f) and recorded(f, "guid") == new.guid}  # fmt: skip
            journal: dict[str, Any] = {
                "op": "add", "guid": new.guid, "converted": new.converted, "final": name, "staged": staged.name,
                "inode": staged.stat().st_ino, "retired": sorted(earlier),
            }  # fmt: skip
            _write_journal(out_dir, journal)
            try:
                faults.point("publish.journaled")
                os.replace(staged, final)
                fsync(out_dir)
                faults.point("publish.installed")
                entry = entry_from_folder(final)

                def change(catalog: Catalog) -> None:
                    for old in seed:  # the catalog was missing: start from the folders that were there
                        if old.guid != entry.guid and old.slug != entry.slug and old.slug not in journal["retired"]:
                            catalog.upsert(old)
                    catalog.upsert(entry)

                _, files = _stage_in_transaction(out_dir, catalog, channel, change)
            except BaseException as exc:
                _roll_back(out_dir, journal)
                if isinstance(exc, OSError):
                    raise OutputError(f"cannot move the episode into {out_dir}: {exc.strerror or exc}") from None
                raise
            try:
                faults.point("publish.committed")
                _finish(out_dir, journal, files, catalog, channel)
            except OutputError as exc:
                raise OutputError(f"{exc}; the episode is published, and the next publish finishes "
                                  "feed.xml and index.html") from None  # fmt: skip
            except BaseException as exc:
                # The change stands (the journal finishes it at the next publish): say so, not "nothing written".
                exc.published = True  # type: ignore[attr-defined]
                raise
    return entry


def check(out_dir: Path) -> Channel:
    """Fail now, before minutes of rendering, if publishing into `out_dir` would fail on its
    settings or its catalog: a bad channel.toml, a damaged or foreign catalog. Returns the channel."""
    out_dir = Path(out_dir)
    channel = load_channel(out_dir)
    if (out_dir / CATALOG_NAME).exists():
        with Catalog(out_dir / CATALOG_NAME, create=False) as catalog:
            catalog.check()
    return channel


def remove(out_dir: Path, ident: str) -> Entry:
    """Remove an episode (by guid, guid prefix or folder name) from catalog, feed and page, then its folder."""
    out_dir = Path(out_dir)
    if not (out_dir / CATALOG_NAME).exists():
        raise OutputError(f"{out_dir} has no catalog; nothing to remove")
    with _locked(out_dir):
        channel = load_channel(out_dir)
        with _catalog(out_dir) as catalog:
            entry = catalog.find(ident)
            journal: dict[str, Any] = {"op": "remove", "guid": entry.guid, "final": entry.slug}
            _write_journal(out_dir, journal)
            try:
                _, files = _stage_in_transaction(out_dir, catalog, channel, lambda c: c.delete(entry.guid))
            except BaseException:
                _journal_path(out_dir).unlink(missing_ok=True)
                raise
            _finish(out_dir, journal, files, catalog, channel)
    return entry


def rebuild(out_dir: Path) -> list[Entry]:
    """Make the catalog, feed, cover and page again from the episode folders (guids come from episode.json).

    For a catalog that was lost or damaged. Folders without a readable
    episode.json are left out; of two folders with one guid, the later conversion wins.
    """
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir} is not a folder")
    with _locked(out_dir, recover=False):  # the catalog that recovery reads may be the damaged one
        channel = load_channel(out_dir)
        journal = _read_journal(out_dir)
        if journal is not None and journal["op"] == "add":
            _roll_back_unless_installed(out_dir, journal)
        found = scan(out_dir)
        target = out_dir / CATALOG_NAME
        fresh = _fresh_catalog_path(out_dir)
        try:
            with Catalog(fresh) as catalog:

                def change(catalog: Catalog) -> None:
                    for entry in found:
                        catalog.upsert(entry)

                staged = _stage_in_transaction(out_dir, catalog, channel, change)[1]
            try:
                fsync(fresh)
                # A journal left beside a damaged catalog must not be played back into the new one.
                Path(f"{target}-journal").unlink(missing_ok=True)
                os.replace(fresh, target)
            except OSError as exc:
                _drop(staged)
                raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
            _swap(out_dir, staged)
            # Of two versions of one episode the later won the scan: the other's folder goes.
            kept = {e.slug for e in found}
            for name in (journal or {}).get("retired", []):
                if name not in kept:
                    _discard(out_dir / name)
            _journal_path(out_dir).unlink(missing_ok=True)
        finally:
            for leftover in (fresh, Path(f"{fresh}-journal")):
                leftover.unlink(missing_ok=True)
    return newest_first(found)


def entries(out_dir: Path) -> list[Entry]:
    """Every episode in the catalog, the most recently converted first; none without a catalog."""
    path = Path(out_dir) / CATALOG_NAME
    if not path.exists():
        return []
    with Catalog(path, create=False) as catalog:
        return catalog.entries()


def new_links(out_dir: Path, links: Sequence[str]) -> tuple[str, ...]:
    """The article links that no episode in `out_dir` came from (as its source, or as the link the user
    gave that redirected to it), in their order."""
    done: set[str | None] = set()
    for entry in entries(out_dir) if Path(out_dir).exists() else []:
        done.add(entry.source)
        done.add(recorded(Path(out_dir) / entry.slug, "input"))
    return tuple(link for link in links if link not in done)


def feed_url(out_dir: Path, base_url: str | None = None) -> str:
    """The feed's address: under channel.toml's base_url if set, else `base_url`, else serve's default."""
    return url(_base(load_channel(Path(out_dir)), base_url), FEED_NAME)


def feed_for(out_dir: Path, base_url: str | None) -> bytes:
    """The feed with its URLs under channel.toml's base_url if set, else under `base_url` (the server's address);
    its podcast:guid the one fixed at the first publish, never one made from `base_url`."""
    channel = load_channel(Path(out_dir))
    if channel.guid is None:
        channel = dataclasses.replace(channel, guid=podcast_guid(url(folder_url(DEFAULT_BASE_URL), FEED_NAME)))
    return render_feed(entries(out_dir), channel, _base(channel, base_url))


def scan(out_dir: Path) -> list[Entry]:
    """The episodes of the folders in `out_dir` that hold an episode.json, one per guid (the latest conversion);
    drafts (made with --no-publish) left out."""
    by_guid: dict[str, Entry] = {}
    for folder in sorted(p for p in Path(out_dir).iterdir() if p.is_dir() and not p.name.startswith(".")):
        if not (folder / EPISODE_JSON).is_file() or is_draft(folder):
            continue
        try:
            entry = entry_from_folder(folder)
        except AudioEditionError:
            continue  # half a folder or a foreign one: not an episode to publish
        if entry.guid not in by_guid or entry.converted > by_guid[entry.guid].converted:
            by_guid[entry.guid] = entry
    return list(by_guid.values())


def _base(channel: Channel, base_url: str | None) -> str:
    return folder_url(channel.base_url or base_url or DEFAULT_BASE_URL)


def lock(out_dir: Path) -> contextlib.AbstractContextManager[None]:
    """The output folder's lock, for a reader that must see it whole (publish --to): no convert changes it meanwhile."""
    return _locked(Path(out_dir))


@contextmanager
def _locked(out_dir: Path, *, recover: bool = True) -> Iterator[None]:
    """The output folder's exclusive lock, held by one publishing process at a time; a change a
    killed process left in the journal is finished or undone first (unless `recover` is False)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = os.open(out_dir / LOCK_NAME, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _clean_leftovers(out_dir)
        if recover:
            _recover(out_dir)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _clean_leftovers(out_dir: Path) -> None:
    """Temporary files and half-removed folders of killed processes (only the lock holder makes them)."""
    try:
        for path in out_dir.glob(f"{_TEMP}*"):
            path.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only folder: the change itself will say so
    for path in out_dir.glob(f"{_TRASH}*"):
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _catalog(out_dir: Path) -> Iterator[Catalog]:
    """The output folder's catalog, open for writing (under the lock); a new one is made aside and renamed
    in, so that a kill while it is made never leaves an empty catalog.sqlite."""
    target = out_dir / CATALOG_NAME
    if not target.exists():
        fresh = _fresh_catalog_path(out_dir)
        try:
            Catalog(fresh).close()
            fsync(fresh)
            os.replace(fresh, target)
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        finally:
            fresh.unlink(missing_ok=True)
    with Catalog(target) as catalog:
        yield catalog


def _fresh_catalog_path(out_dir: Path) -> Path:
    """A free name for a catalog built aside (SQLite makes the file itself)."""
    try:
        handle, name = tempfile.mkstemp(prefix=_TEMP, suffix=".sqlite", dir=out_dir)
        os.close(handle)
        os.unlink(name)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    return Path(name)


JOURNAL_NAME = ".journal.json"
"""The change in progress, written before anything moves and removed when it is finished: what the next
lock holder reads to finish a committed change or undo one that was not."""


def _journal_path(out_dir: Path) -> Path:
    return out_dir / JOURNAL_NAME


def _write_journal(out_dir: Path, journal: dict[str, Any]) -> None:
    try:
        atomic_write(_journal_path(out_dir), json.dumps(journal, indent=1) + "\n", sync=True)
        fsync(out_dir)
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None


def _finish(out_dir: Path, journal: dict[str, Any], files: list[tuple[Path, Path]] | None, catalog: Catalog,
            channel: Channel) -> None:  # fmt: skip
    """After the commit: the published files (written aside, or made now from the catalog), then the
    old folders away, then the journal. A failure here leaves the journal: the next lock holder finishes."""
    if files is None:
        files = _stage(out_dir, catalog.entries(), channel)
    _swap(out_dir, files)
    faults.point("publish.swapped")
    listed = {e.slug for e in catalog.entries()}
    old = list(journal.get("retired", []))
    if journal["op"] == "remove":
        old.append(journal["final"])
    for name in old:
        if name and name not in listed:
            _discard(out_dir / name)
    faults.point("publish.done")
    _journal_path(out_dir).unlink(missing_ok=True)


def _roll_back(out_dir: Path, journal: dict[str, Any]) -> None:
    """Before the commit: the new version's folder back out, under its staging name."""
    final, staged = out_dir / journal["final"], out_dir / journal["staged"]
    with contextlib.suppress(FileNotFoundError):
        if final.stat().st_ino == journal["inode"]:
            os.replace(final, staged)
    fsync(out_dir)
    _journal_path(out_dir).unlink(missing_ok=True)


def _read_journal(out_dir: Path) -> dict[str, Any] | None:
    try:
        journal = json.loads(_journal_path(out_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise OutputError(f"{_journal_path(out_dir)} cannot be read ({exc}); remove it, then run "
                          "`audio-edition feed rebuild`") from None  # fmt: skip
    if not isinstance(journal, dict) or journal.get("op") not in ("add", "remove"):
        raise OutputError(f"{_journal_path(out_dir)} is not a publish journal; remove it, then run "
                          "`audio-edition feed rebuild`")  # fmt: skip
    return journal


def _roll_back_unless_installed(out_dir: Path, journal: dict[str, Any]) -> None:
    """For a rebuild, which has no catalog to ask: a new version in place stays (the later conversion
    wins the scan); one not yet moved in is removed."""
    final = out_dir / journal["final"]
    installed = final.exists() and final.stat().st_ino == journal["inode"]
    if not installed:
        shutil.rmtree(out_dir / journal["staged"], ignore_errors=True)


def _recover(out_dir: Path) -> None:
    """Finish or undo the change a killed or failed process left in the journal (under the lock).

    Committed is what the catalog says: for an add, it holds the episode's guid with the new
    conversion in its folder; for a remove, it no longer holds the guid.
    """
    journal = _read_journal(out_dir)
    if journal is None:
        return
    if not (out_dir / CATALOG_NAME).exists():
        if journal["op"] == "add":
            _roll_back(out_dir, journal)
            shutil.rmtree(out_dir / journal["staged"], ignore_errors=True)
        else:
            _journal_path(out_dir).unlink(missing_ok=True)  # no catalog: the next change starts from the folders
        return
    channel = load_channel(out_dir)
    with Catalog(out_dir / CATALOG_NAME) as catalog:
        held = {e.guid: e for e in catalog.entries()}
        if journal["op"] == "add":
            entry = held.get(journal["guid"])
            committed = entry is not None and entry.slug == journal["final"] and entry.converted == journal["converted"]
        else:
            committed = journal["guid"] not in held
        if committed:
            _finish(out_dir, journal, None, catalog, channel)
        elif journal["op"] == "add":
            _roll_back(out_dir, journal)
            shutil.rmtree(out_dir / journal["staged"], ignore_errors=True)  # its process is gone
        else:
            _journal_path(out_dir).unlink(missing_ok=True)


def _stage_in_transaction(
    out_dir: Path, catalog: Catalog, channel: Channel, change: Callable[[Catalog], T]
) -> tuple[T, list[tuple[Path, Path]]]:
    staged: list[tuple[Path, Path]] = []
    try:
        with catalog.transaction():
            result = change(catalog)
            staged = _stage(out_dir, catalog.entries(), channel)
            faults.point("publish.staged")
    except BaseException:
        _drop(staged)
        raise
    return result, staged


_WARNED: set[str] = set()


def _warn(line: str) -> None:
    """One warning line on stderr, once a process (a convert of many articles writes the feed many times)."""
    if line not in _WARNED:
        _WARNED.add(line)
        print(f"audio-edition: warning: {line}", file=sys.stderr)


def _feed_guid(out_dir: Path) -> str | None:
    """The podcast:guid of the feed.xml already in `out_dir` (a folder published before guids were kept)."""
    try:
        found = etree.parse(str(out_dir / FEED_NAME)).findtext(f"channel/{{{PODCAST}}}guid")
        return str(uuid.UUID(found.strip())) if found else None
    except (OSError, etree.XMLSyntaxError, ValueError):
        return None


def _stage(out_dir: Path, episodes: Sequence[Entry], channel: Channel) -> list[tuple[Path, Path]]:
    """Write the new published files to temporary files: [(temporary, target)], in the order to rename them."""
    from audio_edition.publish.page import render_page  # noqa: PLC0415 - the page is the last stage; import on use

    base = _base(channel, None)
    cover = cover_name(channel)
    contents: list[tuple[str, bytes]] = []
    if not (out_dir / CONFIG_NAME).exists():
        contents.append((CONFIG_NAME, default_config().encode()))
    if channel.guid is None:
        # The first publish fixes the show's identity: from here on it never follows the address.
        guid = _feed_guid(out_dir) or podcast_guid(url(base, FEED_NAME))
        contents.append((GUID_NAME, f"{guid}\n".encode()))
        channel = dataclasses.replace(channel, guid=guid)
    art = cover_bytes(channel)
    if _read(out_dir / cover) != art:
        contents.append((cover, art))
    for line in feed_warnings(channel):
        _warn(line)
    page_feed = url(base, FEED_NAME) if channel.base_url else FEED_NAME
    contents.append((PAGE_NAME, render_page(out_dir, episodes, channel, page_feed, cover=cover).encode()))
    contents.append((FEED_NAME, render_feed(episodes, channel, base)))
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in contents:
            staged.append((write_temp(out_dir / name, data, prefix=f"{_TEMP}{name}.", sync=True), out_dir / name))
    except OSError as exc:
        _drop(staged)
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    return staged


def _swap(out_dir: Path, staged: list[tuple[Path, Path]]) -> None:
    try:
        for n, (temp, target) in enumerate(staged):
            os.replace(temp, target)
            if n == len(staged) - 2:
                faults.point("publish.swapping")
        cover = next((t.name for _, t in staged if t.name.startswith(COVER_STEM)), None)
        for other in (f"{COVER_STEM}.jpg", f"{COVER_STEM}.png"):
            if cover and other != cover:
                (out_dir / other).unlink(missing_ok=True)
        fsync(out_dir)
    except OSError as exc:
        _drop(staged)
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None


def _drop(staged: list[tuple[Path, Path]]) -> None:
    for temp, _ in staged:
        temp.unlink(missing_ok=True)


def _discard(folder: Path) -> None:
    """Remove an episode folder: renamed away first, so no half-deleted episode folder is ever seen."""
    if not folder.is_dir():
        return
    trash = folder.with_name(f"{_TRASH}{folder.name}-{os.getpid()}")
    try:
        os.replace(folder, trash)
    except OSError as exc:
        raise OutputError(f"cannot remove {folder}: {exc.strerror or exc}") from None
    shutil.rmtree(trash, ignore_errors=True)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
