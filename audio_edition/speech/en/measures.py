"""Amounts: money, percentages, temperatures, units, ranges, fractions and bare numbers."""

from __future__ import annotations

import re

from audio_edition.speech.en import common as c
from audio_edition.speech.en import numbers as n


def money_amount(number: str, scale: str | None, currency: c.Currency, adjective: bool = False) -> str:
    if scale:
        return f"{n.cardinal(number)} {c.SCALES[scale.lower()]} {currency.singular if adjective else currency.plural}"
    # "$2.000", "€1.500.000": a dot between thousands, as much of Europe writes it.
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number) and (number.count(".") > 1 or number.endswith("0")):
        number = number.replace(".", ",")
    whole, _, cents = number.replace(",", "").partition(".")
    if len(cents) > 2:  # "$3.499 a gallon" -> "three point four nine nine dollars"
        return f"{n.cardinal(number)} {currency.plural}"
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


_PERIODS = {"mo": "month", "mth": "month", "yr": "year", "y": "year", "wk": "week", "w": "week", "d": "day",
            "hr": "hour", "h": "hour", "min": "minute", "sq ft": "square foot", "sqft": "square foot"}  # fmt: skip
"""What a price is "per", abbreviated after a slash: "$20/mo", "$99/yr", "$15/hr"."""
_PER_WORDS = ["month", "year", "week", "day", "night", "hour", "person", "head", "share", "barrel", "ton", "tonne",
              "gallon", "gal", "liter", "litre", "kg", "lb", "pound", "ounce", "oz", "seat", "user", "mile", "kilo",
              "unit", "piece", "dose", "ticket"]  # fmt: skip


def with_article(words: str) -> str:
    """ "a" or "an" before `words`, by their first sound: "an hour", "an eighth inch", "a half mile"."""
    return ("an " if words[0] in "aeiou" or words.startswith("hour") else "a ") + words


def _a(noun: str) -> str:
    return with_article(
        {"gal": "gallon", "kg": "kilogram", "lb": "pound", "oz": "ounce"}.get(noun.lower(), noun.lower())
    )


def money_rules() -> list[c.Rule]:
    currencies: dict[str, c.Currency] = c.data()["currencies"]
    symbols = [c for c in currencies if not c.isalpha()]
    codes = [c for c in currencies if c.isalpha()]
    scale = r"(?:\s?(?P<scale{i}>(?i:thousand|million|billion|trillion|mn|mln|bn|tn|trn|[kmb]))\b)?"
    amount1 = rf"(?P<num1>\d{{1,3}}(?:\.\d{{3}}){{2,}}|{c.NUM}|\.\d+)" + scale.format(i=1)  # "€1.500.000", "$.01"
    amount2 = rf"(?P<num2>{c.NUM})" + scale.format(i=2)
    sym = rf"(?P<cur>{c.alternation(symbols)})"

    def prefixed(m: re.Match[str]) -> str:
        currency = currencies[m.group("cur")]
        adjective = c.is_adjective(m) or m.group("per") is not None  # "a $3 billion-a-year industry"
        first = money_amount(m.group("num1"), m.group("scale1"), currency, adjective)
        per = " a " if m.group("per") else ""
        if m.group("slash"):  # "$20/mo" -> "twenty dollars a month"
            per = " " + _a(_PERIODS.get(m.group("slash").lower(), m.group("slash")))
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

    range_tail = (
        rf"(?:\s?(?:-|–|to)\s?(?:{c.alternation(symbols)})?\s?{amount2})?"
        rf"(?:(?P<per>-a-(?=\w))|/\s?(?P<slash>(?i:{c.alternation([*_PERIODS, *_PER_WORDS])}))\b)?"
    )
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
    """ "-5°C" -> "minus five degrees Celsius"; "24–26 °C" -> "twenty-four to twenty-six degrees Celsius"."""
    low = m.group("low")
    if low:
        return f"{n.cardinal(low)} to {say_temperature_one(m.group(2), m.group(3), m, plural=True)}"
    return say_temperature_one(m.group(2), m.group(3), m)


