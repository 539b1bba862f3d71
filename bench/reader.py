"""Benchmark: how well the read stage finds the article on real pages it was not trained on.

    .venv/bin/python bench/reader.py [--corpus DIR] [--retrain] [--all]

On the test split of the development corpus (by site: no site of it was seen
while training; see reader_data.py), prints for scraped text (each page's
innerText, as a user copying it would get it):

- body precision, recall and F1 with the Zyte benchmark's metric, ours beside
  two references run in the same invocation: every line kept, and jusText on
  the lines;
- how often the headline, the author and the date are right (of the pages
  whose metadata has one);

and for the same pages as saved HTML, our web-page reader beside trafilatura
alone. Speed is a ratio against a reference run on the same pages in the same
process (splitting each text into lines), as the machine is shared and noisy.
Gold kinds: "full" (readability's expected output), "silver" (another
extractor's output: trafilatura's or newspaper's, so trafilatura's own score
on its silver pages is no measure and is not shown).

`--retrain` retrains the line model first (needs the `train` extra);
`--all` scores every page, training split included (not a held-out figure).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reader_data as rd

from audio_edition.errors import InputError
from audio_edition.inputs import shapes
from audio_edition.inputs.text import read_text

TARGETS = {"f1": 0.95, "recall": 0.98, "title": 0.95, "author": 0.90, "date": 0.90, "html_f1": 0.97}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=rd.CORPUS)
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument("--all", action="store_true", help="score the training split too (not a held-out figure)")
    parser.add_argument("--no-html", action="store_true")
    args = parser.parse_args()
    if not (args.corpus / "pages").is_dir():
        print(f"reader: no corpus in {args.corpus}; build it with bench/reader_corpus.py (see its --help). Skipped.")
        return
    if args.retrain:
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("reader_train.py")), "--corpus", str(args.corpus)], check=True
        )
    pages = [p for p in rd.load(args.corpus) if args.all or rd.is_test(p)]
    print(f"reader: {len(pages)} pages of {len({p.site for p in pages})} sites "
          f"({'all' if args.all else 'test split, by site'})")  # fmt: skip
    scraped(pages)
    if not args.no_html:
        html(pages)


def scraped(pages: list[rd.Page]) -> None:
    ours, every, justext_score = rd.Score(), rd.Score(), rd.Score()
    per_source: dict[str, rd.Score] = {}
    heads = {"title": [0, 0], "author": [0, 0], "date": [0, 0]}
    spent = reference = 0.0
    refused = 0
    for page in pages:
        started = time.perf_counter()
        try:
            article = read_text(page.text).article
        except InputError:
            article = None
            refused += 1
        spent += time.perf_counter() - started
        started = time.perf_counter()
        shapes.lines_of(page.text)
        reference += time.perf_counter() - started
        got = "\n".join(b.text for b in article.blocks) if article else ""
        if page.has_body:
            ours.add(page.gold_body(), got)
            per_source.setdefault(page.source, rd.Score()).add(page.gold_body(), got)
            every.add(page.gold_body(), page.text)
            justext_score.add(page.gold_body(), _justext(page))
        _headers(page, article, heads)
    print("\nScraped text (innerText, JavaScript off): body")
    print(f"  ours        {ours.line()}")
    for source, score in sorted(per_source.items()):
        print(f"    {source:11} {score.line()}")
    print(f"  every line  {every.line()}")
    print(f"  jusText     {justext_score.line()}")
    if refused:
        print(f"  refused as holding no article: {refused} pages")
    print("Scraped text: header")
    for name, (right, total) in heads.items():
        share = right / max(1, total)
        print(f"  {name:7} right on {right} of {total} pages ({share:.0%}; target {TARGETS[name]:.0%})")
    print(f"Speed: {1000 * spent / max(1, len(pages)):.1f} ms a page, "
          f"{spent / max(1e-9, reference):.0f}x the time to split the same texts into lines")  # fmt: skip
    print(f"Targets: body F1 >= {TARGETS['f1']} ({'met' if ours.f1 >= TARGETS['f1'] else 'not met'}), "
          f"recall >= {TARGETS['recall']} ({'met' if ours.recall >= TARGETS['recall'] else 'not met'})")  # fmt: skip


def _headers(page: rd.Page, article: object, heads: dict[str, list[int]]) -> None:
    meta = page.meta
    silver = set(meta.get("meta_silver") or ())
    title = getattr(article, "title", None)
    author = getattr(article, "author", None)
    published = getattr(article, "published_iso", None)
    if meta.get("title") and "title" not in silver:
        heads["title"][1] += 1
        heads["title"][0] += rd.same_title(meta["title"], title)
    if meta.get("authors") and "author" not in silver:
        heads["author"][1] += 1
        heads["author"][0] += rd.same_author(meta["authors"], author)
    if meta.get("published") and "date" not in silver:
        heads["date"][1] += 1
        heads["date"][0] += same_day(meta["published"], published)


def same_day(expected: str, got: str | None) -> bool:
    """The same calendar day; a UTC time in the gold may fall on the day before or after the page's local date."""
    if not got:
        return False
    if got[:10] == expected[:10]:
        return True
    try:
        want = datetime.fromisoformat(expected.replace("Z", "+00:00"))
        have = datetime.fromisoformat(got.replace("Z", "+00:00"))
    except ValueError:
        return False
    if want.tzinfo and have.tzinfo:
        return want.astimezone(timezone.utc).date() == have.astimezone(timezone.utc).date()
    if want.tzinfo and "T" in expected:
        return abs(want.date() - have.date()) <= timedelta(days=1)
    return False


