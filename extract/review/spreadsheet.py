"""Review in a spreadsheet: a CSV queue with context out, decisions back in.

The export is written for Excel as much as for pandas: UTF-8 with a byte-order mark (so
Excel reads it as UTF-8), CRLF row ends, claim ids that start with a letter (so Excel never
turns them into numbers), and read-only text cells that begin with ``= + - @`` prefixed by
an apostrophe (so a scraped page cannot inject a formula). The import accepts what Excel
saves back (UTF-8 with or without BOM, or Windows-1252; comma, semicolon or tab), checks
every row, and records nothing unless every row is valid.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.review.context import ReviewItem, review_items
from extract.review.evidence import Evidence
from extract.review.log import (
    CLAIM_TYPES,
    DECISIONS,
    SETTLING,
    VERDICTS,
    Decision,
    ReviewError,
    ReviewLog,
    decision_problems,
    default_reviewer,
    latest_decisions,
    log_time,
    read_claims,
    utc_now,
)
from extract.tables.io import parse_timestamp

# Columns a reviewer fills in, then the context they read.
# ``reviewed_at`` is optional on import (blank: the time of the import); it lets decisions made
# elsewhere keep their own time.
EDITABLE_COLUMNS = (
    "decision",
    "claim_type",
    "verdict",
    "has_citation",
    "note",
    "reviewer",
    "reviewed_at",
)
CONTEXT_COLUMNS = (
    "claim",
    "extracted_type",
    "extracted_types",
    "extracted_has_citation",
    "citation_markers",
    "hedge_cue",
    "negation_cue",
    "source_file",
    "line",
    "sentence_before",
    "sentence",
    "sentence_after",
    "n_contradicting",
    "n_same",
    "other_sources",
)
CSV_COLUMNS = ("claim_id", *EDITABLE_COLUMNS, *CONTEXT_COLUMNS)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TRUE = frozenset({"true", "yes", "y", "1", "cited", "wahr", "vrai"})
_FALSE = frozenset({"false", "no", "n", "0", "not cited", "uncited", "falsch", "faux"})
_VERDICT_ALIASES = {"nei": "not_enough_info", "support": "supported", "refute": "refuted"}


def _safe_cell(value: str | None) -> str:
    """Text Excel shows as text: a leading formula character gets an apostrophe."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _export_row(
    item: ReviewItem, latest: Mapping[str, Any] | None, evidence: Evidence | None = None
) -> dict[str, str]:
    claim = item.claim
    row = {name: "" for name in CSV_COLUMNS}
    row["claim_id"] = claim["claim_id"]
    if latest is not None:
        row.update(
            decision=latest["decision"],
            claim_type=latest["claim_type"] or "",
            verdict=latest["verdict"] or "",
            has_citation=""
            if latest["has_citation"] is None
            else str(latest["has_citation"]).lower(),
            note=_safe_cell(latest["note"]),
            reviewer=_safe_cell(latest["reviewer"]),
            reviewed_at=latest["reviewed_at"],
        )
    row.update(
        claim=_safe_cell(claim["text"]),
        extracted_type=claim["claim_type"],
        extracted_types="; ".join(claim["claim_types"]),
        extracted_has_citation=str(claim["has_citation"]).lower(),
        citation_markers=_safe_cell(" ".join(claim["citation_markers"])),
        hedge_cue=_safe_cell(claim["hedge_cue"]),
        negation_cue=_safe_cell(claim["negation_cue"]),
        source_file=_safe_cell(claim["source_file"]),
        line=str(item.line),
        sentence_before=_safe_cell(item.sentence_before),
        sentence=_safe_cell(item.sentence),
        sentence_after=_safe_cell(item.sentence_after),
    )
    if evidence is not None:
        linked = evidence.of(claim["claim_id"])
        against = sum(1 for x in linked if x.relation == "contradicts")
        row.update(
            n_contradicting=str(against),
            n_same=str(len(linked) - against),
            other_sources=_safe_cell(evidence.summary(claim["claim_id"])),
        )
    return row


def export_csv(
    dataset_dir: Path | str,
    out_path: Path | str,
    *,
    include_reviewed: bool = False,
    claim_ids: Collection[str] | None = None,
) -> int:
    """Write the review queue (claims with no settling decision, or all) as CSV; row count.

    Claims already decided come pre-filled with their latest decision when included. Each
    row shows the claims of other sources linked to it (``other_sources``, contradictions
    first); claims another source contradicts come first, as in the review page's queue.
    """
    latest = latest_decisions(ReviewLog(dataset_dir).rows())
    items = list(review_items(dataset_dir))
    evidence = Evidence(dataset_dir, {item.claim["claim_id"]: item.claim for item in items})
    items.sort(key=lambda item: not evidence.contradicted(item.claim["claim_id"]))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    staging = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    count = 0
    with staging.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for item in items:
            claim_id = item.claim["claim_id"]
            if claim_ids is not None and claim_id not in claim_ids:
                continue
            decided = latest.get(claim_id)
            if decided is not None and decided["decision"] in SETTLING and not include_reviewed:
                continue
            writer.writerow(_export_row(item, decided, evidence))
            count += 1
    os.replace(staging, out_path)
    return count


# --- import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvImport:
    """What an import file holds: decisions to record, and rows that ask for nothing."""

    decisions: list[Decision]
    n_blank: int  # rows with no decision (not reviewed yet)
    n_unchanged: int  # rows repeating the claim's latest decision
    encoding: str


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _plain(value: str | None) -> str:
    """A cell as typed: trimmed, an Excel text apostrophe or ``="…"`` wrapper removed."""
    text = (value or "").strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text[1:] if text.startswith("'") else text


