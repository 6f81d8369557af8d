"""Typed entity mentions (drugs, targets, conditions, study designs...) with canonical names.

The terms live in ``patterns/entities.jsonl``, one spaCy span-ruler pattern a line: a phrase
(matched case-insensitively on LOWER) or a token pattern (used for case-sensitive acronyms such
as "PET" or "GAD" and for words that need a neighbour to be an entity), labelled with one of
``LABELS`` and carrying the canonical name as its id. Spun synonyms are listed as their own
phrases with the canonical id of the term they replace ("Continual agony" → chronic pain,
"main depressive ailment" → major depressive disorder, "mechanistic focus on of rapamycin" →
mTOR).

Canonical names. Lowercase, singular, spelled out, American spelling: "depression", "chronic
pain", "post-traumatic stress disorder" (for PTSD), "major depressive disorder" (MDD),
"treatment-resistant depression" (TRD), "selective serotonin reuptake inhibitor" (SSRIs),
"randomized controlled trial" (RCT), "magnetic resonance imaging" (MRI), "prefrontal cortex"
(PFC), "rat", "mouse", "patient", "norepinephrine" (noradrenaline), "esketamine" (Spravato:
brand names map to the generic). The one exception is molecular symbols, which keep their
conventional case: receptors, proteins, genes and pathways ("NMDA receptor", "AMPA receptor",
"mGluR5", "mTOR", "mTORC1", "BDNF", "TrkB", "PSD-95", "5-HT2A receptor", "GABA-A receptor"),
the neurotransmitter "GABA", and drugs whose everyday name is a chemical abbreviation ("MDMA",
"LSD", "DMT"). A generic term and a specific one stay apart: "depression" for the generic
mentions, "major depressive disorder" for MDD and its spun variants.

Overlaps: the ruler keeps every match; ``entities_in`` keeps the longest span (then the
earliest), so "respiratory depression" beats "depression", "NMDA receptor" beats "NMDA",
"glutamate receptors" beats "glutamate" and "put up-traumatic anxiety disorder" beats "anxiety".
Compound populations ("patients with TRD") are deliberately not entries: longest-match would
swallow the condition inside them, so the population and the condition are reported apart.

Context words. A few words are entities only next to a particular noun; their token patterns
require that noun, and ``entities_in`` trims the span back to the word itself so the noun can be
its own entity: spun "frustrated topics/subjects/patients" (= depressed subjects) and clean
"depressed patients" give "frustrated"/"depressed" → depression (and "patients" → patient),
while "I felt frustrated" gives nothing. Two mentions are dropped by context: "a depression of
neural interaction" (spun use for a reduction, not the illness), "the Great Depression", "your
PCP" (a primary care physician, not phencyclidine); and a negated context word ("non-depressed
patients") gives no condition. Articles work the same way: "an anesthetic" is a drug,
"sub-anesthetic doses" is not, and the mention reported is "anesthetic" without the article.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extract.nlp.doc_index import DocIndex
from extract.nlp.lexicons import lexicon_ruler

ENTITIES_KEY = "claimset_entities"
LABELS = (
    "DRUG", "TARGET", "NEUROTRANSMITTER", "CONDITION", "SPECIES", "POPULATION", "STUDY_DESIGN",
    "BRAIN_REGION", "ORG_JOURNAL",
)  # fmt: skip

# Words whose token pattern needs the next noun ("frustrated subjects"): report the word alone.
_CONTEXT_HEADS = frozenset({"frustrated", "depressed", "contributors"})
# Articles that a pattern needs before a word that is otherwise an adjective ("an anesthetic"
# is a drug, "anesthetic doses" is not): report the word without the article.
_CONTEXT_ARTICLES = frozenset({"a", "an"})
# "your PCP", "a PCP": a primary care physician, not phencyclidine.
_PCP_OWNERS = frozenset({"your", "my", "his", "her", "their", "our", "a"})


def _trimmed(span: Span) -> Span:
    """Drop the context token a pattern needed but the mention does not include."""
    if len(span) > 1 and span[0].lower_ in _CONTEXT_HEADS:
        return Span(span.doc, span.start, span.start + 1, label=span.label, span_id=span.id)
    if len(span) > 1 and span[0].lower_ in _CONTEXT_ARTICLES:
        return Span(span.doc, span.start + 1, span.end, label=span.label, span_id=span.id)
    return span


def _is_entity_mention(span: Span) -> bool:
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    lower = span.text.lower()
    if lower == "depression" and (
        (before in {"a", "an"} and after == "of") or (before == "great" and span.text[0] == "D")
    ):
        return False
    # "non-depressed patients", "not depressed subjects": the head word negated.
    if span[0].lower_ in _CONTEXT_HEADS:
        prefix = doc[max(span.start - 2, 0) : span.start].text.lower().replace(" ", "")
        if prefix.endswith(("non-", "non", "not", "never")):
            return False
    return not (lower == "pcp" and before in _PCP_OWNERS)


def entities_in(
    doc: Doc, start: int, end: int, index: DocIndex | None = None
) -> list[dict[str, Any]]:
    """Entity mentions lying wholly inside the character range, as plain dicts in text order.

    Each dict holds ``text``, ``label``, ``canonical``, and ``start``/``end`` offsets into the
    document text (``doc.text[start:end] == text``). Overlapping mentions are resolved by
    keeping the longest, then the earliest.
    """
    inside = [
        _trimmed(span)
        for span in (index or DocIndex(doc)).inside(ENTITIES_KEY, start, end)
        if _is_entity_mention(span)
    ]
    return [
        {
            "text": span.text,
            "label": span.label_,
            "canonical": span.id_ or span.text.lower(),
            "start": span.start_char,
            "end": span.end_char,
        }
        for span in sorted(filter_spans(inside), key=lambda s: (s.start_char, s.end_char))
    ]


@Language.factory(
    "claimset_entities",
    default_config={"spans_key": ENTITIES_KEY, "lexicon": "entities.jsonl"},
    assigns=["doc.spans"],
)
def make_entity_detector(nlp: Language, name: str, spans_key: str, lexicon: str) -> SpanRuler:
    return lexicon_ruler(nlp, name, spans_key=spans_key, lexicon=lexicon)
