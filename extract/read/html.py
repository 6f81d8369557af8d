"""HTML reader: the main content of a web page as plain text, its title and canonical URL.

Bytes are decoded here (BOM, then ``<meta charset>`` / ``http-equiv`` / XML declaration,
then UTF-8 with undecodable bytes replaced and counted, or windows-1252 for an undeclared
page with no UTF-8 in it at all), parsed once with lxml, and the
main content is taken by trafilatura: no comments section, no navigation, no tables, no
scripts or styles, no links or formatting markup. Paragraphs are separated by ``"\\n"`` as
trafilatura gives them. Nothing is fetched: trafilatura only sees the parsed tree.

When trafilatura finds no main content (short or odd pages), the text falls back to the
block texts of ``<body>`` with boilerplate elements dropped; a page without any text gives
``""``. Knows no NLP.
"""

from __future__ import annotations

import codecs
import logging
import re
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from extract.read.sources import ExtractedText, ReadFailure

# trafilatura warns "discarding data" for every page it finds no main content in; that is
# an expected outcome here (the fallback takes over). Only quieted when not configured.
_TRAFILATURA_LOGGER = logging.getLogger("trafilatura")
if _TRAFILATURA_LOGGER.level == logging.NOTSET:
    _TRAFILATURA_LOGGER.setLevel(logging.ERROR)

# Tables hold dosing grids and nutrition facts: cell soup, not sentences.
INCLUDE_TABLES = False

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# How far into the file a declaration is looked for (the HTML standard says 1024 bytes;
# real pages put long <head> scripts first, so look further).
_PRESCAN_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._\-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard).
_AS_WINDOWS_1252 = {"latin_1", "iso8859-1", "ascii", "cp1252"}
# Signatures of binary files that turn up with an .html name.
_MAGIC = {
    b"%PDF": "a PDF",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "gzip-compressed data; decompress it first",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
}
# C0 controls other than tab, newline, form feed, carriage return: never text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Elements whose text is never page content (fallback extraction).
_DROP = (
    "script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form",
    "iframe", "svg", "math", "head", "button", "select", "option", "canvas", "object",
)  # fmt: skip
_BLOCK_TAGS = (
    "address", "article", "blockquote", "body", "br", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
)  # fmt: skip
_BLOCKS = frozenset(_BLOCK_TAGS)
_PARSER = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
)


def _codec(label: bytes) -> str | None:
    """Python codec name for a declared charset label, or None if unknown."""
    try:
        name: str = codecs.lookup(label.decode("ascii").strip()).name
    except (LookupError, UnicodeDecodeError, ValueError):
        return None
    if name in _AS_WINDOWS_1252:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        # A declaration readable as ASCII cannot be in UTF-16/32 (the WHATWG rule).
        return "utf-8"
    return name


def _declared_encoding(data: bytes) -> str | None:
    head = data[:_PRESCAN_BYTES]
    xml = _XML_ENCODING.match(head)
    if xml is not None:
        encoding = _codec(xml.group(1))
        if encoding is not None:
            return encoding
    for match in _META_CHARSET.finditer(head):
        encoding = _codec(match.group(1))
        if encoding is not None:
            return encoding
    return None


def _decode(data: bytes, encoding: str) -> tuple[str, int]:
    """Decode, replacing undecodable bytes; count the replacements (not literal U+FFFD)."""
    try:
        return data.decode(encoding), 0
    except UnicodeDecodeError:
        pass
    replaced = data.decode(encoding, errors="replace")
    literal = data.decode(encoding, errors="ignore").count("\ufffd")
    return replaced, replaced.count("\ufffd") - literal


