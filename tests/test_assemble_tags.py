"""Tests of audio_edition.assemble.tags on a real MP3, read back with mutagen and ffprobe."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from mutagen.id3 import CHAP, ID3, TIT2, CTOCFlags
from PIL import Image

from audio_edition.assemble.tags import TagInfo, write_tags
from audio_edition.errors import AssembleError
from audio_edition.model import Chapter

pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="needs ffmpeg and ffprobe",
)

TITLES = [
    "Intro",
    "A very long chapter title that goes on and on about the river and the town",
    "Short",
    "Émeutes à Marseille : ce que l’on sait",
    "x",
    "日本語の章タイトル",
    "Chapter with emoji 🎙️👩🏽‍💻",
    "עברית: פרק שבע",
    "Средний заголовок",
    "العنوان العربي الطويل نسبيا للفصل",
    "Ok",
    "The end, with a medium-length title",
]


@pytest.fixture(scope="module")
def silent_mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "source.mp3"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=20",
            "-ac",
            "1",
            "-ar",
            "44100",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "64k",
            str(path),
        ],
        check=True,
    )
    return path


@pytest.fixture
def mp3(silent_mp3: Path, tmp_path: Path) -> Path:
    path = tmp_path / "episode.mp3"
    shutil.copyfile(silent_mp3, path)
    return path


@pytest.fixture(scope="module")
def cover() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def chapters(titles: list[str], length_s: float = 1.6667) -> list[Chapter]:
    return [Chapter(t, round(i * length_s, 4), round((i + 1) * length_s, 4)) for i, t in enumerate(titles)]


def info(cover: bytes, chapter_list: list[Chapter], **changes: object) -> TagInfo:
    fields: dict[str, object] = dict(
        title="Rivers rise — 川 🌊",
        author="Ana Díaz",
        album="The Daily Example",
        published=datetime(2024, 3, 5, 14, 0),
        has_time=True,
        language="eng",
        comment="Read by a synthetic voice.",
        transcript="Rivers rise\n\nThe water came.",
        source_url="https://news.example/rivers",
        cover_jpeg=cover,
        chapters=chapter_list,
    )
    fields.update(changes)
    return TagInfo(**fields)  # type: ignore[arg-type]


def ffprobe(path: Path, *what: str) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", *what, "-of", "json", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def ffprobe_chapters(path: Path) -> list[tuple[int, int, str]]:
    found = ffprobe(path, "-show_chapters")["chapters"]
    return [
        (round(float(c["start_time"]) * 1000), round(float(c["end_time"]) * 1000), c["tags"]["title"]) for c in found
    ]


def tag_length(data: bytes) -> int:
    """Bytes taken by the ID3v2 tag opening `data` (header included), 0 without one."""
    if not data.startswith(b"ID3"):
        return 0
    size = 0
    for byte in data[6:10]:
        size = size << 7 | byte & 0x7F
    return 10 + size


def expected(chapter_list: list[Chapter]) -> list[tuple[int, int, str]]:
    return [(round(c.start_s * 1000), round(c.end_s * 1000), c.title) for c in chapter_list]


def test_mutagen_alone_scrambles_chapters(mp3: Path) -> None:
    """The problem write_tags solves: a plain mutagen save sorts CHAP frames by size."""
    tags = ID3()
    for i, c in enumerate(chapters(TITLES)):
        tags.add(
            CHAP(
                element_id=f"ch{i}",
                start_time=round(c.start_s * 1000),
                end_time=round(c.end_s * 1000),
                sub_frames=[TIT2(encoding=1, text=[c.title])],
            )
        )
    tags.save(mp3, v2_version=3)
    listed = ffprobe_chapters(mp3)
    assert sorted(listed) == expected(chapters(TITLES))
    assert listed != expected(chapters(TITLES))


def test_tags_read_back_with_mutagen(mp3: Path, cover: bytes) -> None:
    write_tags(mp3, info(cover, chapters(TITLES)))
    tags = ID3(mp3, translate=False)
    assert tags.version == (2, 3, 0)
    assert tags["TIT2"].text == ["Rivers rise — 川 🌊"]
    assert tags["TPE1"].text == ["Ana Díaz"]
    assert tags["TALB"].text == ["The Daily Example"]
    assert tags["TYER"].text == ["2024"]
    assert tags["TDAT"].text == ["0503"]
    assert tags["TIME"].text == ["1400"]
    assert "TDRC" not in tags
    assert tags["TLAN"].text == ["eng"]
    (comm,) = tags.getall("COMM")
    assert (comm.lang, comm.desc, comm.text) == ("eng", "", ["Read by a synthetic voice."])
    (uslt,) = tags.getall("USLT")
    assert (uslt.lang, uslt.desc, uslt.text) == ("eng", "", "Rivers rise\n\nThe water came.")
    assert tags["WOAS"].url == "https://news.example/rivers"
    (apic,) = tags.getall("APIC")
    assert (apic.mime, apic.type, apic.data) == ("image/jpeg", 3, cover)

    (toc,) = tags.getall("CTOC")
    assert toc.element_id == "toc"
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == [f"ch{i}" for i in range(len(TITLES))]
    assert toc.sub_frames["TIT2"].text == ["Chapters"]
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    for i, (start, end, title) in enumerate(expected(chapters(TITLES))):
        chap = chaps[f"ch{i}"]
        assert (chap.start_time, chap.end_time, chap.sub_frames["TIT2"].text) == (start, end, [title])
        assert (chap.start_offset, chap.end_offset) == (0xFFFFFFFF, 0xFFFFFFFF)


def test_ffprobe_lists_chapters_in_order(mp3: Path, cover: bytes) -> None:
    chapter_list = chapters(TITLES)
    write_tags(mp3, info(cover, chapter_list))
    assert ffprobe_chapters(mp3) == expected(chapter_list)
    found = ffprobe(mp3, "-show_chapters")["chapters"]
    for c, want in zip(found, chapter_list):
        assert abs(float(c["start_time"]) - want.start_s) <= 0.001
        assert abs(float(c["end_time"]) - want.end_s) <= 0.001
    fmt = ffprobe(mp3, "-show_format")["format"]["tags"]
    assert fmt["title"] == "Rivers rise — 川 🌊"
    assert fmt["artist"] == "Ana Díaz"
    assert fmt["album"] == "The Daily Example"
    assert float(ffprobe(mp3, "-show_format")["format"]["duration"]) == pytest.approx(20, abs=0.2)


def test_chapter_frames_are_stored_in_time_order(mp3: Path, cover: bytes) -> None:
    """Look at the raw frame sequence, independently of any reader."""
    write_tags(mp3, info(cover, chapters(TITLES)))
    data = mp3.read_bytes()
    end = tag_length(data)
    pos, order = 10, []
    while pos < end and data[pos] != 0:
        frame_size = int.from_bytes(data[pos + 4 : pos + 8], "big")
        if data[pos : pos + 4] in (b"CHAP", b"CTOC"):
            order.append(data[pos + 10 : pos + 20].split(b"\0")[0].decode())
        pos += 10 + frame_size
    assert order == ["toc"] + [f"ch{i}" for i in range(len(TITLES))]
    assert not data[pos:end].strip(b"\0")


def test_tag_size_and_audio_are_untouched_by_the_reorder(mp3: Path, cover: bytes, silent_mp3: Path) -> None:
    """The reorder moves frames only: same tag size as mutagen's own save, same audio."""
    write_tags(mp3, info(cover, chapters(TITLES)))
    ours = mp3.read_bytes()
    ID3(mp3, translate=False).save(mp3, v2_version=3)  # mutagen's own frame order
    theirs = mp3.read_bytes()
    end = tag_length(ours)
    assert ours[:10] == theirs[:10] and len(ours) == len(theirs)
    assert ours[:end] != theirs[:end]
    assert sorted(ours[:end]) == sorted(theirs[:end])
    audio = silent_mp3.read_bytes()
    assert ours[end:] == audio[tag_length(audio) :]


