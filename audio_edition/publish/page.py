"""The listening page: `index.html` of the output folder.

One self-contained HTML file (its CSS and script from `data/page.css` and
`data/page.js` are inlined), so it works opened from disk or served, with no
build step. It shows the show, a subscribe link to the feed, then every episode,
newest first: an `<audio>` player of the MP3 with the WebVTT captions as its
track (and the cue being heard shown under it, as browsers draw no captions
for audio), chapter links that seek the player, the transcript, and the files.
A page opened from disk carries a copy of each WebVTT file, because browsers
refuse to load a caption track from a file: URL.

Every text is HTML-escaped; every link is relative to the output folder and
percent-encoded, so the folder can be moved or served anywhere.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Sequence
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote, urlsplit

from audio_edition.episode import output
from audio_edition.errors import InputError, OutputError
from audio_edition.folder import atomic_write
from audio_edition.model import MONTHS, Channel, Entry, newest_first
from audio_edition.sizes import clock, human_size

PAGE_NAME = "index.html"


def render_page(
    out_dir: Path, entries: Sequence[Entry], channel: Channel, feed_url: str, *, cover: str | None = None
) -> str:
    """The listening page for `entries` of the output folder `out_dir`.

    `feed_url` is the feed's address, absolute (http/https) or relative to the
    output folder ("feed.xml"). `cover` is the channel cover's path relative to
    the output folder, shown by the title when given. Transcripts and captions
    are read from `out_dir`; an episode whose files are missing is shown without them.
    """
    feed = _safe_link(feed_url, "feed URL")
    ordered = newest_first(entries)
    lang = channel.language or "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(channel.title)}</title>",
        f'<meta name="description" content="{_e(channel.description)}">',
        # No favicon request (and no 404 for it): the cover when there is one.
        f'<link rel="icon" href="{_e(href(cover)) if cover else "data:,"}">',
        f'<link rel="alternate" type="application/rss+xml" title="{_e(channel.title)}" href="{_e(feed)}">',
        f"<style>\n{_asset('page.css')}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#episodes">Skip to the episodes</a>',
        _header(channel, feed, cover),
        '<main id="episodes" tabindex="-1">',
        *(_episode(out_dir, entry, key, lang) for entry, key in zip(ordered, _idents(ordered))),
        "" if ordered else '<p class="empty">No episodes yet.</p>',
        "</main>",
        "<footer><p>Made with audio-edition: articles read aloud by a synthetic voice.</p></footer>",
        f"<script>\n{_asset('page.js')}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def write_page(
    out_dir: Path, entries: Sequence[Entry], channel: Channel, feed_url: str, *, cover: str | None = None
) -> Path:
    """Render the page and write it to `out_dir/index.html` atomically."""
    text = render_page(out_dir, entries, channel, feed_url, cover=cover)
    target = out_dir / PAGE_NAME
    try:
        atomic_write(target, text)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def date_text(iso: str) -> str:
    """ "2026-06-18T14:05" -> "June 18, 2026, 2:05 p.m."; a date alone without the time; else as given."""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    text = f"{MONTHS[when.month - 1]} {when.day}, {when.year}"
    if "T" in iso:
        suffix = "a.m." if when.hour < 12 else "p.m."
        text += f", {when.hour % 12 or 12}:{when.minute:02d} {suffix}"
    return text


def href(path: str) -> str:
    """A path relative to the output folder as a percent-encoded relative URL."""
    return quote(path.replace(os.sep, "/"), safe="/")


def _header(channel: Channel, feed: str, cover: str | None) -> str:
    art = f'<img src="{_e(href(cover))}" alt="" width="240" height="240">' if cover else ""
    website = ""
    if channel.link and urlsplit(channel.link).scheme in ("http", "https"):
        website = f' <a href="{_e(channel.link)}">Website</a>'
    return (
        f"<header>{art}<div>"
        f"<h1>{_e(channel.title)}</h1>"
        f"<p>{_e(channel.description)}</p>"
        f'<div class="subscribe"><p><a href="{_e(feed)}" type="application/rss+xml">'
        f"Subscribe to the podcast feed (RSS)</a>{website}</p>"
        '<label for="feed-address">Feed address for a podcast app</label>'
        f'<textarea id="feed-address" readonly rows="2" spellcheck="false" data-feed="{_e(feed)}">{_e(feed)}</textarea>'
        "</div></div></header>"
    )


def _episode(out_dir: Path, entry: Entry, key: str, page_lang: str) -> str:
    title_id, player_id, chapters_id = f"title-{key}", f"player-{key}", f"chapters-{key}"
    lang = f' lang="{_e(entry.language)}"' if entry.language and entry.language.lower() != page_lang.lower() else ""
    has_chapters = len(entry.chapters) > 1
    out = [f'<article class="episode" id="{key}" aria-labelledby="{title_id}"{lang}>', '<div class="episode-head">']
    if _has(entry, "cover"):
        out.append(f'<img src="{_e(href(entry.file("cover")))}" alt="" width="176" height="176" loading="lazy">')
    out.append(f'<div><h2 id="{title_id}">{_e(entry.title)}</h2>')
    out.append(f'<p class="meta">{_meta(entry)}</p>')
    if entry.description:
        out.append(f"<p>{_e(entry.description)}</p>")
    out.append("</div></div>")

    mp3 = _e(href(entry.file("mp3")))
    data = f' data-chapters="{chapters_id}"' if has_chapters else ""
    data += f' data-captions="now-{key}"' if _has(entry, "vtt") else ""
    out.append(f'<audio id="{player_id}" controls preload="metadata" aria-labelledby="{title_id}"{data} src="{mp3}">')
    vtt = _read(out_dir, entry, "vtt")
    inline = vtt is not None and _script_safe(vtt)
    if _has(entry, "vtt"):
        srclang = entry.language or page_lang
        copy = f' data-inline="vtt-{key}"' if inline else ""
        out.append(
            f'<track kind="captions" default label="Captions" srclang="{_e(srclang)}"'
            f' data-src="{_e(href(entry.file("vtt")))}"{copy}>'
        )
        if _has(entry, "words_vtt"):
            # Word timings, for the caption box to mark each word as it is said (served pages only).
            out.append(
                f'<track kind="metadata" label="Words" data-words data-src="{_e(href(entry.file("words_vtt")))}">'
            )
    out.append(f'<a href="{mp3}">Download the MP3</a></audio>')
    if _has(entry, "vtt"):
        # Where the script shows the caption being heard (browsers show none for audio).
        out.append(f'<p class="now" id="now-{key}" hidden></p>')
    if inline:
        # The captions again, for a page opened from disk (see data/page.js); a data block, never run.
        out.append(f'<script type="text/vtt" id="vtt-{key}">{vtt}</script>')

    if has_chapters:
        out.append(f'<nav class="chapters" id="{chapters_id}" aria-labelledby="{chapters_id}-h">')
        out.append(f'<h3 id="{chapters_id}-h">Chapters</h3><ol>')
        for chapter in entry.chapters:
            start = f"{max(0.0, chapter.start_s):.3f}"
            out.append(
                f'<li><a href="{mp3}#t={start}" data-start="{start}" data-player="{player_id}">'
                f'<span class="at"><time datetime="{_duration(chapter.start_s)}">{clock(chapter.start_s)}</time></span>'
                f"<span>{_e(chapter.title)}</span></a></li>"
            )
        out.append("</ol></nav>")

    text = _read(out_dir, entry, "transcript")
    if text is not None:
        out.append(f'<details class="transcript"><summary>Transcript</summary>{_paragraphs(text)}</details>')
    out.append(f'<p class="files">{_files(entry)}</p>')
    out.append("</article>")
    return "\n".join(out)


def _meta(entry: Entry) -> str:
    items = []
    if entry.author:
        items.append(f"<span>By {_e(entry.author)}</span>")
    if entry.published:
        items.append(f'<span><time datetime="{_e(entry.published)}">{_e(date_text(entry.published))}</time></span>')
    elif entry.converted:
        items.append(
            f'<span>Added <time datetime="{_e(entry.converted)}">{_e(date_text(entry.converted))}</time></span>'
        )
    # Rounded down like the player's own clock, which sits right under it.
    items.append(
        f'<span>Duration <time datetime="{_duration(entry.duration_s)}">{clock(entry.duration_s)}</time></span>'
    )
    return "".join(items)


_LINKED = ("mp3", "transcript", "vtt", "srt", "chapters_json")
"""The files the page links to, in its order (labels from episode.OUTPUTS)."""


def _files(entry: Entry) -> str:
    links = []
    for kind in _LINKED:
        label = output(kind).label
        if not _has(entry, kind) or label is None:
            continue
        size = dict(entry.sizes).get(kind)
        extra = f" ({human_size(size)})" if kind == "mp3" and size else ""
        links.append(f'<a href="{_e(href(entry.file(kind)))}">{label}{extra}</a>')
    if entry.source and urlsplit(entry.source).scheme in ("http", "https"):
        links.append(f'<a href="{_e(entry.source)}" rel="noopener">Original article</a>')
    return "".join(links)


def _read(out_dir: Path, entry: Entry, kind: str) -> str | None:
    """The text of one of the episode's files; None when it is absent, unreadable or outside the folder."""
    if not _has(entry, kind):
        return None
    path = (out_dir / entry.file(kind)).resolve()
    if not path.is_relative_to(out_dir.resolve()):
        return None
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs: blank lines part paragraphs, single line breaks are kept."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join("<p>" + "<br>".join(_e(line) for line in p.splitlines()) + "</p>" for p in paragraphs)


