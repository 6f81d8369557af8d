"""A corpus of hostile files: every one ends with a status, the build goes on, offsets hold."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from spacy.language import Language

from extract.cli import main
from extract.dataset.build import build
from extract.dataset.config import BuildConfig
from tests.dataset.test_build import _assert_provenance
from tests.read.test_readers import make_pdf

CLAIM = "Ketamine blocks the NMDA receptor [12]."


def _truncated_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty"


def make_hostile_corpus(root: Path) -> dict[str, str]:
    """Write the hostile files; return the status each one must end with."""
    root.mkdir()
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, status: str) -> None:
        (root / name).write_bytes(data)
        expected[name] = status

    put(
        "invalid_utf8.txt",
        "Ketamine blocks NMDA receptors in the brain – ".encode() + b"\xff\xfe\x80 rapidly.",
        "decode_fallback",
    )
    put(
        "windows1252.txt",
        "Ketamine’s effect “appears” within 24 hours.".encode("cp1252"),
        "decode_fallback",
    )
    put("latin1.txt", "Kétamine bloque le récepteur NMDA.".encode("latin-1"), "decode_fallback")
    put("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "skipped_binary")
    put("binary.md", b"\x00\x01\x02\x03" * 100, "skipped_binary")
    put("empty.txt", b"", "empty")
    put("whitespace.txt", b"   \n\t\r\n  ", "empty")
    put("bom.txt", b"\xef\xbb\xbf" + CLAIM.encode(), "ok")
    put("crlf.txt", b"Ketamine blocks NMDA receptors.\r\nIt acts within hours.\r\n", "ok")
    put("lone_cr.txt", b"Ketamine blocks NMDA receptors.\rIt acts within hours.\r", "ok")
    put(
        "zero_width.txt",
        "Keta\u200bmine blocks\u200d NMDA receptors.\ufeff It acts fast.".encode(),
        "ok",
    )
    put(
        "emoji 🧠 non-BMP.txt",
        "🧠 Ketamine 𝒦 blocks NMDA receptors [nine]. 😀 It acts within hours.".encode(),
        "ok",
    )
    put("naïve file name.md", "# Tête\n\nKetamine blocks NMDA receptors.".encode(), "ok")
    put("copy_a.txt", CLAIM.encode() + b" Copy.", "ok")
    put("copy_b.txt", CLAIM.encode() + b" Copy.", "duplicate")
    put("long.txt", ("\n".join([CLAIM] * 400)).encode(), "ok")
    put(
        "malformed.html",
        b"<html><head><title>Ketamine</title><body><p>Ketamine blocks NMDA receptors.<div><p>Unclosed <b>bold",
        "ok",
    )
    put("truncated.pdf", _truncated_pdf(), "error")
    # Files claimset does not read as documents are listed with the reason, never dropped.
    put(
        "drug_card.json",
        json.dumps({"name": "Ketamine", "summary": CLAIM}).encode(),
        "skipped_format",
    )
    put("screenshot.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "skipped_format")
    put("notes", CLAIM.encode(), "skipped_format")
    put("broken.json", b'[{"id": "a", "text": "unterminated', "error")
    records = [{"id": "r1", "text": CLAIM + " Indeed."}, {"id": "r2", "body": "no text"}]
    (root / "records.json").write_text(json.dumps(records), "utf-8")
    expected["records.json#r1"] = "ok"
    expected["records.json#r2"] = "error"
    # A link to nowhere stands for an unreadable file (root can read any mode-000 file).
    os.symlink(root / "no_such_target.txt", root / "dangling.txt")
    expected["dangling.txt"] = "error"
    os.symlink(root / "loop_b.txt", root / "loop_a.txt")
    os.symlink(root / "loop_a.txt", root / "loop_b.txt")
    expected["loop_a.txt"] = expected["loop_b.txt"] = "error"
    return expected


@pytest.fixture(scope="module")
def hostile_build(
    tmp_path_factory: pytest.TempPathFactory, nlp: Language
) -> tuple[Path, Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    expected = make_hostile_corpus(corpus)
    out = root / "out"
    # A small per-piece limit stands in for the model's max_length: long.txt goes in pieces.
    build([corpus], out, BuildConfig(max_chars_per_doc=2000), progress=False, nlp=nlp)
    return corpus, out, expected


def test_every_hostile_file_gets_its_status(
    hostile_build: tuple[Path, Path, dict[str, str]],
) -> None:
    _, out, expected = hostile_build
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_file")
    assert dict(documents["status"]) == expected
    for name, status in expected.items():
        if status in {"error", "skipped_binary", "skipped_format", "duplicate", "decode_fallback"}:
            assert documents.loc[name, "status_detail"], name


def test_skipped_files_say_why(hostile_build: tuple[Path, Path, dict[str, str]]) -> None:
    _, out, _ = hostile_build
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_file")
    detail = documents["status_detail"]
    assert "a JSON object (keys: name, summary)" in detail["drug_card.json"]
    assert "not a corpus" in detail["drug_card.json"]
    assert (
        ".png (looks like a PNG image) is not a format claimset reads" in detail["screenshot.png"]
    )
    assert "no extension is not a format claimset reads" in detail["notes"]
    assert "cannot parse broken.json as JSON" in detail["broken.json"]
    assert documents.loc["drug_card.json", "format"] == "json"
    assert documents.loc["screenshot.png", "format"] == "other"


def test_offsets_hold_for_every_claim(hostile_build: tuple[Path, Path, dict[str, str]]) -> None:
    _, out, _ = hostile_build
    _assert_provenance(out)


def test_decoding_is_recorded(hostile_build: tuple[Path, Path, dict[str, str]]) -> None:
    _, out, _ = hostile_build
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_file")
    assert documents.loc["windows1252.txt", "encoding"] == "cp1252"
    assert "“appears”" in documents.loc["windows1252.txt", "text"]
    assert documents.loc["invalid_utf8.txt", "encoding"] == "utf-8"
    assert documents.loc["invalid_utf8.txt", "decode_errors"] == 3
    assert documents.loc["bom.txt", "text"] == CLAIM
    assert documents.loc["crlf.txt", "text"].count("\r\n") == 2


def test_long_text_in_pieces_matches_whole_text(
    hostile_build: tuple[Path, Path, dict[str, str]], nlp: Language, tmp_path: Path
) -> None:
    corpus, out, _ = hostile_build
    claims = pd.read_parquet(out / "claims.parquet")
    pieces = claims[claims.source_file == "long.txt"]
    assert len(pieces) == 400
    assert sorted(pieces.sentence_index) == list(range(400))
    whole_dir = tmp_path / "whole"
    whole_dir.mkdir()
    (whole_dir / "long.txt").write_bytes((corpus / "long.txt").read_bytes())
    build([whole_dir], tmp_path / "out", progress=False, nlp=nlp)
    whole = pd.read_parquet(tmp_path / "out" / "claims.parquet")
    columns = ["claim_id", "char_start", "char_end", "sentence_index", "claim_types"]
    assert pieces[columns].reset_index(drop=True).astype(str).equals(whole[columns].astype(str))


def test_errors_file_lists_failed_documents(
    hostile_build: tuple[Path, Path, dict[str, str]],
) -> None:
    _, out, expected = hostile_build
    rows = [json.loads(line) for line in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert sorted(r["source_file"] for r in rows) == sorted(
        name for name, status in expected.items() if status == "error"
    )
    for row in rows:
        assert row["source_file"] in row["detail"]


def test_exit_code_three_when_documents_fail(
    hostile_build: tuple[Path, Path, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    corpus, _, _ = hostile_build
    code = main(
        [
            "build",
            str(corpus / "truncated.pdf"),
            str(corpus / "bom.txt"),
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 3
    assert "errors.jsonl" in capsys.readouterr().out


def test_nothing_is_written_outside_out(tmp_path: Path, nlp: Language) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    rows = [
        {"id": "../../escape", "text": CLAIM},
        {"id": "/etc/passwd", "text": "Ketamine acts fast."},
    ]
    (corpus / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    (corpus / "..evil.txt").write_text(CLAIM, "utf-8")
    out = tmp_path / "nested" / "out"
    before = {p for p in tmp_path.rglob("*")}
    build([corpus], out, progress=False, nlp=nlp)
    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(p == out.parent or out in p.parents or p == out for p in created)
    documents = pd.read_parquet(out / "documents.parquet")
    assert set(documents.row_id.dropna()) == {"../../escape", "/etc/passwd"}


def test_rows_of_corpus_files_are_documents(tmp_path: Path, nlp: Language) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    pd.DataFrame(
        {"url": ["a", "b", "c"], "body": [CLAIM, "", "Ketamine acts within hours."]}
    ).to_parquet(corpus / "pages.parquet")
    (corpus / "pages.csv").write_text(
        'body,url\n"Ketamine blocks NMDA receptors.\nIt acts fast.",x1\n', "utf-8"
    )
    out = tmp_path / "out"
    build([corpus], out, BuildConfig(text_column="body", id_column="url"), progress=False, nlp=nlp)
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_file")
    assert dict(documents["status"]) == {
        "pages.csv#x1": "ok", "pages.parquet#a": "ok", "pages.parquet#b": "error", "pages.parquet#c": "ok",
    }  # fmt: skip
    _assert_provenance(out)


def test_html_and_pdf_inputs_keep_provenance_and_pages(tmp_path: Path, nlp: Language) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "page.html").write_text(
        "<html><head><title>Ketamine facts</title>"
        '<link rel="canonical" href="https://example.org/ketamine"></head><body>'
        "<nav>Home | About | Shop</nav><script>var x = 1;</script>"
        "<article><h1>Ketamine facts</h1><p>Ketamine blocks the NMDA receptor [12].</p>"
        "<p>Its antidepressant effects appear within 24 hours.</p></article>"
        "<footer>Copyright 2024</footer></body></html>",
        "utf-8",
    )
    (corpus / "paper.pdf").write_bytes(
        make_pdf(
            [
                ["Ketamine blocks the NMDA receptor [12]."],
                ["Esketamine nasal spray was approved in 2019."],
            ],
            title="A paper",
        )
    )
    out = tmp_path / "out"
    build([corpus], out, progress=False, nlp=nlp)
    _assert_provenance(out)
    documents = pd.read_parquet(out / "documents.parquet").set_index("source_file")
    assert documents.loc["page.html", "title"] == "Ketamine facts"
    assert documents.loc["page.html", "url"] == "https://example.org/ketamine"
    assert "Shop" not in documents.loc["page.html", "text"]
    assert "var x" not in documents.loc["page.html", "text"]
    assert len(documents.loc["paper.pdf", "page_starts"]) == 2
    claims = pd.read_parquet(out / "claims.parquet")
    pdf = claims[claims.source_file == "paper.pdf"]
    pdf_pages = dict(zip(pdf.text, pdf.page, strict=True))
    assert pdf_pages == {
        "Ketamine blocks the NMDA receptor [12].": 1,
        "Esketamine nasal spray was approved in 2019.": 2,
    }
    assert claims[claims.source_file == "page.html"].page.isna().all()
