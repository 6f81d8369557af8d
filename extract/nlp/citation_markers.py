"""Regex-based detection of citation markers in raw (often messy or spun) health web text.

Finds bracketed numbers ("[12]", "[nine]"), superscript-style numbers glued to a word or to
punctuation ("autophagy.82", "program,three,four", "study197", "ketamine¹²"), parenthetical
numbers ("et al.(16)"), author-year references ("(Smith et al., 2019)", "Smith et al. (2019)")
and orphan marker lines (a superscript left alone at the start of a line, "7 It can be ...").
Every marker carries exact character offsets into the input. No spaCy: this runs on every
sentence of very large crawls, so all regexes are compiled once at import time and Python-level
checks only run on regex candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extract.nlp.spelled_numbers import SPELLED_NUMBER_REGEX, parse_number

__all__ = ["CitationMarker", "find_citation_markers"]

STYLES: frozenset[str] = frozenset(
    {"bracket", "superscript", "parenthetical", "author_year", "orphan_line"}
)


@dataclass(frozen=True)
class CitationMarker:
    """One citation marker; ``text[start:end] == marker``."""

    start: int
    end: int
    marker: str
    numbers: tuple[int, ...]
    style: str


# ---------------------------------------------------------------------------------------------
# Plain helpers
# ---------------------------------------------------------------------------------------------

# Reference numbers are 1..999 without a leading zero ("p.05" is not a reference, years are).
_DIGIT = r"[1-9]\d{0,2}(?!\d)"
_DASH = r"[-\u2010\u2011\u2012\u2013\u2014\u2212]"
_SPELLED = SPELLED_NUMBER_REGEX  # lowercase only: spun markers are lowercase ("IM.seven")
_SPELLED_ANY_CASE = rf"(?i:{SPELLED_NUMBER_REGEX})"

# Parses one item ("12", "nine", "198–two hundred", "5 - 7") of an already matched marker.
_ITEM_RE = re.compile(
    rf"(?P<a>{_DIGIT}|{_SPELLED})(?:[ \t]*{_DASH}[ \t]*(?P<b>{_DIGIT}|{_SPELLED}))?",
    re.IGNORECASE,
)
_SUPERSCRIPT_TABLE = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b\u02d2",
    "0123456789-,",
)
_LETTER_RE = re.compile(r"[^\W\d_]")
_LOWER_RE = re.compile(r"[a-zà-öø-ÿ]")
_GLUE_PRECEDER_RE = re.compile(r"[^\W\d_]|[%)\]\"”’']")
_NAME_TOKEN_RE = re.compile(r"[^\W\d_][\w\-]*\d")
_TRAILING_LETTERS_RE = re.compile(r"[^\W\d_]*\Z")
_UPPER_START_RE = re.compile(r"[ \t\u00a0]+[A-Z]")
_LINE_END_RE = re.compile(r"[ \t\u00a0]*(?:\r?\n|\r|\Z)")
_ET_AL_BEFORE_RE = re.compile(r"\bet[ \t]+al\.?[ \t]*\Z")
_VOWEL_RE = re.compile(r"[aeiouyà-öø-ÿ]")

# Range caps: citation ranges are short ("12–14"); "(18–65)" is an age band, "5-400" a dose.
_MAX_RANGE = 50
_MAX_PAREN_RANGE = 20


def _word_set(words: str) -> frozenset[str]:
    """A stop list written as a whitespace-separated block (easier to read and extend)."""
    return frozenset(words.split())


def _expand(marker: str, max_range: int = _MAX_RANGE) -> tuple[int, ...] | None:
    """Reference numbers denoted by a matched marker, ranges expanded; None if implausible."""
    numbers: list[int] = []
    for item in _ITEM_RE.finditer(marker.translate(_SUPERSCRIPT_TABLE)):
        first = parse_number(item.group("a"))
        if first is None or first == 0:
            return None
        last_text = item.group("b")
        if last_text is None:
            numbers.append(first)
            continue
        last = parse_number(last_text)
        if last is None or last <= first or last - first > max_range:
            return None
        numbers.extend(range(first, last + 1))
    return tuple(numbers) if numbers else None


def _token_before(text: str, pos: int, limit: int = 40) -> str:
    """The run of non-space characters ending at ``pos`` (bounded, for cheap context checks)."""
    start = pos
    while start > 0 and pos - start < limit and not text[start - 1].isspace():
        start -= 1
    return text[start:pos]


def _at_line_end(text: str, pos: int) -> bool:
    return _LINE_END_RE.match(text, pos) is not None


def _capital_follows(text: str, pos: int) -> bool:
    return _UPPER_START_RE.match(text, pos) is not None


def _at_line_start(text: str, pos: int) -> bool:
    line_start = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1
    return not text[line_start:pos].strip()


def _trailing_letters(token: str) -> str:
    match = _TRAILING_LETTERS_RE.search(token)
    return "" if match is None else match.group()


def _is_spelled_only(marker: str) -> bool:
    return not any(ch.isdigit() for ch in marker)


# ---------------------------------------------------------------------------------------------
# Compiled patterns
# ---------------------------------------------------------------------------------------------

# Units and count nouns after a number mean a quantity, not a reference ("approx.5 mg").
_UNIT_WORDS = (
    r"mg|g|kg|mcg|µg|μg|ug|ng|ml|mL|l|L|dl|dL|IU|units?|mmol|mol|mM|µM|μM|nM|mmHg|"
    r"h|hr|hrs|hours?|min|mins|minutes?|s|sec|secs|seconds?|days?|weeks?|months?|"
    r"years?|yrs?|times|percent|cm|mm|m|km|kcal|am|pm|AM|PM|a\.m|p\.m"
)
_NO_UNIT = rf"(?![ \t\u00a0]+(?:{_UNIT_WORDS})\b)"
# A glued marker ends at a space, the end, or closing punctuation that is itself followed by
# a space or the end ("acids.201 Adipokines", "contain:13", "study197.").
_GLUED_END = r"(?=\s|\Z|[.,;:!?)\]\"”’'](?:\s|\Z))"

_GLUED_NUM = rf"(?:{_DIGIT}|{_SPELLED})"
_GLUED_ITEM = rf"{_GLUED_NUM}(?:{_DASH}{_GLUED_NUM})?"
_GLUED_DIGIT_ITEM = rf"{_DIGIT}(?:{_DASH}{_DIGIT})?"

# "ketamine,196", "autophagy.82", "contain:13", "program,three,four", "%.two", "”.12".
# The pattern starts with the glue character so the regex engine can skip ahead quickly; what
# precedes it is checked in Python. Never after a digit: "11.3", "1,200", "10:30" are numbers.
_PUNCT_GLUED_RE = re.compile(
    rf"(?P<glue>[.,:;])(?=[1-9a-z])"
    rf"(?P<num>{_GLUED_ITEM}(?:,{_GLUED_ITEM})*){_GLUED_END}{_NO_UNIT}"
)
# "study197": digits glued to a lowercase word; the word is checked in Python (it must be plain
# lowercase: not mGluR5, CA3, B12, vitamin-b12, h2o). Digit-first patterns scan fastest.
_WORD_GLUED_RE = re.compile(
    rf"(?P<num>{_GLUED_DIGIT_ITEM}(?:,{_GLUED_DIGIT_ITEM})*)"
    rf"{_GLUED_END}{_NO_UNIT}"
)
# "mTORC1.102,106 However": a marker after a name ending in a digit; only before a capitalised
# word or a line end, because otherwise "v1.2" or "GPT3.5" would be read as markers.
_NAME_DOT_GLUED_RE = re.compile(
    rf"\.(?P<num>{_DIGIT}(?:,{_DIGIT})*)"
    rf"(?=[ \t\u00a0]+[A-Z]|[ \t\u00a0]*(?:\r?\n|\r|\Z))"
)

_SUP = "[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]"
_SUP_ANY = "\u2070-\u2079\u00b9\u00b2\u00b3\u207a\u207b"
_SUP_CHARS = frozenset("\u2070\u2074\u2075\u2076\u2077\u2078\u2079\u00b9\u00b2\u00b3\u207a\u207b")
# "ketamine¹²", "¹⁻³", "¹,²"; not "Ca²⁺", "m²", "10²" (checked on the preceding token).
_UNICODE_SUP_RE = re.compile(
    rf"(?P<num>{_SUP}{{1,3}}(?:[\u207b,\u02d2\u2013\-]{_SUP}{{1,3}})*)"
    rf"(?![{_SUP_ANY}])"
)

_BRACKET_NUM = rf"(?:{_DIGIT}|{_SPELLED_ANY_CASE})"
_BRACKET_ITEM = rf"{_BRACKET_NUM}(?:[ \t]*{_DASH}[ \t]*{_BRACKET_NUM})?"
_BRACKET_RE = re.compile(rf"\[[ \t]*{_BRACKET_ITEM}(?:[ \t]*[,;][ \t]*{_BRACKET_ITEM})*[ \t]*\]")

_PAREN_ITEM = rf"{_DIGIT}(?:[ \t]*{_DASH}[ \t]*{_DIGIT})?"
_PAREN_NUM_RE = re.compile(rf"\([ \t]*{_PAREN_ITEM}(?:[ \t]*[,;][ \t]*{_PAREN_ITEM})*[ \t]*\)")

# Author-year. A surname: capitalised, may carry particles, hyphens, apostrophes, inner caps.
_NAME = (
    r"(?:(?:van|von|der|den|de|del|della|da|di|du|dos|le|la)[ \t]+){0,3}"
    r"[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*"
)
_YEAR = r"(?:(?:1[6-9]|20)\d{2}[a-z]?(?![\w])|in[ \t]+press|n\.d\.)"
_YEARS = rf"{_YEAR}(?:[ \t]*,[ \t]*{_YEAR})*"
_AUTHORS = (
    rf"(?P<first>{_NAME})(?:[ \t]+et[ \t]+al\.?"
    rf"|(?:[ \t]*,[ \t]*{_NAME})*,?[ \t]+(?:&|and)[ \t]+{_NAME})?"
)
_AY_PART_RE = re.compile(
    r"[ \t]*(?:(?:see(?:[ \t]+also)?|e\.g\.,?|i\.e\.,?|cf\.|but[ \t]+see|reviewed[ \t]+in)"
    rf"[ \t]+)?{_AUTHORS}(?:[ \t]*,[ \t]*|[ \t]+){_YEARS}"
    r"(?:[ \t]*,[ \t]*pp?\.[ \t]*\d+(?:[-–]\d+)?)?[ \t]*"
)
_PAREN_BODY_RE = re.compile(r"\((?P<body>[^()\n]{6,400})\)")
# Narrative "Smith et al. (2019)": find the "(2019)" first, then match the names before it.
_PAREN_YEARS_RE = re.compile(rf"\([ \t]*{_YEARS}[ \t]*\)")
_NARRATIVE_NAMES_RE = re.compile(
    rf"(?<![\w'’\-])(?P<first>{_NAME})(?:[ \t]+et[ \t]+al\.?|[ \t]+(?:and|&)[ \t]+{_NAME})?"
    r"[ \t]*\Z"
)
_NARRATIVE_WINDOW = 120
_YEAR_HINT_RE = re.compile(r"(?:1[6-9]|20)\d\d")
# Capitalised words that precede a year without being authors ("(January 2019)", "In (2019)").
_NOT_AUTHORS: frozenset[str] = _word_set(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec spring summer autumn fall winter
    the a an in on at by of for from to since until till during before after between and or
    but this that these those it its as year years fy q circa ca est founded copyright updated
    published accessed retrieved revised posted figure fig table phase schedule version vol
    volume issue page study trial report survey census act law covid sars dsm icd who's
    """
)

