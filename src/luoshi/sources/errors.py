"""The one error a source reader raises: it names the file and the reason, on one line."""

from __future__ import annotations

from pathlib import Path

from luoshi.errors import InputError

__all__ = ["SourceError"]


class SourceError(InputError):
    """A file that cannot be read as a report; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        # One line, whatever the underlying library put in its message.
        self.reason = " ".join(str(reason).split()) or "unreadable"
        super().__init__(f"{self.path}: {self.reason}")
