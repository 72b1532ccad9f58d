"""The day statuses are computed for (luoshi.tracking's rule); the status rule itself lives there."""

from __future__ import annotations

from datetime import date

from luoshi.settings import Settings
from luoshi.tracking.current import today as _today

__all__ = ["today"]


def today(settings: Settings) -> date:
    return _today(settings)
