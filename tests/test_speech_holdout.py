"""The held-out speech table: 150 sentences written blind to the rules (scored 84.0% when first run).

It now guards against regressions; `tests/holdout_report.py` prints its failures in full.
"""

from __future__ import annotations

import pytest

from tests import holdout_report


def test_held_out_cases_pass(capsys: pytest.CaptureFixture[str]) -> None:
    from tests import test_speech_table as table

    cases = table.load_cases(holdout_report.HOLDOUT)
    assert len(cases) >= 150
    verdicts = holdout_report.judge(cases)
    with capsys.disabled():
        print("\n\nheld-out speech table\n" + table.score_table(verdicts))
    passed = sum(v.passed for v in verdicts)
    assert passed / len(verdicts) >= 0.95
