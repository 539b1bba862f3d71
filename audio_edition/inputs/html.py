"""An HTML page -> `Article`: trafilatura finds the article, lxml reads its structure.

A page is read twice. trafilatura, a well-kept main-content extractor, says
*where* the article is: the page element that holds (nearly) all the text it
keeps, counting every run of text (lines between <br>s, text between empty
<div>s used as line breaks), not only the innermost blocks'. lxml then walks
that element in reading order and says *what* each part is: a paragraph, an
<h2>/<h3> subheading, a <figure> whose <figcaption> becomes a caption with its
photo credit and image URL. trafilatura alone loses those structures (captions,
headings in <div>s); a walk alone cannot tell an article from a page of furniture.

Inside the article, furniture is dropped by what it is (nav, aside, form,
footer, hidden elements; classes such as share, related, sidebar, newsletter,
cookie, most-read), unless it holds much of the article itself (a Blogger post
sits in a "widget"); by the whole-line phrases of data/furniture.tsv that the
text cleaner uses; and by shape: a short line that is not a sentence is read
only when trafilatura kept it too and it stands in a <p>, an <li> or a <div>
holding a body of text. A line that ends like a sentence is kept unless
something positively marks it as furniture: losing a body sentence is worse
than reading a stray line. A line read twice is read twice (a recipe's "Stir
well", an interview's question asked again) unless it is an echo of the body:
a pull quote of one of its sentences, a standfirst printed again as the first
paragraph.

`read_html` also says what became of each part and why (`clean --explain`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import lxml.html
from lxml import etree

from audio_edition.errors import InputError
from audio_edition.inputs import metadata
from audio_edition.inputs.byline import join_authors
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
from audio_edition.inputs.decisions import Decision, Label, Reading
from audio_edition.inputs.furniture import load_furniture
from audio_edition.inputs.language import choose as choose_language
from audio_edition.model import Article, Block

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "caption",
    ]
)
_TEXT_TAGS = frozenset(["p", "li", "blockquote", "td", "th", "dd", "dt", "pre", "address"])
# Never read, wherever they are.
_SILENT_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "canvas",
        "button",
        "select",
        "option",
        "input",
        "textarea",
        "head",
        "title",
        "meta",
        "link",
        "map",
        "area",
        "img",
        "picture",
        "source",
    ]
)
# Not read as a whole, unless trafilatura found the article inside one (an old page wrapped in a <form>).
_FURNITURE_TAGS = frozenset(["nav", "aside", "form", "footer", "dialog", "menu", "label"])
_FURNITURE_ROLES = frozenset(
    [
        "navigation",
        "complementary",
        "banner",
        "contentinfo",
        "dialog",
        "alertdialog",
        "search",
        "form",
        "menu",
        "menubar",
        "toolbar",
        "button",
    ]
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
# What stands beside the article, not in it, even when it holds sentences trafilatura kept.
_BESIDE = re.compile(
    r"related|relatedposts|recirc|recirculation|recommended|recommendations|popular|trending|most-read|mostread|"
    r"most-popular|more-stories|read-more|readmore|comments?|respond|outbrain|taboola|sidebar|rail"
)
# An element marked as furniture that holds this share of trafilatura's text in the container is not furniture.
_HOLDS_ARTICLE = 0.5
# A <div> holding this many words of trafilatura's text straight in it is a body of text, not a widget's label.
_TEXT_BODY_WORDS = 12
# A headline found above a byline is among this many first lines of the article.
_TOP_UNITS = 6
# A "heading" longer than this that ends like a sentence is a paragraph in a heading's markup.
_HEADING_WORDS = 20
# Where a repetition of the body is an echo of it (a pull quote), not content.
_QUOTE_CLASS = re.compile(r"quote|pull|callout")
_REFERENCES = re.compile(r"(?:\s*\[(?:\d+|[a-z]\s?\d+|citation needed|note \d+)\])+\s*$", re.I)
_ASCII = str.maketrans("’‘“”…", "''\"\".")
_QUOTES = "\"'“”‘’«» "
_CREDIT_CLASS = re.compile(r"credit|copyright|attribution|photographer|byline|source")
_CAPTION_CLASS = re.compile(r"(?<![a-z0-9])(?:wp-caption-text|caption-text|caption)(?![a-z0-9])")


@dataclass
class _Unit:
    """One piece of the article in reading order, before the furniture rules decide."""

    kind: Literal["paragraph", "heading", "caption", "furniture"]
    """"furniture": an element not read as a whole (a <nav>, a "related" box), kept for `clean --explain`."""
    text: str
    line: int = 0
    """Where it starts in the page, counting from 1 (0: not known)."""
    why: str = ""
    """For furniture: what marked it."""
    level: int = 0
    credit: str | None = None
    image: str | None = None
    links: float = 0.0
    """Share of the text that is link text."""
    item: int | None = None
    """The list it is an item of."""
    known: bool = False
    """trafilatura kept this text too, and it stands in a text element (<p>, <li>...) or a <div> holding a body
    of text, not in a widget's <div>."""
    quote: bool = False
    """It stands in a block quote or a pull quote: when it repeats the body, it is an echo of it."""


