"""Thin bridge to luoshi.tracking.queries (status rule and batch computation live there)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from luoshi.settings import Settings
from luoshi.store.models import Target
from luoshi.tracking.queries import as_of, statuses_for
from luoshi.tracking.status import StatusResult

__all__ = ["statuses", "today"]


def today(settings: Settings) -> date:
    return as_of(settings)


def statuses(db: Session, settings: Settings, targets: Sequence[Target]) -> dict[int, StatusResult]:
    return statuses_for(db, settings, targets)
