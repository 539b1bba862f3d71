"""Feeds of articles: the article links of an RSS or Atom feed (`convert --from-feed`)."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

from audio_edition.errors import InputError
from audio_edition.inputs.source import read_file


def feed_articles(url_or_path: str) -> list[str]:
    """The article links of an RSS or Atom feed (a URL or a file), in feed order, each once."""
    import feedparser  # noqa: PLC0415

    from audio_edition.inputs.fetch import FEED_TYPES, fetch, is_url  # noqa: PLC0415

    name = url_or_path
    if is_url(url_or_path):
        page = fetch(url_or_path.strip(), accept=FEED_TYPES, what="an RSS or Atom feed")
        data, base = page.data, page.url
    else:
        data, base = read_file(Path(url_or_path), url_or_path), None
        if not data.strip():
            raise InputError(f"{name} is empty")
    headers = {"content-location": base} if base else {}
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        if parsed.get("version") or not problem:
            raise InputError(f"{name}: the feed lists no articles")
        first = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
        raise InputError(f"{name} is not an RSS or Atom feed: {first}")
    # Relative links in a feed file resolve against the site the feed says it belongs to.
    site = parsed.feed.get("link")
    base = base or (site if isinstance(site, str) and re.match(r"https?://", site) else None)
    links: list[str] = []
    for entry in parsed.entries:
        link = _entry_link(entry, base)
        if link and link not in links:
            links.append(link)
    if not links:
        raise InputError(f"{name}: none of the feed's {len(parsed.entries)} entries links to an article")
    return links


def _entry_link(entry: dict, base: str | None) -> str | None:
    """An entry's article: its alternate link (relative ones resolved), else a guid that is a URL."""
    links = [entry.get("link")]
    links += [link.get("href") for link in entry.get("links", []) if link.get("rel", "alternate") == "alternate"]
    for link in links:
        url = urllib.parse.urljoin(base, link.strip()) if link and base else (link or "").strip()
        if re.match(r"https?://", url, re.I):
            return url
    guid = (entry.get("id") or "").strip()  # an opaque guid ("a1") is no address, so it is not resolved
    return guid if re.match(r"https?://", guid, re.I) else None
