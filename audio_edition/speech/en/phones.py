"""Telephone numbers, as a newsreader says them: digit by digit, in the groups they are written in.

"202-555-0143" -> "two oh two, five five five, oh one four three"; "+44 20 7946 0958" -> "plus four
four, two oh, seven nine four six, oh nine five eight"; "1-800-FLOWERS" -> "one eight hundred flowers";
"call 911" -> "call nine one one"; "ext. 204" -> "extension two oh four".
"""

from __future__ import annotations

import re

from audio_edition.speech.en import common as c
from audio_edition.speech.en import numbers as n

_DIGITS = ("oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def say_group(group: str, last: bool = False) -> str:
    """One written group, digit by digit ("0143" -> "oh one four three"); a last group of four ending in
    two zeros as hundreds ("0100" -> "oh one hundred", "1200" -> "twelve hundred")."""
    if last and len(group) == 4 and group.endswith("00") and group[:2] != "00":
        head = group[:2]
        return n.pair(head) + " hundred"
    return " ".join(_DIGITS[int(ch)] for ch in group)


def say_letters(word: str) -> str:
    """The letters of a vanity number, as words ("FLOWERS" -> "flowers") or letters ("U")."""
    parts = [part for part in re.split(r"[-.\s]", word) if part]
    return " ".join(part if len(part) == 1 else part.lower() for part in parts)


_TOLL_FREE = {"800": "eight hundred"}
_PHONE_WORDS = (
    r"(?:call|calls|called|calling|dial|dials|dialed|dialled|dialing|dialling|phone|phoned|text|texted|texting|"
    r"reach|reached|contact|contacted|number|numbers|line|lines|hotline|helpline|fax|tel|tip|at)"
)


def say_number(text: str) -> str:
    """A whole written telephone number: "+" and each group of digits in turn; a toll-free area code
    as it is advertised ("eight hundred")."""
    plus = "plus " if text.lstrip().startswith("+") else ""
    groups = re.findall(r"\d+", text)
    area = 1 if groups[0] == "1" and len(groups) in (2, 4) else 0 if len(groups) == 3 and len(groups[-1]) == 4 else -1
    last = len(groups) - 1 if len(groups) > 1 else -1
    words = [
        (_TOLL_FREE.get(group) if i == area else None) or say_group(group, last=i == last)
        for i, group in enumerate(groups)
    ]
    return plus + ", ".join(words)


def _say(m: re.Match[str]) -> str:
    return say_number(m.group(0))


def _say_vanity(m: re.Match[str]) -> str:
    return f"{say_number(m.group('digits'))} {say_letters(m.group('letters'))}"


def _say_context(m: re.Match[str]) -> str:
    return m.group("lead") + say_number(m.group("num"))


def _say_service(m: re.Match[str]) -> str:
    return m.group("lead") + say_group(m.group("num"))


def _say_short_code(m: re.Match[str]) -> str:
    code = m.group("num")
    halves = [code[: len(code) // 2], code[len(code) // 2 :]] if len(code) == 6 else [code]
    return m.group("lead") + ", ".join(say_group(half) for half in halves)


def _say_extension(m: re.Match[str]) -> str:
    number = m.group(2)
    said = say_group(number) if len(number) >= 3 and "0" in number else n.cardinal(number)
    return f"extension {said}"


def rules() -> list[c.Rule]:
    sep = r"[-.\s]"
    nanp = rf"(?:\+?1{sep}?)?(?:\(\d{{3}}\)\s?|\d{{3}}{sep})\d{{3}}[-.]\d{{4}}"
    """North American: "202-555-0143", "(202) 555-0143", "+1 (202) 555-0143", "1-800-555-0199"."""
    international = r"\+\d{1,3}(?:[\s.-]\(?\d{1,5}\)?){2,6}"
    """"+44 20 7946 0958", "+380 44 123 4567", "+33 1 42 68 53 00"."""
    not_after = r"(?<![\w.,+/-])"
    not_before = r"(?![\w/]|[.,-]\d)"
    return [
        (re.compile(r"\b(ext|Ext|EXT)\.?\s?(\d{1,5})\b(?!\.\d)"), _say_extension,
         re.compile(r"\b(?:[Ee]xt|EXT)\.?\s?\d")),
        (re.compile(rf"{not_after}(?P<digits>1-8(?:00|88|77|66|55|44|33))-(?P<letters>[A-Z]{{1,7}}(?:-[A-Z]{{1,7}}){{0,3}})\b"),
         _say_vanity, re.compile("1-8")),
        (re.compile(rf"{not_after}{international}{not_before}"), _say, re.compile(r"\+\d")),
        (re.compile(rf"{not_after}{nanp}{not_before}"), _say, re.compile(r"\d[-.]\d{4}\b")),
        # Groups without a "+" or area code, where the sentence says it is a number: "dial 011 44 20 7946 0321",
        # "the tip line, 555-0147".
        (re.compile(rf"(?P<lead>\b{_PHONE_WORDS}\b[^.;:!?\d]{{0,24}}?)(?P<num>0\d{{1,3}}(?:\s\d{{1,4}}){{2,5}}|\d{{3}}-\d{{4}})"
                    rf"{not_before}"), _say_context, re.compile(r"\d{3}-\d{4}|\b0\d{1,3}\s\d")),
        (re.compile(rf"{not_after}(?P<lead>)(?P<num>555-\d{{4}}){not_before}"), _say_context, re.compile("555-")),
        # Service numbers: "call 911", "to 311", "dialing 988"; "text HOME to 741741".
        (re.compile(r"(?P<lead>(?<!Porsche )\b)(?P<num>911)\b(?![\w.,/]?\d|\s?(?:[A-Z][a-z]|s\b))"), _say_service,
         re.compile("911")),
        (re.compile(rf"(?P<lead>\b(?:{_PHONE_WORDS}|to|than|or|and)\s+)(?P<num>[2-8]11|988)\b(?![\w.,/]?\d|\s+[a-z]+s\b)"),
         _say_service, re.compile(r"[2-8]11|988")),
        (re.compile(r"(?P<lead>\btext\w*\b[^.;:!?\d]{0,30}?\bto\s+)(?P<num>\d{5,6})\b(?![\w.,/]?\d)"), _say_short_code,
         re.compile(r"\btext")),
    ]  # fmt: skip
