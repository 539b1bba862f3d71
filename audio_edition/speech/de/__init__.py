"""German news text as a German newsreader says it.

`normalize(text)` rewrites one sentence as written into what espeak-ng's German
voice should be given. espeak-ng reads German cardinals and decimals itself
("1.500", "3,5"); what it gets wrong is left to these rules, in this order:

- abbreviations (data/de/abbreviations.tsv): "z. B.", "Dr.", "Nr.", "1,5 Mio."
- numeric dates ("24.12.2024") and dotted ordinals ("am 3. März", "der 2.
  Weltkrieg", "zum 50. Mal"), inflected as the word before them asks
  ("der dritte", "am dritten", "Montag, sechster Oktober")
- regnal numbers ("Wilhelm II." -> "Wilhelm der Zweite")
- clock times ("14:05 Uhr" -> "vierzehn Uhr fünf")
- decades and years ("1990er" -> "neunziger", "1989" -> "neunzehnhundertneunundachtzig")
- money and units after a number (data/de/units.tsv): "12,99 €" -> "zwölf Euro
  neunundneunzig", "15 km/h", "-5 °C"
- ranges with a dash ("5–7" -> "5 bis 7")
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from num2words import num2words

from audio_edition.speech.en import prepare
from audio_edition.speech.intro import wording
from audio_edition.speech.tables import (
    Rule,
    Unit,
    abbreviation_rules,
    apply,
    currency_first,
    decimal_words,
    full_year,
    minus,
    ranges,
    roman,
    units,
)

__all__ = ["normalize"]

DATA = Path(__file__).resolve().parent.parent / "data" / "de"


def _sections(name: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("# Words "):
            current = found.setdefault(line[2:].split(" (")[0], [])
        elif line.startswith("#") and line.strip() != "#":
            current = None
        elif line.strip() and current is not None:
            current.append(line.strip().lower())
    return found


def _units() -> dict[str, Unit]:
    return units("de")


_CURRENCIES = ("€", "EUR", "$", "US-$", "USD", "£", "GBP", "CHF", "¥", "₽", "₴")

# ------------------------------------------------------------------ numbers


def cardinal(n: int) -> str:
    return str(num2words(n, lang="de"))


def ordinal(n: int, ending: str) -> str:
    """ "dritte" + ending ("", "n", "r", "s")."""
    return str(num2words(n, lang="de", to="ordinal")) + ending


def year(n: int) -> str:
    return str(num2words(n, lang="de", to="year"))


_STRONG = {"der", "die", "das", "ins", "ans", "jede", "jedes", "diese", "dieses", "ihre", "seine", "unsere", "eine"}
"""Words after which an ordinal ends in -e: "der dritte", "die dritte Liga", "ins dritte Jahr"."""
_NOMINATIVE = {"", ",", ":", "(", "-", "–"}
"""Nothing or punctuation before the ordinal: a date on its own, "Montag, sechster Oktober"."""


_PREPOSITIONS = {"in", "an", "auf", "mit", "von", "zu", "bei", "nach", "aus", "seit", "unter", "vor", "hinter",
                 "neben", "über", "zwischen", "gegenüber", "während", "wegen", "trotz", "innerhalb", "außerhalb"}  # fmt: skip
"""Before "der", these make it dative or genitive: "in der dritten Liga", not "in der dritte"."""


def _ending(before: str, two_before: str = "") -> str:
    """The ordinal's ending after `before` (the word or mark in front of it, lower case) and the word
    before that."""
    if before == "der" and two_before in _PREPOSITIONS:
        return "n"
    if before in _STRONG:
        return ""
    if before in _NOMINATIVE:
        return "r"
    return "n"


_WORDS_BEFORE = re.compile(r"(?:(\w+)\s+)?(\w+|[,:(–-])\s*$")


def _before(text: str, at: int) -> str:
    m = _WORDS_BEFORE.search(text[max(0, at - 40) : at])
    return (m.group(2) or "").lower() if m else ""


def _ending_at(text: str, at: int) -> str:
    """The ordinal's ending for a number at `at` in `text`, from the one or two words before it."""
    m = _WORDS_BEFORE.search(text[max(0, at - 40) : at])
    if m is None:
        return _ending("")
    return _ending((m.group(2) or "").lower(), (m.group(1) or "").lower())


