"""Build a claim dataset: read → NLP pass → records → validate → write, streaming.

The orchestrator: it finds the inputs, runs the per-file work (:mod:`extract.dataset.work`)
in this process or through an engine (:mod:`extract.dataset.engines`), writes the tables,
clusters the claims, commits the build and refreshes the reviewed view.
Documents flow through in input order and rows are written as they come (Parquet row
groups), so memory does not grow with the corpus. Unchanged inputs are served from the
result cache (:mod:`extract.dataset.cache`) without loading the model.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from extract import __version__
from extract.dataset.cache import ResultCache
from extract.dataset.config import EXTRACTOR_VERSION, BuildConfig
from extract.dataset.model_info import model_version, pipeline_info
from extract.dataset.output import (
    BuildDir,
    OutputLock,
    TableWriter,
    upload_dataset,
    write_parquet,
)
from extract.dataset.work import FileResult, FileWork
from extract.errors import UsageError
from extract.read.inputs import (
    OTHER_FORMAT,
    SAMPLE_CORPUS_DIR,
    InputFile,
    discover_inputs,
    is_url,
    local_path,
)
from extract.tables.contract import schema_version
from extract.tables.io import CLUSTERS_FILE, LINKS_FILE, TABLE_FILES, read_parquet, to_table

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_OUT_DIR = Path("output")
EXIT_SOME_DOCUMENTS_FAILED = 3


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
    pipeline (from :func:`extract.nlp.pipeline.load_pipeline` with the same model);
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
    if all(item.format == OTHER_FORMAT for item in files):
        raise UsageError(
            "no readable inputs found (.txt, .md, .html, .pdf, .json, .jsonl, .csv, .parquet); "
            "pass files or folders that contain them"
        )
    version = model_version(config.model, nlp)
    fingerprint = config.fingerprint(version)
    with OutputLock(out_dir):
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
    from extract.review.log import REVIEWS_FILE, ReviewError
    from extract.review.view import apply_reviews

    try:
        applied = apply_reviews(out_dir)
    except ReviewError as error:
        return f"reviews not applied: {error}"
    if not (out_dir / REVIEWS_FILE).exists():
        return None
    return applied.line()


_LINK_INPUT_COLUMNS = [
    "claim_id", "doc_id", "source_file", "char_start", "text", "entities", "citation_markers",
    "spam_text", "hedge_cue", "negation_cue", "negated", "hedged", "claim_type", "subject",
    "facts",
]  # fmt: skip


def _link_claims(
    folder: Path, metadata: dict[str, str], cache: ResultCache | None = None
) -> tuple[int, int]:
    """Link the build's claims across sources (all known now): write ``claim_links.parquet``
    and ``clusters.parquet`` (clusters follow from the ``same`` links) and fill
    ``cluster_id`` in ``claims.parquet``. Returns the numbers of clusters and links.

    The result is cached under the digest of everything it depends on, so a rebuild with
    unchanged claims does not link again.
    """
    from extract.links.clusters import assignments, cluster_rows, clusters_from_links, term_index
    from extract.links.matching import link_claims, link_rows, linking_digest

    path = folder / TABLE_FILES["claim"]
    # Only the columns linking reads, and the rest of the table only once they are freed:
    # on a large corpus the rows as Python objects are the peak of the build's memory.
    inputs = read_parquet(path, _LINK_INPUT_COLUMNS)
    key = linking_digest(inputs)
    cached = cache.get_clusters(key) if cache is not None else None
    if cached is None:
        claims_for_linking = inputs.to_pylist()
        del inputs
        index = term_index(claims_for_linking)
        links = link_claims(claims_for_linking)
        same = [(x.a, x.b, x.confidence + x.score) for x in links if x.relation == "same"]
        against = [(x.a, x.b) for x in links if x.relation == "contradicts"]
        clusters = clusters_from_links(claims_for_linking, same, against, index)
        contradicted = frozenset(p for pair in against for p in pair)
        table = to_table(
            "cluster", cluster_rows(claims_for_linking, clusters, contradicted), metadata
        )
        link_table = to_table("claim_link", link_rows(claims_for_linking, links), metadata)
        ids = pa.array(assignments(claims_for_linking, clusters), pa.string())
        del claims_for_linking, clusters, links, index
        if cache is not None:
            cache.put_clusters(key, table, ids, link_table)
    else:  # made under this cache folder's fingerprint: the same metadata
        table, ids, link_table = cached
    write_parquet(table, folder / CLUSTERS_FILE)
    write_parquet(link_table, folder / LINKS_FILE)
    claims = read_parquet(path)
    column = claims.schema.get_field_index("cluster_id")
    claims = claims.set_column(column, claims.schema.field(column), ids)
    write_parquet(claims, path)
    return len(table), len(link_table)


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None


def _progress_bar(total_bytes: int, *, enabled: bool) -> Any:
    """A tqdm bar on stderr counting input bytes done, so its rate and ETA hold for pages of
    very different sizes; or a silent stand-in (tqdm is imported only when shown)."""
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(
        total=total_bytes,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=sys.stderr,
        desc="claimset build",
        smoothing=0.05,
    )


class _Build(FileWork):
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
        super().__init__(config, nlp, cache)
        self.fingerprint = fingerprint
        self.version = version
        self.progress = progress

    def results(self, files: Sequence[InputFile]) -> Iterator[FileResult]:
        """Every input file's result in order: from this process, or from the Dask cluster."""
        if self.config.engine == "dask":
            from extract.dataset.engines import dask_results

            return dask_results(self, files)
        if self.config.n_process > 1:
            from extract.dataset.engines import pool_results

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
            name: TableWriter(build_dir.path / TABLE_FILES[name], name, metadata)
            for name in TABLE_FILES
        }
        by_type: Counter[str] = Counter()
        by_status: Counter[str] = Counter()
        inputs: dict[str, str] = {}
        n_sentences = n_claims = n_cited = 0
        bar = _progress_bar(
            sum(item.size for item in files), enabled=self.progress and len(files) >= 2
        )
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
                bar.update(result.item.size)
            for writer in writers.values():
                writer.close()
        extracted = time.monotonic()
        n_clusters, n_links = _link_claims(build_dir.path, metadata, self.cache)
        clustered = time.monotonic()
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
                "schema_versions": {
                    name: schema_version(name) for name in (*TABLE_FILES, "cluster", "claim_link")
                },
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
                    "claim_links": n_links,
                    "claims_by_type": dict(sorted(by_type.items())),
                    "documents_by_status": dict(sorted(by_status.items())),
                    "input_files": len(files),
                    "input_files_from_cache": self.n_cached_files,
                },
                "duration_s": round(time.monotonic() - started, 3),
                # Where the time went: reading, NLP, validating and writing, then linking
                # claims across sources and clustering them.
                "stage_durations_s": {
                    "extract": round(extracted - started, 3),
                    "link": round(clustered - extracted, 3),
                },
            }
        )
        return summary
