"""Properties of `audio_edition.speech.to_spoken` that hold for any text, checked with hypothesis.

Whatever a page throws at it (emoji, right-to-left scripts, control characters, combining marks,
500-digit numbers, half-written patterns such as "$", "No." or "10–"), the speech stage returns a
string, keeps the ordinary words it had no reason to change, stays within a sane length and hands
the voice no control characters.
"""

from __future__ import annotations

import re
import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition.speech import to_spoken

EXAMPLES = settings(max_examples=300, deadline=None)

# Half-written and tricky bits of news text: symbols without their numbers, abbreviations without
# what follows them, other scripts, invisible and control characters.
FRAGMENTS = (
    "$$$", "$", "€", "£", "¥", "No.", "no.", "10–", "10-", "–12", "U.", "U.S.", "#", "#1", "&", "%", "+",
    "°", "°C", "Dr.", "St.", "Mr.", "Jan.", "3rd", "1/2", "9/11", "24/7", "'70s", "9:30", "a.m.", "p.m.",
    "$2.3", "bn", "km/h", "IV", "XIV", "MI5", "COVID-19", "www.", "@", "https://", "example.org",
    "press@example.org", "...", "…", "—", "“", "”", "’", "(", ")", "😀", "👩‍👩‍👧", "🇺🇦",
    "مرحبا", "שלום", "日本語", "e\u0301", "\u0301\u0302", "\u202e", "\u200f", "\u200b", "\u00ad",
    "\ufeff", "\ue000", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\r", "\t", "\u2028",
)  # fmt: skip

words = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=10)
numbers = st.one_of(
    st.integers(min_value=-(10**500), max_value=10**500).map(str),
    st.text(alphabet=string.digits, min_size=1, max_size=500),
    st.from_regex(r"-?\d{1,3}(,\d{3}){0,5}(\.\d{1,4})?(%|st|nd|rd|th|s)?", fullmatch=True),
)
pieces = st.one_of(words, words, st.sampled_from(FRAGMENTS), numbers, st.text(max_size=12))
separators = st.sampled_from((" ", " ", " ", "  ", "", ", ", ". ", "\n", "\t", " – "))
texts = st.lists(st.tuples(pieces, separators), max_size=30).map(lambda parts: "".join(p + s for p, s in parts))

# Lower-case abbreviations and units that a newsreader expands even with no number or period
# before them, so they may rightly be gone from the output.
NEEDS_CHANGE = frozenset(
    {"etc", "approx", "mph", "kph", "kmh", "lbs", "kwh", "mwh", "gwh", "hrs", "yrs", "mins", "secs", "dept",
     "govt", "incl", "excl", "est", "pct"}
)  # fmt: skip
_PLAIN = re.compile(r"[a-z]{3,}")
_DIGIT = re.compile(r"\d")


def plain_words(text: str) -> list[str]:
    """Words of 3+ lower-case ASCII letters with a space either side that no rule should touch.

    A word right after a token with a digit is left out ("5 mph", "2 bn": units and scales are said
    differently), and so is one next to a token with "@" or "/" (part of an address being spelled
    out). A word with a space either side is never inside a URL or e-mail token itself.
    """
    tokens = text.split(" ")
    found = []
    for i in range(1, len(tokens) - 1):
        word = tokens[i]
        if not _PLAIN.fullmatch(word) or word in NEEDS_CHANGE:
            continue
        before = next((t for t in reversed(tokens[:i]) if t), "")
        after = next((t for t in tokens[i + 1 :] if t), "")
        if _DIGIT.search(before) or any(c in t for t in (before, after) for c in "@/"):
            continue
        found.append(word)
    return found


def control_characters(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cc"]


@EXAMPLES
@given(st.text(max_size=200))
def test_any_unicode_text_gives_a_bounded_string_without_control_characters(text: str) -> None:
    spoken = to_spoken(text)
    assert isinstance(spoken, str)
    assert not control_characters(spoken)
    assert len(spoken) <= 25 * len(text) + 50


# One test for the news-like texts: generating them is most of the time, so each is checked once.
@EXAMPLES
@given(texts)
def test_news_like_text_keeps_plain_words_and_stays_sane(text: str) -> None:
    spoken = to_spoken(text)
    assert isinstance(spoken, str)
    assert len(spoken) <= 25 * len(text) + 50, f"{len(text)} characters became {len(spoken)}"
    assert not control_characters(spoken), f"control characters {control_characters(spoken)} in {spoken!r}"
    # Containment rather than whole words: joining "per cent" into "percent" keeps what was said.
    missing = [word for word in plain_words(text) if word not in spoken.lower()]
    assert not missing, f"lost {missing} from {text!r}: got {spoken!r}"


def test_plain_words_skips_units_addresses_and_edges() -> None:
    text = "river 5 mph wind and 2 bn said press @ example the etc end"
    assert plain_words(text) == ["wind", "and", "said", "the"]


def test_long_numbers_and_bare_symbols() -> None:
    for text in ("Officials counted " + "7" * 500 + " ballots.", "$$$", "$", "No.", "10–", "U.", "#", "&", "%"):
        spoken = to_spoken(text)
        assert isinstance(spoken, str)
        assert len(spoken) <= 25 * len(text) + 50


@pytest.mark.parametrize(("written", "spoken"), [
    ("Open Monday–Friday, 9 to 5.", "Open Monday to Friday, nine to five."),
    ("From January-March the road is shut.", "From January to March the road is shut."),
    ("The Mayday call came at 3.", "The Mayday call came at three."),  # "May" only as a whole word
])  # fmt: skip
def test_a_dash_between_day_or_month_names_is_said_to(written: str, spoken: str) -> None:
    assert to_spoken(written) == spoken
