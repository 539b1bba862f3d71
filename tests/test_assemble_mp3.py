"""Assembling: trimming to speech, mastering, and sample-exact positions in the encoded MP3."""

from __future__ import annotations

import mutagen.mp3
import numpy as np
import pytest

from audio_edition.assemble.mp3 import (
    RATE,
    EpisodeWriter,
    encode,
    frames,
    master,
    segment,
    trim,
)
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


def test_separately_encoded_segments_join_with_exact_positions(tmp_path):
    """Three tone bursts, each encoded on its own after a pause, joined: each decoded burst starts
    where the writer said, the decoded length is exact, and mutagen reads the exact length."""
    mp3 = tmp_path / "t.mp3"
    writer = EpisodeWriter(mp3)
    spans = []
    for k, freq in enumerate((440, 660, 880)):
        pause = int(0.5 * RATE) + 37 * k  # lengths that are not multiples of a frame
        t = np.arange(int(0.3 * RATE) + 101 * k) / RATE
        tone = (np.sin(2 * np.pi * freq * t) * 12000).astype("<i2")
        start = writer.add(segment(pause, tone), pause + len(tone)) + pause
        spans.append((start, start + len(tone)))
    tail = np.zeros(int(0.5 * RATE), dtype="<i2")
    writer.add(encode(tail), len(tail))
    total = writer.finish()
    x = decode(mp3)
    assert len(x) == total
    info = mutagen.mp3.MP3(mp3).info
    assert abs(info.length - total / RATE) < 1e-9 and not info.sketchy
    assert info.bitrate_mode == mutagen.mp3.BitrateMode.CBR
    for start, end in spans:
        loud = np.flatnonzero(np.abs(x[start - 2000 : end + 2000]) > 0.05) + start - 2000
        assert abs(loud[0] - start) <= 10 and abs(loud[-1] - (end - 1)) <= 10
    # The joins are in silence: between the bursts nothing is audible.
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert np.abs(x[end + 200 : start - 200]).max() < 0.01


def test_the_info_frame_checksum_is_the_one_lame_writes(tmp_path):
    from audio_edition.assemble.mp3 import _crc16, _info_template

    frame = _info_template()
    assert frame[21:25] == b"Info" and frame[141:150] == b"LAME3.100"
    assert _crc16(frame[:175]) == int.from_bytes(frame[175:177], "big")
    mp3 = tmp_path / "one.mp3"
    writer = EpisodeWriter(mp3)
    writer.add(encode(np.zeros(5000, dtype="<i2")), 5000)
    writer.finish()
    written = mp3.read_bytes()[: len(frame)]
    assert _crc16(written[:175]) == int.from_bytes(written[175:177], "big")


def test_damaged_segments_are_refused():
    from audio_edition.errors import AssembleError

    with pytest.raises(AssembleError, match="damaged"):
        frames(b"\x00" * 400)
