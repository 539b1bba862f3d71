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
from audio_edition.inputs.stopwords import rank_languages, stop_list

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
    r"\S+@\S+\.\w+|@\s?\w+|\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|de|fr|es|it|nl|pl|ru|ua|uk|ch|at|info|news|io|co)\b"
)
_NAME_STARTS = frozenset({"al", "el", "le", "la", "de", "da", "do", "di", "du"})
_GLUED_WORDS = re.compile(r"[a-zß-ÿа-яіїє]{3}[A-ZÀ-ÞА-ЯІЇЄ]")
_GLUED_BY = re.compile(r"(?:(?<=^)|(?<=\s))([Bb]y|[Vv]on|[Pp]ar|[Pp]or|[Dd]oor)(?=[A-ZÀ-ÖØ-ÞА-ЯІЇЄ][a-zà-öø-ÿа-яіїє])")
_GLUED_DATES = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\d{1,2}\.\s?[^\W\d_])")
_CONTACT = re.compile(r"\S@\S+\.\w|(?<!\S)@\w|(?<=[a-z])@\w")
_BY_MARK = "\x00"  # where a "By" stood, once the word is cut out
# "Christoph von Ritter": a "von" between a first name and a capitalised word is the name's particle, not
# "by" (unless the word before it is a work the line credits: "Artikel von", "Fotos von").
_PARTICLE = re.compile(
    r"(?:(?<=^)|(?<=[\s|,;·•/(\x00]))([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?) von (?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ])"
)
_JOIN = "\u01c2"  # a letter no page uses, holding a particle to its name while "by" words are cut out
# Words of Japanese and Chinese datelines, which are written without spaces: "2019年04月21日 12時00分更新".
_CJK_DATELINE = re.compile(
    r"(最終更新日|更新日|更新时间|更新|公開日|公開|投稿日|掲載日|配信日|発表日|発行日|作成日|发布时间|发表于|发布于|发布日期)"
)
_CJK_CLOCK = re.compile(r"(?<!\d)[0-2]?\d[時时:][0-5]\d分?(?:[0-5]\d秒)?|[（(][月火水木金土日][）)]")
_USUAL = ("de", "fr", "es")
"""Tried for a dateline whose words no stop list knows ("Montag, 06.11.2023")."""
_TRAILING_COUNT = re.compile(r"(?<=\s)\d{1,4}\s*$")
_SEPARATORS = re.compile(r"\s*(?:[|·•/—–»«：]|\s-\s|:(?=\s|$)|,|;|\(|\))\s*")


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
    count: re.Pattern[str]
    handle: re.Pattern[str]
    work: frozenset[str]


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
        count=words("count"),
        handle=re.compile(rf"(?<![\w])(?:{'|'.join(rows['handle'])})\s*:?\s+([a-z0-9][\w.\-]{{2,24}})(?![\w@])"),
        work=frozenset(w for r in rows["work"] for w in r.lower().split("|")),
    )


def read_meta(line: str, language: str = "en") -> Meta | None:
    """What a byline/dateline line says; None unless the whole line is one."""
    meta = _read_meta(line, language)
    if meta is None and _YEAR.search(line) and len(line) <= 120:
        # A dateline in another language than the page's ("Montag, 06.11.2023" on a page taken for English).
        ranked = [*rank_languages(re.findall(r"[^\W\d_]+", line)), *_USUAL]
        for other in [c for c in dict.fromkeys(ranked) if c != language][:3]:
            if (meta := _read_meta(line, other)) is not None:
                break
    return meta


@cache
def _glued_month(language: str) -> re.Pattern[str]:
    """Where a lowercase letter runs into a capitalised month name and its day."""
    names = "|".join(sorted((re.escape(m.capitalize()) for m in calendar(language).months if len(m) > 2), key=len,
                            reverse=True))  # fmt: skip
    return re.compile(rf"(?<=[a-zß-ÿ]{{2}})(?=(?:{names})\.?\s?[0-3]?\d(?!\d))")


