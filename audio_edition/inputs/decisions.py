"""What a reader decided about each line of its input, and why: what `clean --explain` prints.

A user who finds a sentence missing from an episode, or a menu read aloud, can
see which line it was, what it was taken for (headline, byline, paragraph,
caption, credit, furniture ...) and the rule or the line model's score that
decided it, and report it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from audio_edition.model import Article

__all__ = ["Decision", "Label", "Reading"]

Label = Literal["title", "byline", "dateline", "paragraph", "heading", "caption", "credit", "furniture"]


@dataclass(frozen=True)
class Decision:
    """What became of one unit of the page, and why (for `clean --explain`)."""

    line: int
    """Its first line in the input, counting from 1."""
    text: str
    label: Label
    why: str


@dataclass(frozen=True)
class Reading:
    """The article a page holds, and the decision on each of its lines."""

    article: Article
    decisions: tuple[Decision, ...]
