"""The article's language: what the page declares, checked against what its text shows.

A page names its language in `<html lang>`, `xml:lang`, a Content-Language
meta tag, `og:locale` or JSON-LD's `inLanguage`; Markdown front matter in
`lang` or `language`. Pages declare it wrongly often enough (a CMS template
left at "en") that the text has the last word when it is clear about it.

The text is judged by its most common function words: the first 150 distinct
words of each of jusText's stop lists (they are in frequency order; further
down they pick up other languages' words), each weighted by how few languages
share it, so "the" says English and "la" says little. Scripts that need no
word counting (kana, hangul, Han characters) are recognised by their letters.
A text too short or too mixed to tell gives None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from audio_edition.inputs.stopwords import LANGUAGES, stop_list

__all__ = ["choose", "detect", "normalize_tag"]

_TOP = 150
"""Words taken from the head of each stop list."""
_MIN_WORDS = 20
"""Fewer words than this tell nothing."""
_MIN_SHARE = 0.2
"""Real prose has a fifth of its words or more among its language's commonest (English news: 0.4 to 0.6)."""
_MIN_LEAD = 2.0
"""The best language's weighted score over the second's: closer than this is a guess, not a finding."""
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def normalize_tag(value: object) -> str | None:
    """A BCP 47 tag as pages write it ("en_US", "EN-us", "de-DE,en") -> "en-US"; None when it is not one."""
    if not isinstance(value, str):
        return None
    m = _TAG.match(value.strip().split(",")[0].strip())
    if m is None or m.end() != len(value.strip().split(",")[0].strip()):
        return None
    primary, *rest = m.group().replace("_", "-").split("-")
    if primary.lower() in ("x", "i", "und", "mul", "zxx"):
        return None
    parts = [primary.lower()] + [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower() for p in rest]
    return "-".join(parts)


@cache
def _head(code: str) -> frozenset[str]:
    """The commonest distinct lowercase words of one language's stop list."""
    seen: dict[str, None] = {}
    for word in stop_list(code):
        word = word.lower()
        if word.isalpha():
            seen.setdefault(word)
            if len(seen) >= _TOP:
                break
    return frozenset(seen)


@cache
def _weights() -> dict[str, float]:
    """Each head word -> 1 / the number of languages whose head holds it."""
    counts: dict[str, int] = {}
    for code in LANGUAGES:
        for word in _head(code):
            counts[word] = counts.get(word, 0) + 1
    return {word: 1 / n for word, n in counts.items()}


# The letters of each script, by their Unicode blocks (counted in C by the regex engine, not a character at a time).
_LETTER = re.compile(r"[^\W\d_]")
_KANA = re.compile(r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


def _by_script(text: str) -> str | None:
    """Japanese, Korean or Chinese by their letters, when those are most of the text's letters."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return None
    kana, hangul, han = (len(p.findall(text)) for p in (_KANA, _HANGUL, _HAN))
    if (kana + hangul + han) * 2 < letters:
        return None
    if hangul > kana and hangul > han / 4:
        return "ko"
    if kana * 10 >= kana + han:
        return "ja"
    return "zh"


def detect(text: str) -> str | None:
    """The language (ISO 639-1) the text is written in, or None when it does not say clearly."""
    scripted = _by_script(text)
    if scripted is not None:
        return scripted
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    if len(words) < _MIN_WORDS:
        return None
    return _best(words)


def _best(words: list[str]) -> str | None:
    weights = _weights()
    scores: list[tuple[float, str]] = []
    for code in LANGUAGES:
        head = _head(code)
        scores.append((sum(weights[w] for w in words if w in head), code))
    scores.sort(reverse=True)
    (best, code), (second, _) = scores[0], scores[1]
    if _share(words, code) < _MIN_SHARE or best < _MIN_LEAD * second:
        return None
    return code


def choose(declared: Iterable[object], text: str) -> str | None:
    """The article's language tag: the first well-formed declared tag, unless the text clearly shows another
    language and hardly any of the declared one's words (then the text's); the text's when nothing is declared.

    A declared language the stop lists do not cover (Basque, Welsh) is taken at its word, as is a near
    neighbour the words cannot tell apart (a page declared Bosnian that reads as Croatian)."""
    tag = next((t for t in map(normalize_tag, declared) if t), None)
    found = detect(text)
    if found is None or tag is None:
        return tag or found
    said = tag.split("-")[0]
    if said == found or (said not in LANGUAGES and found not in ("ja", "ko", "zh")):
        return tag
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    if said in LANGUAGES and _share(words, said) * 2 >= _share(words, found):
        return tag
    return found


def _share(words: list[str], code: str) -> float:
    head = _head(code)
    return sum(w in head for w in words) / max(len(words), 1)
