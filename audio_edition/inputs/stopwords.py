"""Stop words, and the language they show: what makes a line read like prose.

jusText's stop lists (one file of common function words per language, in the
justext package that trafilatura already depends on) are read straight from
its package folder, without importing justext itself (which would import
lxml). The page's language is the one whose stop words cover most of its words.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "guess_language", "rank_languages", "stop_list", "stop_words"]

LANGUAGES: dict[str, str] = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese", "it": "Italian",
    "nl": "Dutch", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian", "cs": "Czech", "sk": "Slovak",
    "sv": "Swedish", "da": "Danish", "nb": "Norwegian_Bokmal", "fi": "Finnish", "tr": "Turkish",
    "ro": "Romanian", "hu": "Hungarian", "el": "Greek", "id": "Indonesian", "hr": "Croatian", "sr": "Serbian",
    "bg": "Bulgarian", "ca": "Catalan", "sl": "Slovenian", "lt": "Lithuanian", "lv": "Latvian",
    "et": "Estonian", "vi": "Vietnamese", "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "hi": "Hindi",
}  # fmt: skip
"""ISO 639-1 code -> jusText's stop-list name, for the languages news pages are most often in."""


def _folder() -> Path | None:
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "stoplists"


@cache
def stop_list(language: str) -> tuple[str, ...]:
    """A language's stop list (ISO code) as jusText ships it, commonest first; empty when unknown."""
    folder = _folder()
    name = LANGUAGES.get(language)
    if folder is None or name is None or not (folder / f"{name}.txt").is_file():
        return ()
    return tuple((folder / f"{name}.txt").read_text(encoding="utf-8").split())


@cache
def stop_words(language: str) -> frozenset[str]:
    """The stop words of a language (ISO code), lower case; empty when unknown."""
    return frozenset(w.strip().lower() for w in stop_list(language))


def guess_language(words: Iterable[str], default: str = "en") -> str:
    """The language whose stop words cover most of `words` (lower case); `default` when none covers 5%."""
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    total = sum(counts.values())
    if not total:
        return default
    best, best_share = default, 0.05
    for code in LANGUAGES:
        stops = stop_words(code)
        share = sum(n for w, n in counts.items() if w in stops) / total
        if share > best_share + 1e-9:
            best, best_share = code, share
    return best


def rank_languages(words: Iterable[str]) -> list[str]:
    """The languages whose stop words occur among `words`, the best covered first."""
    bag = [w.lower() for w in words]
    shares = {code: sum(1 for w in bag if w in stop_words(code)) for code in LANGUAGES}
    return [code for code, n in sorted(shares.items(), key=lambda kv: -kv[1]) if n]
