"""An HTML page -> `Article`: trafilatura finds the article, lxml reads its structure.

A page is read twice. trafilatura, a well-kept main-content extractor, says
*where* the article is: the page element that holds (nearly) all the text it
keeps. lxml then walks that element in reading order and says *what* each part
is: a paragraph, an <h2>/<h3> subheading, a <figure> whose <figcaption> becomes
a caption with its photo credit and image URL. trafilatura alone loses those
structures (captions, headings in <div>s); a walk alone cannot tell an article
from a page of furniture.

Inside the article, furniture is dropped by what it is (nav, aside, form,
footer, hidden elements; classes such as share, related, newsletter, cookie,
most-read), by the whole-line phrases of data/furniture.tsv that the text
cleaner uses, and by shape: a short line that is not a sentence is read only
when trafilatura kept it too and it stands in a <p> or <li>. A line that ends
like a sentence is kept unless something positively marks it as furniture:
losing a body sentence is worse than reading a stray line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import lxml.html
from lxml import etree

from audio_edition.inputs.byline import join_authors
from audio_edition.inputs.text import load_furniture
from audio_edition.errors import InputError
from audio_edition.inputs import metadata
from audio_edition.inputs.common import (
    CREDIT_LABEL,
    absolute_http,
    first_text,
    is_meta,
    is_prose,
    meta_of,
    norm,
    split_credit,
    ws,
)
from audio_edition.model import Article, Block

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary "
    "table tbody thead tfoot tr td th ul caption".split()
)
_TEXT_TAGS = frozenset("p li blockquote td th dd dt pre address".split())
# Never read, wherever they are.
_SILENT_TAGS = frozenset(
    "script style noscript template svg math iframe object embed video audio canvas button select "
    "option input textarea head title meta link map area img picture source".split()
)
# Not read as a whole, unless trafilatura found the article inside one (an old page wrapped in a <form>).
_FURNITURE_TAGS = frozenset("nav aside form footer dialog menu label".split())
_FURNITURE_ROLES = frozenset(
    "navigation complementary banner contentinfo dialog alertdialog search form menu menubar toolbar button".split()
)
_FURNITURE_CLASS = re.compile(
    r"(?<![a-z0-9])(?:share|sharing|sharedaddy|social|socials|related|relatedposts|recirc|recirculation|"
    r"recommended|recommendations|newsletter|newsletters|signup|sign-up|subscribe|subscription|paywall|"
    r"promo|promotion|advert|advertisement|ad|ads|ad-slot|adslot|sponsor|sponsored|cookie|cookies|consent|"
    r"gdpr|popular|trending|most-read|mostread|most-popular|more-stories|read-more|readmore|"
    r"comments?|respond|breadcrumbs?|tags|tag-list|topics|byline|author|authors|author-card|bio|meta|"
    r"kicker|rubric|eyebrow|dateline|timestamp|pullquote|pull-quote|toolbar|outbrain|taboola|widget|"
    r"sidebar|rail|nav|navigation|menu|footer|skip-link|sr-only|visually-hidden|screen-reader-text|"
    r"modal|popup|overlay|post-navigation)(?![a-z0-9])"
)
_QUOTES = "\"'“”‘’«» "
_CREDIT_CLASS = re.compile(r"credit|copyright|attribution|photographer|byline|source")
_CAPTION_CLASS = re.compile(r"(?<![a-z0-9])(?:wp-caption-text|caption-text|caption)(?![a-z0-9])")


@dataclass
class _Unit:
    """One piece of the article in reading order, before the furniture rules decide."""

    kind: Literal["paragraph", "heading", "caption"]
    text: str
    level: int = 0
    credit: str | None = None
    image: str | None = None
    links: float = 0.0
    """Share of the text that is link text."""
    item: int | None = None
    """The list it is an item of."""
    known: bool = False
    """trafilatura kept this text too, and it stands in a text element (<p>, <li>...), not a <div> of a widget."""


@dataclass
class _Page:
    """What the walk needs to know about the whole page."""

    root: lxml.html.HtmlElement
    base: str | None
    blocky: set[Any]
    known: set[str]
    known_text: str
    protected: dict[Any, int]
    """Element -> how many known prose paragraphs it holds: a furniture-looking element holding two is not furniture."""
    lists: int = 0


def extract_html(html: str, url: str | None = None, name: str | None = None) -> Article:
    """The article in an HTML page.

    `url` is where the page was fetched from (relative image URLs resolve against
    it; it becomes `Article.source`); without it, the page's canonical URL or
    og:url stands in. Raises `InputError` when the page holds no article text.
    """
    label = name or url or "the page"
    root = _parse(html, label)
    meta = metadata.meta_tags(root)
    ld = metadata.json_ld(root)
    canonical = absolute_http(metadata.canonical(root, meta, ld), url)
    base = metadata.base_url(root, url or canonical)
    doc = _trafilatura(html, url or canonical)
    known = _known_texts(doc)
    body = root.find("body")
    if body is None:
        body = root
    blocky = _blocky(body)
    container, protected = _container(body, blocky, known)
    page = _Page(root, base, blocky, known, "\n".join(known), protected)
    units = list(_walk(container, page))

    title = (
        metadata.title_element(container, root, [ld.get("headline"), *(meta.get(k) for k in metadata.TITLE_META)])
        or _headline_above_byline(units)
        or first_text(ld.get("headline"), *(meta.get(k) for k in metadata.TITLE_META), getattr(doc, "title", None))
        or first_text(root.findtext(".//title"))
    )
    names = metadata.authors(ld, meta, root, doc)
    blocks, lines = _decide(units, title)
    if not any(b.kind in ("paragraph", "caption") for b in blocks):
        raise InputError(f"no article text found in {label}: only navigation and page furniture")
    if not title:
        first = next(b.text for b in blocks if b.kind == "paragraph")
        title = " ".join(first.split()[:14]) + ("…" if len(first.split()) > 14 else "")
    published, has_time = metadata.published(ld, meta, container, lines)
    if not names:
        names = next((found for line in lines if (found := meta_of(line)[0])), [])
    return Article(
        title=norm(title),
        author=join_authors(names),
        published=published,
        blocks=tuple(blocks),
        has_time=has_time,
        source=url or canonical,
    )


def _parse(html: str, label: str) -> lxml.html.HtmlElement:
    if not html or not html.strip():
        raise InputError(f"{label} is empty")
    # lxml refuses a str that still carries an XML encoding declaration (XHTML pages).
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{label} is not an HTML page: {exc}") from None
    return root


def _trafilatura(html: str, url: str | None) -> Any:
    """trafilatura's reading of the page, or None when it finds nothing (or fails)."""
    import trafilatura  # noqa: PLC0415 - a heavy import, needed only for web input

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        return trafilatura.bare_extraction(
            html, url=url, favor_recall=True, include_comments=False, include_tables=True,
            include_images=False, with_metadata=True, deduplicate=False,
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - its failure only means no help from it: the walk's rules still apply
        return None


def _known_texts(doc: Any) -> set[str]:
    body = getattr(doc, "body", None)
    if body is None:
        return set()
    for br in body.iter("lb"):
        br.tail = " " + (br.tail or "")  # its line breaks hold no text; without this, words run together
    texts = {norm("".join(el.itertext())) for el in body.iter("p", "head", "item", "quote", "cell")}
    return {t for t in texts if t}


def _is_known(text: str, page: _Page) -> bool:
    return text in page.known or (len(text) >= 25 and text in page.known_text)


def _blocky(body: lxml.html.HtmlElement) -> set[Any]:
    """Elements that are block-level or hold a block-level element: the walk goes into these."""
    found: set[Any] = set()
    for el in body.iter():
        if isinstance(el.tag, str) and (el.tag in _BLOCK_TAGS or el.get("role") == "heading"):
            found.add(el)
            for parent in el.iterancestors():
                if parent in found:
                    break
                found.add(parent)
    return found


def _container(body: Any, blocky: set[Any], known: set[str]) -> tuple[Any, dict[Any, int]]:
    """The element holding (nearly) all the text trafilatura kept; <article>, <main> or <body> when it kept none."""
    joined = "\n".join(known)
    score: dict[Any, int] = {}
    protected: dict[Any, int] = {}
    total = 0
    for el in body.iter():
        if el not in blocky or any(child in blocky for child in el):
            continue  # only the innermost blocks: paragraphs, headings, list items, text-only divs
        for text in _paragraphs(_inline(el)[0]):
            if not (text in known or (len(text) >= 25 and text in joined)):
                continue
            total += len(text)
            for anc in (el, *el.iterancestors()):
                score[anc] = score.get(anc, 0) + len(text)
                if is_prose(text) and len(text.split()) >= 8:
                    protected[anc] = protected.get(anc, 0) + 1
    if total:
        depth = {el: sum(1 for _ in el.iterancestors()) for el, s in score.items() if s >= 0.95 * total}
        return max(depth, key=lambda el: depth[el]), protected
    for path in ("//article", "//main", "//*[@role='main']"):
        found = body.xpath(path)
        if found:
            return found[0], protected
    return body, protected


def _furniture(el: Any, page: _Page) -> bool:
    """Whether a block-level element is page furniture, not part of the article."""
    tag = el.tag
    if tag in _SILENT_TAGS or _hidden(el):
        return True
    marked = (
        tag in _FURNITURE_TAGS
        or (el.get("role") or "").lower() in _FURNITURE_ROLES
        or bool(_FURNITURE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}".lower()))
    )
    return marked and page.protected.get(el, 0) < 2


def _hidden(el: Any) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (
        el.get("hidden") is not None
        or (el.get("aria-hidden") or "").lower() == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _walk(el: Any, page: _Page, item: int | None = None) -> Iterator[_Unit]:
    """The units of a block-level element, in reading order."""
    if _is_figure(el):
        yield from _figure(el, page)
        return
    level = _heading_level(el) or (4 if _bold_paragraph(el) else 0)
    if level:
        text = norm(_inline(el)[0])
        if text:
            yield _Unit("heading", text, level=level)
        return
    if el.tag in ("ul", "ol"):
        page.lists += 1
        item = page.lists
    run: list[str] = [ws(el.text)]
    link_chars = 0
    for child in el:
        if not isinstance(child.tag, str):
            run.append(ws(child.tail))
        elif child in page.blocky:
            yield from _flush(run, link_chars, page, item, el.tag)
            run, link_chars = [], 0
            if not _furniture(child, page):
                yield from _walk(child, page, item)
            run.append(ws(child.tail))
        else:
            text, links = _inline(child)
            run += [text, ws(child.tail)]
            link_chars += links
    yield from _flush(run, link_chars, page, item, el.tag)


def _flush(run: list[str], link_chars: int, page: _Page, item: int | None, tag: str) -> Iterator[_Unit]:
    text = "".join(run)
    total = len(norm(text)) or 1
    # Text straight in a <div> or <section> is how widgets print their labels ("Live", "Filed from
    # Bergen"); trafilatura keeps those, so there only a sentence is read. In <p>, <li>... any text is.
    trusted = tag in _TEXT_TAGS
    for piece in _paragraphs(text):
        known = trusted and _is_known(piece, page)
        yield _Unit("paragraph", piece, links=min(1.0, link_chars / total), item=item, known=known)


def _paragraphs(text: str) -> list[str]:
    """Split text at its <br> line breaks (here "\n"): pages without <p> separate paragraphs with them.

    Two breaks in a row always end a paragraph; one ends it unless the next line
    starts in lower case (a sentence wrapped by hand).
    """
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        line = norm(line)
        if not line:
            if current:
                out.append(current)
            current = ""
        elif current and line[0].islower():
            current += " " + line
        else:
            if current:
                out.append(current)
            current = line
    if current:
        out.append(current)
    return out


def _inline(el: Any, skip: Any = None) -> tuple[str, int]:
    """Text of an inline element (or of a heading/caption): <br> as a line break. (text, link characters)."""
    if not isinstance(el.tag, str) or el.tag in _SILENT_TAGS or _hidden(el) or el is skip:
        return "", 0
    if el.tag == "br":
        return "\n", 0
    parts = [ws(el.text)]
    links = 0
    for child in el:
        text, n = _inline(child, skip)
        parts += [text, ws(child.tail)]
        links += n
    text = "".join(parts)
    if el.tag == "a":
        links = len(norm(text))
    return text, links


def _heading_level(el: Any) -> int:
    if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return int(el.tag[1])
    if el.get("role") == "heading":
        level = el.get("aria-level") or "2"
        return int(level) if level.isdigit() else 2
    return 0


def _bold_paragraph(el: Any) -> bool:
    """<p><strong>What happens next</strong></p>: a subheading set in bold, as many editors make them."""
    children = [c for c in el if isinstance(c.tag, str)]
    if el.tag != "p" or len(children) != 1 or children[0].tag not in ("strong", "b") or ws(el.text).strip():
        return False
    text = norm(children[0].text_content())
    return not ws(children[0].tail).strip() and 1 <= len(text.split()) <= 12 and not is_prose(text)


def _is_figure(el: Any) -> bool:
    if el.tag == "figure":
        return True
    classes = f" {el.get('class') or ''} "
    return " wp-caption " in classes and el.find(".//img") is not None


def _figure(el: Any, page: _Page) -> Iterator[_Unit]:
    caption = el.find(".//figcaption")
    if caption is None:
        caption = next((c for c in el.iter() if c is not el and _CAPTION_CLASS.search((c.get("class") or "").lower())), None)
    image = _image(el, page.base)
    if image is None:
        # A <figure> around a quote, a table or a poem: read what it holds, its caption as a line of text.
        for child in el:
            if child is not caption and child in page.blocky and not _furniture(child, page):
                yield from _walk(child, page)
        text = norm(_inline(caption)[0]) if caption is not None and not _hidden(caption) else ""
        if text:
            yield _Unit("paragraph", text, known=True)
        return
    if caption is None or _hidden(caption):
        return
    credit_el = next(
        (c for c in caption.iter() if c is not caption and isinstance(c.tag, str)
         and (c.tag in ("cite", "small") or _CREDIT_CLASS.search((c.get("class") or "").lower()))),
        None,
    )  # fmt: skip
    if credit_el is not None:
        text = norm(_inline(caption, skip=credit_el)[0])
        credit: str | None = CREDIT_LABEL.sub("", norm(credit_el.text_content())).strip() or None
    else:
        text, credit = split_credit(_inline(caption)[0])
    if text:
        yield _Unit("caption", text, credit=credit, image=image, known=True)


def _image(el: Any, base: str | None) -> str | None:
    """The absolute URL of a figure's image: src, or a lazy-loading attribute, or the largest srcset entry."""
    # The <img> first: its src is the format every player shows; <source> may offer only WebP or AVIF.
    for img in [*el.iter("img"), *el.iter("source")]:
        for attr in ("src", "data-src", "data-lazy-src", "data-original", "data-url"):
            value = (img.get(attr) or "").strip()
            if value and not value.startswith("data:"):
                found = absolute_http(value, base)
                if found:
                    return found
        srcset = img.get("srcset") or img.get("data-srcset")
        if srcset:
            best = max(
                (c.split() for c in srcset.split(",") if c.strip()),
                key=lambda c: int(re.sub(r"\D", "", c[1]) or 0) if len(c) > 1 else 0,
            )
            found = absolute_http(best[0], base)
            if found:
                return found
    return None


def _decide(units: list[_Unit], title: str | None) -> tuple[list[Block], list[str]]:
    """The blocks to read, and the lines put aside as bylines and datelines (for metadata)."""
    furniture = load_furniture()
    title_key = norm(title or "").casefold()
    at_title = next((i for i, u in enumerate(units) if u.kind != "caption" and u.text.casefold() == title_key), -1)
    out: list[_Unit] = []
    lines: list[str] = []
    seen: set[str] = set()  # sentences already read
    skip_list: int | None = None
    in_marker = False
    for i, unit in enumerate(units):
        text = unit.text
        key = re.sub(r"\s+", " ", text.translate(str.maketrans("’‘“”…", "''\"\"."))).strip()
        if unit.kind == "caption":
            if (text, unit.image) not in [(u.text, u.image) for u in out if u.kind == "caption"]:
                out.append(unit)
            continue
        if i <= at_title and (i == at_title or not is_prose(text)):
            continue  # the headline, and the section label or breadcrumbs above it
        if any(m.fullmatch(key) for m in furniture.markers):
            in_marker, skip_list = True, None
            continue
        if in_marker:
            if unit.item is not None and (skip_list is None or unit.item == skip_list):
                skip_list = unit.item
                continue
            if unit.links >= 0.8 and not is_prose(text):
                continue
            in_marker = False
        if furniture.category(key):
            continue
        if unit.kind == "heading":
            out.append(unit)
            continue
        if is_meta(text):
            lines.append(text)
            continue
        if not unit.known and not is_prose(text):
            continue
        if unit.links >= 0.8 and not is_prose(text):
            continue  # a list of links to other stories
        said = _sentences(text)
        if len(text.split()) >= 4 and said <= seen:
            continue  # a pull quote or a repeated standfirst: every sentence of it was read already
        seen |= said
        out.append(unit)
    # A heading heads something: drop one followed by another heading or by nothing.
    blocks: list[Block] = []
    for i, unit in enumerate(out):
        if unit.kind == "heading":
            nxt = next((u for u in out[i + 1 :] if u.kind != "caption"), None)
            if nxt is None or nxt.kind == "heading":
                continue
            blocks.append(Block("heading", unit.text))
        elif unit.kind == "caption":
            blocks.append(Block("caption", unit.text, unit.credit, unit.image))
        else:
            blocks.append(Block("paragraph", unit.text))
    return blocks, lines


def _sentences(text: str) -> set[str]:
    """The sentences of a paragraph, quotation marks stripped, for telling a repetition."""
    return {p.strip(_QUOTES) for p in re.split(r"(?<=[.!?])[\"'”’»)]*\s+", text) if p.strip(_QUOTES)}


def _headline_above_byline(units: list[_Unit]) -> str | None:
    """On a page without <h1>: a short line that is not a sentence, right above the byline or dateline."""
    at = next((i for i, u in enumerate(units) if u.kind == "paragraph" and is_meta(u.text)), None)
    if not at:
        return None
    above = units[at - 1]
    if above.kind != "caption" and 2 <= len(above.text.split()) <= 20 and not is_prose(above.text):
        return above.text
    return None
