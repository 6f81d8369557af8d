"""Property tests: arbitrary text never breaks provenance or the record contract."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from extract.dataset.build import build
from extract.dataset.config import EXTRACTOR_VERSION
from extract.dataset.rows import claims_from_sentences
from extract.nlp.attrs import SENTENCES_ATTR
from extract.tables.contract import validate_rows

FRAGMENTS = st.sampled_from(
    [
        "Ketamine blocks NMDA receptors", ".82 ", "[nine]", ",three,four ", "11.three%.two",
        "\n", "\r\n", "\r", " IM.seven", "“", "”", "within 24 hours", "🧠", "\u200b", "? ",
        "Report this page", "(Smith et al., 2019)", "- ", "# ", "7 ", "may ", "IV ", "\t",
    ]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=30).map("".join),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS)
def test_provenance_and_schema_hold_on_any_text(nlp: Language, text: str) -> None:
    doc = nlp(text)
    sentences = doc._.get(SENTENCES_ATTR)
    for sentence in sentences:
        start, end = sentence["char_start"], sentence["char_end"]
        assert 0 <= start < end <= len(text)
        assert "\n" not in text[start:end] and "\r" not in text[start:end]
    claims = claims_from_sentences(
        doc_id="0" * 64, source_file="x.txt", text=text, sentences=sentences,
        extractor_version=EXTRACTOR_VERSION,
    )  # fmt: skip
    rows: list[dict[str, Any]] = [claim.to_row() for claim in claims]
    for row in rows:
        assert text[row["char_start"] : row["char_end"]] == row["text"]
    validate_rows("claim", rows)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(TEXTS, min_size=1, max_size=3))
def test_whole_build_keeps_provenance_on_any_text(nlp: Language, texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "in"
        corpus.mkdir()
        for number, text in enumerate(texts):
            (corpus / f"doc{number}.txt").write_bytes(text.encode("utf-8", errors="surrogatepass"))
        out = Path(folder) / "out"
        build([corpus], out, progress=False, nlp=nlp)
        documents = pd.read_parquet(out / "documents.parquet").set_index("doc_id")
        claims = pd.read_parquet(out / "claims.parquet")
        for claim in claims.itertuples():
            assert (
                documents.loc[claim.doc_id, "text"][claim.char_start : claim.char_end] == claim.text
            )
        assert set(documents.status) <= {
            "ok",
            "empty",
            "duplicate",
            "decode_fallback",
            "skipped_binary",
        }
