"""audio-edition: written articles in, podcast-ready audio editions out.

The library behind the `audio-edition` command. `convert()` runs the whole
pipeline; the data types and errors are public too.
"""

from audio_edition.errors import (
    AssembleError,
    AudioEditionError,
    InputError,
    OutputError,
    SynthesisError,
    VoiceError,
)
from audio_edition.model import (
    Article,
    Audio,
    Block,
    Chapter,
    Cue,
    Episode,
    Line,
    Sentence,
)

__all__ = [
    "Article",
    "AssembleError",
    "Audio",
    "AudioEditionError",
    "Block",
    "Chapter",
    "Cue",
    "Episode",
    "InputError",
    "Line",
    "OutputError",
    "Sentence",
    "SynthesisError",
    "VoiceError",
    "convert",
]


def __getattr__(name: str) -> object:
    # convert() pulls in the whole pipeline; import it only when asked for.
    if name == "convert":
        from audio_edition.pipeline import convert

        return convert
    raise AttributeError(name)
