"""Score the sentence splitter on tests/fixtures/sentences/blind.tsv (passages written blind to it).

A passage passes when `split_sentences` gives exactly the expected sentences. Not a pytest test: a
report (tests/test_speech_sentences.py guards its score).

    .venv/bin/python tests/sentences_report.py [path/to/other.tsv]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "fixtures" / "sentences" / "blind.tsv"


def load(path: Path = BLIND) -> list[tuple[str, str, list[str]]]:
    """(category, text, expected sentences) for each row."""
    rows = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith(("#", "category\t")):
            continue
        category, text, expected = raw.split("\t")
        rows.append((category, text, [s.strip() for s in expected.split(" ||| ")]))
    return rows


def language_of(path: Path) -> str:
    """The language a table is in: its folder's name for tests/fixtures/sentences/<language>/, else English."""
    return path.parent.name if path.parent != BLIND.parent else "en"


def score(
    rows: list[tuple[str, str, list[str]]], language: str = "en"
) -> tuple[Counter[str], Counter[str], list[tuple[str, str, list[str], list[str]]]]:
    from audio_edition.speech.sentences import split_sentences

    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    failures = []
    for category, text, expected in rows:
        got = [s.strip() for s in split_sentences(text, language)]
        total[category] += 1
        if got == expected:
            passed[category] += 1
        else:
            failures.append((category, text, expected, got))
    return passed, total, failures


def table(passed: Counter[str], total: Counter[str]) -> str:
    lines = [f"{'category':<14}  passed  total       %"]
    for category in [*sorted(total), "overall"]:
        p = sum(passed.values()) if category == "overall" else passed[category]
        t = sum(total.values()) if category == "overall" else total[category]
        lines.append(f"{category:<14}  {p:>6}  {t:>5}  {100 * p / t:>6.1f}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    path = Path(argv[0]).resolve() if argv else BLIND
    passed, total, failures = score(load(path), language_of(path))
    print(table(passed, total))
    for category, text, expected, got in failures:
        print(f"\n  {category}: {text}\n    expected: {expected}\n    got:      {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
