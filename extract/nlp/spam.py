"""Spam: anchor and keyword text pasted into a sentence ("ketamine for sale online", "check here").

The lexicon lives in ``patterns/spam_phrases.jsonl``, drug names included (a drug slot is a
``{"LOWER": {"IN": [...]}}`` token). Its labels:

* ``SPAM``: commercial or anchor phrases that are spam wherever they stand ("buy ketamine
  online", "click here", "free shipping"). Bare "buy ketamine" and bare "cheap" are left out:
  "You cannot buy ketamine legally" and "a cheap generic anaesthetic" are claims.
* ``SPAM_NP``: noun phrases that prose also uses ("online pharmacy", "best price"); spam only
  when no article stands before them ("bought from an online pharmacy" is prose).
* ``SEO_KEYWORD``: the shape of a search keyword, "<drug> (infusion|therapy|…)* for
  <condition>" in lower case. Ordinary prose uses the same words ("prescribe ketamine for
  depression in…"), so it counts as spam only when :func:`pasted_keyword_spans` finds it
  pasted in (see there).

A page title repeated on a line of its own ("Ketamine for Depression") is not spam: nothing
here matches a capitalised title, and a keyword with nothing after it is not pasted into
anything.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span, Token

from extract.nlp.doc_index import DocIndex
from extract.nlp.lexicons import lexicon_ruler

SPAM_KEY = "claimset_spam"

_ARTICLES = frozenset({"a", "an", "the"})
_SENTENCE_END = frozenset({".", "!", "?", "…"})
# After the keyword, capitalised words that can still continue a grammatical sentence.
_CALENDAR = frozenset(
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
     "January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"}
)  # fmt: skip
# Words after which the keyword is an object or complement ("research on ketamine for
# depression", "offering ketamine for depression"): the grammar does not break there.
_GOVERNING_POS = frozenset(
    {"ADP", "DET", "VERB", "AUX", "ADJ", "CCONJ", "SCONJ", "PART", "PRON", "NUM"}
)


def _starts_sentence(keyword: Span) -> bool:
    """Nothing before it, or a sentence end, a line break or a glued reference number."""
    if keyword.start == 0:
        return True
    before = keyword.doc[keyword.start - 1]
    return (
        before.text in _SENTENCE_END
        or "\n" in before.text
        or "\n" in before.whitespace_
        or (before.like_num and before.i > 0 and not keyword.doc[before.i - 1].whitespace_)
    )


def _is_lowercase_keyword(keyword: Span) -> bool:
    """Written as a search keyword: lower case throughout (acronyms such as PTSD allowed)."""
    words = [t.text for t in keyword if t.is_alpha]
    return words[0].islower() and all(w.islower() or w.isupper() for w in words[1:])


def _opens_real_sentence(token: Token) -> bool:
    """A capitalised word right after the keyword, as if the real sentence started there."""
    return (
        token.is_alpha and len(token) > 1 and token.text.istitle() and token.text not in _CALENDAR
    )


def _is_pasted_keyword(keyword: Span) -> bool:
    doc = keyword.doc
    if keyword.end >= len(doc) or not keyword[-1].whitespace_ or "\n" in keyword[-1].whitespace_:
        return False
    if not (_is_lowercase_keyword(keyword) and _opens_real_sentence(doc[keyword.end])):
        return False
    if _starts_sentence(keyword):
        return True
    # Mid-sentence: between a word that does not govern it and a capitalised word.
    before = doc[keyword.start - 1]
    has_tags = doc.has_annotation("POS")
    return before.is_alpha and before.is_lower and has_tags and before.pos_ not in _GOVERNING_POS


def pasted_keyword_spans(
    doc: Doc, start: int, end: int, index: DocIndex | None = None
) -> list[tuple[int, int]]:
    """Character offsets of search keywords pasted into a sentence, inside the range.

    A lower-case keyword "<drug> (infusion|therapy|treatment|clinic…)* for <condition>"
    (``SEO_KEYWORD`` in the lexicon) is pasted text when the next word is capitalised, as if
    the real sentence began there ("…initiative. ketamine infusion for depression Harding
    and her Yale colleagues…"), and either

    * the keyword opens the sentence (nothing before it but a sentence end, a line break or a
      reference number), or
    * it sits between a lower-case word that cannot take it as an object or complement
      (not a preposition, determiner, verb, adjective…) and that capitalised word.

    Precision first: a keyword followed by a lower-case word, punctuation, a line break, a
    weekday or month, or an all-caps word is never flagged.
    """
    found: list[tuple[int, int]] = []
    for span in (index or DocIndex(doc)).inside(SPAM_KEY, start, end):
        if span.label_ != "SEO_KEYWORD":
            continue
        if _is_pasted_keyword(span):
            found.append((span.start_char, span.end_char))
    return sorted(set(found))


def _lexicon_spans(doc: Doc, start: int, end: int, index: DocIndex) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for span in index.inside(SPAM_KEY, start, end):
        if span.label_ == "SPAM" or (
            span.label_ == "SPAM_NP"
            and not (span.start > 0 and doc[span.start - 1].lower_ in _ARTICLES)
        ):
            found.append((span.start_char, span.end_char))
    return found


def spam_spans(
    doc: Doc, start: int, end: int, index: DocIndex | None = None
) -> list[tuple[int, int, str]]:
    """Spam inside the character range as (start, end, text): sorted, overlaps merged."""
    index = index or DocIndex(doc)
    offsets = sorted(
        _lexicon_spans(doc, start, end, index) + pasted_keyword_spans(doc, start, end, index)
    )
    merged: list[tuple[int, int]] = []
    for first, last in offsets:
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return [(first, last, index.text[first:last]) for first, last in merged]


def count_spam_phrases(doc: Doc, index: DocIndex | None = None) -> int:
    """How many separate spam phrases the whole document carries."""
    index = index or DocIndex(doc)
    return len(spam_spans(doc, 0, len(index.text), index))


@Language.factory(
    "claimset_spam",
    default_config={"spans_key": SPAM_KEY, "lexicon": "spam_phrases.jsonl"},
    assigns=["doc.spans"],
)
def make_spam_detector(nlp: Language, name: str, spans_key: str, lexicon: str) -> SpanRuler:
    return lexicon_ruler(nlp, name, spans_key=spans_key, lexicon=lexicon)
