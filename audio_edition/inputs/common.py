"""Text helpers shared by the page and Markdown readers: white space, sentences, credits, bylines, dates."""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from datetime import datetime
from typing import Any

from audio_edition.inputs.byline import Dateline, parse_byline, parse_dateline
from audio_edition.inputs.text import INVISIBLE, load_furniture, paren_credit

_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CLOSERS = "\"'”’»)]*_"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
_LABEL_CREDIT = re.compile(
    r"(?P<text>.*?[.!?][\"'”’)]*)\s+(?P<credit>(?:Photo|Photograph|Photos|Image|Picture|Illustration|Credit|Video|Graphic)s?"
    r"(?:\s+credit)?(?:\s*:|\s+by\b)\s*[^.!?]{2,120})",
    re.S,
)
CREDIT_LABEL = re.compile(
    r"^(?:photo|photograph|photos|image|picture|credit|illustration|video|graphic)s?(?:\s+credit)?\s*(?::|\bby\b)\s*",
    re.I,
)


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
    """A caption and its photo credit, as the text cleaner splits them.

    "The pier at dawn (Photo: Jane Roe/Reuters)" -> ("The pier at dawn", "Jane Roe/Reuters");
    "The pier at dawn. Photograph: Jane Roe" -> ("The pier at dawn.", "Jane Roe").
    """
    text = norm(text)
    split = paren_credit(text, load_furniture())
    if split is not None:
        return split[0], CREDIT_LABEL.sub("", split[1]).strip() or None
    match = _LABEL_CREDIT.fullmatch(text)
    if match:
        return match.group("text").strip(), CREDIT_LABEL.sub("", match.group("credit")).strip() or None
    return text, None


def is_meta(text: str) -> bool:
    """A byline or dateline line: "By Jane Doe · 20 January 2026", "Posted on May 2, 2025 by Jane Doe"."""
    return _meta_parts(text) is not None


def meta_of(text: str) -> tuple[list[str], Dateline | None]:
    """The authors and the date a byline/dateline line names."""
    names: list[str] = []
    dated: Dateline | None = None
    for part in _meta_parts(text) or ():
        found = parse_byline(part, load_furniture().roles)
        names += found[0] if found else []
        when = parse_dateline(part)
        dated = dated or (when if when and not when.updated else None)
    return names, dated


def _meta_parts(text: str) -> list[str] | None:
    """The parts of a byline/dateline line, each one a byline, a date or a reading time; None if it is not one."""
    if len(text.split()) > 30:
        return None
    furniture = load_furniture()
    parts: list[str] = []
    for part in (p for p in re.split(r"\s+[|·•]\s+|\s+[—–]\s+", text) if p):
        head, sep, tail = part.rpartition(" by ")
        if sep and parse_dateline(head) and parse_byline(f"By {tail}", furniture.roles):
            parts += [head, f"By {tail}"]
        elif parse_dateline(part) or parse_byline(part, furniture.roles) or furniture.category(part) == "readtime":
            parts.append(part)
        else:
            return None
    return parts or None


def iso_date(value: str) -> tuple[datetime, bool] | None:
    """"2026-03-12T07:45:00+01:00" -> (2026-03-12 07:45, True): the wall-clock time as written."""
    match = _ISO.search(value)
    if not match:
        return None
    year, month, day, hour, minute, _ = match.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return None
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
