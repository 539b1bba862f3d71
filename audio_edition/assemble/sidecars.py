"""The files beside the MP3 (captions, chapters, transcript, cover) and the MP3's own tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from audio_edition.assemble import captions
from audio_edition.assemble.cover import make_cover
from audio_edition.assemble.tags import TagInfo, write_tags
from audio_edition.episode import summary
from audio_edition.model import Article, Chapter, Cue
from audio_edition.speech.intro import wording


def write_sidecars(files: Mapping[str, Path], article: Article, cues: Sequence[Cue], chapters: tuple[Chapter, ...],
                   *, album: str, language: str) -> None:  # fmt: skip
    """Write each file of `files` (by output kind, from `episode.paths`) but episode.json, and tag the MP3.

    The words file is written when `files` names one.
    """
    transcript = captions.transcript(article, language)
    cover = make_cover(
        article.title, wording(language).byline(article.author, sentence=False) if article.author else ""
    )
    _write(files["vtt"], captions.to_webvtt(cues))
    if "words_vtt" in files:
        _write(files["words_vtt"], captions.to_webvtt_words(cues))
    _write(files["srt"], captions.to_srt(cues))
    _write(files["chapters_json"], captions.chapters_json(chapters))
    _write(files["transcript"], transcript)
    files["cover"].write_bytes(cover)
    write_tags(
        files["mp3"],
        TagInfo(
            title=article.title,
            author=article.author or "",
            album=album,
            published=article.published,
            has_time=article.has_time,
            language=iso639_2(language),
            comment=summary(article),
            transcript=transcript,
            source_url=article.source,
            cover_jpeg=cover,
            chapters=chapters,
        ),
    )


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


_ISO639_2 = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld", "pt": "por"}


def iso639_2(language: str) -> str:
    """The ID3 language code of a BCP 47 tag ("en-US" -> "eng"); "und" when unknown."""
    return _ISO639_2.get(language.split("-")[0].lower(), "und")
