"""Tests for audio_edition.extract and inputs.load_article / feed_articles: web pages and Markdown -> Article.

The pages in tests/fixtures/web were written for these tests in the shapes of
real sites (a newspaper with all its furniture, a WordPress blog with comments
and a sidebar, a magazine built of <div>s with JSON-LD metadata, a page of
nothing but furniture). Each NAME.expected.json beside them says by hand what
must be read, in order, and which furniture phrases must not be. The sentence
checks below find the body in the HTML with their own XPath, independently of
the code under test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import lxml.html
import pytest

from audio_edition.errors import InputError
from audio_edition.inputs import feed_articles, load_article, metadata
from audio_edition.inputs.common import split_credit
from audio_edition.inputs.html import extract_html, read_html
from audio_edition.inputs.markdown import extract_markdown
from audio_edition.model import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "web"
PAGES = ["newspaper", "blog", "magazine"]
# Where each page's article body is, said independently of the extractor.
BODY_XPATH = {
    "newspaper": "//p[@class='standfirst'] | //div[@class='story-body']/p[not(@class)]",
    "blog": "//div[@class='entry-content']/p | //div[@class='entry-content']//li",
    "magazine": "//div[@class='feature__dek'] | //div[@class='para']",
}
HEADINGS_XPATH = {
    "newspaper": "//div[@class='story-body']/h2 | //div[@class='story-body']/h3",
    "blog": "//div[@class='entry-content']/h3",
    "magazine": "//div[@class='feature__body']//h2",
}


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.html").read_text(encoding="utf-8")


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


def sentences(text: str) -> list[str]:
    """A deliberately simple splitter, independent of the code under test."""
    parts = re.split(r"(?:(?<=[.!?])|(?<=[.!?][”\"]))\s+(?=[“\"]?[A-Z])", text)
    return [p.strip() for p in parts if p.strip()]


def spoken_text(article: Article) -> str:
    return "\n".join(b.text for b in article.blocks)


def as_dicts(article: Article) -> list[dict]:
    out = []
    for block in article.blocks:
        item = {"kind": block.kind, "text": block.text}
        if block.kind == "caption":
            item |= {"credit": block.credit, "image": block.image}
        out.append(item)
    return out


# --- the fixture pages -------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_page_gives_the_expected_article(name):
    want = expected(name)
    article = extract_html(fixture(name), name=f"{name}.html")
    assert article.title == want["title"]
    assert article.author == want["author"]
    assert article.published_iso == want["published"]
    assert article.source == want["source"]  # a local file: its canonical URL
    assert as_dicts(article) == want["blocks"]


@pytest.mark.parametrize("name", PAGES)
def test_no_furniture_is_read(name):
    article = extract_html(fixture(name))
    for block in article.blocks:
        for phrase in expected(name)["furniture"]:
            assert phrase not in block.text, f"{phrase!r} read in {block}"
    assert article.title not in [b.text for b in article.blocks]


@pytest.mark.parametrize("name", PAGES)
def test_every_body_sentence_is_kept_once(name):
    page = lxml.html.fromstring(fixture(name))
    body = [" ".join(el.text_content().split()) for el in page.xpath(BODY_XPATH[name])]
    assert len(body) >= 8
    said = spoken_text(extract_html(fixture(name)))
    for paragraph in body:
        for sentence in sentences(paragraph):
            assert said.count(sentence) == 1, sentence
    # Nothing but body, headings and captions: the same number of words, give or take the captions.
    captions = sum(len(b.text.split()) for b in extract_html(fixture(name)).blocks if b.kind != "paragraph")
    assert len(said.split()) - captions == sum(len(p.split()) for p in body)


@pytest.mark.parametrize("name", PAGES)
def test_headings_in_order_and_captions_with_absolute_images(name):
    page = lxml.html.fromstring(fixture(name))
    article = extract_html(fixture(name))
    headings = [" ".join(h.text_content().split()) for h in page.xpath(HEADINGS_XPATH[name])]
    assert [b.text for b in article.blocks if b.kind == "heading"] == headings
    captions = [b for b in article.blocks if b.kind == "caption"]
    assert len(captions) == len(page.xpath("//figure[figcaption]"))
    for caption in captions:
        parts = urllib.parse.urlsplit(caption.image)
        assert parts.scheme == "https" and parts.netloc and parts.path.endswith((".jpg", ".png"))


def test_credits_are_split_from_captions():
    captions = [b for b in extract_html(fixture("newspaper")).blocks if b.kind == "caption"]
    assert [(c.text, c.credit) for c in captions] == [
        ("The MV Solvik, which will run the night crossing, moored at Harbour Point on Tuesday evening.",
         "Jonas Pärt/The Lakeside Courier"),
        ("The Saaremaa Star leaving Harbour Point in 2014, a year before it was withdrawn", "Courier archive"),
    ]  # fmt: skip


def test_furniture_only_page_is_refused():
    with pytest.raises(InputError, match=r"^no article text found in furniture.html: only navigation"):
        extract_html(fixture("furniture"), name="furniture.html")


# --- smaller shapes ----------------------------------------------------------------

PROSE = [
    "The harbour council approved a budget of four million crowns for next year on Thursday evening.",
    "Most of the money will go to dredging the inner basin, which has silted up since last winter.",
    "The fishermen's association welcomed the decision but said the work should start sooner.",
    "A final vote on the dredging contract is expected in March, once the tenders are opened.",
]


def html_page(body: str, head: str = "<title>Harbour budget approved | Harbour Herald</title>") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def test_page_without_paragraph_tags_split_at_line_breaks():
    page = html_page(
        "<table><tr><td class='nav'><a href='/'>Home</a><br><a href='/archive'>Archive</a></td><td>"
        "<font size=5><b>Harbour budget approved</b></font><br>By Lena Sørby<br>April 4, 2024<br><br>"
        + "<br><br>\n".join(PROSE[:3])
        + "<br>\n<i>Copyright 2024 Harbour Herald</i></td></tr></table>"
    )
    article = extract_html(page)
    assert article.title == "Harbour budget approved"
    assert article.author == "Lena Sørby"
    assert article.published == datetime(2024, 4, 4) and not article.has_time
    assert [b.text for b in article.blocks] == PROSE[:3]


def test_article_inside_a_page_wide_form_is_read():
    page = html_page(
        "<form id='aspnetForm' method='post'><div id='header'><a href='/'>Harbour Herald</a></div>"
        f"<div id='content'><h1>Harbour budget approved</h1>{paragraphs(*PROSE)}</div>"
        "<div id='footer'>Harbour Herald 2026</div></form>"
    )
    assert [b.text for b in extract_html(page).blocks] == PROSE


def test_short_article_and_hidden_elements():
    page = html_page(
        "<article><h1>Pass road closed</h1>"
        "<p>The road to Kessel Pass is closed after a landslide on Tuesday.</p>"
        "<p hidden>This paragraph is hidden and must not be read aloud.</p>"
        "<p style='display: none'>Neither is this one, which is styled away.</p>"
        "<p>It will reopen on Friday.</p>"
        "<blockquote class='pull-quote' aria-hidden='true'>The road to Kessel Pass is closed.</blockquote></article>"
    )
    article = extract_html(page)
    assert article.title == "Pass road closed"
    assert [b.text for b in article.blocks] == [
        "The road to Kessel Pass is closed after a landslide on Tuesday.",
        "It will reopen on Friday.",
    ]


def test_pull_quote_repeating_the_body_is_read_once():
    quote = "Nobody expected the dredging to cost this much, least of all us."
    page = html_page(
        f"<article><h1>Harbour budget approved</h1>{paragraphs(PROSE[0], f'“{quote}” said the harbour master.')}"
        f"<div class='quote-box'><p>“{quote}”</p></div>{paragraphs(*PROSE[1:])}</article>"
    )
    said = spoken_text(extract_html(page))
    assert said.count(quote) == 1 and all(p in said for p in PROSE)


def test_bold_paragraphs_are_subheadings():
    page = html_page(
        f"<article><h1>Harbour budget approved</h1>{paragraphs(*PROSE[:2])}"
        f"<p><strong>What happens next</strong></p>{paragraphs(*PROSE[2:])}"
        "<p><b>Note:</b> the council meets again on 3 March.</p></article>"
    )
    assert [(b.kind, b.text) for b in extract_html(page).blocks] == [
        ("paragraph", PROSE[0]), ("paragraph", PROSE[1]), ("heading", "What happens next"),
        ("paragraph", PROSE[2]), ("paragraph", PROSE[3]),
        ("paragraph", "Note: the council meets again on 3 March."),
    ]  # fmt: skip


def test_newsletter_platform_page():
    page = f"""<html><head><title>Why the basin silts up - by Mira Holt - Tidewater</title>
