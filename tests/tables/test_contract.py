"""The JSON Schemas are the source of truth: Arrow schemas and records must follow them."""

from __future__ import annotations

import dataclasses
from typing import Any

import pyarrow as pa
import pytest

from extract.errors import SchemaValidationError
from extract.tables.contract import arrow_schema, load_json_schema, validate_rows
from extract.tables.io import to_table
from extract.tables.records import ClaimRecord, DocumentRecord, claim_ids, make_claim_id


@pytest.mark.parametrize(
    ("table", "record"), [("claim", ClaimRecord), ("document", DocumentRecord)]
)
def test_records_and_arrow_schema_follow_the_json_schema(table: str, record: type) -> None:
    schema = load_json_schema(table)
    assert schema["additionalProperties"] is False
    assert schema["$schema"].endswith("2020-12/schema")
    properties = list(schema["properties"])
    assert [f.name for f in dataclasses.fields(record)] == properties
    assert arrow_schema(table).names == properties


def test_arrow_types_are_derived() -> None:
    claims = arrow_schema("claim")
    assert claims.field("claim_type").type == pa.dictionary(pa.int32(), pa.string())
    assert claims.field("citation_numbers").type.value_type == pa.int64()
    assert claims.field("onset_min_s").nullable and not claims.field("char_start").nullable
    assert claims.field("sentence_index").type == pa.int32()
    entity = claims.field("entities").type.value_type
    assert pa.types.is_struct(entity)
    assert entity.field("label").type == pa.dictionary(pa.int32(), pa.string())


def _claim_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "claim_id": make_claim_id("a.txt", "Ketamine"),
        "doc_id": "0" * 64, "source_file": "a.txt", "sentence_index": 0, "char_start": 0,
        "char_end": 8, "text": "Ketamine", "is_claim": True, "claim_type": "other",
        "claim_types": ["other"], "has_citation": False, "citation_markers": [],
        "citation_numbers": [], "hedged": False, "hedge_cue": None, "attributed_to": None,
        "routes": [], "onset_min_s": None, "onset_max_s": None, "onset_text": None,
        "sentence_start": 0, "sentence_end": 8, "clause_index": 0, "negated": False,
        "negation_cue": None, "spam": False, "spam_text": [],
        "entities": [{"text": "Ketamine", "label": "DRUG", "canonical": "ketamine", "start": 0, "end": 8}],
        "agent": None, "relation": None, "target": None, "population": None, "design": None, "page": None,
        "extractor_version": "test", "citation_needed": False, "subject": ["ketamine"],
        "facts": [], "cluster_id": None,
    }  # fmt: skip
    row.update(changes)
    return row


def test_valid_row_passes() -> None:
    validate_rows("claim", [_claim_row()])
    assert to_table("claim", [_claim_row()], {}).num_rows == 1


def test_every_violation_is_reported_with_its_location() -> None:
    rows = [_claim_row(), _claim_row(claim_type="opinion", char_start="0", surprise=1)]
    with pytest.raises(SchemaValidationError) as caught:
        validate_rows("claim", rows)
    problems = caught.value.problems
    assert len(problems) == 3
    assert any(p.startswith("row 1 field claim_type") for p in problems)
    assert any(p.startswith("row 1 field char_start") for p in problems)
    assert any("surprise" in p for p in problems)


def test_type_drift_fails_loudly() -> None:
    with pytest.raises(SchemaValidationError):
        to_table("claim", [_claim_row(citation_numbers=["12"])], {})


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (("a.txt", "Ketamine blocks NMDA.", 0), True),
        (("a.txt", "Ketamine  blocks\nNMDA. ", 0), True),  # whitespace does not count
        (("a.txt", "Ketamine blocks NMDA.", 1), False),  # the second equal claim
        (("b.txt", "Ketamine blocks NMDA.", 0), False),  # another source
        (("a.txt", "Ketamine blocks AMPA.", 0), False),  # other words
        (("a.txt", "ketamine blocks NMDA.", 0), False),  # case is kept
    ],
)
def test_claim_id_keys_on_source_text_and_occurrence(
    other: tuple[str, str, int], same: bool
) -> None:
    claim_id = make_claim_id("a.txt", "Ketamine blocks NMDA.", 0)
    assert claim_id.startswith("c") and len(claim_id) == 17
    assert (make_claim_id(*other) == claim_id) is same


def test_claim_ids_count_equal_texts_per_source() -> None:
    ids = claim_ids(["a", "a", "b", "a"], ["X is Y.", "X is Y.", "X is Y.", "Z."])
    assert len(set(ids)) == 4
    assert ids[0] == make_claim_id("a", "X is Y.", 0)
    assert ids[1] == make_claim_id("a", "X is Y.", 1)


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"claim_type": "opinion"},
        {"char_start": -1},
        {"claim_id": "XYZ"},
        {"citation_numbers": [1, "2"]},
        {"entities": [{"text": "", "label": "DRUG", "canonical": "k", "start": 0, "end": 1}]},
        {"entities": [{"text": "K", "label": "DRUG", "canonical": "k", "start": 0}]},
        {"routes": ["intravenous", "intravenous"]},
        {"hedge_cue": 3},
        {"unexpected": True},
    ],
)
def test_fast_check_agrees_with_jsonschema(change: dict[str, Any]) -> None:
    import fastjsonschema

    from extract.tables.contract import _fast_check, _validator

    row = _claim_row(**change)
    full = not list(_validator("claim").iter_errors(row))
    try:
        _fast_check("claim")(row)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    assert fast is full
    assert full is (change == {})
