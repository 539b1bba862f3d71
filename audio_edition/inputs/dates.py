"""Dates and times as news pages print them, in any of the languages news is written in.

`find_dates(line)` finds every calendar date in a line ("April 1, 2025",
"3. März 2024", "22 de janeiro de 2018", "24 сентября 2018", "2025-04-02",
"11/19/19", "05.10.2018", "2018年1月22日"), with the time printed beside it
("10:55 PM", "14:20 Uhr", "às 0:13", "7h45") and its time zone ("PST", "ET",
"GMT+3", "+02:00"), and says which characters of the line they took.

English month and weekday names are built in. For other languages the names,
weekdays, "a.m."/"p.m." words and day-month order come from dateparser's
locale data (loaded only when a page is in that language), so the tool knows
every language dateparser knows without a month list of its own.

A date keeps its zone when the page names one: the datetime is then aware
(`2019-11-18 07:45-08:00`). Without a zone it is naive: local time as printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from audio_edition.model import MONTHS, WEEKDAYS

__all__ = ["Calendar", "Found", "blank_out", "calendar", "find_dates", "month_days", "zone_of"]

_MONTH_KEYS = tuple(m.lower() for m in MONTHS)
_WEEKDAY_KEYS = tuple(d.lower() for d in WEEKDAYS)
# English names and the abbreviations news pages print ("Sept." too, "Tues.", "Thurs.").
_EN_MONTHS = {
    **{k: i for i, k in enumerate(_MONTH_KEYS, 1)},
    **{k[:3]: i for i, k in enumerate(_MONTH_KEYS, 1)},
    "sept": 9,
}
_EN_WEEKDAYS = (*_WEEKDAY_KEYS, *(k[:3] for k in _WEEKDAY_KEYS), "tues", "thur", "thurs")

# Fixed offsets of the zone abbreviations news pages print; the generic US zones follow daylight saving.
_FIXED_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330, "CET": 60, "CEST": 120,
    "MEZ": 60, "MESZ": 120, "EET": 120, "EEST": 180, "MSK": 180, "EST": -300, "EDT": -240, "CST": -360,
    "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480,
    "HST": -600, "AEST": 600, "AEDT": 660, "ACST": 570, "AWST": 480, "NZST": 720, "NZDT": 780, "JST": 540,
    "KST": 540, "HKT": 480, "SGT": 480, "WIB": 420, "PHT": 480, "SAST": 120, "EAT": 180, "WAT": 60,
    "CAT": 120, "GST": 240, "PKT": 300, "ART": -180, "BRT": -180,
}  # fmt: skip
_DAYLIGHT_ZONES = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
    "EASTERN": "America/New_York", "CENTRAL": "America/Chicago", "PACIFIC": "America/Los_Angeles",
}  # fmt: skip
_ZONE = re.compile(
    r"(?:(?<![\w+\-])(?P<name>[A-Z]{1,5})(?:\s*(?P<sign>[+\-−])\s*(?P<h>\d{1,2})(?::?(?P<m>\d\d))?)?"
    r"|(?P<sign2>[+\-−])(?P<h2>\d\d):?(?P<m2>\d\d))(?![\w])"
)


@dataclass(frozen=True)
class Calendar:
    """The words one language prints dates with."""

    months: dict[str, int]
    """Lower-case month names and abbreviations -> 1..12."""
    weekdays: frozenset[str]
    am: frozenset[str]
    pm: frozenset[str]
    day_first: bool
    """Numeric dates put the day first (05/10/2018 is 5 October), as everywhere but the US."""
    skip: frozenset[str]
    """Small words dateparser says may stand inside a date ("de", "às", "um", "Uhr")."""


@cache
def calendar(language: str) -> Calendar:
    """The calendar words of a language (ISO 639-1); English's when dateparser does not know it."""
    if language != "en":
        try:
            from dateparser.languages.loader import default_loader  # noqa: PLC0415 - only for other languages
        except ImportError:
            return calendar("en")
        try:
            info = default_loader.get_locale(language).info
        except (KeyError, ValueError, AttributeError):
            return calendar("en")
        months = {
            name.lower().rstrip("."): number
            for number, key in enumerate(_MONTH_KEYS, 1)
            for name in info.get(key, ())
            if len(name) >= 3 or not name.isascii()
        }
        weekdays = frozenset(n.lower().rstrip(".") for key in _WEEKDAY_KEYS for n in info.get(key, ()))
        return Calendar(
            months={**months, **{k: v for k, v in _EN_MONTHS.items() if len(k) > 3}},
            weekdays=weekdays | frozenset(_EN_WEEKDAYS),
            am=frozenset(w.lower() for w in info.get("am", ())) | {"am", "a.m."},
            pm=frozenset(w.lower() for w in info.get("pm", ())) | {"pm", "p.m."},
            day_first=info.get("date_order", "DMY") != "MDY",
            skip=frozenset(w.lower() for w in info.get("skip", ()) if w.strip(" '.,-/;@[]|，")),
        )
    return Calendar(
        months=dict(_EN_MONTHS),
        weekdays=frozenset(_EN_WEEKDAYS),
        am=frozenset({"am", "a.m.", "a.m"}),
        pm=frozenset({"pm", "p.m.", "p.m"}),
        day_first=False,
        skip=frozenset({"at", "on", "the", "of"}),
    )


