"""Assembling: trimming to speech, mastering, and sample-exact positions in the encoded MP3."""

from __future__ import annotations

import mutagen.mp3
import numpy as np

from audio_edition.assemble import RATE, Assembler, master, trim
from audio_edition.model import Audio
from tests.conftest import decode, espeak_cli


def test_trim_keeps_all_speech_and_drops_the_silence_around_it():
    x = np.zeros(22050)
    x[5000:9000] = np.sin(np.arange(4000) / 3) * 0.5
    y = trim(x, 22050)
    assert len(y) < 5000
    assert np.array_equal(y[np.abs(y) > 0.01], x[np.abs(x) > 0.01])


def test_master_resamples_and_keeps_duration(tmp_path):
    pcm, rate = espeak_cli("A short sentence for the mastering stage.", tmp=tmp_path)
    clip = master(Audio(pcm, rate))
    speech = trim(np.frombuffer(pcm, "<i2") / 32768.0, rate)
    assert clip.dtype == np.dtype("<i2")
    assert abs(len(clip) / RATE - len(speech) / rate) < 0.001


def test_positions_are_exact_in_the_decoded_mp3(tmp_path):
    """Three tone bursts between silences: each burst's decoded onset is where the assembler said."""
    mp3 = tmp_path / "t.mp3"
    assembler = Assembler(mp3)
    spans = []
    for freq in (440, 660, 880):
        assembler.silence(0.5)
        t = np.arange(int(0.3 * RATE)) / RATE
        spans.append(assembler.speech((np.sin(2 * np.pi * freq * t) * 12000).astype("<i2")))
    assembler.silence(0.5)
    total = assembler.finish()
    x = decode(mp3)
    assert len(x) == total
    info = mutagen.mp3.MP3(mp3).info
    assert abs(info.length - total / RATE) < 1e-9 and not info.sketchy
    for start, end in spans:
        loud = np.flatnonzero(np.abs(x[start - 2000 : end + 2000]) > 0.05) + start - 2000
        assert abs(loud[0] - start) <= 10 and abs(loud[-1] - (end - 1)) <= 10