def test_optional_frames_left_out(mp3: Path) -> None:
    write_tags(mp3, TagInfo(title="T", author=None, album="A", published=datetime(2024, 1, 2), has_time=False))
    tags = ID3(mp3, translate=False)
    assert {"TYER", "TDAT"} <= set(tags.keys())
    for absent in ("TPE1", "TIME", "WOAS", "CTOC", "COMM", "USLT", "APIC"):
        assert not tags.getall(absent), absent
    assert tags["TDAT"].text == ["0201"]
    assert ffprobe(mp3, "-show_chapters")["chapters"] == []


def test_replaces_an_existing_tag(mp3: Path, cover: bytes) -> None:
    write_tags(mp3, info(cover, chapters(TITLES)))
    write_tags(mp3, info(cover, chapters(["one", "two"], 5), title="Second"))
    tags = ID3(mp3)
    assert tags["TIT2"].text == ["Second"]
    assert len(tags.getall("CHAP")) == 2
    assert ffprobe_chapters(mp3) == [(0, 5000, "one"), (5000, 10000, "two")]


def test_600_chapters_use_a_two_level_toc(mp3: Path, cover: bytes) -> None:
    titles = [f"Sentence {i}" + " word" * (i % 17) for i in range(600)]
    chapter_list = chapters(titles, length_s=0.033)
    write_tags(mp3, info(cover, chapter_list))

    tags = ID3(mp3)
    tocs = {f.element_id: f for f in tags.getall("CTOC")}
    top = [t for t in tocs.values() if t.flags & CTOCFlags.TOP_LEVEL]
    assert len(top) == 1 and top[0].element_id == "toc"
    assert top[0].flags & CTOCFlags.ORDERED
    assert top[0].child_element_ids == ["toc0", "toc1", "toc2"]
    covered: list[str] = []
    for child_id, title in zip(top[0].child_element_ids, ["Chapters 1–255", "Chapters 256–510", "Chapters 511–600"]):
        child = tocs[child_id]
        assert child.flags == CTOCFlags.ORDERED
        assert len(child.child_element_ids) <= 255
        assert child.sub_frames["TIT2"].text == [title]
        covered.extend(child.child_element_ids)
    chaps = {f.element_id: f for f in tags.getall("CHAP")}
    assert covered == [f"ch{i}" for i in range(600)]
    assert set(covered) == set(chaps)
    starts = [chaps[c].start_time for c in covered]
    assert starts == sorted(starts)

    assert ffprobe_chapters(mp3) == expected(chapter_list)


