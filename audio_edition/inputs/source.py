"""Reading an input's bytes, checked before anything is rendered.

Each refusal is an `InputError` with one line a user can act on: a missing
path, a folder, an empty file, binary data, text that is not UTF-8, a file
too large to be an article, a page that cannot be fetched or holds no article.
"""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
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


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_BARE_ADDRESS = re.compile(r"www\.[A-Za-z0-9.-]+(?:[:/]\S*)?|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?::\d+)?/\S*")
"""A web address without its http(s):// ("www.example.org", "example.org/story.html")."""


def missing(arg: str) -> InputError:
    """Why `arg` names nothing to read: no such file, or an address given the wrong way."""
    scheme = _SCHEME.match(arg.strip())
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return InputError(f"{arg}: {scheme.group(1)}:// addresses cannot be read; give an http:// or https:// address")
    if not scheme and _BARE_ADDRESS.fullmatch(arg.strip()):
        return InputError(f"{arg}: no such file; for a web page, give its address with https:// in front")
    return InputError(f"{arg}: no such file")


def read_file(path: Path, arg: str) -> bytes:
    if not path.exists():
        raise missing(arg)
    if path.is_dir():
        raise InputError(f"{arg} is a folder, not a text file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            # Just over the limit both round alike: "is 5.0 MiB; larger than 5.0 MiB" would read as a contradiction.
            said = f"is {human_size(size)}" if human_size(size) != human_size(MAX_BYTES) else "is over the limit"
            raise InputError(f"{arg} {said}; articles larger than {human_size(MAX_BYTES)} are not accepted")
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{arg} cannot be read: {exc.strerror or exc}") from None


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM, unless `encoding` says otherwise."""
    check_bytes(data, name, encoding)
    if not encoding and bom_encoding(data) in ("utf-16", "utf-32"):
        encoding = bom_encoding(data)
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


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: it starts with UTF-16 LE's BOM
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte order mark at the start of `data` names ("utf-8-sig", "utf-16", "utf-32"), or None."""
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def check_bytes(data: bytes, name: str, encoding: str | None = None) -> None:
    """Refuse what cannot be an article whatever its encoding: too large, empty, binary.

    Text in UTF-16 or UTF-32 (a BOM says so, or `encoding`) is full of zero bytes: it is judged by its
    characters, not its bytes.
    """
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is larger than {human_size(MAX_BYTES)}; that is not an article")
    wide = encoding if encoding and _wide(encoding) else bom_encoding(data)
    codes: bytes | list[int]
    if wide in ("utf-16", "utf-32") or (wide and _wide(wide)):
        text = data[:65536].decode(wide, errors="replace").lstrip("\ufeff")
        empty, codes = not text.strip(), [ord(ch) for ch in text]
    else:
        empty, codes = not data.removeprefix(codecs.BOM_UTF8).strip(), data[:65536]
    if empty:
        raise InputError(f"{name} is empty")
    # Bytes read two or four at a time always make characters; binary data makes many Unicode never assigned.
    if 0 in codes or _control_ratio(codes) > 0.05 or (wide and _unassigned_ratio(codes) > 0.02):
        raise InputError(f"{name} looks like binary data, not text")


def _wide(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        return False  # decode() names the unknown encoding


def _unassigned_ratio(codes: bytes | list[int]) -> float:
    """Share of code points Unicode has not assigned to any character."""
    return sum(1 for c in codes if unicodedata.category(chr(c)) == "Cn") / max(1, len(codes))


def _control_ratio(codes: bytes | list[int]) -> float:
    """Share of characters that are control characters other than tab, CR, LF, FF."""
    controls = sum(1 for b in codes if b < 32 and b not in (9, 10, 12, 13))
    return controls / max(1, len(codes))
