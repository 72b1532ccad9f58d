"""Text-based .pdf -> text with pypdf, visual line wrapping undone. Scanned pages (no text layer)
are refused, not OCR'd."""

from __future__ import annotations

import logging
from pathlib import Path

__all__ = ["read_pdf"]


def read_pdf(path: Path) -> str:
    """Return the text of a pdf, pages separated by a line break; ValueError with a reason."""
    # pypdf logs every oddity it recovers from (even as errors); real failures raise, and the
    # caller reports them as one line. Quiet it while reading only: its logger is not ours.
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        return _read(path)
    finally:
        log.setLevel(level)


def _read(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = [] if locked else [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # PdfReadError, struct/zlib/key errors of a damaged file
        raise ValueError(f"not a valid pdf file ({exc.__class__.__name__}: {exc})") from exc
    if locked:
        raise ValueError("the pdf is encrypted with a password")
    if not pages:
        raise ValueError("the pdf has no pages")
    if not any(page.strip() for page in pages):
        raise ValueError(f"no text layer in {len(pages)} page(s): a scanned pdf needs OCR first")
    from luoshi.sources.reflow import reflow_page

    # Paragraphs continue across page breaks too, but a page boundary is kept as a line break:
    # running heads and footers make joining across pages more harmful than useful.
    return "\n".join(text for text in (reflow_page(page) for page in pages) if text)
