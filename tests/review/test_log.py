"""The review log: append-only, latest decision wins, decisions survive rebuilds, the view."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from extract.cli import main
from extract.dataset.build import build
from extract.read.inputs import SAMPLE_CORPUS_DIR
from extract.review.log import (
    REVIEWED_VIEW_FILE,
    REVIEWS_FILE,
    ClaimRef,
    Decision,
    ReviewError,
    ReviewLog,
    latest_decisions,
    read_claims,
    record_decisions,
    resolve,
)
from extract.review.view import apply_reviews, review_status

DEPRESSION = "01_ketamine_for_depression_spun.txt"
NASAL = "02_esketamine_nasal_spray_overview.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in (DEPRESSION, NASAL):
        shutil.copy(SAMPLE_CORPUS_DIR / name, folder / name)
    return folder


@pytest.fixture
def dataset(corpus: Path, tmp_path: Path, nlp: Any) -> Path:
    out = tmp_path / "out"
    build([corpus], out, progress=False, nlp=nlp)
    return out


def _claims(dataset: Path) -> pd.DataFrame:
    return read_claims(dataset).to_pandas()


def _row(claim_id: str, decision: str, at: str, **fields: Any) -> dict[str, Any]:
    return {
        "claim_id": claim_id,
        "decision": decision,
        "claim_type": None,
        "has_citation": None,
        "verdict": None,
        "note": None,
        "reviewer": "r",
        "reviewed_at": at,
        "source_file": "a.txt",
        "claim_text": "X blocks Y.",
        **fields,
    }


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # the later time wins whatever the log order
        (
            [
                _row("c1", "reject", "2026-01-02T00:00:00.000000Z"),
                _row("c1", "accept", "2026-01-01T00:00:00.000000Z"),
            ],
            "reject",
        ),
        # same time: the later log row wins
        (
            [
                _row("c1", "accept", "2026-01-01T00:00:00.000000Z"),
                _row("c1", "skip", "2026-01-01T00:00:00.000000Z"),
            ],
            "skip",
        ),
        ([_row("c1", "accept", "2026-01-01T00:00:00.000000Z")], "accept"),
    ],
)
def test_latest_decision_wins(rows: list[dict[str, Any]], expected: str) -> None:
    latest = latest_decisions(rows)
    assert latest["c1"]["decision"] == expected
    assert latest["c1"]["n_reviews"] == len(rows)


@pytest.mark.parametrize(
    ("reviewed_text", "current", "outcome"),
    [
        # the same id: matched directly
        ("X blocks Y.", [ClaimRef("c1", "a.txt", "X blocks Y.")], ("c1", None)),
        # a spun word changed: carried over to the nearly identical claim in the same source
        (
            "Ketamine blocks the NMDA receptor in the brain.",
            [ClaimRef("c9", "a.txt", "Ketamine blocks the NMDA receptors in the brain.")],
            ("c9", "c1"),
        ),
        # the same words in exactly one other source (a renamed file): followed
        (
            "Ketamine blocks the NMDA receptor in the brain.",
            [ClaimRef("c9", "b.txt", "Ketamine blocks the NMDA receptor in the brain.")],
            ("c9", "c1"),
        ),
        # the same words in two other sources (copied pages): no guess, orphaned
        (
            "Ketamine blocks the NMDA receptor in the brain.",
            [
                ClaimRef("c8", "b.txt", "Ketamine blocks the NMDA receptor in the brain."),
                ClaimRef("c9", "c.txt", "Ketamine blocks the NMDA receptor in the brain."),
            ],
            None,
        ),
        # nearly the same words in another source: not this claim
        (
            "Ketamine blocks the NMDA receptor in the brain.",
            [ClaimRef("c9", "b.txt", "Ketamine blocks the NMDA receptors in the brain.")],
            None,
        ),
        # a different claim: orphaned
        (
            "Ketamine blocks the NMDA receptor in the brain.",
            [ClaimRef("c9", "a.txt", "Esketamine is given as a nasal spray.")],
            None,
        ),
        # two equally close candidates: no guess, orphaned
        (
            "Ketamine blocks the NMDA receptor.",
            [
                ClaimRef("c8", "a.txt", "Ketamine blocks the NMDA receptor!"),
                ClaimRef("c9", "a.txt", "Ketamine blocks the NMDA receptor?"),
            ],
            None,
        ),
    ],
)
def test_resolve_follows_claims_or_keeps_orphans(
    reviewed_text: str, current: list[ClaimRef], outcome: tuple[str, str | None] | None
) -> None:
    rows = [_row("c1", "accept", "2026-01-01T00:00:00.000000Z", claim_text=reviewed_text)]
    resolved = resolve(rows, current)
    if outcome is None:
        assert [row["claim_id"] for row in resolved.orphans] == ["c1"]
        assert resolved.by_claim == {}
        return
    target, carried_from = outcome
    assert resolved.orphans == []
    assert resolved.by_claim[target]["decision"] == "accept"
    assert resolved.by_claim[target].get("anchored_from") == carried_from


def test_a_claims_own_decision_beats_one_carried_over() -> None:
    rows = [
        _row("c1", "reject", "2026-01-01T00:00:00.000000Z", claim_text="X blocks the Y receptor."),
        _row("c2", "accept", "2026-01-01T00:00:00.000000Z", claim_text="X blocks the Y receptors."),
    ]
    resolved = resolve(rows, [ClaimRef("c2", "a.txt", "X blocks the Y receptors.")])
    assert resolved.by_claim["c2"]["decision"] == "accept"
    assert [row["claim_id"] for row in resolved.orphans] == ["c1"]


def test_log_is_append_only_and_all_or_nothing(dataset: Path) -> None:
    ids = _claims(dataset).claim_id.tolist()
    record_decisions(dataset, [Decision(ids[0], "accept", verdict="supported")])
    record_decisions(
        dataset, [Decision(ids[1], "relabel", claim_type="safety"), Decision(ids[0], "reject")]
    )
    log = ReviewLog(dataset)
    first = log.rows()
    assert [(r["claim_id"], r["decision"]) for r in first] == [
        (ids[0], "accept"),
        (ids[1], "relabel"),
        (ids[0], "reject"),
    ]
    assert first[0]["source_file"] and first[0]["claim_text"]  # the snapshot is filled in
    before = (dataset / REVIEWS_FILE).read_bytes()
    bad_batches = [
        [Decision(ids[2], "accept"), Decision("c0000000000000000", "accept")],
        [Decision(ids[2], "relabel")],  # no type
        [Decision(ids[2], "reject", verdict="supported")],
        [Decision(ids[2], "accept", claim_type="safety")],
        [Decision(ids[2], "maybe")],
        [Decision(ids[2], "accept", reviewer=" ")],
    ]
    for batch in bad_batches:
        with pytest.raises(ReviewError, match="nothing was recorded"):
            record_decisions(dataset, batch)
    assert (dataset / REVIEWS_FILE).read_bytes() == before


def _append_many(dataset: str, claim_id: str, worker: int) -> None:
    for index in range(15):
        ReviewLog(dataset).append([Decision(claim_id, "skip", note=f"{worker}-{index}")])


def test_concurrent_writers_lose_nothing(dataset: Path) -> None:
    claim_id = _claims(dataset).claim_id.iloc[0]
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_append_many, args=(str(dataset), claim_id, n)) for n in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    notes = sorted(row["note"] for row in ReviewLog(dataset).rows())
    assert notes == sorted(f"{w}-{i}" for w in range(3) for i in range(15))


def _find(claims: pd.DataFrame, source: str, words: str) -> pd.Series:
    rows = claims[(claims.source_file == source) & claims.text.str.contains(words, regex=False)]
    assert len(rows) == 1, (words, rows.text.tolist())
    return rows.iloc[0]


def test_reviews_survive_edited_inputs_and_rebuilds(corpus: Path, dataset: Path, nlp: Any) -> None:
    claims = _claims(dataset)
    kept = _find(claims, DEPRESSION, "first synthesized in 1962")
    edited = _find(claims, DEPRESSION, "blocks the NMDA receptor")
    removed = _find(claims, NASAL, claims[claims.source_file == NASAL].text.iloc[0][:40])
    record_decisions(
        dataset,
        [
            Decision(kept.claim_id, "accept", verdict="supported", reviewer="ana"),
            Decision(edited.claim_id, "relabel", claim_type="efficacy", reviewer="ana"),
            Decision(removed.claim_id, "reject", reviewer="ben"),
        ],
    )
    log_before = (dataset / REVIEWS_FILE).read_bytes()

    # New text before every claim (offsets move), one reviewed claim reworded, one deleted.
    page = corpus / DEPRESSION
    text = page.read_text("utf-8")
    assert edited.text in text
    page.write_text(
        "Updated on 3 March.\n"
        + text.replace(edited.text, edited.text.replace("blocks", "blocks off")),
        "utf-8",
    )
    nasal = corpus / NASAL
    nasal.write_text(nasal.read_text("utf-8").replace(removed.text, ""), "utf-8")
    summary = build([corpus], dataset, progress=False, nlp=nlp)

    assert (dataset / REVIEWS_FILE).read_bytes() == log_before  # the build never writes the log
    assert summary.reviews is not None and "1 orphaned" in summary.reviews
    after = _claims(dataset)
    assert kept.claim_id in set(after.claim_id)  # same words, same source: same id
    assert kept.char_start not in set(after[after.claim_id == kept.claim_id].char_start)
    status = review_status(dataset)
    assert status.n_settled == 2
    assert [row["claim_id"] for row in status.orphans] == [removed.claim_id]
    assert list(status.reanchored) == [edited.claim_id]
    text_out = status.format()
    assert "orphaned: 1" in text_out and removed.claim_id in text_out

    view = pd.read_parquet(dataset / REVIEWED_VIEW_FILE)
    decided = view[view.review_decision.notna()].set_index("claim_id")
    assert decided.loc[kept.claim_id, "review_verdict"] == "supported"
    moved = decided[decided.review_anchor == "text"]
    assert moved.review_claim_type.tolist() == ["efficacy"]
    assert moved.review_claim_id.tolist() == [edited.claim_id]  # logged against the old id
    assert "blocks off" in moved.text.iloc[0]


def test_reviewed_view_columns_and_types(dataset: Path) -> None:
    claims = _claims(dataset)
    ids = claims.claim_id.tolist()
    record_decisions(
        dataset,
        [
            Decision(ids[0], "accept", has_citation=True, verdict="refuted", note="see ref 9"),
            Decision(ids[1], "reject"),
            Decision(ids[2], "relabel", claim_type="history"),
        ],
    )
    summary = apply_reviews(dataset)
    assert summary.n_reviewed == 3
    view = pd.read_parquet(dataset / REVIEWED_VIEW_FILE).set_index("claim_id")
    assert len(view) == len(claims)
    assert str(view.reviewed_at.dtype) == "datetime64[us, UTC]"
    assert bool(view.loc[ids[0], "review_has_citation"])  # the correction wins
    assert view.loc[ids[0], "review_claim_type"] == claims.claim_type.iloc[0]
    assert view.loc[ids[1], "review_decision"] == "reject"
    assert pd.isna(view.loc[ids[1], "review_claim_type"])  # not a claim: no type after review
    assert view.loc[ids[2], "review_claim_type"] == "history"
    assert view.loc[ids[3], "review_count"] == 0 and pd.isna(view.loc[ids[3], "review_decision"])
    schema = pq.read_schema(dataset / REVIEWED_VIEW_FILE)
    assert schema.field("review_decision").metadata[b"description"]


def test_a_build_writes_the_view_and_leaves_the_log(dataset: Path, corpus: Path, nlp: Any) -> None:
    assert (dataset / REVIEWED_VIEW_FILE).exists()  # even before any review
    claim_id = _claims(dataset).claim_id.iloc[0]
    record_decisions(dataset, [Decision(claim_id, "accept")])
    stat = (dataset / REVIEWS_FILE).stat()
    build([corpus], dataset, progress=False, nlp=nlp)
    assert (dataset / REVIEWS_FILE).stat().st_mtime_ns == stat.st_mtime_ns
    view = pd.read_parquet(dataset / REVIEWED_VIEW_FILE)
    assert view.review_decision.notna().sum() == 1


def test_a_damaged_log_is_reported_and_kept(dataset: Path, corpus: Path, nlp: Any) -> None:
    (dataset / REVIEWS_FILE).write_bytes(b"not parquet")
    summary = build([corpus], dataset, progress=False, nlp=nlp)  # the build itself succeeds
    assert summary.reviews is not None and "cannot read the review log" in summary.reviews
    assert (dataset / REVIEWS_FILE).read_bytes() == b"not parquet"
    with pytest.raises(ReviewError, match="left as it is"):
        ReviewLog(dataset).append([Decision(_claims(dataset).claim_id.iloc[0], "accept")])


def test_status_counts_by_type_and_decision(dataset: Path) -> None:
    claims = _claims(dataset)
    record_decisions(
        dataset,
        [
            Decision(claims.claim_id.iloc[0], "accept", verdict="supported"),
            Decision(claims.claim_id.iloc[1], "skip"),
        ],
    )
    status = review_status(dataset)
    assert status.n_settled == 1
    assert status.by_decision == {"accept": 1, "skip": 1}
    assert status.by_verdict == {"supported": 1}
    first_type = claims.claim_type.iloc[0]
    assert status.by_type[first_type] == (1, int((claims.claim_type == first_type).sum()))
    assert sum(total for _, total in status.by_type.values()) == len(claims)
    assert f"reviewed 1 / {len(claims)} claims" in status.format()


def test_cli_status_and_apply(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "status", "--dataset", str(dataset)]) == 0
    assert "reviewed 0 /" in capsys.readouterr().out
    assert main(["review", "status", "--dataset", str(dataset), "--json"]) == 0
    assert '"reviewed": 0' in capsys.readouterr().out
    assert main(["review", "apply", "--dataset", str(dataset)]) == 0
    assert REVIEWED_VIEW_FILE in capsys.readouterr().out
    assert main(["review", "status", "--dataset", str(dataset / "nowhere")]) == 2
    assert "no dataset" in capsys.readouterr().err


def test_the_view_is_rewritten_only_when_claims_or_log_change(
    dataset: Path, corpus: Path, nlp: Any
) -> None:
    view = dataset / REVIEWED_VIEW_FILE
    made = view.stat().st_mtime_ns
    build([corpus], dataset, progress=False, nlp=nlp)  # nothing changed
    assert view.stat().st_mtime_ns == made
    assert not review_status(dataset).view_stale
    record_decisions(dataset, [Decision(_claims(dataset).claim_id.iloc[0], "accept")])
    assert review_status(dataset).view_stale  # the log moved on
    assert apply_reviews(dataset).n_reviewed == 1
    assert view.stat().st_mtime_ns != made and not review_status(dataset).view_stale
