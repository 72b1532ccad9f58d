"""Reading query-string and form values that name ids (no errors, no SQL)."""

from __future__ import annotations

from typing import Any

__all__ = ["as_int"]


def as_int(value: Any) -> int | None:
    """A query-string id, or None for anything that is not a plain integer (no errors, no SQL)."""
    try:
        return int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None
