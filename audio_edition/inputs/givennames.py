"""Given names: whether a word is a first name people are called by ("Shana", "Christoph", not "Live").

A bare two-word line near the headline may be the author ("Emma Grey Ellis") or a
menu item in title case ("Instant Access", "All Categories"). What tells them apart
is knowing first names. The list is Jörg Michael's name dictionary (some 48,000
first names from most countries of Europe and many beyond), which the
gender-guesser package ships as a data file; it is read straight from that
package's folder, without importing it, and only when a bare name has to be judged.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

__all__ = ["is_given_name"]


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("gender_guesser")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / "nam_dict.txt"
    return path if path.is_file() else None


@cache
def _given_names() -> frozenset[str]:
    path = _data_file()
    if path is None:
        return frozenset()
    names: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            fields = line.split(maxsplit=2)
            if line.startswith(("#", "=")) or len(fields) < 2:
                continue
            name = fields[1].casefold()  # after the gender code; "+" joins a compound name's parts
            names.update((name.replace("+", "-"), name.replace("+", "")) if "+" in name else (name,))
    return frozenset(names)


def is_given_name(word: str) -> bool:
    """Whether `word` (any case, hyphenated parts each) is a known first name."""
    parts = [p for p in word.strip(".,").split("-") if p]
    known = _given_names()
    return bool(parts) and all(p.casefold() in known for p in parts)
