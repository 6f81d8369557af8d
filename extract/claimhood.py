"""Is a sentence a claim? The reasons a sentence is not one, checked in order.

A claim asserts something checkable about the world. Page chrome, headings, questions,
advice, disclaimers, announcements, testimonials, reference-list entries, cut-off lines and
orphan reference numbers are not claims; each gets a named reason so reviewers can audit it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

NON_CLAIM_REASONS = (
    "orphan_marker", "question", "chrome", "disclaimer", "reference_entry", "heading",
    "truncated", "announcement", "testimonial", "advice", "imperative", "fragment",
)  # fmt: skip

FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
FIRST_PERSON_SINGULAR = frozenset({"i", "me", "my", "myself", "mine", "i'm", "i’m", "i've", "i’ve"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
_TERMINAL = ".!?…:;"
_TRAILING_CLOSERS = "\"”’')]»*"
_HEADING_MAX_WORDS = 12
_WORD = re.compile(r"[^\W\d_]{2,}")
# "Smith J, Lee K. Title. J Psychiatr Res. 2019;12:34-40." and "doi:" lines.
_REFERENCE_ENTRY = re.compile(
    r"^(?:[A-Z][\w'’-]+ [A-Z]{1,3},\s*)+(?:[A-Z][\w'’-]+ [A-Z]{1,3}|et al)[.,]"
    r"|\b(?:19|20)\d{2}\s*;\s*\d+|\bdoi:\s*10\.|\bPMID:?\s*\d"
)


@dataclass(frozen=True)
class SentenceContext:
    """Where a sentence sits: its line, whether the line is a list item or heading."""

    text: str  # the sentence, as written
    line_text: str  # the whole line that holds it, stripped
    is_whole_line: bool
    is_line_end: bool
    list_item: bool  # the line opens with a bullet or number ("- ", "* ", "1. ")
    markdown_heading: bool  # the line opens with "#"
    marker_spans: Sequence[tuple[int, int]]  # citation markers, offsets relative to ``text``


def _text_without_trailing_markers(context: SentenceContext) -> str:
    text = context.text
    for start, end in sorted(context.marker_spans, reverse=True):
        if end >= len(text.rstrip(_TRAILING_CLOSERS + " ")):
            text = text[:start]
    return text.rstrip().rstrip(_TRAILING_CLOSERS).rstrip()


def _is_orphan_marker(context: SentenceContext) -> bool:
    remaining = list(context.text)
    for start, end in context.marker_spans:
        remaining[start:end] = [" "] * (end - start)
    return not _WORD.search("".join(remaining))


def _is_predicate(token: Token) -> bool:
    """A finite verb, or a verb the parse makes the head of a clause with a subject."""
    if token.tag_ in FINITE_TAGS:
        return True
    if token.pos_ not in {"VERB", "AUX"}:
        return False
    return token.dep_ == "ROOT" or any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)


def _advice_directive_is_tail(sentence: Span, cue_start: int) -> bool:
    """A directive after a declarative main clause ("X constitutes Y, so check with…")."""
    root = sentence.root
    if root.i >= cue_start or root.tag_ == "VB":
        return False
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return bool(subjects) and all(s.lower_ not in SECOND_PERSON for s in subjects)


def _is_imperative(sentence: Span) -> bool:
    words = [t for t in sentence if not (t.is_punct or t.is_space)]
    if not words:
        return False
    first = words[0]
    if first.tag_ != "VB" or first.lower_ in {"be", "let"}:
        return False
    return not any(child.dep_ in {"nsubj", "nsubjpass", "expl"} for child in first.children)


def non_claim_reason(
    sentence: Span,
    context: SentenceContext,
    cues: Mapping[str, Collection[int]],
    *,
    has_tagger: bool,
) -> str | None:
    """The reason ``sentence`` is not a claim, or ``None`` when it is one.

    ``cues`` maps a non-claim cue label (CHROME, ADVICE_ADDRESS…) to the token indices
    where a cue of that label starts inside the sentence.
    """
    if _is_orphan_marker(context):
        return "orphan_marker"
    bare = _text_without_trailing_markers(context)
    if bare.endswith("?"):
        return "question"
    if sentence.start in cues.get("CHROME", ()) or (
        context.is_whole_line and cues.get("CHROME") and len(_WORD.findall(bare)) <= 6
    ):
        return "chrome"
    if cues.get("DISCLAIMER"):
        return "disclaimer"
    if _REFERENCE_ENTRY.search(context.text):
        return "reference_entry"
    terminated = bool(bare) and bare[-1] in _TERMINAL
    if context.markdown_heading or (
        context.is_whole_line
        and not terminated
        and not context.list_item
        and len(bare.split()) <= _HEADING_MAX_WORDS
    ):
        return "heading"
    if context.is_line_end and not terminated and not context.list_item:
        return "truncated"
    if cues.get("ANNOUNCEMENT"):
        return "announcement"
    if cues.get("TESTIMONIAL") or any(
        t.lower_ in FIRST_PERSON_SINGULAR and (t.pos_ == "PRON" or not has_tagger)
        for t in sentence
    ):
        return "testimonial"
    if cues.get("ADVICE_ADDRESS"):
        return "advice"
    directive = cues.get("ADVICE_DIRECTIVE")
    if directive and not (has_tagger and _advice_directive_is_tail(sentence, min(directive))):
        return "advice"
    if has_tagger and _is_imperative(sentence):
        return "imperative"
    if len(_WORD.findall(bare)) < 3:
        return "fragment"
    if has_tagger and not any(_is_predicate(t) for t in sentence):
        return "fragment"
    return None
