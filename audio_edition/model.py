"""Frozen dataclasses that flow between the pipeline stages.

clean -> Article; sentences -> Sentence; voice -> Audio; assemble -> Cue and
Chapter (times in seconds, derived from sample counts); pipeline -> Episode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Literal

BlockKind = Literal["paragraph", "caption", "heading"]

# English names, whatever the machine's locale says.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Block:
    """One unit of the article body, in reading order."""

    kind: BlockKind
    text: str
    """The text as written; for a caption, without its credit."""
    credit: str | None = None
    """Photo credit of a caption, e.g. "Jane Roe / Reuters"; None otherwise."""
    image: str | None = None
    """For a caption from a web page: the absolute URL of its image (the chapter image)."""


@dataclass(frozen=True)
class Article:
    """What will be read: the cleaned article."""

    title: str
    author: str | None
    published: datetime | None
    """As printed on the page: aware when the page names its time zone, else naive (local time as printed);
    midnight with `has_time` False when only a date is known."""
    blocks: tuple[Block, ...]
    has_time: bool = False
    source: str | None = None
    """Where the article came from (a URL), when known."""
    language: str | None = None
    """The language it is written in, a BCP 47 tag ("de", "en-GB"), when the page or its text says."""

    @property
    def published_iso(self) -> str | None:
        """ISO 8601 as printed ("2026-06-18T14:05", with its UTC offset when known: "2026-06-18T14:05+03:00"), the date alone without a time."""
        if self.published is None:
            return None
        day = self.published.date().isoformat()  # four-digit years: strftime writes year 1 as "1"
        if not self.has_time:
            return day
        offset = self.published.strftime("%z")
        zone = f"{offset[:3]}:{offset[3:]}" if offset else ""
        return f"{day}T{self.published:%H:%M}{zone}"

    def to_dict(self) -> dict[str, object]:
        """The public JSON shape of `clean --json`: title, author, published, blocks (source and language when known)."""
        blocks: list[dict[str, str]] = []
        for block in self.blocks:
            item = {"kind": block.kind, "text": block.text}
            if block.kind == "caption":
                item["credit"] = block.credit or ""
                if block.image:
                    item["image"] = block.image
            blocks.append(item)
        result: dict[str, object] = {
            "title": self.title,
            "author": self.author,
            "published": self.published_iso,
            "blocks": blocks,
        }
        if self.source:
            result["source"] = self.source
        if self.language:
            result["language"] = self.language
        return result

    @property
    def date_text(self) -> str | None:
        """The publication date as the intro and transcript write it: "Thursday, June 18, 2026, at 2:05 p.m."."""
        when = self.published
        if when is None:
            return None
        text = f"{WEEKDAYS[when.weekday()]}, {MONTHS[when.month - 1]} {when.day}, {when.year}"
        if self.has_time:
            suffix = "a.m." if when.hour < 12 else "p.m."
            text += f", at {when.hour % 12 or 12}:{when.minute:02d} {suffix}"
        return text


SentenceRole = Literal["intro", "paragraph", "caption", "heading"]


@dataclass(frozen=True)
class Sentence:
    """One sentence to speak, with the written form kept for captions."""

    written: str
    spoken: str
    role: SentenceRole
    block: int
    """Index into Article.blocks; -1 for the spoken intro."""
    first_in_block: bool


PauseKind = Literal["lead_in", "sentence", "paragraph", "chapter"]


@dataclass(frozen=True)
class Line:
    """One sentence of the reading script, with what comes before it."""

    sentence: Sentence
    pause: PauseKind
    """The silence before it."""
    chapter: str | None = None
    """Title of the chapter this sentence starts, if it starts one."""
    chapter_image: str | None = None
    """URL of the chapter's image (a captioned photo from a web page), if it has one."""


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit PCM."""

    samples: bytes
    sample_rate: int
    words: tuple[tuple[int, int], ...] = ()
    """Where the engine says each word starts: (character offset in the spoken text, sample offset).
    Empty when the engine gives no word timings."""

    @property
    def frames(self) -> int:
        return len(self.samples) // 2


@dataclass(frozen=True)
class Cue:
    """A caption cue: a sentence as written and when its speech is heard."""

    start_s: float
    end_s: float
    text: str
    words: tuple[float, ...] = ()
    """When each whitespace-separated word of `text` starts, in seconds; empty when not known."""


@dataclass(frozen=True)
class Chapter:
    """A chapter of the episode."""

    title: str
    start_s: float
    end_s: float
    image: str | None = None


@dataclass(frozen=True)
class Episode:
    """What a convert wrote: the files of one episode and what is in them."""

    article: Article
    folder: Path
    mp3: Path
    vtt: Path
    srt: Path
    chapters_json: Path
    transcript: Path
    cover: Path
    duration_s: float
    sentences: int
    words_vtt: Path | None = None
    """WebVTT with a timestamp before each word, when the engine gives word timings."""
    chapters: tuple[Chapter, ...] = field(default_factory=tuple)
    sentences_cached: int = 0
    """Sentences taken from the sentence cache rather than rendered."""
    feed: dict[str, str] | None = None
    """Where it was published: feed.xml's path ("file") and address ("url"), the episode's "guid"."""

    def to_dict(self) -> dict[str, object]:
        """The public JSON shape of `convert --json` (one object per episode)."""
        return {
            "title": self.article.title,
            "author": self.article.author,
            "published": self.article.published_iso,
            "mp3": str(self.mp3.resolve()),
            "vtt": str(self.vtt.resolve()),
            "srt": str(self.srt.resolve()),
            "chapters_json": str(self.chapters_json.resolve()),
            "transcript": str(self.transcript.resolve()),
            "words_vtt": str(self.words_vtt.resolve()) if self.words_vtt else None,
            "duration_s": round(self.duration_s, 3),
            "sentences": self.sentences,
            "chapters": [
                {"title": c.title, "start_s": round(c.start_s, 3), "end_s": round(c.end_s, 3)} for c in self.chapters
            ],
            "feed": self.feed,
            "sentences_cached": self.sentences_cached,
        }


@dataclass(frozen=True)
class Channel:
    """The podcast as a whole: settings from the output folder's `channel.toml`."""

    title: str = "Audio editions"
    description: str = "Articles read aloud: audio editions made with audio-edition."
    author: str = "audio-edition"
    email: str | None = None
    language: str = "en-us"
    category: str = "News"
    subcategory: str | None = None
    explicit: bool = False
    link: str | None = None
    """The website the podcast belongs to; the base URL when None."""
    cover: Path | None = None
    """Square RGB JPEG or PNG, 1400 to 3000 px; one showing the title is generated when None."""
    base_url: str | None = None
    """Where the output folder is published, e.g. "https://example.org/podcast/"; None: where `serve` serves it."""
    locked: bool | None = None
    """podcast:locked (other podcast hosts may not import the feed); None: locked once an owner e-mail is set,
    which is what hosts verify a lock against."""
    guid: str | None = None
    """podcast:guid; None: the UUIDv5 of the feed URL (as the namespace defines it)."""


