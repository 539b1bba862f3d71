"""Word timings: where an engine says the spoken words start, moved onto the written words.

The engine reports word starts against the *spoken* text ("one point five
billion dollars"); captions show the *written* text ("$1.5 billion"). The two
word sequences are aligned on their shared words; a written word that became
several spoken words starts with the first of them, and a run of written words
spoken differently shares out the times of the run that replaced it, in order.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Sequence

_SPOKEN_TOKEN = re.compile(r"(?:\[\[.*?\]\]|\S)+")  # [[phonemes]] may hold spaces
_FOLD = re.compile(r"[\W_]+")


def spoken_tokens(spoken: str) -> list[tuple[int, str]]:
    """The words of the spoken text with their character offsets."""
    return [(m.start(), m.group()) for m in _SPOKEN_TOKEN.finditer(spoken)]


def word_starts(
    written: str, spoken: str, events: Sequence[tuple[int, int]], speak: Callable[[str], str] | None = None
) -> tuple[int, ...]:
    """The first sample of each whitespace-separated word of `written`.

    `events` are the engine's (character offset in `spoken`, sample) word
    starts. `speak`, the speech stage, tells how many spoken words each written
    word of a run that changed is likely to become ("1990s" two, "Lt." one), so
    the run's times are shared out in that proportion. Empty when there are no
    events. Never decreasing.
    """
    words = written.split()
    tokens = spoken_tokens(spoken)
    if not events or not words or not tokens:
        return ()
    times = _token_times(tokens, events)
    folded_written = [_fold(w) for w in words]
    folded_spoken = [_fold(t) for _, t in tokens]
    starts = [0] * len(words)
    matcher = difflib.SequenceMatcher(None, folded_written, folded_spoken, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "insert":
            continue
        weights = [_spoken_length(words[k], speak) for k in range(i1, i2)] if op == "replace" else []
        before = 0
        for k in range(i1, i2):
            if op == "equal":
                j = j1 + (k - i1)
            elif op == "replace":
                j = j1 + before * (j2 - j1) // sum(weights)
                before += weights[k - i1]
            else:  # written words not spoken: they start with the next spoken word
                j = min(j1, len(tokens) - 1)
            starts[k] = times[j]
    for k in range(1, len(starts)):
        starts[k] = max(starts[k], starts[k - 1])
    return tuple(starts)


def _spoken_length(word: str, speak: Callable[[str], str] | None) -> int:
    if speak is None:
        return 1
    try:
        return max(1, len(_SPOKEN_TOKEN.findall(speak(word))))
    except Exception:  # noqa: BLE001 - a guess for timing only; never fail a convert over it
        return 1


def _fold(word: str) -> str:
    return _FOLD.sub("", word.casefold())


def _token_times(tokens: list[tuple[int, str]], events: Sequence[tuple[int, int]]) -> list[int]:
    """Each token's start: its first event; a token without one is interpolated by position."""
    offsets = [offset for offset, _ in tokens]
    known: dict[int, int] = {}
    for char, sample in sorted(events, key=lambda e: (e[1], e[0])):
        index = max(bisect.bisect_right(offsets, char) - 1, 0)  # before the first word: the first word
        if index not in known:
            known[index] = sample
    points = sorted(known.items())
    times = []
    for index in range(len(tokens)):
        if index in known:
            times.append(known[index])
            continue
        after = bisect.bisect_left(points, (index, -1))
        if after == 0:
            times.append(points[0][1])
        elif after == len(points):
            times.append(points[-1][1])
        else:
            (i0, t0), (i1, t1) = points[after - 1], points[after]
            times.append(t0 + (t1 - t0) * (index - i0) // (i1 - i0))
    return times