@dataclass
class _Page:
    """What the walk needs to know about the whole page."""

    root: lxml.html.HtmlElement
    base: str | None
    blocky: set[Any]
    known: set[str]
    known_text: str
    held: dict[Any, int]
    """Element -> characters of trafilatura's text it holds, at any depth."""
    own: dict[Any, int]
    """Element -> words of trafilatura's text it holds directly, as text runs between its block children."""
    prose: dict[Any, int]
    """Element -> how many paragraphs of trafilatura's text it holds that are sentences of eight words or more."""
    total: int = 0
    """Characters of trafilatura's text in the container."""
    lists: int = 0


def extract_html(html: str, url: str | None = None, name: str | None = None) -> Article:
    """The article in an HTML page (see `read_html`)."""
    return read_html(html, url, name).article


def read_html(html: str, url: str | None = None, name: str | None = None) -> Reading:
    """The article in an HTML page, with what became of each of its text blocks and why.

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
    page = _Page(root, base, _blocky(body), known, "\n".join(known), {}, {}, {})
    container = _container(body, page)
    units = list(_walk(container, page))

    title = (
        metadata.title_element(container, root, [ld.get("headline"), *(meta.get(k) for k in metadata.TITLE_META)])
        or _headline_above_byline(units)
        or first_text(ld.get("headline"), *(meta.get(k) for k in metadata.TITLE_META), getattr(doc, "title", None))
        or first_text(root.findtext(".//title"))
    )
    names = metadata.authors(ld, meta, root, doc)
    blocks, lines, decisions = _decide(units, title)
    if not any(b.kind in ("paragraph", "caption") for b in blocks):
        raise InputError(f"no article text found in {label}: only navigation and page furniture")
    if not title:
        first = next(b.text for b in blocks if b.kind == "paragraph")
        title = " ".join(first.split()[:14]) + ("…" if len(first.split()) > 14 else "")
    published, has_time = metadata.published(ld, meta, container, lines)
    if not names:
        names = next((found for line in lines if (found := meta_of(line)[0])), [])
    article = Article(
        title=norm(title),
        author=join_authors(names),
        published=published,
        blocks=tuple(blocks),
        has_time=has_time,
        source=url or canonical,
        language=choose_language(metadata.languages(root, meta, ld), " ".join(b.text for b in blocks)),
    )
    return Reading(article, tuple(decisions))


def _parse(html: str, label: str) -> lxml.html.HtmlElement:
    if not html or not html.strip():
        raise InputError(f"{label} is empty")
    # lxml refuses a str that still carries an XML encoding declaration (XHTML pages).
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    # libxml2 stops at 256 levels and drops the rest of the page without a word: parse deeper, and refuse
    # (with a reason) a page deeper than we read, rather than lose its text.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{label} is not an HTML page: {exc}") from None
    too_deep = any("depth" in entry.message.lower() for entry in parser.error_log)
    if too_deep or depth(root) > MAX_DEPTH:
        raise InputError(
            f"{label} nests its elements more than {MAX_DEPTH} levels deep; it is not read, rather than read in part"
        )
    return root


MAX_DEPTH = 400
"""Deepest nesting of elements read (real pages stay under 60); a deeper page is refused, never cut short."""


def depth(root: Any) -> int:
    """The deepest nesting of elements under `root` (without recursion)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        el, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in el)
    return deepest


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


