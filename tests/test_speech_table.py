"""The speech stage judged by ear: tests/fixtures/speech/cases.tsv through `to_spoken`, heard by espeak-ng.

Each case is a written news sentence and one or more accepted spoken forms. A case passes when
espeak-ng (`-q -x -v en-us`) gives the same phonemes for `to_spoken(written)` as for one of the
accepted forms. Spelling, case and punctuation do not matter unless the voice would say something
different: "U.K." and "U K" pass for each other, "A M" (read as "uh em") does not pass for "AM".

How phonemes are compared (see `normalise`):

- stress marks `'` and `,` are dropped: espeak-ng moves them with the clause around a word
  ("over" is `'oUv3` at the end of a clause and `,oUv3` inside one);
- pause markers `_:`, `_!` and `_` are dropped: espeak-ng puts them at commas, brackets and
  hyphens ("F-35" is `'Ef _ T'3:t#i f'aIv`), and a pause is not a word;
- the linking mark `;` is dropped: espeak-ng puts it after a vowel before another vowel in the same
  clause only, so a comma makes it come and go ("D C on" has `d'i: s'i:; ,O2n`, "D C, on" has
  `s'i:` then `,O2n`);
- the linking r `r-` becomes `r`: it is the same r espeak-ng writes inside a word ("I R S" is
  `aI; 'A@r- 'Es`, "IRS" is `,aI;,A@r'Es`, "I-R-S" is `aI;'A@r'Es`). Like `;` it only links words
  within a clause ("over a decade" has `,oUv3r- a#`, "over, a decade" has no r), but no accepted
  form in the table changes when its punctuation is taken out;
- all whitespace is dropped, line breaks included: espeak-ng prints one line per clause, and it
  joins some words it hears as one ("twenty-five" is `tw'Entif'aIv`, "twenty five" is
  `tw'Enti f'aIv`; "UK" is `j,u:k'eI`, "U K" is `j'u: k'eI`).

Nothing else is dropped (`||` never shows up in espeak-ng 1.51's -x output, so there is no rule for
it): reduced vowels (`a#`, `I2`) and syllable marks (`'av@-rI2dZ`) stay, so a different word or a
different reading of a word still fails. Spellings that espeak-ng says differently ("kilometers"
`kIl'0mI2t#3z`, "kilometres" `k'Il@m,i:t#3z`) are listed as separate accepted forms in the table.

Speed: every text (outputs and accepted forms) goes to espeak-ng in a few batches, one process per
CPU (`--stdin -b 1`, UTF-8), one text per line with `-l 100000` so every line ends a clause, and a
made-up separator word on its own line between texts, whose phoneme line splits the output back.
A batch that does not split back into one part per text is heard again one process per text.
Phonemes are cached for the run.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from audio_edition.speech import to_spoken

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fixtures" / "speech" / "cases.tsv"

CATEGORIES = (
    "money", "numbers", "years_dates", "times", "ranges", "units", "titles_abbreviations",
    "acronyms", "roman", "symbols", "do_no_harm", "unseen",
)  # fmt: skip
MIN_CASES = 300
MIN_PER_CATEGORY = 15
MIN_PASS_RATE = 0.98

VOICE = "en-us"
# A made-up word on its own line between texts; its phoneme line marks where one text's output ends.
SEPARATOR = "zyxwvq"
# -l: lines shorter than this end a clause, so one text never runs on into the separator.
LINE_CLAUSE = "100000"
ESPEAK = ("espeak-ng", "-q", "-x", "-b", "1", "-v", VOICE, "-l", LINE_CLAUSE, "--stdin")
VOICES = {"en": VOICE, "de": "de", "fr": "fr", "es": "es"}
"""The espeak-ng voice that judges a table of each language."""

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


@dataclass(frozen=True)
class Case:
    """One row of cases.tsv."""

    line: int
    category: str
    written: str
    accepted: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """What `to_spoken` made of one case, and whether espeak-ng hears it as an accepted form."""

    case: Case
    got: str
    passed: bool


def load_cases(path: Path = CASES) -> list[Case]:
    """Rows of `category<TAB>written<TAB>accepted || accepted ...`; `#` lines and the header are skipped."""
    cases = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("category\t"):
            continue
        fields = raw.split("\t")
        assert len(fields) == 3, f"cases.tsv line {number}: expected 3 tab-separated fields, got {len(fields)}"
        category, written, accepted = fields
        forms = tuple(form.strip() for form in accepted.split(" || "))
        assert all(forms), f"cases.tsv line {number}: an empty accepted form"
        cases.append(Case(number, category.strip(), written, forms))
    return cases


# --- hearing text as espeak-ng does -------------------------------------------------------------

_IGNORED = re.compile(r"[',;]|_[:!]?|\s+")


def normalise(phonemes: str) -> str:
    """espeak-ng's -x output without stress, pauses, linking marks or word boundaries (see the module docstring)."""
    return _IGNORED.sub("", phonemes.replace("r-", "r"))


