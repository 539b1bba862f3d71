"""Sentence splitting: text -> sentences, with nltk's Punkt and our own parameters.

Punkt normally loads a model trained on a corpus that `nltk.download()` fetches.
We build its parameters instead from two lists this package ships for each
language, so splitting works offline on a fresh machine and a reader can see
and extend what it knows:

- ``data/<language>/abbreviations.txt``: words whose period is not, by itself,
  a sentence end ("U.S.", "Gen.", "p.m."; "z.B.", "Nr."; "M.", "av. J.-C.").
- ``data/<language>/sentence_starters.txt``: words that usually begin a
  sentence, so an abbreviation followed by one still ends it ("at 6 p.m. The
  mayor said").

A language without lists is split by Punkt's own rules. Where a language writes
ordinals with a period ("am 3. März", "der 2. Weltkrieg"), ``ordinals.txt`` lists
the words before such an ordinal and the words after one, and a number with a
period between them does not end a sentence. The rules of English news (a.m.,
"Inc.", "Washington, D.C.", a speech verb after a quoted question) are English only.

Two things Punkt leaves to us are handled here: curly quotes and guillemets
count as closing punctuation (older nltk releases know only ASCII quotes), and
a "?", "!" or "." followed by a lowercase word does not end the sentence
(``"Why?" he asked.``, ``3 in. of rain``), since Punkt breaks there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib.resources import files

from nltk.tokenize.punkt import (
    PunktLanguageVars,
    PunktParameters,
    PunktSentenceTokenizer,
)

__all__ = ["split_sentences"]

# Punkt's orthographic-context flags (nltk.tokenize.punkt._ORTHO_BEG_UC and
# _ORTHO_MID_LC). Their values are part of every pickled Punkt model, so they
# are stable; we spell them out rather than import private names.
_ORTHO_BEG_UC = 1 << 1
"""Seen capitalised at the beginning of a sentence."""
_ORTHO_MID_LC = 1 << 5
"""Seen in lowercase inside a sentence."""

_CLOSERS = "\"')]}\u2019\u201d\u00bb"
"""Closing quotes and brackets that may follow a sentence's final mark."""
_LOW_OPENERS = {"de": "\u201c\u2018\u00ab", "cs": "\u201c\u2018", "sk": "\u201c\u2018"}
"""Languages that open a quote low („...“) close it with what English opens with, and »...« quotes
close with «: for these, those marks close a sentence too."""


def _closers(language: str) -> str:
    return _CLOSERS + _LOW_OPENERS.get(language, "")


class _NewsLanguageVars(PunktLanguageVars):
    """English as Punkt reads it, with typographic quotes as punctuation.

    Curly quotes and guillemets end a word, so ``won.”`` is a candidate sentence
    end, and closing ones are moved onto the sentence they close. Recent nltk
    does this itself; older releases, 3.9 among them, know only ASCII quotes.
    """

    _re_non_word_chars = r"(?:[)\";}\]\*:@\'\({\[!?\u2018\u2019\u201c\u201d\u00ab\u00bb])"
    re_boundary_realignment = re.compile(rf"[{re.escape(_CLOSERS)}]+?(?:\s+|(?=--)|$)", re.MULTILINE)


@cache
def _language_vars(language: str) -> PunktLanguageVars:
    """Punkt's view of `language`: English's, with the language's own closing quotes."""
    closers = _closers(language)
    if closers == _CLOSERS:
        return _NewsLanguageVars()
    marks = re.escape(closers)

    class _Vars(_NewsLanguageVars):
        re_boundary_realignment = re.compile(rf"[{marks}]+?(?:\s+|(?=--)|$)", re.MULTILINE)

    return _Vars()


_OPTIONAL = ("ordinals.txt", "sentence_ends.txt")
"""Files a language may do without, English too."""


def _data(language: str, name: str) -> str:
    """A shipped data file of a language ("" when a language other than English has none)."""
    path = files("audio_edition.speech") / "data" / language / name
    if (language != "en" or name in _OPTIONAL) and not (language.isalpha() and path.is_file()):
        return ""
    return path.read_text(encoding="utf-8")


def _read_list(name: str, language: str = "en") -> list[str]:
    """The entries of a shipped data file: stripped, lowercase, no comments or blanks."""
    entries = (line.strip().lower() for line in _data(language, name).splitlines())
    return [entry for entry in entries if entry and not entry.startswith("#")]


