"""hibari, a small neural voice distilled from Kokoro (optional: `pip install audio-edition[hibari]`).

hibari-tts ships one voice inside its wheel, "heart" (American English, 7.9 MB); it would download
its other voices on first use, which this project never lets it do. A profile names either
"heart" or the path of a voice model installed by hand (`voice = "/path/to/emma.onnx"`, one of the
files hibari's registry lists); any other name is a clear error, never a network call.

The speech stage's spoken text goes in; hibari's own front end turns it into phonemes (its
lexicons and spelling rules, in the wheel), except where the pronunciation lexicon gave espeak-ng
phonemes: those are mapped to hibari's alphabet (`from_espeak`). A fixed noise seed makes identical text give identical
samples, so the sentence cache works. Word timings come from the model's phoneme durations: the
duration predictor's rounded output is in its ONNX graph, and a copy of the model exposing it as
a seventh output is made once into the user cache folder (with the onnx package, as for Piper).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from audio_edition.engines import Engine
from audio_edition.errors import SynthesisError, VoiceError
from audio_edition.model import Audio
from audio_edition.speech.timing import spoken_tokens

BUNDLED = "heart"
NEUTRAL_RATE = 175
"""Words per minute that mean the model's own pace (speed 1.0)."""
SEED = 20260601
"""The noise seed of every sentence: the same text, the same samples."""
MAX_PHONEMES = 400
"""The most phonemes the model is given at once (hibari's own limit): longer clauses are cut at words."""
_DURATIONS = "/Clip_output_0"
"""The duration predictor's rounded output in hibari's graph: model frames (600 samples) per phoneme id."""
_SAMPLES_PER_UNIT = 600
_LEAD = 1200
"""Samples a phoneme is heard before its frames begin: half the synthesis window (n_fft 1200) reaches
back 600, and the durations are whole frames of 600 (measured: word onsets 40-70 ms before the sums)."""
_PATCH_VERSION = "1"

_PATCH = f"""
import os, sys, onnx
model = onnx.load(sys.argv[1])
names = {{node.output[0] for node in model.graph.node if node.output}}
assert {_DURATIONS!r} in names, "no duration output in this model"
model.graph.output.append(onnx.helper.make_tensor_value_info({_DURATIONS!r}, onnx.TensorProto.FLOAT, None))
onnx.save(model, sys.argv[2] + ".part")
import numpy, onnxruntime
session = onnxruntime.InferenceSession(sys.argv[2] + ".part", providers=["CPUExecutionProvider"])
session.run(None, {{"ids": numpy.array([[0, 50, 16, 51, 0]], dtype=numpy.int64),
                   "speed": numpy.array([1.0], dtype=numpy.float32)}})
os.replace(sys.argv[2] + ".part", sys.argv[2])
"""


def _registry() -> dict[str, dict[str, Any]]:
    from hibari.voices import VOICES  # noqa: PLC0415 - reads a small JSON file, no network

    return dict(VOICES)


def _model(voice: str) -> tuple[Path, str]:
    """(the model file, the registry name that picks its spelling rules) for a profile's `voice`."""
    if importlib.util.find_spec("hibari") is None:
        raise VoiceError("hibari is not installed: pip install 'audio-edition[hibari]' (or hibari-tts)")
    registry = _registry()
    if voice == BUNDLED:
        import hibari  # noqa: PLC0415

        return Path(hibari.__file__).parent / "assets" / registry[BUNDLED]["file"], BUNDLED
    if voice in registry:
        raise VoiceError(
            f"the hibari voice {voice!r} is not installed, and nothing is downloaded: fetch "
            f"{registry[voice]['file']} by hand (see `audio-edition voices`) and set "
            f'voice = "/path/to/{registry[voice]["file"]}" in the profile'
        )
    path = Path(voice).expanduser()
    if not path.is_file():
        known = ", ".join(sorted(registry))
        raise VoiceError(f"hibari voice {voice!r} not found: give {BUNDLED!r} or the path of a voice file ({known})")
    name = next((n for n, v in registry.items() if v["file"] == path.name), BUNDLED)
    return path, name


def not_installed() -> list[tuple[str, str]]:
    """hibari's voices that are not here, (name, one line on it and how to install it by hand)."""
    if importlib.util.find_spec("hibari") is None:
        return []
    from hibari.voices import BASE_URL  # noqa: PLC0415

    found = []
    for name, v in _registry().items():
        if v.get("bundled"):
            continue
        about = f"{v['language']} {v['gender']}, {v['accent']}, {v['bytes'] / 1e6:.1f} MB"
        found.append((name, f"{about}: download {BASE_URL}{v['file']} and set voice to its path in a profile"))
    return found


