"""Written text -> spoken text: what the voice says for a sentence as written.

This stage sits between sentences and voice; captions keep the written form.
A pronunciation lexicon, when given, is applied first and protected from the
normalisation rules (its respellings and espeak-ng phonemes pass through
untouched); then `english.normalize` says numbers, money, dates, units,
abbreviations, acronyms and symbols as a newsreader would.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from audio_edition.speech.en import normalize

if TYPE_CHECKING:
    from audio_edition.speech.lexicon import Lexicon

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_MARK = 0xE000
"""Private-use characters stand in for lexicon matches while the rules run: no rule touches them."""


def to_spoken(written: str, lexicon: Lexicon | None = None, use_phonemes: bool = True) -> str:
    """The text the engine is given for one sentence as written."""
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
        replacements.append(lexicon.apply(written[start:end], use_phonemes))
        last = end
    pieces.append(written[last:])
    spoken = normalize("".join(pieces))
    return "".join(
        replacements[ord(ch) - _MARK] if _MARK <= ord(ch) < _MARK + len(replacements) else ch for ch in spoken
    )
