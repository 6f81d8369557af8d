"""Is a sentence a claim? The reasons a sentence is not one, checked in order.

A claim asserts something checkable about the world. Page chrome, headings (and the line
that leads in a list: "Adverse effects include:"), questions, advice, disclaimers,
announcements, testimonials, reference-list entries, cut-off lines and orphan reference
numbers are not claims; each gets a named reason so reviewers can audit it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from extract.nlp.segmentation import CAPTION, REFERENCE_ENTRY

NON_CLAIM_REASONS = (
    "orphan_marker", "question", "chrome", "disclaimer", "reference_entry", "heading",
    "truncated", "announcement", "testimonial", "advice", "imperative", "fragment", "caption",
)  # fmt: skip

FIRST_PERSON_SINGULAR = frozenset({"i", "me", "my", "myself", "mine", "i'm", "i’m", "i've", "i’ve"})
# Nouns a Roman numeral follows ("phase I", "type I", "Schedule I"): then "I" is no person.
NUMBERED_SERIES = frozenset(
    {"phase", "type", "class", "schedule", "stage", "grade", "category", "tier", "level", "part",
     "chapter", "complex", "factor", "bipolar", "war", "act", "section", "title", "appendix"}
)  # fmt: skip
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
_TERMINAL = ".!?…:;"
_TRAILING_CLOSERS = "\"”’')]»*"
_HEADING_MAX_WORDS = 12
# An unpunctuated line this short is a label ("Medical uses", "See also"), not a cut sentence.
_SHORT_LINE_WORDS = 4
_WORD = re.compile(r"[^\W\d_]{2,}")
# "Smith J, Lee K. Title. J Psychiatr Res. 2019;12:34-40." and "doi:" lines.
# "…on cognitive function: a preliminary review." A paper title standing alone.
_PAPER_TITLE = re.compile(
    r":\s+an?\s+(?:[\w-]+\s+){0,3}(?:review|study|trial|analysis|meta-analysis|overview|"
    r"report|series|survey)\W*$",
    re.IGNORECASE,
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
    # The line is an item of a list of facts under a lead-in ("Adverse effects include:",
    # "**Dosage:**"): its claim type, from the lead-in; None when it is not such an item.
    fact_item_type: str | None = None
    # The sentence closes a line that leads in a list ("Adverse effects include:").
    leads_in_list: bool = False
    # The line is followed by a reference number alone on the next line (DrugBank): the
    # sentence's stop comes after its references, so the line end is no cut.
    cited_below: bool = False


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


def _looks_like_title(words: Sequence[str]) -> bool:
    """ALL CAPS, or most longer words capitalised ("Pharmacology and Mechanism of Action")."""
    letters = "".join(words)
    if letters.isupper():
        return True
    long_words = [w for w in words if len(w) > 3 and w[:1].isalpha()]
    capitalised = sum(1 for w in long_words if w[:1].isupper())
    return bool(long_words) and capitalised / len(long_words) >= 0.6


def _advice_directive_is_tail(sentence: Span, cue_start: int) -> bool:
    """A directive after a declarative main clause ("X constitutes Y, so check with…")."""
    root = sentence.root
    if root.i >= cue_start or root.tag_ == "VB":
        return False
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return bool(subjects) and all(s.lower_ not in SECOND_PERSON for s in subjects)


def _is_first_person(token: Token, has_tagger: bool) -> bool:
    """ "I", "me", "my"…, but not the Roman numeral of "phase I metabolism", "Schedule I in
    Canada" or "Bipolar I Disorder" (a noun before it, and no verb or adverb after it)."""
    if token.lower_ not in FIRST_PERSON_SINGULAR:
        return False
    if not has_tagger:
        return True
    if token.pos_ != "PRON":
        return False
    if token.text != "I" or token.i == 0:
        return True
    doc = token.doc
    before = doc[token.i - 1]
    # "paragraph (Schedule) I of the German Drug Law": the series noun may stand just before.
    if any(t.lower_ in NUMBERED_SERIES for t in doc[max(0, token.i - 3) : token.i]):
        return False
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    numeral = before.pos_ in {"NOUN", "PROPN"} and (
        after is None or after.pos_ not in {"VERB", "AUX", "ADV", "PART"}
    )
    return not numeral


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
    if REFERENCE_ENTRY.search(context.text) or _PAPER_TITLE.search(bare):
        return "reference_entry"
    if CAPTION.match(context.line_text):
        return "caption"
    # A reference glued at the very end closes a sentence ("…lead to dependence,three,four").
    ends_with_marker = any(end >= len(context.text.rstrip()) for _, end in context.marker_spans)
    terminated = ends_with_marker or context.cited_below or (bool(bare) and bare[-1] in _TERMINAL)
    words = bare.split()
    has_verb = not has_tagger or any(t.tag_.startswith("VB") or t.tag_ == "MD" for t in sentence)
    # An item of a list of facts is a claim however short ("- Flushing[40]", "- Light: 1 mg").
    fact_item = context.fact_item_type is not None
    if (
        (context.leads_in_list and bare.endswith(":"))
        or context.markdown_heading
        or (
            not fact_item
            and context.is_whole_line
            and not terminated
            and not context.list_item
            and (
                len(words) <= _SHORT_LINE_WORDS
                or (len(words) <= _HEADING_MAX_WORDS and (_looks_like_title(words) or not has_verb))
            )
        )
    ):
        return "heading"
    if context.is_line_end and not terminated and not context.list_item and not fact_item:
        return "truncated"
    if cues.get("ANNOUNCEMENT"):
        return "announcement"
    if cues.get("TESTIMONIAL") or any(_is_first_person(t, has_tagger) for t in sentence):
        return "testimonial"
    if cues.get("ADVICE_ADDRESS"):
        return "advice"
    directive = cues.get("ADVICE_DIRECTIVE")
    if directive and not (has_tagger and _advice_directive_is_tail(sentence, min(directive))):
        return "advice"
    # A label and its value ("- Come up: 5 - 10 minutes") or a one-word item ("- Headache")
    # only looks like a command to the tagger.
    if has_tagger and not fact_item and _is_imperative(sentence):
        return "imperative"
    if len(_WORD.findall(bare)) < (1 if fact_item else 3):
        return "fragment"
    # The small models mis-tag short spun sentences ("Ketamine blocks…" as nouns), so a
    # missing verb tag alone rules out only what is neither a full sentence nor a list item.
    if (
        not has_verb
        and not (terminated and len(words) >= 4)
        and not (context.list_item or fact_item)
    ):
        return "fragment"
    return None
