"""Reading an input's bytes, checked before anything is rendered.

Each refusal is an `InputError` with one line a user can act on: a missing
path, a folder, an empty file, binary data, text that is not UTF-8, a file
too large to be an article, a page that cannot be fetched or holds no article.
"""

from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass
from pathlib import Path

from audio_edition.errors import InputError
from audio_edition.sizes import human_size

MAX_BYTES = 5 * 1024 * 1024
"""5 MiB: fifty times a 10,000-word long-read, far below a runaway scrape or a binary file."""


@dataclass(frozen=True)
class Source:
    """Text to convert and where it came from."""

    text: str
    name: str
    """For messages: the path as given, or "standard input"."""
    path: Path | None = None


def read_source(arg: str, encoding: str | None = None) -> Source:
    """Read INPUT as given on the command line: a path, or "-" for standard input."""
    if arg == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        return Source(text=decode(data, "standard input", encoding), name="standard input")
    path = Path(arg)
    return Source(text=decode(read_file(path, arg), arg, encoding), name=arg, path=path)


def read_file(path: Path, arg: str) -> bytes:
    if not path.exists():
        raise InputError(f"{arg}: no such file")
    if path.is_dir():
        raise InputError(f"{arg} is a folder, not a text file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{arg} is {human_size(size)}; articles larger than {human_size(MAX_BYTES)} are not accepted"
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
        raise InputError(f"{name} is larger than {human_size(MAX_BYTES)}; that is not an article")
    if not data.strip():
        raise InputError(f"{name} is empty")
    if b"\x00" in data[:65536] or _control_ratio(data[:65536]) > 0.05:
        raise InputError(f"{name} looks like binary data, not text")


def _control_ratio(data: bytes) -> float:
    """Share of bytes that are control characters other than tab, CR, LF, FF."""
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(1, len(data))
