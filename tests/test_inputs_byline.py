"""Tests for audio_edition.inputs.byline: who wrote an article and when, from one line, in many languages.

The expectations are written by hand: the people named (in normal
capitalisation), an organisation when no person is, and the date as printed.
"""

from __future__ import annotations

import pytest

from audio_edition.inputs.byline import is_name, join_authors, read_meta, title_case


@pytest.mark.parametrize(
    ("line", "language", "authors", "date"),
    [
        ("by Oksana Hrytsenko April 1, 2025 10:55 PM 4 min read", "en", ("Oksana Hrytsenko",), "2025-04-01T22:55"),
        ("Posted by Dana Whitcombe on November 19, 2019", "en", ("Dana Whitcombe",), "2019-11-19T00:00"),
        ("Monday November 18, 2019 7:45 am PST by Joel Ramsey", "en", ("Joel Ramsey",), "2019-11-18T07:45-08:00"),
        ("September 10, 2018 | by Catherine", "en", ("Catherine",), "2018-09-10T00:00"),
        ("By Tom Ashdown - 11/19/19", "en", ("Tom Ashdown",), "2019-11-19T00:00"),
        ("Rhonda Mayfield - Nov 19, 2019, 10:31 pm CST", "en", ("Rhonda Mayfield",), "2019-11-19T22:31-06:00"),
        ("05/10/2018 - Publicado por: Clarissa Bento", "pt", ("Clarissa Bento",), "2018-10-05T00:00"),
        ("Von Katrin Wehmeyer, publiziert am 3. März 2024, 14:20 Uhr", "de", ("Katrin Wehmeyer",), "2024-03-03T14:20"),
        ("Текст: Анна Воронцова·24 сентября 2018", "ru", ("Анна Воронцова",), "2018-09-24T00:00"),
        (
            "Par Élodie Marchetti et Yannick Roussel, le 12 juin 2023 à 7h15",
            "fr",
            ("Élodie Marchetti", "Yannick Roussel"),
            "2023-06-12T07:15",
        ),
        (
            "Door Sanne van der Heijden, Pieter Brouwer en Youssef El Amrani",
            "nl",
            ("Sanne van der Heijden", "Pieter Brouwer", "Youssef El Amrani"),
            None,
        ),
        ("By AMINA WERE and HASSAN ABDI", "en", ("Amina Were", "Hassan Abdi"), None),
        ("ByAlex Marlow", "en", ("Alex Marlow",), None),
        ("by Julia Hart   @juliahart November 29, 2016: 3:42 PM ET", "en", ("Julia Hart",), "2016-11-29T15:42-05:00"),
        ("Jane Doe | Reporter", "en", ("Jane Doe",), None),
        ("By Jane Doe in Kyiv", "en", ("Jane Doe",), None),
        ("di Giulia Ferraresi", "it", ("Giulia Ferraresi",), None),
        ("Por LUCÍA MONTERO | Altabrava", "es", ("Lucía Montero",), None),
        ("By Nadia WolfeNadia Wolfe", "en", ("Nadia Wolfe",), None),  # printed twice, run together
        ("By Ruth Calder, Al Brennan and Joe Moss", "en", ("Ruth Calder", "Al Brennan", "Joe Moss"), None),
        ("SAMIR HADDAD, Meridian Wire", "en", ("Samir Haddad",), None),
        # A line in another language than the page's still gives its date.
        ("Veröffentlicht am 18. Juni 2026, 14:05 Uhr", "en", (), "2026-06-18T14:05"),
        ("18 de junio de 2026, 14:05 CEST", "en", (), "2026-06-18T14:05+02:00"),
        ("Updated 9:41 AM EDT, Thu June 18, 2026", "en", (), "2026-06-18T09:41-04:00"),
    ],
)
def test_bylines(line: str, language: str, authors: tuple[str, ...], date: str | None) -> None:
    meta = read_meta(line, language)
    assert meta is not None
    assert meta.authors == authors
    assert (meta.date.when.isoformat(timespec="minutes") if meta.date else None) == date


@pytest.mark.parametrize(
    ("line", "organisation"),
    [("By The Associated Press", "The Associated Press"), ("By JERUSALEM POST STAFF", "Jerusalem Post Staff")],
)
def test_organisation_only_bylines(line: str, organisation: str) -> None:
    meta = read_meta(line)
    assert meta is not None and meta.authors == () and meta.organisation == organisation
    assert meta.credited == (organisation,)


def test_updated_dateline_is_marked_and_published_is_not() -> None:
    updated = read_meta("Updated on: November 19, 2019 / 10:07 AM / CBS News")
    published = read_meta("First published on November 19, 2019 / 7:12 AM")
    assert updated is not None and updated.date is not None and updated.date.updated
    assert published is not None and published.date is not None and not published.date.updated


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday night, the river had risen.",
        "The council met on June 3, 2024 to vote.",
        "Jane Doe",  # a bare name alone may be a heading
        "World",
        "By the time the crews arrived, the water was gone.",
        "Why did the council vote on June 3, 2024?",
        "Sanne van der Heijden, Pieter Brouwer en Youssef El Amrani",
    ],
)
def test_not_bylines(line: str) -> None:
    assert read_meta(line) is None


def test_names_and_joining() -> None:
    assert is_name("Jane van der Berg")
    assert not is_name("Staff Writer")
    assert not is_name("Catherine")
    assert is_name("Catherine", allow_single=True)
    assert not is_name("SubscribeSign In")  # two menu words run together
    assert is_name("Ryan McKenzie") and is_name("Sean LeVine")
    assert title_case("JEAN-LUC O'NEIL") == "Jean-Luc O'Neil"
    assert join_authors(["A B", "C D", "A B", "E F"]) == "A B, C D and E F"