def _read_meta(line: str, language: str) -> Meta | None:
    text = line.strip()
    if not text or len(text.split()) > 30 or len(text) > 240 or text[-1] in "?!" or text.endswith(("...", "…")):
        return None
    words = _words()
    # "ByAlex Bozarjian", "Updated21:22": words a page's markup ran together.
    text = _GLUED_BY.sub(r"\1 ", text)
    text = re.sub(r"(?<=[^\W\d_]{3})(?=\d)", " ", text)
    text = _GLUED_DATES.sub(r"\1 ", text)  # "28. Juni 201914. Januar 2020": published and updated run together
    text = _glued_month(language).sub(" ", text)  # "Shana DambrotNovember 6, 2023": a name and its date run together
    if _CJK_DATELINE.search(text) or _CJK_CLOCK.search(text):
        text = _CJK_CLOCK.sub(lambda m: f" {m.group(0)} ", _CJK_DATELINE.sub(r" \1 ", text)).strip()
    role = load_furniture().is_role(text)
    contact = bool(_CONTACT.search(text))  # "Mike Cason | mcason@example.com", "Jon Fingas, @jonfingas"
    if not (_DIGIT.search(text) or any(p.search(text) for p in words.by) or role or words.ago.search(text) or contact):
        return None  # no date, no "By", no job title, no address: a bare name alone is no byline
    dates = find_dates(text, language)
    if not dates and _YEAR.search(text):
        # One line in another language than the page ("Veröffentlicht am 18. Juni 2026" on an English page).
        for other in [code for code in rank_languages(re.findall(r"[^\W\d_]+", text)) if code != language][:3]:
            if dates := find_dates(text, other):
                language = other
                break
    rest = blank_out(text, [span for d in dates for span in d.spans] + month_days(text, language))
    support = bool(dates) or contact
    for pattern in (words.ago, words.readtime, _CLOCK, _CJK_CLOCK):
        rest, found = pattern.subn(" | ", rest)
        support = support or (found > 0 and pattern is not words.readtime)
    rest = words.count.sub(" | ", rest)  # "24 Comments", "Schreibe einen Kommentar": beside a byline, not in it
    if dates:
        rest = _TRAILING_COUNT.sub(" ", rest)  # "1. Februar 2022 Luis Holuch 6": a comment count printed bare
    rest = _IGNORED.sub(" ", rest)  # a handle, an e-mail address, a site's domain beside the name
    updated_at = [m.start() for m in words.updated.finditer(text)]
    published_at = [m.start() for m in words.published.finditer(text)]
    rest = words.updated.sub(" | ", rest)
    rest = words.published.sub(" | ", rest)
    rest = _PARTICLE.sub(lambda m: m.group(0) if m.group(1).lower() in words.work else f"{m.group(1)}{_JOIN}von{_JOIN}",
                        rest)  # fmt: skip
    by = False
    for pattern in words.by:
        if pattern.search(rest):
            by = True
            rest = pattern.sub(f" | {_BY_MARK} | ", rest)
    if rest.rstrip(" |").endswith(_BY_MARK):
        rest = rest.rstrip(" |")[: -len(_BY_MARK)]  # "Powered by", "Photo by": nobody named after it
        by = _BY_MARK in rest
    rest = rest.replace(_JOIN, " ")
    cal = calendar(language)
    stops = _lower_stops(language)
    # A user name in lower case right after "by"/"von" on a dated line: "Veröffentlicht am 12. Juni 2017 von gizzmo".
    handles = (
        {m.group(1) for m in words.handle.finditer(text)}
        if (dates or published_at or updated_at) and not text.isupper()
        else set()
    )
    people: list[str] = []
    organisation: str | None = None
    bare: list[str] = []
    leftover = 0  # words of short unknown parts after the names: an outlet ("CNN"), a section, a place
    after_by = not by  # a single word is a name only after "By" ("Stars 06.11.2023 von Olga")
    for raw in _SEPARATORS.split(rest):
        if raw.strip() == _BY_MARK:
            after_by = True
            continue
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
        single = (by and after_by and not people) or len(names) > 1
        if plain and after_by and all(is_name(n, allow_single=single) for n in names) and len(names) <= 4:
            (people if by else bare).extend(title_case(n) for n in names)
            continue
        if by and not people and part in handles and part.lower() not in _NOT_NAMES and part.lower() not in stops:
            people.append(part)
            continue
        if load_furniture().category(part) is not None and not people and not bare:
            continue  # "Accueil | Par Loïc Le Clerc": a menu word beside the byline
        if load_furniture().is_role(part) and len(part.split()) <= 6:
            if not (by or dates or contact or people or bare) and len(part.split()) > 3:
                return None  # "The Obama Administration Digital Transition: Moving Forward": a headline
            if by and not people and organisation is None and _looks_like_org(part):
                organisation = title_case(raw.strip(" .,:-")) if raw.split()[0].lower() == "the" else title_case(part)
            support = True
            continue
        size = len(part.split())
        if by and not after_by and size <= 3:
            continue  # a widget's words before the byline ("Stars (1 / 1) ... von Olga")
        agency = size == 1 and len(part) <= 4 and part.isalpha()  # "Von David Hutzler, dpa"
        if (
            (people or bare)
            and size <= 3
            and leftover + size <= 4
            and (part[:1].isupper() or part[:1].isdigit() or agency)
        ):
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


@cache
def _lower_stops(language: str) -> frozenset[str]:
    """The stop words a bare name may not hold: those the list has in lower case ("will", "the"), not the
    capitalised names a stop list drawn from news text also holds ("Georg")."""
    return frozenset(w for w in stop_list(language) if w.islower()) - _PARTICLES


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
