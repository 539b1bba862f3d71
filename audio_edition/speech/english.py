"""English news text as a newsreader says it.

`normalize(text)` rewrites one sentence as written into the words a voice
should say: money, numbers, years and decades, dates, times, ranges, units,
fractions, titles and abbreviations, acronyms, regnal and ordinal Roman
numerals, symbols, URLs and e-mail addresses. It is a sequence of passes, each
a regular expression with a function that says the match; the order matters
(money before plain numbers, abbreviations before dotted acronyms) and is the
order of `PASSES`. The word lists are data (`data/en/*.tsv`); this module
holds the rules that use them. Another language is another module like this
one with its own data folder.

Text that needs no change comes out unchanged, apart from spacing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from audio_edition.speech import numbers as n

DATA = Path(__file__).parent / "data" / "en"

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
def _data() -> dict[str, dict]:
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
    }


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip


# ---------------------------------------------------------------- preparation
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2033": '"', "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u2002": " ", "\u2003": " ",
})  # fmt: skip


def prepare(text: str) -> str:
    """Unicode tidied: composed, no control or invisible characters, ASCII quotes and spaces."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_TRANSLATE)
    if text.isascii() and text.isprintable():
        return text
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)


# ---------------------------------------------------------------- the passes
Rule = tuple["re.Pattern[str]", Callable[["re.Match[str]"], str]] | tuple[
    "re.Pattern[str]", Callable[["re.Match[str]"], str], "re.Pattern[str]"
]
"""A pattern, what to say for a match, and optionally a cheap pattern that must be present first."""

_DIGIT = re.compile(r"\d")
_DOT = re.compile(r"\.")
_AT = re.compile("@")
_DASH = re.compile("[-–]")
_CAPS = re.compile("[A-Z]{2}")
_ROMAN_WORD = re.compile(r"\b[IVXL]+\b")


def _when(trigger: "re.Pattern[str]", rules: list[Rule]) -> list[Rule]:
    return [(rule[0], rule[1], trigger) for rule in rules]


def _say_url(m: re.Match[str]) -> str:
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0), flags=re.I).rstrip("/")
    return " " + _say_address(url) + " "


def _say_address(text: str) -> str:
    out = []
    for part in re.split(r"([./@_-])", text):
        word = {".": "dot", "/": "slash", "@": "at", "_": "underscore", "-": "dash"}.get(part)
        if word:
            out.append(word)
        elif part:
            out.append(n.digits(part) if part.isdigit() and len(part) > 4 else part.lower())
    return " ".join(out)


def _money_amount(number: str, scale: str | None, currency: Currency, adjective: bool = False) -> str:
    if scale:
        return f"{n.cardinal(number)} {SCALES[scale.lower()]} {currency.singular if adjective else currency.plural}"
    whole, _, cents = number.replace(",", "").partition(".")
    if len(cents) == 2 and currency.minor_plural:
        main = ""
        if int(whole or 0):
            main = f"{n.cardinal(whole)} {currency.singular if int(whole) == 1 else currency.plural}"
        if int(cents):
            minor = currency.minor_singular if int(cents) == 1 else currency.minor_plural
            tail = f"{n.cardinal(cents.lstrip('0') or '0')} {minor}"
            return f"{main} and {tail}" if main else tail
        return main or f"zero {currency.plural}"
    return f"{n.cardinal(number)} {currency.singular if adjective or n.is_one(number) else currency.plural}"


