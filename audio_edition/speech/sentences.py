"""Sentence splitting: text -> sentences, with nltk's Punkt and our own parameters.

Punkt normally loads a model trained on a corpus that `nltk.download()` fetches.
We build its parameters instead from two lists this package ships, so splitting
works offline on a fresh machine and a reader can see and extend what it knows:

- ``data/abbreviations.txt``: words whose period is not, by itself, a sentence
  end ("U.S.", "Gen.", "p.m.").
- ``data/sentence_starters.txt``: words that usually begin a sentence, so an
  abbreviation followed by one still ends it ("at 6 p.m. The mayor said").

Two things Punkt leaves to us are handled here: curly quotes and guillemets
count as closing punctuation (older nltk releases know only ASCII quotes), and
a "?", "!" or "." followed by a lowercase word does not end the sentence
(``"Why?" he asked.``, ``3 in. of rain``), since Punkt breaks there.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
)

__all__ = ["split_sentences"]

# Punkt's orthographic-context flags (nltk.tokenize.punkt._ORTHO_BEG_UC and
# _ORTHO_MID_LC). Their values are part of every pickled Punkt model, so they
# are stable; we spell them out rather than import private names.
_ORTHO_BEG_UC = 1 << 1
"""Seen capitalised at the beginning of a sentence."""
_ORTHO_MID_LC = 1 << 5
"""Seen in lowercase inside a sentence."""

_CLOSERS = "\"')]}\u2019\u201d\u00bb"
"""Closing quotes and brackets that may follow a sentence's final mark."""


class _NewsLanguageVars(PunktLanguageVars):
    """English as Punkt reads it, with typographic quotes as punctuation.

    Curly quotes and guillemets end a word, so ``won.”`` is a candidate sentence
    end, and closing ones are moved onto the sentence they close. Recent nltk
    does this itself; older releases, 3.9 among them, know only ASCII quotes.
    """

    _re_non_word_chars = r"(?:[)\";}\]\*:@\'\({\[!?\u2018\u2019\u201c\u201d\u00ab\u00bb])"
    re_boundary_realignment = re.compile(rf"[{re.escape(_CLOSERS)}]+?(?:\s+|(?=--)|$)", re.MULTILINE)


def _read_list(name: str) -> list[str]:
    """The entries of a shipped data file: stripped, lowercase, no comments or blanks."""
    text = (files("audio_edition.speech") / "data" / name).read_text(encoding="utf-8")
    entries = (line.strip().lower() for line in text.splitlines())
    return [entry for entry in entries if entry and not entry.startswith("#")]


def _parameters() -> PunktParameters:
    """Punkt parameters from our data files, in place of a trained model."""
    params = PunktParameters()
    params.abbrev_types = {entry.rstrip(".") for entry in _read_list("abbreviations.txt")}
    params.sent_starters = set(_read_list("sentence_starters.txt"))
    for word in params.sent_starters:
        # Recording a starter as "seen capitalised at a sentence start and in
        # lowercase inside one" lets Punkt's orthographic heuristic end a
        # sentence at an initial before it ("vitamin C. The"). Single letters
        # are left out, or "J. A. Smith" would break after "J.".
        if len(word) > 1 and word.isalpha():
            params.add_ortho_context(word, _ORTHO_BEG_UC | _ORTHO_MID_LC)
    return params


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    """The one tokenizer, built on first use."""
    # Given PunktParameters instead of training text, Punkt uses them as they are.
    return PunktSentenceTokenizer(_parameters(), lang_vars=_NewsLanguageVars())


def _merge_continuations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a piece to the one before when it starts with a lowercase letter.

    Punkt breaks at every "?" and "!", and at a full stop after a word it does
    not know as an abbreviation; but in ``"Why?" he asked.`` or ``3 in. of
    rain`` the lowercase word shows the sentence goes on.
    """
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and text[start].islower():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, in order.

    Each sentence is trimmed of surrounding whitespace and none is empty. Only
    whitespace between sentences is dropped: the sentences joined hold every
    other character of the text, in the same order.

    >>> split_sentences('At 6 p.m. The mayor spoke. "Why?" he asked.')
    ['At 6 p.m.', 'The mayor spoke.', '"Why?" he asked.']
    """
    spans: list[tuple[int, int]] = []
    for start, end in _tokenizer().span_tokenize(text):
        # Trim here so a merge test sees the piece's real first character.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return [text[start:end] for start, end in _merge_continuations(text, spans)]
