"""The pronunciation lexicon: names the voice would misread, and what to say instead.

Lexicons are user-editable TSV files, `NAME.tsv`, one entry a line::

    word or phrase<TAB>respelling<TAB>phonemes (optional)<TAB>context (optional)

`#` starts a comment line; blank lines are ignored. The respelling is plain
text any voice reads ("Nguyen" -> "Win"); the phonemes are espeak-ng phoneme
mnemonics (as `espeak-ng -x` prints them), given to engines that read
`[[...]]` as phonemes.

A file is found by name, first match wins, in the folders of
`AUDIO_EDITION_LEXICONS` (os.pathsep separated), then
`$XDG_CONFIG_HOME/audio-edition/lexicon` (default `~/.config/...`), then the
project's `voices/lexicon/`. When several lexicons are loaded, a later one
overrides an earlier one's entry for the same pattern.

Matching rules:

* Whole words and phrases only. Letters and digits are word characters, and
  so is an apostrophe between two of them: "Nguyen" does not match inside
  "Nguyenville" or "O'Nguyen", but does in "Nguyen-led" or "'Nguyen'".
* Case: a pattern written all in lowercase matches in any case; a pattern with
  a capital matches exactly that case only, so "Nice" (the city) leaves "nice"
  alone. An exact-case entry wins over a lowercase one for the same words.
* Possessives and plurals: "Nguyen's", "Nguyen’s", "Nguyens" and "Nguyens'"
  match "Nguyen"; the ending is kept after the respelling ("Win's"), or, with
  phonemes, folded into them with the sound English gives it (`[[w'Inz]]`),
  since espeak-ng reads "'s" after `]]` as the letter S.
* Whitespace in a phrase matches any run of whitespace, line breaks included;
  an apostrophe matches a straight or curly one.
* Matches do not overlap; left to right, the longest phrase wins.
* Context (the optional fourth field, conditions separated by spaces, all of
  which must hold): ``mid`` (not the sentence's first word, where a capital
  says nothing: "Nice" the city, not "Nice weather today"), ``after=in|to|from``
  (the word before is one of these, any case), ``before=...`` (the word after
  is), ``not-after=...`` and ``not-before=...``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from audio_edition.datafiles import DataFiles, bundled
from audio_edition.errors import VoiceError

PROJECT_LEXICONS = bundled("lexicon")

_APOSTROPHES = "'\u2019"
_WORD = r"[^\W_]"  # a letter or digit
# Not inside a word: no letter/digit just before, nor an apostrophe that hangs off one.
_START = rf"(?<!{_WORD})(?<!{_WORD}[{_APOSTROPHES}])"
_SUFFIX = rf"(?P<suffix>[{_APOSTROPHES}]s|s[{_APOSTROPHES}]?)?"
_END = rf"(?!{_WORD})(?![{_APOSTROPHES}]{_WORD})"
_SPACE = re.compile(r"\s+")
_CONTEXTS = ("after", "before", "not-after", "not-before")
_WORD_BEFORE = re.compile(r"([\w'\u2019-]+)\W*$")
_WORD_AFTER = re.compile(r"\W*([\w'\u2019-]+)")
# Phoneme endings (espeak-ng mnemonics) after which "'s" is said "iz", and "s".
_SIBILANT_END = ("s", "z", "S", "Z")
_VOICELESS_END = ("p", "t", "k", "f", "T", "x")


@dataclass(frozen=True)
class Entry:
    """One line of a lexicon file."""

    pattern: str
    """The word or phrase as written, runs of whitespace as one space, apostrophes straight."""
    respelling: str
    """Plain text the voice reads instead."""
    phonemes: str | None
    """espeak-ng phoneme mnemonics, used only by engines that read `[[...]]`."""
    source: str
    """Where the entry was read, "file:line", for messages."""
    context: tuple[str, ...] = ()
    """Conditions on where it applies ("mid", "after=in|to"); all must hold."""

    def applies(self, text: str, start: int, end: int) -> bool:
        """Whether the entry's context holds for a match of text[start:end]."""
        if not self.context:
            return True
        before = _WORD_BEFORE.search(text, 0, start)
        after = _WORD_AFTER.match(text, end)
        previous = before.group(1).lower() if before else None
        following = after.group(1).lower() if after else None
        for condition in self.context:
            name, _, words = condition.partition("=")
            allowed = set(words.lower().split("|"))
            if name == "mid" and previous is None:
                return False
            if name == "after" and previous not in allowed:
                return False
            if name == "before" and following not in allowed:
                return False
            if name == "not-after" and previous in allowed:
                return False
            if name == "not-before" and following in allowed:
                return False
        return True

    @property
    def exact_case(self) -> bool:
        """True when the pattern has a capital, and so matches that exact case only."""
        return any(ch.isupper() for ch in self.pattern)

    @property
    def key(self) -> tuple[bool, str]:
        """What makes two entries the same entry: a later one with this key overrides."""
        return self.exact_case, _normalize(self.pattern, fold=not self.exact_case)


