"""Clusters: the same proposition across sources joins one cluster, stance stays out of the key."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from spacy.language import Language

from extract.cli import main
from extract.dataset.build import build
from extract.dataset.rows import claims_from_sentences
from extract.links.clusters import claim_terms, cluster_claims, cluster_rows
from extract.nlp.attrs import SENTENCES_ATTR
from extract.quality.pairs import score_pairs
from tests.conftest import FIXTURES, SEEDS_DIR, shared_dir

PAIRS = FIXTURES / "same_claim_pairs.jsonl"


def _claims(nlp: Language, text: str, source: str) -> list[dict[str, Any]]:
    doc = nlp(text)
    records = claims_from_sentences(
        doc_id=hashlib.sha256(text.encode()).hexdigest(),
        source_file=source,
        text=text,
        sentences=doc._.get(SENTENCES_ATTR),
        extractor_version="test",
    )
    assert records, f"no claim in {text!r}"
    return [record.to_row() for record in records]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        # stance is not part of the proposition
        ("Ketamine blocks the NMDA receptor.", "Ketamine may not block the NMDA receptor.", True),
        # citations, word order and number do not matter
        (
            "Ketamine blocks NMDA receptors in the brain.",
            "In the brain, ketamine blocks the NMDA receptor [3].",
            True,
        ),
        # spun synonyms fold into one class
        (
            "Ketamine swiftly lowers depressive symptoms within hours.",
            "Ketamine rapidly reduces depressive symptoms within hours.",
            True,
        ),
        # spelling variants merge
        (
            "Ketamine was introduced as an anaesthetic for surgery in the 1960s.",
            "Ketamine was introduced as an anesthetic for surgery in the 1960s.",
            True,
        ),
        # the same drug is not the same claim
        ("Ketamine blocks the NMDA receptor.", "Ketamine is given as a nasal spray.", False),
        ("Ketamine causes memory loss in heavy users.", "Ketamine relieves chronic pain.", False),
        (
            "Esketamine nasal spray was approved by the FDA for depression.",
            "Esketamine nasal spray can cause dissociation and dizziness.",
            False,
        ),
        # onset times differ: different claims
        (
            "The effects appear within seconds when ketamine is given intravenously.",
            "Oral ketamine takes about thirty minutes to act.",
            False,
        ),
    ],
)
def test_same_proposition_pairs(nlp: Language, first: str, second: str, same: bool) -> None:
    claims = _claims(nlp, first, "a.txt") + _claims(nlp, second, "b.txt")
    clusters = cluster_claims(claims)
    together = any(len(cluster.members) == len(claims) for cluster in clusters)
    assert together is same, [sorted(claim_terms(c)) for c in claims]


def test_a_cluster_records_disagreement(nlp: Language) -> None:
    claims = _claims(nlp, "Ketamine blocks the NMDA receptor.", "a.txt") + _claims(
        nlp, "Ketamine does not block the NMDA receptor.", "b.txt"
    )
    (row,) = cluster_rows(claims, cluster_claims(claims))
    assert row["size"] == 2 and row["n_documents"] == 2
    assert row["n_negated"] == 1 and row["n_asserted"] == 1 and row["sources_disagree"]
    assert row["canonical_text"] == "Ketamine blocks the NMDA receptor."  # the plain statement
    assert "entity:nmda receptor" in row["key_terms"]


def test_terms_leave_out_stance_markers_and_spam(nlp: Language) -> None:
    (claim,) = _claims(
        nlp, "Ketamine may not block the NMDA receptor ketamine for sale online [12].", "a.txt"
    )
    terms = claim_terms(claim)
    assert {"entity:ketamine", "entity:nmda receptor", "block"} <= terms
    assert not terms & {"may", "not", "12", "sale", "online"}


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    out = tmp_path_factory.mktemp("seeds_clusters")
    build([shared_dir(SEEDS_DIR)], out, progress=False, nlp=nlp)
    return out


def test_every_claim_has_a_cluster_and_tables_agree(seeds_build: Path) -> None:
    claims = pd.read_parquet(seeds_build / "claims.parquet")
    clusters = pd.read_parquet(seeds_build / "clusters.parquet")
    assert claims.cluster_id.notna().all()
    assert set(claims.cluster_id) == set(clusters.cluster_id)
    assert clusters["size"].sum() == len(claims)
    members = {cid for ids in clusters.claim_ids for cid in ids}
    assert members == set(claims.claim_id)
    by_cluster = claims.groupby("cluster_id").source_file.nunique()
    assert clusters.set_index("cluster_id").n_documents.sort_index().tolist() == (
        by_cluster.sort_index().tolist()
    )


def test_clustering_scores_on_hand_labelled_seed_pairs(seeds_build: Path) -> None:
    # Pairs labelled by hand from the seeds (same proposition or not). The seeds are spun:
    # their paraphrases share almost no characters (character TF-IDF cosine 0.34 at most),
    # so text similarity tuned for precision on real pages links none of them; what it
    # must never do is join two different propositions.
    report = score_pairs(seeds_build, PAIRS)
    assert report.n_pairs >= 40
    assert report.score.fp == 0
    assert report.score.tp + report.score.fn == 18


def test_cli_scores_pairs(seeds_build: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--dataset", str(seeds_build), "--pairs", str(PAIRS)]) == 0
    assert "same pairs: 48 labelled; precision" in capsys.readouterr().out
    assert main(["eval", "--dataset", str(seeds_build)]) == 2


def test_a_rebuild_of_the_same_claims_reuses_the_clustering(
    tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract.links import clusters as clusters_module
    from extract.read.inputs import SAMPLE_CORPUS_DIR

    out = tmp_path / "out"
    build([SAMPLE_CORPUS_DIR], out, progress=False, nlp=nlp)
    first = {name: (out / name).read_bytes() for name in ("claims.parquet", "clusters.parquet")}

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("clustered again")

    monkeypatch.setattr(clusters_module, "cluster_claims", fail)
    build([SAMPLE_CORPUS_DIR], out, progress=False, nlp=nlp)  # served from the cache
    assert {name: (out / name).read_bytes() for name in first} == first
    for damaged in (out / ".cache").rglob("*.clusters.arrow"):
        damaged.write_bytes(b"broken")
    monkeypatch.undo()
    build([SAMPLE_CORPUS_DIR], out, progress=False, nlp=nlp)  # a damaged entry: clustered again
    assert {name: (out / name).read_bytes() for name in first} == first


def test_similarity_does_not_depend_on_set_order() -> None:
    # Term sets iterate in an order seeded per process (PYTHONHASHSEED); a plain float sum
    # over them differed in the last bit between runs and flipped a tie for a cluster's
    # canonical claim. The similarity must be the exactly rounded value, whatever the order.
    import math
    import random

    from extract.links.clusters import _Index

    rng = random.Random(3)
    vocabulary = [f"term{i}" for i in range(60)]
    term_sets = [frozenset(rng.sample(vocabulary, rng.randint(8, 20))) for _ in range(80)]
    index = _Index(term_sets)
    for a in range(0, 80, 2):
        b = a + 1
        shared = sorted(term_sets[a] & term_sets[b])
        mass_a = math.fsum(index.weight[t] for t in sorted(term_sets[a]))
        mass_b = math.fsum(index.weight[t] for t in sorted(term_sets[b]))
        exact = 2 * math.fsum(index.weight[t] for t in shared) / (mass_a + mass_b)
        assert index.similarity(a, b) == exact
        assert index.similarity(b, a) == exact


def _all_leaders_reference(index: Any, min_similarity: float) -> dict[int, list[int]]:
    """The grouping by brute force: every claim compared with every leader so far."""
    members: dict[int, list[int]] = {}
    for position, terms in enumerate(index.terms):
        best, best_score = None, min_similarity
        for leader in members:
            if len((terms & index.terms[leader]) - index.common) < 2:
                continue
            score = index.similarity(position, leader)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = leader, score
        if best is None:
            members[position] = [position]
        else:
            members[best].append(position)
    return members


@pytest.mark.parametrize("min_similarity", [0.2, 0.35, 0.6])
def test_prefix_filtering_finds_what_comparing_every_leader_finds(min_similarity: float) -> None:
    # Terms drawn with a skewed frequency (a few very common, most rare), as in real claims,
    # and near-copies so that many claims do join a leader.
    import random

    from extract.links.clusters import _Index, group_by_leader

    rng = random.Random(11)
    vocabulary = [f"term{i}" for i in range(400)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    term_sets: list[frozenset[str]] = []
    for _ in range(600):
        if term_sets and rng.random() < 0.4:
            base = set(rng.choice(term_sets))
            base ^= set(rng.choices(vocabulary, weights, k=rng.randint(1, 4)))
            term_sets.append(frozenset(base) or frozenset({"term0"}))
        else:
            term_sets.append(frozenset(rng.choices(vocabulary, weights, k=rng.randint(3, 14))))
    index = _Index(term_sets)
    found = group_by_leader(index, min_similarity)
    assert found == _all_leaders_reference(index, min_similarity)
    assert sum(len(group) > 1 for group in found.values()) >= 20  # the test groups claims
