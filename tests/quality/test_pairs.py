"""Claims across sources, scored on pairs labelled by reading eleven drugs' pages of the
shared real corpus (``tests/fixtures/cross_source_pairs.jsonl``: file names, offsets and
labels; the text is read from the archive)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from extract.cli import main
from extract.quality.pairs import score_pairs
from tests.conftest import FIXTURES

PAIRS = FIXTURES / "cross_source_pairs.jsonl"
# Labelled after the rules were written, on six other drugs, and never read to write them.
HELDOUT_PAIRS = FIXTURES / "cross_source_pairs_heldout.jsonl"
# The targets where they are met (precision), today's figures as a floor where they
# are not: same recall 0.659 (target 0.70) and contradiction recall 0.227 (target 0.60).
# Audits of links on the pages at large decide which kinds of contradiction are made at all
# (extract/links/patterns/link_confidence.json); most missed contradictions are judgements in
# words ("reduces heart rate" vs "speeds up the heartbeat") that no value or date shows.
FLOORS = {
    ("same", "precision"): 0.90,
    ("same", "recall"): 0.64,
    ("contradicts", "precision"): 0.85,
    ("contradicts", "recall"): 0.22,
}
# The held-out pairs: the precision targets, recall floors at today's lower figures (same
# 0.419, contradicts 0.139), so a change that loses what generalizes shows.
HELDOUT_FLOORS = {
    ("same", "precision"): 0.90,
    ("same", "recall"): 0.40,
    ("contradicts", "precision"): 0.85,
    ("contradicts", "recall"): 0.13,
}


def test_the_labelled_pairs_are_many_and_varied() -> None:
    pairs = [json.loads(line) for line in PAIRS.read_text("utf-8").splitlines()]
    assert len(pairs) >= 150
    assert len({pair["drug"] for pair in pairs}) >= 6
    labels = [pair["label"] for pair in pairs]
    assert {label: labels.count(label) for label in set(labels)}.keys() == {
        "same",
        "contradicts",
        "different",
    }
    assert all(pair["a"]["file"] != pair["b"]["file"] for pair in pairs)
    assert all("text" not in pair["a"] for pair in pairs)  # the text stays in ../shared


def _below(build: Path, pairs: Path, floors: dict[tuple[str, str], float]) -> dict[Any, float]:
    report = score_pairs(build, pairs)
    reached = {
        (relation, measure): getattr(report.scores[relation], measure)
        for relation, measure in floors
    }
    assert report.unmatched_sides <= 15
    return {key: round(value, 3) for key, value in reached.items() if value < floors[key]}


def test_pair_scores_hold(sources_build: Path) -> None:
    below = _below(sources_build, PAIRS, FLOORS)
    assert not below, f"below the floor on the labelled cross-source pairs: {below}"


def test_heldout_pair_scores_hold(heldout_sources_build: Path) -> None:
    pairs = [json.loads(line) for line in HELDOUT_PAIRS.read_text("utf-8").splitlines()]
    assert len(pairs) >= 100 and len({pair["drug"] for pair in pairs}) == 6
    assert not {pair["drug"] for pair in pairs} & {
        json.loads(line)["drug"] for line in PAIRS.read_text("utf-8").splitlines()
    }
    below = _below(heldout_sources_build, HELDOUT_PAIRS, HELDOUT_FLOORS)
    assert not below, f"below the floor on the held-out cross-source pairs: {below}"


def test_every_contradiction_says_why_in_checkable_words(sources_build: Path) -> None:
    links = pq.read_table(sources_build / "claim_links.parquet").to_pylist()
    against = [link for link in links if link["relation"] == "contradicts"]
    assert against
    for link in against:
        assert link["claim_id_a"] != link["claim_id_b"]
        assert link["source_file_a"] != link["source_file_b"]
        assert " vs " in link["reason"]
    facts = [link for link in against if link["method"] == "fact"]
    assert any(" min" in link["reason"] or " h" in link["reason"] for link in facts)


def test_cli_reports_both_relations(sources_build: Path, capsys: object) -> None:
    assert main(["eval", "--dataset", str(sources_build), "--pairs", str(PAIRS)]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "same pairs: 242 labelled" in out and "contradicts pairs: 242 labelled" in out
