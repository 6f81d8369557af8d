"""Find onset/duration expressions: how soon an effect appears or how long it lasts.

Pure regex over raw text, tuned for machine-spun health pages ("can previous for 4-6
times", "nearly four minutes", "24 h put up-infusion") as well as clean clinical prose.
Every hit carries exact character offsets and a range in seconds; qualitative words
("quick onset", "swiftly lower", "wear off") carry no range. Lexicons live in
``patterns/onset_terms.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["OnsetExpression", "find_onset_expressions"]


@dataclass(frozen=True)
class OnsetExpression:
    """One onset/duration expression; ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    min_s: float | None  # lower bound in seconds; None when unbounded or qualitative
    max_s: float | None  # upper bound in seconds; None when unbounded or qualitative
    qualitative: bool


_TERMS_PATH = Path(__file__).parent / "patterns" / "onset_terms.json"

_Range = tuple[float | None, float | None]
# (start, end, min_s, max_s, qualitative)
_Cand = tuple[int, int, float | None, float | None, bool]


def _load_terms() -> dict[str, Any]:
    with _TERMS_PATH.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _alt(phrases: list[str]) -> str:
    """Regex alternation, longest first, internal spaces matching any whitespace."""
    ordered = sorted({_norm(p) for p in phrases}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


def _opt_range(pair: list[float | None]) -> _Range:
    lo, hi = pair
    return (None if lo is None else float(lo), None if hi is None else float(hi))


_T = _load_terms()
_Q = _T["qualitative"]

_UNIT_S: dict[str, float] = {k: float(v) for k, v in _T["units"].items()}
_SPUN_UNIT_S: dict[str, float] = {k: float(v) for k, v in _T["spun_units"].items()}
_SINGLE_LETTER = frozenset(_T["single_letter_units"])
_YEAR_UNITS = frozenset(_T["year_units"])
_VAGUE: dict[str, _Range] = {k: _opt_range(v) for k, v in _T["vague_scales"].items()}
_FUZZY: dict[str, tuple[float, float]] = {
    _norm(k): (float(v[0]), float(v[1])) for k, v in _T["fuzzy_quantities"].items()
}
_UPPER = frozenset(_norm(p) for p in _T["upper_prefixes"])
_LOWER = frozenset(_norm(p) for p in _T["lower_prefixes"])

# Spelled numbers, private on purpose (no dependency on extract.nlp.spelled_numbers).
_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD_VALUE = {**_ONES, **_TEENS, **_TENS, "hundred": 100}

_ONES_ALT, _TEENS_ALT, _TENS_ALT = ("|".join(d) for d in (_ONES, _TEENS, _TENS))
# Tens before teens before ones so "sixty"/"sixteen" are not cut to "six".
_UNDER_100 = rf"(?:(?:{_TENS_ALT})(?:[\s-]+(?:{_ONES_ALT}))?|{_TEENS_ALT}|{_ONES_ALT})"
_NUMWORD = rf"{_UNDER_100}(?:\s+hundred(?:\s+(?:and\s+)?{_UNDER_100})?)?"
# Digits must not be glued to a word, decimal point or clock colon ("study197", "10:30").
_NUM = (
    rf"(?:\b(?:{_alt(list(_FUZZY))}|half\s+an?|{_NUMWORD}|an?)\b"
    r"|(?<![\w.:,])\d+(?:\.\d+)?(?![.,]?\d))"
)
_UNIT = rf"(?:{_alt(list(_UNIT_S) + list(_SPUN_UNIT_S))})\b"
_SEP = r"(?:-|–|—|\bto\b|\bor\b)"

_QTY_RE = re.compile(
    r"(?=[\dabefhnost])"  # first letters of every number form: lets the scanner skip fast
    rf"(?:\bbetween\s+(?P<bn1>{_NUM})(?:[\s-]*(?P<bu1>{_UNIT}))?\s+and\s+"
    rf"(?P<bn2>{_NUM})[\s-]*(?P<bu2>{_UNIT})"
    rf"|(?P<n1>{_NUM})(?:[\s-]*(?P<u1>{_UNIT}))?\s*{_SEP}\s*(?P<n2>{_NUM})[\s-]*(?P<u2>{_UNIT})"
    rf"|(?P<n0>{_NUM})[\s-]*(?P<u0>{_UNIT}))",
    re.IGNORECASE,
)
_VAGUE_ALT = _alt(list(_VAGUE))
_VAGUE_RE = re.compile(
    rf"\b(?:from\s+)?(?P<v1>{_VAGUE_ALT})\s*{_SEP}\s*(?P<v2>{_VAGUE_ALT})\b"
    rf"|\b(?P<v0>{_VAGUE_ALT})\b(?!\s*\d)",  # "days 1-3" is a schedule, not a scale
    re.IGNORECASE,
)

_PREFIXES = _alt(_T["upper_prefixes"] + _T["lower_prefixes"] + _T["point_prefixes"])
# Left context, matched against the text just before a quantity and anchored at its start.
_LEFT_RE = re.compile(
    rf"(?:(?P<verb>\b(?:{_alt(_T['duration_verbs'])})\s+(?:(?P<vfor>for)\s+)?)"
    rf"|(?P<sverb>\b(?:{_alt(_T['spun_duration_verbs'])})\s+for\s+)"
    rf"|(?P<take>\b(?:{_alt(_T['take_verbs'])})\s+)"
    rf"|(?P<for>\bfor\s+))?"
    rf"(?P<pre>(?<![\w.])(?:{_PREFIXES})\s+(?:(?:just|only|a\s+mere)\s+)?)?$",
    re.IGNORECASE,
)
_LEFT_WINDOW = 80
# Periods, ages and frequencies: "in the last 20 years", "aged 25 years", "every 2 hours",
# "twice in a day".
_REJECT_LEFT_RE = re.compile(
    r"\b(?:the|these|those|this|its|their|his|her|our|my|your)\s+"
    r"(?:last|past|previous|preceding|recent|next|coming|final)\s+$"
    r"|\b(?:aged?|ages?\s+of)\s+$|\b(?:every|each|per|once|twice|thrice|times)\s+$",
    re.IGNORECASE,
)
# A vague unit right after a number/determiner is not a scale ("these days", "24 hours").
_VAGUE_BLOCK_LEFT_RE = re.compile(
    rf"(?:\d|\b(?:{_NUMWORD}|an?|the|these|those|this|that|some|few|many|all|both|"
    r"recent|past|last|next|previous|early|later|following|school|working))[\s-]+$",
    re.IGNORECASE,
)
# Ages, history and frequencies: "25-year-old", "10 years ago", "3 days a week", "2/day".
_FREQ_UNITS = r"(?:day|week|month|year|hour|d|wk|h)\b"
_RIGHT_REJECT_RE = re.compile(
    rf"[\s-]*old\b|\s+ago\b|\s+of\s+age\b|\s+(?:a|an|per|each|every)\s+{_FREQ_UNITS}"
    rf"|\s*/\s*{_FREQ_UNITS}",
    re.IGNORECASE,
)
_TAIL_RE = re.compile(
    rf"(?:\s+|\s*-\s*)(?:{_alt(_T['tail_links'])})(?:\s*-\s*|\s+)(?:[\w.-]+\s+){{0,3}}"
    rf"(?:{_alt(_T['event_nouns'])})\b|\s+later\b",
    re.IGNORECASE,
)
# "takes 2 weeks to work", "get months to become powerful"; not "take 4 minutes to the".
_TAKE_TO_RE = re.compile(
    r"\s+to\s+(?:(?:become|take|kick|start|begin|show|reach)\s+[\w-]+"
    r"|(?:work|act|be\s+effective|have\s+an\s+effect|appear|develop|wear\s+off|subside"
    r"|resolve|clear|build\s+up)\b)",
    re.IGNORECASE,
)
_CLOCK_RE = re.compile(r"[0-2]\d[0-5]\d")

_MODS = _alt(_Q["modifiers"])
_HEADS = _alt(_Q["heads"])
# "rapidly changing landscape", "fast food": the modifier describes something else.
_NOT_ONSET = _alt(_Q["non_onset_followers"])
# Words between modifier and head stay inside one noun/verb phrase ("rapid and sustained
# antidepressant effects"), so determiners, copulas and prepositions end the window.
_PHRASE_BREAK = r"(?:the|a|an|this|that|these|those|its|their|his|her|is|are|was|were|be|been"
_PHRASE_BREAK += r"|of|in|on|to|for|with|by|from|at|as|than)\b"
_FWD_RE = re.compile(
    rf"(?<![\w-])(?P<q>{_MODS})\b(?![\s-]+(?:{_NOT_ONSET})\b)"
    rf"(?:[\s-]+(?!{_PHRASE_BREAK})[\w'’]+){{0,3}}?[\s-]+(?:{_HEADS})\b",
    re.IGNORECASE,
)
_BACK_RE = re.compile(
    rf"\b(?:{_alt(_Q['back_heads'])})(?:\s+[\w'’-]+){{0,2}}?\s+(?:{_alt(_Q['back_modifiers'])})\b"
    rf"(?![\s-]+(?:{_NOT_ONSET})\b)",
    re.IGNORECASE,
)
_STANDALONE_RE = re.compile(rf"(?<![\w-])(?:{_alt(_Q['standalone'])})\b", re.IGNORECASE)
_TIMING_TERM_RE = re.compile(rf"(?<![\w-])(?:{_alt(_Q['timing_terms'])})\b", re.IGNORECASE)
_IMMEDIATELY_RE = re.compile(r"\bimmediately(?=\s+(?:after|following|upon|post)\b)", re.I)


def _quantity(raw: str) -> tuple[float, float]:
    """Numeric value range of a number token: digits, spelled, "a", "a few", "half an"."""
    key = _norm(raw)
    if key in _FUZZY:
        return _FUZZY[key]
    if key in ("a", "an"):
        return (1.0, 1.0)
    if key.startswith("half"):
        return (0.5, 0.5)
    if key[0].isdigit():
        value = float(key)
        return (value, value)
    total = 0
    for tok in re.split(r"[\s-]+", key):
        if tok == "hundred":
            total = max(total, 1) * 100
        elif tok != "and":
            total += _WORD_VALUE[tok]
    return (float(total), float(total))


def _is_compound(first: str, second: str) -> bool:
    return _norm(first) in _TENS and _norm(second) in _ONES


def _is_article(raw: str) -> bool:
    return _norm(raw) in ("a", "an", "one")


def _left_context(text: str, pos: int) -> re.Match[str] | None:
    return _LEFT_RE.search(text[max(0, pos - _LEFT_WINDOW) : pos])


def _apply_prefix(pre: str | None, lo: float | None, hi: float | None) -> _Range:
    if pre is None:
        return (lo, hi)
    key = _norm(pre)
    key = re.sub(r"\s+(?:just|only|a mere)$", "", key)
    if key in _UPPER:
        return (None, hi)
    if key in _LOWER:
        return (lo, None)
    return (lo, hi)


def _qty_parts(m: re.Match[str]) -> tuple[str, str | None, str | None, str, str]:
    """(number1, unit1, number2, unit2, gap between last number and its unit)."""
    if m.group("bn1") is not None:
        names = ("bn1", "bu1", "bn2", "bu2")
    elif m.group("n1") is not None:
        names = ("n1", "u1", "n2", "u2")
    else:
        names = ("n0", "", "", "u0")
    n1, u1, n2, u2 = (m.group(n) if n else None for n in names)
    assert n1 is not None and u2 is not None
    last_num = names[2] or names[0]
    gap = m.string[m.end(last_num) : m.start(names[3])]
    if u1 is None and n2 is not None and _is_compound(n1, n2):
        # "twenty-four hours" is one number, not the range 20-4.
        return m.string[m.start(names[0]) : m.end(names[2])], None, None, u2, gap
    return n1, u1, n2, u2, gap


def _numeric_candidates(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _QTY_RE.finditer(text):
        n1, u1, n2, u2, gap = _qty_parts(m)
        unit = _norm(u2)
        units = [unit] if u1 is None else [_norm(u1), unit]
        left = _left_context(text, m.start())
        assert left is not None  # every group is optional, so it always matches
        pre_start = m.start() - len(left.group("pre") or "")
        if _REJECT_LEFT_RE.search(text[max(0, pre_start - 40) : pre_start]):
            continue
        if _RIGHT_REJECT_RE.match(text, m.end()):
            continue
        has_for = bool(left.group("vfor") or left.group("sverb"))
        duration_verb = bool(left.group("verb") or left.group("sverb"))
        take_to = _TAKE_TO_RE.match(text, m.end()) if left.group("take") else None
        tail = _TAIL_RE.match(text, m.end())
        pre = left.group("pre")
        context = bool(pre or duration_verb or take_to or left.group("for") or tail)

        # "times" means days only in "last for 4-6 times"; elsewhere it is a count.
        if any(u in _SPUN_UNIT_S for u in units) and not has_for:
            continue
        # Years are history/ages unless explicitly a duration or an onset window.
        if any(u in _YEAR_UNITS for u in units) and not (
            duration_verb or take_to or (pre and _norm(pre).startswith("within"))
        ):
            continue
        # "s"/"h" only after digits; "s" must be spaced so "1960s" is a decade.
        numbers = [n1] if n2 is None else [n1, n2]
        if any(u in _SINGLE_LETTER for u in units):
            if not all(n[0].isdigit() for n in numbers):
                continue
            if "s" in units and not gap:
                continue
            if any(_CLOCK_RE.fullmatch(n) for n in numbers):
                continue
        # "a day", "one day", "a 24-hour period": need an onset context to count.
        hyphen_adj = n2 is None and "-" in gap
        if (hyphen_adj or _is_article(n1)) and not context:
            continue
        if unit == "second" and _norm(n1) in ("a", "an"):  # "in a second study": ordinal
            continue

        q1 = _quantity(n1)
        scale1 = _UNIT_S.get(units[0]) or _SPUN_UNIT_S[units[0]]
        scale2 = _UNIT_S.get(unit) or _SPUN_UNIT_S[unit]
        if n2 is None:
            lo, hi = q1[0] * scale2, q1[1] * scale2
        else:
            lo, hi = q1[0] * scale1, _quantity(n2)[1] * scale2
            lo, hi = min(lo, hi), max(lo, hi)
        min_s, max_s = _apply_prefix(pre, lo, hi)

        start, end = _span_bounds(m, left, pre_start, take_to, tail)
        out.append((start, end, min_s, max_s, False))
    return out


def _span_bounds(
    m: re.Match[str],
    left: re.Match[str],
    pre_start: int,
    take_to: re.Match[str] | None,
    tail: re.Match[str] | None,
) -> tuple[int, int]:
    """Where an expression starts and ends: "takes … to act" and "… after IV" widen it."""
    if take_to is not None:
        return left.start("take") + max(0, m.start() - _LEFT_WINDOW), take_to.end()
    return pre_start, tail.end() if tail is not None else m.end()


def _vague_candidates(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _VAGUE_RE.finditer(text):
        v1 = _norm(m.group("v1") or m.group("v0"))
        v2 = _norm(m.group("v2") or v1)
        left = _left_context(text, m.start())
        assert left is not None
        pre = left.group("pre")
        take_to = _TAKE_TO_RE.match(text, m.end()) if left.group("take") else None
        tail = _TAIL_RE.match(text, m.end())
        introduced = bool(pre or left.group("verb") or left.group("sverb") or left.group("for"))
        if not (introduced or take_to):
            if _VAGUE_BLOCK_LEFT_RE.search(text[max(0, m.start() - 40) : m.start()]):
                continue
            if m.group("v2") is None and tail is None:
                continue
        pre_start = m.start() - len(pre or "")
        if _REJECT_LEFT_RE.search(text[max(0, pre_start - 40) : pre_start]):
            continue
        lo, hi = _VAGUE[v1][0], _VAGUE[v2][1]
        if lo is not None and hi is not None and lo > hi:
            lo, hi = _VAGUE[v2][0], _VAGUE[v1][1]
        min_s, max_s = _apply_prefix(pre, lo, hi)
        start, end = _span_bounds(m, left, pre_start, take_to, tail)
        out.append((start, end, min_s, max_s, False))
    return out


def _qualitative_candidates(text: str) -> list[_Cand]:
    out: list[_Cand] = []
    for regex in (_FWD_RE, _BACK_RE, _STANDALONE_RE):
        out.extend((m.start(), m.end(), None, None, True) for m in regex.finditer(text))
    for m in _IMMEDIATELY_RE.finditer(text):
        tail = _TAIL_RE.match(text, m.end())
        out.append((m.start(), tail.end() if tail else m.end(), None, None, True))
    return out


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest-first greedy choice of non-overlapping candidates, returned in text order."""
    chosen: list[_Cand] = []
    for cand in sorted(cands, key=lambda c: (c[0] - c[1], c[0], c[4])):
        if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
            chosen.append(cand)
    return sorted(chosen)


# Cheap gates: most sentences have no unit word and no onset modifier, so a token-set
# check skips the position-by-position scanners ("24h" still yields the token "h").
_TOKEN_RE = re.compile(r"[a-z]+")
_UNIT_TOKENS = frozenset(w.split()[0] for w in [*_UNIT_S, *_VAGUE, *_SPUN_UNIT_S])
# Every word of every standalone phrase opens the gate ("acting" of "short-acting"): the
# regex then decides.
_QUAL_EXTRA = frozenset(w for phrase in _Q["standalone"] for w in _TOKEN_RE.findall(phrase.lower()))
_TIMING_TOKENS = frozenset(
    w for phrase in _Q["timing_terms"] for w in _TOKEN_RE.findall(phrase.lower())
)
_QUAL_TOKENS = frozenset([*(_norm(w) for w in _Q["modifiers"]), *_QUAL_EXTRA])


def find_onset_expressions(text: str) -> list[OnsetExpression]:
    """Onset/duration expressions in ``text``, sorted and non-overlapping."""
    tokens = set(_TOKEN_RE.findall(text.lower()))
    cands: list[_Cand] = []
    if not tokens.isdisjoint(_UNIT_TOKENS):
        cands += _numeric_candidates(text) + _vague_candidates(text)
    if not tokens.isdisjoint(_QUAL_TOKENS):
        cands += _qualitative_candidates(text)
    measured = any(cand[2] is not None or cand[3] is not None for cand in cands)
    if not measured and not tokens.isdisjoint(_TIMING_TOKENS):
        # "Its long half-life…": about timing, though it states no time (when it states one,
        # that time is the expression).
        cands += [
            (m.start(), m.end(), None, None, True)
            for m in _TIMING_TERM_RE.finditer(text)
            if all(m.end() <= c[0] or m.start() >= c[1] for c in cands)  # "rapid onset" stays
        ]
    if not cands:
        return []
    return [
        OnsetExpression(start, end, text[start:end], lo, hi, qual)
        for start, end, lo, hi, qual in _select(cands)
    ]
