"""Bylines and datelines: who wrote an article and when it was published.

The clean stage hands single lines of a page to these functions. Each one
answers only for a *whole* line (or one part of a line split at "|", "·" or
"•"), so a body sentence that mentions a date or starts with "By" is never read
as metadata. The words that mark a byline part as a job title or a publication
("Staff Writer", "The Harbor Ledger") are data: the "role" rows of
data/furniture.tsv, passed in by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_FULL_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_MONTH = rf"(?P<mon>{_FULL_MONTHS}|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Each pattern finds one calendar date; the rest of the line must be filler.
_DATE_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_YEAR}-(?P<num>\d{{1,2}})-(?P<day>\d{{1,2}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})\.(?P<num>\d{{1,2}})\.{_YEAR}\b"),
    re.compile(rf"\b(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/{_YEAR}\b"),
)
_TIME = re.compile(
    r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)"
    r"|\b(?P<h24>\d{1,2})[:.h](?P<m24>\d{2})\b(?!\.\d)",
    re.I,
)
# "GMT+3", "UTC-05:00", or an abbreviation such as ET, BST, CEST (upper case only).
_ZONE = re.compile(r"\b(?:UTC|GMT)\s*[+\-−]\s*\d{1,2}(?::?\d\d)?\b|\b[A-Z]{2,5}\b")
_FILLER = re.compile(
    r"\b(?:published|updated|posted|modified|last|first|originally|date|on|at|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b\.?"
    r"|[\s,:;|·•()\-–—]+",
    re.I,
)
_UPDATED = re.compile(r"\b(updated|modified)\b", re.I)

_BY = re.compile(r"(?:(?:words|written|story|text)\s+)?by\s*:?\s+(?P<rest>.+)", re.I)
_AND = re.compile(r"\s+(?:and|&)\s+", re.I)
_PLACE = re.compile(r"\s+(?:in|for|at|from)\s+\S.*$", re.I)
_PARTICLES = frozenset(
    {"de", "da", "das", "do", "dos", "du", "van", "von", "der", "den", "del", "della", "di",
     "la", "le", "al", "el", "bin", "ibn", "ten", "ter", "y"}
)
# Capitalised words that follow "By" in prose ("By Tuesday night, ...") but never name anyone.
_NOT_NAMES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
     "tomorrow", "yesterday", "morning", "afternoon", "evening", "night", "noon", "midnight"}
)


@dataclass(frozen=True)
class Dateline:
    """A publication date found on a line of its own."""

    when: datetime
    """Local time as printed; midnight when `has_time` is False."""
    has_time: bool
    updated: bool
    """The line said "Updated"/"Modified": a weaker witness than "Published"."""


def parse_dateline(line: str) -> Dateline | None:
    """Read a line that is only a date (and time), e.g. "Updated June 18, 2026, 2:05 p.m. ET".

    Returns None when anything besides a date, a time, a time zone, a weekday and
    words such as "Published" or "Updated" is on the line.
    """
    text = re.sub(r"(\d)T(\d)", r"\1 \2", line.strip())
    found: list[tuple[int, int, datetime]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e, _ in found):
                continue
            day = _date_of(match)
            if day is not None:
                found.append((match.start(), match.end(), day))
    if not found:
        return None
    found.sort()
    start, end, day = found[0]
    rest = _blank_out(text, [(s, e) for s, e, _ in found])
    second = found[1][0] if len(found) > 1 else len(text)

    hour = minute = None
    spans: list[tuple[int, int]] = []
    for match in _TIME.finditer(rest):
        h, m = _time_of(match)
        if h is None:
            return None  # "25:99" is not a time, so this is not a dateline
        spans.append(match.span())
        if hour is None and match.start() < second:
            hour, minute = h, m  # the time that goes with the first date
    rest = _ZONE.sub(" ", _blank_out(rest, spans))
    if _FILLER.sub("", rest):
        return None
    has_time = hour is not None
    when = day.replace(hour=hour or 0, minute=minute or 0)
    updated = bool(_UPDATED.search(text[:start])) and not re.search(r"published|posted", text[:start], re.I)
    return Dateline(when, has_time, updated)


def _blank_out(text: str, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _date_of(match: re.Match[str]) -> datetime | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("mon"):
        month = _MONTHS[groups["mon"].lower()[:3]]
        day = int(groups["day"])
    elif groups.get("num"):
        month, day = int(groups["num"]), int(groups["day"])
    else:
        first, second = int(groups["a"]), int(groups["b"])
        # US sites write month/day; a first number above 12 can only be a day.
        month, day = (second, first) if first > 12 else (first, second)
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def _time_of(match: re.Match[str]) -> tuple[int | None, int | None]:
    if match.group("ampm"):
        hour, minute = int(match.group("h")), int(match.group("m") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None, None
        pm = match.group("ampm").lower().startswith("p")
        return hour % 12 + (12 if pm else 0), minute
    hour, minute = int(match.group("h24")), int(match.group("m24"))
    if hour > 23 or minute > 59:
        return None, None
    return hour, minute


def parse_byline(line: str, roles: Sequence[re.Pattern[str]]) -> tuple[list[str], str] | None:
    """Read "By Jane Doe and John Roe, Staff Writers" into (["Jane Doe", "John Roe"], rest).

    `rest` is what followed the names (a role, a place, a date), for the caller
    to look at. Returns None unless the line starts with "By" (or "Words by",
    "Written by", ...) and at least one person's name follows.
    """
    match = _BY.fullmatch(line.strip())
    if match is None or len(line.split()) > 24:
        return None
    rest = match.group("rest").strip()
    names: list[str] = []
    parts = [p.strip() for p in re.split(r"\s*[,;]\s*", rest)]
    used = 0
    for part in parts:
        part = re.sub(r"^(?:and|&)\s+", "", part, flags=re.I)
        people = [_PLACE.sub("", p) for p in _AND.split(part)]
        if not part or not all(is_name(p, roles) for p in people):
            break
        names.extend(people)
        used += 1
    if not names:
        return None
    return [title_case(n) for n in names], ", ".join(parts[used:])


def is_name(text: str, roles: Sequence[re.Pattern[str]]) -> bool:
    """True when `text` looks like a person's name: 2-5 capitalised words, no job title."""
    words = text.split()
    if not 2 <= len(words) <= 5 or any(r.search(text) for r in roles):
        return False
    capitals = 0
    for word in words:
        bare = word.strip(".")
        if word.lower() in _PARTICLES:
            continue
        if bare.lower() in _NOT_NAMES or not bare or not bare[0].isupper():
            return False
        if not re.fullmatch(r"[^\W\d_](?:[^\W\d_]|['’.\-])*", word):
            return False
        capitals += 1
    return capitals >= 2


def title_case(name: str) -> str:
    """"AMINA WERE" -> "Amina Were"; names already in mixed case are left alone."""
    if any(c.islower() for c in name):
        return name
    out = []
    for i, word in enumerate(name.split()):
        if i and word.lower() in _PARTICLES:
            out.append(word.lower())
            continue
        pieces = re.split(r"(['’\-])", word)
        out.append("".join(p.capitalize() for p in pieces))
    return " ".join(out)


def join_authors(names: Sequence[str]) -> str | None:
    """["A", "B", "C"] -> "A, B and C"; duplicates dropped, order kept."""
    unique = list(dict.fromkeys(names))
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    return ", ".join(unique[:-1]) + " and " + unique[-1]
