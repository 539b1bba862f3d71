"""The text reader: text copied or scraped from a news page -> `Article`.

A scraped page carries the article and a lot of furniture around it: skip
links, menus, share buttons, newsletter forms, cookie banners, adverts, lists of
other headlines, comments, footers. This reader keeps the headline, the
byline, the publication date, and the body in reading order (paragraphs,
subheadings, photo captions with their credits), and drops the rest.

Two kinds of evidence decide each line (`lines.Unit`):

- rules, for what is certain line by line: whole-line furniture phrases
  (data/furniture.tsv), bylines and datelines (`byline`), captions and credits
  (`credits`), a teaser's headline and its summary cut off with "…";
- the trained line model (`linemodel`), for everything else: whether a line is
  the article's, its headline, or neither, from its shape, its neighbours and
  where it stands, with the article taken as one run from its first line to its
  last (bench/reader_train.py trains it on real pages; bench/reader.py scores it).

`read_text` also says why each line was kept or dropped (`clean --explain`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from audio_edition.errors import InputError
from audio_edition.inputs import shapes
from audio_edition.inputs.byline import (
    Meta,
    beside_a_name,
    is_name,
    join_authors,
    read_meta,
    title_case,
    undouble,
)
from audio_edition.inputs.credits import caption_label, credit_line, is_credit_label, split_credit
from audio_edition.inputs.dates import find_dates
from audio_edition.inputs.decisions import Decision, Label, Reading
from audio_edition.inputs.furniture import load_furniture
from audio_edition.inputs.givennames import is_given_name
from audio_edition.inputs.language import detect as detect_language
from audio_edition.inputs.lines import Facts, Unit, features, units
from audio_edition.inputs.stopwords import guess_language
from audio_edition.model import Article, Block

__all__ = ["Evidence", "evidence", "parse_article", "read_text"]


# Furniture categories dropped by the rule alone, whatever the model says.
_ALWAYS_DROPPED = frozenset(
    {"skip", "nav", "share", "newsletter", "cookie", "advert", "comments", "readtime", "timestamp", "notice",
     "media", "creditline", "footer", "link", "bio"}
)  # fmt: skip
_BY_LABEL = re.compile(
    r"(?i)(?:by|von|par|por|door|di|av|af|przez|автор(?:ы|и)?|текст|autor(?:/in|in|a|es|zy)?|author|auteur|redaktion|"
    r"text|texto|tekst|written by|words by|text von|un texte de)\s*:?"
)
_BY_END = re.compile(r"(?i)\s(?:by|von|par|por|door|di|av|af|przez)\s*:?$")
_PUBLISHED = re.compile(
    r"(?i)published|posted|publié|publicado|publiziert|veröffentlicht|pubblicato|gepubliceerd|opublikowano|опубликовано|опубліковано|date|datum|fecha|data|stand|erschienen|meldung|nachricht|news"
)
# A dateline's place before its date: "Lübeck, 31. März 2003", "Berlin/Ratingen, 2. Mai 2021".
_PLACE_COMMA = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[ /-][A-ZÀ-ÖØ-Þ][^\W\d_]+){0,2}\s*,\s*")
_TITLE_MIN = 0.15
"""The least headline probability a line needs to be taken as the headline."""
_BARE_NAME_MIN = 0.8
"""A name alone on its line, with nothing around it that says byline, counts when the model is this sure..."""
_GIVEN_NAME_MIN = 0.15
"""... or this sure, when it starts with a known first name ("Emma Grey Ellis", not "Instant Access"): on the
training split, bare names without a known first name added no right author at any threshold."""
_MENU_WORD = re.compile(r"[^\W\d][^\s.!?:;,\d]*(?:\s+[^\s.!?:;,\d]+){0,2}")
"""One to three words with no digit and no stop: a menu item or a section's name ("Arts & Culture")."""


@dataclass(frozen=True)
class Evidence:
    """What the reader knows about a page before it decides."""

    units: list[Unit]
    facts: list[Facts]
    metas: list[Meta | None]
    """Each unit read as a byline or dateline, where it is one."""
    x: np.ndarray
    """The line model's features, one row per unit."""
    language: str


