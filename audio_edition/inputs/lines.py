"""The lines of a scraped page and what can be seen of each: the text reader's evidence.

A page copied from a browser (`innerText`) or scraped as text is a list of
lines: one per block element, with a blank line around each `<p>`. `units`
groups them (re-joining hard-wrapped paragraphs), `Facts` records what the
rules see in one unit on its own (a furniture phrase, a byline, a caption with
its credit, a sentence, a headline shape), and `features` turns a page's units
into the numeric matrix the trained line model reads: each unit's own shape,
its neighbours', and where it stands on the page.

The feature list is the contract between this module, the trainer
(bench/reader_train.py) and the shipped weights: the weights name the features
they were trained on and the model refuses a mismatch.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from audio_edition.inputs import shapes
from audio_edition.inputs.stopwords import guess_language, stop_words

__all__ = ["FEATURES", "Facts", "Unit", "features", "shift", "units", "window_mean"]

_WORD = re.compile(r"\w+")
_TERMINAL = ".!?。！？"
_SEPARATORS = re.compile(r"\s[|·•/]\s|\s[—–-]\s")
_URLISH = re.compile(r"https?://|www\.|\S@\S+\.\w|\.(?:com|org|net)\b", re.I)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.I)
_BULLET = re.compile(r"^(?:[•·*▪►▸‣⁃◦–—-]|\d{1,2}[.)])\s")
_DIGITS = re.compile(r"\d")
_TIMEISH = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class Unit:
    """One line of the page, or one hard-wrapped paragraph re-joined."""

    text: str
    line: int
    """Index of its first line in the input (0-based)."""
    blank_before: bool
    """A blank line (or the start of the text) comes right before it."""
    blank_after: bool


def units(text: str, breaks: Callable[[str], bool] = lambda line: False) -> list[Unit]:
    """Group a text's lines into units: one per line, except that hard-wrapped paragraphs are re-joined.

    A document counts as hard-wrapped when paragraphs are separated by blank
    lines and several of them are made of lines filled to about one width. A
    line is then joined to the next when the next line's first word would not
    have fitted on it: that is why the writer's editor broke the line there.
    `breaks(line)` says a line stands alone whatever its width (a byline, a
    furniture phrase).
    """
    groups: list[list[tuple[int, str]]] = [[]]
    for number, line in enumerate(shapes.lines_of(text)):
        if line:
            groups[-1].append((number, line))
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    # The wrap width: most lines that end inside a paragraph are filled to it. A high
    # percentile, not the maximum, so one over-long line does not unwrap the document.
    inner = sorted(len(x) for g in groups if len(g) >= 2 for _, x in g[:-1])
    width = inner[int(0.9 * (len(inner) - 1))] if inner else 0
    filled = sum(1 for g in groups if len(g) >= 2 and all(len(x) >= width - 20 for _, x in g[:-1]))
    wrapped = len(groups) > 1 and 50 <= width <= 100 and filled >= 2

    found: list[Unit] = []
    for group in groups:
        pieces: list[tuple[int, str]] = []
        start, current = group[0]
        for (_, previous), (number, line) in zip(group, group[1:], strict=False):
            if (
                wrapped
                and len(previous) + 1 + len(line.split()[0]) > width
                and not shapes.LIST_MARK.match(line)
                and not breaks(previous)
                and not breaks(line)
            ):
                current += " " + line
            else:
                pieces.append((start, current))
                start, current = number, line
        pieces.append((start, current))
        for i, (number, piece) in enumerate(pieces):
            found.append(Unit(piece, number, blank_before=i == 0, blank_after=i == len(pieces) - 1))
    return found


@dataclass(frozen=True)
class Facts:
    """What the rules see in one unit on its own."""

    category: str | None
    """The furniture category of data/furniture.tsv the whole line matches, if any."""
    marker: bool
    """The line starts a list of other headlines ("Most read", "Related")."""
    byline: bool
    """The line names the article's authors."""
    dateline: bool
    """The line is a date (and time), maybe with a byline."""
    caption: bool
    """The line is a photo caption with its credit."""


# The furniture categories the model tells apart; the others count as "other".
_CATEGORIES = ("nav", "footer", "share", "newsletter", "cookie", "advert", "media", "link", "notice", "comments",
               "readtime", "creditline", "skip", "timestamp")  # fmt: skip

