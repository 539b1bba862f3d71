"""convert(): the stages wired together into one episode folder.

clean -> reading script (sentences, speech) -> voice -> assemble -> captions,
chapters, tags -> publish. The episode is written into a staging folder
(`folder.Staging`) and moved into place only when complete, so an interrupted
or failed convert leaves nothing half-written.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audio_edition import episode as episode_folder
from audio_edition.assemble.mp3 import RATE, Pauses
from audio_edition.assemble.sidecars import write_sidecars
from audio_edition.assemble.timeline import lay_out
from audio_edition.cache import SentenceCache
from audio_edition.cache import default_dir as default_cache_dir
from audio_edition.engines import engine_class
from audio_edition.errors import InputError
from audio_edition.folder import Staging, prepare_out_dir, slugify
from audio_edition.inputs import Source
from audio_edition.inputs.text import parse_article
from audio_edition.model import Article, Channel, Episode
from audio_edition.render import Progress, render
from audio_edition.voices import VoiceProfile, language_mismatch, load_profile

if TYPE_CHECKING:
    from audio_edition.speech.reading import ChapterMode

__all__ = ["Options", "convert", "preview", "speaker"]


@dataclass(frozen=True)
class Options:
    """How to convert."""

    out_dir: Path = Path("out")
    voice: str = "default"
    chapters: ChapterMode = "auto"
    read_captions: bool = False
    pauses: Pauses = field(default_factory=Pauses)
    cache_dir: Path | None = None
    """Sentence cache folder; None: $AUDIO_EDITION_CACHE_DIR or the user cache folder."""
    use_cache: bool = True
    executor: Executor | None = None
    """Where sentences render; None: a pool of local processes."""
    quiet: bool = False
    """No progress bar even on a terminal."""
    publish: bool = True
    """Record the episode in the output folder's catalog, feed.xml and index.html."""


def convert(source: Source | Article, options: Options = Options(), origin: str | None = None) -> Episode:
    """Turn one input (text to clean, or an Article) into an episode folder `options.out_dir/<slug>/`.

    With `options.publish`, the episode also enters the output folder's catalog,
    feed.xml and index.html, in one locked step with moving its folder into place;
    if publishing fails, the folder that was there before is put back. `origin`
    is the input as the user gave it (a feed's link that may redirect), kept in episode.json.
    """
    profile = load_profile(options.voice)
    article = source if isinstance(source, Article) else parse_article(source.text)
    if (mismatch := language_mismatch(article.language, profile)) is not None:
        print(f"audio-edition: warning: {mismatch}", file=sys.stderr)
    out_dir = options.out_dir
    prepare_out_dir(out_dir)
    # The ID3 album is the show: the channel's title when the episode is published into it.
    album = Channel().title
    if options.publish:
        from audio_edition import publish  # noqa: PLC0415

        album = publish.check(out_dir).title
    guid = episode_folder.guid(article)
    staging = Staging(out_dir, slugify(article.title), guid)
    try:
        episode = _make(article, profile, options, staging.path / f"{staging.slug}.mp3", origin, album)
        staging.ready()
        if options.publish:
            # The publish step moves the folder in (or puts everything back); from here it owns the folder.
            staging.published(out_dir / publish.add(out_dir, staging.path, staging.slug).slug)
            feed = {"file": str((out_dir / publish.FEED_NAME).resolve()),
                    "url": publish.feed_url(out_dir), "guid": guid}  # fmt: skip
            episode = dataclasses.replace(episode, feed=feed)
        else:
            staging.install()
    except BaseException:
        staging.roll_back()
        raise
    finally:
        staging.close()
    assert staging.final is not None
    return _relocate(episode, staging.path, staging.final)


def speaker(profile: VoiceProfile, engine_text: bool = True) -> Callable[[str], str]:
    """The speech stage for this voice: its lexicons, phonemes if its engine takes them and `engine_text`
    (False: the lexicon's readable respellings, as `normalize` shows them)."""
    from audio_edition.speech import to_spoken  # noqa: PLC0415
    from audio_edition.speech.lexicon import load_lexicon  # noqa: PLC0415

    lexicon = load_lexicon(profile.lexicons)
    phonemes = engine_text and engine_class(profile.engine).accepts_phonemes
    return functools.partial(to_spoken, lexicon=lexicon, use_phonemes=phonemes, language=profile.language)


