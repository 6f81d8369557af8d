"""Format readers: HTML main content, PDF text layer with page offsets, corpus rows.

Every input is built here in tmp_path (or in memory): HTML strings, a hand-written PDF with
correct xref offsets, JSONL / CSV / Parquet files.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pypdf import PdfReader, PdfWriter

from extract.read import html as read_html
from extract.read.corpus import CORPUS_FORMATS, iter_corpus_rows
from extract.read.html import extract_html
from extract.read.pdf import extract_pdf
from extract.read.sources import CorpusRow, NotACorpus, ReadFailure

# HTML -----------------------------------------------------------------------------------

ARTICLE = (
    "Ketamine blocks NMDA receptors in the brain. It is used as an anaesthetic in "
    "hospitals and has been studied for depression.",
    "Low doses may reduce depressive symptoms within hours, according to several "
    "randomised trials published over the last decade.",
    "Side effects include dissociation, raised blood pressure and nausea, which usually "
    "resolve within two hours of the dose.",
)

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Ketamine  facts |
 Health Site</title>
<link rel="stylesheet" href="/s.css">
<link rel="Canonical" href="https://example.org/ketamine">
<meta property="og:url" content="https://example.org/og-ketamine">
<style>body {{ color: red }} .STYLETEXT {{}}</style>
<script>var tracking = "SCRIPTTEXT";</script>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/drugs">NAVTEXT Drugs A-Z</a></li></ul></nav>
<header><div class="banner">HEADERTEXT Subscribe to our newsletter</div></header>
<!-- HTMLCOMMENT build 1234 -->
<main><article>
<h1>Ketamine and the brain</h1>
<p>{ARTICLE[0]}</p>
<p>{ARTICLE[1]}</p>
<p>{ARTICLE[2]}</p>
</article></main>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>USERCOMMENT I tried it and it changed my life!!!</p></div></section>
<footer><p>FOOTERTEXT Copyright 2024 Health Site. All rights reserved.</p></footer>
<script>document.write("SCRIPT2");</script>
</body></html>
"""

BOILERPLATE = (
    "NAVTEXT",
    "HEADERTEXT",
    "HTMLCOMMENT",
    "USERCOMMENT",
    "FOOTERTEXT",
    "SCRIPTTEXT",
    "SCRIPT2",
    "STYLETEXT",
    "color: red",
)


def test_html_article_only_with_title_and_canonical() -> None:
    result = extract_html(PAGE.encode("utf-8"))
    for paragraph in ARTICLE:
        assert paragraph in result.text
    for noise in BOILERPLATE:
        assert noise not in result.text, noise
    # paragraphs stay separate lines, in order
    lines = result.text.split("\n")
    assert [lines.index(p) for p in ARTICLE] == sorted(lines.index(p) for p in ARTICLE)
    assert result.title == "Ketamine facts | Health Site"
    assert result.url == "https://example.org/ketamine"  # canonical wins over og:url
    assert result.encoding == "utf-8"
    assert result.decode_errors == 0
    assert result.page_starts == ()


def test_html_is_deterministic() -> None:
    data = PAGE.encode("utf-8")
    assert extract_html(data) == extract_html(data)


def test_html_og_url_when_no_canonical() -> None:
    page = PAGE.replace('<link rel="Canonical" href="https://example.org/ketamine">', "")
    assert extract_html(page.encode()).url == "https://example.org/og-ketamine"


def test_html_without_title_or_url() -> None:
    result = extract_html(f"<html><body><p>{ARTICLE[0]}</p></body></html>".encode())
    assert result.text == ARTICLE[0]
    assert result.title is None
    assert result.url is None


def test_html_windows_1252_declared_by_meta() -> None:
    body = (
        "Caf\xe9 au lait \u201cwith\u201d sugar \u2013 it costs \u20ac5 and its caffeine "
        "raises alertness for a few hours in most adults."
    )
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        f"<title>Caf\xe9 \u2013 facts</title></head><body><article><p>{body}</p></article>"
        "</body></html>"
    )
    data = page.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = extract_html(data)
    assert result.encoding == "cp1252"
    assert result.decode_errors == 0
    assert body in result.text
    assert result.title == "Caf\xe9 \u2013 facts"


