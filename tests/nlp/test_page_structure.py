"""Lists of facts under a lead-in: which lines are items, and what kind of fact they list."""

from __future__ import annotations

import pytest

from extract.nlp.page_structure import lead_in_type, page_lists
from extract.nlp.segmentation import LINE_BREAK


def items_of(text: str) -> dict[str, str | None]:
    """Each item line's text -> the claim type its list gives it."""
    breaks = [(m.start(), m.end()) for m in LINE_BREAK.finditer(text)]
    starts = [0, *(end for _, end in breaks)]
    ends = [*(start for start, _ in breaks), len(text)]
    found = page_lists(text, zip(starts, ends, strict=True))
    return {
        text[start:end]: found.items[start].claim_type
        for start, end in zip(starts, ends, strict=True)
        if start in found.items
    }


def lead_in_lines(text: str) -> list[str]:
    breaks = [(m.start(), m.end()) for m in LINE_BREAK.finditer(text)]
    starts = [0, *(end for _, end in breaks)]
    ends = [*(start for start, _ in breaks), len(text)]
    found = page_lists(text, zip(starts, ends, strict=True))
    return [text[s:e] for s, e in zip(starts, ends, strict=True) if s in found.lead_in_lines]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A colon lead-in over bulleted items, blank lines between them or not.
        (
            "Common side effects of lorazepam include:\n\n- Drowsiness[4]\n- Muscle weakness\n",
            {"- Drowsiness[4]": "safety", "- Muscle weakness": "safety"},
        ),
        # A bold lead-in over "label: value" items.
        (
            "**Dosage:**\n- Light: 5 - 10 mg\n- Common: 10 - 20 mg\n",
            {"- Light: 5 - 10 mg": "dosage", "- Common: 10 - 20 mg": "dosage"},
        ),
        # A sub-heading naming nothing takes its section's kind.
        (
            "## Timeline\n\n#### Oral\n\nOnset: 20 - 40 minutes\n\nTotal: 4 - 6 hours\n",
            {"Onset: 20 - 40 minutes": "onset", "Total: 4 - 6 hours": "onset"},
        ),
        # ... and a sub-heading with a kind of its own overrides it.
        (
            "## Effects\n\n#### Negative\n\n- Nausea\n\n#### Positive\n\n- Calm\n",
            {"- Nausea": "safety", "- Calm": "other"},
        ),
        # Unbulleted lines after a lead-in ending in a colon, up to the paragraph.
        (
            "Clonazepam has several uses, including:\n\nTreatment of panic disorder\n\n"
            "Treatment of seizures\nDoses are set for each patient by the prescriber.\n",
            {"Treatment of panic disorder": "efficacy", "Treatment of seizures": "efficacy"},
        ),
        # A lead-in closing a paragraph, after a reference.
        (
            "It lasts long.[3] Reported adverse effects include:\n-   Headache[5]\n",
            {"-   Headache[5]": "safety"},
        ),
        # A plain-text heading naming a section, over a heading of a paragraph.
        (
            "Contraindications include:\nLiver failure\n\nAdverse effects\n\nConstipation\n\n"
            "Constipation is common and lasts for the whole treatment.\n",
            {"Liver failure": "safety"},
        ),
        # Capitals as a heading.
        ("PHYSICAL SYMPTOMS\n- Sweating\n- Chills\n", {"- Sweating": None, "- Chills": None}),
        # Table cells one per line under a heading are not items.
        ("### Products\nTablet\nOral\n5 mg\n", {}),
        # Prose ends a list.
        (
            "Side effects:\n- Dry mouth\nThe drug was patented in 1960.\n- Unrelated bullet\n",
            {"- Dry mouth": "safety"},
        ),
        # No lead-in, no list.
        ("- A bullet on its own\n- Another one\n", {}),
        # A bare quantity first under its heading is that heading's value (DrugBank).
        (
            "### Half-life\n\n23-215 hours\n\n### Clearance\n\n20 to 30 mL/min\n",
            {"23-215 hours": "other", "20 to 30 mL/min": "other"},
        ),
        # ... but not a quantity among table cells, nor a number without a unit.
        ("### Products\nTablet\n5 mg\n\n### Rating\n\n4.5\n", {}),
        # A "Label: value" line with a unit states a value wherever it stands; chrome does not.
        (
            "Molecular weight: 315.369 g/mol\nOnset: 20 - 40 minutes\n"
            "Last updated: 3 days ago\nPosts: 1,234\n",
            {"Molecular weight: 315.369 g/mol": "other", "Onset: 20 - 40 minutes": "onset"},
        ),
        # ... also under a heading of no known kind, in italics with a no-break space.
        (
            "### Notes\n*Normal After Effects*\u00a0:\u00a02 - 5 hrs\nMDA half-life: 16 – 38 hours\n",
            {
                "*Normal After Effects*\u00a0:\u00a02 - 5 hrs": "other",
                "MDA half-life: 16 – 38 hours": "other",
            },
        ),
    ],
)
def test_list_items(text: str, expected: dict[str, str | None]) -> None:
    assert items_of(text) == expected


def test_lead_in_lines_are_those_followed_by_items() -> None:
    text = "Its uses include:\n- Insomnia\n\nNothing follows this one:\nA paragraph ends here.\n"
    assert lead_in_lines(text) == ["Its uses include:"]


@pytest.mark.parametrize(
    ("lead_in", "claim_type"),
    [
        ("Adverse effects of methadone include", "safety"),
        ("Effects", "other"),
        ("Reported adverse effects include", "safety"),  # the longest at a place
        ("Medical uses", "efficacy"),
        ("Dosage & Duration", "dosage"),  # the leftmost phrase wins
        ("Legal status", "regulatory"),
        ("See also", None),
        ("Usefulness", None),  # whole words only
    ],
)
def test_lead_in_type(lead_in: str, claim_type: str | None) -> None:
    assert lead_in_type(lead_in) == claim_type


def test_a_bold_line_giving_values_is_an_item_not_a_lead_in() -> None:
    import re

    from extract.nlp.page_structure import page_lists

    text = (
        "#### Insufflated\n\n"
        "**Onset : 1 - 15 minutes Peak : 10 - 30 minutes Duration : 3 - 5 hours**\n\n"
        "*Normal After Effects* : 2 - 5 hrs\n\n"
        "**Dosage:**\n- Light: 5 mg\n"
    )
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text)]
    items = page_lists(text, lines).items
    leads = {text[start : text.index("\n", start)]: item.lead_in for start, item in items.items()}
    assert leads == {
        "**Onset : 1 - 15 minutes Peak : 10 - 30 minutes Duration : 3 - 5 hours**": "Insufflated",
        "*Normal After Effects* : 2 - 5 hrs": "Insufflated",
        "- Light: 5 mg": "Dosage",
    }
