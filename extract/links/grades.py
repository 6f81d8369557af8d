"""Qualities pages grade in words: "a short-acting benzodiazepine", "rapid onset", "highly
addictive", "moderately lipophilic".

Pages that give no number often still grade: one calls a drug's onset rapid, another
intermediate. A grade is a :class:`Fact` of its own kind (``onset_speed``,
``action_length``, ``addictiveness``, ``lipophilicity``) with unit ``grade``, its level's
rank as the value (so levels compare as numbers) and the level's name as ``status``. The
words are data (``patterns/grades.json``). A comparative ("faster than diazepam", "compared
with") grades against another drug, and a negated grade ("not fast-acting") says what the
drug is not: neither is a grade.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from extract.links.fact_record import Fact, value_form
from extract.links.fact_terms import GRADES_FILE, Terms, alternation, find_phrases

# A negation this close before a grade ("not a fast-acting drug") rules it out.
_NEGATION_REACH = 16
_QUALIFIER_REACH = 40


@dataclass(frozen=True)
class _Grades:
    pattern: re.Pattern[str]  # every phrase of every kind, one named group per kind and level
    levels: dict[str, tuple[str, str, int]]  # group name -> (kind, level, rank)
    comparative: re.Pattern[str]
    negation: re.Pattern[str]


def _words(phrases: list[str]) -> str:
    return "(?:" + alternation(phrases) + ")"


@cache
def _grades() -> _Grades:
    data = json.loads(GRADES_FILE.read_text(encoding="utf-8"))
    alternatives: list[str] = []
    levels: dict[str, tuple[str, str, int]] = {}
    for kind, spec in data["kinds"].items():
        attribute = _words(spec["attribute"])
        for rank, (level, words) in enumerate(spec["levels"].items()):
            name = f"g{len(levels)}"
            levels[name] = (kind, level, rank)
            shapes = [
                re.escape(form)
                .replace(re.escape("{level}"), _words(words))
                .replace(re.escape("{attribute}"), attribute)
                .replace(r"\ ", r"\s+")
                for form in spec["forms"]
            ]
            alternatives.append(f"(?P<{name}>" + "|".join(shapes) + ")")
    return _Grades(
        pattern=re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I),
        levels=levels,
        comparative=re.compile(r"(?<!\w)" + _words(data["comparatives"]) + r"(?!\w)", re.I),
        negation=re.compile(r"(?<!\w)" + _words(data["negations"]) + r"(?!\w)", re.I),
    )


def grade_facts(text: str, char_start: int, terms: Terms) -> list[Fact]:
    """The qualities a claim grades in words, one fact per kind (none if it grades one
    quality at two levels, or compares the drug with another)."""
    grades = _grades()
    if grades.comparative.search(text):
        return []
    found: dict[str, list[tuple[int, int, str, int]]] = {}
    for match in grades.pattern.finditer(text):
        name = next(group for group, value in match.groupdict().items() if value)
        kind, level, rank = grades.levels[name]
        before = text[max(0, match.start() - _NEGATION_REACH) : match.start()]
        if grades.negation.search(before):
            continue  # "not a fast-acting drug": no grade of its own
        found.setdefault(kind, []).append((match.start(), match.end(), level, rank))
    qualifiers = find_phrases(terms.qualifiers, terms.qualifier_of, text)
    facts = []
    for kind, matches in found.items():
        if len({rank for _, _, _, rank in matches}) != 1:
            continue  # "short-acting … long-acting": two forms, not one grade
        start, end, level, rank = matches[0]
        # Qualifiers next to the grade ("extended-release forms are long-acting"), not
        # anywhere in the claim ("high binding to plasma proteins … highly lipid soluble").
        near = frozenset(
            q for s, e, q in qualifiers if start - _QUALIFIER_REACH <= s and e <= end + 8
        )
        facts.append(
            Fact(
                kind=kind,
                route=None,
                level=None,
                jurisdiction=None,
                low=float(rank),
                high=float(rank),
                unit="grade",
                status=level,
                text=text[start:end],
                start=char_start + start,
                end=char_start + end,
                conditions=near,
                form=value_form(text),
                label_gap=0,
            )
        )
    return facts
