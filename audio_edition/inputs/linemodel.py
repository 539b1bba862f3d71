"""The trained line model: which units of a scraped page are the article, run with numpy alone.

Two stages of gradient-boosted trees (trained by bench/reader_train.py with
LightGBM, a development tool only; shipped as data/lines.npz):

1. Each unit's own features and its neighbours' (`lines.features`) give four
   probabilities: furniture, content, title, meta (byline or dateline).
2. A context pass, in the spirit of jusText's: the first stage's probabilities
   around each unit and over the whole page say where the unit stands: above
   the article, its text, an aside inside it (an advert, a gallery), or below it.

Then the page is read as one walk, before -> article -> after (a small
left-to-right state model, solved exactly): the article has one start and
one end, so a comment section or a list of teasers below it is dropped even
where a line of it looks like prose, and furniture inside it is stepped over.

Trees are stored flat, one row of nodes per tree; a leaf points to itself,
so walking every tree a fixed number of steps lands each row on its leaf.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from audio_edition.inputs.lines import FEATURES, shift, window_mean

__all__ = ["CONTEXT", "STATES", "LineModel", "Trees", "context_features", "load_model"]

MODEL_FILE = Path(__file__).with_name("data") / "lines.npz"
CLASSES = ("furniture", "content", "title", "meta")

_BASE = ("log_words", "in_p", "prose", "stop_share", "marker", "lines_since_marker", "position", "repeats",
         "caption", "headline_like", "byline", "dateline", "ends_terminal", "cap_share", "blank_before")  # fmt: skip
_END_MARKS = ("share", "comments", "newsletter", "link", "footer")
CONTEXT: tuple[str, ...] = (
    "p_content", "p_title", "p_meta", "p_furniture",
    *(f"p_content_{o}" for o in ("m3", "m2", "m1", "p1", "p2", "p3")),
    "win2", "win5", "win10", "win25", "max3", "mass_before", "mass_after",
    "to_first", "to_last", "above_mean", "title_above", "furniture_any",
    "in_core", "after_core", "before_core", "core_share", "metas_after_core", "datelines_win10", "repeated_win10",
    "comments_above", "end_marks_above", "since_end_mark", "end_marks_below", *_BASE,
)  # fmt: skip
"""The columns of the context stage's features, in order."""


@dataclass(frozen=True)
class Trees:
    """An ensemble of regression trees, flat: node arrays of shape (trees, nodes)."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    tree_class: np.ndarray
    """The output column each tree adds to."""
    classes: int
    depth: int

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Summed leaf values, shape (rows, classes)."""
        rows, trees = len(x), len(self.feature)
        out = np.zeros((rows, self.classes))
        if rows == 0 or trees == 0:
            return out
        feature, threshold, left, right, value, roots = self._flat
        node = np.broadcast_to(roots, (rows, trees)).copy()
        for _ in range(self.depth):
            go_left = np.take_along_axis(x, feature[node], axis=1) <= threshold[node]
            node = np.where(go_left, left[node], right[node])
        return value[node] @ self._one_hot

    @cached_property
    def _flat(self) -> tuple[np.ndarray, ...]:
        """The node arrays as one flat array each, children as flat indexes: one gather per level."""
        trees, nodes = self.feature.shape
        roots = np.arange(trees) * nodes
        return (
            self.feature.ravel(),
            self.threshold.ravel(),
            (self.left + roots[:, None]).ravel(),
            (self.right + roots[:, None]).ravel(),
            self.value.ravel(),
            roots,
        )

    @cached_property
    def _one_hot(self) -> np.ndarray:
        return (self.tree_class[:, None] == np.arange(self.classes)[None, :]).astype(float)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}_feature": self.feature.astype(np.int16),
            f"{prefix}_threshold": self.threshold.astype(np.float64),
            f"{prefix}_left": self.left.astype(np.int16),
            f"{prefix}_right": self.right.astype(np.int16),
            f"{prefix}_value": self.value.astype(np.float64),
            f"{prefix}_class": self.tree_class.astype(np.int8),
            f"{prefix}_shape": np.array([self.classes, self.depth]),
        }

    @classmethod
    def from_arrays(cls, data: dict[str, np.ndarray], prefix: str) -> Trees:
        classes, depth = (int(v) for v in data[f"{prefix}_shape"])
        return cls(
            feature=data[f"{prefix}_feature"].astype(np.intp),
            threshold=data[f"{prefix}_threshold"],
            left=data[f"{prefix}_left"].astype(np.intp),
            right=data[f"{prefix}_right"].astype(np.intp),
            value=data[f"{prefix}_value"],
            tree_class=data[f"{prefix}_class"],
            classes=classes,
            depth=depth,
        )


