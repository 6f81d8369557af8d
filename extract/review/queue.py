"""The claims of one dataset as the review page serves them.

Loaded once with their context, filtered into the review queue, and shaped into the JSON
payloads (claim views, progress) the server's API answers with.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from extract.review.context import ReviewItem, review_items
from extract.review.evidence import Evidence
from extract.review.log import (
    DECISIONS,
    SETTLING,
    ClaimRef,
    ResolvedReviews,
    ReviewLog,
    resolve,
)


@dataclass(frozen=True)
class QueueFilter:
    """Which claims the queue keeps; type and citation flag as extracted."""

    claim_type: str | None = None
    unreviewed: bool = False
    uncited: bool = False
    needs_citation: bool = False

    def keeps(self, claim: Mapping[str, Any], latest: Mapping[str, Any] | None) -> bool:
        if self.claim_type is not None and claim["claim_type"] != self.claim_type:
            return False
        if self.uncited and claim["has_citation"]:
            return False
        if self.needs_citation and not claim.get("citation_needed"):
            return False
        return not (self.unreviewed and latest is not None and latest["decision"] in SETTLING)


class ReviewDataset:
    """The claims of one dataset with their context, loaded once, and its review state."""

    def __init__(self, dataset_dir: Path | str) -> None:
        self.dataset_dir = Path(dataset_dir)
        self.items: list[ReviewItem] = list(review_items(self.dataset_dir))
        self.position = {item.claim["claim_id"]: n for n, item in enumerate(self.items)}
        self.refs = [
            ClaimRef(item.claim["claim_id"], item.claim["source_file"], item.claim["text"])
            for item in self.items
        ]
        self.evidence = Evidence(
            self.dataset_dir, {item.claim["claim_id"]: item.claim for item in self.items}
        )
        # Every claim's entities, per document: a paragraph shows its neighbours' too.
        self.entities_by_doc: dict[str, list[dict[str, Any]]] = {}
        for item in self.items:
            self.entities_by_doc.setdefault(item.claim["doc_id"], []).extend(
                item.claim["entities"] or ()
            )

    def __len__(self) -> int:
        return len(self.items)

    def item(self, claim_id: str) -> ReviewItem | None:
        number = self.position.get(claim_id)
        return None if number is None else self.items[number]

    def reviews(self) -> ResolvedReviews:
        """The latest decision per current claim, read from the log now."""
        return resolve(ReviewLog(self.dataset_dir).rows(), self.refs)

    def progress(self, reviews: ResolvedReviews) -> dict[str, Any]:
        counts = Counter(row["decision"] for row in reviews.by_claim.values())
        return {
            "reviewed": sum(counts[decision] for decision in SETTLING),
            "total": len(self.items),
            "by_decision": {decision: counts[decision] for decision in DECISIONS},
            "orphaned": len(reviews.orphans),
        }

    def queue(self, keep: QueueFilter, reviews: ResolvedReviews) -> list[str]:
        """The claims the filter keeps: those another source contradicts first (a verdict
        is most needed where sources disagree), each group in the items' order."""
        kept = [
            item.claim["claim_id"]
            for item in self.items
            if keep.keeps(item.claim, reviews.by_claim.get(item.claim["claim_id"]))
        ]
        return sorted(kept, key=self._rank)

    def _rank(self, claim_id: str) -> tuple[bool, int]:
        """A claim's place in any queue: contradicted claims first, then document order."""
        return (not self.evidence.contradicted(claim_id), self.position[claim_id])

    def neighbours(self, queue: list[str], at: str) -> tuple[str | None, str | None]:
        """The queued claims just before and just after ``at`` in queue order.

        ``at`` need not be in the queue (a claim just reviewed leaves an "unreviewed" queue),
        so the comparison is by its rank (contradicted first, then document position), not
        by queue index.
        """
        where = self._rank(at)
        before = [cid for cid in queue if self._rank(cid) < where]
        after = [cid for cid in queue if self._rank(cid) > where]
        return (before[-1] if before else None), (after[0] if after else None)

    def claim_view(self, item: ReviewItem, reviews: ResolvedReviews) -> dict[str, Any]:
        """A claim as the page shows it: facts, paragraph segments, latest decision."""
        claim = _plain(item.claim)
        start = item.paragraph_start
        claim_start = claim["char_start"] - start
        claim_end = claim["char_end"] - start
        entities = self._paragraph_entities(item)
        return {
            "claim": claim,
            "source_file": claim["source_file"],
            "line": item.line,
            "paragraph": item.paragraph,
            "paragraph_start": start,
            "claim_start": claim_start,
            "claim_end": claim_end,
            "paragraph_entities": entities,
            "segments": _segments(item.paragraph, claim_start, claim_end, entities),
            "sentence_before": item.sentence_before,
            "sentence_after": item.sentence_after,
            "latest_decision": _plain(reviews.by_claim.get(claim["claim_id"])),
            "evidence": [linked.to_json() for linked in self.evidence.of(claim["claim_id"])],
        }

    def _paragraph_entities(self, item: ReviewItem) -> list[dict[str, Any]]:
        """Entity mentions inside the paragraph, paragraph-relative, without overlaps."""
        begin, finish = item.paragraph_start, item.paragraph_end
        inside = {
            (entity["start"], entity["end"]): entity
            for entity in self.entities_by_doc.get(item.claim["doc_id"], ())
            if begin <= entity["start"] < entity["end"] <= finish
        }
        kept: list[dict[str, Any]] = []
        kept_until = begin
        # Longest first at each start, then skip any mention overlapping one already kept.
        for (entity_start, entity_end), entity in sorted(
            inside.items(), key=lambda pair: (pair[0][0], -pair[0][1])
        ):
            if entity_start < kept_until:
                continue
            kept_until = entity_end
            kept.append(
                {
                    "text": entity["text"],
                    "label": entity["label"],
                    "canonical": entity["canonical"],
                    "start": entity_start - begin,
                    "end": entity_end - begin,
                }
            )
        return kept


def _segments(
    paragraph: str, claim_start: int, claim_end: int, entities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The paragraph cut where the claim or an entity starts or ends.

    The page renders each piece as a text node (inside ``<mark>`` for the claim), so it
    never has to slice strings itself: offsets are code points in Python but UTF-16 units
    in JavaScript, and they part ways at the first emoji.
    """
    cuts = {0, len(paragraph), claim_start, claim_end}
    for entity in entities:
        cuts.update((entity["start"], entity["end"]))
    bounds = sorted(cut for cut in cuts if 0 <= cut <= len(paragraph))
    segments = []
    for begin, finish in pairwise(bounds):
        covering = next((e for e in entities if e["start"] <= begin and finish <= e["end"]), None)
        segments.append(
            {
                "text": paragraph[begin:finish],
                "in_claim": claim_start <= begin and finish <= claim_end,
                "entity": (
                    None
                    if covering is None
                    else {"label": covering["label"], "canonical": covering["canonical"]}
                ),
            }
        )
    return segments


def _plain(value: Any) -> Any:
    """A row as strict JSON can carry it (NaN, which JSON lacks, becomes null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {key: _plain(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(inner) for inner in value]
    return value
