"""Given names: the first-name list behind the reader's judgement of bare names."""

from __future__ import annotations

import pytest

from audio_edition.inputs.givennames import _given_names, is_given_name


def test_the_name_list_is_found_and_read_whole() -> None:
    # gender-guesser's data file holds about 37,000 single first names; an empty set would mean it was not found.
    assert len(_given_names()) > 30_000


@pytest.mark.parametrize("word", ["Shana", "christoph", "MATTHIAS", "Anna-Lena", "Kori", "Zofia", "Ådne"])
def test_first_names(word: str) -> None:
    assert is_given_name(word)


@pytest.mark.parametrize("word", ["Live", "Instant", "Categories", "Startseite", "Anna-Categories", "", "-"])
def test_words_that_are_no_first_names(word: str) -> None:
    assert not is_given_name(word)
