"""Build the reader's development corpus: real web pages with gold, rendered to innerText.

The read stage must find the article in text scraped from a page, so the line
classifier it uses is developed on real saved pages. This script rebuilds that
corpus from four public extraction test sets, mirrored as bare git repositories
(read with `git show HEAD:path`, never checked out), into a cache folder outside
git. Nothing it reads or writes belongs in this repository.

Sources and their gold:
  readability  mozilla/readability test pages that are real saved pages (the
               synthetic rule tests are listed in READABILITY_EXCLUDED); gold
               "full": readability's expected.html, flattened into blocks.
  trafilatura  adbar/trafilatura tests/evaldata.json pages; gold "silver": the
               installed trafilatura's own extraction, plus the with/without
               snippets and author/title/date of evaldata. Pages of the
               Zyte/Scrapinghub article-extraction benchmark (files named by 32
               hex digits) are reserved for independent evaluation: they are
               never read, and a hard check stops the build if one slips in.
  newspaper    codelucas/newspaper tests/data/html with tests/data/text; gold
               "silver" (newspaper's text, paragraphs split at blank lines),
               or "meta" where the text file is empty or a note of failure.
  postlight    postlight/parser fixtures; gold "meta": title, author, date and
               the first words of the content asserted by the custom
               extractors' tests.

For every page, <out>/pages/<source>/<id>/ holds page.html (the bytes as in
the repository), meta.json, gold.json (full or silver gold only), render.json
and innertext.txt: document.body.innerText of the page in headless Chromium
with JavaScript off and every request but the page itself aborted (no network).
Pages whose bytes are valid UTF-8 are served as UTF-8; the others with no
charset, so Chromium reads their <meta charset> (see content_type_for). A few
pages hide their body until a script runs; their innerText is empty, as a
visitor without JavaScript would see them (render.json says "empty").
Readability pages also get expected-innertext.txt (its expected.html rendered
the same way). <out>/index.jsonl lists every page; <out>/corpus.json records
the commits, versions and counts of the build.

Re-runnable and incremental: a page is rendered again only when its bytes
changed or with --force; trafilatura's silver gold is cached likewise.

    .venv/bin/python bench/reader_corpus.py --mirrors /work/.mirror \\
        --out ~/.cache/audio-edition/reader-corpus [--only SOURCE] [--jobs 2] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import html as htmllib
import json
import multiprocessing
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SOURCES = ("readability", "trafilatura", "newspaper", "postlight")
REPOS = {
    "readability": "mozilla+readability",
    "trafilatura": "adbar+trafilatura",
    "newspaper": "codelucas+newspaper",
    "postlight": "postlight+parser",
}
RENDER_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1280, "height": 800}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PLACEHOLDER_URL = "http://corpus.invalid/{id}.html"

# The Zyte/Scrapinghub article-extraction benchmark, as mirrored in trafilatura's
# tests: reserved for independent evaluation, never read, rendered or used here.
ZYTE_NAME = re.compile(r"[0-9a-f]{32}\.html", re.IGNORECASE)

# readability test pages that are not real saved pages of real sites.
READABILITY_EXCLUDED: dict[str, str] = {
    "003-metadata-preferred": "synthetic: lorem ipsum, tests metadata precedence",
    "004-metadata-space-separated-properties": "synthetic: lorem ipsum, tests meta property parsing",
    "005-unescape-html-entities": "synthetic: 221-byte entity-unescaping test",
    "base-url": "synthetic: lorem ipsum, tests relative URL rewriting",
    "base-url-base-element": "synthetic: lorem ipsum, tests <base> handling",
    "base-url-base-element-relative": "synthetic: lorem ipsum, tests relative <base>",
    "basic-tags-cleaning": "synthetic: lorem ipsum, tests tag cleaning",
    "comment-inside-script-parsing": "synthetic: lorem ipsum, tests comments in scripts",
    "data-url-image": "synthetic: 'Document' page of lorem ipsum around data: images",
    "dev418": "synthetic: 'Readability Test' lorem ipsum image-layout page",
    "embedded-videos": "synthetic: lorem ipsum, tests iframe/video keeping",
    "hidden-nodes": "synthetic: lorem ipsum, tests hidden-node removal",
    "invalid-attributes": "synthetic: 437-byte invalid-attribute test",
    "js-link-replacement": "synthetic: 209-byte javascript: link test",
    "lazy-image-3": "synthetic: two lazy-loaded images, no text",
    "metadata-content-missing": "synthetic: lorem ipsum, tests empty meta content",
    "missing-paragraphs": "synthetic: lorem ipsum, tests paragraph keeping",
    "normalize-spaces": "synthetic: lorem ipsum, tests whitespace normalisation",
    "ol": "synthetic: 195-byte ordered-list test",
    "parsely-metadata": "synthetic: lorem ipsum, tests Parse.ly metadata",
    "remove-aria-hidden": "synthetic: lorem ipsum, tests aria-hidden removal",
    "remove-extra-brs": "synthetic: lorem ipsum, tests trailing <br> removal",
    "remove-extra-paragraphs": "synthetic: lorem ipsum, tests empty-paragraph removal",
    "remove-script-tags": "synthetic: lorem ipsum, tests script removal",
    "reordering-paragraphs": "synthetic: numbered copies of one paragraph, tests ordering",
    "replace-brs": "synthetic: lorem ipsum, tests <br> to <p>",
    "replace-font-tags": "synthetic: lorem ipsum, tests <font> replacement",
    "rtl-1": "synthetic: lorem ipsum, tests dir=rtl",
    "rtl-2": "synthetic: lorem ipsum, tests dir=rtl",
    "rtl-3": "synthetic: lorem ipsum, tests dir=rtl",
    "rtl-4": "synthetic: lorem ipsum, tests dir=rtl",
    "social-buttons": "synthetic: lorem ipsum, tests share-button removal",
    "style-tags-removal": "synthetic: lorem ipsum, tests <style> removal",
    "svg-parsing": "synthetic: lorem ipsum, tests inline SVG",
    "title-and-h1-discrepancy": "synthetic: lorem ipsum, tests title vs h1",
    "title-en-dash": "synthetic: lorem ipsum, tests title separators",
    "visibility-hidden": "synthetic: lorem ipsum, tests visibility:hidden",
}

# Sites of readability pages that name no URL of their own (read off the page by eye).
READABILITY_SITES: dict[str, str] = {
    "001": "perriault.net",
    "archive-of-our-own": "archiveofourown.org",
    "blogger": "blogspot.com",
    "clean-links": "vcu.edu",
    "daringfireball-1": "daringfireball.net",
    "ebb-org": "ebb.org",
    "gmw": "gmw.cn",
    "google-sre-book-1": "google.com",
    "heise": "heise.de",
    "hukumusume": "hukumusume.com",
    "ietf-1": "ietf.org",
    "keep-tabular-data": "factorio.com",
    "la-nacion": "lanacion.com.ar",
    "lwn-1": "lwn.net",
    "mercurial": "aragost.com",
    "qq": "qq.com",
    "table-style-attributes": "jwz.org",
    "v8-blog": "v8.dev",
    "webmd-1": "webmd.com",
    "webmd-2": "webmd.com",
    "yahoo-2": "yahoo.com",
    "youth": "youth.cn",
}

# newspaper pages named by hand in tests/unit_tests.py: stem -> (text stem, URL given there).
NEWSPAPER_NAMED: dict[str, tuple[str | None, str | None]] = {
    "arabic_article": ("arabic", "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"),
    "chinese_article": ("chinese", "http://news.sohu.com/20050601/n225789219.shtml"),
    "cnn_article": ("cnn", "http://www.cnn.com/2013/11/27/travel/weather-thanksgiving/index.html?iref=allsearch"),
    "japanese_article": ("japanese", "https://www.nikkei.com/article/DGXMZO31897660Y8A610C1000000/?n_cid=DSTPCS001"),
    "japanese_article2": ("japanese2", "http://www.afpbb.com/articles/-/3178894"),
    "spanish_article": (
        "spanish",
        "http://ultimahora.es/mallorca/noticia/noticias/local/"
        "fiscalia-anticorrupcion-estudia-recurre-imputacion-infanta.html",
    ),
    "thai_article": ("thai", "https://prachatai.com/journal/2019/01/80642"),
    "cnn_main_site": (None, "http://cnn.com"),
    "yahoo_main_site": (None, "http://uk.yahoo.com"),
    "ap_meta_refresh": (None, None),
}
NEWSPAPER_EXCLUDED: dict[str, str] = {
    "google_meta_refresh": "synthetic: 570-byte meta-refresh stub to example.com",
}

# Second-level labels under a country code that are public suffixes (co.uk, com.au, co.jp ...).
SECOND_LEVEL = frozenset(
    [
        "ac",
        "ad",
        "co",
        "com",
        "edu",
        "gob",
        "gov",
        "gouv",
        "govt",
        "gv",
        "go",
        "in",
        "info",
        "ltd",
        "me",
        "mil",
        "ne",
        "net",
        "nic",
        "nom",
        "or",
        "org",
        "plc",
        "sch",
        "waw",
        "web",
    ]
)
HOST_PREFIXES = re.compile(r"^(?:www\d*|m|amp|mobile)\.")


# --------------------------------------------------------------------------- data


@dataclass
class Page:
    """One page of the corpus, as collected from a mirror (before writing)."""

    source: str
    id: str
    html: bytes
    origin: dict[str, str]
    url: str | None = None
    url_from: str | None = None
    site_hint: str | None = None
    title: str | None = None
    author_raw: str | None = None
    published: str | None = None
    gold: str = "meta"
    blocks: list[dict[str, str]] | None = None
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    expected_html: bytes | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def render_url(self) -> str:
        return self.url or PLACEHOLDER_URL.format(id=self.id)


@dataclass
class Collected:
    """The pages of one source and what was left out, with reasons."""

    pages: list[Page]
    excluded: dict[str, str]


# --------------------------------------------------------------------------- git


class Mirror:
    """A bare git repository, read at HEAD."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.commit = self._git("rev-parse", "HEAD").decode().strip()

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", "-C", str(self.path), *args], check=True, capture_output=True).stdout

    def show(self, path: str) -> bytes:
        return self._git("show", f"HEAD:{path}")

    def tree(self, under: str) -> dict[str, str]:
        """Path -> blob id of every file under a folder (-z: names are not quoted)."""
        out: dict[str, str] = {}
        for record in self._git("ls-tree", "-r", "-z", "HEAD", "--", under).split(b"\0"):
            if record:
                meta, path = record.split(b"\t", 1)
                out[path.decode("utf-8")] = meta.split()[2].decode()
        return out

    def origin(self, repo: str, path: str) -> dict[str, str]:
        return {"repo": repo, "commit": self.commit, "path": path}


