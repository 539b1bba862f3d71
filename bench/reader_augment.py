"""More training pages from the corpus's own: the shapes users paste that whole saved pages lack.

A user rarely copies a whole page. Often it is the article itself (headline,
byline, paragraphs) with a few lines of furniture the selection caught (an
"Advertisement", a "Read more: ..." link, a photo credit), or the page from a
little above the headline to a little below the article. Trained on whole
pages only, the line model takes a "Subscribe" between two paragraphs for the
end of the article. Each training page therefore also yields:

- a paste: its own title, byline and content lines (sometimes only the first
  few), with up to three furniture lines taken from inside other pages'
  articles and up to two blocks of furniture a rule knows (a newsletter box,
  share buttons, a "Read more" list) put between paragraphs, sometimes with a
  few of its own menu lines above or footer lines below;
- a trimmed copy: its own lines from a few above the first content line to a
  few below the last.

Every line's label is known by construction. Only training pages are used.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

CONTENT, TITLE, META, FURNITURE = 1, 2, 3, 0


def inline_pool(pages: Sequence[tuple[list, np.ndarray, np.ndarray]]) -> list[str]:
    """Furniture lines found inside articles (between their first and last content line)."""
    pool: list[str] = []
    for units, _, y in pages:
        content = np.flatnonzero(y == CONTENT)
        if len(content) < 2:
            continue
        for i in range(content[0] + 1, content[-1]):
            if y[i] == FURNITURE and len(units[i].text.split()) <= 20:
                pool.append(units[i].text)
    return pool


def block_pool(pages: Sequence[tuple[list, np.ndarray, np.ndarray]]) -> list[list[str]]:
    """Runs of 2 to 6 furniture lines that a rule knows as page furniture (a newsletter box, share
    buttons, an advert, a "Read more" list), from anywhere on the pages: what a page may put between
    two paragraphs."""
    from audio_edition.inputs import shapes
    from audio_edition.inputs.furniture import load_furniture

    furniture = load_furniture()
    known = {"newsletter", "share", "advert", "nav", "link", "media", "notice", "readtime"}
    blocks: list[list[str]] = []
    for units, _, y in pages:
        run: list[str] = []
        for i in range(len(y) + 1):
            if i < len(y) and y[i] == FURNITURE and len(units[i].text.split()) <= 20:
                run.append(units[i].text)
                continue
            if 2 <= len(run) <= 6 and any(
                furniture.category(shapes.key(t)) in known or furniture.is_marker(shapes.key(t)) for t in run
            ):
                blocks.append(run)
            run = []
    return blocks


def paste(units: list, y: np.ndarray, pool: list[str], rng: random.Random,
          blocks: Sequence[list[str]] = ()) -> tuple[str, list[int]] | None:  # fmt: skip
    """The article as a user would copy it, with a few stray lines: (text, label of each line)."""
    content = [i for i in range(len(y)) if y[i] == CONTENT]
    if len(content) < 2:
        return None
    lines: list[tuple[str, int]] = []
    title = next((i for i in range(len(y)) if y[i] == TITLE), None)
    if rng.random() < 0.3:
        before = [i for i in range(content[0]) if y[i] == FURNITURE][-6:]
        lines += [(units[i].text, FURNITURE) for i in before[: rng.randint(1, 6)]]
    if title is not None and rng.random() < 0.9:
        lines.append((units[title].text, TITLE))
    metas = [i for i in range(len(y)) if y[i] == META][:2]
    if metas and rng.random() < 0.7:
        lines += [(units[i].text, META) for i in metas]
    if rng.random() < 0.3:
        content = content[: rng.randint(2, 6)]  # a short article: a few paragraphs
    body = [(units[i].text, CONTENT) for i in content]
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        if pool:
            body.insert(rng.randint(1, len(body) - 1), (rng.choice(pool), FURNITURE))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        if blocks:
            at = rng.randint(1, len(body) - 1)
            body[at:at] = [(text, FURNITURE) for text in rng.choice(blocks)]
    lines += body
    if rng.random() < 0.3:
        after = [i for i in range(content[-1] + 1, len(y)) if y[i] == FURNITURE]
        lines += [(units[i].text, FURNITURE) for i in after[: rng.randint(1, 6)]]
    gap = "\n\n" if rng.random() < 0.5 else "\n"
    text_lines: list[str] = []
    labels: list[int] = []
    for text, label in lines:
        if text_lines and gap == "\n\n":
            text_lines.append("")
            labels.append(-1)
        text_lines.append(text)
        labels.append(label)
    return "\n".join(text_lines) + "\n", labels


def trimmed(units: list, y: np.ndarray, rng: random.Random) -> tuple[str, list[int]] | None:
    """The page from a few lines above its first content line to a few below its last."""
    content = np.flatnonzero(y == CONTENT)
    if len(content) < 2:
        return None
    start = max(0, int(content[0]) - rng.randint(0, 6))
    title = next((i for i in range(len(y)) if y[i] == TITLE), None)
    if title is not None and title < start:
        start = max(0, title - rng.randint(0, 2))
    end = min(len(y), int(content[-1]) + 1 + rng.randint(0, 6))
    text_lines: list[str] = []
    labels: list[int] = []
    for i in range(start, end):
        if units[i].blank_before and text_lines:
            text_lines.append("")
            labels.append(-1)
        text_lines.append(units[i].text)
        labels.append(int(y[i]))
    return "\n".join(text_lines) + "\n", labels
