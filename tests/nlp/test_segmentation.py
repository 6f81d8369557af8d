"""Sentence segmentation: tables of texts and the sentences a careful reader sees."""

from __future__ import annotations

import pytest

from extract.nlp.citation_markers import find_citation_markers
from extract.nlp.segmentation import segment_text


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in segment_text(text, find_citation_markers(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Never across a line break, whatever the punctuation.
        (
            "Ketamine blocks NMDA receptors\nIt acts fast.",
            ["Ketamine blocks NMDA receptors", "It acts fast."],
        ),
        ("One line.\r\nAnother line.\rA third.", ["One line.", "Another line.", "A third."]),
        # A reference glued to the full stop ends the sentence and belongs to it.
        (
            "mTOR inhibits cell autophagy.82 Besides its roles, mTOR shapes circuits.82 Apparently, it acts.",
            [
                "mTOR inhibits cell autophagy.82",
                "Besides its roles, mTOR shapes circuits.82",
                "Apparently, it acts.",
            ],
        ),
        (
            "The lifetime prevalence was 11.three%.two Regrettably, the cause is unknown.",
            ["The lifetime prevalence was 11.three%.two", "Regrettably, the cause is unknown."],
        ),
        (
            "It takes up to four minutes when given IM.seven\nNext line.",
            ["It takes up to four minutes when given IM.seven", "Next line."],
        ),
        (
            "Rapamycin abolished the effect.102,106 However, mTORC1 matters.",
            ["Rapamycin abolished the effect.102,106", "However, mTORC1 matters."],
        ),
        ("It works [12]. Then it fades [13].", ["It works [12].", "Then it fades [13]."]),
        # Stacked or spaced references after the stop belong to the sentence before.
        (
            "Diazepam is used for seizures.[3][4] Breathing usually stays normal.[7]",
            ["Diazepam is used for seizures.[3][4]", "Breathing usually stays normal.[7]"],
        ),
        (
            "Effects last six hours.[4] [5] Tolerance builds fast.[6]",
            ["Effects last six hours.[4] [5]", "Tolerance builds fast.[6]"],
        ),
        (
            "It is licensed in Europe. [12] It is not sold in Japan.",
            ["It is licensed in Europe. [12]", "It is not sold in Japan."],
        ),
        # A bare number after a space is not a reference: it opens the next sentence.
        (
            "Doses vary widely. 20 mg is a common start.",
            ["Doses vary widely.", "20 mg is a common start."],
        ),
        # A bare number opening a line is the tail of the sentence cut before it.
        ("7 It is important to avoid misuse.", ["7", "It is important to avoid misuse."]),
        (
            "eight At low doses, ketamine relieves pain.",
            ["eight", "At low doses, ketamine relieves pain."],
        ),
        # Quotations and attribution.
        (
            "“It is not the treatment,” Krystal says. “That is a side effect.",
            ["“It is not the treatment,” Krystal says.", "“That is a side effect."],
        ),
        (
            "the expression ‘happy place.’ It was calm.",
            ["the expression ‘happy place.’", "It was calm."],
        ),
        # A lower-case sentence opening with a mixed-case name.
        (
            "It was named rapamycin (mTOR). mTOR regulates growth.",
            ["It was named rapamycin (mTOR).", "mTOR regulates growth."],
        ),
        # Abbreviations, initials and decimals do not end sentences.
        (
            "Dr. Smith et al. reported a 2.5 mg dose in the U.S. trial.",
            ["Dr. Smith et al. reported a 2.5 mg dose in the U.S. trial."],
        ),
        ("J. Krystal showed this, e.g. in rats.", ["J. Krystal showed this, e.g. in rats."]),
        ("It helps? Yes! It does.", ["It helps?", "Yes!", "It does."]),
        # Markdown bullets and headings: the mark is not part of the sentence.
        (
            "# Ketamine\n- Blocks NMDA receptors.\n* Acts in hours.",
            ["Ketamine", "Blocks NMDA receptors.", "Acts in hours."],
        ),
        # Negatives: glued numbers inside a sentence do not split it.
        (
            "BMI predicted response to ketamine,196 but in another study197 it did not.",
            ["BMI predicted response to ketamine,196 but in another study197 it did not."],
        ),
        ("Whitespace only\n\n   \n", ["Whitespace only"]),
        ("", []),
    ],
)
def test_segmentation(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_offsets_index_the_text_exactly() -> None:
    text = "  Ketamine 🧠 acts.\r\n\r\n“It works,” she said.  "
    for start, end in segment_text(text):
        assert text[start:end] == text[start:end].strip()
        assert "\n" not in text[start:end]
