"""How far to trust a link: the share of links of its class judged right in audits.

A link's class is its relation and method, and for a contradiction between values the group
of its kind of value ("contradicts fact times"). ``patterns/link_confidence.json`` holds, per
class, the smoothed share of audited links judged right (written by
:mod:`extract.quality.audits` from ``tests/fixtures/link_audits/``). A class judged right less
often than not makes no links at all: a reviewer or an evaluation set is better served by
fewer contradictions than by mostly wrong ones. A class never audited gets the prior, one
half.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

CONFIDENCE_FILE = Path(__file__).resolve().parent / "patterns" / "link_confidence.json"
# Kinds of value whose contradictions are measured together: audits hold few of each alone.
KIND_GROUPS: Mapping[str, tuple[str, ...]] = {
    "times": ("onset", "come_up", "peak", "time_to_peak", "offset", "duration", "after_effects"),
    "half_life": ("half_life", "bioavailability"),
    "dose": ("dose",),
    "legal_status": ("legal_status",),
    "date": ("date",),
    "grade": ("onset_speed", "action_length", "addictiveness", "lipophilicity"),
}
# Links of a class judged right less often than this are not made.
MIN_LINK_CONFIDENCE = 0.5
# (right + 1) / (judged + 2) with nothing judged.
PRIOR = 0.5


def link_class(relation: str, method: str, fact_kind: str | None) -> str:
    """The class a link's confidence is measured for: "same fact", "contradicts fact times"."""
    if relation != "contradicts" or method != "fact":
        return f"{relation} {method}"
    group = next((g for g, kinds in KIND_GROUPS.items() if fact_kind in kinds), "other")
    return f"{relation} {method} {group}"


@cache
def _table() -> Mapping[str, float]:
    data = json.loads(CONFIDENCE_FILE.read_text(encoding="utf-8"))
    return {str(name): float(value) for name, value in data["confidence"].items()}


def link_confidence(relation: str, method: str, fact_kind: str | None) -> float:
    """The audited confidence of a link of this relation, method and kind of value."""
    return _table().get(link_class(relation, method, fact_kind), PRIOR)


def confidence_digest() -> bytes:
    """The table's bytes, for the digest the cached links are keyed on."""
    return CONFIDENCE_FILE.read_bytes()