@dataclass(frozen=True)
class Entry:
    """One episode as the catalog, the feed and the listening page know it."""

    guid: str
    """Stable across re-conversions and catalog rebuilds (UUIDv5 of the article's identity)."""
    slug: str
    """The episode folder's name inside the output folder."""
    title: str
    author: str | None
    source: str | None
    """URL or file the article came from."""
    description: str
    published: str | None
    """ISO 8601 as in episode.json: "2026-06-18T14:05" or "2026-06-18" (local time, as printed)."""
    converted: str
    """ISO 8601 UTC: "2026-11-25T03:10:00Z"."""
    duration_s: float
    voice: str
    language: str
    spoken_sha256: str
    """Hash of the spoken text (the script), to tell whether an article changed."""
    files: tuple[tuple[str, str], ...]
    """(kind, path relative to the output folder): mp3, vtt, srt, chapters_json, transcript, cover."""
    sizes: tuple[tuple[str, int], ...]
    """(kind, bytes) for the same files."""
    chapters: tuple[Chapter, ...] = ()

    def file(self, kind: str) -> str:
        return dict(self.files)[kind]

    def size(self, kind: str) -> int:
        return dict(self.sizes)[kind]


DATE_ONLY_HOUR = time(12, 0)
"""A date without a time is published at local noon, so it shows as that day in most time zones."""


def published_at(entry: Entry) -> datetime:
    """When the episode came out, as an aware datetime.

    The article's date is local time as printed, with no zone: it is read in
    this machine's time zone. Without a date, the time it was converted (UTC).
    """
    if entry.published:
        try:
            when = datetime.fromisoformat(entry.published)
        except ValueError:
            when = None
        if when is not None:
            if "T" not in entry.published:
                when = datetime.combine(when.date(), DATE_ONLY_HOUR)
            return when if when.tzinfo else when.astimezone()
    return datetime.fromisoformat(entry.converted.replace("Z", "+00:00"))


def newest_first(entries: Sequence[Entry]) -> list[Entry]:
    """The one order of episodes, for the feed, the listening page and every listing: newest
    publication first (`published_at`), then newest conversion, then guid."""
    return sorted(entries, key=lambda e: (published_at(e), e.converted, e.guid), reverse=True)
