"""Benchmark: sentences per second through the speech stage (make bench).

Sentences: every sentence of the bundled examples plus the written column of
the speech test table. The figure is reported beside a reference run over
the same sentences in the same process (tidying whitespace with one regular
expression, the least any text stage does), because this machine is shared
and noisy: compare the ratio between runs, not the raw number.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from audio_edition.inputs.text import parse_article
from audio_edition.speech import to_spoken
from audio_edition.speech.lexicon import load_lexicon
from audio_edition.speech.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent


def corpus() -> list[str]:
    sentences = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        article = parse_article(path.read_text(encoding="utf-8"))
        for block in article.blocks:
            sentences += split_sentences(block.text)
    table = ROOT / "tests" / "fixtures" / "speech" / "cases.tsv"
    for line in table.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            sentences.append(line.split("\t")[1])
    return sentences


def rate(func, sentences: list[str], seconds: float = 2.0) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for s in sentences:
            func(s)
        done += len(sentences)
    return done / (time.perf_counter() - start)


def main() -> None:
    sentences = corpus()
    lexicon = load_lexicon(["news"])
    space = re.compile(r"\s+")
    for s in sentences:  # warm the caches of the first pass
        to_spoken(s, lexicon=lexicon)
    reference = rate(lambda s: space.sub(" ", s).strip(), sentences)
    plain = rate(to_spoken, sentences)
    with_lexicon = rate(lambda s: to_spoken(s, lexicon=lexicon), sentences)
    print(f"speech stage over {len(sentences)} distinct news sentences (repeated for 2 s each)")
    print(f"{'run':32} {'sentences/s':>12} {'vs reference':>13}")
    print(f"{'reference (whitespace tidy)':32} {reference:12,.0f} {1.0:13.4f}")
    print(f"{'to_spoken':32} {plain:12,.0f} {plain / reference:13.4f}")
    print(f"{'to_spoken + news lexicon':32} {with_lexicon:12,.0f} {with_lexicon / reference:13.4f}")
    print(f"target: at least 6,500 sentences/s -> {'met' if with_lexicon >= 6500 else 'NOT met'}")


if __name__ == "__main__":
    main()
