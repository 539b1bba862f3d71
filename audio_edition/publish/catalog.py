"""The episode catalog: `catalog.sqlite` in the output folder, one row per episode.

An episode is known by its guid, which stays the same when its article is
converted again; its folder (the slug) may change with the title. Tables:

    episodes  guid, slug, title, author, source, description, published,
              converted, duration_s, voice, language, spoken_sha256
    files     guid, kind (mp3, vtt, srt, chapters_json, transcript, cover),
              path (relative to the output folder), bytes
    chapters  guid, position, title, start_s, end_s, image

The catalog is a plain SQLite file (`sqlite3 out/catalog.sqlite`); its
transactions keep it whole when a process is killed. Writers are serialised by
the publish step's lock; readers need none. When it is lost or damaged,
`audio-edition feed rebuild` makes it again from the episode folders, whose
`episode.json` holds everything the catalog does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from audio_edition.episode import KINDS
from audio_edition.errors import InputError, OutputError
from audio_edition.model import Chapter, Entry

CATALOG_NAME = "catalog.sqlite"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE episodes (
    guid TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    author TEXT,
    source TEXT,
    description TEXT NOT NULL,
    published TEXT,
    converted TEXT NOT NULL,
    duration_s REAL NOT NULL,
    voice TEXT NOT NULL,
    language TEXT NOT NULL,
    spoken_sha256 TEXT NOT NULL
) STRICT;
CREATE TABLE files (
    guid TEXT NOT NULL REFERENCES episodes(guid) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (guid, kind)
) STRICT;
CREATE TABLE chapters (
    guid TEXT NOT NULL REFERENCES episodes(guid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    start_s REAL NOT NULL,
    end_s REAL NOT NULL,
    image TEXT,
    PRIMARY KEY (guid, position)
) STRICT;
"""
_EPISODE_COLUMNS = (
    "guid",
    "slug",
    "title",
    "author",
    "source",
    "description",
    "published",
    "converted",
    "duration_s",
    "voice",
    "language",
    "spoken_sha256",
)
_REBUILD_HINT = "run `audio-edition feed rebuild` to rebuild it from the episode folders"


class CorruptCatalogError(OutputError):
    """The catalog file is damaged or is not an audio-edition catalog."""