def _read_sections(name: str, *headings: str, language: str = "en") -> list[str]:
    """The entries of a shipped data file under the comment lines that start with one of ``headings``."""
    text = _data(language, name)
    entries, keep = [], False
    for line in text.splitlines():
        if line.startswith("#"):
            keep = keep if line.strip() == "#" else line.startswith(headings)
        elif keep and line.strip():
            entries.append(line.strip().lower())
    return entries


@cache
def _abbreviations(language: str = "en") -> frozenset[str]:
    return frozenset(entry.rstrip(".") for entry in _read_list("abbreviations.txt", language))


@cache
def _starters(language: str = "en") -> frozenset[str]:
    return frozenset(_read_list("sentence_starters.txt", language))


@cache
def _before_numbers(language: str = "en") -> frozenset[str]:
    return frozenset(_read_sections("abbreviations.txt", "# Reference words before a number", language=language))


@cache
def _ends_before_capital(language: str) -> re.Pattern[str] | None:
    """After one of the language's sentence_ends.txt ("etc.", "a. C."), a capitalised word starts a sentence."""
    forms = [line.strip() for line in _data(language, "sentence_ends.txt").splitlines()
             if line.strip() and not line.startswith("#")]  # fmt: skip
    if not forms:
        return None
    alternatives = "|".join(
        r"\.\s?".join(re.escape(part) for part in form.rstrip(".").split(". ")) + r"\."
        for form in sorted(forms, key=len, reverse=True)
    )
    return re.compile(
        rf"(?<![\w.])(?:{alternatives})[\"'\u2019\u201d\u00bb)]*\s+(?=[\"\u201c\u201e\u00ab(]?[^\W\d_a-zß-ÿ])"
    )


