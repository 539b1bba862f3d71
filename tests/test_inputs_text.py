"""Tests for audio_edition.inputs.text: scraped page text -> Article.

The expectations here are written by hand: the fixtures in tests/fixtures/clean
were typed from the sample pages in examples/, and the inline pages below say
what must be dropped and what must be kept.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from audio_edition.errors import AudioEditionError, InputError
from audio_edition.inputs.furniture import load_furniture
from audio_edition.inputs.text import parse_article
from audio_edition.model import Article

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures" / "clean"
SAMPLES = sorted(p.stem for p in EXAMPLES.glob("*.txt"))

TITLE = "River town votes to repair its old bridge"
FIRST = "The town council voted on Tuesday to repair the old stone bridge before winter."
SECOND = "Work will begin in October and should take about two years, officials said."
THIRD = "The bridge carries about 4,000 cars a day across the river."


def page(*middle: str, head: tuple[str, ...] = ("By Jane Doe", "June 18, 2026")) -> str:
    """A small article with `middle` lines between its first and second paragraphs."""
    return "\n".join([TITLE, *head, FIRST, *middle, SECOND, THIRD]) + "\n"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in parse_article(text).blocks]


def body(*texts: str) -> list[tuple[str, str]]:
    return [("paragraph", t) for t in texts]


def sentences(text: str) -> list[str]:
    """A deliberately simple splitter, independent of the code under test."""
    parts = re.split(r"(?:(?<=[.!?])|(?<=[.!?][”\"]))\s+(?=[“\"]?[A-Z])", text)
    return [p for p in parts if p.strip()]


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def load_sample(name: str) -> str:
    return (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")


# --- the sample pages --------------------------------------------------------------


def test_there_are_at_least_five_samples_each_with_a_fixture() -> None:
    assert len(SAMPLES) >= 5
    for name in SAMPLES:
        assert (FIXTURES / f"{name}.json").is_file(), name


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_matches_hand_written_fixture(name: str) -> None:
    assert parse_article(load_sample(name)).to_dict() == load_fixture(name)


@pytest.mark.parametrize("name", SAMPLES)
def test_fixture_text_really_is_in_the_sample(name: str) -> None:
    # Guards the hand-typed fixtures themselves: every expected sentence must be
    # on the page (allowing for hard-wrapped lines).
    flat = " ".join(load_sample(name).split())
    fixture = load_fixture(name)
    assert fixture["title"] in flat
    for block in fixture["blocks"]:
        for sentence in sentences(block["text"]):
            assert sentence in flat, sentence
        if block["kind"] == "caption":
            assert block["credit"] in flat


@pytest.mark.parametrize("name", SAMPLES)
def test_no_body_sentence_is_lost(name: str) -> None:
    article = parse_article(load_sample(name))
    out = " ".join(b.text for b in article.blocks)
    for block in load_fixture(name)["blocks"]:
        for sentence in sentences(block["text"]):
            assert sentence in out, f"lost: {sentence}"


@pytest.mark.parametrize("name", SAMPLES)
def test_no_furniture_line_survives(name: str) -> None:
    fixture = load_fixture(name)
    expected = [fixture["title"]] + [b["text"] for b in fixture["blocks"]]
    captions = [b["text"] for b in fixture["blocks"] if b["kind"] == "caption"]
    furniture = [
        line.strip()
        for line in load_sample(name).splitlines()
        if line.strip()
        and not any(line.strip() in text for text in expected)
        and not any(line.strip().startswith(c) for c in captions)
    ]
    assert furniture, "each sample carries some furniture (the essay at least a byline)"
    blocks = [b.text for b in parse_article(load_sample(name)).blocks]
    for line in furniture:
        assert line not in blocks, f"kept furniture: {line}"
        assert not any(text.startswith(line) for text in blocks), f"kept furniture: {line}"


def test_demo_article_metadata() -> None:
    article = parse_article(load_sample("harbor-bridge"), source="https://example.org/harbor")
    assert article.published is not None
    assert article.published.replace(tzinfo=None) == datetime(2026, 6, 18, 14, 5)
    assert article.published.utcoffset() == timedelta(hours=-4)  # "2:05 p.m. ET" in June is EDT
    assert article.has_time
    assert article.source == "https://example.org/harbor"
    assert [b.kind for b in article.blocks].count("caption") == 3


# --- hand-written pages of the hard shapes (tests/fixtures/reader/README.md lists them) -------

READER = ROOT / "tests" / "fixtures" / "reader"
READER_PAGES = sorted(p.stem for p in READER.glob("*.txt"))


def test_there_is_a_reader_page_for_each_pattern() -> None:
    assert len(READER_PAGES) >= 26
    for name in READER_PAGES:
        assert (READER / f"{name}.json").is_file(), name


# Patterns the reader does not handle yet, kept as tests that must start passing once it does (strict).
KNOWN_GAPS = {
    "nobyline_museum_reopening": "teasers whose headline and summary are run into one line, after the article",
}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_GAPS[n], strict=True)) if n in KNOWN_GAPS else n
        for n in READER_PAGES
    ],
)
def test_reader_page_matches_its_hand_written_result(name: str) -> None:
    expected = json.loads((READER / f"{name}.json").read_text(encoding="utf-8"))
    got = parse_article((READER / f"{name}.txt").read_text(encoding="utf-8")).to_dict()
    assert got == expected


@pytest.mark.parametrize("name", READER_PAGES)
def test_reader_page_loses_no_body_sentence(name: str) -> None:
    # Weaker than the exact match above, and kept apart so that a lost sentence is named on its own.
    expected = json.loads((READER / f"{name}.json").read_text(encoding="utf-8"))
    got = " ".join(b.text for b in parse_article((READER / f"{name}.txt").read_text(encoding="utf-8")).blocks)
    for block in expected["blocks"]:
        for sentence in sentences(block["text"]):
            assert sentence in got, f"lost: {sentence}"


# --- furniture is dropped ------------------------------------------------------------

SINGLE_LINES = [
    "Skip to main content",
    "Skip to navigation",
    "Listen to this article",
    "Listen to this article · 12 min",
    "This story was translated automatically",
    "This article was produced with the help of AI tools and checked by an editor.",
    "5 min read",
    "12 min read",
    "Sign up for our newsletter",
    "Sign up for the Morning Tide newsletter",
    "Enter your email",
    "Email address*",
    "Subscribe",
    "Required",
    "*Required field",
    "Thanks for signing up!",
    "You're all set",
    "You’re all set",
    "Please enter a valid email address",
    "By signing up you agree to our Terms and Privacy Policy",
    "By signing up, you agree to our Terms of Use and Privacy Policy.",
    "Share",
    "Share this article",
    "Copy link",
    "Facebook",
    "X",
    "Email",
    "We use cookies to give you the best experience and to measure traffic.",
    "Accept all",
    "Manage preferences",
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "By Jane Doe",
    "Updated June 18, 2026, 2:05 p.m. ET",
    "Read more: Town to replace its old water pipes",
    "© 2026 The River Post. All rights reserved.",
    "Photo: Ana Ruiz / River Post",
    "Reporting by Jane Doe in Riverton; Editing by John Roe",
]


@pytest.mark.parametrize("line", SINGLE_LINES)
def test_furniture_line_is_dropped(line: str) -> None:
    assert kinds(page(line)) == body(FIRST, SECOND, THIRD)


@pytest.mark.parametrize("separator", ["\n", "\n\n"])
def test_furniture_dropped_with_and_without_blank_lines(separator: str) -> None:
    text = separator.join(
        ["Skip to main content", TITLE, "By Jane Doe", "Share", FIRST, "Advertisement", SECOND, THIRD]
    )
    assert kinds(text) == body(FIRST, SECOND, THIRD)


def test_newsletter_form_repeated_many_times_is_dropped() -> None:
    form = ["Sign up for our newsletter", "Enter your email", "Subscribe", "Thanks for signing up!"]
    assert kinds(page(*form, *form, *form)) == body(FIRST, SECOND, THIRD)


def test_navigation_above_the_headline_is_dropped() -> None:
    text = "\n".join(
        ["Skip to main content", "The River Post", "Home", "Local", "Sports", "Opinion", "Sign in", page()]
    )
    article = parse_article(text)
    assert article.title == TITLE
    assert [b.text for b in article.blocks] == [FIRST, SECOND, THIRD]


@pytest.mark.parametrize(
    "lines",
    [
        [
            "Most read",
            "1. Fire destroys a barn on Mill Road",
            "2. School board names a new head",
            "3. Storm brings hail to the valley",
        ],
        ["Most read", "1", "Fire destroys a barn on Mill Road", "2", "School board names a new head"],
        ["Recommended", "Fire destroys a barn on Mill Road", "Is the valley ready for another storm?"],
        ["More from The River Post", "Fire destroys a barn on Mill Road", "School board names a new head"],
        [
            "Related",
            "Fire destroys a barn on Mill Road",
            "Crews worked through the night to save the animals in the...",
        ],
        ["Read more", "• Fire destroys a barn on Mill Road", "• School board names a new head"],
    ],
)
def test_list_of_other_headlines_is_dropped_and_body_resumes(lines: list[str]) -> None:
    assert kinds(page(*lines)) == body(FIRST, SECOND, THIRD)


@pytest.mark.parametrize("ellipsis", ["…", "..."])
def test_teaser_is_dropped(ellipsis: str) -> None:
    teaser = [
        "Fire destroys a barn on Mill Road",
        "Crews worked through the night to save the horses, but the roof had already" + ellipsis,
    ]
    assert kinds(page(*teaser)) == body(FIRST, SECOND, THIRD)


@pytest.mark.parametrize(
    ("line", "caption", "credit"),
    [
        (
            "The old bridge at dawn on Monday. (Ana Ruiz / River Post via Getty Images)",
            "The old bridge at dawn on Monday.",
            "Ana Ruiz / River Post via Getty Images",
        ),
        ("Cars queue on the bridge. (Tom Berg/Reuters)", "Cars queue on the bridge.", "Tom Berg/Reuters"),
        (
            "A mason checks the arch. (Photo: Lea Marx / Photo Desk)",
            "A mason checks the arch.",
            "Lea Marx / Photo Desk",
        ),
        (
            "The river in flood in 2019. The water reached the arch. (AP Photo/Sam Cole)",
            "The river in flood in 2019. The water reached the arch.",
            "AP Photo/Sam Cole",
        ),
    ],
)
def test_caption_is_kept_with_its_credit_split_off(line: str, caption: str, credit: str) -> None:
    assert [(b.kind, b.text, b.credit) for b in parse_article(page(line)).blocks] == [
        ("paragraph", FIRST, None),
        ("caption", caption, credit),
        ("paragraph", SECOND, None),
        ("paragraph", THIRD, None),
    ]


# --- body text that looks like furniture is kept ----------------------------------------

LOOKALIKES = [
    "Subscribe to the county's flood alerts, the mayor urged residents on Tuesday.",
    "Residents share their worries in a newsletter the council sends to subscribers each week.",
    "Share prices of the building firm rose 4% after the vote.",
    "By the time the crews arrived, the river had already risen a metre.",
    "Read more about the plan on the town's website, the council said.",
    "More from the hearing will be published on Friday.",
    "We use the bridge every day, said one farmer, and we cannot wait two years.",
    "The cost has doubled since the first estimate (see chart)",
    "The repair money was secured by Rep. Maria Vega (D-Calif.)",
    "Required by law, the inspection found cracks in two of the arches.",
    "Email was the only way to reach the engineers during the storm.",
    "Advertisement boards along the bridge will be removed during the work.",
    "Photo: the bridge in 1950, from the town archive.",
    "Sign up for the ferry pass opens on Monday at the town hall.",
    "Accept all the risks, the engineer said, or build nothing.",
    "By Friday, the crews had left.",
    "Jane Doe, a farmer, said the bridge is her lifeline.",
]


@pytest.mark.parametrize("line", LOOKALIKES)
def test_body_sentence_resembling_furniture_is_kept(line: str) -> None:
    assert kinds(page(line)) == body(FIRST, line, SECOND, THIRD)


def test_numbered_list_inside_the_body_is_kept() -> None:
    steps = [
        "The plan has three steps:",
        "1. Close the bridge to cars.",
        "2. Replace the deck.",
        "3. Reopen it in 2028.",
    ]
    assert kinds(page(*steps)) == body(FIRST, *steps, SECOND, THIRD)


def test_one_word_quote_paragraph_is_kept_even_when_repeated() -> None:
    middle = [
        "Would the bridge stay open? she asked.",
        "No.",
        "Why?",
        "Would the ferry run instead?",
        "No.",
        "Why?",
    ]
    assert kinds(page(*middle)) == body(FIRST, *middle, SECOND, THIRD)


def test_short_last_paragraph_ending_in_exclamation_is_kept() -> None:
    text = page() + "See you on the new bridge!\n"
    assert kinds(text)[-1] == ("paragraph", "See you on the new bridge!")


def test_short_line_without_full_stop_at_the_end_is_a_paragraph_not_a_heading() -> None:
    text = page() + "More to come\n"
    assert kinds(text)[-1] == ("paragraph", "More to come")


def test_quote_shaped_line_is_a_paragraph_not_a_heading() -> None:
    quote = "“We cannot wait two more winters”"
    assert kinds(page(quote)) == body(FIRST, quote, SECOND, THIRD)


def test_subheading_between_paragraphs() -> None:
    assert kinds(page("What happens next")) == [
        ("paragraph", FIRST),
        ("heading", "What happens next"),
        ("paragraph", SECOND),
        ("paragraph", THIRD),
    ]


def test_subheading_after_a_numbered_list_survives() -> None:
    lines = [
        "Most read",
        "1. Fire destroys a barn on Mill Road",
        "2. School board names a new head",
        "What happens next",
    ]
    assert ("heading", "What happens next") in kinds(page(*lines))


def test_repeated_paragraph_is_kept_once() -> None:
    assert kinds(page(FIRST)) == body(FIRST, SECOND, THIRD)


# --- input shapes, headline, byline and date ----------------------------------------------


def test_crlf_and_blank_lines_give_the_same_article() -> None:
    lf = page("Share", "Advertisement")
    assert parse_article(lf.replace("\n", "\r\n")) == parse_article(lf)
    assert parse_article(lf.replace("\n", "\n\n")) == parse_article(lf)


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "Notes from the riverbank\n\nBy Jane Doe\n\n"
        "The council voted on Tuesday to repair the old stone bridge before the\n"
        "first frost, ending a debate that has run in the town for more than ten\n"
        "years and filled many evenings at the town hall.\n\n"
        "Work will begin in October and should take about two years, officials\n"
        "said, and the ferry will run again while the bridge is closed to all\n"
        "traffic, including people on foot.\n"
    )
    assert kinds(text) == body(
        "The council voted on Tuesday to repair the old stone bridge before the first frost, ending a debate "
        "that has run in the town for more than ten years and filled many evenings at the town hall.",
        "Work will begin in October and should take about two years, officials said, and the ferry will run "
        "again while the bridge is closed to all traffic, including people on foot.",
    )


def test_headline_without_byline_is_the_first_substantial_line() -> None:
    text = "\n".join(["Home", "Local", TITLE, FIRST, SECOND])
    article = parse_article(text)
    assert (article.title, article.author, article.published) == (TITLE, None, None)
    assert [b.text for b in article.blocks] == [FIRST, SECOND]


def test_byline_only_at_the_bottom_does_not_turn_a_subheading_into_the_headline() -> None:
    text = "\n".join([TITLE, FIRST, "What happens next", SECOND, "By Jane Doe"])
    article = parse_article(text)
    assert (article.title, article.author) == (TITLE, "Jane Doe")
    assert kinds(text) == [("paragraph", FIRST), ("heading", "What happens next"), ("paragraph", SECOND)]


def test_page_without_headline_keeps_its_first_paragraph() -> None:
    article = parse_article(f"{FIRST}\n{SECOND}\n")
    assert article.title == "The town council voted on Tuesday to repair the old stone bridge before winter."
    assert [b.text for b in article.blocks] == [FIRST, SECOND]


def test_standfirst_between_headline_and_byline_is_kept() -> None:
    dek = "A vote on Tuesday ends ten years of argument about the crossing."
    article = parse_article(page(head=(dek, "By Jane Doe")))
    assert article.title == TITLE
    assert [b.text for b in article.blocks] == [dek, FIRST, SECOND, THIRD]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("June 18, 2026", "2026-06-18"),
        # A zone the page names is kept as the UTC offset of that day; without one, the time is as printed.
        ("Jun. 18, 2026, 2:05 p.m. ET", "2026-06-18T14:05-04:00"),
        ("18 June 2026 14:05 BST", "2026-06-18T14:05+01:00"),
        ("18 June 2026, 14:05 CEST", "2026-06-18T14:05+02:00"),
        ("2026-06-18", "2026-06-18"),
        ("18.06.2026 14:05", "2026-06-18T14:05"),
        ("Updated 9:41 AM EDT, Thu June 18, 2026", "2026-06-18T09:41-04:00"),
        ("Published: 06/18/2026", "2026-06-18"),
        ("Published 18/06/2026 at 8:30 am", "2026-06-18T08:30"),
        ("June 18, 2026 11:42 AM GMT+3", "2026-06-18T11:42+03:00"),
        ("Veröffentlicht am 18. Juni 2026, 14:05 Uhr", "2026-06-18T14:05"),
        ("18 de junio de 2026, 14:05 CEST", "2026-06-18T14:05+02:00"),
    ],
)
def test_date_forms(line: str, expected: str) -> None:
    assert parse_article(page(head=("By Jane Doe", line))).to_dict()["published"] == expected


def test_published_wins_over_updated() -> None:
    head = ("By Jane Doe", "Published June 17, 2026", "Updated June 18, 2026, 9:00 a.m.")
    assert parse_article(page(head=head)).to_dict()["published"] == "2026-06-17"


def test_first_published_at_the_foot_wins_over_updated_under_the_headline() -> None:
    middle = [
        f"Speaker {n} told the meeting that the bridge had served the town for {n + 90} years." for n in range(12)
    ]
    head = ("By Jane Doe", "Updated June 18, 2026, 9:00 a.m.")
    text = page(*middle, head=head) + "First published on June 17, 2026\n"  # far below the header
    assert parse_article(text).to_dict()["published"] == "2026-06-17"


def test_dates_of_other_stories_below_a_short_article_do_not_date_it() -> None:
    teasers = ["More news", "Ferry timetable changes for the summer", "June 3, 2026",
               "Library extends its opening hours", "May 28, 2026"]  # fmt: skip
    text = "\n".join(["Local", "June 18, 2026", TITLE, FIRST, SECOND, THIRD, *teasers])
    assert parse_article(text).to_dict()["published"] == "2026-06-18"


def test_a_place_before_the_date_under_the_headline_dates_the_article() -> None:
    text = "\n".join([
        "Stadtrat beschließt die Sanierung der alten Brücke",
        "Lindenau, 18. Juni 2026",
        "Der Stadtrat hat am Dienstag beschlossen, die alte Steinbrücke noch vor dem Winter zu sanieren.",
        "Die Arbeiten sollen im Oktober beginnen und etwa zwei Jahre dauern, teilte die Verwaltung mit.",
        "Über die Brücke fahren jeden Tag rund 4.000 Autos.",
    ])  # fmt: skip
    article = parse_article(text)
    assert article.to_dict()["published"] == "2026-06-18"
    assert all("Lindenau" not in b.text for b in article.blocks)  # the dateline is not read as text


def test_breadcrumbs_run_into_the_headline_are_cut_from_the_title() -> None:
    article = parse_article(
        page(head=("By Jane Doe", "June 18, 2026")).replace(TITLE, f"The River Post » Local » {TITLE}")
    )
    assert article.title == TITLE


def test_a_title_case_menu_item_beside_the_date_is_not_the_author() -> None:
    assert parse_article(page(head=("Instant Access", "June 18, 2026"))).author is None
    assert parse_article(page(head=("Megan Holt", "June 18, 2026"))).author == "Megan Holt"
    # On one line with the date too: a section's name in title case is no person, a first name says one is.
    assert parse_article(page(head=("Weekend Edition | June 18, 2026",))).author is None
    assert parse_article(page(head=("Megan Holt | June 18, 2026",))).author == "Megan Holt"


def test_credit_below_its_label_is_not_taken_for_the_byline() -> None:
    head = ("Masons inspect the arch of the bridge on Monday.", "Credit...", "Dana Whitcombe/Harbour Wire",
            "By Jane Doe", "June 18, 2026")  # fmt: skip
    article = parse_article(page(head=head))
    assert article.author == "Jane Doe"
    assert all("Whitcombe" not in b.text for b in article.blocks)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("BY JANE DOE", "Jane Doe"),
        ("By Jane Doe, Staff Writer", "Jane Doe"),
        ("Jane Doe | Reporter", "Jane Doe"),
        ("Words by Jane Doe", "Jane Doe"),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
        ("By Jane Doe, John Roe and Ann Poe", "Jane Doe, John Roe and Ann Poe"),
        ("By AMINA WERE and HASSAN ABDI", "Amina Were and Hassan Abdi"),
        ("AMINA WERE, Meridian Wire", "Amina Were"),
        ("By Jane Doe | June 18, 2026 | 5 min read", "Jane Doe"),
    ],
)
def test_byline_forms(line: str, expected: str) -> None:
    article = parse_article(page(head=(line, "June 18, 2026")))
    assert (article.title, article.author) == (TITLE, expected)
    assert [b.text for b in article.blocks] == [FIRST, SECOND, THIRD]


# --- errors and output shape --------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", "\r\n"])
def test_empty_text_raises(text: str) -> None:
    with pytest.raises(InputError):
        parse_article(text)


def test_only_furniture_raises_with_a_one_line_message() -> None:
    text = "\n".join(SINGLE_LINES + ["Most read", "1. Fire destroys a barn on Mill Road"])
    with pytest.raises(InputError) as caught:
        parse_article(text)
    message = str(caught.value)
    assert "furniture" in message and "\n" not in message
    assert isinstance(caught.value, (AudioEditionError, ValueError))


def test_headline_without_body_raises() -> None:
    with pytest.raises(InputError):
        parse_article("Skip to main content\nRiver town votes to repair its old bridge\nBy Jane Doe\nShare\n")


def test_article_to_dict_shape() -> None:
    article = Article(title="T", author=None, published=datetime(2026, 6, 18), blocks=(), has_time=False)
    assert article.to_dict() == {"title": "T", "author": None, "published": "2026-06-18", "blocks": []}


def test_furniture_table_is_well_formed() -> None:
    table = load_furniture()
    categories = {name for name, _ in table.drop}
    assert {"skip", "newsletter", "share", "cookie", "advert", "notice", "readtime"} <= categories
    assert table.markers and table.credits and table.roles


def test_one_over_long_line_does_not_unwrap_a_hard_wrapped_article() -> None:
    text = (EXAMPLES / "plain-essay.txt").read_text(encoding="utf-8")
    edited = text.replace(" the ", " the very, very, very long-winded ", 1)
    original = [b.text for b in parse_article(text).blocks]
    changed = [b.text for b in parse_article(edited).blocks]
    assert len(changed) == len(original)
    assert changed[0] == original[0].replace(" the ", " the very, very, very long-winded ", 1)


def test_headline_with_a_deck_newsletter_promo_and_contact_line() -> None:
    text = (
        "Menu\nSign in\nPolitics | Local\n"
        "City council approves $48 million budget for parks after late-night vote\n"
        "Council members split 7-2; mayor expected to sign Friday\n"
        "By Priya Natarajan\n"
        "The council voted on Monday to get the newsletter printed again, officials said.\n"
        "Get the Morning Briefing\nEnter your email address\nSign Up\n"
        "You can contact the mayor at city hall, she said.\n"
        "Contact Priya Natarajan at pnatarajan@courier.example or follow her on X @priyanat.\n"
    )
    article = parse_article(text)
    assert article.title == "City council approves $48 million budget for parks after late-night vote"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "Council members split 7-2; mayor expected to sign Friday"),
        ("paragraph", "The council voted on Monday to get the newsletter printed again, officials said."),
        ("paragraph", "You can contact the mayor at city hall, she said."),
    ]


def test_a_lent_title_is_not_cut_at_a_german_ordinal():
    from audio_edition.inputs.shapes import first_sentence

    assert first_sentence("Am 3. März hat der Rat beschlossen. Dann ging es weiter.") == (
        "Am 3. März hat der Rat beschlossen."
    )
    assert first_sentence("Berlin, 3. März 2025. Der Rat tagt.") == "Berlin, 3. März 2025."
    assert first_sentence("The vote was 7 to 2. Then the mayor spoke.") == "The vote was 7 to 2."
