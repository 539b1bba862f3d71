"""French news text as a French newsreader says it.

`normalize(text)` rewrites one sentence as written into what espeak-ng's French
voice should be given, in this order:

- abbreviations (data/fr/abbreviations.tsv): "M. Dupont", "Mme", "n° 5", "av. J.-C.", "St-Denis"
- ordinals: "1er", "1re", "2e", "XXe siècle", "Ve République", "François Ier"
- regnal numbers: "Louis XIV" -> "Louis quatorze"
- clock times: "14 h 30", "14h30", "8 h" -> "quatorze heures trente"
- numeric dates: "24/12/2024" -> "vingt-quatre décembre deux mille vingt-quatre"
- money and units after a number (data/fr/units.tsv): "12,99 €" -> "douze euros quatre-vingt-dix-neuf",
  "−5 °C" -> "moins cinq degrés Celsius"
- numbers in words, thousands grouped by spaces ("1 500") and decimals after a comma ("3,5")
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

from audio_edition.speech.en import prepare
from audio_edition.speech.intro import wording
from audio_edition.speech.tables import (
    CAPITAL,
    Rule,
    abbreviation_rules,
    alternation,
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

NUMBER = r"\d{1,3}(?: \d{3})+(?:,\d+)?|\d+(?:,\d+)?"
"""A number as French writes it: 1 500 (a space between thousands), 3,5."""


def cardinal(n: int) -> str:
    return str(num2words(n, lang="fr"))


def ordinal(n: int, feminine: bool = False) -> str:
    if n == 1:
        return "première" if feminine else "premier"
    return str(num2words(n, lang="fr", to="ordinal"))


def number_words(written: str) -> str:
    """ "1 500" -> "mille cinq cents"; "3,5" -> "trois virgule cinq"; "0,25" -> "zéro virgule vingt-cinq"."""
    return decimal_words(written, " ", "virgule", cardinal, digits=False)


def _say_ordinal(m: re.Match[str]) -> str:
    n = int(m.group("n")) if m.group("n") else roman(m.group("r") or "")
    if n is None:
        return m.group()
    if n == 2 and m.group("suffix").startswith("nd"):
        return "seconde" if m.group("suffix").startswith("nde") else "second"
    return ordinal(n, feminine=m.group("suffix") in ("re", "ère"))


def _say_regnal(m: re.Match[str]) -> str:
    n = roman(m.group("r"))
    if n is None:
        return m.group()
    return f"{m.group('name')} {'premier' if n == 1 else cardinal(n)}"


def _say_time(m: re.Match[str]) -> str:
    hour, minute = int(m.group("h")), int(m.group("min") or 0)
    if hour > 24 or minute > 59:
        return m.group()
    said = (
        "une heure"
        if hour == 1
        else f"{cardinal(hour).removesuffix('un') + 'une' if hour % 10 == 1 else cardinal(hour)} heures"
    )
    return said + (f" {cardinal(minute)}" if minute else "")


def _say_date(m: re.Match[str]) -> str:
    day, month, year = int(m.group("d")), int(m.group("m")), m.group("y")
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return m.group()
    said = f"{'premier' if day == 1 else cardinal(day)} {wording('fr').months[month - 1]}"
    if year:
        said += f" {cardinal(full_year(year))}"
    return said


def _say_money(m: re.Match[str]) -> str:
    unit = units("fr")[m.group("cur")]
    whole, _, cents = m.group("n").replace(" ", "").partition(",")
    main = unit.singular if int(whole) < 2 else unit.plural
    if m.group("n") == "1":
        return f"un {unit.singular}"
    if cents and len(cents) == 2 and unit.minor:
        return f"{number_words(whole)} {main}" + (f" {cardinal(int(cents))}" if int(cents) else "")
    return f"{number_words(m.group('n'))} {unit.singular if m.group('n') in ('0', '1') else unit.plural}"


def _say_unit(m: re.Match[str]) -> str:
    unit = units("fr")[m.group("u")]
    n = m.group("n")
    single = float(n.replace(" ", "").replace(",", ".")) < 2  # French: "1,5 kilomètre"
    sign = "moins " if m.group("sign") else ""
    return f"{sign}{number_words(n)} {unit.singular if single else unit.plural}"


@lru_cache(maxsize=1)
def _rules() -> list[Rule]:
    table = units("fr")
    currencies = alternation(k for k, u in table.items() if u.minor or k in ("¥",))
    measures = alternation(k for k, u in table.items() if not (u.minor or k in ("¥",)))
    return [
        *abbreviation_rules("fr", one="1|un|une"),
        (re.compile(r"(?<![\w.])(?:(?P<n>\d+)|(?P<r>(?![LC]e)[IVXLC]+))(?P<suffix>ers?|res?|ères?|èmes?|e|es|nds?|ndes?)(?![\w])"),
         _say_ordinal),
        (re.compile(rf"\b(?P<name>[{CAPITAL}][a-zà-ÿ]+)\s+(?P<r>[IVXLC]{{1,6}})(?!\w|\.\w)"), _say_regnal),
        (re.compile(r"(?<![\d,])(?P<h>[01]?\d|2[0-4])\s?h\s?(?P<min>[0-5]\d)?(?![\w])"), _say_time),
        (re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"), _say_date),
        currency_first(currencies, NUMBER),
        (re.compile(rf"(?<![\d,])(?P<n>{NUMBER})\s?(?P<cur>{currencies})(?!\w)"), _say_money),
        (re.compile(rf"(?P<sign>(?:(?<=\s)|^)[-–−]\s?)?(?<![\d,])(?P<n>{NUMBER})\s?(?P<u>{measures})(?![\w²³/])"),
         _say_unit),
        minus("moins"),
        ranges("à"),
        (re.compile(rf"(?<![\d,])(?:{NUMBER})(?!\d)"), lambda m: number_words(m.group())),
    ]  # fmt: skip


def normalize(text: str) -> str:
    """One French sentence as written -> what the French voice is given."""
    return " ".join(apply(prepare(text), _rules()).split())
