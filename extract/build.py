"""Build a claim dataset: read → NLP pass → records → validate → write."""

from __future__ import annotations

import fcntl
import hashlib
import sys
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from spacy.language import Language
from tqdm import tqdm

from . import __version__
from .claims import DOC_STATS_ATTR, SENTENCES_ATTR
from .config import EXTRACTOR_VERSION, BuildConfig
from .contract import schema_version
from .errors import ClaimsetError, UsageError
from .pipeline import load_pipeline, pipeline_info
from .read import SAMPLE_CORPUS_DIR, ReadOptions, discover_inputs, read_documents
from .records import ClaimRecord, DocumentRecord, claims_from_sentences
from .sources import SourceDocument
from .write import BuildDir, to_table

DEFAULT_OUT_DIR = Path("output")
# Statuses whose text goes through the NLP pass.
PROCESSED_STATUSES = frozenset({"ok", "decode_fallback"})
EXIT_SOME_DOCUMENTS_FAILED = 3


@dataclass(frozen=True)
class BuildSummary:
    out_dir: Path
    n_documents: int
    n_sentences: int
    n_claims: int
    n_cited: int
    by_type: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def n_errors(self) -> int:
        return self.by_status.get("error", 0)

    def line(self) -> str:
        types = ", ".join(f"{name} {count}" for name, count in sorted(self.by_type.items()))
        line = (
            f"Built {self.out_dir}: {self.n_documents} documents, {self.n_sentences} sentences, "
            f"{self.n_claims} claims ({types or 'none'}), {self.n_cited} with citation."
        )
        if self.n_errors:
            line += f" {self.n_errors} document(s) in error: see {self.out_dir / 'errors.jsonl'}."
        return line


