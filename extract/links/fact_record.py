"""One value a claim states, normalized: what :mod:`extract.links.facts` returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
        }
