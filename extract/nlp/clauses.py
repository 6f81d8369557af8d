"""Clause-level claims: one sentence, two checkable statements.

"The effects appear in seconds when given IV, whereas it takes up to four minutes when given
IM" states two onsets for two routes. When a sentence joins two clauses, each with its own
subject and verb, and they differ in what they assert (routes, onset ranges or core claim
types), each clause becomes its own claim, still span-exact.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from spacy.tokens import Span, Token

# Words that join two full clauses; a comma or semicolon must come right before them.
CLAUSE_CONNECTORS = frozenset({"whereas", "whilst", "while", "but", "although", "however"})
_MIN_CLAUSE_WORDS = 4


def _has_own_predicate(tokens: Span) -> bool:
    """A subject whose verb is inside the same stretch of tokens."""
    for token in tokens:
        if token.dep_ in {"nsubj", "nsubjpass", "expl"}:
            head = token.head
            if tokens.start <= head.i < tokens.end and head.pos_ in {"VERB", "AUX"}:
                return True
    return False


def _word_count(tokens: Span) -> int:
    return sum(1 for t in tokens if not (t.is_punct or t.is_space))


def _boundaries(sentence: Span) -> list[Token]:
    """Connector tokens preceded by a comma or semicolon; a bare semicolon also counts."""
    found: list[Token] = []
    for token in sentence[1:]:
        previous = token.doc[token.i - 1]
        if token.lower_ in CLAUSE_CONNECTORS and previous.text in {",", ";"}:
            found.append(previous)
        elif token.text == ";" and token.i + 1 < sentence.end:
            found.append(token)
    return found


def split_clauses(
    sentence: Span, signature: Callable[[int, int], Hashable | None]
) -> list[tuple[int, int]]:
    """Character spans of the sentence's claims: the whole sentence, or its clauses.

    ``signature(start, end)`` summarises what a stretch of text asserts (e.g. its routes,
    onset ranges and core types), or returns None when it asserts nothing typed; clauses
    are split off only where both sides have a signature and the two differ.
    """
    whole = [(sentence.start_char, sentence.end_char)]
    if not sentence.doc.has_annotation("DEP"):
        return whole
    spans: list[tuple[int, int]] = []
    left_start = sentence.start
    for boundary in _boundaries(sentence):
        left = sentence.doc[left_start : boundary.i]
        right = sentence.doc[boundary.i + 1 : sentence.end]
        if min(_word_count(left), _word_count(right)) < _MIN_CLAUSE_WORDS:
            continue
        if not (_has_own_predicate(left) and _has_own_predicate(right)):
            continue
        left_sig = signature(left.start_char, left.end_char)
        right_sig = signature(right.start_char, right.end_char)
        if left_sig is None or right_sig is None or left_sig == right_sig:
            continue
        spans.append((left.start_char, left.end_char))
        left_start = boundary.i + 1
    if not spans:
        return whole
    last = sentence.doc[left_start : sentence.end]
    spans.append((last.start_char, sentence.end_char))
    return spans
