"""The reader's development corpus, labelled line by line, and the scores it is measured by.

bench/reader_corpus.py builds the corpus (real pages from public test sets,
each rendered to innerText in Chromium) in a cache folder outside git. This
module reads it back and labels every unit of each page's text by aligning it
with the page's gold text:

- content: body text (a paragraph, subheading or caption of the article)
- title: the headline
- meta: a byline or dateline line
- furniture: everything else

and holds the metric of the Zyte article-extraction benchmark (as its README
describes it; its pages are reserved and never used here): text split into
`\\w+` tokens, 4-token shingles counted, per page true/false positives and
negatives normalised by the page's total, then averaged over pages.

The split is by site: a site's pages are all in the training part or all in
the test part, so no site of the test split is seen while training.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(os.environ.get("AUDIO_EDITION_CORPUS", Path.home() / ".cache" / "audio-edition" / "reader-corpus"))
LABELS = ("furniture", "content", "title", "meta")
_WORD = re.compile(r"\w+")
TEST_FOLD = 0
FOLDS = 5


@dataclass
class Page:
    """One page of the corpus."""

    folder: Path
    meta: dict
    text: str
    """innerText of the page."""
    gold: list[dict] = field(default_factory=list)
    """Gold body blocks (kind, text); empty for metadata-only pages."""

    @property
    def site(self) -> str:
        return self.meta.get("site") or self.meta["id"]

    @property
    def source(self) -> str:
        return self.meta["source"]

    @property
    def has_body(self) -> bool:
        return self.meta.get("gold") in ("full", "silver") and bool(self.gold)

    def gold_body(self) -> str:
        """The gold text as the metric sees it: every block but the headline."""
        title = tokens(self.meta.get("title") or "")
        return "\n".join(b["text"] for b in self.gold if tokens(b["text"]) != title)


def fold_of(site: str) -> int:
    """The cross-validation fold of a site (stable: a hash of its name)."""
    return int(hashlib.sha1(site.encode()).hexdigest(), 16) % FOLDS


def is_test(page: Page) -> bool:
    return fold_of(page.site) == TEST_FOLD


def load(root: Path = CORPUS, sources: Iterable[str] | None = None) -> list[Page]:
    """Every rendered page of the corpus (sorted by source and id)."""
    if not (root / "pages").is_dir():
        raise SystemExit(f"no reader corpus in {root}: build it with bench/reader_corpus.py (see its --help)")
    pages: list[Page] = []
    wanted = set(sources) if sources else None
    for folder in sorted((root / "pages").glob("*/*")):
        inner = folder / "innertext.txt"
        if not inner.is_file() or (wanted and folder.parent.name not in wanted):
            continue
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        gold_file = folder / "gold.json"
        gold = json.loads(gold_file.read_text(encoding="utf-8"))["blocks"] if gold_file.is_file() else []
        if meta.get("gold") == "silver":
            gold = checked_silver(meta, gold)
        pages.append(Page(folder, meta, inner.read_text(encoding="utf-8"), gold))
    return pages


def checked_silver(meta: dict, gold: list[dict]) -> list[dict]:
    """Silver gold (another extractor's output) checked against the test set's own hand-written snippets.

    trafilatura's evaldata.json says, for each page, a few passages that must be
    in the article ("with") and a few that must not ("without"). A passage that
    must not be there is cut out of the silver text; where a passage that must be
    there is missing, the extractor missed the article and its text is no gold
    at all: the page keeps its metadata but no body (`meta["gold_doubt"]` says why).
    """
    text = " ".join(_norm(b["text"]) for b in gold)
    missing = [p for p in _passages(meta, "with") if f" {p} " not in f" {text} "]
    if missing:
        meta["gold_doubt"] = f"silver text lacks {len(missing)} of the set's must-have passages"
        return []
    cut = _passages(meta, "without")
    out = []
    for block in gold:
        key = f" {_norm(block['text'])} "
        hits = [c for c in cut if f" {c} " in key]
        if not hits:
            out.append(block)
            continue
        for c in hits:
            key = key.replace(f" {c} ", " ")
        if key.strip():
            out.append({**block, "text": key.strip()})
    return out


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


# --- labels -------------------------------------------------------------------


def label_units(page: Page, texts: Sequence[str]) -> list[str | None]:
    """The label of each unit (one of LABELS), None where the gold says nothing (metadata-only pages)."""
    n = len(texts)
    unit_tokens = [tokens(t) for t in texts]
    labels: list[str | None] = [None] * n
    if page.has_body:
        matched = _aligned(unit_tokens, tokens("\n".join(b["text"] for b in page.gold)))
        block_keys = {" ".join(tokens(b["text"])) for b in page.gold}
        labels = ["furniture"] * n
        for i, toks in enumerate(unit_tokens):
            if not toks:
                continue
            share = matched[i] / len(toks)
            if (len(toks) >= 3 and share >= 0.5) or (
                len(toks) < 3 and (" ".join(toks) in block_keys and share >= 0.99)
            ):
                labels[i] = "content"
        for i, toks in enumerate(unit_tokens):
            # A short piece of a paragraph that innerText broke at a <br>: content between content.
            if labels[i] == "furniture" and toks and len(toks) < 3 and matched[i] == len(toks):
                before = next((labels[j] for j in range(i - 1, -1, -1) if len(unit_tokens[j]) >= 3), None)
                after = next((labels[j] for j in range(i + 1, n) if len(unit_tokens[j]) >= 3), None)
                if before == after == "content":
                    labels[i] = "content"
        _snippets(page, texts, labels)
    _title_and_meta(page, texts, unit_tokens, labels)
    return labels


def _aligned(units: list[list[str]], gold: list[str]) -> list[int]:
    """How many tokens of each unit an in-order alignment of the page with the gold text matches."""
    flat = [t for toks in units for t in toks]
    owner = [i for i, toks in enumerate(units) for _ in toks]
    matched = [0] * len(units)
    if not flat or not gold:
        return matched
    matcher = difflib.SequenceMatcher(None, flat, gold, autojunk=False)
    for block in matcher.get_matching_blocks():
        if block.size < 3 and not _whole_unit(owner, block.a, block.size):
            continue  # a stray common word is no evidence
        for k in range(block.a, block.a + block.size):
            matched[owner[k]] += 1
    return matched


def _whole_unit(owner: list[int], start: int, size: int) -> bool:
    if size == 0:
        return False
    first, last = owner[start], owner[start + size - 1]
    return (
        first == last
        and (start == 0 or owner[start - 1] != first)
        and (start + size == len(owner) or owner[start + size] != first)
    )


def _norm(text: str) -> str:
    return " ".join(tokens(text))


def _passages(meta: dict, key: str) -> list[str]:
    """The test set's hand-written passages that must ("with") or must not ("without") be in the article,
    normalised; one-word ones say too little to match by."""
    return [p for p in map(_norm, meta.get(key, ())) if len(p.split()) >= 2]


def _snippets(page: Page, texts: Sequence[str], labels: list[str | None]) -> None:
    """The test set's own "must be in" and "must not be in" snippets override the silver alignment."""
    keys = [_norm(t) for t in texts]
    for want, label in [(p, "content") for p in _passages(page.meta, "with")] + [
        (p, "furniture") for p in _passages(page.meta, "without")
    ]:
        for i, k in enumerate(keys):
            if want in f" {k} " or (want in k and len(want) > 12):
                labels[i] = label


def _title_and_meta(page: Page, texts: Sequence[str], unit_tokens: list[list[str]], labels: list[str | None]) -> None:
    title = tokens(page.meta.get("title") or "")
    first_content = next((i for i, lab in enumerate(labels) if lab == "content"), len(texts))
    if title:
        candidates = [i for i, toks in enumerate(unit_tokens) if toks and _similar(toks, title) >= 0.8]
        if candidates:
            # The headline is the last match above the body, or else the first on the page.
            above = [i for i in candidates if i <= first_content + 2]
            chosen = above[-1] if above else candidates[0]
            labels[chosen] = "title"
    names = [tokens(n) for n in page.meta.get("authors") or [] if len(tokens(n)) >= 1]
    for i, toks in enumerate(unit_tokens):
        if labels[i] in ("title",) or not toks or len(toks) > 30:
            continue
        if labels[i] == "content" and len(toks) > 12:
            continue
        joined = f" {' '.join(toks)} "
        if any(n and f" {' '.join(n)} " in joined for n in names):
            labels[i] = "meta"


def _similar(a: Sequence[str], b: Sequence[str]) -> float:
    """Token F1 of two token lists."""
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


# --- the metric ------------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = _WORD.findall(text)
    return Counter(tuple(toks[i : i + n]) for i in range(max(0, len(toks) - n + 1)))


@dataclass
class Score:
    """Precision, recall and F1 averaged over pages, as the benchmark computes them."""

    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0
    pages: int = 0
    per_page: list[float] = field(default_factory=list)

    def add(self, expected: str, predicted: str) -> float:
        """Count one page; returns its F1."""
        exp, got = shingles(expected), shingles(predicted)
        tp = sum((exp & got).values())
        fp = sum((got - exp).values())
        fn = sum((exp - got).values())
        total = tp + fp + fn
        if total:
            self.tp, self.fp, self.fn = self.tp + tp / total, self.fp + fp / total, self.fn + fn / total
        else:
            self.tp += 1
        self.pages += 1
        f1 = 2 * tp / max(1, 2 * tp + fp + fn) if total else 1.0
        self.per_page.append(f1)
        return f1

    @property
    def precision(self) -> float:
        return self.tp / max(1e-9, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / max(1e-9, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / max(1e-9, p + r)

    def line(self) -> str:
        good = sum(1 for f in self.per_page if f >= 0.95)
        bad = sum(1 for f in self.per_page if f < 0.5)
        return (f"F1 {self.f1:.3f}  precision {self.precision:.3f}  recall {self.recall:.3f}  "
                f"({self.pages} pages; {good} at >= 0.95, {bad} below 0.5)")  # fmt: skip


def same_title(expected: str | None, got: str | None) -> bool:
    """A title is right when its words are the expected ones (case, punctuation and a site suffix aside)."""
    if not expected:
        return True
    if not got:
        return False
    e, g = tokens(expected), tokens(got)
    return e == g or (len(e) >= 3 and _similar(e, g) >= 0.9)


def same_author(expected: Sequence[str], got: str | None) -> bool:
    """Right when every expected person is named (order and joining aside)."""
    if not expected:
        return True
    if not got:
        return False
    said = f" {' '.join(tokens(got))} "
    return all(f" {' '.join(tokens(name))} " in said for name in expected if tokens(name))


def same_date(expected: str | None, got: str | None) -> bool:
    """Right when the calendar day matches (the first ten characters of ISO 8601)."""
    if not expected:
        return True
    return bool(got) and got[:10] == expected[:10]


def by_source(pages: Iterable[Page]) -> Iterator[tuple[str, list[Page]]]:
    groups: dict[str, list[Page]] = {}
    for page in pages:
        groups.setdefault(page.source, []).append(page)
    yield from sorted(groups.items())