def _softmax(raw: np.ndarray) -> np.ndarray:
    shifted = np.exp(raw - raw.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def context_features(probs: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The context stage's features: the first stage's probabilities around each unit, and some of its own."""
    n = len(probs)
    col = {name: i for i, name in enumerate(FEATURES)}
    out = np.zeros((n, len(CONTEXT)))
    if n == 0:
        return out
    content = probs[:, 1]
    out[:, 0], out[:, 1], out[:, 2], out[:, 3] = content, probs[:, 2], probs[:, 3], probs[:, 0]
    for j, offset in enumerate((-3, -2, -1, 1, 2, 3)):
        out[:, 4 + j] = shift(content, offset)
    for j, radius in enumerate((2, 5, 10, 25)):
        out[:, 10 + j] = window_mean(content, radius)
    padded = np.concatenate([np.zeros(3), content, np.zeros(3)])
    out[:, 14] = np.max(np.stack([padded[k : k + n] for k in range(7)]), axis=0)
    words = np.expm1(x[:, col["log_words"]])
    mass = content * words
    total = max(1e-9, mass.sum())
    before = np.cumsum(mass) - mass
    out[:, 15] = before / total
    out[:, 16] = (total - before - mass) / total
    likely = np.flatnonzero(content > 0.5)
    index = np.arange(n)
    out[:, 17] = np.clip(index - (likely[0] if len(likely) else n), -50, 50)
    out[:, 18] = np.clip(index - (likely[-1] if len(likely) else -1), -50, 50)
    out[:, 19] = content - content.mean()
    out[:, 20] = np.maximum.accumulate(probs[:, 2] > 0.5) & (probs[:, 2] <= 0.5)
    categories = [i for name, i in col.items() if name.startswith("cat_")]
    out[:, 21] = x[:, categories].max(axis=1)
    # The core: the one run the first stage is surest of. What lies after its end (comments, a next
    # article) or before its start (menus) is furniture unless it looks like the article on its own.
    start, end = best_run((content - 0.5) * (1.0 + x[:, col["log_words"]]))
    out[:, 22] = (index >= start) & (index < end)
    out[:, 23] = np.clip(index - end + 1, 0, 60) if end > start else 60
    out[:, 24] = np.clip(start - index, 0, 60) if end > start else 60
    out[:, 25] = (end - start) / n
    metas = ((x[:, col["byline"]] > 0) | (x[:, col["dateline"]] > 0)) & (index >= end)
    out[:, 26] = np.minimum(np.cumsum(metas), 5)
    out[:, 27] = window_mean(x[:, col["dateline"]], 10)
    out[:, 28] = window_mean((x[:, col["repeats"]] > 0).astype(float), 10)
    out[:, 29] = np.minimum(np.cumsum(x[:, col["cat_comments"]]), 5)
    # Lines that close an article: share and comment widgets, newsletter boxes, lists of other stories.
    marks = (x[:, [col[f"cat_{c}"] for c in _END_MARKS]].max(axis=1) > 0) | (x[:, col["marker"]] > 0)
    marks &= index >= start
    above = np.cumsum(marks) - marks
    out[:, 30] = np.minimum(above, 10)
    last = np.where(marks, index, -1)
    last = np.maximum.accumulate(last)
    out[:, 31] = np.where(last >= 0, np.minimum(index - last, 60), 60)
    out[:, 32] = np.minimum(marks[::-1].cumsum()[::-1] - marks, 10)
    for j, name in enumerate(_BASE):
        out[:, 33 + j] = x[:, col[name]]
    return out


def best_run(gain: np.ndarray) -> tuple[int, int]:
    """The run [start, end) of greatest summed gain; (0, 0) when every gain is negative."""
    best, best_at = 0.0, (0, 0)
    running, start = 0.0, 0
    for i, value in enumerate(gain):
        if running <= 0:
            running, start = 0.0, i
        running += value
        if running > best:
            best, best_at = running, (start, i + 1)
    return best_at


_RULED = ("nav", "footer", "share", "newsletter", "cookie", "advert", "media", "link", "notice", "comments",
          "readtime", "creditline", "skip", "timestamp")  # fmt: skip
_ALWAYS_DROPPED = ("skip", "nav", "share", "newsletter", "cookie", "advert", "comments", "readtime", "timestamp",
                   "notice", "media", "creditline", "footer", "link")  # fmt: skip
TITLE_FEATURES: tuple[str, ...] = (
    "p_furniture", "p_content", "p_title", "p_meta", "q_before", "q_content", "q_aside", "q_after",
    "offset", "rank", "share_of_best", "meta_below", "meta_above", "contained", "longest_near",
    "next_content", "prev_furniture", "log_words", "cap_share", "upper_share", "ends_terminal", "ends_none",
    "ends_colon", "headline_like", "heading_shaped", "in_p", "blank_before", "blank_after", "repeats",
    "digit_share", "separators", "urlish", "position", "stop_share", "lede_share", "lede_hits", "body_share",
    "prev_title", "next_title", "prev_headline_like", "next_headline_like",
)  # fmt: skip
"""The columns of the headline stage's features, in order."""
_WORDS = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_LEDE_WORDS = 150


@cache
def _common() -> frozenset[str]:
    """Words too common to tie a headline to its article: the head of the stop lists of the usual languages."""
    from audio_edition.inputs.stopwords import LANGUAGES, stop_list  # noqa: PLC0415

    return frozenset(w.casefold() for code in LANGUAGES for w in stop_list(code)[:200])


def key_words(text: str) -> list[str]:
    """The words of a text that say what it is about: no common words, no numbers; CJK as character pairs."""
    out: list[str] = []
    common = _common()
    for word in _WORDS.findall(text.casefold()):
        if _CJK.search(word):
            out.extend(word[k : k + 2] for k in range(max(1, len(word) - 1)))
        elif len(word) >= 3 and not word.isdigit() and word not in common:
            out.append(word)
    return out


def _overlap(texts: list[str], cands: np.ndarray, states: np.ndarray) -> np.ndarray:
    """For each candidate: the share of its key words found in the article's first words below it, how many
    are, and the share found anywhere in the article's text (the candidate's own line left out)."""
    out = np.zeros((len(cands), 3))
    body = np.flatnonzero(states == 1)
    words = {int(i): key_words(texts[i]) for i in body}
    everywhere: dict[str, int] = {}
    for i in body:
        for w in set(words[int(i)]):
            everywhere[w] = everywhere.get(w, 0) + 1
    for k, c in enumerate(cands):
        mine = set(key_words(texts[c]))
        if not mine:
            continue
        lede: set[str] = set()
        count = 0
        for i in body[body > c]:
            lede.update(words[int(i)])
            count += len(words[int(i)])
            if count >= _LEDE_WORDS:
                break
        own = set(words.get(int(c), ()))
        hits = mine & lede
        out[k, 0] = len(hits) / len(mine)
        out[k, 1] = min(len(hits), 10)
        out[k, 2] = sum(1 for w in mine if everywhere.get(w, 0) - (w in own) > 0) / len(mine)
    return out


def title_candidates(states: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The units that may be the headline: from 30 above the article's first line to 3 into it."""
    col = {name: i for i, name in enumerate(FEATURES)}
    n = len(states)
    inside = np.flatnonzero(states == 1)
    first = int(inside[0]) if len(inside) else 0
    index = np.arange(n)
    dropped = x[:, [col[f"cat_{c}"] for c in _ALWAYS_DROPPED if f"cat_{c}" in col]].max(axis=1) > 0
    words = np.expm1(x[:, col["log_words"]])
    ok = (index >= first - 30) & (index <= first + 3) & ~dropped & (x[:, col["marker"]] == 0)
    ok &= (words >= 1) & (words <= 40) & (x[:, col["caption"]] == 0)  # a photo caption with its credit is no headline
    return np.flatnonzero(ok)


def title_features(texts: list[str], cands: np.ndarray, probs: np.ndarray, q: np.ndarray, states: np.ndarray,
                   x: np.ndarray) -> np.ndarray:  # fmt: skip
    """The headline stage's features of each candidate."""
    col = {name: i for i, name in enumerate(FEATURES)}
    out = np.zeros((len(cands), len(TITLE_FEATURES)))
    if not len(cands):
        return out
    inside = np.flatnonzero(states == 1)
    first = int(inside[0]) if len(inside) else 0
    meta = np.flatnonzero((x[:, col["byline"]] > 0) | (x[:, col["dateline"]] > 0))
    p_title = probs[cands, 2]
    order = np.argsort(-p_title, kind="stable")
    rank = np.empty(len(cands))
    rank[order] = np.arange(len(cands))
    words = np.expm1(x[:, col["log_words"]])
    lowered = [t.casefold() for t in texts]
    near = [c for c in cands if first - 10 <= c <= first and x[c, col["headline_like"]] > 0]
    longest = max(near, key=lambda c: words[c]) if near else -1
    for k, i in enumerate(cands):
        row = out[k]
        row[0:4] = probs[i]
        row[4:8] = q[i]
        row[8] = np.clip(i - first, -30, 5)
        row[9] = min(rank[k], 10)
        row[10] = p_title[k] / max(1e-9, p_title.max())
        below = meta[meta > i]
        above = meta[meta < i]
        row[11] = min(below[0] - i, 20) if len(below) else 20
        row[12] = min(i - above[-1], 20) if len(above) else 20
        text = lowered[i]
        row[13] = min(sum(1 for j, t in enumerate(lowered) if j != i and len(text) >= 12 and text in t), 5)
        row[14] = i == longest
        row[15] = i + 1 < len(states) and states[i + 1] == 1
        row[16] = i > 0 and x[i - 1, [col[f"cat_{c}"] for c in _ALWAYS_DROPPED if f"cat_{c}" in col]].max() > 0
        for j, name in enumerate(TITLE_FEATURES[17:-7], 17):
            row[j] = x[i, col[name]]
        # The lines either side: a headline over its standfirst, a kicker over its headline.
        for j, other in ((-4, i - 1), (-3, i + 1)):
            row[j] = probs[other, 2] if 0 <= other < len(probs) else 0.0
            row[j + 2] = x[other, col["headline_like"]] if 0 <= other < len(probs) else 0.0
    out[:, -7:-4] = _overlap(texts, cands, states)
    return out


STATES = ("before", "content", "aside", "after")
"""Where a unit stands: above the article, its text, furniture inside it (an advert, a gallery), below it."""
# Which state may follow which: the page runs before -> article (content and asides) -> after.
_FROM = {0: (0,), 1: (0, 1, 2), 2: (1, 2), 3: (1, 2, 3)}


@dataclass(frozen=True)
class LineModel:
    """Both stages and the settings of the decoder."""

    units: Trees
    context: Trees
    offsets: tuple[float, float, float, float]
    """Added to the context stage's log-probabilities of before, content, aside, after: how eagerly each is chosen."""
    titles: Trees | None = None
    """The headline stage: how likely each candidate is the headline."""
    title_min: float = 0.2
    """The least headline probability a candidate needs."""
    resume_min: float | None = None
    """How sure the first stage must be that a prose line below the article's end is the article's to put it
    back (`resume`); None: never."""
    sandwich: bool = False
    """Whether `resume` also keeps a line the decoder took for an aside when the article's text stands right
    above and right below it and no rule knows it as furniture ("Monday" over a day's meals)."""

    def headline(
        self, texts: list[str], probs: np.ndarray, q: np.ndarray, states: np.ndarray, x: np.ndarray
    ) -> tuple[int | None, float]:
        """The unit most likely the headline and its probability; None when no candidate is likely enough."""
        cands = title_candidates(states, x)
        if self.titles is None or not len(cands):
            return None, 0.0
        scores = 1 / (1 + np.exp(-self.titles.raw(title_features(texts, cands, probs, q, states, x))[:, 0]))
        best = int(np.argmax(scores))
        return (int(cands[best]) if scores[best] >= self.title_min else None), float(scores[best])

    def classify(self, x: np.ndarray) -> np.ndarray:
        """First stage: (units, 4) probabilities of furniture, content, title, meta."""
        return _softmax(self.units.raw(x))

    def context_probs(self, probs: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Second stage: (units, 4) probabilities of before, content, aside, after."""
        return _softmax(self.context.raw(context_features(probs, x)))

    def states(self, q: np.ndarray) -> np.ndarray:
        """The most likely walk through before -> article -> after (indexes into STATES), one per unit.

        The article is one stretch from its first line to its last: everything
        above it is "before", everything below "after", whatever it looks like;
        inside it a unit is its text or an aside.
        """
        n = len(q)
        if n == 0:
            return np.zeros(0, dtype=np.intp)
        score = np.log(np.clip(q, 1e-9, 1.0)) + np.asarray(self.offsets)
        best = np.full(4, -np.inf)
        best[0], best[1] = score[0, 0], score[0, 1]
        back = np.zeros((n, 4), dtype=np.intp)
        for i in range(1, n):
            current = np.empty(4)
            for state, sources in _FROM.items():
                origin = max(sources, key=lambda k: best[k])
                back[i, state] = origin
                current[state] = best[origin] + score[i, state]
            best = current
        path = np.zeros(n, dtype=np.intp)
        path[-1] = int(np.argmax(best))
        for i in range(n - 1, 0, -1):
            path[i - 1] = back[i, path[i]]
        return path

    def resume(self, states: np.ndarray, probs: np.ndarray, x: np.ndarray) -> np.ndarray:
        """`states` with the article taken on past its decoded end, for prose lines the first stage is sure of.

        Losing a paragraph is worse than reading a line of furniture: a newsletter
        box or an advert between two paragraphs may look like the article's end.
        So below the end, each prose line the first stage finds the article's
        (at least `resume_min`) is put back, with the furniture between it and
        the article as an aside, until a line that does end an article: a "Most
        read" marker, comments, a footer, a byline or dateline, a headline.
        """
        content = np.flatnonzero(states == 1)
        if not len(content):
            return states
        col = {name: i for i, name in enumerate(FEATURES)}
        out = states.copy()
        if self.sandwich and len(out) >= 3:
            ruled = x[:, [col[f"cat_{c}"] for c in _RULED]].max(axis=1) > 0
            ruled |= (x[:, col["marker"]] > 0) | (x[:, col["byline"]] > 0) | (x[:, col["dateline"]] > 0)
            ruled |= x[:, col["caption"]] > 0
            # A run of one or two asides, none of which a rule knows as furniture, between two lines of text.
            for width in (1, 2):
                for i in range(1, len(out) - width):
                    run = slice(i, i + width)
                    if (
                        states[i - 1] == 1
                        and states[i + width] == 1
                        and (states[run] == 2).all()
                        and not ruled[run].any()
                    ):
                        out[run] = 1
        if self.resume_min is None:
            return out
        stop = (x[:, col["marker"]] > 0) | (x[:, col["cat_comments"]] > 0) | (x[:, col["cat_footer"]] > 0)
        stop |= (x[:, col["byline"]] > 0) | (x[:, col["dateline"]] > 0) | (probs[:, 2] > 0.5)
        strong = (probs[:, 1] >= self.resume_min) & (x[:, col["prose"]] > 0)
        last = int(content[-1])
        for i in range(last + 1, len(out)):
            if stop[i]:
                break
            if strong[i]:
                out[last + 1 : i] = 2
                out[i] = 1
                last = i
        return out

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            **self.units.to_arrays("units"),
            **self.context.to_arrays("context"),
            "features": np.array(FEATURES),
            "context_features": np.array(CONTEXT),
            "offsets": np.array(self.offsets),
            **(self.titles.to_arrays("titles") if self.titles is not None else {}),
            "title_features": np.array(TITLE_FEATURES),
            "title_min": np.array([self.title_min]),
            **({"resume_min": np.array([self.resume_min])} if self.resume_min is not None else {}),
            "sandwich": np.array([self.sandwich]),
        }


@cache
def load_model(path: Path = MODEL_FILE) -> LineModel:
    """The shipped model; a `ValueError` when it was trained on other features than this code computes."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    if tuple(arrays["features"]) != FEATURES or tuple(arrays["context_features"]) != CONTEXT:
        raise ValueError(f"{path.name} was trained on other line features: retrain it (bench/reader_train.py)")
    offsets = tuple(float(v) for v in arrays["offsets"])
    titles = Trees.from_arrays(arrays, "titles") if "titles_shape" in arrays else None
    if titles is not None and tuple(arrays["title_features"]) != TITLE_FEATURES:
        raise ValueError(f"{path.name} was trained on other headline features: retrain it (bench/reader_train.py)")
    title_min = float(arrays["title_min"][0]) if "title_min" in arrays else 0.2
    resume_min = float(arrays["resume_min"][0]) if "resume_min" in arrays else None
    sandwich = bool(arrays["sandwich"][0]) if "sandwich" in arrays else False
    return LineModel(Trees.from_arrays(arrays, "units"), Trees.from_arrays(arrays, "context"), offsets, titles,  # type: ignore[arg-type]
                     title_min, resume_min, sandwich)  # fmt: skip