<meta property="og:title" content="Why the basin silts up"><meta name="author" content="Mira Holt"></head><body>
<div class="main-menu"><a href="/">Tidewater</a><a class="button">Subscribe</a><a>Sign in</a></div>
<article class="newsletter-post post"><div class="post-header"><h1 class="post-title">Why the basin silts up</h1>
<div class="post-meta"><a href="/@mira">Mira Holt</a><div>Feb 05, 2026</div></div>
<div class="post-ufi"><a>12</a><a>Share</a></div></div>
<div class="available-content"><div class="body markup">{paragraphs(*PROSE[:2])}
<p class="button-wrapper"><a class="button primary"><span>Subscribe now</span></a></p>
<h2 class="header-anchor-post">Tides and tenders</h2>
<div class="captioned-image-container"><figure><a class="image-link" href="https://cdn.example/basin.jpg">
<picture><img src="https://cdn.example/basin-small.jpg"></picture></a>
<figcaption class="image-caption">The inner basin at low tide, January 2026.</figcaption></figure></div>
{paragraphs(PROSE[2])}<div class="ad"><p>Advertisement</p></div><p>Story continues below advertisement</p>
<p>Listen to this article</p>{paragraphs(PROSE[3])}
<p class="button-wrapper"><a class="button"><span>Share</span></a></p></div></div></article>
<div class="post-footer"><div class="like-button">Like</div><h3>Discussion about this post</h3>
<p>Great piece, I never knew about the basin. Thanks for writing it.</p></div></body></html>"""
    article = extract_html(page, url="https://tidewater.example/p/basin")
    assert (article.title, article.author, article.published) == (
        "Why the basin silts up",
        "Mira Holt",
        datetime(2026, 2, 5),
    )
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", PROSE[0]), ("paragraph", PROSE[1]), ("heading", "Tides and tenders"),
        ("caption", "The inner basin at low tide, January 2026."), ("paragraph", PROSE[2]), ("paragraph", PROSE[3]),
    ]  # fmt: skip


def test_metadata_from_meta_tags_and_time_element():
    head = ("<title>x</title><meta property='og:title' content='Harbour budget approved'>"
            "<meta name='author' content='Lena Sørby, Jon Brekke'>")  # fmt: skip
    page = html_page(
        f"<article><header><time datetime='2026-02-05T00:00:00+01:00'>5 February 2026</time></header>"
        f"{paragraphs(*PROSE)}</article>",
        head,
    )
    article = extract_html(page)
    assert article.title == "Harbour budget approved"
    assert article.author == "Lena Sørby and Jon Brekke"
    assert article.published == datetime(2026, 2, 5) and not article.has_time  # midnight: a date only


def test_json_ld_beats_meta_and_keeps_the_printed_local_time():
    data = {"@context": "https://schema.org", "@type": ["NewsArticle"], "headline": "Harbour budget approved",
            "author": {"@type": "Person", "name": "Lena Sørby"}, "datePublished": "2026-02-05T21:10:00-08:00"}  # fmt: skip
    head = (f"<script type='application/ld+json'>{json.dumps(data)}</script>"
            "<meta property='article:published_time' content='2026-02-06T05:10:00Z'>")  # fmt: skip
    article = extract_html(html_page(paragraphs(*PROSE), head))
    pacific = timezone(timedelta(hours=-8))
    assert (article.author, article.published, article.has_time) == (
        "Lena Sørby",
        datetime(2026, 2, 5, 21, 10, tzinfo=pacific),
        True,
    )
    assert article.published.utcoffset() == timedelta(hours=-8)  # 21:10 as printed, not 05:10 UTC
    assert article.date_text == "Thursday, February 5, 2026, at 9:10 p.m."


@pytest.mark.parametrize(("head", "local", "offset", "iso"), [
    ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2025-04-02T08:30+02:00\"}</script>",
     datetime(2025, 4, 2, 8, 30), timedelta(hours=2), "2025-04-02T08:30+02:00"),
    ("<meta property='article:published_time' content='2025-04-02T06:30:00Z'>",
     datetime(2025, 4, 2, 6, 30), timedelta(0), "2025-04-02T06:30+00:00"),
])  # fmt: skip
def test_published_time_keeps_its_zone(head, local, offset, iso):
    article = extract_html(html_page(f"<article><h1>Harbour budget approved</h1>{paragraphs(*PROSE)}</article>", head))
    assert article.published.replace(tzinfo=None) == local and article.published.utcoffset() == offset
    assert article.has_time and article.published_iso == iso


def test_deeply_nested_json_ld_is_ignored_not_a_crash():
    article = {"@type": "NewsArticle", "headline": "Harbour budget approved", "author": {"name": "Lena Sørby"}}
    for depth in (990, 5000):  # one the JSON parser reads (and the walk through it did not), one it refuses
        nested = '{"@graph": [' * depth + json.dumps(article) + "]}" * depth
        head = f"<title>Harbour budget approved</title><script type='application/ld+json'>{nested}</script>"
        assert [b.text for b in extract_html(html_page(paragraphs(*PROSE), head)).blocks] == PROSE
    deep: dict = dict(article)
    for _ in range(5000):  # deeper than any parser would hand over, built here directly
        deep = {"@graph": [deep]}
    assert len(list(metadata._ld_objects(deep))) < 20
    # Near the top, an article inside a @graph is still found.
    head = f"<script type='application/ld+json'>{json.dumps({'@graph': [{'@type': 'WebPage'}, article]})}</script>"
    assert extract_html(html_page(paragraphs(*PROSE), head)).author == "Lena Sørby"


def test_figure_shapes():
    page = html_page(
        "<base href='https://herald.example.com/static/'>"
        f"<article><h1>Harbour budget approved</h1>{paragraphs(PROSE[0])}"
        "<figure><img src='img/dredger.jpg'><figcaption>The dredger Vidar at work in 2019 (Erik Dahl / Harbour Herald)"
        "</figcaption></figure>"
        "<figure><img src='img/logo.png' alt='Harbour Herald logo'></figure>"
        f"{paragraphs(PROSE[1])}"
        "<div class='wp-caption'><img src='/uploads/basin.jpg'><p class='wp-caption-text'>The inner basin at low "
        "tide.</p></div>"
        "<figure><blockquote><p>We cannot fish in a harbour we cannot enter.</p></blockquote>"
        "<figcaption>— A fisherman at the council meeting</figcaption></figure>"
        f"{paragraphs(*PROSE[2:])}</article>"
    )
    blocks = extract_html(page, url="https://herald.example.com/news/budget").blocks
    assert [(b.text, b.credit, b.image) for b in blocks if b.kind == "caption"] == [
        ("The dredger Vidar at work in 2019", "Erik Dahl / Harbour Herald",
         "https://herald.example.com/static/img/dredger.jpg"),
        ("The inner basin at low tide.", None, "https://herald.example.com/uploads/basin.jpg"),
    ]  # fmt: skip
    # A figure holding a quote is read as text; an image without a caption is not read at all.
    assert [b.text for b in blocks if b.kind == "paragraph"] == [
        PROSE[0], PROSE[1], "We cannot fish in a harbour we cannot enter.", "— A fisherman at the council meeting",
        *PROSE[2:],
    ]  # fmt: skip


def test_short_lines_that_are_not_sentences_are_not_read():
    page = html_page(
        f"<article><h1>Harbour budget approved</h1><div class='story-tools'><button>Text size</button> "
        f"<button>Dark mode</button></div>{paragraphs(*PROSE[:2])}<div class='label'>Live</div>"
        f"<div class='stamp'>Filed from Bergen</div>{paragraphs(*PROSE[2:])}"
        "<div>Short sentences stay.</div></article>"
    )
    assert [b.text for b in extract_html(page).blocks] == [*PROSE, "Short sentences stay."]


def test_markers_start_lists_that_are_not_read():
    page = html_page(
        f"<article><h1>Harbour budget approved</h1>{paragraphs(*PROSE[:2])}"
        "<h3>Related</h3><ul><li><a href='/a'>Dredging firm wins northern contract</a></li>"
        "<li><a href='/b'>Herring season opens early</a></li></ul>"
        "<h4>Recommended</h4><ul><li>Can the island school survive another winter?</li>"
        "<li>Why are ferry fares rising again?</li></ul>"
        f"{paragraphs(*PROSE[2:])}"
        "<p><strong>Read more:</strong> <a href='/c'>How the inner basin silted up</a></p></article>"
    )
    said = spoken_text(extract_html(page))
    assert "Dredging firm" not in said and "Herring season" not in said and "Read more" not in said
    assert "island school" not in said and "ferry fares" not in said and "Recommended" not in said
    assert all(p in said for p in PROSE)


def test_blogger_post_in_a_widget_is_read():
    lines = ["Woke at five to a flat calm", "The lamp was still turning when I climbed the stairs",
             "Logged the barometer at seven, falling slowly", "Two trawlers passed heading north before breakfast",
             "Painted the railing on the seaward side until noon", "A seal watched me from the slipway for an hour"]  # fmt: skip
    page = html_page(
        "<div class='header widget'><h1><a href='/'>Notes from the point</a></h1></div>"
        "<div class='main section' id='main'><div class='widget Blog' id='Blog1'><div class='blog-posts hfeed'>"
        "<h2 class='date-header'><span>Sunday, 9 March 2025</span></h2><div class='post hentry'>"
        "<h3 class='post-title entry-title'>Lighthouse log</h3>"
        f"<div class='post-body entry-content'>{'<br>'.join(lines[:5])}<br><br>{lines[5]}</div>"
        "<div class='post-footer'>Posted by Keeper Alun</div></div></div></div>"
        "<div class='widget HTML'><h2>Follow by email</h2><div class='widget-content'>Subscribe to the log</div></div>"
        "</div>",
        "<title>Notes from the point: Lighthouse log</title><meta property='og:title' content='Lighthouse log'>",
    )
    article = extract_html(page)
    assert (article.title, article.published) == ("Lighthouse log", datetime(2025, 3, 9))
    assert [b.text for b in article.blocks] == lines


FAKE_BR = "<div class='fake-br-for-article-body'></div>"


def test_text_between_empty_divs_used_as_line_breaks_is_read():
    runs = ["The old quarry at Hollin Edge will close in June after ninety years of work, the owners said",
            "Forty people work there and most will be offered jobs at the Brockley site",
            "The council said it would buy the land and turn it into a nature reserve with a lake",
            "Work on the reserve could start as soon as next spring, a spokesman said"]  # fmt: skip
    page = html_page(
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Quarry to close</h1>"
        f"<div class='article-body'>{FAKE_BR.join(runs)}</div></article>"
        "<footer>Dale Gazette</footer>"
    )
    article = extract_html(page)
    assert article.title == "Quarry to close"
    assert [b.text for b in article.blocks] == runs


def test_sidebars_inside_the_article_are_not_read():
    box = (
        "<h3>More from the coast</h3><p>The ferry timetable changes on Monday, with an extra sailing at noon.</p>"
        "<p>A new fish market opens on the quay next month after three years of delays.</p>"
    )
    quote = "Most of the money will go to dredging the inner basin."
    page = html_page(
        f"<article><h1>Harbour budget approved</h1>{paragraphs(*PROSE[:2])}<div class='rail-right'>{box}</div>"
        f"<aside>{box}</aside>{paragraphs(PROSE[2])}<div class='related-stories'>{box}</div>"
        f"<aside class='pullquote'><p>{quote}</p></aside><div class='sidebar'>{box}</div>{paragraphs(PROSE[3])}</article>"
    )
    reading = read_html(page)
    assert [b.text for b in reading.article.blocks] == PROSE
    assert ("furniture", "class or id 'rail'") in [(d.label, d.why) for d in reading.decisions if "ferry" in d.text]


def test_sections_of_the_article_marked_by_a_furniture_class_are_read():
    more = ["The harbour master said the dredger would arrive from Rotterdam in the first week of April.",
            "Boats will be moved to the outer moorings while the inner basin is closed to traffic."]  # fmt: skip
    page = html_page(
        "<article class='report'><h1>Harbour budget approved</h1>"
        f"<section class='report__section report__section--ads'>{paragraphs(*PROSE[:2])}</section>"
        f"<section class='report__section report__section--ads'>{paragraphs(*PROSE[2:])}</section>"
        f"<section class='report__section report__section--ads'>{paragraphs(*more)}</section></article>"
    )
    assert [b.text for b in extract_html(page).blocks] == [*PROSE, *more]


def test_repeated_lines_that_are_content_are_kept():
    question = "Where did the recipe come from, and who taught it to you?"
    page = html_page(
        "<article><h1>Lentil soup for a week</h1><h2>Method</h2><ol>"
        "<li>Soften the onions in the oil over a low heat.</li><li>Stir well and leave for five minutes.</li>"
        "<li>Add the lentils and the stock.</li><li>Stir well and leave for five minutes.</li>"
        "<li>Season with salt and lemon juice.</li></ol>"
        "<h2>Monday</h2><p>Breakfast: porridge with apple and cinnamon</p><p>Lunch: lentil soup</p>"
        "<h2>Tuesday</h2><p>Breakfast: porridge with apple and cinnamon</p><p>Lunch: bread and cheese</p>"
        f"<h2>Questions</h2><p>{question}</p><p>My grandmother, who cooked it every winter for forty years.</p>"
        f"<p>{question}</p><p>I am sorry, I misheard you: my aunt, in fact, in Lyon.</p></article>"
    )
    said = [b.text for b in extract_html(page).blocks]
    assert said.count("Stir well and leave for five minutes.") == 2
    assert said.count("Breakfast: porridge with apple and cinnamon") == 2
    assert said.count(question) == 2 and len(said) == 17


def test_echoes_of_the_body_are_read_once():
    standfirst = "The council backs a plan to dredge the inner basin before the herring season."
    quote = "Most of the money will go to dredging the inner basin, which has silted up since last winter."
    page = html_page(
        f"<article><h1>Harbour budget approved</h1><p class='standfirst'>{standfirst}</p>"
        f"<p class='byline'>By Lena Sørby</p>{paragraphs(standfirst, *PROSE[:2])}"
        f"<blockquote class='pull'><p>“{quote}”</p></blockquote>{paragraphs(*PROSE[2:])}</article>"
    )
    assert [b.text for b in extract_html(page).blocks] == [standfirst, *PROSE]


@pytest.mark.parametrize(("text", "caption", "credit"), [
    ("The pier at dawn (Photo: Jane Roe/Reuters)", "The pier at dawn", "Jane Roe/Reuters"),
    ("The pier at dawn. Photograph: Jane Roe", "The pier at dawn.", "Jane Roe"),
    ("The pier (seen from the north) at dawn", "The pier (seen from the north) at dawn", None),
    ("The old pier, built in 1904 (AP)", "The old pier, built in 1904", "AP"),
])  # fmt: skip
def test_split_credit(text, caption, credit):
    assert split_credit(text) == (caption, credit)


# --- Markdown ----------------------------------------------------------------------


def test_markdown_with_front_matter():
    article = extract_markdown((FIXTURES / "field-notes.md").read_text(encoding="utf-8"))
    assert article.title == "Counting swifts from a kitchen window"
    assert article.author == "Ada Moreau and Tomas Ek"
    assert (article.published, article.has_time) == (datetime(2026, 5, 30, 18, 20), True)
    assert article.source == "https://notes.example.org/2026/05/swifts/"
    kinds = [(b.kind, b.text) for b in article.blocks]
    assert [t for k, t in kinds if k == "heading"] == ["How the count works", "What changed this year"]
    assert [(b.text, b.credit, b.image) for b in article.blocks if b.kind == "caption"] == [
        ("A swift over the rooftops on Cable Street", "Tomas Ek", "https://notes.example.org/img/swift-evening.jpg"),
        ("The June tally sheet, one column per evening", None, "https://notes.example.org/img/tally-june.png"),
    ]
    said = spoken_text(article)
    assert "remarkably consistent" in said and "On a windy one they hardly come down at all." in said
    assert "Swifts sleep on the wing, a neighbour told me." in said  # a block quote is read
    assert "date,count" not in said and "decor" not in said and "Counting swifts" not in said


def test_markdown_byline_and_date_under_the_title():
    text = ("# Harbour budget approved\n\n*By Lena Sørby | 5 February 2026*\n\n" + "\n\n".join(PROSE[:2])
            + "\n\n## What happens next\n\n" + "\n\n".join(PROSE[2:]) + "\n")  # fmt: skip
    article = extract_markdown(text, name="budget.md")
    assert (article.title, article.author, article.published) == (
        "Harbour budget approved",
        "Lena Sørby",
        datetime(2026, 2, 5),
    )
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", PROSE[0]), ("paragraph", PROSE[1]), ("heading", "What happens next"),
        ("paragraph", PROSE[2]), ("paragraph", PROSE[3]),
    ]  # fmt: skip


def test_markdown_toml_front_matter_and_errors():
    article = extract_markdown('+++\ntitle = "Budget"\ndate = 2026-02-05\n+++\n\n' + PROSE[0] + "\n")
    assert (article.title, article.published, article.has_time) == ("Budget", datetime(2026, 2, 5), False)
    with pytest.raises(InputError, match=r"^notes.md: the front matter cannot be read"):
        extract_markdown("---\ntitle: [unclosed\n---\n\nText here.\n", name="notes.md")
    with pytest.raises(InputError, match=r"^no article text found in empty.md"):
        extract_markdown("# Only a title\n\n```\ncode\n```\n", name="empty.md")


# --- load_article and feed_articles ------------------------------------------------


class Site(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, bytes, dict[str, str]]]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        status, body, headers = self.routes.get(self.path, (404, b"", {"Content-Type": "text/html"}))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTML = {"Content-Type": "text/html; charset=utf-8"}
ARTICLE_PATH = "/news/2026/03/12/night-ferry.html"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    base = f"http://127.0.0.1:{httpd.server_port}"
    rss = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lakeside Courier: Islands</title><link>{base}/news/</link>
<description>Island news</description>
<item><title>Night ferry returns</title><link>{ARTICLE_PATH}</link><guid isPermaLink="false">a1</guid></item>
<item><title>A year of rye</title><link>{base}/blog/rye</link></item>
<item><title>Night ferry again</title><link>{base}{ARTICLE_PATH}</link></item>
<item><title>Bees</title><guid>{base}/features/bees</guid></item>
<item><title>No link</title><guid isPermaLink="false">c7</guid></item>
</channel></rss>"""
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/blog/"><title>Slow Kitchen</title><id>urn:x</id>
<updated>2026-01-01T00:00:00Z</updated>
<entry><title>Rye</title><id>urn:1</id><updated>2026-01-01T00:00:00Z</updated><link rel="alternate" href="rye"/></entry>
<entry><title>Soup</title><id>urn:2</id><updated>2026-01-01T00:00:00Z</updated>
<link rel="enclosure" href="soup.mp3"/><link rel="alternate" type="text/html" href="{base}/blog/soup"/></entry>
</feed>"""
    Site.routes = {
        ARTICLE_PATH: (200, fixture("newspaper").encode(), HTML),
        "/short": (301, b"", {"Location": ARTICLE_PATH}),
        "/blog/rye": (200, fixture("blog").encode(), HTML),
        "/nothing": (200, fixture("furniture").encode(), HTML),
        "/notes.md": (200, (FIXTURES / "field-notes.md").read_bytes(), {"Content-Type": "text/markdown"}),
        "/feed.rss": (200, rss.encode(), {"Content-Type": "application/rss+xml"}),
        "/feed.atom": (200, atom.encode(), {"Content-Type": "application/atom+xml"}),
        "/empty.rss": (200, b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>",
                       {"Content-Type": "application/rss+xml"}),
        "/not-a-feed": (200, b"this is { not xml", {"Content-Type": "text/plain"}),
    }  # fmt: skip
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


def test_load_article_from_a_url_resolves_against_the_final_url(site):
    article = load_article(f"{site}/short")
    assert article.source == f"{site}{ARTICLE_PATH}"  # after the redirect, not the canonical URL
    assert article.title == expected("newspaper")["title"]
    assert [b.image for b in article.blocks if b.kind == "caption"] == [
        f"{site}/media/2026/03/ferry-deck-800.jpg",
        f"{site}/news/2026/img/archive/saaremaa-star-2014.jpg",  # "../../img/..." from /news/2026/03/12/
    ]
    assert [b.text for b in article.blocks] == [b["text"] for b in expected("newspaper")["blocks"]]


def test_load_article_errors_name_the_input(site):
    with pytest.raises(InputError, match=rf"^no article text found in {re.escape(site)}/nothing: only navigation"):
        load_article(f"{site}/nothing")
    with pytest.raises(InputError, match=rf"^{re.escape(site)}/gone: HTTP 404 Not Found$"):
        load_article(f"{site}/gone")


def test_load_article_markdown_over_http(site):
    article = load_article(f"{site}/notes.md")
    assert article.title == "Counting swifts from a kitchen window"
    assert article.source == f"{site}/notes.md"  # where it was fetched from, not the URL its front matter claims
    assert article.blocks[1].image == f"{site}/img/swift-evening.jpg"


def test_load_article_dispatches_on_the_file(tmp_path):
    page = load_article(str(FIXTURES / "blog.html"))
    assert page.source == "https://slowkitchen.example.net/2025/11/02/a-year-of-rye/"
    assert page.title == "What a year of baking rye taught me"
    assert load_article(str(FIXTURES / "field-notes.md")).author == "Ada Moreau and Tomas Ek"
    text = tmp_path / "budget.txt"
    text.write_text("Harbour budget approved\nBy Lena Sørby\n\n" + "\n\n".join(PROSE) + "\n", encoding="utf-8")
    article = load_article(str(text))
    assert (article.title, article.author, article.source) == ("Harbour budget approved", "Lena Sørby", None)
    assert [b.text for b in article.blocks] == PROSE
    with pytest.raises(InputError, match=r"furniture\.html"):
        load_article(str(FIXTURES / "furniture.html"))
    with pytest.raises(InputError, match=r"missing.html: no such file"):
        load_article(str(tmp_path / "missing.html"))


def test_html_file_in_windows_1252(tmp_path):
    page = tmp_path / "old.htm"
    page.write_bytes(html_page(
        "<h1>Caf\u00e9 reopens</h1>" + paragraphs("The caf\u00e9 on the quay reopens on Saturday \u2014 with cr\u00e8me "
                                            "br\u00fbl\u00e9e at \u20ac4.", *PROSE[:2]),
        "<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'><title>x</title>",
    ).replace("charset='utf-8'", "").encode("cp1252"))  # fmt: skip
    article = load_article(str(page))
    assert article.title == "Café reopens"
    assert article.blocks[0].text == "The café on the quay reopens on Saturday — with crème brûlée at €4."


def test_feed_articles_rss_in_feed_order_each_once(site):
    assert feed_articles(f"{site}/feed.rss") == [
        f"{site}{ARTICLE_PATH}",
        f"{site}/blog/rye",
        f"{site}/features/bees",
    ]


def test_feed_articles_atom_alternate_links(site):
    assert feed_articles(f"{site}/feed.atom") == [f"{site}/blog/rye", f"{site}/blog/soup"]


def test_feed_articles_from_a_file(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        """<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<link>https://courier.example.org/</link><description>d</description>
<item><title>a</title><link>/a</link></item>
<item><title>b</title><link>https://courier.example.org/b</link></item></channel></rss>""",
        encoding="utf-8",
    )
    assert feed_articles(str(feed)) == ["https://courier.example.org/a", "https://courier.example.org/b"]


