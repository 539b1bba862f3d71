"""Written text -> spoken text: what the voice says for a sentence as written.

This stage sits between sentences and voice; captions keep the written form.
For now it only tidies what the engine would trip over (runs of whitespace,
soft hyphens, zero-width characters); number, money, date and abbreviation
normalisation and the pronunciation lexicon land here next.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACE = re.compile(r"\s+")


def to_spoken(written: str) -> str:
    """The text the engine is given for one sentence as written."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", written)).strip()