def _container(body: Any, page: _Page) -> Any:
    """The element holding (nearly) all the text trafilatura kept; <article>, <main> or <body> when it kept none.

    Every text run counts, not only the innermost blocks': a body whose text sits
    straight in a <div> between empty <div>s (used as line breaks) is text too.
    Fills in `page.held`, `page.own`, `page.prose` and `page.total`.
    """
    total = 0
    for el in body.iter():
        if el not in page.blocky:
            continue
        for run in _runs(el, page.blocky):
            for text in _paragraphs(run):
                if not _is_known(text, page):
                    continue
                total += len(text)
                page.own[el] = page.own.get(el, 0) + len(text.split())
                prose = is_prose(text) and len(text.split()) >= 8
                for anc in (el, *el.iterancestors()):
                    page.held[anc] = page.held.get(anc, 0) + len(text)
                    if prose:
                        page.prose[anc] = page.prose.get(anc, 0) + 1
    if total:
        depth = {el: sum(1 for _ in el.iterancestors()) for el, n in page.held.items() if n >= 0.95 * total}
        container = max(depth, key=lambda el: depth[el])
        page.total = page.held[container]
        return container
    for path in ("//article", "//main", "//*[@role='main']"):
        found = body.xpath(path)
        if found:
            return found[0]
    return body


def _runs(el: Any, blocky: set[Any]) -> Iterator[str]:
    """The runs of text straight in an element, between its block-level children, as the walk reads them."""
    if el.tag in _SILENT_TAGS or _hidden(el):
        return
    run = [ws(el.text)]
    for child in el:
        if not isinstance(child.tag, str):
            run.append(ws(child.tail))
        elif child in blocky:
            yield "".join(run)
            run = [ws(child.tail)]
        else:
            run += [_inline(child)[0], ws(child.tail)]
    yield "".join(run)


def _furniture(el: Any, page: _Page) -> str | None:
    """What makes a block-level element page furniture, not part of the article; None when it is not."""
    tag = el.tag
    if tag in _SILENT_TAGS:
        return f"a <{tag}> element"
    if _hidden(el):
        return "hidden"
    role = (el.get("role") or "").lower()
    found = _FURNITURE_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}".lower())
    why = (
        f"a <{tag}> element" if tag in _FURNITURE_TAGS
        else f"role {role!r}" if role in _FURNITURE_ROLES
        else f"class or id {found.group(0)!r}" if found
        else None
    )  # fmt: skip
    if why is None or page.held.get(el, 0) >= _HOLDS_ARTICLE * page.total > 0:
        return None  # it holds much of the article, whatever its class says: a Blogger post sits in a "widget"
    beside = (
        tag in ("aside", "nav")
        or role in ("complementary", "navigation")
        or bool(found and _BESIDE.fullmatch(found.group(0)))
    )
    if not beside and page.prose.get(el, 0) >= 2:
        return None  # a section of the article that a name such as "ads" or "meta" happens to mark
    return why  # a sidebar or a box of other stories stays one, even when trafilatura kept some of it


