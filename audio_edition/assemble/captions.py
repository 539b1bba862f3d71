"""Sidecar text files of an episode: WebVTT and SRT captions, JSON chapters, transcript.

Every function here is pure: it takes model objects and returns the text of one
file; the pipeline writes it (atomically) where it belongs.

Caption cues carry a sentence *as written*. Times are rounded to the
millisecond and then made safe for players: each cue ends after it starts and
never runs past the start of the next one. Text is wrapped at word boundaries
into lines of at most `LINE_WIDTH` characters, so no cue holds a blank line (which
would end the cue early) or an over-long line (which players cut off).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence

from audio_edition.model import Article, Block, Chapter, Cue
from audio_edition.speech.intro import wording

LINE_WIDTH = 65
"""The longest caption line, in characters (code points)."""

JSON_CHAPTERS_VERSION = "1.2.0"
"""Version of the Podcasting 2.0 JSON chapters format written by `chapters_json`."""

# Breakable whitespace: every Unicode space except the no-break ones, which the
# writer put there precisely so the line does not break ("10\u00a0km", "« oui »").
_BREAKABLE = re.compile(r"[^\S\u00a0\u2007\u202f]+")

# A hard split of an over-long word must not cut a grapheme apart, so it never
# breaks before a combining mark, a joiner, a variation selector or an emoji
# skin-tone modifier, nor right after a zero-width joiner.
_ZWJ = "\u200d"


def to_webvtt(cues: Sequence[Cue]) -> str:
    """Return a WebVTT file with one cue per `Cue`, text escaped and wrapped."""
    parts = ["WEBVTT\n"]
    for start, end, text in _timed(cues):
        lines = wrap(text, measure=lambda s: len(_escape_vtt(s)))
        parts.append(
            f"{_timestamp(start, '.')} --> {_timestamp(end, '.')}\n"
            + "".join(_escape_vtt(line) + "\n" for line in lines)
        )
    return "\n".join(parts)


def to_webvtt_words(cues: Sequence[Cue]) -> str:
    """WebVTT like `to_webvtt`, with a `<00:00:01.250>` timestamp before each word as it is spoken.

    A timestamp is written only where it falls strictly inside its cue and after
    the one before it, as WebVTT requires; a cue without word times is plain.
    """
    parts = ["WEBVTT\n"]
    for start, end, cue in _schedule(cues):
        lines = wrap(cue.text, measure=lambda s: len(_escape_vtt(s)))
        # Where each word of the text starts: a piece of a line that starts a word gets its time;
        # the rest of a word cut across lines, and the spaces as written (no-break ones too), stay as they are.
        word_starts = [m.start() for m in re.finditer(r"\S+", cue.text)]
        times = cue.words if len(cue.words) == len(word_starts) else ()
        at_char = dict(zip(word_starts, times, strict=False))
        body, previous, position = [], start, 0
        for line in lines:
            out, last = [], 0
            for piece in re.finditer(r"\S+", line):
                found = cue.text.find(piece.group(), position)
                position = found + len(piece.group()) if found >= 0 else position
                out.append(_escape_vtt(line[last : piece.start()]))
                at = round(at_char[found] * 1000) if found in at_char else None
                if at is not None and previous < at < end:
                    out.append(f"<{_timestamp(at, '.')}>")
                    previous = at
                out.append(_escape_vtt(piece.group()))
                last = piece.end()
            body.append("".join(out) + _escape_vtt(line[last:]) + "\n")
        parts.append(f"{_timestamp(start, '.')} --> {_timestamp(end, '.')}\n" + "".join(body))
    return "\n".join(parts)


def to_srt(cues: Sequence[Cue]) -> str:
    """Return a SubRip file: numbered cues, plain text wrapped like the WebVTT.

    SRT has no escapes; the only change to the text is that an arrow written
    "-->" becomes "→", because parsers take any line holding "-->" for a timing line.
    """
    parts = []
    for number, (start, end, text) in enumerate(_timed(cues), start=1):
        lines = wrap(_defuse_arrow(text))
        parts.append(
            f"{number}\n{_timestamp(start, ',')} --> {_timestamp(end, ',')}\n" + "".join(line + "\n" for line in lines)
        )
    return "\n".join(parts)


def chapters_json(chapters: Sequence[Chapter]) -> str:
    """Return a Podcasting 2.0 JSON chapters file (times in seconds, 3 decimals)."""
    entries: list[dict[str, object]] = []
    for chapter in chapters:
        entry: dict[str, object] = {
            "startTime": round(float(chapter.start_s), 3),
            "endTime": round(float(chapter.end_s), 3),
            "title": chapter.title,
        }
        if chapter.image:
            entry["img"] = chapter.image
        entries.append(entry)
    document = {"version": JSON_CHAPTERS_VERSION, "chapters": entries}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def transcript(article: Article, language: str = "en") -> str:
    """Return the article as plain text: a header, then one paragraph per block.

    The header is the title, "By <author>" when known and the publication date
    (with the time when the page gave one), worded in `language` (the voice's) as the
    spoken intro is. Headings stand alone as their own paragraph; photo captions
    read "[Photo: text (credit)]".
    """
    words = wording(language)
    header = [_one_line(article.title)]
    if article.author and article.author.strip():
        header.append(words.byline(_one_line(article.author), sentence=False))
    if (date := words.date_line(article, sentence=False)) is not None:
        header.append(date)
    paragraphs = ["\n".join(line for line in header if line)]
    paragraphs.extend(_block_text(block, words.photo) for block in article.blocks)
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def wrap(text: str, width: int = LINE_WIDTH, measure: Callable[[str], int] = len) -> list[str]:
    """Break `text` into lines no longer than `width` as counted by `measure`.

    Lines break at breakable whitespace (runs of it count as one space, line
    breaks included); a word longer than a line is split hard. Every word is
    kept, in order, and no line is empty.
    """
    lines: list[str] = []
    current = ""
    for word in _BREAKABLE.split(text):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while measure(current) > width:
            cut = _hard_cut(current, width, measure)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def _hard_cut(word: str, width: int, measure: Callable[[str], int]) -> int:
    """Return where to split an over-long word: the longest prefix that fits."""
    cut = 1
    while cut < len(word) and measure(word[: cut + 1]) <= width:
        cut += 1
    # Step back to a grapheme boundary when one is near; otherwise cut anyway.
    for back in range(cut, max(cut - 8, 0), -1):
        if _can_break_before(word, back):
            return back
    return cut


def _can_break_before(word: str, index: int) -> bool:
    char, previous = word[index], word[index - 1]
    return not (
        unicodedata.combining(char)
        or char == _ZWJ
        or previous == _ZWJ
        or "\ufe00" <= char <= "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


def _timed(cues: Sequence[Cue]) -> list[tuple[int, int, str]]:
    """Return (start_ms, end_ms, text) per cue with text, safe to display in order."""
    return [(start, end, cue.text) for start, end, cue in _schedule(cues)]


def _schedule(cues: Sequence[Cue]) -> list[tuple[int, int, Cue]]:
    """Return (start_ms, end_ms, cue) per cue with text, safe to display in order.

    Rounds to the millisecond, clamps each end to the next cue's start and keeps
    every cue at least one millisecond long; cues without text are dropped.
    """
    kept = sorted((c for c in cues if _BREAKABLE.sub("", c.text)), key=lambda c: c.start_s)
    starts = [max(round(c.start_s * 1000), 0) for c in kept]
    timed: list[tuple[int, int, Cue]] = []
    previous_end = 0
    for index, cue in enumerate(kept):
        start = max(starts[index], previous_end)
        end = round(cue.end_s * 1000)
        if index + 1 < len(starts):
            end = min(end, starts[index + 1])
        end = max(end, start + 1)
        timed.append((start, end, cue))
        previous_end = end
    return timed


def _timestamp(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _escape_vtt(text: str) -> str:
    # WebVTT cue text needs only these three escaped; "-->" is defused by "&gt;".
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _defuse_arrow(text: str) -> str:
    return text.replace("-->", "→")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _block_text(block: Block, photo: str = "Photo") -> str:
    text = _one_line(block.text)
    if block.kind != "caption":
        return text
    credit = _one_line(block.credit or "")
    if not text and not credit:
        return ""
    return f"[{photo}: {text} ({credit})]" if credit else f"[{photo}: {text}]"
