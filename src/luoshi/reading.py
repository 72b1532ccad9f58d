"""Load a report and extract its plan: THE one way every caller (luoshi.extract, ``luoshi extract``,
``luoshi import``, ``luoshi review``, the web import, the corpus) turns a file or a text into a Plan.

The caller says which it has — ``path=`` (read via luoshi.sources) or ``text=`` — instead of
guessing from the string. No web or database imports: ``luoshi extract`` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from luoshi.extraction.model import Plan
from luoshi.sources.errors import SourceError
from luoshi.sources.limits import InputLimits
from luoshi.sources.loader import SourceText, load

__all__ = ["ReadReport", "read_plan", "read_text"]


@dataclass(frozen=True)
class ReadReport:
    """A report's text and its source name (None for text given directly); ``source`` is the file read."""

    text: str
    name: str | None
    source: SourceText | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.source.warnings if self.source is not None else ()


def read_text(
    *,
    path: str | Path | None = None,
    text: str | None = None,
    name: str | None = None,
    limits: InputLimits | None = None,
) -> ReadReport:
    """The text of a report file (``path=``) or of report text (``text=``): exactly one of them.

    A file is read by :func:`luoshi.sources.load` (a missing or unreadable one raises
    :class:`SourceError` naming it); ``limits`` (default: none for text, the settings' defaults for
    files) caps its size and the length of the text. ``name`` overrides the source name."""
    if (path is None) == (text is None):
        raise TypeError("read_text() takes exactly one of path= or text=")
    if text is not None:
        if limits is not None and len(text) > limits.import_max_text_chars:
            raise SourceError(
                name or "报告文字",
                f"报告文字过长（{len(text):,} 字，上限 {limits.import_max_text_chars:,} 字；"
                f"设置 LUOSHI_IMPORT_MAX_TEXT_CHARS） (report text too long)",
            )
        return ReadReport(text, name)
    assert path is not None
    src = load(Path(path), limits)
    return ReadReport(src.text, name or src.name, src)


def read_plan(
    *,
    path: str | Path | None = None,
    text: str | None = None,
    name: str | None = None,
    limits: InputLimits | None = None,
) -> tuple[ReadReport, Plan]:
    """:func:`read_text`, then :func:`luoshi.extraction.extract_text`: (what was read, its plan).

    Spans in the plan index ``ReadReport.text`` (the text as decoded)."""
    from luoshi.extraction import extract_text

    read = read_text(path=path, text=text, name=name, limits=limits)
    return read, extract_text(read.text, source=read.name)
