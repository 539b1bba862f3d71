"""The clean stage: text copied or scraped from a news page -> `Article`.

A scraped page carries the article and a lot of furniture around it: skip
links, menus, share buttons, newsletter forms, cookie banners, adverts, lists of
other headlines. This module keeps the headline, the byline, the publication
date, and the body in reading order (paragraphs, subheadings, photo captions
with their credits), and drops the rest.

The guiding rule is that losing a sentence of the article is worse than keeping
a line of furniture. So furniture is recognised only as *whole lines* that match
a pattern in data/furniture.tsv, never as words inside a sentence, and every
rule that drops a line that is not in that file (lists after "Most read",
teasers, repeated lines, menus above the headline) is narrow on purpose.

The phrases are data (data/furniture.tsv); the rules that use them are here.
Bylines and dates are read by `audio_edition.inputs.byline`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from audio_edition.inputs.byline import (
    Dateline,
    is_name,
    join_authors,
    parse_byline,
    parse_dateline,
    title_case,
)
from audio_edition.errors import InputError
from audio_edition.model import Article, Block

__all__ = ["parse_article", "paren_credit"]

FURNITURE_FILE = Path(__file__).with_name("data") / "furniture.tsv"

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_KEY_CHARS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "…": "..."})
_CLOSERS = "\"'”’»)]"
_QUOTE_OPENERS = "\"'“”„«‘’–—-"
_LIST_MARK = re.compile(r"(?:\d{1,2}[.)]|[•·*▪–-])\s+")
_CAPTION = re.compile(r"(?P<text>.*?\S)\s*\((?P<credit>[^()]{2,120})\)", re.S)
_CREDIT_LABEL = re.compile(
    r"^(?:photo|photograph|photos|image|picture|credit|illustration|video)s?"
    r"(?:\s+credit)?\s*(?::|\bby\b)\s*",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Furniture:
    """The patterns of data/furniture.tsv, grouped by how the rules use them."""

    drop: tuple[tuple[str, re.Pattern[str]], ...]
    """(category, pattern) pairs; a line that fully matches one is dropped."""
    markers: tuple[re.Pattern[str], ...]
    """A line that fully matches one starts a list of other headlines."""
    credits: tuple[re.Pattern[str], ...]
    """Searched inside a trailing "(...)": a hit makes the line a photo caption."""
    roles: tuple[re.Pattern[str], ...]
    """Searched in a byline part: a hit makes it a job title or a publication."""

    def category(self, key: str) -> str | None:
        """The furniture category a whole (normalised) line belongs to, if any."""
        for name, pattern in self.drop:
            if pattern.fullmatch(key):
                return name
        return None


@cache
def load_furniture(path: Path = FURNITURE_FILE) -> Furniture:
    """Read a furniture table: CATEGORY<TAB>REGEX lines, "#" comments."""
    rows: dict[str, list[re.Pattern[str]]] = {}
    drop: list[tuple[str, re.Pattern[str]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        category, sep, regex = line.partition("\t")
        if not sep or not regex.strip():
            raise ValueError(f"{path.name}:{number}: expected CATEGORY<TAB>REGEX")
        flags = 0 if category == "credit" else re.IGNORECASE
        pattern = re.compile(f"(?:{regex.strip()})", flags)
        rows.setdefault(category, []).append(pattern)
        if category not in ("marker", "credit", "role"):
            drop.append((category, pattern))
    return Furniture(
        drop=tuple(drop),
        markers=tuple(rows.get("marker", ())),
        credits=tuple(rows.get("credit", ())),
        roles=tuple(rows.get("role", ())),
    )


_UnitKind = Literal["drop", "marker", "meta", "caption", "text"]


@dataclass
class _Unit:
    """One line (or one re-joined wrapped paragraph) of the page, classified."""

    text: str
    kind: _UnitKind
    authors: tuple[str, ...] = ()
    date: Dateline | None = None
    caption: str = ""
    credit: str = ""


@dataclass
class _ListState:
    numbered: bool = False
    after_number: bool = False


def parse_article(text: str, source: str | None = None) -> Article:
    """Find the article in text copied from a news page.

    Raises `InputError` when the text is empty or holds nothing but page furniture.
    """
    if not text or not text.strip():
        raise InputError("empty input: no text to read")
    furniture = load_furniture()
    units = [_classify(u, furniture) for u in _segment(_lines(text), furniture)]
    if not any(u.kind in ("text", "caption") for u in units):
        raise InputError("no article text found: only page furniture")
    title_at, title, title_in_body = _find_title(units)

    counts = Counter(_norm(u.text) for u in units if u.kind == "text")
    title_key = _norm(title if not title_in_body else units[title_at].text)
    seen: set[str] = set()
    skipped: set[int] = set()
    metas: list[tuple[int, _Unit]] = []
    blocks: list[Block] = []
    first_body: int | None = None
    in_list, state = False, _ListState()

    for i, unit in enumerate(units):
        if unit.kind == "meta":
            metas.append((i, unit))
            continue
        if unit.kind == "drop" or i in skipped:
            continue
        if unit.kind == "marker":
            in_list, state = True, _ListState()
            continue
        if i < title_at and unit.kind == "text" and not _is_prose(unit.text):
            continue  # menus and the site's name above the headline; prose and captions stay
        if i == title_at and not title_in_body:
            continue
        if in_list:
            if _list_item(unit, state):
                continue
            in_list = False
        if unit.kind == "caption":
            blocks.append(Block("caption", unit.caption, unit.credit))
            continue
        if i + 1 < len(units) and _is_teaser(unit.text, units[i + 1]):
            skipped.add(i + 1)
            continue
        key = _norm(unit.text)
        if key == title_key and i != title_at:
            continue
        if counts[key] > 1:
            # A short label repeated down the page is a widget; a repeated
            # paragraph is a scraping echo. Repeated short sentences ("No.") stay.
            if _headline_like(unit.text) and _last_char(key) != "?" and _words(unit.text) <= 12:
                continue
            if key in seen and _words(unit.text) >= 4:
                continue
        seen.add(key)
        blocks.append(Block("paragraph", unit.text))
        if first_body is None:
            first_body = i

    if not any(b.kind in ("paragraph", "caption") for b in blocks):
        raise InputError("no article text found: only a headline and page furniture")
    published = _pick_date(metas, first_body)
    authors = next((u.authors for _, u in metas if u.authors), ())
    return Article(
        title=title,
        author=join_authors(authors),
        published=published.when if published else None,
        blocks=_mark_headings(blocks),
        has_time=bool(published and published.has_time),
        source=source,
    )


# --- lines and units -------------------------------------------------------------


def _lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def _norm(text: str) -> str:
    """The form a line is matched in: straight quotes, "..." for "…", one space."""
    return _SPACES.sub(" ", text.translate(_KEY_CHARS)).strip()


def _words(text: str) -> int:
    return len(text.split())


def _segment(lines: list[str], furniture: Furniture) -> list[str]:
    """Group lines into units: one per line, except that hard-wrapped paragraphs are re-joined.

    A document counts as hard-wrapped when paragraphs are separated by blank
    lines and several of them are made of lines filled to about one width. A
    line is then joined to the next when the next line's first word would not
    have fitted on it: that is why the writer's editor broke the line there.
    """
    groups: list[list[str]] = [[]]
    for line in lines:
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    # The wrap width: most lines that end inside a paragraph are filled to it. A high
    # percentile, not the maximum, so one over-long line does not unwrap the document.
    inner = sorted(len(x) for g in groups if len(g) >= 2 for x in g[:-1])
    width = inner[int(0.9 * (len(inner) - 1))] if inner else 0
    filled = sum(1 for g in groups if len(g) >= 2 and all(len(x) >= width - 20 for x in g[:-1]))
    wrapped = len(groups) > 1 and 50 <= width <= 100 and filled >= 2

    def breaks(line: str) -> bool:
        key = _norm(line)
        return bool(
            furniture.category(key)
            or any(m.fullmatch(key) for m in furniture.markers)
            or _meta(line, furniture)
        )

    units: list[str] = []
    for group in groups:
        current = group[0]
        for previous, line in zip(group, group[1:], strict=False):
            if (
                wrapped
                and len(previous) + 1 + len(line.split()[0]) > width
                and not _LIST_MARK.match(line)
                and not breaks(previous)
                and not breaks(line)
            ):
                current += " " + line
            else:
                units.append(current)
                current = line
        units.append(current)
    return units


def _classify(text: str, furniture: Furniture) -> _Unit:
    meta = _meta(text, furniture)
    if meta is not None:
        return meta
    key = _norm(text)
    if any(m.fullmatch(key) for m in furniture.markers):
        return _Unit(text, "marker")
    if furniture.category(key):
        return _Unit(text, "drop")
    split = paren_credit(text, furniture)
    if split is not None:
        caption, credit = split
        return _Unit(text, "caption", caption=caption, credit=_CREDIT_LABEL.sub("", credit).strip())
    return _Unit(text, "text")


def paren_credit(text: str, furniture: Furniture) -> tuple[str, str] | None:
    """ "The pier at dawn (Photo: Jane Roe/Reuters)" -> ("The pier at dawn", "Photo: Jane Roe/Reuters"):
    a caption of two words or more and, in parentheses, what the furniture list knows as a photo credit."""
    match = _CAPTION.fullmatch(text)
    if match and _words(match.group("text")) >= 2:
        credit = match.group("credit").strip()
        if _words(credit) <= 14 and any(p.search(credit) for p in furniture.credits):
            return match.group("text").strip(), credit
    return None


def _meta(text: str, furniture: Furniture) -> _Unit | None:
    """A byline and/or dateline, maybe with a role or reading time: "Jane Doe | Reporter"."""
    if _words(text) > 30:
        return None
    authors: list[str] = []
    bare: list[str] = []
    date: Dateline | None = None
    support = False  # a role or date next to a bare name makes that name a byline
    for part in re.split(r"\s+[|·•]\s+|\s+[—–]\s+", text):
        found = parse_dateline(part)
        if found:
            date = date or found
            support = True
            continue
        byline = parse_byline(part, furniture.roles)
        if byline:
            names, rest = byline
            authors.extend(names)
            if rest:
                found = parse_dateline(rest)
                if found:
                    date = date or found
                elif _words(rest) > 8:
                    return None
            continue
        if furniture.category(_norm(part)) == "readtime":
            continue
        if not authors and not bare and is_name(part, furniture.roles):
            bare.append(title_case(part))
            continue
        # "AMINA WERE, Meridian Wire": a name, then only job titles or desks.
        name, *roles = re.split(r"\s*,\s*", part)
        if not authors and not bare and roles and is_name(name, furniture.roles) and all(
            _words(r) <= 5 and any(p.search(r) for p in furniture.roles) for r in roles
        ):
            bare.append(title_case(name))
            support = True
            continue
        if _words(part) <= 5 and any(r.search(part) for r in furniture.roles):
            support = True
            continue
        return None
    if bare and support:
        authors.extend(bare)
    if not authors and date is None:
        return None
    return _Unit(text, "meta", authors=tuple(authors), date=date)


# --- shapes of lines -------------------------------------------------------------


def _last_char(text: str) -> str:
    stripped = text.rstrip(_CLOSERS + " ")
    return stripped[-1:] if stripped else ""


def _headline_like(text: str) -> bool:
    """Short, and not ending like a sentence: a headline, label or menu item (may end in "?")."""
    key = _norm(text)
    return (
        1 <= _words(text) <= 20
        and len(text) <= 160
        and not key.endswith("...")
        and _last_char(key) not in (".", "!", ":", ";", ",")
    )


def _is_prose(text: str) -> bool:
    """Ends like a sentence and is long enough to be one."""
    return _words(text) >= 8 and _last_char(_norm(text)) in (".", "!", "?")


def _is_summary(text: str) -> bool:
    """A teaser's summary: one sentence cut off with an ellipsis."""
    key = _norm(text)
    body = key.rstrip(".").rstrip()
    return key.endswith("...") and _words(text) <= 45 and not _SENTENCE_BREAK.search(body)


