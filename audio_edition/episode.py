"""The episode folder: what files it holds, and the one writer and reader of its `episode.json`.

`OUTPUTS` is the table of output files (kind, file name, media type, label);
every stage that names a file (the convert, the catalog, the feed, the
listening page) looks it up here. `write()` writes episode.json once the
files are written; `read_record()` and `entry_from_folder()` read an
episode.json back, whoever asks (the catalog, a re-convert choosing a folder
name, a feed update skipping what it converted before).

episode.json holds the `convert --json` object with file names relative to the
folder, plus: voice, source, input (the input as the user gave it), samples and
rate (the exact duration), guid, description, language, spoken_sha256 (the
script's hash) and converted (UTC).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from audio_edition.errors import InputError
from audio_edition.model import Article, Chapter, Cue, Entry, Episode

EPISODE_JSON = "episode.json"


@dataclass(frozen=True)
class Output:
    """One kind of file an episode folder holds."""

    kind: str
    """Its key in episode.json and the catalog."""
    name: str
    """Its file name, "{slug}" standing for the episode's slug."""
    media_type: str
    """As the feed announces it."""
    label: str | None = None
    """Link text on the listening page; None: not linked there."""
    optional: bool = False
    """Only when the engine gave what it needs (word timings)."""

    def file_name(self, slug: str) -> str:
        return self.name.format(slug=slug)


OUTPUTS = (
    Output("mp3", "{slug}.mp3", "audio/mpeg", "MP3"),
    Output("vtt", "{slug}.vtt", "text/vtt", "Captions (WebVTT)"),
    Output("srt", "{slug}.srt", "application/x-subrip", "Captions (SRT)"),
    Output("chapters_json", "{slug}.chapters.json", "application/json+chapters", "Chapters (JSON)"),
    Output("transcript", "{slug}.txt", "text/plain", "Transcript (text)"),
    Output("cover", "cover.jpg", "image/jpeg"),
    Output("words_vtt", "{slug}.words.vtt", "text/vtt", optional=True),
)
KINDS = tuple(o.kind for o in OUTPUTS if not o.optional)
"""The files every episode has, in the catalog's order."""
OPTIONAL_KINDS = tuple(o.kind for o in OUTPUTS if o.optional)
_BY_KIND = {o.kind: o for o in OUTPUTS}


def output(kind: str) -> Output:
    return _BY_KIND[kind]


def paths(folder: Path, slug: str, *, words: bool) -> dict[str, Path]:
    """Where each file of an episode goes in `folder` (the words file only with `words`)."""
    return {o.kind: folder / o.file_name(slug) for o in OUTPUTS if words or not o.optional}


def guid(article: Article) -> str:
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


def summary(article: Article, limit: int = 400) -> str:
    """The first paragraph, cut at a word boundary: the episode description."""
    text = next((b.text for b in article.blocks if b.kind == "paragraph"), article.title)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class Made:
    """What the stages made for one episode, for `write()`."""

    article: Article
    cues: Sequence[Cue]
    chapters: tuple[Chapter, ...]
    samples: int
    rate: int
    spoken: Sequence[str]
    """The script as spoken, sentence by sentence (its hash tells whether an article changed)."""
    voice: str
    language: str
    origin: str | None = None
    draft: bool = False
    """Made with --no-publish: `feed rebuild` leaves it out of the feed, as the convert did."""
    """The input as the user gave it (a feed's link that may redirect)."""