def blob_id(data: bytes) -> str:
    """The git blob id of some bytes (to compare content without reading a file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# --------------------------------------------------------------------------- text helpers


def norm(text: str) -> str:
    """Collapse every run of whitespace (no-break spaces included) to one space."""
    return " ".join(text.split())


def as_text(value: object) -> str | None:
    """A metadata value as one string: lists (evaldata has a few author lists) joined with '; '."""
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v) or None
    return str(value)


def slug(name: str) -> str:
    """A filesystem-safe id: ASCII letters, digits, dot, dash and underscore."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-.") or "page"


def unique_ids(pages: list[Page]) -> None:
    """Make ids unique within a source by numbering repeats."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen[page.id] += 1
        if seen[page.id] > 1:
            page.id = f"{page.id}-{seen[page.id]}"


def site_of(url: str | None) -> str | None:
    """The registrable domain of a URL: www./m./amp. stripped, two labels (three under co.uk & co)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return None
    while HOST_PREFIXES.match(host) and host.count(".") > 1:
        host = HOST_PREFIXES.sub("", host, count=1)
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def tag_attrs(tag: str) -> dict[str, str]:
    return {m[1].lower(): htmllib.unescape(m[2] or m[3] or m[4] or "") for m in ATTR.finditer(tag)}


def absolute(url: str) -> str | None:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    return url if re.match(r"https?://[^/\s]+", url) else None


def url_in_page(html: bytes) -> tuple[str | None, str | None]:
    """The page's own URL as it states it: canonical link, og:url, or a browser's 'saved from url'."""
    text = html.decode("latin-1")
    for tag in re.findall(r"<link\b[^>]*>", text, re.IGNORECASE):
        attrs = tag_attrs(tag)
        if "canonical" in attrs.get("rel", "").lower().split() and (url := absolute(attrs.get("href", ""))):
            return url, "canonical"
    for tag in re.findall(r"<meta\b[^>]*>", text, re.IGNORECASE):
        attrs = tag_attrs(tag)
        if (attrs.get("property") or attrs.get("name", "")).lower() == "og:url":
            if url := absolute(attrs.get("content", "")):
                return url, "og:url"
    if m := re.search(r"<!-- saved from url=\(\d+\)(\S+?) ?-->", text):
        if url := absolute(m[1]):
            return url, "saved-from"
    return None, None


