"""Reading inputs: find the files, turn bytes into the exact text every offset indexes.

Knows no NLP. One reader per format: plain text and Markdown (here), HTML
(:mod:`extract.read.html`), PDF (:mod:`extract.read.pdf`), and corpus files with one document
per row (:mod:`extract.read.corpus`). Nothing here raises for bad content: every document
ends with a status (``ok``, ``empty``, ``skipped_binary``, ``decode_fallback``, ``error``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

from extract.errors import UsageError
from extract.read.corpus import iter_corpus_rows
from extract.read.sources import ExtractedText, NotACorpus, ReadFailure, SourceDocument

FORMATS = {
    ".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
    ".pdf": "pdf", ".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet",
}  # fmt: skip
CORPUS_FORMATS = frozenset({"json", "jsonl", "csv", "parquet"})
# Any other file found is listed with this format and recorded as skipped, never dropped.
OTHER_FORMAT = "other"
SAMPLE_CORPUS_DIR = Path(__file__).resolve().parent / "sample_corpus"

# Signatures of binary formats that turn up with a text extension.
_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"%PDF": "a PDF", b"PK\x03\x04": "a ZIP archive", b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable", b"RIFF": "a RIFF media file",
}  # fmt: skip
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


@dataclass(frozen=True)
class InputFile:
    path: Path
    source_file: str  # relative to the input root, "/" separators
    format: str
    size: int = 0  # bytes, for progress and for sharding work; 0 when unknown


def _size_of(path: Path) -> int:
    try:
        return int(path.stat().st_size)
    except (OSError, ValueError):
        return 0  # unreadable: the reader reports why


@dataclass(frozen=True)
class ReadOptions:
    text_column: str = "text"
    id_column: str | None = "id"


def _walk(folder: Path) -> Iterable[Path]:
    # os.walk does not follow directory symlinks, so a link loop cannot trap it.
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            yield Path(root) / name


def is_url(location: str | Path) -> bool:
    """A location fsspec should open ("s3://…", "gs://…", "memory://…"), not a local path."""
    text = str(location)
    return "://" in text and not text.startswith("file://")


def local_path(location: str | Path) -> Path:
    text = str(location)
    return Path(text[len("file://") :]) if text.startswith("file://") else Path(text)


def _discover_url(url: str) -> list[InputFile]:
    """Inputs under an fsspec URL, named relative to it (a file: its own name)."""
    from upath import UPath  # fsspec-backed paths, only for URL inputs

    root = UPath(url)
    if not root.exists():
        raise UsageError(f"input {url!r} does not exist: check the URL and credentials")
    candidates = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    found = []
    for file in candidates:
        fmt = FORMATS.get(file.suffix.lower(), OTHER_FORMAT)
        relative = file.relative_to(root).as_posix() if root.is_dir() else file.name
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        # UPath implements the pathlib API over fsspec; the readers only use that API.
        found.append(InputFile(cast(Path, file), relative, fmt, _size_of(cast(Path, file))))
    return found


def discover_inputs(paths: Sequence[Path | str]) -> list[InputFile]:
    """Files to read under ``paths`` (files, folders or fsspec URLs), sorted, hidden skipped.

    ``source_file`` is relative to the deepest folder holding every local input, so a single
    folder input gives names relative to that folder; a URL input's files are named
    relative to the URL.
    """
    if not paths:
        raise UsageError("no input given")
    urls = [str(p) for p in paths if is_url(p)]
    from_urls = [item for url in urls for item in _discover_url(url)]
    local = [local_path(p) for p in paths if not is_url(p)]
    if not local:
        return sorted(from_urls, key=lambda item: item.source_file)
    resolved: list[Path] = []
    for path in local:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"input {str(path)!r} does not exist: check the path")
        resolved.append(Path(os.path.abspath(path)))
    roots = [p if p.is_dir() else p.parent for p in resolved]
    root = Path(os.path.commonpath([str(r) for r in roots]))
    found: dict[str, InputFile] = {}
    for path in resolved:
        candidates = _walk(path) if path.is_dir() else [path]
        for file in candidates:
            fmt = FORMATS.get(file.suffix.lower(), OTHER_FORMAT)
            if path.is_dir() and any(p.startswith(".") for p in file.relative_to(path).parts):
                continue
            relative = file.relative_to(root) if file.is_relative_to(root) else Path(file.name)
            name = relative.as_posix()
            found.setdefault(name, InputFile(file, name, fmt, _size_of(file)))
    for item in from_urls:
        found.setdefault(item.source_file, item)
    return [found[name] for name in sorted(found)]


def binary_kind(data: bytes) -> str | None:
    """What a blob looks like if it is not text ("a PNG image"), else None."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if not head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    control = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
    return "binary data (control bytes)" if control > len(head) * 0.1 else None