FEATURES: tuple[str, ...] = (
    # the unit itself
    "log_chars", "log_words", "mean_word_len", "stop_share", "stop_count", "cap_share", "upper_share",
    "digit_share", "ends_terminal", "ends_colon", "ends_ellipsis", "ends_question", "ends_comma", "ends_none",
    "commas_per_word", "sentences", "separators", "starts_quote", "starts_bullet", "starts_lower", "urlish",
    "copyright", "timeish", "blank_before", "blank_after", "in_p", "repeats", "first_of_repeats",
    "headline_like", "heading_shaped", "prose", "summary",
    *(f"cat_{c}" for c in _CATEGORIES), "cat_other", "marker", "byline", "dateline", "caption",
    # where it stands
    "position", "word_position", "log_units", "page_stop_share", "prose_before", "prose_after",
    "lines_to_prose_above", "lines_to_prose_below", "lines_since_marker", "lines_to_meta",
    "lines_after_meta_unit", "run_length", "run_words",
    # its neighbours
    *(f"{name}_{o}" for o in ("m3", "m2", "m1", "p1", "p2", "p3")
      for name in ("log_words", "stop_share", "prose", "furniture", "in_p", "headline_like")),
    *(f"win{w}_{name}" for w in (5, 15) for name in ("prose", "stop_share", "log_words", "furniture", "in_p")),
)  # fmt: skip
"""The columns of `features`, in order."""

_INDEX = {name: i for i, name in enumerate(FEATURES)}


def features(page: Sequence[Unit], facts: Sequence[Facts], language: str | None = None) -> np.ndarray:
    """The feature matrix of a page: one row per unit, the columns of `FEATURES`."""
    n = len(page)
    out = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return out
    tokens = [_WORD.findall(u.text.lower()) for u in page]
    language = language or guess_language(w for t in tokens for w in t)
    stops = stop_words(language)
    keys = [shapes.key(u.text) for u in page]
    counts = Counter(keys)
    seen: set[str] = set()
    col = _INDEX

    for i, (unit, fact, toks, k) in enumerate(zip(page, facts, tokens, keys, strict=True)):
        text = unit.text
        row = out[i]
        n_words = max(1, len(text.split()))
        letters = [c for c in text if c.isalpha()]
        alpha_words = [w for w in text.split() if w[:1].isalpha()]
        last = shapes.last_char(k)
        row[col["log_chars"]] = math.log1p(len(text))
        row[col["log_words"]] = math.log1p(len(text.split()))
        row[col["mean_word_len"]] = sum(len(t) for t in toks) / max(1, len(toks))
        stop_hits = sum(1 for t in toks if t in stops)
        row[col["stop_share"]] = stop_hits / max(1, len(toks))
        row[col["stop_count"]] = math.log1p(stop_hits)
        row[col["cap_share"]] = sum(1 for w in alpha_words if w[0].isupper()) / max(1, len(alpha_words))
        row[col["upper_share"]] = sum(1 for c in letters if c.isupper()) / max(1, len(letters))
        row[col["digit_share"]] = len(_DIGITS.findall(text)) / max(1, len(text))
        row[col["ends_terminal"]] = last in _TERMINAL
        row[col["ends_colon"]] = last == ":"
        row[col["ends_ellipsis"]] = k.endswith("...")
        row[col["ends_question"]] = last == "?"
        row[col["ends_comma"]] = last in ",;"
        row[col["ends_none"]] = last.isalnum()
        row[col["commas_per_word"]] = text.count(",") / n_words
        row[col["sentences"]] = math.log1p(len(shapes.SENTENCE_BREAK.findall(text)))
        row[col["separators"]] = len(_SEPARATORS.findall(text))
        row[col["starts_quote"]] = text[:1] in shapes.QUOTE_OPENERS
        row[col["starts_bullet"]] = bool(_BULLET.match(text))
        row[col["starts_lower"]] = text[:1].islower()
        row[col["urlish"]] = bool(_URLISH.search(text))
        row[col["copyright"]] = bool(_COPYRIGHT.search(text))
        row[col["timeish"]] = bool(_TIMEISH.search(text))
        row[col["blank_before"]] = unit.blank_before
        row[col["blank_after"]] = unit.blank_after
        row[col["in_p"]] = unit.blank_before and unit.blank_after
        row[col["repeats"]] = math.log(counts[k])
        row[col["first_of_repeats"]] = counts[k] > 1 and k not in seen
        seen.add(k)
        row[col["headline_like"]] = shapes.headline_like(text)
        row[col["heading_shaped"]] = shapes.heading_shaped(text)
        row[col["prose"]] = shapes.is_prose(text)
        row[col["summary"]] = shapes.is_summary(text)
        if fact.category:
            name = f"cat_{fact.category}"
            row[col[name] if name in col else col["cat_other"]] = 1
        row[col["marker"]] = fact.marker
        row[col["byline"]] = fact.byline
        row[col["dateline"]] = fact.dateline
        row[col["caption"]] = fact.caption

    _place(out, page, facts, tokens, stops)
    _neighbours(out)
    return out