def evidence(text: str, language: str | None = None) -> Evidence:
    """A page's units, the rules' facts about each, and the line model's feature matrix."""
    furniture = load_furniture()
    found = units(text, lambda line: furniture.known(shapes.key(line)))
    language = language or guess_language(w.lower() for u in found for w in u.text.split())
    metas = [read_meta(u.text, language) if shapes.words(u.text) <= 30 else None for u in found]
    facts = []
    credited = [credit_line(u.text) is not None for u in found]
    for i, (unit, meta) in enumerate(zip(found, metas, strict=True)):
        key = shapes.key(unit.text)
        category = furniture.category(key)
        # A caption: it carries a credit, is one, or stands just above one.
        above_credit = i + 1 < len(found) and credited[i + 1] and category is None and shapes.words(unit.text) >= 3
        facts.append(Facts(
            category=category,
            marker=furniture.is_marker(key),
            byline=bool(meta and meta.credited),
            dateline=bool(meta and meta.date),
            caption=split_credit(unit.text)[1] is not None or credited[i] or above_credit,
        ))  # fmt: skip
    return Evidence(found, facts, metas, features(found, facts, language), language)


def parse_article(text: str, source: str | None = None) -> Article:
    """Find the article in text copied from a news page.

    Raises `InputError` when the text is empty or holds nothing but page furniture.
    """
    return read_text(text, source).article


def read_text(text: str, source: str | None = None) -> Reading:
    """The article in text copied from a news page, with the decision on every line."""
    if not text or not text.strip():
        raise InputError("empty input: no text to read")
    from audio_edition.inputs.linemodel import load_model  # noqa: PLC0415

    ev = evidence(text)
    n = len(ev.units)
    model = load_model()
    probs = model.classify(ev.x)
    q = model.context_probs(probs, ev.x)
    decoded = model.states(q)
    states = model.resume(decoded, probs, ev.x)
    kept = states == 1
    inside = (states == 1) | (states == 2)
    labels: list[Label] = ["furniture"] * n
    place = ("above the article", "the article's text", "inside the article, not its text", "below the article")
    why = [f"line model: {place[states[i]]} ({q[i, states[i]]:.2f})" for i in range(n)]
    for i in np.flatnonzero((states == 1) & (decoded != 1)).tolist():
        why[i] = f"line model: the article's text, after furniture that seemed to end it ({probs[i, 1]:.2f})"
    credits: dict[int, str] = {}

    for i, (unit, fact, meta) in enumerate(zip(ev.units, ev.facts, ev.metas, strict=True)):
        if fact.category == "creditline" and (credit := credit_line(unit.text)) is not None:
            labels[i] = "credit"
            credits[i] = credit
            why[i] = "a photo credit on its own line"
        elif fact.category in _ALWAYS_DROPPED and not (fact.category == "nav" and meta is not None):
            why[i] = f"furniture phrase ({fact.category})"
        elif fact.marker:
            why[i] = "starts a list of other headlines"
        elif i and is_credit_label(ev.units[i - 1].text) and (credit := credit_line(unit.text)) is not None:
            labels[i] = "credit"
            credits[i] = credit
            why[i] = "a photo credit, below its label"
        elif meta is not None:
            labels[i] = "byline" if meta.credited else "dateline"
            why[i] = "byline" if meta.credited else "dateline"
        elif (credit := credit_line(unit.text)) is not None:
            labels[i] = "credit"
            credits[i] = credit
            why[i] = "a photo credit on its own line"
        elif caption_label(unit.text) is not None:
            labels[i], why[i] = "caption", "labelled as a photo caption"
        elif inside[i] and split_credit(unit.text)[1] is not None:
            labels[i], why[i] = "caption", "a photo caption with its credit, inside the article"
        elif kept[i]:
            labels[i] = "paragraph"
    for i in range(n - 1):
        if ev.facts[i].category is None and _is_teaser(ev.units[i].text, ev.units[i + 1].text):
            labels[i] = labels[i + 1] = "furniture"
            why[i] = why[i + 1] = "a teaser: a headline and its summary cut off with '…'"
    _drop_listed_headlines(ev, labels, why)
    _jump_list(ev, labels, why)
    if n and labels[-1] == "paragraph" and shapes.is_summary(ev.units[-1].text) and _is_teaser_end(ev, n - 1):
        labels[-1] = "furniture"
    _drop_echoes(ev.units, labels, why)

    body = [i for i in range(n) if labels[i] in ("paragraph", "caption")]
    if not body:
        raise InputError("no article text found: only page furniture")
    title_at: int | None
    headline, score = model.headline([u.text for u in ev.units], probs, q, states, ev.x)
    if headline is not None and labels[headline] in ("furniture", "paragraph"):
        above = headline - 1
        if ("; " in ev.units[headline].text and above >= 0 and labels[above] in ("furniture", "paragraph")
                and ev.facts[above].category is None and shapes.headline_like(ev.units[above].text)):  # fmt: skip
            headline = above  # a deck ("Council split 7-2; mayor to sign Friday") under its headline
        title_at, title, title_in_body = headline, _crumbs_cut(ev.units[headline].text), False
    else:
        title_at, title, title_in_body = _title(ev, probs, labels, body[0])
        score = probs[title_at, 2] if title_at is not None else 0.0
    if title_at is not None:
        if not title_in_body:
            labels[title_at] = "title"
            why[title_at] = f"the headline (line model: {score:.2f})"
        body = [i for i in body if i != title_at or title_in_body]
    if not any(labels[i] in ("paragraph", "caption") for i in body):
        raise InputError("no article text found: only a headline and page furniture")
    if title_at is not None and not title_in_body:
        _drop_menu_above(ev, labels, why, title_at)
        _keep_standfirst(ev, labels, why, title_at)
    _keep_credited_captions(ev, labels, why, credits, title_at)

    author, published, has_time = _header(ev, labels, title_at, body[0], inside, probs)
    for i in range(n):
        if labels[i] == "byline" and not why[i].startswith("byline"):
            why[i] = "byline: a name beside a dateline or a 'By' label"
        elif labels[i] == "dateline" and not why[i].startswith("dateline"):
            why[i] = "dateline: a date (and its place) just under the headline"
    _drop_comments(ev, labels, why, q)
    _trim_tail(ev, labels, why, author)
    blocks, credit_used = _blocks(ev, labels, credits)
    for i in credit_used:
        why[i] = "the credit of the photo caption beside it"
    article = Article(
        title=title,
        author=author,
        published=published,
        blocks=_mark_headings(blocks),
        has_time=has_time,
        source=source,
        language=detect_language(" ".join(b.text for b in blocks)),
    )
    decisions = tuple(Decision(u.line + 1, u.text, labels[i], why[i]) for i, u in enumerate(ev.units))
    return Reading(article, decisions)


