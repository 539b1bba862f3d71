"""Amounts: money, percentages, temperatures, units, ranges, fractions and bare numbers."""

from __future__ import annotations

import re

from audio_edition.speech.en import common as c
from audio_edition.speech.en import numbers as n


def money_amount(number: str, scale: str | None, currency: c.Currency, adjective: bool = False) -> str:
    if scale:
        return f"{n.cardinal(number)} {c.SCALES[scale.lower()]} {currency.singular if adjective else currency.plural}"
    whole, _, cents = number.replace(",", "").partition(".")
    if len(cents) > 2 and currency.minor_plural and not adjective:  # "$3.499 a gallon"
        minor = f"{n.cardinal(cents[:2].lstrip('0') or '0')} point {n.digits(cents[2:])} {currency.minor_plural}"
        if int(whole or 0):
            return f"{n.cardinal(whole)} {currency.singular if int(whole) == 1 else currency.plural} and {minor}"
        return minor
    if len(cents) == 2 and currency.minor_plural:
        main = ""
        if int(whole or 0):
            main = f"{n.cardinal(whole)} {currency.singular if int(whole) == 1 else currency.plural}"
        if int(cents):
            minor = (currency.minor_singular or currency.minor_plural) if int(cents) == 1 else currency.minor_plural
            tail = f"{n.cardinal(cents.lstrip('0') or '0')} {minor}"
            return f"{main} and {tail}" if main else tail
        return main or f"zero {currency.plural}"
    return f"{n.cardinal(number)} {currency.singular if adjective or n.is_one(number) else currency.plural}"


def money_rules() -> list[c.Rule]:
    currencies: dict[str, c.Currency] = c.data()["currencies"]
    symbols = [c for c in currencies if not c.isalpha()]
    codes = [c for c in currencies if c.isalpha()]
    scale = r"(?:\s?(?P<scale{i}>(?i:thousand|million|billion|trillion|mn|mln|bn|tn|trn|[kmb]))\b)?"
    amount1 = rf"(?P<num1>{c.NUM})" + scale.format(i=1)
    amount2 = rf"(?P<num2>{c.NUM})" + scale.format(i=2)
    sym = rf"(?P<cur>{c.alternation(symbols)})"

    def prefixed(m: re.Match[str]) -> str:
        currency = currencies[m.group("cur")]
        adjective = c.is_adjective(m) or m.group("per") is not None  # "a $3 billion-a-year industry"
        first = money_amount(m.group("num1"), m.group("scale1"), currency, adjective)
        per = " a " if m.group("per") else ""
        if m.group("num2") is None:
            return first + per
        second = money_amount(m.group("num2"), m.group("scale2") or m.group("scale1"), currency, adjective)
        if not m.group("scale1") and m.group("scale2"):
            first = n.cardinal(m.group("num1"))
        return f"{first} to {second}{per}"

    def code_before(m: re.Match[str]) -> str:
        return money_amount(m.group("num1"), m.group("scale1"), currencies[m.group("code")])

    def code_after(m: re.Match[str]) -> str:
        return money_amount(m.group("num1"), m.group("scale1"), currencies[m.group("code")])

    range_tail = rf"(?:\s?(?:-|–|to)\s?(?:{c.alternation(symbols)})?\s?{amount2})?(?P<per>-a-(?=\w))?"
    return [
        (re.compile(rf"(?<![\w$]){sym}\s?{amount1}{range_tail}(?![\d,]*\d)"), prefixed),
        (re.compile(rf"\b(?P<code>{c.alternation(codes)})\s?{amount1}(?![\d,]*\d)"), code_before),
        (re.compile(rf"(?<![\w.]){amount1}\s(?P<code>{c.alternation(codes)})\b"), code_after),
    ]


def say_percent_range(m: re.Match[str]) -> str:
    return f"{n.cardinal(m.group(1))} to {n.cardinal(m.group(2))} percent"


def say_percent(m: re.Match[str]) -> str:
    return f"{n.cardinal(m.group(1))} percent"


def say_temperature(m: re.Match[str]) -> str:
    one = n.is_one(m.group(1).lstrip("-+"))
    degrees = "degree" if one or (not m.group(2) and c.is_adjective(m)) else "degrees"  # "a sharp 90° turn"
    scale = {"C": " Celsius", "F": " Fahrenheit", "K": " kelvin"}.get(m.group(2) or "", "")
    return f"{n.cardinal(m.group(1))} {degrees}{scale}"


