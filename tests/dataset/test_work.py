"""Long texts go to the NLP pass in pieces: cut only at line breaks, rebuilt exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.dataset.work import text_chunks

LINES = st.lists(
    st.tuples(st.text(alphabet="ab .é", max_size=60), st.sampled_from(["\n", "\n\n", "\r\n"])),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(LINES, st.integers(min_value=1, max_value=80), st.sampled_from([None, 1, 3]))
def test_pieces_rebuild_the_text_and_cut_only_at_line_breaks(
    lines: list[tuple[str, str]], max_chars: int, line_factor: int | None
) -> None:
    text = "".join(body + end for body, end in lines)
    line_limit = None if line_factor is None else max_chars * line_factor
    pieces = text_chunks(text, max_chars, line_limit)
    assert "".join(piece for _, piece in pieces) == text
    position = 0
    for offset, piece in pieces:
        assert offset == position and (piece or len(pieces) == 1)
        position += len(piece)
    limit = max(line_limit or max_chars, max_chars)
    for offset, piece in pieces[:-1]:
        cut = offset + len(piece)
        at_break = text[cut - 1] in "\n\r" or text[cut] in "\n\r"
        if not at_break:  # only a line longer than the limit is cut inside
            line_start = max(text.rfind("\n", 0, cut), text.rfind("\r", 0, cut)) + 1
            line_end = min(
                i for i in (text.find("\n", cut), text.find("\r", cut), len(text)) if i >= 0
            )
            assert line_end - line_start > limit
        # A line kept whole, with the breaks around it (a CRLF after it is two characters).
        assert len(piece) <= limit + 3


def test_a_long_line_stays_whole_up_to_the_model_limit() -> None:
    text = "Short line.\n" + "A long sentence that runs on and on. " * 20 + "\nTail.\n"
    pieces = text_chunks(text, 100, 10_000)
    assert [piece for _, piece in pieces] == [
        "Short line.\n",
        "A long sentence that runs on and on. " * 20 + "\n",
        "Tail.\n",
    ]
