"""English news text as a newsreader says it.

`normalize(text)` rewrites one sentence as written into the words a voice
should say: money, numbers, years and decades, dates, times, ranges, units,
fractions, titles and abbreviations, acronyms, regnal and ordinal Roman
numerals, symbols, URLs and e-mail addresses. It is a sequence of passes, each
a regular expression with a function that says the match; the order matters
(money before plain numbers, abbreviations before dotted acronyms) and is the
order of the list `_build` returns. A pass may carry a cheap trigger pattern:
when the text lacks it (no digit, say), the pass is skipped. The word lists are
data (`speech/data/en/*.tsv`); the modules here hold the rules that use them:
`measures` (amounts), `calendar` (time), `words` (abbreviations, acronyms,
addresses, Roman numerals). Another language is another package like this one.

Text that needs no change comes out unchanged, apart from spacing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from audio_edition.model import MONTHS, WEEKDAYS
from audio_edition.speech.en import calendar, measures, phones, words
from audio_edition.speech.en import common as c
from audio_edition.speech.en import numbers as n

_DAYS_AND_MONTHS = "|".join((*WEEKDAYS, *MONTHS))

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


def _build() -> list[c.Rule]:
    rules: list[c.Rule] = [
        # Addresses first: they hold dots, digits and symbols the other passes would take apart.
        (re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), lambda m: " " + words.say_address(m.group(0)) + " ", c.AT),
        (re.compile(r"\b(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|io|co|uk|de|fr"
                    r"|info|news|ai|app|dev|eu|us|ca|au|int|mil|tv|me|ly)\b(?:/[\w\-./%?=&#~]*[\w/])?", re.I),
         words.say_url, re.compile(r"\.(?:com|org|net|gov|edu|io|co|uk|de|fr|info|news|ai|app|dev|eu|us|ca|au|int|"
                                   r"mil|tv|me|ly)\b", re.I)),
        (re.compile(r"~(?=\s?[\d$€£¥])"), lambda m: "about ", c.DIGIT),
        (re.compile(rf"(?<![\w.])({c.NUM})\s?¢"), lambda m: f"{n.cardinal(m.group(1))} {'cent' if m.group(1) == '1' else 'cents'}", c.DIGIT),
        (re.compile(rf"(?:(\d+)\s?)?([{''.join(measures.VULGAR)}])"), measures.say_vulgar, measures.VULGAR_TRIGGER),
        *phones.rules(),
        *c.when(re.compile(r"\d[-/.]\d"), calendar.numeric_date_rules()),
        (re.compile(r"(?<![\w&])#(?=\d)"), lambda m: "number ", c.DIGIT),
        (re.compile(r"(?<![\w&])#(?=[A-Za-z])"), lambda m: "hashtag "),
        (re.compile(r"\b(No|Nos|no|nos)\.\s?(?=\d)"), lambda m: "number " if m.group(1).lower() == "no" else "numbers ", c.DIGIT),
        (re.compile(r"\b([A-Z]{1,3})&([A-Z]{1,3})\b"), lambda m: f"{words.spell(m.group(1))} and {words.spell(m.group(2))}"),
        *words.state_rules(),
        *words.address_rules(),
        (re.compile(r"\b(401|403|457)\(([a-z])\)"), lambda m: f"{words.say_route_number(m.group(1))} {m.group(2).upper()}",
         c.DIGIT),
        (re.compile(r"(?<![\w.])((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})(?![\w.]?\d)"),
         lambda m: " dot ".join(n.digits(part) for part in m.group(1).split(".")), c.DIGIT),
        (re.compile(r"(?<=\d)\s?[x×]\s?(?=\d)"), lambda m: " by ", c.DIGIT),
        *c.when(c.DIGIT, measures.money_rules()),
        (re.compile(rf"(?<![\w.])(-?{c.NUM})\s?%?\s?(?:-|–|to)\s?(-?{c.NUM})\s?(?:%|percent\b|per cent\b)"),
         measures.say_percent_range, c.DIGIT),
        (re.compile(rf"(?<![\w.])(-?{c.NUM})\s?(?:%|percent\b|per cent\b)"), measures.say_percent, c.DIGIT),
        (re.compile(rf"(?<![\w.])(?:(?P<low>[-+]?{c.NUM})\s?(?:°\s?)?(?:-|–|to)\s?)?([-+]?{c.NUM})\s?°(?:\s?([CFK])\b)?"),
         measures.say_temperature, c.DIGIT),
        (re.compile(r"(?<![\w.])(?P<low>)([-+]?\d{1,2}(?:\.\d)?)([CF])\b"), measures.say_temperature, c.DIGIT),
        (re.compile(r"(?<![\w.])(?P<ft>\d)\s?(?:ft|feet|foot|')\s?(?P<in>1[01]|\d)\s?(?:in\b\.?|inches\b|\")"),
         measures.say_feet_and_inches, c.DIGIT),
        (*measures.fraction_unit_rule(), c.DIGIT),
        (*measures.unit_rule(), c.DIGIT),
        (re.compile(r"(?<![\w:.])(\d{1,2}):(\d{2}):(\d{2})(?![\d:])"), calendar.say_duration, c.DIGIT),
        (re.compile(r"\b([01]\d|2[0-3])([0-5]\d)(?=\s+hours\b)"), calendar.say_military, c.DIGIT),
        (re.compile(r"(?<![\w:.])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s?(?P<ap>[aApP]\.\s?[mM]\.|[aApP][mM]\b)"
                    r"(?:\s(?P<tz>ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT)\b)?"), calendar.say_time, c.DIGIT),
        (re.compile(r"(?<![\w:.])(?P<h>\d{1,2}):(?P<m>\d{2})(?![\d:])"), calendar.say_time, c.DIGIT),
        (re.compile(r"(?<=[AP]M)\s?[-–]\s?(?=\w)"), lambda m: " to "),
        (re.compile(r"(?<![\w:.])(\d{1,3}):(\d{1,3})(?![\d:])"), lambda m: f"{n.cardinal(m.group(1))} to {n.cardinal(m.group(2))}", c.DIGIT),
        *calendar.date_rules(),
        (re.compile(r"\b(1[0-9]\d0|20\d0)s\s?[-–]\s?'?(\d0|1[0-9]\d0|20\d0)s\b"), calendar.say_decade_range, c.DIGIT),
        (re.compile(r"(?<![\w'])'(\d0)s\b"), calendar.say_decade, c.DIGIT),
        (re.compile(r"(?<![\w'])'(\d\d)\b(?!')"),
         lambda m: ("oh " + n.cardinal(m.group(1)[1])) if m.group(1)[0] == "0" else n.cardinal(m.group(1)), c.DIGIT),
        (re.compile(r"\b(1[0-9]\d0|20\d0|\d0)'?s\b"), calendar.say_decade, c.DIGIT),
        (re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b"), lambda m: n.ordinal(m.group(1)), c.DIGIT),
        (re.compile(r"(?<![\w.,-])(1[1-9]\d\d|20\d\d)\s?[-–]\s?(1[1-9]\d\d|20\d\d|\d\d)(?![\w.,]?\d)"), calendar.say_year_range, c.DIGIT),
        (re.compile(rf"(?<![\w.,/-])({c.NUM})\s?[-–]\s?({c.NUM})(?![\w.,/]?\d)"), measures.say_range, c.DIGIT),
        (re.compile(rf"(?<![\w/])({c.alternation(list(measures.SPECIAL_FRACTIONS))})(?![\w/])"),
         lambda m: measures.SPECIAL_FRACTIONS[m.group(1)], c.DIGIT),
        (re.compile(r"\b(?:on|by|until|since|from|before|after)\s+(1[0-2]|[1-9])/([12]\d|3[01]|[1-9])\b(?!/)"), calendar.say_us_date, c.DIGIT),
        (re.compile(r"(?<![\w./])(?:(\d+)\s)?(\d{1,3})/(\d{1,3})(?![\w/]|\.\d)"), measures.say_fraction, c.DIGIT),
        (re.compile(rf"\b({_DAYS_AND_MONTHS})\s?[–-]\s?(?=(?:{_DAYS_AND_MONTHS})\b)"),
         lambda m: f"{m.group(1)} to ", c.DASH),
        (re.compile(rf"(?<![\w.])\+(?={c.NUM})"), lambda m: "plus ", c.DIGIT),
        (re.compile(r"(\d)\+(?=[\s,.;:!?)]|$)"), lambda m: m.group(1) + " plus", c.DIGIT),
        (re.compile(rf"(?<![\w.-])-(?={c.NUM}\b)"), lambda m: "minus ", c.DIGIT),
        # Aircraft: "A380" -> "A three eighty", "Boeing 737" -> "Boeing seven thirty-seven".
        (re.compile(r"\b(A|B|Airbus A|Boeing )([1-9])([1-9]\d)\b(?!,\d)"),
         lambda m: f"{calendar.spell_model(m.group(1))} {n.cardinal(m.group(2))} {n.cardinal(m.group(3))}", c.DIGIT),
        # Letters and digits in one token: "G7", "F-35", "COVID-19", "MP3", "4G".
        (re.compile(r"\b([A-Z]{1,6})-?(?=\d+\b)"), lambda m: (words.spell(m.group(1)) if len(m.group(1)) == 1 else m.group(1)) + " ", c.DIGIT),
        (re.compile(r"\b(\d+)(?=[A-Z]{1,2}\b)"), lambda m: m.group(1) + " ", c.DIGIT),
        (re.compile(rf"(?<![\w.]){c.NUM}(?![\w])|(?<![\w.])\.\d+\b"), lambda m: measures.say_number(m.group(0)), c.DIGIT),
        # Roman numerals: cardinals after "World War", "Chapter"...; ordinals after a name.
        (re.compile(rf"\b({c.alternation(list(words.CARDINAL_ROMAN_CONTEXT))})\s+([IVXL]+)\b"), words.say_roman_cardinal, c.ROMAN_WORD),
        (re.compile(r"\b((?:King|Queen|Emperor|Empress|Tsar|Czar|Pope|Pharaoh|Sultan|Kaiser) [A-Z][a-z]+)\s+([IVX]+)\b"
                    r"(?!['\w])"), words.say_regnal, c.ROMAN_WORD),
        (re.compile(rf"\b({c.alternation(words.REGNAL_NAMES)})\s+([IVX]+)\b(?!['\w])"), words.say_regnal, c.ROMAN_WORD),
        # After a full name ("Thurston Howell III") an ordinal; after a single word ("Rocky IV") a cardinal.
        (re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]+)\s+([IVX]{2,6})\b(?!['\w])"), words.say_regnal, c.ROMAN_WORD),
        (re.compile(r"\b([A-Z][a-z]+)\s+([IVX]{2,6})\b(?!['\w])"), words.say_roman_cardinal, c.ROMAN_WORD),
        *c.when(c.DOT, words.abbreviation_rules()),
        (re.compile(r"(?:(?P<prev>[\w']+)\s+)?\bSt\.(?:\s+(?P<word>[A-Z][\w']*))?"), words.say_saint_or_street, re.compile(r"St\.")),
        (re.compile(r"\bDr\.(?:\s+(?P<word>[A-Z][\w']*))?"), words.say_doctor_or_drive, re.compile(r"Dr\.")),
        (re.compile(r"\b(?:[A-Za-z]\.){2,}(?:[A-Za-z]\b)?"), words.say_dotted, c.DOT),
        (re.compile(r"\b([A-Z])\.(?=\s+[A-Z])"), lambda m: m.group(1), c.DOT),
        (re.compile(r"\b[A-Z][A-Z]+s?\b"), words.say_acronym, c.CAPS),
        # Symbols left over.
        (re.compile(r"\s*&\s*"), lambda m: " and "),
        (re.compile(r"\s*%"), lambda m: " percent", c.DIGIT),
        (re.compile(r"\s*@\s*"), lambda m: " at "),
        (re.compile(r"\s*=\s*"), lambda m: " equals "),
        (re.compile(r"°"), lambda m: " degrees", c.DIGIT),
        (re.compile(r"(?<=\s)\+(?=\s)"), lambda m: "plus"),
        (re.compile(r"(?<=[a-z])/(?=(?:month|year|day|week|hour|night|person|head|share|barrel|ton|tonne|gallon|liter|litre|kg)\b)"),
         lambda m: " per "),
        (re.compile(r"(?<=[A-Za-z])/(?=[A-Za-z])"), lambda m: " "),
        (re.compile(r"(?<![$\w])\$(?=\s+signs?\b)"), lambda m: "dollar"),
        (re.compile(r"(?<=\w)\s?×\s?(?=\w)"), lambda m: " by "),
        (re.compile(r"[$€£¥₹#*_~^|\\<>{}×]+"), lambda m: " "),
        # Pauses: dashes, ellipses and brackets become commas.
        (re.compile(r"\s+[-–—]+\s+|—|―|(?<=\w)--(?=\w)"), lambda m: ", ", re.compile(r"[—―]|\s[-–]|--")),
        (re.compile(r"\.\.\.+|…"), lambda m: ", "),
        (re.compile(r"[()\[\]]"), lambda m: ", "),
    ]  # fmt: skip
    return rules


@lru_cache(maxsize=1)
def passes() -> list[c.Rule]:
    """The passes, built once from the c.data files."""
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
