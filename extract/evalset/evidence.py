"""Cross-source evidence for the verification set (FEVER/SciFact style).

Each claim's evidence is its own source sentence, then the sentences of other sources'
claims linked to it (``claim_links.parquet``): SUPPORTS for a ``same`` link, REFUTES for a
``contradicts`` link. A reviewed verdict always sets the label; without one, the linked
claims do (``label_source: cross-source``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from extract.review.evidence import Evidence

LABELS = {
    "supported": "SUPPORTS",
    "refuted": "REFUTES",
    "not_enough_info": "NOT ENOUGH INFO",
    "unverified": "unverified",
}
# Linked claims of other sources given as evidence per claim (contradictions first).
MAX_LINKED_EVIDENCE = 5
_ROLE_LABEL = {"same": ("supports", "SUPPORTS"), "contradicts": ("refutes", "REFUTES")}


def linked_evidence(
    claim_id: str,
    evidence: Evidence,
    claims_by_id: Mapping[str, Mapping[str, Any]],
    sentences: Mapping[tuple[str, int], Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The sentences of other sources' claims linked to this one, as evidence items."""
    items = []
    for linked in evidence.of(claim_id)[:MAX_LINKED_EVIDENCE]:
        other = claims_by_id[linked.claim_id]
        sentence = sentences[(other["doc_id"], other["sentence_index"])]
        role, label = _ROLE_LABEL[linked.relation]
        items.append(
            {
                "doc_id": other["doc_id"],
                "source_file": other["source_file"],
                "sentence_index": other["sentence_index"],
                "char_start": sentence["char_start"],
                "char_end": sentence["char_end"],
                "text": sentence["text"],
                "role": role,
                "claim_id": linked.claim_id,
                "label": label,
                "reason": linked.reason,
            }
        )
    return items


def set_label(row: dict[str, Any], verdict: str | None) -> None:
    """A reviewed verdict wins; else what the linked claims of other sources say."""
    if verdict is not None and verdict != "unverified":
        row["label"], row["label_source"] = LABELS[verdict], "review"
        return
    labels = {item["label"] for item in row["evidence"] if item["role"] != "source"}
    if "REFUTES" in labels:
        row["label"], row["label_source"] = "REFUTES", "cross-source"
    elif "SUPPORTS" in labels:
        row["label"], row["label_source"] = "SUPPORTS", "cross-source"
    else:
        row["label"], row["label_source"] = LABELS["unverified"], "none"


def keep_evidence_in_split(
    rows: Sequence[dict[str, Any]], split_of: Mapping[str, str], verdicts: Mapping[str, str | None]
) -> int:
    """Drop evidence from documents of another split (no text crosses splits) and relabel
    rows whose label came from it. Returns the number of evidence items dropped."""
    dropped = 0
    for row in rows:
        split = split_of[row["doc_id"]]
        kept = [
            item
            for item in row["evidence"]
            if item["role"] == "source" or split_of.get(item["doc_id"]) == split
        ]
        dropped += len(row["evidence"]) - len(kept)
        row["evidence"] = kept
        set_label(row, verdicts.get(row["id"]))
    return dropped
