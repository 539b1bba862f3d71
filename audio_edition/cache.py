"""A content-addressed cache of mastered sentence audio.

Key: the spoken text, the engine's identity (engine, its version, voice and
every setting that changes its audio) and the mastering settings. An entry
is the mastered clip (16-bit mono at 44.1 kHz) behind a small header holding
its length and SHA-256, so a truncated or corrupt entry is detected, deleted
and rendered again, never used. Size is bounded: the least recently used
entries go first. A cache that cannot be written (full disk, read-only
folder) turns itself off with one warning; the convert goes on without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from audio_edition.folder import atomic_write

MAGIC = b"AEC1"
_HEADER = struct.Struct("<4sQ32s")  # magic, payload length, sha256 of payload
DEFAULT_MAX_BYTES = 512 * 1024 * 1024


def default_dir() -> Path:
    """--cache-dir, else $AUDIO_EDITION_CACHE_DIR, else the user cache folder."""
    env = os.environ.get("AUDIO_EDITION_CACHE_DIR")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "audio-edition"


_WARNED: set[Path] = set()  # cache folders already reported unusable in this process


@lru_cache(maxsize=1)
def package_digest() -> str:
    """A hash of this package's code and data (the line model's weights too): what was made by other code is not reused."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".tsv", ".txt", ".npz") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class CacheInfo:
    folder: Path
    entries: int
    bytes: int
    max_bytes: int


class SentenceCache:
    """Clips on disk under `folder/ab/abcdef...`, one file per key."""

    def __init__(self, folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.enabled = True
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(*parts: str) -> str:
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str, count: bool = True) -> bytes | None:
        """The clip stored under `key`, or None (absent, truncated or corrupt: then removed).

        `count=False` leaves `hits` and `misses` alone (for entries that are not sentences)."""
        if not self.enabled:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += count
            return None
        if len(data) >= _HEADER.size:
            magic, length, digest = _HEADER.unpack_from(data)
            payload = data[_HEADER.size :]
            if magic == MAGIC and length == len(payload) and hashlib.sha256(payload).digest() == digest:
                with contextlib.suppress(OSError):
                    os.utime(path)  # most recently used
                self.hits += count
                return payload
        path.unlink(missing_ok=True)  # damaged: render again
        self.misses += count
        return None

    def put(self, key: str, payload: bytes) -> None:
        """Store `payload` atomically; on any write failure, warn once and stop caching."""
        if not self.enabled:
            return
        path = self._path(key)
        data = _HEADER.pack(MAGIC, len(payload), hashlib.sha256(payload).digest()) + payload
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data, prefix=".tmp-", mode=None)
        except OSError as exc:
            self.enabled = False
            if self.folder in _WARNED:  # another SentenceCache on this folder has said so already
                return
            _WARNED.add(self.folder)
            print(
                f"audio-edition: warning: sentence cache off ({self.folder}: {exc.strerror or exc})",
                file=sys.stderr,
            )

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [p for p in self.folder.glob("??/*") if p.is_file() and not p.name.startswith(".tmp-")]

    def evict(self) -> int:
        """Remove least recently used entries until the cache fits; returns how many went."""
        files = []
        for path in self._files():
            try:
                stat = path.stat()
            except OSError:
                continue
            files.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in files)
        removed = 0
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed

    def info(self) -> CacheInfo:
        files = self._files()
        return CacheInfo(self.folder, len(files), sum(p.stat().st_size for p in files), self.max_bytes)

    def clear(self) -> int:
        """Remove every entry; returns how many."""
        files = self._files()
        for path in files:
            path.unlink(missing_ok=True)
        return len(files)
