"""Evidence for a reviewer: the claims of other sources linked to a claim.

A verdict (supported, refuted) is a judgement against other statements of the same fact;
``claim_links.parquet`` holds them. Every channel (the review page, the CSV export, the
evaluation set) reads them through :class:`Evidence`, contradictions first, then the
strongest links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from extract.tables.io import LINKS_FILE

# Linked claims shown per claim (the count of all is kept).
MAX_SHOWN = 8
_ORDER = {"contradicts": 0, "same": 1}


@dataclass(frozen=True)
class LinkedClaim:
    claim_id: str
    source_file: str
    text: str
    relation: str  # "same" or "contradicts"
    method: str
    reason: str
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id,
            "source_file": self.source_file,
            "text": self.text,
            "relation": self.relation,
            "method": self.method,
            "reason": self.reason,
            "confidence": self.confidence,
        }


class Evidence:
    """Every claim's links to claims of other sources, read once from a dataset."""

    def __init__(self, dataset_dir: Path | str, claims: Mapping[str, Mapping[str, Any]]) -> None:
        """``claims``: claim id -> a row with at least ``source_file`` and ``text``."""
        self._linked: dict[str, list[LinkedClaim]] = defaultdict(list)
        path = Path(dataset_dir) / LINKS_FILE
        if not path.exists():  # a dataset built before links existed
            return
        columns = ["claim_id_a", "claim_id_b", "relation", "method", "reason", "confidence"]
        for link in pq.read_table(path, columns=columns).to_pylist():
            for own, other in (("claim_id_a", "claim_id_b"), ("claim_id_b", "claim_id_a")):
                row = claims.get(link[other])
                if row is None:
                    continue
                self._linked[link[own]].append(
                    LinkedClaim(
                        claim_id=link[other],
                        source_file=str(row["source_file"]),
                        text=str(row["text"]),
                        relation=str(link["relation"]),
                        method=str(link["method"]),
                        reason=str(link["reason"]),
                        confidence=float(link["confidence"]),
                    )
                )
        for linked in self._linked.values():
            linked.sort(key=lambda x: (_ORDER.get(x.relation, 2), -x.confidence, x.claim_id))

    def of(self, claim_id: str) -> list[LinkedClaim]:
        """The claim's linked claims, contradictions first, then by confidence."""
        return self._linked.get(claim_id, [])

    def contradicted(self, claim_id: str) -> bool:
        linked = self._linked.get(claim_id, [])
        return bool(linked) and linked[0].relation == "contradicts"

    def summary(self, claim_id: str, limit: int = MAX_SHOWN) -> str:
        """One cell of text: each linked claim on its own line, contradictions first."""
        linked = self.of(claim_id)
        lines = [
            f"[{x.relation.upper()}] {x.source_file}: {x.text} ({x.reason})" for x in linked[:limit]
        ]
        if len(linked) > limit:
            lines.append(f"… and {len(linked) - limit} more")
        return "\n".join(lines)
