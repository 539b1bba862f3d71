"""Voice profiles: lookup, validation, the search path."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from audio_edition.errors import VoiceError
from audio_edition.voices import available, load_profile


def test_default_profile_is_espeak_us_english():
    profile = load_profile("default")
    assert (profile.engine, profile.voice, profile.language) == ("pyttsx3", "en-us", "en-US")
    assert {"default", "en-gb"} <= set(available())


def test_unknown_voice_names_the_available_ones():
    with pytest.raises(VoiceError, match=r"unknown voice 'robot'; available voices: .*default"):
        load_profile("robot")
    with pytest.raises(VoiceError):
        load_profile("../voices/default")


def test_user_profiles_come_first_and_are_validated(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDIO_EDITION_VOICES", str(tmp_path))
    (tmp_path / "slow.toml").write_text('engine = "pyttsx3"\nvoice = "en-us"\nrate = 120\n')
    (tmp_path / "bad.toml").write_text('engine = "pyttsx3"\nvoice = "en-us"\nspeed = 3\n')
    (tmp_path / "broken.toml").write_text("engine = \n")
    assert load_profile("slow").rate == 120
    with pytest.raises(VoiceError, match="unknown field"):
        load_profile("bad")
    with pytest.raises(VoiceError, match="cannot be read"):
        load_profile("broken")


def test_voices_shows_where_each_profile_and_lexicon_comes_from(tmp_path):
    """A user's own profile and lexicon in ~/.config/audio-edition/ are listed as theirs; one with a
    bundled name says it replaces the bundled one."""
    config = tmp_path / "config" / "audio-edition"
    (config / "voices").mkdir(parents=True)
    (config / "lexicon").mkdir()
    (config / "voices" / "slow.toml").write_text('engine = "pyttsx3"\nvoice = "en-us"\nrate = 120\n', encoding="utf-8")
    (config / "voices" / "en-gb.toml").write_text('engine = "pyttsx3"\nvoice = "en"\nrate = 160\n', encoding="utf-8")
    (config / "lexicon" / "mine.tsv").write_text("Nguyen\tnwin\n", encoding="utf-8")
    env = os.environ | {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run([sys.executable, "-m", "audio_edition", "voices"], env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["default"].endswith("[bundled]")
    assert f"[user config: {config / 'voices' / 'slow.toml'}]" in lines["slow"]
    assert lines["en-gb"].endswith(f"[user config: {config / 'voices' / 'en-gb.toml'}, replacing the bundled one]")
    assert "news [bundled]" in lines["lexicons:"]
    assert f"mine [user config: {config / 'lexicon' / 'mine.tsv'}]" in lines["lexicons:"]
