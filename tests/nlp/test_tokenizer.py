"""The tokenizer keeps words, numbers and references apart, whatever is glued to what."""

from __future__ import annotations

import pytest
from spacy.language import Language


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # Spelled-out or numeric references glued to a word (spun pages).
        ("autophagy.82 Besides", ["autophagy", ".", "82", "Besides"]),
        ("given IM.seven", ["given", "IM", ".", "seven"]),
        # A bracketed reference after a stop: the year, the stop and the reference apart.
        ("approved in 1947.[19]", ["approved", "in", "1947", ".", "[", "19", "]"]),
        ("lasts 3–6 hours.[6][7]", ["lasts", "3–6", "hours", ".", "[", "6", "]", "[", "7", "]"]),
        ("in the US,[29] and", ["in", "the", "US", ",", "[", "29", "]", "and"]),
        # A decimal stays whole.
        ("11.3% of users", ["11.3", "%", "of", "users"]),
        ("11.3%.2 Regrettably", ["11.3%", ".", "2", "Regrettably"]),
    ],
)
def test_tokens(nlp: Language, text: str, tokens: list[str]) -> None:
    assert [t.text for t in nlp.make_doc(text)] == tokens
