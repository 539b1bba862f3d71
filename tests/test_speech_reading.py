"""The reading script: intro, captions read only on request, pauses and chapter marks."""

from __future__ import annotations

from datetime import datetime

from audio_edition.model import Article, Block
from audio_edition.speech.reading import date_line, script

ARTICLE = Article(
    title="Ferry service will triple",
    author="Maya Ortiz",
    published=datetime(2026, 6, 18, 14, 5),
    has_time=True,
    blocks=(
        Block("paragraph", "The city said so on Monday. Riders cheered."),
        Block("caption", "A ferry at dusk.", "Jane Roe / Desk"),
        Block("heading", "What changes"),
        Block("paragraph", "Boats will run every ten minutes."),
        Block("caption", "The old landing.", "Jane Roe / Desk"),
        Block("paragraph", "Fares stay the same."),
        Block("caption", "A last photo with nothing after it.", "Jane Roe / Desk"),
    ),
)


def test_date_is_said_naturally_and_written_plainly():
    assert date_line(ARTICLE) == "Published Thursday, June 18, 2026, at 2:05 p.m."
    intro_date = script(ARTICLE)[2].sentence
    assert intro_date.written == "Published Thursday, June 18, 2026, at 2:05 p.m."
    assert intro_date.spoken == "Published Thursday, June eighteenth, twenty twenty-six, at two oh five PM."


def test_intro_then_body_and_captions_skipped_by_default():
    lines = script(ARTICLE)
    texts = [line.sentence.written for line in lines]
    assert texts[:3] == [
        "Ferry service will triple",
        "By Maya Ortiz.",
        "Published Thursday, June 18, 2026, at 2:05 p.m.",
    ]
    assert "A ferry at dusk." not in texts
    assert texts[3:] == [
        "The city said so on Monday.",
        "Riders cheered.",
        "What changes",
        "Boats will run every ten minutes.",
        "Fares stay the same.",
    ]
    assert [line.pause for line in lines] == [
        "lead_in",
        "sentence",
        "sentence",
        "paragraph",
        "sentence",
        "chapter",
        "paragraph",
        "chapter",
    ]


def test_auto_chapters_merge_marks_that_meet_and_drop_a_trailing_caption():
    chapters = [(line.sentence.written, line.chapter) for line in script(ARTICLE) if line.chapter]
    assert chapters == [
        ("Ferry service will triple", "Ferry service will triple"),
        ("What changes", "A ferry at dusk. / What changes"),
        ("Fares stay the same.", "The old landing."),
    ]


def test_read_captions_makes_the_caption_start_its_chapter():
    lines = script(ARTICLE, read_captions=True)
    chapters = [(line.sentence.written, line.chapter) for line in lines if line.chapter]
    assert ("A ferry at dusk.", "A ferry at dusk.") in chapters
    assert ("A last photo with nothing after it.", "A last photo with nothing after it.") in chapters


def test_sentence_chapters_title_every_sentence_with_its_text():
    lines = script(ARTICLE, chapters="sentences")
    assert all(line.chapter == line.sentence.written for line in lines)


def test_spoken_text_is_normalized_while_the_written_text_is_kept():
    article = Article(
        title="Deal worth $2.3 trillion",
        author=None,
        published=None,
        blocks=(Block("paragraph", "Lt. Gen. Ortiz signed it on Oct. 3 in the U.K."),),
    )
    lines = script(article)
    assert [line.sentence.written for line in lines] == [
        "Deal worth $2.3 trillion",
        "Lt. Gen. Ortiz signed it on Oct. 3 in the U.K.",
    ]
    assert lines[0].sentence.spoken == "Deal worth two point three trillion dollars"
    assert lines[1].sentence.spoken == "Lieutenant General Ortiz signed it on October third in the U-K."


def test_a_language_without_rules_is_only_tidied():
    from audio_edition.speech import to_spoken

    assert to_spoken("Il 3 ott.  ha pagato  $5.", language="it-IT") == "Il 3 ott. ha pagato $5."
    assert to_spoken("Am 3. Okt.  zahlte er  $5.", language="de-DE") == "Am dritten Oktober zahlte er fünf Dollar."
    assert to_spoken("On Oct. 3 he paid $5.", language="en-GB") == "On October third he paid five dollars."


def test_a_title_lent_by_the_first_sentence_is_said_once():
    # Pasted text without a headline: the reader lends the first sentence as the title.
    pasted = Article(
        title="The council met.",
        author=None,
        published=None,
        blocks=(Block("paragraph", "The council met. Members argued."), Block("paragraph", "It ended.")),
    )
    assert [line.sentence.written for line in script(pasted)] == ["The council met.", "Members argued.", "It ended."]
    # A later paragraph that happens to repeat the headline is still read.
    echoed = Article(
        title="It ended.",
        author=None,
        published=None,
        blocks=(Block("paragraph", "The council met."), Block("paragraph", "It ended.")),
    )
    assert [line.sentence.written for line in script(echoed)] == ["It ended.", "The council met.", "It ended."]
