"""What a reviewer sees around a claim: its paragraph, the sentences before and after, its line.

Shared by every way of reviewing (spreadsheet, Label Studio, the review page) so each shows
the same context. Offsets are Python string indices into ``documents.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from extract.review.log import read_claims
from extract.tables.records import line_of, line_starts

# A paragraph ends at a blank line; a very long one is cut to the lines around the claim.
# "\r(?!\n)": the two characters of one CRLF are one line break, never a blank line.
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t\f\v]*(?:\r\n|\r(?!\n)|\n)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
MAX_PARAGRAPH_CHARS = 2000


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph holding ``text[start:end]`` (blank lines delimit paragraphs).

    When that paragraph is longer than ``MAX_PARAGRAPH_CHARS``, the claim's own line(s)
    are returned instead; the result always contains ``[start, end)``.
    """
    begin = 0
    for match in _PARAGRAPH_BREAK.finditer(text, 0, start):
        begin = match.end()
    after = _PARAGRAPH_BREAK.search(text, end)
    finish = after.start() if after else len(text)
    if finish - begin > MAX_PARAGRAPH_CHARS:
        line_begin = 0
        for match in _LINE_BREAK.finditer(text, 0, start):
            line_begin = match.end()
        line_end = _LINE_BREAK.search(text, end)
        begin, finish = (
            max(begin, line_begin),
            min(finish, line_end.start() if line_end else finish),
        )
    return begin, max(finish, end)


@dataclass(frozen=True)
class ReviewItem:
    """One claim with its context, ready for any review channel."""

    claim: dict[str, Any]  # the claims.parquet row, plain Python values
    document_text: str
    paragraph_start: int
    paragraph_end: int
    sentence_before: str | None
    sentence: str
    sentence_after: str | None
    line: int

    @property
    def paragraph(self) -> str:
        return self.document_text[self.paragraph_start : self.paragraph_end]


def _sentences_by_doc(dataset_dir: Path) -> dict[str, list[tuple[int, int]]]:
    path = dataset_dir / "sentences.parquet"
    spans: dict[str, list[tuple[int, int]]] = {}
    if not path.exists():
        return spans  # a dataset built before sentences were written: no neighbours
    table = pq.read_table(path, columns=["doc_id", "char_start", "char_end"])
    for doc_id, start, end in zip(
        table.column("doc_id").to_pylist(),
        table.column("char_start").to_pylist(),
        table.column("char_end").to_pylist(),
        strict=True,
    ):
        spans.setdefault(doc_id, []).append((start, end))
    for doc_spans in spans.values():
        doc_spans.sort()
    return spans


def _neighbours(
    spans: Sequence[tuple[int, int]], start: int, end: int
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The sentences just before and just after a span (spans sorted, not overlapping)."""
    index = bisect_left(spans, (start, end))
    before = spans[index - 1] if index > 0 and spans[index - 1][1] <= start else None
    while index < len(spans) and spans[index][0] < end:
        index += 1
    return before, (spans[index] if index < len(spans) else None)


def review_items(dataset_dir: Path | str) -> Iterator[ReviewItem]:
    """Every claim of the dataset with its context: the claims that need a citation first
    (they are what fact-checkers check first), then the others, each in document order."""
    dataset_dir = Path(dataset_dir)
    claims = read_claims(dataset_dir).to_pylist()
    claims.sort(key=lambda claim: not claim.get("citation_needed", False))  # stable
    documents = pq.read_table(dataset_dir / "documents.parquet", columns=["doc_id", "text"])
    texts = dict(
        zip(
            documents.column("doc_id").to_pylist(),
            documents.column("text").to_pylist(),
            strict=True,
        )
    )
    sentences = _sentences_by_doc(dataset_dir)
    line_index: dict[str, list[int]] = {}
    for claim in claims:
        text = texts[claim["doc_id"]]
        starts = line_index.setdefault(claim["doc_id"], line_starts(text))
        sentence_span = (claim["sentence_start"], claim["sentence_end"])
        before, after = _neighbours(sentences.get(claim["doc_id"], ()), *sentence_span)
        begin, finish = paragraph_bounds(text, claim["char_start"], claim["char_end"])
        yield ReviewItem(
            claim=claim,
            document_text=text,
            paragraph_start=begin,
            paragraph_end=finish,
            sentence_before=text[before[0] : before[1]] if before else None,
            sentence=text[sentence_span[0] : sentence_span[1]],
            sentence_after=text[after[0] : after[1]] if after else None,
            line=line_of(starts, claim["char_start"]),
        )