def _espeak(text: str, voice: str = VOICE) -> str:
    command = [*ESPEAK[:6], voice, *ESPEAK[7:]]
    out = subprocess.run(command, input=text, capture_output=True, encoding="utf-8", errors="replace", check=True)
    return out.stdout


def _one_line(text: str) -> str:
    # A line break inside a text would only add a clause break; keep one text to one input line.
    return " ".join(text.split())


def _hear_batch(texts: Sequence[str], voice: str = VOICE) -> list[str] | None:
    """Phonemes for `texts` from one espeak-ng process, or None if the output does not split back."""
    if any(SEPARATOR in text.lower() for text in texts):
        return None
    marker = _separator_line(voice)
    lines = _espeak("".join(f"{_one_line(text)}\n{SEPARATOR}\n" for text in texts), voice).splitlines()
    parts: list[list[str]] = [[]]
    for line in lines:
        if line.strip() == marker:
            parts.append([])
        else:
            parts[-1].append(line)
    if parts[-1] and any(line.strip() for line in parts[-1]):
        return None
    parts.pop()
    if len(parts) != len(texts):
        return None
    return [normalise(" ".join(part)) for part in parts]


@functools.cache
def _separator_line(voice: str = VOICE) -> str:
    return _espeak(SEPARATOR + "\n", voice).strip()


_HEARD: dict[tuple[str, str], str] = {}


