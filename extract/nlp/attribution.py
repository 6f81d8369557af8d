"""Attribution: the named person whose words or view a sentence reports ("…, Krystal says").

A reporting verb (say, state, claim, explain…) whose subject is a proper name, or "according
to <Name>", attributes the sentence. Quotations continue the attribution of the sentence they
belong to, and "He/She explains…" refers back to the last named speaker nearby.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extract.nlp.lexicons import load_json
from extract.nlp.segmentation import SEGMENTS_ATTR

ATTRIBUTIONS_ATTR = "claimset_attributions"
_OPENING_QUOTES = '“"‘«'
# How many sentences back a pronoun may reach for its speaker.
_PRONOUN_REACH = 3
# Honorifics are not part of the name we record ("Dr. Alvarez" → "Alvarez").
_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "sir", "dame"})


def _name_of(token: Token) -> str | None:
    """The full proper name headed by ``token`` ("Jeff Winograd"), or None if not a name."""
    if token.pos_ != "PROPN" and token.ent_type_ != "PERSON":
        return None
    if token.ent_type_ not in {"PERSON", ""}:
        return None
    # Names are capitalised words: this keeps out gene and protein symbols ("mTOR", "BDNF").
    if not (token.text[:1].isupper() and token.text[1:].islower()):
        return None
    parts = [
        t
        for t in token.lefts
        if t.dep_ == "compound" and t.pos_ == "PROPN" and t.lower_.rstrip(".") not in _TITLES
    ]
    left = min([token, *parts], key=lambda t: t.i)
    return token.doc[left.i : token.i + 1].text


def attribution_in(
    sentence: Span, reporting: frozenset[str], pronouns: frozenset[str]
) -> str | None:
    """The name a sentence attributes its content to; ``"<pronoun>"`` for a pronoun subject."""
    for token in sentence:
        if token.lemma_.lower() in reporting and token.pos_ in {"VERB", "AUX"}:
            for child in token.children:
                if child.dep_ in {"nsubj", "nsubjpass"}:
                    name = _name_of(child)
                    if name:
                        return name
                    if child.lower_ in pronouns:
                        return "<pronoun>"
        if token.lower_ == "according" and token.i + 2 < sentence.end:
            nxt = token.doc[token.i + 1]
            if nxt.lower_ == "to":
                for candidate in nxt.children:
                    name = _name_of(candidate)
                    if name:
                        return name
    return None


class AttributionDetector:
    def __init__(self, nlp: Language, name: str, lexicon: str) -> None:
        self.name = name
        data = load_json(lexicon)
        self.reporting = frozenset(data["reporting_lemmas"])
        self.pronouns = frozenset(data["pronouns"])
        if not Doc.has_extension(ATTRIBUTIONS_ATTR):
            Doc.set_extension(ATTRIBUTIONS_ATTR, default=None)

    def __call__(self, doc: Doc) -> Doc:
        segments: Sequence[tuple[int, int]] = doc._.get(SEGMENTS_ATTR) or []
        names: list[str | None] = []
        last_named: tuple[int, str] | None = None
        text = doc.text  # once: spaCy builds it from every token on each access
        for index, (start, end) in enumerate(segments):
            sentence = doc.char_span(start, end, alignment_mode="expand")
            name = attribution_in(sentence, self.reporting, self.pronouns) if sentence else None
            if name == "<pronoun>":
                near = last_named is not None and index - last_named[0] <= _PRONOUN_REACH
                name = last_named[1] if near and last_named else None
            if name is None and index > 0 and text[start] in _OPENING_QUOTES:
                # A quotation opening right after an attributed one continues it.
                previous = names[-1]
                same_line = "\n" not in text[segments[index - 1][1] : start]
                name = previous if same_line else None
            if name:
                last_named = (index, name)
            names.append(name)
        doc._.set(ATTRIBUTIONS_ATTR, names)
        return doc


@Language.factory(
    "claimset_attribution",
    default_config={"lexicon": "attribution.json"},
    assigns=[f"doc._.{ATTRIBUTIONS_ATTR}"],
    requires=["token.dep", "token.pos"],
)
def make_attribution_detector(nlp: Language, name: str, lexicon: str) -> AttributionDetector:
    return AttributionDetector(nlp, name, lexicon)
