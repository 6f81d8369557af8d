"""Sentence segmentation for scraped health pages.

spaCy's parser merges sentences across line breaks and across reference numbers glued to a
full stop ("…autophagy.82 Besides…"). We segment on characters instead, with rules a careful
reader applies, and hand the result to spaCy as preset sentence starts before the parser runs
(the parser keeps preset boundaries, so the parse never crosses them).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from extract.nlp.citation_markers import CitationMarker
from extract.nlp.citations import markers_of
from extract.nlp.doc_index import RangeIndex

SEGMENTS_ATTR = "claimset_segments"

LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
# Sentence-final punctuation, with closing quotes/brackets that belong to the sentence.
_FINAL_PUNCT = re.compile(r"(?:[.!?…]+|\.\.\.)[\"”’'»)\]]*")
_LEADING_LIST_MARK = re.compile(r"(?:#{1,6}\s+|[-*•·–]\s+|>\s*)+")
# A reference-list entry ("Smith J, Lee K. Title. J Res. 2019;12:34-40.") stays one unit.
REFERENCE_ENTRY = re.compile(
    r"^(?:[A-Z][\w'’-]+ [A-Z]{1,3},\s*)+(?:[A-Z][\w'’-]+ [A-Z]{1,3}|et al)[.,]"
    r"|\b(?:19|20)\d{2}\s*;\s*\d+|\bdoi:\s*10\.|\bPMID:?\s*\d"
)
# "Figure 2. Effects of ketamine…", "Table 1 summarizes…": a caption line stays one unit.
CAPTION = re.compile(
    r"^(?:Figure|Fig\.|Table|Supplementary (?:Figure|Table)|Box|Panel) ?[A-Z]?\d+[a-z]?\b"
)
# The word before a full stop: ASCII letters and dots, opening with a letter ("U.S", "Dr").
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")
_MIXED_CASE_WORD = re.compile(r"[A-Za-z0-9-]+")

# Words after which a full stop rarely ends a sentence. Closed set, lower-case, no final dot.
ABBREVIATIONS = frozenset(
    {
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vs",
        "e.g",
        "i.e",
        "al",
        "fig",
        "figs",
        "no",
        "nos",
        "vol",
        "pp",
        "p",
        "approx",
        "ca",
        "cf",
        "inc",
        "ltd",
        "co",
        "jr",
        "sr",
        "u.s",
        "u.k",
        "e.u",
        "ph.d",
        "m.d",
        "resp",
        "dept",
        "est",
        "eq",
        "ref",
        "refs",
        "sec",
        "ed",
        "eds",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "viz",
        "mt",
        "rev",
        "gen",
        "sgt",
        "capt",
    }
)


def _is_sentence_starter(text: str, index: int) -> bool:
    """Whether the character at ``index`` can open a new sentence."""
    if index >= len(text):
        return False
    char = text[index]
    if char.isupper() or char.isdigit() or char in "“\"‘'«(¿¡[":
        return True
    # Mixed-case names open sentences in lower case: "mTOR was observed…", "iPSCs are…".
    word = _MIXED_CASE_WORD.match(text, index)
    return bool(char.islower() and word and any(c.isupper() for c in word.group(0)[1:]))


def _word_before(text: str, dot_index: int) -> str:
    """The letters-and-dots word that ends at ``dot_index`` ("" if none).

    Walks back from the stop, so the cost is the word's length, not the offset's.
    """
    start = dot_index
    while start > 0 and text[start - 1] in _WORD_CHARS:
        start -= 1
    while start < dot_index and text[start] == ".":
        start += 1
    return text[start:dot_index]


def _ends_with_abbreviation(text: str, dot_index: int) -> bool:
    """Whether the full stop at ``dot_index`` closes an abbreviation or an initial."""
    word = _word_before(text, dot_index)
    if not word:
        return False
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith", "U.S."
        return True
    return word.lower().rstrip(".") in ABBREVIATIONS


def _word_before_len(text: str, dot_index: int) -> int:
    return len(_word_before(text, dot_index))


def _line_spans(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in LINE_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    lead = _LEADING_LIST_MARK.match(text, start, end)
    if lead and lead.end() < end:
        start = lead.end()
    return start, end


def _after_trailing_markers(
    text: str, stop: int, end: int, marker_at: dict[int, CitationMarker]
) -> int:
    """Where a sentence ends once the references after its stop are taken in.

    References after a full stop belong to the sentence before, never open the next one:
    glued ("autophagy.82 Besides"), stacked ("[3][4]") or spaced ("[4] [5]") alike. Only
    bracketed ones may stand after a space: a bare number after a space opens a sentence.
    """
    while True:
        marker = marker_at.get(stop)
        if marker is None:
            gap = stop
            while gap < end and text[gap] in " \t\u00a0":
                gap += 1
            spaced = marker_at.get(gap) if gap > stop else None
            marker = spaced if spaced is not None and spaced.style == "bracket" else None
        if marker is None or marker.style == "author_year" or marker.end > end:
            return stop
        stop = marker.end


def _breaks_in_line(
    text: str, start: int, end: int, markers: Sequence[CitationMarker]
) -> list[int]:
    """Character offsets inside one line where a new sentence starts (``markers``: the
    line's own, those starting inside it)."""
    breaks: list[int] = []
    marker_at = {m.start: m for m in markers}
    for match in _FINAL_PUNCT.finditer(text, start, end):
        stop = match.end()
        if match.group(0) == "." and _ends_with_abbreviation(text, match.start()):
            continue
        stop = _after_trailing_markers(text, stop, end, marker_at)
        gap = stop
        while gap < end and text[gap] in " \t\u00a0":
            gap += 1
        if gap == stop or gap >= end:
            continue
        # Scraped pages often open a sentence in lower case ("…oversight. ketamine infusion
        # for…"); after a full stop that closes no abbreviation, a lower-case word starts one.
        lower_start = (
            match.group(0) == "."
            and text[gap].islower()
            and _word_before_len(text, match.start()) > 1
        )
        if _is_sentence_starter(text, gap) or lower_start:
            if (
                text[gap].isdigit()
                and match.group(0) == "."
                and _ends_with_abbreviation(text, match.start())
            ):
                continue
            breaks.append(gap)
    # A bare reference number opening a line is the tail of a sentence cut at the line break.
    for marker in markers:
        if marker.style == "orphan_line":
            after = marker.end
            while after < end and text[after].isspace():
                after += 1
            if after < end:
                breaks.append(after)
    return sorted(set(breaks))


def segment_text(text: str, markers: Sequence[CitationMarker] = ()) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans ``(start, end)``, whitespace-stripped, in order.

    No span crosses a line break; ``text[start:end]`` is the sentence exactly as written.
    """
    segments: list[tuple[int, int]] = []
    by_start = RangeIndex(list(markers), lambda m: m.start)
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end].strip()
        inner = (
            []
            if REFERENCE_ENTRY.search(line) or CAPTION.match(line)
            else _breaks_in_line(
                text, line_start, line_end, by_start.starting_in(line_start, line_end)
            )
        )
        cuts = [line_start, *inner, line_end]
        for left, right in itertools.pairwise(cuts):
            seg_start, seg_end = _strip(text, left, right)
            if seg_end > seg_start:
                segments.append((seg_start, seg_end))
    return segments


class SentenceBoundaries:
    """Presets ``is_sent_start`` on every token from :func:`segment_text`."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        if not Doc.has_extension(SEGMENTS_ATTR):
            Doc.set_extension(SEGMENTS_ATTR, default=None)

    def __call__(self, doc: Doc) -> Doc:
        segments = segment_text(doc.text, markers_of(doc))
        doc._.set(SEGMENTS_ATTR, segments)
        if len(doc) == 0:
            return doc
        # Vectorised: one pass in numpy instead of a Python loop over tokens.
        token_ends = doc.to_array([IDX]).astype(numpy.int64) + numpy.fromiter(
            (len(token.text) for token in doc), dtype=numpy.int64, count=len(doc)
        )
        sent_start = numpy.full(len(doc), -1, dtype=numpy.int64)
        seg_starts = numpy.fromiter((s for s, _ in segments), dtype=numpy.int64)
        first_tokens = numpy.searchsorted(token_ends, seg_starts, side="right")
        sent_start[first_tokens[first_tokens < len(doc)]] = 1
        sent_start[0] = 1
        # spaCy stores -1 ("not a start") as its uint64 wrap-around.
        values: Any = sent_start.astype(numpy.uint64).reshape(-1, 1)
        doc.from_array([SENT_START], values)
        return doc


@Language.factory(
    "claimset_sentence_boundaries",
    assigns=["token.is_sent_start", f"doc._.{SEGMENTS_ATTR}"],
    requires=[],
)
def make_sentence_boundaries(nlp: Language, name: str) -> SentenceBoundaries:
    return SentenceBoundaries(nlp, name)
