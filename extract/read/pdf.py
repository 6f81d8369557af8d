"""PDF reader: the text layer of a PDF, page by page, with where each page starts.

Uses pypdf's ``page.extract_text()`` per page, pages joined with a blank line (``"\\n\\n"``);
each page's text is kept exactly as pypdf gives it, so ``text[page_starts[i]:]`` starts with
page ``i + 1``. A PDF without a text layer (scanned images) gives empty text, which the caller
marks ``empty``. Knows no NLP.
"""

from __future__ import annotations

import io
import logging
import re
import warnings

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from extract.read.sources import ExtractedText, ReadFailure

PAGE_SEPARATOR = "\n\n"

# pypdf logs a warning for every recoverable defect of a damaged file ("EOF marker not
# found", "Ignoring wrong pointing object", ...): noise in a batch run. Real failures still
# surface as ReadFailure. Only quieted when nobody configured pypdf's logger.
_PYPDF_LOGGER = logging.getLogger("pypdf")
if _PYPDF_LOGGER.level == logging.NOTSET:
    _PYPDF_LOGGER.setLevel(logging.ERROR)

_REPAIR_HINT = "re-export or repair the file"


def _corrupt(error: BaseException) -> ReadFailure:
    message = str(error) or type(error).__name__
    return ReadFailure(f"cannot parse PDF (truncated or corrupt: {message}); {_REPAIR_HINT}")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    # NUL is never text (some broken font encodings map glyphs to it); a lone surrogate
    # from a bad ToUnicode map cannot be written as UTF-8.
    return _SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def _open(data: bytes) -> PdfReader:
    if b"%PDF-" not in data[:1024]:
        raise ReadFailure("not a PDF (no %PDF- header); check the file type")
    try:
        reader = PdfReader(io.BytesIO(data))
    except DependencyError as error:  # AES encryption without the optional crypto library
        raise ReadFailure(f"the PDF is encrypted ({error}); decrypt it first") from error
    except FileNotDecryptedError as error:
        raise ReadFailure("the PDF is encrypted; decrypt it first") from error
    except Exception as error:  # pypdf raises many types for damaged files
        raise _corrupt(error) from error
    if reader.is_encrypted:
        try:
            decrypted = reader.decrypt("")
        except Exception as error:
            raise ReadFailure(f"the PDF is encrypted ({error}); decrypt it first") from error
        if not decrypted:
            raise ReadFailure("the PDF is encrypted with a password; decrypt it first")
    return reader


def _title(reader: PdfReader) -> str | None:
    try:
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except Exception:  # a damaged /Info dictionary must not lose the text
        return None
    if not isinstance(title, str):
        return None
    title = " ".join(_clean(title).split())
    return title or None


def extract_pdf(data: bytes) -> ExtractedText:
    """The text layer of a PDF; raises ReadFailure for encrypted, truncated or corrupt files.

    Pages are joined with ``"\\n\\n"``; ``page_starts[i]`` is the offset of page ``i + 1``.
    When no page has any text (an image-only PDF), the text is ``""`` and ``page_starts``
    is empty. A page whose text cannot be extracted fails the whole file: partial text
    would silently drop content.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(data)
        pages: list[str] = []
        try:
            page_list = list(reader.pages)
        except Exception as error:
            raise _corrupt(error) from error
        for number, page in enumerate(page_list, start=1):
            try:
                pages.append(_clean(page.extract_text()))
            except Exception as error:  # damaged content streams, fonts, filters
                message = str(error) or type(error).__name__
                raise ReadFailure(
                    f"cannot extract text from PDF page {number} (corrupt: {message}); "
                    f"{_REPAIR_HINT}"
                ) from error
        title = _title(reader)
    if not "".join(pages).strip():
        return ExtractedText(text="", title=title)
    starts: list[int] = []
    offset = 0
    for page_text in pages:
        starts.append(offset)
        offset += len(page_text) + len(PAGE_SEPARATOR)
    return ExtractedText(text=PAGE_SEPARATOR.join(pages), title=title, page_starts=tuple(starts))
