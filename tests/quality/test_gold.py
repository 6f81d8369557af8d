"""Scoring against gold: a hand-computed synthetic dataset and the error paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from extract.quality.gold import CLAIM_TYPES, EvalReport, Score, evaluate, format_report
from extract.quality.jsonl import EvalError


def _unit(
    file: str,
    start: int,
    end: int,
    *,
    claim: bool = True,
    types: list[str] | None = None,
    citation: bool = False,
    numbers: list[int] | None = None,
    hedged: bool = False,
) -> dict[str, Any]:
    return {
        "file": file,
        "start": start,
        "end": end,
        "text": f"unit {start}-{end}",
        "is_claim": claim,
        "types": types or [],
        "citation": citation,
        "markers": [str(n) for n in numbers or []],
        "numbers": numbers or [],
        "attributed_to": None,
        "hedged": hedged,
        "routes": [],
        "onset": [],
        "spam": False,
        "note": "",
    }


def _row(
    source: str,
    start: int,
    end: int,
    types: list[str],
    *,
    citation: bool = False,
    numbers: list[int] | None = None,
    hedged: bool = False,
) -> dict[str, Any]:
    return {
        "source_file": source,
        "char_start": start,
        "char_end": end,
        "text": "x",
        "claim_types": types,
        "has_citation": citation,
        "citation_numbers": numbers or [],
        "hedged": hedged,
    }


GOLD_A = [
    _unit("a.txt", 0, 10, claim=False),  # U0
    _unit("a.txt", 11, 50, types=["mechanism"], citation=True, numbers=[1, 2]),  # U1
    _unit("a.txt", 51, 90, types=["route", "onset"], hedged=True),  # U2
    _unit("a.txt", 91, 120, types=["safety"], citation=True, numbers=[3]),  # U3
    _unit("a.txt", 121, 130, claim=False),  # U4
]
GOLD_B = [
    _unit("b.txt", 0, 20, types=["efficacy"], citation=True, numbers=[7]),  # V0
    _unit("b.txt", 21, 40, types=["other"]),  # V1
]
ROWS = [
    _row("pages/a.txt", 0, 10, ["other"]),  # -> U0: claim fp (types ignored: not a gold claim)
    _row("pages/a.txt", 5, 48, ["mechanism"], citation=True, numbers=[2, 1, 1]),  # max overlap U1
    _row("pages/a.txt", 45, 56, ["study_finding"], hedged=True),  # 5 vs 5 chars: tie -> U1
    _row("pages/a.txt", 51, 70, ["route"]),  # -> U2
    _row("pages/a.txt", 70, 90, ["onset", "efficacy"], hedged=True),  # -> U2, types union
    _row("pages/a.txt", 200, 210, ["other"]),  # outside any unit
    _row("b.txt", 0, 20, ["efficacy"], citation=True, numbers=[8]),  # -> V0, wrong numbers
    _row("b.txt", 21, 40, ["other"], citation=True),  # -> V1, citation fp
    _row("c.txt", 0, 5, ["other"]),  # file without gold: ignored
]


def _write_gold(folder: Path, files: dict[str, list[dict[str, Any]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, units in files.items():
        lines = "".join(json.dumps(u) + "\n" for u in units)
        (folder / name).write_text(lines, encoding="utf-8")
    return folder


def _write_dataset(folder: Path, rows: list[dict[str, Any]], sources: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_parquet(folder / "claims.parquet")
    pd.DataFrame({"source_file": sources, "status": ["ok"] * len(sources)}).to_parquet(
        folder / "documents.parquet"
    )
    return folder


@pytest.fixture
def report(tmp_path: Path) -> EvalReport:
    dataset = _write_dataset(
        tmp_path / "data", ROWS, ["pages/a.txt", "b.txt", "c.txt", "empty.txt"]
    )
    gold = _write_gold(
        tmp_path / "gold",
        {
            "a.jsonl": GOLD_A,
            "b.jsonl": GOLD_B,
            "missing.jsonl": [_unit("missing.txt", 0, 5, types=["other"])],
        },
    )
    return evaluate(dataset, gold)


def _counts(score: Score) -> tuple[int, int, int]:
    return score.tp, score.fp, score.fn


def test_claim_counts(report: EvalReport) -> None:
    claim = report.overall["claim"]
    assert _counts(claim) == (4, 1, 1)
    assert claim.precision == pytest.approx(0.8)
    assert claim.recall == pytest.approx(0.8)
    assert claim.f1 == pytest.approx(0.8)


def test_type_counts(report: EvalReport) -> None:
    assert set(report.overall) == {"claim", "citation", "hedge"} | {
        f"type:{t}" for t in CLAIM_TYPES
    }
    assert _counts(report.overall["type:mechanism"]) == (1, 0, 0)
    assert _counts(report.overall["type:route"]) == (1, 0, 0)
    assert _counts(report.overall["type:onset"]) == (1, 0, 0)  # from the second row of U2
    assert _counts(report.overall["type:study_finding"]) == (0, 1, 0)  # tie went to U1
    assert _counts(report.overall["type:efficacy"]) == (1, 1, 0)
    assert report.overall["type:efficacy"].f1 == pytest.approx(2 / 3)
    assert _counts(report.overall["type:safety"]) == (0, 0, 1)
    assert _counts(report.overall["type:other"]) == (1, 0, 0)  # U0's "other" is not counted
    assert _counts(report.overall["type:dosage"]) == (0, 0, 0)
    assert report.overall["type:dosage"].f1 == 0.0
    assert report.core_type_macro_f1 == pytest.approx(0.75)


def test_citation_hedge_and_numbers(report: EvalReport) -> None:
    assert _counts(report.overall["citation"]) == (2, 1, 1)
    assert _counts(report.overall["hedge"]) == (1, 1, 0)
    assert report.citation_numbers_exact_count == (1, 3)
    assert report.citation_numbers_exact == pytest.approx(1 / 3)


def test_outside_and_missing(report: EvalReport) -> None:
    assert report.outside_any_unit == 1
    assert report.missing_files == ["missing.txt"]


def test_per_file(report: EvalReport) -> None:
    assert set(report.per_file) == {"a.txt", "b.txt"}
    a, b = report.per_file["a.txt"], report.per_file["b.txt"]
    assert a["claim_f1"] == pytest.approx(2 / 3)
    assert a["core_type_macro_f1"] == pytest.approx(0.75)
    assert a["citation_f1"] == pytest.approx(2 / 3)
    assert a["hedge_f1"] == pytest.approx(2 / 3)
    assert b["claim_f1"] == pytest.approx(1.0)
    assert b["core_type_macro_f1"] == 0.0
    assert b["citation_f1"] == pytest.approx(2 / 3)
    assert b["hedge_f1"] == 0.0


def test_errors_mirror_counts(report: EvalReport) -> None:
    kinds = [(e["file"], e["start"], e["kind"]) for e in report.errors]
    assert kinds == [
        ("a.txt", 0, "claim_fp"),
        ("a.txt", 11, "type_fp:study_finding"),
        ("a.txt", 11, "hedge_fp"),
        ("a.txt", 51, "type_fp:efficacy"),
        ("a.txt", 91, "claim_fn"),
        ("a.txt", 91, "type_fn:safety"),
        ("a.txt", 91, "citation_fn"),
        ("a.txt", 91, "numbers_mismatch"),
        ("b.txt", 0, "numbers_mismatch"),
        ("b.txt", 21, "citation_fp"),
    ]
    mismatch = report.errors[8]
    assert mismatch["predicted"]["numbers"] == [8]
    assert mismatch["gold"]["numbers"] == [7]
    assert mismatch["text"] == "unit 0-20"


def test_to_json_and_format(report: EvalReport) -> None:
    data = json.loads(json.dumps(report.to_json()))
    assert data["overall"]["claim"]["tp"] == 4
    assert data["citation_numbers_exact_count"] == [1, 3]
    assert data["missing_files"] == ["missing.txt"]
    assert len(data["errors"]) == 10
    text = format_report(report)
    assert "type:study_finding" in text
    assert "(1/3)" in text
    assert "missing.txt" in text
    assert "a.txt" in text and "b.txt" in text


def test_score_zero_denominators() -> None:
    assert Score.from_counts(0, 0, 0) == Score(0, 0, 0, 0.0, 0.0, 0.0)
    assert Score.from_counts(0, 2, 0).f1 == 0.0


def test_malformed_gold_line(tmp_path: Path) -> None:
    dataset = _write_dataset(tmp_path / "data", ROWS, ["pages/a.txt"])
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.jsonl").write_text(json.dumps(GOLD_A[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(EvalError, match=r"a\.jsonl, line 2"):
        evaluate(dataset, gold)


def test_gold_line_missing_field(tmp_path: Path) -> None:
    dataset = _write_dataset(tmp_path / "data", ROWS, ["pages/a.txt"])
    bad = {k: v for k, v in GOLD_A[1].items() if k != "is_claim"}
    gold = _write_gold(tmp_path / "gold", {"a.jsonl": [GOLD_A[0], bad]})
    with pytest.raises(EvalError, match=r"line 2.*is_claim"):
        evaluate(dataset, gold)


def test_gold_dir_without_jsonl(tmp_path: Path) -> None:
    dataset = _write_dataset(tmp_path / "data", ROWS, ["pages/a.txt"])
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "README.md").write_text("no gold here", encoding="utf-8")
    with pytest.raises(EvalError, match=r"no \.jsonl"):
        evaluate(dataset, tmp_path / "gold")


def test_missing_dataset(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path / "gold", {"a.jsonl": GOLD_A})
    with pytest.raises(EvalError, match=r"claims\.parquet"):
        evaluate(tmp_path / "nowhere", gold)
    dataset = _write_dataset(tmp_path / "data", ROWS, ["pages/a.txt"])
    (dataset / "documents.parquet").unlink()
    with pytest.raises(EvalError, match=r"documents\.parquet"):
        evaluate(dataset, gold)


def test_eval_error_exit_code() -> None:
    assert EvalError("x").exit_code == 1
