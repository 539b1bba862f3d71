"""Speech engines behind one small interface.

An engine turns one sentence of spoken text into mono 16-bit PCM. It has one
abstract method, `synthesize`; everything else the pipeline needs is built on
it. A new engine is one module here plus one line in `ENGINES`.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from typing import Any

from audio_edition.errors import VoiceError
from audio_edition.model import Audio


class Engine(ABC):
    """Renders spoken text to audio."""

    name: str = "engine"
    accepts_phonemes: bool = False
    """Whether text may carry espeak-ng phonemes in [[...]] (from the pronunciation lexicon)."""

    @abstractmethod
    def synthesize(self, text: str) -> Audio:
        """Render one sentence. Identical text and settings give identical samples."""

    def identity(self) -> str:
        """Everything about this engine that changes its audio (name, versions, settings): a cache key part."""
        return self.name

    def close(self) -> None:  # noqa: B027 - optional hook, not abstract
        """Release what the engine holds (temporary files, processes)."""


ENGINES: dict[str, str] = {
    "pyttsx3": "audio_edition.engines.pyttsx3:Pyttsx3Engine",
    "piper": "audio_edition.engines.piper:PiperEngine",
    "hibari": "audio_edition.engines.hibari:HibariEngine",
}
"""Engine name (as written in a voice profile) -> "module:class", imported on use."""


def engine_class(name: str) -> type[Engine]:
    """The engine class called `name`, imported on first use."""
    try:
        target = ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise VoiceError(f"unknown engine {name!r}; known engines: {known}") from None
    module_name, _, class_name = target.partition(":")
    cls: type[Engine] = getattr(importlib.import_module(module_name), class_name)
    return cls


def create_engine(name: str, **settings: Any) -> Engine:
    """Instantiate the engine called `name` with the profile's settings."""
    return engine_class(name)(**settings)
