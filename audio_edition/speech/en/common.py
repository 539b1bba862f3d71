"""Shared pieces of the English rules: the word lists, the number pattern, rule triggers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from audio_edition.model import MONTHS

DATA = Path(__file__).resolve().parent.parent / "data" / "en"

NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
"""A written number: 12,500 or 2019 or 3.75."""
SCALES = {
    "thousand": "thousand", "million": "million", "billion": "billion", "trillion": "trillion",
    "k": "thousand", "m": "million", "mn": "million", "mln": "million", "b": "billion", "bn": "billion",
    "tn": "trillion", "trn": "trillion",
}  # fmt: skip


def _rows(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@dataclass(frozen=True)
class Currency:
    singular: str
    plural: str
    minor_singular: str | None
    minor_plural: str | None


@dataclass(frozen=True)
class Unit:
    singular: str
    plural: str
    glued: str
    """ "yes": "120mm" or "120 mm"; "no": only "5 ha"; "only": only "5in"."""


@lru_cache(maxsize=1)
def data() -> dict[str, dict]:
    currencies = {
        row[0]: Currency(row[1], row[2], None if row[3] == "-" else row[3], None if row[4] == "-" else row[4])
        for row in _rows("currencies.tsv")
    }
    return {
        "currencies": currencies,
        "units": {row[0]: Unit(row[1], row[2], row[3]) for row in _rows("units.tsv")},
        "months": {row[0]: int(row[1]) for row in _rows("months.tsv")},
        "acronyms": {row[0]: row[1] for row in _rows("acronyms.tsv")},
        "abbreviations": {row[0]: (row[1], row[2]) for row in _rows("abbreviations.tsv")},
        "states": {row[0]: row[1] for row in _rows("states.tsv")},
        "postal": {row[0]: row[1] for row in _rows("postal.tsv")},
    }


def alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


MONTH_NAMES = MONTHS


# ---------------------------------------------------------------- the passes
Rule = (
    tuple["re.Pattern[str]", Callable[["re.Match[str]"], str]]
    | tuple["re.Pattern[str]", Callable[["re.Match[str]"], str], "re.Pattern[str]"]
)
"""A pattern, what to say for a match, and optionally a cheap pattern that must be present first."""

DIGIT = re.compile(r"\d")
DOT = re.compile(r"\.")
AT = re.compile("@")
DASH = re.compile("[-–]")
CAPS = re.compile("[A-Z]{2}")
ROMAN_WORD = re.compile(r"\b[IVXL]+\b")


def when(trigger: re.Pattern[str], rules: list[Rule]) -> list[Rule]:
    return [(rule[0], rule[1], trigger) for rule in rules]


ARTICLE_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s+(?:[a-z]+\s+)?$")
NOUN_AFTER = re.compile(
    r"\s+(?!(?:of|in|on|at|to|from|and|or|per|a|an|the|away|long|high|wide|deep|tall|thick|more|less|than|"
    r"each|every|by|for|with|into|over|under|above|below|was|were|is|are|be|been|has|have|had|will|would|"
    r"could|can|may|might|must|should|shall|did|does|do|he|she|it|they|we|you|i|that|which|who|this|these|"
    r"those|there|here|as|if|but|so|not|last|ago|earlier|later|now|then|too|also|already|yet)\b)[a-z]"
)


def is_adjective(m: re.Match[str]) -> bool:
    """Whether a measure stands before its noun ("the $2 billion deal", "a 120mm gun")."""
    return ARTICLE_BEFORE.search(m.string, 0, m.start()) is not None and NOUN_AFTER.match(m.string, m.end()) is not None


_MODIFIER_BEFORE = re.compile(
    r"\b(?:of|with|for|fire|fires|fired|firing|using|uses|"
    r"carrying|carries|new|two|three|four|several|many|more|some|their|its|his|her|our)\s+$",
    re.I,
)
_NOT_A_NOUN = re.compile(
    r"\s+(?:yesterday|today|tonight|tomorrow|overnight|apart|ahead|behind|north|south|east|west|"
    r"off|up|down|out|back|higher|lower|taller|shorter|longer|wider|deeper|farther|further|closer|"
    r"bigger|smaller|heavier|lighter|faster|slower|apiece|each|total|altogether|instead|"
    r"[a-z]+ly)\b"
)


_PLURAL_NOUN = re.compile(r"\s+[a-z]+[^s\W]s\b")
"""A plural noun after a glued measure: "155mm shells", "120mm rounds"."""


def is_modifier(m: re.Match[str], glued: bool) -> bool:
    """Whether a measure names a kind of thing before its noun, with or without an article: "a 120mm gun",
    "short of 155mm shells", "bottles of 16 oz juice" (a glued unit before a plural noun is: "155mm shells")."""
    if is_adjective(m):
        return True
    if NOUN_AFTER.match(m.string, m.end()) is None or _NOT_A_NOUN.match(m.string, m.end()):
        return False
    if _MODIFIER_BEFORE.search(m.string, 0, m.start()) is not None:
        return True
    return glued and _PLURAL_NOUN.match(m.string, m.end()) is not None
