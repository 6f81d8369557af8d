"""Score the clustering against hand-labelled pairs of claims: same proposition or not.

A pairs file is JSONL, one pair per line::

    {"same": true, "a": {"source_file": "x.txt", "text": "…"},
     "b": {"source_file": "y.txt", "text": "…"}}

(on one line).

A claim is found by its source file and exact text. A pair counts as predicted "same" when
both claims carry the same ``cluster_id``; precision and recall are over the labelled pairs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from extract.quality.gold import EvalError, Score


@dataclass(frozen=True)
class PairReport:
    score: Score
    n_pairs: int
    disagreements: list[dict[str, Any]]  # pairs the clustering got wrong

    def format(self) -> str:
        s = self.score
        return (
            f"same-claim pairs: {self.n_pairs} labelled; precision {s.precision:.3f}, "
            f"recall {s.recall:.3f}, F1 {s.f1:.3f} (tp {s.tp}, fp {s.fp}, fn {s.fn})"
        )


def _claim_key(side: Any, where: str) -> tuple[str, str]:
    if not isinstance(side, Mapping) or not all(
        isinstance(side.get(key), str) for key in ("source_file", "text")
    ):
        raise EvalError(f'{where}: expected {{"source_file": …, "text": …}}')
    return side["source_file"], side["text"]


def score_pairs(dataset_dir: Path, pairs_path: Path) -> PairReport:
    table = pq.read_table(
        dataset_dir / "claims.parquet", columns=["source_file", "text", "cluster_id"]
    )
    cluster_of = {
        (source, text): cluster
        for source, text, cluster in zip(
            table.column("source_file").to_pylist(),
            table.column("text").to_pylist(),
            table.column("cluster_id").to_pylist(),
            strict=True,
        )
    }
    tp = fp = fn = 0
    wrong: list[dict[str, Any]] = []
    lines = pairs_path.read_text("utf-8").splitlines()
    n_pairs = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{pairs_path}:{number}"
        try:
            pair = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalError(f"{where}: not JSON ({error.msg})") from None
        if not isinstance(pair, Mapping) or not isinstance(pair.get("same"), bool):
            raise EvalError(f"{where}: expected an object with a boolean 'same'")
        a, b = _claim_key(pair.get("a"), where + " a"), _claim_key(pair.get("b"), where + " b")
        missing = [side for side in (a, b) if side not in cluster_of]
        if missing:
            raise EvalError(
                f"{where}: no claim with this text in {missing[0][0]!r} in {dataset_dir}; "
                "the pairs must name claims of this build"
            )
        predicted = cluster_of[a] == cluster_of[b]
        n_pairs += 1
        tp += predicted and pair["same"]
        fp += predicted and not pair["same"]
        fn += (not predicted) and pair["same"]
        if predicted != pair["same"]:
            wrong.append({"same": pair["same"], "a": a[1], "b": b[1]})
    return PairReport(Score.from_counts(tp, fp, fn), n_pairs, wrong)
