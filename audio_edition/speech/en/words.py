"""Words that are not spelled as said: addresses, abbreviations and titles, acronyms, Roman numerals."""

from __future__ import annotations

import re

from audio_edition.speech.en import common as c
from audio_edition.speech.en import numbers as n


def say_url(m: re.Match[str]) -> str:
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0), flags=re.I).rstrip("/")
    return " " + say_address(url) + " "


def say_address(text: str) -> str:
    out = []
    for part in re.split(r"([./@_-])", text):
        word = {".": "dot", "/": "slash", "@": "at", "_": "underscore", "-": "dash"}.get(part)
        if word:
            out.append(word)
        elif part:
            out.append(n.digits(part) if part.isdigit() and len(part) > 4 else part.lower())
    return " ".join(out)


_ROMAN_NUMERAL = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(text: str) -> int:
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


def say_roman_cardinal(m: re.Match[str]) -> str:
    if not _ROMAN_NUMERAL.match(m.group(2)):
        return m.group(0)
    return f"{m.group(1)} {n.cardinal(str(roman_value(m.group(2))))}"


def say_regnal(m: re.Match[str]) -> str:
    numeral = m.group(2)
    if not _ROMAN_NUMERAL.match(numeral):
        return m.group(0)
    return f"{m.group(1)} the {n.ordinal(str(roman_value(numeral))).capitalize()}"


def abbreviation_rules() -> list[c.Rule]:
    table: dict[str, tuple[str, str]] = c.data()["abbreviations"]
    titles = [a for a, (_, where) in table.items() if where == "title"]
    anywhere = [a for a, (_, where) in table.items() if where == "any"]

    def expand(m: re.Match[str]) -> str:
        word = table[m.group("abbr")][0]
        return word + ("." if m.end() == len(m.string) else "")

    return [
        (re.compile(rf"(?<![\w.])(?P<abbr>{c.alternation(titles)})(?=\s+[A-Z\d\ue000-\uf8ff])"), expand),
        (re.compile(rf"(?<![\w.])(?P<abbr>{c.alternation(anywhere)})(?![\w])"), expand),
    ]


def say_saint_or_street(m: re.Match[str]) -> str:
    """ "St. Louis" -> "Saint Louis"; "Main St." and "42nd St. station" -> "Street"."""
    prev, word = m.group("prev"), m.group("word")
    lead = f"{prev} " if prev else ""
    street = prev is not None and prev[0].isdigit()
    if word is None or street:
        tail = f" {word}" if word else ("." if m.end() == len(m.string) else "")
        return f"{lead}Street{tail}"
    return f"{lead}Saint {word}"


def say_doctor_or_drive(m: re.Match[str]) -> str:
    if m.group("word"):
        return f"Doctor {m.group('word')}"
    return "Drive" + ("." if m.end() == len(m.string) else "")


def say_dotted(m: re.Match[str]) -> str:
    letters = spell("".join(ch for ch in m.group(0) if ch.isalpha()))
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


_ONSETS = frozenset((
    "B", "C", "D", "F", "G", "H", "J", "K", "L", "M", "N", "P", "Q", "R", "S", "T", "V", "W", "X", "Y",
    "Z", "BL", "BR", "CH", "CL", "CR", "DR", "DW", "FL", "FR", "GL", "GN", "GR", "KL", "KN", "KR", "PH",
    "PL", "PR", "QU", "SC", "SCR", "SH", "SHR", "SK", "SL", "SM", "SN", "SP", "SPL", "SPR", "ST", "STR",
    "SW", "TH", "THR", "TR", "TW", "WH", "WR",
))  # fmt: skip
"""Consonants that begin an English syllable."""
_CODAS = frozenset((
    "B", "C", "D", "F", "G", "K", "L", "M", "N", "P", "R", "S", "T", "V", "X", "Z", "CH", "CK", "CT", "FT",
    "LD", "LF", "LK", "LM", "LP", "LS", "LT", "MP", "MS", "ND", "NG", "NK", "NS", "NT", "PS", "PT", "RB",
    "RC", "RD", "RF", "RG", "RK", "RL", "RM", "RN", "RP", "RS", "RT", "SH", "SK", "SP", "ST", "TH", "TS",
))  # fmt: skip
"""Consonants that end one."""
_VOWEL_PAIRS = frozenset(["AI", "AU", "EA", "EE", "EI", "EU", "IE", "IO", "OA", "OI", "OO", "OU", "UI"])