@pytest.mark.parametrize("charset", ['<meta charset="iso-8859-1">', '<meta charset="latin1">'])
def test_html_latin1_label_read_as_windows_1252(charset: str) -> None:
    page = f"<html><head>{charset}</head><body><p>It costs \x805 per dose.</p></body></html>"
    result = extract_html(page.encode("latin-1"))
    assert result.encoding == "cp1252"
    assert "It costs \u20ac5 per dose." in result.text


def test_html_bom_wins_and_is_dropped() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 na\xefve</p></body></html>'
    result = extract_html(b"\xef\xbb\xbf" + page.encode("utf-8"))
    assert result.encoding == "utf-8-sig"
    assert result.text == "Caf\xe9 na\xefve"
    utf16 = extract_html(page.encode("utf-16"))  # with its BOM
    assert utf16.encoding == "utf-16"
    assert utf16.text == "Caf\xe9 na\xefve"


def test_html_undeclared_bad_bytes_are_replaced_and_counted() -> None:
    data = (
        "<html><body><p>Caf\xe9 dose: 5 mg \ufffd ok. Broken: ".encode()
        + b"\xff\xfe end.</p></body></html>"
    )
    result = extract_html(data)
    assert result.encoding == "utf-8"
    assert result.decode_errors == 2  # the literal U+FFFD in the page is not counted
    assert result.text.count("\ufffd") == 3


def test_html_undeclared_legacy_page_reads_as_windows_1252() -> None:
    page = "<html><body><p>Caf\xe9 \u201cna\xefve\u201d costs \u20ac5.</p></body></html>"
    result = extract_html(page.encode("cp1252"))
    assert result.encoding == "cp1252"
    assert result.decode_errors == 0
    assert result.text == "Caf\xe9 \u201cna\xefve\u201d costs \u20ac5."


def test_html_undeclared_cyrillic_is_text_not_binary() -> None:
    words = "\u041a\u0435\u0442\u0430\u043c\u0438\u043d \u0431\u043b\u043e\u043a\u0438\u0440\u0443\u0435\u0442 "
    page = f"<html><body><p>{words * 40}</p></body></html>"
    result = extract_html(page.encode("cp1251"))  # no declaration: decoded wrongly, not failed
    assert result.text
    assert result.encoding == "cp1252"


MALFORMED = [
    b"<html><body><div><p>Unclosed paragraph <b>bold <i>italic <div><p>Another one",
    b"<<<>>> </p></div></body> garbage <p>text <table><tr><td>cell",
    b"<html><head><title>Only a title",
    b"<!DOCTYPE html><html><body><p>Nested <a href='x'><a href='y'>links</a></p>"
    b"</a></body></html></html>",
    b'<?xml version="1.0" encoding="utf-8"?><html><body><p>XHTML-ish</p></body></html>',
    b"<html><body><p>NUL\x00 and controls \x01\x02 inside</p></body></html>",
    b"<p>" * 3000 + b"deep",
    b"just some words, no markup at all",
    b"</div></span></p></html>",
    b"<html><body><svg><text>drawn</text></svg><p>After the svg.</p></body></html>",
]


@pytest.mark.parametrize("data", MALFORMED, ids=range(len(MALFORMED)))
def test_html_malformed_never_crashes(data: bytes) -> None:
    result = extract_html(data)
    assert isinstance(result.text, str)
    assert "\x00" not in result.text
    assert "\x01" not in result.text


def test_html_unclosed_tags_keep_their_text() -> None:
    data = f"<html><body><article><p>{ARTICLE[0]}<p>{ARTICLE[1]}<div><b>{ARTICLE[2]}".encode()
    result = extract_html(data)
    for paragraph in ARTICLE:
        assert paragraph in result.text