class Catalog:
    """An open catalog. Reads anywhere; writes inside `transaction()`."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = Path(path)
        try:
            empty = self.path.stat().st_size == 0
        except OSError:
            empty = False  # missing: made below (create) or refused by SQLite
        if empty:
            # Ours are never empty (a new catalog is built aside and renamed in): a truncated file lost its
            # episodes, and taking it for a new catalog would drop them from the feed.
            raise CorruptCatalogError(f"{self.path} is empty (0 bytes); {_REBUILD_HINT}")
        uri = f"{self.path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
        with _errors(self.path):
            self._db = sqlite3.connect(uri, uri=True, timeout=60, isolation_level=None)
        try:
            with _errors(self.path):
                self._db.execute("PRAGMA foreign_keys = ON")
                self._db.execute("PRAGMA synchronous = FULL")
                self._check_or_create(create)
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_or_create(self, create: bool) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == SCHEMA_VERSION and tables >= {"episodes", "files", "chapters"}:
            return
        if version == 0 and not tables and create:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                # Another writer may have made it while this one waited for the lock.
                if not self._db.execute("SELECT 1 FROM sqlite_master").fetchone():
                    # Statement by statement: executescript() would commit the open transaction first.
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            return
        if version > SCHEMA_VERSION:
            raise OutputError(
                f"{self.path} was made by a newer audio-edition (catalog schema {version}); "
                "upgrade audio-edition to publish into this folder"
            )
        raise CorruptCatalogError(
            f"{self.path} is not an audio-edition catalog (schema {version}, tables {sorted(tables)}); {_REBUILD_HINT}"
        )

    def check(self) -> None:
        """Raise `CorruptCatalogError` unless SQLite finds the file intact."""
        with _errors(self.path):
            result = self._db.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            first = str(result[0][0]).splitlines()[0] if result and result[0][0] else "quick_check failed"
            raise CorruptCatalogError(f"{self.path} is damaged ({first}); {_REBUILD_HINT}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic change: committed when the block ends, rolled back if it raises."""
        with _errors(self.path):
            self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            with _errors(self.path):
                self._db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite plays the journal back when the file is next opened

    def entries(self) -> list[Entry]:
        """Every episode, the most recently converted first."""
        with _errors(self.path):
            if not self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'episodes'").fetchone():
                return []
            rows = self._db.execute(
                f"SELECT {', '.join(_EPISODE_COLUMNS)} FROM episodes ORDER BY converted DESC, guid"
            ).fetchall()
            files: dict[str, list[tuple[str, str, int]]] = {}
            for guid, kind, path, size in self._db.execute("SELECT guid, kind, path, bytes FROM files"):
                files.setdefault(guid, []).append((kind, path, size))
            chapters: dict[str, list[Chapter]] = {}
            for guid, title, start, end, image in self._db.execute(
                "SELECT guid, title, start_s, end_s, image FROM chapters ORDER BY guid, position"
            ):
                chapters.setdefault(guid, []).append(Chapter(title=title, start_s=start, end_s=end, image=image))
        out = []
        for row in rows:
            record = dict(zip(_EPISODE_COLUMNS, row, strict=True))
            have = sorted(files.get(record["guid"], []), key=lambda f: KINDS.index(f[0]) if f[0] in KINDS else 99)
            out.append(
                Entry(
                    **record,
                    files=tuple((k, p) for k, p, _ in have),
                    sizes=tuple((k, s) for k, _, s in have),
                    chapters=tuple(chapters.get(record["guid"], [])),
                )
            )
        return out

    def upsert(self, entry: Entry) -> list[Entry]:
        """Record `entry`, replacing the episode with its guid and any other episode in its folder.

        Returns the entries it replaced whose folder was a different one than
        `entry.slug` (an episode re-converted under a new title): their old
        folders are the caller's to remove.
        """
        displaced = [
            old
            for old in self.entries()
            if (old.guid == entry.guid or old.slug == entry.slug) and old.slug != entry.slug
        ]
        with _errors(self.path):
            self._db.execute("DELETE FROM episodes WHERE guid = ? OR slug = ?", (entry.guid, entry.slug))
            values = [getattr(entry, name) for name in _EPISODE_COLUMNS]
            self._db.execute(
                f"INSERT INTO episodes ({', '.join(_EPISODE_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_EPISODE_COLUMNS))})",
                values,
            )
            sizes = dict(entry.sizes)
            self._db.executemany(
                "INSERT INTO files (guid, kind, path, bytes) VALUES (?, ?, ?, ?)",
                [(entry.guid, kind, path, sizes[kind]) for kind, path in entry.files],
            )
            self._db.executemany(
                "INSERT INTO chapters (guid, position, title, start_s, end_s, image) VALUES (?, ?, ?, ?, ?, ?)",
                [(entry.guid, i, c.title, c.start_s, c.end_s, c.image) for i, c in enumerate(entry.chapters)],
            )
        return displaced

    def delete(self, guid: str) -> None:
        with _errors(self.path):
            self._db.execute("DELETE FROM episodes WHERE guid = ?", (guid,))

    def find(self, ident: str) -> Entry:
        """The episode named by its guid, the start of its guid (4 characters or more) or its slug."""
        ident = ident.strip()
        episodes = self.entries()
        for match in (
            [e for e in episodes if e.guid == ident],
            [e for e in episodes if e.slug == ident],
            [e for e in episodes if len(ident) >= 4 and e.guid.startswith(ident.lower())],
        ):
            if len(match) == 1:
                return match[0]
            if len(match) > 1:
                names = ", ".join(f"{e.guid[:8]} ({e.slug})" for e in match)
                raise InputError(f"{ident!r} matches several episodes: {names}; give more of the guid")
        raise InputError(f"no episode {ident!r} in {self.path}")


# SQLite's primary result codes (https://sqlite.org/rescode.html); the sqlite3 module names them from Python 3.11.
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 8, 10, 11, 14, 26


@contextmanager
def _errors(path: Path) -> Iterator[None]:
    """SQLite's errors as ours: damage -> CorruptCatalogError, anything else -> OutputError."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or (
            code is None and not isinstance(exc, sqlite3.OperationalError)
        ):
            raise CorruptCatalogError(f"{path} is damaged ({exc}); {_REBUILD_HINT}") from None
        hint = ""
        if code is not None and code & 0xFF == _SQLITE_IOERR:
            hint = " (is the disk full?)"
        elif code is not None and code & 0xFF in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            hint = " (is the folder read-only?)"
        raise OutputError(f"cannot update the catalog {path}: {exc}{hint}") from None
