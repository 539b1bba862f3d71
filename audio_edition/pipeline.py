"""convert(): the stages wired together, and the episode folder written atomically.

clean -> reading script (sentences, speech) -> voice -> assemble -> captions,
chapters, tags. Everything is written into a hidden staging folder inside the
output folder and moved into place only when complete, so an interrupted or
failed convert leaves nothing half-written.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from audio_edition.assemble import captions
from audio_edition.assemble.mp3 import RATE, EpisodeWriter, Pauses, encode
from audio_edition.cache import SentenceCache
from audio_edition.cache import default_dir as default_cache_dir
from audio_edition.cache import package_digest
from audio_edition.inputs.text import parse_article
from audio_edition.assemble.cover import make_cover
from audio_edition.engines import engine_class
from audio_edition.errors import InputError, OutputError
from audio_edition.inputs import Source
from audio_edition.model import Article, Channel, Chapter, Cue, Episode, Line, Sentence
from audio_edition.render import Progress, render
from audio_edition.assemble.tags import TagInfo, write_tags
from audio_edition.speech.timing import word_starts
from audio_edition.voices import VoiceProfile, load_profile

if TYPE_CHECKING:
    from audio_edition.speech.reading import ChapterMode

STAGING_PREFIX = ".staging-"


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


def slugify(title: str, limit: int = 60) -> str:
    """A folder and file name for the episode: lowercase ASCII words joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "episode"


