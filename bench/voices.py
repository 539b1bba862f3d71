"""Benchmark: the voices side by side, so a user can choose.

For each bundled English voice: how intelligible it is (word error rate of an offline recognizer,
pocketsphinx, on the same sentences: plain words, no digits or abbreviations, written for this
bench), how fast it renders (seconds of audio per second of work, one engine in one process) and
its peak memory (RSS of that process). Each voice runs in a process of its own.

    .venv/bin/python bench/voices.py
"""

from __future__ import annotations

import json
import subprocess
import sys

SENTENCES = [
    "The harbor bridge will close for two years while crews replace the deck.",
    "City officials said the ferry will run every ten minutes during the morning rush.",
    "Residents asked for a safer crossing for bicycles and people on foot.",
    "The council approved the contract on Tuesday night after a long debate.",
    "Engineers found rust on more than a third of the support beams last spring.",
    "Most of the new steel will be rolled at a mill outside the city and shipped by barge.",
    "Commuters who drive will face longer trips until the work is finished.",
    "The mayor promised a public report on the spending every month.",
    "Two extra bus lines will cross the river at the old mill road.",
    "Ferry riders welcomed the plan but warned that the docks need more shelter before winter.",
    "A crowd gathered on the pier to watch the last cars cross the old span.",
    "The new lane for bicycles and scooters is the first of its kind in the region.",
]
VOICES = {"default": ("pyttsx3", "en-us"), "joe": ("piper", "joe"), "heart": ("hibari", "heart")}

_ONE = r"""
import json, resource, sys, time
import numpy as np
from pocketsphinx import Decoder
from audio_edition.engines import create_engine
engine_name, voice, sentences = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
engine = create_engine(engine_name, voice=voice)
engine.synthesize("Warm up.")
def heard(audio):
    x = np.frombuffer(audio.samples, "<i2").astype(np.float64) / 32768
    t = np.arange(0, len(x) / audio.sample_rate, 1 / 16000)
    pcm = np.interp(t, np.arange(len(x)) / audio.sample_rate, x)
    d = Decoder(samprate=16000)
    d.start_utt(); d.process_raw((pcm * 32767).astype("<i2").tobytes(), full_utt=True); d.end_utt()
    return d.hyp().hypstr.split() if d.hyp() else []
def wer(said, truth):
    d = list(range(len(said) + 1))
    for i, w in enumerate(truth, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(said, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (w != h))
    return d[len(said)], len(truth)
work = audio_s = 0.0
errors = words = 0
for s in sentences:
    t = time.perf_counter(); audio = engine.synthesize(s); work += time.perf_counter() - t
    audio_s += audio.frames / audio.sample_rate
    e, n = wer(heard(audio), [w.strip(".,").lower() for w in s.split()])
    errors += e; words += n
print(json.dumps({"wer": errors / words, "x_realtime": audio_s / work,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


def main() -> None:
    rows = []
    for name, (engine, voice) in VOICES.items():
        out = subprocess.run([sys.executable, "-c", _ONE, engine, voice, json.dumps(SENTENCES)],
                             capture_output=True, text=True)  # fmt: skip
        if out.returncode != 0:
            rows.append((name, "unusable: " + (out.stderr.strip().splitlines() or ["?"])[-1]))
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append((name, f"WER {r['wer']:.2f}   {r['x_realtime']:5.1f}x real time   peak RSS {r['rss_mb']} MB"))
    print(
        f"voices on {len(SENTENCES)} fixed sentences (pocketsphinx word error rate; lower is clearer), one process each"
    )
    for name, text in rows:
        print(f"  {name:8} {text}")


if __name__ == "__main__":
    main()
