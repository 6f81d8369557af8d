"""Label Studio channel: offsets JavaScript agrees with, tasks out, decisions back in."""

from __future__ import annotations

import copy
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from extract.dataset.build import build
from extract.errors import UsageError
from extract.review.labelstudio import (
    export_labelstudio,
    labeling_config,
    python_offset,
    utf16_offset,
)
from extract.review.labelstudio_import import decisions_from_labelstudio, import_labelstudio
from extract.review.log import (
    CLAIM_TYPES,
    DECISIONS,
    VERDICTS,
    Decision,
    ReviewError,
    ReviewLog,
    record_decisions,
)

# CRLF line ends, characters outside the BMP before and inside claims, a combining accent.
PAGE = (
    "Ketamine blocks the NMDA receptor in the brain. 😀 Intranasal esketamine acts within 𝛼 hours.\r\n"
    "\r\n"
    "😀 Aspirin reduces the risk of heart attack by 25% in adults (Smith 2019).\r\n"
    "\r\n"
    "Ibuprofen causes stomach bleeding in some 𝛼 patients. The drug may cause dizziness in e\u0301lderly patients.\r\n"
)
TaskList = list[dict[str, Any]]


# --- offsets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "index", "utf16"),
    [
        ("", 0, 0),
        ("abc", 2, 2),
        ("😀", 1, 2),
        ("😀a", 1, 2),
        ("😀a", 2, 3),
        ("a𝛼b", 1, 1),
        ("a𝛼b", 2, 3),
        ("a𝛼b", 3, 4),
        ("😀𝛼x", 2, 4),
        ("a\r\nb", 3, 3),  # CRLF is two characters in both counts
        ("e\u0301x", 2, 2),  # a combining mark is a character of its own in both counts
        ("é😀\r\n𝛼 ok", 4, 5),
        ("é😀\r\n𝛼 ok", 8, 10),
    ],
)
def test_offsets_convert_both_ways(text: str, index: int, utf16: int) -> None:
    assert utf16_offset(text, index) == utf16
    assert python_offset(text, utf16) == index


def test_offsets_round_trip_at_every_index() -> None:
    text = "Ab 😀\r\ne\u0301 𝛼𝛼 👨\u200d👩 ok\n"
    for index in range(len(text) + 1):
        utf16 = utf16_offset(text, index)
        assert utf16 == len(text[:index].encode("utf-16-le")) // 2  # JavaScript's .length
        assert python_offset(text, utf16) == index


