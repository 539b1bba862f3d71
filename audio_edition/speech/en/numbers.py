"""Number words for English speech, on top of num2words.

num2words writes British-style cardinals ("one hundred and twenty", with
commas); a US newsreader says "one hundred twenty". Every function takes the
digits as written (thousands separators allowed) and returns words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

_DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
MAX_DIGITS = 15
"""Longer digit strings (account numbers, runaway input) are read digit by digit."""

_FRACTION_NAMES = {2: ("half", "halves"), 4: ("quarter", "quarters")}


def _us(words: str) -> str:
    return re.sub(r"\band\b ", "", words.replace(",", ""))


def digits(text: str) -> str:
    """Each digit said on its own: "007" -> "zero zero seven"."""
    return " ".join(_DIGIT_NAMES[int(ch)] for ch in text if ch.isdigit())


@lru_cache(maxsize=4096)
def cardinal(text: str) -> str:
    """ "12,500" -> "twelve thousand five hundred"; "3.75" -> "three point seven five"."""
    text = text.replace(",", "")
    negative = text.startswith(("-", "−"))
    text = text.lstrip("-−+")
    whole, _, fraction = text.partition(".")
    whole = whole or "0"
    if len(whole.lstrip("0")) > MAX_DIGITS:
        words = digits(whole)
    else:
        words = _us(num2words(int(whole)))
    if fraction:
        words += " point " + digits(fraction)
    return ("minus " if negative else "") + words


@lru_cache(maxsize=1024)
def ordinal(text: str) -> str:
    """ "3" -> "third"; "81" -> "eighty-first"."""
    value = int(text.replace(",", ""))
    if len(str(value)) > MAX_DIGITS:
        return digits(str(value))
    return _us(num2words(value, to="ordinal"))


def pair(digits: str) -> str:
    """Two digits as clocks, years and road numbers say them: "05" -> "oh five", "28" -> "twenty-eight"."""
    return "oh " + cardinal(digits[1]) if len(digits) == 2 and digits[0] == "0" else cardinal(digits)


@lru_cache(maxsize=1024)
def year(text: str) -> str:
    """ "2019" -> "twenty nineteen"; "2005" -> "two thousand five"; "1905" -> "nineteen oh five"."""
    value = int(text)
    if 2000 <= value <= 2009:
        return _us(num2words(value))
    return _us(num2words(value, to="year")).replace("oh-", "oh ")


def decade(text: str) -> str:
    """ "1960" -> "nineteen sixties"; "2000" -> "two thousands"; "70" -> "seventies"."""
    value = int(text)
    if len(text) == 4 and value % 100 == 0:
        words = year(text) if value % 1000 else cardinal(text)
        return words + "s"
    spoken = year(text) if len(text) == 4 else cardinal(text)
    # "sixty" -> "sixties": the plural of the last word.
    return re.sub(r"y$", "ies", spoken) if spoken.endswith("y") else spoken + "s"


def fraction(numerator: str, denominator: str) -> str:
    """ "2", "3" -> "two thirds"; "1", "2" -> "one half"."""
    n, d = int(numerator), int(denominator)
    if d in _FRACTION_NAMES:
        singular, plural = _FRACTION_NAMES[d]
    else:
        singular = ordinal(denominator)
        plural = singular + "s"
    return f"{cardinal(numerator)} {singular if n == 1 else plural}"


def is_one(text: str) -> bool:
    """Whether a written amount is exactly one (singular units)."""
    try:
        return float(text.replace(",", "")) == 1.0 and "." not in text
    except ValueError:
        return False
