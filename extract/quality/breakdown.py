"""Where the errors are: scores by genre, the type confusion matrix, the errors as JSONL.

Genres come from a table the user keeps beside the corpus: a markdown table with ``file``
and ``genre`` columns (as in ``SOURCES.md``), or a CSV with the same header. A scored file
no table names is counted under ``(unknown)``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path

from extract.quality.gold import (
    CLAIM_TYPES,
    NO_CLAIM,
    EvalReport,
    Score,
    micro_f1,
)
from extract.quality.jsonl import EvalError
from extract.tables.io import write_text_atomic

UNKNOWN_GENRE = "(unknown)"


def _markdown_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            continue
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        if all(set(cell) <= set("-: ") for cell in cells):
            continue  # the separator row
        rows.append(cells)
    return rows


def read_genres(path: Path) -> dict[str, str]:
    """File name -> genre, from a markdown table or a CSV with ``file`` and ``genre``."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EvalError(f"cannot read the genre table {path}: {error}") from error
    rows = (
        [row for row in csv.reader(text.splitlines()) if row]
        if path.suffix.lower() == ".csv"
        else _markdown_rows(text)
    )
    if not rows:
        raise EvalError(f"{path}: no table with 'file' and 'genre' columns")
    header = [cell.strip().lower() for cell in rows[0]]
    if "file" not in header or "genre" not in header:
        raise EvalError(f"{path}: the table needs 'file' and 'genre' columns, found {header}")
    file_at, genre_at = header.index("file"), header.index("genre")
    return {
        Path(row[file_at]).stem: row[genre_at]
        for row in rows[1:]
        if len(row) > max(file_at, genre_at) and row[file_at]
    }


def genre_scores(
    report: EvalReport, genres: Mapping[str, str]
) -> dict[str, dict[str, float | int | None]]:
    """Per genre: files, claim/citation/hedge F1, core-type macro-F1 and type micro-F1,
    from the summed counts of its files (not an average of their scores)."""
    by_genre: dict[str, dict[str, list[int]]] = {}
    files: dict[str, int] = {}
    for name, scores in report.per_file_scores.items():
        genre = genres.get(Path(name).stem, UNKNOWN_GENRE)
        files[genre] = files.get(genre, 0) + 1
        counts = by_genre.setdefault(genre, {})
        for metric, score in scores.items():
            total = counts.setdefault(metric, [0, 0, 0])
            total[0] += score.tp
            total[1] += score.fp
            total[2] += score.fn
    result: dict[str, dict[str, float | int | None]] = {}
    for genre in sorted(by_genre):
        scores = {m: Score.from_counts(*counts) for m, counts in by_genre[genre].items()}
        core = [scores[f"type:{t}"].f1 for t in CLAIM_TYPES[:4]]
        result[genre] = {
            "files": files[genre],
            "claim_f1": scores["claim"].f1,
            "core_type_macro_f1": sum(core) / len(core),
            "type_micro_f1": micro_f1(scores),
            "citation_f1": _f1_or_none(scores["citation"]),
            "hedge_f1": _f1_or_none(scores["hedge"]),
        }
    return result


def _f1_or_none(score: Score) -> float | None:
    """None when there was nothing to find and nothing was found."""
    return None if score.tp + score.fp + score.fn == 0 else score.f1


def format_genres(scores: Mapping[str, Mapping[str, float | int | None]]) -> str:
    columns = (
        "claim_f1", "core_type_macro_f1", "type_micro_f1", "citation_f1", "hedge_f1",
    )  # fmt: skip
    width = max([len("genre"), *(len(g) for g in scores)])
    header = f"{'genre':<{width}}  {'files':>5}" + "".join(f"  {c:>18}" for c in columns)
    lines = [header, "-" * len(header)]
    for genre, values in scores.items():
        cells = "".join(
            f"  {'-':>18}" if values[c] is None else f"  {float(values[c] or 0):>18.3f}"
            for c in columns
        )
        lines.append(f"{genre:<{width}}  {int(values['files'] or 0):>5}{cells}")
    return "\n".join(lines)


def format_confusion(confusion: Mapping[str, Mapping[str, int]]) -> str:
    """Rows: gold type; columns: predicted type (several per unit count once each)."""
    columns = [*CLAIM_TYPES, NO_CLAIM]
    short = {t: t[:5] for t in CLAIM_TYPES} | {NO_CLAIM: "none"}
    width = max(len(t) for t in CLAIM_TYPES) + 6
    corner = "gold / predicted"
    header = f"{corner:<{width}}" + "".join(f"{short[c]:>7}" for c in columns)
    lines = [header, "-" * len(header)]
    for gold_type in CLAIM_TYPES:
        row = confusion.get(gold_type, {})
        lines.append(f"{gold_type:<{width}}" + "".join(f"{row.get(c, 0):>7}" for c in columns))
    return "\n".join(lines)


def write_errors(report: EvalReport, path: Path) -> None:
    """Every error of the report, one JSON object a line (written atomically)."""
    lines = (json.dumps(error, ensure_ascii=False) for error in report.errors)
    write_text_atomic(path, "".join(line + "\n" for line in lines))