_HERE = re.compile(r"^(?:you are here|sie sind hier|vous êtes ici|usted está aquí|está aqui)\s*:?\s*", re.I)
_CRUMB = re.compile(r"\s*(?:»|›|>)\s*")


def _crumbs_cut(text: str) -> str:
    """ "utopia.de » News » Polarisierende BH-Werbung": the headline without the breadcrumbs before it."""
    text = _HERE.sub("", text.strip())
    if "«" in text or "‹" in text:
        return text  # »quoted« in the French or German way
    parts = _CRUMB.split(text)
    if len(parts) < 3 or any(not p or len(p.split()) > 3 for p in parts[:-1]):
        return text
    return parts[-1] if len(parts[-1].split()) >= 3 else text


def _keep_standfirst(ev: Evidence, labels: list[Label], why: list[str], title_at: int) -> None:
    """The standfirst: a sentence or two between the headline and the byline just below it are the article's."""
    below = next((i for i in range(title_at + 1, min(len(labels), title_at + 5)) if labels[i] in ("byline", "dateline")),
                 None)  # fmt: skip
    if below is None:
        return
    for i in range(title_at + 1, below):
        unit = ev.units[i]
        if labels[i] == "furniture" and why[i].startswith("line model") and shapes.words(unit.text) >= 5:
            labels[i], why[i] = "paragraph", "the standfirst: between the headline and the byline"


def _keep_credited_captions(
    ev: Evidence, labels: list[Label], why: list[str], credits: dict[int, str], title_at: int | None
) -> None:
    """A line just above a photo credit, below the headline and no further down than the article, is its caption."""
    last = max((i for i, label in enumerate(labels) if label == "paragraph"), default=-1)
    glued = [i for i, fact in enumerate(ev.facts) if fact.caption and i not in credits]
    for j in sorted({i - 1 for i in credits} | set(glued)):
        if not (title_at or 0) < j < last or labels[j] != "furniture" or not why[j].startswith("line model"):
            continue
        if 3 <= shapes.words(ev.units[j].text) <= 40 and ev.facts[j].category is None and not ev.facts[j].marker:
            labels[j] = "caption"
            why[j] = (
                "a photo caption with its credit" if j in glued else "a photo caption: the line above a photo credit"
            )


