"""Build a claim dataset: read → NLP pass → records → validate → write, streaming.

Documents flow through in input order and rows are written as they come (Parquet row
groups), so memory does not grow with the corpus. Unchanged inputs are served from the
result cache (:mod:`extract.cache`) without loading the model.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import sys
import tempfile
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from . import __version__
from .attrs import DOC_STATS_ATTR, SENTENCES_ATTR
from .cache import CachedFile, ResultCache, file_digest
from .config import EXTRACTOR_VERSION, BuildConfig
from .contract import arrow_schema, schema_version
from .errors import UsageError
from .model_info import model_version, pipeline_info
from .read import (
    SAMPLE_CORPUS_DIR,
    InputFile,
    ReadOptions,
    discover_inputs,
    is_url,
    local_path,
    read_documents,
)
from .records import ClaimRecord, DocumentRecord, claims_from_sentences, sentence_rows
from .sources import SourceDocument
from .write import (
    CLUSTERS_FILE,
    TABLE_FILES,
    BuildDir,
    read_parquet,
    to_table,
    upload_dataset,
)

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_OUT_DIR = Path("output")
# Statuses whose text goes through the NLP pass.
PROCESSED_STATUSES = frozenset({"ok", "decode_fallback"})
EXIT_SOME_DOCUMENTS_FAILED = 3
ROWS_PER_GROUP = 4096
# Documents per spaCy memory zone (single process): bounds the vocabulary's growth.
DOCS_PER_ZONE = 512

T = TypeVar("T")
Sentences = list[dict[str, Any]]


@dataclass(frozen=True)
class BuildSummary:
    out_dir: Path | str
    n_documents: int
    n_sentences: int
    n_claims: int
    n_cited: int
    by_type: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    n_cached_files: int = 0
    reviews: str | None = None  # how the review log met the new claims, when there is one

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
            line += f" {self.n_errors} document(s) in error: see {self.out_dir}/errors.jsonl."
        if self.reviews:
            line += f"\n{self.reviews}"
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
    if offset == 0 and index_offset == 0:
        return sentence
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


def analyse_texts(
    get_nlp: Callable[[], Language],
    items: Iterable[T],
    text_of: Callable[[T], str | None],
    config: BuildConfig,
) -> Iterator[tuple[T, Sentences, Counter[str]]]:
    """The NLP pass over a stream: each item with its sentence records, in input order.

    Items whose ``text_of`` is None pass straight through. The model is loaded (by
    ``get_nlp``) only when the first text arrives. Long texts go in pieces cut at line
    breaks, with offsets mapped back.
    """
    stream = iter(items)
    for item in stream:
        if text_of(item) is None:
            yield item, [], Counter()
            continue
        nlp = get_nlp()
        rest = itertools.chain([item], stream)
        while block := list(itertools.islice(rest, DOCS_PER_ZONE)):
            with nlp.memory_zone():
                yield from _pipe(nlp, block, text_of, config)
        return


def _pipe(
    nlp: Language, items: Iterable[T], text_of: Callable[[T], str | None], config: BuildConfig
) -> Iterator[tuple[T, Sentences, Counter[str]]]:
    max_chars = config.max_chars_per_doc or nlp.max_length
    pending: dict[int, T] = {}

    def pieces() -> Iterator[tuple[str, tuple[int, int, bool]]]:
        for position, item in enumerate(items):
            pending[position] = item
            text = text_of(item)
            if text is None:
                continue
            chunks = text_chunks(text, max_chars)
            for number, (offset, chunk) in enumerate(chunks):
                yield chunk, (position, offset, number == len(chunks) - 1)

    sentences: Sentences = []
    stats: Counter[str] = Counter()
    emitted = 0
    for doc, (position, offset, last) in nlp.pipe(
        pieces(), as_tuples=True, batch_size=config.batch_size
    ):
        while emitted < position:  # items before this one had no text
            yield pending.pop(emitted), [], Counter()
            emitted += 1
        base = len(sentences)
        sentences.extend(_shift(s, offset, base) for s in doc._.get(SENTENCES_ATTR))
        stats.update(doc._.get(DOC_STATS_ATTR) or {})
        if last:
            yield pending.pop(position), sentences, stats
            emitted = position + 1
            sentences, stats = [], Counter()
    while emitted in pending:
        yield pending.pop(emitted), [], Counter()
        emitted += 1


def _page_of(page_starts: Sequence[int], offset: int) -> int | None:
    return bisect_right(page_starts, offset) if page_starts else None


def records_for(
    document: SourceDocument, sentences: Sentences, stats: Counter[str]
) -> tuple[DocumentRecord, list[ClaimRecord], list[dict[str, Any]]]:
    """The document's row, its claim rows and its sentence rows (from the NLP pass)."""
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
    sentence_table = sentence_rows(
        doc_id=document.doc_id,
        source_file=document.source_file,
        text=document.text,
        sentences=sentences,
        claims=claims,
    )
    return record, claims, sentence_table


