"""The shapes of lines of text: what a headline, a sentence, a teaser's summary look like.

Small pure functions over one line, shared by the text reader, its line
features and the web-page reader. None of them looks at neighbouring lines.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "CLOSERS",
    "INVISIBLE",
    "LIST_MARK",
    "SENTENCE_BREAK",
    "first_sentence",
    "heading_shaped",
    "headline_like",
    "is_prose",
    "is_summary",
    "key",
    "last_char",
    "lines_of",
    "words",
]

SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_KEY_CHARS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "…": "..."})
CLOSERS = "\"'”’»)]"
QUOTE_OPENERS = "\"'“”„«‘’–—-"
LIST_MARK = re.compile(r"(?:\d{1,2}[.)]|[•·*▪–-])\s+")
SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


def lines_of(text: str) -> list[str]:
    """The lines of a text: NFC, no invisible characters, runs of spaces as one, stripped."""
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [SPACES.sub(" ", line).strip() for line in text.split("\n")]


def key(text: str) -> str:
    """The form a line is matched in: straight quotes, "..." for "…", one space."""
    return SPACES.sub(" ", text.translate(_KEY_CHARS)).strip()


def words(text: str) -> int:
    return len(text.split())


def last_char(text: str) -> str:
    """The last character before closing quotes and brackets."""
    stripped = text.rstrip(CLOSERS + " ")
    return stripped[-1:] if stripped else ""


def headline_like(text: str) -> bool:
    """Short, and not ending like a sentence: a headline, label or menu item (may end in "?")."""
    k = key(text)
    return (
        1 <= words(text) <= 20
        and len(text) <= 160
        and not k.endswith("...")
        and last_char(k) not in (".", "!", ":", ";", ",")
    )


def is_prose(text: str) -> bool:
    """Ends like a sentence and is long enough to be one."""
    return words(text) >= 8 and last_char(key(text)) in (".", "!", "?")


def is_summary(text: str) -> bool:
    """A teaser's summary: one sentence cut off with an ellipsis."""
    k = key(text)
    body = k.rstrip(".").rstrip()
    return k.endswith("...") and words(text) <= 45 and not SENTENCE_BREAK.search(body)


_ABBREVIATION_END = re.compile(r"(?i)\b(?:co|inc|ltd|corp|jr|sr|bros|dr|st)\.$")
_QUOTED_PHRASE = re.compile(r"^(['‘\"“])[^'‘’\"“”]{1,40}['’\"”]$")


def heading_shaped(text: str) -> bool:
    """Short, no final punctuation, starts with a capital, and is not a quotation
    (a quoted phrase alone, as BBC pages set a subheading, 'Perfect storm', is one)."""
    text = _ABBREVIATION_END.sub("", text.strip()).strip() or text  # "Femi Adeyemi, Crumb & Co."
    if _QUOTED_PHRASE.match(text) and words(text) <= 5:
        text = text[1:-1]
    k = key(text)
    return (
        1 <= words(text) <= 12
        and len(text) <= 90
        and (text[0].isupper() or text[0].isdigit())
        and text[0] not in QUOTE_OPENERS
        and k[-1] not in "\"')"  # a closing quote or aside belongs to a sentence
        and last_char(k) not in ".!?:;,"
        and not LIST_MARK.match(text)
    )


_ORDINAL_AFTER = re.compile(
    r"\b(?:[Aa]m|[Ii]m|[Vv]om|[Zz]um|[Zz]ur|[Dd]er|[Dd]ie|[Dd]as|[Dd]em|[Dd]en|[Ss]eit|[Bb]is)\s+\d{1,3}\.$"
)
_DAY_BEFORE_MONTH = re.compile(
    r"\s+(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b"
)
"""A German dotted ordinal at a sentence break: after an article or preposition that takes one, or a day
before its month ("Berlin, 3. März")."""


def _ordinal_at(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes a German dotted ordinal rather than a sentence."""
    head = text[: dot + 1]
    if _ORDINAL_AFTER.search(head):
        return True
    return re.search(r"(?<![\d.,])\d{1,2}\.$", head) is not None and _DAY_BEFORE_MONTH.match(text, dot + 1) is not None


def first_sentence(text: str, limit: int = 32) -> str:
    """The first sentence of a paragraph, cut to `limit` words with "…"."""
    # Not after a dotted ordinal ("Am 3. März", "der 2. Weltkrieg"); "The vote was 7 to 2. Then" still ends.
    found = next((m for m in SENTENCE_BREAK.finditer(text) if not _ordinal_at(text, m.start())), None)
    sentence = text[: found.end()].strip() if found else text
    parts = sentence.split()
    return sentence if len(parts) <= limit else " ".join(parts[:limit]) + "…"
