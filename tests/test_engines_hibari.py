"""The hibari engine with its bundled voice "heart": real neural audio, read back with independent tools
(pocketsphinx for what is said, ffmpeg for loudness and timing), and never a download."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import webvtt

from audio_edition.engines import create_engine
from audio_edition.errors import VoiceError
from tests.conftest import EXAMPLES, ROOT, ebur128
from tests.test_pipeline import assert_cues_on_the_speech

pytest.importorskip("hibari", reason="the hibari extra is installed by make")


@pytest.fixture(scope="module")
def heart():
    return create_engine("hibari", voice="heart")


def recognized(samples: bytes, rate: int) -> list[str]:
    """What pocketsphinx (an offline recognizer, independent of every voice here) hears, word by word."""
    from pocketsphinx import Decoder

    x = np.frombuffer(samples, "<i2").astype(np.float64) / 32768
    t = np.arange(0, len(x) / rate, 1 / 16000)
    pcm16k = np.interp(t, np.arange(len(x)) / rate, x)
    decoder = Decoder(samprate=16000)
    decoder.start_utt()
    decoder.process_raw((pcm16k * 32767).astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()
    return decoder.hyp().hypstr.split() if decoder.hyp() else []


def wer(said: list[str], truth: list[str]) -> float:
    """Word error rate: word-level edit distance over the true words."""
    d = list(range(len(said) + 1))
    for i, word in enumerate(truth, 1):
        previous, d[0] = d[0], i
        for j, heard in enumerate(said, 1):
            previous, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, previous + (word != heard))
    return d[len(said)] / max(1, len(truth))


# Written for this test: plain words, no digits or abbreviations, as a recognizer's vocabulary has them.
SENTENCES = [
    "The harbor bridge will close for two years while crews replace the deck.",
    "City officials said the ferry will run every ten minutes during the morning rush.",
    "Residents asked for a safer crossing for bicycles and people on foot.",
    "The council approved the contract on Tuesday night after a long debate.",
]


def test_heart_is_more_intelligible_than_espeak(heart):
    espeak = create_engine("pyttsx3", voice="en-us")
    try:
        scores = {}
        for name, engine in (("heart", heart), ("espeak", espeak)):
            errors = []
            for sentence in SENTENCES:
                audio = engine.synthesize(sentence)
                truth = [w.strip(".,").lower() for w in sentence.split()]
                errors.append(wer(recognized(audio.samples, audio.sample_rate), truth))
            scores[name] = sum(errors) / len(errors)
    finally:
        espeak.close()
    assert scores["heart"] < scores["espeak"], scores
    assert scores["heart"] < 0.5, scores


def test_the_same_text_gives_the_same_samples_and_rate_changes_the_length(heart):
    a = heart.synthesize("One two three four five six.")
    assert a.sample_rate == 24000 and a.samples == heart.synthesize("One two three four five six.").samples
    slow = create_engine("hibari", voice="heart", rate=120).synthesize("One two three four five six.")
    assert slow.frames > a.frames * 1.2
    assert "hibari" in heart.identity() and "rate=175" in heart.identity()


def test_a_long_sentence_without_a_comma_is_said_whole(heart):
    words = ("the quiet harbor town watched the grey ships sail slowly past the old stone lighthouse " * 6).split()
    text = " ".join(words) + "."
    audio = heart.synthesize(text)
    seconds = audio.frames / audio.sample_rate
    # About 2.5 to 4 words a second: nothing was cut (hibari alone would hand the model one 600-phoneme clause).
    assert len(words) / 4.5 < seconds < len(words) / 2.0, seconds
    starts = [sample for _, sample in audio.words]
    assert len(starts) == len(words) and starts == sorted(starts) and starts[-1] < audio.frames


def test_other_hibari_voices_are_never_downloaded(tmp_path):
    # A voice hibari would fetch on first use is a clear error instead: no socket is opened.
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise SystemExit('a network connection was attempted')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from audio_edition.engines import create_engine\n"
        "from audio_edition.errors import VoiceError\n"
        "try:\n    create_engine('hibari', voice='emma')\n"
        "except VoiceError as exc:\n    print(exc)\n"
    )
    env = {**os.environ, "HIBARI_HOME": str(tmp_path / "hibari-home")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "not installed" in result.stdout and "nothing is downloaded" in result.stdout
    assert not (tmp_path / "hibari-home").exists()
    with pytest.raises(VoiceError, match="not found"):
        create_engine("hibari", voice=str(tmp_path / "nope.onnx"))


def test_voices_lists_the_voices_not_installed(tmp_path):
    result = subprocess.run([sys.executable, "-m", "audio_edition", "voices"], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "HIBARI_HOME": str(tmp_path)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    heart = next(line for line in result.stdout.splitlines() if line.startswith("heart "))
    assert " ok " in heart
    missing = [line for line in result.stdout.splitlines() if line.startswith("hibari voice ")]
    assert missing and all("not installed" in line and "set voice to its path" in line for line in missing)


def test_the_lexicons_phonemes_reach_hibari_in_its_alphabet(heart):
    from audio_edition.engines.hibari import _phonemize, from_espeak
    from audio_edition.pipeline import speaker
    from audio_edition.speech.lexicon import load_lexicon
    from audio_edition.voices import load_profile

    assert speaker(load_profile("heart"))("Mayor Nguyen spoke.") == "Mayor [[w'In]] spoke."
    assert speaker(load_profile("heart"), engine_text=False)("Mayor Nguyen spoke.") == "Mayor Win spoke."
    # The entry is said as hibari's own front end says the word it sounds like.
    tts = heart._load()
    (mapped,) = _phonemize(tts, "Mayor [[w'In]] spoke.")
    assert mapped == f"{tts.g2p('Mayor').strip()} {tts.g2p('win').strip()} {tts.g2p('spoke.').strip()}"
    assert heart.synthesize("Mayor [[w'In]] spoke.").frames > 0
    # Every phoneme entry of the bundled lexicon has a counterpart in hibari's alphabet, each symbol in its vocabulary.
    entries = [e for e in load_lexicon(("news",)).entries if e.phonemes]
    assert len(entries) > 20
    for entry in entries:
        mapped = from_espeak(entry.phonemes)
        assert mapped is not None and all(ch in tts.vocab for ch in mapped), (entry.phonemes, mapped)
    assert from_espeak("w'In@") == "wˈɪnə" and from_espeak("qx'In") is None  # "q" is no espeak-ng English phoneme


def test_a_convert_with_heart_opens_no_socket_and_keeps_loudness_and_timing(tmp_path):
    guard = tmp_path / "guard"
    guard.mkdir()
    # Every process of the convert (the workers too) refuses to open a connection to anywhere.
    (guard / "sitecustomize.py").write_text(
        "import socket\n"
        "def _refuse(*a, **k):\n    raise OSError('network access during a convert')\n"
        "socket.socket.connect = _refuse\nsocket.create_connection = _refuse\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(guard), str(ROOT)]), "HIBARI_HOME": str(tmp_path / "hh")}
    result = subprocess.run(
        [sys.executable, "-m", "audio_edition", "convert", str(EXAMPLES / "plain-essay.txt"), "--out",
         str(tmp_path / "out"), "--voice", "heart", "--json", "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "network access" not in result.stderr and not (tmp_path / "hh").exists()
    episode = json.loads(result.stdout)
    mp3 = Path(episode["mp3"])
    integrated, peak = ebur128(mp3)
    assert -20.0 <= integrated <= -18.0 and peak <= -1.0
    assert_cues_on_the_speech(episode)
    assert episode["words_vtt"] and webvtt.read(episode["words_vtt"])