@dataclass(frozen=True)
class Found:
    """A date found in a line."""

    when: datetime
    """Aware when the line names a zone; naive (local time as printed) otherwise."""
    has_time: bool
    spans: tuple[tuple[int, int], ...]
    """The characters of the line it took: the date, the time, the zone."""

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)


@cache
def _patterns(language: str) -> tuple[re.Pattern[str], ...]:
    cal = calendar(language)
    names = "|".join(sorted((re.escape(m) for m in cal.months), key=len, reverse=True))
    month = rf"(?P<mon>{names})\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°|\.)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    glue = r"(?:\s+(?:de|del|di|du|of|d')\s*|\s*[,.]?\s*)"
    return (
        re.compile(rf"(?<![\w]){month}{glue}{day}(?:,|\s)\s*{year}(?!\d)", re.I),
        re.compile(rf"(?<![\w]){day}{glue}{month}{glue}{year}(?:\s*(?:г\.|р\.|року|года|roku|r\.))?(?!\d)", re.I),
        re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d\d)-(?P<num>[01]?\d)-(?P<day>[0-3]?\d)(?![\d])"),
        re.compile(r"(?<![\d.])(?P<year>(?:19|20)\d\d)年\s*(?P<num>[01]?\d)月\s*(?P<day>[0-3]?\d)日"),
        re.compile(r"(?<![\d./])(?P<a>[0-3]?\d)\.(?P<b>[01]?\d)\.(?P<year>(?:19|20)?\d\d)(?![\w])"),
        re.compile(r"(?<![\d./])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)?\d\d)(?![\w/])"),
        re.compile(r"(?<![\d./])(?P<year>(?:19|20)\d\d)/(?P<num>[01]?\d)/(?P<day>[0-3]?\d)(?![\d/])"),
    )


_TIME = re.compile(
    r"(?<![\d:.])(?P<h>[0-2]?\d)(?:(?P<sep>[:.h])(?P<m>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?)?"
    r"(?:\s*(?P<ampm>[^\W\d_]{1,5}\.?(?:[^\W\d_]\.?)?))?(?![\d])",
    re.I,
)


def find_dates(line: str, language: str = "en") -> list[Found]:
    """Every calendar date in `line`, in order, each with the time and zone printed right after it."""
    cal = calendar(language)
    text = re.sub(r"(\d)T(\d)", r"\1 \2", line)  # ISO 8601's "T"
    taken: list[tuple[int, int]] = []
    dates: list[tuple[int, int, datetime, bool]] = []
    for pattern in _patterns(language):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            day = _date_of(match, cal, month_only=False)
            if day is not None:
                taken.append(match.span())
                dates.append((match.start(), match.end(), day, False))
    dates.sort()
    found: list[Found] = []
    for k, (start, end, day, month_only) in enumerate(dates):
        limit = dates[k + 1][0] if k + 1 < len(dates) else len(text)
        spans = [(start, end)]
        when, has_time = day, False
        clock = None if month_only else _time_after(text, end, limit, cal)
        if clock is None and not month_only:
            clock = _time_before(text, start, found[-1].spans[-1][1] if found else 0, cal)
        if clock is not None:
            (hour, minute), span = clock
            when, has_time = day.replace(hour=hour, minute=minute), True
            spans.append(span)
        zone = _zone_after(text, max(e for _, e in spans), limit)
        if zone is None and len(spans) > 1 and spans[1][0] < start:
            zone = _zone_after(text, spans[1][1], start)  # "9:30 a.m. ET, Aug. 24"
        if zone is not None:
            tz, span = zone
            when = _localize(when, tz)
            spans.append(span)
        found.append(Found(when, has_time, tuple(spans)))
    return found


@cache
def _month_day(language: str) -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(m) for m in calendar(language).months), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w])(?:(?:{names})\.?\s+[0-3]?\d(?:st|nd|rd|th)?|[0-3]?\d(?:st|nd|rd|th|\.)?\s+(?:de\s+)?(?:{names})\.?)(?![\w])",
        re.I,
    )


def month_days(line: str, language: str = "en") -> list[tuple[int, int]]:
    """Where a line prints a day and month without a year ("March 18", "18. März"): no date, but no name either."""
    return [m.span() for m in _month_day(language).finditer(line)]