def _justext(page: rd.Page) -> str:
    """jusText's verdict on the lines of the text, each line given to it as a paragraph."""
    import html as htmllib

    import justext

    language = {"de": "German", "fr": "French", "es": "Spanish", "pt": "Portuguese", "it": "Italian", "nl": "Dutch",
                "pl": "Polish", "ru": "Russian", "uk": "Ukrainian"}.get((page.meta.get("lang") or "en")[:2], "English")  # fmt: skip
    lines = [line for line in shapes.lines_of(page.text) if line]
    markup = "<html><body>" + "".join(f"<p>{htmllib.escape(line)}</p>" for line in lines) + "</body></html>"
    try:
        kept = justext.justext(markup.encode("utf-8"), justext.get_stoplist(language))
    except Exception:  # noqa: BLE001 - a reference that fails scores nothing
        return ""
    return "\n".join(p.text for p in kept if not p.is_boilerplate)


def html(pages: list[rd.Page]) -> None:
    from audio_edition.inputs.fetch import decode_html
    from audio_edition.inputs.html import extract_html

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    import trafilatura

    scores: dict[str, dict[str, rd.Score]] = {}
    refused = 0
    spent = reference = 0.0
    for page in pages:
        if not page.has_body:
            continue
        raw = (page.folder / "page.html").read_bytes()
        text = decode_html(raw)
        url = page.meta.get("url")
        started = time.perf_counter()
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                article = extract_html(text, url=url)
            got = "\n".join(b.text for b in article.blocks)
        except InputError:
            got = ""
            refused += 1
        spent += time.perf_counter() - started
        started = time.perf_counter()
        try:
            alone = trafilatura.extract(text, url=url, include_comments=False, include_tables=True) or ""
        except Exception:  # noqa: BLE001
            alone = ""
        reference += time.perf_counter() - started
        kind = page.meta.get("gold")
        group = scores.setdefault(f"{page.source} ({kind})", {"ours": rd.Score(), "trafilatura": rd.Score()})
        group["ours"].add(page.gold_body(), got)
        group["trafilatura"].add(page.gold_body(), alone)
    print("\nHTML (the same pages as saved HTML): body")
    for name, group in sorted(scores.items()):
        print(f"  {name}")
        print(f"    ours         {group['ours'].line()}")
        if "trafilatura" not in name:
            print(f"    trafilatura  {group['trafilatura'].line()}")
    if refused:
        print(f"  refused as holding no article: {refused} pages")
    print(f"Speed: ours {spent / max(1e-9, reference):.2f}x trafilatura alone on the same pages")


if __name__ == "__main__":
    main()
