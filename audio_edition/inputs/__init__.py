"""The read stage: any input that holds an article -> `Article`.

`load_article` reads a web page at an http(s) URL, an .html file, a Markdown
file or plain text (copied or scraped from a page), each through its reader:

- `source`: bytes from a file or standard input, checked and decoded
- `fetch`: http(s) with the limits an article fetcher needs
- `text`: text scraped or copied from a page (the line reader)
- `html`: web pages (trafilatura finds the article, lxml its structure)
- `markdown`: Markdown files
- `metadata`, `byline`, `common`: what the readers share
- `feeds`: the article links of an RSS or Atom feed

Each refusal is an `InputError` with one line a user can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audio_edition.errors import InputError
from audio_edition.inputs.feeds import feed_articles
from audio_edition.inputs.source import MAX_BYTES, Source, check_bytes, read_file, read_source

if TYPE_CHECKING:
    from audio_edition.model import Article

__all__ = ["MAX_BYTES", "READERS", "Reader", "Source", "feed_articles", "load_article", "read_source"]


def _html(text: str, url: str | None, name: str) -> Article:
    # Imported only here: web extraction pulls in trafilatura, which plain text never needs.
    from audio_edition.inputs.html import extract_html  # noqa: PLC0415

    return extract_html(text, url=url, name=name)


def _markdown(text: str, url: str | None, name: str) -> Article:
    from audio_edition.inputs.markdown import extract_markdown  # noqa: PLC0415

    return extract_markdown(text, source=url, name=name)


def _text(text: str, url: str | None, name: str) -> Article:
    from audio_edition.inputs.text import parse_article  # noqa: PLC0415

    return parse_article(text, source=url)


@dataclass(frozen=True)
class Reader:
    """One kind of input: how it is recognised and the function that reads it."""

    kind: str
    suffixes: tuple[str, ...]
    """File name endings (lower case) that mean this kind."""
    media_types: tuple[str, ...]
    """What a server calls it (Content-Type without parameters)."""
    read: Callable[[str, str | None, str], Article]
    """(text, the URL it came from or None, its name for messages) -> Article."""
    sniff_charset: bool = False
    """Decode a file's bytes as a browser would (BOM, <meta charset>, UTF-8, windows-1252)."""


READERS: tuple[Reader, ...] = (
    Reader("html", (".html", ".htm", ".xhtml"), ("text/html", "application/xhtml+xml"), _html, sniff_charset=True),
    Reader("markdown", (".md", ".markdown"), ("text/markdown", "text/x-markdown"), _markdown),
    Reader("text", (), ("text/plain",), _text),
)
"""Every kind of input, the plain-text reader last: it reads anything else."""


def _reader(suffix: str = "", media_type: str = "") -> Reader:
    for reader in READERS:
        if suffix in reader.suffixes or media_type in reader.media_types:
            return reader
    return READERS[-1]


def load_article(arg: str, encoding: str | None = None) -> Article:
    """The article an input holds, whatever kind of input it is.

    An http(s) URL is fetched and read by what the server says it is; a file by
    its name's ending (.html/.htm, .md/.markdown); anything else (and "-",
    standard input) is read as text copied or scraped from a page. Errors name
    the input.
    """
    from audio_edition.inputs.fetch import decode_html, fetch, is_url  # noqa: PLC0415

    name = "standard input" if arg == "-" else arg
    try:
        if is_url(arg):
            page = fetch(arg.strip())
            return _reader(media_type=page.content_type).read(page.text, page.url, arg)
        reader = _reader(suffix=Path(arg).suffix.lower() if arg != "-" else "")
        if reader.sniff_charset and not encoding:
            data = read_file(Path(arg), arg)
            check_bytes(data, arg)
            return reader.read(decode_html(data), None, arg)
        return reader.read(read_source(arg, encoding).text, None, arg)
    except InputError as exc:
        if name in str(exc):
            raise
        raise InputError(f"{name}: {exc}") from None