class _Duplicates:
    """Same content under a second name: the first (in input order) is kept."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}

    def check(self, doc_id: str, source_file: str, status: str) -> str | None:
        """The earlier source with this content, or None if this is the first."""
        if status not in PROCESSED_STATUSES and status != "empty":
            return None
        first = self.first.setdefault(doc_id, source_file)
        return None if first == source_file else first


def _duplicate_id(source_file: str) -> str:
    return hashlib.sha256(f"duplicate:{source_file}".encode()).hexdigest()


class _TableWriter:
    """Validated rows and cached tables written as Parquet row groups as they come.

    Row groups hold exactly ``ROWS_PER_GROUP`` rows (the last one fewer) whatever mix of
    fresh and cached rows fills them, so a rebuild writes the same bytes as a clean build.
    """

    def __init__(self, path: Path, table: str, metadata: dict[str, str]) -> None:
        self.table = table
        self.metadata = metadata
        schema = arrow_schema(table)
        merged = {
            **(schema.metadata or {}),
            **{k.encode(): v.encode() for k, v in metadata.items()},
        }
        self.schema = schema.with_metadata(merged)
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd", use_dictionary=True)
        self.pieces: list[pa.Table] = []
        self.queued = 0

    def add_rows(self, rows: list[dict[str, Any]]) -> None:
        """Validate fresh rows against the JSON Schema (``to_table``), then queue them."""
        if rows:
            self.add_table(to_table(self.table, rows, self.metadata))

    def add_table(self, table: pa.Table) -> None:
        """Queue rows that are already Arrow (cache hits: validated when they were made)."""
        if len(table):
            self.pieces.append(table.replace_schema_metadata(self.schema.metadata))
            self.queued += len(table)
            if self.queued >= ROWS_PER_GROUP:
                self._drain(final=False)

    def _drain(self, *, final: bool) -> None:
        if not self.pieces:
            return
        table = pa.concat_tables(self.pieces)
        start = 0
        while len(table) - start >= ROWS_PER_GROUP or (final and start < len(table)):
            group = table.slice(start, ROWS_PER_GROUP)
            self.writer.write_table(group, row_group_size=ROWS_PER_GROUP)
            start += len(group)
        self.pieces = [table.slice(start)] if start < len(table) else []
        self.queued = len(table) - start

    def close(self) -> None:
        self._drain(final=True)
        self.writer.close()


@dataclass
class FileResult:
    """What one input file gives: fresh rows, or (cache hit) its cached tables."""

    item: InputFile
    key: str | None
    doc_rows: list[dict[str, Any]] = field(default_factory=list)
    claim_rows: list[dict[str, Any]] = field(default_factory=list)
    sentence_rows: list[dict[str, Any]] = field(default_factory=list)
    cacheable: bool = True
    cached: CachedFile | None = None


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
    inputs: Sequence[Path | str] = (),
    out_dir: Path | str = DEFAULT_OUT_DIR,
    config: BuildConfig | None = None,
    *,
    progress: bool = True,
    nlp: Language | None = None,
    use_cache: bool = True,
) -> BuildSummary:
    """Build ``claims.parquet`` and ``documents.parquet`` in ``out_dir`` from ``inputs``.

    With no inputs, builds the bundled sample corpus. ``nlp`` reuses an already loaded
    pipeline (from :func:`extract.pipeline.load_pipeline` with the same model);
    ``use_cache=False`` processes every input afresh.
    """
    config = config or BuildConfig()
    if config.n_process < 1:
        raise UsageError("--n-process must be at least 1")
    if is_url(out_dir):
        # Object storage has no atomic rename: build locally, then upload, manifest last.
        with tempfile.TemporaryDirectory(prefix="claimset-") as staging:
            summary = build(
                inputs, Path(staging), config, progress=progress, nlp=nlp, use_cache=False
            )
            upload_dataset(Path(staging), str(out_dir))
        return replace(summary, out_dir=str(out_dir))
    out_dir = local_path(out_dir)
    started = time.monotonic()
    files = discover_inputs(list(inputs) or [SAMPLE_CORPUS_DIR])
    if not files:
        raise UsageError(
            "no readable inputs found (.txt, .md, .html, .pdf, .jsonl, .csv, .parquet); "
            "pass files or folders that contain them"
        )
    version = model_version(config.model, nlp)
    fingerprint = config.fingerprint(version)
    with _OutputLock(out_dir):
        cache = ResultCache(out_dir, fingerprint) if use_cache else None
        build_dir = BuildDir(out_dir)
        try:
            summary = _Build(config, fingerprint, version, nlp, cache, progress).run(
                files, out_dir, build_dir, started
            )
            build_dir.commit()
        except BaseException:
            build_dir.discard()
            raise
        if cache is not None:
            cache.prune()
        summary = replace(summary, reviews=_refresh_reviewed_view(out_dir))
    return summary


def _refresh_reviewed_view(out_dir: Path) -> str | None:
    """Join the (untouched) review log to the new claims; a broken log never fails a build."""
    from .reviewed import apply_reviews
    from .reviews import REVIEWS_FILE, ReviewError

    try:
        applied = apply_reviews(out_dir)
    except ReviewError as error:
        return f"reviews not applied: {error}"
    if not (out_dir / REVIEWS_FILE).exists():
        return None
    return applied.line()


def load_pipeline(model: str) -> Language:
    """Load the claimset pipeline; imported here so cache-only rebuilds never import spaCy."""
    from .pipeline import load_pipeline as load

    return load(model)


_CLUSTER_INPUT_COLUMNS = [
    "claim_id", "doc_id", "source_file", "char_start", "text", "entities", "citation_markers",
    "spam_text", "hedge_cue", "negation_cue", "negated", "hedged", "claim_type",
]  # fmt: skip


def _cluster_claims(
    folder: Path, metadata: dict[str, str], cache: ResultCache | None = None
) -> int:
    """Group the build's claims (all known now) into clusters: write ``clusters.parquet``
    and fill ``cluster_id`` in ``claims.parquet``. Returns the number of clusters.

    The result is cached under the digest of everything it depends on, so a rebuild with
    unchanged claims does not cluster again.
    """
    from .clusters import assignments, cluster_claims, cluster_rows, clustering_digest

    path = folder / TABLE_FILES["claim"]
    claims = read_parquet(path)
    inputs = claims.select(_CLUSTER_INPUT_COLUMNS)
    key = clustering_digest(inputs)
    cached = cache.get_clusters(key) if cache is not None else None
    if cached is None:
        claims_for_clustering = inputs.to_pylist()
        clusters = cluster_claims(claims_for_clustering)
        table = to_table("cluster", cluster_rows(claims_for_clustering, clusters), metadata)
        ids = pa.array(assignments(claims_for_clustering, clusters), pa.string())
        if cache is not None:
            cache.put_clusters(key, table, ids)
    else:  # made under this cache folder's fingerprint: the same metadata
        table, ids = cached
    pq.write_table(table, folder / CLUSTERS_FILE, compression="zstd", row_group_size=ROWS_PER_GROUP)
    column = claims.schema.get_field_index("cluster_id")
    claims = claims.set_column(column, claims.schema.field(column), ids)
    pq.write_table(
        claims, path, compression="zstd", use_dictionary=True, row_group_size=ROWS_PER_GROUP
    )
    return len(table)


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None


def _progress_bar(total: int, *, enabled: bool) -> Any:
    """A tqdm bar on stderr, or a silent stand-in (tqdm is imported only when shown)."""
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit="file", file=sys.stderr, desc="claimset build")


class _Build:
    """One run: streams every input through cache or NLP into the table writers."""

    def __init__(
        self,
        config: BuildConfig,
        fingerprint: str,
        version: str,
        nlp: Language | None,
        cache: ResultCache | None,
        progress: bool,
    ) -> None:
        self.config = config
        self.fingerprint = fingerprint
        self.version = version
        self.nlp = nlp
        self.cache = cache
        self.progress = progress
        self.options = ReadOptions(text_column=config.text_column, id_column=config.id_column)
        self.duplicates = _Duplicates()
        self.n_cached_files = 0

    def get_nlp(self) -> Language:
        if self.nlp is None:
            self.nlp = load_pipeline(self.config.model)
        return self.nlp

    def cache_key(self, item: InputFile) -> str | None:
        if self.cache is None:
            return None
        digest = file_digest(item.path)
        return None if digest is None else f"{digest}-{item.format}"

    def lookup(self, item: InputFile) -> FileResult:
        """A file's result slot, filled from the cache when its bytes were seen before."""
        result = FileResult(item, self.cache_key(item))
        cached = self.cache.get(result.key) if self.cache and result.key else None
        if cached is not None:
            self.n_cached_files += 1
            result.cached = cached.renamed(item.source_file)
        return result

    def _work(
        self, files: Sequence[InputFile]
    ) -> Iterator[tuple[FileResult, SourceDocument | None]]:
        """Each input file's documents, or (cache hit) the file with no document to process."""
        for item in files:
            result = self.lookup(item)
            if result.cached is not None:
                yield result, None
                continue
            for document in read_documents(item, self.options):
                yield result, document
            yield result, None  # end of this file

    def local_results(self, files: Sequence[InputFile]) -> Iterator[FileResult]:
        """Finished files, in order, with their rows (fresh from NLP or from the cache)."""
        analysed = analyse_texts(
            self.get_nlp,
            self._work(files),
            lambda work: (
                work[1].text
                if work[1] is not None
                and work[1].status in PROCESSED_STATUSES
                and self._first_copy(work[0], work[1])
                else None
            ),
            self.config,
        )
        for (result, document), sentences, stats in analysed:
            if document is None:
                yield result
                continue
            duplicate_of = self.duplicates.first.get(document.doc_id)
            if duplicate_of not in (None, document.source_file):
                document = replace(
                    document,
                    status="duplicate",
                    status_detail=f"same content as {duplicate_of}",
                    doc_id=_duplicate_id(document.source_file),
                )
            record, claims, sentence_table = records_for(document, sentences, stats)
            result.doc_rows.append(record.to_row())
            result.claim_rows.extend(claim.to_row() for claim in claims)
            result.sentence_rows.extend(sentence_table)

    def _first_copy(self, result: FileResult, document: SourceDocument) -> bool:
        """Record the document's content; False when an earlier input had the same."""
        first = self.duplicates.check(document.doc_id, document.source_file, document.status)
        if first is not None and not first.startswith(result.item.source_file + "#"):
            result.cacheable = False  # depends on another file: do not cache
        return first is None

    def _should_cache(self, result: FileResult) -> bool:
        """Fresh results that depend on no other input (no duplicates) are cached."""
        if self.cache is None or result.key is None or result.cached is not None:
            return False
        return result.cacheable and all(r["status"] != "duplicate" for r in result.doc_rows)

    def meet_duplicates(self, result: FileResult) -> None:
        """Register a file's documents; those repeating an earlier input become duplicates.

        Local fresh results were checked before the NLP pass, so this changes nothing for
        them; cache hits and results from other workers meet the run's earlier inputs here
        (then, rarely, a hit is turned into plain rows and its claims dropped).
        """
        keys: Iterable[tuple[str, str, str]]
        if result.cached is not None:
            documents = result.cached.documents
            keys = zip(
                documents.column("doc_id").to_pylist(),
                documents.column("source_file").to_pylist(),
                documents.column("status").to_pylist(),
                strict=True,
            )
        else:
            keys = ((r["doc_id"], r["source_file"], r["status"]) for r in result.doc_rows)
        repeats = {
            doc_id: first
            for doc_id, name, status in keys
            if (first := self.duplicates.check(doc_id, name, status)) is not None
            and status != "duplicate"
        }
        if not repeats:
            return
        if result.cached is not None:
            result.doc_rows = result.cached.documents.to_pylist()
            result.claim_rows = result.cached.claims.to_pylist()
            result.sentence_rows = result.cached.sentences.to_pylist()
            result.cached = None
        result.doc_rows = [
            {
                **row,
                "status": "duplicate",
                "status_detail": f"same content as {repeats[row['doc_id']]}",
                "doc_id": _duplicate_id(row["source_file"]),
                "n_sentences": 0,
                "n_claims": 0,
                "n_chrome_lines": 0,
                "n_spam_phrases": 0,
            }
            if row["doc_id"] in repeats
            else row
            for row in result.doc_rows
        ]
        result.claim_rows = [r for r in result.claim_rows if r["doc_id"] not in repeats]
        result.sentence_rows = [r for r in result.sentence_rows if r["doc_id"] not in repeats]

    def results(self, files: Sequence[InputFile]) -> Iterator[FileResult]:
        """Every input file's result in order: from this process, or from the Dask cluster."""
        if self.config.engine == "dask":
            from .engines import dask_results

            return dask_results(self, files)
        if self.config.n_process > 1:
            from .engines import pool_results

            return pool_results(self, files)
        return self.local_results(files)

    def run(
        self, files: Sequence[InputFile], out_dir: Path, build_dir: BuildDir, started: float
    ) -> BuildSummary:
        metadata = {
            "claimset.version": __version__,
            "claimset.extractor_version": EXTRACTOR_VERSION,
            "claimset.config_fingerprint": self.fingerprint,
            "spacy.version": pipeline_info(None, self.config.model)["spacy_version"],
            "spacy.model_name": self.config.model,
            "spacy.model_version": self.version,
        }
        writers = {
            name: _TableWriter(build_dir.path / TABLE_FILES[name], name, metadata)
            for name in TABLE_FILES
        }
        by_type: Counter[str] = Counter()
        by_status: Counter[str] = Counter()
        inputs: dict[str, str] = {}
        n_sentences = n_claims = n_cited = 0
        bar = _progress_bar(len(files), enabled=self.progress and len(files) >= 2)
        with bar, build_dir.jsonl_writer("errors.jsonl") as errors:
            for result in self.results(files):
                if self._should_cache(result):
                    assert self.cache is not None and result.key is not None
                    self.cache.put(
                        result.key,
                        result.item.source_file,
                        {
                            "document": result.doc_rows,
                            "claim": result.claim_rows,
                            "sentence": result.sentence_rows,
                        },
                    )
                self.meet_duplicates(result)
                if result.cached is not None:
                    documents, claims = result.cached.documents, result.cached.claims
                    writers["document"].add_table(documents)
                    writers["claim"].add_table(claims)
                    writers["sentence"].add_table(result.cached.sentences)
                    doc_stats = documents.select(
                        ["source_file", "doc_id", "status", "status_detail", "n_sentences"]
                    ).to_pylist()
                    claim_stats = claims.select(["claim_type", "has_citation"]).to_pylist()
                else:
                    writers["document"].add_rows(result.doc_rows)
                    writers["claim"].add_rows(result.claim_rows)
                    writers["sentence"].add_rows(result.sentence_rows)
                    doc_stats, claim_stats = result.doc_rows, result.claim_rows
                for row in doc_stats:
                    by_status[row["status"]] += 1
                    n_sentences += row["n_sentences"]
                    inputs[row["source_file"]] = row["doc_id"]
                    if row["status"] == "error":
                        errors.write(
                            {
                                "source_file": row["source_file"],
                                "status": row["status"],
                                "detail": row["status_detail"],
                            }
                        )
                for row in claim_stats:
                    by_type[row["claim_type"]] += 1
                    n_claims += 1
                    n_cited += row["has_citation"]
                bar.update(1)
            for writer in writers.values():
                writer.close()
        n_clusters = _cluster_claims(build_dir.path, metadata, self.cache)
        summary = BuildSummary(
            out_dir=out_dir,
            n_documents=sum(by_status.values()),
            n_sentences=n_sentences,
            n_claims=n_claims,
            n_cited=n_cited,
            by_type=dict(by_type),
            by_status=dict(by_status),
            n_cached_files=self.n_cached_files,
        )
        build_dir.write_manifest(
            {
                "claimset_version": __version__,
                "extractor_version": EXTRACTOR_VERSION,
                "schema_versions": {name: schema_version(name) for name in TABLE_FILES},
                "config": self.config.as_dict(),
                "config_fingerprint": self.fingerprint,
                "pipeline": pipeline_info(self.nlp, self.config.model),
                "inputs": inputs,
                "counts": {
                    "documents": summary.n_documents,
                    "sentences": summary.n_sentences,
                    "claims": summary.n_claims,
                    "claims_with_citation": summary.n_cited,
                    "clusters": n_clusters,
                    "claims_by_type": dict(sorted(by_type.items())),
                    "documents_by_status": dict(sorted(by_status.items())),
                    "input_files": len(files),
                    "input_files_from_cache": self.n_cached_files,
                },
                "duration_s": round(time.monotonic() - started, 3),
            }
        )
        return summary
