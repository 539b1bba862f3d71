"""The pyttsx3 engine: complete, deterministic, silent, with the true sample rate."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from audio_edition.engines import ENGINES, Engine, create_engine
from audio_edition.engines.pyttsx3 import Pyttsx3Engine
from audio_edition.errors import SynthesisError, VoiceError
from tests.conftest import ROOT, espeak_cli

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Officials said the bridge, which opened in 1931, carries forty thousand vehicles a day.",
    "Why?",
    "She paused; then, quietly, she read the last line aloud.",
]


@pytest.fixture(scope="module")
def engine():
    e = create_engine("pyttsx3", voice="en-us", rate=175, pitch=50, volume=1.0)
    yield e
    e.close()


def test_registry_and_interface():
    assert "pyttsx3" in ENGINES
    assert issubclass(Pyttsx3Engine, Engine)
    assert Engine.__abstractmethods__ == frozenset({"synthesize"})
    with pytest.raises(VoiceError, match="unknown engine 'nope'"):
        create_engine("nope")


@pytest.mark.parametrize("text", SENTENCES)
def test_matches_espeak_ng_command_line_sample_for_sample(engine, text, tmp_path):
    """Complete (nothing lost at either end) and the true sample rate: espeak-ng's own CLI is the reference."""
    audio = engine.synthesize(text)
    reference, rate = espeak_cli(text, tmp=tmp_path)
    assert audio.sample_rate == rate
    assert audio.frames == len(reference) // 2
    assert audio.samples == reference


def test_identical_text_gives_identical_samples_whatever_came_before(engine):
    first = engine.synthesize(SENTENCES[0])
    for other in SENTENCES[1:]:
        engine.synthesize(other)
    again = engine.synthesize(SENTENCES[0])
    fresh = Pyttsx3Engine(voice="en-us", rate=175)
    try:
        assert again.samples == first.samples
        assert fresh.synthesize(SENTENCES[0]).samples == first.samples
    finally:
        fresh.close()


def test_settings_change_the_audio_and_match_the_cli(tmp_path):
    e = Pyttsx3Engine(voice="en", rate=140, pitch=70, volume=0.5)
    try:
        audio = e.synthesize(SENTENCES[1])
    finally:
        e.close()
    reference, _ = espeak_cli(SENTENCES[1], voice="en", rate=140, pitch=70, amplitude=50, tmp=tmp_path)
    assert audio.samples == reference


def test_first_sentence_of_a_fresh_process_is_complete_and_nothing_is_printed(tmp_path):
    """pyttsx3 2.99 loses a process's first save_to_file and prints "Audio saved to": not through us."""
    out = tmp_path / "first.pcm"
    script = textwrap.dedent(f"""
        from audio_edition.engines.pyttsx3 import Pyttsx3Engine
        e = Pyttsx3Engine()
        a = e.synthesize({SENTENCES[1]!r})
        open({str(out)!r}, "wb").write(a.samples)
        e.close()
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout == ""
    assert "Audio saved" not in result.stderr
    reference, _ = espeak_cli(SENTENCES[1], tmp=tmp_path)
    assert out.read_bytes() == reference


def test_nothing_printed_in_process(engine, capfd):
    engine.synthesize(SENTENCES[0])
    captured = capfd.readouterr()
    assert captured.out == ""


def test_a_hung_render_is_killed_and_names_the_sentence():
    e = Pyttsx3Engine(timeout_s=0.0001)
    try:
        with pytest.raises(SynthesisError, match="lazy dog"):
            e.synthesize(SENTENCES[0])
    finally:
        e.close()


def test_empty_sentence_is_an_error(engine):
    with pytest.raises(SynthesisError):
        engine.synthesize("   ")


def test_no_temporary_files_are_left(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    engine.synthesize("Hello.")
    assert list(tmp_path.iterdir()) == []


def test_identity_names_versions_and_settings():
    a = Pyttsx3Engine(voice="en-us", rate=175).identity()
    assert "pyttsx3 2.99" in a and "eSpeak NG" in a and "rate=175" in a
    assert Pyttsx3Engine(voice="en-us", rate=176).identity() != a


def test_an_unknown_engine_voice_is_a_clear_error():
    e = Pyttsx3Engine(voice="no-such-voice-xx")
    try:
        with pytest.raises(SynthesisError, match="no-such-voice-xx"):
            e.synthesize("Hello.")
    finally:
        e.close()


def test_lexicon_phonemes_in_double_brackets_are_read_as_phonemes(engine, tmp_path):
    """espeak-ng's CLI reads [[...]] as phonemes; pyttsx3's flags alone would spell the brackets' content."""
    with_phonemes = engine.synthesize("I met [[w'In]] today.")
    reference, _ = espeak_cli("I met [[w'In]] today.", tmp=tmp_path)
    assert with_phonemes.samples == reference
    assert with_phonemes.samples == engine.synthesize("I met Win today.").samples
    assert Pyttsx3Engine.accepts_phonemes
