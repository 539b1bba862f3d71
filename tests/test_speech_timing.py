"""Word timings: engine word starts, moved onto the mastered clip and onto the written words."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from audio_edition.assemble.mp3 import RATE, master_timed
from audio_edition.engines import create_engine
from audio_edition.speech import to_spoken
from audio_edition.speech.timing import word_starts

# Words with a comma between them: espeak-ng pauses at each comma, so every word
# starts at a silence -> speech edge that the audio itself shows.
LISTED = "Red, green, blue, yellow, purple, orange, silver, violet."


def _onsets(clip: np.ndarray, rate: int, quiet_ms: int = 60) -> list[int]:
    """Samples where speech starts after at least `quiet_ms` of near-silence (5 ms RMS frames)."""
    frame = rate // 200
    x = clip.astype(np.float64) / 32768
    count = len(x) // frame
    rms = np.sqrt((x[: count * frame].reshape(count, frame) ** 2).mean(axis=1))
    loud = rms > 10 ** (-38 / 20)
    onsets, quiet_run = [], quiet_ms // 5
    for i, is_loud in enumerate(loud):
        if is_loud and quiet_run >= quiet_ms // 5:
            onsets.append(i * frame)
        quiet_run = 0 if is_loud else quiet_run + 1
    return onsets


# hibari runs listed words together, commas or not; between sentences it is silent.
STOPPED = "Red. Green. Blue. Yellow. Purple. Orange. Silver. Violet."


@pytest.mark.parametrize(
    "engine_name,voice,text", [("pyttsx3", "en-us", LISTED), ("piper", "joe", LISTED), ("hibari", "heart", STOPPED)]
)
def test_word_starts_land_on_the_speech_of_each_word(engine_name, voice, text):
    engine = create_engine(engine_name, voice=voice)
    clip, words = master_timed(engine.synthesize(text))
    starts = word_starts(text, text, words)
    onsets = _onsets(clip, RATE)
    assert len(starts) == len(text.split()) and len(onsets) >= len(starts)
    assert all(a < b for a, b in zip(starts, starts[1:]))
    for word, start in zip(text.split(), starts, strict=True):
        nearest = min(onsets, key=lambda onset: abs(onset - start))
        assert abs(start - nearest) / RATE < 0.06, (word, start / RATE, nearest / RATE)


def test_written_words_take_the_times_of_what_they_became():
    written = "The $1.5 billion bridge opened in the 1990s, Lt. Gen. Ruiz said."
    spoken = "The one point five billion dollar bridge opened in the nineteen nineties, Lieutenant General Ruiz said."
    tokens = spoken.split()
    offsets = [spoken.index(t, sum(len(x) + 1 for x in tokens[:i])) for i, t in enumerate(tokens)]
    events = [(offset, 1000 * i) for i, offset in enumerate(offsets)]
    starts = dict(zip(written.split(), word_starts(written, spoken, events, to_spoken), strict=True))
    assert starts["The"] == 0
    assert starts["$1.5"] == 1000 * tokens.index("one")
    assert starts["billion"] == 1000 * tokens.index("billion")
    assert starts["bridge"] == 1000 * tokens.index("bridge")
    assert starts["1990s,"] == 1000 * tokens.index("nineteen")
    assert starts["Lt."] == 1000 * tokens.index("Lieutenant")
    assert starts["Gen."] == 1000 * tokens.index("General")
    assert starts["said."] == 1000 * tokens.index("said.")


def test_phoneme_spellings_count_as_one_spoken_word():
    spoken = "Mayor [[n'u: j'En]] spoke."
    events = [(0, 0), (6, 500), (23, 900)]
    assert word_starts("Mayor Nguyen spoke.", spoken, events) == (0, 500, 900)


def test_no_events_no_timings():
    assert word_starts("Hello there.", "Hello there.", []) == ()


@given(st.text(min_size=1), st.text(min_size=1),
       st.lists(st.tuples(st.integers(0, 200), st.integers(0, 10**6)), min_size=1))  # fmt: skip
def test_one_start_per_written_word_never_decreasing(written, spoken, events):
    starts = word_starts(written, spoken, events)
    if not spoken.split() or not written.split():
        assert starts == ()
        return
    assert len(starts) == len(written.split())
    assert list(starts) == sorted(starts)
    assert set(starts) <= {sample for _, sample in events}
