"""Text helpers shared by the page and Markdown readers: white space, sentences, credits, bylines, dates."""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from datetime import datetime
from typing import Any

from audio_edition.inputs import credits
from audio_edition.inputs.byline import Dateline, read_meta
from audio_edition.inputs.credits import CREDIT_LABEL
from audio_edition.inputs.dates import zone_of
from audio_edition.inputs.shapes import INVISIBLE

__all__ = [
    "CREDIT_LABEL",
    "absolute_http",
    "first_text",
    "is_meta",
    "is_prose",
    "iso_date",
    "meta_of",
    "norm",
    "split_credit",
    "ws",
]

_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CLOSERS = "\"'”’»)]*_"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+\-]\d{2}:?\d{2})?)?")


def ws(text: str | None) -> str:
    """Source text with its white space (line breaks of an HTML source included) as single spaces."""
    return _SPACES.sub(" ", text) if text else ""


def norm(text: str) -> str:
    """One line of text: NFC, no invisible characters, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(INVISIBLE)).strip()


def is_prose(text: str) -> bool:
    """Ends like a sentence and has at least two words."""
    stripped = text.rstrip(_CLOSERS + " ")
    return len(text.split()) >= 2 and stripped[-1:] in (".", "!", "?", "…")


def split_credit(text: str) -> tuple[str, str | None]:
    """A caption and its photo credit, as the text reader splits them (see `credits.split_credit`)."""
    return credits.split_credit(norm(text))


def is_meta(text: str) -> bool:
    """A byline or dateline line: "By Jane Doe · 20 January 2026", "Posted on May 2, 2025 by Jane Doe"."""
    return read_meta(norm(text)) is not None


def meta_of(text: str) -> tuple[list[str], Dateline | None]:
    """The authors and the publication date a byline/dateline line names (an "Updated" date is not one)."""
    meta = read_meta(norm(text))
    if meta is None:
        return [], None
    return list(meta.credited), meta.date if meta.date and not meta.date.updated else None


def iso_date(value: str) -> tuple[datetime, bool] | None:
    """ "2026-03-12T07:45:00+01:00" -> (2026-03-12 07:45+01:00, True): the time as written, with its zone when it has one."""
    match = _ISO.search(value)
    if not match:
        return None
    year, month, day, hour, minute, _, zone = match.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return None
    offset = zone_of(zone) if zone and hour is not None else None
    if offset is not None and not isinstance(offset, str):
        when = when.replace(tzinfo=offset)
    # A CMS that stores only a date writes it as midnight.
    return when, hour is not None and (hour, minute) != ("00", "00")


def first_text(*values: Any) -> str | None:
    for value in values:
        if isinstance(value, str) and norm(value):
            return norm(value)
    return None


def absolute_http(link: str | None, base: str | None) -> str | None:
    if not link:
        return None
    link = urllib.parse.urljoin(base, link.strip()) if base else link.strip()
    return link if re.match(r"https?://", link, re.I) else None
