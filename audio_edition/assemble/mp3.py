"""Assemble rendered sentences into one MP3, with exact sample positions.

Each sentence's audio is trimmed to its speech, resampled to 44.1 kHz,
levelled to the loudness target and limited under the true-peak ceiling
(`master`), then encoded with LAME together with the pause before it
(`segment`). Segments are encoded separately, in parallel and cached, and the
`EpisodeWriter` joins their frames and writes one LAME Info frame for the
whole file: mutagen reads the exact length and gapless decoders (ffmpeg,
browsers) trim the encoder's priming and padding. Every position the writer
returns is a count of output samples, so chapter and caption times are exact
to the sample.
"""

from __future__ import annotations

import functools
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from audio_edition.assemble import loudness
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
    start, end = _audible(samples, rate)
    return samples[start:end]


def _audible(samples: np.ndarray, rate: int) -> tuple[int, int]:
    threshold = 10 ** (SPEECH_THRESHOLD_DB / 20)
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if len(loud) == 0:
        return 0, 0
    edge = round(EDGE_S * rate)
    return max(0, int(loud[0]) - edge), int(loud[-1]) + 1 + edge


def trim_quiet(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` from the first to the last 5 ms frame louder than QUIET_THRESHOLD_DB (RMS), plus EDGE_S."""
    start, end = _not_quiet(samples, rate)
    return samples[start:end]


def _not_quiet(samples: np.ndarray, rate: int) -> tuple[int, int]:
    frame = rate // 200
    count = len(samples) // frame
    if count == 0:
        return 0, len(samples)
    rms = np.sqrt((samples[: count * frame].reshape(count, frame) ** 2).mean(axis=1))
    loud = np.flatnonzero(rms > 10 ** (QUIET_THRESHOLD_DB / 20))
    if len(loud) == 0:
        return 0, 0
    edge = round(EDGE_S * rate)
    return max(0, int(loud[0]) * frame - edge), min(len(samples), (int(loud[-1]) + 1) * frame + edge)


def master(audio: Audio) -> np.ndarray:
    """One sentence as 16-bit samples at 44.1 kHz, trimmed, levelled and peak-limited."""
    return master_timed(audio)[0]


def master_timed(audio: Audio) -> tuple[np.ndarray, tuple[tuple[int, int], ...]]:
    """`master`, and the engine's word starts moved onto the mastered clip: (character, sample)."""
    import soxr  # noqa: PLC0415

    x = np.frombuffer(audio.samples, dtype="<i2").astype(np.float64) / 32768.0
    start, end = _audible(x, audio.sample_rate)
    x = x[start:end]
    if len(x) == 0:
        return np.zeros(0, dtype="<i2"), ()
    # Levelled and limited at the engine's own rate (half the samples or fewer), then resampled:
    # resampling leaves loudness as it is, and the true peak (4x oversampled) carries over.
    x = loudness.normalize(x, audio.sample_rate, TARGET_LUFS + ENCODER_LOSS_LU, TRUE_PEAK_CEILING_DB)
    if audio.sample_rate != RATE:
        x = soxr.resample(x, audio.sample_rate, RATE, quality="HQ")
    quiet_start, quiet_end = _not_quiet(x, RATE)
    x = x[quiet_start:quiet_end]
    last = max(len(x) - 1, 0)
    words = tuple(
        (char, min(max(round((sample - start) * RATE / audio.sample_rate) - quiet_start, 0), last))
        for char, sample in audio.words
    )
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype("<i2"), words


def lame_path() -> str:
    """The LAME command line encoder, or a clear error saying how to install it."""
    path = shutil.which("lame")
    if path is None:
        raise AssembleError("the 'lame' MP3 encoder is not installed (Debian/Ubuntu: apt-get install lame)")
    return path


BITRATE_KBPS = 64
FRAME_SAMPLES = 1152
ENCODER_DELAY = 576
"""Samples of priming LAME puts before the audio of every encode (decoders trim their own 529)."""
_LAME_ARGS = ["--quiet", "--noreplaygain", "-r", "-s", "44.1", "--bitwidth", "16", "--signed", "--little-endian",
               "-m", "m", "--cbr", "-b", str(BITRATE_KBPS)]  # fmt: skip


MASTERING_VERSION = 6
"""Raised when mastering changes in a way its settings below do not show."""


def identity() -> tuple[str, str]:
    """Everything here that changes a mastered, encoded sentence (its settings; LAME's version and
    arguments): part of each sentence's cache key."""
    settings = (f"master {MASTERING_VERSION}; rate={RATE} target={TARGET_LUFS} loss={ENCODER_LOSS_LU} "
                f"ceiling={TRUE_PEAK_CEILING_DB} threshold={SPEECH_THRESHOLD_DB} "
                f"quiet={QUIET_THRESHOLD_DB} edge={EDGE_S}")  # fmt: skip
    return settings, encoder_identity()


@functools.lru_cache(maxsize=1)
def encoder_identity() -> str:
    """LAME's version and our settings: part of every cached segment's key."""
    out = subprocess.run([lame_path(), "--version"], capture_output=True, text=True).stdout
    return f"{out.splitlines()[0] if out else 'lame'}; {' '.join(_LAME_ARGS)}"


def encode(pcm: np.ndarray) -> bytes:
    """MP3 frames for 16-bit mono 44.1 kHz `pcm`, without an Info frame."""
    result = subprocess.run([lame_path(), *_LAME_ARGS, "-t", "-", "-"], input=pcm.astype("<i2").tobytes(),
                            capture_output=True)  # fmt: skip
    if result.returncode != 0 or not result.stdout:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise AssembleError(f"the MP3 encoder failed: {message[-1] if message else 'no output'}")
    return result.stdout


def frames(data: bytes) -> list[bytes]:
    """The frames of CBR MPEG-1 Layer III `data`; an AssembleError if it is anything else."""
    out = []
    i = 0
    while i < len(data):
        header = int.from_bytes(data[i : i + 4], "big")
        if len(data) - i < 4 or header >> 21 != 0x7FF or (header >> 12) & 0xF != 5 or (header >> 10) & 3 != 0:
            raise AssembleError("a cached or encoded MP3 segment is damaged")
        size = 144 * BITRATE_KBPS * 1000 // RATE + ((header >> 9) & 1)
        out.append(data[i : i + size])
        i += size
    return out


def segment(pause_samples: int, clip: np.ndarray) -> bytes:
    """A pause then a clip, encoded on their own: the unit that is cached and joined."""
    return encode(np.concatenate((np.zeros(pause_samples, dtype="<i2"), clip.astype("<i2"))))


def _crc16(data: bytes, crc: int = 0) -> int:
    """CRC-16 (polynomial 0x8005, reflected), as the LAME tag uses for its own checksums."""
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


@functools.lru_cache(maxsize=1)
def _info_template() -> bytes:
    """The Info frame LAME writes for these settings (encoding a moment of silence into a seekable file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.mp3"
        subprocess.run([lame_path(), *_LAME_ARGS, "-", str(path)], input=bytes(RATE // 10 * 2), check=True,
                       capture_output=True)  # fmt: skip
        frame = path.read_bytes()[: 144 * BITRATE_KBPS * 1000 // RATE]
    if frame[21:25] not in (b"Info", b"Xing") or frame[141:145] != b"LAME":
        raise AssembleError("this LAME does not write the Info frame audio-edition needs")
    return frame


class EpisodeWriter:
    """Joins encoded segments into one MP3 and writes its LAME Info frame.

    Every segment starts with LAME's 576 samples of priming and ends in padding,
    both silence, and each first frame owes nothing to the one before (a fresh
    encoder has an empty bit reservoir), so frames from separate encodes join
    cleanly; the joins fall in pauses. The Info frame in front gives the total
    frame count, the priming of the first segment and the padding of the last:
    gapless decoders trim exactly those, and mutagen reads an exact length.
    Segment k's audio starts at the sum of the earlier segments' frames times
    1152, which `add` returns: every position is a sample count.
    """

    def __init__(self, mp3: Path) -> None:
        self.mp3 = mp3
        self._handle = mp3.open("wb")
        self._handle.write(bytes(len(_info_template())))  # the Info frame goes here at the end
        self._frames = 0
        self._bytes = 0
        self._end = 0

    def add(self, encoded: bytes, samples: int) -> int:
        """Append a segment of `samples` samples; returns where its first sample sits in the episode."""
        count = len(frames(encoded))
        start = self._frames * FRAME_SAMPLES
        self._handle.write(encoded)
        self._frames += count
        self._bytes += len(encoded)
        self._end = start + samples
        return start

    def finish(self) -> int:
        """Write the Info frame and close; returns the episode's length in samples."""
        template = bytearray(_info_template())
        padding = self._frames * FRAME_SAMPLES - ENCODER_DELAY - self._end
        total = len(template) + self._bytes
        template[29:33] = struct.pack(">I", self._frames)
        template[33:37] = struct.pack(">I", total)
        template[37:137] = bytes(min(255, i * 256 // 100) for i in range(100))  # CBR: a straight line
        template[162:165] = bytes([ENCODER_DELAY >> 4, ((ENCODER_DELAY & 0xF) << 4) | (padding >> 8), padding & 0xFF])
        template[169:173] = struct.pack(">I", total)
        # The music CRC stays zero: no decoder checks it, and computing it in Python costs about a
        # second per hour of audio. The tag's own CRC below is computed.
        template[173:175] = b"\x00\x00"
        template[175:177] = struct.pack(">H", _crc16(bytes(template[:175])))
        self._handle.seek(0)
        self._handle.write(template)
        self._handle.close()
        return self._end

    def abort(self) -> None:
        self._handle.close()