def decode_text(data: bytes) -> ExtractedText:
    """Decode text bytes: UTF-8 (BOM dropped) or UTF-16 with a BOM; otherwise detect.

    Invalid UTF-8 that holds valid multi-byte sequences too is UTF-8 with a few broken bytes
    (replaced, counted in ``decode_errors``); otherwise it is Windows-1252, or Latin-1.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
        return ExtractedText(text, "utf-8-sig", text.count("\ufffd") - _literal_fffd(data[3:]))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return ExtractedText(text, "utf-16", text.count("\ufffd"))
    try:
        return ExtractedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd") - _literal_fffd(data)
    if any(ord(c) > 127 and c != "\ufffd" for c in lenient):
        return ExtractedText(lenient, "utf-8", broken)
    try:
        return ExtractedText(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return ExtractedText(data.decode("latin-1"), "iso-8859-1")


def _literal_fffd(data: bytes) -> int:
    return data.count("\ufffd".encode())


def _document(
    source_file: str, fmt: str, data: bytes, extracted: ExtractedText, row_id: str | None = None
) -> SourceDocument:
    doc_id = hashlib.sha256(data).hexdigest()
    text = extracted.text
    if not text.strip():
        status, detail = "empty", "no text in file" if row_id is None else "empty text"
    elif extracted.encoding not in (None, "utf-8", "utf-8-sig") or extracted.decode_errors:
        status = "decode_fallback"
        detail = f"not valid UTF-8: decoded as {extracted.encoding}"
        if extracted.decode_errors:
            detail += f" with {extracted.decode_errors} undecodable byte sequence(s) replaced"
    else:
        status, detail = "ok", None
    return SourceDocument(
        doc_id=doc_id,
        source_file=source_file,
        format=fmt,
        encoding=extracted.encoding,
        text=text,
        status=status,
        status_detail=detail,
        decode_errors=extracted.decode_errors,
        title=extracted.title,
        url=extracted.url,
        page_starts=extracted.page_starts,
        row_id=row_id,
    )


def _failed(item: InputFile, detail: str, status: str = "error") -> SourceDocument:
    return SourceDocument(
        doc_id=hashlib.sha256(f"unread:{item.source_file}".encode()).hexdigest(),
        source_file=item.source_file,
        format=item.format,
        encoding=None,
        text="",
        status=status,
        status_detail=detail,
    )


def _read_bytes(item: InputFile) -> bytes:
    try:
        return item.path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise ReadFailure(
            f"cannot read {item.source_file}: {reason}; check that it exists, is a regular "
            "file and is readable"
        ) from error


def read_documents(
    item: InputFile, options: ReadOptions = ReadOptions()
) -> Iterator[SourceDocument]:
    """Read one input file into one document (or one per row for corpus files).

    Never raises for bad content or unreadable files: those come back with a status.
    """
    try:
        if item.format == OTHER_FORMAT:
            yield _failed(item, _unsupported(item), status="skipped_format")
            return
        if item.format in CORPUS_FORMATS:
            yield from _read_corpus(item, options)
            return
        data = _read_bytes(item)
        if item.format == "pdf":
            from extract.read.pdf import extract_pdf  # pypdf is imported only when a PDF comes

            yield _document(item.source_file, "pdf", data, extract_pdf(data))
            return
        kind = binary_kind(data)
        if kind is not None:
            yield _failed(
                item,
                f"{item.source_file} looks like {kind}, not {item.format} text; skipped",
                status="skipped_binary",
            )
            return
        if item.format == "html":
            from extract.read.html import extract_html  # trafilatura only when HTML comes

            extracted = extract_html(data)
        else:
            extracted = decode_text(data)
        yield _document(item.source_file, item.format, data, extracted)
    except NotACorpus as failure:
        yield _failed(item, f"{item.source_file}: {failure}", status="skipped_format")
    except ReadFailure as failure:
        detail = str(failure)
        if item.source_file not in detail:
            detail = f"{item.source_file}: {detail}"
        yield _failed(item, detail)


def _unsupported(item: InputFile) -> str:
    """Why a file of another type is skipped, naming what it looks like when that is clear."""
    try:
        with item.path.open("rb") as handle:
            kind = binary_kind(handle.read(16))
    except OSError:
        kind = None
    suffix = item.path.suffix or "no extension"
    looks = f" (looks like {kind})" if kind else ""
    return (
        f"{item.source_file}: {suffix}{looks} is not a format claimset reads "
        f"({', '.join(sorted(set(FORMATS)))}); skipped"
    )


def _read_corpus(item: InputFile, options: ReadOptions) -> Iterator[SourceDocument]:
    for row in iter_corpus_rows(
        item.path, item.format, text_column=options.text_column, id_column=options.id_column
    ):
        source = f"{item.source_file}#{row.row_id}"
        if row.text is None:
            problem = row.problem or "no text in row"
            failed = _failed(
                item,
                f"{source}: {problem}; fix the row, or name the text column with --text-column",
            )
            yield replace(failed, source_file=source, row_id=row.row_id, doc_id=_row_id(source))
            continue
        data = row.text.encode("utf-8")
        yield _document(source, item.format, data, ExtractedText(row.text, "utf-8"), row.row_id)


def _row_id(source: str) -> str:
    return hashlib.sha256(f"unread:{source}".encode()).hexdigest()
