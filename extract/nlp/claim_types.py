"""Claim typing from cue lexicons read through the parse.

Types come from cue lexicons (``patterns/claim_type_cues.jsonl``) read through the parse:
a study finding needs a *specific* study (a determiner or year on "study", experimental
subjects, or a finding verb with a citation), not "trials have shown"; onset needs an onset
expression; route needs a route term. Several types are allowed; the first is the primary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.nlp.citation_markers import CitationMarker
from extract.nlp.lexicons import lexicon_ruler
from extract.nlp.onset_expressions import OnsetExpression

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
_EXPLANATORY_TYPES = frozenset({"mechanism", "study_finding", "history", "regulatory"})
_STUDY_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "another", "one", "each"})
_STUDY_MODIFIERS = frozenset(
    {"recent", "latest", "new", "preliminary", "small", "large", "pilot", "landmark",
     "different", "randomized", "randomised", "controlled", "clinical", "published"}
)  # fmt: skip


def _is_specific_study(token_index: int, doc: Doc, markers: Sequence[CitationMarker]) -> bool:
    """'a study', 'A 2016 study', 'study [86]', 'the trial': one identifiable study."""
    token = doc[token_index]
    counted = any(child.like_num and child.dep_ == "nummod" for child in token.children)
    if counted:
        return True  # "Three studies comparing…", "two trials": identifiable studies
    if token.tag_ and token.tag_ not in {"NN", "NNP"}:
        return False
    for child in token.children:
        if child.lower_ in _STUDY_DETERMINERS and child.dep_ in {"det", "nummod", "predet"}:
            return True
        if child.lower_ in _STUDY_MODIFIERS or child.like_num:
            return True
    following = token.idx + len(token.text)
    return any(following <= m.start <= following + 1 for m in markers)


# A time next to these, in a sentence with no effect in it, is how long a treatment or a trial
# runs ("treatment continues for months", "8-week trials"), not how soon or how long a drug acts.
_TREATMENT_SPANS = frozenset(
    {"treatment", "treatments", "therapy", "detoxification", "course", "period", "periods",
     "trial", "trials", "program", "programme"}
)  # fmt: skip
_EFFECT_WORDS = frozenset(
    {"effect", "effects", "onset", "relief", "response", "peak", "action", "acts", "works",
     "appear", "appears", "felt", "symptoms", "improvement", "sedation", "half-life"}
)  # fmt: skip


def _times_a_treatment(sentence: Span) -> bool:
    words = {t.lower_ for t in sentence}
    return bool(words & _TREATMENT_SPANS) and not words & _EFFECT_WORDS


def _without_treated_harms(doc: Doc, cue_starts: dict[str, list[int]]) -> dict[str, list[int]]:
    """Drop safety cues that are what a treatment acts on ("alleviates withdrawal symptoms",
    "treatment of opioid addiction"): the claim is about a benefit, not a harm."""
    treating = set(cue_starts.get("efficacy", ()))
    harms = cue_starts.get("safety")
    if not treating or not harms:
        return cue_starts
    kept = [i for i in harms if not any(a.i in treating for a in doc[i].ancestors)]
    result = {label: starts for label, starts in cue_starts.items() if label != "safety"}
    if kept:
        result["safety"] = kept
    return result


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
    cue_starts = _without_treated_harms(doc, cue_starts)
    found: set[str] = {label for label in cue_starts if label in _TOPIC_TYPES}
    subjects = [i for i in cue_starts.get("STUDY_SUBJECT", ()) if doc[i].pos_ != "VERB"]
    specific = any(_is_specific_study(i, doc, markers) for i in cue_starts.get("STUDY_NOUN", ()))
    reference_numbers = any(m.numbers for m in markers)
    if subjects or specific or (cue_starts.get("FINDING_VERB") and reference_numbers):
        found.add("study_finding")
    # A qualitative onset ("quick induction") is always the drug's; a measured time may be a
    # treatment's length.
    qualitative = any(o.qualitative for o in onsets)
    if onsets and (qualitative or not _times_a_treatment(sentence)):
        found.add("onset")
    if routes:
        found.add("route")
    # A passing mention of benefit ("its antidepressant action", "benefits") makes an efficacy
    # claim only when the sentence is not already about how, why, when or under what law.
    if cue_starts.get("EFFICACY_WEAK") and not found & _EXPLANATORY_TYPES and not subjects:
        found.add("efficacy")
    if not found:
        found.add("other")
    return [t for t in PRIMARY_ORDER if t in found]


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