def _hidden(el: Any) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (
        el.get("hidden") is not None
        or (el.get("aria-hidden") or "").lower() == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _walk(el: Any, page: _Page, item: int | None = None, quote: bool = False) -> Iterator[_Unit]:
    """The units of a block-level element, in reading order."""
    if _is_figure(el):
        yield from _figure(el, page)
        return
    if el.tag == "figcaption":
        # Outside a <figure>: beside the <figure> or <img> it captions, as some templates print it.
        before = el.getprevious()
        image = _image(before, page.base) if before is not None else None
        if image:
            yield from _caption(el, image)
        elif text := norm(_inline(el)[0]):
            yield _Unit("paragraph", text, el.sourceline or 0, known=True, quote=quote)
        return
    level = _heading_level(el) or (4 if _bold_paragraph(el) else 0)
    if level:
        text = norm(_inline(el)[0])
        if len(text.split()) > _HEADING_WORDS and _prose(text):
            # A standfirst or a whole paragraph set in <h2>: read as what it is.
            yield _Unit("paragraph", text, el.sourceline or 0, known=True, quote=quote)
        elif text:
            yield _Unit("heading", text, el.sourceline or 0, level=level)
        return
    if el.tag in ("ul", "ol"):
        page.lists += 1
        item = page.lists
    quote = quote or el.tag == "blockquote" or bool(_QUOTE_CLASS.search((el.get("class") or "").lower()))
    run: list[str] = [ws(el.text)]
    link_chars = 0
    for child in el:
        if not isinstance(child.tag, str):
            run.append(ws(child.tail))
        elif child in page.blocky:
            yield from _flush(run, link_chars, page, item, el, quote)
            run, link_chars = [], 0
            why = _furniture(child, page)
            if why is None:
                yield from _walk(child, page, item, quote)
            elif child.tag not in _SILENT_TAGS and (text := norm(child.text_content())):
                yield _Unit("furniture", text, line=child.sourceline or 0, why=why)
            run.append(ws(child.tail))
        else:
            text, links = _inline(child)
            run += [text, ws(child.tail)]
            link_chars += links
    yield from _flush(run, link_chars, page, item, el, quote)


def _flush(run: list[str], link_chars: int, page: _Page, item: int | None, el: Any, quote: bool) -> Iterator[_Unit]:
    text = "".join(run)
    total = len(norm(text)) or 1
    # Text straight in a <div> or <section> is how widgets print their labels ("Live", "Filed from
    # Bergen"); trafilatura keeps those, so there only a sentence is read. In <p>, <li>... any text is,
    # and in a <div> that holds a body of text itself (lines between <br>s or between empty <div>s).
    trusted = el.tag in _TEXT_TAGS or page.own.get(el, 0) >= _TEXT_BODY_WORDS
    pieces = _paragraphs(text)
    whole = trusted and len(pieces) > 1 and _is_known(" ".join(pieces), page)  # "As follows:<br>1. Oslo<br>2. Bergen"
    for piece in pieces:
        known = trusted and (whole or _is_known(piece, page))
        yield _Unit("paragraph", piece, el.sourceline or 0, links=min(1.0, link_chars / total), item=item, known=known,
                    quote=quote)  # fmt: skip


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
        caption = next(
            (c for c in el.iter() if c is not el and _CAPTION_CLASS.search((c.get("class") or "").lower())), None
        )
    image = _image(el, page.base)
    if image is None:
        # A <figure> around a quote, a table or a poem: read what it holds, its caption as a line of text.
        for child in el:
            if child is not caption and child in page.blocky and _furniture(child, page) is None:
                yield from _walk(child, page)
        text = norm(_inline(caption)[0]) if caption is not None and not _hidden(caption) else ""
        if text:
            yield _Unit("paragraph", text, caption.sourceline or 0, known=True)
        return
    if caption is not None and not _hidden(caption):
        yield from _caption(caption, image)


def _caption(caption: Any, image: str) -> Iterator[_Unit]:
    """A caption of an image, its photo credit split off."""
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
        yield _Unit("caption", text, caption.sourceline or 0, credit=credit, image=image, known=True)


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


def _decide(units: list[_Unit], title: str | None) -> tuple[list[Block], list[str], list[Decision]]:
    """The blocks to read, the lines put aside as bylines and datelines (for metadata), and why for each unit."""
    furniture = load_furniture()
    title_key = norm(title or "").casefold()
    at_title = next(
        (i for i, u in enumerate(units) if u.kind in ("paragraph", "heading") and u.text.casefold() == title_key), -1
    )
    out: list[tuple[_Unit, int]] = []  # the units read, each with its decision's index
    lines: list[str] = []
    decisions: list[Decision] = []
    # A line repeated is content (a recipe's "Stir well and leave to rest.", an interview's question asked
    # again); only a repetition that echoes the body is not read.
    body = [_sentences(_key(u.text)) for u in units if u.kind == "paragraph" and not u.quote]
    last: _Unit | None = None  # the last paragraph or heading read
    skip_list: int | None = None
    in_marker = False

    def decide(unit: _Unit, label: Label, why: str) -> None:
        if label in ("paragraph", "heading", "caption"):
            out.append((unit, len(decisions)))
        decisions.append(Decision(unit.line, unit.text, label, why))

    for i, unit in enumerate(units):
        text = unit.text
        key = _key(text)
        # A byline or dateline above the body is metadata. Inside it, a date alone is the body's (a list
        # of events, a tweet's last line), though it may still be the only date the page gives.
        meta = unit.kind == "paragraph" and is_meta(text)
        if unit.kind == "furniture":
            decide(unit, "furniture", unit.why)
        elif unit.kind == "caption":
            if (text, unit.image) in [(u.text, u.image) for u, _ in out if u.kind == "caption"]:
                decide(unit, "furniture", "the same caption again")
            else:
                decide(unit, "caption", "the caption of a figure")
        elif i == at_title:
            decide(unit, "title", "the headline")
        elif i < at_title and not _prose(text):
            decide(unit, "furniture", "above the headline, not a sentence")
        elif any(m.fullmatch(key) for m in furniture.markers):
            in_marker, skip_list = True, None
            decide(unit, "furniture", "starts a list of other stories")
        elif in_marker and unit.item is not None and (skip_list is None or unit.item == skip_list):
            skip_list = unit.item
            decide(unit, "furniture", "in a list of other stories")
        elif in_marker and unit.links >= 0.8 and not _prose(text):
            decide(unit, "furniture", "a link under a list of other stories")
        elif category := furniture.category(key):
            in_marker = False
            decide(unit, "furniture", f"furniture phrase ({category})")
        elif unit.kind == "heading":
            in_marker = False
            decide(unit, "heading", f"an <h{unit.level}> heading" if unit.level < 4 else "a heading")
            last = unit
        elif meta and (meta_of(text)[0] or not any(u.kind == "paragraph" for u, _ in out)):
            in_marker = False
            lines.append(text)
            decide(unit, "byline" if meta_of(text)[0] else "dateline", "a byline or dateline line")
        elif not unit.known and not _prose(text):
            in_marker = False
            lines += [text] if meta else []
            decide(unit, "furniture", "not a sentence, and not text trafilatura kept in a <p>, <li> or body of text")
        elif unit.links >= 0.8 and not _prose(text) and not _said_in_list(unit):
            in_marker = False
            decide(unit, "furniture", "a link to another page")
        elif len(text.split()) >= 4 and unit.quote and any(_sentences(key) <= said for said in body):
            in_marker = False
            decide(unit, "furniture", "a pull quote repeating the body")
        elif len(text.split()) >= 4 and last is not None and last.kind == "paragraph" and _key(last.text) == key:
            in_marker = False
            decide(unit, "furniture", "the paragraph before it again (a standfirst printed twice)")
        else:
            in_marker = False
            lines += [text] if meta else []
            decide(unit, "paragraph", "a sentence" if _prose(text) else "text trafilatura kept too")
            last = unit
    # A heading heads something: drop one followed by nothing, or by a heading of its own rank or above
    # (its section is empty: a box of links was there). "Method" over "Step 1" heads the steps.
    blocks: list[Block] = []
    for n, (unit, at) in enumerate(out):
        if unit.kind == "heading":
            nxt = next((u for u, _ in out[n + 1 :] if u.kind != "caption"), None)
            if nxt is None or (nxt.kind == "heading" and nxt.level <= unit.level):
                decisions[at] = Decision(unit.line, unit.text, "furniture", "a heading over no text")
                continue
            blocks.append(Block("heading", unit.text))
        elif unit.kind == "caption":
            blocks.append(Block("caption", unit.text, unit.credit, unit.image))
        else:
            blocks.append(Block("paragraph", unit.text))
    return blocks, lines, decisions


def _key(text: str) -> str:
    """Text as it is compared: typographic quotes and ellipses as ASCII, single spaces."""
    return re.sub(r"\s+", " ", text.translate(_ASCII)).strip()


def _said_in_list(unit: _Unit) -> bool:
    """A list item trafilatura kept that says something is the body's, linked or not ("Gijs made the toolbar start later")."""
    return unit.known and unit.item is not None and len(unit.text.split()) >= 6


def _prose(text: str) -> bool:
    """Ends like a sentence, reference marks after its full stop aside ("... in 1946.[1]")."""
    return is_prose(_REFERENCES.sub("", text))


def _sentences(text: str) -> set[str]:
    """The sentences of a paragraph, quotation marks stripped, for telling a repetition."""
    return {p.strip(_QUOTES) for p in re.split(r"(?<=[.!?])[\"'”’»)]*\s+", text) if p.strip(_QUOTES)}


def _headline_above_byline(units: list[_Unit]) -> str | None:
    """On a page without <h1>: a short line that is not a sentence, right above a byline or dateline near the top."""
    read = [u for u in units if u.kind in ("paragraph", "heading")][:_TOP_UNITS]
    at = next((i for i, u in enumerate(read) if u.kind == "paragraph" and is_meta(u.text)), None)
    if not at:
        return None
    above = read[at - 1]
    if 2 <= len(above.text.split()) <= 20 and not _prose(above.text) and above.links < 0.5:
        return above.text
    return None
