"""Time: clock times, durations, dates, years, decades and year ranges."""

from __future__ import annotations

import re

from audio_edition.speech.en import common as c
from audio_edition.speech.en import numbers as n
from audio_edition.speech.en import words


def say_clock(hour: int, minute: int, meridiem: str | None) -> str:
    if meridiem:
        words = n.cardinal(str(hour))
        if minute:
            words += " " + n.pair(f"{minute:02d}")
        return f"{words} {meridiem[0].upper()}M"
    if minute == 0:
        return f"{n.cardinal(str(hour))} hundred" if hour >= 13 or hour == 0 else f"{n.cardinal(str(hour))} o'clock"
    return n.cardinal(str(hour)) + " " + n.pair(f"{minute:02d}")


_TIME_ZONES = {"E": "Eastern", "C": "Central", "M": "Mountain", "P": "Pacific"}
_ZONE_KIND = {"S": " Standard Time", "D": " Daylight Time", "T": ""}


def say_duration(m: re.Match[str]) -> str:
    """ "2:05:30" -> "two hours, five minutes and thirty seconds"."""
    h, mi, sec = (int(g) for g in m.groups())
    if mi > 59 or sec > 59:
        return m.group(0)
    parts = [
        f"{n.cardinal(str(v))} {unit}{'' if v == 1 else 's'}"
        for v, unit in ((h, "hour"), (mi, "minute"), (sec, "second"))
        if v
    ]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else "zero seconds"


def say_military(m: re.Match[str]) -> str:
    """ "0600 hours" -> "oh six hundred hours"; "1430 hours" -> "fourteen thirty hours"."""
    hour, minute = m.group(1), int(m.group(2))
    said = n.pair(hour)
    return f"{said} hundred" if minute == 0 else f"{said} {n.pair(f'{minute:02d}')}"


def say_time(m: re.Match[str]) -> str:
    hour = int(m.group("h"))
    minute = int(m.group("m") or 0)
    if hour > 24 or minute > 59:
        return m.group(0)
    meridiem = (m.groupdict().get("ap") or "").replace(".", "").replace(" ", "").lower() or None
    spoken = say_clock(hour, minute, meridiem)
    zone = m.groupdict().get("tz")
    if zone:
        spoken += " " + _TIME_ZONES[zone[0]] + _ZONE_KIND[zone[-1]]
    # A sentence-final "p.m." carried the full stop; keep it.
    return spoken + ("." if m.group(0).endswith("m.") and m.end() == len(m.string) else "")


def date_rules() -> list[c.Rule]:
    months: dict[str, int] = dict(c.data()["months"])
    titled = list(months)
    months.update({name.upper(): number for name, number in list(months.items())})  # "JAN. 15", "SEPT. 3"
    names = c.alternation(list(months))
    mon = rf"(?P<mon>{names})\b\.?"

    def month(m: re.Match[str]) -> str:
        return c.MONTH_NAMES[months[m.group("mon")] - 1]

    def month_day_year(m: re.Match[str]) -> str:
        day = int(m.group("day"))
        if not 1 <= day <= 31:
            return m.group(0)
        out = f"{month(m)} {n.ordinal(str(day))}"
        if m.group("last"):  # "Aug. 15-17", "June 28-July 2"
            second = f"{c.MONTH_NAMES[months[m.group('mon2')] - 1]} " if m.group("mon2") else ""
            out += f" to {second}{n.ordinal(m.group('last'))}"
        if m.group("year"):
            out += f", {n.year(m.group('year'))}"
        return out

    def day_month_year(m: re.Match[str]) -> str:
        day = int(m.group("day"))
        if not 1 <= day <= 31:
            return m.group(0)
        the = "" if re.search(r"\b[Tt]he\s+$", m.string[: m.start()]) else "the "
        out = f"{the}{n.ordinal(str(day))} of {month(m)}"
        if m.group("year"):
            out += f" {n.year(m.group('year'))}"
        return out

    def month_year(m: re.Match[str]) -> str:
        return f"{month(m)} {n.year(m.group('year'))}"

    year = r"(?P<year>1[0-9]\d\d|20\d\d)"
    return [
        (
            re.compile(
                rf"\b{mon}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:\d|\.\d|,\d{{3}})"
                rf"(?:\s?[-–]\s?(?:(?P<mon2>{names})\b\.?\s+)?(?P<last>[12]?\d|3[01])\b(?!:))?(?:,?\s+{year}\b)?"
            ),
            month_day_year,
            c.DIGIT,
        ),
        (
            re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{mon}(?:,?\s+{year}\b)?"),
            day_month_year,
            c.DIGIT,
        ),
        (re.compile(rf"\b{mon},?\s+{year}\b"), month_year, c.DIGIT),
        # "Sun., Oct. 13", "through Sat.": a weekday abbreviation with its full stop, by a date or a preposition.
        (
            re.compile(
                rf"\b(?P<wd>Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.(?=,?\s+(?:{names}|\d))|"
                r"(?P<pre>\b(?:on|through|thru|until|till|to|from|by|and) )(?P<wd2>Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)"
                r"\.(?=[\s,;]|$)"
            ),
            say_weekday,
            re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\."),
        ),
        # "Sept." on its own, a month abbreviation with its full stop.
        (
            re.compile(
                rf"\b(?P<mon>{c.alternation([k for k in titled if len(k) <= 4 and k != 'May'])})\.(?=\s|$|[-–])"
            ),
            month,
        ),
    ]