def lang_in_page(html: bytes) -> str | None:
    """<html lang>, read from the source (used only when the page did not render)."""
    m = re.search(rb"<html\b[^>]*>", html, re.IGNORECASE)
    lang = tag_attrs(m[0].decode("latin-1")).get("lang", "").strip() if m else ""
    return lang or None


# --------------------------------------------------------------------------- authors

BY_PREFIX = re.compile(
    r"^(?:(?:written|words|text|story|reporting|report|posted|published|compiled|article)\s+)?"
    r"(?:by|von|par|por|di|door|av|przez|著者|著|文)\s*[:：]?\s*(?=\S)",
    re.IGNORECASE,
)
NOT_AUTHOR = re.compile(
    r"^(?:edited|editing|photos?|photographs?|photography|illustrations?|illustrated|images?|video|"
    r"graphics?|(?:medically\s+)?reviewed|fact[- ]checked|translated|additional\s+reporting|"
    r"(?:last\s+)?(?:updated|published|posted)\b(?!\s+by\b)|follow\b|share\b|subscribe\b|イラスト)",
    re.IGNORECASE,
)
ROLE_CUT = re.compile(
    r"\s+(?=(?:illustrations?|illustrated|photographs?|photos?|edited|video)\s+by\b|イラスト)", re.IGNORECASE
)
CREDENTIALS = frozenset(
    "MA MS MSc MD PhD RN MPH DO RD LD MBA BSN CNM LCSW FACS DDS DMD PharmD DVM MFA JD".lower().split()
)
SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"])
STAFF_WORDS = re.compile(
    r"\b(?:news|staff|correspondents?|reporters?|editors?|contributors?|writers?|columnists?|desk|bureau|team|"
    r"engineers?|managers?|directors?|officers?|founder|ceo|president)\b|編集者",
    re.IGNORECASE,
)
CONJUNCTION = re.compile(r"\s+(?:and|und|et|y|e|&)\s+", re.IGNORECASE)
WITH_PARENS = re.compile(r"[(（]\s*(?:avec|with|mit|con|and|et)\s+([^)）]*)[)）]", re.IGNORECASE)
PARENS = re.compile(r"[(（][^)）]*[)）]")
URLS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")


def split_conjunction(part: str) -> list[str]:
    """'Jane Doe and John Roe' -> two names; 'Mac & i' stays whole (each side needs two words)."""
    pieces = CONJUNCTION.split(part)
    if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
        return pieces
    return [part]


def clean_author(part: str) -> str | None:
    """One name from a byline piece, or None for dates, credentials, translators and staff labels."""
    part = re.sub(r"^View ORCID Profile", "", norm(part))
    part = BY_PREFIX.sub("", part).strip(" .:：-–—·|")
    part = re.sub(r"\s+著$", "", part)
    if re.search(r"\d", part):  # a date run into the name ('Lucas Nolan22 Dec 2016'): keep what precedes it
        part = part[: re.search(r"\d", part).start()].strip(" ,.:-–—|")
        if len(part.split()) < 2:
            return None
    low = part.lower().rstrip(".")
    if not part or low in CREDENTIALS or part.endswith("訳") or STAFF_WORDS.search(part):
        return None
    return part


def byline_lines(raw: str) -> list[str]:
    """A byline cut into lines of names: URLs and asides dropped, 'Illustration by' starting a new line."""
    raw = PARENS.sub(" ", WITH_PARENS.sub(r", \1", raw))
    raw = URLS.sub(" ", re.sub(r"[\[\]《》【】「」]", " ", raw))
    raw = re.sub(r"\b(by|von|par|por)\s*[\r\n]+\s*", r"\1 ", raw, flags=re.IGNORECASE)
    lines = [norm(x) for line in re.split(r"[\n\r]+", raw) for x in ROLE_CUT.split(line)]
    return [line for line in lines if line and not NOT_AUTHOR.match(line)]


def split_authors(raw: str | None) -> list[str]:
    """Person names as a reader would list them: 'By Jane Doe and John Roe' -> ['Jane Doe', 'John Roe']."""
    if not raw:
        return []
    names: list[str] = []
    for line in byline_lines(raw):
        parts = re.split(r"\s*[,;|·•，、；]\s*", line)
        if (
            len(parts) == 2
            and re.fullmatch(r"[A-Za-zÀ-ÿ'’-]{2,}", parts[0])
            and 1 <= len(parts[1].split()) <= 3
            and not CONJUNCTION.search(line)
            and parts[1].lower().rstrip(".") not in SUFFIXES
        ):
            parts = [f"{parts[1]} {parts[0]}"]  # 'Jong, Michiel de': surname first
        for part in parts:
            if part.lower().rstrip(".") in SUFFIXES and names:
                names[-1] = f"{names[-1]} {part}"
                continue
            for piece in split_conjunction(part):
                if (name := clean_author(piece)) and name not in names:
                    names.append(name)
    return names


# --------------------------------------------------------------------------- gold blocks


@dataclass(frozen=True)
class Scheme:
    """How a markup's tags map onto gold blocks."""

    kinds: dict[str, str]
    containers: frozenset[str]
    row: str
    cells: frozenset[str]
    skip: frozenset[str]
    breaks: frozenset[str]
    rules: frozenset[str]
    block_code_parents: frozenset[str] = frozenset()