def test_feed_articles_errors(site, tmp_path):
    with pytest.raises(InputError, match=r"the feed lists no articles$"):
        feed_articles(f"{site}/empty.rss")
    with pytest.raises(InputError, match=r"not-a-feed is not an RSS or Atom feed"):
        feed_articles(f"{site}/not-a-feed")
    with pytest.raises(InputError, match=r"HTTP 404 Not Found"):
        feed_articles(f"{site}/no-feed-here")
    with pytest.raises(InputError, match=r"notes.md is text/markdown, not an RSS or Atom feed$"):
        feed_articles(f"{site}/notes.md")
    with pytest.raises(InputError, match=r"no such file"):
        feed_articles(str(tmp_path / "feed.xml"))


# --- end to end --------------------------------------------------------------------


def test_a_web_page_becomes_an_episode(site, tmp_path, monkeypatch):
    """URL -> fetch -> extract -> the pipeline's stages -> an episode with the page's chapters.

    pipeline.convert still takes a Source and cleans its text; until it takes an
    Article, the article is handed to it through its clean step.
    """
    from mutagen.id3 import ID3

    from audio_edition import pipeline
    from audio_edition.inputs import Source

    article = load_article(f"{site}/blog/rye")
    monkeypatch.setattr(pipeline, "parse_article", lambda text: article)
    episode = pipeline.convert(Source(text="", name=article.source), pipeline.Options(out_dir=tmp_path, quiet=True))
    record = json.loads((episode.folder / "episode.json").read_text(encoding="utf-8"))
    assert record["source"] == f"{site}/blog/rye"
    assert record["title"] == "What a year of baking rye taught me" and record["author"] == "Ines Calder"
    titles = [c["title"] for c in record["chapters"]]
    assert titles[0] == "What a year of baking rye taught me"
    for heading in (
        "The starter matters less than the clock",
        "Weigh the water, always",
        "Failures are worth writing down",
    ):
        assert any(heading in t for t in titles)
    assert any("Loaf thirty" in t for t in titles)
    tags = ID3(episode.mp3)
    assert len(tags.getall("CHAP")) == len(titles)
    transcript = episode.transcript.read_text(encoding="utf-8")
    assert "Week 23: baked too hot" in transcript
    body = transcript.split("Last November I promised", 1)[1]  # after the spoken intro with its date
    for phrase in expected("blog")["furniture"]:
        assert phrase not in body