WEEKDAYS = {"Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
            "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"}  # fmt: skip


def say_weekday(m: re.Match[str]) -> str:
    day = WEEKDAYS[m.group("wd") or m.group("wd2")]
    return (m.group("pre") or "") + day + ("." if m.end() == len(m.string) else "")


def say_decade(m: re.Match[str]) -> str:
    return n.decade(m.group(1))


def say_decade_range(m: re.Match[str]) -> str:
    """ "the 1980s-90s" -> "the nineteen eighties to nineties"."""
    return f"{n.decade(m.group(1))} to {n.decade(m.group(2))}"


def say_year_range(m: re.Match[str]) -> str:
    start, end = m.group(1), m.group(2)
    if len(end) == 2:  # "2024-25" -> "twenty twenty-four to twenty-five", as written
        if int(start[:2] + end) < int(start):
            return m.group(0)
        return f"{n.year(start)} to {n.pair(end)}"
    return f"{n.year(start)} to {n.year(end)}"


def spell_model(prefix: str) -> str:
    return words.spell(prefix) if len(prefix) == 1 else prefix.rstrip()


def say_us_date(m: re.Match[str]) -> str:
    """ "on 3/14" -> "on March fourteenth" (month first, as US news writes it)."""
    preposition = m.group(0).split()[0]
    return f"{preposition} {c.MONTH_NAMES[int(m.group(1)) - 1]} {n.ordinal(m.group(2))}"


def _full_year(text: str) -> str:
    """A two-digit year as a four-digit one: "05" -> "2005", "99" -> "1999" (up to 30 years ahead is this century)."""
    if len(text) == 4:
        return text
    return ("20" if int(text) <= 30 else "19") + text


def _say_date(year: str, month: int, day: int, day_first: bool) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    name = c.MONTH_NAMES[month - 1]
    said = f"the {n.ordinal(str(day))} of {name}" if day_first else f"{name} {n.ordinal(str(day))}"
    return f"{said}, {n.year(_full_year(year))}"


def numeric_date_rules() -> list[c.Rule]:
    """Dates in digits: ISO "2006-08-05", US "11/17/05" (month first; day first when the first number is over
    twelve), European "05.10.2018" (day first, with dots)."""

    def iso(m: re.Match[str]) -> str:
        return _say_date(m.group(1), int(m.group(2)), int(m.group(3)), day_first=False) or m.group(0)

    def slashed(m: re.Match[str]) -> str:
        first, second = int(m.group(1)), int(m.group(2))
        if first > 12:
            return _say_date(m.group(3), second, first, day_first=True) or m.group(0)
        return _say_date(m.group(3), first, second, day_first=False) or m.group(0)

    def dotted(m: re.Match[str]) -> str:
        return _say_date(m.group(3), int(m.group(2)), int(m.group(1)), day_first=True) or m.group(0)

    end = r"(?![\w/.-]?\d)"
    return [
        (re.compile(rf"(?<![\w./-])(1[6-9]\d\d|20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:T\d\d:\d\d(?::\d\d)?Z?)?{end}"), iso),
        (re.compile(rf"(?<![\w./-])(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}|\d{{2}}){end}"), slashed),
        (re.compile(rf"(?<![\w./-])(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}){end}"), dotted),
    ]  # fmt: skip