def pronounceable(letters: str) -> bool:
    """Whether capitals could be read as an English word: consonant clusters that begin and end English
    syllables, single vowels or common vowel pairs ("NASA", "UNESCO", "AUKUS" yes; "IAEA", "AFP", "NHS" no)."""
    parts = re.findall(r"[AEIOU]+|[^AEIOU]+", letters.upper())
    if not any(p[0] in "AEIOU" for p in parts):
        return False
    for i, part in enumerate(parts):
        if part[0] in "AEIOU":
            if len(part) > 2 or (len(part) == 2 and part not in _VOWEL_PAIRS):
                return False
        elif i == 0:
            if part not in _ONSETS:
                return False
        elif i == len(parts) - 1:
            if part not in _CODAS:
                return False
        elif len(part) > 3 or not any(
            (k == 0 or part[:k] in _CODAS) and (k == len(part) or part[k:] in _ONSETS) for k in range(len(part) + 1)
        ):
            return False
    return True


_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")


def _shouted(text: str) -> bool:
    """A sentence set in capitals (a headline, a sign): its words are words, not initialisms."""
    capitals, small = sum(ch.isupper() for ch in text), sum(ch.islower() for ch in text)
    return len(_CAPS_WORD.findall(text)) >= 4 and capitals > 2 * small


def say_acronym(m: re.Match[str]) -> str:
    """Capitals as the acronym list says; unlisted ones that could not be read as a word are spelled ("AFP",
    "IAEA"), the others left to the voice (espeak-ng reads "AUKUS" as a word and spells what it knows)."""
    word = m.group(0)
    how = c.data()["acronyms"]
    plural = word.endswith("s") and word[:-1].isupper()
    stem = word[:-1] if plural else word
    decision = how.get(word) or how.get(stem)
    if decision is None and len(stem) >= 3 and not pronounceable(stem) and not _shouted(m.string):
        decision = "spell"
    if decision == "word" and stem.isupper() and len(stem) >= 3:
        return word.capitalize()  # espeak-ng spells capitals it does not know as a word: "ICE" -> "Ice"
    if decision not in (None, "word", "spell"):
        return decision + ("'s" if plural else "")  # "AAA" -> "triple A"
    if decision != "spell":
        return word
    return spell(stem) + ("'s" if plural else "")


PARTIES = {"D": "Democrat", "R": "Republican", "I": "Independent"}


def state_rules() -> list[c.Rule]:
    """ "Fresno, Calif.", "in Calif." -> "California"; "(D-Mass.)" -> "(Democrat of Massachusetts)"."""
    states: dict[str, str] = c.data()["states"]
    names = c.alternation(list(states))
    full = c.alternation(sorted(set(states.values()) - {"D C"}))

    def after_city(m: re.Match[str]) -> str:
        return m.group(1) + states[m.group(2)] + ("." if m.end() == len(m.string) else "")

    def party(m: re.Match[str]) -> str:
        place = states.get(m.group(2), m.group(2))
        return f"{PARTIES[m.group(1)]} of {place}"

    return [
        (re.compile(rf"\b([DRI])-({names}|{full}|[A-Z][a-z]+)(?=[),;]|$|\s)"), party, c.DASH),
        (
            re.compile(
                rf"([A-Z][\w.'-]*,\s|\b(?:in|of|from|to|across|near|outside|throughout)\s)({names})(?=[\s,;:)]|$)"
            ),
            after_city,
            re.compile(r"\b(?:[A-Z][a-z]{0,4}\.|[A-Z]\.[A-Z])"),
        ),
    ]


