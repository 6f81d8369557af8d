"""Person names where attribution needs them: the model's NER, run on reporting sentences only.

Attribution asks NER one question: is the subject of "says" (or the object of "according
to") a person, or an organisation or place? Nothing else in the dataset reads NER labels,
yet the model's ``ner`` is about a third of its running time. So the pipeline keeps ``ner``
disabled and this component runs it on just the sentences with a reporting verb or
"according" (a few in a hundred), copying the entities found back into the document.

A sentence is annotated on its own, so this needs an NER with its own embedding layer (as in
the en_core_web sm/md/lg pipelines). One that listens to a shared ``tok2vec`` or transformer
cannot run without it: for such a pipeline :func:`runs_alone` is false and the model's
``ner`` stays in the pipeline as it is.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

import numpy
from spacy.attrs import LEMMA, LOWER, POS
from spacy.language import Language
from spacy.parts_of_speech import AUX, VERB
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from extract.nlp.lexicons import load_json
from extract.nlp.segmentation import SEGMENTS_ATTR

_ACCORDING = "according"


def runs_alone(component: object) -> bool:
    """True when an NER component can annotate a sentence by itself (no listener layer)."""
    model = getattr(component, "model", None)
    if model is None:
        return False
    return not any("listener" in node.name for node in model.walk())


class ReportedNames:
    def __init__(self, nlp: Language, name: str, ner_component: str, lexicon: str) -> None:
        self.nlp = nlp
        self.name = name
        self.ner_component = ner_component
        data = load_json(lexicon)
        strings = nlp.vocab.strings
        self._reporting = numpy.array(
            sorted(strings.add(lemma) for lemma in data["reporting_lemmas"]), dtype=numpy.uint64
        )
        self._according = strings.add(_ACCORDING)

    def _ner(self) -> Pipe | None:
        # Looked up at run time: the model's ``ner`` is disabled, not removed, and is still
        # reachable by name (absent in a pipeline without NER: then there is nothing to do).
        if self.ner_component not in self.nlp.component_names:
            return None
        component = self.nlp.get_pipe(self.ner_component)
        return component if isinstance(component, Pipe) else None

    def reporting_sentences(self, doc: Doc) -> list[Span]:
        """The sentences (claimset's segments) holding a reporting verb or "according"."""
        segments: Sequence[tuple[int, int]] = doc._.get(SEGMENTS_ATTR) or []
        if not segments or not len(doc):
            return []
        columns = doc.to_array([LEMMA, POS, LOWER])
        wanted = numpy.isin(columns[:, 0], self._reporting) & numpy.isin(columns[:, 1], [VERB, AUX])
        wanted |= columns[:, 2] == self._according
        starts = [start for start, _ in segments]
        chosen: dict[int, Span] = {}
        for i in numpy.flatnonzero(wanted).tolist():
            offset = doc[i].idx
            k = bisect_right(starts, offset) - 1
            if k < 0 or k in chosen or offset >= segments[k][1]:
                continue
            span = doc.char_span(*segments[k], alignment_mode="expand")
            if span is not None and len(span):
                chosen[k] = span
        return [chosen[k] for k in sorted(chosen)]

    def _annotate(self, docs: Sequence[Doc], ner: Pipe) -> None:
        pieces = [(doc, span) for doc in docs for span in self.reporting_sentences(doc)]
        if not pieces:
            return
        found: dict[int, list[Span]] = {}
        sentence_docs = ner.pipe(span.as_doc() for _, span in pieces)
        for (doc, span), sentence_doc in zip(pieces, sentence_docs, strict=True):
            entities = found.setdefault(id(doc), [])
            for entity in sentence_doc.ents:
                start, end = span.start + entity.start, span.start + entity.end
                entities.append(Span(span.doc, start, end, label=entity.label_))
        for doc in docs:
            if found.get(id(doc)):
                doc.set_ents(found[id(doc)], default="unmodified")

    def __call__(self, doc: Doc) -> Doc:
        ner = self._ner()
        if ner is not None:
            self._annotate([doc], ner)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        # Sentences of a whole batch go to the NER together: one call per batch, not per doc.
        ner = self._ner()
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            if ner is not None:
                self._annotate(batch, ner)
            yield from batch


@Language.factory(
    "claimset_reported_names",
    default_config={"ner_component": "ner", "lexicon": "attribution.json"},
    assigns=["doc.ents", "token.ent_type"],
    requires=["token.lemma", "token.pos"],
)
def make_reported_names(
    nlp: Language, name: str, ner_component: str, lexicon: str
) -> ReportedNames:
    return ReportedNames(nlp, name, ner_component, lexicon)
