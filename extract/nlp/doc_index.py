"""Whole-document values computed once per Doc, looked up by character range.

spaCy builds ``Doc.text`` anew from every token on each access, and iterating a span group
makes a ``Span`` object for each of its members. Work done per sentence or per claim must do
neither, or a page's cost grows with the square of its length: it asks a :class:`DocIndex`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from spacy.tokens import Doc, Span

T = TypeVar("T")


class RangeIndex(Generic[T]):
    """Items with character offsets, fetched by range in their original order."""

    def __init__(self, items: Sequence[T], start_of: Callable[[T], int]) -> None:
        order = sorted(range(len(items)), key=lambda i: (start_of(items[i]), i))
        self.items = [items[i] for i in order]
        self.positions = order
        self.starts = [start_of(items[i]) for i in order]

    def starting_in(self, start: int, end: int) -> list[T]:
        """Items whose start lies in ``[start, end)``, in their original order."""
        first, last = bisect_left(self.starts, start), bisect_left(self.starts, end)
        if last - first <= 1:
            return self.items[first:last]
        chosen = sorted(range(first, last), key=self.positions.__getitem__)
        return [self.items[i] for i in chosen]


class SpanIndex:
    """A span group's members, fetched by character range in the group's own order."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.index = RangeIndex(list(spans), lambda span: span.start_char)

    def inside(self, start: int, end: int) -> list[Span]:
        """Members lying wholly inside ``[start, end)``."""
        return [s for s in self.index.starting_in(start, end) if s.end_char <= end]


class DocIndex:
    """The document's text, line breaks and span groups, each built once, on first use."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._text: str | None = None
        self._groups: dict[str, SpanIndex] = {}

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.doc.text
        return self._text

    def spans(self, key: str) -> SpanIndex:
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = SpanIndex(list(self.doc.spans.get(key, [])))
        return group

    def inside(self, key: str, start: int, end: int) -> list[Span]:
        """Members of span group ``key`` lying wholly inside ``[start, end)``."""
        return self.spans(key).inside(start, end)


class LineIndex:
    """Where the lines of a text start and end, for finding a range's line by bisection."""

    def __init__(self, text: str, breaks: Sequence[tuple[int, int]]) -> None:
        self.length = len(text)
        self.break_starts = [start for start, _ in breaks]
        self.break_ends = [end for _, end in breaks]

    def lines(self) -> list[tuple[int, int]]:
        """Every line's ``(start, end)``, line breaks excluded, in order."""
        return list(zip([0, *self.break_ends], [*self.break_starts, self.length], strict=True))

    def line_of(self, start: int, end: int) -> tuple[int, int]:
        """The start of the line holding ``start`` and the end of the line holding ``end``."""
        before = bisect_right(self.break_ends, start)
        line_start = self.break_ends[before - 1] if before else 0
        after = bisect_left(self.break_starts, end)
        line_end = self.break_starts[after] if after < len(self.break_starts) else self.length
        return line_start, line_end
