"""Evaluation sets from a reviewed claim dataset: claim verification and claim detection.

Two tables, each in leak-safe train / validation / test splits:

* **verification** (FEVER/SciFact style): one row per claim, labelled from the review verdict
  or else from other sources' linked claims, with its source sentence and those claims'
  sentences as evidence (``schema/verification.schema.json``, :mod:`extract.evalset.evidence`);
* **detection** (CheckThat!-style): every sentence of the corpus with ``is_claim`` and its
  types, reviewed decisions overriding the extractor (``schema/detection.schema.json``).

Splits are drawn by unit, never by row: a unit is a group of documents joined by a cluster of
the same claim, so no source document and no cluster lands in two splits. When the corpus is
too connected to give every split a unit, documents become the units and a cluster's members
outside its main split are left out (and counted). A check over the written rows proves it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from extract import __version__
from extract.errors import UsageError
from extract.evalset.evidence import keep_evidence_in_split, linked_evidence, set_label
from extract.evalset.splits import SPLITS, assign_splits, cut_leaks, leakage_check, split_units
from extract.review.evidence import Evidence
from extract.review.log import ReviewLog, claim_refs, read_claims, resolve
from extract.tables.io import read_parquet, to_table
from extract.tables.records import needs_citation

TABLES = ("verification", "detection")
MANIFEST_FILE = "evalset.json"
_KEPT_DECISIONS = frozenset({"accept", "relabel"})


def parse_split(text: str) -> dict[str, float]:
    """ "80/10/10" → train 0.8, validation 0.1, test 0.1 (any positive numbers, normalized)."""
    parts = text.replace(",", "/").split("/")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 3 or any(n < 0 for n in numbers) or sum(numbers) <= 0 or numbers[0] <= 0:
        raise UsageError(
            f"--split {text!r}: give three shares train/validation/test, e.g. 80/10/10 "
            "(train above 0, none negative)"
        )
    total = sum(numbers)
    return {name: n / total for name, n in zip(SPLITS, numbers, strict=True)}


@dataclass(frozen=True)
class EvalsetSummary:
    out_dir: Path
    manifest: dict[str, Any]

    def format(self) -> str:
        sizes = self.manifest["sizes"]
        documents = self.manifest["documents"]
        leak = self.manifest["leakage_check"]
        lines = [
            f"Wrote {self.out_dir}: claim verification and claim detection, "
            f"seed {self.manifest['seed']}"
            + (", reviewed claims only" if self.manifest["reviewed_only"] else ""),
            f"{'split':<12}{'documents':>10}{'verification':>14}{'detection':>11}",
        ]
        for split in SPLITS:
            lines.append(
                f"{split:<12}{documents.get(split, 0):>10}"
                f"{sizes['verification'].get(split, 0):>14}{sizes['detection'].get(split, 0):>11}"
            )
        clusters = self.manifest["clusters"]
        lines.append(
            f"leakage check: {'passed' if leak['passed'] else 'FAILED'}: "
            f"{leak['documents_in_two_splits']} documents and {leak['clusters_in_two_splits']} "
            f"clusters in two splits ({clusters['count']} clusters, "
            f"{clusters['multi_document']} across documents)"
        )
        excluded = self.manifest["excluded"]
        if excluded["verification"] or excluded["detection"]:
            lines.append(
                f"left out to keep clusters in one split: {excluded['verification']} claims, "
                f"{excluded['detection']} sentences"
            )
        return "\n".join(lines)


# --- reading the dataset ---------------------------------------------------------------------


def _read(dataset_dir: Path, name: str) -> list[dict[str, Any]]:
    path = dataset_dir / name
    if not path.exists():
        raise UsageError(
            f"{path} is missing: rebuild the dataset with this claimset version "
            f"(`claimset build … --out {dataset_dir}`)"
        )
    rows: list[dict[str, Any]] = read_parquet(path).to_pylist()
    return rows


def _claim_rows(
    claims: Sequence[Mapping[str, Any]],
    sentences: Mapping[tuple[str, int], Mapping[str, Any]],
    latest: Mapping[str, Mapping[str, Any]],
    reviewed_only: bool,
    evidence: Evidence | None = None,
) -> list[dict[str, Any]]:
    """Verification rows for every claim that is not rejected (all, or reviewed ones)."""
    claims_by_id = {claim["claim_id"]: claim for claim in claims}
    rows = []
    for claim in claims:
        decision = latest.get(claim["claim_id"])
        kind = decision["decision"] if decision else None
        if kind == "reject" or (reviewed_only and kind not in _KEPT_DECISIONS):
            continue
        relabelled = decision["claim_type"] if decision and kind == "relabel" else None
        claim_type = relabelled or claim["claim_type"]
        types = [claim_type, *(t for t in claim["claim_types"] if t != claim_type)]
        corrected = decision["has_citation"] if decision else None
        has_citation = claim["has_citation"] if corrected is None else corrected
        verdict = (decision or {}).get("verdict")
        sentence = sentences[(claim["doc_id"], claim["sentence_index"])]
        linked = (
            linked_evidence(claim["claim_id"], evidence, claims_by_id, sentences)
            if evidence is not None
            else []
        )
        row = {
            "id": claim["claim_id"],
            "claim": claim["text"],
            "label": "",
            "label_source": "",
            "evidence": [
                {
                    "doc_id": claim["doc_id"],
                    "source_file": claim["source_file"],
                    "sentence_index": claim["sentence_index"],
                    "char_start": sentence["char_start"],
                    "char_end": sentence["char_end"],
                    "text": sentence["text"],
                    "role": "source",
                    "claim_id": None,
                    "label": None,
                    "reason": None,
                },
                *linked,
            ],
            "cited": {
                "markers": list(claim["citation_markers"]),
                "numbers": list(claim["citation_numbers"]),
            },
            "type": claim_type,
            "types": types,
            "hedged": claim["hedged"],
            "negated": claim["negated"],
            "citation_needed": needs_citation(
                types, has_citation=has_citation, hedged=claim["hedged"]
            ),
            "doc_id": claim["doc_id"],
            "source_file": claim["source_file"],
            "cluster_id": claim["cluster_id"],
            "reviewed": kind in _KEPT_DECISIONS,
            "review_decision": kind,
        }
        set_label(row, verdict)
        rows.append(row)
    return rows


def _sentence_rows(
    sentences: Iterable[Mapping[str, Any]],
    claims_by_id: Mapping[str, Mapping[str, Any]],
    latest: Mapping[str, Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """Detection rows: every sentence, its claims' review decisions over the extractor's."""
    rows = []
    for sentence in sentences:
        claim_ids = list(sentence["claim_ids"])
        decided = [latest[c]["decision"] for c in claim_ids if c in latest]
        kept = [c for c in claim_ids if latest.get(c, {}).get("decision") != "reject"]
        types: list[str] = []
        for claim_id in kept:
            decision = latest.get(claim_id)
            claim = claims_by_id[claim_id]
            if decision and decision["decision"] == "relabel":
                types.append(decision["claim_type"])
            types.extend(claim["claim_types"])
        all_decided = bool(claim_ids) and all(d in ("accept", "reject", "relabel") for d in decided)
        all_decided = all_decided and len(decided) == len(claim_ids)
        rows.append(
            {
                "id": f"s{sentence['doc_id'][:16]}-{sentence['sentence_index']}",
                "sentence": sentence["text"],
                "is_claim": bool(kept),
                "claim_types": list(dict.fromkeys(types)),
                "label_source": "review" if all_decided else "extractor",
                "citation_needed": any(claims_by_id[c]["citation_needed"] for c in kept),
                "doc_id": sentence["doc_id"],
                "source_file": sentence["source_file"],
                "sentence_index": sentence["sentence_index"],
                "char_start": sentence["char_start"],
                "char_end": sentence["char_end"],
                "claim_ids": claim_ids,
                "cluster_ids": list(
                    dict.fromkeys(claims_by_id[c]["cluster_id"] for c in claim_ids)
                ),
            }
        )
    return rows


# --- writing ----------------------------------------------------------------------------------


def _write_split(folder: Path, table: str, split: str, rows: Sequence[Mapping[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arrow = to_table(table, rows, {"claimset.version": __version__})
    pq.write_table(arrow, folder / f"{split}.parquet", compression="zstd")
    with (folder / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _replace_folder(staging: Path, out_dir: Path) -> None:
    """Put the finished set in place; a previous set is swapped out only at the end."""
    if out_dir.exists():
        if not (out_dir / MANIFEST_FILE).exists() and any(out_dir.iterdir()):
            raise UsageError(
                f"{out_dir} exists and is not a claimset evaluation set; "
                "choose an empty or new folder for --out"
            )
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.replace(out_dir, old)
        os.replace(staging, out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out_dir)


def export_evalset(
    dataset_dir: Path | str,
    out_dir: Path | str,
    *,
    ratios: Mapping[str, float] | None = None,
    seed: int = 13,
    reviewed_only: bool = False,
    license_id: str = "other",
) -> EvalsetSummary:
    """Write the verification and detection sets, their card and Croissant file to out_dir."""
    from extract.evalset.card import write_card

    dataset_dir, out_dir = Path(dataset_dir), Path(out_dir)
    ratios = dict(ratios or {"train": 0.8, "validation": 0.1, "test": 0.1})
    claims_table = read_claims(dataset_dir)
    claims = claims_table.to_pylist()
    if claims and claims[0].get("cluster_id") is None:
        raise UsageError(f"{dataset_dir} was built before clusters: rebuild it first")
    sentence_list = _read(dataset_dir, "sentences.parquet")
    clusters = _read(dataset_dir, "clusters.parquet")
    resolved = resolve(ReviewLog(dataset_dir).rows(), claim_refs(claims_table))
    latest = resolved.by_claim
    claims_by_id = {claim["claim_id"]: claim for claim in claims}
    sentences = {(s["doc_id"], s["sentence_index"]): s for s in sentence_list}
    evidence = Evidence(dataset_dir, claims_by_id)
    verification = _claim_rows(claims, sentences, latest, reviewed_only, evidence)
    # Claims needing a citation are offered first, as in the review queue.
    verification.sort(key=lambda row: not row["citation_needed"])
    detection = _sentence_rows(sentence_list, claims_by_id, latest)

    documents = sorted({s["doc_id"] for s in sentence_list})
    n_splits = sum(1 for name in SPLITS if ratios[name] > 0)
    contradicting = [
        (claims_by_id[claim_id]["doc_id"], claims_by_id[linked.claim_id]["doc_id"])
        for claim_id in claims_by_id
        for linked in evidence.of(claim_id)
        if linked.relation == "contradicts"
    ]
    units, grouped = split_units(documents, claims, n_splits, contradicting)
    weights = Counter(row["doc_id"] for row in verification)
    split_of = assign_splits(units, weights, ratios, seed)
    dropped_claims: set[str] = set()
    if not grouped:
        dropped_claims, _ = cut_leaks(verification, split_of)
    dropped_sentences = {row["id"] for row in detection if dropped_claims & set(row["claim_ids"])}
    tables: dict[str, dict[str, list[dict[str, Any]]]] = {
        table: {split: [] for split in SPLITS} for table in TABLES
    }
    verdicts = {claim_id: decision.get("verdict") for claim_id, decision in latest.items()}
    dropped_evidence = keep_evidence_in_split(verification, split_of, verdicts)
    for row in verification:
        if row["id"] not in dropped_claims:
            tables["verification"][split_of[row["doc_id"]]].append(row)
    for row in detection:
        if row["id"] not in dropped_sentences:
            tables["detection"][split_of[row["doc_id"]]].append(row)
    check = leakage_check(tables)
    if not check["passed"]:  # a bug, never a user error: refuse to write a leaking set
        raise RuntimeError(f"evaluation set would leak across splits: {check}")

    manifest = _manifest(
        dataset_dir, tables, split_of, clusters, check, ratios, seed, reviewed_only, license_id
    )
    manifest["excluded"] = {
        "cross_source_evidence": dropped_evidence,
        "verification": len(dropped_claims),
        "detection": len(dropped_sentences),
        "reason": "members of a cluster outside the split holding most of it"
        if dropped_claims
        else "none: documents sharing a cluster were kept in one split",
    }
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        for table, by_split in tables.items():
            for split, rows in by_split.items():
                if rows:
                    _write_split(staging / table, table, split, rows)
        (staging / MANIFEST_FILE).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", "utf-8"
        )
        write_card(staging, manifest)
        _replace_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return EvalsetSummary(out_dir, manifest)


def _manifest(
    dataset_dir: Path,
    tables: Mapping[str, Mapping[str, Sequence[Mapping[str, Any]]]],
    split_of: Mapping[str, str],
    clusters: Sequence[Mapping[str, Any]],
    check: Mapping[str, Any],
    ratios: Mapping[str, float],
    seed: int,
    reviewed_only: bool,
    license_id: str,
) -> dict[str, Any]:
    build: dict[str, Any] = {}
    manifest_path = dataset_dir / "manifest.json"
    if manifest_path.exists():
        build = json.loads(manifest_path.read_text("utf-8"))
    pipeline = build.get("pipeline", {})
    labels: dict[str, dict[str, dict[str, int]]] = {table: {} for table in TABLES}
    for split in SPLITS:
        labels["verification"][split] = dict(
            sorted(Counter(row["label"] for row in tables["verification"][split]).items())
        )
        counts = Counter(
            "claim" if row["is_claim"] else "not_claim" for row in tables["detection"][split]
        )
        labels["detection"][split] = dict(sorted(counts.items()))
    biggest = sorted(clusters, key=lambda c: (-c["size"], -c["n_documents"], c["cluster_id"]))
    return {
        "name": "claimset-evalset",
        "claimset_version": __version__,
        "extractor_version": build.get("extractor_version"),
        "model": {"name": pipeline.get("model_name"), "version": pipeline.get("model_version")},
        "source_dataset": str(dataset_dir.resolve()),
        "license": license_id,
        "seed": seed,
        "split_ratios": {name: round(ratios[name], 6) for name in SPLITS},
        "reviewed_only": reviewed_only,
        "sizes": {
            table: {split: len(rows) for split, rows in tables[table].items()} for table in TABLES
        },
        "documents": {
            split: sum(1 for value in split_of.values() if value == split) for split in SPLITS
        },
        "labels": labels,
        "clusters": {
            "count": len(clusters),
            "multi_document": sum(1 for c in clusters if c["n_documents"] > 1),
            "largest": [
                {
                    "cluster_id": c["cluster_id"],
                    "size": c["size"],
                    "n_documents": c["n_documents"],
                    "canonical_text": c["canonical_text"],
                    "sources_disagree": c["sources_disagree"],
                }
                for c in biggest[:5]
            ],
        },
        "leakage_check": dict(check),
        "languages": ["en"],
    }
