"""The pronunciation lexicon: files, search path, matching rules, and what espeak-ng makes of it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition.errors import AudioEditionError, VoiceError
from audio_edition.speech import lexicon as lexicon_module
from audio_edition.speech.lexicon import Entry, Lexicon, load_lexicon, read_lexicon_file

NEWS = lexicon_module.PROJECT_LEXICONS / "news.tsv"


def news() -> Lexicon:
    """The project's starter lexicon, whatever the user's own folders hold."""
    return Lexicon(tuple(read_lexicon_file(NEWS)))


@pytest.fixture(autouse=True)
def _no_user_lexicons(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIO_EDITION_LEXICONS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))


def lex(*rows: tuple[str, ...]) -> Lexicon:
    """A lexicon from (pattern, respelling[, phonemes]) rows."""
    return Lexicon(tuple(Entry(r[0], r[1], r[2] if len(r) > 2 else None, "test:1") for r in rows))


def espeak_x(text: str) -> str:
    """espeak-ng's own reading of `text` (its command line reads [[...]] as phonemes)."""
    out = subprocess.run(["espeak-ng", "-q", "-x", "-v", "en-us", text], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


@pytest.fixture
def search_path(tmp_path, monkeypatch):
    """Isolated env and XDG folders; the project's own folder stays last on the path."""
    env_a, env_b, xdg = tmp_path / "env-a", tmp_path / "env-b", tmp_path / "xdg"
    for folder in (env_a, env_b, xdg / "audio-edition" / "lexicon"):
        folder.mkdir(parents=True)
    monkeypatch.setenv("AUDIO_EDITION_LEXICONS", f"{env_a}{os.pathsep}{env_b}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    return env_a, env_b, xdg / "audio-edition" / "lexicon"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.tsv"
    path.write_text(text, encoding="utf-8")
    return path


# -- files and the search path -------------------------------------------------


def test_starter_lexicon_loads_with_enough_entries_each_with_phonemes():
    lexicon = load_lexicon(["news"])
    assert len(lexicon) >= 80
    assert all(e.source.startswith(f"{NEWS}:") for e in lexicon.entries)
    assert all(e.phonemes for e in lexicon.entries)
    assert load_lexicon([]) == Lexicon.empty()


def test_file_format_comments_blank_lines_optional_phonemes(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_bytes(
        "\ufeff# a comment\n\n   # indented comment\nNguyen\tWin\tw'In\r\n"
        "Kyiv\tKeev\nXi  Jinping\tShee Jinping\t\nQatar \t kahtar \t k'A:tA@ \n".encode()
    )
    entries = read_lexicon_file(path)
    assert [(e.pattern, e.respelling, e.phonemes) for e in entries] == [
        ("Nguyen", "Win", "w'In"),
        ("Kyiv", "Keev", None),
        ("Xi Jinping", "Shee Jinping", None),
        ("Qatar", "kahtar", "k'A:tA@"),
    ]
    assert [e.source for e in entries] == [f"{path}:{n}" for n in (4, 5, 6, 7)]


def test_later_lexicons_override_earlier_ones(search_path):
    env_a, _, _ = search_path
    write(env_a, "base", "Nguyen\tWin\nKyiv\tKeev\n")
    write(env_a, "mine", "Nguyen\tNew-when\n")
    assert load_lexicon(["base", "mine"]).apply("Nguyen in Kyiv") == "New-when in Keev"
    assert load_lexicon(["mine", "base"]).apply("Nguyen in Kyiv") == "Win in Keev"
    assert len(load_lexicon(["base", "mine"])) == 2


def test_search_order_env_folders_then_xdg_then_project(search_path):
    env_a, env_b, xdg = search_path
    project = load_lexicon(["news"])
    assert project.apply("Kyiv") == "Keev"
    write(xdg, "news", "Kyiv\tfrom-xdg\n")
    assert load_lexicon(["news"]).apply("Kyiv") == "from-xdg"
    write(env_b, "news", "Kyiv\tfrom-env-b\n")
    assert load_lexicon(["news"]).apply("Kyiv") == "from-env-b"
    path = write(env_a, "news", "Kyiv\tfrom-env-a\n")
    loaded = load_lexicon(["news"])
    assert loaded.apply("Kyiv Nguyen") == "from-env-a Nguyen"  # a whole file replaces, not merges
    assert loaded.entries[0].source == f"{path}:1"
    assert lexicon_module.search_path()[-1] == lexicon_module.PROJECT_LEXICONS


def test_config_folder_defaults_to_home(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("AUDIO_EDITION_LEXICONS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / ".config" / "audio-edition" / "lexicon"
    folder.mkdir(parents=True)
    write(folder, "home", "Kyiv\tfrom-home\n")
    assert load_lexicon(["home"]).apply("Kyiv") == "from-home"


@pytest.mark.parametrize("name", ["nope", "../voices/lexicon/news", "", "a/b"])
def test_unknown_lexicon_is_a_voice_error_listing_what_exists(search_path, name):
    with pytest.raises(VoiceError, match=r"unknown lexicon .*available lexicons: .*news") as info:
        load_lexicon(["news", name])
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Nguyen Win", "found no tab"),
        ("Nguyen\tWin\tw'In\tmid\textra", "5 tab-separated fields"),
        ("\tWin", "must contain a letter or digit"),
        ("...\tdots", "must contain a letter or digit"),
        ("Nguyen\t", "has no respelling"),
        ("Nguyen\t\tw'In", "has no respelling"),
        ("Nguyen\t[[w'In]]", "respelling must not contain"),
        ("Nguyen\tWin\t[[w'In]]", "phonemes must not contain"),
    ],
)
def test_malformed_line_names_file_and_line(search_path, line, problem):
    env_a, _, _ = search_path
    path = write(env_a, "bad", f"# header\n\nKyiv\tKeev\n{line}\n")
    with pytest.raises(VoiceError) as info:
        load_lexicon(["bad"])
    message = str(info.value)
    assert message.startswith(f"{path}:4: ") and problem in message
    assert "\n" not in message
    assert isinstance(info.value, AudioEditionError) and isinstance(info.value, LookupError)


def test_duplicate_in_one_file_is_an_error_but_case_classes_differ(search_path):
    env_a, _, _ = search_path
    path = write(env_a, "dup", "Nice\tNeess\nnice\tnice\nXi  Jinping\ta\nXi Jinping\tb\n")
    expected = f"{path}:4: 'Xi Jinping' is already defined at line 3"
    with pytest.raises(VoiceError, match=re.escape(expected)):
        load_lexicon(["dup"])


def test_unreadable_file(search_path):
    env_a, _, _ = search_path
    (env_a / "latin1.tsv").write_bytes(b"Sa\xefd\tsah-eed\n")
    with pytest.raises(VoiceError, match=r"latin1\.tsv cannot be read"):
        load_lexicon(["latin1"])


# -- matching rules ---------------------------------------------------------------


def test_capitalised_pattern_matches_exact_case_only():
    lexicon = lex(("Nice", "Neess"), ("BYD", "B Y D"))
    text = "Nice is nice. NICE! BYD, Byd, byd"
    assert lexicon.apply(text) == "Neess is nice. NICE! B Y D, Byd, byd"


def test_lowercase_pattern_matches_any_case_and_exact_case_wins_a_tie():
    lexicon = lex(("nvidia", "en-vidia"), ("nice", "pleasant"), ("Nice", "Neess"))
    assert lexicon.apply("NVIDIA, Nvidia and nVidia") == "en-vidia, en-vidia and en-vidia"
    assert lexicon.apply("Nice is nice, NICE") == "Neess is pleasant, pleasant"


def test_lowercase_pattern_with_letters_whose_lowercase_is_longer():
    # "İ".lower() is two characters: matching falls back to IGNORECASE and keeps offsets.
    lexicon = lex(("kyiv", "Keev"))
    assert lexicon.apply("İ KYIV Kyiv's") == "İ Keev Keev's"
    assert lexicon.find("İ KYIV") == [(2, 6, lexicon.entries[0])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyenville", "Nguyenville"),
        ("ONguyen and Nguyen2 and 2Nguyen", "ONguyen and Nguyen2 and 2Nguyen"),
        ("O'Nguyen, Nguyen'll", "O'Nguyen, Nguyen'll"),
        ("Nguyen-led, (Nguyen), Nguyen.", "Win-led, (Win), Win."),
        ("'Nguyen' \u2018Nguyen\u2019 \u201cNguyen\u201d", "'Win' \u2018Win\u2019 \u201cWin\u201d"),
        ("Nguyễn", "Nguyễn"),
    ],
)
def test_whole_words_only(text, expected):
    assert lex(("Nguyen", "Win")).apply(text) == expected


def test_possessives_and_plurals_keep_their_ending():
    lexicon = lex(("Nguyen", "Win", "w'In"))
    text = "Nguyen's, Nguyen\u2019s, the Nguyens, the Nguyens' house"
    assert lexicon.apply(text) == "Win's, Win\u2019s, the Wins, the Wins' house"
    assert [text[s:e] for s, e, _ in lexicon.find(text)] == [
        "Nguyen's", "Nguyen\u2019s", "Nguyens", "Nguyens'",
    ]  # fmt: skip


def test_possessive_with_phonemes_is_folded_in_with_the_english_sound():
    lexicon = lex(("Nguyen", "Win", "w'In"), ("Sanchez", "sanchez", "s'antSEz"), ("Bakhmut", "x", "bA:xm'u:t"))
    assert lexicon.apply("Nguyen's Nguyen\u2019s Nguyens", use_phonemes=True) == ("[[w'Inz]] [[w'Inz]] [[w'Inz]]")
    assert lexicon.apply("Sanchez's", use_phonemes=True) == "[[s'antSEzI#z]]"
    assert lexicon.apply("Bakhmut's", use_phonemes=True) == "[[bA:xm'u:ts]]"


def test_an_apostrophe_in_a_pattern_matches_straight_or_curly():
    lexicon = lex(("Coeur d'Alene", "kor duh-lane"))
    assert lexicon.apply("Coeur d\u2019Alene and Coeur d'Alene") == "kor duh-lane and kor duh-lane"


def test_phrases_match_across_any_whitespace():
    lexicon = lex(("Xi Jinping", "Shee Jinping"))
    for gap in (" ", "  ", "\n", "\t", " \n  ", "\u00a0"):
        assert lexicon.apply(f"said Xi{gap}Jinping.") == "said Shee Jinping."
    assert lexicon.apply("Xi-Jinping") == "Xi-Jinping"


def test_longest_phrase_wins_and_matches_do_not_overlap():
    lexicon = lex(("Xi", "Shee"), ("Xi Jinping", "Shee Jinping"), ("Ho Chi Minh", "Hoe Chee Min"),
                  ("Minh City", "MC"))  # fmt: skip
    assert lexicon.apply("Xi Jinping met Xi") == "Shee Jinping met Shee"
    # "Xi Jinping" is not a whole word here, so the shorter entry matches.
    assert lexicon.apply("Xi Jinpingville") == "Shee Jinpingville"
    assert lexicon.apply("Ho Chi Minh City") == "Hoe Chee Min City"  # leftmost first
    spans = lexicon.find("Xi Jinping, Xi's")
    assert [(s, e, x.pattern) for s, e, x in spans] == [(0, 10, "Xi Jinping"), (12, 16, "Xi")]


def test_a_full_pattern_beats_a_pattern_plus_plural():
    lexicon = lex(("Houthi", "hoothy"), ("Houthis", "the houthis"))
    assert lexicon.apply("Houthi Houthis Houthi's") == "hoothy the houthis hoothy's"


def test_phonemes_when_asked_and_present_otherwise_the_respelling():
    lexicon = lex(("Nguyen", "Win", "w'In"), ("Kyiv", "Keev"))
    assert lexicon.apply("Nguyen in Kyiv", use_phonemes=True) == "[[w'In]] in Keev"
    assert lexicon.apply("Nguyen in Kyiv") == "Win in Keev"


def test_later_entries_override_earlier_ones_with_the_same_key():
    lexicon = lex(("Kyiv", "one"), ("nice", "two"), ("Kyiv", "three"), ("NICE", "four"))
    assert [e.respelling for e in lexicon.entries] == ["three", "two", "four"]
    assert lexicon.apply("Kyiv nice NICE") == "three two four"


# -- what espeak-ng makes of it ---------------------------------------------------


def test_every_news_entry_changes_what_espeak_ng_says_and_its_phonemes_are_espeaks_own():
    """Batch check of the whole starter lexicon with espeak-ng's command line.

    Each entry's respelling must read differently from the word as written
    (unless it is there to protect a phrase, respelling == pattern), and its
    phonemes must come back unchanged from `espeak-ng -x`, so every mnemonic is
    one espeak-ng knows.
    """
    entries = news().entries
    written = espeak_lines([e.pattern for e in entries])
    respelled = espeak_lines([e.respelling for e in entries])
    phonemes = espeak_lines([f"[[{e.phonemes}]]" for e in entries])
    for entry, w, r, p in zip(entries, written, respelled, phonemes):
        if entry.respelling != entry.pattern:
            assert r != w, f"{entry.source}: {entry.respelling!r} reads like {entry.pattern!r}"
        assert p == entry.phonemes, f"{entry.source}: espeak-ng reads [[{entry.phonemes}]] as {p}"


def espeak_lines(texts: list[str]) -> list[str]:
    """espeak-ng's reading of each text, in one run: each is its own sentence and output line."""
    out = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "en-us", "\n".join(f"{t}." for t in texts)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    lines = [" ".join(line.split()) for line in out.stdout.splitlines() if line.strip()]
    assert len(lines) == len(texts)
    return lines


@pytest.mark.parametrize("word", ["Nguyen", "Kyiv", "Xi Jinping", "Qatar", "Huawei"])
def test_applied_text_reads_as_the_respelling_or_the_phonemes(word):
    lexicon = news()
    ((_, _, entry),) = lexicon.find(word)
    sentence = f"Reporters met {word} today."
    original = espeak_x(sentence)
    respelled = espeak_x(lexicon.apply(sentence))
    with_phonemes = espeak_x(lexicon.apply(sentence, use_phonemes=True))
    assert respelled != original
    assert respelled == espeak_x(f"Reporters met {entry.respelling} today.")
    assert with_phonemes != original
    assert with_phonemes.split(" ")[2:-1] == entry.phonemes.split(" ")


def test_possessive_with_phonemes_reads_like_the_respelled_possessive():
    lexicon = news()
    assert espeak_x(lexicon.apply("Kyiv's mayor", use_phonemes=True)) == espeak_x("Keev's mayor")
    assert espeak_x(lexicon.apply("Kyiv\u2019s mayor")) == espeak_x("Keev's mayor")


# -- properties ------------------------------------------------------------------

_PIECES = [
    "Nguyen", "nguyen", "Xi", "Jinping", "Kyiv", "kyiv", "Ho", "Chi", "Minh", "City", "nice", "Nice",
    "s", "'s", "\u2019", "'", "-", " ", "  ", "\n", ".", "a", "1", "ville",
]  # fmt: skip
_SMALL = lex(
    ("Nguyen", "Win", "w'In"), ("Xi", "Shee"), ("Xi Jinping", "Shee Jinping", "S'i: dZ'InpIN"),
    ("kyiv", "Keev", "k'i:v"), ("Ho Chi Minh", "Hoe Chee Min"), ("Minh City", "MC"),
    ("nice", "pleasant"), ("Nice", "Neess", "n'i:s"), ("Chi", "chee"),
)  # fmt: skip


def _reference_find(lexicon: Lexicon, text: str) -> list[tuple[int, int, str]]:
    """The rules done the slow way: one regex per entry, tried at every position."""
    start, suffix, end = lexicon_module._START, lexicon_module._SUFFIX, lexicon_module._END
    regexes = []
    for entry in lexicon.entries:
        body = r"\s+".join(re.escape(word) for word in entry.pattern.split(" "))
        body = body.replace("'", "['\u2019]")
        flags = 0 if entry.exact_case else re.IGNORECASE
        regexes.append((re.compile(start + "(?:" + body + ")" + suffix + end, flags), entry))
    found, pos = [], 0
    while pos < len(text):
        candidates = [(m.end(), e.exact_case, e) for r, e in regexes if (m := r.match(text, pos))]
        if candidates:
            stop, _, entry = max(candidates, key=lambda c: c[:2])
            found.append((pos, stop, entry.pattern))
            pos = stop
        else:
            pos += 1
    return found


@given(st.text())
def test_empty_lexicon_is_the_identity(text):
    assert Lexicon.empty().apply(text) == text
    assert Lexicon.empty().apply(text, use_phonemes=True) == text
    assert Lexicon.empty().find(text) == []


_NEWS = news()


@settings(max_examples=300)
@given(st.text())
def test_applying_never_raises_on_arbitrary_text(text):
    for lexicon in (_NEWS, _SMALL):
        for use_phonemes in (False, True):
            assert isinstance(lexicon.apply(text, use_phonemes), str)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_matches_agree_with_a_slow_reference(text):
    found = [(s, e, entry.pattern) for s, e, entry in _SMALL.find(text)]
    assert found == _reference_find(_SMALL, text)
    # Text between matches is untouched.
    applied = _SMALL.apply(text)
    starts = [0] + [e for _, e, _ in found]
    stops = [s for s, _, _ in found] + [len(text)]
    assert all(text[a:b] in applied for a, b in zip(starts, stops))


def test_context_limits_an_entry_to_where_it_belongs(tmp_path: Path) -> None:
    """The fourth field: "mid" skips a sentence's first word, after=/before= name the neighbouring word."""
    from audio_edition.speech import to_spoken

    path = tmp_path / "places.tsv"
    path.write_text("Nice\tNeess\tn'i:s\tmid\nReading\tRedding\t\tafter=in|to|from\n", encoding="utf-8")
    lexicon = Lexicon(tuple(read_lexicon_file(path)))
    assert to_spoken("Nice weather today.", lexicon) == "Nice weather today."
    assert to_spoken("We flew to Nice on Monday.", lexicon, use_phonemes=False) == "We flew to Neess on Monday."
    assert to_spoken("We flew to Nice.", lexicon) == "We flew to [[n'i:s]]."
    assert to_spoken("Reading is fun.", lexicon) == "Reading is fun."
    assert to_spoken("She lives in Reading.", lexicon) == "She lives in Redding."


def test_unknown_context_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("Nice\tNeess\t\tsomewhere\n", encoding="utf-8")
    with pytest.raises(VoiceError, match=r"bad.tsv:1: unknown context 'somewhere'"):
        read_lexicon_file(path)