_DIRECTIONS = {"N": "North", "S": "South", "E": "East", "W": "West",
               "NE": "Northeast", "NW": "Northwest", "SE": "Southeast", "SW": "Southwest"}  # fmt: skip
_STREET_TYPES = {"St": "Street", "Ave": "Avenue", "Rd": "Road", "Blvd": "Boulevard", "Ln": "Lane", "Dr": "Drive",
                 "Pl": "Place", "Ct": "Court", "Pkwy": "Parkway", "Hwy": "Highway", "Sq": "Square", "Ter": "Terrace",
                 "Cir": "Circle", "Expy": "Expressway"}  # fmt: skip
_STREET_WORDS = "|".join([*_STREET_TYPES, *_STREET_TYPES.values(), "Way", "Plaza", "Drive"])


def say_route_number(number: str) -> str:
    """A road's number as drivers say it: "101" -> "one oh one", "128" -> "one twenty-eight", "66" -> "sixty-six"."""
    if len(number) == 3 and number[0] != "0":
        return f"{n.cardinal(number[0])} {n.pair(number[1:])}"
    return n.cardinal(number)


def address_rules() -> list[c.Rule]:
    """Street addresses: "708 N 1st St" -> "708 North 1st Street", "Ave. NW" -> "Avenue Northwest",
    "Hwy 101" -> "Highway one oh one", "I-95" -> "I ninety-five", "IL 60614" -> "Illinois six zero six one four"."""
    postal: dict[str, str] = c.data()["postal"]
    directions = c.alternation(list(_DIRECTIONS))
    types = c.alternation(list(_STREET_TYPES))
    street_name = rf"(?:\d+(?:st|nd|rd|th)|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s(?:{_STREET_WORDS})\b"

    def direction_before(m: re.Match[str]) -> str:
        return f"{m.group(1)} {_DIRECTIONS[m.group(2)]} "

    def direction_after(m: re.Match[str]) -> str:
        return f"{m.group(1)} {_DIRECTIONS[m.group(2)]}" + ("." if m.end() == len(m.string) else "")

    def street_type(m: re.Match[str]) -> str:
        return f"{m.group(1)} {_STREET_TYPES[m.group(2)]}"

    def route(m: re.Match[str]) -> str:
        road = {"Hwy": "Highway", "Hwy.": "Highway", "Rte.": "Route", "Rte": "Route"}.get(m.group(1), m.group(1))
        return f"{road} {say_route_number(m.group(2))}"

    def zip_code(m: re.Match[str]) -> str:
        return f"{m.group(1)}{postal[m.group(2)]} {n.digits(m.group(3))}" + (
            f" {n.digits(m.group(4))}" if m.group(4) else ""
        )

    trigger = re.compile(rf"\d|\b(?:{_STREET_WORDS})\b")
    return c.when(trigger, [
        (re.compile(rf"\b(\d{{1,5}}[A-Z]?)\s+({directions})\.?\s+(?={street_name})"), direction_before),
        (re.compile(rf"\b((?:{_STREET_WORDS})\.?)\s+({directions})\b(?![.'-]?\w)"), direction_after),
        (re.compile(rf"\b(\d+(?:st|nd|rd|th)|[A-Z][a-z]+)\s+({types})\b(?![.'\w])"), street_type),
        (re.compile(r"\b(Hwy\.?|Highway|Route|Rte\.?|Interstate|US|State Road|SR)\s+(\d{1,3})\b(?![.,]?\d)"), route),
        (re.compile(r"\bI-(\d{1,3})\b"), lambda m: f"I {say_route_number(m.group(1))}"),
        (re.compile(rf"(,\s)({c.alternation(list(postal))})\s(\d{{5}})(?:-(\d{{4}}))?\b"), zip_code),
    ])  # fmt: skip