def _script_safe(text: str) -> bool:
    """Whether `text` can sit verbatim in a <script> data block: nothing in it can end the block.

    Our WebVTT files escape "<" in cue text, so this only refuses a hand-edited file.
    """
    lowered = text.lower()
    return "</script" not in lowered and "<!--" not in lowered


def _safe_link(url: str, what: str) -> str:
    """An absolute http(s) URL as given, or a relative one percent-encoded; no other schemes."""
    scheme = urlsplit(url).scheme
    if scheme in ("http", "https"):
        return url
    if scheme or not url.strip():
        raise InputError(f"the {what} must be an http(s) address or a path relative to the output folder: {url!r}")
    return href(url)


def _has(entry: Entry, kind: str) -> bool:
    return kind in dict(entry.files)


def _idents(entries: Sequence[Entry]) -> list[str]:
    """A unique HTML id per episode from its slug: "ep-" then letters, digits and hyphens."""
    seen: set[str] = set()
    keys = []
    for entry in entries:
        base = "ep-" + (re.sub(r"[^A-Za-z0-9-]+", "-", entry.slug).strip("-") or "episode")
        key, n = base, 1
        while key in seen:
            n += 1
            key = f"{base}-{n}"
        seen.add(key)
        keys.append(key)
    return keys


def _duration(seconds: float) -> str:
    """An HTML duration string, e.g. "PT2M13S"."""
    whole = max(0, math.floor(seconds + 1e-6))
    return f"PT{whole // 60}M{whole % 60}S"


def _asset(name: str) -> str:
    text = (files("audio_edition.publish") / "data" / name).read_text(encoding="utf-8")
    # Inlined: a "</" in the CSS or script must not close the element early.
    return text.replace("</", "<\\/")


def _e(text: str) -> str:
    return html.escape(text, quote=True)
