"""luoshi (落实): turn a Chinese government work report into a live, accountable plan.

Public API::

    import luoshi
    from pathlib import Path
    plan = luoshi.extract(Path("report.docx"))   # a file is a Path; a str is always report text
    plan.targets[0].value, plan.targets[0].span
    df = plan.to_dataframe()                 # needs pandas
"""

from __future__ import annotations

from os import PathLike, fspath
from pathlib import Path

from luoshi.errors import InputError, LuoshiError
from luoshi.extraction.model import DocumentInfo, Item, Plan, Project, ProjectCount, Section
from luoshi.sources import SUPPORTED_SUFFIXES, SourceError, SourceText, load

__version__ = "0.1.0"

__all__ = [
    "DocumentInfo",
    "InputError",
    "Item",
    "LuoshiError",
    "Plan",
    "Project",
    "ProjectCount",
    "Section",
    "SourceError",
    "SourceText",
    "__version__",
    "extract",
    "load",
]

_MAX_PATH_CHARS = 4096


def extract(text_or_path: str | bytes | PathLike[str], *, source: str | None = None) -> Plan:
    """Extract a plan from report text, from a report file (txt/docx/html/pdf), or from raw bytes.

    The type says which, nothing is guessed:

    - a :class:`~os.PathLike` (e.g. :class:`pathlib.Path`) is a file, read by
      :func:`luoshi.reading.read_plan` (``read_plan(path=...)`` does the same and also returns
      what was read);
    - a ``str`` is report text, always;
    - ``bytes`` are decoded like a .txt file (encoding detected).

    A ``str`` that can only be meant as a file — one line naming an existing file or folder, or
    ending in a supported extension such as ``.docx`` — raises :class:`TypeError` asking for
    ``Path(...)`` instead of being extracted as a one-line "report" (an empty plan). Such a line
    can still be extracted as text with ``luoshi.reading.read_plan(text=...)``.

    Spans in the result index the text as decoded (``plan.text``). ``source`` overrides
    the document's source name. Raises :class:`SourceError` for an unreadable file.
    """
    from luoshi.reading import read_plan

    if isinstance(text_or_path, bytes | bytearray | memoryview):
        from luoshi.sources import decode_bytes
        from luoshi.sources.textcodec import BinaryDataError

        try:
            text, _encoding = decode_bytes(bytes(text_or_path))
        except BinaryDataError as exc:
            raise SourceError(source or "<bytes>", str(exc)) from exc
        return read_plan(text=text, name=source)[1]
    if isinstance(text_or_path, PathLike):
        return read_plan(path=Path(fspath(text_or_path)), name=source)[1]
    if not isinstance(text_or_path, str):
        raise TypeError(
            f"extract() takes report text (str), a file (Path) or bytes, not {type(text_or_path).__name__}"
        )
    if _names_a_file(text_or_path):
        name = text_or_path.strip()
        raise TypeError(
            f"extract() 的 str 参数是报告文字，而 {name!r} 是文件名：读取文件请传 Path({name!r}) "
            f"(a str is report text; to read the file pass pathlib.Path({name!r}))"
        )
    return read_plan(text=text_or_path, name=source)[1]


def _names_a_file(s: str) -> bool:
    """True for a str that can only be meant as a file: refused, not read (see :func:`extract`)."""
    candidate = s.strip()
    if not candidate or len(candidate) > _MAX_PATH_CHARS or "\n" in candidate or "\x00" in candidate:
        return False
    try:
        p = Path(candidate)
        return p.suffix.lower() in SUPPORTED_SUFFIXES or p.exists()
    except (OSError, ValueError):
        return False
