"""Score the links across sources against hand-labelled pairs of claims.

Two formats of pairs file (JSONL, one pair per line), told apart by their keys:

* **Relations, by offsets** (``tests/fixtures/cross_source_pairs.jsonl``)::

    {"drug": "Tramadol", "label": "contradicts", "why": "oral onset 15 min vs 1 h",
     "a": {"file": "drug-info-articles/Tramadol/PSYCHONAUTWIKI - Tramadol.md",
           "start": 123, "end": 145},
     "b": {"file": "…", "start": 200, "end": 230}}

  ``label`` is ``same``, ``contradicts`` or ``different``. A side is found as the claims of
  the dataset whose source file is a path suffix of ``file`` (or the reverse) and whose
  characters overlap ``start``–``end``. The pair is predicted ``contradicts`` when a
  ``contradicts`` link joins a claim of one side to a claim of the other, else ``same``
  when a ``same`` link does, else ``different``; a side with no claim is ``different``.
  Precision and recall are reported for ``same`` and for ``contradicts``.

* **Same or not, by text** (``tests/fixtures/same_claim_pairs.jsonl``)::

    {"same": true, "a": {"source_file": "x.txt", "text": "…"},
     "b": {"source_file": "y.txt", "text": "…"}}

  A claim is found by its source file and exact text; the pair is predicted same when
  both claims carry the same ``cluster_id``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow.parquet as pq

from extract.quality.gold import Score
from extract.quality.jsonl import EvalError, json_object

RELATIONS = ("same", "contradicts", "different")


@dataclass(frozen=True)
class PairReport:
    n_pairs: int
    # relation -> score; "same" only for the by-text format.
    scores: dict[str, Score]
    disagreements: list[dict[str, Any]]  # pairs the links got wrong
    # gold label -> predicted label -> pairs (the by-offsets format).
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    unmatched_sides: int = 0
    by_drug: dict[str, dict[str, Score]] = field(default_factory=dict)

    @property
    def score(self) -> Score:
        return self.scores["same"]

    def format(self) -> str:
        lines = []
        for relation, s in self.scores.items():
            lines.append(
                f"{relation} pairs: {self.n_pairs} labelled; precision {s.precision:.3f}, "
                f"recall {s.recall:.3f}, F1 {s.f1:.3f} (tp {s.tp}, fp {s.fp}, fn {s.fn})"
            )
        if self.confusion:
            lines.append("gold \\ predicted   " + "  ".join(f"{r:>11}" for r in RELATIONS))
            for gold in RELATIONS:
                row = self.confusion.get(gold, {})
                lines.append(f"{gold:<18} " + "  ".join(f"{row.get(r, 0):>11}" for r in RELATIONS))
            lines.append(f"sides with no claim in the dataset: {self.unmatched_sides}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "n_pairs": self.n_pairs,
            "scores": {name: vars(score) for name, score in self.scores.items()},
            "confusion": self.confusion,
            "unmatched_sides": self.unmatched_sides,
            "by_drug": {
                drug: {name: vars(score) for name, score in scores.items()}
                for drug, scores in self.by_drug.items()
            },
        }


def _read_pairs(path: Path) -> list[tuple[str, Mapping[str, Any]]]:
    pairs: list[tuple[str, Mapping[str, Any]]] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        pairs.append((where, json_object(line, where)))
    return pairs


def score_pairs(dataset_dir: Path, pairs_path: Path) -> PairReport:
    pairs = _read_pairs(pairs_path)
    if pairs and all("label" in pair for _, pair in pairs):
        return _score_relations(dataset_dir, pairs)
    return _score_same_by_text(dataset_dir, pairs)


# ------------------------------------------------------------------ relations, by offsets


def _suffix_match(labelled: str, built: str) -> bool:
    a, b = PurePosixPath(labelled).parts, PurePosixPath(built).parts
    n = min(len(a), len(b))
    return n > 0 and a[-n:] == b[-n:]


def _side(pair: Mapping[str, Any], name: str, where: str) -> tuple[str, int, int]:
    side = pair.get(name)
    if (
        not isinstance(side, Mapping)
        or not isinstance(side.get("file"), str)
        or not all(isinstance(side.get(k), int) for k in ("start", "end"))
    ):
        raise EvalError(f'{where} {name}: expected {{"file": …, "start": …, "end": …}}')
    return side["file"], int(side["start"]), int(side["end"])


def _score_relations(dataset_dir: Path, pairs: list[tuple[str, Mapping[str, Any]]]) -> PairReport:
    claims = pq.read_table(
        dataset_dir / "claims.parquet",
        columns=["claim_id", "source_file", "char_start", "char_end"],
    ).to_pylist()
    by_file: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for claim in claims:
        by_file[str(claim["source_file"])].append(claim)
    links_path = dataset_dir / "claim_links.parquet"
    relation_of: dict[frozenset[str], str] = {}
    if links_path.exists():
        for link in pq.read_table(
            links_path, columns=["claim_id_a", "claim_id_b", "relation"]
        ).to_pylist():
            relation_of[frozenset((link["claim_id_a"], link["claim_id_b"]))] = str(link["relation"])
    files = sorted(by_file)
    resolved: dict[str, str | None] = {}

    def claims_of(file: str, start: int, end: int) -> list[str]:
        if file not in resolved:
            matches = [built for built in files if _suffix_match(file, built)]
            resolved[file] = matches[0] if len(matches) == 1 else None
        built = resolved[file]
        if built is None:
            return []
        return [
            str(c["claim_id"])
            for c in by_file[built]
            if int(c["char_start"]) < end and start < int(c["char_end"])
        ]

    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    per_drug: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    wrong: list[dict[str, Any]] = []
    unmatched = 0
    for where, pair in pairs:
        label = pair.get("label")
        if label not in RELATIONS:
            raise EvalError(f"{where}: label must be one of {', '.join(RELATIONS)}")
        a, b = _side(pair, "a", where), _side(pair, "b", where)
        side_a, side_b = claims_of(*a), claims_of(*b)
        unmatched += (not side_a) + (not side_b)
        found = {relation_of.get(frozenset((x, y))) for x in side_a for y in side_b}
        predicted = (
            "contradicts" if "contradicts" in found else "same" if "same" in found else "different"
        )
        confusion[str(label)][predicted] += 1
        per_drug[str(pair.get("drug", ""))][str(label)][predicted] += 1
        if predicted != label:
            wrong.append(
                {
                    "label": label,
                    "predicted": predicted,
                    "a": list(a),
                    "b": list(b),
                    "why": pair.get("why", ""),
                }
            )

    def scores(table: Mapping[str, Counter[str]]) -> dict[str, Score]:
        result = {}
        for relation in ("same", "contradicts"):
            tp = table.get(relation, Counter())[relation]
            fp = sum(table[g][relation] for g in table if g != relation)
            fn = sum(n for p, n in table.get(relation, Counter()).items() if p != relation)
            result[relation] = Score.from_counts(tp, fp, fn)
        return result

    return PairReport(
        n_pairs=len(pairs),
        scores=scores(confusion),
        disagreements=wrong,
        confusion={gold: dict(row) for gold, row in sorted(confusion.items())},
        unmatched_sides=unmatched,
        by_drug={drug: scores(table) for drug, table in sorted(per_drug.items())},
    )


# ------------------------------------------------------------------ same or not, by text


def _claim_key(side: Any, where: str) -> tuple[str, str]:
    if not isinstance(side, Mapping) or not all(
        isinstance(side.get(key), str) for key in ("source_file", "text")
    ):
        raise EvalError(f'{where}: expected {{"source_file": …, "text": …}}')
    return side["source_file"], side["text"]


def _score_same_by_text(
    dataset_dir: Path, pairs: list[tuple[str, Mapping[str, Any]]]
) -> PairReport:
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
    for where, pair in pairs:
        if not isinstance(pair.get("same"), bool):
            raise EvalError(f"{where}: expected a boolean 'same' (or a 'label')")
        a, b = _claim_key(pair.get("a"), where + " a"), _claim_key(pair.get("b"), where + " b")
        missing = [side for side in (a, b) if side not in cluster_of]
        if missing:
            raise EvalError(
                f"{where}: no claim with this text in {missing[0][0]!r} in {dataset_dir}; "
                "the pairs must name claims of this build"
            )
        predicted = cluster_of[a] == cluster_of[b]
        tp += predicted and pair["same"]
        fp += predicted and not pair["same"]
        fn += (not predicted) and pair["same"]
        if predicted != pair["same"]:
            wrong.append({"same": pair["same"], "a": a[1], "b": b[1]})
    return PairReport(len(pairs), {"same": Score.from_counts(tp, fp, fn)}, wrong)