def test_html_xml_declaration_is_not_a_problem() -> None:
    data = (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n<html><body><p>Caf\xe9 is open.</p>'
        "</body></html>"
    ).encode("latin-1")
    result = extract_html(data)
    assert result.encoding == "cp1252"
    assert "Caf\xe9 is open." in result.text


EMPTY = [
    b"",
    b"   \n\t ",
    b"<html><body></body></html>",
    b"<html><head><title>Title only</title></head><body>  </body></html>",
    b"<!-- only a comment -->",
    b"<html><body><script>var x = 1;</script><style>p{}</style></body></html>",
    b"<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>",
]


@pytest.mark.parametrize("data", EMPTY, ids=range(len(EMPTY)))
def test_html_without_text_is_empty(data: bytes) -> None:
    assert extract_html(data).text == ""


def test_html_empty_page_keeps_its_title() -> None:
    assert extract_html(EMPTY[3]).title == "Title only"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"\x1f\x8b\x08\x00" + bytes(range(256)),
        bytes(range(32)) * 50,
    ],
    ids=["png", "gzip", "control-bytes"],
)
def test_html_binary_is_a_read_failure(data: bytes) -> None:
    with pytest.raises(ReadFailure, match="not HTML"):
        extract_html(data)


def test_html_table_only_page_keeps_its_text() -> None:
    data = b"<html><body><table><tr><td>Dose</td><td>10 mg</td></tr></table></body></html>"
    assert extract_html(data).text.split("\n") == ["Dose", "10 mg"]


def test_html_fallback_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_html.trafilatura, "bare_extraction", lambda *a, **k: None)
    page = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<nav>NAVTEXT</nav><header>HEADERTEXT</header><script>SCRIPTTEXT</script>"
        "<div>First   block <b>with bold</b> text.<br>After a break.</div>"
        "<aside>ASIDETEXT</aside><form><input>FORMTEXT</form><noscript>NOSCRIPT</noscript>"
        "<ul><li>one</li><li> two </li></ul>tail text<!-- HTMLCOMMENT -->"
        "<footer>FOOTERTEXT</footer></body></html>"
    )
    result = extract_html(page.encode())
    assert result.text.split("\n") == [
        "First block with bold text.",
        "After a break.",
        "one",
        "two",
        "tail text",
    ]
    assert result.title == "T"
    assert extract_html(b"<html><body><nav>only nav</nav></body></html>").text == ""