def test_too_many_chapters_is_refused(mp3: Path) -> None:
    before = mp3.read_bytes()
    many = [Chapter("c", i / 1000, (i + 1) / 1000) for i in range(255 * 255 + 1)]
    with pytest.raises(AssembleError, match="too many chapters"):
        write_tags(mp3, TagInfo("T", None, "A", None, chapters=many))
    assert mp3.read_bytes() == before


@pytest.mark.parametrize(
    "bad",
    [
        dict(language="en"),
        dict(cover_jpeg=b"\x89PNG\r\n"),
        dict(chapters=[Chapter("b", 5, 6), Chapter("a", 1, 2)]),
        dict(chapters=[Chapter("a", 2, 1)]),
    ],
)
def test_invalid_input_raises_assemble_error(mp3: Path, cover: bytes, bad: dict) -> None:
    with pytest.raises(AssembleError) as caught:
        write_tags(mp3, info(cover, [], **bad))
    assert "\n" not in str(caught.value)


def test_unwritable_target_raises_assemble_error(tmp_path: Path, cover: bytes) -> None:
    with pytest.raises(AssembleError, match="not an existing file"):
        write_tags(tmp_path / "missing.mp3", info(cover, []))
    assert not (tmp_path / "missing.mp3").exists()
    not_mp3 = tmp_path / "dir.mp3"
    not_mp3.mkdir()
    with pytest.raises(AssembleError, match="not an existing file"):
        write_tags(not_mp3, info(cover, []))


@pytest.mark.parametrize("count, children", [(255, 255), (256, 2)])
def test_toc_switches_to_two_levels_past_255(mp3: Path, count: int, children: int) -> None:
    write_tags(mp3, TagInfo("T", None, "A", None, chapters=chapters([f"c{i}" for i in range(count)], 0.05)))
    tags = ID3(mp3)
    (top,) = [t for t in tags.getall("CTOC") if t.flags & CTOCFlags.TOP_LEVEL]
    assert len(top.child_element_ids) == children
    assert len(tags.getall("CTOC")) == (1 if count <= 255 else 3)
    assert len(ffprobe_chapters(mp3)) == count
