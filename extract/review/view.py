"""The reviewed view and review progress: the claims of the current build with their decisions.

``OUT/claims_reviewed.parquet`` is ``claims.parquet`` plus the latest decision of each claim
(``review_decision``, ``review_verdict``, ``review_claim_type``, …), so a notebook reads one
table. It is derived data: ``claimset build`` and ``claimset review apply`` (and every review
import) write it again, atomically; the review log stays the record.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from extract.review.log import (
    REVIEWED_VIEW_FILE,
    REVIEWS_FILE,
    SETTLING,
    ResolvedReviews,
    ReviewLog,
    claim_refs,
    claims_path,
    read_claims,
    resolve,
)
from extract.tables.contract import arrow_schema
from extract.tables.io import file_digest, parse_timestamp


def _review_type(name: str) -> pa.DataType:
    return arrow_schema("review").field(name).type


# Columns the view adds to claims.parquet: (column, type, what it holds).
VIEW_COLUMNS: tuple[tuple[str, pa.DataType, str], ...] = (
    ("review_decision", _review_type("decision"), "latest decision; null when unreviewed"),
    ("review_verdict", _review_type("verdict"), "fact-checking verdict of that decision"),
    (
        "review_claim_type",
        _review_type("claim_type"),
        "type after review: the new type of a relabel, the extracted type of an accept",
    ),
    (
        "review_has_citation",
        pa.bool_(),
        "citation flag after review (the correction, else the extracted flag)",
    ),
    ("review_note", pa.string(), "the reviewer's note"),
    ("reviewer", pa.string(), "who made the latest decision"),
    ("reviewed_at", _review_type("reviewed_at"), "when (UTC)"),
    ("review_count", pa.int32(), "decisions logged for the claim (0 when unreviewed)"),
    (
        "review_anchor",
        pa.dictionary(pa.int32(), pa.string()),
        "'claim_id', or 'text' when the decision was carried over to a changed claim",
    ),
    (
        "review_claim_id",
        pa.string(),
        "the claim id the decision was logged against (differs from claim_id when carried over)",
    ),
)


def _view_values(claim: Mapping[str, Any], row: Mapping[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return {name: None for name, _, _ in VIEW_COLUMNS} | {"review_count": 0}
    decision = row["decision"]
    settled = decision in SETTLING and decision != "reject"
    reviewed_type = row["claim_type"] if decision == "relabel" else claim["claim_type"]
    citation = row["has_citation"]
    return {
        "review_decision": decision,
        "review_verdict": row["verdict"],
        "review_claim_type": reviewed_type if settled else None,
        "review_has_citation": (claim["has_citation"] if citation is None else citation)
        if settled
        else None,
        "review_note": row["note"],
        "reviewer": row["reviewer"],
        "reviewed_at": _epoch_micros(row["reviewed_at"]),
        "review_count": row["n_reviews"],
        "review_anchor": "text" if row.get("anchored_from") else "claim_id",
        "review_claim_id": row.get("anchored_from") or row["claim_id"],
    }


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _epoch_micros(stamp: str) -> int:
    return (parse_timestamp(stamp) - _EPOCH) // timedelta(microseconds=1)


@dataclass(frozen=True)
class ApplySummary:
    path: Path
    n_claims: int
    n_reviewed: int
    n_orphans: int
    n_reanchored: int

    def line(self) -> str:
        line = f"Wrote {self.path}: {self.n_claims} claims, {self.n_reviewed} with a decision"
        if self.n_reanchored:
            line += f", {self.n_reanchored} carried over to changed claims"
        if self.n_orphans:
            line += (
                f"; {self.n_orphans} orphaned review(s) kept in the log (claimset review status)"
            )
        return line + "."


_SOURCE_KEY = b"claimset.view_source"
_COUNTS_KEY = b"claimset.view_counts"


def _source_digest(dataset_dir: Path) -> str:
    """sha256 over the claims and the review log: the view is current while it is unchanged."""
    digest = hashlib.sha256()
    for name in ("claims.parquet", REVIEWS_FILE):
        digest.update(f"{name}\x1f{file_digest(dataset_dir / name) or 'absent'}\x1f".encode())
    return digest.hexdigest()


def _current_view(target: Path, source: str) -> ApplySummary | None:
    """The summary of an existing view made from the very same claims and log, if any."""
    if not target.exists():
        return None
    try:
        with pq.ParquetFile(target) as handle:
            metadata = handle.schema_arrow.metadata or {}
    except (OSError, pa.ArrowException):
        return None  # unreadable: write it again
    if metadata.get(_SOURCE_KEY, b"").decode() != source:
        return None
    counts = json.loads(metadata[_COUNTS_KEY])
    return ApplySummary(target, **counts)


def apply_reviews(dataset_dir: Path | str) -> ApplySummary:
    """Write ``claims_reviewed.parquet``: every current claim with its latest decision.

    A view already made from the same claims and the same log is left as it is (a rebuild
    that changed nothing rewrites nothing).
    """
    dataset_dir = Path(dataset_dir)
    target = dataset_dir / REVIEWED_VIEW_FILE
    claims_path(dataset_dir)  # a clear error when there is no dataset
    with ReviewLog(dataset_dir).locked():
        source = _source_digest(dataset_dir)
        current = _current_view(target, source)
        if current is not None:
            return current
        claims = read_claims(dataset_dir)
        resolved = resolve(ReviewLog(dataset_dir).rows(), claim_refs(claims))
        keys = claims.select(["claim_id", "claim_type", "has_citation"]).to_pylist()
        values = [_view_values(c, resolved.by_claim.get(c["claim_id"])) for c in keys]
        view = claims
        for name, data_type, description in VIEW_COLUMNS:
            cells = [value[name] for value in values]
            if pa.types.is_timestamp(data_type):  # exact: microseconds since the epoch
                column = pa.array(cells, pa.int64()).cast(data_type)
            else:
                column = pa.array(cells, type=data_type)
            view = view.append_column(
                pa.field(name, data_type, metadata={"description": description}), column
            )
        counts = {
            "n_claims": len(claims),
            "n_reviewed": len(resolved.by_claim),
            "n_orphans": len(resolved.orphans),
            "n_reanchored": len(resolved.reanchored),
        }
        metadata = {
            **(claims.schema.metadata or {}),
            b"claimset.view": b"claims joined with the latest review decision",
            _SOURCE_KEY: source.encode(),
            _COUNTS_KEY: json.dumps(counts, sort_keys=True).encode(),
        }
        view = view.replace_schema_metadata(metadata)
        staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        pq.write_table(view, staging, compression="zstd", row_group_size=4096)
        with staging.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, target)
    return ApplySummary(target, **counts)


@dataclass(frozen=True)
class ReviewStatus:
    """Progress of the review of one dataset."""

    dataset_dir: Path
    n_claims: int
    n_log_rows: int
    reviewers: list[str]
    by_decision: dict[str, int]
    by_verdict: dict[str, int]
    by_type: dict[str, tuple[int, int]]  # extracted type -> (settled, total)
    orphans: list[dict[str, Any]]
    reanchored: dict[str, str]
    view_stale: bool
    n_settled: int = field(default=0)

    def to_json(self) -> dict[str, Any]:
        return {
            "dataset": str(self.dataset_dir),
            "claims": self.n_claims,
            "reviewed": self.n_settled,
            "log_rows": self.n_log_rows,
            "reviewers": self.reviewers,
            "by_decision": self.by_decision,
            "by_verdict": self.by_verdict,
            "by_type": {k: {"reviewed": r, "total": t} for k, (r, t) in self.by_type.items()},
            "orphans": self.orphans,
            "reanchored": self.reanchored,
            "view_stale": self.view_stale,
        }

    def format(self) -> str:
        share = f" ({self.n_settled / self.n_claims:.1%})" if self.n_claims else ""
        skipped = self.by_decision.get("skip", 0)
        who = f": {', '.join(self.reviewers)}" if self.reviewers else ""
        lines = [
            f"Review of {self.dataset_dir}: {self.n_log_rows} logged decision(s) by "
            f"{len(self.reviewers)} reviewer(s){who}",
            f"reviewed {self.n_settled} / {self.n_claims} claims{share}; skipped {skipped}; "
            f"not yet reviewed {self.n_claims - self.n_settled - skipped}",
            "by decision: " + _counts(self.by_decision, ("accept", "reject", "relabel", "skip")),
            "by verdict:  " + _counts(self.by_verdict, ()),
            f"{'by extracted type':<20} reviewed / total",
        ]
        for name, (settled, total) in sorted(self.by_type.items()):
            lines.append(f"  {name:<18} {settled:>8} / {total}")
        if self.reanchored:
            lines.append(
                f"carried over: {len(self.reanchored)} decision(s) whose claim's text changed "
                "were matched to the nearly identical claim in the same source"
            )
        if self.orphans:
            lines.append(
                f"orphaned: {len(self.orphans)} decision(s) whose claim is not in this build "
                "(kept in the log; they return if the claim does):"
            )
            for row in self.orphans:
                snippet = " ".join(row["claim_text"].split())
                snippet = snippet if len(snippet) <= 70 else snippet[:69] + "…"
                lines.append(
                    f"  {row['claim_id']}  {row['decision']:<7} by {row['reviewer']} at "
                    f"{row['reviewed_at']} in {row['source_file'] or '?'}: “{snippet}”"
                )
        else:
            lines.append("orphaned: none")
        if self.view_stale:
            lines.append(
                f"note: {REVIEWED_VIEW_FILE} is older than the log or the build; "
                "run `claimset review apply` to refresh it"
            )
        return "\n".join(lines)


def _counts(counts: Mapping[str, int], order: Sequence[str]) -> str:
    names = [*order, *sorted(set(counts) - set(order))]
    shown = [f"{name} {counts[name]}" for name in names if counts.get(name)]
    return ", ".join(shown) or "none"


def review_status(dataset_dir: Path | str) -> ReviewStatus:
    dataset_dir = Path(dataset_dir)
    claims = read_claims(dataset_dir, ["claim_id", "source_file", "text", "claim_type"])
    log_rows = ReviewLog(dataset_dir).rows()
    resolved: ResolvedReviews = resolve(log_rows, claim_refs(claims))
    by_decision: Counter[str] = Counter()
    by_verdict: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    settled: Counter[str] = Counter()
    for claim_id, claim_type in zip(
        claims.column("claim_id").to_pylist(),
        claims.column("claim_type").to_pylist(),
        strict=True,
    ):
        totals[claim_type] += 1
        row = resolved.by_claim.get(claim_id)
        if row is None:
            continue
        by_decision[row["decision"]] += 1
        if row["verdict"]:
            by_verdict[row["verdict"]] += 1
        if row["decision"] in SETTLING:
            settled[claim_type] += 1
    return ReviewStatus(
        dataset_dir=dataset_dir,
        n_claims=len(claims),
        n_log_rows=len(log_rows),
        reviewers=sorted({row["reviewer"] for row in log_rows}),
        by_decision=dict(by_decision),
        by_verdict=dict(by_verdict),
        by_type={name: (settled[name], totals[name]) for name in totals},
        orphans=resolved.orphans,
        reanchored=resolved.reanchored,
        view_stale=_view_stale(dataset_dir),
        n_settled=sum(settled.values()),
    )


def _view_stale(dataset_dir: Path) -> bool:
    """Whether the view misses decisions or claims (made from other claims or another log)."""
    return _current_view(dataset_dir / REVIEWED_VIEW_FILE, _source_digest(dataset_dir)) is None


def status_json(status: ReviewStatus) -> str:
    return json.dumps(status.to_json(), indent=2, ensure_ascii=False, default=str)
