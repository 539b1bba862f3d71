"""Page furniture: the whole-line patterns of data/furniture.tsv, loaded once.

The patterns are data a user can read and extend; this module only parses the
table and groups it by how the readers use each category (see the table's
header for what each category means).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["FURNITURE_FILE", "Furniture", "load_furniture"]

FURNITURE_FILE = Path(__file__).with_name("data") / "furniture.tsv"
_NOT_DROPPED = ("marker", "credit", "role")


@dataclass(frozen=True)
class Furniture:
    """The patterns of data/furniture.tsv, grouped by how the rules use them."""

    drop: tuple[tuple[str, re.Pattern[str]], ...]
    """(category, pattern) pairs; a line that fully matches one is dropped."""
    markers: tuple[re.Pattern[str], ...]
    """A line that fully matches one starts a list of other headlines."""
    credits: tuple[re.Pattern[str], ...]
    """Searched inside a trailing "(...)": a hit makes the line a photo caption."""
    roles: tuple[re.Pattern[str], ...]
    """Searched in a byline part: a hit makes it a job title or a publication."""

    def category(self, key: str) -> str | None:
        """The furniture category a whole (normalised) line belongs to, if any."""
        for name, pattern in self.drop:
            if pattern.fullmatch(key):
                return name
        return None

    def is_marker(self, key: str) -> bool:
        """Whether a whole (normalised) line starts a list of other headlines ("Most read")."""
        return any(m.fullmatch(key) for m in self.markers)

    def known(self, key: str) -> bool:
        """Whether the table knows a whole (normalised) line: furniture of some category, or a marker."""
        return bool(self.category(key)) or self.is_marker(key)

    def is_credit(self, text: str) -> bool:
        """Whether a text names a photo credit ("Jane Roe/Reuters", "Getty Images")."""
        return any(p.search(text) for p in self.credits)

    def is_role(self, text: str) -> bool:
        """Whether a byline part is a job title or an organisation, not a person."""
        return any(p.search(text) for p in self.roles)


@cache
def load_furniture(path: Path = FURNITURE_FILE) -> Furniture:
    """Read a furniture table: CATEGORY<TAB>REGEX lines, "#" comments."""
    rows: dict[str, list[re.Pattern[str]]] = {}
    drop: list[tuple[str, re.Pattern[str]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        category, sep, regex = line.partition("\t")
        if not sep or not regex.strip():
            raise ValueError(f"{path.name}:{number}: expected CATEGORY<TAB>REGEX")
        flags = 0 if category == "credit" else re.IGNORECASE
        pattern = re.compile(f"(?:{regex.strip()})", flags)
        rows.setdefault(category, []).append(pattern)
        if category not in _NOT_DROPPED:
            drop.append((category, pattern))
    return Furniture(
        drop=tuple(drop),
        markers=tuple(rows.get("marker", ())),
        credits=tuple(rows.get("credit", ())),
        roles=tuple(rows.get("role", ())),
    )
