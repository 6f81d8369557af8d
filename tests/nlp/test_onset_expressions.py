"""Tests for extract.nlp.onset_expressions: spun pages, clean clinical prose, negatives."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.nlp.onset_expressions import OnsetExpression, find_onset_expressions

MIN = 60
HOUR = 3600
DAY = 86400
WEEK = 604800
MONTH = 2592000
YEAR = 31536000

Expected = list[tuple[str, float | None, float | None]]


def _spans(text: str) -> Expected:
    return [(e.text, e.min_s, e.max_s) for e in find_onset_expressions(text)]


# Quantitative expressions (text, [(span, min_s, max_s), ...]).
QUANTITATIVE: list[tuple[str, Expected]] = [
    # Spun web pages.
    (
        "The effects look in seconds if the drug is offered IV, Whilst it will take nearly "
        "four minutes to the onset of action when specified IM.",
        [("in seconds", None, 60), ("nearly four minutes", None, 4 * MIN)],
    ),
    (
        "Studies have revealed that small doses can relieve symptoms within 24 hours.",
        [("within 24 hours", None, DAY)],
    ),
    (
        "Ketamine withdrawal symptoms can previous for 4-6 times and will contain:13",
        [("4-6 times", 4 * DAY, 6 * DAY)],
    ),
    ("with results lasting from days to weeks", [("from days to weeks", DAY, MONTH)]),
    ("results lasting days to weeks", [("days to weeks", DAY, MONTH)]),
    (
        "ketamine was shown to attenuate reductions in BDNF at eight days adhering to drug "
        "administration.109",
        [("at eight days adhering to drug administration", 8 * DAY, 8 * DAY)],
    ),
    (
        "at eight days following drug administration",
        [("at eight days following drug administration", 8 * DAY, 8 * DAY)],
    ),
    (
        "diminished nucleus accumbens volumes 24 h put up-infusion, which was correlated",
        [("24 h put up-infusion", DAY, DAY)],
    ),
    ("volumes 24 h post-infusion", [("24 h post-infusion", DAY, DAY)]),
    (
        "its rapid antidepressant outcomes, usually seen in hours of administration",
        [("rapid antidepressant outcomes", None, None), ("in hours of administration", None, DAY)],
    ),
    (
        "standard antidepressants which will get months to become powerful.",
        [("get months to become powerful", MONTH, YEAR)],
    ),
    (
        "drugs that get months to become effective",
        [("get months to become effective", MONTH, YEAR)],
    ),
    ("It takes up to four minutes.", [("up to four minutes", None, 4 * MIN)]),
    ("Symptoms can last for 4-6 days.", [("4-6 days", 4 * DAY, 6 * DAY)]),
    ("Cravings persist for 4-6 times.", [("4-6 times", 4 * DAY, 6 * DAY)]),
    ("The relief can continue for 2 times.", [("2 times", 2 * DAY, 2 * DAY)]),
    ("Effects appear within moments.", [("within moments", None, 60)]),
    # Clean clinical prose.
    (
        "Peak plasma concentrations occur within 1 minute after IV and 5 to 15 minutes after "
        "IM injection.",
        [
            ("within 1 minute after IV", None, MIN),
            ("5 to 15 minutes after IM injection", 5 * MIN, 15 * MIN),
        ],
    ),
    ("Its elimination half-life is 2.5 hours.", [("2.5 hours", 2.5 * HOUR, 2.5 * HOUR)]),
    (
        "Onset of action is within 30 seconds (IV) and 3-4 minutes (IM).",
        [("within 30 seconds", None, 30), ("3-4 minutes", 3 * MIN, 4 * MIN)],
    ),
    ("The antidepressant effect lasts about one week.", [("about one week", WEEK, WEEK)]),
    ("Effects typically persist for up to 2 weeks.", [("up to 2 weeks", None, 2 * WEEK)]),
    ("Response rates at 24 hours were 70%.", [("at 24 hours", DAY, DAY)]),
    ("Patients were infused over 40 min.", [("over 40 min", 40 * MIN, 40 * MIN)]),
    ("Plasma levels peak between 2 and 4 hours.", [("between 2 and 4 hours", 2 * HOUR, 4 * HOUR)]),
    (
        "Symptoms resolve within 2 hours of administration.",
        [("within 2 hours of administration", None, 2 * HOUR)],
    ),
    ("Sedation lasts 30 minutes to 2 hours.", [("30 minutes to 2 hours", 30 * MIN, 2 * HOUR)]),
    ("Analgesia lasted more than 2 hours.", [("more than 2 hours", 2 * HOUR, None)]),
    ("It takes 2 to 4 weeks to work.", [("takes 2 to 4 weeks to work", 2 * WEEK, 4 * WEEK)]),
    ("Recovery occurs half an hour after dosing.", [("half an hour after dosing", 1800, 1800)]),
    ("The benefit can last up to 2 years.", [("up to 2 years", None, 2 * YEAR)]),
    ("Improvement appears within 6 months.", [("within 6 months", None, 6 * MONTH)]),
    ("Relief comes within minutes.", [("within minutes", None, HOUR)]),
    ("Effects fade within hours.", [("within hours", None, DAY)]),
    ("Side effects last hours to days.", [("hours to days", None, WEEK)]),
    ("Remission may take months to years of therapy.", []),  # years are not a vague scale
    ("The drug was given for 5 days.", [("5 days", 5 * DAY, 5 * DAY)]),
    ("Take 2 tablets 3 times a day for 5 days.", [("5 days", 5 * DAY, 5 * DAY)]),
    # Spelled numbers, abbreviations and fuzzy quantities.
    ("It works in twenty-four hours.", [("in twenty-four hours", None, DAY)]),
    ("four to six hours", [("four to six hours", 4 * HOUR, 6 * HOUR)]),
    ("two weeks", [("two weeks", 2 * WEEK, 2 * WEEK)]),
    ("one hundred twenty minutes", [("one hundred twenty minutes", 2 * HOUR, 2 * HOUR)]),
    ("1.5 h", [("1.5 h", 1.5 * HOUR, 1.5 * HOUR)]),
    ("24h later", [("24h later", DAY, DAY)]),
    ("within 24hrs", [("within 24hrs", None, DAY)]),
    ("a rest of 30 s", [("30 s", 30, 30)]),
    ("Sleep returned 5days later.", [("5days later", 5 * DAY, 5 * DAY)]),
    ("over 3 wks", [("over 3 wks", 3 * WEEK, 3 * WEEK)]),
    ("Sleepiness lasts a few minutes.", [("a few minutes", 2 * MIN, 5 * MIN)]),
    ("a few minutes", [("a few minutes", 2 * MIN, 5 * MIN)]),
    ("within a few minutes", [("within a few minutes", None, 5 * MIN)]),
    ("Improvement was seen after a day.", [("after a day", DAY, DAY)]),
    ("within a day", [("within a day", None, DAY)]),
    ("Benefits last several days.", [("several days", 3 * DAY, 7 * DAY)]),
]

QUALITATIVE: list[tuple[str, Expected]] = [
    (
        "it's plausible to anticipate that ketamine's fast antidepressant action might counter",
        [("fast antidepressant action", None, None)],
    ),
    (
        "On account of quick induction adhering to the First IV injection, the individual",
        [("quick induction", None, None)],
    ),
    ("the effects will inevitably wear off.", [("wear off", None, None)]),
    ("Its mechanism of action, quick onset, and potential", [("quick onset", None, None)]),
    ("rapid onset of action", [("rapid onset", None, None)]),
    ("a fast onset", [("fast onset", None, None)]),
    (
        "low doses of ketamine can swiftly lower depressive symptoms, with results lasting from "
        "days to weeks.",
        [("swiftly lower", None, None), ("from days to weeks", DAY, MONTH)],
    ),
    ("The swift relief of symptoms supplied by ketamine", [("swift relief", None, None)]),
    ("Its fast motion and opportunity", [("fast motion", None, None)]),
    ("rapid antidepressant effects", [("rapid antidepressant effects", None, None)]),
    (
        "rapid and sustained antidepressant effects",
        [("rapid and sustained antidepressant effects", None, None)],
    ),
    ("It rapidly reduces pain.", [("rapidly reduces", None, None)]),
    ("The drug works quickly.", [("works quickly", None, None)]),
    ("It acts fast.", [("acts fast", None, None)]),
    ("It is a fast-acting drug.", [("fast-acting", None, None)]),
    ("a short-acting anesthetic", [("short-acting", None, None)]),
    ("long-lasting relief", [("long-lasting", None, None)]),
    ("a sustained response", [("sustained response", None, None)]),
    ("Relief occurs immediately.", [("occurs immediately", None, None)]),
    ("Pain fell immediately after injection.", [("immediately after injection", None, None)]),
    ("The numbness wears off.", [("wears off", None, None)]),
    # How long a drug stays or takes, in pharmacology's words.
    ("Diazepam has a long half-life.", [("half-life", None, None)]),
    ("The duration of action is shorter in children.", [("duration of action", None, None)]),
    ("The time of onset depends on the dose.", [("time of onset", None, None)]),
]

NEGATIVE: list[str] = [
    "Ketamine was first synthesized in the sixties.",
    "who has lived with depression for more than 25 years",
    "Jeff Winograd, who's lived with depression for much more than 25 many years",
    "Ketamine, a drug launched during the 1960s, has garnered interest in the last 20 years.",
    "It has been used as an anesthetic for decades.",
    "A study printed in 2016 found effects.",
    "Inside a 2012 epidemiological review of mental health.",
    "a 25-year-old man",
    "patients 25 years old",
    "children aged 12 years",
    "two-photon imaging of spines",
    "a dose of 0.5 mg/kg",
    "take 4-6 times a day",
    "2 times",
    "Two times daily.",
    "The clinic opens at 10:30 h.",
    "It was 10 years ago.",
    "3 days a week",
    "Give it every 2 hours.",
    "8 hours a day",
    "a 12-week trial",
    "the 1990s",
    "fast food",
    "a rapidly changing landscape",
    "the speedily transforming landscape",
    "She quickly left the room.",
    "Take the drug immediately.",
    "One day, she felt better.",
    "In a second study, results differed.",
    "Rapid heart rate is common.",
    "A quick reference guide.",
    "These days, more clinics offer it.",
    "in days 1-3 of the protocol",
    "over the past 2 weeks",
    "study197 days",
    "",
]


@pytest.mark.parametrize(("text", "expected"), QUANTITATIVE + QUALITATIVE)
def test_expressions(text: str, expected: Expected) -> None:
    assert _spans(text) == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_negatives(text: str) -> None:
    assert find_onset_expressions(text) == []


def test_offsets_and_flags() -> None:
    text = "Onset is quick onset; relief comes within 24 hours after dosing."
    found = find_onset_expressions(text)
    assert [e.qualitative for e in found] == [True, False]
    for e in found:
        assert text[e.start : e.end] == e.text
    assert found[1].text == "within 24 hours after dosing"


def test_frozen() -> None:
    expr = find_onset_expressions("within 24 hours")[0]
    assert isinstance(expr, OnsetExpression)
    with pytest.raises(dataclasses.FrozenInstanceError):
        expr.start = 3  # type: ignore[misc]


def test_case_insensitive() -> None:
    assert _spans("WITHIN 24 HOURS") == [("WITHIN 24 HOURS", None, DAY)]


def _check_invariants(text: str) -> None:
    found = find_onset_expressions(text)
    prev_end = 0
    for e in found:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text
        assert e.start >= prev_end
        prev_end = e.end
        if e.min_s is not None and e.max_s is not None:
            assert e.min_s <= e.max_s
        if e.qualitative:
            assert e.min_s is None and e.max_s is None


_WORDS = st.sampled_from(
    [
        "within", "in", "up to", "for", "last", "previous for", "takes", "to", "from", "at",
        "after", "post-infusion", "4-6", "twenty-four", "a", "few", "2.5", "24", "h", "s",
        "times", "days", "weeks", "hours", "minutes", "years", "a day", "rapid", "swiftly",
        "onset", "effects", "wear off", "the last", "old", "-", ",", ".", "1960s", "between",
        "and", "half an", "hour",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_property_any_text(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=12).map(" ".join))
def test_property_onset_like_text(text: str) -> None:
    _check_invariants(text)
