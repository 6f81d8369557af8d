"""Evidence from other sources: on the review page, in the CSV, in the verification set."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from extract.dataset.build import build
from extract.evalset.export import export_evalset
from extract.review.evidence import Evidence
from extract.review.log import Decision, read_claims, record_decisions
from extract.review.queue import QueueFilter, ReviewDataset
from extract.review.spreadsheet import export_csv

PAGES = {
    "SITEA - Tramadol.md": (
        "# Tramadol\n\n## Duration\n\n- Onset: 15 mins\n- Total: 6 - 10 hours\n\n"
        "## Pharmacology\n\nTramadol blocks the reuptake of serotonin and noradrenaline.\n"
    ),
    "SITEB - Tramadol.md": (
        "# Tramadol\n\n## Duration\n\n- **Onset:** 1 hours\n- **Duration:** 5-7 hours\n\n"
        "## History\n\nTramadol was developed by a German company in 1962.\n"
    ),
}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    root = tmp_path_factory.mktemp("linked")
    pages = root / "pages"
    pages.mkdir()
    for name, text in PAGES.items():
        (pages / name).write_text(text, "utf-8")
    out = root / "out"
    build([pages], out, progress=False, nlp=nlp)
    return out


def _claim_id(dataset: Path, text: str) -> str:
    claims = read_claims(dataset).to_pylist()
    (claim_id,) = [c["claim_id"] for c in claims if c["text"] == text]
    return str(claim_id)


def test_links_pair_the_two_sources(linked: Path) -> None:
    claims = {c["claim_id"]: c for c in read_claims(linked).to_pylist()}
    evidence = Evidence(linked, claims)
    onset_a = _claim_id(linked, "Onset: 15 mins")
    onset_b = _claim_id(linked, "**Onset:** 1 hours")
    total_a = _claim_id(linked, "Total: 6 - 10 hours")
    (against,) = evidence.of(onset_a)
    assert (against.claim_id, against.relation) == (onset_b, "contradicts")
    assert "15 min vs 1 h" in against.reason
    (agreeing,) = evidence.of(total_a)
    assert agreeing.relation == "same" and agreeing.text == "**Duration:** 5-7 hours"
    assert evidence.contradicted(onset_a) and not evidence.contradicted(total_a)
    history = _claim_id(linked, "Tramadol was developed by a German company in 1962.")
    assert evidence.of(history) == []


def test_the_queue_puts_contradicted_claims_first(linked: Path) -> None:
    dataset = ReviewDataset(linked)
    reviews = dataset.reviews()
    queue = dataset.queue(QueueFilter(), reviews)
    first_two = set(queue[:2])
    assert first_two == {
        _claim_id(linked, "Onset: 15 mins"),
        _claim_id(linked, "**Onset:** 1 hours"),
    }
    assert len(queue) == len(dataset)
    # Moving through the queue follows its order, contradicted claims first.
    previous, following = dataset.neighbours(queue, queue[1])
    assert (previous, following) == (queue[0], queue[2])
    view = dataset.claim_view(dataset.item(queue[0]), reviews)  # type: ignore[arg-type]
    assert view["evidence"][0]["relation"] == "contradicts"
    assert set(view["evidence"][0]) >= {"source_file", "text", "relation", "reason"}


def test_the_csv_shows_other_sources(linked: Path, tmp_path: Path) -> None:
    out = tmp_path / "queue.csv"
    export_csv(linked, out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["n_contradicting"] == "1"
    assert rows[0]["other_sources"].startswith("[CONTRADICTS] SITE")
    by_claim = {row["claim"]: row for row in rows}
    assert by_claim["Total: 6 - 10 hours"]["n_same"] == "1"
    assert by_claim["Total: 6 - 10 hours"]["other_sources"].startswith("[SAME]")
    history = by_claim["Tramadol was developed by a German company in 1962."]
    assert (history["n_contradicting"], history["n_same"], history["other_sources"]) == (
        "0",
        "0",
        "",
    )


def _verification(out: Path) -> dict[str, dict[str, Any]]:
    rows = [
        json.loads(line)
        for line in (out / "verification" / "train.jsonl").read_text("utf-8").splitlines()
    ]
    return {row["claim"]: row for row in rows}


def test_the_verification_set_takes_evidence_and_a_verdict_wins(
    linked: Path, tmp_path: Path
) -> None:
    out = tmp_path / "evalset"
    export_evalset(linked, out, ratios={"train": 1.0, "validation": 0.0, "test": 0.0})
    rows = _verification(out)
    onset = rows["Onset: 15 mins"]
    assert (onset["label"], onset["label_source"]) == ("REFUTES", "cross-source")
    source, refuting = onset["evidence"]
    assert source["role"] == "source" and source["label"] is None
    assert (refuting["role"], refuting["label"]) == ("refutes", "REFUTES")
    assert refuting["text"] == "**Onset:** 1 hours" and "vs" in refuting["reason"]
    total = rows["Total: 6 - 10 hours"]
    assert (total["label"], total["label_source"]) == ("SUPPORTS", "cross-source")
    alone = rows["Tramadol was developed by a German company in 1962."]
    assert (alone["label"], alone["label_source"]) == ("unverified", "none")
    # A reviewer's verdict always wins over what other sources say.
    record_decisions(
        linked,
        [Decision(claim_id=onset["id"], decision="accept", verdict="supported", reviewer="t")],
    )
    again = tmp_path / "evalset2"
    export_evalset(linked, again, ratios={"train": 1.0, "validation": 0.0, "test": 0.0})
    reviewed = _verification(again)["Onset: 15 mins"]
    assert (reviewed["label"], reviewed["label_source"]) == ("SUPPORTS", "review")
    assert len(reviewed["evidence"]) == 2  # the evidence stays for the reader


def test_contradicting_documents_share_a_split_when_splits_allow() -> None:
    from extract.evalset.splits import split_units

    docs = ["d1", "d2", "d3", "d4"]
    claims = [{"doc_id": d, "cluster_id": f"k{n}"} for n, d in enumerate(docs)]
    units, grouped = split_units(docs, claims, 3, [("d1", "d2")])
    assert grouped and ["d1", "d2"] in units and len(units) == 3
    # Joining would leave fewer units than splits: the contradictions are not joined.
    units, grouped = split_units(docs, claims, 4, [("d1", "d2")])
    assert grouped and len(units) == 4
