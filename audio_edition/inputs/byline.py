"""Bylines and datelines: who wrote an article and when it was published.

`read_meta(line)` answers for a *whole* line: it is a byline, a dateline or
both ("by Jane Doe April 1, 2025 10:55 PM 4 min read", "Von Katrin Weber,
publiziert am 3. März 2024, 14:20 Uhr", "Текст: Анна Петрова · 24 сентября
2018") only when everything on it is a date, a time, a zone, a reading time,
a name, an organisation or one of the small words bylines are made of. So a
body sentence that mentions a date or starts with "By" is never metadata.

The words bylines are made of, in many languages, are data
(data/bylines.tsv); dates come from `audio_edition.inputs.dates`; the words
that mark a part as a job title or a publication ("Staff Writer", "The Harbor
Ledger") are the "role" rows of data/furniture.tsv.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from audio_edition.inputs.dates import blank_out, calendar, find_dates, month_days
from audio_edition.inputs.furniture import load_furniture
from audio_edition.inputs.stopwords import rank_languages, stop_words

__all__ = [
    "Dateline",
    "Meta",
    "beside_a_name",
    "is_name",
    "join_authors",
    "parse_byline",
    "parse_dateline",
    "read_meta",
    "title_case",
    "undouble",
]

BYLINES_FILE = Path(__file__).with_name("data") / "bylines.tsv"
_PARTICLES = frozenset(
    {"de", "da", "das", "do", "dos", "du", "van", "von", "der", "den", "del", "della", "di", "la", "le", "al",
     "el", "bin", "ibn", "ten", "ter", "y", "zu", "af", "st.", "e", "dei", "degli", "des"}
)  # fmt: skip
# Capitalised words that follow "By" in prose ("By Tuesday night, ...") but never name anyone.
_NOT_NAMES = frozenset(
    {"today", "tomorrow", "yesterday", "morning", "afternoon", "evening", "night", "noon", "midnight", "now",
     "then", "the", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my", "your",
     "home", "news", "share", "comments", "comment", "reply", "follow", "more", "read", "published", "updated",
     "advertisement", "photo", "image", "video", "source", "sources", "credit", "staff", "editor", "view"}
)  # fmt: skip
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.\-])*\.?")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CLOCK = re.compile(r"(?<![\d:.])[0-2]?\d:[0-5]\d(?::[0-5]\d)?\s*(?:[ap]\.?\s?m\b\.?)?(?:\s*[A-Z]{2,4}\b)?", re.I)
_IGNORED = re.compile(
    r"(?<!\w)@\w+|\S+@\S+\.\w+|\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|de|fr|es|it|nl|pl|ru|ua|uk|ch|at|info|news|io|co)\b"
)
_NAME_STARTS = frozenset({"al", "el", "le", "la", "de", "da", "do", "di", "du"})
_GLUED_WORDS = re.compile(r"[a-zß-ÿа-яіїє]{3}[A-ZÀ-ÞА-ЯІЇЄ]")
_GLUED_BY = re.compile(r"(?:(?<=^)|(?<=\s))([Bb]y|[Vv]on|[Pp]ar|[Pp]or|[Dd]oor)(?=[A-ZÀ-ÖØ-ÞА-ЯІЇЄ][a-zà-öø-ÿа-яіїє])")
_SEPARATORS = re.compile(r"\s*(?:[|·•/—–]|\s-\s|:(?=\s|$)|,|;|\(|\))\s*")


@dataclass(frozen=True)
class Dateline:
    """A publication date found in a byline or dateline."""

    when: datetime
    """Aware when the page names a time zone; otherwise local time as printed. Midnight when `has_time` is False."""
    has_time: bool
    updated: bool
    """The line said "Updated"/"Modified": a weaker witness than "Published"."""


@dataclass(frozen=True)
class Meta:
    """What a byline or dateline line says."""

    authors: tuple[str, ...]
    """People, in normal capitalisation."""
    organisation: str | None
    """When the byline names only an organisation ("By The Associated Press"), its name."""
    date: Dateline | None
    by: bool
    """The line said "By" (or "Von", "Par", "Текст:" ...)."""

    @property
    def credited(self) -> tuple[str, ...]:
        """Who the article is credited to: the people, else the organisation."""
        return self.authors or ((self.organisation,) if self.organisation else ())


@dataclass(frozen=True)
class _Words:
    by: tuple[re.Pattern[str], ...]
    published: re.Pattern[str]
    updated: re.Pattern[str]
    conjunction: re.Pattern[str]
    filler: frozenset[str]
    readtime: re.Pattern[str]
    ago: re.Pattern[str]
    place: re.Pattern[str]


@cache
def _words(path: Path = BYLINES_FILE) -> _Words:
    rows: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, sep, regex = line.partition("\t")
        if not sep:
            raise ValueError(f"{path.name}:{number}: expected KIND<TAB>REGEX")
        rows.setdefault(kind, []).append(regex.strip())

    def words(kind: str) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w])(?:{'|'.join(rows[kind])})(?![\w])", re.I)

    return _Words(
        by=tuple(re.compile(rf"(?<![\w]){r}(?=\s|$|[^\w\s])", re.I) for r in rows["by"]),
        published=words("published"),
        updated=words("updated"),
        conjunction=re.compile(rf"\s+(?:{'|'.join(rows['and'])})\s+", re.I),
        filler=frozenset(w for r in rows["filler"] for w in r.lower().split("|")),
        readtime=re.compile(rf"(?<![\w])(?:{'|'.join(rows['readtime'])})(?![\w])", re.I),
        ago=re.compile(rf"(?<![\w])(?:{'|'.join(rows['ago'])})(?![\w])", re.I),
        place=re.compile(rf"\s+(?:{'|'.join(rows['place'])})\s+\S.*$", re.I),
    )


def read_meta(line: str, language: str = "en") -> Meta | None:
    """What a byline/dateline line says; None unless the whole line is one."""
    text = line.strip()
    if not text or len(text.split()) > 30 or len(text) > 240 or text[-1] in "?!" or text.endswith(("...", "…")):
        return None
    words = _words()
    # "ByAlex Bozarjian", "Updated21:22": words a page's markup ran together.
    text = _GLUED_BY.sub(r"\1 ", text)
    text = re.sub(r"(?<=[^\W\d_]{3})(?=\d)", " ", text)
    role = load_furniture().is_role(text)
    if not (_DIGIT.search(text) or any(p.search(text) for p in words.by) or role or words.ago.search(text)):
        return None  # no date, no "By", no job title: a bare name alone is no byline
    dates = find_dates(text, language)
    if not dates and _YEAR.search(text):
        # One line in another language than the page ("Veröffentlicht am 18. Juni 2026" on an English page).
        for other in [code for code in rank_languages(re.findall(r"[^\W\d_]+", text)) if code != language][:3]:
            if dates := find_dates(text, other):
                language = other
                break
    rest = blank_out(text, [span for d in dates for span in d.spans] + month_days(text, language))
    support = bool(dates)
    for pattern in (words.readtime, words.ago, _CLOCK):
        rest, found = pattern.subn(" | ", rest)
        support = support or (found > 0 and pattern is not words.readtime)
    rest = _IGNORED.sub(" ", rest)  # a handle, an e-mail address, a site's domain beside the name
    updated_at = [m.start() for m in words.updated.finditer(text)]
    published_at = [m.start() for m in words.published.finditer(text)]
    rest = words.updated.sub(" | ", rest)
    rest = words.published.sub(" | ", rest)
    by = False
    for pattern in words.by:
        if pattern.search(rest):
            by = True
            rest = pattern.sub(" | ", rest)
    cal = calendar(language)
    stops = stop_words(language) - _PARTICLES
    people: list[str] = []
    organisation: str | None = None
    bare: list[str] = []
    leftover = 0  # words of short unknown parts after the names: an outlet ("CNN"), a section, a place
    for raw in _SEPARATORS.split(rest):
        part = undouble(_strip_filler(raw, words, cal.weekdays | cal.skip | words.filler))
        if not part:
            continue
        names = [_PLACE_CUT(p, words) for p in words.conjunction.split(part)]
        # Without "By", a name is two or three words none of which is a common word ("Shot", "Me" ...
        # are, in a headline in title case): a bare name must look like nothing else.
        # A name in capitals beside a job title or outlet ("AMINA WERE, Meridian Wire") may hold one.
        plain = by or all(
            len(n.split()) <= 3 and (not any(w.lower() in stops for w in n.split()) or (role and n.isupper()))
            for n in names
        )
        # One word after a separator, once the names are found, is a place or an outlet ("Por X | Valdeoliva").
        single = (by and not people) or len(names) > 1
        if plain and all(is_name(n, allow_single=single) for n in names) and len(names) <= 4:
            (people if by else bare).extend(title_case(n) for n in names)
            continue
        if load_furniture().category(part) is not None and not people and not bare:
            continue  # "Accueil | Par Loïc Le Clerc": a menu word beside the byline
        if load_furniture().is_role(part) and len(part.split()) <= 6:
            if by and not people and organisation is None and _looks_like_org(part):
                organisation = title_case(raw.strip(" .,:-")) if raw.split()[0].lower() == "the" else title_case(part)
            support = True
            continue
        size = len(part.split())
        if (people or bare) and size <= 3 and leftover + size <= 4 and (part[:1].isupper() or part[:1].isdigit()):
            leftover += size
            continue
        return None
    if bare and (support or by) and len(bare) <= 3:
        people.extend(bare)
    elif bare:
        return None  # a lone name with nothing around it may be a heading
    if not people and organisation is None and not dates:
        return None
    date = None
    if dates:
        first = dates[0]
        before = first.start
        updated = any(u < before for u in updated_at) and not any(p < before for p in published_at)
        date = Dateline(first.when, first.has_time, updated)
    return Meta(tuple(dict.fromkeys(people)), organisation, date, by)


def beside_a_name(line: str, language: str = "en") -> bool:
    """Whether a line that stands next to a bare name makes that name a byline: a date or a time
    ("1:39 PM ET"), a reading time, "3 hours ago", a job title ("Political Editor"), an e-mail address,
    or a "By" / "Autor:" label on its own."""
    text = line.strip()
    if not text or len(text.split()) > 8:
        return False
    words = _words()
    if find_dates(text, language) or any(p.fullmatch(text) for p in words.by):
        return True
    rest = text
    for pattern in (words.readtime, words.ago, _CLOCK, _IGNORED):
        rest = pattern.sub(" ", rest)
    rest = rest.strip(" |·•,;:-–—()")
    if not rest:
        return True
    return load_furniture().is_role(rest) and len(rest.split()) <= 5 and not rest.endswith(".")


def _PLACE_CUT(name: str, words: _Words) -> str:  # noqa: N802 - reads as the phrase it removes
    """ "Jane Doe in Kyiv" -> "Jane Doe"."""
    return words.place.sub("", name).strip()


def _strip_filler(part: str, words: _Words, extra: frozenset[str]) -> str:
    tokens = part.split()
    while tokens and (tokens[0].lower().strip(".,:") in words.filler or tokens[0].lower().strip(".,:") in extra):
        if tokens[0].lower() in _NAME_STARTS and tokens[0][0].isupper() and len(tokens) > 1 and tokens[1][:1].isupper():
            break  # "Al Baker", "De Vita": a name, not "al"/"de" before a date
        tokens.pop(0)
    while tokens and (tokens[-1].lower().strip(".,:") in words.filler or tokens[-1].lower().strip(".,:") in extra):
        tokens.pop()
    return " ".join(tokens).strip(" .,:-")


def _looks_like_org(part: str) -> bool:
    return 1 <= len(part.split()) <= 6 and part[:1].isupper()


def is_name(text: str, roles: Sequence[re.Pattern[str]] | None = None, allow_single: bool = False) -> bool:
    """True when `text` looks like a person's name: 2-5 capitalised words (one after "By"), no job title."""
    words = text.split()
    furniture = load_furniture()
    low, high = (1 if allow_single else 2), 5
    if not low <= len(words) <= high:
        return False
    if (roles is not None and any(r.search(text) for r in roles)) or (roles is None and furniture.is_role(text)):
        return False
    capitals = 0
    for position, word in enumerate(words):
        bare = word.strip(".")
        if word.lower() in _PARTICLES and not (position == 0 and word[0].isupper()):  # "Al Baker" is a name
            continue
        if bare.lower() in _NOT_NAMES or not bare or not bare[0].isupper() or not _NAME_WORD.fullmatch(word):
            return False
        if _GLUED_WORDS.search(bare):
            return False  # "SubscribeSign In": two words a page's markup ran together, not "McKenzie"
        capitals += 1
    if len(words) == 1:
        return capitals == 1 and len(words[0]) >= 3 and not words[0].isupper()
    return capitals >= 2