def write(files: dict[str, Path], made: Made, *, sentences_cached: int = 0) -> Episode:
    """The Episode whose files (by kind, from `paths()`, all written) are `files`, and its episode.json beside them."""
    article, chapters = made.article, made.chapters
    mp3 = files["mp3"]
    episode = Episode(
        article=article,
        folder=mp3.parent,
        mp3=mp3,
        vtt=files["vtt"],
        srt=files["srt"],
        chapters_json=files["chapters_json"],
        transcript=files["transcript"],
        cover=files["cover"],
        words_vtt=files.get("words_vtt"),
        duration_s=made.samples / made.rate,
        sentences=len(made.cues),
        chapters=chapters,
        sentences_cached=sentences_cached,
    )
    # File names relative to the episode folder, so the folder can move.
    record = episode.to_dict() | {kind: path.name for kind, path in files.items()} | {
        "voice": made.voice, "source": article.source, "samples": made.samples, "rate": made.rate,
        "guid": guid(article), "description": summary(article), "language": made.language,
        "input": made.origin,
        "spoken_sha256": hashlib.sha256("\n".join(made.spoken).encode()).hexdigest(),
        "converted": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "chapters": [
            {"title": c.title, "start_s": round(c.start_s, 3), "end_s": round(c.end_s, 3)}
            | ({"image": c.image} if c.image else {})
            for c in chapters
        ],
    }  # fmt: skip
    if made.draft:
        record["draft"] = True
    (mp3.parent / EPISODE_JSON).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8", newline="\n")  # fmt: skip
    return episode


def read_record(folder: Path) -> dict[str, Any]:
    """The episode.json of `folder` as a dict; InputError when it is missing, unreadable or not an object."""
    path = Path(folder) / EPISODE_JSON
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{folder} is not an episode folder: it has no {EPISODE_JSON}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    if not isinstance(record, dict):
        raise InputError(f"{path} is not an episode record")
    return record


def is_draft(folder: Path) -> bool:
    """Whether the folder's episode was made not to be published (`convert --no-publish`)."""
    try:
        return read_record(folder).get("draft") is True
    except InputError:
        return False


def recorded(folder: Path, key: str) -> str | None:
    """One text field of the folder's episode.json ("guid", "input"); None when absent or unreadable."""
    try:
        value = read_record(folder).get(key)
    except InputError:
        return None
    return value if isinstance(value, str) else None


def entry_from_folder(folder: Path) -> Entry:
    """The catalog entry of an episode folder, from its `episode.json` and its files' sizes."""
    folder = Path(folder)
    path = folder / EPISODE_JSON
    record = read_record(folder)

    def text(key: str) -> str:
        value = record.get(key)
        if not isinstance(value, str):
            raise InputError(f"{path}: {key!r} is missing or malformed")
        return value

    def optional(key: str) -> str | None:
        return None if record.get(key) is None else text(key)

    slug = folder.name
    files, sizes = [], []
    for kind in KINDS + tuple(k for k in OPTIONAL_KINDS if record.get(k)):
        name = text(kind)
        # Names inside the folder only: an episode.json cannot point the feed elsewhere.
        if name in ("", ".", "..") or "/" in name or "\\" in name:
            raise InputError(f"{path}: {kind!r} must be a file name in the episode folder, not {name!r}")
        try:
            size = (folder / name).stat().st_size
        except OSError as exc:
            raise InputError(f"{folder / name} ({kind}) cannot be read: {exc.strerror or exc}") from None
        files.append((kind, f"{slug}/{name}"))
        sizes.append((kind, size))
    samples, rate, rounded = record.get("samples"), record.get("rate"), record.get("duration_s")
    if isinstance(samples, int) and isinstance(rate, int) and rate > 0:
        duration = samples / rate  # exact; duration_s is rounded to milliseconds
    elif isinstance(rounded, (int, float)) and not isinstance(rounded, bool):
        duration = float(rounded)
    else:
        raise InputError(f"{path}: 'duration_s' is missing or malformed")
    if not isinstance(record.get("chapters"), list):
        raise InputError(f"{path}: 'chapters' is missing or malformed")
    chapters = []
    for item in record["chapters"]:
        try:
            chapters.append(
                Chapter(
                    title=str(item["title"]),
                    start_s=float(item["start_s"]),
                    end_s=float(item["end_s"]),
                    image=item.get("image"),
                )
            )
        except (TypeError, KeyError, ValueError, AttributeError):
            raise InputError(f"{path}: malformed chapter {item!r}") from None
    return Entry(
        guid=text("guid"),
        slug=slug,
        title=text("title"),
        author=optional("author"),
        source=optional("source"),
        description=optional("description") or "",
        published=optional("published"),
        converted=text("converted"),
        duration_s=duration,
        voice=text("voice"),
        language=text("language"),
        spoken_sha256=text("spoken_sha256"),
        files=tuple(files),
        sizes=tuple(sizes),
        chapters=tuple(chapters),
    )
