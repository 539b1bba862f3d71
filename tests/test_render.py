"""Rendering: parallel workers, the sentence cache in a real convert, failing workers, progress."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from audio_edition.cache import _HEADER
from audio_edition.engines import ENGINES, Engine
from audio_edition.errors import SynthesisError
from audio_edition.model import Audio
from audio_edition.render import Progress, local_executor, render
from audio_edition.voices import VoiceProfile, load_profile
from tests.conftest import EXAMPLES, ROOT

SAMPLE = EXAMPLES / "plain-essay.txt"


class CrashingEngine(Engine):
    """Dies (the whole worker process) on a sentence that says CRASH."""

    name = "crashing"

    def __init__(self, **_settings: object) -> None:
        pass

    def synthesize(self, text: str) -> Audio:
        if "CRASH" in text:
            os._exit(3)
        return Audio(b"\x00\x10" * 2000, 22050)


def test_parallel_and_serial_rendering_give_the_same_clips():
    profile = load_profile("default")
    items = [("One sentence here.", 0), ("And a second, longer one with a pause.", 20000), ("Third.", 9000)]
    with local_executor(1) as one, local_executor(2) as two:
        serial = list(render(items, profile, one))
        parallel = list(render(items, profile, two))
    assert serial == parallel and all(seg.samples > 0 and seg.mp3 and seg.words for seg in serial)


def test_a_crashing_worker_fails_the_render_naming_the_sentence(monkeypatch):
    monkeypatch.setitem(ENGINES, "crashing", "tests.test_render:CrashingEngine")
    profile = VoiceProfile(name="t", engine="crashing", voice="x")
    with local_executor(2) as pool, pytest.raises(SynthesisError, match=r"died on the sentence 'Then CRASH here\.'"):
        list(render([("Fine.", 0), ("Then CRASH here.", 0), ("Never.", 0)], profile, pool))


def test_progress_is_shown_only_on_a_terminal():
    stream = io.StringIO()
    progress = Progress(3, stream=stream, enabled=True)
    for _ in range(3):
        progress.step()
    progress.close()
    assert "rendering 3/3 sentences" in stream.getvalue() and "left" in stream.getvalue()
    quiet = io.StringIO()
    Progress(3, stream=quiet).step()  # a StringIO is not a terminal
    assert quiet.getvalue() == ""


def _convert(path: Path, out: Path, cache: Path, *extra: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "audio_edition", "convert", str(path), "--out", str(out), "--cache-dir", str(cache),
         "--json", *extra],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    return json.loads(result.stdout)


def test_rerun_renders_nothing_and_an_edit_renders_one_sentence(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = _convert(SAMPLE, out, cache)
    mp3 = Path(first["mp3"]).read_bytes()
    assert first["sentences_cached"] == 0
    again = _convert(SAMPLE, out, cache)
    assert again["sentences_cached"] == again["sentences"]
    assert Path(again["mp3"]).read_bytes() == mp3  # same audio, same tags, same bytes
    edited = tmp_path / "edited.txt"
    text = SAMPLE.read_text(encoding="utf-8")
    edited.write_text(text.replace(" the ", " the very ", 1), encoding="utf-8")  # one word in one sentence
    changed = _convert(edited, out, cache)
    assert changed["sentences_cached"] == changed["sentences"] - 1


def _is_json(payload: bytes) -> bool:
    try:
        json.loads(payload)
    except ValueError:
        return False
    return True


def test_a_corrupt_cache_entry_is_rendered_again(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = _convert(SAMPLE, out, cache)
    mp3 = Path(first["mp3"]).read_bytes()
    # Two rendered sentences (not the article, nor its reading script: those entries are JSON).
    entries = sorted(p for p in cache.glob("??/*") if not _is_json(p.read_bytes()[_HEADER.size :]))
    entries[0].write_bytes(entries[0].read_bytes()[:-500])  # truncated
    entries[1].write_bytes(b"garbage")
    again = _convert(SAMPLE, out, cache)
    assert again["sentences_cached"] == again["sentences"] - 2
    assert Path(again["mp3"]).read_bytes() == mp3


def test_no_cache_and_cache_commands(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "out"
    _convert(SAMPLE, out, cache, "--no-cache")
    assert not cache.exists()
    episode = _convert(SAMPLE, out, cache)
    info = subprocess.run([sys.executable, "-m", "audio_edition", "cache", "info", "--cache-dir", str(cache)],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert f"entries: {episode['sentences'] + 2}" in info  # each sentence, the article as read, its reading script
    cleared = subprocess.run([sys.executable, "-m", "audio_edition", "cache", "clear", "--cache-dir", str(cache)],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert f"removed {episode['sentences'] + 2} entries" in cleared
    assert not list(cache.glob("??/*"))


def test_voices_command_lists_usable_profiles():
    result = subprocess.run([sys.executable, "-m", "audio_edition", "voices"], cwd=ROOT, capture_output=True,
                            text=True, check=True)  # fmt: skip
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert {"default", "en-gb"} <= set(lines)
    assert " ok " in lines["default"]


def test_voices_command_says_why_a_profile_is_unusable(tmp_path):
    (tmp_path / "broken.toml").write_text('engine = "pyttsx3"\nvoice = "no-such-voice"\n')
    env = dict(os.environ, AUDIO_EDITION_VOICES=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "audio_edition", "voices"], cwd=ROOT, capture_output=True,
                            text=True, check=True, env=env)  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("broken"))
    assert "unusable" in line and "no-such-voice" in line


def test_a_dask_cluster_renders_the_same_episode_into_the_local_cache(tmp_path):
    from distributed import LocalCluster

    local = _convert(SAMPLE, tmp_path / "local", tmp_path / "cache-local")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:  # fmt: skip
        address = cluster.scheduler_address.removeprefix("tcp://")
        remote = _convert(SAMPLE, tmp_path / "dask", tmp_path / "cache-dask", "--executor", f"dask://{address}")
    assert remote["sentences_cached"] == 0
    assert Path(remote["mp3"]).read_bytes() == Path(local["mp3"]).read_bytes()
    assert (
        len(list((tmp_path / "cache-dask").glob("??/*"))) == remote["sentences"] + 2
    )  # + the article, its reading script


def test_an_unreachable_or_unknown_executor_is_one_clear_line(tmp_path):
    for spec, words in (("dask://127.0.0.1:9", "cannot reach the Dask scheduler"), ("ray://x", "unknown executor")):
        result = subprocess.run(
            [sys.executable, "-m", "audio_edition", "convert", str(SAMPLE), "--out", str(tmp_path), "--executor", spec],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 1 and words in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_the_library_call_without_an_executor_finishes(tmp_path):
    """convert() as a library call makes its own pool before the encoder starts (no inherited pipe, no hang)."""
    from audio_edition.inputs import read_source
    from audio_edition.pipeline import Options, convert

    episode = convert(read_source(str(SAMPLE)), Options(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache"))
    assert episode.mp3.is_file() and episode.duration_s > 20


def test_a_killed_convert_resumes_from_the_cache(tmp_path):
    import signal
    import time

    cache, out = tmp_path / "cache", tmp_path / "out"
    article = EXAMPLES / "longread-archive.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "audio_edition", "convert", str(article), "--out", str(out), "--cache-dir", str(cache)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(cache.glob("??/*"))) < 5:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(cache.glob("??/*")))
    assert done >= 5
    assert not [p for p in out.glob("*") if not p.name.startswith(".")]  # no episode from the killed run
    episode = _convert(article, out, cache)
    # One entry is the reading script; at most one more was mid-write when killed.
    assert episode["sentences_cached"] >= done - 2
    assert episode["sentences_cached"] < episode["sentences"]