def _drop_menu_above(ev: Evidence, labels: list[Label], why: list[str], title_at: int) -> None:
    """Short lines kept just above the headline, among menu links ("Sign in"), are a menu or a section's
    name ("Culture", "Science"), not the article, which starts at its headline."""
    i = title_at - 1
    while i >= 0 and (labels[i] == "paragraph" or why[i].startswith("furniture phrase")):
        if labels[i] == "paragraph":
            if not _MENU_WORD.fullmatch(ev.units[i].text.strip()):
                break
            labels[i], why[i] = "furniture", "a menu word just above the headline"
        i -= 1


def _drop_listed_headlines(ev: Evidence, labels: list[Label], why: list[str]) -> None:
    """Below a "Most read" / "Related" marker, the short lines up to the next sentence of prose are other
    headlines; on a page that parts its paragraphs with blank lines, one set off above a paragraph is the
    article's next subheading (the list ended), read as one when the list comes after a full paragraph of the article's text."""
    n = len(ev.units)
    spaced = any(u.blank_before for u in ev.units[1:])

    def prose(j: int) -> bool:
        text = ev.units[j].text
        return shapes.words(text) >= 8 and shapes.last_char(shapes.key(text)) in '.!"”'

    for i, fact in enumerate(ev.facts):
        if not fact.marker:
            continue
        numbered = False  # "1. ..." items: the first line without a number or bullet ends the list
        for j in range(i + 1, min(n, i + 13)):
            text = ev.units[j].text
            if ev.facts[j].marker or prose(j):
                break
            if spaced and j > i + 1 and ev.units[j].blank_after and j + 1 < n and prose(j + 1):
                if (labels[j] == "furniture" and why[j].startswith("line model") and shapes.heading_shaped(text)
                        and any(labels[k] == "paragraph" and shapes.words(ev.units[k].text) >= 25 for k in range(i))):  # fmt: skip
                    labels[j], why[j] = (
                        "paragraph",
                        "a subheading: set off above a paragraph, after a list of headlines",
                    )
                break
            item = bool(shapes.LIST_MARK.match(text)) or text.strip().isdigit()
            if numbered and not item and not (j > 0 and ev.units[j - 1].text.strip().isdigit()):
                if (labels[j] == "furniture" and why[j].startswith("line model") and shapes.heading_shaped(text)
                        and j + 1 < n and labels[j + 1] == "paragraph"):  # fmt: skip
                    labels[j], why[j] = "paragraph", "a subheading: the first line after a numbered list of headlines"
                break
            numbered = numbered or item
            if labels[j] == "paragraph":
                labels[j], why[j] = "furniture", "in a list of other headlines, below its marker"


_JUMP = re.compile(
    r"(?:in this (?:article|story|guide|post|page)|(?:table of )?contents|on this page|jump to(?: section)?|"
    r"inhalt(?:sverzeichnis)?|in diesem artikel|sommaire|dans cet article|índice|en este artículo|indice|"
    r"in questo articolo|inhoud(?:sopgave)?|spis treści|содержание|зміст)\s*:?",
    re.IGNORECASE,
)