def say_temperature_one(value: str, scale_letter: str | None, m: re.Match[str], plural: bool = False) -> str:
    one = not plural and n.is_one(value.lstrip("-+"))
    degrees = "degree" if one or (not scale_letter and c.is_adjective(m)) else "degrees"  # "a sharp 90° turn"
    scale = {"C": " Celsius", "F": " Fahrenheit", "K": " kelvin"}.get(scale_letter or "", "")
    return f"{n.cardinal(value)} {degrees}{scale}"


def unit_rule() -> c.Rule:
    units: dict[str, c.Unit] = c.data()["units"]
    glued = c.alternation([u for u, d in units.items() if d.glued in ("yes", "only")])
    # "in" only when glued ("5in") or with its full stop ("5 in."): "won 5 in a row" is no measure.
    spaced = c.alternation([u for u, d in units.items() if d.glued in ("yes", "no")]) + r"|in(?=\.)"
    pattern = re.compile(
        rf"(?<![\w.,])(?:(?P<low>{c.NUM})\s?[-–]\s?|(?P<low2>{c.NUM})\s(?P<to>to|and)\s)?"
        rf"(?P<num>-?{c.NUM})(?P<scale>\s(?:thousand|million|billion|trillion))?(?:(?P<g>{glued})|(?P<sep>\s|-)(?P<s>{spaced}))(?P<dot>(?<=[a-z])\.(?!\w))?(?![\w/²])"
    )

    def say(m: re.Match[str]) -> str:
        unit = units[(m.group("g") or m.group("s")).replace(". ", " ")]
        # "3 in. of rain": the abbreviation's full stop goes, unless it also ended the sentence.
        stop = "." if m.group("dot") and m.end() == len(m.string) else ""
        low = m.group("low") or m.group("low2")
        lead = f"{n.cardinal(low)} {m.group('to') or 'to'} " if low else ""  # "40-50 mph"
        amount = n.cardinal(m.group("num")) + (m.group("scale") or "")  # "2 million gal"
        rate = " per " in unit.singular  # "speeds of 120 km/h": a rate after "of" is an amount
        modifier = c.is_adjective(m) if rate else c.is_modifier(m, glued=m.group("g") is not None)
        if m.group("sep") == "-" or modifier:  # "a 5-km race", "155mm shells"
            return f"{lead}{amount}-{unit.singular}{stop}"
        plural = low or m.group("scale") or not n.is_one(m.group("num"))
        return f"{lead}{amount} {unit.plural if plural else unit.singular}{stop}"

    return pattern, say


def fraction_unit_rule() -> c.Rule:
    """A fraction before a unit: "4 1/2 lbs" -> "four and a half pounds", "3/4 in." -> "three quarters of an inch"."""
    units: dict[str, c.Unit] = c.data()["units"]
    names = c.alternation([u for u, d in units.items() if d.glued != "only"]) + r"|in(?=\.)"
    pattern = re.compile(
        rf"(?<![\w./])(?:(?P<whole>\d+)\s)?(?P<top>\d{{1,2}})/(?P<bottom>\d{{1,2}})\s?(?P<unit>{names})"
        rf"(?P<dot>(?<=[a-z])\.(?!\w))?(?![\w/²])"
    )

    def say(m: re.Match[str]) -> str:
        top, bottom, whole = m.group("top"), m.group("bottom"), m.group("whole")
        if not 0 < int(top) < int(bottom) <= 16:
            return m.group(0)
        unit = units[m.group("unit")]
        stop = "." if m.group("dot") and m.end() == len(m.string) else ""
        part = n.fraction(top, bottom).split(" ", 1)[1]
        if whole:
            return f"{n.cardinal(whole)} and {'a' if top == '1' else n.cardinal(top)} {part} {unit.plural}{stop}"
        if top == "1":  # "a half inch", "an eighth inch": the article goes with the fraction
            return f"{with_article(f'{part} {unit.singular}')}{stop}"
        return f"{n.cardinal(top)} {part} of {with_article(unit.singular)}{stop}"

    return pattern, say


def say_feet_and_inches(m: re.Match[str]) -> str:
    """ "6 ft 2 in" -> "six feet two inches"; "5'11\"" -> "five feet eleven inches"."""
    feet, inches = m.group("ft"), m.group("in")
    return f"{n.cardinal(feet)} {'foot' if feet == '1' else 'feet'} {n.cardinal(inches)} {'inch' if inches == '1' else 'inches'}"


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
