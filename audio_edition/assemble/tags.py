"""ID3v2.3 tags of a finished MP3: text frames, cover, transcript and chapters.

Written with mutagen, plus two things mutagen does not do for us:

* **Chapter order.** mutagen writes frames sorted by importance and then by
  size, so CHAP frames land in the file in a scrambled order, and readers that
  take chapters in file order (FFmpeg, hence ffprobe and many players) list them
  out of time order. After mutagen has saved, `_order_chapter_frames` rewrites
  the frame sequence of the tag in place: same frames, same bytes, same tag
  size and padding, only the CTOC and CHAP frames moved together in time order.
  ID3v2.3 (4.0) allows frames in any order, so the result is as valid as before.
* **More than 255 chapters.** A CTOC counts its entries in one byte. Up to 255
  chapters, the top-level CTOC "toc" lists the CHAPs; beyond that it lists child
  CTOCs "toc0", "toc1", ... of at most 255 CHAPs each (titled "Chapters 1–255",
  ...). Two levels hold 255 × 255 chapters; more is refused, never truncated.

v2.3 has no TDRC, so the date goes into TYER (YYYY), TDAT (DDMM) and TIME
(HHMM) directly: mutagen's TDRC conversion drops TIME when the hour or the
minute is zero ("14:00").
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TDAT,
    TIME,
    TIT2,
    TLAN,
    TPE1,
    TYER,
    USLT,
    WOAS,
    CTOCFlags,
    Encoding,
    Frame,
    PictureType,
)

from audio_edition.errors import AssembleError
from audio_edition.model import Chapter

CTOC_MAX_ENTRIES = 255
"""A CTOC stores its entry count in a single byte."""

MAX_CHAPTERS = CTOC_MAX_ENTRIES * CTOC_MAX_ENTRIES
"""What a two-level table of contents can hold."""

_HEADER = struct.Struct(">3sBBBI")  # "ID3", major, revision, flags, size (synchsafe)
_FRAME = struct.Struct(">4sIH")  # v2.3 frame header: id, size (plain 32-bit), flags
_UTF16 = Encoding.UTF16  # v2.3 knows Latin-1 and UTF-16 only


@dataclass(frozen=True)
class TagInfo:
    """What goes into the tag of one episode."""

    title: str
    author: str | None
    """Written as TPE1 (artist); omitted when None or blank."""
    album: str
    """Written as TALB, e.g. the publication or the feed title."""
    published: datetime | None
    """Local date and time of publication, as on the page."""
    has_time: bool = False
    """Whether `published` carries a time of day (TIME is written only then)."""
    language: str = "eng"
    """ISO 639-2 code, three lowercase letters; used by TLAN, COMM and USLT."""
    comment: str = ""
    transcript: str = ""
    """The full text; written as unsynchronised lyrics (USLT)."""
    source_url: str | None = None
    """The article's address; written as WOAS when known."""
    cover_jpeg: bytes = b""
    """The front cover as JPEG bytes; no APIC frame when empty."""
    chapters: Sequence[Chapter] = field(default_factory=tuple)
    """In time order; each becomes a CHAP frame with a TIT2 title (stripped;
    "Chapter N" when blank)."""


def write_tags(mp3: Path, info: TagInfo) -> None:
    """Replace the ID3v2 tag of `mp3` by an ID3v2.3 tag built from `info`.

    `mp3` is changed in place; callers write to a temporary file and rename it.
    Raises `AssembleError` when the tag cannot be built or written.
    """
    if not mp3.is_file():
        raise AssembleError(f"cannot tag {mp3}: not an existing file")
    try:
        tags, order = _build(info)
        tags.save(mp3, v2_version=3)
        with open(mp3, "r+b") as f:
            _order_chapter_frames(f, order)
    except (MutagenError, OSError, ValueError, struct.error) as e:
        reason = " ".join(str(e).split()) or type(e).__name__
        raise AssembleError(f"cannot write tags to {mp3}: {reason}") from e


