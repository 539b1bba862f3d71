"""Spanish news text as a Spanish newsreader says it.

`normalize(text)` rewrites one sentence as written into what espeak-ng's Spanish
voice should be given, in this order:

- abbreviations (data/es/abbreviations.tsv): "Sr.", "Dra.", "EE. UU.", "núm.", "a. C."
- ordinals: "2.º" -> "segundo", "3.ª" -> "tercera", "1.er" -> "primer"
- centuries and regnal numbers: "siglo XXI" -> "siglo veintiuno", "Felipe VI" -> "Felipe sexto",
  "Alfonso XIII" -> "Alfonso trece" (ordinals up to ten, then cardinals)
- numeric dates: "24/12/2024" -> "veinticuatro de diciembre de dos mil veinticuatro"
- clock times: "14:30" -> "catorce treinta"
- money and units after a number (data/es/units.tsv): "12,99 €" -> "doce euros con noventa y nueve",
  "-5 ºC" -> "menos cinco grados"
- numbers in words, thousands grouped by periods ("1.500") and decimals after a comma ("3,5")
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
    rows,
    units,
)

__all__ = ["normalize"]

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
"""A number as Spanish writes it: 1.500 (a period between thousands), 3,5."""


def cardinal(n: int) -> str:
    return str(num2words(n, lang="es"))


def ordinal(n: int, feminine: bool = False, short: bool = False) -> str:
    """ "segundo"; "segunda"; "primer" and "tercer" before a masculine noun when `short`."""
    word = str(num2words(n, lang="es", to="ordinal"))
    if feminine:
        return " ".join(w[:-1] + "a" if w.endswith("o") else w for w in word.split())
    if short and word.endswith(("primero", "tercero")):
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def _masculine_in_a() -> frozenset[str]:
    return frozenset(row[0] for row in rows("es", "masculine_in_a.txt"))


_FEMININE_ENDINGS = ("a", "as", "ción", "ciones", "sión", "siones", "dad", "dades", "tad", "tades", "tud", "tudes",
                     "umbre", "umbres", "ez")  # fmt: skip
_NOT_NOUNS = frozenset(
    [
        "de",
        "del",
        "y",
        "o",
        "u",
        "e",
        "a",
        "al",
        "en",
        "por",
        "para",
        "con",
        "que",
        "se",
        "sin",
        "entre",
        "como",
        "más",
        "menos",
    ]
)


def _gender(noun: str) -> str | None:
    """ "f" or "m" for a noun a number counts; None when the next word is no noun ("de", end of text)."""
    noun = noun.lower()
    if not noun.isalpha() or noun in _NOT_NOUNS:
        return None
    if noun in _masculine_in_a() or noun in ("millón", "millones", "mil"):
        return "m"
    return "f" if noun.endswith(_FEMININE_ENDINGS) else "m"


def agree(said: str, gender: str | None) -> str:
    """Number words agreeing with the noun they count: "trescientas hectáreas", "veintiún jugadores",
    "cincuenta y un euros", "veintiuna diputadas"; as they are before anything else."""
    if gender is None:
        return said
    words = said.split()
    if gender == "f":
        # Before "mil", hundreds and ones agree too ("doscientas mil personas"); before "millones" not.
        cut = words.index("millones") if "millones" in words else words.index("millón") if "millón" in words else -1
        head, tail = words[: cut + 1], words[cut + 1 :]
        tail = [w[:-6] + "ientas" if w.endswith("ientos") else w[:-1] + "a" if w.endswith("uno") else w for w in tail]
        words = head + tail
    elif words[-1].endswith("uno"):
        words[-1] = "veintiún" if words[-1] == "veintiuno" else words[-1][:-1]
    return " ".join(words)


def _next_word(text: str, at: int) -> str:
    m = re.match(r"\s*([^\W\d_]+)", text[at:])
    return m.group(1) if m else ""


def number_words(written: str) -> str:
    """ "1.500" -> "mil quinientos"; "3,5" -> "tres coma cinco"."""
    return decimal_words(written, ".", "coma", cardinal, digits=False)


def _say_ordinal(m: re.Match[str]) -> str:
    n, mark = int(m.group("n")), m.group("mark")
    return ordinal(n, feminine=mark in ("ª", "a"), short=mark == "er")


def _say_century(m: re.Match[str]) -> str:
    n = roman(m.group("r"))
    return m.group() if n is None else f"{m.group('word')} {cardinal(n)}"


_WOMEN = ("reina", "la", "princesa", "infanta", "emperatriz", "santa", "doña")


def _say_regnal(m: re.Match[str]) -> str:
    n = roman(m.group("r"))
    if n is None:
        return m.group()
    before = re.search(r"(\w+)\s*$", m.string[: m.start()])
    feminine = m.group("name").endswith("a") or (before is not None and before.group(1).lower() in _WOMEN)
    return f"{m.group('name')} {ordinal(n, feminine) if n <= 10 else cardinal(n)}"


def _say_time(m: re.Match[str]) -> str:
    hour, minute = int(m.group("h")), int(m.group("min"))
    if hour > 24 or minute > 59:
        return m.group()
    said = agree(cardinal(hour), "f")  # la una, las veintiuna (horas)
    if minute == 0:
        return said
    return f"{said} {cardinal(minute)}" if minute >= 10 else f"{said} cero {cardinal(minute)}"


def _say_date(m: re.Match[str]) -> str:
    day, month, year = int(m.group("d")), int(m.group("m")), m.group("y")
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return m.group()
    said = f"{cardinal(day)} de {wording('es').months[month - 1]}"
    if year:
        said += f" de {cardinal(full_year(year))}"
    return said


def _say_money(m: re.Match[str]) -> str:
    unit = units("es")[m.group("cur")]
    whole, _, cents = m.group("n").replace(".", "").partition(",")
    main = unit.singular if whole == "1" else unit.plural
    count = agree(number_words(whole), _gender(main.split()[0]))
    if cents and len(cents) == 2 and unit.minor:
        return f"{count} {main}" + (f" con {cardinal(int(cents))}" if int(cents) else "")
    if cents:
        return f"{number_words(m.group('n'))} {unit.plural}"
    return f"{count} {main}"


def _say_unit(m: re.Match[str]) -> str:
    unit = units("es")[m.group("u")]
    n = m.group("n")
    sign = "menos " if m.group("sign") else ""
    name = unit.singular if n == "1" else unit.plural
    said = number_words(n) if "," in n else agree(number_words(n), _gender(name.split()[0]))
    return f"{sign}{said} {name}"


def _say_number(m: re.Match[str]) -> str:
    said = number_words(m.group())
    return said if "," in m.group() else agree(said, _gender(_next_word(m.string, m.end())))


@lru_cache(maxsize=1)
def _rules() -> list[Rule]:
    table = units("es")
    currencies = alternation(k for k, u in table.items() if u.minor or k in ("¥",))
    measures = alternation(k for k, u in table.items() if not (u.minor or k in ("¥",)))
    return [
        *abbreviation_rules("es", one="1|un|una"),
        (re.compile(r"(?<![\w.])(?P<n>\d{1,3})\.?(?P<mark>er|[ºª°]|(?<=\.)[oa])(?![\w])"), _say_ordinal),
        (re.compile(r"\b(?P<word>[Ss]iglos?)\s+(?P<r>[IVXLC]{1,6})\b"), _say_century),
        (re.compile(rf"\b(?P<name>[{CAPITAL}][a-zá-ú]+)\s+(?P<r>[IVXLC]{{1,6}})(?!\w|\.\w)"), _say_regnal),
        (re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"), _say_date),
        (re.compile(r"(?<![\d.,:])(?P<h>[01]?\d|2[0-4]):(?P<min>[0-5]\d)(?![\d:])"), _say_time),
        (re.compile(r"(?<![\d.,:])(?P<h>[01]?\d|2[0-4])\.(?P<min>[0-5]\d)(?=\s*h)"), _say_time),
        currency_first(currencies, NUMBER),
        (re.compile(rf"(?<![\d,.])(?P<n>{NUMBER})\s?(?P<cur>{currencies})(?!\w)"), _say_money),
        (re.compile(rf"(?P<sign>(?:(?<=\s)|^)[-–−]\s?)?(?<![\d,.])(?P<n>{NUMBER})\s?(?P<u>{measures})(?![\w²³/])"),
         _say_unit),
        minus("menos"),
        ranges("a"),
        (re.compile(rf"(?<![\d,.])(?:{NUMBER})(?!\d)"), _say_number),
    ]  # fmt: skip


def normalize(text: str) -> str:
    """One Spanish sentence as written -> what the Spanish voice is given."""
    return " ".join(apply(prepare(text), _rules()).split())
