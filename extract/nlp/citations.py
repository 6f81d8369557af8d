"""Citation markers as a spaCy component: plain (offset, marker, numbers) data on the Doc.

Detection itself is character-level (:mod:`extract.nlp.citation_markers`) because web pages glue
references to words in ways no tokenizer splits consistently ("ketamine,196", "IM.seven").
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.nlp.citation_markers import CitationMarker, find_citation_markers

MARKERS_ATTR = "claimset_citation_markers"


def markers_of(doc: Doc) -> list[CitationMarker]:
    """The citation markers the component stored on ``doc`` (empty if it did not run)."""
    if not Doc.has_extension(MARKERS_ATTR):
        return []
    stored = doc._.get(MARKERS_ATTR)
    if stored is None:
        return []
    return [
        CitationMarker(start, end, marker, tuple(numbers), style)
        for start, end, marker, numbers, style in stored
    ]


class CitationDetector:
    """Stores every citation marker of the document as plain tuples."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        if not Doc.has_extension(MARKERS_ATTR):
            Doc.set_extension(MARKERS_ATTR, default=None)

    def __call__(self, doc: Doc) -> Doc:
        # Plain tuples, not Span objects, so the value survives n_process > 1.
        doc._.set(
            MARKERS_ATTR,
            [
                (m.start, m.end, m.marker, list(m.numbers), m.style)
                for m in find_citation_markers(doc.text)
            ],
        )
        return doc


@Language.factory("claimset_citations", assigns=[f"doc._.{MARKERS_ATTR}"])
def make_citation_detector(nlp: Language, name: str) -> CitationDetector:
    return CitationDetector(nlp, name)
