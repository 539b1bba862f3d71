"""The publish stage: the output folder as a podcast.

update (the locked publish step: add, remove, rebuild), catalog (catalog.sqlite),
channel (channel.toml and the channel cover), rss (feed.xml), page (index.html,
its CSS and script in data/), serve (the folder over HTTP), media (content types
and caching), host (publish --to an S3 bucket or a folder).
"""

from audio_edition.publish.update import (
    DEFAULT_BASE_URL,
    FEED_NAME,
    PAGE_NAME,
    add,
    check,
    entries,
    feed_for,
    feed_url,
    new_links,
    rebuild,
    remove,
    scan,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "FEED_NAME",
    "PAGE_NAME",
    "add",
    "check",
    "entries",
    "feed_for",
    "feed_url",
    "new_links",
    "rebuild",
    "remove",
    "scan",
]