def _choice(value: str, allowed: tuple[str, ...], aliases: Mapping[str, str]) -> str | None:
    key = "_".join(value.lower().replace("-", " ").split())
    key = aliases.get(key, key)
    return key if key in allowed else None


def _cell_choice(
    cells: Mapping[str, str], name: str, allowed: tuple[str, ...], aliases: Mapping[str, str]
) -> str | None:
    """A filled cell as one of ``allowed`` (or as typed, when it is none of them)."""
    value = cells.get(name)
    if not value:
        return None
    return _choice(value, allowed, aliases) or value


def _bool(value: str) -> bool | None:
    key = value.lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(value)


def read_decisions_csv(
    path: Path | str, dataset_dir: Path | str, *, reviewer: str | None = None
) -> CsvImport:
    """Every decision in a review CSV, checked row by row against the current claims.

    Raises :class:`ReviewError` naming the spreadsheet row (the header is row 1) and the
    field of every problem found.
    """
    path = Path(path)
    try:
        text, encoding = _decode(path.read_bytes())
    except OSError as error:
        raise ReviewError(f"cannot read {path}: {error.strerror or error}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=_dialect(text))
    header = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    missing = [name for name in ("claim_id", "decision") if name not in header]
    if missing:
        raise ReviewError(
            f"{path}: no {' or '.join(repr(m) for m in missing)} column; export a queue with "
            "`claimset review export --format csv` and fill in its decision column"
        )
    claims = read_claims(dataset_dir, ["claim_id", "source_file", "text"]).to_pylist()
    known = {claim["claim_id"]: claim for claim in claims}
    latest = latest_decisions(ReviewLog(dataset_dir).rows())
    now = utc_now()
    fallback_reviewer = reviewer or default_reviewer()
    problems: list[str] = []
    decisions: list[Decision] = []
    first_row_of: dict[str, int] = {}
    n_blank = n_unchanged = 0
    for number, raw in enumerate(reader, start=2):
        cells = {key: _plain(raw.get(original)) for key, original in header.items()}
        if not cells.get("decision"):
            n_blank += 1
            continue
        who = reviewer or cells.get("reviewer") or fallback_reviewer
        parsed = _parse_row(cells, number, known, first_row_of, problems, who)
        if parsed is None:
            continue
        reviewed_at = parsed.pop("reviewed_at") or now
        decision = Decision(
            **parsed,
            reviewer=who,
            reviewed_at=reviewed_at,
            channel="csv",
            source_file=known[parsed["claim_id"]]["source_file"],
            claim_text=known[parsed["claim_id"]]["text"],
        )
        held = latest.get(decision.claim_id)
        if held is not None and decision.same_content(held):
            n_unchanged += 1
            continue
        decisions.append(decision)
    if problems:
        shown = problems[:50] + ([f"… and {len(problems) - 50} more"] if len(problems) > 50 else [])
        raise ReviewError(
            "\n  ".join([f"{path}: {len(problems)} problem(s); nothing was recorded:", *shown])
        )
    return CsvImport(decisions, n_blank, n_unchanged, encoding)


def _parse_row(
    cells: Mapping[str, str],
    number: int,
    known: Mapping[str, Any],
    first_row_of: dict[str, int],
    problems: list[str],
    reviewer: str,
) -> dict[str, Any] | None:
    """One row's decision fields, or None after noting its problems."""
    where = f"row {number}"
    found: list[str] = []
    claim_id = cells.get("claim_id", "")
    if claim_id not in known:
        found.append(
            f"field 'claim_id': {claim_id!r} is not a claim of this dataset"
            if claim_id
            else "field 'claim_id': empty"
        )
    elif claim_id in first_row_of:
        found.append(f"field 'claim_id': {claim_id} is decided on row {first_row_of[claim_id]} too")
    else:
        first_row_of[claim_id] = number
    # Spreadsheet spellings ("Reject", "Study finding", "NEI") become the log's values; what
    # stays unknown is kept as typed, so the log's own rules name it.
    decision = _choice(cells["decision"], DECISIONS, {}) or cells["decision"]
    claim_type = _cell_choice(cells, "claim_type", CLAIM_TYPES, {})
    verdict = _cell_choice(cells, "verdict", VERDICTS, _VERDICT_ALIASES)
    found.extend(
        decision_problems(
            {
                "decision": decision,
                "claim_type": claim_type,
                "verdict": verdict,
                "reviewer": reviewer,
            }
        )
    )
    has_citation = None
    if cells.get("has_citation"):
        try:
            has_citation = _bool(cells["has_citation"])
        except ValueError:
            found.append(
                f"field 'has_citation': {cells['has_citation']!r} is not true or false "
                "(leave it empty to keep the extracted flag)"
            )
    reviewed_at = None
    if cells.get("reviewed_at"):
        try:
            reviewed_at = log_time(parse_timestamp(cells["reviewed_at"]))
        except ValueError:
            found.append(
                f"field 'reviewed_at': {cells['reviewed_at']!r} is not a date and time "
                "(ISO 8601, e.g. 2026-11-20T14:05:00Z; leave it empty for now)"
            )
    problems.extend(f"{where}, {problem}" for problem in found)
    if found:
        return None
    return {
        "claim_id": claim_id,
        "decision": decision,
        "claim_type": claim_type,
        "verdict": verdict,
        "has_citation": has_citation,
        "note": cells.get("note") or None,
        "reviewed_at": reviewed_at,
    }


def import_csv(
    path: Path | str, dataset_dir: Path | str, *, reviewer: str | None = None
) -> CsvImport:
    """Check a review CSV and append its decisions to the log (all or nothing)."""
    result = read_decisions_csv(path, dataset_dir, reviewer=reviewer)
    ReviewLog(dataset_dir).append(result.decisions)
    return result
