"""Tests for extract.nlp.spelled_numbers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.nlp.spelled_numbers import SPELLED_NUMBER_REGEX, parse_number

SPELLED_RE = re.compile(SPELLED_NUMBER_REGEX, re.IGNORECASE)

_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _spell(n: int, joiner: str = " ") -> str:
    """Independent reference speller for 0..999 used to cross-check the parser."""
    if n == 0:
        return "zero"
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [_ONES[hundreds], "hundred"]
        if rest:
            words.append("and")
    if 10 <= rest < 20:
        words.append(_TEENS[rest - 10])
    elif rest:
        tens, ones = divmod(rest, 10)
        if tens and ones:
            words.append(f"{_TENS[tens]}{joiner}{_ONES[ones]}")
        elif tens:
            words.append(_TENS[tens])
        else:
            words.append(_ONES[ones])
    return " ".join(words)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("196", 196),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("ninety five", 95),
        ("ninety-five", 95),
        ("two hundred", 200),
        ("one hundred and six", 106),
        ("one hundred six", 106),
        ("twenty", 20),
        ("seventeen", 17),
        ("Nine", 9),
        ("TWO HUNDRED", 200),
        ("  eight  ", 8),
        ("zero", 0),
        ("nine hundred and ninety-nine", 999),
    ],
)
def test_parse_number(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "someone",
        "alone",
        "tone",
        "hundred",
        "two hundred and",
        "five twenty",
        "ninety ten",
        "ten hundred",
        "one two",
        "12a",
        "1.5",
        "-3",
        "thousand",
        "and",
    ],
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("n", range(1000))
def test_parse_number_round_trip(n: int) -> None:
    assert parse_number(_spell(n)) == n
    assert parse_number(_spell(n, "-")) == n
    assert parse_number(str(n)) == n


@pytest.mark.parametrize("n", [0, 1, 9, 10, 11, 19, 20, 21, 95, 99, 100, 106, 200, 515, 999])
def test_regex_matches_whole_spelled_number(n: int) -> None:
    spelled = _spell(n)
    match = SPELLED_RE.fullmatch(spelled)
    assert match is not None
    assert parse_number(match.group()) == n


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("controls,198–two hundred and it's", "two hundred"),
        ("PSD-ninety five (the two markers", "ninety five"),
        ("nervous program,three,four has been", "three"),
        ("it is one hundred and six", "one hundred and six"),
        ("seventeen patients", "seventeen"),
        ("Nine", "Nine"),
    ],
)
def test_regex_search(text: str, found: str) -> None:
    match = SPELLED_RE.search(text)
    assert match is not None
    assert match.group() == found


@pytest.mark.parametrize("text", ["someone", "alone", "tone", "often", "nonet", "eighteenth"])
def test_regex_respects_word_boundaries(text: str) -> None:
    assert SPELLED_RE.search(text) is None


def test_regex_has_no_capturing_groups() -> None:
    assert re.compile(SPELLED_NUMBER_REGEX).groups == 0


@given(st.text())
def test_parse_number_never_raises(text: str) -> None:
    value = parse_number(text)
    assert value is None or value >= 0
