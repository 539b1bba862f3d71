"""Shared test helpers: independent tools (ffmpeg, ffprobe, espeak-ng) that read our outputs back."""

from __future__ import annotations

import json
import re
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def ffprobe(path: Path, *entries: str) -> dict:
    """ffprobe's JSON for `path` (e.g. "-show_streams", "-show_chapters", "-show_format")."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *entries, str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def decode(path: Path, rate: int = 44100) -> np.ndarray:
    """Decode any audio file with ffmpeg to mono float samples at `rate`."""
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
        check=True, capture_output=True,
    )  # fmt: skip
    return np.frombuffer(out.stdout, dtype="<i2").astype(np.float64) / 32768.0


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated loudness LUFS, true peak dBTP) as ffmpeg's ebur128 filter measures them."""
    out = subprocess.run(
        ["ffmpeg", "-nostats", "-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"],
        check=True, capture_output=True, text=True,
    ).stderr  # fmt: skip
    summary = out[out.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary).group(1))
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    return integrated, peak


def espeak_cli(
    text: str, voice: str = "en-us", rate: int = 175, pitch: int = 50, amplitude: int = 100, tmp: Path | None = None
) -> tuple[bytes, int]:
    """espeak-ng's own command line rendering of `text`: (16-bit PCM, sample rate from its WAV header)."""
    target = (tmp or Path("/tmp")) / "espeak-cli.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-a", str(amplitude), "-w", str(target), text],
        check=True,
    )  # fmt: skip
    with wave.open(str(target)) as w:
        return w.readframes(w.getnframes()), w.getframerate()


@pytest.fixture(scope="session")
def examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.txt"))


@pytest.fixture(autouse=True, scope="session")
def _private_sentence_cache(tmp_path_factory):
    """Every convert in the tests, in-process or a subprocess, uses a cache of this run's own."""
    import os

    folder = tmp_path_factory.mktemp("sentence-cache")
    saved = os.environ.get("AUDIO_EDITION_CACHE_DIR")
    os.environ["AUDIO_EDITION_CACHE_DIR"] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop("AUDIO_EDITION_CACHE_DIR", None)
    else:
        os.environ["AUDIO_EDITION_CACHE_DIR"] = saved