def _build(info: TagInfo) -> tuple[ID3, dict[bytes, int]]:
    """Return the tag and the wanted rank of each CTOC/CHAP element id."""
    if not (
        len(info.language) == 3 and info.language.isascii() and info.language.isalpha() and info.language.islower()
    ):
        raise AssembleError(f"invalid tag language {info.language!r}: expected ISO 639-2 like 'eng'")
    if info.cover_jpeg and not info.cover_jpeg.startswith(b"\xff\xd8\xff"):
        raise AssembleError("cover image is not a JPEG")
    tags = ID3()
    tags.add(TIT2(encoding=_UTF16, text=[info.title]))
    if info.author and info.author.strip():
        tags.add(TPE1(encoding=_UTF16, text=[info.author]))
    tags.add(TALB(encoding=_UTF16, text=[info.album]))
    if info.published is not None:
        when = info.published
        tags.add(TYER(encoding=_UTF16, text=[f"{when.year:04d}"]))
        tags.add(TDAT(encoding=_UTF16, text=[f"{when.day:02d}{when.month:02d}"]))
        if info.has_time:
            tags.add(TIME(encoding=_UTF16, text=[f"{when.hour:02d}{when.minute:02d}"]))
    tags.add(TLAN(encoding=_UTF16, text=[info.language]))
    if info.comment:
        tags.add(COMM(encoding=_UTF16, lang=info.language, desc="", text=[info.comment]))
    if info.transcript:
        tags.add(USLT(encoding=_UTF16, lang=info.language, desc="", text=info.transcript))
    if info.source_url:
        # URL frames are Latin-1: send an IRI's other characters percent-encoded.
        tags.add(WOAS(url=quote(info.source_url, safe="!#$%&'()*+,/:;=?@[]~")))
    if info.cover_jpeg:
        tags.add(
            APIC(encoding=_UTF16, mime="image/jpeg", type=PictureType.COVER_FRONT, desc="Cover", data=info.cover_jpeg)
        )
    frames, ids = _chapter_frames(info.chapters)
    for frame in frames:
        tags.add(frame)
    tags.update_to_v23()  # a no-op for these frames today; keeps any future v2.4 one out
    return tags, {element_id.encode("ascii"): rank for rank, element_id in enumerate(ids)}


def _chapter_frames(chapters: Sequence[Chapter]) -> tuple[list[Frame], list[str]]:
    """Return the CTOC and CHAP frames and all their element ids in file order."""
    if not chapters:
        return [], []
    if len(chapters) > MAX_CHAPTERS:
        raise AssembleError(
            f"too many chapters ({len(chapters)}): an ID3 table of contents holds at most {MAX_CHAPTERS}"
        )
    chaps: list[Frame] = []
    previous = 0
    for index, chapter in enumerate(chapters):
        start, end = round(chapter.start_s * 1000), round(chapter.end_s * 1000)
        if not previous <= start <= end <= 0xFFFFFFFE:
            raise AssembleError(
                f"chapter {index + 1} ({chapter.title!r}) has invalid or "
                f"out-of-order times {chapter.start_s}..{chapter.end_s} s"
            )
        previous = start
        title = chapter.title.strip() or f"Chapter {index + 1}"
        chaps.append(
            CHAP(
                element_id=f"ch{index}",
                start_time=start,
                end_time=end,
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=_UTF16, text=[title])],
            )
        )
    chap_ids = [f"ch{i}" for i in range(len(chapters))]
    top = CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    if len(chap_ids) <= CTOC_MAX_ENTRIES:
        tocs = [_ctoc("toc", top, chap_ids, "Chapters")]
    else:
        groups = [chap_ids[i : i + CTOC_MAX_ENTRIES] for i in range(0, len(chap_ids), CTOC_MAX_ENTRIES)]
        child_ids = [f"toc{i}" for i in range(len(groups))]
        tocs = [_ctoc("toc", top, child_ids, "Chapters")]
        first = 1
        for child_id, group in zip(child_ids, groups):
            last = first + len(group) - 1
            tocs.append(_ctoc(child_id, CTOCFlags.ORDERED, group, f"Chapters {first}–{last}"))
            first = last + 1
    return tocs + chaps, [toc.element_id for toc in tocs] + chap_ids  # type: ignore[attr-defined]