# ------------------------------------------------------------------ the rules


@lru_cache(maxsize=1)
def _months() -> tuple[str, ...]:
    return wording("de").months


@lru_cache(maxsize=1)
def _month_pattern() -> str:
    short = sorted({m[:3] for m in _months()} - set(_months()) | {"Sept"}, key=len, reverse=True)
    full = sorted(_months(), key=len, reverse=True)
    return "|".join([*(re.escape(n) + r"\b" for n in full), *(re.escape(n) + r"\b\.?" for n in short)])


def _month(name: str) -> str:
    name = name.rstrip(".")
    for full in _months():
        if full == name or full[:3] == name or (name == "Sept" and full == "September"):
            return full
    return name


@lru_cache(maxsize=1)
def _ordinal_words() -> tuple[frozenset[str], frozenset[str]]:
    found = _sections("ordinals.txt")
    return frozenset(found.get("Words before an ordinal", [])), frozenset(found.get("Words after an ordinal", []))


def _say_numeric_date(m: re.Match[str]) -> str:
    day, month = int(m.group("d")), int(m.group("m"))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return m.group()
    text = f"{ordinal(day, _ending_at(m.string, m.start()))} {_months()[month - 1]}"
    if m.group("y"):
        text += f" {year(full_year(m.group('y')))}"
    return text


def _say_day_month(m: re.Match[str]) -> str:
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        return m.group()
    return f"{ordinal(day, _ending_at(m.string, m.start()))} {_month(m.group('mon'))}"


def _say_ordinal(m: re.Match[str]) -> str:
    before_words, after_words = _ordinal_words()
    before = _before(m.string, m.start())
    after = re.match(r"[^\W\d_]+", m.string[m.end() :].lstrip())
    if before == "als":  # "kam als 3. ins Ziel": the ordinal is the noun
        return ordinal(int(m.group("n")), "r").capitalize() + " "
    if before not in before_words and not (after and after.group().lower() in after_words):
        return m.group()
    return ordinal(int(m.group("n")), _ending_at(m.string, m.start())) + " "


_CASE_ARTICLE = {"unter": "dem", "von": "dem", "mit": "dem", "bei": "dem", "nach": "dem", "seit": "dem"}


def _say_regnal(m: re.Match[str]) -> str:
    n = roman(m.group("r"))
    if n is None:
        return m.group()
    before = _before(m.string, m.start())
    feminine = m.group("name").endswith(("a", "e", "th")) and m.group("name") not in ("Benedikte",)
    if before in _CASE_ARTICLE:
        article, ending = ("der" if feminine else "dem"), "n"
    else:
        article, ending = ("die" if feminine else "der"), ""
    word = ordinal(n, ending)
    return f"{m.group('name')} {article} {word[0].upper()}{word[1:]}"


def _say_time(m: re.Match[str]) -> str:
    hour, minute = int(m.group("h")), int(m.group("min") or 0)
    if hour > 24 or minute > 59:
        return m.group()
    said = "ein" if hour == 1 else cardinal(hour)
    return f"{said} Uhr" + (f" {cardinal(minute)}" if minute else "")


_TENS = {2: "zwanziger", 3: "dreißiger", 4: "vierziger", 5: "fünfziger", 6: "sechziger", 7: "siebziger",
         8: "achtziger", 9: "neunziger"}  # fmt: skip


def _say_decade(m: re.Match[str]) -> str:
    value = int(m.group("y"))
    tens = (value % 100) // 10
    if tens in _TENS:
        return _TENS[tens]
    return year(value) + "er"


def _say_year(m: re.Match[str]) -> str:
    return year(int(m.group()))


def _say_unit(m: re.Match[str]) -> str:
    unit = _units()[m.group("u")]
    n = m.group("n")
    sign = "minus " if m.group("sign") else ""
    return f"{sign}{n} {unit.singular if n == '1' else unit.plural}"


_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"


