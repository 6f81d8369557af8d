"""Claim structure (agent, relation, target, population, design) read from the parse."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from extract.nlp.lexicons import load_json
from extract.nlp.structure import EMPTY, ClaimStructure, claim_structure, relation_vocabulary

_PARSE = "en_core_web_sm mis-parses this sentence"

# (sentence, agent, relation, target, population, design)
CASES = [
    # A date or span of time after a preposition is not the target; a condition is.
    ("Ketamine helps in depression.", "Ketamine", "IMPROVES", "depression", None, None),
    ("Ketamine helps in the evening.", "Ketamine", "IMPROVES", None, None, None),
    ("Mood improved in the morning.", "Mood", "IMPROVES", None, None, None),
    ("Mood improved in March.", "Mood", "IMPROVES", None, None, None),
    # Clean clinical prose.
    ("Ketamine blocks the NMDA receptor.", "Ketamine", "BLOCKS", "NMDA receptor", None, None),
    (
        "It blocks the N-methyl-D-aspartate (NMDA) receptor, leading to a rise in synaptic plasticity.",
        "It",
        "BLOCKS",
        "N-methyl-D-aspartate (NMDA) receptor",
        None,
        None,
    ),
    (
        "Ketamine acts on glutamate receptors.",
        "Ketamine",
        "ACTS_ON",
        "glutamate receptors",
        None,
        None,
    ),
    ("NMDA receptors are blocked by ketamine.", "ketamine", "BLOCKS", "NMDA receptors", None, None),
    (
        "Ketamine is an anesthetic medication.",
        "Ketamine",
        "IS_A",
        "anesthetic medication",
        None,
        None,
    ),
    (
        "Esketamine binds to the NMDA receptor with high affinity.",
        "Esketamine",
        "BINDS",
        "NMDA receptor",
        None,
        None,
    ),
    ("Ketamine is derived from PCP.", "Ketamine", "DERIVED_FROM", "PCP", None, None),
    (
        "Ketamine belongs to a class of drugs that block cellular receptors for glutamate.",
        "Ketamine",
        "IS_A",
        "class of drugs",
        None,
        None,
    ),
    # Decision: APPROVED_FOR is about the drug; the approver in a "by" phrase is not the agent.
    ("Esketamine was approved by the FDA in 2019.", "Esketamine", "APPROVED_FOR", None, None, None),
    (
        "Intranasal esketamine is administered as a nasal spray.",
        "Intranasal esketamine",
        "ADMINISTERED_AS",
        "nasal spray",
        None,
        None,
    ),
    (
        "Ketamine was first synthesized in 1962 by Calvin Stevens.",
        "Calvin Stevens",
        "SYNTHESIZED",
        "Ketamine",
        None,
        None,
    ),
    (
        "Ketamine may also be used for purposes not listed in this medication guide.",
        "Ketamine",
        "USED_FOR",
        "purposes",
        None,
        None,
    ),
    (
        "Ketamine works by altering the activity of neurons from the brain.",
        "Ketamine",
        "MODULATES",
        "activity of neurons",
        None,
        None,
    ),
    (
        "Ketamine can help reduce symptoms of depression in patients with TRD.",
        "Ketamine",
        "REDUCES",
        "symptoms of depression",
        "patients with TRD",
        None,
    ),
    (
        "Prolonged misuse of ketamine may lead to psychological dependence.",
        "Prolonged misuse of ketamine",
        "LEADS_TO",
        "psychological dependence",
        None,
        None,
    ),
    (
        "Ketamine overdose can cause vision impairment and memory loss.",
        "Ketamine overdose",
        "CAUSES",
        "vision impairment",
        None,
        None,
    ),
    (
        "Higher baseline anxiety predicts a better response to ketamine.",
        "Higher baseline anxiety",
        "PREDICTS",
        "better response",
        None,
        None,
    ),
    (
        "Ketamine prevents stress-induced depressive behavior in mice.",
        "Ketamine",
        "PREVENTS",
        "stress-induced depressive behavior",
        "mice",
        None,
    ),
    (
        "Ketamine's effects on mood were associated with increased synaptic connectivity.",
        "Ketamine's effects",
        "ASSOCIATED_WITH",
        "increased synaptic connectivity",
        None,
        None,
    ),
    (
        "Elevated BMI has been found to be a predictor of response to ketamine.",
        "Elevated BMI",
        "IS_A",
        "predictor",
        None,
        None,
    ),
    # Study findings: reporting verbs hand over to their complement clause.
    (
        "In rats exposed to chronic stress, ketamine reversed anhedonia.",
        "ketamine",
        "REVERSES",
        "anhedonia",
        "rats",
        None,
    ),
    (
        "A 2016 study found that exposure to ketamine during pregnancy in rats resulted in decreased neuronal development.",
        "exposure",
        "LEADS_TO",
        "decreased neuronal development",
        "rats",
        None,
    ),
    (
        "Participants who received ketamine reported a significant improvement compared with placebo.",
        "Participants",
        None,
        "significant improvement",
        "Participants",
        "placebo",
    ),
    (
        "Studies have revealed that small doses of ketamine can relieve even stubborn depressive symptoms.",
        "small doses of ketamine",
        "RELIEVES",
        "stubborn depressive symptoms",
        None,
        None,
    ),
    (
        "In a randomized controlled trial, ketamine reduced suicidal ideation in patients with major depression.",
        "ketamine",
        "REDUCES",
        "suicidal ideation",
        "patients with major depression",
        "randomized controlled trial",
    ),
    (
        "mTOR was observed to regulate metabolic cell advancement by promoting lipid synthesis.",
        "mTOR",
        "REGULATES",
        "metabolic cell advancement",
        None,
        None,
    ),
    ("Rats were given ketamine after the forced swim test.", None, None, "Rats", "Rats", None),
    # Spun pages (synonyms swapped, odd capitals).
    (
        "Third, ketamine can assist neuroplasticity, that makes increasing new neurons and forming new connections a lot easier and supports the reversal of depression.",
        "ketamine",
        "IMPROVES",
        "neuroplasticity",
        None,
        None,
    ),
    (
        "It encourages “neuroplasticity” — the brain’s ability to sort neuron connections, specially in Finding out or after damage.",
        "It",
        "INCREASES",
        "neuroplasticity",
        None,
        None,
    ),
    # "confined its use to" restricts scope: not REDUCES.
    (
        "On the other hand, its psychoactive side effects confined its use to precise health care contexts.",
        "psychoactive side effects",
        None,
        "use",
        None,
        None,
    ),
    (
        "Scientific trials have shown that low doses of ketamine can swiftly lower depressive symptoms, with results lasting from days to weeks.",
        "low doses of ketamine",
        "DECREASES",
        "depressive symptoms",
        None,
        "clinical trial",
    ),
    (
        "In rats liable to Continual moderate pressure, ketamine was observed to result in reversal of anhedonic habits.",
        "ketamine",
        "LEADS_TO",
        "reversal of anhedonic habits",
        "rats",
        None,
    ),
    (
        "Within a mouse model of social defeat tension, ketamine was pointed out to attenuate reductions in BDNF.",
        "ketamine",
        "ATTENUATES",
        "reductions",
        None,
        "mouse model",
    ),
    (
        "Glutamate is a crucial amino acid and neurotransmitter.",
        "Glutamate",
        "IS_A",
        "crucial amino acid",
        None,
        None,
    ),
    (
        "Ketamine can be a dissociative drug which has some hallucinogenic effects.",
        "Ketamine",
        "IS_A",
        "dissociative drug",
        None,
        None,
    ),
    (
        "Structural MRI has long been carried out on human subjects undergoing single-infusion ketamine.",
        None,
        None,
        "Structural MRI",
        "human subjects",
        "structural MRI",
    ),
    (
        "Contributors who received ketamine claimed a significant improvement in obsessive feelings in comparison to placebo.",
        "Contributors",
        None,
        "significant improvement",
        "Contributors",
        "placebo",
    ),
    (
        "Ketamine is usually administered by numerous routes.",
        "Ketamine",
        "ADMINISTERED_AS",
        None,
        None,
        None,
    ),
    # Not claims.
    ("Report this page", None, None, None, None, None),
    ("Copy the link", None, None, None, None, None),
    # Parser failures: the rule is right, the parse is not.
    pytest.param(
        "Within an investigation employing two-photon imaging within the PFC of dwelling mice subjected to Persistent stress, ketamine rescued elimination of postsynaptic dendritic spines.",
        "ketamine",
        "RESCUES",
        "elimination of postsynaptic dendritic spines",
        "dwelling mice",
        "two-photon imaging",
        marks=pytest.mark.xfail(
            reason=f"{_PARSE}: 'subjected to' hangs on 'investigation', not on 'mice'"
        ),
    ),
    pytest.param(
        "It has been suggested that ketamine increases BDNF release in the prefrontal cortex.",
        "ketamine",
        "INCREASES",
        "BDNF release",
        None,
        None,
        marks=pytest.mark.xfail(
            reason=f"{_PARSE}: 'increases' tagged as a plural noun, 'BDNF' as the verb"
        ),
    ),
    pytest.param(
        "Adipokines such as adiponectin, resistin and leptin control inflammatory and neuroplasticity pathways.",
        "Adipokines",
        "REGULATES",
        "inflammatory and neuroplasticity pathways",
        None,
        None,
        marks=pytest.mark.xfail(reason=f"{_PARSE}: 'control' tagged as a noun inside the list"),
    ),
    pytest.param(
        "Not like standard antidepressants that focus on the monoaminergic process, ketamine acts totally on the glutamatergic program.",
        "ketamine",
        "ACTS_ON",
        "glutamatergic program",
        None,
        None,
        marks=pytest.mark.xfail(
            reason=f"{_PARSE}: spun 'Not like' makes 'acts' a plural noun root"
        ),
    ),
]


@pytest.mark.parametrize(("text", "agent", "relation", "target", "population", "design"), CASES)
def test_claim_structure(
    nlp: Language,
    text: str,
    agent: str | None,
    relation: str | None,
    target: str | None,
    population: str | None,
    design: str | None,
) -> None:
    got = claim_structure(nlp(text)[:])
    assert (got.agent, got.relation, got.target, got.population, got.design) == (
        agent,
        relation,
        target,
        population,
        design,
    )


def test_relation_text_is_the_verb_as_written(nlp: Language) -> None:
    assert claim_structure(nlp("NMDA receptors are blocked by ketamine.")[:]).relation_text == (
        "blocked"
    )
    # A reporting verb hands over to the verb of its clause.
    found = claim_structure(
        nlp("Studies have revealed that small doses of ketamine can Relieve depression.")[:]
    )
    assert (found.relation_text, found.relation) == ("Relieve", "RELIEVES")


def test_empty_and_unparsed_input_give_no_structure(nlp: Language) -> None:
    assert claim_structure(nlp("")[:]) == EMPTY
    assert claim_structure(nlp("Ketamine blocks the NMDA receptor.")[0:0]) == EMPTY
    blank = spacy.blank("en")
    assert claim_structure(blank("Ketamine blocks the NMDA receptor.")[:]) == EMPTY
    assert ClaimStructure(None, None, None, None, None, None) == EMPTY


@pytest.mark.parametrize(
    "text",
    ["...", "\n\n", "[12]", "!!!???", "ketamine", "12.5 mg/kg", "— “” —", "a" * 300],
)
def test_odd_input_never_raises(nlp: Language, text: str) -> None:
    result = claim_structure(nlp(text)[:])
    assert isinstance(result, ClaimStructure)


def test_sub_span_stays_inside_its_sentence(nlp: Language) -> None:
    doc = nlp("Ketamine blocks the NMDA receptor. Esketamine binds to the NMDA receptor.")
    second = next(iter(doc.sents)).end
    got = claim_structure(doc[second:])
    assert (got.agent, got.relation) == ("Esketamine", "BINDS")


def test_lexicon_labels_are_in_the_closed_vocabulary() -> None:
    data = load_json("relations.json")
    vocabulary = relation_vocabulary()
    assert set(data["verb_lemmas"].values()) <= vocabulary
    assert {label for label in data["phrasal"].values() if label} <= vocabulary
    assert set(data["subject_side_relations"]) <= vocabulary
    assert {"BLOCKS", "ACTS_ON", "IS_A", "LEADS_TO", "APPROVED_FOR"} <= vocabulary


def test_every_claim_field_is_a_plain_string_or_none(nlp: Language) -> None:
    got = claim_structure(nlp("In a placebo-controlled trial, ketamine reduced pain in adults.")[:])
    for value in (got.agent, got.relation, got.relation_text, got.target, got.population):
        assert value is None or type(value) is str
    assert got.design == "placebo"