def _jump_list(ev: Evidence, labels: list[Label], why: list[str]) -> None:
    """ "In this article" and the subheadings it lists: the list is not read, the subheadings it names are
    (whatever they look like: "Photos" is a subheading here, not a gallery link)."""
    n = len(ev.units)
    for i in range(n):
        if not _JUMP.fullmatch(shapes.key(ev.units[i].text)):
            continue
        entries: list[int] = []
        for j in range(i + 1, min(n, i + 25)):
            key = shapes.key(ev.units[j].text).casefold()
            if shapes.words(ev.units[j].text) > 14 or any(
                shapes.key(ev.units[e].text).casefold() == key for e in entries
            ):
                break
            entries.append(j)
        later = {}
        for e in entries:
            key = shapes.key(ev.units[e].text).casefold()
            again = next((k for k in range(entries[-1] + 1, n) if shapes.key(ev.units[k].text).casefold() == key), None)
            if again is not None:
                later[e] = again
        if len(entries) < 2 or len(later) < max(2, len(entries) // 2):
            continue
        labels[i], why[i] = "furniture", "the article's jump list"
        for e in entries:
            labels[e], why[e] = "furniture", "an entry of the article's jump list"
        for k in later.values():
            labels[k], why[k] = "heading", "a subheading the article's jump list names"


_BIO = re.compile(r"\s+(?:is|was|covers|writes|reports|has|joined|edits|leads)\b")


def _drop_comments(ev: Evidence, labels: list[Label], why: list[str], q: np.ndarray) -> None:
    """Below a comments heading ("[ 167 comments ]", "Top Rated Comments") that comes after the article's
    first paragraphs, the lines the model doubts are readers' comments and their names; a line it is sure
    of means the article goes on (the heading was a counter in a share bar), and ends the cut."""
    kept = [i for i, label in enumerate(labels) if label == "paragraph"]
    start = (
        next((i for i in range(kept[2] + 1, len(labels)) if ev.facts[i].category == "comments"), None)
        if len(kept) > 3
        else None
    )
    if start is None:
        return
    for i in range(start + 1, len(labels)):
        if labels[i] == "paragraph":
            if q[i, 1] >= 0.5:
                return
            labels[i], why[i] = "furniture", f"below a comments heading, and the line model doubts it ({q[i, 1]:.2f})"


def _trim_tail(ev: Evidence, labels: list[Label], why: list[str], author: str | None) -> None:
    """The article ends with a sentence: a run of three or more short lines kept after its last one (a list
    of tags, the author's name and job title) is furniture, and so is a closing note about the author
    ("Jane Doe covers ...")."""
    kept = [i for i, label in enumerate(labels) if label == "paragraph"]
    names = [a.strip() for a in re.split(r",\s*|\s+and\s+", author or "") if a.strip()]
    for i in kept[-3:]:
        text = ev.units[i].text
        above = ev.units[i - 1].text.strip() if i > 0 else ""
        # "Noor Hadley" on its line, then "Noor Hadley is a travel writer ...": a name heads the note.
        heads = is_name(above) and text.startswith(above)
        if (any(text.startswith(name) and _BIO.match(text, len(name)) for name in names + ([above] if heads else []))
                and shapes.words(text) <= 60):  # fmt: skip
            labels[i], why[i] = "furniture", "a note about the author, after the article"
            if heads and labels[i - 1] == "paragraph":
                labels[i - 1], why[i - 1] = "furniture", "the name above a note about the author"
    kept = [i for i, label in enumerate(labels) if label == "paragraph"]
    sentences = [
        i
        for i in kept
        if shapes.words(ev.units[i].text) >= 6 and shapes.last_char(shapes.key(ev.units[i].text)) in '.!?"”’»)'
    ]
    if len(sentences) < 2:
        return
    tail = [i for i in kept if i > sentences[-1]]
    short = [
        i
        for i in tail
        if shapes.words(ev.units[i].text) <= 5 and shapes.last_char(shapes.key(ev.units[i].text)) not in ".!?"
    ]
    if len(tail) >= 3 and short == tail:  # a run of tags or a name and a job title; one short closing line stays
        for i in tail:
            labels[i], why[i] = "furniture", "after the article's last sentence: a list of short lines"


def _is_teaser(text: str, following: str) -> bool:
    """A headline line directly followed by a summary cut off with "…"."""
    return shapes.headline_like(text) and shapes.words(text) <= 16 and shapes.is_summary(following)


def _is_teaser_end(ev: Evidence, i: int) -> bool:
    return i > 0 and shapes.headline_like(ev.units[i - 1].text)


def _drop_echoes(found: list[Unit], labels: list[Label], why: list[str]) -> None:
    """A whole paragraph printed twice (a pull quote, a scraping echo) is read once."""
    seen: set[str] = set()
    for i, unit in enumerate(found):
        if labels[i] != "paragraph":
            continue
        key = shapes.key(unit.text)
        if key in seen and shapes.words(unit.text) >= 8:
            labels[i], why[i] = "furniture", "the same paragraph again"
        seen.add(key)


def _title(ev: Evidence, probs: np.ndarray, labels: list[Label], first_body: int) -> tuple[int | None, str, bool]:
    """(index, headline, whether that unit also stays in the body).

    The headline is the line the model finds most headline-like before the
    article's first lines (or among them). When no line is, it is the
    headline-shaped line above the byline, or else the first line; when that is
    prose, the page has no headline and its first sentence stands in for one
    while the paragraph stays in the body.
    """
    n = len(ev.units)
    limit = min(n, first_body + 3)
    candidates = [
        i for i in range(limit)
        if labels[i] in ("furniture", "paragraph") and ev.facts[i].category not in _ALWAYS_DROPPED
        and not ev.facts[i].marker and not ev.facts[i].caption and 1 <= shapes.words(ev.units[i].text) <= 40
    ]  # fmt: skip
    if candidates:
        best = max(candidates, key=lambda i: probs[i, 2])
        if probs[best, 2] >= _TITLE_MIN:
            return best, ev.units[best].text, False
    anchor = next((i for i, m in enumerate(ev.metas) if m is not None and m.credited), None)
    if anchor is None:
        anchor = next((i for i, m in enumerate(ev.metas) if m is not None), None)
    if anchor is not None:
        heads = [i for i in range(anchor) if labels[i] in ("furniture", "paragraph")
                 and ev.facts[i].category is None and shapes.headline_like(ev.units[i].text)
                 and shapes.words(ev.units[i].text) >= 3]  # fmt: skip
        if heads:
            return heads[-1], ev.units[heads[-1]].text, False
    first = ev.units[first_body].text
    if shapes.headline_like(first) and labels[first_body] == "paragraph":
        return first_body, first, False
    return first_body, shapes.first_sentence(first), True


def _header(
    ev: Evidence, labels: list[Label], title_at: int | None, first_body: int, inside: np.ndarray, probs: np.ndarray
) -> tuple[str | None, datetime | None, bool]:
    """The author(s) and the publication date, from the bylines and datelines nearest the headline.

    The header is the stretch from a few lines above the headline to a few lines
    into the body. A byline there wins; else a name on a line of its own beside a
    "By" or "Autor:" label or a dateline (pages split bylines over lines); else a
    byline inside the article. Likewise the date: a dateline in the header
    ("Published" before "Updated"), else a line of the header that starts with
    a date ("24.01.2022 - Meldung"), else a dateline inside the article.
    """
    n = len(ev.units)
    anchor = title_at if title_at is not None else first_body
    body = [i for i in range(n) if labels[i] in ("paragraph", "caption")]
    last_body = max(body, default=first_body)
    # The header runs from a few lines above the headline to a few lines into the text below it (a line
    # kept far above the headline does not move it), and not past the article's last line.
    start = next((i for i in body if i > anchor), first_body) if title_at is not None else first_body
    low, high = max(0, min(anchor, start) - 8), min(n, start + 12, max(last_body + 1, anchor + 2))
    header = range(low, high)

    def near(i: int) -> tuple[int, int]:
        return (0 if i >= anchor else 1, abs(i - anchor))

    def usable(i: int) -> bool:
        if ev.facts[i].category is not None:
            return False
        # A short line kept as text just under the headline may be its dateline ("Lindenau, 18. Juni 2026").
        return labels[i] in ("byline", "dateline", "furniture") or (
            labels[i] == "paragraph" and anchor < i <= anchor + 2 and shapes.words(ev.units[i].text) <= 8
        )

    metas = {i: m for i, m in enumerate(ev.metas) if m is not None and labels[i] in ("byline", "dateline")}
    in_header = [i for i in header if i in metas]
    # Some pages sign the article at its foot: "Text: Ursula Eggers", "Author: ... / Published: ...".
    foot = range(max(high, last_body - 3), min(n, last_body + 9))
    in_foot = [i for i in foot if i in metas]
    in_article = [i for i in metas if inside[i] and i not in in_header and i not in in_foot]
    elsewhere = [
        i for i in metas if i <= last_body + 9 and i not in in_header and i not in in_foot and i not in in_article
    ]

    def signed(i: int) -> bool:
        """A byline says "By", or names someone by a known first name, or names only an organisation: a
        title-case phrase beside a date ("Aktuelle Meldung | 24.01.2022") is no person."""
        meta = metas[i]
        return meta.by or not meta.authors or any(is_given_name(a.split()[0]) for a in meta.authors)

    author = _credited([i for i in in_header if signed(i)], metas, near)
    for zone in (header, foot):
        if author is None:
            split = _split_bylines(ev, zone, labels)
            if split:
                at, author = split[0]
                labels[at] = "byline"
        if author is None and zone is header:
            author = _credited(in_foot, metas, near)
    if author is None:
        # A name alone on its line near the headline, which the line model takes for a byline.
        alone = [i for i in header if labels[i] in ("furniture", "paragraph") and ev.facts[i].category is None
                 and is_name(ev.units[i].text.strip()) and _bare_name_sure(ev.units[i].text, probs[i, 3])]  # fmt: skip
        if alone:
            at = max(alone, key=lambda i: probs[i, 3])
            author, labels[at] = title_case(ev.units[at].text.strip()), "byline"
    # Inside the article, an organisation without "By" is no signature either.
    author = author or _credited(
        [i for i in in_article if signed(i) and (metas[i].by or metas[i].authors)], metas, near
    )

    dated = None
    for group in (in_header, in_foot, in_article, elsewhere):
        found = [i for i in group if metas[i].date is not None]
        published = [i for i in found if not metas[i].date.updated]  # type: ignore[union-attr]
        if found and not published and group is in_header:
            # "Updated on: ..." under the headline, "First published on ..." at the foot: the foot's wins.
            published = [i for i in in_foot if metas[i].date is not None and not metas[i].date.updated]  # type: ignore[union-attr]
        pick = sorted(published or found, key=near)
        if pick:
            date = metas[pick[0]].date
            dated = (date.when, date.has_time) if date else None
            break
        if group is in_header:
            kept = {i for i in header if labels[i] == "paragraph"}
            loose = _loose_date(ev, [i for i in header if usable(i)], near, kept)
            if loose is not None:
                at, dated = loose[0], loose[1:]
                if labels[at] == "paragraph":
                    labels[at] = "dateline"
                break
    if dated is None:
        return author, None, False
    return author, dated[0], dated[1]


def _bare_name_sure(text: str, p_meta: float) -> bool:
    """Whether a bare name alone on its line is the author, by the line model's meta probability."""
    words = text.split()
    if len(words) >= 2 and is_given_name(words[0]):
        return p_meta >= _GIVEN_NAME_MIN
    return p_meta >= _BARE_NAME_MIN


def _credited(indexes: list[int], metas: dict[int, Meta], near: Callable[[int], tuple[int, int]]) -> str | None:
    """The authors of the byline nearest the headline among `indexes` (people before an organisation)."""
    credited = sorted((i for i in indexes if metas[i].credited), key=near)
    people = [i for i in credited if metas[i].authors]
    chosen = people or credited
    return join_authors(metas[chosen[0]].credited) if chosen else None


def _split_bylines(ev: Evidence, header: range, labels: list[Label]) -> list[tuple[int, str]]:
    """A byline spread over lines: "By" / "Autor:" on one, the name on the next; or a name beside a
    dateline, a time, a reading time, a job title ("Political Editor") or an e-mail address."""
    found: list[tuple[int, str]] = []
    n = len(ev.units)
    for i in header:
        text = undouble(ev.units[i].text.strip(" /|·•-–—,;:"))
        if labels[i] not in ("furniture", "paragraph") or ev.facts[i].category is not None:
            continue
        if not is_name(text) or shapes.words(text) > 5:
            continue
        label_above = i > 0 and bool(
            _BY_LABEL.fullmatch(ev.units[i - 1].text.strip()) or _BY_END.search(ev.units[i - 1].text)
        )
        beside = any(beside_a_name(ev.units[j].text, ev.language) for j in (i - 1, i + 1) if 0 <= j < n)
        # Beside a date, a name in title case may still be a menu item ("All Categories"): a person's starts
        # with a known first name, unless a "By" label on the line above says whose it is.
        if beside and not label_above and not is_given_name(text.split()[0]):
            continue
        if label_above or beside:
            found.append((i, title_case(text)))
    return found


def _loose_date(
    ev: Evidence, candidates: list[int], near: Callable[[int], tuple[int, int]], strict: set[int]
) -> tuple[int, datetime, bool] | None:
    """A header line that starts with a date, or a place or "Published" before one: "24.01.2022 - Meldung - Energie",
    "Hamburg, 2. November 2021". A line in `strict`, kept as the article's text, must be little more than that."""
    best = None
    for i in sorted(candidates, key=near):
        text = ev.units[i].text
        if shapes.words(text) > 20 or shapes.is_prose(text):
            continue
        for found in find_dates(text, ev.language):
            head = text[: found.start].strip(" |·•-–—:,")
            placed = bool(_PLACE_COMMA.fullmatch(text[: found.start].lstrip()))
            tail = text[max(end for _, end in found.spans) :].strip(" |·•-–—:,.")
            if i in strict and (shapes.words(tail) > 2 or shapes.words(head) > 3):
                continue
            if not head or placed or (_PUBLISHED.search(head) and shapes.words(head) <= 4):
                best = (i, found.when, found.has_time)
                break
        if best:
            return best
    return None


def _blocks(ev: Evidence, labels: list[Label], credits: dict[int, str]) -> tuple[list[Block], set[int]]:
    """The body as blocks: paragraphs, and captions with their credits (from the line itself or beside it)."""
    blocks: list[Block] = []
    used: set[int] = set()
    n = len(ev.units)
    kept = [i for i in range(n) if labels[i] in ("paragraph", "caption", "heading")]
    spaced = any(u.blank_before for u in ev.units[1:])  # the first unit always has "a blank" before it
    claimed: dict[int, int] = {}
    # A caption labelled as one ("Image caption, ...") takes the credit beside it first: on BBC-like
    # pages the credit comes before it, right after the paragraph above.
    for i in kept:
        if caption_label(ev.units[i].text) is not None:
            j = next((j for j in (i - 1, i + 1) if j in credits and j not in used), None)
            if j is not None:
                claimed[i] = j
                used.add(j)
    for i in kept:
        unit = ev.units[i]
        text = unit.text
        if labels[i] == "heading":
            blocks.append(Block("heading", text))
            continue
        labelled = caption_label(text)
        if labelled is not None:
            text = labelled
        caption, credit = split_credit(text)
        if credit is None and i in claimed:
            credit = credits[claimed[i]]
        elif credit is None and (labelled is not None or (_short(caption) and (labels[i] == "caption" or spaced))):
            # A credit on its own line: right after the caption, or (BBC-like pages) right before it. On a
            # page that parts paragraphs with blank lines, only with none between: a paragraph that merely
            # stands above a credit is no caption (a caption is not read aloud; a paragraph must be).
            for j in (i + 1, i - 1):
                if 0 <= j < n and j in credits and j not in used and not (spaced and ev.units[min(i, j)].blank_after):
                    credit = credits[j]
                    used.add(j)
                    break
        if credit is not None or labelled is not None:
            blocks.append(Block("caption", caption, credit or ""))
        else:
            blocks.append(Block("paragraph", unit.text))
    return blocks, used


def _heads_a_list(text: str, following: str) -> bool:
    """A word or two above labelled items ("Monday" over "Breakfast: porridge ...")."""
    label, colon, rest = following.partition(":")
    return (
        ":" not in text and shapes.words(text) <= 3 and bool(colon) and shapes.words(label) <= 3 and bool(rest.strip())
    )


def _short(text: str) -> bool:
    return shapes.words(text) <= 40


def _mark_headings(blocks: list[Block]) -> tuple[Block, ...]:
    """Subheadings: heading-shaped paragraphs that stand between two body paragraphs."""
    shaped = [b.kind == "paragraph" and shapes.heading_shaped(b.text) for b in blocks]
    out: list[Block] = []
    for i, block in enumerate(blocks):
        if shaped[i] and any(b.kind == "paragraph" for b in blocks[:i]):
            after = next((j for j in range(i + 1, len(blocks)) if blocks[j].kind != "caption"), None)
            # The last of a run of short lines like it (a list) is no subheading.
            last_item = i > 0 and shaped[i - 1] and (":" in blocks[i - 1].text) == (":" in block.text)
            if (
                after is not None
                and blocks[after].kind == "paragraph"
                and ((not shaped[after] and not last_item) or _heads_a_list(block.text, blocks[after].text))
            ):
                block = replace(block, kind="heading")
        out.append(block)
    return tuple(out)
