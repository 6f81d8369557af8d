"""The per-file work of a build, the same in every engine (local, process pool, Dask).

One input file → its cached tables, or its documents read and sent through the NLP pass
(long texts in pieces cut at line breaks) and turned into document, claim and sentence rows.
The engines (:mod:`extract.dataset.engines`) and the orchestrator
(:mod:`extract.dataset.build`) both import this module; it imports neither.
"""

from __future__ import annotations

import hashlib
import itertools
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from extract.dataset.cache import CachedFile, ResultCache
from extract.dataset.config import EXTRACTOR_VERSION, BuildConfig
from extract.dataset.rows import claims_from_sentences, sentence_rows
from extract.nlp.attrs import DOC_STATS_ATTR, SENTENCES_ATTR
from extract.read.inputs import InputFile, ReadOptions, read_documents
from extract.read.sources import SourceDocument
from extract.tables.io import file_digest
from extract.tables.records import ClaimRecord, DocumentRecord

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Statuses whose text goes through the NLP pass.
PROCESSED_STATUSES = frozenset({"ok", "decode_fallback"})
# Documents per spaCy memory zone (single process): bounds the vocabulary's growth.
DOCS_PER_ZONE = 512

T = TypeVar("T")
Sentences = list[dict[str, Any]]


def text_chunks(text: str, max_chars: int, line_limit: int | None = None) -> list[tuple[int, str]]:
    """Split a long text at line breaks (paragraphs first) into pieces of about max_chars.

    Sentences never cross a line break, so cutting there changes no sentence. A single line
    longer than ``max_chars`` stays whole, so no sentence is cut, up to ``line_limit``
    characters (the model's max_length); only a line longer than that is cut, at the last
    space before the limit.
    """
    line_limit = max(line_limit or max_chars, max_chars)
    chunks: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > max_chars:
        limit = start + max_chars
        cut = text.rfind("\n\n", start, limit)
        if cut <= start:
            cut = text.rfind("\n", start, limit)
        if cut <= start:  # the line at ``start`` is longer than max_chars
            line_start = start + 1 if text[start] == "\n" else start
            cut = text.find("\n", line_start)
            if cut == -1 and len(text) - line_start <= line_limit:
                break
            # A CRLF's "\r" ends the line; it is not one of its characters.
            length = cut - line_start - (cut > line_start and text[cut - 1] == "\r")
            if cut == -1 or length > line_limit:
                cut = text.rfind(" ", start, line_start + line_limit)
                if cut <= start:
                    cut = line_start + line_limit - 1
        cut += 1
        chunks.append((start, text[start:cut]))
        start = cut
    if start < len(text) or not chunks:
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


def _batched(
    pieces: Iterable[tuple[str, T]], max_docs: int, max_chars: int
) -> Iterator[list[tuple[str, T]]]:
    """Consecutive pieces in batches of at most ``max_docs`` texts and ``max_chars``
    characters (a single longer piece goes alone): spaCy's memory grows with the characters
    of a batch, not its count."""
    batch: list[tuple[str, T]] = []
    chars = 0
    for piece in pieces:
        if batch and (len(batch) >= max_docs or chars + len(piece[0]) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(piece)
        chars += len(piece[0])
    if batch:
        yield batch


def _pipe(
    nlp: Language, items: Iterable[T], text_of: Callable[[T], str | None], config: BuildConfig
) -> Iterator[tuple[T, Sentences, Counter[str]]]:
    max_chars = min(config.max_chars_per_doc or nlp.max_length, nlp.max_length)
    line_limit = nlp.max_length
    pending: dict[int, T] = {}

    def pieces() -> Iterator[tuple[str, tuple[int, int, bool]]]:
        for position, item in enumerate(items):
            pending[position] = item
            text = text_of(item)
            if text is None:
                continue
            chunks = text_chunks(text, max_chars, line_limit)
            for number, (offset, chunk) in enumerate(chunks):
                yield chunk, (position, offset, number == len(chunks) - 1)

    def processed() -> Iterator[tuple[Doc, tuple[int, int, bool]]]:
        for batch in _batched(pieces(), config.batch_size, config.batch_chars):
            yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))

    sentences: Sentences = []
    stats: Counter[str] = Counter()
    emitted = 0
    for doc, (position, offset, last) in processed():
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


class Duplicates:
    """Same content under a second name: the first (in input order) is kept."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}

    def check(self, doc_id: str, source_file: str, status: str) -> str | None:
        """The earlier source with this content, or None if this is the first."""
        if status not in PROCESSED_STATUSES and status != "empty":
            return None
        first = self.first.setdefault(doc_id, source_file)
        return None if first == source_file else first


def duplicate_id(source_file: str) -> str:
    return hashlib.sha256(f"duplicate:{source_file}".encode()).hexdigest()


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


def load_pipeline(model: str) -> Language:
    """Load the claimset pipeline; imported here so cache-only rebuilds never import spaCy."""
    from extract.nlp.pipeline import load_pipeline as load

    return load(model)


class FileWork:
    """The per-file work every engine runs: cache look-up, reading, the NLP pass, records."""

    def __init__(
        self,
        config: BuildConfig,
        nlp: Language | None,
        cache: ResultCache | None,
    ) -> None:
        self.config = config
        self.nlp = nlp
        self.cache = cache
        self.options = ReadOptions(text_column=config.text_column, id_column=config.id_column)
        self.duplicates = Duplicates()
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
                    doc_id=duplicate_id(document.source_file),
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
                "doc_id": duplicate_id(row["source_file"]),
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
