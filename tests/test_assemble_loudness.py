"""The loudness meter against ffmpeg's ebur128, and the limiter's ceiling."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from audio_edition.assemble import loudness
from tests.conftest import ebur128, espeak_cli


def _write_wav(path: Path, x: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(np.round(x * 32768), -32768, 32767).astype("<i2").tobytes())


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> tuple[np.ndarray, int]:
    pcm, rate = espeak_cli(
        "Officials said the bridge, which opened in 1931, carries forty thousand vehicles a day. "
        "Repairs will begin in October and last two years.",
        tmp=tmp_path_factory.mktemp("s"),
    )
    return np.frombuffer(pcm, "<i2") / 32768.0, rate


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_meter_agrees_with_ffmpeg(speech, rate, tmp_path):
    import soxr

    x = soxr.resample(speech[0], speech[1], rate) if rate != speech[1] else speech[0]
    for gain_db in (-12.0, 0.0):
        y = x * 10 ** (gain_db / 20)
        path = tmp_path / f"{rate}-{gain_db}.wav"
        _write_wav(path, y, rate)
        reference, _ = ebur128(path)
        assert abs(loudness.integrated_loudness(y, rate) - reference) <= 0.1


def test_sine_reads_as_the_standard_says():
    # BS.1770: a 0 dBFS 997 Hz sine on one channel reads -3.01 LKFS.
    rate = 48000
    t = np.arange(rate * 5) / rate
    assert abs(loudness.integrated_loudness(np.sin(2 * np.pi * 997 * t), rate) + 3.01) < 0.05


def test_silence_is_minus_infinity():
    assert loudness.integrated_loudness(np.zeros(44100), 44100) == float("-inf")


def test_limiter_holds_its_ceiling_exactly_and_leaves_quiet_audio_alone():
    rng = np.random.default_rng(7)
    x = rng.normal(0, 0.3, 44100)
    y = loudness.limit(x, 44100, -6.0)
    assert np.abs(y).max() <= 10 ** (-6 / 20) + 1e-12
    quiet = x * 0.1
    assert np.array_equal(loudness.limit(quiet, 44100, -6.0), quiet)
    # Gain changes smoothly: no step larger than a small fraction of the signal's range.
    gain = y / np.where(np.abs(x) > 1e-9, x, 1)
    assert np.abs(np.diff(gain)).max() < 0.1


def test_normalize_hits_target_and_true_peak(speech, tmp_path):
    x, rate = speech
    y = loudness.normalize(x * 3.0, rate, -19.0, -2.0)
    path = tmp_path / "n.wav"
    _write_wav(path, y, rate)
    integrated, peak = ebur128(path)
    assert abs(loudness.in_context_loudness(y, rate) + 19.0) <= 0.1
    assert peak <= -1.9
    assert abs(integrated + 19.0) <= 0.6