@lru_cache(maxsize=1)
def _rules() -> list[Rule]:
    months = _month_pattern()
    currency = "|".join(re.escape(c) for c in sorted(_CURRENCIES, key=len, reverse=True))
    units = "|".join(re.escape(u) for u in sorted(set(_units()) - set(_CURRENCIES), key=len, reverse=True))
    scale = r"Millionen|Milliarden|Million|Milliarde|Tausend|Billionen"
    return [
        *abbreviation_rules("de", one="1|eine?"),
        (re.compile(r"(?<![\d.,])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?:(?P<y>\d{4}|\d{2})(?![\d.,]\d))?(?![\d,])"),
         _say_numeric_date),
        (re.compile(rf"(?<![\d.,])(?P<d>\d{{1,2}})\.\s*(?P<mon>{months})"), _say_day_month),
        (re.compile(r"(?<![\d.,])(?P<n>\d{1,3})\.\s+(?=[^\W\d_])"), _say_ordinal),
        (re.compile(r"\b(?P<name>[A-ZÄÖÜ][a-zäöüß]+)\s+(?P<r>[IVXLC]{1,6})\.?(?=[\s,;:]|$)"), _say_regnal),
        (re.compile(r"(?<![\d.,:])(?P<h>[01]?\d|2[0-4])(?:[:.](?P<min>[0-5]\d))?\s*Uhr\b"), _say_time),
        (re.compile(r"\b(?P<pre>um|gegen|ab|bis|seit|von) (?P<h>[01]?\d|2[0-4])[:.](?P<min>[0-5]\d)(?![\d.,:])"),
         lambda m: f"{m.group('pre')} {_say_time(m)}"),
        (re.compile(r"(?<![\d.,])(?P<y>1[1-9]\d0|20[0-9]0)er(?=[\s-]|$)-?"), lambda m: _say_decade(m) + " "),
        currency_first(currency, _NUMBER),
        (re.compile(rf"(?<![\d.,])(?P<n>{_NUMBER})(?:,-)?\s?(?:(?P<scale>{scale})\s)?(?P<cur>{currency})(?!\w)"),
         _say_money),
        (re.compile(rf"(?P<sign>(?<![\w,.]\s)(?<![\w,.])[-–−]\s?)?(?<![\d.,])(?P<n>{_NUMBER})\s?(?P<u>{units})(?![\w²³/])"),
         _say_unit),
        (re.compile(rf"(?<![\d.,])(?P<n>{_NUMBER})\s(?P<word>Euro|Dollar|Franken|Pfund)\b"), _say_amount_in_words),
        ranges("bis"),
        (re.compile(r"(?<=\s)[–—](?=\s)"), lambda m: ","),
        (re.compile(r"(?<![\d.,])1[1-9]\d\d(?![\d.,]\d)(?!\s?(?:%|€|Euro|Prozent|Dollar|Menschen|Personen))"),
         _say_year),
        (re.compile(r"(?<=[a-zäöüß])str\.(?=[\s,;:]|$)"), lambda m: "straße"),
        minus("minus"),
        (re.compile(rf"(?<![\d.,])(?:{_NUMBER})(?![\d])"), lambda m: number_words(m.group())),
    ]  # fmt: skip


def number_words(written: str) -> str:
    """A number as German writes it ("312.000", "3,5", "110") in words ("dreihundertzwölftausend",
    "drei Komma fünf", "hundertzehn"); the digits after the comma one by one."""
    return decimal_words(written, ".", "Komma", cardinal, digits=True)


def _say_amount_in_words(m: re.Match[str]) -> str:
    """ "4,50 Euro" -> "4 Euro fünfzig"; other amounts as written."""
    whole, _, cents = m.group("n").partition(",")
    if len(cents) == 2 and cents != "00":
        return f"{'ein' if whole == '1' else whole} {m.group('word')} {cardinal(int(cents))}"
    if cents == "00":
        return f"{whole} {m.group('word')}"
    return m.group()


def _say_money(m: re.Match[str]) -> str:
    unit = _units()[m.group("cur")]
    n, scale = m.group("n"), m.group("scale")
    if scale:
        return f"{n} {scale} {unit.plural}"
    whole, _, cents = n.partition(",")
    if cents and cents != "00" and unit.minor and len(cents) == 2:
        main = unit.singular if whole == "1" else unit.plural
        return f"{'ein' if whole == '1' else whole} {main} {cardinal(int(cents))}"
    if cents in ("", "00"):
        return f"{whole} {unit.singular if whole == '1' else unit.plural}"
    return f"{n} {unit.plural}"


def normalize(text: str) -> str:
    """One German sentence as written -> what the German voice is given."""
    return " ".join(apply(prepare(text), _rules()).split())
