"""Reading inputs: find the files, turn bytes into the exact text every offset indexes.

Knows no NLP. One reader per format; today plain text (``.txt``) and Markdown (``.md``),
both kept exactly as written (no newline translation), UTF-8 with an optional BOM dropped.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

READABLE_SUFFIXES = {".txt": "txt", ".md": "md"}
SAMPLE_CORPUS_DIR = Path(__file__).resolve().parent / "sample_corpus"


@dataclass(frozen=True)
class InputFile:
    path: Path
    source_file: str  # relative to the input root, "/" separators


@dataclass(frozen=True)
class SourceDocument:
    doc_id: str
    source_file: str
    format: str
    encoding: str | None
    text: str
    status: str
    status_detail: str | None


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _walk(folder: Path) -> Iterable[Path]:
    # os.walk does not follow directory symlinks, so a link loop cannot trap it.
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            yield Path(root) / name


def discover_inputs(paths: Sequence[Path]) -> list[InputFile]:
    """Files to read under ``paths`` (files or folders), sorted, hidden files skipped.

    ``source_file`` is relative to the deepest folder holding every input, so a single
    folder input gives names relative to that folder.
    """
    if not paths:
        raise UsageError("no input given")
    resolved: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"input {str(path)!r} does not exist: check the path")
        resolved.append(path.resolve())
    roots = [p if p.is_dir() else p.parent for p in resolved]
    root = Path(os.path.commonpath([str(r) for r in roots]))
    found: dict[str, InputFile] = {}
    for path in resolved:
        candidates = _walk(path) if path.is_dir() else [path]
        for file in candidates:
            relative = file.relative_to(root) if file.is_relative_to(root) else Path(file.name)
            if file.suffix.lower() not in READABLE_SUFFIXES:
                continue
            if path.is_dir() and _is_hidden(file.relative_to(path)):
                continue
            name = relative.as_posix()
            found.setdefault(name, InputFile(file, name))
    return [found[name] for name in sorted(found)]


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode UTF-8, dropping a BOM. Raises ``UnicodeDecodeError`` for other encodings."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    return data.decode("utf-8"), "utf-8"


def read_document(item: InputFile) -> SourceDocument:
    """Read one file into a document with a status; never raises for bad content."""
    fmt = READABLE_SUFFIXES.get(item.path.suffix.lower(), "txt")
    try:
        data = item.path.read_bytes()
    except OSError as error:
        return SourceDocument(
            doc_id=hashlib.sha256(item.source_file.encode()).hexdigest(),
            source_file=item.source_file,
            format=fmt,
            encoding=None,
            text="",
            status="error",
            status_detail=f"cannot read {item.source_file}: {error.strerror or error}; "
            "check the file's permissions",
        )
    doc_id = hashlib.sha256(data).hexdigest()
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError as error:
        return SourceDocument(
            doc_id, item.source_file, fmt, None, "", "error",
            f"{item.source_file} is not valid UTF-8 (byte {error.start}); "
            "convert it to UTF-8 and rebuild",
        )  # fmt: skip
    status = "ok" if text.strip() else "empty"
    detail = None if status == "ok" else "no text in file"
    return SourceDocument(doc_id, item.source_file, fmt, encoding, text, status, detail)
