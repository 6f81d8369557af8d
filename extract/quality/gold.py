"""Scoring a built dataset against hand-labelled gold units (see the gold README).

Each claim row is mapped to the gold unit of its file that its span overlaps most (tie: the
earlier unit); rows overlapping no unit are counted in ``outside_any_unit`` and otherwise
ignored. A unit is a *predicted claim* when at least one row maps to it.

- claim: over every gold unit of a scored file.
- ``type:<t>``, citation, hedge: over gold claim units only; the prediction for a unit is the
  union (types) or any (citation, hedge) over its rows, empty/false when it has none.
- citation numbers exact: of the gold claim units with a citation, the share that are
  predicted claims whose rows' citation numbers, as a set, equal the gold numbers.

Only gold files present in the dataset are scored (a dataset path ending in ``/<gold file>``
also matches); the rest are listed in ``missing_files``. The error list mirrors the counts:
every false positive or negative, and every unit not counted as numbers-exact, is one entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from extract.quality.jsonl import EvalError, json_object, require

CLAIM_TYPES: tuple[str, ...] = (
    "mechanism",
    "route",
    "onset",
    "study_finding",
    "efficacy",
    "safety",
    "dosage",
    "epidemiology",
    "regulatory",
    "history",
    "other",
)
CORE_TYPES: tuple[str, ...] = CLAIM_TYPES[:4]

CLAIMS_FILE = "claims.parquet"
DOCUMENTS_FILE = "documents.parquet"
CLAIM_COLUMNS: tuple[str, ...] = (
    "source_file",
    "char_start",
    "char_end",
    "claim_types",
    "has_citation",
    "citation_numbers",
    "hedged",
)
ERROR_TEXT_CHARS = 120
NO_CLAIM = "(no claim)"


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> Score:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(tp, fp, fn, precision, recall, f1)


@dataclass(frozen=True)
class EvalReport:
    overall: dict[str, Score]
    core_type_macro_f1: float
    citation_numbers_exact: float
    citation_numbers_exact_count: tuple[int, int]
    outside_any_unit: int
    per_file: dict[str, dict[str, float]]
    errors: list[dict[str, Any]]
    missing_files: list[str] = field(default_factory=list)
    # Every metric's counts per file, for grouping files (by genre) after the fact.
    per_file_scores: dict[str, dict[str, Score]] = field(default_factory=dict)
    # gold type -> predicted type -> gold claim units with both; NO_CLAIM when not predicted.
    type_confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def type_micro_f1(self) -> float:
        """F1 over the decisions of all eleven types pooled."""
        return micro_f1(self.overall)

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": {name: asdict(score) for name, score in self.overall.items()},
            "core_type_macro_f1": self.core_type_macro_f1,
            "type_micro_f1": self.type_micro_f1,
            "type_confusion": self.type_confusion,
            "citation_numbers_exact": self.citation_numbers_exact,
            "citation_numbers_exact_count": list(self.citation_numbers_exact_count),
            "outside_any_unit": self.outside_any_unit,
            "per_file": {name: dict(metrics) for name, metrics in self.per_file.items()},
            "missing_files": list(self.missing_files),
            "errors": [dict(error) for error in self.errors],
        }


@dataclass(frozen=True)
class _GoldUnit:
    file: str
    start: int
    end: int
    text: str
    is_claim: bool
    types: frozenset[str]
    citation: bool
    numbers: frozenset[int]
    hedged: bool


@dataclass(frozen=True)
class _Row:
    start: int
    end: int
    types: frozenset[str]
    citation: bool
    numbers: frozenset[int]
    hedged: bool


@dataclass
class _Prediction:
    """What the rows mapped to one unit say, combined."""

    rows: int = 0
    types: set[str] = field(default_factory=set)
    citation: bool = False
    numbers: set[int] = field(default_factory=set)
    hedged: bool = False

    def add(self, row: _Row) -> None:
        self.rows += 1
        self.types |= row.types
        self.citation = self.citation or row.citation
        self.numbers |= row.numbers
        self.hedged = self.hedged or row.hedged


# --------------------------------------------------------------------------- reading gold


def _parse_gold_line(line: str, where: str) -> _GoldUnit:
    obj = json_object(line, where)
    file = require(obj, "file", str, where)
    start = require(obj, "start", int, where)
    end = require(obj, "end", int, where)
    if not 0 <= start <= end:
        raise EvalError(f"{where}: bad span start={start} end={end}")
    text = obj.get("text", "")
    if not isinstance(text, str):
        raise EvalError(f"{where}: field 'text' has the wrong type ({type(text).__name__})")
    types = require(obj, "types", list, where)
    for name in types:
        if name not in CLAIM_TYPES:
            raise EvalError(f"{where}: unknown claim type {name!r}")
    numbers = require(obj, "numbers", list, where)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        raise EvalError(f"{where}: field 'numbers' must hold integers")
    return _GoldUnit(
        file=file,
        start=start,
        end=end,
        text=text,
        is_claim=require(obj, "is_claim", bool, where),
        types=frozenset(types),
        citation=require(obj, "citation", bool, where),
        numbers=frozenset(numbers),
        hedged=require(obj, "hedged", bool, where),
    )


def _read_gold(gold_dir: Path) -> dict[str, list[_GoldUnit]]:
    """Gold units grouped by their ``file`` field, each list in span order."""
    if not gold_dir.is_dir():
        raise EvalError(f"gold folder not found: {gold_dir}")
    paths = sorted(p for p in gold_dir.glob("*.jsonl") if p.is_file())
    if not paths:
        raise EvalError(f"no .jsonl files in gold folder {gold_dir}")
    by_file: dict[str, list[_GoldUnit]] = {}
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise EvalError(f"cannot read gold file {path}: {exc}") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            unit = _parse_gold_line(line, f"{path}, line {number}")
            by_file.setdefault(unit.file, []).append(unit)
    for units in by_file.values():
        units.sort(key=lambda u: (u.start, u.end))
    return by_file


# ------------------------------------------------------------------------ reading dataset


def _read_columns(path: Path, columns: Sequence[str]) -> list[dict[str, Any]]:
    if not path.is_file():
        raise EvalError(f"dataset file not found: {path}")
    try:
        names = set(pq.read_schema(path).names)
        missing = [c for c in columns if c not in names]
        if missing:
            raise EvalError(f"{path} lacks column(s): {', '.join(missing)}")
        wanted = [*columns, "is_claim"] if "is_claim" in names else list(columns)
        rows: list[dict[str, Any]] = pq.read_table(path, columns=wanted).to_pylist()
    except (OSError, pa.ArrowException) as exc:
        raise EvalError(f"cannot read {path}: {exc}") from exc
    return rows


def _to_row(raw: Mapping[str, Any], index: int) -> _Row:
    start, end = raw["char_start"], raw["char_end"]
    if not isinstance(start, int) or not isinstance(end, int):
        raise EvalError(f"{CLAIMS_FILE} row {index}: char_start/char_end missing")
    return _Row(
        start=start,
        end=end,
        types=frozenset(raw["claim_types"] or ()),
        citation=bool(raw["has_citation"]),
        numbers=frozenset(int(n) for n in raw["citation_numbers"] or ()),
        hedged=bool(raw["hedged"]),
    )


def _match_files(gold_files: Iterable[str], dataset_files: set[str]) -> dict[str, str]:
    """Gold file name -> dataset ``source_file``, for the gold files found in the dataset."""
    normalized = {s.replace("\\", "/"): s for s in dataset_files}
    matched: dict[str, str] = {}
    for gold in gold_files:
        if gold in dataset_files:
            matched[gold] = gold
            continue
        suffix = "/" + gold.replace("\\", "/").lstrip("/")
        candidates = sorted(orig for norm, orig in normalized.items() if norm.endswith(suffix))
        if len(candidates) > 1:
            raise EvalError(
                f"gold file {gold!r} matches several dataset files: {', '.join(candidates)}"
            )
        if candidates:
            matched[gold] = candidates[0]
    return matched


# ------------------------------------------------------------------------------ scoring


def _best_unit(row: _Row, units: Sequence[_GoldUnit]) -> int | None:
    best, best_overlap = None, 0
    for index, unit in enumerate(units):
        overlap = min(row.end, unit.end) - max(row.start, unit.start)
        if overlap > best_overlap:  # strict: a tie keeps the earlier unit
            best, best_overlap = index, overlap
    return best


class _Counts:
    def __init__(self) -> None:
        self.tp: dict[str, int] = {}
        self.fp: dict[str, int] = {}
        self.fn: dict[str, int] = {}

    def add(self, metric: str, predicted: bool, gold: bool) -> str | None:
        """Count one decision; return "fp"/"fn" when it is an error."""
        if predicted and gold:
            self.tp[metric] = self.tp.get(metric, 0) + 1
        elif predicted:
            self.fp[metric] = self.fp.get(metric, 0) + 1
            return "fp"
        elif gold:
            self.fn[metric] = self.fn.get(metric, 0) + 1
            return "fn"
        return None

    def score(self, metric: str) -> Score:
        return Score.from_counts(
            self.tp.get(metric, 0), self.fp.get(metric, 0), self.fn.get(metric, 0)
        )


def _metric_names() -> list[str]:
    return ["claim", "citation", "hedge", *(f"type:{t}" for t in CLAIM_TYPES)]


def micro_f1(scores: Mapping[str, Score]) -> float:
    """F1 of the type decisions pooled over all types."""
    tp = sum(scores[f"type:{t}"].tp for t in CLAIM_TYPES)
    fp = sum(scores[f"type:{t}"].fp for t in CLAIM_TYPES)
    fn = sum(scores[f"type:{t}"].fn for t in CLAIM_TYPES)
    return Score.from_counts(tp, fp, fn).f1


def _core_macro(scores: Mapping[str, Score]) -> float:
    return sum(scores[f"type:{t}"].f1 for t in CORE_TYPES) / len(CORE_TYPES)


def _error(unit: _GoldUnit, kind: str, pred: _Prediction) -> dict[str, Any]:
    return {
        "file": unit.file,
        "start": unit.start,
        "end": unit.end,
        "text": unit.text[:ERROR_TEXT_CHARS],
        "kind": kind,
        "predicted": {
            "claim": pred.rows > 0,
            "rows": pred.rows,
            "types": sorted(pred.types),
            "citation": pred.citation,
            "numbers": sorted(pred.numbers),
            "hedged": pred.hedged,
        },
        "gold": {
            "claim": unit.is_claim,
            "types": sorted(unit.types),
            "citation": unit.citation,
            "numbers": sorted(unit.numbers),
            "hedged": unit.hedged,
        },
    }


def _score_unit(
    unit: _GoldUnit, pred: _Prediction, counts: Sequence[_Counts], errors: list[dict[str, Any]]
) -> bool | None:
    """Count one unit into every ``counts``; return whether its citation numbers are exact.

    None when the unit is outside the numbers-exact denominator (not a gold cited claim).
    """
    predicted = pred.rows > 0

    def add(metric: str, kind: str, p: bool, g: bool) -> None:
        outcomes = [c.add(metric, p, g) for c in counts]
        if outcomes[0] is not None:
            errors.append(_error(unit, kind.format(outcomes[0]), pred))

    add("claim", "claim_{}", predicted, unit.is_claim)
    if not unit.is_claim:
        return None
    for t in CLAIM_TYPES:
        add(f"type:{t}", f"type_{{}}:{t}", t in pred.types, t in unit.types)
    add("citation", "citation_{}", pred.citation, unit.citation)
    add("hedge", "hedge_{}", pred.hedged, unit.hedged)
    if not unit.citation:
        return None
    exact = predicted and pred.numbers == unit.numbers
    if not exact:
        errors.append(_error(unit, "numbers_mismatch", pred))
    return exact


def evaluate(dataset_dir: Path, gold_dir: Path) -> EvalReport:
    """Score ``dataset_dir`` (claims.parquet, documents.parquet) against the gold JSONL folder."""
    claims = _read_columns(dataset_dir / CLAIMS_FILE, CLAIM_COLUMNS)
    documents = _read_columns(dataset_dir / DOCUMENTS_FILE, ("source_file",))
    gold = _read_gold(gold_dir)

    dataset_files = {str(d["source_file"]) for d in documents if d["source_file"] is not None}
    dataset_files |= {str(c["source_file"]) for c in claims if c["source_file"] is not None}
    matched = _match_files(sorted(gold), dataset_files)
    missing = sorted(set(gold) - set(matched))
    gold_by_source = {source: name for name, source in matched.items()}

    rows_by_file: dict[str, list[_Row]] = {name: [] for name in matched}
    for index, raw in enumerate(claims):
        name = gold_by_source.get(str(raw["source_file"]))
        if name is None or raw.get("is_claim", True) is False:
            continue
        rows_by_file[name].append(_to_row(raw, index))

    overall = _Counts()
    errors: list[dict[str, Any]] = []
    outside = 0
    exact_count = denominator = 0
    per_file: dict[str, dict[str, float]] = {}
    per_file_scores: dict[str, dict[str, Score]] = {}
    confusion: dict[str, dict[str, int]] = {}
    for name in sorted(matched):
        units = gold[name]
        predictions = [_Prediction() for _ in units]
        for row in rows_by_file[name]:
            best = _best_unit(row, units)
            if best is None:
                outside += 1
            else:
                predictions[best].add(row)
        file_counts = _Counts()
        for unit, pred in zip(units, predictions, strict=True):
            exact = _score_unit(unit, pred, (overall, file_counts), errors)
            if unit.is_claim:
                for gold_type in unit.types:
                    counts = confusion.setdefault(gold_type, {})
                    for predicted_type in pred.types or {NO_CLAIM}:
                        counts[predicted_type] = counts.get(predicted_type, 0) + 1
            if exact is not None:
                denominator += 1
                exact_count += exact
        file_scores = {m: file_counts.score(m) for m in _metric_names()}
        per_file_scores[name] = file_scores
        per_file[name] = {
            "claim_f1": file_scores["claim"].f1,
            "core_type_macro_f1": _core_macro(file_scores),
            "citation_f1": file_scores["citation"].f1,
            "hedge_f1": file_scores["hedge"].f1,
        }

    scores = {m: overall.score(m) for m in _metric_names()}
    return EvalReport(
        overall=scores,
        core_type_macro_f1=_core_macro(scores),
        citation_numbers_exact=exact_count / denominator if denominator else 0.0,
        citation_numbers_exact_count=(exact_count, denominator),
        outside_any_unit=outside,
        per_file=per_file,
        errors=errors,
        missing_files=missing,
        per_file_scores=per_file_scores,
        type_confusion=confusion,
    )


# ----------------------------------------------------------------------------- reporting


def format_report(report: EvalReport) -> str:
    """A fixed-width plain-text summary of ``report``."""
    name_width = max(len("metric"), *(len(k) for k in report.overall))
    header = (
        f"{'metric':<{name_width}}  {'P':>6}  {'R':>6}  {'F1':>6}  {'tp':>5}  {'fp':>5}  {'fn':>5}"
    )
    lines = [header, "-" * len(header)]
    for name, s in report.overall.items():
        lines.append(
            f"{name:<{name_width}}  {s.precision:>6.3f}  {s.recall:>6.3f}  {s.f1:>6.3f}  "
            f"{s.tp:>5}  {s.fp:>5}  {s.fn:>5}"
        )
    exact, denominator = report.citation_numbers_exact_count
    lines += [
        "",
        f"core type macro-F1 ({', '.join(CORE_TYPES)}): {report.core_type_macro_f1:.3f}",
        f"type micro-F1 (all {len(CLAIM_TYPES)} types): {report.type_micro_f1:.3f}",
        f"citation numbers exact: {report.citation_numbers_exact:.3f} ({exact}/{denominator})",
        f"claim rows outside any gold unit: {report.outside_any_unit}",
        f"gold files not in dataset: {', '.join(report.missing_files) or 'none'}",
        "",
    ]
    columns = ("claim_f1", "core_type_macro_f1", "citation_f1", "hedge_f1")
    file_width = max([len("file"), *(len(f) for f in report.per_file)])
    file_header = f"{'file':<{file_width}}" + "".join(f"  {c:>18}" for c in columns)
    lines += [file_header, "-" * len(file_header)]
    metric_of = {"claim_f1": "claim", "citation_f1": "citation", "hedge_f1": "hedge"}
    for name, metrics in report.per_file.items():
        counts = report.per_file_scores.get(name, {})
        cells = []
        for column in columns:
            score = counts.get(metric_of.get(column, ""))
            empty = score is not None and score.tp + score.fp + score.fn == 0
            # Nothing to find and nothing found: no score, not a zero.
            cells.append(f"  {'-':>18}" if empty else f"  {metrics[column]:>18.3f}")
        lines.append(f"{name:<{file_width}}" + "".join(cells))
    if not report.per_file:
        lines.append("(no gold file found in the dataset)")
    return "\n".join(lines)