@dataclass(frozen=True)
class _Matcher:
    """One case class: a regex over its patterns' trie, and the entries by normalized text."""

    regex: re.Pattern[str]
    by_key: dict[str, Entry]
    fold: bool
    """Lowercase patterns: `regex` runs over the lowercased text (far faster than IGNORECASE)."""
    ignorecase: re.Pattern[str] | None = None
    """For `fold`: the same regex with IGNORECASE, for text whose lowercase changes its length."""

    def entry(self, body: str) -> Entry:
        found = self.by_key.get(body) or self.by_key.get(_normalize(body, self.fold))
        if found is not None:
            return found
        # Only reached through `ignorecase`, for letters it equates but str.lower() does not.
        for entry in self.by_key.values():  # pragma: no cover - a rare fallback
            if re.fullmatch(_trie_regex(_trie([entry.pattern])), body, re.IGNORECASE):
                return entry
        raise AssertionError(f"no entry for matched text {body!r}")  # pragma: no cover


@dataclass(frozen=True)
class Lexicon:
    """Entries in precedence order: a later entry overrides an earlier one with the same key."""

    entries: tuple[Entry, ...] = ()
    """The effective entries, one per key, after overrides (set by the constructor)."""
    _matchers: tuple[_Matcher, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        effective: dict[tuple[bool, str], Entry] = {}
        for entry in self.entries:
            effective[entry.key] = entry
        object.__setattr__(self, "entries", tuple(effective.values()))
        matchers = []
        for exact in (True, False):  # exact case first: it wins a tie
            by_key = {key: e for (is_exact, key), e in effective.items() if is_exact == exact}
            if by_key:
                regex = _START + "(?P<body>" + _trie_regex(_trie(by_key)) + ")" + _SUFFIX + _END
                slow = None if exact else re.compile(regex, re.IGNORECASE)
                matchers.append(_Matcher(re.compile(regex), by_key, not exact, slow))
        object.__setattr__(self, "_matchers", tuple(matchers))

    @classmethod
    def empty(cls) -> Lexicon:
        """A lexicon that changes nothing."""
        return cls()

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> list[tuple[int, int, Entry]]:
        """Non-overlapping matches as (start, end, entry), left to right, longest first.

        The span covers a possessive or plural ending ("Nguyen's") too.
        """
        return [(start, end, entry) for start, end, entry, _ in self._scan(text)]

    def apply(self, text: str, use_phonemes: bool = False, in_context: bool = True) -> str:
        """`text` with each match replaced by its respelling, or `[[phonemes]]`.

        Phonemes are used when `use_phonemes` is true and the entry has them;
        the engine must then read `[[...]]` as phonemes (espeak-ng's
        `espeakPHONEMES` flag, which its command line sets). `in_context` False: `text`
        is one match already found in its sentence, whose context was checked there.
        """
        if not self._matchers:
            return text
        pieces: list[str] = []
        done = 0
        for start, end, entry, suffix in self._scan(text, in_context):
            pieces.append(text[done:start])
            if use_phonemes and entry.phonemes:
                pieces.append(f"[[{entry.phonemes}{_suffix_phonemes(entry.phonemes, suffix)}]]")
            else:
                pieces.append(entry.respelling + suffix)
            done = end
        pieces.append(text[done:])
        return "".join(pieces)

    def _scan(self, text: str, in_context: bool = True) -> Iterator[tuple[int, int, Entry, str]]:
        # Each case class has its own regex; take the leftmost match of either,
        # the longer on a tie, exact case on a tie of length. Lowercase patterns
        # are sought in the lowercased text, which keeps every offset when its
        # length is unchanged (str.lower never shrinks a character).
        lowered = text.lower() if any(m.fold for m in self._matchers) else text
        searches: list[tuple[re.Pattern[str], str]] = []
        for matcher in self._matchers:
            if not matcher.fold:
                searches.append((matcher.regex, text))
            elif len(lowered) == len(text):
                searches.append((matcher.regex, lowered))
            else:
                assert matcher.ignorecase is not None
                searches.append((matcher.ignorecase, text))
        if len(searches) == 1:
            regex, subject = searches[0]
            entry_for = self._matchers[0].entry
            for match in regex.finditer(subject):
                start, end, body_end = match.start(), match.end(), match.end("body")
                entry = entry_for(match["body"])
                if not in_context or entry.applies(text, start, body_end):
                    yield start, end, entry, text[body_end:end]
            return
        # A regex that found nothing from one position finds nothing further on.
        pending = [regex.search(subject) for regex, subject in searches]
        pos = 0
        while True:
            best: tuple[int, int, int] | None = None
            for i, (regex, subject) in enumerate(searches):
                m = pending[i]
                if m is not None and m.start() < pos:
                    m = pending[i] = regex.search(subject, pos)
                if m is not None:
                    rank = (m.start(), m.start() - m.end(), i)
                    if best is None or rank < best:
                        best = rank
            if best is None:
                return
            found = pending[best[2]]
            assert found is not None
            entry = self._matchers[best[2]].entry(found.group("body"))
            if not in_context or entry.applies(text, found.start(), found.end("body")):
                yield found.start(), found.end(), entry, text[found.end("body") : found.end()]
            pos = found.end()


def _normalize(text: str, fold: bool) -> str:
    text = _SPACE.sub(" ", text.strip()).replace("\u2019", "'")
    return text.lower() if fold else text


def _trie(patterns: Iterable[str]) -> dict[str, dict]:
    """A character trie of normalized patterns; "" marks the end of one."""
    root: dict[str, dict] = {}
    for pattern in patterns:
        node = root
        for ch in pattern:
            node = node.setdefault(ch, {})
        node[""] = {}
    return root


def _trie_regex(node: dict[str, dict]) -> str:
    """The trie as a regex whose greedy optional groups try the longer pattern first."""
    branches = []
    for ch, child in node.items():
        if ch == "":
            continue
        if ch == " ":
            token = r"\s+"
        elif ch == "'":
            token = f"[{_APOSTROPHES}]"
        else:
            token = re.escape(ch)
        branches.append(token + _trie_regex(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _suffix_phonemes(phonemes: str, suffix: str) -> str:
    """How a possessive or plural ending sounds after `phonemes`: "I#z", "s" or "z".

    These are the endings espeak-ng itself gives "Sanchez's", "Bakhmut's", "Kyiv's".
    """
    if not suffix:
        return ""
    last = phonemes.rstrip(";:# ")[-1:]
    if last in _SIBILANT_END:
        return "I#z"
    return "s" if last in _VOICELESS_END else "z"


# -- files ----------------------------------------------------------------


LEXICONS = DataFiles("lexicon", "AUDIO_EDITION_LEXICONS", "lexicon", PROJECT_LEXICONS, ".tsv")
search_path = LEXICONS.folders
available = LEXICONS.available
find_lexicon = LEXICONS.find


def load_lexicon(names: Sequence[str]) -> Lexicon:
    """The lexicons called `names`, a later one overriding an earlier one."""
    if isinstance(names, str):  # a lone name would otherwise be read letter by letter
        names = [names]
    entries: list[Entry] = []
    for name in names:
        entries.extend(read_lexicon_file(find_lexicon(name)))
    return Lexicon(tuple(entries))


def read_lexicon_file(path: Path) -> list[Entry]:
    """The entries of one TSV file; a one-line `VoiceError` naming file and line if malformed."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise VoiceError(f"lexicon {path} cannot be read: {exc}") from None
    entries: list[Entry] = []
    seen: dict[tuple[bool, str], int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = _parse_line(line, f"{path}:{number}")
        if entry.key in seen:
            raise VoiceError(f"{path}:{number}: {entry.pattern!r} is already defined at line {seen[entry.key]}")
        seen[entry.key] = number
        entries.append(entry)
    return entries


def _parse_line(line: str, source: str) -> Entry:
    fields = [f.strip() for f in line.split("\t")]
    if len(fields) == 1:
        raise VoiceError(f"{source}: expected 'word<TAB>respelling<TAB>phonemes (optional)', found no tab")
    if len(fields) > 4:
        raise VoiceError(f"{source}: {len(fields)} tab-separated fields, at most 4 allowed")
    pattern, respelling = fields[0], fields[1]
    phonemes = fields[2] if len(fields) >= 3 and fields[2] else None
    context = tuple(fields[3].split()) if len(fields) == 4 else ()
    for condition in context:
        name, equals, words = condition.partition("=")
        if not (condition == "mid" or (name in _CONTEXTS and equals and words.strip("|"))):
            raise VoiceError(
                f"{source}: unknown context {condition!r}; use mid, after=, before=, not-after= or not-before="
            )
    if not re.search(_WORD, pattern):
        raise VoiceError(f"{source}: the word or phrase must contain a letter or digit")
    if not respelling:
        raise VoiceError(f"{source}: {pattern!r} has no respelling")
    for name, value in (("respelling", respelling), ("phonemes", phonemes or "")):
        if "[[" in value or "]]" in value:
            raise VoiceError(f"{source}: the {name} must not contain '[[' or ']]'")
    return Entry(_normalize(pattern, fold=False), respelling, phonemes, source, context)