# espeak-ng's English phoneme names (the lexicon's third column) -> hibari's alphabet (misaki's, as Kokoro
# was trained on): longest first. Length marks and espeak-ng's own markers carry nothing here.
_ESPEAK = (
    ("eI", "A"), ("aI", "I"), ("aU", "W"), ("OI", "Y"), ("oU", "O"), ("dZ", "ʤ"), ("tS", "ʧ"), ("i@3", "iəɹ"),
    ("i@", "iə"), ("e@", "ɛɹ"), ("A@", "ɑɹ"), ("O@", "ɔɹ"), ("o@", "ɔɹ"), ("U@", "ʊɹ"), ("3:", "ɜɹ"), ("A:", "ɑ"),
    ("O:", "ɔ"), ("i:", "i"), ("u:", "u"), ("@L", "ᵊl"), ("@5", "ᵊl"), ("aa", "æ"), ("a#", "ə"), ("I#", "ɪ"),
    ("I2", "ɪ"), ("E2", "ɛ"), ("'", "ˈ"), (",", "ˌ"), ("@", "ə"), ("3", "əɹ"), ("I", "ɪ"), ("E", "ɛ"), ("a", "æ"),
    ("A", "ɑ"), ("O", "ɔ"), ("U", "ʊ"), ("V", "ʌ"), ("0", "ɑ"), ("i", "i"), ("u", "u"), ("e", "ɛ"), ("o", "O"),
    ("S", "ʃ"), ("Z", "ʒ"), ("T", "θ"), ("D", "ð"), ("N", "ŋ"), ("r", "ɹ"), ("R", "ɹ"), ("g", "ɡ"), ("x", "k"),
    ("L", "l"), ("?", "ʔ"), ("j", "j"), ("w", "w"), ("h", "h"), ("l", "l"), ("m", "m"), ("n", "n"), ("p", "p"),
    ("b", "b"), ("t", "t"), ("d", "d"), ("k", "k"), ("f", "f"), ("v", "v"), ("s", "s"), ("z", "z"),
    (":", ""), (";", ""), ("#", ""), ("2", ""), ("_", ""), ("!", ""), ("=", ""),
)  # fmt: skip
_PHONEMES = re.compile(r"\[\[(.*?)\]\]")


def from_espeak(phonemes: str) -> str | None:
    """espeak-ng phonemes ("w'In") in hibari's alphabet ("wˈɪn"); None when a symbol has no counterpart."""
    out, i = [], 0
    words = phonemes.split()
    for word in words:
        i, piece = 0, []
        while i < len(word):
            for name, symbol in _ESPEAK:
                if word.startswith(name, i):
                    piece.append(symbol)
                    i += len(name)
                    break
            else:
                return None
        out.append("".join(piece))
    return " ".join(out) or None


class HibariEngine(Engine):
    """A hibari voice, loaded once per process on first use."""

    name = "hibari"
    accepts_phonemes = True
    """The lexicon's espeak-ng phonemes are mapped to hibari's alphabet (from_espeak)."""

    def __init__(self, voice: str = BUNDLED, rate: int = NEUTRAL_RATE, pitch: int = 50, volume: float = 1.0) -> None:
        self.voice = voice
        self.rate = int(rate)
        self.volume = float(volume)
        self.model, self.registry_name = _model(voice)
        self._tts: Any = None
        self._session: Any = None
        self._timed = False

    def identity(self) -> str:
        from importlib.metadata import version  # noqa: PLC0415

        stat = self.model.stat()
        return (f"hibari {version('hibari-tts')}; model={self.model.name} {stat.st_size}; seed={SEED}; "
                f"rate={self.rate} volume={self.volume:g}")  # fmt: skip

    def _load(self) -> Any:
        if self._tts is None:
            from hibari import Hibari  # noqa: PLC0415 - onnxruntime is slow to import

            aligned = _aligned_model(self.model)
            self._timed = aligned is not None
            # One thread: sentences render in parallel, one worker process per core.
            self._tts = Hibari(voice=self.registry_name, model=str(aligned or self.model), threads=1)
        return self._tts

    def synthesize(self, text: str) -> Audio:
        if not text.strip():
            raise SynthesisError("cannot synthesize an empty sentence")
        import numpy as np  # noqa: PLC0415
        from hibari import dsp  # noqa: PLC0415

        tts = self._load()
        try:
            chunks = [piece for ps in _phonemize(tts, text) for piece in _pieces(ps)]
        except Exception as exc:  # noqa: BLE001 - hibari's front end raises what it raises
            raise SynthesisError(f"hibari could not read the sentence {text[:60]!r}: {exc}") from None
        if not chunks:
            raise SynthesisError(f"hibari found nothing to say in the sentence {text[:60]!r}")
        rng = np.random.default_rng(SEED)
        speed = np.asarray([self.rate / NEUTRAL_RATE], np.float32)
        parts, starts, offset = [], [], 0
        for phonemes in chunks:
            ids = tts.ids(phonemes)
            try:
                out = tts.sess.run(None, {"ids": np.asarray([ids], np.int64), "speed": speed})
            except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
                raise SynthesisError(f"hibari failed on the sentence {text[:60]!r}: {exc}") from None
            wav = dsp.synth(*(o[0] for o in out[:6]), rng)
            if self._timed:
                starts += [offset + s for s in _word_starts(phonemes, tts.vocab, np.asarray(out[6]).ravel())]
            parts.append(wav)
            offset += len(wav)
        audio = np.concatenate(parts) * self.volume
        pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2")
        return Audio(samples=pcm.tobytes(), sample_rate=dsp.SR, words=_pair(text, starts))


