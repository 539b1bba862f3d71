"""End to end: an article in, an MP3 with tags, chapters and captions out, read back with ffprobe,
ffmpeg, mutagen and webvtt-py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import mutagen.id3
import mutagen.mp3
import numpy as np
import pytest
import webvtt

from audio_edition.inputs.text import parse_article
from tests.conftest import EXAMPLES, ROOT, decode, ebur128, ffprobe

SAMPLE = EXAMPLES / "harbor-bridge.txt"
LONGREAD = EXAMPLES / "longread-archive.txt"


def run_convert(*args: str, cwd: Path = ROOT) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "audio_edition", "convert", *args, "--json"],
        cwd=cwd, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stderr == ""
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def auto(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("auto")
    (episode,) = run_convert(str(LONGREAD), "--out", str(out))
    return episode


@pytest.fixture(scope="module")
def sentences_mode(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("sentences")
    (episode,) = run_convert(str(SAMPLE), "--out", str(out), "--chapters", "sentences", "--read-captions")
    return episode


def test_json_fields_and_files(auto):
    assert set(auto) >= {
        "title",
        "author",
        "published",
        "mp3",
        "vtt",
        "srt",
        "chapters_json",
        "transcript",
        "duration_s",
        "sentences",
        "chapters",
        "feed",
    }
    assert Path(auto["feed"]["file"]).is_file() and auto["feed"]["url"].endswith("/feed.xml")
    for key in ("mp3", "vtt", "srt", "chapters_json", "transcript"):
        path = Path(auto[key])
        assert path.is_absolute() and path.is_file() and path.stat().st_size > 0
    assert not [p for p in Path(auto["mp3"]).parent.parent.iterdir() if p.name.startswith(".staging-")]


def test_mp3_format_exact_length_and_xing_header(auto):
    stream = ffprobe(Path(auto["mp3"]), "-show_streams")["streams"][0]
    assert stream["codec_name"] == "mp3"
    assert int(stream["sample_rate"]) == 44100 and stream["channels"] == 1
    assert int(stream["bit_rate"]) >= 64000
    info = mutagen.mp3.MP3(auto["mp3"]).info
    assert info.bitrate_mode == mutagen.mp3.BitrateMode.CBR
    # Every frame is a 64 kbps frame; joined segments each restart LAME's 208/209-byte padding
    # pattern, so the average mutagen derives from the byte count is a hair under 64,000.
    assert 63_900 <= info.bitrate <= 64_100
    assert not info.sketchy
    assert info.encoder_info.startswith("LAME")  # the Info/LAME frame is there
    samples = len(decode(Path(auto["mp3"])))
    assert abs(info.length - samples / 44100) < 1 / 44100 + 1e-9
    assert abs(auto["duration_s"] - samples / 44100) < 0.001


def test_loudness_and_true_peak_on_the_final_mp3(auto, sentences_mode):
    for episode in (auto, sentences_mode):
        integrated, peak = ebur128(Path(episode["mp3"]))
        assert -20.0 <= integrated <= -18.0  # -16 LUFS as heard on two speakers
        assert peak <= -1.0


def secs(timestamp: str) -> float:
    """WebVTT timestamp to seconds (webvtt-py's *_in_seconds are whole seconds)."""
    h, m, rest = timestamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(rest)


def _speech_edges(x: np.ndarray, start: float, end: float, rate: int = 44100) -> tuple[float, float]:
    """First and last audible 5 ms frame between `start` and `end` seconds."""
    frame = rate // 200
    a, b = int(start * rate), int(end * rate)
    seg = x[a:b]
    n = len(seg) // frame
    rms = np.sqrt((seg[: n * frame].reshape(n, frame) ** 2).mean(axis=1))
    loud = np.flatnonzero(20 * np.log10(rms + 1e-12) > -50)
    assert len(loud), "no speech where a cue is"
    return start + loud[0] * frame / rate, start + (loud[-1] + 1) * frame / rate


def assert_cues_on_the_speech(episode: dict) -> None:
    """Each caption cue of a convert's --json episode starts and ends within 50 ms of its speech."""
    audio = decode(Path(episode["mp3"]))
    cues = list(webvtt.read(episode["vtt"]))
    assert len(cues) == episode["sentences"]
    for i, cue in enumerate(cues):
        # Search from half-way through the pause before to half-way through the pause after.
        before = secs(cues[i - 1].end) if i else 0.0
        after = secs(cues[i + 1].start) if i + 1 < len(cues) else len(audio) / 44100
        lo = (before + secs(cue.start)) / 2 if i else 0.0
        hi = (secs(cue.end) + after) / 2
        onset, offset = _speech_edges(audio, lo, hi)
        assert abs(onset - secs(cue.start)) <= 0.05, (cue.text, onset)
        assert abs(offset - secs(cue.end)) <= 0.05, (cue.text, offset)


@pytest.mark.parametrize("mode", ["auto", "sentences_mode"])
def test_every_cue_is_within_50_ms_of_its_speech(mode, request):
    assert_cues_on_the_speech(request.getfixturevalue(mode))


def test_captions_keep_the_text_as_written_and_lines_fit(sentences_mode):
    cues = list(webvtt.read(sentences_mode["vtt"]))
    texts = [" ".join(c.text.split()) for c in cues]
    assert any("$1.5 billion" in t for t in texts)
    assert texts[0] == sentences_mode["title"]
    assert texts[1] == f"By {sentences_mode['author']}."
    assert texts[2].startswith("Published Thursday, June 18, 2026")
    for cue in cues:
        assert all(len(line) <= 65 for line in cue.text.splitlines())
    srt = Path(sentences_mode["srt"]).read_text(encoding="utf-8")
    assert srt.count(" --> ") == len(cues)


def test_auto_chapters_follow_the_article_in_time_order(auto):
    article = parse_article(LONGREAD.read_text(encoding="utf-8"))
    expected = [article.title] + [b.text for b in article.blocks if b.kind in ("heading", "caption")]
    probed = ffprobe(Path(auto["mp3"]), "-show_chapters")["chapters"]
    titles = [c["tags"]["title"] for c in probed]
    starts = [float(c["start_time"]) for c in probed]
    assert starts == sorted(starts) and starts[0] == 0.0
    # Every heading and caption is a chapter (marks that meet at one sentence share one, joined by " / ").
    flat = [part for t in titles for part in t.split(" / ")]
    assert flat == expected
    assert titles == [c["title"] for c in auto["chapters"]]
    for c, j in zip(probed, auto["chapters"], strict=True):
        assert abs(float(c["start_time"]) - j["start_s"]) <= 0.001
        assert abs(float(c["end_time"]) - j["end_s"]) <= 0.001
    # A chapter after the opening starts with a sentence: a cue starts there.
    cue_starts = [secs(c.start) for c in webvtt.read(auto["vtt"])]
    for start in starts[1:]:
        assert min(abs(start - s) for s in cue_starts) <= 0.001
    data = json.loads(Path(auto["chapters_json"]).read_text(encoding="utf-8"))
    assert data["version"] == "1.2.0"
    assert [c["title"] for c in data["chapters"]] == titles


def test_sentence_chapters_show_the_running_text(sentences_mode):
    probed = ffprobe(Path(sentences_mode["mp3"]), "-show_chapters")["chapters"]
    cues = list(webvtt.read(sentences_mode["vtt"]))
    assert len(probed) == len(cues) == sentences_mode["sentences"]
    for chapter, cue in zip(probed[1:], cues[1:], strict=True):
        assert chapter["tags"]["title"] == " ".join(cue.text.split())
        assert abs(float(chapter["start_time"]) - secs(cue.start)) <= 0.001


def test_captions_are_read_only_when_asked(auto, sentences_mode):
    article = parse_article(LONGREAD.read_text(encoding="utf-8"))
    caption = next(b.text for b in article.blocks if b.kind == "caption")
    spoken = " ".join(" ".join(c.text.split()) for c in webvtt.read(auto["vtt"]))
    assert caption.split(".")[0] not in spoken
    sample = parse_article(SAMPLE.read_text(encoding="utf-8"))
    caption = next(b.text for b in sample.blocks if b.kind == "caption")
    spoken = " ".join(" ".join(c.text.split()) for c in webvtt.read(sentences_mode["vtt"]))
    assert caption.split(".")[0] in spoken


def test_id3_tags(auto):
    tags = mutagen.id3.ID3(auto["mp3"], translate=False)  # as written: v2.3 frames
    assert tags.version == (2, 3, 0)
    assert str(tags["TIT2"]) == auto["title"]
    assert str(tags["TPE1"]) == auto["author"]
    assert str(tags["TALB"])
    assert str(tags["TYER"]) == auto["published"][:4]
    assert str(tags["TLAN"]) == "eng"
    assert tags.getall("COMM")[0].text[0]
    assert tags.getall("USLT")[0].text == Path(auto["transcript"]).read_text(encoding="utf-8")
    apic = tags.getall("APIC")[0]
    assert apic.mime == "image/jpeg" and apic.data[:2] == b"\xff\xd8"
    assert apic.data == (Path(auto["mp3"]).parent / "cover.jpg").read_bytes()
    (toc,) = tags.getall("CTOC")
    assert len(toc.child_element_ids) == len(auto["chapters"])


def test_cover_is_square_and_large_enough(auto):
    from PIL import Image

    with Image.open(Path(auto["mp3"]).parent / "cover.jpg") as image:
        assert image.size[0] == image.size[1] and 1400 <= image.size[0] <= 3000
        assert image.mode == "RGB"


def test_every_sample_converts_and_reconverting_replaces_the_episode(tmp_path):
    episodes = run_convert(*[str(p) for p in sorted(EXAMPLES.glob("*.txt"))], "--out", str(tmp_path))
    assert len(episodes) == len(list(EXAMPLES.glob("*.txt")))
    for episode in episodes:
        assert episode["duration_s"] > 20 and episode["sentences"] > 5
    again = run_convert(str(SAMPLE), "--out", str(tmp_path))
    before = Path(next(e for e in episodes if "harbor" in e["mp3"])["mp3"])
    # The new version is a folder of its own (slug-2), its files named as before; the old folder is gone.
    assert Path(again[0]["mp3"]) == before.parent.with_name(before.parent.name + "-2") / before.name
    assert again[0]["feed"]["guid"] == next(e for e in episodes if "harbor" in e["mp3"])["feed"]["guid"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == sorted(
        Path(e["mp3"]).parent.name for e in [*[e for e in episodes if "harbor" not in e["mp3"]], *again]
    )


def test_standard_input(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "audio_edition", "convert", "-", "--out", str(tmp_path), "--json"],
        input=text, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    episode = json.loads(result.stdout)
    assert Path(episode["mp3"]).is_file()


def test_more_than_255_sentence_chapters_make_a_valid_nested_table_of_contents(tmp_path):
    words = ["river", "harbor", "council", "ferry", "bridge", "market", "school", "station"]
    paragraphs = [
        " ".join(f"The {words[(p + s) % 8]} report number {p * 10 + s} was read aloud." for s in range(10))
        for p in range(27)
    ]
    article = tmp_path / "long.txt"
    article.write_text("A very long briefing\n\nBy Sam Lee\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (episode,) = run_convert(str(article), "--out", str(tmp_path / "out"), "--chapters", "sentences")
    assert episode["sentences"] == 272 and len(episode["chapters"]) == 272
    probed = ffprobe(Path(episode["mp3"]), "-show_chapters")["chapters"]
    assert len(probed) == 272
    starts = [float(c["start_time"]) for c in probed]
    assert starts == sorted(starts)
    tags = mutagen.id3.ID3(episode["mp3"])
    tocs = {t.element_id: t for t in tags.getall("CTOC")}
    top = [t for t in tocs.values() if t.flags & mutagen.id3.CTOCFlags.TOP_LEVEL]
    assert len(top) == 1
    leaves = [cid for child in top[0].child_element_ids for cid in tocs[child].child_element_ids]
    chap_order = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert leaves == [c.element_id for c in chap_order]
    assert all(len(t.child_element_ids) <= 255 for t in tocs.values())


def test_the_headline_is_intelligible_to_an_offline_recognizer(sentences_mode):
    """pocketsphinx hears the headline in the MP3; the same audio reversed (same spectrum, no words) fails."""
    from pocketsphinx import Decoder

    cue = next(iter(webvtt.read(sentences_mode["vtt"])))
    audio = decode(Path(sentences_mode["mp3"]), rate=16000)[: int((secs(cue.end) + 0.3) * 16000)]

    def heard(x: np.ndarray) -> set[str]:
        decoder = Decoder(samprate=16000)
        decoder.start_utt()
        decoder.process_raw((x * 32767).astype("<i2").tobytes(), full_utt=True)
        decoder.end_utt()
        return set(decoder.hyp().hypstr.split()) if decoder.hyp() else set()

    title = {"harbor", "harbour", "bridge", "close", "closed", "two", "years", "billion", "repair", "begins"}
    assert len(heard(audio) & title) >= 4
    assert len(heard(audio[::-1].copy()) & title) <= 1


def test_word_level_webvtt(auto):
    """A timestamp before each word, inside its cue and rising; the same text and cues as the plain VTT."""
    assert auto["words_vtt"] and Path(auto["words_vtt"]).name.endswith(".words.vtt")
    plain = webvtt.read(auto["vtt"])
    timed = webvtt.read(auto["words_vtt"])
    assert [(c.start, c.end) for c in timed] == [(c.start, c.end) for c in plain]
    stamp = re.compile(r"<(\d\d):(\d\d):(\d\d)\.(\d{3})>")
    stamped = 0
    for plain_cue, cue in zip(plain, timed, strict=True):
        raw = cue.raw_text
        assert stamp.sub("", raw) == plain_cue.raw_text
        times = [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in stamp.findall(raw)]
        start, end = secs(cue.start), secs(cue.end)
        assert all(start < t < end for t in times)
        assert times == sorted(set(times))
        stamped += len(times)
    words = sum(len(c.text.split()) for c in plain)
    assert stamped >= 0.8 * words


def test_an_unchanged_rerun_reuses_the_reading_and_a_lexicon_edit_does_not(tmp_path):
    """The reading script is cached too: an edited lexicon must still change what is said."""
    voices, lexicons = tmp_path / "voices", tmp_path / "lexicons"
    voices.mkdir()
    lexicons.mkdir()
    (voices / "mine.toml").write_text('engine = "pyttsx3"\nvoice = "en-us"\nlanguage = "en-US"\nlexicons = ["mine"]\n')
    (lexicons / "mine.tsv").write_text("Bayport\tbay port\n", encoding="utf-8")
    env = {**os.environ, "AUDIO_EDITION_VOICES": str(voices), "AUDIO_EDITION_LEXICONS": str(lexicons),
           "AUDIO_EDITION_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip

    def run() -> tuple[dict, dict]:
        result = subprocess.run([sys.executable, "-m", "audio_edition", "convert", str(SAMPLE), "--out",
                                 str(tmp_path / "out"), "--voice", "mine", "--json", "--quiet"],
                                cwd=ROOT, env=env, capture_output=True, text=True, check=True)  # fmt: skip
        episode = json.loads(result.stdout)
        return episode, json.loads((Path(episode["mp3"]).parent / "episode.json").read_text(encoding="utf-8"))

    first, first_record = run()
    again, again_record = run()
    assert again["sentences_cached"] == again["sentences"] == first["sentences"]
    assert again_record["spoken_sha256"] == first_record["spoken_sha256"]
    (lexicons / "mine.tsv").write_text("Bayport\tbeeport\n", encoding="utf-8")
    edited, edited_record = run()
    assert edited_record["spoken_sha256"] != first_record["spoken_sha256"]
    assert 0 < edited["sentences"] - edited["sentences_cached"] < edited["sentences"]