def _is_teaser(text: str, following: _Unit) -> bool:
    """A headline line directly followed by a summary cut off with "…"."""
    return (
        following.kind == "text"
        and _headline_like(text)
        and _words(text) <= 16
        and _is_summary(following.text)
    )


def _list_item(unit: _Unit, state: _ListState) -> bool:
    """Whether a unit continues a list that a marker ("Most read") started."""
    if unit.kind != "text":
        return False
    text = unit.text
    if re.fullmatch(r"\d{1,2}[.)]?", text):
        state.numbered = state.after_number = True
        return True
    numbered = re.match(r"\d{1,2}[.)]?\s+(\S.*)", text)
    if numbered and _headline_like(numbered.group(1)):
        state.numbered, state.after_number = True, False
        return True
    if _is_summary(text):
        return True
    # In a numbered list an unnumbered line ends the list, unless it follows a
    # bare number ("1" on its own line, then the headline).
    plain = _LIST_MARK.sub("", text, count=1)
    if _headline_like(plain) and (not state.numbered or state.after_number):
        state.after_number = False
        return True
    return False


def _heading_shaped(text: str) -> bool:
    """Short, no final punctuation, starts with a capital, and is not a quotation."""
    key = _norm(text)
    return (
        1 <= _words(text) <= 12
        and len(text) <= 90
        and (text[0].isupper() or text[0].isdigit())
        and text[0] not in _QUOTE_OPENERS
        and key[-1] not in "\"')"  # a closing quote or aside belongs to a sentence
        and _last_char(key) not in ".!?:;,"
        and not _LIST_MARK.match(text)
    )


