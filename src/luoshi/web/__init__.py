"""Web app (FastAPI + server-rendered Jinja2 pages, zh-CN). Built by a factory, never at import.

``from luoshi.web import create_app``; ``create_app(settings)`` returns the FastAPI app. Layout:
``app`` (factory, middleware), ``csrf`` and ``security`` (session, CSRF, acting user, rules,
error pages), one module of routes per area (``pages_*``, ``forms_targets``, ``queue_routes``,
``sheet_routes``, ``notices_routes``, ``account_routes``, ``admin_routes``, ``public_routes``,
``api``, ``docs_routes``; ``review_routes`` is the year-end review's), ``charts`` (SVG),
``highlight`` (source text), ``uploads`` (evidence files), ``templates/base.html`` (the layout).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":  # imported on first use: importing luoshi.web stays cheap
        from luoshi.web.app import create_app

        return create_app
    raise AttributeError(name)