def _date_of(match: re.Match[str], cal: Calendar, month_only: bool = False) -> datetime | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    if groups.get("mon"):
        month = cal.months.get(groups["mon"].lower().rstrip("."))
        if month is None:
            return None
        day = 1 if month_only else int(groups["day"])
    elif groups.get("num"):
        month, day = int(groups["num"]), int(groups["day"])
    else:
        a, b = int(groups["a"]), int(groups["b"])
        dotted = "." in match.group(0)
        day_first = cal.day_first or dotted
        if a > 12:
            day_first = True
        elif b > 12:
            day_first = False
        day, month = (a, b) if day_first else (b, a)
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def _clock(match: re.Match[str], cal: Calendar) -> tuple[int, int] | None:
    """(hour, minute) of a time match, or None when it is not a time after all."""
    hour = int(match.group("h"))
    minute = int(match.group("m") or 0)
    word = (match.group("ampm") or "").lower().replace(" ", "")
    ampm = word if word in cal.am or word in cal.pm or word.rstrip(".") in ("am", "pm", "a.m", "p.m") else ""
    if not match.group("m") and not ampm:
        return None  # a bare number is no time
    if ampm:
        if not 1 <= hour <= 12:
            return None
        pm = ampm in cal.pm or ampm.startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    elif hour > 23:
        return None
    return hour, minute


def _time_after(text: str, end: int, limit: int, cal: Calendar) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """A time printed after a date, with at most a few small words between ("at", "às", "um", "|")."""
    for match in _TIME.finditer(text, end, limit):
        between = text[end : match.start()]
        if not _only_filler(between, cal):
            return None
        clock = _clock(match, cal)
        if clock is not None:
            span_end = (
                match.end()
                if match.group("ampm") and _is_ampm(match, cal)
                else match.end("m")
                if match.group("m")
                else match.end()
            )
            return clock, (match.start(), span_end)
        return None
    return None


def _time_before(text: str, start: int, floor: int, cal: Calendar) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """A time printed before its date ("10:07 AM, November 19, 2019")."""
    best = None
    for match in _TIME.finditer(text, floor, start):
        between = text[match.end() : start]
        zone = _ZONE.search(between)
        if zone is not None and zone_of(zone.group(0)) is not None:
            between = between[: zone.start()] + between[zone.end() :]  # "9:30 a.m. ET, Aug. 24"
        if _only_filler(between, cal) and match.group("m"):
            clock = _clock(match, cal)
            if clock is not None:
                best = clock, match.span()
    return best


def _is_ampm(match: re.Match[str], cal: Calendar) -> bool:
    word = (match.group("ampm") or "").lower()
    return word in cal.am or word in cal.pm or word.rstrip(".") in ("am", "pm", "a.m", "p.m")


def _only_filler(between: str, cal: Calendar) -> bool:
    words = re.findall(r"[^\W\d_]+", between.lower())
    return len(between) <= 14 and all(
        w in cal.skip or w in cal.weekdays or w in ("at", "um", "à", "a", "o", "las", "alle", "kl", "в", "о", "об")
        for w in words
    )


def _zone_after(text: str, end: int, limit: int) -> tuple[tzinfo | str, tuple[int, int]] | None:
    match = _ZONE.match(text, end + len(text[end:limit]) - len(text[end:limit].lstrip(" ,(")))
    if match is None or match.start() >= limit:
        return None
    zone = zone_of(match.group(0))
    return (zone, match.span()) if zone is not None else None


def zone_of(name: str) -> tzinfo | str | None:
    """A zone a page prints: a fixed offset ("PST", "GMT+3", "+02:00") or a daylight-saving zone's name ("ET")."""
    text = name.strip().replace("−", "-")
    match = re.fullmatch(r"(?:(UTC|GMT|UT)?\s*)?([+\-])\s*(\d{1,2})(?::?(\d\d))?", text)
    if match and (match.group(1) or len(match.group(3)) == 2):
        minutes = int(match.group(3)) * 60 + int(match.group(4) or 0)
        if minutes > 14 * 60:
            return None
        return timezone(timedelta(minutes=minutes if match.group(2) == "+" else -minutes))
    upper = text.upper()
    if upper in _FIXED_ZONES and text.isupper():
        return timezone(timedelta(minutes=_FIXED_ZONES[upper]))
    if upper in _DAYLIGHT_ZONES and (text.isupper() or len(text) > 2):
        return _DAYLIGHT_ZONES[upper]
    return None


def _localize(when: datetime, zone: tzinfo | str) -> datetime:
    if isinstance(zone, str):
        try:
            named = when.replace(tzinfo=ZoneInfo(zone))
        except (KeyError, ValueError, OSError):
            return when
        offset = named.utcoffset()
        # Kept as the fixed offset of that day ("ET" in June: -04:00), which ISO 8601 writes and reads back.
        return when.replace(tzinfo=timezone(offset)) if offset is not None else when
    return when.replace(tzinfo=zone)


def blank_out(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with the given character spans replaced by spaces."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
