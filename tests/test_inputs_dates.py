"""Tests for audio_edition.inputs.dates: dates, times and zones as news pages print them, in many languages.

Each expectation is written by hand: the calendar day, the wall-clock time as
printed, and the UTC offset when the page names a zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from audio_edition.inputs.dates import find_dates, zone_of


def iso(line: str, language: str = "en") -> list[str]:
    return [f.when.isoformat(timespec="minutes") for f in find_dates(line, language)]


@pytest.mark.parametrize(
    ("line", "language", "expected"),
    [
        ("April 1, 2025 10:55 PM", "en", "2025-04-01T22:55"),
        ("Nov 19, 2019, 10:31 pm CST", "en", "2019-11-19T22:31-06:00"),
        ("Monday November 18, 2019 7:45 am PST", "en", "2019-11-18T07:45-08:00"),
        ("June 18, 2026, 2:05 p.m. ET", "en", "2026-06-18T14:05-04:00"),
        ("January 9, 2025, 5:12 p.m. ET", "en", "2025-01-09T17:12-05:00"),  # ET in winter is EST
        ("18 June 2026 14:05 BST", "en", "2026-06-18T14:05+01:00"),
        ("June 18, 2026 11:42 AM GMT+3", "en", "2026-06-18T11:42+03:00"),
        ("2025-04-02T08:30+02:00", "en", "2025-04-02T08:30+02:00"),
        ("2025-04-02T17:00-07:00", "en", "2025-04-02T17:00-07:00"),
        ("Updated 9:30 a.m. ET, Aug. 24, 1991", "en", "1991-08-24T09:30-04:00"),
        ("11/19/19", "en", "2019-11-19T00:00"),
        ("3. März 2024, 14:20 Uhr", "de", "2024-03-03T14:20"),
        ("12.06.2023, 07:15 Uhr", "de", "2023-06-12T07:15"),
        ("segunda-feira, 22 de janeiro de 2018 às 0:13", "pt", "2018-01-22T00:13"),
        ("05/10/2018", "pt", "2018-10-05T00:00"),  # day first outside the US
        ("le 12 juin 2023 à 7h15", "fr", "2023-06-12T07:15"),
        ("14 feb 2022 - 18:05 CET", "es", "2022-02-14T18:05+01:00"),
        ("24 сентября 2018", "ru", "2018-09-24T00:00"),
        ("15 травня 2024, 09:30", "uk", "2024-05-15T09:30"),
        ("8 listopada 2022, 11:02", "pl", "2022-11-08T11:02"),
        ("2018年1月22日", "ja", "2018-01-22T00:00"),
    ],
)
def test_date_forms(line: str, language: str, expected: str) -> None:
    assert iso(line, language) == [expected]


@pytest.mark.parametrize(
    "line",
    [
        "The council met for 12 hours and voted 7-2.",
        "He scored 25:99 in the final.",
        "Dec. 2023",  # a month alone is no publication date
        "Call 555-0143 before 5 p.m.",
        "Room 31/12/99a",
    ],
)
def test_no_date(line: str) -> None:
    assert find_dates(line) == []


def test_spans_cover_date_time_and_zone() -> None:
    line = "Posted Nov 19, 2019, 10:31 pm CST by Rhonda Mayfield"
    (found,) = find_dates(line)
    taken = "".join(line[s:e] for s, e in sorted(found.spans))
    assert taken == "Nov 19, 201910:31 pmCST"
    assert found.has_time


def test_two_dates_each_take_their_own_time() -> None:
    first, second = find_dates("Published June 17, 2026, 8:00 a.m. | Updated June 18, 2026, 9:15 a.m.")
    assert (first.when.hour, second.when.hour, second.when.minute) == (8, 9, 15)


@pytest.mark.parametrize(
    ("name", "minutes"),
    [("PST", -480), ("EDT", -240), ("UTC", 0), ("GMT+3", 180), ("+02:00", 120), ("-0530", -330), ("CEST", 120)],
)
def test_fixed_zones(name: str, minutes: int) -> None:
    zone = zone_of(name)
    assert zone is not None and not isinstance(zone, str)
    assert zone.utcoffset(None) == timedelta(minutes=minutes)


def test_daylight_zone_is_a_name_and_words_are_not_zones() -> None:
    assert zone_of("ET") == "America/New_York"
    assert zone_of("IT") is None
    assert zone_of("at") is None
    summer = find_dates("July 4, 2025 9:00 AM ET")[0].when
    assert summer.utcoffset() == timedelta(hours=-4)
    assert summer.replace(tzinfo=None) == datetime(2025, 7, 4, 9, 0)
