"""audio-edition: written articles in, podcast-ready audio editions out.

The library behind the `audio-edition` command. `load_article()` reads an
input (a text, HTML or Markdown file, a URL, or "-"), `convert()` runs the whole
pipeline with its `Options`; the data types and errors are public too.

    from audio_edition import Options, convert, load_article
    episode = convert(load_article("article.txt"), Options(out_dir=Path("out")))
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
    "Options",
    "OutputError",
    "Sentence",
    "SynthesisError",
    "VoiceError",
    "convert",
    "load_article",
]


def __getattr__(name: str) -> object:
    # convert() and Options pull in the whole pipeline, load_article() the readers: imported only when asked for.
    if name in ("convert", "Options"):
        from audio_edition import pipeline  # noqa: PLC0415 - the public API loads nothing until asked

        return getattr(pipeline, name)
    if name == "load_article":
        from audio_edition.inputs import load_article  # noqa: PLC0415

        return load_article
    raise AttributeError(name)