def hear(texts: Iterable[str], voice: str = VOICE) -> dict[str, str]:
    """Normalised phonemes for each text in `voice`, cached for the run; new texts go to espeak-ng in batches."""
    texts = list(texts)
    todo = sorted({text for text in texts if (voice, text) not in _HEARD})
    if todo:
        workers = max(1, min(os.cpu_count() or 1, 8))
        size = -(-len(todo) // workers)
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        with ThreadPoolExecutor(workers) as pool:
            for chunk, heard in zip(chunks, pool.map(lambda chunk: _hear_batch(chunk, voice), chunks)):
                if heard is None:
                    heard = list(pool.map(lambda text: normalise(_espeak(_one_line(text) + "\n", voice)), chunk))
                _HEARD.update(((voice, text), h) for text, h in zip(chunk, heard))
    return {text: _HEARD[voice, text] for text in texts}


# --- the table ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_cases()


def _spoken(written: str, language: str = "en") -> str:
    try:
        return to_spoken(written, language=language)
    except Exception as error:  # noqa: BLE001 - a crash is a failed case, not a lost table
        return f"<{type(error).__name__}: {error}>"


def judge(cases: list[Case], language: str = "en") -> list[Verdict]:
    """Each case through `to_spoken` in `language`, heard by that language's espeak-ng voice."""
    voice = VOICES[language]
    got = [_spoken(case.written, language) for case in cases]
    heard = hear([*got, *(form for case in cases for form in case.accepted)], voice)
    return [
        Verdict(case, out, out in case.accepted or heard[out] in {heard[form] for form in case.accepted})
        for case, out in zip(cases, got)
    ]


@pytest.fixture(scope="module")
def verdicts(cases: list[Case]) -> list[Verdict]:
    return judge(cases)


def score_table(verdicts: Sequence[Verdict]) -> str:
    """Per-category passed/total/percent, then the failing cases two lines each."""
    total = Counter(v.case.category for v in verdicts)
    passed = Counter(v.case.category for v in verdicts if v.passed)
    order = [c for c in CATEGORIES if c in total] + sorted(set(total) - set(CATEGORIES))
    width = max(len(c) for c in [*order, "overall"])
    rows = [f"{'category':<{width}}  passed  total       %"]
    for category in [*order, "overall"]:
        p = sum(passed.values()) if category == "overall" else passed[category]
        t = sum(total.values()) if category == "overall" else total[category]
        rows.append(f"{category:<{width}}  {p:>6}  {t:>5}  {100 * p / t:>6.1f}")
    failures = [v for v in verdicts if not v.passed]
    if failures:
        rows.append(f"\nfailing cases ({len(failures)}): written / -> got / = first accepted form")
        for v in failures:
            got = "(unchanged)" if v.got == v.case.written else v.got
            more = f"  [+{len(v.case.accepted) - 1} more]" if len(v.case.accepted) > 1 else ""
            rows.append(f"  {v.case.category}:{v.case.line}  {v.case.written}")
            rows.append(f"      -> {got}\n       = {v.case.accepted[0]}{more}")
    return "\n".join(rows)


def test_table_has_enough_cases_in_every_category(cases: list[Case]) -> None:
    counts = Counter(case.category for case in cases)
    assert len(cases) >= MIN_CASES
    assert set(counts) <= set(CATEGORIES), f"unknown categories: {set(counts) - set(CATEGORIES)}"
    thin = {c: counts[c] for c in CATEGORIES if counts[c] < MIN_PER_CATEGORY}
    assert not thin, f"categories with fewer than {MIN_PER_CATEGORY} cases: {thin}"


def test_every_written_sentence_appears_once(cases: list[Case]) -> None:
    repeated = [text for text, n in Counter(case.written for case in cases).items() if n > 1]
    assert not repeated


_NOT_SPOKEN = re.compile(r"[0-9$€£¥¢%&#@/+°×±§~*<>=\\|_\[\]{}]")


def test_accepted_forms_are_plain_words(cases: list[Case]) -> None:
    """Accepted forms say everything in words: no digits or symbols for espeak-ng to expand itself."""
    bad = [(case.line, form) for case in cases for form in case.accepted if _NOT_SPOKEN.search(form)]
    assert not bad


def test_judge_hears_spelling_differences_that_sound_alike() -> None:
    heard = hear(["twenty-five", "twenty five", "U.K.", "U K", "UK", "nine thirty a.m.", "nine thirty AM",
                  "The I R S said", "The IRS said", "The I-R-S said"])  # fmt: skip
    assert heard["twenty-five"] == heard["twenty five"]
    assert heard["U.K."] == heard["U K"] == heard["UK"]
    assert heard["The I R S said"] == heard["The IRS said"] == heard["The I-R-S said"]
    assert heard["nine thirty a.m."] == heard["nine thirty AM"]


def test_judge_ignores_punctuation_the_voice_only_pauses_at() -> None:
    pairs = [
        ("It was worth two point three trillion dollars.", "It was worth two point three trillion dollars"),
        ("Washington, D C, on Saturday", "Washington D C on Saturday"),
        ("The plan — approved on Monday — takes effect.", "The plan, approved on Monday, takes effect"),
    ]
    heard = hear(text for pair in pairs for text in pair)
    for one, other in pairs:
        assert heard[one] == heard[other], (one, other)


def test_judge_tells_different_readings_apart() -> None:
    heard = hear(["two thousand nineteen", "twenty nineteen", "nine thirty A M", "nine thirty AM", "Drive Smith",
                  "Doctor Smith"])  # fmt: skip
    assert heard["two thousand nineteen"] != heard["twenty nineteen"]
    assert heard["nine thirty A M"] != heard["nine thirty AM"]  # a lone capital A is the article "uh"
    assert heard["Drive Smith"] != heard["Doctor Smith"]


def test_batched_hearing_matches_one_process_per_text() -> None:
    texts = ["The deal is worth two point three trillion dollars.", "", "...", "over a", "the score was ten-",
             "“quoted” — it’s fine…", "Henry the Eighth had six wives"]  # fmt: skip
    batched = _hear_batch(texts)
    assert batched is not None
    assert batched == [normalise(_espeak(text + "\n")) for text in texts]


def test_speech_table_pass_rate(verdicts: list[Verdict], capsys: pytest.CaptureFixture[str]) -> None:
    passed = sum(v.passed for v in verdicts)
    with capsys.disabled():
        print(f"\n\nspeech table: to_spoken as espeak-ng ({VOICE}) hears it\n{score_table(verdicts)}\n")
    if passed / len(verdicts) < MIN_PASS_RATE:
        # The table above says which cases fail; a traceback full of Verdicts would only bury it.
        pytest.fail(f"{passed}/{len(verdicts)} cases pass ({100 * passed / len(verdicts):.1f}%), "
                    f"below {100 * MIN_PASS_RATE:.0f}%", pytrace=False)  # fmt: skip
