"""Where the errors are: genres, the type confusion matrix, micro-F1 and the errors file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.cli import main
from extract.quality.breakdown import (
    UNKNOWN_GENRE,
    format_confusion,
    genre_scores,
    read_genres,
    write_errors,
)
from extract.quality.gold import NO_CLAIM, EvalReport
from extract.quality.jsonl import EvalError
from tests.quality.test_gold import GOLD_A, GOLD_B, ROWS, _write_dataset, _write_gold

SOURCES_TABLE = """# Sources

| file | genre | notes |
|---|---|---|
| a.txt | wiki | first |
| b.md | forum | second |
"""


@pytest.fixture
def report(tmp_path: Path) -> EvalReport:
    from extract.quality.gold import evaluate

    dataset = _write_dataset(tmp_path / "data", ROWS, ["pages/a.txt", "b.txt"])
    gold = _write_gold(tmp_path / "gold", {"a.jsonl": GOLD_A, "b.jsonl": GOLD_B})
    return evaluate(dataset, gold)


def test_micro_f1_pools_every_type(report: EvalReport) -> None:
    # tp: mechanism, route, onset, efficacy, other; fp: study_finding, efficacy; fn: safety.
    assert report.type_micro_f1 == pytest.approx(2 * 5 / (2 * 5 + 2 + 1))


def test_confusion_counts_each_gold_type_against_each_predicted_type(
    report: EvalReport,
) -> None:
    assert report.type_confusion == {
        "mechanism": {"mechanism": 1, "study_finding": 1},
        "route": {"route": 1, "onset": 1, "efficacy": 1},
        "onset": {"route": 1, "onset": 1, "efficacy": 1},
        "safety": {NO_CLAIM: 1},
        "efficacy": {"efficacy": 1},
        "other": {"other": 1},
    }
    table = format_confusion(report.type_confusion)
    assert table.splitlines()[0].split()[-1] == "none"
    assert table.splitlines()[2].split()[:2] == ["mechanism", "1"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("SOURCES.md", SOURCES_TABLE),
        ("genres.csv", "file,genre\na.txt,wiki\nb.md,forum\n"),
    ],
)
def test_read_genres(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    assert read_genres(path) == {"a": "wiki", "b": "forum"}


@pytest.mark.parametrize("content", ["no table here\n", "| name | kind |\n|---|---|\n| a | b |\n"])
def test_a_table_without_file_and_genre_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "SOURCES.md"
    path.write_text(content, "utf-8")
    with pytest.raises(EvalError, match="genre"):
        read_genres(path)


def test_genre_scores_sum_the_counts_of_their_files(report: EvalReport) -> None:
    scores = genre_scores(report, {"a": "wiki"})
    assert set(scores) == {"wiki", UNKNOWN_GENRE}
    # a.txt: U0 false positive, U1 and U2 found, U3 missed.
    assert scores["wiki"]["files"] == 1
    assert scores["wiki"]["claim_f1"] == pytest.approx(2 / 3)
    assert scores[UNKNOWN_GENRE]["claim_f1"] == pytest.approx(1.0)
    assert scores[UNKNOWN_GENRE]["hedge_f1"] is None  # nothing to find, nothing found


def test_errors_file_holds_every_error(report: EvalReport, tmp_path: Path) -> None:
    path = tmp_path / "errors.jsonl"
    write_errors(report, path)
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert lines == report.errors
    assert {e["kind"] for e in lines} >= {"claim_fp", "claim_fn", "type_fp:study_finding"}


def test_cli_prints_genres_and_writes_the_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _write_dataset(tmp_path / "data", ROWS, ["pages/a.txt", "b.txt"])
    gold = _write_gold(tmp_path / "gold", {"a.jsonl": GOLD_A, "b.jsonl": GOLD_B})
    genres = tmp_path / "SOURCES.md"
    genres.write_text(SOURCES_TABLE, "utf-8")
    code = main(["eval", "--gold", str(gold), "--dataset", str(dataset), "--genres", str(genres)])
    assert code == 0
    out = capsys.readouterr().out
    assert "type micro-F1" in out and "forum" in out and "gold / predicted" in out
    report = json.loads((dataset / "eval.json").read_text("utf-8"))
    assert set(report["per_genre"]) == {"wiki", "forum"}
    assert (dataset / "eval_errors.jsonl").read_text("utf-8").count("\n") == len(report["errors"])
