"""The engine contract, run over every registered engine and a fake one: what the pipeline relies on.

An engine must give mono 16-bit PCM at a real sample rate, the same samples for
the same text, an `identity` that names itself and changes with its settings,
word offsets (when it gives any) that rise and stay inside the text and the
audio, and a clear SynthesisError for an empty sentence. A fake engine added
the documented way (one class, one line in ENGINES, a profile in the user's
config folder) converts an article end to end.
"""

from __future__ import annotations

import json
import math
import struct
import subprocess
from pathlib import Path

import pytest

from audio_edition.engines import ENGINES, Engine, create_engine
from audio_edition.errors import SynthesisError
from audio_edition.model import Audio
from tests.conftest import EXAMPLES

SENTENCES = ("The ferry leaves at nine.", "Officials said the bridge carries forty thousand vehicles a day.")
SETTINGS = {"voice": None, "rate": 175, "pitch": 50, "volume": 1.0}


class ToneEngine(Engine):
    """A fake engine: a short tone per word, its pitch from the word; word offsets exact."""

    name = "tone"

    def __init__(self, voice: str | None = None, rate: int = 175, pitch: int = 50, volume: float = 1.0) -> None:
        self.rate, self.pitch, self.volume = rate, pitch, volume

    def synthesize(self, text: str) -> Audio:
        if not text.strip():
            raise SynthesisError("cannot synthesize an empty sentence")
        sample_rate, samples, words = 22050, [], []
        at = 0
        for word in text.split():
            offset = text.index(word, at)
            at = offset + len(word)
            words.append((offset, len(samples)))
            freq = 200 + 10 * (sum(map(ord, word)) % 40) + self.pitch
            length = int(sample_rate * 60 / self.rate / 2)
            samples += [int(8000 * self.volume * math.sin(2 * math.pi * freq * i / sample_rate)) for i in range(length)]
            samples += [0] * (length // 4)
        return Audio(samples=struct.pack(f"<{len(samples)}h", *samples), sample_rate=sample_rate, words=tuple(words))

    def identity(self) -> str:
        return f"tone rate={self.rate} pitch={self.pitch} volume={self.volume}"


class ForgetfulEngine(ToneEngine):
    """Breaks the contract: its identity leaves out a setting that changes the audio, and it is not deterministic."""

    calls = 0

    def synthesize(self, text: str) -> Audio:
        ForgetfulEngine.calls += 1
        audio = super().synthesize(text)
        return Audio(samples=audio.samples + b"\x01\x00" * ForgetfulEngine.calls, sample_rate=audio.sample_rate)

    def identity(self) -> str:
        return "tone"


def violations(make: type[Engine] | str, settings: dict[str, object]) -> list[str]:
    """What an engine does against the contract (empty: it keeps it)."""

    def new(**changes: object) -> Engine:
        values = {k: v for k, v in (settings | changes).items() if v is not None}
        return make(**values) if isinstance(make, type) else create_engine(make, **values)

    problems = []
    engine = new()
    try:
        for text in SENTENCES:
            first, second = engine.synthesize(text), engine.synthesize(text)
            if not isinstance(first, Audio) or first.frames == 0 or len(first.samples) % 2:
                problems.append(f"{text!r}: no 16-bit audio")
                continue
            if not 8000 <= first.sample_rate <= 96000:
                problems.append(f"sample rate {first.sample_rate}")
            if first.samples != second.samples or first.words != second.words:
                problems.append(f"{text!r}: different samples for the same text")
            offsets = [o for o, _ in first.words]
            positions = [s for _, s in first.words]
            if first.words and (
                offsets != sorted(offsets)
                or positions != sorted(positions)
                or offsets[-1] >= len(text)
                or positions[-1] >= first.frames
            ):
                problems.append(f"{text!r}: word offsets out of order or out of range: {first.words}")
        try:
            engine.synthesize("  ")
            problems.append("an empty sentence gave audio")
        except SynthesisError:
            pass
        identity = engine.identity()
        if not isinstance(identity, str) or not identity:
            problems.append("no identity")
        slower = new(rate=int(settings.get("rate") or 175) + 60)
        try:
            if (
                slower.synthesize(SENTENCES[0]).samples != engine.synthesize(SENTENCES[0]).samples
                and slower.identity() == identity
            ):
                problems.append("a setting changes the audio but not the identity (the cache would mix them)")
        finally:
            slower.close()
    finally:
        engine.close()
        engine.close()  # closing twice is harmless
    return problems


def _profile_settings(engine: str) -> dict[str, object]:
    """The settings of the first bundled profile that uses `engine` (a real voice for each)."""
    from audio_edition.voices import available, load_profile

    for name in available():
        profile = load_profile(name)
        if profile.engine == engine:
            return {"voice": profile.voice, "rate": profile.rate, "pitch": profile.pitch, "volume": profile.volume}
    pytest.fail(f"no bundled voice profile uses the registered engine {engine!r}")


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_every_registered_engine_keeps_the_contract(engine: str) -> None:
    assert violations(engine, _profile_settings(engine)) == []


def test_a_fake_engine_keeps_it_and_a_broken_one_is_caught() -> None:
    assert violations(ToneEngine, SETTINGS) == []
    found = violations(ForgetfulEngine, SETTINGS)
    assert any("different samples" in p for p in found)
    assert any("identity" in p for p in found)


def test_a_new_engine_is_one_class_one_line_and_a_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registered as the docs say, the fake engine voices a whole convert; its tones are in the MP3."""
    from audio_edition.inputs import read_source
    from audio_edition.pipeline import Options, convert

    monkeypatch.setitem(ENGINES, "tone", f"{__name__}:ToneEngine")
    config = tmp_path / "config"
    (config / "audio-edition" / "voices").mkdir(parents=True)
    (config / "audio-edition" / "voices" / "tones.toml").write_text(
        'description = "test tones"\nengine = "tone"\nvoice = "none"\nlanguage = "en-US"\nrate = 175\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    episode = convert(
        read_source(str(EXAMPLES / "harbor-bridge.txt")),
        Options(out_dir=tmp_path / "out", voice="tones", publish=False, use_cache=False, quiet=True),
    )
    probe = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_format", "-of", "json", str(episode.mp3)], capture_output=True, check=True
        ).stdout
    )
    assert abs(float(probe["format"]["duration"]) - episode.duration_s) < 0.05
    record = json.loads((episode.folder / "episode.json").read_text(encoding="utf-8"))
    assert record["voice"] == "tones"
    assert episode.words_vtt is not None and episode.words_vtt.exists()  # the fake's word offsets reached the captions
