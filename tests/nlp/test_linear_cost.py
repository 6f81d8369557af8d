"""A page's cost grows with its length, not its square, and no wall clock decides it.

spaCy builds ``Doc.text`` from every token on each access, and reading a span group makes a
Span per member; done per sentence, either makes a component quadratic (a 1.2 MB forum
thread once ran for more than nine minutes). These tests run every claimset component on
a short and an eight-times-longer document through a Doc stand-in that counts both, and
require the same counts for both lengths.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from extract.nlp.doc_index import LineIndex, RangeIndex
from extract.nlp.segmentation import segment_text

# Varied sentences: citations of several styles, routes, onsets, hedges, negation, spam,
# quotes, list items and headings, so every component has work on every line.
PARAGRAPH = (
    "## Pharmacology\n"
    "Ketamine blocks the NMDA receptor.[3][4] Its onset is 30 seconds when injected "
    "intravenously, and about 5 to 10 minutes intramuscularly.[7]\n"
    "- Oral: onset 15 - 30 minutes\n"
    "It may cause hallucinations in some patients (Smith et al., 2019). "
    "It is not approved for depression in Canada. ketamine for sale online Buy now.\n"
    '"It worked within hours," said Dr. Lee. "We saw relief by day two."\n'
    "A 2018 trial of 60 adults found a 50% response rate.12 Tolerance develops quickly.\n"
)
SHORT, LONG = 5, 40  # paragraphs


class CountingDoc:
    """Stands in for a Doc: forwards everything, counts text builds and span-group reads."""

    def __init__(self, doc: Doc) -> None:
        object.__setattr__(self, "_doc", doc)
        object.__setattr__(self, "text_builds", 0)
        object.__setattr__(self, "span_group_reads", 0)

    @property
    def text(self) -> str:
        object.__setattr__(self, "text_builds", self.text_builds + 1)
        return str(self._doc.text)

    @property
    def spans(self) -> Any:
        object.__setattr__(self, "span_group_reads", self.span_group_reads + 1)
        return self._doc.spans

    def __getattr__(self, name: str) -> Any:
        return getattr(self._doc, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._doc, name, value)

    def __len__(self) -> int:
        return len(self._doc)

    def __iter__(self) -> Any:
        return iter(self._doc)

    def __getitem__(self, key: Any) -> Any:
        return self._doc[key]


def _counts(nlp: Language, paragraphs: int) -> dict[str, tuple[int, int]]:
    """Per claimset component: (text builds, span-group reads) on a document of that size."""
    doc = nlp.make_doc(PARAGRAPH * paragraphs)
    counts = {}
    for name, component in nlp.pipeline:
        # claimset's own components (the lexicon rulers are spaCy's SpanRuler).
        if not type(component).__module__.startswith("extract."):
            doc = component(doc)
            continue
        counting = CountingDoc(doc)
        result = component(counting)  # type: ignore[arg-type]
        assert result is counting
        counts[name] = (counting.text_builds, counting.span_group_reads)
    return counts


def test_component_work_per_sentence_does_not_grow_with_the_page(nlp: Language) -> None:
    short, long = _counts(nlp, SHORT), _counts(nlp, LONG)
    assert set(short) >= {
        "claimset_citations",
        "claimset_sentence_boundaries",
        "claimset_onsets",
        "claimset_attribution",
        "claimset_claims",
    }
    assert long == short
    for name, (text_builds, _) in long.items():
        assert text_builds <= 1, f"{name} builds Doc.text {text_builds} times"


def test_the_long_document_has_many_claims(nlp: Language) -> None:
    # The guard above means something only if the long document exercises the per-claim
    # code: its claims must be many and grow with the page.
    from extract.nlp.attrs import SENTENCES_ATTR

    def n_claims(paragraphs: int) -> int:
        sentences = nlp(PARAGRAPH * paragraphs)._.get(SENTENCES_ATTR)
        return sum(len(s["claims"]) for s in sentences)

    assert n_claims(LONG) == n_claims(SHORT) * LONG // SHORT >= 100


class CountingText(str):
    """A text that counts the characters its slices copy."""

    copied = 0

    def __getitem__(self, key: Any) -> str:
        piece = str.__getitem__(self, key)
        if isinstance(key, slice):
            CountingText.copied += len(piece)
        return piece


@pytest.mark.parametrize("paragraphs", [SHORT, LONG])
def test_segmentation_copies_each_character_a_bounded_number_of_times(paragraphs: int) -> None:
    text = CountingText(PARAGRAPH * paragraphs)
    CountingText.copied = 0
    segment_text(text)
    assert CountingText.copied <= 4 * len(text)


def test_range_index_returns_items_in_their_original_order() -> None:
    items = [(30, "c"), (10, "a"), (20, "b"), (10, "d"), (50, "e")]
    index = RangeIndex(items, lambda item: item[0])
    assert index.starting_in(10, 31) == [(30, "c"), (10, "a"), (20, "b"), (10, "d")]
    assert index.starting_in(11, 30) == [(20, "b")]
    assert index.starting_in(31, 50) == []
    assert index.starting_in(0, 100) == items


@pytest.mark.parametrize(
    ("text", "start", "end", "line"),
    [
        ("one\ntwo three\r\nfour", 4, 7, (4, 13)),
        ("one\ntwo three\r\nfour", 0, 3, (0, 3)),
        ("one\ntwo three\r\nfour", 15, 19, (15, 19)),
        ("no break at all", 3, 8, (0, 15)),
    ],
)
def test_line_index_finds_the_line_of_a_range(
    text: str, start: int, end: int, line: tuple[int, int]
) -> None:
    breaks = [(i, i + 2) if text[i : i + 2] == "\r\n" else (i, i + 1) for i in (3, 13)]
    if "\n" not in text:
        breaks = []
    assert LineIndex(text, breaks).line_of(start, end) == line


def test_a_long_wrapped_sentence_is_judged_once(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every line continues the sentence before it (long, unpunctuated, lower-case next):
    # judging the whole sentence again for each of its lines would cost lines x length.
    from extract.nlp import claims

    calls = []
    real = claims.non_claim_reason

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(claims, "non_claim_reason", counting)
    line = "and the drug was given to a great many patients over many long years"
    text = "Lorazepam " + "\n".join([line] * 60) + " without harm.\n"
    doc = nlp(text)
    rows = doc._.get(claims.SENTENCES_ATTR)
    assert len(rows) == 60  # one row per line
    assert len(calls) == 1
