"""Corpus readers: one document per row of a JSONL, CSV or Parquet file, or per record of a
JSON array.

JSONL is read line by line, CSV record by record, Parquet in small record batches of the
two columns needed; a JSON file is parsed whole (it has no lines to stream). A JSON file
whose top level is not an array of records (a single object, say) is no corpus: the reader
raises :class:`~extract.read.sources.NotACorpus`, and the file is recorded as skipped.
Each row becomes a :class:`CorpusRow`: its id and text, or ``text=None`` and the reason
(``problem``) it is not a document.

Row ids: the id column's value as a string (ints as ``"17"``, strings verbatim, with
slashes, dots, spaces and all) when the column is there and the value is neither null
nor blank; otherwise ``"row-N"``. ``N`` is 1-based: the physical line number in a JSONL
file (blank lines counted, so it points at the line), the record number after the header
in a CSV file (blank lines not counted), the row number in a Parquet file, the record
number in a JSON array. A JSONL line
that is not valid JSON gets ``"line-N"``. A missing id column is not an error (the default
``"id"`` is often absent); a missing text column in a CSV header or Parquet schema is.

Texts are returned exactly as stored. A blank text (empty or whitespace only) is a problem
row, like a missing or non-string one. Knows no NLP.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow.parquet as pq

from extract.read.sources import CorpusRow, NotACorpus, ReadFailure

CORPUS_FORMATS = ("jsonl", "json", "csv", "parquet")

# csv's default field limit is 131,072 characters: a long article breaks it. 2**31 - 1 is
# the largest value every platform's C long accepts.
CSV_FIELD_LIMIT = 2**31 - 1
# Parquet rows read per batch: bounded memory even with long texts.
PARQUET_BATCH_ROWS = 256

_SURROGATE = re.compile("[\ud800-\udfff]")


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _text_problem(value: Any, column: str, present: bool) -> str | None:
    """Why ``value`` is not a document text, or None if it is one."""
    if not present or value is None:
        return f"no {column!r} value in this row"
    if isinstance(value, str) and _SURROGATE.search(value):
        return f"{column!r} holds invalid text (undecodable bytes or an unpaired surrogate)"
    if not isinstance(value, str):
        return f"{column!r} is a {_kind(value)}, not a string"
    if not value.strip():
        return f"{column!r} is empty"
    return None


def _row_id(value: Any, number: int) -> str:
    if value is None or isinstance(value, (bytes, bytearray)):
        return f"row-{number}"
    if isinstance(value, str):
        row_id = value
    elif isinstance(value, (bool, int, float)):
        row_id = json.dumps(value)
    else:
        row_id = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if not row_id.strip():
        return f"row-{number}"
    # Undecodable bytes (CSV) or "\udc80" escapes (JSON) cannot be written as UTF-8.
    return _SURROGATE.sub("\ufffd", row_id)


def _row(number: int, text: Any, text_present: bool, row_id: Any, text_column: str) -> CorpusRow:
    rid = _row_id(row_id, number)
    problem = _text_problem(text, text_column, text_present)
    if problem is not None:
        return CorpusRow(rid, None, problem=problem)
    return CorpusRow(rid, text)


def _open_failure(path: Path, error: OSError) -> ReadFailure:
    reason = error.strerror or str(error)
    return ReadFailure(f"cannot open {path.name}: {reason}")


def _no_column(path: Path, column: str, columns: list[str]) -> ReadFailure:
    listed = ", ".join(repr(c) for c in columns) if columns else "(none)"
    return ReadFailure(
        f"no column {column!r} in {path.name}; columns are {listed}; pass --text-column"
    )


# JSONL ----------------------------------------------------------------------------------


def _iter_jsonl(path: Path, text_column: str, id_column: str | None) -> Iterator[CorpusRow]:
    try:
        handle = path.open("rb")
    except OSError as error:
        raise _open_failure(path, error) from error
    with handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield CorpusRow(
                    f"line-{number}",
                    None,
                    problem=f"invalid UTF-8 on line {number} (byte {error.start}); "
                    "re-save the file as UTF-8",
                )
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as error:
                detail = error.msg if isinstance(error, json.JSONDecodeError) else "too deep"
                yield CorpusRow(
                    f"line-{number}", None, problem=f"invalid JSON on line {number}: {detail}"
                )
                continue
            if not isinstance(record, dict):
                yield CorpusRow(
                    f"line-{number}",
                    None,
                    problem=f"line {number} is a JSON {_kind(record)}, not an object",
                )
                continue
            row_id = record.get(id_column) if id_column is not None else None
            yield _row(number, record.get(text_column), text_column in record, row_id, text_column)


# CSV ------------------------------------------------------------------------------------


def _csv_handle(path: Path) -> IO[str]:
    # surrogateescape: a bad byte spoils its own row only (reported there), not the file.
    try:
        return path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as error:
        raise _open_failure(path, error) from error


def _csv_header(path: Path) -> list[str]:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    with _csv_handle(path) as handle:
        try:
            header = next(csv.reader(handle), None)
        except csv.Error as error:
            raise ReadFailure(f"cannot parse the header of {path.name}: {error}") from error
    if header is None:
        raise ReadFailure(f"{path.name} is empty: a CSV corpus needs a header row")
    return [_SURROGATE.sub("\ufffd", name) for name in header]


def _iter_csv(
    path: Path, text_column: str, id_column: str | None, header: list[str]
) -> Iterator[CorpusRow]:
    text_index = header.index(text_column)
    id_index = header.index(id_column) if id_column in header else None
    number = 0
    with _csv_handle(path) as handle:
        reader = csv.reader(handle)
        try:
            next(reader)
            for fields in reader:
                if not fields:
                    continue
                number += 1
                present = text_index < len(fields)
                text = fields[text_index] if present else None
                row_id = (
                    fields[id_index] if id_index is not None and id_index < len(fields) else None
                )
                yield _row(number, text, present, row_id, text_column)
        except csv.Error as error:
            raise ReadFailure(
                f"cannot parse {path.name} after record {number} (line {reader.line_num}): "
                f"{error}; fix the quoting"
            ) from error


# Parquet --------------------------------------------------------------------------------


def _parquet_file(path: Path) -> Any:
    try:
        # A URL input (fsspec-backed path) is handed to pyarrow as an open file.
        return pq.ParquetFile(path if isinstance(path, Path) else path.open("rb"))
    except OSError as error:
        raise _open_failure(path, error) from error
    except Exception as error:  # pyarrow.ArrowInvalid and friends
        raise ReadFailure(
            f"cannot read {path.name} as Parquet ({error}); re-export the file"
        ) from error


def _iter_parquet(
    path: Path, text_column: str, id_column: str | None, names: list[str]
) -> Iterator[CorpusRow]:
    columns = [text_column]
    if id_column is not None and id_column in names and id_column != text_column:
        columns.append(id_column)
    parquet = _parquet_file(path)
    number = 0
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
            texts = batch.column(text_column).to_pylist()
            ids = batch.column(id_column).to_pylist() if id_column in columns else None
            if id_column == text_column:
                ids = texts
            for index, text in enumerate(texts):
                number += 1
                row_id = ids[index] if ids is not None else None
                yield _row(number, text, True, row_id, text_column)
    except ReadFailure:
        raise
    except Exception as error:
        raise ReadFailure(
            f"cannot read {path.name} after row {number} ({error}); re-export the file"
        ) from error
    finally:
        parquet.close()


# JSON ------------------------------------------------------------------------------------


def _json_shape(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(sorted(str(k) for k in value)[:6])
        more = ", …" if len(value) > 6 else ""
        return f"a JSON object (keys: {keys}{more})" if value else "an empty JSON object"
    return f"a JSON {_kind(value)}"


def _iter_json(path: Path, text_column: str, id_column: str | None) -> Iterator[CorpusRow]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _open_failure(path, error) from error
    try:
        value = json.loads(data.decode("utf-8-sig", errors="surrogateescape"))
    except ValueError as error:
        raise ReadFailure(f"cannot parse {path.name} as JSON ({error}); fix the file") from error
    if not isinstance(value, list):
        raise NotACorpus(
            f"{path.name} holds {_json_shape(value)}, not a corpus: claimset reads a JSON "
            f"array of records with a {text_column!r} field (or JSON Lines, .jsonl); skipped"
        )
    return _json_rows(value, text_column, id_column)


def _json_rows(records: list[Any], text_column: str, id_column: str | None) -> Iterator[CorpusRow]:
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            yield CorpusRow(f"row-{number}", None, problem=f"record is a {_kind(record)}")
            continue
        row_id = record.get(id_column) if id_column is not None else None
        yield _row(number, record.get(text_column), text_column in record, row_id, text_column)


def iter_corpus_rows(
    path: Path, fmt: str, *, text_column: str = "text", id_column: str | None = "id"
) -> Iterator[CorpusRow]:
    """The rows of a corpus file, one :class:`CorpusRow` each, streamed.

    Raises ReadFailure at once (before the first row) when the file cannot be opened or a
    CSV header / Parquet schema has no ``text_column``; later, while iterating, only for a
    file broken past recovery (CSV quoting, a damaged Parquet page). Bad rows never raise.
    """
    if fmt not in CORPUS_FORMATS:
        raise ValueError(f"unknown corpus format {fmt!r}; expected one of {CORPUS_FORMATS}")
    if fmt == "json":
        return _iter_json(path, text_column, id_column)
    if fmt == "jsonl":
        if not path.is_file():
            raise ReadFailure(f"cannot open {path.name}: not a readable file")
        return _iter_jsonl(path, text_column, id_column)
    if fmt == "csv":
        header = _csv_header(path)
        if text_column not in header:
            raise _no_column(path, text_column, header)
        return _iter_csv(path, text_column, id_column, header)
    parquet = _parquet_file(path)
    try:
        names = list(parquet.schema_arrow.names)
    finally:
        parquet.close()
    if text_column not in names:
        raise _no_column(path, text_column, names)
    return _iter_parquet(path, text_column, id_column, names)
