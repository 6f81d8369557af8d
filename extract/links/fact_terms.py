"""The words facts are read with (``patterns/fact_terms.json``), compiled once.

Shared by the readers of quantities, legal statuses and the facts built from them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_TERMS_FILE = Path(__file__).resolve().parent / "patterns" / "fact_terms.json"
# The words of grades (read by extract/links/grades.py); in the digest of cached facts too.
GRADES_FILE = _TERMS_FILE.parent / "grades.json"
with _TERMS_FILE.open(encoding="utf-8") as _handle:
    # Numbers pages write in words; read once at import, as the number pattern needs them.
    NUMBER_WORDS: dict[str, float] = {
        word: float(value) for word, value in json.load(_handle)["number_words"].items()
    }
_NUMBER = (
    r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|(?<![\w-])(?:"
    + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=lambda w: (-len(w), w)))
    + r")(?![\w-]))"
)


# Bumped when the reading of facts changes for the same words, so cached rows are not reused.
FACT_RULES_VERSION = "facts.v8"


def terms_digest() -> str:
    """sha256 of the words facts are read with (this file's and the grades') and the version
    of the rules that read them: cached rows hold facts read with both."""
    digest = hashlib.sha256(FACT_RULES_VERSION.encode())
    digest.update(_TERMS_FILE.read_bytes())
    digest.update(GRADES_FILE.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Terms:
    labels: re.Pattern[str]
    label_kind: Mapping[str, str]
    verb_labels: frozenset[str]  # "lasts": the value is the phase's it is said of
    linking_words: frozenset[str]  # "of", "about": not counted between a label and its value
    value_followers: frozenset[str]  # words after a value that leave it the label's
    delta_words: re.Pattern[str]  # "pushed back", "by": the value is a change
    study_words: re.Pattern[str]  # "a 2015 study found": one study's result
    event_persons: frozenset[str]  # "he first synthesized": a person's first, not the drug's
    events: re.Pattern[str]  # what a date dates: "first synthesized", "brought to market"
    event_of: Mapping[str, str]
    event_steps: re.Pattern[str]  # another step of one history: "proposed", "filed"
    routes: re.Pattern[str]
    route_of: Mapping[str, str]
    qualifiers: re.Pattern[str]
    qualifier_of: Mapping[str, str]
    jurisdictions: re.Pattern[str]
    jurisdiction_of: Mapping[str, str]
    tenses: re.Pattern[str]
    tense_of: Mapping[str, str]
    metabolite: re.Pattern[str]
    statuses: tuple[tuple[re.Pattern[str], str], ...]
    quantity: re.Pattern[str]
    time_units: Mapping[str, float]
    plausible_s: Mapping[str, float]
    mass_units: Mapping[str, float]
    other_units: Mapping[str, str]


def alternation(phrases: Iterable[str]) -> str:
    """The phrases as one regex alternation, longest first (the leftmost-longest wins)."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(re.escape(p) for p in ordered)


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w/])(?:" + alternation(phrases) + r")(?![\w])", re.I)


@cache
def fact_terms() -> Terms:
    with _TERMS_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    label_kind = {p.lower(): kind for kind, ps in data["labels"].items() for p in ps}
    route_of = {p.lower(): route for route, ps in data["routes"].items() for p in ps}
    qualifier_of = {p.lower(): q for q, ps in data["qualifiers"].items() for p in ps}
    jurisdiction_of = {p.lower(): j for j, ps in data["jurisdictions"].items() for p in ps}
    tense_of = {p.lower(): t for t, ps in data["tenses"].items() for p in ps}
    event_of = {p.lower(): e for e, ps in data["events"].items() for p in ps}
    units = [*data["time_units"], *data["mass_units"], *data["other_units"]]
    # "315.369 g/mol", "20 mg/mL": a unit over a denominator it does not list is no mass.
    unit = "(?:" + alternation(units) + r")(?![\w]|/\s*(?:mol|l|ml|dl|m2|m²|h|hr|min)\b)"
    # "15 - 60 minutes", "30 min - 2 hours", "100-250mg", "300 mg +", "up to 6 hours", "~1 h".
    quantity = re.compile(
        rf"(?P<bound>\bup to|\bno more than|\bnot more than|\bat most|\bless than|\bunder|\bwithin"
        rf"|\bat least|\bover|\bmore than|\babove|>|<|≥|≤)?\s*"
        rf"[~≈]?\s*(?P<low>{_NUMBER})\s*(?P<low_unit>{unit})?"
        rf"(?:\s*(?:-|–|—|to|or|(?<=\d )and|(?<=[a-z] )and)\s*[~≈]?\s*(?P<high>{_NUMBER}))?"
        rf"\s*(?P<unit>{unit})"
        rf"(?P<open>\s*\+)?",
        re.I,
    )
    statuses = tuple((re.compile(pattern, re.I), name) for pattern, name in data["statuses"])
    return Terms(
        labels=_phrase_pattern(label_kind),
        label_kind=label_kind,
        verb_labels=frozenset(v.lower() for v in data["verb_labels"]),
        linking_words=frozenset(w.lower() for w in data["linking_words"]),
        value_followers=frozenset(w.lower() for w in data["value_followers"]),
        delta_words=_phrase_pattern(data["delta_words"]),
        study_words=_phrase_pattern(data["study_words"]),
        event_persons=frozenset(w.lower() for w in data["event_persons"]),
        events=_phrase_pattern(event_of),
        event_of=event_of,
        event_steps=_phrase_pattern(data["event_steps"]),
        routes=_phrase_pattern(route_of),
        route_of=route_of,
        qualifiers=_phrase_pattern(qualifier_of),
        qualifier_of=qualifier_of,
        jurisdictions=_phrase_pattern(jurisdiction_of),
        jurisdiction_of=jurisdiction_of,
        tenses=_phrase_pattern(tense_of),
        tense_of=tense_of,
        metabolite=re.compile(
            r"(?<![a-z])(?!(?:" + alternation(data["metabolite_prefix_exceptions"]) + r")\b)"
            r"(?:" + alternation(data["metabolite_prefixes"]) + r")[a-z]{4,}",
            re.I,
        ),
        statuses=statuses,
        quantity=quantity,
        time_units={k.lower(): float(v) for k, v in data["time_units"].items()},
        plausible_s={k: float(v) for k, v in data["plausible_ranges_s"].items()},
        mass_units={k.lower(): float(v) for k, v in data["mass_units"].items()},
        other_units={k.lower(): v for k, v in data["other_units"].items()},
    )


def nearest_phrase(
    matches: Sequence[tuple[int, int, str]], position: int, before_only: bool = False
) -> str | None:
    best, best_distance = None, None
    for start, end, value in matches:
        if before_only and start > position:
            continue
        distance = position - end if end <= position else start - position
        if best_distance is None or distance < best_distance:
            best, best_distance = value, distance
    return best


def find_phrases(
    pattern: re.Pattern[str], mapping: Mapping[str, str], text: str
) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), mapping[m.group(0).lower()]) for m in pattern.finditer(text)]