def _mark_headings(blocks: list[Block]) -> tuple[Block, ...]:
    """Subheadings: heading-shaped paragraphs that stand between two body paragraphs."""
    shaped = [b.kind == "paragraph" and _heading_shaped(b.text) for b in blocks]
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if shaped[i] and any(b.kind == "paragraph" for b in blocks[:i]):
            after = next((j for j in range(i + 1, len(blocks)) if blocks[j].kind != "caption"), None)
            if after is not None and blocks[after].kind == "paragraph" and not shaped[after]:
                block = Block("heading", block.text)
        out.append(block)
    return tuple(out)


# --- title and date --------------------------------------------------------------


def _find_title(units: list[_Unit]) -> tuple[int, str, bool]:
    """(index, title, whether that unit also stays in the body).

    With a byline near the top, the headline is the last headline-shaped line
    above it (menus and the site's name come before the headline; a standfirst
    ending in a full stop may come after it), or the one before that when both
    are long: a headline and its deck. Otherwise it is the first line of
    three or more words; when that line is prose, the page has no headline and
    its first sentence stands in for one while the paragraph stays in the body.
    """
    anchor = next((i for i, u in enumerate(units) if u.kind == "meta" and u.authors), None)
    if anchor is None:
        anchor = next((i for i, u in enumerate(units) if u.kind == "meta"), None)
    if anchor is not None:
        above = [i for i in range(anchor) if units[i].kind == "text"]
        prose = [i for i in above if _is_prose(units[i].text)]
        if len(prose) <= 2:
            # A headline-shaped line below a paragraph is a subheading, not the headline.
            heads = [i for i in above if _headline_like(units[i].text) and (not prose or i < prose[0])]
            if heads:
                last = heads[-1]
                # Two long headline-shaped lines in a row: the headline, then its deck (a subtitle).
                if len(heads) >= 2 and heads[-2] == last - 1 and min(_words(units[i].text) for i in (last - 1, last)) >= 5:
                    last -= 1
                return last, units[last].text, False
    for i, unit in enumerate(units):
        if unit.kind != "text" or _words(unit.text) < 3:
            continue
        if _headline_like(unit.text):
            return i, unit.text, False
        return i, _first_sentence(unit.text), True
    raise InputError("no article text found: only page furniture and menu lines")


def _first_sentence(text: str, limit: int = 14) -> str:
    found = _SENTENCE_BREAK.search(text)
    sentence = text[: found.end()].strip() if found else text
    words = sentence.split()
    return sentence if len(words) <= limit else " ".join(words[:limit]) + "…"


def _pick_date(metas: list[tuple[int, _Unit]], first_body: int | None) -> Dateline | None:
    """The publication date: from the header if it has one, "Published" before "Updated"."""
    dated = [(u.date.updated, i, u.date) for i, u in metas if u.date is not None]
    header = [d for d in dated if first_body is None or d[1] < first_body]
    candidates = header or dated
    return min(candidates, key=lambda d: d[:2])[2] if candidates else None
