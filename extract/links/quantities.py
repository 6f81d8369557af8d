"""Quantities in a claim: numbers with units, as ranges in one unit per dimension.

"15 - 60 minutes", "30 min - 2 hours", "100-250mg", "300 mg +", "up to 6 hours",
"between 3 and 7 hours", "45 to 1 hour", "one hour", Erowid's clock times "00:30 – 01:30":
each becomes a :class:`Quantity` in seconds, milligrams or its own unit ("%", "mg/kg").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.links.fact_terms import NUMBER_WORDS, Terms

# Erowid's clock times: "Onset: 00:30 – 01:30" (hours:minutes).
_CLOCK_RANGE = re.compile(
    r"(?<![\d:])(\d{1,2}):([0-5]\d)\s*(?:-|–|—|to)\s*(\d{1,2}):([0-5]\d)(?![\d:])"
)

# "3.6 ± 0.9 hours", "45 +/- 21%": a mean and its spread, just before the spread's number.
_MEAN_PLUS_MINUS = re.compile(r"(\d[\d.,]*)\s*(?:±|\+/-|\+-)\s*$")


def _unit_of(raw: str | None, terms: Terms) -> tuple[str, float] | None:
    if raw is None:
        return None
    key = raw.lower()
    if key in terms.time_units:
        return "s", terms.time_units[key]
    if key in terms.mass_units:
        return "mg", terms.mass_units[key]
    if key in terms.other_units:
        return terms.other_units[key], 1.0
    return None


def _number(raw: str) -> float:
    word = NUMBER_WORDS.get(raw.lower())
    return float(word) if word is not None else float(raw.replace(",", ""))


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    low: float | None
    high: float | None
    unit: str


def read_quantities(text: str, terms: Terms) -> list[Quantity]:
    found = []
    for match in terms.quantity.finditer(text):
        unit = _unit_of(match.group("unit"), terms)
        if unit is None:
            continue
        name, scale = unit
        low_unit = _unit_of(match.group("low_unit"), terms)
        if match.group("high") is not None and low_unit is not None and low_unit[0] != name:
            continue  # "5 mg - 2 hours" is two things
        low_scale = low_unit[1] if low_unit is not None else scale
        low = _number(match.group("low")) * low_scale
        high: float | None = (
            _number(match.group("high")) * scale if match.group("high") is not None else low
        )
        # "within 45 to 60 minutes" is the range; "within 30 minutes" is up to 30.
        bound = (match.group("bound") or "").lower() if match.group("high") is None else ""
        if bound in (
            "up to",
            "no more than",
            "not more than",
            "at most",
            "less than",
            "under",
            "within",
            "<",
            "≤",
        ):
            low = 0.0
        elif bound in ("at least", "over", "more than", "above", ">", "≥") or match.group("open"):
            high = None
        if high is not None and high < low and match.group("low_unit") is None and name == "s":
            # "45 to 1 hour": the first number is in the next smaller unit (minutes).
            smaller = low / scale * (scale / 60)
            low = smaller if smaller <= high else low
        if high is not None and high < low:
            continue  # "10-5 mg": not a range we understand
        start = match.start("bound") if match.group("bound") else match.start("low")
        spread = _MEAN_PLUS_MINUS.search(text, max(0, start - 24), start)
        if spread is not None and match.group("high") is None:
            # "3.6 ± 0.9 hours": the value is the mean, the number after "±" its spread.
            start = spread.start()
            low = high = float(spread.group(1).replace(",", "")) * scale
        low, high = round(low, 3), (None if high is None else round(high, 3))
        found.append(Quantity(start, match.end(), low, high, name))
    for match in _CLOCK_RANGE.finditer(text):
        if any(q.start < match.end() and match.start() < q.end for q in found):
            continue
        low = int(match.group(1)) * 3600.0 + int(match.group(2)) * 60.0
        high = int(match.group(3)) * 3600.0 + int(match.group(4)) * 60.0
        if low <= high:
            found.append(Quantity(match.start(), match.end(), low, high, "s"))
    found.sort(key=lambda q: q.start)
    return found
