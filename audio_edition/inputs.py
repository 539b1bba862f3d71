"""Reading an input, checked before anything is rendered.

An input is a text file or standard input (`read_source`), or, through
`load_article`, anything that holds an article: a web page at an http(s) URL,
an .html file, a Markdown file or plain text. `feed_articles` lists the
articles of an RSS or Atom feed.

Each refusal is an `InputError` with one line a user can act on: a missing
path, a folder, an empty file, binary data, text that is not UTF-8, a file
too large to be an article, a page that cannot be fetched or holds no article.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audio_edition.errors import InputError

if TYPE_CHECKING:
    from audio_edition.model import Article

MAX_BYTES = 5 * 1024 * 1024
"""5 MiB: fifty times a 10,000-word long-read, far below a runaway scrape or a binary file."""


@dataclass(frozen=True)
class Source:
    """Text to convert and where it came from."""

    text: str
    name: str
    """For messages: the path as given, or "standard input"."""
    path: Path | None = None


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def read_source(arg: str, encoding: str | None = None) -> Source:
    """Read INPUT as given on the command line: a path, or "-" for standard input."""
    if arg == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return Source(text=decode(data, "standard input", encoding), name="standard input")
    path = Path(arg)
    return Source(text=decode(_read_file(path, arg), arg, encoding), name=arg, path=path)


def _read_file(path: Path, arg: str) -> bytes:
    if not path.exists():
        raise InputError(f"{arg}: no such file")
    if path.is_dir():
        raise InputError(f"{arg} is a folder, not a text file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{arg} is {_size(size)}; articles larger than {_size(MAX_BYTES)} are not accepted"
            )
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{arg} cannot be read: {exc.strerror or exc}") from None


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes to text: UTF-8 (with or without BOM) unless `encoding` says otherwise."""
    check_bytes(data, name)
    if encoding:
        try:
            codecs.lookup(encoding)
            return data.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{name} is not valid {encoding}: {exc.reason} at byte {exc.start}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("cp1252")
            hint = "; if it is Windows-1252 or Latin-1 text, pass --encoding cp1252"
        except UnicodeDecodeError:
            pass
        raise InputError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02X} at offset {exc.start}){hint}"
        ) from None


def check_bytes(data: bytes, name: str) -> None:
    """Refuse what cannot be an article whatever its encoding: too large, empty, binary."""
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is larger than {_size(MAX_BYTES)}; that is not an article")
    if not data.strip():
        raise InputError(f"{name} is empty")
    if b"\x00" in data[:65536] or _control_ratio(data[:65536]) > 0.05:
        raise InputError(f"{name} looks like binary data, not text")


def _control_ratio(data: bytes) -> float:
    """Share of bytes that are control characters other than tab, CR, LF, FF."""
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(1, len(data))


HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown")


def load_article(arg: str, encoding: str | None = None) -> Article:
    """The article an input holds, whatever kind of input it is.

    An http(s) URL is fetched and its page extracted; an .html/.htm file is
    extracted; a .md/.markdown file is read as Markdown; anything else (and
    "-", standard input) is cleaned as text copied from a page. Errors name
    the input.
    """
    from audio_edition.clean import parse_article  # noqa: PLC0415
    from audio_edition.fetch import HTML_TYPES, decode_html, fetch, is_url  # noqa: PLC0415

    try:
        if is_url(arg) or Path(arg).suffix.lower() in HTML_SUFFIXES + MARKDOWN_SUFFIXES:
            # Imported only here: web extraction pulls in trafilatura, which plain text never needs.
            from audio_edition import extract  # noqa: PLC0415
        if is_url(arg):
            page = fetch(arg.strip())
            if page.content_type in HTML_TYPES:
                return extract.extract_html(page.text, url=page.url, name=arg)
            if page.content_type in ("text/markdown", "text/x-markdown"):
                return extract.extract_markdown(page.text, source=page.url, name=arg)
            return dataclasses.replace(parse_article(page.text), source=page.url)
        suffix = Path(arg).suffix.lower() if arg != "-" else ""
        if suffix in HTML_SUFFIXES:
            data = _read_file(Path(arg), arg)
            check_bytes(data, arg)
            # Without --encoding, as a browser would: BOM, <meta charset>, UTF-8, windows-1252.
            text = decode(data, arg, encoding) if encoding else decode_html(data)
            return extract.extract_html(text, name=arg)
        source = read_source(arg, encoding)
        if suffix in MARKDOWN_SUFFIXES:
            return extract.extract_markdown(source.text, name=arg)
        return parse_article(source.text)
    except InputError as exc:
        name = "standard input" if arg == "-" else arg
        if name in str(exc):
            raise
        raise InputError(f"{name}: {exc}") from None


def feed_articles(url_or_path: str) -> list[str]:
    """The article links of an RSS or Atom feed (a URL or a file), in feed order, each once."""
    import feedparser  # noqa: PLC0415

    from audio_edition.fetch import FEED_TYPES, fetch, is_url  # noqa: PLC0415

    name = url_or_path
    if is_url(url_or_path):
        page = fetch(url_or_path.strip(), accept=FEED_TYPES, what="an RSS or Atom feed")
        data, base = page.data, page.url
    else:
        data, base = _read_file(Path(url_or_path), url_or_path), None
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
