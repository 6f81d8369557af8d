"""Evaluation sets: labels from reviews, leak-safe deterministic splits, loadable files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from spacy.language import Language

from extract.cli import main
from extract.dataset.build import build
from extract.errors import UsageError
from extract.evalset.export import export_evalset, parse_split
from extract.evalset.splits import SPLITS, leakage_check
from extract.evalset.splits import assign_splits as _assign
from extract.evalset.splits import cut_leaks as _cut_leaks
from extract.evalset.splits import split_units as _units
from extract.review.log import Decision, read_claims, record_decisions
from tests.conftest import SEEDS_DIR, shared_dir


@pytest.fixture(scope="module")
def reviewed(
    tmp_path_factory: pytest.TempPathFactory, nlp: Language
) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("seeds_reviewed")
    build([shared_dir(SEEDS_DIR)], out, progress=False, nlp=nlp)
    claims = read_claims(out).to_pandas()
    sentences = pd.read_parquet(out / "sentences.parquet")
    single = sentences[sentences.claim_ids.map(len) == 1].claim_ids.map(lambda ids: ids[0])
    ids = [cid for cid in claims.claim_id if cid in set(single)][:5]
    picked = dict(zip(("supported", "refuted", "relabel", "reject", "skip"), ids, strict=True))
    record_decisions(
        out,
        [
            Decision(picked["supported"], "accept", verdict="supported", reviewer="ana"),
            Decision(picked["refuted"], "accept", verdict="refuted", reviewer="ana"),
            Decision(picked["relabel"], "relabel", claim_type="history", reviewer="ana"),
            Decision(picked["reject"], "reject", reviewer="ana"),
            Decision(picked["skip"], "skip", reviewer="ana"),
        ],
    )
    return out, picked


def _rows(folder: Path, table: str) -> dict[str, pd.DataFrame]:
    return {
        split: pd.read_parquet(folder / table / f"{split}.parquet")
        for split in SPLITS
        if (folder / table / f"{split}.parquet").exists()
    }


def test_export_writes_leak_safe_labelled_sets(
    reviewed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    dataset, picked = reviewed
    out = tmp_path / "evalset"
    summary = export_evalset(dataset, out, seed=5)
    text = summary.format()
    assert "leakage check: passed" in text and "train" in text
    for name in ("README.md", "croissant.json", "evalset.json"):
        assert (out / name).is_file()
    verification = _rows(out, "verification")
    detection = _rows(out, "detection")
    assert set(verification) == set(SPLITS) and set(detection) == set(SPLITS)
    # Proven independently of the exporter: no document, no cluster in two splits.
    for column in ("doc_id", "cluster_id"):
        seen: dict[str, str] = {}
        for split, frame in verification.items():
            for value in frame[column]:
                assert seen.setdefault(value, split) == split
    doc_split = {d: s for s, f in verification.items() for d in f.doc_id}
    for split, frame in detection.items():
        assert all(doc_split.get(d, split) == split for d in frame.doc_id)
    every = pd.concat(verification.values()).set_index("id")
    assert every.loc[picked["supported"], "label"] == "SUPPORTS"
    assert every.loc[picked["refuted"], "label"] == "REFUTES"
    assert every.loc[picked["relabel"], "type"] == "history"
    assert every.loc[picked["skip"], "label"] == "unverified"
    assert picked["reject"] not in every.index  # not a claim
    sentences = pd.concat(detection.values())
    rejected = sentences[sentences.claim_ids.map(lambda ids: picked["reject"] in list(ids))]
    assert rejected.is_claim.tolist() == [False] and rejected.label_source.tolist() == ["review"]
    claims = read_claims(dataset).to_pandas()
    assert len(every) == len(claims) - 1
    assert len(sentences) == len(pd.read_parquet(dataset / "sentences.parquet"))
    # Evidence is the exact source sentence.
    documents = pd.read_parquet(dataset / "documents.parquet").set_index("doc_id")
    for row in every.itertuples():
        (evidence,) = row.evidence
        text = documents.loc[evidence["doc_id"], "text"]
        assert text[evidence["char_start"] : evidence["char_end"]] == evidence["text"]
        assert row.claim in evidence["text"]
    # Claims that need a citation come first in each split.
    for frame in verification.values():
        flags = frame.citation_needed.tolist()
        assert flags == sorted(flags, reverse=True)
    manifest = json.loads((out / "evalset.json").read_text("utf-8"))
    assert manifest["leakage_check"]["passed"]
    assert sum(manifest["sizes"]["verification"].values()) == len(every)


def test_same_seed_same_bytes(reviewed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    dataset, _ = reviewed
    first = export_evalset(dataset, tmp_path / "a", seed=3)
    export_evalset(dataset, tmp_path / "b", seed=3)
    for table in ("verification", "detection"):
        for split in SPLITS:
            for suffix in (".parquet", ".jsonl"):
                name = f"{table}/{split}{suffix}"
                assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert first.manifest["seed"] == 3
    # The seed moves documents between splits (shown on twenty single-document units).
    units = [[f"d{n}"] for n in range(20)]
    layouts = {
        tuple(sorted(_assign(units, {}, parse_split("80/10/10"), seed).items()))
        for seed in range(5)
    }
    assert len(layouts) > 1


def test_reviewed_only(reviewed: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    dataset, picked = reviewed
    summary = export_evalset(dataset, tmp_path / "r", reviewed_only=True)
    rows = pd.concat(_rows(tmp_path / "r", "verification").values())
    assert set(rows.id) == {picked["supported"], picked["refuted"], picked["relabel"]}
    assert rows.reviewed.all()
    assert summary.manifest["reviewed_only"]


def test_pandas_and_datasets_load_every_split(
    reviewed: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset, _ = reviewed
    out = tmp_path / "hf"
    export_evalset(dataset, out)
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets

    for table in ("verification", "detection"):
        files = {split: str(out / table / f"{split}.parquet") for split in SPLITS}
        loaded = datasets.load_dataset(
            "parquet", data_files=files, cache_dir=str(tmp_path / "hf-cache")
        )
        for split in SPLITS:
            frame = pd.read_parquet(files[split])
            assert loaded[split].num_rows == len(frame)
            assert list(loaded[split].features) == list(frame.columns)
    verification = pd.read_parquet(out / "verification" / "train.parquet")
    assert verification.hedged.dtype == bool and verification.citation_needed.dtype == bool
    assert str(verification.label.dtype) == "category"
    detection = pd.read_parquet(out / "detection" / "train.parquet")
    assert detection.is_claim.dtype == bool and detection.char_start.dtype == "int64"
    lines = (out / "verification" / "train.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == len(verification) and json.loads(lines[0])["id"].startswith("c")


def _synthetic(docs_clusters: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {"id": f"c{doc}{n}", "doc_id": doc, "cluster_id": cluster}
        for doc, clusters in docs_clusters.items()
        for n, cluster in enumerate(clusters)
    ]


def test_documents_sharing_a_cluster_stay_together() -> None:
    rows = _synthetic({"a": ["k1", "k2"], "b": ["k1"], "c": ["k3"], "d": ["k4"], "e": ["k5"]})
    units, grouped = _units(["a", "b", "c", "d", "e"], rows, 3)
    assert grouped and ["a", "b"] in units
    split_of = _assign(units, {"a": 2, "b": 1, "c": 1, "d": 1, "e": 1}, parse_split("60/20/20"), 1)
    assert split_of["a"] == split_of["b"]
    assert set(split_of.values()) == set(SPLITS)


def test_a_corpus_too_connected_to_group_cuts_clusters_instead() -> None:
    # Every document shares k1: one group only, so documents become the units and the
    # members of k1 outside its main split are left out.
    rows = _synthetic({"a": ["k1", "k2"], "b": ["k1", "k3"], "c": ["k1", "k4"], "d": ["k1"]})
    units, grouped = _units(["a", "b", "c", "d"], rows, 3)
    assert not grouped and len(units) == 4
    split_of = _assign(units, {}, parse_split("50/25/25"), 0)
    dropped, home = _cut_leaks(rows, split_of)
    kept = [row for row in rows if row["id"] not in dropped]
    tables = {"verification": {s: [r for r in kept if split_of[r["doc_id"]] == s] for s in SPLITS}}
    assert leakage_check(tables)["passed"]
    k1 = [row for row in rows if row["cluster_id"] == "k1"]
    outside = {row["id"] for row in k1 if split_of[row["doc_id"]] != home["k1"]}
    assert dropped == outside and len(outside) >= 2  # only k1's members elsewhere go
    leaky = {"verification": {s: [r for r in rows if split_of[r["doc_id"]] == s] for s in SPLITS}}
    assert not leakage_check(leaky)["passed"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80/10/10", (0.8, 0.1, 0.1)),
        ("8,1,1", (0.8, 0.1, 0.1)),
        ("70/30/0", (0.7, 0.3, 0.0)),
        ("80/10", None),
        ("0/50/50", None),
        ("80/-10/30", None),
        ("a/b/c", None),
    ],
)
def test_parse_split(text: str, expected: tuple[float, float, float] | None) -> None:
    if expected is None:
        with pytest.raises(UsageError, match="--split"):
            parse_split(text)
        return
    assert tuple(round(v, 6) for v in parse_split(text).values()) == expected


def test_cli_and_safe_replacement(
    reviewed: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset, _ = reviewed
    out = tmp_path / "cli"
    args = ["evalset", "--dataset", str(dataset), "--out", str(out), "--split", "70/15/15"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "leakage check: passed" in printed and "validation" in printed
    assert main(args) == 0  # an earlier set is replaced whole
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".cli")]
    stranger = tmp_path / "notes"
    stranger.mkdir()
    (stranger / "mine.txt").write_text("keep me", "utf-8")
    assert main(["evalset", "--dataset", str(dataset), "--out", str(stranger)]) == 2
    assert "not a claimset evaluation set" in capsys.readouterr().err
    assert (stranger / "mine.txt").read_text("utf-8") == "keep me"
