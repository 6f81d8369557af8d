"""Review decisions: an append-only log beside the dataset, and the claims it applies to.

``OUT/reviews.parquet`` holds one row per decision (``schema/review.schema.json``). Rows
are only ever added: an append writes the old rows followed by the new ones to a fresh
file and renames it over the log, under a lock, so a crash or a second writer can never
lose a decision. Builds never touch the log.

The latest decision per claim (by ``reviewed_at``, then log order) is the one that
counts. A decision follows its claim through the stable ``claim_id``; when a rebuild no
longer has that id (the claim's words changed), the review is re-anchored to the claim in
the same source whose text is nearly the same (or, for a renamed file, to the one claim
anywhere with the very same words), and otherwise kept and reported as orphaned.
"""

from __future__ import annotations

import fcntl
import getpass
import os
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from extract.errors import ClaimsetError, UsageError
from extract.tables.contract import arrow_schema, load_json_schema
from extract.tables.io import read_parquet, to_table
from extract.tables.records import normalize_claim_text

REVIEWS_FILE = "reviews.parquet"
REVIEWED_VIEW_FILE = "claims_reviewed.parquet"
_LOCK_FILE = ".reviews.lock"
# A changed claim keeps its review when its new text is at least this similar (difflib
# ratio) to the reviewed text, in the same source, and no other claim there is as close.
REANCHOR_MIN_RATIO = 0.85


def _enum(field_name: str) -> tuple[str, ...]:
    values = load_json_schema("review")["properties"][field_name]["enum"]
    return tuple(value for value in values if value is not None)


DECISIONS = _enum("decision")
VERDICTS = _enum("verdict")
CLAIM_TYPES = _enum("claim_type")
CHANNELS = _enum("channel")
# Decisions that settle a claim; "skip" means seen and left for later.
SETTLING = frozenset({"accept", "reject", "relabel"})


class ReviewError(ClaimsetError):
    """A decision or a file of decisions cannot be taken as it is; nothing was written."""


def log_time(moment: datetime) -> str:
    """A moment as the log stores it: ISO 8601, UTC, microseconds, "Z" (no zone = UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc_now() -> str:
    return log_time(datetime.now(UTC))


def default_reviewer() -> str:
    try:
        return os.environ.get("CLAIMSET_REVIEWER") or getpass.getuser() or "reviewer"
    except (KeyError, OSError):  # no user name on this system (containers)
        return "reviewer"


@dataclass(frozen=True)
class Decision:
    """One reviewer's decision on one claim: a row of the review log."""

    claim_id: str
    decision: str
    claim_type: str | None = None
    has_citation: bool | None = None
    verdict: str | None = None
    note: str | None = None
    reviewer: str = field(default_factory=default_reviewer)
    reviewed_at: str = field(default_factory=utc_now)
    channel: str = "api"
    source_file: str = ""
    claim_text: str = ""
    review_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_row(self) -> dict[str, Any]:
        return asdict(self)

    def same_content(self, row: Mapping[str, Any]) -> bool:
        """Whether a logged row says the same thing (ignoring who, when and how)."""
        keys = ("claim_id", "decision", "claim_type", "has_citation", "verdict", "note")
        return all(getattr(self, key) == row.get(key) for key in keys)


def _iso(value: Any) -> str:
    return log_time(value) if isinstance(value, datetime) else str(value)


