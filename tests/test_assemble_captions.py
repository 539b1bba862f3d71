"""Tests of audio_edition.assemble.captions: WebVTT and SRT read back with webvtt-py."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path

import webvtt
from hypothesis import given
from hypothesis import strategies as st

from audio_edition.assemble.captions import (
    LINE_WIDTH,
    chapters_json,
    to_srt,
    to_webvtt,
    transcript,
    wrap,
)
from audio_edition.model import Article, Block, Chapter, Cue

TIMING = re.compile(r"^\d{2,}:\d{2}:\d{2}[.,]\d{3} --> \d{2,}:\d{2}:\d{2}[.,]\d{3}$")


def parse_vtt(text: str) -> list[webvtt.Caption]:
    return list(webvtt.from_string(text, strict=True).captions)


def ms(caption: webvtt.Caption) -> tuple[int, int]:
    return caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds()


def words(text: str) -> list[str]:
    return text.split()


def test_vtt_round_trips_times_and_text() -> None:
    cues = [
        Cue(0.0, 1.2346, "Hello world."),
        Cue(1.5, 3.0, 'Tom & Jerry <3 said "a > b".'),
        Cue(3.0, 4.25, "Right-to-left: שלום עולם, مرحبا بالعالم."),
        Cue(4.5, 3725.5, "Emoji survive: 🎙️ 👩🏽‍💻 🇫🇷."),
    ]
    text = to_webvtt(cues)
    assert text.startswith("WEBVTT\n\n")
    captions = parse_vtt(text)
    assert [ms(c) for c in captions] == [(0, 1235), (1500, 3000), (3000, 4250), (4500, 3725500)]
    assert "01:02:05.500" in text
    for cue, caption in zip(cues, captions):
        assert html.unescape(caption.raw_text) == cue.text


def test_vtt_escapes_markup_and_arrow() -> None:
    text = to_webvtt([Cue(0, 1, "a --> b & <i>c</i> &amp;")])
    body = text.split("\n", 2)[2]
    assert body == "00:00:00.000 --> 00:00:01.000\na --&gt; b &amp; &lt;i&gt;c&lt;/i&gt; &amp;amp;\n"
    (caption,) = parse_vtt(text)
    assert html.unescape(caption.raw_text) == "a --> b & <i>c</i> &amp;"
    assert [line for line in text.splitlines() if "-->" in line] == [body.splitlines()[0]]


def test_vtt_wraps_long_text_without_blank_lines() -> None:
    sentence = " ".join(["word"] * 40) + "\n\n  paragraph   break"
    text = to_webvtt([Cue(0, 5, sentence), Cue(5, 6, "next")])
    caption, nxt = parse_vtt(text)
    lines = caption.raw_text.split("\n")
    assert len(lines) > 2 and all(0 < len(line) <= LINE_WIDTH for line in lines)
    assert words(caption.raw_text) == words(sentence)
    assert nxt.raw_text == "next"


def test_vtt_escaped_lines_stay_within_width() -> None:
    text = to_webvtt([Cue(0, 1, " ".join(["R&D"] * 30) + " " + "<" * 100)])
    (caption,) = parse_vtt(text)
    lines = caption.raw_text.split("\n")
    assert all(len(line) <= LINE_WIDTH for line in lines)
    # A hard split never cuts an entity apart.
    assert all(html.unescape(line).count("&") == line.count("&amp;") for line in lines)
    assert "".join(html.unescape(line) for line in lines).replace(" ", "") == "R&D" * 30 + "<" * 100


def test_long_word_is_split_hard() -> None:
    url = "https://example.org/" + "a" * 150
    lines = wrap(f"see {url} now")
    assert lines == ["see", url[:65], url[65:130], url[130:] + " now"]


def test_hard_split_keeps_emoji_sequences_whole() -> None:
    family = "👩\u200d👩\u200d👧"  # five code points, one picture
    lines = wrap("x" + family * 20)
    # 65 code points would end inside the 13th family: the cut steps back before it.
    assert lines[0] == "x" + family * 12
    assert lines[1:] == [family * 8]


def test_no_break_space_is_kept() -> None:
    assert wrap("a" * 60 + " 10\u00a0km") == ["a" * 60, "10\u00a0km"]


def test_overlaps_and_rounding_are_clamped() -> None:
    cues = [
        Cue(0.0, 2.5, "overlaps the next"),
        Cue(2.0, 2.0004, "rounds to nothing"),
        Cue(2.0006, 3.0, "starts inside the previous"),
        Cue(3.0, 2.9, "ends before it starts"),
    ]
    captions = parse_vtt(to_webvtt(cues))
    times = [ms(c) for c in captions]
    assert times == [(0, 2000), (2000, 2001), (2001, 3000), (3000, 3001)]
    for (start, end), (next_start, _) in zip(times, times[1:]):
        assert start < end <= next_start


def test_empty_cues_are_skipped() -> None:
    assert parse_vtt(to_webvtt([Cue(0, 1, "  \n "), Cue(1, 2, "x")]))[0].raw_text == "x"
    assert to_webvtt([]) == "WEBVTT\n"


def test_srt_structure(tmp_path: Path) -> None:
    cues = [Cue(0, 1.5, "First & <b>one</b>."), Cue(1.5, 3661.001, "a --> b " + "long " * 20)]
    text = to_srt(cues)
    blocks = text.rstrip("\n").split("\n\n")
    assert len(blocks) == 2
    first = blocks[0].split("\n")
    assert first == ["1", "00:00:00,000 --> 00:00:01,500", "First & <b>one</b>."]
    second = blocks[1].split("\n")
    assert second[:2] == ["2", "00:00:01,500 --> 01:01:01,001"]
    assert all(TIMING.match(line) for line in text.splitlines() if "-->" in line)
    assert all(0 < len(line) <= LINE_WIDTH for line in second[2:])
    assert words(" ".join(second[2:])) == words("a → b " + "long " * 20)
    path = tmp_path / "c.srt"
    path.write_text(text, encoding="utf-8")
    parsed = list(webvtt.from_srt(str(path)).captions)
    assert [ms(c) for c in parsed] == [(0, 1500), (1500, 3661001)]


def test_chapters_json() -> None:
    chapters = [
        Chapter("Intro", 0, 12.34567),
        Chapter("Café ☕", 12.34567, 60, "https://x/i.jpg"),
        Chapter("End", 60, 61.5),
    ]
    text = chapters_json(chapters)
    assert "Café ☕" in text and "\n  " in text
    doc = json.loads(text)
    assert doc["version"] == "1.2.0"
    entries = doc["chapters"]
    assert [e["title"] for e in entries] == ["Intro", "Café ☕", "End"]
    assert [e["startTime"] for e in entries] == [0.0, 12.346, 60.0]
    assert all(isinstance(e["startTime"], float) and isinstance(e["endTime"], float) for e in entries)
    starts = [e["startTime"] for e in entries]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert [("img" in e) for e in entries] == [False, True, False]
    assert entries[1]["img"] == "https://x/i.jpg"


def test_transcript() -> None:
    article = Article(
        title="Rivers  rise",
        author="Ana Díaz",
        published=datetime(2024, 3, 5, 14, 0),
        has_time=True,
        blocks=(
            Block("paragraph", "First paragraph\nwith a line break."),
            Block("heading", "What next"),
            Block("caption", "Flooded street", "Jane Roe / Reuters"),
            Block("caption", "No credit"),
            Block("paragraph", "Last."),
        ),
    )
    assert transcript(article) == (
        "Rivers rise\nBy Ana Díaz\nPublished Tuesday, March 5, 2024, at 2:00 p.m.\n\n"
        "First paragraph with a line break.\n\nWhat next\n\n"
        "[Photo: Flooded street (Jane Roe / Reuters)]\n\n[Photo: No credit]\n\nLast.\n"
    )


def test_transcript_without_author_or_time() -> None:
    article = Article("T", None, datetime(2023, 12, 31), (Block("paragraph", "Body"),))
    assert transcript(article) == "T\nPublished Sunday, December 31, 2023\n\nBody\n"
    assert transcript(Article("T", None, None, ())) == "T\n"


text_strategy = st.text(
    alphabet=st.one_of(st.sampled_from(" \n\t&<>-\u00a0\u200d"), st.characters(blacklist_categories=("Cs",))),
    max_size=400,
)


@given(text_strategy)
def test_wrap_invariant(text: str) -> None:
    lines = wrap(text)
    assert all(0 < len(line) <= LINE_WIDTH for line in lines)
    assert "".join(lines).replace(" ", "") == "".join(re.split(r"[^\S\u00a0\u2007\u202f]+", text)).replace(" ", "")


@given(st.lists(st.tuples(st.floats(0, 1e5), st.floats(0, 100), text_strategy), max_size=8))
def test_vtt_always_parses(items: list[tuple[float, float, str]]) -> None:
    cues = [Cue(start, start + length, text) for start, length, text in items]
    text = to_webvtt(cues)
    captions = parse_vtt(text)
    times = [ms(c) for c in captions]
    assert all(start < end for start, end in times)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(times, times[1:]))
    for caption in captions:
        assert all(0 < len(line) <= LINE_WIDTH and "-->" not in line for line in caption.raw_text.split("\n"))
    for line in text.splitlines():
        assert "-->" not in line or TIMING.match(line)


def test_word_timestamps_keep_the_text_as_the_plain_captions_show_it():
    """No-break spaces, a word cut across lines and escapes: only the timestamps differ from the plain VTT."""
    import re

    from audio_edition.assemble.captions import to_webvtt_words

    text = "The $1.5\u00a0billion plan, see https://example.org/" + "x" * 80 + " today & <b>more</b>."
    words = text.split()
    cue = Cue(start_s=1.0, end_s=9.0, text=text, words=tuple(1.0 + 0.5 * i for i in range(len(words))))
    timed = to_webvtt_words([cue])
    stamps = re.findall(r"<(\d\d:\d\d:\d\d\.\d{3})>", timed)
    assert re.sub(r"<\d\d:\d\d:\d\d\.\d{3}>", "", timed) == to_webvtt([cue])
    assert "\u00a0" in timed
    # One per word but the first (it starts with the cue), none inside the word cut across lines.
    assert stamps == [f"00:00:0{1 + i // 2}.{500 if i % 2 else 0:03d}" for i in range(1, len(words))]