def _phonemize(tts: Any, text: str) -> list[str]:
    """hibari's phonemes for `text`, with the lexicon's [[espeak-ng phonemes]] in its alphabet in place (an
    entry with a symbol hibari has no counterpart for is read as the letters around it would be: dropped)."""
    if "[[" not in text:
        return list(tts.phonemize(text))
    parts: list[str] = []
    last = 0
    for m in _PHONEMES.finditer(text):
        before = text[last : m.start()].strip()
        if before:
            parts.append(tts.g2p(before))
        mapped = from_espeak(m.group(1))
        if mapped:
            parts.append(mapped)
        last = m.end()
    rest = text[last:].strip()
    if rest:
        parts.append(tts.g2p(rest))
    joined = " ".join(p.strip() for p in parts if p and p.strip())
    return [joined] if joined else []


def _pieces(phonemes: str) -> list[str]:
    """A phoneme string in pieces of at most MAX_PHONEMES, cut at word spaces (hibari cuts only at
    clause punctuation, so a long clause without any would reach the model whole)."""
    if len(phonemes) <= MAX_PHONEMES:
        return [phonemes]
    pieces, current = [], ""
    for word in phonemes.split(" "):
        if current and len(current) + 1 + len(word) > MAX_PHONEMES:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
        while len(current) > MAX_PHONEMES:  # one "word" longer than a piece: cut it hard
            pieces.append(current[:MAX_PHONEMES])
            current = current[MAX_PHONEMES:]
    if current:
        pieces.append(current)
    return pieces


def _word_starts(phonemes: str, vocab: dict[str, int], durations: Any) -> list[int]:
    """The sample where each word of a phoneme string starts, from the model's per-id durations
    (the first and last ids are the silent pads)."""
    symbols = [c for c in phonemes if c in vocab]
    if len(durations) != len(symbols) + 2:
        return []
    at = int(durations[0]) * _SAMPLES_PER_UNIT
    starts, new_word = [], True
    for symbol, units in zip(symbols, durations[1:-1]):
        if symbol == " ":
            new_word = True
        elif new_word and (symbol.isalpha() or symbol in "ˈˌ"):
            starts.append(max(0, at - _LEAD))
            new_word = False
        at += int(units) * _SAMPLES_PER_UNIT
    return starts


def _pair(text: str, starts: list[int]) -> tuple[tuple[int, int], ...]:
    """(character offset, sample) for each word of `text`; the model's words paired in proportion when
    hibari's front end joined or split some."""
    tokens = spoken_tokens(text)
    if not starts or not tokens:
        return ()
    return tuple((char, starts[i * len(starts) // len(tokens)]) for i, (char, _) in enumerate(tokens))


def _aligned_model(model: Path) -> Path | None:
    """`model` with its phoneme durations as an output, made once into the user cache folder; None when
    it cannot be (no onnx package, no writable cache): then there are no word timings."""
    if importlib.util.find_spec("onnx") is None:
        return None
    from audio_edition.cache import default_dir  # noqa: PLC0415

    stat = model.stat()
    tag = hashlib.sha256(f"{model.resolve()} {stat.st_size} {stat.st_mtime_ns} {_PATCH_VERSION}".encode())
    folder = default_dir() / "hibari-models"
    patched = folder / f"{model.stem}-aligned-{tag.hexdigest()[:24]}.onnx"
    if not patched.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, "-c", _PATCH, str(model), str(patched)], check=True,
                           capture_output=True, timeout=300)  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            Path(f"{patched}.part").unlink(missing_ok=True)
            return None
    return patched
