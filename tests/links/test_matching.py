"""Links across sources: claim pairs with the relation expected, hard negatives included."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from extract.links.clusters import clusters_from_links, term_index
from extract.links.confidence import CONFIDENCE_FILE, MIN_LINK_CONFIDENCE, link_confidence
from extract.links.fact_comparison import compare_facts, describe_value
from extract.links.facts import claim_facts
from extract.links.matching import link_claims, link_rows
from extract.quality.audits import confidence_table
from tests.conftest import FIXTURES


def _claim(text: str, source: str, subject: str = "tramadol", **extra: Any) -> dict[str, Any]:
    claim_id = "c" + hashlib.sha256(f"{source}\x1f{text}".encode()).hexdigest()[:16]
    row = {
        "claim_id": claim_id,
        "doc_id": hashlib.sha256(source.encode()).hexdigest(),
        "source_file": source,
        "char_start": 0,
        "text": text,
        "entities": [],
        "citation_markers": [],
        "spam_text": [],
        "hedge_cue": None,
        "negation_cue": None,
        "negated": False,
        "hedged": False,
        "claim_type": "other",
        "subject": [subject],
        "facts": [fact.to_row() for fact in claim_facts(text, 0)],
    }
    row.update(extra)
    return row


def _relation(a: dict[str, Any], b: dict[str, Any], *others: dict[str, Any]) -> str | None:
    claims = [a, b, *others]
    for link in link_claims(claims):
        if {link.a, link.b} == {0, 1}:
            return link.relation
    return None


# (claim of site A, claim of site B, expected relation; None: no link)
PAIRS: list[tuple[str, str, str | None]] = [
    ("Onset: 15 - 60 minutes", "**Onset:** 1 hours", "same"),
    ("Onset: 15 mins", "**Onset:** 1 hours", "contradicts"),
    ("Common: 100 - 250 mg", "**Common:** 75-200mg", "same"),
    ("Common: 5 - 15 mg", "**Common:** 20-40mg", "contradicts"),
    ("Total: 5 - 7 hours", "Total: 12 - 16 hours", "contradicts"),
    ("The half-life is 5-6 hours.", "Its elimination half-life is about 6 hours.", "same"),
    (
        "Tramadol is Schedule IV in the United States.",
        "In the United States, it is a schedule IV controlled substance.",
        "same",
    ),
    # Conflicting statuses are compared (test_compare_facts) but make no link: audits found
    # such links right less often than not (extract/links/patterns/link_confidence.json).
    (
        "Tramadol is unscheduled in the United States.",
        "Tramadol is a Schedule IV controlled substance in the United States.",
        None,
    ),
    (
        "Tramadol is Schedule II in Canada.",
        "**Canada:** Tramadol is a Schedule I Controlled Substance.",
        None,
    ),
    # Opposite polarity is never "same"; it makes no contradiction either (off: measured wrong).
    (
        "Possession is illegal without a prescription.",
        "Possession is not illegal without a prescription.",
        None,
    ),
    # A status of no drug in particular is no status of the subject.
    (
        "Tramadol is a Class A drug in the United Kingdom.",
        "Penalties for Class A drugs in the United Kingdom are severe.",
        None,
    ),
    # Open-ended levels overlap above the higher start (the labelling guideline; audits).
    ("Heavy: 200 mg +", "**Heavy:** 150mg+", "same"),
    ("Heavy: 200 mg +", "Strong: 100 - 150 mg", None),
    # Hard negatives: same words, another condition or kind.
    ("Light: 25 - 100 mg", "Threshold: 25 mg", None),
    ("Light: 25 - 100 mg", "Strong: 250 - 300 mg", None),
    ("Onset: 15 - 60 minutes", "Total: 6 - 10 hours", None),
    ("The half-life is 6 hours.", "The half-life of its active metabolite is 9 hours.", None),
    (
        "Tramadol is Schedule IV in the United States.",
        "Tramadol is a Class C drug in the United Kingdom.",
        None,
    ),
    (
        "Tramadol was unscheduled in the United States.",
        "Tramadol is a Schedule IV controlled substance in the United States.",
        None,
    ),
    ("Snorted, the onset is 5 minutes.", "Taken orally, the onset is 45 minutes.", None),
    (
        "Tramadol binds weakly to the mu-opioid receptor.",
        "Tramadol inhibits the reuptake of serotonin.",
        None,
    ),
]


@pytest.mark.parametrize(
    ("a", "b", "expected"), PAIRS, ids=[f"{p[0][:25]}|{p[1][:25]}" for p in PAIRS]
)
def test_pairs_of_two_sources(a: str, b: str, expected: str | None) -> None:
    assert _relation(_claim(a, "site-a.md"), _claim(b, "site-b.md")) == expected


# Values in running text, dates of events and grades in words (subject: the drug named).
RUNNING_TEXT_PAIRS: list[tuple[str, str, str | None]] = [
    # A value next to its label is compared like a listed one.
    (
        "Onset: 5 - 10 minutes",
        "After oral administration, onset of action takes place within 45 to 60 minutes.",
        "contradicts",
    ),
    ("Total: 3 - 6 hours", "The effects of tramadol last between 4 and 5 hours.", "same"),
    # What a phase lasts is not what the drug lasts.
    ("Total: 3 - 5 hours", "The ride up usually lasts 30 minutes.", None),
    # An uncommon case, one study's result and a change are no general value to contradict.
    ("Onset: 30 - 45 minutes", "People sometimes report the onset is 90-120 minutes.", None),
    ("Half-life: 3 hours", "A 2015 study found a half-life of 3.6 ± 0.9 hours.", None),
    ("Tmax: 1 - 1.5 hours", "With fatty meals the Tmax is pushed back about an hour.", None),
    # A value measuring the words after it ("first-pass metabolism") is not the label's.
    (
        "Bioavailability: 70 - 90%",
        "Bioavailability is cut by the 20-30% first-pass metabolism.",
        None,
    ),
    # Dates of one event.
    (
        "Tramadol was first synthesized in 1962.",
        "Tramadol was first synthesized in 1972.",
        "contradicts",
    ),
    (
        "Tramadol was first synthesized in 1962.",
        "It was first synthesized in 1962 by Grünenthal.",
        "same",
    ),
    ("It was brought to market in 1943.", "It was brought to market in 1944.", "contradicts"),
    ("Tramadol was first synthesized in 1962.", "He first synthesized tramadol in 1970.", None),
    ("Tramadol was first synthesized in 1962.", "Tramadol was patented in 1972.", None),
    (
        "Tramadol was placed in Schedule IV in the United States in August 2014.",
        "Tramadol was proposed for Schedule IV in the United States in 2013.",
        None,
    ),
    # Grades in words: the same grade agrees; differing grades are compared (test_compare_
    # grades) but, audited right less often than not, make no link.
    (
        "Tramadol is a short-acting opioid.",
        "Tramadol is an analgesic of moderate duration.",
        None,
    ),
    ("Tramadol has a rapid onset.", "Tramadol has a fast onset of action.", "same"),
    ("Tramadol has a faster onset than codeine.", "Tramadol has an intermediate onset.", None),
    ("Tramadol is highly addictive.", "Tramadol is a short-acting opioid.", None),
]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    RUNNING_TEXT_PAIRS,
    ids=[f"{p[0][:25]}|{p[1][:25]}" for p in RUNNING_TEXT_PAIRS],
)
def test_values_in_running_text_dates_and_grades(a: str, b: str, expected: str | None) -> None:
    assert _relation(_claim(a, "site-a.md"), _claim(b, "site-b.md")) == expected


def test_one_source_is_never_linked_to_itself() -> None:
    a, b = _claim("Onset: 15 mins", "site-a.md"), _claim("**Onset:** 1 hours", "site-a.md")
    assert link_claims([a, b]) == []


def test_claims_about_different_drugs_are_never_compared() -> None:
    a = _claim("Onset: 15 mins", "site-a.md", subject="tramadol")
    b = _claim("**Onset:** 1 hours", "site-b.md", subject="caffeine")
    assert link_claims([a, b]) == []


def test_a_contradiction_says_why_in_checkable_words() -> None:
    a = _claim("Onset: 15 - 30 minutes", "a.md")
    a["facts"][0]["route"] = "oral"
    b = _claim("Onset: 1 - 2 hours", "b.md")
    b["facts"][0]["route"] = "oral"
    (link,) = link_claims([a, b])
    assert link.relation == "contradicts"
    assert link.reason == "oral onset 15–30 min vs 1–2 h: no overlap"


def test_a_route_left_unsaid_is_the_usual_route_and_the_reason_says_so() -> None:
    a = _claim("Onset: 15 - 30 minutes", "a.md")
    a["facts"][0]["route"] = "oral"
    b = _claim("**Onset:** 2 hours", "b.md")
    (link,) = link_claims([a, b])
    assert link.relation == "contradicts" and "taken as oral" in link.reason
    # Audits found inferred routes about as often right as stated ones (37/63, 25/39).
    assert link.confidence == link_confidence("contradicts", "fact", "onset")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"status": "schedule II"}, {"status": "schedule I"}, "contradicts"),
        ({"status": "schedule IV"}, {"status": "unscheduled"}, "contradicts"),
        ({"status": "schedule IV"}, {"status": "controlled"}, "same"),
        ({"status": "schedule II"}, {"status": "class A"}, None),  # two systems
    ],
)
def test_compare_statuses(a: dict[str, Any], b: dict[str, Any], expected: str | None) -> None:
    base = {"kind": "legal_status", "route": None, "level": None, "jurisdiction": "canada"}
    base |= {"conditions": [], "low": None, "high": None, "unit": None}
    compared = compare_facts({**base, **a}, {**base, **b})
    assert (compared[0] if compared else None) == expected


def test_compare_grades() -> None:
    short, moderate = (
        claim_facts("Tramadol is a short-acting opioid.", 0)[0].to_row(),
        claim_facts("Tramadol is an analgesic of moderate duration.", 0)[0].to_row(),
    )
    assert compare_facts(short, moderate) == (
        "contradicts",
        "action length: short vs intermediate (differ)",
    )
    assert compare_facts(short, short) == ("same", "action length: short vs short (agree)")


def test_shipped_link_confidence_is_what_the_audits_give() -> None:
    shipped = json.loads(CONFIDENCE_FILE.read_text("utf-8"))
    assert shipped == confidence_table(FIXTURES / "link_audits")
    # A class judged right less often than not makes no links.
    assert link_confidence("contradicts", "fact", "half_life") < MIN_LINK_CONFIDENCE
    assert link_confidence("contradicts", "fact", "duration") >= MIN_LINK_CONFIDENCE


def test_a_claim_with_one_value_per_population_agrees_if_any_value_does() -> None:
    a = _claim(
        "The half-life is 3 hours in adults, 8 hours in the elderly and 100 hours in newborns.",
        "a.md",
    )
    b = _claim("Half-life: 2.5 - 3.5 hours", "b.md")
    assert _relation(a, b) == "same"


@pytest.mark.parametrize(
    ("fact", "expected"),
    [
        ({"kind": "onset", "low": 900.0, "high": 3600.0, "unit": "s"}, "15 min – 1 h"),
        ({"kind": "onset", "low": 3600.0, "high": 7200.0, "unit": "s"}, "1–2 h"),
        ({"kind": "dose", "low": 300.0, "high": None, "unit": "mg"}, "300 mg or more"),
        ({"kind": "onset", "low": 0.0, "high": 1800.0, "unit": "s"}, "up to 30 min"),
        (
            {
                "kind": "legal_status",
                "low": None,
                "high": None,
                "unit": None,
                "status": "schedule IV",
            },
            "schedule IV",
        ),
    ],
)
def test_values_described_for_reviewers(fact: dict[str, Any], expected: str) -> None:
    assert describe_value(fact) == expected


def test_contradicting_claims_never_share_a_cluster() -> None:
    # a ~ b and b ~ c by wording, but a contradicts c: the cluster must not hold both.
    claims = [
        _claim("Onset: 15 mins", "a.md"),
        _claim("Onset: 30 - 60 mins", "b.md"),
        _claim("**Onset:** 1 hours", "c.md"),
    ]
    index = term_index(claims)
    same = [(0, 1, 1.0), (1, 2, 0.9)]
    clusters = clusters_from_links(claims, same, [(0, 2)], index)
    by_claim = {m: c.cluster_id for c in clusters for m in c.members}
    assert by_claim[0] != by_claim[2]
    assert by_claim[0] == by_claim[1]  # the stronger link joined first
    assert sorted(m for c in clusters for m in c.members) == [0, 1, 2]


def test_link_rows_follow_the_schema() -> None:
    from extract.tables.contract import validate_rows

    claims = [_claim("Onset: 15 mins", "a.md"), _claim("**Onset:** 1 hours", "b.md")]
    rows = link_rows(claims, link_claims(claims))
    validate_rows("claim_link", rows)
    assert rows[0]["link_id"].startswith("l") and rows[0]["relation"] == "contradicts"


def test_similar_pairs_are_those_of_the_full_product() -> None:
    # Slabs of rows against the columns from the slab on: every pair once, none missed.
    import random

    from extract.links.text_similarity import CharVectors, similar_pairs

    rng = random.Random(1)
    words = ["onset", "dose", "oral", "hours", "minutes", "blocks", "receptor", "common"]
    texts = [" ".join(rng.choice(words) for _ in range(6)) for _ in range(600)]
    block = list(range(len(texts)))
    matrix = CharVectors(texts).matrix(block)
    full = (matrix @ matrix.T).toarray()
    expected = [(i, j) for i in block for j in block if i < j and full[i, j] >= 0.5]
    found = sorted(similar_pairs(matrix, block, 0.5))
    assert [(a, b) for a, b, _ in found] == expected
    assert all(abs(score - full[a, b]) < 1e-6 for a, b, score in found)
