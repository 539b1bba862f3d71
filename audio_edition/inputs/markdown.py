"""Markdown -> `Article`, with markdown-it-py.

The first "#" heading (or the front matter's title) is the title; "##" and
"###" headings become heading blocks, so chapters; an image with a caption
becomes a caption block with the image's URL.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from typing import Any

from audio_edition.errors import InputError
from audio_edition.inputs.byline import join_authors, parse_dateline
from audio_edition.inputs.common import (
    absolute_http,
    first_text,
    is_meta,
    iso_date,
    meta_of,
    norm,
    split_credit,
)
from audio_edition.inputs.decisions import Decision, Label, Reading
from audio_edition.inputs.language import choose as choose_language
from audio_edition.model import Article, Block
from audio_edition.sizes import human_size

FRONT_MATTER_MAX = 64 * 1024
"""Characters of front matter accepted: a page of settings, not a payload."""


def extract_markdown(text: str, source: str | None = None, name: str | None = None) -> Article:
    """The article in a Markdown file (see `read_markdown`)."""
    return read_markdown(text, source, name).article


def read_markdown(text: str, source: str | None = None, name: str | None = None) -> Reading:
    """The article in a Markdown file, with what became of each of its lines.

    Front matter (YAML between "---" lines, or TOML between "+++") may give
    title, author and date; otherwise the first "#" heading is the title and
    "By ..." and date lines right under it give author and date. "##" and "###"
    headings become headings (chapters); an image with a caption (its title,
    an emphasized line right under it, or else an alt text of a few words)
    becomes a caption block.
    """
    from markdown_it import MarkdownIt  # noqa: PLC0415

    label = name or source or "the Markdown text"
    if not text.strip():
        raise InputError(f"{label} is empty")
    front, body = _front_matter(text, label)
    offset = text[: len(text) - len(body)].count("\n")  # lines of front matter above the body
    decisions: list[Decision] = []

    def decide(token: Any, shown: str, kind: Label, why: str) -> None:
        line = (token.map[0] if token.map else 0) + 1 + offset
        decisions.append(Decision(line, shown, kind, why))

    source = source or first_text(*(front.get(k) for k in ("url", "canonical_url", "canonical", "source", "link")))
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    title = first_text(front.get("title"))
    names = _front_authors(front)
    published, has_time = _front_date(front, label)
    blocks: list[Block] = []
    pending_image: tuple[str | None, str] | None = None  # (url, alt) of an image waiting for its caption
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            heading = _md_text(tokens[i + 1].children or [])
            if token.tag == "h1" and title is None:
                title = heading
                decide(token, heading, "title", "the first '#' heading")
            elif not (token.tag == "h1" and norm(heading).casefold() == (title or "").casefold()) and heading:
                blocks.append(Block("heading", heading))
                decide(token, heading, "heading", f"a '{'#' * int(token.tag[1])}' heading")
            i += 3
            continue
        if token.type == "inline" and token.map is not None and tokens[i - 1].type == "paragraph_open":
            children = token.children or []
            images = [c for c in children if c.type == "image"]
            rest = [c for c in children if c.type not in ("image", "softbreak", "hardbreak")]
            if images and len(images) == 1 and (not rest or _emphasized(rest)):
                image = images[0]
                src, alt_title = image.attrGet("src"), image.attrGet("title")
                url = absolute_http(src if isinstance(src, str) else None, source)
                caption = _md_text(rest) if rest else first_text(alt_title if isinstance(alt_title, str) else None)
                if caption:
                    blocks.append(_caption_block(caption, url))
                    decide(token, caption, "caption", "an image with a caption")
                else:
                    pending_image = (url, image.content)
            else:
                paragraph = _md_text(children)
                if pending_image is not None:
                    url, alt = pending_image
                    pending_image = None
                    if _emphasized(children):
                        blocks.append(_caption_block(paragraph, url))
                        decide(token, paragraph, "caption", "an emphasized line under an image")
                        i += 1
                        continue
                    if len(alt.split()) >= 3:
                        blocks.append(_caption_block(alt, url))
                        decide(token, alt, "caption", "an image's alt text")
                if paragraph and not blocks and is_meta(paragraph):
                    # "By Jane Doe | June 3, 2026" under the title: metadata, not something to read.
                    found_names, dated = meta_of(paragraph)
                    names = names or found_names
                    if dated is not None and published is None:
                        published, has_time = dated.when, dated.has_time
                    decide(
                        token,
                        paragraph,
                        "byline" if found_names else "dateline",
                        "a byline or dateline under the title",
                    )
                elif paragraph:
                    blocks.append(Block("paragraph", paragraph))
                    decide(token, paragraph, "paragraph", "a Markdown paragraph")
        i += 1
    if pending_image is not None and len(pending_image[1].split()) >= 3:
        blocks.append(_caption_block(pending_image[1], pending_image[0]))
    if not any(b.kind in ("paragraph", "caption") for b in blocks):
        raise InputError(f"no article text found in {label}")
    if not title:
        first = next(b.text for b in blocks if b.kind == "paragraph")
        title = " ".join(first.split()[:14]) + ("…" if len(first.split()) > 14 else "")
    found = choose_language([front.get("lang"), front.get("language"), front.get("locale")],
                            " ".join(b.text for b in blocks))  # fmt: skip
    article = Article(title=norm(title), author=join_authors(names), published=published, blocks=tuple(blocks),
                      has_time=has_time, source=source, language=found)  # fmt: skip
    return Reading(article, tuple(decisions))


def _caption_block(text: str, url: str | None) -> Block:
    caption, credit = split_credit(text)
    return Block("caption", caption, credit, url)


def _emphasized(children: list[Any]) -> bool:
    """Inline content that is all emphasis: "*The pier at dawn.*" (how Markdown writers set captions)."""
    meaningful = [
        c
        for c in children
        if not (c.type == "text" and not c.content.strip()) and c.type not in ("softbreak", "hardbreak")
    ]
    return (
        bool(meaningful)
        and meaningful[0].type == "em_open"
        and meaningful[-1].type == "em_close"
        and (sum(1 for c in meaningful if c.type == "em_open") == 1)
    )


def _md_text(children: list[Any]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return norm("".join(parts))


def _front_matter(text: str, label: str) -> tuple[dict[str, Any], str]:
    """(keys in lower case, the text after the front matter)."""
    text = text.lstrip("\ufeff")
    match = re.match(r"(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\r?\n|$)", text, re.S)
    if not match:
        return {}, text
    raw = match.group(2)
    if len(raw) > FRONT_MATTER_MAX:
        raise InputError(f"{label}: the front matter is {human_size(len(raw.encode()))}; "
                         f"more than {human_size(FRONT_MATTER_MAX)} is not an article's")  # fmt: skip
    try:
        if match.group(1) == "+++":
            if sys.version_info >= (3, 11):
                import tomllib  # noqa: PLC0415
            else:  # Python 3.10
                import tomli as tomllib  # noqa: PLC0415

            data: Any = tomllib.loads(raw)
        else:
            data = _yaml(raw)
    except Exception as exc:  # noqa: BLE001 - yaml and tomllib raise their own error types
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{label}: the front matter cannot be read: {first}") from None
    if not isinstance(data, dict):
        return {}, text[match.end() :]
    return {str(k).lower(): v for k, v in data.items()}, text[match.end() :]


def _yaml(raw: str) -> Any:
    """YAML without aliases: an alias bomb (nested `&a [*a, *a, ...]`) would expand to gigabytes."""
    import yaml  # noqa: PLC0415

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(f"it uses a YAML alias (*name) at line {mark.line + 1}, which is not accepted")
            return super().compose_node(parent, index)

    return yaml.load(raw, Loader=NoAliases)


def _front_authors(front: dict[str, Any]) -> list[str]:
    value = front.get("author") or front.get("authors") or front.get("byline")
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values:
        item = item.get("name") if isinstance(item, dict) else item
        if isinstance(item, str) and item.strip():
            names.append(norm(re.sub(r"^by\s+", "", item.strip(), flags=re.I)))
    return names


def _front_date(front: dict[str, Any], label: str) -> tuple[datetime | None, bool]:
    value = next(
        (front[k] for k in ("date", "published", "pubdate", "publishdate", "publish_date") if k in front), None
    )
    if value is None:
        return None, False
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0), (value.hour, value.minute) != (0, 0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), False
    text = str(value)
    found = iso_date(text)
    if found:
        return found
    dated = parse_dateline(text)
    if dated:
        return dated.when, dated.has_time
    raise InputError(f"{label}: the front matter's date {text!r} is not a date (write 2026-06-18 or 2026-06-18T14:05)")
