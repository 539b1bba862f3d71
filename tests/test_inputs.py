"""Tests for audio_edition.inputs: load_article over the table of readers, and its cache of read text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from audio_edition.cache import SentenceCache
from audio_edition.inputs import load_article

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "harbor-bridge.txt"


def test_cached_text_gives_the_same_article(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path / "cache")
    fresh = load_article(str(SAMPLE))
    first = load_article(str(SAMPLE), cache=cache)
    again = load_article(str(SAMPLE), cache=cache)
    assert first == fresh
    assert again == fresh
    assert again.published is not None and again.published.utcoffset() is not None  # the zone survives
    assert repr(again) == repr(fresh)  # what the reading script's cache key is made from


def test_a_cached_re_run_does_not_load_the_line_model(tmp_path: Path) -> None:
    probe = (
        "import sys; from pathlib import Path; from audio_edition.cache import SentenceCache;"
        "from audio_edition.inputs import load_article;"
        f"a = load_article({str(SAMPLE)!r}, cache=SentenceCache(Path({str(tmp_path)!r})));"
        "print(a.title); print('audio_edition.inputs.linemodel' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True) for _ in range(2)]
    first, second = (run.stdout.splitlines() for run in runs)
    assert first == ["Harbor Bridge will close for two years as $1.5 billion repair begins", "True"]
    assert second == [first[0], "False"]


def test_changed_text_is_read_again(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    page = tmp_path / "page.txt"
    page.write_text("Bridge to close\n\nThe bridge will close in May for repairs.\n", encoding="utf-8")
    assert load_article(str(page), cache=cache).blocks[0].text == "The bridge will close in May for repairs."
    page.write_text("Bridge to close\n\nThe bridge will close in June for repairs.\n", encoding="utf-8")
    assert load_article(str(page), cache=cache).blocks[0].text == "The bridge will close in June for repairs."


def test_a_feed_is_told_from_a_page_by_its_type_or_its_first_element():
    from audio_edition.inputs import is_feed

    assert is_feed("application/atom+xml", "")
    assert is_feed("text/xml", '<?xml version="1.0"?>\n<!-- made by hand -->\n<rss version="2.0"><channel>')
    assert is_feed("application/xml", '<feed xmlns="http://www.w3.org/2005/Atom">')
    assert not is_feed("application/xml", "<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>")
    assert not is_feed("text/html", "<rss>")  # served as a page: read as one