def _money_rules() -> list[Rule]:
    currencies: dict[str, Currency] = _data()["currencies"]
    symbols = [c for c in currencies if not c.isalpha()]
    codes = [c for c in currencies if c.isalpha()]
    scale = r"(?:\s?(?P<scale{i}>(?i:thousand|million|billion|trillion|mn|mln|bn|tn|trn|[kmb]))\b)?"
    amount1 = rf"(?P<num1>{NUM})" + scale.format(i=1)
    amount2 = rf"(?P<num2>{NUM})" + scale.format(i=2)
    sym = rf"(?P<cur>{_alternation(symbols)})"

    def prefixed(m: re.Match[str]) -> str:
        currency = currencies[m.group("cur")]
        adjective = _is_adjective(m) or m.group("per") is not None  # "a $3 billion-a-year industry"
        first = _money_amount(m.group("num1"), m.group("scale1"), currency, adjective)
        per = " a " if m.group("per") else ""
        if m.group("num2") is None:
            return first + per
        second = _money_amount(m.group("num2"), m.group("scale2") or m.group("scale1"), currency, adjective)
        if not m.group("scale1") and m.group("scale2"):
            first = n.cardinal(m.group("num1"))
        return f"{first} to {second}{per}"

    def code_before(m: re.Match[str]) -> str:
        return _money_amount(m.group("num1"), m.group("scale1"), currencies[m.group("code")])

    def code_after(m: re.Match[str]) -> str:
        return _money_amount(m.group("num1"), m.group("scale1"), currencies[m.group("code")])

    range_tail = rf"(?:\s?(?:-|–|to)\s?(?:{_alternation(symbols)})?\s?{amount2})?(?P<per>-a-(?=\w))?"
    return [
        (re.compile(rf"(?<![\w$]){sym}\s?{amount1}{range_tail}(?![\d,]*\d)"), prefixed),
        (re.compile(rf"\b(?P<code>{_alternation(codes)})\s?{amount1}(?![\d,]*\d)"), code_before),
        (re.compile(rf"(?<![\w.]){amount1}\s(?P<code>{_alternation(codes)})\b"), code_after),
    ]


def _say_percent_range(m: re.Match[str]) -> str:
    return f"{n.cardinal(m.group(1))} to {n.cardinal(m.group(2))} percent"


def _say_percent(m: re.Match[str]) -> str:
    return f"{n.cardinal(m.group(1))} percent"


def _say_temperature(m: re.Match[str]) -> str:
    one = n.is_one(m.group(1).lstrip("-+"))
    degrees = "degree" if one or (not m.group(2) and _is_adjective(m)) else "degrees"  # "a sharp 90° turn"
    scale = {"C": " Celsius", "F": " Fahrenheit", "K": " kelvin"}.get(m.group(2) or "", "")
    return f"{n.cardinal(m.group(1))} {degrees}{scale}"


_ARTICLE_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s+(?:[a-z]+\s+)?$")
_NOUN_AFTER = re.compile(
    r"\s+(?!(?:of|in|on|at|to|from|and|or|per|a|an|the|away|long|high|wide|deep|tall|thick|more|less|than|"
    r"each|every|by|for|with|into|over|under|above|below|was|were|is|are|be|been|has|have|had|will|would|"
    r"could|can|may|might|must|should|shall|did|does|do|he|she|it|they|we|you|i|that|which|who|this|these|"
    r"those|there|here|as|if|but|so|not|last|ago|earlier|later|now|then|too|also|already|yet)\b)[a-z]"
)


def _is_adjective(m: re.Match[str]) -> bool:
    """Whether a measure stands before its noun ("the $2 billion deal", "a 120mm gun")."""
    return (
        _ARTICLE_BEFORE.search(m.string, 0, m.start()) is not None
        and _NOUN_AFTER.match(m.string, m.end()) is not None
    )


def _unit_rule() -> Rule:
    units: dict[str, Unit] = _data()["units"]
    glued = _alternation([u for u, d in units.items() if d.glued in ("yes", "only")])
    spaced = _alternation([u for u, d in units.items() if d.glued in ("yes", "no")])
    pattern = re.compile(
        rf"(?<![\w.,])(?:(?P<low>{NUM})\s?[-–]\s?|(?P<low2>{NUM})\s(?P<to>to|and)\s)?"
        rf"(?P<num>-?{NUM})(?:(?P<g>{glued})|(?P<sep>\s|-)(?P<s>{spaced}))(?![\w/²])"
    )

    def say(m: re.Match[str]) -> str:
        unit = units[m.group("g") or m.group("s")]
        low = m.group("low") or m.group("low2")
        lead = f"{n.cardinal(low)} {m.group('to') or 'to'} " if low else ""  # "40-50 mph"
        if m.group("sep") == "-" or _is_adjective(m):  # "a 5-km race", "the 120mm gun": singular
            return f"{lead}{n.cardinal(m.group('num'))}-{unit.singular}"
        plural = low or not n.is_one(m.group("num"))
        return f"{lead}{n.cardinal(m.group('num'))} {unit.plural if plural else unit.singular}"

    return pattern, say