def test_a_yaml_alias_bomb_in_front_matter_is_refused_at_once(tmp_path):
    """Nine levels of `&a [*a, ...]` (600 bytes) would expand to billions of items: refused in one line, fast."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    page = tmp_path / "bomb.md"
    page.write_text("---\n" + "\n".join(levels) + "\ndate: *a8\n---\n# Title\n\nA sentence of the body.\n")
    result = subprocess.run([sys.executable, "-m", "audio_edition", "clean", str(page)], capture_output=True,
                            text=True, timeout=30)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 300, result.stderr[:300]
    assert "YAML alias" in result.stderr


def test_front_matter_is_limited_in_size(tmp_path):
    page = tmp_path / "big.md"
    page.write_text("---\ntitle: T\nnotes: " + "x" * 100_000 + "\n---\n# T\n\nA sentence of the body.\n")
    with pytest.raises(InputError, match="front matter is 98 KiB; more than 64 KiB"):
        load_article(str(page))


def test_a_year_one_date_keeps_four_digits():
    article = extract_markdown("---\ndate: 0001-01-01\n---\n# Old news\n\nA sentence of the body.\n")
    assert article.to_dict()["published"] == "0001-01-01"


def _nested_page(levels: int) -> str:
    opening = "".join(
        f"<p>Opening sentence {i} about the harbor bridge and its long repair works.</p>" for i in range(3)
    )
    closing = "".join(f"<p>Closing sentence {i} about the bridge and what the council decided.</p>" for i in range(3))
    deep = "<div>" * levels + "<p>Deep inside, the sentence about what the works will cost.</p>" + "</div>" * levels
    return f"<html><head><title>Bridge</title></head><body><article><h1>Bridge</h1>{opening}{deep}{closing}</article></body></html>"


def test_html_nested_past_libxml2s_limit_loses_no_text():
    """libxml2 stops at 256 levels and silently dropped everything after: 300 levels are read whole."""
    article = extract_html(_nested_page(300))
    texts = [b.text for b in article.blocks]
    assert "Deep inside, the sentence about what the works will cost." in texts
    assert texts[-1] == "Closing sentence 2 about the bridge and what the council decided."


@pytest.mark.parametrize("levels", [600, 3000])
def test_html_nested_deeper_than_we_read_is_refused_in_one_line(levels):
    with pytest.raises(InputError, match="nests its elements more than 400 levels deep"):
        extract_html(_nested_page(levels))
