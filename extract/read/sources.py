"""Plain types shared by the readers: what a reader hands back, and how it fails."""

from __future__ import annotations

from dataclasses import dataclass


class ReadFailure(Exception):
    """A file cannot be turned into text; the message says why and what to do."""


class NotACorpus(ReadFailure):
    """A file of a format claimset reads only as a corpus (JSON) that holds no records."""


@dataclass(frozen=True)
class ExtractedText:
    """What a format reader (HTML, PDF, plain text) gets out of one file's bytes."""

    text: str
    encoding: str | None = None
    decode_errors: int = 0
    title: str | None = None
    url: str | None = None
    # Character offsets in ``text`` where each page starts (PDF only; page 1 at index 0).
    page_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class CorpusRow:
    """One row of a corpus file (JSONL, CSV, Parquet): one document, or why it is not one."""

    row_id: str
    text: str | None
    problem: str | None = None


@dataclass(frozen=True)
class SourceDocument:
    """A read document: the exact text every claim offset indexes, and how it was read."""

    doc_id: str
    source_file: str
    format: str
    encoding: str | None
    text: str
    status: str
    status_detail: str | None
    decode_errors: int = 0
    title: str | None = None
    url: str | None = None
    page_starts: tuple[int, ...] = ()
    row_id: str | None = None
