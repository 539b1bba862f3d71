"""The read stage: any input that holds an article -> `Article`.

`load_article` reads a web page at an http(s) URL, an .html file, a Markdown
file or plain text (copied or scraped from a page), each through its reader:

- `source`: bytes from a file or standard input, checked and decoded
- `fetch`: http(s) with the limits an article fetcher needs
- `text`: text scraped or copied from a page (the line reader)
- `html`: web pages (trafilatura finds the article, lxml its structure)
- `markdown`: Markdown files
- `lines`, `linemodel`: a page's lines, their features, and the trained model that labels them
- `metadata`, `byline`, `dates`, `credits`, `furniture`, `shapes`, `stopwords`, `common`: what the readers share
- `feeds`: the article links of an RSS or Atom feed

Each refusal is an `InputError` with one line a user can act on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from audio_edition.cache import SentenceCache, package_digest
from audio_edition.errors import InputError
from audio_edition.inputs.decisions import Decision, Reading
from audio_edition.inputs.feeds import feed_articles
from audio_edition.inputs.source import (
    MAX_BYTES,
    Source,
    check_bytes,
    read_file,
    read_source,
)

T = TypeVar("T")

if TYPE_CHECKING:
    from audio_edition.model import Article

__all__ = [
    "MAX_BYTES", "READERS", "Decision", "Reader", "Reading", "Source", "feed_articles", "load_article", "read_input",
    "read_source",
]  # fmt: skip


def _html(text: str, url: str | None, name: str) -> Reading:
    # Imported only here: web extraction pulls in trafilatura, which plain text never needs.
    from audio_edition.inputs.html import read_html  # noqa: PLC0415

    return read_html(text, url=url, name=name)


def _markdown(text: str, url: str | None, name: str) -> Reading:
    from audio_edition.inputs.markdown import read_markdown  # noqa: PLC0415

    return read_markdown(text, source=url, name=name)


def _text(text: str, url: str | None, name: str) -> Reading:
    from audio_edition.inputs.text import read_text  # noqa: PLC0415

    return read_text(text, source=url)


@dataclass(frozen=True)
class Reader:
    """One kind of input: how it is recognised and the function that reads it."""

    kind: str
    suffixes: tuple[str, ...]
    """File name endings (lower case) that mean this kind."""
    media_types: tuple[str, ...]
    """What a server calls it (Content-Type without parameters)."""
    read: Callable[[str, str | None, str], Reading]
    """(text, the URL it came from or None, its name for messages) -> the article, with the decision on each line."""
    sniff_charset: bool = False
    """Decode a file's bytes as a browser would (BOM, <meta charset>, UTF-8, windows-1252)."""


READERS: tuple[Reader, ...] = (
    Reader("html", (".html", ".htm", ".xhtml"), ("text/html", "application/xhtml+xml"), _html, sniff_charset=True),
    Reader("markdown", (".md", ".markdown"), ("text/markdown", "text/x-markdown"), _markdown),
    Reader("text", (), ("text/plain",), _text),
)
"""Every kind of input, the plain-text reader last: it reads anything else."""


_FEED_SUFFIXES = (".xml", ".rss", ".atom")
"""File names a feed may have: such a file holding a feed is refused as an article, with the way to read it."""
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_FEED_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)[\s>]", re.S)


def is_feed(media_type: str, text: str) -> bool:
    """Whether what a server sent is an RSS or Atom feed (by its type, or by how an XML document starts)."""
    return media_type in _FEED_TYPES or (media_type.endswith("xml") and _FEED_START.match(text[:4096]) is not None)


def _reader(suffix: str = "", media_type: str = "") -> Reader:
    for reader in READERS:
        if suffix in reader.suffixes or media_type in reader.media_types:
            return reader
    return READERS[-1]


def load_article(
    arg: str, encoding: str | None = None, cache: SentenceCache | None = None, *, allow_private: bool = True
) -> Article:
    """The article an input holds, whatever kind of input it is.

    An http(s) URL is fetched and read by what the server says it is; a file by
    its name's ending (.html/.htm, .md/.markdown); anything else (and "-",
    standard input) is read as text copied or scraped from a page. Errors name
    the input.

    With a `cache`, text read before (the same text, by the same code and line
    model) is not read again: a re-run does not load the line model. Without `allow_private`, a URL
    to this machine or a private network is refused (for links from a public feed).
    """
    from audio_edition.inputs.fetch import is_url  # noqa: PLC0415

    reader = _reader(suffix=Path(arg).suffix.lower() if arg != "-" else "")
    if cache is None or is_url(arg) or reader is not READERS[-1] or Path(arg).suffix.lower() in _FEED_SUFFIXES:
        return read_input(arg, encoding, allow_private=allow_private).article
    text = _named(arg, lambda: read_source(arg, encoding).text)
    key = cache.key(_ARTICLE_FORMAT, package_digest(), text)
    payload = cache.get(key, count=False)
    if payload is not None:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            return _article_from_json(payload)
    article = _named(arg, lambda: reader.read(text, None, arg).article)
    cache.put(key, _article_to_json(article))
    return article


_ARTICLE_FORMAT = "article-1"


def _named(arg: str, read: Callable[[], T]) -> T:
    """`read()`, its input error naming the input."""
    name = "standard input" if arg == "-" else arg
    try:
        return read()
    except InputError as exc:
        if name in str(exc):
            raise
        raise InputError(f"{name}: {exc}") from None


def _article_to_json(article: Article) -> bytes:
    record = dataclasses.asdict(article)
    record["published"] = article.published.isoformat() if article.published else None
    return json.dumps(record, ensure_ascii=False).encode()


def _article_from_json(payload: bytes) -> Article:
    from audio_edition.model import Article, Block  # noqa: PLC0415

    record = json.loads(payload)
    published = datetime.fromisoformat(record["published"]) if record["published"] else None
    blocks = tuple(Block(**block) for block in record["blocks"])
    return Article(**(record | {"published": published, "blocks": blocks}))


def read_input(arg: str, encoding: str | None = None, *, allow_private: bool = True) -> Reading:
    """As `load_article`, with what the reader decided about each line of the input and why (`clean --explain`)."""
    from audio_edition.inputs.fetch import decode_html, fetch, is_url  # noqa: PLC0415

    def read() -> Reading:
        if is_url(arg):
            page = fetch(arg.strip(), allow_private=allow_private)
            return _reader(media_type=page.content_type).read(page.text, page.url, arg)
        reader = _reader(suffix=Path(arg).suffix.lower() if arg != "-" else "")
        if arg != "-" and Path(arg).suffix.lower() in _FEED_SUFFIXES:
            head = read_file(Path(arg), arg)[:4096].decode("utf-8", "replace")
            if is_feed("application/xml", head):
                raise InputError(
                    f"{arg} is a feed of articles, not an article: convert its articles with --from-feed {arg}"
                )
        if reader.sniff_charset and not encoding:
            data = read_file(Path(arg), arg)
            check_bytes(data, arg)
            return reader.read(decode_html(data), None, arg)
        return reader.read(read_source(arg, encoding).text, None, arg)

    return _named(arg, read)
