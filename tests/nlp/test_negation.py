"""Negation cues: what denies a claim's predicate, and the fixed phrases that only look negative.

Sentences are written in the styles the tool meets: spun web copy ("gained’t" = won't, "Not
like" = unlike, "devoid of" = without) and clean clinical prose. The cue is reported as
written: the whole word of a contraction ("wasn't"), the negating word of an auxiliary phrase
("does not" → "not"), a continuing phrase whole ("no longer").
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

import extract.nlp.negation  # noqa: F401  (registers the factory)
from extract.nlp.negation import NEGATION_KEY, negation_cue


@pytest.fixture(scope="module")
def negated(
    component_runner: Callable[[str], Callable[[str], Doc]],
) -> Callable[[str], Doc]:
    return component_runner("claimset_negation")


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        # spun web copy
        ("Elevated BMI wasn't correlated with ketamine response.", "wasn't"),
        ("A recent study [86] documented no change overall in MDD.", "no"),
        ("If you get ketamine following the protocol, you gained’t have withdrawal.", "gained’t"),
        ("Those people nerve cells don’t get so excited by glutamate anymore.", "don’t"),
        ("Worn out glutamate receptors can’t grasp the glutamate any more.", "can’t"),
        (
            "It is extremely simplistic and isn't going to encompass the pathways underlying depression.",
            "isn't going to",
        ),
        ("The body is not really accustomed to functioning devoid of it.", "not"),
        ("Long-term users function devoid of it after a few weeks.", "devoid of"),
        ("Ketamine dont cause addiction at low doses.", "dont"),
        ("Not like standard antidepressants, ketamine acts on the glutamatergic program.", None),
        (
            "Ketamine prescription, no matter if intravenous or oral, constitutes medical practice.",
            None,
        ),
        ("Ketamine not only blocks NMDA receptors but also activates mTORC1.", None),
        # clean clinical prose
        ("Ketamine does not cause dependence at therapeutic doses.", "not"),
        ("Elevated BMI was not correlated with ketamine response.", "not"),
        ("Ketamine cannot be detected in urine after 72 hours.", "cannot"),
        ("No serious adverse events were reported during the infusion series.", "No"),
        ("Neither nasal nor oral ketamine outperformed placebo at week four.", "Neither"),
        ("The trial failed to show a benefit of esketamine over placebo at 28 days.", "failed to"),
        ("Patients were unable to distinguish ketamine from midazolam.", "unable to"),
        ("Ketamine no longer requires an anaesthetist at most clinics.", "no longer"),
        ("There is no evidence that ketamine causes lasting cognitive harm.", "no evidence"),
        ("In the absence of monitoring, ketamine should not be given.", "absence of"),
        ("Ketamine is never given without cardiac monitoring.", "never"),
        ("Remission was not yet achieved after the third infusion.", "not"),
        ("Ketamine is not like standard antidepressants.", "not"),
        ("None of the participants developed cystitis.", "None"),
        # a relative clause counts too (documented choice)
        ("Patients who did not respond to SSRIs improved within hours of ketamine.", "not"),
        # affirmative sentences and fixed phrases that only look negative
        ("Ketamine blocks NMDA receptors.", None),
        ("Ketamine rapidly reduces suicidal ideation in treatment-resistant depression.", None),
        ("Response rates were not just higher but also more durable with ketamine.", None),
        ("There is no doubt that ketamine acts on the NMDA receptor.", None),
        ("Ketamine is given with or without benzodiazepine premedication.", None),
        ("Ketamine is a potent analgesic, not to mention a rapid antidepressant.", None),
        ("Many, if not most, patients respond to a single infusion.", None),
        ("Whether or not ketamine is used, the patients improved.", None),
        ("Ketamine, none other than the anaesthetic used in surgery, relieves depression.", None),
        ("Low-dose ketamine produces nothing but mild dissociation.", None),
        ("Ketamine infusions follow protocol No. 5 of the hospital.", None),
        ("Not surprisingly, ketamine raised blood pressure during the infusion.", None),
        # negative polarity inside a question
        ("Why doesn't ketamine work for everyone?", None),
        ("Isn't ketamine addictive?", None),
    ],
)
def test_negation_cue(negated: Callable[[str], Doc], text: str, cue: str | None) -> None:
    doc = negated(text)
    assert negation_cue(doc, 0, len(text)) == cue


def test_cue_must_lie_inside_the_range(negated: Callable[[str], Doc]) -> None:
    text = "Ketamine blocks NMDA receptors. It does not cause dependence."
    doc = negated(text)
    boundary = text.index(" It")
    assert negation_cue(doc, 0, boundary) is None
    assert negation_cue(doc, boundary, len(text)) == "not"


def test_first_negating_cue_wins(negated: Callable[[str], Doc]) -> None:
    text = "Ketamine not only relieves pain but does not depress breathing and never causes apnoea."
    assert negation_cue(negated(text), 0, len(text)) == "not"
    text = "Patients showed no improvement and never relapsed."
    assert negation_cue(negated(text), 0, len(text)) == "no"


def test_span_group_marks_phrases_whole(negated: Callable[[str], Doc]) -> None:
    doc = negated("Ketamine does not cause dependence and it isn't going to.")
    found = {span.text for span in doc.spans[NEGATION_KEY]}
    assert {"does not", "not", "isn't going to", "n't"} <= found