class ReviewLog:
    """The append-only decision log of one dataset folder."""

    def __init__(self, dataset_dir: Path | str) -> None:
        self.dataset_dir = Path(dataset_dir)
        self.path = self.dataset_dir / REVIEWS_FILE

    def read(self) -> pa.Table:
        """Every logged decision in log order (an empty table when there is no log yet)."""
        if not self.path.exists():
            return arrow_schema("review").empty_table()
        try:
            return read_parquet(self.path).cast(arrow_schema("review"))
        except (OSError, pa.ArrowException) as error:
            raise ReviewError(
                f"cannot read the review log {self.path}: {error}; it was left as it is — "
                "restore it from a backup, or move it away to start a new log"
            ) from None

    def rows(self) -> list[dict[str, Any]]:
        """Logged decisions as plain rows, ``reviewed_at`` as ISO text."""
        if not self.path.exists():
            return []  # no log yet (and no empty timestamp table: building one imports pandas)
        rows: list[dict[str, Any]] = self.read().to_pylist()
        for row in rows:
            row["reviewed_at"] = _iso(row["reviewed_at"])
        return rows

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive access for a read-then-append (other writers wait)."""
        self.dataset_dir.mkdir(parents=True, exist_ok=True)
        with (self.dataset_dir / _LOCK_FILE).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def append(self, decisions: Sequence[Decision]) -> int:
        """Validate every decision, then add them all (or, on any problem, none)."""
        if not decisions:
            return 0
        rows = [decision.to_row() for decision in decisions]
        new = to_table("review", rows, {})
        with self.locked():
            old = self.read()
            table = pa.concat_tables([old, new.cast(old.schema)])
            staging = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            pq.write_table(table, staging, compression="zstd")
            with staging.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(staging, self.path)
            directory = os.open(self.dataset_dir, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        return len(rows)


def latest_decisions(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The decision that counts per claim id: the latest ``reviewed_at``, then log order."""
    latest: dict[str, dict[str, Any]] = {}
    counts: Counter[str] = Counter()
    for row in rows:
        claim_id = row["claim_id"]
        counts[claim_id] += 1
        held = latest.get(claim_id)
        if held is None or _iso(row["reviewed_at"]) >= held["reviewed_at"]:
            latest[claim_id] = {**row, "reviewed_at": _iso(row["reviewed_at"])}
    for claim_id, row in latest.items():
        row["n_reviews"] = counts[claim_id]
    return latest


@dataclass(frozen=True)
class ResolvedReviews:
    """The latest decisions matched to the claims of the current build."""

    by_claim: dict[str, dict[str, Any]]  # current claim_id -> latest decision row
    reanchored: dict[str, str]  # logged claim_id -> current claim_id (text changed)
    orphans: list[dict[str, Any]]  # latest decisions whose claim is gone


@dataclass(frozen=True)
class ClaimRef:
    """What review needs to know of a current claim to find it again."""

    claim_id: str
    source_file: str
    text: str


def resolve(decisions: Iterable[Mapping[str, Any]], claims: Iterable[ClaimRef]) -> ResolvedReviews:
    """Match each claim's latest decision to the current claims (by id, else by text)."""
    latest = latest_decisions(decisions)
    current: dict[str, ClaimRef] = {}
    by_source: dict[str, list[ClaimRef]] = {}
    by_text: dict[str, list[str]] = {}
    for claim in claims:
        current[claim.claim_id] = claim
        by_source.setdefault(claim.source_file, []).append(claim)
        by_text.setdefault(normalize_claim_text(claim.text), []).append(claim.claim_id)
    by_claim: dict[str, dict[str, Any]] = {}
    reanchored: dict[str, str] = {}
    orphans: list[dict[str, Any]] = []
    unmatched = []
    for claim_id, row in latest.items():
        if claim_id in current:
            by_claim[claim_id] = row
        else:
            unmatched.append(row)
    for row in sorted(unmatched, key=lambda r: r["reviewed_at"]):
        target = _closest(row, by_source.get(row["source_file"], ()), by_claim)
        if target is None:
            # A renamed or moved file: the very same words in exactly one other place.
            same = [
                claim_id
                for claim_id in by_text.get(normalize_claim_text(row["claim_text"]), ())
                if claim_id not in by_claim
            ]
            target = same[0] if len(same) == 1 else None
        if target is None:
            orphans.append(row)
            continue
        reanchored[row["claim_id"]] = target
        by_claim[target] = {**row, "anchored_from": row["claim_id"]}
    return ResolvedReviews(by_claim, reanchored, orphans)