def _place(
    out: np.ndarray, page: Sequence[Unit], facts: Sequence[Facts], tokens: list[list[str]], stops: frozenset[str]
) -> None:
    """Where each unit stands: position, distance to prose, to the byline, to the last marker, its run."""
    col = _INDEX
    n = len(page)
    words = np.array([len(t) for t in tokens], dtype=np.float64)
    prose = out[:, col["prose"]] > 0
    furniture = np.array([f.category is not None for f in facts])
    total = max(1.0, words.sum())
    prose_words = np.where(prose, words, 0.0)
    all_prose = max(1.0, prose_words.sum())
    before = np.cumsum(prose_words) - prose_words
    out[:, col["position"]] = np.arange(n) / max(1, n - 1)
    out[:, col["word_position"]] = (np.cumsum(words) - words) / total
    out[:, col["log_units"]] = math.log1p(n)
    all_tokens = sum(len(t) for t in tokens)
    out[:, col["page_stop_share"]] = sum(1 for t in tokens for w in t if w in stops) / max(1, all_tokens)
    out[:, col["prose_before"]] = before / all_prose
    out[:, col["prose_after"]] = (all_prose - before - prose_words) / all_prose

    cap = 50.0
    last = -1e9
    since_marker = -1e9
    meta_at = [i for i, f in enumerate(facts) if f.byline or f.dateline]
    for i in range(n):
        out[i, col["lines_to_prose_above"]] = min(cap, i - last)
        out[i, col["lines_since_marker"]] = min(cap, i - since_marker)
        if prose[i]:
            last = i
        if facts[i].marker:
            since_marker = i
    nxt = 1e9
    for i in range(n - 1, -1, -1):
        out[i, col["lines_to_prose_below"]] = min(cap, nxt - i)
        if prose[i]:
            nxt = i
    if meta_at:
        first_meta = meta_at[0]
        out[:, col["lines_to_meta"]] = np.clip(np.arange(n) - first_meta, -cap, cap)
    else:
        out[:, col["lines_to_meta"]] = -cap
    out[:, col["lines_after_meta_unit"]] = [sum(1 for m in meta_at if m < i) for i in range(n)]

    # A run: consecutive units that are neither furniture nor one-word labels.
    i = 0
    while i < n:
        j = i
        while j < n and not furniture[j] and words[j] >= 2:
            j += 1
        if j == i:
            out[i, col["run_length"]] = 0
            i += 1
            continue
        out[i:j, col["run_length"]] = math.log1p(j - i)
        out[i:j, col["run_words"]] = math.log1p(words[i:j].sum())
        i = j


def _neighbours(out: np.ndarray) -> None:
    """Copy a few of each unit's neighbours' features onto it, and window means around it."""
    col = _INDEX
    furniture = out[:, [col[f"cat_{c}"] for c in _CATEGORIES] + [col["cat_other"]]].max(axis=1)
    base = {
        "log_words": out[:, col["log_words"]],
        "stop_share": out[:, col["stop_share"]],
        "prose": out[:, col["prose"]],
        "furniture": furniture,
        "in_p": out[:, col["in_p"]],
        "headline_like": out[:, col["headline_like"]],
    }
    for name, offset in (("m3", -3), ("m2", -2), ("m1", -1), ("p1", 1), ("p2", 2), ("p3", 3)):
        for feature, values in base.items():
            out[:, col[f"{feature}_{name}"]] = shift(values, offset)
    for w in (5, 15):
        for feature in ("prose", "stop_share", "log_words", "furniture", "in_p"):
            out[:, col[f"win{w}_{feature}"]] = window_mean(base[feature], w)


def shift(values: np.ndarray, offset: int, fill: float = -1.0) -> np.ndarray:
    """Each unit's neighbour `offset` units away (`fill` past either end of the page)."""
    n = len(values)
    shifted = np.full(n, fill)
    if abs(offset) >= n:
        return shifted
    if offset < 0:
        shifted[-offset:] = values[: n + offset]
    else:
        shifted[: n - offset] = values[offset:]
    return shifted


def window_mean(values: np.ndarray, radius: int) -> np.ndarray:
    """The mean of `values` over the units within `radius` of each (fewer at the page's ends)."""
    n = len(values)
    sums = np.concatenate([[0.0], np.cumsum(values)])
    lo = np.clip(np.arange(n) - radius, 0, n)
    hi = np.clip(np.arange(n) + radius + 1, 0, n)
    return (sums[hi] - sums[lo]) / np.maximum(1, hi - lo)