HTML_SCHEME = Scheme(
    kinds={
        **{f"h{i}": "heading" for i in range(1, 7)},
        "li": "item",
        "dt": "item",
        "dd": "item",
        "figcaption": "caption",
        "caption": "caption",
        "blockquote": "quote",
        "pre": "pre",
        "p": "",
    },
    containers=frozenset(
        [
            "html",
            "body",
            "div",
            "section",
            "article",
            "main",
            "header",
            "footer",
            "aside",
            "nav",
            "figure",
            "table",
            "thead",
            "tbody",
            "tfoot",
            "ul",
            "ol",
            "dl",
            "menu",
            "details",
            "summary",
            "form",
            "fieldset",
            "center",
            "address",
            "hgroup",
            "td",
            "th",
            "tr",
        ]
    ),
    row="tr",
    cells=frozenset({"td", "th"}),
    skip=frozenset(
        [
            "head",
            "script",
            "style",
            "noscript",
            "template",
            "svg",
            "iframe",
            "object",
            "embed",
            "video",
            "audio",
            "canvas",
        ]
    ),
    breaks=frozenset({"br", "wbr"}),
    rules=frozenset({"hr"}),
)
TRAFILATURA_SCHEME = Scheme(
    kinds={"head": "heading", "item": "item", "quote": "quote", "p": "", "code": "pre"},
    containers=frozenset({"body", "doc", "main", "div", "list", "table"}),
    row="row",
    cells=frozenset({"cell"}),
    skip=frozenset({"graphic", "comments"}),
    breaks=frozenset({"lb"}),
    rules=frozenset(),
    block_code_parents=frozenset({"body", "div", "quote", "main"}),
)
LAYOUT_TAGS = frozenset(
    [
        "p",
        "div",
        "table",
        "ul",
        "ol",
        "dl",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "section",
        "article",
        "list",
        "head",
    ]
)


def local(tag: object) -> str | None:
    return tag.split("}")[-1].lower() if isinstance(tag, str) else None