# Abbreviations that a number may follow without being a reference ("Fig.2", "No.1", "pp.12").
_ABBREVIATIONS: frozenset[str] = _word_set(
    """
    p pp vol vols no nos nr fig figs eq eqs ch chap sec sect art vs v ver para ed eds n ca
    approx tab suppl pt op cit ref refs id ie eg tel ph step phase type stage grade level
    version page chapter section table figure day week year dose age total at about around
    between than from to of by under over
    """
)
# Lowercase words that legitimately end in digits ("covid19", "type2", "top10").
_WORD_GLUED_STOP: frozenset[str] = _word_set(
    """
    covid sars cov mers hiv type phase step day days week weeks month year years level grade
    stage class schedule version room page figure table chapter section part item dose visit
    cycle wave group arm top web mp win ios android python html utf iso
    """
)

_ORPHAN_ITEM = rf"(?:{_DIGIT}|{_SPELLED})(?:{_DASH}(?:{_DIGIT}|{_SPELLED}))?"
_ORPHAN_RE = re.compile(
    rf"^[ \t\u00a0]*(?P<num>{_ORPHAN_ITEM}(?:[ \t]*,[ \t]*{_ORPHAN_ITEM})*)"
    rf"(?=[ \t\u00a0]*(?:\r?\n|\r|\Z)|[ \t\u00a0]+[A-Z])",
    re.MULTILINE,
)
_SENTENCE_END_RE = re.compile(r"[.!?…:;\"”’')\]][ \t\u00a0]*\Z")

