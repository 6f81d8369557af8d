"""NER on reporting sentences only: the same names where attribution reads them, none elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.language import Language

from extract.nlp.attribution import ATTRIBUTIONS_ATTR
from extract.nlp.attrs import DEFAULT_MODEL
from extract.nlp.reported_names import runs_alone


@pytest.fixture(scope="module")
def full_ner() -> Language:
    """The plain model with its ``ner`` on every sentence, for comparison."""
    return spacy.load(DEFAULT_MODEL)


def test_the_pipeline_runs_ner_only_through_the_component(nlp: Language) -> None:
    assert "ner" in nlp.disabled
    assert "ner" not in nlp.pipe_names
    names = nlp.pipe_names
    assert names.index("lemmatizer") < names.index("claimset_reported_names")
    assert names.index("claimset_reported_names") < names.index("claimset_attribution")


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        # a reporting verb or "according to": the sentence gets the full model's entities
        ("Ketamine rebuilds synapses, John Krystal says.", True),
        ("According to Pfizer, the drug is safe.", True),
        ("Researchers in Boston stated that it works.", True),
        ("Patients had no say in the matter, Smith wrote.", True),
        # neither: nothing is run, nothing is labelled
        ("John Krystal studied ketamine at Yale in 2019.", False),
        ("Pfizer sells the drug in Germany.", False),
        ("Patients in Ohio had no say in the matter.", False),  # "say" as a noun
    ],
)
def test_entities_only_in_reporting_sentences(
    nlp: Language, full_ner: Language, text: str, reported: bool
) -> None:
    found = [(e.text, e.label_) for e in nlp(text).ents]
    expected = [(e.text, e.label_) for e in full_ner(text).ents]
    assert expected, "the full model finds entities in every example"
    assert found == (expected if reported else [])


def test_only_the_reporting_sentence_of_a_page_is_annotated(nlp: Language) -> None:
    text = (
        "Ketamine was developed by Parke-Davis in 1962. "
        "It acts on NMDA receptors in Chicago and London. "
        "The effect is rapid, Dr. Sanacora explained. "
        "Janssen markets esketamine in Europe."
    )
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [("Sanacora", "PERSON")]
    attributions: list[Any] = doc._.get(ATTRIBUTIONS_ATTR)
    assert attributions == [None, None, "Sanacora", None]


def test_batches_annotate_each_document_of_their_own(nlp: Language) -> None:
    texts = ["Smith says it works.", "Nothing is reported here.", "It is safe, Jones said."]
    docs = list(nlp.pipe(texts, batch_size=3))
    assert [[e.text for e in d.ents] for d in docs] == [["Smith"], [], ["Jones"]]
    assert [d._.get(ATTRIBUTIONS_ATTR) for d in docs] == [["Smith"], [None], ["Jones"]]


class _Node:
    def __init__(self, name: str) -> None:
        self.name = name


class _Model:
    def __init__(self, *names: str) -> None:
        self.nodes = [_Node(n) for n in names]

    def walk(self) -> list[_Node]:
        return self.nodes


class _Component:
    def __init__(self, model: Any) -> None:
        self.model = model


@pytest.mark.parametrize(
    ("component", "alone"),
    [
        (_Component(_Model("parser_model", "tok2vec", "hashembed")), True),
        (_Component(_Model("parser_model", "tok2vec-listener")), False),
        (_Component(_Model("parser_model", "transformer-listener")), False),
        (object(), False),
    ],
)
def test_runs_alone_only_without_a_listener(component: Any, alone: bool) -> None:
    assert runs_alone(component) is alone


def test_the_shipped_models_ner_runs_alone(full_ner: Language) -> None:
    assert runs_alone(full_ner.get_pipe("ner"))


def test_a_pipeline_without_ner_still_attributes(tmp_path: Any) -> None:
    from extract.nlp.pipeline import load_pipeline

    plain = spacy.load(DEFAULT_MODEL, exclude=["ner"])
    plain.to_disk(tmp_path / "no_ner")
    nlp = load_pipeline(str(tmp_path / "no_ner"))
    assert "claimset_reported_names" not in nlp.pipe_names
    doc = nlp("Ketamine rebuilds synapses, Krystal says.")
    assert doc._.get(ATTRIBUTIONS_ATTR) == ["Krystal"]  # a proper noun needs no NER
