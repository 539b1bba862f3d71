"""The catalog: entries read from real episode folders, upserts by guid, damaged files, read back with sqlite3."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3

import pytest

from audio_edition.episode import entry_from_folder
from audio_edition.errors import InputError, OutputError
from audio_edition.publish.catalog import CATALOG_NAME, Catalog, CorruptCatalogError
from tests.conftest import ffprobe
from tests.fixtures.publish.support import convert_articles, variant


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Two real episodes from the pipeline, converted once for this module."""
    return convert_articles(tmp_path_factory.mktemp("made"), "awkward", "ferry")


@pytest.fixture
def out(tmp_path, made):
    """An output folder holding copies of the real episodes."""
    for folder in made.values():
        shutil.copytree(folder, tmp_path / folder.name)
    return tmp_path


def test_entry_from_a_real_episode_folder(made):
    folder = made["awkward"]
    record = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
    entry = entry_from_folder(folder)
    assert entry.guid == record["guid"] and entry.slug == folder.name
    assert entry.title == "Fish & Chips <Live>: \"Salt\", 'Vinegar' & the 🐟 that got away"
    assert entry.published == "2026-06-18T14:05"
    assert {kind for kind, _ in entry.files} == {
        "mp3",
        "vtt",
        "srt",
        "chapters_json",
        "transcript",
        "cover",
        "words_vtt",
    }
    for kind, path in entry.files:
        assert path.startswith(folder.name + "/")
        assert entry.size(kind) == os.path.getsize(folder.parent / path) > 0
    duration = float(ffprobe(folder.parent / entry.file("mp3"), "-show_format")["format"]["duration"])
    assert abs(entry.duration_s - duration) < 0.06  # ffprobe counts the encoder's padding too
    # Chapters as the JSON chapters file (read independently) has them.
    chapters = json.loads((folder.parent / entry.file("chapters_json")).read_text(encoding="utf-8"))["chapters"]
    assert [(c.title, round(c.start_s, 3)) for c in entry.chapters] == [
        (c["title"], round(c["startTime"], 3)) for c in chapters
    ]
    assert len(entry.chapters) == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: (f / "episode.json").unlink(), "has no episode.json"),
        (lambda f: (f / "episode.json").write_text("{not json"), "cannot be read"),
        (lambda f: (f / "episode.json").write_text("[1, 2]"), "is not an episode record"),
        (lambda f: next(f.glob("*.mp3")).unlink(), "(mp3) cannot be read: No such file"),
        (lambda f: _edit(f, mp3="../../etc/passwd"), "must be a file name in the episode folder"),
        (lambda f: _edit(f, guid=None), "'guid' is missing or malformed"),
        (lambda f: _edit(f, chapters=[{"title": "x"}]), "malformed chapter"),
    ],
)
def test_broken_episode_folders_are_refused(out, made, change, expected):
    folder = out / made["ferry"].name
    change(folder)
    with pytest.raises(InputError) as caught:
        entry_from_folder(folder)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def _edit(folder, **changes):
    path = folder / "episode.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | changes))


def test_round_trip_and_raw_tables(out, made):
    entries = [entry_from_folder(out / f.name) for f in made.values()]
    with Catalog(out / CATALOG_NAME) as catalog, catalog.transaction():
        for entry in entries:
            assert catalog.upsert(entry) == []
    with Catalog(out / CATALOG_NAME) as catalog:
        assert sorted(catalog.entries(), key=lambda e: e.guid) == sorted(entries, key=lambda e: e.guid)
    # Read back with plain sqlite3: what a user querying the file sees.
    db = sqlite3.connect(out / CATALOG_NAME)
    rows = dict(db.execute("SELECT guid, title FROM episodes"))
    assert rows == {e.guid: e.title for e in entries}
    mp3 = dict(db.execute("SELECT guid, bytes FROM files WHERE kind = 'mp3'"))
    assert mp3 == {e.guid: os.path.getsize(out / e.file("mp3")) for e in entries}
    titles = [r[0] for r in db.execute("SELECT title FROM chapters ORDER BY guid, position")]
    assert "A Saturday by the water" in titles
    db.close()


