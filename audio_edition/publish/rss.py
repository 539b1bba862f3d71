"""The podcast feed: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces.

Built with lxml rather than a feed library: the feed libraries that know the
iTunes tags do not know the Podcasting 2.0 ones (podcast:guid, podcast:locked,
podcast:chapters, podcast:transcript) or Podlove Simple Chapters (psc:chapters,
the chapters gPodder shows), and lxml escapes every text and
attribute for us. Every URL is absolute: the base URL (where the output folder
is published) joined with the file's percent-encoded path.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import quote, urlsplit, urlunsplit

from lxml import etree

from audio_edition.episode import output
from audio_edition.model import Channel, Entry, newest_first, published_at
from audio_edition.publish.channel import cover_name

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
PSC = "http://podlove.org/simple-chapters"
"""Podlove Simple Chapters: the chapters gPodder (podcastparser) and many other apps read inline."""
FEED_NAME = "feed.xml"
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""The "podcast" namespace of podcast:guid, as the Podcasting 2.0 namespace's guid tag gives it."""
_NSMAP = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM, "psc": PSC}
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def podcast_guid(feed_url: str) -> str:
    """podcast:guid: UUIDv5 of the feed URL without its scheme and trailing slashes."""
    bare = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def is_locked(channel: Channel) -> bool:
    """Whether the feed says podcast:locked yes: only with an owner e-mail to verify it by (a lock without
    one is refused by Podcast Index and cannot be proved to Apple)."""
    return bool(channel.email) and channel.locked is not False


def warnings(channel: Channel) -> list[str]:
    """What a podcast host will object to in a feed written with these settings, one line each."""
    found = []
    if channel.locked and not channel.email:
        found.append("podcast:locked is off: a locked feed needs an owner e-mail (set email in channel.toml)")
    elif channel.base_url and not channel.email:
        found.append("the feed has no owner e-mail: Apple Podcasts and Podcast Index need one to verify it "
                     "(set email in channel.toml)")  # fmt: skip
    return found


def url(base_url: str, path: str) -> str:
    """The absolute URL of `path` (relative to the output folder, "/"-separated) under `base_url`."""
    return folder_url(base_url) + quote(path, safe="/")


def folder_url(base_url: str) -> str:
    """`base_url` as a folder's URL: a trailing slash, its path percent-encoded (what is encoded stays)."""
    parts = urlsplit(base_url.strip())
    path = quote(parts.path, safe="/%:@!$&'()*+,;=~")
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def render_feed(entries: Sequence[Entry], channel: Channel, base_url: str) -> bytes:
    """The feed of `entries` as UTF-8 XML, its URLs under `base_url` (the output folder's address)."""
    base = folder_url(base_url)
    feed_url = url(base, FEED_NAME)
    link = channel.link or base
    ordered = newest_first(entries)

    rss = etree.Element("rss", nsmap=_NSMAP, version="2.0")
    ch = _sub(rss, "channel")
    _sub(ch, "title", channel.title)
    _sub(ch, "description", channel.description)
    _sub(ch, "link", link)
    _sub(ch, "language", channel.language)
    _sub(ch, f"{{{ATOM}}}link", href=feed_url, rel="self", type="application/rss+xml")
    _sub(ch, "generator", "audio-edition")
    if ordered:
        _sub(ch, "lastBuildDate", format_datetime(max(_utc(e.converted) for e in ordered)))
    cover = url(base, cover_name(channel))
    image = _sub(ch, "image")
    _sub(image, "url", cover)
    _sub(image, "title", channel.title)
    _sub(image, "link", link)
    _sub(ch, f"{{{ITUNES}}}image", href=cover)
    category = _sub(ch, f"{{{ITUNES}}}category", text=channel.category)
    if channel.subcategory:
        _sub(category, f"{{{ITUNES}}}category", text=channel.subcategory)
    _sub(ch, f"{{{ITUNES}}}explicit", "true" if channel.explicit else "false")
    _sub(ch, f"{{{ITUNES}}}author", channel.author)
    owner = _sub(ch, f"{{{ITUNES}}}owner")
    _sub(owner, f"{{{ITUNES}}}name", channel.author)
    if channel.email:
        _sub(owner, f"{{{ITUNES}}}email", channel.email)
    _sub(ch, f"{{{ITUNES}}}type", "episodic")
    _sub(ch, f"{{{PODCAST}}}guid", channel.guid or podcast_guid(feed_url))
    locked = {"owner": channel.email} if channel.email else {}
    _sub(ch, f"{{{PODCAST}}}locked", "yes" if is_locked(channel) else "no", **locked)

    for entry in ordered:
        _item(ch, entry, base)
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _item(parent: etree._Element, entry: Entry, base: str) -> None:
    item = _sub(parent, "item")
    _sub(item, "title", entry.title)
    _sub(item, "description", entry.description or entry.title)
    source = entry.source if entry.source and urlsplit(entry.source).scheme in ("http", "https") else None
    # Else the episode on the listening page, whose id is "ep-" and the slug.
    _sub(item, "link", source or url(base, "index.html") + "#ep-" + quote(entry.slug))
    _sub(item, "guid", entry.guid, isPermaLink="false")
    _sub(item, "pubDate", format_datetime(published_at(entry)))
    if entry.author:
        _sub(item, f"{{{ITUNES}}}author", entry.author)
    _sub(item, "enclosure", url=url(base, entry.file("mp3")), length=str(entry.size("mp3")), type=_type("mp3"))
    _sub(item, f"{{{ITUNES}}}duration", str(round(entry.duration_s)))
    _sub(item, f"{{{ITUNES}}}image", href=url(base, entry.file("cover")))
    _sub(item, f"{{{ITUNES}}}episodeType", "full")
    _sub(item, f"{{{PODCAST}}}chapters", url=url(base, entry.file("chapters_json")), type=_type("chapters_json"))
    if entry.chapters:
        chapters = _sub(item, f"{{{PSC}}}chapters", version="1.2")
        for chapter in entry.chapters:
            _sub(chapters, f"{{{PSC}}}chapter", start=_npt(chapter.start_s), title=chapter.title)
    for kind, rel in (("vtt", "captions"), ("srt", "captions"), ("transcript", None)):
        _sub(
            item,
            f"{{{PODCAST}}}transcript",
            url=url(base, entry.file(kind)),
            type=_type(kind),
            **({"rel": rel} if rel else {}),
        )


def _npt(seconds: float) -> str:
    """A chapter start as Podlove writes it (Normal Play Time): "00:01:02.345"."""
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _type(kind: str) -> str:
    return output(kind).media_type


def _sub(parent: etree._Element, tag: str, text: str | None = None, /, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: _xml(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _xml(text)
    return element


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _utc(iso: str) -> datetime:
    when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
