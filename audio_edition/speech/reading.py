"""The reading script: what is spoken, in what order, with which pauses and chapters.

An Article becomes a sequence of `Line`s: a spoken intro (the headline, "By"
the author, the publication date said naturally), then the body sentence by
sentence. Photo captions are read only when asked. Chapters follow the
article's own structure ("captions as chapters"): the opening at 0 titled with
the headline, then one at every subheading and photo caption, starting with
the next spoken sentence; or, in "sentences" mode, one per spoken sentence.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from audio_edition.model import (
    Article,
    Line,
    PauseKind,
    Sentence,
    SentenceRole,
)
from audio_edition.speech import to_spoken
from audio_edition.speech.intro import wording

if TYPE_CHECKING:
    from audio_edition.cache import SentenceCache

ChapterMode = Literal["auto", "sentences"]


def date_line(article: Article, language: str = "en") -> str | None:
    """The intro's date sentence as written: "Published Thursday, June 18, 2026, at 2:05 p.m.", in `language`.

    The speech stage says it like any other sentence ("June eighteenth, twenty
    twenty-six, at two oh five PM").
    """
    return wording(language).date_line(article)


def _speakable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


Speak = Callable[[str], str]
"""Written sentence -> spoken text (the speech stage, with the voice's lexicon)."""


def _sentences(article: Article, read_captions: bool, speak: Speak, language: str) -> Iterator[Sentence]:
    """Every sentence in reading order, the intro first; split and introduced as `language` does it."""
    from audio_edition.speech.sentences import split_sentences  # noqa: PLC0415 - nltk: not for a cached script

    intro = [article.title]
    if article.author:
        intro.append(wording(language).byline(article.author))
    date = date_line(article, language)
    if date:
        intro.append(date)
    for i, text in enumerate(intro):
        yield Sentence(written=text, spoken=speak(text), role="intro", block=-1, first_in_block=i == 0)
    title_said = True  # a page without a headline lends its first sentence as the title: say it once
    for index, block in enumerate(article.blocks):
        if block.kind == "caption" and not read_captions:
            continue
        role: SentenceRole = block.kind
        parts = [block.text] if block.kind == "heading" else split_sentences(block.text, language)
        if title_said and parts and parts[0].strip() == article.title.strip():
            parts = parts[1:]
        title_said = False
        first = True
        for part in parts:
            spoken = speak(part)
            if not _speakable(spoken):
                continue
            yield Sentence(written=part, spoken=spoken, role=role, block=index, first_in_block=first)
            first = False


def script(article: Article, chapters: ChapterMode = "auto", read_captions: bool = False, speak: Speak = to_spoken,
           language: str = "en") -> tuple[Line, ...]:  # fmt: skip
    """The whole reading, each sentence with its pause and, where one starts, its chapter; `language` (the
    voice's) splits the sentences and words the intro."""
    sentences = list(_sentences(article, read_captions, speak, language))
    pending, images = _chapter_marks(article, sentences) if chapters == "auto" else ({}, {})
    lines: list[Line] = []
    previous_block = -2
    for i, sentence in enumerate(sentences):
        if chapters == "sentences":
            title: str | None = sentence.written
        elif i == 0:
            title = article.title
        else:
            title = pending.get(i)
        pause: PauseKind
        if i == 0:
            pause = "lead_in"
        elif title is not None:
            pause = "chapter"
        elif sentence.block != previous_block or sentence.first_in_block:
            pause = "paragraph"
        else:
            pause = "sentence"
        lines.append(Line(sentence=sentence, pause=pause, chapter=title, chapter_image=images.get(i)))
        previous_block = sentence.block
    return tuple(lines)


def _chapter_marks(article: Article, sentences: list[Sentence]) -> tuple[dict[int, str], dict[int, str]]:
    """Sentence index -> chapter title, for every caption and heading in the body;
    and sentence index -> chapter image, for those with a captioned image.

    A mark starts with the next spoken sentence at or after its block. Marks
    that would start at the same sentence (a caption straight before a
    heading) share one chapter, their titles joined, rather than leave a
    chapter of no length.
    """
    first_of_block: dict[int, int] = {}
    for i, sentence in enumerate(sentences):
        if sentence.block >= 0:
            first_of_block.setdefault(sentence.block, i)
    marks: dict[int, list[str]] = {}
    images: dict[int, str] = {}
    for index, block in enumerate(article.blocks):
        if block.kind not in ("caption", "heading"):
            continue
        target = next((first_of_block[b] for b in range(index, len(article.blocks)) if b in first_of_block), None)
        if target is None:
            continue  # nothing is spoken after it
        marks.setdefault(target, []).append(block.text)
        if block.image:
            images.setdefault(target, block.image)
    return {i: " / ".join(titles) for i, titles in marks.items()}, images


_SCRIPT_FORMAT = "reading script 1"


def cached_script(article: Article, chapters: ChapterMode, read_captions: bool, speak: Speak,
                  cache: SentenceCache | None, voice: str, lexicons: Sequence[str],
                  language: str = "en") -> tuple[Line, ...]:  # fmt: skip
    """`script()`, from the cache when this article was read before with the same settings, voice
    (`voice`: its profile's repr), lexicons and code.

    A re-run of an unchanged article then needs neither the sentence splitter
    nor the speech rules, which are most of a re-run's start-up.
    """
    from audio_edition.cache import SentenceCache, package_digest  # noqa: PLC0415

    key = ""
    if cache is not None:
        key = SentenceCache.key(_SCRIPT_FORMAT, package_digest(), repr(article), chapters, str(read_captions),
                                voice, _lexicon_digest(lexicons), language)  # fmt: skip
        payload = cache.get(key, count=False)  # `hits` counts sentences
        if payload is not None:
            try:
                return _lines_from_json(payload)
            except (ValueError, KeyError, TypeError):
                pass  # an entry from elsewhere: read the article again
    lines = script(article, chapters, read_captions, speak, language)
    if cache is not None:
        cache.put(key, json.dumps([dataclasses.asdict(line) for line in lines], ensure_ascii=False).encode())
    return lines


def _lines_from_json(payload: bytes) -> tuple[Line, ...]:
    return tuple(Line(**(item | {"sentence": Sentence(**item["sentence"])})) for item in json.loads(payload))


def _lexicon_digest(lexicons: Sequence[str]) -> str:
    from audio_edition.speech.lexicon import find_lexicon  # noqa: PLC0415

    digest = hashlib.sha256()
    for name in lexicons:
        digest.update(find_lexicon(name).read_bytes() + b"\0")
    return digest.hexdigest()
