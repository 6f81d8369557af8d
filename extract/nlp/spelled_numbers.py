"""Spelled-out English numbers 0..999 ("nine", "ninety-five", "one hundred and six").

Spun web text often rewrites reference numbers as words ("[nine]", "autophagy.eighty two"), so
the citation finder needs a regex for spelled numbers and a parser that maps them back to ints.
"""

from __future__ import annotations

import re

_UNITS: dict[str, int] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS: dict[str, int] = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


def _alternation(words: dict[str, int]) -> str:
    # Longest first so that e.g. "seventeen" is preferred over its prefix "seven".
    return "|".join(sorted(words, key=len, reverse=True))


# Words inside one number are joined by blanks (not newlines) or a single hyphen.
_SEP = r"(?:[ \t\u00a0]+|[-\u2010\u2011])"
_UNIT = rf"(?:{_alternation(_UNITS)})"
_BELOW_100 = rf"(?:(?:{_alternation(_TENS)})(?:{_SEP}{_UNIT})?|{_alternation(_TEENS)}|{_UNIT})"
_HUNDREDS = rf"(?:{_UNIT}{_SEP}hundred(?:(?:{_SEP}and)?{_SEP}{_BELOW_100})?)"

#: Regex source (lowercase, no capturing groups, word-bounded) for a spelled number 0..999.
#: Compile with re.IGNORECASE, or embed as ``(?i:...)``, to accept capitalised forms.
SPELLED_NUMBER_REGEX: str = rf"\b(?:{_HUNDREDS}|{_BELOW_100}|zero)\b"

_WORD_SPLIT_RE = re.compile(r"[\s\-\u2010\u2011]+")


def _parse_below_100(words: list[str]) -> int | None:
    if len(words) == 1:
        word = words[0]
        if word in _UNITS:
            return _UNITS[word]
        if word in _TEENS:
            return _TEENS[word]
        return _TENS.get(word)
    if len(words) == 2 and words[0] in _TENS and words[1] in _UNITS:
        return _TENS[words[0]] + _UNITS[words[1]]
    return None


def _parse_spelled(words: list[str]) -> int | None:
    if words == ["zero"]:
        return 0
    if len(words) >= 2 and words[1] == "hundred":
        if words[0] not in _UNITS:
            return None
        rest = words[2:]
        if rest and rest[0] == "and":
            rest = rest[1:]
            if not rest:
                return None
        if not rest:
            return _UNITS[words[0]] * 100
        tail = _parse_below_100(rest)
        return None if tail is None else _UNITS[words[0]] * 100 + tail
    return _parse_below_100(words)


def parse_number(text: str) -> int | None:
    """Return the value of a digit string or a spelled number 0..999, else None.

    >>> parse_number("ninety-five"), parse_number("One hundred and six"), parse_number("12")
    (95, 106, 12)
    """
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.isascii() and stripped.isdigit():
        return int(stripped)
    words = [w for w in _WORD_SPLIT_RE.split(stripped.lower()) if w]
    if not words:
        return None
    return _parse_spelled(words)
