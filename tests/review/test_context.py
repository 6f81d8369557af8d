"""The context a reviewer sees: paragraphs cut at blank lines, whatever the newline style."""

from __future__ import annotations

import pytest

from extract.review.context import MAX_PARAGRAPH_CHARS, paragraph_bounds


@pytest.mark.parametrize(
    ("text", "claim", "paragraph"),
    [
        ("First line.\nSecond line.", "Second line.", "First line.\nSecond line."),
        ("First line.\r\nSecond line.", "Second line.", "First line.\r\nSecond line."),
        ("First line.\rSecond line.", "Second line.", "First line.\rSecond line."),
        (
            "Intro.\n\nKetamine acts fast.\nIt lasts.\n\nEnd.",
            "It lasts.",
            "Ketamine acts fast.\nIt lasts.",
        ),
        (
            "Intro.\r\n\r\nKetamine acts fast.\r\n\r\nEnd.",
            "Ketamine acts fast.",
            "Ketamine acts fast.",
        ),
        ("Intro.\r\rKetamine acts fast.", "Ketamine acts fast.", "Ketamine acts fast."),
        ("Intro.\n  \t\nKetamine acts fast.", "Ketamine acts fast.", "Ketamine acts fast."),
        ("Only 😀 line.", "line.", "Only 😀 line."),
    ],
)
def test_paragraph_bounds(text: str, claim: str, paragraph: str) -> None:
    start = text.index(claim)
    begin, end = paragraph_bounds(text, start, start + len(claim))
    assert text[begin:end] == paragraph


def test_a_huge_paragraph_is_cut_to_the_claims_line() -> None:
    filler = "Filler sentence here. " * (MAX_PARAGRAPH_CHARS // 10)
    text = f"{filler}\nKetamine blocks NMDA receptors.\n{filler}"
    start = text.index("Ketamine")
    begin, end = paragraph_bounds(text, start, start + 10)
    assert text[begin:end] == "Ketamine blocks NMDA receptors."