_URL_HINT_RE = re.compile(r"://|www\.|\.(?:com|org|net|gov|edu|io)\b", re.IGNORECASE)
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|\b[\w\-]+(?:\.[\w\-]+)*\.(?:com|org|net|gov|edu|io)\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------------
# Finders, one per style; each yields candidates that may overlap across styles
# ---------------------------------------------------------------------------------------------


def _make(start: int, end: int, text: str, numbers: tuple[int, ...], style: str) -> CitationMarker:
    return CitationMarker(start, end, text[start:end], numbers, style)


def _find_brackets(text: str) -> Iterator[CitationMarker]:
    for match in _BRACKET_RE.finditer(text):
        numbers = _expand(match.group())
        if numbers is not None:
            yield _make(match.start(), match.end(), text, numbers, "bracket")


def _find_punct_glued(text: str) -> Iterator[CitationMarker]:
    for match in _PUNCT_GLUED_RE.finditer(text):
        if match.start() == 0 or not _GLUE_PRECEDER_RE.match(text, match.start() - 1):
            continue
        glue = match.group("glue")
        start, end = match.span("num")
        token = _token_before(text, match.start())
        word: str | None = _trailing_letters(token)
        if not word:
            word = None  # glued after "%", ")", "]" or a closing quote
        elif len(word) < len(token) and (token[-len(word) - 1].isdigit() or "_" in token):
            continue  # "h2o.12": the letters are the tail of an alphanumeric name
        if word is not None and (len(word) < 2 or word.lower() in _ABBREVIATIONS):
            continue
        # "Age:45" / "Dose:40" are labels; "will contain:13", "include:13 headache" are markers.
        if glue == ":" and (word is None or not word.islower() or len(word) < 3):
            continue
        num_text = match.group("num")
        # After a word, a lone spelled number is often just a missing space ("patients,two of"):
        # accept it only where a sentence or line ends right after it. After "%" or a bracket
        # ("8.three%.two of") a number cannot start a new word, so no such check is needed.
        single = _ITEM_RE.fullmatch(num_text)
        strong_end = _at_line_end(text, end) or _capital_follows(text, end)
        if (
            word is not None
            and single is not None
            and single.group("b") is None
            and _is_spelled_only(num_text)
            and not (strong_end or text[end : end + 1] in {")", "]", '"', "”", "’"})
        ):
            continue
        numbers = _expand(num_text)
        if numbers is not None:
            yield _make(start, end, text, numbers, "superscript")