@cache
def _ordinal_context(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """(words before a dotted ordinal, words after one) of a language; both empty for English."""
    before = _read_sections("ordinals.txt", "# Words before an ordinal", language=language)
    after = _read_sections("ordinals.txt", "# Words after an ordinal", language=language)
    return frozenset(before), frozenset(after)


@lru_cache(maxsize=1)
def _place_cut() -> re.Pattern[str]:
    """A place abbreviation closing "City, St." and a capitalised word after it: a sentence ends there
    ("in Washington, D.C. Organizers said"); without the comma ("the U.S. Senate") it does not."""
    places = _read_sections("abbreviations.txt", "# Countries", "# US states", "# Canadian provinces")
    names = "|".join(sorted((re.escape(p) for p in places), key=len, reverse=True))
    return re.compile(rf"\b[A-Z][\w'-]*, (?i:{names})\.[\"'\u2019\u201d)]*\s+(?=[A-Z\"\u201c])")


def _parameters(language: str = "en") -> PunktParameters:
    """Punkt parameters from our data files, in place of a trained model."""
    params = PunktParameters()
    params.abbrev_types = set(_abbreviations(language))
    params.sent_starters = set(_starters(language))
    for word in params.sent_starters:
        # Recording a starter as "seen capitalised at a sentence start and in
        # lowercase inside one" lets Punkt's orthographic heuristic end a
        # sentence at an initial before it ("vitamin C. The"). Single letters
        # are left out, or "J. A. Smith" would break after "J.".
        if len(word) > 1 and word.isalpha():
            params.add_ortho_context(word, _ORTHO_BEG_UC | _ORTHO_MID_LC)
    return params


@cache
def _tokenizer(language: str = "en") -> PunktSentenceTokenizer:
    """The tokenizer of a language, built on first use."""
    # Given PunktParameters instead of training text, Punkt uses them as they are.
    return PunktSentenceTokenizer(_parameters(language), lang_vars=_language_vars(language))


def _merge_continuations(text: str, spans: list[tuple[int, int]], closers: str = _CLOSERS) -> list[tuple[int, int]]:
    """Join a piece to the one before when it starts with a lowercase letter, or with a closing quote and
    then a comma or a lowercase letter.

    Punkt breaks at every "?" and "!", and at a full stop after a word it does
    not know as an abbreviation; but in ``"Why?" he asked.``, ``3 in. of
    rain`` or ``„Warum?“, fragte sie.`` the sentence goes on.
    """
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        rest = text[start:end].lstrip(closers)
        goes_on = rest[:1].islower() or (rest[:1] in (",", ";") and len(rest) < end - start)
        if merged and goes_on:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _trimmed(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans without the whitespace at their ends; empty ones dropped."""
    out = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def _primary(language: str) -> str:
    """ "en-GB" -> "en"."""
    return language.split("-")[0].split("_")[0].lower() or "en"


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Split text into sentences, in order, by the rules of `language` (a BCP 47 tag: "en-US", "de").

    Each sentence is trimmed of surrounding whitespace and none is empty. Only
    whitespace between sentences is dropped: the sentences joined hold every
    other character of the text, in the same order.

    >>> split_sentences('At 6 p.m. The mayor spoke. "Why?" he asked.')
    ['At 6 p.m.', 'The mayor spoke.', '"Why?" he asked.']
    """
    lang = _primary(language)
    # Trim here so a merge test sees the piece's real first character.
    spans = _merge_continuations(text, _trimmed(text, _tokenizer(lang).span_tokenize(text)), _closers(lang))
    return [text[start:end] for start, end in _recut(text, spans, lang)]


# A list item's marker: "1.)", "1)", "12.", "a.", "b)", "(a)", "ii.", after a bullet or not.
_MARKER = re.compile(r"(?:[•⁃▪◦‣]\s*)?(?:\d{1,2}\.\)|\d{1,2}[.)]|\([a-z0-9]{1,3}\)|[ivx]{1,4}\.|[a-z][.)])(?=\s+\S)")
_BULLET = re.compile(r"[•⁃▪◦‣](?=\s+\S)")
_ITEM_AFTER = re.compile(r"(?:^|[:;.!?][\"')\]\u2019\u201d]*\s+)$")
"""What stands before a list marker: the start, or the end of a clause or sentence (a colon, a semicolon, a full stop)."""
_DASH_BULLET = re.compile(r"(?<=[:.!?])\s+([–—-])(?=\s+[A-Z\d])")
"""A dash as a bullet: after a colon or a sentence's end, before a capital ("closures: – Harbour Bridge...")."""
_TIME_CUT = re.compile(
    r"\b[ap]\.m\.\s+(?=[A-Z])(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Eastern|Central|Pacific|"
    r"Mountain|Atlantic|Greenwich|Moscow|Kyiv|local|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|UTC|BST|CET|CEST)\b)"
)
"""A capitalised word after "a.m." or "p.m." starts a sentence unless it names the day or the zone."""
_COMPANY_CUT = re.compile(r"\b(?:Inc|Corp|Ltd|Co|Bros|LLC|Plc|plc)\.\s+(?=[A-Z][a-z]+\s+[a-z])")
"""A company's "Inc." then a capitalised word and a lowercase one ("Foods Inc. Shares rose") ends a sentence;
"Apple Inc. Chief Executive Tim Cook" goes on."""
_ATTRIBUTION = re.compile(
    r"[A-Z][\w'\u2019-]+(?:\s[A-Z][\w'\u2019-]+)?\s(?:said|says|asked|asks|told|added|replied|shouted|wrote|recalled|"
    r"insisted|whispered|demanded|wondered|yelled|cried|exclaimed|answered|continued)\b"
)
"""\u201c"Who approved this?" Alvarez asked\u201d: a name and a speech verb after a quoted question go on the sentence."""
_LETTER_MARKER = re.compile(r"(?<!\S)[A-Z][.)](?=\s+[A-Z])")
"""A capital letter as a list marker: "A." after a colon or the start, then "B.", "C." in turn."""
_ELLIPSIS = re.compile(r"(?:\s?\.){3,}|\u2026")


def _quoted_question_attribution(text: str, cut: int) -> bool:
    before = text[:cut].rstrip()
    return bool(re.search(r"[?!][\"'\u2019\u201d]+$", before)) and _ATTRIBUTION.match(text, cut) is not None


def _after_ordinal(text: str, cut: int, language: str) -> bool:
    """A cut after a number with a period that is an ordinal in `language`: after a word that takes one
    ("am 3.", "der 2.") or before a word that follows one ("3. März", "50. Mal")."""
    before, after = _ordinal_context(language)
    if not before and not after:
        return False
    head = re.search(r"(?:(?<=\s)|^)([^\s\d]*)\s*\b(?:\d{1,3}|[IVXLC]{1,6})\.\s*$", text[max(0, cut - 40) : cut])
    if head is None:
        return False
    word_after = re.match(r"[^\W\d_]+", text[cut:])
    return head.group(1).lower().strip("(\"'\u201e\u201c\u00bb\u00ab,") in before or (
        word_after is not None and word_after.group().lower() in after
    )


def _list_items(text: str, language: str = "en") -> list[tuple[int, int]]:
    """Where each list item starts and where its marker ends, in order: bullets, dashes after a colon or
    a sentence's end, numbered and lettered markers after a clause's end or right after a bullet."""
    items: list[tuple[int, int]] = [
        (m.start(), m.end()) for m in _BULLET.finditer(text) if m.start() == 0 or text[m.start() - 1].isspace()
    ]
    items += [(m.start(1), m.end(1)) for m in _DASH_BULLET.finditer(text)]
    last_number = -1
    for m in _MARKER.finditer(text):
        if m.start() > 0 and not text[m.start() - 1].isspace():
            continue
        word = re.search(r"(\S+)\.\s+$", text[max(0, m.start() - 16) : m.start()])
        word_before = word.group(1).lower().lstrip("(\"'\u201c") if word else ""
        if word_before in _before_numbers(language):
            continue  # "p. 55.", "No. 7": a number after an abbreviation is not a list item
        number = re.match(r"\d+", text[m.start() : m.end()].lstrip("•⁃▪◦‣ "))
        if word_before in _abbreviations(language) and not (number and int(number.group()) == last_number + 1):
            continue  # "closes Oct. 3.", but "at 8 p.m. 3. Loyalty points" when item 2 came before
        if _ITEM_AFTER.search(text[max(0, m.start() - 4) : m.start()]) or any(
            0 <= m.start() - end <= 1 for _, end in items
        ):
            items.append((m.start(), m.end()))
            last_number = int(number.group()) if number else -1
    expected = "A"
    for m in _LETTER_MARKER.finditer(text):
        before = text[: m.start()].rstrip()
        if text[m.start()] == expected and (expected != "A" or not before or before.endswith(":")):
            items.append((m.start(), m.end()))
            expected = chr(ord(expected) + 1)
    return sorted(items)


def _ellipsis_cut(text: str, end: int, language: str = "en") -> int | None:
    """Where a sentence starts after an ellipsis ending at `end`: at a capitalised sentence starter or a
    capitalised word not followed by a comma ("... Then the roof came down", not "… Jones, Patel and Kim …")."""
    start = end
    while start < len(text) and text[start] in _CLOSERS:
        start += 1
    while start < len(text) and text[start].isspace():
        start += 1
    if start >= len(text) or start == end or not text[start].isupper():
        return None
    word = re.match(r"[\w'\u2019-]+(,?)", text[start:])
    if not word or not word.group(1) or word.group(0).rstrip(",").lower() in _starters(language):
        return start
    return None


def _recut(text: str, spans: list[tuple[int, int]], language: str = "en") -> list[tuple[int, int]]:
    """Punkt's pieces re-cut: every list item its own sentence (its marker kept with it); no cut inside
    a spaced ellipsis (". . .") or before a lowercase word after one, nor between a quoted question and
    its speaker; a cut after an ellipsis before a new sentence, and after "City, D.C.", "a.m." or "Inc."
    before one."""
    if not spans:
        return spans
    cuts = {start for start, _ in spans[1:]}
    items = _list_items(text, language)
    ellipses = [(m.start(), m.end()) for m in _ELLIPSIS.finditer(text)]
    for cut in list(cuts):
        if any((start < cut <= end + 1 and text[end:cut].isspace()) or start < cut < end for start, end in items):
            cuts.discard(cut)  # Punkt cut after "1." of an item: the marker belongs with the item
        elif (
            (language == "en" and _quoted_question_attribution(text, cut))
            or _after_ordinal(text, cut, language)
            or any(start < cut < end for start, end in ellipses)
            or any(end <= cut and not text[end:cut].strip() and text[cut : cut + 1].islower() for _, end in ellipses)
        ):
            cuts.discard(cut)
    cuts.update(after for _, end in ellipses if (after := _ellipsis_cut(text, end, language)) is not None)
    cuts.update(start for start, _ in items if start > 0)
    for pattern in (_place_cut(), _TIME_CUT, _COMPANY_CUT) if language == "en" else ():
        cuts.update(m.end() for m in pattern.finditer(text))
    if (ends := _ends_before_capital(language)) is not None:
        cuts.update(m.end() for m in ends.finditer(text))
    edges = [0, *sorted(c for c in cuts if 0 < c < len(text)), len(text)]
    return _trimmed(text, zip(edges, edges[1:]))