def prepare_out_dir(out_dir: Path) -> None:
    """Create the output folder and prove it is writable, before any rendering."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    _remove_stale_staging(out_dir)


def _remove_stale_staging(out_dir: Path) -> None:
    """Staging folders left by a killed convert (their process is gone)."""
    for folder in out_dir.glob(f"{STAGING_PREFIX}*"):
        match = re.search(r"-pid(\d+)-", folder.name)
        if match and not _alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def convert(source: Source | Article, options: Options = Options(), origin: str | None = None) -> Episode:
    """Turn one input (text to clean, or an Article) into an episode folder `options.out_dir/<slug>/`.

    With `options.publish`, the episode also enters the output folder's catalog,
    feed.xml and index.html, in one locked step with moving its folder into place;
    if publishing fails, the folder that was there before is put back. `origin`
    is the input as the user gave it (a feed's link that may redirect), kept in episode.json.
    """
    profile = load_profile(options.voice)
    article = source if isinstance(source, Article) else parse_article(source.text)
    out_dir = options.out_dir
    prepare_out_dir(out_dir)
    # The ID3 album is the show: the channel's title when the episode is published into it.
    album = Channel().title
    if options.publish:
        from audio_edition import publish  # noqa: PLC0415

        album = publish.check(out_dir).title
    guid = episode_guid(article)
    slug = slugify(article.title)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{slug}-pid{os.getpid()}-", dir=out_dir))
    final: Path | None = None
    displaced: Path | None = None

    def install() -> Path:
        """Move the finished folder into place, under a name chosen now (under the publish lock:
        two converts of different articles with one title get two folders)."""
        nonlocal final, displaced
        final = out_dir / _free_slug(out_dir, slug, guid)
        if final.exists():
            displaced = final.with_name(f"{STAGING_PREFIX}old-{final.name}-pid{os.getpid()}-")
            os.replace(final, displaced)
        os.replace(staging, final)
        return final

    try:
        episode = _render(article, profile, options, staging, slug, origin, album)
        staging.chmod(0o755)  # mkdtemp makes it private; the episode is for publishing
        if options.publish:
            publish.add(out_dir, install)
            feed = {"file": str((out_dir / publish.FEED_NAME).resolve()),
                    "url": publish.feed_url(out_dir), "guid": guid}  # fmt: skip
            episode = dataclasses.replace(episode, feed=feed)
        else:
            install()
    except BaseException:
        installed = final is not None and not staging.exists()  # then publishing failed: take it back
        shutil.rmtree(staging, ignore_errors=True)
        if installed and final is not None:
            shutil.rmtree(final, ignore_errors=True)
        if displaced is not None and final is not None and not final.exists():
            os.replace(displaced, final)  # the episode that was there before
            displaced = None
        raise
    finally:
        if displaced is not None:
            shutil.rmtree(displaced, ignore_errors=True)
    assert final is not None
    return _relocate(episode, staging, final)


def _free_slug(out_dir: Path, slug: str, guid: str) -> str:
    """`slug`, or `slug-2`, `slug-3`...: a folder that is free or already holds this same article."""
    candidate, n = slug, 1
    while (out_dir / candidate).exists():
        try:
            held = json.loads((out_dir / candidate / "episode.json").read_text(encoding="utf-8")).get("guid")
        except (OSError, ValueError):
            held = None
        if held == guid:
            break
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def speaker(profile: VoiceProfile) -> Callable[[str], str]:
    """The speech stage for this voice: its lexicons, phonemes if its engine takes them."""
    from audio_edition.speech import to_spoken  # noqa: PLC0415
    from audio_edition.speech.lexicon import load_lexicon  # noqa: PLC0415

    lexicon = load_lexicon(profile.lexicons)
    phonemes = engine_class(profile.engine).accepts_phonemes
    return functools.partial(to_spoken, lexicon=lexicon, use_phonemes=phonemes, language=profile.language)


def preview(source: Source | Article, voice: str = "default", as_article: bool = False,
            read_captions: bool = False) -> list[str]:  # fmt: skip
    """What the voice will say, one sentence per item.

    Plain text is split into sentences as it stands; `as_article` (or an
    Article) cleans it as a page first and gives the whole reading, spoken intro included.
    """
    from audio_edition.speech.reading import script  # noqa: PLC0415
    from audio_edition.speech.sentences import split_sentences  # noqa: PLC0415

    speak = speaker(load_profile(voice))
    if isinstance(source, Article) or as_article:
        article = source if isinstance(source, Article) else parse_article(source.text)
        return [line.sentence.spoken for line in script(article, "auto", read_captions, speak)]
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", source.text) if p.strip()]
    return [speak(sentence) for paragraph in paragraphs for sentence in split_sentences(paragraph)]


def _render(article: Article, profile: VoiceProfile, options: Options, folder: Path, slug: str,
            origin: str | None = None, album: str = Channel().title) -> Episode:  # fmt: skip
    pauses = options.pauses
    mp3 = folder / f"{slug}.mp3"
    speak = _OnFirstUse(speaker, profile)
    cache = SentenceCache(options.cache_dir or default_cache_dir()) if options.use_cache else None
    lines = _reading(article, profile, options, cache, speak)
    progress = Progress(len(lines), enabled=False if options.quiet else None)
    items = [(line.sentence.spoken, round(getattr(pauses, line.pause) * RATE)) for line in lines]
    # Without an executor, render() starts local workers at the first uncached sentence and stops them.
    segments = render(items, profile, options.executor, cache, progress)
    writer = EpisodeWriter(mp3)
    cues: list[Cue] = []
    starts: list[tuple[str, int, str | None]] = []
    try:
        for line, (_, pause), seg in zip(lines, items, segments, strict=True):
            if seg.samples == 0:
                continue
            start = writer.add(seg.mp3, pause + seg.samples) + pause
            end = start + seg.samples
            written, spoken = line.sentence.written, line.sentence.spoken
            words = tuple((start + at) / RATE for at in word_starts(written, spoken, seg.words, speak))
            cues.append(Cue(start_s=start / RATE, end_s=end / RATE, text=written, words=words))
            if line.chapter is not None:
                starts.append((line.chapter, 0 if not starts else start, line.chapter_image))
        tail = np.zeros(round(pauses.tail * RATE), dtype="<i2")
        writer.add(encode(tail), len(tail))
        total = writer.finish()
    except BaseException:
        writer.abort()
        raise
    finally:
        segments.close()
    if not cues:
        raise InputError("nothing in the article could be spoken")
    chapters = tuple(
        Chapter(title=title, start_s=at / RATE, end_s=(starts[i + 1][1] if i + 1 < len(starts) else total) / RATE,
                image=image)
        for i, (title, at, image) in enumerate(starts)
    )
    duration = total / RATE
    transcript = captions.transcript(article)
    cover = make_cover(article.title, f"By {article.author}" if article.author else "")
    files = {
        "vtt": folder / f"{slug}.vtt",
        "srt": folder / f"{slug}.srt",
        "chapters_json": folder / f"{slug}.chapters.json",
        "transcript": folder / f"{slug}.txt",
        "cover": folder / "cover.jpg",
    }
    _write(files["vtt"], captions.to_webvtt(cues))
    if any(cue.words for cue in cues):
        files["words_vtt"] = folder / f"{slug}.words.vtt"
        _write(files["words_vtt"], captions.to_webvtt_words(cues))
    _write(files["srt"], captions.to_srt(cues))
    _write(files["chapters_json"], captions.chapters_json(chapters))
    _write(files["transcript"], transcript)
    files["cover"].write_bytes(cover)
    write_tags(
        mp3,
        TagInfo(
            title=article.title,
            author=article.author or "",
            album=album,
            published=article.published,
            has_time=article.has_time,
            language=_iso639_2(profile.language),
            comment=_summary(article),
            transcript=transcript,
            source_url=article.source,
            cover_jpeg=cover,
            chapters=chapters,
        ),
    )
    episode = Episode(
        article=article,
        folder=folder,
        mp3=mp3,
        vtt=files["vtt"],
        srt=files["srt"],
        chapters_json=files["chapters_json"],
        transcript=files["transcript"],
        cover=files["cover"],
        words_vtt=files.get("words_vtt"),
        duration_s=duration,
        sentences=len(cues),
        chapters=chapters,
        sentences_cached=cache.hits if cache else 0,
    )
    # File names relative to the episode folder, so the folder can move.
    record = episode.to_dict() | {name: path.name for name, path in files.items()} | {
        "mp3": mp3.name, "voice": profile.name, "source": article.source, "samples": total, "rate": RATE,
        "guid": episode_guid(article), "description": _summary(article), "language": profile.language,
        "input": origin,
        "spoken_sha256": hashlib.sha256("\n".join(item[0] for item in items).encode()).hexdigest(),
        "converted": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "chapters": [
            {"title": c.title, "start_s": round(c.start_s, 3), "end_s": round(c.end_s, 3)}
            | ({"image": c.image} if c.image else {})
            for c in chapters
        ],
    }
    _write(folder / "episode.json", json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return episode


def episode_guid(article: Article) -> str:
    """A stable guid: the same article converted again keeps it.

    An article from the web is known by its URL; a local file by its title, author
    and publication date (a weekly column keeps its title and author from week to
    week; a correction keeps its date).
    """
    if article.source and re.match(r"https?://", article.source):
        identity = article.source
    else:
        identity = f"{article.title}\n{article.author or ''}"
        if article.published is not None:
            identity += f"\n{article.published.date().isoformat()}"
    return str(uuid.uuid5(_GUID_NAMESPACE, identity))


_GUID_NAMESPACE = uuid.UUID("6f1c9a52-3d0e-5b8f-9a47-2c6e1d0b7a31")


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


_SCRIPT_FORMAT = "reading script 1"


def _reading(
    article: Article, profile: VoiceProfile, options: Options, cache: SentenceCache | None, speak: Callable[[str], str]
) -> tuple[Line, ...]:
    """The reading script (sentences, spoken forms, pauses, chapters), from the cache when this
    article was read before with the same settings, lexicons and code.

    A re-run of an unchanged article then needs neither the sentence splitter
    nor the speech stage, which are most of a re-run's start-up.
    """
    key = ""
    if cache is not None:
        key = SentenceCache.key(_SCRIPT_FORMAT, package_digest(), repr(article), options.chapters,
                                str(options.read_captions), repr(profile), _lexicon_digest(profile))  # fmt: skip
        payload = cache.get(key, count=False)  # `hits` counts sentences
        if payload is not None:
            try:
                return _lines_from_json(payload)
            except (ValueError, KeyError, TypeError):
                pass  # an entry from elsewhere: read the article again
    from audio_edition.speech.reading import script  # noqa: PLC0415

    lines = script(article, options.chapters, options.read_captions, speak)
    if cache is not None:
        cache.put(key, json.dumps([dataclasses.asdict(line) for line in lines], ensure_ascii=False).encode())
    return lines


def _lines_from_json(payload: bytes) -> tuple[Line, ...]:
    return tuple(Line(**(item | {"sentence": Sentence(**item["sentence"])})) for item in json.loads(payload))


def _lexicon_digest(profile: VoiceProfile) -> str:
    from audio_edition.speech.lexicon import find_lexicon  # noqa: PLC0415

    digest = hashlib.sha256()
    for name in profile.lexicons:
        digest.update(find_lexicon(name).read_bytes() + b"\0")
    return digest.hexdigest()


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def _summary(article: Article, limit: int = 400) -> str:
    """The first paragraph, cut at a word boundary: the episode description."""
    text = next((b.text for b in article.blocks if b.kind == "paragraph"), article.title)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


_ISO639_2 = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld", "pt": "por"}


def _iso639_2(language: str) -> str:
    return _ISO639_2.get(language.split("-")[0].lower(), "und")


def _relocate(episode: Episode, staging: Path, final: Path) -> Episode:
    """The same episode, its paths pointing into `final` instead of `staging`."""
    moved = {
        f.name: final / getattr(episode, f.name).relative_to(staging)
        for f in dataclasses.fields(episode)
        if isinstance(getattr(episode, f.name), Path)
    }
    return dataclasses.replace(episode, **moved)
