"""One test per class of extraction error found against labelled pages and fixed.

Each sentence here is written for the test in the style where the error showed up; none is
copied from the labelled material.
"""

from __future__ import annotations

from typing import Any

import pytest

from extract.nlp.attrs import SENTENCES_ATTR


def only(analyse: Any, text: str) -> dict[str, Any]:
    rows = analyse(text)
    assert len(rows) == 1, [r["text"] for r in rows]
    return rows[0]


@pytest.mark.parametrize(
    ("text", "expect_efficacy"),
    [
        # A passing mention of benefit inside a mechanism or history claim is not efficacy.
        (
            "Proposed mechanisms for its antidepressant action include AMPA receptor activation.",
            False,
        ),
        ("The antidepressant efficacy of esketamine was first noticed in the 1990s.", False),
        ("Participants who received psilocybin reported a marked improvement over placebo.", False),
        # On its own, the same mention is an efficacy claim.
        ("Esketamine has shown real benefits for people with resistant depression.", True),
    ],
)
def test_weak_benefit_mentions(analyse: Any, text: str, expect_efficacy: bool) -> None:
    assert ("efficacy" in only(analyse, text)["claim_types"]) is expect_efficacy


def test_unsuitability_is_a_safety_claim(analyse: Any) -> None:
    row = only(analyse, "This approach is still new and might not be suitable for older adults.")
    assert "safety" in row["claim_types"]


def test_lower_case_sentence_after_full_stop_is_split(analyse: Any) -> None:
    rows = analyse("Oversight of clinics has grown. esketamine clinics now follow stricter rules.")
    assert [r["text"] for r in rows] == [
        "Oversight of clinics has grown.",
        "esketamine clinics now follow stricter rules.",
    ]


def test_feelings_about_an_experience_are_not_claims(analyse: Any) -> None:
    row = only(analyse, "Finding relief for depression can be a frustrating experience.")
    assert row["non_claim_reason"] == "testimonial"


def test_hedge_inside_a_relative_clause_does_not_hedge_the_claim(analyse: Any) -> None:
    row = only(analyse, "Ketamine offers a new option for patients who may have tried other drugs.")
    assert row["hedge_cue"] is None
    assert only(analyse, "Ketamine may offer a new option.")["hedge_cue"] == "may"


def test_cues_inside_spam_do_not_type_the_claim(analyse: Any) -> None:
    row = only(
        analyse,
        "Its lasting action and ketamine infusion for sale online benefits have made it popular.",
    )
    assert row["spam_text"]
    assert "route" not in row["claim_types"]


def test_a_sentence_with_two_onsets_for_two_routes_gives_two_claims(nlp: Any) -> None:
    text = (
        "The effects appear in seconds when the drug is given IV, whereas it takes up to "
        "four minutes to act when given IM.seven"
    )
    (sentence,) = nlp(text)._.get(SENTENCES_ATTR)
    claims = sentence["claims"]
    assert len(claims) == 2
    first, second = claims
    assert text[first["char_start"] : first["char_end"]].endswith("given IV")
    assert text[second["char_start"] : second["char_end"]].startswith("whereas")
    assert (first["routes"], first["onset_max_s"]) == (["intravenous"], 60)
    assert (second["routes"], second["onset_max_s"]) == (["intramuscular"], 240)
    assert first["citation_numbers"] == second["citation_numbers"] == [7]


def test_one_statement_with_a_but_stays_one_claim(nlp: Any) -> None:
    text = "Ketamine blocks NMDA receptors, but it also blocks them in the spinal cord."
    (sentence,) = nlp(text)._.get(SENTENCES_ATTR)
    assert len(sentence["claims"]) == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Encyclopedic section labels are headings, not cut-off sentences.
        ("Medical uses", "heading"),
        ("See also", "heading"),
        # Figure and table captions are not claims, and are not split at "Figure 2."
        ("Figure 2. Effects of ketamine on spine density.", "caption"),
        ("Table 1 summarizes the baseline characteristics of participants.", "caption"),
    ],
)
def test_labels_and_captions(analyse: Any, text: str, reason: str) -> None:
    assert only(analyse, text)["non_claim_reason"] == reason


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("It is used for status epilepticus, but evidence is limited.", "evidence is limited"),
        ("These results suggest that NMDA blockade is sufficient.", "suggest"),
        ("We hypothesize that AMPA activation mediates the response.", "hypothesize"),
        ("Our data indicate that mTORC1 signalling is required.", "indicate that"),
        ("The drug is widely regarded as one of the safest anesthetics.", "widely regarded"),
        ("Some researchers believe that ketamine is neurotoxic.", "Some researchers"),
        ("The expression of BDNF was increased in the cortex of treated rats.", None),
    ],
)
def test_hedges_in_scientific_and_encyclopedic_prose(
    analyse: Any, text: str, cue: str | None
) -> None:
    assert only(analyse, text)["hedge_cue"] == cue


def test_statistics_mark_a_study_finding(analyse: Any) -> None:
    row = only(
        analyse,
        "Treatment with ketamine reduced immobility time in the forced swim test (p < 0.05).",
    )
    assert "study_finding" in row["claim_types"]


def test_a_measured_onset_wins_over_a_qualitative_word(analyse: Any) -> None:
    row = only(analyse, "Ketamine produced rapid antidepressant effects within hours.")
    assert (row["onset_text"], row["onset_max_s"]) == ("within hours", 86400)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("This guide is for information only and does not replace medical advice.", "disclaimer"),
        ("Patients should tell their clinician about any heart rhythm problem.", "advice"),
    ],
)
def test_guidance_phrased_in_the_third_person(analyse: Any, text: str, reason: str) -> None:
    assert only(analyse, text)["non_claim_reason"] == reason


@pytest.mark.parametrize(
    "text",
    [
        "Opioid use disorder impacts more than 2 million individuals in the United States.",
        "Chronic pain affects about one in five adults.",
        "About 8% of adults had a depressive episode last year.",
    ],
)
def test_counts_of_people_are_epidemiology(analyse: Any, text: str) -> None:
    assert "epidemiology" in only(analyse, text)["claim_types"]
