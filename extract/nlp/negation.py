"""Negation cues: words and phrases that deny a claim's predicate ("does not cause", "no change").

The cue lexicon lives in ``patterns/negation_cues.jsonl``; it also carries the spun forms the
web copy uses ("gained’t" = won't) and the negated auxiliaries as phrases ("does not", "isn't
going to"), so the span group marks them whole.

``negation_cue`` reports one cue per character range, by these rules:

* A phrase that only adds an auxiliary before the negating word ("does not", "was not",
  "cannot") is reported as the negating word; a contraction is reported as the whole written
  word ("wasn't", "don’t", "cannot"), never as the bare "n't".
* A phrase that continues after the negating word is reported whole ("no longer", "no
  evidence", "isn't going to"); so are "lack of", "failed to", "unable to".
* Uses that do not deny anything are skipped: "not only", "not just", "not least", "not to
  mention", "not surprisingly", "if not", "whether or not", a clause-final "or not", "with or
  without", "no matter" (spun "no matter if"), "no doubt", "no wonder", "none other than",
  "nothing but", "No. 5", a sentence-initial "Not like" (spun "Unlike"), and any cue in a
  sentence that is a question.
* "not yet" stays a negation.
* A cue inside a subordinate or relative clause counts as well ("patients who did not
  respond…"): telling the claim's main predicate apart would need a reliable parse, which the
  small models do not give on spun text. Keeping every clause is the simple, predictable choice.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span, Token

from extract.nlp.doc_index import DocIndex
from extract.nlp.lexicons import lexicon_ruler

NEGATION_KEY = "claimset_negation_cues"

# "not only … but also", "not just a drug": the predicate is affirmed, not denied.
_NOT_FOLLOWERS = frozenset(
    {"only", "just", "merely", "simply", "least", "surprisingly", "unlike", "unusual"}
)
# "no matter if", "no doubt", "no wonder": fixed phrases that assert.
_NO_FOLLOWERS = frozenset({"matter", "doubt", "wonder"})
_CLOSERS = "\"”’')]»*"


def _next(token: Token) -> Token | None:
    return token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None


def _prev(token: Token, distance: int = 1) -> Token | None:
    return token.doc[token.i - distance] if token.i - distance >= 0 else None


def _lower(token: Token | None) -> str:
    return token.lower_ if token is not None else ""


def _in_question(token: Token) -> bool:
    if not token.doc.has_annotation("SENT_START"):
        return False
    return token.sent.text.rstrip().rstrip(_CLOSERS).rstrip().endswith("?")


def _is_non_negating(span: Span) -> bool:
    """Fixed phrases and contexts where the cue word does not deny the predicate."""
    word = span[0]
    after, before = _next(word), _prev(word)
    lower = word.lower_
    if _in_question(word):
        return True
    if lower == "not":
        if _lower(after) in _NOT_FOLLOWERS:
            return True
        if _lower(after) == "to" and _lower(_next(after) if after else None) == "mention":
            return True
        if _lower(before) == "if":  # "many, if not most, patients"
            return True
        if _lower(after) == "like" and (before is None or word.is_sent_start):
            return True  # spun "Unlike": "Not like standard antidepressants, ketamine…"
        if _lower(before) == "or":
            # "whether or not", or a clause-final "… works or not."
            return _lower(_prev(word, 2)) == "whether" or after is None or after.is_punct
    if lower == "no":
        if _lower(after) in _NO_FOLLOWERS:
            return True
        # "No. 5", "No 3": the abbreviation for number.
        if word.text == "No" and after is not None:
            following = _next(after) if after.text == "." else after
            if following is not None and following.like_num:
                return True
    if lower == "none" and _lower(after) == "other":  # "none other than"
        return _lower(_next(after) if after else None) == "than"
    if lower == "nothing" and _lower(after) in {"but", "short"}:
        return True
    return lower == "without" and _lower(before) == "or" and _lower(_prev(word, 2)) == "with"


def _written_word(span: Span) -> tuple[int, int]:
    """Widen a cue to the whole written word: "n't" → "wasn't", "not" in "cannot"."""
    doc = span.doc
    first, last = span.start, span.end
    while first > 0 and not doc[first - 1].whitespace_ and doc[first - 1].is_alpha:
        first -= 1
    while last < len(doc) and not doc[last - 1].whitespace_ and doc[last].is_alpha:
        last += 1
    return doc[first].idx, doc[last - 1].idx + len(doc[last - 1])


def _reported_cues(spans: list[Span]) -> list[Span]:
    """One span per cue: auxiliaries before the negator dropped, longer continuations kept."""
    # "does not" also matched "not", which ends where it does: keep the shorter.
    kept = [s for s in spans if not any(o.end == s.end and o.start > s.start for o in spans)]
    # "no" inside "no longer", "n't" inside "isn't going to": keep the longer.
    kept = [
        s
        for s in kept
        if not any(
            o.start <= s.start and s.end <= o.end and (o.start, o.end) != (s.start, s.end)
            for o in kept
        )
    ]
    return sorted(kept, key=lambda s: (s.start, s.end))


def _negator(span: Span) -> Span:
    """The part of a cue to check for non-negating context: from its negating word on."""
    for token in span:
        if token.lower_ in {"n't", "n’t", "nt", "not", "no"}:
            return span.doc[token.i : span.end]
    return span


def negation_cue(doc: Doc, start: int, end: int, index: DocIndex | None = None) -> str | None:
    """The first cue inside the character range that negates a predicate, as written, or None.

    Returns the written word(s) of the cue: "not", "wasn't", "gained’t", "no longer".
    """
    index = index or DocIndex(doc)
    inside = index.inside(NEGATION_KEY, start, end)
    for span in _reported_cues(inside):
        if _is_non_negating(_negator(span)):
            continue
        first, last = _written_word(span)
        return index.text[first:last]
    return None


@Language.factory(
    "claimset_negation",
    default_config={"spans_key": NEGATION_KEY, "lexicon": "negation_cues.jsonl"},
    assigns=["doc.spans"],
)
def make_negation_detector(nlp: Language, name: str, spans_key: str, lexicon: str) -> SpanRuler:
    return lexicon_ruler(nlp, name, spans_key=spans_key, lexicon=lexicon)
