"""The episode's timeline: rendered sentences laid end to end in one MP3, each cue and chapter timed
to the sample.

Every position comes from `EpisodeWriter.add`, a count of output samples, so
times need no correction for encoder delay at the joins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from audio_edition.assemble.mp3 import RATE, EpisodeWriter, encode
from audio_edition.model import Chapter, Cue, Line
from audio_edition.speech.timing import word_starts


class Rendered(Protocol):
    """A sentence as the voice stage gives it (render.Segment)."""

    @property
    def samples(self) -> int: ...
    @property
    def words(self) -> tuple[tuple[int, int], ...]: ...
    @property
    def mp3(self) -> bytes: ...


@dataclass(frozen=True)
class Timeline:
    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    samples: int
    """The episode's length."""


def lay_out(mp3: Path, lines: Sequence[Line], pauses: Sequence[int], segments: Iterable[Rendered],
            tail: int, speak: Callable[[str], str]) -> Timeline:  # fmt: skip
    """Write `mp3` from each line's pause (in samples) and rendered segment, then `tail` samples of silence.

    A sentence with nothing audible is left out. `speak` is the speech stage,
    which word timing replays to find each written word in the spoken text.
    """
    writer = EpisodeWriter(mp3)
    cues: list[Cue] = []
    starts: list[tuple[str, int, str | None]] = []
    try:
        for line, pause, seg in zip(lines, pauses, segments, strict=True):
            if seg.samples == 0:
                continue
            start = writer.add(seg.mp3, pause + seg.samples) + pause
            end = start + seg.samples
            written, spoken = line.sentence.written, line.sentence.spoken
            words = tuple((start + at) / RATE for at in word_starts(written, spoken, seg.words, speak))
            cues.append(Cue(start_s=start / RATE, end_s=end / RATE, text=written, words=words))
            if line.chapter is not None:
                starts.append((line.chapter, 0 if not starts else start, line.chapter_image))
        silence = np.zeros(tail, dtype="<i2")
        writer.add(encode(silence), len(silence))
        total = writer.finish()
    except BaseException:
        writer.abort()
        raise
    chapters = tuple(
        Chapter(
            title=title,
            start_s=at / RATE,
            end_s=(starts[i + 1][1] if i + 1 < len(starts) else total) / RATE,
            image=image,
        )
        for i, (title, at, image) in enumerate(starts)
    )
    return Timeline(cues=tuple(cues), chapters=chapters, samples=total)
