"""Doc → plain sentence and claim records: the last step of the NLP pass.

Each sentence gets a claim/non-claim decision with its reason. A claim sentence yields one
claim, or one per clause when it joins statements that differ (see :mod:`extract.nlp.clauses`).
Every value is plain data (ints, strings, lists, dicts) so it survives ``n_process > 1``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.nlp.attribution import ATTRIBUTIONS_ATTR
from extract.nlp.attrs import DOC_STATS_ATTR, SENTENCES_ATTR
from extract.nlp.citation_markers import CitationMarker
from extract.nlp.citations import markers_of
from extract.nlp.claim_types import CORE_TYPES, NON_CLAIM_CUES_KEY, TYPE_CUES_KEY, classify_types
from extract.nlp.claimhood import SentenceContext, non_claim_reason
from extract.nlp.clauses import split_clauses
from extract.nlp.doc_index import DocIndex, LineIndex, RangeIndex
from extract.nlp.entities import entities_in
from extract.nlp.hedging import first_hedge_cue
from extract.nlp.negation import negation_cue
from extract.nlp.onset import onsets_of
from extract.nlp.onset_expressions import OnsetExpression
from extract.nlp.page_structure import PageLists, page_lists
from extract.nlp.routes import routes_in
from extract.nlp.segmentation import LINE_BREAK, SEGMENTS_ATTR
from extract.nlp.spam import count_spam_phrases, spam_spans
from extract.nlp.structure import claim_structure

_LIST_ITEM_PREFIX = ("-", "*", "•", "·", "–")


def _cue_starts(
    spans: Sequence[Span], spam: Sequence[tuple[int, int, str]]
) -> dict[str, list[int]]:
    """Cue label → token starts, leaving out cues inside pasted spam text."""
    starts: dict[str, list[int]] = defaultdict(list)
    # A cue labelled NOT_<label> vetoes the <label> cues it overlaps ("after a single dose" is
    # when, not how much: NOT_dosage over "dose").
    vetoes = [(s.label_[4:], s.start, s.end) for s in spans if s.label_.startswith("NOT_")]
    for span in spans:
        if span.label_.startswith("NOT_"):
            continue
        if any(s <= span.start_char and span.end_char <= e for s, e, _ in spam):
            continue
        if any(label == span.label_ and s < span.end and span.start < e for label, s, e in vetoes):
            continue
        starts[span.label_].append(span.start)
    return starts


# How far past a line's end a reference number alone on the next line may start.
_CITED_BELOW_REACH = 8


def _context(
    text: str,
    lines: LineIndex,
    start: int,
    end: int,
    markers: Sequence[CitationMarker],
    lists: PageLists,
    cited_below: Callable[[int], bool] | None = None,
) -> SentenceContext:
    line_start, line_end = lines.line_of(start, end)
    item = lists.items.get(line_start)
    before = text[line_start:start].strip()
    after = text[end:line_end].strip()
    numbered = before[:-1].isdigit() and before.endswith((".", ")"))
    return SentenceContext(
        text=text[start:end],
        line_text=text[line_start:line_end].strip(),
        is_whole_line=not before and not after,
        is_line_end=not after,
        list_item=(bool(before) and before[0] in _LIST_ITEM_PREFIX) or numbered,
        markdown_heading=before.startswith("#"),
        marker_spans=[(m.start - start, m.end - start) for m in markers],
        fact_item_type=item.claim_type if item is not None else None,
        leads_in_list=line_start in lists.lead_in_lines and not after,
        cited_below=not after and cited_below is not None and cited_below(line_end),
    )


class _DocFeatures:
    """Everything the detectors stored on a Doc, indexed for lookups by character range."""

    def __init__(self, doc: Doc, index: DocIndex | None = None) -> None:
        self.doc = doc
        self.index = index or DocIndex(doc)
        self.text = self.index.text
        self.lines = LineIndex(
            self.text, [(m.start(), m.end()) for m in LINE_BREAK.finditer(self.text)]
        )
        self.lists = page_lists(self.text, self.lines.lines())
        self.markers = RangeIndex(markers_of(doc), lambda m: m.start)
        self.onsets = RangeIndex(onsets_of(doc), lambda o: o.start)

    def cited_below(self, line_end: int) -> bool:
        """Whether the line ending at ``line_end`` is followed by a reference number alone on
        the next line (DrugBank: "…amnestic effects", "15", ",", "16", "."): the sentence
        goes on past its references to its stop."""
        following = self.markers.starting_in(line_end, line_end + _CITED_BELOW_REACH)
        if not following or following[0].style != "orphan_line":
            return False
        gap = self.text[line_end : following[0].start]
        return not gap.strip() and gap.count("\n") == 1

    def markers_in(self, start: int, end: int) -> list[CitationMarker]:
        return [m for m in self.markers.starting_in(start, end) if m.end <= end]

    def onsets_in(self, start: int, end: int) -> list[OnsetExpression]:
        return [o for o in self.onsets.starting_in(start, end) if o.end <= end]

    def cues_in(self, key: str, start: int, end: int) -> list[Span]:
        """Cue spans inside the range, by start offset (then the ruler's order)."""
        return sorted(self.index.inside(key, start, end), key=lambda span: span.start_char)

    def spam_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        return spam_spans(self.doc, start, end, self.index)

    def typed(self, start: int, end: int, markers: Sequence[CitationMarker]) -> dict[str, Any]:
        """Types, routes and onset of one claim span."""
        doc = self.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        spam = self.spam_in(start, end)
        onsets = [
            o
            for o in self.onsets_in(start, end)
            if not any(s <= o.start and o.end <= e for s, e, _ in spam)
        ]
        routes = routes_in(doc, start, end, [(s, e) for s, e, _ in spam], self.index)
        types = classify_types(
            span if span is not None else doc[0:0],
            _cue_starts(self.cues_in(TYPE_CUES_KEY, start, end), spam),
            onsets=onsets,
            routes=routes,
            markers=markers,
        )
        return {"types": types, "routes": routes, "onsets": onsets, "spam": spam, "span": span}

    def signature(self, start: int, end: int) -> Hashable | None:
        """What a stretch of a sentence asserts, for deciding whether to split clauses."""
        typed = self.typed(start, end, self.markers_in(start, end))
        core = tuple(t for t in typed["types"] if t in CORE_TYPES)
        if not core:
            return None
        ranges = tuple((o.min_s, o.max_s) for o in typed["onsets"])
        return core, tuple(typed["routes"]), ranges


def _claim_record(
    features: _DocFeatures,
    start: int,
    end: int,
    clause_index: int,
    markers: Sequence[CitationMarker],
    item_type: str | None = None,
    whole_types: list[str] | None = None,
) -> dict[str, Any]:
    doc = features.doc
    typed = features.typed(start, end, markers)
    # A piece of a wrapped sentence has the whole sentence's types.
    types: list[str] = list(whole_types) if whole_types is not None else typed["types"]
    if item_type is not None and set(types) <= {"other"}:
        # Nothing in the item itself says what it is: its list's lead-in does.
        types = [item_type]
    onsets: list[OnsetExpression] = typed["onsets"]
    # A measured range says more than a qualitative word ("rapid … within hours").
    measured = [o for o in onsets if not o.qualitative]
    chosen = measured or onsets
    first_onset = chosen[0] if chosen else None
    structure = claim_structure(typed["span"]) if typed["span"] is not None else None
    return {
        "clause_index": clause_index,
        "char_start": start,
        "char_end": end,
        "claim_types": types,
        "citation_markers": [m.marker for m in markers],
        "citation_numbers": [n for m in markers for n in m.numbers],
        "has_citation": bool(markers),
        "hedge_cue": first_hedge_cue(doc, start, end, features.index),
        "negation_cue": negation_cue(doc, start, end, features.index),
        "routes": typed["routes"] if "route" in types else [],
        "onset_text": first_onset.text if first_onset else None,
        "onset_min_s": first_onset.min_s if first_onset else None,
        "onset_max_s": first_onset.max_s if first_onset else None,
        "spam_text": [text for _, _, text in typed["spam"]],
        "entities": entities_in(doc, start, end, features.index),
        "agent": structure.agent if structure else None,
        "relation": structure.relation if structure else None,
        "target": structure.target if structure else None,
        "population": structure.population if structure else None,
        "design": structure.design if structure else None,
    }


_TERMINAL_END = re.compile(r"[.!?:;…][\"”’')\]*]*$")
# Lines wrapped at a fixed width are long; a short unpunctuated line is a label or heading.
_WRAPPED_LINE_MIN_CHARS = 40


def wrapped_sentences(text: str, segments: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each segment, the range of the sentence it belongs to when a page wraps its lines
    at a fixed width (a book, a mail): a segment ending a line without a closing stop,
    continued at the start of the very next line by a lower-case word, is one sentence with
    it. Otherwise the segment's own range."""
    ranges = list(segments)
    first = 0
    while first < len(segments):
        last = first
        while last + 1 < len(segments) and _continues(text, segments[last], segments[last + 1]):
            last += 1
        for k in range(first, last + 1):
            ranges[k] = (segments[first][0], segments[last][1])
        first = last + 1
    return ranges


def _continues(text: str, piece: tuple[int, int], following: tuple[int, int]) -> bool:
    gap = text[piece[1] : following[0]]
    if gap.count("\n") != 1 or gap.strip():
        return False  # not the very next line, or not the end of this one
    line_start = text.rfind("\n", 0, piece[0]) + 1
    line = text[line_start : piece[1]]
    if len(line) < _WRAPPED_LINE_MIN_CHARS or line.lstrip()[:1] in ("-", "*", "#", "|", ">"):
        return False
    if _TERMINAL_END.search(text[piece[0] : piece[1]]):
        return False
    return text[following[0]].islower()


def _verdict(
    features: _DocFeatures,
    span: Span,
    start: int,
    end: int,
    markers: Sequence[CitationMarker],
    has_tagger: bool,
) -> tuple[str | None, SentenceContext]:
    """Why the text in ``start:end`` is not a claim (None: it is one), and its context."""
    context = _context(
        features.text, features.lines, start, end, markers, features.lists, features.cited_below
    )
    spam = features.spam_in(start, end)
    reason = non_claim_reason(
        span,
        context,
        _cue_starts(features.cues_in(NON_CLAIM_CUES_KEY, start, end), spam),
        has_tagger=has_tagger,
    )
    return reason, context


def _whole_verdict(
    features: _DocFeatures, whole_range: tuple[int, int], has_tagger: bool
) -> tuple[str | None, SentenceContext, list[str]]:
    """Claim or not, the context, and the types of a sentence wrapped across lines."""
    start, end = whole_range
    span = features.doc.char_span(start, end, alignment_mode="expand")
    markers = features.markers_in(start, end)
    if span is None:
        context = _context(
            features.text, features.lines, start, end, markers, features.lists, features.cited_below
        )
        return "fragment", context, []
    reason, context = _verdict(features, span, start, end, markers, has_tagger)
    return reason, context, features.typed(start, end, markers)["types"]


def analyse_sentences(doc: Doc, doc_index: DocIndex | None = None) -> list[dict[str, Any]]:
    """One plain record per sentence, holding its claims (none for a non-claim)."""
    segments: Sequence[tuple[int, int]] = doc._.get(SEGMENTS_ATTR) or []
    attributions: Sequence[str | None] = doc._.get(ATTRIBUTIONS_ATTR) or []
    features = _DocFeatures(doc, doc_index)
    has_tagger = doc.has_annotation("TAG")
    records: list[dict[str, Any]] = []
    judged = wrapped_sentences(features.text, segments)
    # A wrapped sentence's verdict and types, worked out once for all its pieces.
    verdicts: dict[tuple[int, int], tuple[str | None, SentenceContext, list[str]]] = {}
    for index, (start, end) in enumerate(segments):
        sentence = doc.char_span(start, end, alignment_mode="expand")
        if sentence is None:
            continue
        markers = features.markers_in(start, end)
        # A piece of a sentence wrapped across lines is judged, and typed, as the whole
        # sentence ("…one of the most prescribed" / "medicines in the world.").
        whole_range = judged[index]
        whole_types: list[str] | None = None
        if whole_range != (start, end) and whole_range not in verdicts:
            verdicts[whole_range] = _whole_verdict(features, whole_range, has_tagger)
        if whole_range in verdicts:
            reason, context, whole_types = verdicts[whole_range]
        else:
            reason, context = _verdict(features, sentence, start, end, markers, has_tagger)
        claims: list[dict[str, Any]] = []
        if reason is None and whole_types is not None:
            claims.append(
                _claim_record(features, start, end, 0, markers, context.fact_item_type, whole_types)
            )
        elif reason is None:
            clauses = split_clauses(sentence, features.signature)
            for clause_index, (clause_start, clause_end) in enumerate(clauses):
                own = features.markers_in(clause_start, clause_end)
                # A reference closing the sentence covers each of its clauses.
                clause_markers = own if own or len(clauses) == 1 else markers
                claims.append(
                    _claim_record(
                        features,
                        clause_start,
                        clause_end,
                        clause_index,
                        clause_markers,
                        context.fact_item_type,
                    )
                )
        records.append(
            {
                "sentence_index": index,
                "char_start": start,
                "char_end": end,
                "is_claim": reason is None,
                "non_claim_reason": reason,
                "attributed_to": attributions[index] if index < len(attributions) else None,
                "citation_markers": [m.marker for m in markers],
                "citation_numbers": [n for m in markers for n in m.numbers],
                "has_citation": bool(markers),
                "claims": claims,
            }
        )
    return records


def document_stats(
    doc: Doc, sentences: Sequence[dict[str, Any]], index: DocIndex | None = None
) -> dict[str, int]:
    return {
        "n_chrome_lines": sum(1 for s in sentences if s["non_claim_reason"] == "chrome"),
        "n_spam_phrases": count_spam_phrases(doc, index),
    }


class ClaimAnalyser:
    """Writes :func:`analyse_sentences` and document counts onto the Doc.

    With ``drop_intermediate`` (the default) the detectors' span groups and the token
    vectors are released once the claims are out: the records hold everything, and Docs
    then cross process boundaries (``n_process > 1``) several times cheaper.
    """

    def __init__(self, nlp: Language, name: str, *, drop_intermediate: bool = True) -> None:
        self.name = name
        self.drop_intermediate = drop_intermediate
        for attr in (SENTENCES_ATTR, DOC_STATS_ATTR):
            if not Doc.has_extension(attr):
                Doc.set_extension(attr, default=None)

    def __call__(self, doc: Doc) -> Doc:
        index = DocIndex(doc)
        sentences = analyse_sentences(doc, index)
        doc._.set(SENTENCES_ATTR, sentences)
        doc._.set(DOC_STATS_ATTR, document_stats(doc, sentences, index))
        if self.drop_intermediate:
            for key in [k for k in doc.spans if k.startswith("claimset_")]:
                del doc.spans[key]
            doc.tensor = numpy.zeros((len(doc), 0), dtype="float32")
        return doc


@Language.factory(
    "claimset_claims",
    default_config={"drop_intermediate": True},
    assigns=[f"doc._.{SENTENCES_ATTR}", f"doc._.{DOC_STATS_ATTR}"],
    requires=[f"doc._.{SEGMENTS_ATTR}"],
)
def make_claim_analyser(nlp: Language, name: str, drop_intermediate: bool) -> ClaimAnalyser:
    return ClaimAnalyser(nlp, name, drop_intermediate=drop_intermediate)