def text_chunks(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Split a long text at line breaks (paragraphs first) into pieces of at most max_chars.

    Sentences never cross a line break, so cutting there changes no sentence. A single line
    longer than ``max_chars`` is cut at the last space before the limit.
    """
    chunks: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > max_chars:
        limit = start + max_chars
        cut = text.rfind("\n\n", start, limit)
        if cut <= start:
            cut = text.rfind("\n", start, limit)
        if cut <= start:
            cut = text.rfind(" ", start, limit)
        cut = limit if cut <= start else cut + 1
        chunks.append((start, text[start:cut]))
        start = cut
    chunks.append((start, text[start:]))
    return chunks


def _shift(sentence: dict[str, Any], offset: int, index_offset: int) -> dict[str, Any]:
    """Map a chunk's sentence record back to offsets in the whole document."""
    claims = []
    for claim in sentence["claims"]:
        entities = [
            {**e, "start": e["start"] + offset, "end": e["end"] + offset} for e in claim["entities"]
        ]
        claims.append(
            {
                **claim,
                "char_start": claim["char_start"] + offset,
                "char_end": claim["char_end"] + offset,
                "entities": entities,
            }
        )
    return {
        **sentence,
        "sentence_index": sentence["sentence_index"] + index_offset,
        "char_start": sentence["char_start"] + offset,
        "char_end": sentence["char_end"] + offset,
        "claims": claims,
    }


def _page_of(page_starts: Sequence[int], offset: int) -> int | None:
    return bisect_right(page_starts, offset) if page_starts else None


def extract_documents(
    nlp: Language, documents: Iterable[SourceDocument], config: BuildConfig
) -> Iterator[tuple[SourceDocument, DocumentRecord, list[ClaimRecord]]]:
    """The unit of work: read documents in, one document record and its claims out each.

    Documents not readable as text pass through with no claims. Long texts are processed in
    chunks cut at line breaks, and offsets are mapped back to the whole text.
    """
    pending: list[SourceDocument] = []

    def pieces() -> Iterator[tuple[str, tuple[int, int, int]]]:
        for document in documents:
            pending.append(document)
            if document.status not in PROCESSED_STATUSES:
                continue
            chunks = text_chunks(document.text, config.max_chars_per_doc or nlp.max_length)
            for number, (offset, chunk) in enumerate(chunks):
                yield chunk, (len(pending) - 1, offset, len(chunks) - number - 1)

    sentences: list[dict[str, Any]] = []
    stats: Counter[str] = Counter()
    emitted = 0
    for doc, (position, offset, remaining) in nlp.pipe(
        pieces(), as_tuples=True, batch_size=config.batch_size, n_process=config.n_process
    ):
        while emitted < position:  # documents before this one had no text to process
            yield _finish(pending[emitted], [], Counter())
            emitted += 1
        base = len(sentences)
        sentences.extend(_shift(s, offset, base) for s in doc._.get(SENTENCES_ATTR))
        stats.update(doc._.get(DOC_STATS_ATTR) or {})
        if remaining == 0:
            yield _finish(pending[position], sentences, stats)
            emitted = position + 1
            sentences, stats = [], Counter()
    while emitted < len(pending):
        yield _finish(pending[emitted], [], Counter())
        emitted += 1


def _finish(
    document: SourceDocument, sentences: list[dict[str, Any]], stats: Counter[str]
) -> tuple[SourceDocument, DocumentRecord, list[ClaimRecord]]:
    claims = claims_from_sentences(
        doc_id=document.doc_id,
        source_file=document.source_file,
        text=document.text,
        sentences=sentences,
        extractor_version=EXTRACTOR_VERSION,
    )
    if document.page_starts:
        claims = [replace(c, page=_page_of(document.page_starts, c.char_start)) for c in claims]
    record = DocumentRecord(
        doc_id=document.doc_id,
        source_file=document.source_file,
        format=document.format,
        encoding=document.encoding,
        text=document.text,
        n_chars=len(document.text),
        n_sentences=len(sentences),
        n_claims=len(claims),
        n_chrome_lines=stats.get("n_chrome_lines", 0),
        n_spam_phrases=stats.get("n_spam_phrases", 0),
        decode_errors=document.decode_errors,
        title=document.title,
        url=document.url,
        page_starts=tuple(document.page_starts),
        row_id=document.row_id,
        status=document.status,
        status_detail=document.status_detail,
    )
    return document, record, claims


def _mark_duplicates(documents: Iterable[SourceDocument]) -> Iterator[SourceDocument]:
    """Same bytes under a second name: keep the first (sorted) copy, record the others."""
    seen: dict[str, str] = {}
    for document in documents:
        if document.status in PROCESSED_STATUSES or document.status == "empty":
            first = seen.setdefault(document.doc_id, document.source_file)
            if first != document.source_file:
                document = replace(
                    document,
                    status="duplicate",
                    status_detail=f"same content as {first}",
                    doc_id=hashlib.sha256(f"duplicate:{document.source_file}".encode()).hexdigest(),
                )
        yield document


class _OutputLock:
    """One build at a time per output folder."""

    def __init__(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self.path = out_dir / ".claimset.lock"
        self.handle = self.path.open("a")

    def __enter__(self) -> _OutputLock:
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.close()
            raise UsageError(
                f"another claimset build is writing to {self.path.parent}; wait for it or "
                "choose another --out"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def build(
    inputs: Sequence[Path] = (),
    out_dir: Path = DEFAULT_OUT_DIR,
    config: BuildConfig | None = None,
    *,
    progress: bool = True,
    nlp: Language | None = None,
) -> BuildSummary:
    """Build ``claims.parquet`` and ``documents.parquet`` in ``out_dir`` from ``inputs``.

    With no inputs, builds the bundled sample corpus. ``nlp`` reuses an already loaded
    pipeline (from :func:`extract.pipeline.load_pipeline` with the same model).
    """
    config = config or BuildConfig()
    if config.n_process < 1:
        raise UsageError("--n-process must be at least 1")
    started = time.monotonic()
    files = discover_inputs(list(inputs) or [SAMPLE_CORPUS_DIR])
    if not files:
        raise UsageError(
            "no readable inputs found (.txt, .md, .html, .pdf, .jsonl, .csv, .parquet); "
            "pass files or folders that contain them"
        )
    nlp = nlp or load_pipeline(config.model)
    info = pipeline_info(nlp, config.model)
    options = ReadOptions(text_column=config.text_column, id_column=config.id_column)
    documents = _mark_duplicates(
        document for item in files for document in read_documents(item, options)
    )

    with _OutputLock(out_dir):
        build_dir = BuildDir(out_dir)
        try:
            summary = _run(
                nlp, info, documents, files, out_dir, build_dir, config, progress, started
            )
            build_dir.commit()
        except BaseException:
            build_dir.discard()
            raise
    return summary


def _run(
    nlp: Language,
    info: dict[str, Any],
    documents: Iterable[SourceDocument],
    files: Sequence[Any],
    out_dir: Path,
    build_dir: BuildDir,
    config: BuildConfig,
    progress: bool,
    started: float,
) -> BuildSummary:
    doc_rows: list[dict[str, Any]] = []
    claim_rows: list[dict[str, Any]] = []
    bar = tqdm(
        total=len(files),
        unit="file",
        file=sys.stderr,
        disable=not progress or len(files) < 2,
        desc="claimset build",
    )
    seen_files: set[str] = set()
    with bar:
        for document, record, claims in extract_documents(nlp, documents, config):
            doc_rows.append(record.to_row())
            claim_rows.extend(claim.to_row() for claim in claims)
            file_name = document.source_file.split("#", 1)[0]
            if file_name not in seen_files:
                seen_files.add(file_name)
                bar.update(1)

    # Sorted rows and no timestamps in the tables: identical inputs give identical files.
    doc_rows.sort(key=lambda row: row["source_file"])
    claim_rows.sort(key=lambda row: (row["source_file"], row["char_start"], row["char_end"]))
    fingerprint = config.fingerprint(info["model_version"])
    metadata = {
        "claimset.version": __version__,
        "claimset.extractor_version": EXTRACTOR_VERSION,
        "claimset.config_fingerprint": fingerprint,
        "spacy.version": info["spacy_version"],
        "spacy.model_name": info["model_name"],
        "spacy.model_version": info["model_version"],
        "spacy.pipe_names": ",".join(info["pipe_names"]),
    }
    build_dir.write_table("document", to_table("document", doc_rows, metadata))
    build_dir.write_table("claim", to_table("claim", claim_rows, metadata))
    errors = [
        {"source_file": r["source_file"], "status": r["status"], "detail": r["status_detail"]}
        for r in doc_rows
        if r["status"] == "error"
    ]
    build_dir.write_jsonl("errors.jsonl", errors)
    by_type = Counter(row["claim_type"] for row in claim_rows)
    by_status = Counter(row["status"] for row in doc_rows)
    summary = BuildSummary(
        out_dir=out_dir,
        n_documents=len(doc_rows),
        n_sentences=sum(row["n_sentences"] for row in doc_rows),
        n_claims=len(claim_rows),
        n_cited=sum(1 for row in claim_rows if row["has_citation"]),
        by_type=dict(by_type),
        by_status=dict(by_status),
    )
    build_dir.write_manifest(
        {
            "claimset_version": __version__,
            "extractor_version": EXTRACTOR_VERSION,
            "schema_versions": {name: schema_version(name) for name in ("claim", "document")},
            "config": config.as_dict(),
            "config_fingerprint": fingerprint,
            "pipeline": info,
            "inputs": {row["source_file"]: row["doc_id"] for row in doc_rows},
            "counts": {
                "documents": summary.n_documents,
                "sentences": summary.n_sentences,
                "claims": summary.n_claims,
                "claims_with_citation": summary.n_cited,
                "claims_by_type": dict(sorted(by_type.items())),
                "documents_by_status": dict(sorted(by_status.items())),
            },
            "duration_s": round(time.monotonic() - started, 3),
        }
    )
    return summary


__all__ = ["BuildSummary", "ClaimsetError", "build", "extract_documents", "text_chunks"]
