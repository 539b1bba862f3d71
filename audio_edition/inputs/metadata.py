"""A web page's metadata: its address, headline, authors and publication date.

Sources in order of trust: schema.org JSON-LD, <meta> tags (Open Graph, article:*,
Dublin Core, Parse.ly ...), <time datetime> elements, and last the byline and
dateline lines found in the article itself.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from audio_edition.inputs.byline import Dateline, parse_dateline
from audio_edition.inputs.common import first_text, iso_date, meta_of, norm

_ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle", "techarticle", "report", "posting",
    "socialmediaposting", "liveblogposting",
})  # fmt: skip
_DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "pubdate", "publishdate",
    "publish-date", "publication_date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date",
    "sailthru.date", "parsely-pub-date", "citation_publication_date",
)  # fmt: skip
_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "citation_author")
TITLE_META = ("og:title", "twitter:title", "dc.title")
_LD_DEPTH = 8


def meta_tags(root: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = el.get("content")
        if key and value and value.strip() and key not in found:
            found[key] = value.strip()
    return found


def languages(root: Any, meta: dict[str, str], ld: dict[str, Any]) -> list[object]:
    """What the page says its language is, most specific first: <html lang>, xml:lang, a Content-Language
    meta tag, og:locale, JSON-LD's inLanguage (unchecked: `language.choose` reads them)."""
    http = next((el.get("content") for el in root.iter("meta")
                 if (el.get("http-equiv") or "").strip().lower() == "content-language"), None)  # fmt: skip
    in_language = ld.get("inLanguage")
    if isinstance(in_language, dict):
        in_language = in_language.get("alternateName") or in_language.get("name")
    return [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"), http,
            meta.get("og:locale"), meta.get("language"), in_language]  # fmt: skip


def canonical(root: Any, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    """The page's own idea of its address: <link rel="canonical">, og:url, or the JSON-LD article's URL."""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href")
    page = ld.get("mainEntityOfPage")
    page = page.get("@id") or page.get("url") if isinstance(page, dict) else page
    return first_text(meta.get("og:url"), ld.get("url"), page)


def base_url(root: Any, url: str | None) -> str | None:
    base = root.find(".//base[@href]")
    if base is not None:
        return urllib.parse.urljoin(url or "", base.get("href").strip()) or url
    return url


def json_ld(root: Any) -> dict[str, Any]:
    """The article object of the page's JSON-LD (schema.org), if it has one."""
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
            continue
        for obj in _ld_objects(data):
            kinds = obj.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                return obj
    return {}


def _ld_objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-LD document, through lists, @graph and mainEntity; no deeper than `_LD_DEPTH`."""
    if depth > _LD_DEPTH:
        return  # an article is near the top; a page nesting further is broken or hostile
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity"):
            if key in data:
                yield from _ld_objects(data[key], depth + 1)


def title_element(container: Any, root: Any, meta_titles: list[Any]) -> str | None:
    """The headline as printed: the <h1> in the article, or an <h1> the metadata agrees with."""

    def h1s(el: Any) -> list[str]:
        found = el.xpath(".//h1 | .//*[@role='heading' and @aria-level='1']")
        return [t for t in (norm(h.text_content()) for h in found) if t]

    inside = h1s(container) if container.tag != "body" else []
    if inside:
        return inside[0]
    titles = [norm(t).casefold() for t in meta_titles if isinstance(t, str) and t.strip()]
    # Without a headline in the metadata, the <title> (which also names the site) is the one to agree with.
    titles = titles or [norm(t).casefold() for t in [root.findtext(".//title")] if t and t.strip()]
    return next((h for h in h1s(root) if any(h.casefold() in t for t in titles)), None)


def authors(ld: dict[str, Any], meta: dict[str, str], root: Any, doc: Any) -> list[str]:
    names: list[str] = []
    people = ld.get("author") or ld.get("creator")
    for person in people if isinstance(people, list) else [people]:
        name = person.get("name") if isinstance(person, dict) else person
        if isinstance(name, str) and norm(name) and not re.match(r"https?://", name):
            names.append(norm(name))
    if names:
        return names
    for key in _AUTHOR_META:
        value = meta.get(key)
        if value and not re.match(r"https?://", value):
            return [n.strip() for n in re.split(r"\s*[;,]\s*|\s+and\s+", value) if n.strip()]
    for el in root.xpath("//*[@rel='author'] | //*[@itemprop='author']"):
        text = norm(el.get("content") or el.text_content())
        if text and len(text.split()) <= 5:
            return [text]
    guess = getattr(doc, "author", None)
    return [n.strip() for n in guess.split(";") if n.strip()] if guess else []


def published(
    ld: dict[str, Any], meta: dict[str, str], container: Any, lines: list[str]
) -> tuple[datetime | None, bool]:
    """When the article was published, and whether a time is known.

    The time is the one the page prints, with its UTC offset when the page gives
    one ("2025-04-02T08:30+02:00" stays 08:30+02:00, a "Z" time +00:00); a date
    alone is a naive midnight, as a day has no time zone.
    """
    when, has_time = _published(ld, meta, container, lines)
    if when is not None and not has_time:
        when = when.replace(tzinfo=None)
    return when, has_time


def _published(
    ld: dict[str, Any], meta: dict[str, str], container: Any, lines: list[str]
) -> tuple[datetime | None, bool]:
    candidates: list[Any] = [ld.get("datePublished"), ld.get("dateCreated"), *(meta.get(k) for k in _DATE_META)]
    times = container.xpath(".//time[@datetime]") or container.getroottree().xpath("//article//time[@datetime]")
    published = [t for t in times if re.search(r"publish|pubdate", f"{t.get('class')} {t.get('itemprop')}", re.I)]
    candidates += [t.get("datetime") for t in published + times]
    for value in candidates:
        found = iso_date(value) if isinstance(value, str) else None
        if found:
            return found
    for line in lines:
        dated = meta_of(line)[1]
        if dated is not None:
            return dated.when, dated.has_time
    dated = _dateline_above(container)
    return (dated.when, dated.has_time) if dated else (None, False)


def _dateline_above(container: Any) -> Dateline | None:
    """A line that is only a date ("Feb 05, 2026"), printed above the article's first paragraph."""
    stop = next(container.iter("p"), None)
    for el in container.getroottree().getroot().iter():
        if el is stop:
            break
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head", "title") or len(el):
            continue
        text = norm(el.text_content())
        dated = parse_dateline(text) if text and len(text.split()) <= 8 else None
        if dated is not None and not dated.updated:
            return dated
    return None