def _say_clock(hour: int, minute: int, meridiem: str | None) -> str:
    if meridiem:
        words = n.cardinal(str(hour))
        if minute:
            words += (" oh " if minute < 10 else " ") + n.cardinal(str(minute))
        return f"{words} {meridiem[0].upper()}M"
    if minute == 0:
        return f"{n.cardinal(str(hour))} hundred" if hour >= 13 or hour == 0 else f"{n.cardinal(str(hour))} o'clock"
    return n.cardinal(str(hour)) + (" oh " if minute < 10 else " ") + n.cardinal(str(minute))


_TIME_ZONES = {"E": "Eastern", "C": "Central", "M": "Mountain", "P": "Pacific"}
_ZONE_KIND = {"S": " Standard Time", "D": " Daylight Time", "T": ""}


def _say_duration(m: re.Match[str]) -> str:
    """ "2:05:30" -> "two hours, five minutes and thirty seconds"."""
    h, mi, sec = (int(g) for g in m.groups())
    if mi > 59 or sec > 59:
        return m.group(0)
    parts = [f"{n.cardinal(str(v))} {unit}{'' if v == 1 else 's'}" for v, unit in ((h, "hour"), (mi, "minute"), (sec, "second")) if v]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else "zero seconds"


def _say_military(m: re.Match[str]) -> str:
    """ "0600 hours" -> "oh six hundred hours"; "1430 hours" -> "fourteen thirty hours"."""
    hour, minute = m.group(1), int(m.group(2))
    said = ("oh " + n.cardinal(hour[1])) if hour[0] == "0" else n.cardinal(hour)
    return f"{said} hundred" if minute == 0 else f"{said} {'oh ' if minute < 10 else ''}{n.cardinal(str(minute))}"


def _say_time(m: re.Match[str]) -> str:
    hour = int(m.group("h"))
    minute = int(m.group("m") or 0)
    if hour > 24 or minute > 59:
        return m.group(0)
    meridiem = (m.groupdict().get("ap") or "").replace(".", "").replace(" ", "").lower() or None
    spoken = _say_clock(hour, minute, meridiem)
    zone = m.groupdict().get("tz")
    if zone:
        spoken += " " + _TIME_ZONES[zone[0]] + _ZONE_KIND[zone[-1]]
    # A sentence-final "p.m." carried the full stop; keep it.
    return spoken + ("." if m.group(0).endswith("m.") and m.end() == len(m.string) else "")


def _date_rules() -> list[Rule]:
    months: dict[str, int] = _data()["months"]
    names = _alternation(list(months))
    mon = rf"(?P<mon>{names})\b\.?"

    def month(m: re.Match[str]) -> str:
        return MONTH_NAMES[months[m.group("mon")] - 1]

    def month_day_year(m: re.Match[str]) -> str:
        day = int(m.group("day"))
        if not 1 <= day <= 31:
            return m.group(0)
        out = f"{month(m)} {n.ordinal(str(day))}"
        if m.group("year"):
            out += f", {n.year(m.group('year'))}"
        return out

    def day_month_year(m: re.Match[str]) -> str:
        day = int(m.group("day"))
        if not 1 <= day <= 31:
            return m.group(0)
        the = "" if re.search(r"\b[Tt]he\s+$", m.string[: m.start()]) else "the "
        out = f"{the}{n.ordinal(str(day))} of {month(m)}"
        if m.group("year"):
            out += f" {n.year(m.group('year'))}"
        return out

    def month_year(m: re.Match[str]) -> str:
        return f"{month(m)} {n.year(m.group('year'))}"

    year = r"(?P<year>1[0-9]\d\d|20\d\d)"
    return [
        (re.compile(rf"\b{mon}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:\d|\.\d|,\d{{3}})(?:,?\s+{year}\b)?"),
         month_day_year, _DIGIT),
        (re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{mon}(?:,?\s+{year}\b)?"), day_month_year,
         _DIGIT),
        (re.compile(rf"\b{mon},?\s+{year}\b"), month_year, _DIGIT),
        # "Sept." on its own, a month abbreviation with its full stop.
        (re.compile(rf"\b(?P<mon>{_alternation([k for k in months if len(k) <= 4 and k != 'May'])})\.(?=\s|$)"),
         month),
    ]


def _say_decade(m: re.Match[str]) -> str:
    return n.decade(m.group(1))


def _say_year_range(m: re.Match[str]) -> str:
    start, end = m.group(1), m.group(2)
    if len(end) == 2:
        end = start[:2] + end
        if int(end) < int(start):
            return m.group(0)
    return f"{n.year(start)} to {n.year(end)}"


