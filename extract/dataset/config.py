"""The one frozen configuration of a build, and its fingerprint."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from extract import __version__
from extract.links.fact_terms import terms_digest as facts_terms_digest
from extract.nlp.attrs import DEFAULT_MODEL
from extract.tables.contract import schema_digest

# Characters per piece of a long text sent to the NLP pass (see BuildConfig).
PIECE_CHARS = 20_000
BATCH_CHARS = 100_000
# Bumped whenever rules or lexicons change what is extracted, so caches and ids can tell.
RULESET_VERSION = "claimset-rules.v9"
EXTRACTOR_VERSION = f"claimset {__version__} ({RULESET_VERSION})"


@dataclass(frozen=True)
class BuildConfig:
    """Everything that decides what a build extracts, plus how it runs."""

    model: str = DEFAULT_MODEL
    # Corpus files (JSONL, CSV, Parquet): which columns hold the text and the row id.
    text_column: str = "text"
    id_column: str | None = "id"
    # How the work runs; not part of the fingerprint (results do not depend on it).
    n_process: int = field(default=1, compare=False)
    batch_size: int = field(default=16, compare=False)
    # Characters per spaCy batch (a longer piece goes alone): bounds the parser's memory.
    batch_chars: int = field(default=BATCH_CHARS, compare=False)
    # Longer texts are processed in pieces cut at line breaks (paragraphs first); sentences
    # never cross a line break. spaCy's parser and NER need memory and time per character
    # of a Doc that grow faster than its length: 20,000-character pieces keep a 3 MB page's
    # cost per MB and peak memory those of an ordinary page. None: the model's max_length.
    max_chars_per_doc: int | None = field(default=PIECE_CHARS, compare=False)
    # "local" (this machine, --n-process workers) or "dask" (a Dask cluster; same results).
    engine: str = field(default="local", compare=False)
    scheduler: str | None = field(default=None, compare=False)

    def extraction_settings(self) -> dict[str, str]:
        return {
            "claimset_version": __version__,
            "ruleset": RULESET_VERSION,
            "model": self.model,
            "schema": schema_digest(),
            "fact_terms": facts_terms_digest(),
            "text_column": self.text_column,
            "id_column": str(self.id_column),
        }

    def fingerprint(self, model_version: str = "") -> str:
        """sha256 of the settings that decide the output (and the model's version)."""
        payload = {**self.extraction_settings(), "model_version": model_version}
        blob = json.dumps(payload, sort_keys=True).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    def as_dict(self) -> dict[str, object]:
        return asdict(self)
