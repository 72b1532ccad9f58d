"""Undo a pdf's visual line wrapping: one paragraph per line, as in a .txt or .docx report.

A pdf stores text line by line as printed, so a sentence (and often a figure: ``增长6.`` /
``5%``) is cut wherever the page edge fell. Chinese needs no space between wrapped lines,
so joining them restores the sentence. Lines that end a sentence, short lines (headings, the
last line of a paragraph) and lines before a heading marker keep their break; bare page
numbers (``- 3 -``, ``第3页``) are dropped.
"""

from __future__ import annotations

import re
import statistics

__all__ = ["reflow_page"]

_PAGE_NUMBER = re.compile(
    r"[-—–－\s]*(?:第\s*)?[0-9０-９]{1,4}\s*(?:页|頁)?(?:\s*/\s*共?\s*[0-9]{1,4}\s*页?)?[-—–－\s]*"
)
_SENTENCE_END = frozenset("。！？!?；;：:")
_CLOSERS = frozenset("”’」』）)】〕")
_HEADING_START = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十0-9]{1,3}[）)]|[0-9]{1,2}[、.．](?![0-9])|第[一二三四五六七八九十]{1,3}[章节部分篇])"
)
_PAGE_NUMBER_MAX = 24
# A line shorter than this share of the page's usual line length ended its paragraph.
_SHORT_LINE = 0.8


def reflow_page(page_text: str) -> str:
    """Join the wrapped lines of one page's extracted text into paragraph lines."""
    lines = [line.rstrip() for line in page_text.split("\n")]
    lines = [line for line in lines if line.strip() and not _is_page_number(line)]
    if len(lines) < 2:
        return "\n".join(lines)
    full = statistics.median(len(line) for line in lines)
    out: list[str] = [lines[0]]
    for prev, line in zip(lines, lines[1:], strict=False):
        if _ends_paragraph(prev, full) or _HEADING_START.match(line.lstrip()):
            out.append(line)
        else:
            glue = " " if prev[-1].isascii() and prev[-1].isalpha() and line.lstrip()[:1].isascii() else ""
            out[-1] += glue + line.lstrip()
    return "\n".join(out)


def _is_page_number(line: str) -> bool:
    # Length first: a page number is short, and the pattern's adjacent optional spaces would
    # backtrack quadratically on a long line.
    return len(line) <= _PAGE_NUMBER_MAX and _PAGE_NUMBER.fullmatch(line) is not None


def _ends_paragraph(line: str, full: float) -> bool:
    stripped = line.rstrip()
    last = stripped[-1]
    if last in _SENTENCE_END:
        return True
    if last in _CLOSERS and len(stripped) > 1 and stripped[-2] in _SENTENCE_END:
        return True
    return len(stripped) < _SHORT_LINE * full
