"""Claim typing, and the component that turns each sentence into a plain analysis record.

Types come from cue lexicons (``patterns/claim_type_cues.jsonl``) read through the parse:
a study finding needs a *specific* study (a determiner or year on "study", experimental
subjects, or a finding verb with a citation), not "trials have shown"; onset needs an onset
expression; route needs a route term. Several types are allowed; the first is the primary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .attribution import ATTRIBUTIONS_ATTR
from .citation_markers import CitationMarker
from .citations import markers_of
from .claimhood import SentenceContext, non_claim_reason
from .hedging import first_hedge_cue
from .lexicons import lexicon_ruler
from .onset import onsets_of
from .onset_expressions import OnsetExpression
from .routes import routes_in
from .segmentation import LINE_BREAK, SEGMENTS_ATTR

SENTENCES_ATTR = "claimset_sentences"
TYPE_CUES_KEY = "claimset_type_cues"
NON_CLAIM_CUES_KEY = "claimset_non_claim_cues"

CLAIM_TYPES = (
    "mechanism", "route", "onset", "study_finding", "efficacy", "safety", "dosage",
    "epidemiology", "regulatory", "history", "other",
)  # fmt: skip
CORE_TYPES = ("mechanism", "route", "onset", "study_finding")
# Primary type: the most specific statement wins.
PRIMARY_ORDER = (
    "study_finding", "mechanism", "onset", "route", "dosage", "safety", "efficacy",
    "epidemiology", "regulatory", "history", "other",
)  # fmt: skip
_TOPIC_TYPES = frozenset(PRIMARY_ORDER) - {"study_finding", "onset", "route", "other"}
_STUDY_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "another", "one", "each"})
_STUDY_MODIFIERS = frozenset(
    {"recent", "latest", "new", "preliminary", "small", "large", "pilot", "landmark",
     "different", "randomized", "randomised", "controlled", "clinical", "published"}
)  # fmt: skip
_LIST_ITEM_PREFIX = ("-", "*", "•", "·", "–")


def _is_specific_study(token_index: int, doc: Doc, markers: Sequence[CitationMarker]) -> bool:
    """'a study', 'A 2016 study', 'study [86]', 'the trial': one identifiable study."""
    token = doc[token_index]
    if token.tag_ and token.tag_ not in {"NN", "NNP"}:
        return False
    for child in token.children:
        if child.lower_ in _STUDY_DETERMINERS and child.dep_ in {"det", "nummod", "predet"}:
            return True
        if child.lower_ in _STUDY_MODIFIERS or child.like_num:
            return True
    following = token.idx + len(token.text)
    return any(following <= m.start <= following + 1 for m in markers)


def classify_types(
    sentence: Span,
    cue_starts: dict[str, list[int]],
    *,
    onsets: Sequence[OnsetExpression],
    routes: Sequence[str],
    markers: Sequence[CitationMarker],
) -> list[str]:
    """The claim types of one claim sentence, primary first (never empty)."""
    doc = sentence.doc
    found: set[str] = {label for label in cue_starts if label in _TOPIC_TYPES}
    subjects = [i for i in cue_starts.get("STUDY_SUBJECT", ()) if doc[i].pos_ != "VERB"]
    specific = any(_is_specific_study(i, doc, markers) for i in cue_starts.get("STUDY_NOUN", ()))
    reference_numbers = any(m.numbers for m in markers)
    if subjects or specific or (cue_starts.get("FINDING_VERB") and reference_numbers):
        found.add("study_finding")
    if onsets:
        found.add("onset")
    if routes:
        found.add("route")
    if not found:
        found.add("other")
    return [t for t in PRIMARY_ORDER if t in found]


def _cue_starts(spans: Iterable[Span], start: int, end: int) -> dict[str, list[int]]:
    starts: dict[str, list[int]] = defaultdict(list)
    for span in spans:
        if start <= span.start_char and span.end_char <= end:
            starts[span.label_].append(span.start)
    return starts


def _context(doc: Doc, start: int, end: int, markers: Sequence[CitationMarker]) -> SentenceContext:
    text = doc.text
    line_start = (
        max((m.end() for m in LINE_BREAK.finditer(text, 0, start)), default=0) if start else 0
    )
    next_break = LINE_BREAK.search(text, end)
    line_end = next_break.start() if next_break else len(text)
    before = text[line_start:start].strip()
    after = text[end:line_end].strip()
    line = text[line_start:line_end].strip()
    return SentenceContext(
        text=text[start:end],
        line_text=line,
        is_whole_line=not before and not after,
        is_line_end=not after,
        list_item=(bool(before) and before[0] in _LIST_ITEM_PREFIX)
        or bool(before[:-1].isdigit() and before.endswith((".", ")"))),
        markdown_heading=before.startswith("#"),
        marker_spans=[
            (max(m.start, start) - start, min(m.end, end) - start)
            for m in markers
            if m.start < end and m.end > start
        ],
    )


def analyse_sentences(doc: Doc) -> list[dict[str, Any]]:
    """One plain record per sentence: claimhood, types, citation, hedge, route, onset."""
    segments: Sequence[tuple[int, int]] = doc._.get(SEGMENTS_ATTR) or []
    attributions: Sequence[str | None] = doc._.get(ATTRIBUTIONS_ATTR) or [None] * len(segments)
    markers = markers_of(doc)
    onsets = onsets_of(doc)
    type_cues = list(doc.spans.get(TYPE_CUES_KEY, []))
    non_claim_cues = list(doc.spans.get(NON_CLAIM_CUES_KEY, []))
    has_tagger = doc.has_annotation("TAG")
    records: list[dict[str, Any]] = []
    for index, (start, end) in enumerate(segments):
        sentence = doc.char_span(start, end, alignment_mode="expand")
        if sentence is None:
            continue
        inside = [m for m in markers if m.start >= start and m.end <= end]
        context = _context(doc, start, end, inside)
        reason = non_claim_reason(
            sentence, context, _cue_starts(non_claim_cues, start, end), has_tagger=has_tagger
        )
        sentence_onsets = [o for o in onsets if o.start >= start and o.end <= end]
        routes = routes_in(doc, start, end)
        types = (
            classify_types(
                sentence,
                _cue_starts(type_cues, start, end),
                onsets=sentence_onsets,
                routes=routes,
                markers=inside,
            )
            if reason is None
            else []
        )
        first_onset = sentence_onsets[0] if sentence_onsets else None
        records.append(
            {
                "sentence_index": index,
                "char_start": start,
                "char_end": end,
                "is_claim": reason is None,
                "non_claim_reason": reason,
                "claim_types": types,
                "citation_markers": [m.marker for m in inside],
                "citation_numbers": [n for m in inside for n in m.numbers],
                "has_citation": bool(inside),
                "hedge_cue": first_hedge_cue(doc, start, end),
                "attributed_to": attributions[index] if index < len(attributions) else None,
                "routes": routes if "route" in types else [],
                "onset_text": first_onset.text if first_onset else None,
                "onset_min_s": first_onset.min_s if first_onset else None,
                "onset_max_s": first_onset.max_s if first_onset else None,
            }
        )
    return records


class ClaimClassifier:
    """Writes :func:`analyse_sentences` output to ``doc._.claimset_sentences``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        if not Doc.has_extension(SENTENCES_ATTR):
            Doc.set_extension(SENTENCES_ATTR, default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(SENTENCES_ATTR, analyse_sentences(doc))
        return doc


@Language.factory(
    "claimset_claims",
    assigns=[f"doc._.{SENTENCES_ATTR}"],
    requires=[f"doc._.{SEGMENTS_ATTR}"],
)
def make_claim_classifier(nlp: Language, name: str) -> ClaimClassifier:
    return ClaimClassifier(nlp, name)


@Language.factory(
    "claimset_type_cues",
    default_config={"spans_key": TYPE_CUES_KEY, "lexicon": "claim_type_cues.jsonl"},
    assigns=["doc.spans"],
)
def make_type_cue_ruler(nlp: Language, name: str, spans_key: str, lexicon: str) -> Any:
    return lexicon_ruler(nlp, name, spans_key=spans_key, lexicon=lexicon)


@Language.factory(
    "claimset_non_claim_cues",
    default_config={"spans_key": NON_CLAIM_CUES_KEY, "lexicon": "non_claim_cues.jsonl"},
    assigns=["doc.spans"],
)
def make_non_claim_cue_ruler(nlp: Language, name: str, spans_key: str, lexicon: str) -> Any:
    return lexicon_ruler(nlp, name, spans_key=spans_key, lexicon=lexicon)