def _find_word_glued(text: str) -> Iterator[CitationMarker]:
    for match in _WORD_GLUED_RE.finditer(text):
        if match.start() == 0 or not _LOWER_RE.match(text, match.start() - 1):
            continue
        token = _token_before(text, match.start())
        word = _trailing_letters(token)
        # The whole token must be one lowercase word ("study197"), not "p53", "h1n1", "x-b12".
        if (
            word != token
            or len(word) < 3
            or not word.islower()
            or word in _WORD_GLUED_STOP
            or _VOWEL_RE.search(word) is None
        ):
            continue
        numbers = _expand(match.group("num"))
        if numbers is not None:
            start, end = match.span("num")
            yield _make(start, end, text, numbers, "superscript")


def _find_name_dot_glued(text: str) -> Iterator[CitationMarker]:
    for match in _NAME_DOT_GLUED_RE.finditer(text):
        if match.start() == 0 or not text[match.start() - 1].isdigit():
            continue
        # Need a real name ("mTORC1", "IL-6"), not "v1" or "H1" (versions, subtypes) and not a
        # decimal ("2.5 The").
        name = _token_before(text, match.start()).lstrip("(\"“‘'[")
        if _NAME_TOKEN_RE.fullmatch(name) is None or len(_LETTER_RE.findall(name)) < 2:
            continue
        numbers = _expand(match.group("num"))
        if numbers is not None:
            start, end = match.span("num")
            yield _make(start, end, text, numbers, "superscript")


