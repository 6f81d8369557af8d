"""One value a claim states, normalized: what :mod:`extract.links.facts` returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# "Onset: 15 - 60 minutes", "**Common:** 100-250mg", "Total | 3 - 5 hours".
_LABEL_LINE = re.compile(r"^\W*[A-Za-z][\w /().,-]{0,40}?\W*[:|]")
# A value line: a number first, and short ("6 - 10 hours", "23-215 hours").
_VALUE_LINE = re.compile(r"^\W*[~≈<>]?\s*\d")
_VALUE_LINE_WORDS = 6


def value_form(text: str) -> str:
    """ "labelled" for a value a page lists ("Onset: 15 - 60 minutes"), else "sentence"."""
    listed = bool(_LABEL_LINE.match(text)) or (
        bool(_VALUE_LINE.match(text)) and len(text.split()) <= _VALUE_LINE_WORDS
    )
    return "labelled" if listed else "sentence"


@dataclass(frozen=True)
class Fact:
    kind: str
    route: str | None
    level: str | None
    jurisdiction: str | None
    low: float | None
    high: float | None
    unit: str | None
    status: str | None
    text: str
    start: int
    end: int
    # Conditions that are not columns of their own ("metabolite", "children"): values
    # under different qualifiers are not the same measurement.
    conditions: frozenset[str] = field(default_factory=frozenset)
    route_from_heading: bool = False
    # "labelled": a value the page lists ("Onset: 15 - 60 minutes"); "sentence": said in
    # running text, where a time may belong to something else ("the ride up lasts 30 min").
    form: str = "labelled"
    # Words between the word naming the value's kind and the value, linking words ("of",
    # "about") not counted ("the half-life of caffeine is about 6 hours": 1; "Onset: 15
    # min": 0); None when the kind comes from a heading or the unit.
    label_gap: int | None = None

    def to_row(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "route": self.route,
            "level": self.level,
            "jurisdiction": self.jurisdiction,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "status": self.status,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "conditions": sorted(self.conditions),
            "form": self.form,
            "label_gap": self.label_gap,
        }