def undouble(text: str) -> str:
    """ "Andrea WongAndrea Wong" -> "Andrea Wong": a name a page printed twice with nothing between."""
    half = len(text) // 2
    return text[:half] if len(text) % 2 == 0 and half >= 3 and text[:half] == text[half:] else text


def title_case(name: str) -> str:
    """ "AMINA WERE" -> "Amina Were"; names already in mixed case are left alone."""
    if any(c.islower() for c in name):
        return name
    out = []
    for i, word in enumerate(name.split()):
        if i and word.lower() in _PARTICLES:
            out.append(word.lower())
            continue
        pieces = re.split(r"(['’\-])", word)
        out.append("".join(p.capitalize() for p in pieces))
    return " ".join(out)


def join_authors(names: Sequence[str]) -> str | None:
    """["A", "B", "C"] -> "A, B and C"; duplicates dropped, order kept."""
    unique = list(dict.fromkeys(names))
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def parse_dateline(line: str, language: str = "en") -> Dateline | None:
    """A line that is only a date (and time), e.g. "Updated June 18, 2026, 2:05 p.m. ET"; else None."""
    meta = read_meta(line, language)
    if meta is None or meta.date is None or meta.authors or meta.organisation:
        return None
    return meta.date


def parse_byline(line: str, roles: Sequence[re.Pattern[str]] | None = None) -> tuple[list[str], str] | None:
    """ "By Jane Doe and John Roe, Staff Writers" -> (["Jane Doe", "John Roe"], ""); None unless it says "By" and names someone."""
    meta = read_meta(line)
    if meta is None or not meta.by or not meta.credited:
        return None
    return list(meta.credited), ""
