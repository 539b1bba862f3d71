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
        # A handle run into the name, a relative time after an absolute one, counts beside the byline.
        ("by Owen Trask@owentrask Mar 3, 2021, 9:12am EST", "en", ("Owen Trask",), "2021-03-03T09:12-05:00"),
        (
            "Mira Kell · Valley Radio · Posted: Oct 2, 2023 8:05 AM ET | Last Updated: 12 minutes ago",
            "en",
            ("Mira Kell",),
            "2023-10-02T08:05-04:00",
        ),
        ("Tomas Ridley • 8h", "en", ("Tomas Ridley",), None),
        ("4. März 2021 Henrike Solms 12", "de", ("Henrike Solms",), "2021-03-04T00:00"),
        ("9. Mai 2020 Jorinde Kaske Schreibe einen Kommentar", "de", ("Jorinde Kaske",), "2020-05-09T00:00"),
        ("03/05/2021 by Pia 7 Comments", "en", ("Pia",), "2021-03-05T00:00"),
        ("Georg Wendler, 21. Jan. 2015", "de", ("Georg Wendler",), "2015-01-21T00:00"),  # "Georg" is in the stop list
        # A user name in lower case right after "by"/"von" on a dated line.
        ("Veröffentlicht am 2. Juli 2019 von fuchsbau", "de", ("fuchsbau",), "2019-07-02T00:00"),
        ("Posted on March 9, 2018 by admin_kl", "en", ("admin_kl",), "2018-03-09T00:00"),
        # One word is a name only after the "By": a widget's word before it is not ("Bewertung").
        ("Bewertung (2 / 5) 14.03.2022 09:15 von Greta", "de", ("Greta",), "2022-03-14T09:15"),
        # An address or a handle beside a bare name says byline, as a date does.
        ("Nadia Berwick | nberwick@harbourpost.example", "en", ("Nadia Berwick",), None),
        ("Coby Fenn, @cobyfenn", "en", ("Coby Fenn",), None),
        ("Von Ilka Brandhorst, dpa", "de", ("Ilka Brandhorst",), None),  # an agency in lower case
        ("Interview: Ruth Anselm", "de", ("Ruth Anselm",), None),
        # Published and updated dates run together by the page's markup.
        ("3. April 20189. Mai 2019 | Henrik Oltmann-Sievers", "de", ("Henrik Oltmann-Sievers",), "2018-04-03T00:00"),
        ("7. Juni 2017 von Laila Brendt Ein Kommentar", "de", ("Laila Brendt",), "2017-06-07T00:00"),
        ("Lena TorvaldMarch 4, 2024", "en", ("Lena Torvald",), "2024-03-04T00:00"),  # a name run into its date
        # "von" inside a name is its particle; after a work the line credits it is "by".
        ("Beitrag von Jonas von Kessel", "de", ("Jonas von Kessel",), None),
        ("Veröffentlicht am 3. Mai 2021 von Anke von Dahlen", "de", ("Anke von Dahlen",), "2021-05-03T00:00"),
        ("Posted 8. Juni 2019 by Tilman von Brackel", "de", ("Tilman von Brackel",), "2019-06-08T00:00"),
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
        "By now the council had met on March 3, 2020",
        "by default since 2019",  # a lower-case word after "by" is a user name only on a line that is a dateline
        "Reviewed by experts on March 3, 2020 in detail",
        "Powered by",  # nobody named after the "by"
        "Illustration by",
        "Follow @harbourpost for updates",
        "Email tips@harbourpost.example with your story",
        "Neue Wege in der Pflege und Forschung von Kliniken",  # a headline with a "von" in it
        "The City Council Budget Review: Looking Ahead",  # a headline ending in two capitalised words
        "Jonas von Kessel",  # a bare name, however it is spelt, is no byline on its own
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