def decode_html(data: bytes) -> tuple[str, str, int]:
    """``(text, encoding, decode_errors)``: BOM first, then the declaration, then UTF-8.

    Undeclared bytes that are not UTF-8: when they hold no valid multi-byte sequence at all
    they are a legacy page, read as windows-1252 (or Latin-1 for its 5 unassigned bytes);
    otherwise UTF-8 with the undecodable bytes replaced (U+FFFD) and counted.

    ``encoding`` is a Python codec name; ``"utf-8-sig"`` / ``"utf-16"`` / ``"utf-32"`` say
    a BOM was found (and dropped).
    """
    for bom, codec, recorded in _BOMS:
        if data.startswith(bom):
            text, errors = _decode(data[len(bom) :], codec)
            return text, recorded, errors
    if data.startswith(b"<\x00") and b"\x00\x00" not in data[:4]:
        text, errors = _decode(data, "utf-16-le")
        return text, "utf-16-le", errors
    if data.startswith(b"\x00<"):
        text, errors = _decode(data, "utf-16-be")
        return text, "utf-16-be", errors
    declared = _declared_encoding(data)
    if declared is not None:
        text, errors = _decode(data, declared)
        return text, declared, errors
    text, errors = _decode(data, "utf-8")
    if errors and not any(ord(c) > 127 and c != "\ufffd" for c in text):
        # Not one valid multi-byte sequence: an undeclared legacy page, not broken UTF-8.
        try:
            return data.decode("cp1252"), "cp1252", 0
        except UnicodeDecodeError:
            return data.decode("latin-1"), "iso8859-1", 0
    return text, "utf-8", errors


def _binary_kind(data: bytes, text: str) -> str | None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    sample = text[:8192]
    if not sample:
        return None
    # U+FFFD is not counted: an undeclared legacy page can be full of them.
    bad = len(_CONTROL.findall(sample))
    return "binary data" if bad > len(sample) * 0.1 else None


def _squash(text: str) -> str:
    return " ".join(text.split())


def _title(tree: Any) -> str | None:
    for path in ("//head/title", "//title"):
        for element in tree.xpath(path):
            title = _squash(element.text_content())
            if title:
                return title
    for content in tree.xpath(
        "//meta[translate(@property, 'OGTITLE', 'ogtitle')='og:title']/@content"
    ):
        title = _squash(str(content))
        if title:
            return title
    return None


def _canonical_url(tree: Any) -> str | None:
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            return str(href)
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key == "og:url" and content:
            return str(content)
    return None


def _main_text(tree: Any) -> str:
    document = trafilatura.bare_extraction(
        tree,
        include_comments=False,
        include_tables=INCLUDE_TABLES,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=False,
        deduplicate=False,
        # trafilatura's own last resort keeps menus when a page has nothing else.
        prune_xpath=["//nav"],
    )
    if document is None:
        return ""
    text = document.text if not isinstance(document, dict) else document.get("text")
    return text if isinstance(text, str) and text.strip() else ""


def _fallback_text(tree: Any) -> str:
    """Block texts of the body, boilerplate dropped, one line per block."""
    bodies = tree.xpath("//body")
    root = bodies[0] if bodies else tree
    etree.strip_elements(root, *_DROP, with_tail=False)
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        block = element.tag.lower() in _BLOCKS
        if event == "start":
            if block:
                parts.append("\n")
            if element.text:
                parts.append(element.text)
        else:
            if block:
                parts.append("\n")
            if element.tail and element is not root:
                parts.append(element.tail)
    lines = (_squash(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _parse(text: str) -> Any:
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):  # "Document is empty" (only comments, ...)
        return None


def extract_html(data: bytes) -> ExtractedText:
    """Main text, title and canonical URL of an HTML page.

    Raises ReadFailure only for input that is not HTML at all (binary data). Malformed
    HTML never raises; a page without text gives ``ExtractedText(text="")``.
    """
    decoded, encoding, decode_errors = decode_html(data)
    kind = _binary_kind(data, decoded)
    if kind is not None:
        raise ReadFailure(f"not HTML: the file looks like {kind}")
    tree = _parse(_CONTROL.sub("", decoded))
    if tree is None:
        return ExtractedText(text="", encoding=encoding, decode_errors=decode_errors)
    title = _title(tree)
    url = _canonical_url(tree)
    text = _main_text(tree) or _fallback_text(tree)
    return ExtractedText(
        text=_CONTROL.sub("", text),
        encoding=encoding,
        decode_errors=decode_errors,
        title=title,
        url=url,
    )
