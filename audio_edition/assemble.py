"""Assemble rendered sentences into one MP3, with exact sample positions.

Each sentence's audio is trimmed to its speech, resampled to 44.1 kHz,
levelled to the loudness target and limited under the true-peak ceiling
(`master`). The `Assembler` then streams pauses and clips, in order, into one
LAME process that writes a seekable file: a single encode, so there are no
joins to drift, and LAME's Info/Xing frame records the encoder delay and
padding, which gapless decoders (ffmpeg, browsers) trim. Every position the
assembler returns is a count of output samples, so chapter and caption times
are exact to the sample.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from audio_edition import loudness
from audio_edition.errors import AssembleError
from audio_edition.model import Audio

RATE = 44100
TARGET_LUFS = -19.0
"""Integrated loudness of the mono file, measured over its one channel.

-16 LUFS is the podcast norm for stereo; a mono file played on two speakers
is heard 3 LU louder than it meters, so -19 LUFS mono is heard as -16."""
ENCODER_LOSS_LU = 0.4
"""What LAME at 64 kbps takes off the measured loudness of speech (its
psychoacoustic model drops weak high-frequency detail that K-weighting
counts): measured here as 0.42-0.47 LU on espeak-ng voices. Clips are
levelled this much above the target so that the MP3 lands on it."""
TRUE_PEAK_CEILING_DB = -2.0
"""Ceiling on the PCM, a decibel under the -1 dBTP the MP3 must keep: MP3
encoding raises inter-sample peaks a little."""
SPEECH_THRESHOLD_DB = -55.0
"""Below this a sample of the engine's output counts as silence (the first, rough trim)."""
QUIET_THRESHOLD_DB = -48.0
"""After levelling, 5 ms frames quieter than this at either end are breath or noise, not speech:
a neural voice's tail can hang there for a tenth of a second."""
EDGE_S = 0.008
"""Kept on each side of the first and last audible sample."""


@dataclass(frozen=True)
class Pauses:
    """Silence in seconds inserted before a sentence, by where it stands."""

    lead_in: float = 0.35
    """Before the first sentence of the episode."""
    sentence: float = 0.55
    """Between sentences of one paragraph."""
    paragraph: float = 0.9
    """Before the first sentence of a paragraph."""
    chapter: float = 1.4
    """Before a sentence that starts a chapter."""
    tail: float = 1.0
    """After the last sentence."""


def trim(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` without the silence before the first and after the last audible sample."""
    threshold = 10 ** (SPEECH_THRESHOLD_DB / 20)
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if len(loud) == 0:
        return samples[:0]
    edge = round(EDGE_S * rate)
    return samples[max(0, loud[0] - edge) : loud[-1] + 1 + edge]


def trim_quiet(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` from the first to the last 5 ms frame louder than QUIET_THRESHOLD_DB (RMS), plus EDGE_S."""
    frame = rate // 200
    count = len(samples) // frame
    if count == 0:
        return samples
    rms = np.sqrt((samples[: count * frame].reshape(count, frame) ** 2).mean(axis=1))
    loud = np.flatnonzero(rms > 10 ** (QUIET_THRESHOLD_DB / 20))
    if len(loud) == 0:
        return samples[:0]
    edge = round(EDGE_S * rate)
    return samples[max(0, loud[0] * frame - edge) : min(len(samples), (loud[-1] + 1) * frame + edge)]


def master(audio: Audio) -> np.ndarray:
    """One sentence as 16-bit samples at 44.1 kHz, trimmed, levelled and peak-limited."""
    import soxr  # noqa: PLC0415

    x = np.frombuffer(audio.samples, dtype="<i2").astype(np.float64) / 32768.0
    x = trim(x, audio.sample_rate)
    if len(x) == 0:
        return np.zeros(0, dtype="<i2")
    if audio.sample_rate != RATE:
        x = soxr.resample(x, audio.sample_rate, RATE, quality="HQ")
    x = loudness.normalize(x, RATE, TARGET_LUFS + ENCODER_LOSS_LU, TRUE_PEAK_CEILING_DB)
    x = trim_quiet(x, RATE)
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype("<i2")


def lame_path() -> str:
    """The LAME command line encoder, or a clear error saying how to install it."""
    path = shutil.which("lame")
    if path is None:
        raise AssembleError("the 'lame' MP3 encoder is not installed (Debian/Ubuntu: apt-get install lame)")
    return path


class Assembler:
    """Streams silence and speech into LAME; knows the sample position of everything."""

    def __init__(self, mp3: Path, bitrate_kbps: int = 64) -> None:
        self.mp3 = mp3
        self.position = 0
        self._proc = subprocess.Popen(
            [
                lame_path(), "--quiet", "--noreplaygain",
                "-r", "-s", "44.1", "--bitwidth", "16", "--signed", "--little-endian",
                "-m", "m", "--cbr", "-b", str(bitrate_kbps),
                "-", str(mp3),
            ],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        self._stdin: IO[bytes] = self._proc.stdin  # type: ignore[assignment]

    def _write(self, samples: np.ndarray) -> None:
        try:
            self._stdin.write(samples.astype("<i2").tobytes())
        except BrokenPipeError:
            self._fail()
        self.position += len(samples)

    def silence(self, seconds: float) -> None:
        """Append `seconds` of digital silence."""
        self._write(np.zeros(round(seconds * RATE), dtype="<i2"))

    def speech(self, clip: np.ndarray) -> tuple[int, int]:
        """Append a mastered clip; return its first and one-past-last sample positions."""
        start = self.position
        self._write(clip)
        return start, self.position

    def finish(self) -> int:
        """Close the stream, wait for LAME; return the total number of samples."""
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()
        if self._proc.wait() != 0:
            self._fail()
        return self.position

    def abort(self) -> None:
        """Stop LAME without finishing the file."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def _fail(self) -> None:
        self.abort()
        message = (self._proc.stderr.read() if self._proc.stderr else b"").decode(errors="replace")
        last = message.strip().splitlines()[-1] if message.strip() else "no message"
        raise AssembleError(f"the MP3 encoder failed: {last}")
