"""What each file of a published podcast is: the Content-Type it is served and uploaded with, and how long
a podcast app or a CDN may keep it (feed and page change with every episode; the rest never change
under their names)."""

from __future__ import annotations

from pathlib import PurePosixPath

__all__ = ["FEED_TYPE", "MEDIA_TYPES", "cache_control", "media_type"]

FEED_NAME = "feed.xml"
PAGE_NAME = "index.html"
FEED_TYPE = "application/rss+xml; charset=utf-8"

# By suffix, whatever the machine's mime.types says (many lack .vtt and .srt).
MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}


def media_type(name: str) -> str:
    """The Content-Type a file (a "/"-separated path) is served with."""
    if PurePosixPath(name).name == FEED_NAME:
        return FEED_TYPE
    return MEDIA_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


def cache_control(name: str) -> str:
    """How long a copy may be kept: five minutes for the feed and the page, which change with every
    episode; an hour for the rest (an episode's folder name comes back when it is converted twice more,
    and the channel cover keeps its name when it changes)."""
    if PurePosixPath(name).name in (FEED_NAME, PAGE_NAME):
        return "public, max-age=300"
    return "public, max-age=3600"
