"""The spreadsheet channel: an Excel-safe queue out, checked decisions in, all or nothing."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from extract.cli import main
from extract.dataset.build import build
from extract.read.inputs import SAMPLE_CORPUS_DIR
from extract.review.log import REVIEWS_FILE, ReviewError, ReviewLog, read_claims
from extract.review.spreadsheet import CSV_COLUMNS, export_csv, import_csv, read_decisions_csv


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    shutil.copy(SAMPLE_CORPUS_DIR / "02_esketamine_nasal_spray_overview.txt", folder)
    # A scraped line that starts like a spreadsheet formula.
    (folder / "formula.txt").write_text(
        '=HYPERLINK("http://x") Ketamine blocks the NMDA receptor in the brain.\n'
        "-Esketamine is given as a nasal spray under medical supervision.\n",
        "utf-8",
    )
    out = tmp_path_factory.mktemp("out")
    build([folder], out, progress=False, nlp=nlp)
    return out


@pytest.fixture
def dataset(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "dataset"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def _write(
    path: Path, rows: list[dict[str, str]], *, delimiter: str = ",", encoding: str = "utf-8-sig"
) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def test_export_is_excel_safe(dataset: Path, tmp_path: Path) -> None:
    target = tmp_path / "queue.csv"
    count = export_csv(dataset, target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads UTF-8
    assert b"\r\n" in data
    rows = _read(target)
    claims = read_claims(dataset).to_pandas()
    assert count == len(rows) == len(claims)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert all(row["claim_id"][0].isalpha() for row in rows)  # never read as a number
    for row in rows:
        for column in ("claim", "sentence", "sentence_before", "sentence_after", "source_file"):
            assert not row[column].startswith(("=", "+", "-", "@")), row[column]
    formula = [row for row in rows if row["source_file"] == "formula.txt"]
    assert formula and all(row["claim"].startswith("'") for row in formula)
    first = next(row for row in rows if row["source_file"] != "formula.txt")
    claim = claims.set_index("claim_id").loc[first["claim_id"]]
    assert first["claim"] == claim.text and first["extracted_type"] == claim.claim_type
    assert int(first["line"]) >= 1 and first["sentence"]


def _filled(dataset: Path, tmp_path: Path, edits: list[dict[str, str]]) -> Path:
    queue = tmp_path / "queue.csv"
    export_csv(dataset, queue)
    rows = _read(queue)
    for row, edit in zip(rows, edits, strict=False):
        row.update(edit)
    target = tmp_path / "filled.csv"
    _write(target, rows)
    return target


FIVE_EDITS = [
    {"decision": "accept", "verdict": "supported"},
    {"decision": "Reject"},
    {"decision": "relabel", "claim_type": "Study finding"},
    {"decision": "accept", "has_citation": "TRUE", "note": "cites ref 4 — “quoted”"},
    {"decision": "skip", "verdict": "not enough info"},
]


def test_import_appends_checked_decisions(dataset: Path, tmp_path: Path) -> None:
    filled = _filled(dataset, tmp_path, FIVE_EDITS)
    result = import_csv(filled, dataset, reviewer="ana")
    assert len(result.decisions) == 5 and result.n_blank > 0
    rows = ReviewLog(dataset).rows()
    assert [row["decision"] for row in rows] == ["accept", "reject", "relabel", "accept", "skip"]
    assert rows[0]["verdict"] == "supported" and rows[4]["verdict"] == "not_enough_info"
    assert rows[2]["claim_type"] == "study_finding"
    assert rows[3]["has_citation"] is True and rows[3]["note"] == "cites ref 4 — “quoted”"
    assert {row["channel"] for row in rows} == {"csv"} and {r["reviewer"] for r in rows} == {"ana"}
    # Importing the same file again changes nothing.
    again = import_csv(filled, dataset, reviewer="ana")
    assert again.decisions == [] and again.n_unchanged == 5
    assert len(ReviewLog(dataset).rows()) == 5


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "utf-8-sig"), ("\t", "utf-8"), (",", "cp1252")],
)
def test_import_reads_what_excel_saves(
    dataset: Path, tmp_path: Path, delimiter: str, encoding: str
) -> None:
    queue = tmp_path / "queue.csv"
    export_csv(dataset, queue)
    rows = [
        {"claim_id": row["claim_id"], "decision": "accept", "note": "café"}
        for row in _read(queue)[:2]
    ]
    saved = tmp_path / "saved.csv"
    _write(saved, rows, delimiter=delimiter, encoding=encoding)
    result = read_decisions_csv(saved, dataset, reviewer="ana")
    assert [d.note for d in result.decisions] == ["café", "café"]


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"decision": "acept"}, "decision"),
        ({"decision": "relabel"}, "claim_type"),
        ({"decision": "relabel", "claim_type": "opinion"}, "claim_type"),
        ({"decision": "accept", "claim_type": "safety"}, "claim_type"),
        ({"decision": "reject", "verdict": "refuted"}, "verdict"),
        ({"decision": "accept", "verdict": "probably"}, "verdict"),
        ({"decision": "accept", "has_citation": "sometimes"}, "has_citation"),
        ({"decision": "accept", "claim_id": "c0123456789abcdef"}, "claim_id"),
        ({"decision": "accept", "claim_id": "1.23E+15"}, "claim_id"),
        ({"decision": "accept", "claim_id": ""}, "claim_id"),
        ({"decision": "accept", "reviewed_at": "last Tuesday"}, "reviewed_at"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_recorded(
    dataset: Path, tmp_path: Path, edit: dict[str, str], field: str
) -> None:
    # Two good rows around the bad one: none of them may be recorded.
    filled = _filled(dataset, tmp_path, [{"decision": "accept"}, edit, {"decision": "reject"}])
    with pytest.raises(ReviewError) as raised:
        import_csv(filled, dataset)
    message = str(raised.value)
    assert f"row 3, field '{field}'" in message and "nothing was recorded" in message
    assert not (dataset / REVIEWS_FILE).exists()


def test_the_same_claim_twice_is_an_error(dataset: Path, tmp_path: Path) -> None:
    queue = tmp_path / "queue.csv"
    export_csv(dataset, queue)
    first = _read(queue)[0]
    rows = [{**first, "decision": "accept"}, {**first, "decision": "reject"}]
    target = tmp_path / "twice.csv"
    _write(target, rows)
    with pytest.raises(ReviewError, match=r"row 3, field 'claim_id'.*row 2"):
        import_csv(target, dataset)


def test_a_file_without_the_columns_is_refused(dataset: Path, tmp_path: Path) -> None:
    target = tmp_path / "other.csv"
    target.write_text("id,label\nx,y\n", "utf-8")
    with pytest.raises(ReviewError, match="no 'claim_id' or 'decision' column"):
        import_csv(target, dataset)


def test_queue_leaves_out_decided_claims_unless_asked(dataset: Path, tmp_path: Path) -> None:
    filled = _filled(dataset, tmp_path, FIVE_EDITS)
    import_csv(filled, dataset, reviewer="ana")
    total = len(read_claims(dataset, ["claim_id"]))
    queue = tmp_path / "next.csv"
    assert export_csv(dataset, queue) == total - 4  # skip leaves the claim in the queue
    everything = tmp_path / "all.csv"
    assert export_csv(dataset, everything, include_reviewed=True) == total
    prefilled = [row for row in _read(everything) if row["decision"]]
    assert sorted(row["decision"] for row in prefilled) == sorted(
        ["accept", "reject", "relabel", "accept", "skip"]
    )


def test_cli_export_and_import(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queue = tmp_path / "q.csv"
    assert main(["review", "export", "--dataset", str(dataset), "--out", str(queue)]) == 0
    rows = _read(queue)
    rows[0]["decision"] = "accept"
    _write(queue, rows)
    assert main(["review", "import", str(queue), "--dataset", str(dataset)]) == 0
    out = capsys.readouterr().out
    assert "Recorded 1 decision(s)" in out and "claims_reviewed.parquet" in out
    rows[1]["decision"] = "nonsense"
    _write(queue, rows)
    assert main(["review", "import", str(queue), "--dataset", str(dataset)]) == 1
    assert "row 3, field 'decision'" in capsys.readouterr().err
    assert len(ReviewLog(dataset).rows()) == 1


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("2026-11-20T14:05:00Z", "2026-11-20T14:05:00.000000Z"),
        ("2026-11-20 14:05", "2026-11-20T14:05:00.000000Z"),  # no zone: UTC
        ("2026-11-20T15:05:00+01:00", "2026-11-20T14:05:00.000000Z"),
    ],
)
def test_a_reviewed_at_column_keeps_the_decisions_time(
    dataset: Path, tmp_path: Path, cell: str, stored: str
) -> None:
    filled = _filled(dataset, tmp_path, [{"decision": "accept", "reviewed_at": cell}])
    import_csv(filled, dataset, reviewer="ana")
    (row,) = ReviewLog(dataset).rows()
    assert row["reviewed_at"] == stored