class Flattener:
    """Walks a tree in reading order and emits one block per paragraph-like element."""

    def __init__(self, scheme: Scheme) -> None:
        self.scheme = scheme
        self.blocks: list[dict[str, str]] = []

    def flush(self, buf: list[str], kind: str) -> None:
        if text := norm("".join(buf)):
            self.blocks.append({"kind": kind or "paragraph", "text": text})
        buf.clear()

    def inline_text(self, el: Any) -> str:
        parts = [el.text or ""]
        for child in el:
            tag = local(child.tag)
            if tag and tag not in self.scheme.skip:
                parts.append(" " if tag in self.scheme.breaks else self.inline_text(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def is_layout_row(self, row: Any) -> bool:
        return any(local(d.tag) in LAYOUT_TAGS for cell in row for d in cell.iterdescendants())

    def block_kind(self, tag: str, parent: str, context: str) -> str | None:
        """The kind a child starts, or None when it is inline."""
        s = self.scheme
        if tag == "code" and s.block_code_parents and parent not in s.block_code_parents:
            return None
        if tag in s.kinds:
            return s.kinds[tag] or context
        return context if tag in s.containers else None

    def walk(self, el: Any, context: str, buf: list[str]) -> None:
        s = self.scheme
        parent = local(el.tag) or ""
        buf.append(el.text or "")
        for child in el:
            tag = local(child.tag)
            if tag is None or tag in s.skip:
                pass
            elif tag == s.row and not self.is_layout_row(child):
                self.flush(buf, context)
                cells = [norm(self.inline_text(c)) for c in child if local(c.tag) in s.cells]
                self.flush([" ".join(c for c in cells if c)], "row")
            elif tag in s.breaks:
                buf.append(" ")
            elif tag in s.rules:
                self.flush(buf, context)
            elif (kind := self.block_kind(tag, parent, context)) is not None:
                self.flush(buf, context)
                sub: list[str] = []
                self.walk(child, kind, sub)
                self.flush(sub, kind)
            else:
                self.walk(child, context, buf)
            buf.append(child.tail or "")

    def run(self, root: Any) -> list[dict[str, str]]:
        buf: list[str] = []
        self.walk(root, "paragraph", buf)
        self.flush(buf, "paragraph")
        return self.blocks


def html_blocks(html: bytes) -> list[dict[str, str]]:
    """Gold blocks of an HTML fragment such as readability's expected.html (UTF-8)."""
    import lxml.html

    root = lxml.html.document_fromstring(html.decode("utf-8"))
    return Flattener(HTML_SCHEME).run(root.body if root.find("body") is not None else root)


def trafilatura_gold(html: bytes, url: str | None) -> tuple[list[dict[str, str]], dict[str, str | None]]:
    """Silver gold: the installed trafilatura's extraction, as blocks, and the metadata it found."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        output_format="python",
    )
    if doc is None or getattr(doc, "body", None) is None:
        return [], {}
    found = {"title": doc.title, "author": doc.author, "date": doc.date, "sitename": doc.sitename}
    return Flattener(TRAFILATURA_SCHEME).run(doc.body), found


def newspaper_blocks(text: str) -> list[dict[str, str]]:
    return [{"kind": "paragraph", "text": t} for p in re.split(r"\n\s*\n", text) if (t := norm(p))]


def failure_note(text: str) -> str | None:
    """newspaper's text files sometimes hold a note of what it missed ('MISSED LAST PARAGRAPH'), not text."""
    stripped = text.strip()
    if not stripped:
        return "newspaper's text file is empty (it extracted nothing)"
    letters = [c for c in stripped if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if "\n" not in stripped and len(stripped) <= 200 and letters and upper >= 0.7 * len(letters):
        return f"newspaper's text file is a note, not text: {stripped}"
    return None


# --------------------------------------------------------------------------- readability


def collect_readability(mirror: Mirror) -> Collected:
    base = "test/test-pages/"
    names = sorted({p[len(base) :].split("/")[0] for p in mirror.tree(base)})
    pages: list[Page] = []
    for name in names:
        if name in READABILITY_EXCLUDED:
            continue
        folder = base + name
        html = mirror.show(f"{folder}/source.html")
        expected = mirror.show(f"{folder}/expected.html")
        meta = json.loads(mirror.show(f"{folder}/expected-metadata.json"))
        url, url_from = url_in_page(html)
        pages.append(
            Page(
                source="readability",
                id=slug(name),
                html=html,
                origin=mirror.origin("mozilla/readability", f"{folder}/source.html"),
                url=url,
                url_from=url_from,
                site_hint=READABILITY_SITES.get(name, re.sub(r"-\d+$", "", name)),
                title=as_text(meta.get("title")),
                author_raw=as_text(meta.get("byline")),
                published=as_text(meta.get("publishedTime")),
                gold="full",
                blocks=html_blocks(expected),
                expected_html=expected,
                extra={"site_name": meta.get("siteName")},
            )
        )
    excluded = {n: READABILITY_EXCLUDED[n] for n in names if n in READABILITY_EXCLUDED}
    return Collected(pages, excluded)


# --------------------------------------------------------------------------- trafilatura


def url_key(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


@dataclass
class ZyteGuard:
    """What identifies the reserved benchmark pages, learnt without reading them."""

    blobs: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def check(self, page: Page) -> None:
        """Hard check: stop the build if a reserved page got this far."""
        name = Path(page.origin["path"]).name
        bad = (
            ZYTE_NAME.fullmatch(name)
            or ZYTE_NAME.fullmatch(f"{page.id}.html")
            or name in self.names
            or blob_id(page.html) in self.blobs
            or (page.url and url_key(page.url) in self.urls)
        )
        if bad:
            raise SystemExit(f"refusing: {page.source}/{page.id} is a reserved Zyte benchmark page")


ZYTE = ZyteGuard()


def trafilatura_tree(mirror: Mirror) -> dict[str, str]:
    return {**mirror.tree("tests/cache"), **mirror.tree("tests/eval")}


def load_zyte_guard(mirror: Mirror) -> None:
    """Learn the reserved pages' names, blob ids and URLs from the listing and evaldata's keys only."""
    for path, blob in trafilatura_tree(mirror).items():
        if ZYTE_NAME.fullmatch(Path(path).name):
            ZYTE.blobs.add(blob)
            ZYTE.names.add(Path(path).name)
    evaldata: dict[str, dict[str, Any]] = json.loads(mirror.show("tests/evaldata.json"))
    ZYTE.urls |= {url_key(url) for url, entry in evaldata.items() if ZYTE_NAME.fullmatch(entry["file"])}


def collect_trafilatura(mirror: Mirror) -> Collected:
    tree = trafilatura_tree(mirror)
    by_name = {Path(p).name: p for p in tree}
    evaldata: dict[str, dict[str, Any]] = json.loads(mirror.show("tests/evaldata.json"))
    pages: list[Page] = []
    excluded: dict[str, str] = {}
    for url, entry in evaldata.items():
        name = entry["file"]
        if ZYTE_NAME.fullmatch(name):
            excluded[name] = "Zyte/Scrapinghub benchmark page: reserved for independent evaluation"
            continue
        path = by_name.get(name)
        if path is None:
            excluded[name] = "named in evaldata.json but not in the repository"
            continue
        if tree[path] in ZYTE.blobs:
            excluded[name] = "same bytes as a Zyte benchmark page"
            continue
        # Most keys are the page's URL; a few are labels ('hard::name.html', 'recall::...', 'xhttps://...').
        real = re.search(r"https?://\S+", url)
        pages.append(
            Page(
                source="trafilatura",
                id=slug(Path(name).stem),
                html=b"",
                origin=mirror.origin("adbar/trafilatura", path),
                url=real[0] if real else None,
                url_from="evaldata" if real else None,
                title=as_text(entry.get("title")),
                author_raw=as_text(entry.get("author")),
                published=as_text(entry.get("date")),
                gold="silver",
                with_=list(entry.get("with", [])),
                without=list(entry.get("without", [])),
                extra={"file": name, "eval_key": url if url != (real[0] if real else None) else None},
            )
        )
    for page in pages:
        if url_key(page.url or "") in ZYTE.urls:
            raise SystemExit(f"refusing: {page.id} shares its URL with a Zyte benchmark page")
        page.html = mirror.show(page.origin["path"])
        if page.url is None:
            page.url, page.url_from = url_in_page(page.html)
    unique_ids(pages)
    return Collected(pages, excluded)


# --------------------------------------------------------------------------- newspaper


def newspaper_base_domain(url: str) -> str:
    """newspaper's own file naming (tests/unit_tests.py get_base_domain)."""
    labels = urlsplit(url).netloc.split(".")
    keep = 3 if ".".join(labels[-2:]) in ("co.uk", "com.au", "au.com") else 2
    return ".".join(labels[-keep:])


def newspaper_urls(mirror: Mirror) -> dict[str, tuple[str | None, str | None]]:
    """html stem -> (text stem, URL): the numbered pages of fulltext_url_list.txt, then the named ones."""
    counters: Counter[str] = Counter()
    out: dict[str, tuple[str | None, str | None]] = {}
    for line in mirror.show("tests/data/fulltext_url_list.txt").decode("utf-8").splitlines():
        if url := line.strip():
            domain = newspaper_base_domain(url)
            counters[domain] += 1
            stem = f"{domain}{counters[domain]}"
            out[stem] = (stem, url)
    return {**out, **NEWSPAPER_NAMED}


def collect_newspaper(mirror: Mirror) -> Collected:
    html_files = sorted(p for p in mirror.tree("tests/data/html") if p.endswith(".html"))
    texts = set(mirror.tree("tests/data/text"))
    known = newspaper_urls(mirror)
    pages: list[Page] = []
    excluded: dict[str, str] = {}
    for path in html_files:
        stem = Path(path).stem
        if stem in NEWSPAPER_EXCLUDED:
            excluded[stem] = NEWSPAPER_EXCLUDED[stem]
            continue
        html = mirror.show(path)
        text_stem, url = known.get(stem, (stem, None))
        url_from = "test" if url else None
        if not url:
            url, url_from = url_in_page(html)
        page = Page(
            source="newspaper",
            id=slug(stem),
            html=html,
            origin=mirror.origin("codelucas/newspaper", path),
            url=url,
            url_from=url_from,
            site_hint=re.sub(r"\d+$", "", stem),
        )
        text_path = f"tests/data/text/{text_stem}.txt"
        if text_stem and text_path in texts:
            text = mirror.show(text_path).decode("utf-8")
            if note := failure_note(text):
                page.extra["gold_note"] = note
            else:
                page.gold, page.blocks = "silver", newspaper_blocks(text)
        else:
            page.extra["gold_note"] = "no text file: a test page without expected text"
        pages.append(page)
    return Collected(pages, excluded)


# --------------------------------------------------------------------------- postlight

JS_STR = r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`"""
JS_LIT = rf"(?:(?:{JS_STR})(?:\s*\+\s*(?:{JS_STR}))*|null|undefined)"
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
READ_FIXTURE = re.compile(r"""readFileSync\(\s*['"`]\./(fixtures/[^'"`]+)['"`]""")
BLOCK_START = re.compile(r"^\s*(?:describe|it)\(", re.MULTILINE)


def js_unescape(body: str) -> str:
    def one(m: re.Match[str]) -> str:
        esc = m[1]
        if esc[0] == "u":
            return chr(int(esc[2:-1] if esc[1] == "{" else esc[1:], 16))
        if esc[0] == "x":
            return chr(int(esc[1:], 16))
        if esc == "\n":
            return ""
        return JS_ESCAPES.get(esc, esc)

    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)", one, body)


def js_value(literal: str) -> str | None:
    """The value of a JS literal: one or more quoted strings joined with +, or null/undefined."""
    if literal in ("null", "undefined"):
        return None
    return "".join(js_unescape(m[0][1:-1]) for m in re.finditer(JS_STR, literal))


def asserted(segment: str, name: str) -> tuple[bool, str | None]:
    """(found, value) of `assert.equal(<name>, <literal>)` in a stretch of a test."""
    m = re.search(rf"assert\.(?:strict)?[eE]qual\(\s*{name}\s*,\s*({JS_LIT})\s*[,)]", segment)
    return (True, js_value(m[1])) if m else (False, None)


def segment_url(segment: str) -> str | None:
    for pattern in (rf"\b\w*(?:url|uri|Url|Uri)\s*=\s*({JS_LIT})", rf"Mercury\.parse\(\s*({JS_LIT})"):
        for m in re.finditer(pattern, segment):
            if (value := js_value(m[1])) and value.startswith("http"):
                return value
    return None


def test_segments(source: str) -> Iterator[tuple[str, str, str]]:
    """(fixture, stretch of the test about it, text before that stretch) for each fixture a test reads."""
    reads = list(READ_FIXTURE.finditer(source))
    starts = [0]
    for prev, cur in zip(reads, reads[1:]):
        blocks = [b.start() for b in BLOCK_START.finditer(source, prev.end(), cur.start())]
        starts.append(blocks[-1] if blocks else prev.end())
    ends = starts[1:] + [len(source)]
    for read, start, end in zip(reads, starts, ends):
        yield read[1], source[start:end], source[:start]


def parse_test(source: str) -> dict[str, dict[str, Any]]:
    """fixture -> url, title, author, date_published and content snippets asserted about it."""
    found: dict[str, dict[str, Any]] = {}
    for fixture, segment, before in test_segments(source):
        facts = found.setdefault(fixture, {})
        url = segment_url(segment) or segment_url(before[-4000:])
        if url and "url" not in facts:
            facts["url"] = url
        for key, name in (
            ("title", r"(?:\w+\.)?title"),
            ("author", r"(?:\w+\.)?author"),
            (
                "date_published",
                r"(?:\w+\.)?\w*[dD]ate_?[pP]ublished\w*"
                r"(?:\.split\(\s*['\"]T['\"]\s*\)\[0\])?",
            ),
        ):
            ok, value = asserted(segment, name)
            if ok and key not in facts:
                facts[key] = value
        snippets = facts.setdefault("with", [])
        for m in re.finditer(r"\b(?:const|let|var)\s+(\w+)\s*=\s*excerptContent\(", segment):
            ok, value = asserted(segment[m.end() :], re.escape(m[1]))
            if ok and value and value not in snippets:
                snippets.append(value)
    return found


def collect_postlight(mirror: Mirror) -> Collected:
    tests = sorted(p for p in mirror.tree("src/extractors/custom") if p.endswith("/index.test.js"))
    facts: dict[str, dict[str, Any]] = {}
    for test in tests:
        for fixture, found in parse_test(mirror.show(test).decode("utf-8")).items():
            merged = facts.setdefault(fixture, {"tests": []})
            merged["tests"].append(test)
            for key, value in found.items():
                if key == "with":
                    merged.setdefault("with", []).extend(v for v in value if v not in merged.get("with", []))
                elif key not in merged:
                    merged[key] = value
    pages: list[Page] = []
    for path in sorted(p for p in mirror.tree("fixtures") if p.endswith(".html")):
        html = mirror.show(path)
        known = facts.get(path, {})
        url, url_from = (known["url"], "test") if known.get("url") else url_in_page(html)
        rel = path.removeprefix("fixtures/").removesuffix(".html")
        pages.append(
            Page(
                source="postlight",
                id=slug(rel.replace("/", "__")),
                html=html,
                origin=mirror.origin("postlight/parser", path),
                url=url,
                url_from=url_from,
                site_hint=rel.split("--")[0],
                title=known.get("title"),
                author_raw=known.get("author"),
                published=known.get("date_published"),
                gold="meta",
                with_=known.get("with", []),
                extra={"tests": known.get("tests", [])},
            )
        )
    unique_ids(pages)
    return Collected(pages, {})


COLLECTORS: dict[str, Callable[[Mirror], Collected]] = {
    "readability": collect_readability,
    "trafilatura": collect_trafilatura,
    "newspaper": collect_newspaper,
    "postlight": collect_postlight,
}


# --------------------------------------------------------------------------- writing


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def dump(obj: object) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def trafilatura_version() -> str:
    import trafilatura

    return f"trafilatura {trafilatura.__version__}"


def silver_from_cache(page: Page, folder: Path, force: bool) -> None:
    """Fill a trafilatura page's blocks (and missing metadata) from its cached gold, else extract."""
    made_by, sha = trafilatura_version(), blob_id(page.html)
    cached = None if force else read_json(folder / "gold.json")
    if cached and cached.get("made_by") == made_by and cached.get("page_blob") == sha:
        blocks, found = cached["blocks"], cached.get("extracted", {})
    else:
        blocks, found = trafilatura_gold(page.html, page.url)
    page.blocks = blocks
    page.extra["extracted"] = found
    silver_meta = []
    for key, attr in (("title", "title"), ("author", "author_raw"), ("date", "published")):
        if not getattr(page, attr) and found.get(key):
            setattr(page, attr, found[key])
            silver_meta.append(key)
    page.extra["meta_silver"] = silver_meta
    if not blocks:
        page.gold = "meta"
        page.extra["gold_note"] = "trafilatura extracted nothing"


def write_page(page: Page, folder: Path, force: bool) -> None:
    """page.html and gold.json; meta.json comes after rendering (it carries the rendered lang)."""
    ZYTE.check(page)
    folder.mkdir(parents=True, exist_ok=True)
    write_if_changed(folder / "page.html", page.html)
    if page.expected_html is not None:
        write_if_changed(folder / "expected.html", page.expected_html)
    if page.source == "trafilatura":
        silver_from_cache(page, folder, force)
    gold = folder / "gold.json"
    if page.gold in ("full", "silver") and page.blocks:
        record: dict[str, Any] = {"blocks": page.blocks}
        if page.source == "trafilatura":
            record |= {
                "made_by": trafilatura_version(),
                "page_blob": blob_id(page.html),
                "extracted": page.extra.get("extracted", {}),
            }
        write_if_changed(gold, dump(record))
    elif gold.exists():
        gold.unlink()


def meta_of(page: Page, render: dict[str, Any] | None) -> dict[str, Any]:
    lang = render.get("lang") if render and render.get("ok") else lang_in_page(page.html)
    meta: dict[str, Any] = {
        "id": page.id,
        "source": page.source,
        "site": site_of(page.url) or page.site_hint or page.id,
        "url": page.url,
        "lang": lang or None,
        "title": norm(page.title) if page.title else None,
        "authors": split_authors(page.author_raw),
        "author_raw": page.author_raw,
        "published": page.published or None,
        "gold": page.gold,
        "with": page.with_,
        "without": page.without,
        "url_from": page.url_from,
        "origin": page.origin,
    }
    extra = {k: v for k, v in page.extra.items() if k not in ("extracted",) and v not in (None, [], {})}
    return meta | extra


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class RenderJob:
    folder: str
    url: str
    placeholder: str
    expected: bool
    content_type: str


def content_type_for(html: bytes) -> str:
    """How the page is served: as UTF-8 when its bytes are valid UTF-8, else with no charset.

    A saved page has lost the HTTP header that gave its charset, and Chromium neither
    detects UTF-8 nor reads a <meta charset> that comes late in the file (or a stale one
    left by the saving tool): valid UTF-8 pages would come out as windows-1252 or GBK
    mojibake. Bytes that are valid UTF-8 are all but never meant as another encoding.
    The rest (windows-1250, ISO-8859-x, GB2312 ...) get no charset, so Chromium sniffs
    their <meta charset> as it does for a saved file.
    """
    try:
        html.decode("utf-8")
    except UnicodeDecodeError:
        return "text/html"
    return "text/html; charset=utf-8"


_STATE: dict[str, Any] = {}


def _launch() -> None:
    from playwright.sync_api import sync_playwright

    if "playwright" not in _STATE:
        _STATE["playwright"] = sync_playwright().start()
    _STATE["browser"] = _STATE["playwright"].chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )


def _shutdown() -> None:
    for key, method in (("browser", "close"), ("playwright", "stop")):
        try:
            getattr(_STATE.pop(key), method)()
        except Exception:  # noqa: BLE001 - best effort on the way out
            pass


def worker_init() -> None:
    """Each render worker keeps one browser for its life and closes it when the pool ends."""
    import multiprocessing.util

    _launch()
    multiprocessing.util.Finalize(None, _shutdown, exitpriority=10)


def inner_text(body: bytes, url: str, content_type: str) -> dict[str, Any]:
    """Render bytes at a URL with JavaScript off and no network; the body's innerText and the document's lang."""
    browser = _STATE["browser"]
    if not browser.is_connected():
        _launch()
        browser = _STATE["browser"]
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORT)
    served: list[str] = []
    try:
        page = context.new_page()
        page.set_default_timeout(RENDER_TIMEOUT_MS)

        def route(r: Any) -> None:
            request = r.request
            if not served and request.is_navigation_request() and request.frame == page.main_frame:
                served.append(request.url)
                r.fulfill(status=200, body=body, headers={"content-type": content_type})
            else:
                r.abort("aborted")  # aborted, not failed: a refused meta refresh leaves the page as it was

        page.route("**/*", route)
        page.goto(url, wait_until="load", timeout=RENDER_TIMEOUT_MS)
        return page.evaluate(
            "() => ({text: document.body ? document.body.innerText : '',"
            " lang: document.documentElement ? document.documentElement.lang : '',"
            " charset: document.characterSet, title: document.title})"
        )
    finally:
        context.close()


def render_one(job: RenderJob) -> dict[str, Any]:
    """Render a page folder's page.html (and expected.html); write the texts and render.json."""
    folder = Path(job.folder)
    html = (folder / "page.html").read_bytes()
    started = time.perf_counter()
    record: dict[str, Any] = {
        "url": job.url,
        "page_blob": blob_id(html),
        "chromium": _STATE["browser"].version,
        "viewport": VIEWPORT,
        "javascript": False,
        "content_type": job.content_type,
    }
    try:
        got = inner_text(html, job.url, job.content_type)
        (folder / "innertext.txt").write_text(got["text"], encoding="utf-8")
        record |= {
            "ok": True,
            "lang": got["lang"] or None,
            "charset": got["charset"],
            "doc_title": got["title"],
            "empty": not got["text"].strip(),
        }
        if job.expected:
            # expected.html is readability's UTF-8 output, a bare fragment with no <meta charset>.
            exp = inner_text((folder / "expected.html").read_bytes(), job.placeholder, "text/html; charset=utf-8")
            (folder / "expected-innertext.txt").write_text(exp["text"], encoding="utf-8")
    except Exception as error:  # noqa: BLE001 - a failed page is recorded, not fatal
        for name in ("innertext.txt", "expected-innertext.txt"):
            (folder / name).unlink(missing_ok=True)
        record |= {"ok": False, "error": f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"}
    record["seconds"] = round(time.perf_counter() - started, 2)
    (folder / "render.json").write_bytes(dump(record))
    return record


def needs_render(page: Page, folder: Path, force: bool) -> bool:
    if force:
        return True
    done = read_json(folder / "render.json")
    outputs = ["innertext.txt"] + (["expected-innertext.txt"] if page.expected_html is not None else [])
    return not (
        done
        and done.get("ok")
        and done.get("page_blob") == blob_id(page.html)
        and done.get("content_type") == content_type_for(page.html)
        and all((folder / name).exists() for name in outputs)
    )


def render_all(jobs: list[RenderJob], workers: int) -> list[dict[str, Any]]:
    """Render in at most `workers` processes (spawned: playwright must not be forked)."""
    if not jobs:
        return []
    results: list[dict[str, Any]] = []
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=worker_init) as pool:
        futures = {pool.submit(render_one, job): job for job in jobs}
        for n, future in enumerate(as_completed(futures), 1):
            job = futures[future]
            try:
                result = future.result()
            except Exception as error:  # noqa: BLE001 - a dead worker is one failed page
                result = {"ok": False, "error": f"worker: {type(error).__name__}: {error}"}
                (Path(job.folder) / "render.json").write_bytes(dump(result | {"url": job.url}))
            results.append(result)
            if not result.get("ok"):
                print(f"  render failed: {job.folder}: {result.get('error')}", flush=True)
            if n % 25 == 0 or n == len(jobs):
                print(f"  rendered {n}/{len(jobs)} in {time.perf_counter() - started:.0f} s", flush=True)
    return results


# --------------------------------------------------------------------------- index and summary

OUTPUT_FILES = ("page.html", "meta.json", "gold.json", "innertext.txt", "expected-innertext.txt", "render.json")


def index_record(out: Path, folder: Path) -> dict[str, Any] | None:
    meta = read_json(folder / "meta.json")
    if meta is None:
        return None
    render = read_json(folder / "render.json") or {}
    files = {name: (folder / name).exists() for name in OUTPUT_FILES}
    if meta["source"] != "readability":
        files.pop("expected-innertext.txt")
    return meta | {
        "folder": folder.relative_to(out).as_posix(),
        "files": files,
        "render_ok": bool(render.get("ok")),
        "render_error": render.get("error"),
        "render_empty": bool(render.get("empty")),
    }


def write_index(out: Path) -> list[dict[str, Any]]:
    records = [r for folder in sorted((out / "pages").glob("*/*")) if (r := index_record(out, folder))]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (out / "index.jsonl").write_text(lines, encoding="utf-8")
    return records


def prune(out: Path, source: str, keep: set[str]) -> int:
    """On a full build, drop page folders of a source that the build no longer makes."""
    gone = 0
    for folder in (out / "pages" / source).glob("*"):
        if folder.name not in keep:
            shutil.rmtree(folder)
            gone += 1
    return gone


def summary(records: list[dict[str, Any]], excluded: dict[str, dict[str, str]]) -> dict[str, Any]:
    by_source: dict[str, Any] = {}
    for source in SOURCES:
        rows = [r for r in records if r["source"] == source]
        if not rows and source not in excluded:
            continue
        by_source[source] = {
            "pages": len(rows),
            "sites": len({r["site"] for r in rows}),
            "gold": dict(Counter(r["gold"] for r in rows)),
            "excluded": len(excluded.get(source, {})),
            "render_failed": [r["id"] for r in rows if not r["render_ok"]],
            "render_empty": [r["id"] for r in rows if r["render_empty"]],
        }
    return {
        "pages": len(records),
        "sites": len({r["site"] for r in records}),
        "gold": dict(Counter(r["gold"] for r in records)),
        "sources": by_source,
    }


def print_summary(report: dict[str, Any], excluded: dict[str, dict[str, str]]) -> None:
    print(f"{'source':<12} {'pages':>5} {'sites':>5} {'excl':>5} {'fail':>5}  gold")
    for source, row in report["sources"].items():
        gold = ", ".join(f"{k} {v}" for k, v in sorted(row["gold"].items()))
        print(
            f"{source:<12} {row['pages']:>5} {row['sites']:>5} {row['excluded']:>5} "
            f"{len(row['render_failed']):>5}  {gold}"
        )
    gold = ", ".join(f"{k} {v}" for k, v in sorted(report["gold"].items()))
    print(f"{'all':<12} {report['pages']:>5} {report['sites']:>5}  distinct sites; gold: {gold}")
    zyte = sum(1 for r in excluded.get("trafilatura", {}).values() if r.startswith("Zyte"))
    if "trafilatura" in excluded:
        print(f"Zyte/Scrapinghub benchmark pages excluded (never read): {zyte}")
    for source, row in report["sources"].items():
        for page in row["render_failed"]:
            print(f"  failed: {source}/{page}")
        for page in row["render_empty"]:
            print(f"  empty innerText (body hidden without JavaScript): {source}/{page}")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of owner+name/repo bare mirrors")
    parser.add_argument("--out", type=Path, required=True, help="cache folder for the corpus (outside git)")
    parser.add_argument("--only", choices=SOURCES, action="append", help="build only this source (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, choices=(1, 2), help="render workers (at most 2)")
    parser.add_argument("--limit", type=int, help="only the first N pages of each source (for a trial run)")
    parser.add_argument("--force", action="store_true", help="render and extract again even if up to date")
    return parser.parse_args(argv)


def build_source(source: str, args: argparse.Namespace, out: Path) -> tuple[Collected, list[RenderJob]]:
    mirror = Mirror(args.mirrors.expanduser() / REPOS[source] / "repo")
    collected = COLLECTORS[source](mirror)
    pages = collected.pages[: args.limit] if args.limit else collected.pages
    jobs = []
    for page in pages:
        folder = out / "pages" / source / page.id
        write_page(page, folder, args.force)
        write_if_changed(folder / "meta.json", dump(meta_of(page, read_json(folder / "render.json"))))
        if needs_render(page, folder, args.force):
            jobs.append(
                RenderJob(
                    str(folder),
                    page.render_url,
                    PLACEHOLDER_URL.format(id=f"{page.id}-expected"),
                    page.expected_html is not None,
                    content_type_for(page.html),
                )
            )
    collected.pages = pages
    if not args.limit:
        gone = prune(out, source, {p.id for p in pages})
        if gone:
            print(f"{source}: removed {gone} page folders no longer in the corpus")
    print(f"{source}: {len(pages)} pages ({len(jobs)} to render), {len(collected.excluded)} excluded", flush=True)
    return collected, jobs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out.expanduser()
    (out / "pages").mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sources = [s for s in SOURCES if not args.only or s in args.only]
    load_zyte_guard(Mirror(args.mirrors.expanduser() / REPOS["trafilatura"] / "repo"))
    built: dict[str, Collected] = {}
    jobs: list[RenderJob] = []
    for source in sources:
        built[source], source_jobs = build_source(source, args, out)
        jobs += source_jobs
    render_all(jobs, args.jobs)
    for source, collected in built.items():
        for page in collected.pages:
            folder = out / "pages" / source / page.id
            ZYTE.check(page)
            write_if_changed(folder / "meta.json", dump(meta_of(page, read_json(folder / "render.json"))))
    records = write_index(out)
    excluded = {s: c.excluded for s, c in built.items()}
    report = summary(records, excluded)
    seconds = round(time.perf_counter() - started)
    corpus = {
        "built_seconds": seconds,
        "trafilatura": trafilatura_version(),
        "chromium_args": CHROMIUM_ARGS,
        "commits": {s: c.pages[0].origin["commit"] for s, c in built.items() if c.pages},
        "excluded": excluded,
        "summary": report,
        "argv": sys.argv[1:],
        "rendered_now": len(jobs),
    }
    (out / "corpus.json").write_bytes(dump(corpus))
    print_summary(report, excluded)
    print(f"index: {out / 'index.jsonl'} ({len(records)} pages); built in {seconds} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
