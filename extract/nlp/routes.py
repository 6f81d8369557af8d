"""Routes of administration, normalized to a closed vocabulary.

Terms live in ``patterns/route_terms.jsonl`` with the normalized route as each pattern's id
("IV" → intravenous, "lozenge" → sublingual, "nasal spray" → intranasal).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span

from extract.nlp.doc_index import DocIndex
from extract.nlp.lexicons import lexicon_ruler

ROUTES_KEY = "claimset_routes"
ROUTES = (
    "intravenous", "intramuscular", "oral", "intranasal", "sublingual", "rectal",
    "subcutaneous", "infusion", "buccal", "smoked", "inhaled", "transdermal",
)  # fmt: skip
# "Phase IV", "Schedule IV": Roman numerals, not routes.
_NUMERAL_CONTEXT = frozenset({"phase", "schedule", "type", "class", "stage", "grade", "part"})
# "nasal congestion", "oral health": the organ, not the route.
_ORGAN_CONTEXT = frozenset(
    {"congestion", "passages", "cavity", "discomfort", "irritation", "health", "hygiene",
     "surgery", "cancer", "history", "presentation", "examination", "exam", "polyps"}
)  # fmt: skip


_NOT_A_ROUTE_AFTER_SMOKING = frozenset({"cessation", "ban", "bans", "history", "status"})


def _is_route_mention(span: Span) -> bool:
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if span.text in {"IV", "IM"} and before in _NUMERAL_CONTEXT:
        return False
    if span.text.lower() == "smoking" and after in _NOT_A_ROUTE_AFTER_SMOKING:
        return False  # "smoking cessation": giving up tobacco, not a way to take a drug
    return not (span.text.lower() in {"nasal", "oral"} and after in _ORGAN_CONTEXT)


def routes_in(
    doc: Doc,
    start: int,
    end: int,
    exclude: Sequence[tuple[int, int]] = (),
    index: DocIndex | None = None,
) -> list[str]:
    """Normalized routes mentioned inside the character range, in order, without repeats.

    Mentions inside an ``exclude`` range (pasted spam, say) do not count.
    """
    found: list[str] = []
    inside = (index or DocIndex(doc)).inside(ROUTES_KEY, start, end)
    for span in sorted(inside, key=lambda s: s.start_char):
        if any(s <= span.start_char and span.end_char <= e for s, e in exclude):
            continue
        if _is_route_mention(span):
            route = span.id_ or span.label_
            if route in ROUTES and route not in found:
                found.append(route)
    return found


@Language.factory(
    "claimset_routes",
    default_config={"spans_key": ROUTES_KEY, "lexicon": "route_terms.jsonl"},
    assigns=["doc.spans"],
)
def make_route_detector(nlp: Language, name: str, spans_key: str, lexicon: str) -> SpanRuler:
    return lexicon_ruler(nlp, name, spans_key=spans_key, lexicon=lexicon)
