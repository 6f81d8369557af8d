"""Load the lexicons and token patterns shipped as data files in ``extract/patterns/``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.pipeline import SpanRuler

PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"


def pattern_path(name: str) -> Path:
    """Resolve a lexicon name: a bare file name is looked up in ``extract/patterns/``."""
    path = Path(name)
    return path if path.is_absolute() or path.exists() else PATTERNS_DIR / name


@cache
def load_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    """Read a JSONL file of spaCy ruler patterns (one object per line, blank lines skipped)."""
    rows: list[dict[str, Any]] = []
    with pattern_path(name).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
    return tuple(rows)


@cache
def load_json(name: str) -> Any:
    with pattern_path(name).open(encoding="utf-8") as handle:
        return json.load(handle)


def lexicon_ruler(nlp: Language, name: str, *, spans_key: str, lexicon: str) -> SpanRuler:
    """A spaCy ``SpanRuler`` filled from a lexicon file, matching phrases case-insensitively."""
    ruler = SpanRuler(
        nlp,
        name,
        spans_key=spans_key,
        phrase_matcher_attr="LOWER",
        validate=True,
        overwrite=True,
    )
    # Phrase patterns match on LOWER, so they need only the tokenizer: switch the other
    # components off while the ruler turns the phrases into Docs (it would run them all).
    # Copies, so the cached lexicon rows are never mutated by the ruler.
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns([dict(row) for row in load_jsonl(lexicon)])
    return ruler
