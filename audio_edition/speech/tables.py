"""What the rules of every language other than English read from their data: rows of a TSV file,
and the abbreviation table turned into rules.

`data/<language>/abbreviations.tsv` has one abbreviation a row: as written (with its periods),
what is said, and where it is said so:

- any    : anywhere
- title  : only before a capitalised word ("Dr. Müller", "M. Dupont", "Sra. Pérez")
- number : only before a number ("S. 12", "p. 55", "pág. 12")
- amount : only after a number ("1,5 Mio. Euro"); a fourth column is said after one ("1 Mio." -> "eine Million")
- prefix : only before a hyphen and a capital ("St-Denis" -> "Saint-Denis")

A space after an inner period is optional ("z. B." matches "z.B."); longer forms are tried first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "CAPITAL", "Rule", "Unit", "abbreviation_rules", "alternation", "apply", "currency_first", "decimal_words", "full_year",
    "minus", "ranges", "roman", "rows", "units",
]  # fmt: skip

DATA = Path(__file__).resolve().parent / "data"

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
"""A pattern and what is said for each of its matches."""

CAPITAL = "A-ZÀ-ÖØ-ÞĀ-Ž"
"""Capital letters of the Latin alphabets news is written in (a class body, for [...])."""


@cache
def rows(language: str, name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of `data/<language>/<name>`, tab-separated; comments and blank lines skipped."""
    text = (DATA / language / name).read_text(encoding="utf-8")
    return tuple(tuple(line.split("\t")) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def abbreviation_rules(language: str, one: str) -> list[Rule]:
    """The rules of `data/<language>/abbreviations.tsv`; `one` is the pattern of the words for "1" that
    make an amount's abbreviation singular ("1|eine?")."""
    rules: list[Rule] = []
    for row in sorted(rows(language, "abbreviations.tsv"), key=lambda row: -len(row[0])):
        written, said, where = row[0], row[1], row[2]
        single = row[3] if len(row) > 3 else said
        body = r"\.\s?".join(re.escape(part) for part in written.rstrip(".").split(". "))
        body += r"\." if written.endswith(".") else r"(?![\w.])"
        lead = r"(?<![\w.])"
        if where == "amount":
            rules.append((re.compile(r"(?<=[\d\w])\s*" + body), _amount(said, single, one)))
            continue
        ahead = {"title": rf"(?=\s*[{CAPITAL}])", "number": r"(?=\s*\d)", "prefix": rf"(?=-[{CAPITAL}])", "any": ""}
        if where not in ahead:
            raise ValueError(f"{language}/abbreviations.tsv: {written!r} has no place {where!r}")
        if where == "prefix":
            body = re.escape(written)
        rules.append((re.compile(lead + body + ahead[where]), _say(said)))
    return rules


def _say(said: str) -> Callable[[re.Match[str]], str]:
    return lambda m: said


def _amount(said: str, single: str, one: str) -> Callable[[re.Match[str]], str]:
    pattern = re.compile(rf"(?<![\d.,])(?:{one})\s*$")

    def say(m: re.Match[str]) -> str:
        return f" {single if pattern.search(m.string, 0, m.start()) else said}"

    return say


def apply(text: str, rules: list[Rule]) -> str:
    """Each rule in turn over the whole text."""
    for pattern, say in rules:
        text = pattern.sub(say, text)
    return text


class Unit(NamedTuple):
    """One row of `data/<language>/units.tsv`."""

    singular: str
    plural: str
    minor: str | None
    """A currency's hundredth ("Cent", "centimes"); None for other units."""


@cache
def units(language: str) -> dict[str, Unit]:
    """Written unit or currency -> how `language` says it."""
    return {row[0]: Unit(row[1], row[2], None if row[3] == "-" else row[3]) for row in rows(language, "units.tsv")}


def alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of `words`, the longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman(text: str) -> int | None:
    """A Roman numeral from I to XCIX in its one correct form ("XIV" -> 14), else None ("IIII", "IC")."""
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total, last = 0, 0
    for ch in reversed(text):
        value = _ROMAN[ch]
        total += -value if value < last else value
        last = max(last, value)
    return total if 0 < total < 100 and _to_roman(total) == text else None


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in ((90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def decimal_words(written: str, group: str, comma: str, cardinal: Callable[[int], str], *, digits: bool) -> str:
    """A number as these languages write it ("1.500" or "1 500", "3,5") in words: `group` separates the
    thousands, `comma` is the word for the decimal comma ("Komma", "virgule", "coma"), and the digits after
    it are said one by one when `digits` (German) or when they start with a zero, else as a number."""
    whole, _, decimals = written.replace(group, "").partition(",")
    said = cardinal(int(whole))
    if decimals:
        one_by_one = digits or decimals.startswith("0")
        said += f" {comma} " + (" ".join(cardinal(int(d)) for d in decimals) if one_by_one else cardinal(int(decimals)))
    return said


def full_year(written: str) -> int:
    """A year as a date writes it: "2024" -> 2024; two digits as the nearest century does: "90" -> 1990, "05" -> 2005."""
    year = int(written)
    if len(written) == 4:
        return year
    return year + (1900 if year > 30 else 2000)


def currency_first(currencies: str, number: str) -> Rule:
    """ "€ 12,99" and "$5" -> "12,99 €" and "5 $": the sign after the amount, where the money rule reads it
    (`currencies` and `number` are pattern alternations)."""
    return re.compile(rf"(?P<cur>{currencies})\s?(?P<n>{number})"), lambda m: f"{m.group('n')} {m.group('cur')}"


def minus(word: str) -> Rule:
    """A minus sign before a number, at a word's start ("-12 Grad", "−5"): said as `word`."""
    return re.compile(r"(?:(?<=\s)|^)[-–−](?=\d)"), lambda m: f"{word} "


def ranges(word: str) -> Rule:
    """A dash between two numbers ("5–7"): said as `word` ("bis", "à", "a")."""
    return re.compile(r"(?<=\d)\s?[–—]\s?(?=\d)"), lambda m: f" {word} "