def _say_range(m: re.Match[str]) -> str:
    if m.group(1) == m.group(2) and "-" in m.group(0):  # "a 50-50 chance"
        return f"{_say_number(m.group(1))}-{_say_number(m.group(2))}"
    return f"{_say_number(m.group(1))} to {_say_number(m.group(2))}"


_SPECIAL_FRACTIONS = {"9/11": "nine eleven", "24/7": "twenty-four seven", "50/50": "fifty-fifty",
                      "20/20": "twenty twenty", "7/7": "seven seven"}  # fmt: skip


def _say_fraction(m: re.Match[str]) -> str:
    whole, top, bottom = m.group(1), m.group(2), m.group(3)
    if f"{top}/{bottom}" in _SPECIAL_FRACTIONS and not whole:
        return _SPECIAL_FRACTIONS[f"{top}/{bottom}"]
    if not (0 < int(top) < int(bottom) <= 16):
        return f"{n.cardinal(top)} {n.cardinal(bottom)}" if not whole else m.group(0)
    spoken = n.fraction(top, bottom)
    if whole:
        spoken = f"{n.cardinal(whole)} and {'a' if top == '1' else n.cardinal(top)} {spoken.split(' ', 1)[1]}"
    return spoken


def _spell_model(prefix: str) -> str:
    return spell(prefix) if len(prefix) == 1 else prefix.rstrip()


def _say_us_date(m: re.Match[str]) -> str:
    """ "on 3/14" -> "on March fourteenth" (month first, as US news writes it)."""
    preposition = m.group(0).split()[0]
    return f"{preposition} {MONTH_NAMES[int(m.group(1)) - 1]} {n.ordinal(m.group(2))}"


def _say_number(text: str) -> str:
    """A bare number: four digits in 1100-2099 read as a year, leading zeros digit by digit."""
    plain = text.replace(",", "")
    if re.fullmatch(r"0\d+", plain):
        return n.digits(plain)
    if "," not in text and re.fullmatch(r"1\d\d\d|20\d\d", plain) and not plain.endswith("000"):
        return n.year(plain)
    return n.cardinal(text)


_ROMAN_NUMERAL = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _roman_value(text: str) -> int:
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=True):
        value = _ROMAN_VALUES[a]
        total += -value if b != " " and _ROMAN_VALUES[b] > value else value
    return total


CARDINAL_ROMAN_CONTEXT = ("World War", "Chapter", "Part", "Phase", "Volume", "Act", "Title", "Article", "Book",
                          "Section", "Stage", "Class", "Category", "Apollo", "Round", "Season", "Series",
                          "Super Bowl", "Schedule", "Vatican", "Gemini", "Type", "Episode", "Level")  # fmt: skip
"""Roman numerals after these are cardinals ("World War II" -> "two"); after a name, ordinals."""


REGNAL_NAMES = [
    "Henry", "Elizabeth", "Charles", "George", "Edward", "William", "James", "Richard", "Louis", "Philip",
    "Felipe", "Juan Carlos", "Mary", "Victoria", "Anne", "John", "Stephen", "Pius", "Benedict", "Gregory", "Leo",
    "Innocent", "Clement", "Urban", "Boniface", "Paul", "John Paul", "Frederick", "Ferdinand", "Alexander",
    "Nicholas", "Peter", "Ivan", "Catherine", "Napoleon", "Ramses", "Rama", "Carl", "Gustaf", "Harald", "Olav",
    "Haakon", "Willem", "Constantine", "Mohammed", "Hussein", "Abdullah", "Franz", "Wilhelm", "Ludwig", "Otto",
    "Isabella", "Margrethe", "Frederik", "Christian", "Umberto", "Victor Emmanuel", "Akihito",
]  # fmt: skip
"""Monarchs' and popes' names: a Roman numeral after one is an ordinal, even "I" or "V"."""


def _say_roman_cardinal(m: re.Match[str]) -> str:
    if not _ROMAN_NUMERAL.match(m.group(2)):
        return m.group(0)
    return f"{m.group(1)} {n.cardinal(str(_roman_value(m.group(2))))}"


def _say_regnal(m: re.Match[str]) -> str:
    numeral = m.group(2)
    if not _ROMAN_NUMERAL.match(numeral):
        return m.group(0)
    return f"{m.group(1)} the {n.ordinal(str(_roman_value(numeral))).capitalize()}"