# PDF ------------------------------------------------------------------------------------


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: Sequence[Sequence[str]], title: str | None = None) -> bytes:
    """A minimal PDF: one Helvetica text line per string, xref offsets computed."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (" ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))).encode(), len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, lines in enumerate(pages):
        ops = ["BT /F1 12 Tf 72 720 Td 14 TL"]
        ops += [f"({_escape(line)}) Tj T*" for line in lines]
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * index)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    info = ""
    if title is not None:
        objects.append(f"<< /Title ({_escape(title)}) >>".encode("latin-1"))
        info = f" /Info {len(objects)} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\n".encode()
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


PAGE_ONE = ["Ketamine blocks NMDA receptors.", "It acts within minutes."]
PAGE_TWO = ["Aspirin (acetylsalicylic acid) inhibits COX-1."]


def test_pdf_two_pages_with_page_starts(tmp_path: Path) -> None:
    data = make_pdf([PAGE_ONE, PAGE_TWO], title="Drug facts")
    (tmp_path / "two.pdf").write_bytes(data)  # a real file on disk reads the same
    result = extract_pdf((tmp_path / "two.pdf").read_bytes())
    assert result.title == "Drug facts"
    assert len(result.page_starts) == 2
    assert result.page_starts[0] == 0
    second = result.text[result.page_starts[1] :]
    assert second.startswith(PAGE_TWO[0])
    first = result.text[: result.page_starts[1]]
    assert first.startswith(PAGE_ONE[0])
    assert PAGE_ONE[1] in first
    assert first.endswith("\n\n")  # pages joined by a blank line
    assert PAGE_TWO[0] not in first
    assert "\x0c" not in result.text
    assert result.encoding is None
    assert result.url is None


def test_pdf_page_starts_match_pypdf_pages() -> None:
    data = make_pdf([["One."], ["Two."], ["Three."]])
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    result = extract_pdf(data)
    assert result.text == "\n\n".join(pages)
    for start, page in zip(result.page_starts, pages, strict=True):
        assert result.text[start : start + len(page)] == page
    assert result.title is None


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.1])
def test_pdf_truncated_is_a_read_failure(keep: float, caplog: pytest.LogCaptureFixture) -> None:
    data = make_pdf([PAGE_ONE, PAGE_TWO])
    with caplog.at_level(logging.WARNING), pytest.raises(ReadFailure) as failure:
        extract_pdf(data[: int(len(data) * keep)])
    message = str(failure.value)
    assert "cannot parse PDF (truncated or corrupt:" in message
    assert "re-export or repair the file" in message
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


def test_pdf_not_a_pdf() -> None:
    with pytest.raises(ReadFailure, match="not a PDF"):
        extract_pdf(b"<html><body>not a pdf</body></html>")


def _encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_encrypted_with_password_is_a_read_failure() -> None:
    data = _encrypted(make_pdf([PAGE_ONE]), "secret")
    with pytest.raises(ReadFailure, match=r"encrypted.*decrypt it first"):
        extract_pdf(data)


def test_pdf_encrypted_with_empty_password_reads() -> None:
    data = _encrypted(make_pdf([PAGE_ONE, PAGE_TWO]), "")
    result = extract_pdf(data)
    assert result.text[result.page_starts[1] :].startswith(PAGE_TWO[0])


def test_pdf_without_text_layer_is_empty() -> None:
    result = extract_pdf(make_pdf([[], []]))
    assert result.text == ""
    assert result.page_starts == ()


# Corpus files ---------------------------------------------------------------------------


def _rows(
    path: Path, fmt: str, *, text_column: str = "text", id_column: str | None = "id"
) -> list[CorpusRow]:
    return list(iter_corpus_rows(path, fmt, text_column=text_column, id_column=id_column))


def test_corpus_formats() -> None:
    assert CORPUS_FORMATS == ("jsonl", "json", "csv", "parquet")
    with pytest.raises(ValueError, match="unknown corpus format"):
        iter_corpus_rows(Path("x.tsv"), "tsv")


def test_jsonl_rows_bad_lines_and_missing_text(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "text": "Ketamine blocks NMDA receptors."}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "no-text", "body": "elsewhere"}),
        "",
        json.dumps({"text": "No id here."}),
        json.dumps({"id": 17, "text": "Integer id."}),
        json.dumps({"id": "../../etc/passwd", "text": "Path-like id."}),
        json.dumps({"id": "", "text": "Blank id."}),
        json.dumps({"id": "n", "text": 42}),
        json.dumps({"id": "e", "text": "   "}),
        json.dumps({"id": "nul", "text": None}),
        json.dumps(["not", "an", "object"]),
        '{"id": "s", "text": "lone \\udc80 surrogate"}',
        json.dumps({"id": "caf\u00e9 / \u00fcber", "text": "Unicode\nid."}, ensure_ascii=False),
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    rows = _rows(path, "jsonl")
    assert rows[0] == CorpusRow("a1", "Ketamine blocks NMDA receptors.")
    assert rows[1].row_id == "line-2"
    assert rows[1].text is None
    assert rows[1].problem is not None
    assert rows[1].problem.startswith("invalid JSON on line 2: ")
    assert rows[2].row_id == "no-text"
    assert rows[2].text is None
    assert "'text'" in (rows[2].problem or "")
    # the blank line 4 is skipped; generated ids count physical lines
    assert rows[3] == CorpusRow("row-5", "No id here.")
    assert rows[4] == CorpusRow("17", "Integer id.")
    assert rows[5] == CorpusRow("../../etc/passwd", "Path-like id.")
    assert rows[6] == CorpusRow("row-8", "Blank id.")
    assert rows[7].text is None
    assert "not a string" in (rows[7].problem or "")
    assert rows[8].text is None
    assert "empty" in (rows[8].problem or "")
    assert rows[9].text is None
    assert rows[10].row_id == "line-12"
    assert "not an object" in (rows[10].problem or "")
    assert rows[11].row_id == "s"
    assert rows[11].text is None
    assert rows[12] == CorpusRow("caf\u00e9 / \u00fcber", "Unicode\nid.")
    assert len(rows) == 13


def test_jsonl_invalid_utf8_line_is_one_problem_row(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id": "ok", "text": "fine"}\n{"id": "bad", "text": "caf\xe9"}\n')
    rows = _rows(path, "jsonl")
    assert rows[0] == CorpusRow("ok", "fine")
    assert rows[1].row_id == "line-2"
    assert "invalid UTF-8 on line 2" in (rows[1].problem or "")


def test_jsonl_custom_columns_and_no_id_column(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"doc": "x-1", "body": "Body text.", "id": "ignored"}) + "\n")
    assert _rows(path, "jsonl", text_column="body", id_column="doc") == [
        CorpusRow("x-1", "Body text.")
    ]
    assert _rows(path, "jsonl", text_column="body", id_column=None) == [
        CorpusRow("row-1", "Body text.")
    ]


def test_csv_huge_field_and_quoted_newlines(tmp_path: Path) -> None:
    huge = "Vitamin D supports bone health. " * 10_000  # 320,000 chars > csv's 131,072
    multiline = 'First line.\nSecond line, with a comma and "quotes".\r\nThird line.'
    path = tmp_path / "corpus.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "text"])
        writer.writerow(["big", "Huge", huge])
        writer.writerow(["../secret/../x", "Multi", multiline])
        writer.writerow(["", "No id", "Generated id."])
        writer.writerow([])
        writer.writerow(["empty", "Empty", ""])
        writer.writerow(["short"])
    rows = _rows(path, "csv")
    assert rows[0] == CorpusRow("big", huge)
    assert rows[1] == CorpusRow("../secret/../x", multiline)  # newlines kept exactly
    assert rows[2] == CorpusRow("row-3", "Generated id.")
    assert rows[3].row_id == "empty"  # the blank record is not counted
    assert rows[3].text is None
    assert rows[4].row_id == "short"
    assert rows[4].text is None
    assert "no 'text' value" in (rows[4].problem or "")
    assert len(rows) == 5


def test_csv_invalid_utf8_spoils_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"id,text\r\nok,Fine.\r\nbad,Caf\xe9\r\nok2,Also fine.\r\n")
    rows = _rows(path, "csv")
    assert rows[0] == CorpusRow("ok", "Fine.")
    assert rows[1].row_id == "bad"
    assert rows[1].text is None
    assert "invalid text" in (rows[1].problem or "")
    assert rows[2] == CorpusRow("ok2", "Also fine.")


def test_csv_missing_text_column_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("id,body,source\n1,Some text,web\n", encoding="utf-8")
    with pytest.raises(ReadFailure) as failure:
        iter_corpus_rows(path, "csv")  # raised before the first row is asked for
    message = str(failure.value)
    assert "no column 'text' in notes.csv" in message
    assert "'id', 'body', 'source'" in message
    assert "--text-column" in message
    assert _rows(path, "csv", text_column="body", id_column="source") == [
        CorpusRow("web", "Some text")
    ]


def test_csv_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ReadFailure, match="empty"):
        iter_corpus_rows(path, "csv")


def test_parquet_custom_columns_and_batches(tmp_path: Path) -> None:
    count = 600  # more than one read batch
    texts: list[str | None] = [f"Document number {i} says water is wet." for i in range(count)]
    texts[3] = None
    texts[4] = ""
    ids: list[str | None] = [f"doc/{i}" for i in range(count)]
    ids[5] = None
    ids[6] = "../../etc/passwd"
    table = pa.table(
        {
            "uid": pa.array(ids, pa.string()),
            "body": pa.array(texts, pa.large_string()),
            "other": pa.array(range(count), pa.int64()),
        }
    )
    path = tmp_path / "corpus.parquet"
    pq.write_table(table, path, row_group_size=100)
    rows = _rows(path, "parquet", text_column="body", id_column="uid")
    assert len(rows) == count
    assert rows[0] == CorpusRow("doc/0", texts[0])
    assert rows[3].text is None
    assert rows[3].row_id == "doc/3"
    assert rows[4].text is None
    assert rows[5] == CorpusRow("row-6", texts[5])
    assert rows[6] == CorpusRow("../../etc/passwd", texts[6])
    assert rows[-1] == CorpusRow(f"doc/{count - 1}", texts[-1])


def test_parquet_int_ids_and_default_id_missing(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"id": [10, 20], "text": ["A.", "B."]}), path)
    assert _rows(path, "parquet") == [CorpusRow("10", "A."), CorpusRow("20", "B.")]
    path2 = tmp_path / "noid.parquet"
    pq.write_table(pa.table({"text": ["A.", "B."]}), path2)
    assert _rows(path2, "parquet") == [CorpusRow("row-1", "A."), CorpusRow("row-2", "B.")]


def test_parquet_missing_text_column_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"id": ["a"], "content": ["A."]}), path)
    with pytest.raises(ReadFailure) as failure:
        iter_corpus_rows(path, "parquet")
    message = str(failure.value)
    assert "no column 'text' in c.parquet" in message
    assert "'id', 'content'" in message
    assert "--text-column" in message


def test_parquet_non_string_text_column(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"id": ["a"], "text": [3]}), path)
    [row] = _rows(path, "parquet")
    assert row.text is None
    assert "not a string" in (row.problem or "")


def test_parquet_corrupt_is_a_read_failure(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")
    with pytest.raises(ReadFailure, match=r"bad\.parquet"):
        iter_corpus_rows(path, "parquet")


def test_json_array_records_are_rows(tmp_path: Path) -> None:
    records = [
        {"id": "a1", "text": "Ketamine blocks NMDA receptors."},
        {"id": 7, "text": "Integer id."},
        {"text": "No id."},
        {"id": "no-text", "body": "elsewhere"},
        ["not", "an", "object"],
        {"id": "blank", "text": "  "},
    ]
    path = tmp_path / "corpus.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(records).encode())
    rows = _rows(path, "json")
    assert rows[:3] == [
        CorpusRow("a1", "Ketamine blocks NMDA receptors."),
        CorpusRow("7", "Integer id."),
        CorpusRow("row-3", "No id."),
    ]
    assert rows[3] == CorpusRow("no-text", None, problem="no 'text' value in this row")
    assert rows[4] == CorpusRow("row-5", None, problem="record is a list")
    assert rows[5].text is None and rows[5].problem == "'text' is empty"


@pytest.mark.parametrize(
    ("content", "shape"),
    [
        (
            {"name": "Pregabalin", "summary": "A GABA analogue."},
            "a JSON object (keys: name, summary)",
        ),
        ({}, "an empty JSON object"),
        ("just a string", "a JSON str"),
        (42, "a JSON int"),
    ],
)
def test_json_that_is_not_an_array_is_not_a_corpus(
    tmp_path: Path, content: object, shape: str
) -> None:
    path = tmp_path / "card.json"
    path.write_text(json.dumps(content), "utf-8")
    with pytest.raises(NotACorpus, match=re.escape(f"card.json holds {shape}, not a corpus")):
        _rows(path, "json")


def test_json_that_does_not_parse_is_a_read_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"text": "unterminated', "utf-8")
    with pytest.raises(ReadFailure, match=re.escape("cannot parse broken.json as JSON")) as caught:
        _rows(path, "json")
    assert not isinstance(caught.value, NotACorpus)