def unit_rule() -> c.Rule:
    units: dict[str, c.Unit] = c.data()["units"]
    glued = c.alternation([u for u, d in units.items() if d.glued in ("yes", "only")])
    # "in" only when glued ("5in") or with its full stop ("5 in."): "won 5 in a row" is no measure.
    spaced = c.alternation([u for u, d in units.items() if d.glued in ("yes", "no")]) + r"|in(?=\.)"
    pattern = re.compile(
        rf"(?<![\w.,])(?:(?P<low>{c.NUM})\s?[-–]\s?|(?P<low2>{c.NUM})\s(?P<to>to|and)\s)?"
        rf"(?P<num>-?{c.NUM})(?:(?P<g>{glued})|(?P<sep>\s|-)(?P<s>{spaced}))(?P<dot>(?<=[a-z])\.(?!\w))?(?![\w/²])"
    )

    def say(m: re.Match[str]) -> str:
        unit = units[(m.group("g") or m.group("s")).replace(". ", " ")]
        # "3 in. of rain": the abbreviation's full stop goes, unless it also ended the sentence.
        stop = "." if m.group("dot") and m.end() == len(m.string) else ""
        low = m.group("low") or m.group("low2")
        lead = f"{n.cardinal(low)} {m.group('to') or 'to'} " if low else ""  # "40-50 mph"
        if m.group("sep") == "-" or c.is_adjective(m):  # "a 5-km race", "the 120mm gun": singular
            return f"{lead}{n.cardinal(m.group('num'))}-{unit.singular}{stop}"
        plural = low or not n.is_one(m.group("num"))
        return f"{lead}{n.cardinal(m.group('num'))} {unit.plural if plural else unit.singular}{stop}"

    return pattern, say


VULGAR = {"¼": ("one", "quarter"), "½": ("one", "half"), "¾": ("three", "quarters"), "⅓": ("one", "third"),
          "⅔": ("two", "thirds"), "⅛": ("one", "eighth"), "⅜": ("three", "eighths"), "⅝": ("five", "eighths"),
          "⅞": ("seven", "eighths"), "⅕": ("one", "fifth")}  # fmt: skip
"""Fraction characters: "1½" -> "one and a half"."""
VULGAR_TRIGGER = re.compile(f"[{''.join(VULGAR)}]")


def say_vulgar(m: re.Match[str]) -> str:
    top, name = VULGAR[m.group(2)]
    if m.group(1):
        return f"{n.cardinal(m.group(1))} and {'a' if top == 'one' else top} {name}"
    return f"{top} {name}"


def say_range(m: re.Match[str]) -> str:
    if m.group(1) == m.group(2) and "-" in m.group(0):  # "a 50-50 chance"
        return f"{say_number(m.group(1))}-{say_number(m.group(2))}"
    return f"{say_number(m.group(1))} to {say_number(m.group(2))}"


SPECIAL_FRACTIONS = {"9/11": "nine eleven", "24/7": "twenty-four seven", "50/50": "fifty-fifty",
                      "20/20": "twenty twenty", "7/7": "seven seven"}  # fmt: skip


def say_fraction(m: re.Match[str]) -> str:
    whole, top, bottom = m.group(1), m.group(2), m.group(3)
    if f"{top}/{bottom}" in SPECIAL_FRACTIONS and not whole:
        return SPECIAL_FRACTIONS[f"{top}/{bottom}"]
    if not (0 < int(top) < int(bottom) <= 16):
        return f"{n.cardinal(top)} {n.cardinal(bottom)}" if not whole else m.group(0)
    spoken = n.fraction(top, bottom)
    if whole:
        spoken = f"{n.cardinal(whole)} and {'a' if top == '1' else n.cardinal(top)} {spoken.split(' ', 1)[1]}"
    return spoken


def say_number(text: str) -> str:
    """A bare number: four digits in 1100-2099 read as a year, leading zeros digit by digit."""
    plain = text.replace(",", "")
    if re.fullmatch(r"0\d+", plain):
        return n.digits(plain)
    if "," not in text and re.fullmatch(r"1\d\d\d|20\d\d", plain) and not plain.endswith("000"):
        return n.year(plain)
    return n.cardinal(text)