def _abbreviation_rules() -> list[Rule]:
    table: dict[str, tuple[str, str]] = _data()["abbreviations"]
    titles = [a for a, (_, where) in table.items() if where == "title"]
    anywhere = [a for a, (_, where) in table.items() if where == "any"]

    def expand(m: re.Match[str]) -> str:
        word = table[m.group("abbr")][0]
        return word + ("." if m.end() == len(m.string) else "")

    return [
        (re.compile(rf"(?<![\w.])(?P<abbr>{_alternation(titles)})(?=\s+[A-Z\d\ue000-\uf8ff])"), expand),
        (re.compile(rf"(?<![\w.])(?P<abbr>{_alternation(anywhere)})(?![\w])"), expand),
    ]


def _say_saint_or_street(m: re.Match[str]) -> str:
    """ "St. Louis" -> "Saint Louis"; "Main St." and "42nd St. station" -> "Street"."""
    prev, word = m.group("prev"), m.group("word")
    lead = f"{prev} " if prev else ""
    street = prev is not None and prev[0].isdigit()
    if word is None or street:
        tail = f" {word}" if word else ("." if m.end() == len(m.string) else "")
        return f"{lead}Street{tail}"
    return f"{lead}Saint {word}"


def _say_doctor_or_drive(m: re.Match[str]) -> str:
    if m.group("word"):
        return f"Doctor {m.group('word')}"
    return "Drive" + ("." if m.end() == len(m.string) else "")


def _say_dotted(m: re.Match[str]) -> str:
    letters = " ".join(ch.upper() for ch in m.group(0) if ch.isalpha())
    return letters + ("." if m.end() == len(m.string) else "")


def spell(letters: str) -> str:
    """Letters said one by one: "WHO" -> "W-H-O".

    espeak-ng reads hyphen-joined capitals as letter names, except a lone "A"
    after the first letter, which it reads as the article; "eigh" is that
    letter's name in a spelling it cannot mistake.
    """
    if letters.upper() == "A":
        return "eigh"
    return "-".join(ch if i == 0 or ch != "A" else "eigh" for i, ch in enumerate(letters.upper()))


def _say_acronym(m: re.Match[str]) -> str:
    """Capitals as the acronym list says; unlisted ones are left to the voice (espeak-ng spells them)."""
    word = m.group(0)
    how = _data()["acronyms"]
    plural = word.endswith("s") and word[:-1].isupper()
    stem = word[:-1] if plural else word
    decision = how.get(word) or how.get(stem)
    if decision != "spell":
        return word
    return spell(stem) + ("'s" if plural else "")


