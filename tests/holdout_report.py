"""Score `to_spoken` on the held-out speech cases (tests/fixtures/speech/holdout.tsv), judged by ear.

Not a pytest test (no `test_` prefix): a report for measuring the normaliser on sentences that were
written without looking at it or at cases.tsv. Every case is loaded and judged by the helpers of
tests/test_speech_table.py, so a holdout case passes exactly when it would pass in cases.tsv:
espeak-ng (en-us) gives the same phonemes for `to_spoken(written)` as for one of the accepted forms.

    cd /work/main && .venv/bin/python tests/holdout_report.py [path/to/other.tsv]

Prints the per-category score table, then every failing case with all of its accepted forms.
Exits 0 whatever the score (it reports, it does not gate).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import test_speech_table as table

HOLDOUT = table.ROOT / "tests" / "fixtures" / "speech" / "holdout.tsv"


def language_of(path: Path) -> str:
    """The language a table is in: "de" for tests/fixtures/speech/blind-de/..., English otherwise."""
    folder = path.parent.name
    return folder.removeprefix("blind-") if folder.startswith("blind-") else "en"


def judge(cases: list[table.Case], language: str = "en") -> list[table.Verdict]:
    """The cases as test_speech_table judges its own: through to_spoken in `language`, heard by espeak-ng."""
    return table.judge(cases, language)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else HOLDOUT
    cases = table.load_cases(path)
    language = language_of(path)
    verdicts = judge(cases, language)
    print(f"held-out speech cases: {path.name}, to_spoken as espeak-ng ({table.VOICES[language]}) hears it\n")
    # The score table of test_speech_table (categories, passed, total, %), without its short failure list.
    print(table.score_table(verdicts).split("\nfailing cases")[0])
    failures = [v for v in verdicts if not v.passed]
    print(f"\nfailing cases ({len(failures)}):")
    for v in failures:
        print(f"\n  {v.case.category}:{v.case.line}")
        print(f"    written:  {v.case.written}")
        print(f"    got:      {'(unchanged)' if v.got == v.case.written else v.got}")
        for i, form in enumerate(v.case.accepted):
            print(f"    {'accepted:' if i == 0 else '':<9} {form}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
