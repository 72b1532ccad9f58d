"""Temporary re-exports for modules other helpers are converting at the same time.

Its queries moved to :mod:`luoshi.tracking.listing` (``list_reports`` is now ``listing.reports``;
``latest_report`` is :func:`luoshi.tracking.queries.current_report`; ``get_target`` is
:func:`luoshi.tracking.services.get_target`) and ``as_int`` to :mod:`luoshi.web.params`. Only
``web/setup_routes.py`` and ``web/admin_routes.py`` still import this module: the lead deletes it
once those are converted and merged. No queries here (tests/test_layers.py).
"""

from __future__ import annotations

from luoshi.tracking.listing import areas_of, count_proposed, departments, get_report, get_targets
from luoshi.tracking.listing import reports as list_reports
from luoshi.tracking.queries import current_report as latest_report
from luoshi.tracking.services import get_target
from luoshi.web.params import as_int

__all__ = [
    "areas_of",
    "as_int",
    "count_proposed",
    "departments",
    "get_report",
    "get_target",
    "get_targets",
    "latest_report",
    "list_reports",
]
