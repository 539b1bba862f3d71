"""The sentence cache: keys, integrity, eviction, failure to write."""

from __future__ import annotations

import os
import time

from audio_edition.cache import SentenceCache, default_dir


def test_round_trip_and_key_depends_on_every_part(tmp_path):
    cache = SentenceCache(tmp_path)
    key = SentenceCache.key("engine 1", "master 1", "Hello.")
    assert key != SentenceCache.key("engine 2", "master 1", "Hello.")
    assert key != SentenceCache.key("engine 1", "master 1", "Hello!")
    assert cache.get(key) is None
    cache.put(key, b"\x01\x02" * 100)
    assert cache.get(key) == b"\x01\x02" * 100
    assert (cache.hits, cache.misses) == (1, 1)


def test_truncated_or_corrupt_entries_are_never_used(tmp_path):
    cache = SentenceCache(tmp_path)
    for damage in ("truncate", "flip"):
        key = SentenceCache.key(damage)
        cache.put(key, bytes(range(256)) * 10)
        path = tmp_path / key[:2] / key
        data = bytearray(path.read_bytes())
        if damage == "truncate":
            data = data[:-100]
        else:
            data[-1] ^= 0xFF
        path.write_bytes(bytes(data))
        assert cache.get(key) is None
        assert not path.exists()


def test_least_recently_used_entries_go_first(tmp_path):
    cache = SentenceCache(tmp_path, max_bytes=3 * 1100)
    keys = [SentenceCache.key(str(i)) for i in range(5)]
    for i, key in enumerate(keys):
        cache.put(key, bytes(1000))
        os.utime(tmp_path / key[:2] / key, (time.time() - 100 + i, time.time() - 100 + i))
    cache.get(keys[0])  # used now: kept
    assert cache.evict() == 2
    assert [cache.get(k) is not None for k in keys] == [True, False, False, True, True]
    assert cache.info().entries == 3


def test_unwritable_cache_warns_once_and_turns_itself_off(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = SentenceCache(blocker / "cache")
    cache.put(SentenceCache.key("a"), b"x")
    cache.put(SentenceCache.key("b"), b"x")
    err = capsys.readouterr().err
    assert err.count("warning: sentence cache off") == 1
    assert not cache.enabled and cache.get(SentenceCache.key("a")) is None


def test_clear_and_default_location(tmp_path, monkeypatch):
    cache = SentenceCache(tmp_path)
    for i in range(3):
        cache.put(SentenceCache.key(str(i)), b"x")
    assert cache.clear() == 3 and cache.info().entries == 0
    monkeypatch.setenv("AUDIO_EDITION_CACHE_DIR", str(tmp_path / "env"))
    assert default_dir() == tmp_path / "env"
    monkeypatch.delenv("AUDIO_EDITION_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_dir() == tmp_path / "xdg" / "audio-edition"