def _build() -> list[Rule]:
    rules: list[Rule] = [
        # Addresses first: they hold dots, digits and symbols the other passes would take apart.
        (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), lambda m: " " + _say_address(m.group(0)) + " ", _AT),
        (re.compile(r"\b(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|io|co|uk|de|fr"
                    r"|info|news|ai|app|dev|eu|us|ca|au|int|mil|tv|me|ly)\b(?:/[\w\-./%?=&#~]*[\w/])?", re.I),
         _say_url, _DOT),
        (re.compile(r"~(?=\s?[\d$€£¥])"), lambda m: "about ", _DIGIT),
        (re.compile(r"(?<![\w&])#(?=\d)"), lambda m: "number ", _DIGIT),
        (re.compile(r"(?<![\w&])#(?=[A-Za-z])"), lambda m: "hashtag "),
        (re.compile(r"\b(No|Nos|no|nos)\.\s?(?=\d)"), lambda m: "number " if m.group(1).lower() == "no" else "numbers ", _DIGIT),
        (re.compile(r"\b([A-Z]{1,3})&([A-Z]{1,3})\b"), lambda m: f"{spell(m.group(1))} and {spell(m.group(2))}"),
        *_when(_DIGIT, _money_rules()),
        (re.compile(rf"(?<![\w.])(-?{NUM})\s?(?:-|–|to)\s?(-?{NUM})\s?(?:%|percent\b|per cent\b)"),
         _say_percent_range, _DIGIT),
        (re.compile(rf"(?<![\w.])(-?{NUM})\s?(?:%|percent\b|per cent\b)"), _say_percent, _DIGIT),
        (re.compile(rf"(?<![\w.])([-+]?{NUM})\s?°(?:\s?([CFK])\b)?"), _say_temperature, _DIGIT),
        (re.compile(rf"(?<![\w.])([-+]?\d{{1,2}}(?:\.\d)?)([CF])\b"), _say_temperature),
        _unit_rule(),
        (re.compile(r"(?<![\w:.])(\d{1,2}):(\d{2}):(\d{2})(?![\d:])"), _say_duration, _DIGIT),
        (re.compile(r"\b([01]\d|2[0-3])([0-5]\d)(?=\s+hours\b)"), _say_military, _DIGIT),
        (re.compile(r"(?<![\w:.])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s?(?P<ap>[aApP]\.\s?[mM]\.|[aApP][mM]\b)"
                    r"(?:\s(?P<tz>ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT)\b)?"), _say_time, _DIGIT),
        (re.compile(r"(?<![\w:.])(?P<h>\d{1,2}):(?P<m>\d{2})(?![\d:])"), _say_time, _DIGIT),
        (re.compile(r"(?<![\w:.])(\d{1,3}):(\d{1,3})(?![\d:])"), lambda m: f"{n.cardinal(m.group(1))} to {n.cardinal(m.group(2))}", _DIGIT),
        *_date_rules(),
        (re.compile(r"(?<![\w'])'(\d0)s\b"), _say_decade, _DIGIT),
        (re.compile(r"\b(1[0-9]\d0|20\d0|\d0)'?s\b"), _say_decade, _DIGIT),
        (re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b"), lambda m: n.ordinal(m.group(1)), _DIGIT),
        (re.compile(r"(?<![\w.,-])(1[1-9]\d\d|20\d\d)\s?[-–]\s?(1[1-9]\d\d|20\d\d|\d\d)(?![\w.,]?\d)"), _say_year_range, _DIGIT),
        (re.compile(rf"(?<![\w.,/-])({NUM})\s?[-–]\s?({NUM})(?![\w.,/]?\d)"), _say_range, _DIGIT),
        (re.compile(rf"(?<![\w/])({_alternation(list(_SPECIAL_FRACTIONS))})(?![\w/])"), lambda m: _SPECIAL_FRACTIONS[m.group(1)], _DIGIT),
        (re.compile(r"\b(?:on|by|until|since|from|before|after)\s+(1[0-2]|[1-9])/([12]\d|3[01]|[1-9])\b(?!/)"), _say_us_date, _DIGIT),
        (re.compile(r"(?<![\w./])(?:(\d+)\s)?(\d{1,3})/(\d{1,3})(?![\w/]|\.\d)"), _say_fraction, _DIGIT),
        (re.compile(r"\b((?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|August|"
                    r"September|October|November|December)\s?[–-]\s?(?=(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|"
                    r"January|February|March|April|May\b|June|July|August|September|October|November|December)"),
         lambda m: f"{m.group(1)} to ", _DASH),
        (re.compile(rf"(?<![\w.])\+(?={NUM})"), lambda m: "plus ", _DIGIT),
        (re.compile(r"(\d)\+(?=[\s,.;:!?)]|$)"), lambda m: m.group(1) + " plus", _DIGIT),
        (re.compile(rf"(?<![\w.-])-(?={NUM}\b)"), lambda m: "minus ", _DIGIT),
        # Aircraft: "A380" -> "A three eighty", "Boeing 737" -> "Boeing seven thirty-seven".
        (re.compile(r"\b(A|B|Airbus A|Boeing )([1-9])([1-9]\d)\b(?!,\d)"),
         lambda m: f"{_spell_model(m.group(1))} {n.cardinal(m.group(2))} {n.cardinal(m.group(3))}", _DIGIT),
        # Letters and digits in one token: "G7", "F-35", "COVID-19", "MP3", "4G".
        (re.compile(r"\b([A-Z]{1,6})-?(?=\d+\b)"), lambda m: (spell(m.group(1)) if len(m.group(1)) == 1 else m.group(1)) + " ", _DIGIT),
        (re.compile(r"\b(\d+)(?=[A-Z]{1,2}\b)"), lambda m: m.group(1) + " ", _DIGIT),
        (re.compile(rf"(?<![\w.]){NUM}(?![\w])|(?<![\w.])\.\d+\b"), lambda m: _say_number(m.group(0)), _DIGIT),
        # Roman numerals: cardinals after "World War", "Chapter"...; ordinals after a name.
        (re.compile(rf"\b({_alternation(list(CARDINAL_ROMAN_CONTEXT))})\s+([IVXL]+)\b"), _say_roman_cardinal, _ROMAN_WORD),
        (re.compile(r"\b((?:King|Queen|Emperor|Empress|Tsar|Czar|Pope|Pharaoh|Sultan|Kaiser) [A-Z][a-z]+)\s+([IVX]+)\b"
                    r"(?!['\w])"), _say_regnal, _ROMAN_WORD),
        (re.compile(rf"\b({_alternation(REGNAL_NAMES)})\s+([IVX]+)\b(?!['\w])"), _say_regnal, _ROMAN_WORD),
        # After a full name ("Thurston Howell III") an ordinal; after a single word ("Rocky IV") a cardinal.
        (re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]+)\s+([IVX]{2,6})\b(?!['\w])"), _say_regnal, _ROMAN_WORD),
        (re.compile(r"\b([A-Z][a-z]+)\s+([IVX]{2,6})\b(?!['\w])"), _say_roman_cardinal, _ROMAN_WORD),
        *_when(_DOT, _abbreviation_rules()),
        (re.compile(r"(?:(?P<prev>[\w']+)\s+)?\bSt\.(?:\s+(?P<word>[A-Z][\w']*))?"), _say_saint_or_street, _DOT),
        (re.compile(r"\bDr\.(?:\s+(?P<word>[A-Z][\w']*))?"), _say_doctor_or_drive, _DOT),
        (re.compile(r"\b(?:[A-Za-z]\.){2,}(?:[A-Za-z]\b)?"), _say_dotted, _DOT),
        (re.compile(r"\b([A-Z])\.(?=\s+[A-Z])"), lambda m: m.group(1), _DOT),
        (re.compile(r"\b[A-Z][A-Z]+s?\b"), _say_acronym, _CAPS),
        # Symbols left over.
        (re.compile(r"\s*&\s*"), lambda m: " and "),
        (re.compile(r"\s*%"), lambda m: " percent", _DIGIT),
        (re.compile(r"\s*@\s*"), lambda m: " at "),
        (re.compile(r"\s*=\s*"), lambda m: " equals "),
        (re.compile(r"°"), lambda m: " degrees", _DIGIT),
        (re.compile(r"(?<=\s)\+(?=\s)"), lambda m: "plus"),
        (re.compile(r"(?<=[a-z])/(?=(?:month|year|day|week|hour|night|person|head|share|barrel|ton|tonne|gallon|liter|litre|kg)\b)"),
         lambda m: " per "),
        (re.compile(r"(?<=[A-Za-z])/(?=[A-Za-z])"), lambda m: " "),
        (re.compile(r"(?<![$\w])\$(?=\s+signs?\b)"), lambda m: "dollar"),
        (re.compile(r"(?<=\w)\s?×\s?(?=\w)"), lambda m: " by "),
        (re.compile(r"[$€£¥₹#*_~^|\\<>{}×]+"), lambda m: " "),
        # Pauses: dashes, ellipses and brackets become commas.
        (re.compile(r"\s+[-–—]+\s+|—|―|(?<=\w)--(?=\w)"), lambda m: ", "),
        (re.compile(r"\.\.\.+|…"), lambda m: ", "),
        (re.compile(r"[()\[\]]"), lambda m: ", "),
    ]  # fmt: skip
    return rules


@lru_cache(maxsize=1)
def passes() -> list[Rule]:
    """The passes, built once from the data files."""
    return _build()


_TIDY = [
    (re.compile(r"\s+"), " "),
    (re.compile(r"\s+([,.;:!?])"), r"\1"),
    (re.compile(r",(?:\s*,)+"), ","),
    (re.compile(r"^[\s,;:]+"), ""),
    (re.compile(r",\s*([.!?])"), r"\1"),
    (re.compile(r"([,;:])(?=\w)"), r"\1 "),
    (re.compile(r"[\s,;:]+$"), ""),
]


def normalize(text: str) -> str:
    """One sentence as written -> as said."""
    text = prepare(text)
    ended = text.rstrip()[-1:] in (".", "!", "?")
    for rule in passes():
        if len(rule) == 3 and not rule[2].search(text):
            continue
        text = rule[0].sub(rule[1], text)
    for pattern, replacement in _TIDY:
        text = pattern.sub(replacement, text)
    text = text.strip()
    if ended and text and text[-1] not in ".!?\"'":
        text += "."
    return text