def preview(source: Source | Article, voice: str = "default", as_article: bool = False,
            read_captions: bool = False, engine_text: bool = False) -> list[str]:  # fmt: skip
    """What the voice will say, one sentence per item.

    Plain text is split into sentences as it stands; `as_article` (or an
    Article) cleans it as a page first and gives the whole reading, spoken intro included.
    Lexicon entries show their respelling; `engine_text` shows what the engine is given
    instead (espeak-ng phonemes as `[[...]]` where the entry has them).
    """
    from audio_edition.speech.reading import script  # noqa: PLC0415
    from audio_edition.speech.sentences import split_sentences  # noqa: PLC0415

    profile = load_profile(voice)
    speak = speaker(profile, engine_text)
    if isinstance(source, Article) or as_article:
        article = source if isinstance(source, Article) else parse_article(source.text)
        return [line.sentence.spoken for line in script(article, "auto", read_captions, speak, profile.language)]
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", source.text) if p.strip()]
    return [speak(sentence) for paragraph in paragraphs for sentence in split_sentences(paragraph, profile.language)]


def _make(article: Article, profile: VoiceProfile, options: Options, mp3: Path, origin: str | None,
          album: str) -> Episode:  # fmt: skip
    """Speak, voice, assemble and write the episode's files beside `mp3`."""
    from audio_edition.speech.reading import cached_script  # noqa: PLC0415

    pauses = options.pauses
    speak = _OnFirstUse(speaker, profile)
    cache = SentenceCache(options.cache_dir or default_cache_dir()) if options.use_cache else None
    lines = cached_script(article, options.chapters, options.read_captions, speak, cache, repr(profile),
                          profile.lexicons, profile.language)  # fmt: skip
    progress = Progress(len(lines), enabled=False if options.quiet else None)
    items = [(line.sentence.spoken, round(getattr(pauses, line.pause) * RATE)) for line in lines]
    # Without an executor, render() starts local workers at the first uncached sentence and stops them.
    segments = render(items, profile, options.executor, cache, progress)
    try:
        timeline = lay_out(mp3, lines, [pause for _, pause in items], segments, round(pauses.tail * RATE), speak)
    finally:
        segments.close()
    if not timeline.cues:
        raise InputError("nothing in the article could be spoken")
    files = episode_folder.paths(mp3.parent, mp3.stem, words=any(cue.words for cue in timeline.cues))
    write_sidecars(files, article, timeline.cues, timeline.chapters, album=album, language=profile.language)
    made = episode_folder.Made(article=article, cues=timeline.cues, chapters=timeline.chapters,
                               samples=timeline.samples, rate=RATE, spoken=[text for text, _ in items],
                               voice=profile.name, language=profile.language, origin=origin,
                               draft=not options.publish)  # fmt: skip
    return episode_folder.write(files, made, sentences_cached=cache.hits if cache else 0)


class _OnFirstUse:
    """`factory(*args)`, made when first called: the speech stage is not even imported when
    the reading script comes from the cache and no word timing needs it."""

    def __init__(self, factory: Callable[..., Callable[[str], str]], *args: object) -> None:
        self.factory, self.args = factory, args
        self.made: Callable[[str], str] | None = None

    def __call__(self, text: str) -> str:
        if self.made is None:
            self.made = self.factory(*self.args)
        return self.made(text)


def _relocate(episode: Episode, staging: Path, final: Path) -> Episode:
    """The same episode, its paths pointing into `final` instead of `staging`."""
    moved = {
        f.name: final / getattr(episode, f.name).relative_to(staging)
        for f in dataclasses.fields(episode)
        if isinstance(getattr(episode, f.name), Path)
    }
    return dataclasses.replace(episode, **moved)
