"""Structured facts: sentences with the values expected from them, negatives included."""

from __future__ import annotations

from typing import Any

import pytest

from extract.links.facts import PageContext, claim_facts

H, MIN = 3600.0, 60.0


def _plain(text: str, context: str | None = None) -> list[tuple[Any, ...]]:
    if context is None:
        facts = claim_facts(text, 0)
    else:
        document = context + text
        facts = claim_facts(text, len(context), context=PageContext(document))
    return [
        (f.kind, f.route, f.level, f.jurisdiction, f.low, f.high, f.unit, f.status) for f in facts
    ]


# (claim, expected facts: kind, route, level, jurisdiction, low, high, unit, status)
CASES: list[tuple[str, list[tuple[Any, ...]]]] = [
    ("Onset: 15 - 60 minutes", [("onset", None, None, None, 15 * MIN, H, "s", None)]),
    ("**Onset:** 1 hours", [("onset", None, None, None, H, H, "s", None)]),
    ("Onset: 00:30 – 01:30", [("onset", None, None, None, 30 * MIN, 1.5 * H, "s", None)]),
    ("Total: 6 - 10 hours", [("duration", None, None, None, 6 * H, 10 * H, "s", None)]),
    ("Light: 25 - 100 mg", [("dose", None, "light", None, 25.0, 100.0, "mg", None)]),
    ("Heavy: 300 mg +", [("dose", None, "heavy", None, 300.0, None, "mg", None)]),
    ("**Common:** 75mg-250mg", [("dose", None, "common", None, 75.0, 250.0, "mg", None)]),
    ("Common: 100 - 150 µg", [("dose", None, "common", None, 0.1, 0.15, "mg", None)]),
    (
        "**Reference Dosage:** Light 50mg+; Common 100mg+",
        [
            ("dose", None, "light", None, 50.0, None, "mg", None),
            ("dose", None, "common", None, 100.0, None, "mg", None),
        ],
    ),
    (
        "**Anticipated: Onset / Duration:** 1 Hour / 6 Hours",
        [
            ("onset", None, None, None, H, H, "s", None),
            ("duration", None, None, None, 6 * H, 6 * H, "s", None),
        ],
    ),
    (
        "When taken by mouth, effects begin after 15 to 60 minutes.",
        [("onset", "oral", None, None, 15 * MIN, H, "s", None)],
    ),
    (
        "Onset of action is 30 min - 1 hour when taken orally, 5 minutes when injected.",
        [
            ("onset", "oral", None, None, 30 * MIN, H, "s", None),
            ("onset", "intravenous", None, None, 5 * MIN, 5 * MIN, "s", None),
        ],
    ),
    (
        "After oral administration, onset of action takes place within 45 to 1 hour.",
        [("onset", "oral", None, None, 45 * MIN, H, "s", None)],
    ),
    ("Effects begin within 30 minutes.", [("onset", None, None, None, 0.0, 30 * MIN, "s", None)]),
    (
        "In healthy adults, caffeine's half-life is between 3 and 7 hours.",
        [("half_life", None, None, None, 3 * H, 7 * H, "s", None)],
    ),
    (
        "The desired effects arise approximately one hour after consumption.",
        [("onset", None, None, None, H, H, "s", None)],
    ),
    ("Bioavailability: 70 - 90%", [("bioavailability", None, None, None, 70.0, 90.0, "%", None)]),
    (
        "Methadone is a Schedule I controlled substance in Canada and Schedule II in the United States.",
        [
            ("legal_status", None, None, "canada", None, None, None, "schedule I"),
            ("legal_status", None, None, "united states", None, None, None, "schedule II"),
        ],
    ),
    (
        "MDMA is Schedule 3 in Egypt.",
        [("legal_status", None, None, "egypt", None, None, None, "schedule III")],
    ),
    (
        "Tramadol is not a controlled substance in the UK.",
        [("legal_status", None, None, "united kingdom", None, None, None, "unscheduled")],
    ),
    (
        "In Australia, alprazolam is a Schedule 8 medication.",
        [("legal_status", None, None, "australia", None, None, None, "schedule 8")],
    ),
    # Negatives: no value, a value of no known kind, a number that is not a quantity.
    # Dates, as precise as written (decimal years).
    (
        "Tramadol was developed in 1962 by Grünenthal.",
        [("date", None, None, None, 1962.0, 1963.0, "year", None)],
    ),
    (
        "In Australia, as of February 2014, it is S8.",
        [("date", None, None, None, 2014.0849, 2014.1616, "year", None)],
    ),
    (
        "It was developed in the late 1930s.",
        [("date", None, None, None, 1936.0, 1940.0, "year", None)],
    ),
    ("Taken by 1500 patients for 2000 days.", []),
    ("The effects last a long time.", []),
    ("Tablets come in packs of 20 and 50.", []),
    ("The desired effects begin quickly and the user feels warm.", []),
    ("It is a Schedule IV controlled substance.", []),  # no place: nothing to compare
    ("The Cmax was approximately 300μg/L.", []),  # a concentration, not a dose
    ("Effects peak and subside and then return.", []),  # "and" is no number of days
    # A verb label is said of the phase named before it.
    (
        "The ride up usually lasts 30 minutes",
        [("come_up", None, None, None, 30 * MIN, 30 * MIN, "s", None)],
    ),
    (
        "MDMA can cause [hangovers](https://example.org/h) in some users lasting between 1 and 7 days.",
        [("after_effects", None, None, None, 24 * H, 7 * 24 * H, "s", None)],
    ),
    # Grades in words.
    (
        "Alprazolam is a short-acting benzodiazepine.",
        [("action_length", None, None, None, 0.0, 0.0, "grade", "short")],
    ),
    (
        "It has an intermediate onset of action.",
        [("onset_speed", None, None, None, 1.0, 1.0, "grade", "intermediate")],
    ),
    (
        "Caffeine is not addictive.",
        [("addictiveness", None, None, None, 0.0, 0.0, "grade", "none")],
    ),
    ("It is highly addictive.", [("addictiveness", None, None, None, 3.0, 3.0, "grade", "high")]),
    (
        "Diazepam is moderately lipophilic.",
        [("lipophilicity", None, None, None, 1.0, 1.0, "grade", "moderate")],
    ),
    ("It has a faster onset than diazepam.", []),  # a comparison, not a grade
    ("It is not a fast-acting drug.", []),
    ("It comes in short-acting and long-acting forms.", []),  # two grades: none
    # A unit over a denominator it does not list is no mass; function words may follow.
    ("Molecular weight: 315.369 g/mol", []),
    (
        "It has an oral bioavailability of 60% to 87% that is unaffected by food.",
        [("bioavailability", "oral", None, None, 60.0, 87.0, "%", None)],
    ),
    ("It is attributed to the 20-30% first-pass metabolism.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_facts_read_from_a_claim(text: str, expected: list[tuple[Any, ...]]) -> None:
    assert _plain(text) == expected


def test_the_heading_above_gives_route_and_kind() -> None:
    page = "# Tramadol\n\n## Dosage & Duration\n\n### Oral\n\n**Duration:**\n- "
    assert _plain("Onset: 15 - 60 minutes", page) == [
        ("onset", "oral", None, None, 15 * MIN, H, "s", None)
    ]
    # An unlabelled value takes its kind from the bold lead above it.
    assert _plain("6 - 10 hours", page) == [
        ("duration", "oral", None, None, 6 * H, 10 * H, "s", None)
    ]
    # A shallower heading forgets the deeper route.
    later = page + "x\n\n## Interactions\n\n- "
    assert _plain("Onset: 15 - 60 minutes", later)[0][1] is None


def test_conditions_keep_values_apart() -> None:
    facts = claim_facts(
        "The elimination half-life of tramadol is about 6 hours, and 7.4 hours for its active metabolite.",
        0,
    )
    assert [sorted(f.conditions) for f in facts] == [[], ["metabolite"]]
    (pregnant,) = claim_facts("Pregnant women show a half-life of 15 hours.", 0)
    assert pregnant.conditions == {"pregnancy"}
    (past,) = claim_facts("Tramadol was unscheduled in the United States.", 0)
    assert past.conditions == {"past"}


@pytest.mark.parametrize(
    ("text", "gap"),
    [
        ("Onset: 15 - 60 minutes", 0),
        # Linking words ("of", "is", "approximately") are not counted.
        ("The half-life of caffeine is approximately 5 hours.", 1),
        ("Its elimination half-life is about 6 hours.", 0),
        ("After oral administration, onset of action takes place within 45 to 1 hour.", 2),
        ("Onset in most recreational settings is 30 minutes.", 3),
        ("About 50 mg is enough.", None),  # the kind comes from the unit
    ],
)
def test_label_gap_counts_the_words_between_label_and_value(text: str, gap: int | None) -> None:
    assert claim_facts(text, 0)[0].label_gap == gap


def test_qualifiers_ruled_out_or_of_a_symptom() -> None:
    (plain,) = claim_facts(
        "Oxycodone, when taken orally (and not in sustained-release form) has effects that"
        " last from 3 to 5 hours.",
        0,
    )
    assert plain.conditions == frozenset()
    (seizure,) = claim_facts("Seizure onset was 0.5 to 20 hours after administration.", 0)
    assert seizure.conditions == {"adverse_event"}


def test_offsets_point_into_the_document() -> None:
    document = "Intro line.\n\n- Common: 100 - 250 mg\n"
    start = document.index("Common")
    claim = document[start : document.index("\n", start)]
    (fact,) = claim_facts(claim, start, context=PageContext(document))
    assert document[fact.start : fact.end] == fact.text == "100 - 250 mg"
