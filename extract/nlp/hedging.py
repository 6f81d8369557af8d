"""Hedge cues: words and phrases that soften a claim ("may", "suggests", "is thought to").

The cue lexicon lives in ``patterns/hedge_cues.jsonl``. Spun copulas that mean "is" ("can be
a") and plain "can cause" are deliberately absent: they state, not hedge. Phrases labelled
NOT_HEDGE in the same file veto the cues they overlap: permission ("may be taken 3x a day",
"can be injected") and a comparison of risk ("more likely to cause") say nothing uncertain.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span

from extract.nlp.doc_index import DocIndex
from extract.nlp.lexicons import lexicon_ruler

HEDGES_KEY = "claimset_hedges"
NOT_HEDGE_LABEL = "NOT_HEDGE"


def first_hedge_cue(doc: Doc, start: int, end: int, index: DocIndex | None = None) -> str | None:
    """The first hedge cue inside the character range, as written, or ``None``."""
    inside = (index or DocIndex(doc)).inside(HEDGES_KEY, start, end)
    vetoes = [(s.start, s.end) for s in inside if s.label_ == NOT_HEDGE_LABEL]
    for span in sorted(inside, key=lambda s: s.start_char):
        if span.label_ == NOT_HEDGE_LABEL:
            continue
        if any(s < span.end and span.start < e for s, e in vetoes):
            continue
        if not _in_relative_clause(span):
            return str(span.text)
    return None


def _in_relative_clause(span: Span) -> bool:
    """A cue inside a relative clause ("patients who may have…") hedges that clause only."""
    return any(token.dep_ == "relcl" for token in span.root.ancestors) or span.root.dep_ == "relcl"


@Language.factory(
    "claimset_hedges",
    default_config={"spans_key": HEDGES_KEY, "lexicon": "hedge_cues.jsonl"},
    assigns=["doc.spans"],
)
def make_hedge_detector(nlp: Language, name: str, spans_key: str, lexicon: str) -> SpanRuler:
    return lexicon_ruler(nlp, name, spans_key=spans_key, lexicon=lexicon)
