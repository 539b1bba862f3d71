"""The extract stage for web input: an HTML page or a Markdown file -> `Article`.

`webpage` reads HTML pages (trafilatura finds the article, lxml its
structure), `metadata` a page's headline, authors and date, `markdown`
Markdown files; `text` holds what they share. Plain text copied from a page
goes through `audio_edition.clean` instead.
"""

from __future__ import annotations

from audio_edition.extract.markdown import extract_markdown
from audio_edition.extract.text import split_credit
from audio_edition.extract.webpage import extract_html

__all__ = ["extract_html", "extract_markdown", "split_credit"]