def test_upsert_by_guid_reports_the_folder_it_replaces(out, made):
    entry = entry_from_folder(out / made["ferry"].name)
    with Catalog(out / CATALOG_NAME) as catalog:
        with catalog.transaction():
            catalog.upsert(entry)
        # Re-converted under a new title: same guid, new folder.
        renamed = dataclasses.replace(entry, slug="ferry-new-title", title="The ferry, renamed")
        with catalog.transaction():
            assert catalog.upsert(renamed) == [entry]
        assert catalog.entries() == [renamed]
        # Another article whose folder name clashes replaces it (its folder was overwritten).
        other = dataclasses.replace(renamed, guid="0" * 8 + renamed.guid[8:])
        with catalog.transaction():
            assert catalog.upsert(other) == []
        assert catalog.entries() == [other]


def test_transaction_rolls_back_on_error(out, made):
    entry = entry_from_folder(out / made["ferry"].name)
    with Catalog(out / CATALOG_NAME) as catalog:
        with pytest.raises(RuntimeError), catalog.transaction():
            catalog.upsert(entry)
            raise RuntimeError("boom")
        assert catalog.entries() == []


def test_find_by_guid_prefix_and_slug(out, made):
    base = entry_from_folder(out / made["ferry"].name)
    a = dataclasses.replace(base, guid="abcd1111-0000-5000-8000-000000000000", slug="a")
    b = dataclasses.replace(base, guid="abcd2222-0000-5000-8000-000000000000", slug="b")
    with Catalog(out / CATALOG_NAME) as catalog:
        with catalog.transaction():
            catalog.upsert(a)
            catalog.upsert(b)
        assert catalog.find(a.guid) == a
        assert catalog.find("abcd2") == b
        assert catalog.find("a") == a  # a slug; too short to be a guid prefix
        with pytest.raises(InputError, match="matches several episodes"):
            catalog.find("abcd")
        with pytest.raises(InputError, match="no episode 'zzzz'"):
            catalog.find("zzzz")


def test_garbage_file_is_a_corrupt_catalog(tmp_path):
    (tmp_path / CATALOG_NAME).write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(CorruptCatalogError) as caught:
        Catalog(tmp_path / CATALOG_NAME).entries()
    assert "audio-edition feed rebuild" in str(caught.value)
    assert isinstance(caught.value, OutputError)


def test_foreign_database_is_refused(tmp_path):
    db = sqlite3.connect(tmp_path / CATALOG_NAME)
    db.execute("CREATE TABLE songs (name TEXT)")
    db.commit()
    db.close()
    with pytest.raises(CorruptCatalogError, match="is not an audio-edition catalog"):
        Catalog(tmp_path / CATALOG_NAME)


def test_damaged_pages_are_found(out, made):
    entries = [entry_from_folder(out / f.name) for f in made.values()]
    with Catalog(out / CATALOG_NAME) as catalog, catalog.transaction():
        for entry in entries:
            catalog.upsert(entry)
    path = out / CATALOG_NAME
    data = bytearray(path.read_bytes())
    for page in range(1, len(data) // 4096):  # every page but the header page
        data[page * 4096 + 8 : page * 4096 + 600] = os.urandom(592)
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptCatalogError, match="feed rebuild"), Catalog(path) as catalog:
        catalog.check()
        catalog.entries()


def test_missing_catalog_is_not_created_by_readers(tmp_path):
    with pytest.raises(OutputError):
        Catalog(tmp_path / CATALOG_NAME, create=False)
    assert not (tmp_path / CATALOG_NAME).exists()


def test_variant_helper_makes_distinct_entries(tmp_path, made):
    copy = variant(made["ferry"], tmp_path, "ferry-two", title="Second crossing")
    entry = entry_from_folder(copy)
    assert entry.slug == "ferry-two" and entry.title == "Second crossing"
    assert entry.guid != entry_from_folder(made["ferry"]).guid
    assert entry.file("mp3") == "ferry-two/ferry-two.mp3"
