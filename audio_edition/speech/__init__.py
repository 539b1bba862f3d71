"""Written text -> spoken text: what the voice says for a sentence as written.

This stage sits between sentences and voice; captions keep the written form.
A pronunciation lexicon, when given, is applied first and protected from the
normalisation rules (its respellings and espeak-ng phonemes pass through
untouched); then `english.normalize` says numbers, money, dates, units,
abbreviations, acronyms and symbols as a newsreader would.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from audio_edition.speech import en

if TYPE_CHECKING:
    from audio_edition.speech.lexicon import Lexicon

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_MARK = 0xE000
"""Private-use characters stand in for lexicon matches while the rules run: no rule touches them."""


NORMALIZERS: dict[str, Callable[[str], str]] = {"en": en.normalize}
"""Language (the first part of a BCP 47 tag) -> its rules. A language without rules is only tidied."""
_PACKAGES = ("de", "fr", "es")
"""Languages whose rules are a package of their own here, imported when first asked for."""


def normalizer(language: str) -> Callable[[str], str]:
    """The rules of `language` (a BCP 47 tag: "en-US", "de"); tidying only for a language without rules."""
    primary = language.split("-")[0].split("_")[0].lower()
    if primary not in NORMALIZERS and primary in _PACKAGES:
        NORMALIZERS[primary] = importlib.import_module(f"audio_edition.speech.{primary}").normalize
    return NORMALIZERS.get(primary, _tidy)


def _tidy(text: str) -> str:
    return " ".join(en.prepare(text).split())


def to_spoken(written: str, lexicon: Lexicon | None = None, use_phonemes: bool = True, language: str = "en") -> str:
    """The text the engine is given for one sentence as written, in `language` (e.g. "en-US")."""
    normalize = normalizer(language)
    written = _PRIVATE_USE.sub("", written)
    matches = lexicon.find(written) if lexicon is not None else []
    if not matches:
        return normalize(written)
    assert lexicon is not None
    replacements: list[str] = []
    pieces: list[str] = []
    last = 0
    for start, end, _entry in matches[:0x1000]:
        pieces += [written[last:start], f" {chr(_MARK + len(replacements))} "]
        replacements.append(lexicon.apply(written[start:end], use_phonemes, in_context=False))
        last = end
    pieces.append(written[last:])
    spoken = normalize("".join(pieces))
    return "".join(
        replacements[ord(ch) - _MARK] if _MARK <= ord(ch) < _MARK + len(replacements) else ch for ch in spoken
    )
