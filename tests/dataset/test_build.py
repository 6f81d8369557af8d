"""End to end: build fixture corpora, compare with a reviewed golden file, check the contract."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
import spacy

from extract.dataset import output as output_module
from extract.dataset.build import build
from extract.dataset.config import BuildConfig
from extract.errors import SchemaValidationError, UsageError
from extract.tables.contract import validate_rows
from tests.conftest import FIXTURES, SEEDS_DIR, shared_dir

GOLDEN = FIXTURES / "golden_claims.jsonl"
GOLDEN_COLUMNS = [
    "source_file", "sentence_index", "char_start", "char_end", "text", "claim_type",
    "claim_types", "has_citation", "citation_markers", "citation_numbers", "hedged",
    "hedge_cue", "attributed_to", "routes", "onset_min_s", "onset_max_s", "clause_index",
    "negation_cue", "spam_text", "entities", "agent", "relation", "target", "population",
    "design",
]  # fmt: skip


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return [_plain(item) for item in value.tolist()]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, float) and value != value:  # NaN from pandas for a null
        return None
    return value


def _claims(out: Path) -> list[dict[str, Any]]:
    frame = pd.read_parquet(out / "claims.parquet")
    return [
        {column: _plain(row[column]) for column in GOLDEN_COLUMNS}
        for row in frame.to_dict("records")
    ]


def _assert_provenance(out: Path) -> None:
    documents = pd.read_parquet(out / "documents.parquet").set_index("doc_id")
    claims = pd.read_parquet(out / "claims.parquet")
    for claim in claims.itertuples():
        text = documents.loc[claim.doc_id, "text"]
        assert text[claim.char_start : claim.char_end] == claim.text
    sentences = pd.read_parquet(out / "sentences.parquet")
    for sentence in sentences.itertuples():
        text = documents.loc[sentence.doc_id, "text"]
        assert text[sentence.char_start : sentence.char_end] == sentence.text
    # Every claim sits in its sentence row, which lists its id; nothing else is listed.
    listed = {claim_id for ids in sentences.claim_ids for claim_id in ids}
    assert listed == set(claims.claim_id)
    by_key = sentences.set_index(["doc_id", "sentence_index"])
    for claim in claims.itertuples():
        row = by_key.loc[(claim.doc_id, claim.sentence_index)]
        assert claim.claim_id in row.claim_ids and row.is_claim
        assert (row.char_start, row.char_end) == (claim.sentence_start, claim.sentence_end)
    assert documents.n_sentences.sum() == len(sentences)


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    out = tmp_path_factory.mktemp("fixture_build")
    build([FIXTURES / "corpus"], out, progress=False)
    return out


def test_fixture_corpus_matches_reviewed_golden_file(fixture_build: Path) -> None:
    claims = _claims(fixture_build)
    if os.environ.get("CLAIMSET_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(
            "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in claims), "utf-8"
        )
    expected = [json.loads(line) for line in GOLDEN.read_text("utf-8").splitlines()]
    assert claims == expected


def test_fixture_build_contract(fixture_build: Path) -> None:
    _assert_provenance(fixture_build)
    documents = pd.read_parquet(fixture_build / "documents.parquet")
    assert sorted(documents["source_file"]) == ["clinical.txt", "spun_page.md"]
    raw = (FIXTURES / "corpus" / "clinical.txt").read_text("utf-8")
    assert documents.set_index("source_file").loc["clinical.txt", "text"] == raw
    metadata = pq.read_schema(fixture_build / "claims.parquet").metadata
    for key in (
        b"claimset.schema_version", b"claimset.version", b"spacy.version",
        b"spacy.model_name", b"spacy.model_version",
    ):  # fmt: skip
        assert metadata.get(key), key
    manifest = json.loads((fixture_build / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["claims"] == len(pd.read_parquet(fixture_build / "claims.parquet"))
    stages = manifest["stage_durations_s"]
    assert set(stages) == {"extract", "link"}
    assert 0 <= sum(stages.values()) <= manifest["duration_s"] + 0.01


def test_claim_type_column_is_dictionary_encoded(fixture_build: Path) -> None:
    schema = pq.read_schema(fixture_build / "claims.parquet")
    assert str(schema.field("claim_type").type).startswith("dictionary")


def test_rebuild_is_byte_identical_and_ids_are_stable(fixture_build: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build([FIXTURES / "corpus"], again, progress=False)
    for name in ("claims.parquet", "documents.parquet"):
        assert (again / name).read_bytes() == (fixture_build / name).read_bytes()


def test_failed_build_leaves_previous_dataset_untouched(
    fixture_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([FIXTURES / "corpus"], out, progress=False)
    names = ("claims.parquet", "documents.parquet", "manifest.json", "errors.jsonl")
    before = {name: (out / name).read_bytes() for name in names}

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise SchemaValidationError("claim", ["row 0 field text: injected failure"])

    monkeypatch.setattr(output_module, "to_table", broken)
    with pytest.raises(SchemaValidationError):
        build([FIXTURES / "corpus"], out, progress=False, use_cache=False)
    assert {name: (out / name).read_bytes() for name in names} == before
    assert len(list((out / ".builds").glob("build-*"))) == 1


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        build([tmp_path / "nope"], tmp_path / "out", progress=False)


def test_bad_files_get_a_status_not_a_crash(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "latin1.txt").write_bytes("Caf\xe9 ketamine blocks NMDA receptors.".encode("latin-1"))
    (corpus / "empty.txt").write_text("  \n", "utf-8")
    (corpus / "bom.txt").write_bytes(b"\xef\xbb\xbfKetamine blocks NMDA receptors.")
    (corpus / "copy.txt").write_bytes(b"\xef\xbb\xbfKetamine blocks NMDA receptors.")
    (corpus / ".hidden.txt").write_text("Ketamine blocks NMDA receptors.", "utf-8")
    (corpus / "image.png").write_bytes(b"\x89PNG")
    out = tmp_path / "out"
    build([corpus], out, progress=False)
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_file")
    assert dict(documents["status"]) == {
        "bom.txt": "ok", "copy.txt": "duplicate", "empty.txt": "empty", "latin1.txt": "decode_fallback",
        "image.png": "skipped_format",  # listed with the reason, never silently dropped
    }  # fmt: skip
    assert documents.loc["bom.txt", "text"] == "Ketamine blocks NMDA receptors."
    assert "not valid UTF-8" in documents.loc["latin1.txt", "status_detail"]
    assert documents.loc["latin1.txt", "encoding"] == "cp1252"


def test_seeds_build_keeps_provenance_and_schema(tmp_path: Path) -> None:
    seeds = shared_dir(SEEDS_DIR)
    out = tmp_path / "seeds"
    summary = build([seeds], out, progress=False)
    assert summary.n_documents == len(list(seeds.glob("*.txt")))
    assert summary.n_claims > 50
    _assert_provenance(out)
    claims = pd.read_parquet(out / "claims.parquet")
    rows = [{k: _plain(v) for k, v in row.items()} for row in claims.to_dict("records")]
    validate_rows("claim", rows)
    documents = pd.read_parquet(out / "documents.parquet")
    for document in documents.itertuples():
        raw = (seeds / document.source_file).read_bytes().decode("utf-8")
        assert document.text == raw


def test_two_processes_give_the_same_dataset(fixture_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "np2"
    build([FIXTURES / "corpus"], out, BuildConfig(n_process=2), progress=False)
    assert (out / "claims.parquet").read_bytes() == (fixture_build / "claims.parquet").read_bytes()


def test_any_installed_pipeline_can_be_selected(tmp_path: Path) -> None:
    # A pipeline with no tagger or parser: claimset must still segment, cite and type.
    blank = tmp_path / "blank_en"
    spacy.blank("en").to_disk(blank)
    out = tmp_path / "blank"
    summary = build([FIXTURES / "corpus"], out, BuildConfig(model=str(blank)), progress=False)
    assert summary.n_claims > 0
    _assert_provenance(out)
    metadata = pq.read_schema(out / "claims.parquet").metadata
    assert metadata[b"spacy.model_name"] == str(blank).encode()


def test_tables_of_many_row_groups_read_back(
    tmp_path: Path, nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every later stage (clusters, the reviewed view, review tools) reads the claims back;
    # nested columns (entities) in several row groups must read as one table.
    from extract.read.inputs import SAMPLE_CORPUS_DIR
    from extract.review.log import read_claims
    from extract.tables.io import read_parquet

    monkeypatch.setattr(output_module, "ROWS_PER_GROUP", 16)
    out = tmp_path / "out"
    summary = build([SAMPLE_CORPUS_DIR], out, progress=False, nlp=nlp)
    assert pq.ParquetFile(out / "claims.parquet").num_row_groups > 2
    claims = read_claims(out)
    assert claims.num_rows == summary.n_claims
    assert claims.column("cluster_id").null_count == 0
    assert read_parquet(out / "claims.parquet").equals(pq.read_table(out / "claims.parquet"))
    view = pq.read_table(out / "claims_reviewed.parquet")
    assert view.num_rows == summary.n_claims
