"""The Piper engine with the bundled joe voice: real neural audio, read back with independent tools."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from audio_edition.engines import create_engine
from audio_edition.errors import VoiceError
from tests.conftest import EXAMPLES, ebur128
from tests.test_pipeline import assert_cues_on_the_speech, run_convert


@pytest.fixture(scope="module")
def joe():
    return create_engine("piper", voice="joe")


def test_joe_renders_a_sentence_a_recognizer_understands(joe):
    from pocketsphinx import Decoder

    audio = joe.synthesize("The harbor bridge will close for two years.")
    assert audio.sample_rate == 22050
    x = np.frombuffer(audio.samples, "<i2").astype(np.float64) / 32768
    assert 1.0 < len(x) / audio.sample_rate < 6.0
    assert np.sqrt((x**2).mean()) > 0.01
    # 22.05 kHz -> 16 kHz for the recognizer, by linear interpolation (enough for this check).
    t = np.arange(0, len(x) / 22050, 1 / 16000)
    pcm16k = np.interp(t, np.arange(len(x)) / 22050, x)
    decoder = Decoder(samprate=16000)
    decoder.start_utt()
    decoder.process_raw((pcm16k * 32767).astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()
    heard = set(decoder.hyp().hypstr.split()) if decoder.hyp() else set()
    assert len(heard & {"harbor", "harbour", "bridge", "close", "two", "years"}) >= 3


def test_rate_changes_the_length(joe):
    slow = create_engine("piper", voice="joe", rate=120).synthesize("One two three four five six.")
    normal = joe.synthesize("One two three four five six.")
    assert slow.frames > normal.frames * 1.2


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(VoiceError, match="not found"):
        create_engine("piper", voice=str(tmp_path / "nope.onnx"))


def test_convert_with_joe_keeps_loudness_and_caption_timing(tmp_path):
    (episode,) = run_convert(str(EXAMPLES / "plain-essay.txt"), "--out", str(tmp_path), "--voice", "joe")
    mp3 = Path(episode["mp3"])
    integrated, peak = ebur128(mp3)
    assert -20.0 <= integrated <= -18.0 and peak <= -1.0
    assert_cues_on_the_speech(episode)
