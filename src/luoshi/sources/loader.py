"""Placeholder loader: replaced by the real readers (issue 2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class SourceError(Exception):
    """A file that cannot be read as a report; the message names the file and the reason."""


@dataclass(frozen=True, slots=True)
class SourceText:
    path: str
    text: str
    format: str
    encoding: str | None = None


def load(path: str | Path) -> SourceText:
    p = Path(path)
    try:
        return SourceText(path=str(p), text=p.read_text(encoding="utf-8"), format="txt", encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{p}: {exc}") from exc