def _closest(
    row: Mapping[str, Any], candidates: Iterable[ClaimRef], taken: Mapping[str, Any]
) -> str | None:
    """The one claim of the same source nearly saying what the reviewed claim said."""
    wanted = normalize_claim_text(row["claim_text"])
    if not wanted:
        return None
    scored = []
    for claim in candidates:
        if claim.claim_id in taken:
            continue  # a claim's own decision beats one carried over from a changed claim
        matcher = SequenceMatcher(None, wanted, normalize_claim_text(claim.text), autojunk=False)
        if matcher.real_quick_ratio() < REANCHOR_MIN_RATIO:
            continue
        ratio = matcher.ratio()
        if ratio >= REANCHOR_MIN_RATIO:
            scored.append((ratio, claim.claim_id))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None  # nothing close, or two equally close: do not guess
    return scored[0][1]


# --- the dataset side ------------------------------------------------------------------------


def claims_path(dataset_dir: Path | str) -> Path:
    """The build's claims file (a clear error when the folder holds no build)."""
    path = Path(dataset_dir) / "claims.parquet"
    if not path.exists():
        raise UsageError(
            f"no dataset in {dataset_dir} (claims.parquet is missing); run "
            f"`claimset build … --out {dataset_dir}` first, or pass --dataset"
        )
    return path


def read_claims(dataset_dir: Path | str, columns: Sequence[str] | None = None) -> pa.Table:
    """The current build's claims (a clear error when the folder holds no build)."""
    return read_parquet(claims_path(dataset_dir), columns)


def claim_refs(claims: pa.Table) -> list[ClaimRef]:
    return [
        ClaimRef(claim_id, source_file, text)
        for claim_id, source_file, text in zip(
            claims.column("claim_id").to_pylist(),
            claims.column("source_file").to_pylist(),
            claims.column("text").to_pylist(),
            strict=True,
        )
    ]


def record_decisions(dataset_dir: Path | str, decisions: Sequence[Decision]) -> int:
    """Check each decision against the current claims, fill in its snapshot, append all.

    Raises :class:`ReviewError` listing every problem (unknown claim, bad values); then
    nothing is written.
    """
    claims = read_claims(dataset_dir, ["claim_id", "source_file", "text"])
    known = {ref.claim_id: ref for ref in claim_refs(claims)}
    problems = []
    filled = []
    for number, decision in enumerate(decisions, start=1):
        ref = known.get(decision.claim_id)
        if ref is None:
            problems.append(f"decision {number}: no claim {decision.claim_id!r} in {dataset_dir}")
            continue
        problems.extend(f"decision {number}: {p}" for p in decision_problems(decision.to_row()))
        filled.append(
            Decision(
                **{
                    **decision.to_row(),
                    "source_file": decision.source_file or ref.source_file,
                    "claim_text": decision.claim_text or ref.text,
                }
            )
        )
    if problems:
        raise ReviewError("\n  ".join(["nothing was recorded:", *problems]))
    return ReviewLog(dataset_dir).append(filled)


def decision_problems(row: Mapping[str, Any]) -> list[str]:
    """Plain-language problems with one decision's values (empty when it is valid)."""
    problems = []
    decision = row.get("decision")
    if decision not in DECISIONS:
        problems.append(f"field 'decision': {decision!r} is not one of {', '.join(DECISIONS)}")
    claim_type = row.get("claim_type")
    if claim_type is not None and claim_type not in CLAIM_TYPES:
        problems.append(
            f"field 'claim_type': {claim_type!r} is not one of {', '.join(CLAIM_TYPES)}"
        )
    if decision == "relabel" and claim_type is None:
        problems.append("field 'claim_type': a relabel needs the new type")
    if decision != "relabel" and claim_type is not None:
        problems.append(
            f"field 'claim_type': a type is given only with decision relabel, not {decision!r}"
        )
    verdict = row.get("verdict")
    if verdict is not None and verdict not in VERDICTS:
        problems.append(f"field 'verdict': {verdict!r} is not one of {', '.join(VERDICTS)}")
    if decision == "reject" and verdict is not None:
        problems.append("field 'verdict': a rejected claim (not a claim) takes no verdict")
    if not str(row.get("reviewer") or "").strip():
        problems.append("field 'reviewer': empty; give a name")
    return problems