def _find_unicode_superscripts(text: str) -> Iterator[CitationMarker]:
    for match in _UNICODE_SUP_RE.finditer(text):
        start, end = match.span("num")
        before = _token_before(text, start)
        if not before or before[-1].isdigit() or before[-1] in _SUP_CHARS:
            continue  # "10²" is an exponent, " ²" is stray
        if before[-1].isalpha() and (len(_trailing_letters(before)) <= 2 or "/" in before):
            continue  # "m²", "cm³", "Ca²", "kg/m²" are units and ions
        numbers = _expand(match.group("num"))
        if numbers is not None:
            yield _make(start, end, text, numbers, "superscript")


def _find_parenthetical(text: str) -> Iterator[CitationMarker]:
    for match in _PAREN_NUM_RE.finditer(text):
        start, end = match.span()
        prev = text[start - 1] if start > 0 else ""
        if prev and not prev.isspace():
            # Glued: "al.(16)", "reported(3,4)", "”(5)"; not "IL(6)", "f2(3)".
            if prev.isalpha():
                token = _token_before(text, start)
                word = _trailing_letters(token)
                # The whole glued word must be plain lowercase letters ("IL-6(3)" is no cite).
                if word != token.lstrip("\"“‘'(") or not word.islower() or len(word) < 2:
                    continue
            elif prev not in ".,;:)]\"”’'":
                continue
        elif _ET_AL_BEFORE_RE.search(text, max(0, start - 12), start) is None:
            # Spaced: "shown (16)." counts, enumerations "(1) blocking NMDA" do not.
            if _at_line_start(text, start):
                continue
            after = text[end : end + 1]
            if after and after not in ".,;:!?\n\r":
                continue
        numbers = _expand(match.group(), _MAX_PAREN_RANGE)
        if numbers is not None:
            yield _make(start, end, text, numbers, "parenthetical")


def _find_author_year(text: str) -> Iterator[CitationMarker]:
    if _YEAR_HINT_RE.search(text) is None:
        return
    for match in _PAREN_BODY_RE.finditer(text):
        body = match.group("body")
        if _YEAR_HINT_RE.search(body) is None:
            continue
        parts = [_AY_PART_RE.fullmatch(part) for part in body.split(";")]
        if all(
            part is not None and part.group("first").lower() not in _NOT_AUTHORS for part in parts
        ):
            yield _make(match.start(), match.end(), text, (), "author_year")
    for match in _PAREN_YEARS_RE.finditer(text):
        window_start = max(0, match.start() - _NARRATIVE_WINDOW)
        names = _NARRATIVE_NAMES_RE.search(text, window_start, match.start())
        if names is not None and names.group("first").lower() not in _NOT_AUTHORS:
            yield _make(names.start(), match.end(), text, (), "author_year")


def _find_orphan_lines(text: str) -> Iterator[CitationMarker]:
    for match in _ORPHAN_RE.finditer(text):
        start, end = match.span("num")
        if not _at_line_end(text, end):
            # "7 It can be ..." must read as a sentence, not a numbered heading ("2 Methods").
            line_end = text.find("\n", end)
            rest = text[end : len(text) if line_end < 0 else line_end]
            words = rest.split()
            lower = sum(1 for word in words if word[0].islower())
            if len(words) < 4 or 2 * lower < len(words):
                continue
            if len(words) < 12 and _SENTENCE_END_RE.search(rest) is None:
                continue
        numbers = _expand(match.group("num"))
        if numbers is not None:
            yield _make(start, end, text, numbers, "orphan_line")


_FINDERS = (
    _find_author_year,
    _find_brackets,
    _find_parenthetical,
    _find_punct_glued,
    _find_word_glued,
    _find_name_dot_glued,
    _find_unicode_superscripts,
    _find_orphan_lines,
)


def find_citation_markers(text: str) -> list[CitationMarker]:
    """All citation markers in ``text``, sorted by start and non-overlapping."""
    candidates = [marker for finder in _FINDERS for marker in finder(text)]
    if not candidates:
        return []
    # URLs are rare, so only scan for them when the text hints at one.
    urls = [m.span() for m in _URL_RE.finditer(text)] if _URL_HINT_RE.search(text) else []
    candidates.sort(key=lambda m: (m.start, m.start - m.end))
    result: list[CitationMarker] = []
    last_end = 0
    for marker in candidates:
        if marker.start < last_end:
            continue
        if any(u_start < marker.end and marker.start < u_end for u_start, u_end in urls):
            continue
        result.append(marker)
        last_end = marker.end
    return result