@pytest.mark.parametrize(
    ("convert", "text", "index", "message"),
    [
        (python_offset, "😀", 1, "inside"),
        (python_offset, "a😀b", 2, "inside"),
        (python_offset, "x𝛼", 2, "inside"),
        (python_offset, "ab", 3, "past the end"),
        (python_offset, "😀", 3, "past the end"),
        (python_offset, "ab", -1, "negative"),
        (utf16_offset, "ab", 3, "outside"),
        (utf16_offset, "ab", -1, "outside"),
    ],
)
def test_offsets_reject_impossible_indices(
    convert: Callable[[str, int], int], text: str, index: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        convert(text, index)


# --- the labeling config --------------------------------------------------------------------


def test_labeling_config_is_xml_with_every_control() -> None:
    root = ET.fromstring(labeling_config())
    assert root.tag == "View"
    text = root.find("Text")
    assert text is not None and text.attrib == {"name": "text", "value": "$text"}
    labels = root.find("Labels[@name='claim_type']")
    assert labels is not None and labels.get("toName") == "text"
    assert tuple(label.get("value") for label in labels.iter("Label")) == CLAIM_TYPES
    for name, values in (
        ("decision", DECISIONS),
        ("verdict", VERDICTS),
        ("citation", ("cited", "not cited")),
    ):
        choices = root.find(f"Choices[@name='{name}']")
        assert choices is not None and choices.get("toName") == "text"
        assert tuple(choice.get("value") for choice in choices.iter("Choice")) == values
    note = root.find("TextArea[@name='note']")
    assert note is not None and note.get("toName") == "text"


# --- building and exporting -----------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    root = tmp_path_factory.mktemp("labelstudio")
    pages = root / "pages"
    pages.mkdir()
    (pages / "page.txt").write_bytes(PAGE.encode("utf-8"))  # bytes: keep the CRLFs
    build([pages], root / "dataset", progress=False, nlp=nlp)
    return root / "dataset"


@pytest.fixture
def dataset(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built dataset, so each test has its own review log."""
    return Path(shutil.copytree(built, tmp_path / "dataset"))


@pytest.fixture
def tasks(dataset: Path, tmp_path: Path) -> TaskList:
    out = tmp_path / "export" / "tasks.json"
    count = export_labelstudio(dataset, out)
    exported: TaskList = json.loads(out.read_text(encoding="utf-8"))
    assert count == len(exported)
    return exported


def _region(task: dict[str, Any]) -> dict[str, Any]:
    region: dict[str, Any] = task["predictions"][0]["result"][0]
    return region


def test_build_gives_claims_that_need_the_conversion(tasks: TaskList) -> None:
    # The fixture must exercise what the channel is for: several claims, non-BMP characters
    # inside a claim and before a claim in its paragraph.
    assert len(tasks) >= 4
    assert any("😀" in task["data"]["text"] for task in tasks)
    assert any(
        _region(task)["value"]["start"]
        != task["data"]["char_start"] - task["data"]["paragraph_start"]
        for task in tasks
    )


def test_export_offsets_are_what_javascript_shows(dataset: Path, tasks: TaskList) -> None:
    documents = pq.read_table(dataset / "documents.parquet").to_pylist()
    texts = {row["doc_id"]: row["text"] for row in documents}
    assert all("\r\n" in text for text in texts.values())  # the build kept the CRLFs
    for task in tasks:
        data = task["data"]
        value = _region(task)["value"]
        units = data["text"].encode("utf-16-le")
        assert units[value["start"] * 2 : value["end"] * 2].decode("utf-16-le") == value["text"]
        # ... and the Python offsets in data point into the document.
        document = texts[data["doc_id"]]
        assert document[data["char_start"] : data["char_end"]] == value["text"]
        paragraph_end = data["paragraph_start"] + len(data["text"])
        assert document[data["paragraph_start"] : paragraph_end] == data["text"]
        assert value["labels"] == [data["claim_type"]]
        assert data["text_offsets"] == "utf-16"
        assert task["predictions"][0]["model_version"].startswith("claimset")


def test_export_shape_config_and_no_leftovers(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "ls" / "queue.json"
    count = export_labelstudio(dataset, out)
    assert sorted(path.name for path in out.parent.iterdir()) == [
        "queue.config.xml",
        "queue.json",
    ]
    assert out.with_name("queue.config.xml").read_text(encoding="utf-8") == labeling_config()
    raw = out.read_text(encoding="utf-8")
    assert "😀" in raw  # written as UTF-8, not \\u escapes
    task = json.loads(raw)[0]
    assert count >= 4
    assert set(task["data"]) == {
        "text", "claim_id", "doc_id", "source_file", "line", "claim_type", "has_citation",
        "hedged", "char_start", "char_end", "paragraph_start", "text_offsets",
    }  # fmt: skip
    assert set(_region(task)) == {"id", "from_name", "to_name", "type", "value"}


def test_export_restricted_to_claim_ids(dataset: Path, tasks: TaskList, tmp_path: Path) -> None:
    chosen = [tasks[2]["data"]["claim_id"], tasks[0]["data"]["claim_id"]]
    out = tmp_path / "some.json"
    assert export_labelstudio(dataset, out, claim_ids=chosen) == 2
    # review order (document order), not the order asked for
    assert [t["data"]["claim_id"] for t in json.loads(out.read_text())] == chosen[::-1]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"claim_ids": ["c0000000000000000"]}, "not in"),
        ({"offset_unit": "bytes"}, "offset unit"),
    ],
)
def test_export_refuses_bad_options(
    dataset: Path, tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        export_labelstudio(dataset, tmp_path / "tasks.json", **options)
    assert not (tmp_path / "tasks.json").exists()


def test_export_in_code_points(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "cp.json"
    export_labelstudio(dataset, out, offset_unit="codepoints")
    for task in json.loads(out.read_text(encoding="utf-8")):
        value = _region(task)["value"]
        assert task["data"]["text"][value["start"] : value["end"]] == value["text"]
        assert task["data"]["text_offsets"] == "codepoints"


# --- a simulated Label Studio export --------------------------------------------------------


def _choice(name: str, *values: str) -> dict[str, Any]:
    return {
        "id": f"{name[:4]}-1",
        "from_name": name,
        "to_name": "text",
        "type": "choices",
        "origin": "manual",
        "value": {"choices": list(values)},
    }


def _note(*texts: str) -> dict[str, Any]:
    return {
        "id": "note-1",
        "from_name": "note",
        "to_name": "text",
        "type": "textarea",
        "origin": "manual",
        "value": {"text": list(texts)},
    }


def _label(
    task: dict[str, Any], label: str | None = None, span: tuple[int, int] | None = None
) -> dict[str, Any]:
    """The pre-annotated region as Label Studio saves it, relabelled or moved if asked."""
    region = copy.deepcopy(_region(task))
    region["origin"] = "prediction-changed" if label or span else "prediction"
    if label:
        region["value"]["labels"] = [label]
    if span:
        text = task["data"]["text"].encode("utf-16-le")
        region["value"]["start"], region["value"]["end"] = span
        region["value"]["text"] = text[span[0] * 2 : span[1] * 2].decode("utf-16-le")
    return region


def _annotation(
    results: list[dict[str, Any]],
    *,
    number: int = 1,
    completed_by: Any = 3,
    updated_at: str | None = "2024-05-01T10:00:00.123456Z",
    was_cancelled: bool = False,
) -> dict[str, Any]:
    return {
        "id": 500 + number,
        "completed_by": completed_by,
        "result": results,
        "was_cancelled": was_cancelled,
        "ground_truth": False,
        "created_at": "2024-05-01T09:59:00.000000Z",
        "updated_at": updated_at,
        "draft_created_at": None,
        "lead_time": 12.5,
        "prediction": {},
        "result_count": len(results),
        "unique_id": f"0f0f0f0f-{number:04d}",
        "import_id": None,
        "last_action": None,
        "task": 1,
        "project": 1,
        "updated_by": completed_by,
        "parent_prediction": 1,
        "parent_annotation": None,
        "last_created_by": None,
    }


def _ls_export(pairs: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> TaskList:
    """Tasks the way Label Studio's Export → JSON writes them."""
    exported = []
    for number, (task, done) in enumerate(pairs, start=1):
        exported.append(
            {
                "id": 40 + number,
                "annotations": done,
                "file_upload": "0a1b2c3d-tasks.json",
                "drafts": [],
                "predictions": [
                    {
                        "id": 70 + number,
                        **task["predictions"][0],
                        "created_ago": "3 minutes",
                        "score": None,
                        "cluster": None,
                        "neighbors": None,
                        "mislabeling": 0.0,
                        "created_at": "2024-05-01T09:00:00.000000Z",
                        "updated_at": "2024-05-01T09:00:00.000000Z",
                        "task": 40 + number,
                        "project": 1,
                    }
                ],
                "data": task["data"],
                "meta": {},
                "created_at": "2024-05-01T09:00:00.000000Z",
                "updated_at": "2024-05-01T10:05:00.000000Z",
                "inner_id": number,
                "total_annotations": len(done),
                "cancelled_annotations": sum(a["was_cancelled"] for a in done),
                "total_predictions": 1,
                "comment_count": 0,
                "unresolved_comment_count": 0,
                "last_comment_updated_at": None,
                "project": 1,
                "updated_by": 3,
                "comment_authors": [],
            }
        )
    return exported


def _write(path: Path, content: Any) -> Path:
    path.write_text(
        content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def _after_alpha(tasks: TaskList) -> dict[str, Any]:
    for task in tasks:
        value = _region(task)["value"]
        if value["start"] != task["data"]["char_start"] - task["data"]["paragraph_start"]:
            return task
    raise AssertionError("no claim follows a non-BMP character in its paragraph")


def test_import_records_what_reviewers_decided(
    dataset: Path, tasks: TaskList, tmp_path: Path
) -> None:
    first, second, third = tasks[0], tasks[1], tasks[2]
    moved = _after_alpha(tasks)
    start = _region(moved)["value"]["start"]
    export = _ls_export(
        [
            (
                first,
                [
                    _annotation(
                        [
                            _label(first),
                            _choice("decision", "accept"),
                            _choice("verdict", "supported"),
                            _choice("citation", "not cited"),
                            _note("checked against", "the label"),
                        ],
                        completed_by={"id": 7, "email": "ann@example.org"},
                        updated_at="2024-05-01T12:00:00.5+02:00",
                    ),
                    _annotation([_choice("decision", "reject")], number=2, was_cancelled=True),
                ],
            ),
            (second, [_annotation([_label(second, label="efficacy")])]),
            (third, [_annotation([_choice("decision", "reject")], updated_at=None)]),
            (moved, [_annotation([_label(moved, span=(start, start + 8))], number=4)]),
        ]
    )
    path = _write(tmp_path / "export.json", export)

    assert import_labelstudio(path, dataset) == 4
    rows = ReviewLog(dataset).rows()
    assert [(row["claim_id"], row["channel"]) for row in rows] == [
        (task["data"]["claim_id"], "labelstudio") for task in (first, second, third, moved)
    ]
    picked = ("decision", "claim_type", "verdict", "has_citation", "note", "reviewer")
    assert [tuple(row[key] for key in picked) for row in rows] == [
        (
            "accept", None, "supported", False, "checked against\nthe label",
            "labelstudio:ann@example.org",
        ),
        ("relabel", "efficacy", None, None, None, "labelstudio:user-3"),
        ("reject", None, None, None, None, "labelstudio:user-3"),
        (
            "accept", None, None, None,
            f"[span changed in Label Studio: {_label(moved, span=(start, start + 8))['value']['text']!r}]",
            "labelstudio:user-3",
        ),
    ]  # fmt: skip
    assert rows[0]["reviewed_at"] == "2024-05-01T10:00:00.500000Z"  # +02:00 made UTC
    assert rows[1]["reviewed_at"] == "2024-05-01T10:00:00.123456Z"
    assert rows[2]["reviewed_at"] == "2024-05-01T09:59:00.000000Z"  # created_at, no update
    assert rows[0]["claim_text"] == _region(first)["value"]["text"]
    assert rows[0]["source_file"] == first["data"]["source_file"]


def test_import_twice_adds_nothing(dataset: Path, tasks: TaskList, tmp_path: Path) -> None:
    export = _ls_export(
        [
            (tasks[0], [_annotation([_label(tasks[0]), _choice("verdict", "refuted")])]),
            (tasks[1], [_annotation([])]),
        ]
    )
    path = _write(tmp_path / "export.json", export)
    assert import_labelstudio(path, dataset) == 2
    before = ReviewLog(dataset).rows()
    assert import_labelstudio(path, dataset) == 0
    assert ReviewLog(dataset).rows() == before
    # a changed annotation is a new decision
    export[1]["annotations"][0]["result"] = [_label(tasks[1])]
    assert import_labelstudio(_write(path, export), dataset) == 1
    # settled claims leave the queue unless asked for
    out = tmp_path / "queue.json"
    assert export_labelstudio(dataset, out) == len(tasks) - 2
    assert export_labelstudio(dataset, out, include_reviewed=True) == len(tasks)


EXTRACTED = "extracted"  # stands for the claim's own type in the table below


@pytest.mark.parametrize(
    ("make_results", "expected"),
    [
        (lambda t: [_label(t)], ("accept", None, None, None, None)),
        (lambda t: [_label(t, label="dosage")], ("relabel", "dosage", None, None, None)),
        (lambda t: [], ("reject", None, None, None, None)),
        (
            lambda t: [_note("not a claim at all")],
            ("reject", None, None, None, "not a claim at all"),
        ),
        (lambda t: [_label(t), _choice("decision", "skip")], ("skip", None, None, None, None)),
        (lambda t: [_choice("decision", "skip")], ("skip", None, None, None, None)),
        (
            lambda t: [_label(t, label="dosage"), _choice("decision", "relabel")],
            ("relabel", "dosage", None, None, None),
        ),
        (
            lambda t: [_label(t), _choice("decision", "relabel")],
            ("relabel", EXTRACTED, None, None, None),
        ),
        (
            lambda t: [_label(t, label="route"), _choice("decision", "reject")],
            ("reject", None, None, None, None),
        ),
        (
            lambda t: [
                _label(t),
                _choice("citation", "cited"),
                _choice("verdict", "not_enough_info"),
            ],
            ("accept", None, "not_enough_info", True, None),
        ),
        (lambda t: [_label(t), _note("", "  ")], ("accept", None, None, None, None)),
        # results of controls claimset does not know are left alone
        (
            lambda t: [_label(t), {"from_name": "mood", "type": "rating", "value": {"rating": 4}}],
            ("accept", None, None, None, None),
        ),
    ],
)
def test_decision_inferred_from_annotation(
    dataset: Path,
    tasks: TaskList,
    tmp_path: Path,
    make_results: Callable[[dict[str, Any]], list[dict[str, Any]]],
    expected: tuple[Any, ...],
) -> None:
    task = _after_alpha(tasks)
    path = _write(tmp_path / "e.json", _ls_export([(task, [_annotation(make_results(task))])]))
    (decision,) = decisions_from_labelstudio(path, dataset)
    wanted = tuple(task["data"]["claim_type"] if v == EXTRACTED else v for v in expected)
    got = (
        decision.decision,
        decision.claim_type,
        decision.verdict,
        decision.has_citation,
        decision.note,
    )
    assert got == wanted
    assert decision.channel == "labelstudio"
    assert decision.claim_id == task["data"]["claim_id"]


def _codepoint_region(task: dict[str, Any]) -> dict[str, Any]:
    """The claim's region as a Label Studio counting code points would save it."""
    region = copy.deepcopy(_region(task))
    start = task["data"]["char_start"] - task["data"]["paragraph_start"]
    region["value"]["start"] = start
    region["value"]["end"] = start + len(region["value"]["text"])
    return region


@pytest.mark.parametrize(
    ("make_region", "note"),
    [
        (_label, None),
        (_codepoint_region, None),  # another way of counting, the same span: no change
        (lambda t: _label(t, span=(0, 9)), "[span changed in Label Studio: 'Ibuprofen']"),
    ],
)
def test_region_span_in_either_unit(
    dataset: Path,
    tasks: TaskList,
    tmp_path: Path,
    make_region: Callable[[dict[str, Any]], dict[str, Any]],
    note: str | None,
) -> None:
    task = _after_alpha(tasks)
    assert task["data"]["text"].startswith("Ibuprofen")
    path = _write(tmp_path / "e.json", _ls_export([(task, [_annotation([make_region(task)])])]))
    (decision,) = decisions_from_labelstudio(path, dataset)
    assert (decision.decision, decision.note) == ("accept", note)


@pytest.mark.parametrize(
    ("completed_by", "updated_at", "reviewer", "expected"),
    [
        (3, "2024-05-01T10:00:00Z", None, ("labelstudio:user-3", "2024-05-01T10:00:00.000000Z")),
        (
            {"id": 3, "email": "ann@example.org", "first_name": "Ann"},
            "2024-05-01T10:00:00.123Z",
            None,
            ("labelstudio:ann@example.org", "2024-05-01T10:00:00.123000Z"),
        ),
        (
            {"id": 9},
            "2024-05-01 10:00:00",
            None,
            ("labelstudio:user-9", "2024-05-01T10:00:00.000000Z"),
        ),
        (
            3,
            "2024-05-01T00:30:00-05:00",
            None,
            ("labelstudio:user-3", "2024-05-01T05:30:00.000000Z"),
        ),
        (3, "2024-05-01T10:00:00Z", "Dr. Jones", ("Dr. Jones", "2024-05-01T10:00:00.000000Z")),
        (None, "2024-05-01T10:00:00Z", "Dr. Jones", ("Dr. Jones", "2024-05-01T10:00:00.000000Z")),
    ],
)
def test_reviewer_and_time(
    dataset: Path,
    tasks: TaskList,
    tmp_path: Path,
    completed_by: Any,
    updated_at: str,
    reviewer: str | None,
    expected: tuple[str, str],
) -> None:
    annotation = _annotation([_label(tasks[0])], completed_by=completed_by, updated_at=updated_at)
    path = _write(tmp_path / "e.json", _ls_export([(tasks[0], [annotation])]))
    (decision,) = decisions_from_labelstudio(path, dataset, reviewer=reviewer)
    assert (decision.reviewer, decision.reviewed_at) == expected


# --- broken exports -------------------------------------------------------------------------


def _one(results: Callable[[dict[str, Any]], list[dict[str, Any]]], **options: Any) -> Any:
    return lambda tasks: _ls_export([(tasks[0], [_annotation(results(tasks[0]), **options)])])


def _without_claim_id(tasks: TaskList) -> Any:
    export = _ls_export([(tasks[0], [_annotation([])])])
    export[0]["data"] = {"text": "x"}
    return export


def _unknown_claim(tasks: TaskList) -> Any:
    export = _ls_export([(tasks[0], [_annotation([])])])
    export[0]["data"] = {**export[0]["data"], "claim_id": "c0000000000000000"}
    return export


BROKEN: list[tuple[str, Callable[[TaskList], Any], list[str]]] = [
    (
        "not JSON",
        lambda t: "[{'data': oops",
        ["is not a Label Studio JSON export", "list of tasks"],
    ),
    ("not a list", lambda t: {"data": t[0]["data"]}, ["not a list of tasks"]),
    ("task not an object", lambda t: ["task"], ["task 1: a JSON str; expected an object"]),
    (
        "JSON-MIN export",
        lambda t: [{**t[0]["data"], "id": 1, "decision": "accept"}],
        ["task 1: no data.claim_id (this looks like a JSON-MIN export)"],
    ),
    (
        "no claim id",
        _without_claim_id,
        ["task 1: no data.claim_id; expected a task", "claimset exported"],
    ),
    ("unknown claim", _unknown_claim, ["task 1 (claim c0000000000000000): no claim"]),
    (
        "unknown decision",
        _one(lambda t: [_label(t), _choice("decision", "maybe")]),
        ["annotation 1: field 'decision': 'maybe' is not one of accept"],
    ),
    (
        "unknown verdict",
        _one(lambda t: [_label(t), _choice("verdict", "maybe")]),
        ["annotation 1: field 'verdict': 'maybe' is not one of supported"],
    ),
    (
        "verdict with reject",
        _one(lambda t: [_choice("decision", "reject"), _choice("verdict", "supported")]),
        ["annotation 1: field 'verdict': a rejected claim"],
    ),
    (
        "unknown citation",
        _one(lambda t: [_label(t), _choice("citation", "maybe")]),
        ["annotation 1: field 'citation': 'maybe' is not one of cited, not cited"],
    ),
    (
        "relabel without a region",
        _one(lambda t: [_choice("decision", "relabel")]),
        ["annotation 1: field 'claim_type': a relabel needs the new type"],
    ),
    (
        "accept of a relabelled region",
        _one(lambda t: [_label(t, label="dosage"), _choice("decision", "accept")]),
        ["annotation 1: field 'claim_type': decision 'accept' but the region is labelled 'dosage'"],
    ),
    (
        "unknown label",
        _one(lambda t: [_label(t, label="gossip")]),
        ["annotation 1: field 'claim_type': 'gossip' is not one of mechanism"],
    ),
    (
        "two decisions",
        _one(lambda t: [_label(t), _choice("decision", "accept", "skip")]),
        ["annotation 1: field 'decision': 2 choices"],
    ),
    (
        "two regions",
        _one(lambda t: [_label(t), _label(t, span=(0, 3))]),
        ["annotation 1: field 'claim_type': 2 regions"],
    ),
    (
        "region past the text",
        _one(lambda t: [{**_label(t), "value": {**_label(t)["value"], "end": 10_000}}]),
        ["annotation 1: field 'claim_type': region offsets 0..10000 do not fit", "utf-16"],
    ),
    (
        "region inside a surrogate pair",
        _one(lambda t: [{**_label(t), "value": {"start": 49, "end": 49, "labels": ["mechanism"]}}]),
        ["annotation 1: field 'claim_type': region offsets 49..49 do not fit"],
    ),
    (
        "result without value",
        _one(lambda t: [{"from_name": "decision", "type": "choices"}]),
        ["annotation 1: result 1: expected an object with a 'value'"],
    ),
    (
        "bad time",
        _one(lambda t: [_label(t)], updated_at="yesterday"),
        ["annotation 1: field 'updated_at': 'yesterday' is not an ISO 8601"],
    ),
    (
        "no user",
        _one(lambda t: [_label(t)], completed_by=None),
        ["annotation 1: field 'completed_by': None names no Label Studio user"],
    ),
]


@pytest.mark.parametrize(
    ("make_export", "messages"),
    [pytest.param(make, messages, id=name) for name, make, messages in BROKEN],
)
def test_broken_export_records_nothing(
    dataset: Path,
    tasks: TaskList,
    tmp_path: Path,
    make_export: Callable[[TaskList], Any],
    messages: list[str],
) -> None:
    record_decisions(dataset, [Decision(tasks[1]["data"]["claim_id"], "skip", reviewer="ann")])
    before = ReviewLog(dataset).rows()
    path = _write(tmp_path / "broken.json", make_export(tasks))
    with pytest.raises(ReviewError) as caught:
        import_labelstudio(path, dataset)
    message = str(caught.value)
    for expected in messages:
        assert expected in message
    if "task 1 (claim" in message and "annotation" in message:
        assert f"task 1 (claim {tasks[0]['data']['claim_id']}), annotation 1: " in message
    assert ReviewLog(dataset).rows() == before


def test_every_problem_is_listed(dataset: Path, tasks: TaskList, tmp_path: Path) -> None:
    export = _ls_export(
        [
            (tasks[0], [_annotation([_label(tasks[0]), _choice("verdict", "maybe")])]),
            (
                tasks[1],
                [_annotation([_label(tasks[1])]), _annotation([], number=2, completed_by=None)],
            ),
            (tasks[2], [_annotation([_label(tasks[2]), _choice("citation", "dunno")])]),
        ]
    )
    path = _write(tmp_path / "broken.json", export)
    with pytest.raises(ReviewError, match="3 problem") as caught:
        import_labelstudio(path, dataset)
    message = str(caught.value)
    assert "task 1 (claim " in message and "field 'verdict'" in message
    assert "task 2 (claim " in message and "annotation 2: field 'completed_by'" in message
    assert "task 3 (claim " in message and "field 'citation'" in message
    assert "nothing was recorded" in message
    assert not ReviewLog(dataset).path.exists()


def test_missing_export_file(dataset: Path, tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="cannot read"):
        import_labelstudio(tmp_path / "absent.json", dataset)