def _ctoc(element_id: str, flags: int, children: list[str], title: str) -> CTOC:
    return CTOC(
        element_id=element_id, flags=flags, child_element_ids=children, sub_frames=[TIT2(encoding=_UTF16, text=[title])]
    )


def _order_chapter_frames(f: BinaryIO, rank: Mapping[bytes, int]) -> None:
    """Move the CTOC and CHAP frames of the v2.3 tag at the start of `f` into `rank` order.

    Every other frame keeps its place; the chapter frames are put together where
    the first APIC is (mutagen writes pictures last) or at the end of the frames.
    Only frames move: the tag header, its size and its padding are untouched, so
    the audio after the tag is never rewritten.
    """
    if not rank:
        return
    f.seek(0)
    header = f.read(_HEADER.size)
    magic, major, _revision, flags, raw_size = _HEADER.unpack(header)
    if magic != b"ID3" or major != 3 or flags != 0:
        raise AssembleError("unexpected ID3 header after saving: not a plain ID3v2.3 tag")
    size = _synchsafe(raw_size)
    body = f.read(size)
    if len(body) != size:
        raise AssembleError("ID3 tag is longer than the file")
    frames, end = _split_frames(body)
    if body[end:].strip(b"\x00"):
        raise AssembleError("unexpected data in the ID3 padding")
    chapter_frames = [frame for frame in frames if frame[:4] in (b"CHAP", b"CTOC")]
    if len(chapter_frames) != len(rank):
        raise AssembleError(f"expected {len(rank)} chapter frames in the tag, found {len(chapter_frames)}")
    if sorted(map(_element_id, chapter_frames)) != sorted(rank):
        raise AssembleError("the chapter frames in the tag are not the ones written")
    chapter_frames.sort(key=lambda frame: rank[_element_id(frame)])
    others = [frame for frame in frames if frame[:4] not in (b"CHAP", b"CTOC")]
    at = next((i for i, frame in enumerate(others) if frame[:4] == b"APIC"), len(others))
    ordered = b"".join(others[:at] + chapter_frames + others[at:])
    assert len(ordered) == end  # the same frames, only moved
    f.seek(_HEADER.size)
    f.write(ordered)


def _split_frames(body: bytes) -> tuple[list[bytes], int]:
    """Return the v2.3 frames (header included) of a tag body and where padding starts."""
    frames: list[bytes] = []
    pos = 0
    while pos + _FRAME.size <= len(body) and body[pos] != 0:
        frame_id, frame_size, frame_flags = _FRAME.unpack_from(body, pos)
        stop = pos + _FRAME.size + frame_size
        if stop > len(body):
            raise AssembleError(f"ID3 frame {frame_id!r} runs past the end of the tag")
        if frame_id in (b"CHAP", b"CTOC") and frame_flags:
            raise AssembleError(f"unexpected flags on ID3 frame {frame_id!r}")
        frames.append(body[pos:stop])
        pos = stop
    return frames, pos


def _element_id(frame: bytes) -> bytes:
    """The element id of a CHAP or CTOC frame: a NUL-terminated string opening its data."""
    data = frame[_FRAME.size :]
    return data.split(b"\x00", 1)[0]


def _synchsafe(value: int) -> int:
    """Decode a 28-bit synchsafe integer (7 bits per byte) of the ID3 header."""
    return (value & 0x7F000000) >> 3 | (value & 0x7F0000) >> 2 | (value & 0x7F00) >> 1 | (value & 0x7F)
