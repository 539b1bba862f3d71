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

from audio_edition.speech.english import normalize

if TYPE_CHECKING:
    from audio_edition.speech.lexicon import Lexicon

_SENTINEL = re.compile("\ue000(\\d+)\ue001")


def to_spoken(written: str, lexicon: Lexicon | None = None, use_phonemes: bool = True) -> str:
    """The text the engine is given for one sentence as written."""
    if lexicon is None:
        return normalize(written)
    replacements: list[str] = []
    pieces: list[str] = []
    last = 0
    for start, end, entry in lexicon.find(written):
        pieces.append(written[last:start])
        replacements.append(f"[[{entry.phonemes}]]" if use_phonemes and entry.phonemes else entry.respelling)
        # A private-use marker the rules leave alone (no letters, digits or punctuation).
        pieces.append(f" \ue000{len(replacements) - 1}\ue001 ")
        last = end
    pieces.append(written[last:])
    spoken = normalize("".join(pieces))
    return _SENTINEL.sub(lambda m: replacements[int(m.group(1))], spoken)
