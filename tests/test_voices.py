"""Voice profiles: lookup, validation, the search path."""

from __future__ import annotations

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
