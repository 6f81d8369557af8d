"""Onset and duration expressions as a spaCy component (plain tuples on the Doc).

Detection and conversion to seconds are character-level, in :mod:`extract.nlp.onset_expressions`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.nlp.onset_expressions import OnsetExpression, find_onset_expressions

ONSETS_ATTR = "claimset_onsets"


def onsets_of(doc: Doc) -> list[OnsetExpression]:
    stored = doc._.get(ONSETS_ATTR) if Doc.has_extension(ONSETS_ATTR) else None
    return [OnsetExpression(*row) for row in stored or []]


class OnsetDetector:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        if not Doc.has_extension(ONSETS_ATTR):
            Doc.set_extension(ONSETS_ATTR, default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(
            ONSETS_ATTR,
            [
                (o.start, o.end, o.text, o.min_s, o.max_s, o.qualitative)
                for o in find_onset_expressions(doc.text)
            ],
        )
        return doc


@Language.factory("claimset_onsets", assigns=[f"doc._.{ONSETS_ATTR}"])
def make_onset_detector(nlp: Language, name: str) -> OnsetDetector:
    return OnsetDetector(nlp, name)
