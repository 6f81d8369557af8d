"""What a date dates: sentences with the event expected of each date, negatives included."""

from __future__ import annotations

import pytest

from extract.links.facts import claim_facts


def _dated(text: str) -> list[tuple[str, list[str], str | None]]:
    return [
        (f.text, sorted(f.conditions), f.jurisdiction)
        for f in claim_facts(text, 0)
        if f.kind == "date"
    ]


# (claim, its dates: text, conditions (the event, a schedule), place)
CASES: list[tuple[str, list[tuple[str, list[str], str | None]]]] = [
    ("MDMA was first synthesized in 1912 by Merck.", [("1912", ["first synthesis"], None)]),
    (
        "It was brought to market in 1943 and was widely used by the German army.",
        [("1943", ["first sale"], None)],  # "German" is after the clause: no place
    ),
    (
        "Oxycodone was originally produced from the alkaloid thebaine in 1916 in Germany.",
        [("1916", ["first synthesis"], "germany")],
    ),
    (
        "Etizolam becomes Schedule I in Arkansas on December 1st, 2014.",
        [("December 1st, 2014", ["schedule I", "scheduling"], "arkansas")],
    ),
    (
        "MDMA was first proposed for scheduling by the DEA in July 1984 and was classified as a"
        " Schedule I controlled substance in the U.S. on 31 May 1985.",
        # The proposal is another step of the history: its date dates nothing comparable.
        [("July 1984", [], None), ("31 May 1985", ["schedule I", "scheduling"], "united states")],
    ),
    (
        "MDMA's analogue MDA was first synthesized in 1910.",
        [("1910", ["first synthesis", "relative"], None)],  # another compound's event
    ),
    # Events that happen many times date nothing comparable.
    ("MDMA was synthesized in 1959 by Fruhstorfer.", [("1959", [], None)]),
    ("It was approved by the FDA in 1995.", [("1995", [], None)]),
    ("The patent was filed in October 1969.", [("October 1969", [], None)]),
    ("In 2015, 5% of adults had used it.", [("2015", [], None)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_dates_with_the_event_they_date(
    text: str, expected: list[tuple[str, list[str], str | None]]
) -> None:
    assert _dated(text) == expected
