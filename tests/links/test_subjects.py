"""What a claim is about: the page's drug and the drugs a claim names."""

from __future__ import annotations

from typing import Any

import pytest

from extract.links.subjects import claim_subjects, page_subject


def _claim(text: str, drugs: list[tuple[str, str]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """A claim at offset 100 naming ``drugs`` ((surface, canonical), found in the text)."""
    entities = []
    for surface, canonical in drugs:
        start = text.index(surface)
        entities.append(
            {
                "text": surface,
                "label": "DRUG",
                "canonical": canonical,
                "start": 100 + start,
                "end": 100 + start + len(surface),
            }
        )
    return {"text": text, "char_start": 100, "entities": entities}


@pytest.mark.parametrize(
    ("text", "source_file", "claims", "expected"),
    [
        ("# Tramadol\n*Source: x*\n", "PSYCHONAUTWIKI - Tramadol.md", [], "tramadol"),
        ("# **LSD**\n", "x.md", [_claim("LSD is potent.", [("LSD", "LSD")])], "lsd"),
        # An alias in the title resolves to the entity's canonical name.
        ("# Ecstasy\n", "a.md", [_claim("Ecstasy is MDMA.", [("Ecstasy", "MDMA")])], "mdma"),
        # A headline is no name: the file name, then the most mentioned drug, decide.
        ("# How ketamine is used for depression\n", "WIKIPEDIA - Ketamine.md", [], "ketamine"),
        (
            "Ketamine for depression: what the studies say\n",
            "002_3d33.txt",
            [_claim("Ketamine blocks NMDA.", [("Ketamine", "ketamine")])] * 2
            + [_claim("Esketamine is a spray.", [("Esketamine", "esketamine")])],
            "ketamine",
        ),
        ("Some words about nothing in particular.\n", "notes.txt", [], None),
    ],
)
def test_page_subject(
    text: str, source_file: str, claims: list[dict[str, Any]], expected: str | None
) -> None:
    assert page_subject(text, source_file, claims) == expected


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (_claim("Onset: 15 - 60 minutes"), ["tramadol"]),
        (_claim("It blocks the reuptake of serotonin."), ["tramadol"]),
        (_claim("Tramadol is an opioid."), ["tramadol"]),
        # Opens on another drug: about that drug (and the others it names).
        (
            _claim(
                "Codeine is converted to morphine.",
                [("Codeine", "codeine"), ("morphine", "morphine")],
            ),
            ["codeine", "morphine"],
        ),
        # Names another drug later: still about the page's drug.
        (
            _claim("At low doses it is more stimulating than codeine.", [("codeine", "codeine")]),
            ["tramadol", "codeine"],
        ),
        (
            _claim(
                "The half-life is 6 hours, as opposed to 3 hours for morphine.",
                [("morphine", "morphine")],
            ),
            ["tramadol", "morphine"],
        ),
        # Refers back to the page's drug: both.
        (
            _claim(
                "Codeine and tramadol both lower the seizure threshold.", [("Codeine", "codeine")]
            ),
            ["codeine", "tramadol"],
        ),
        # A class the drug is set beside comes after it.
        (
            _claim(
                "As with other opioids, tramadol is moderately addictive.",
                [("opioids", "opioid")],
            ),
            ["tramadol", "opioid"],
        ),
        (
            _claim(
                "Unlike most opioids, tramadol inhibits serotonin reuptake.",
                [("opioids", "opioid")],
            ),
            ["tramadol", "opioid"],
        ),
        # ... but a drug named first on its own is still the claim's first subject.
        (
            _claim("Opioids like tramadol cause constipation.", [("Opioids", "opioid")]),
            ["opioid", "tramadol"],
        ),
    ],
)
def test_claim_subjects(claim: dict[str, Any], expected: list[str]) -> None:
    assert claim_subjects(claim, "tramadol") == expected


def test_no_page_subject_leaves_only_named_drugs() -> None:
    assert claim_subjects(_claim("It is potent."), None) == []
