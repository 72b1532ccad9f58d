"""Jinja2 environment of the web app (autoescape on for every template) and the render helper."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from luoshi.glossary import KIND_LABELS, ROLE_LABELS, STATUS_LABELS, VERDICT_LABELS
from luoshi.tracking.figures import format_compact, format_number, format_value
from luoshi.web.charts import STATUS_COLOURS
from luoshi.web.csrf import CSRF_FIELD, csrf_token

__all__ = ["TEMPLATE_DIR", "make_templates", "render"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def _fmt_number(value: Any) -> str:
    if value is None:
        return "—"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _area_label(heading: str | None) -> str:
    """An area's heading as a column of a target list shows it: its first word, at most 12
    characters (a filter: a method call and a ``truncate`` per row cost twice as much in Jinja2)."""
    word = (heading or "").split(" ")[0]
    return word if len(word) <= 12 else word[:11] + "…"


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,  # every page, every template: stored markup is always shown as text
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _fmt_number
    env.filters["plainnum"] = lambda v: "" if v is None else format_number(float(v))  # 300.0 -> 300
    env.filters["figure"] = format_value  # value|figure(unit, comparator, value_max): 312.4亿元, ≥300座
    env.filters["arealabel"] = _area_label  # heading|arealabel: 聚焦聚力稳住向好态势 -> 聚焦聚力稳住向好态…
    env.filters["compact"] = format_compact  # an axis label: 12000000 -> 1200万
    # readable JSON (Chinese kept as is); the result is plain text, so autoescape applies
    env.filters["jsontext"] = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)
    env.globals.update(
        STATUS_LABELS=STATUS_LABELS,
        STATUS_COLOURS=STATUS_COLOURS,
        ROLE_LABELS=ROLE_LABELS,
        KIND_LABELS=KIND_LABELS,
        VERDICT_LABELS=VERDICT_LABELS,
        CSRF_FIELD=CSRF_FIELD,
    )
    return Jinja2Templates(env=env)


def _query(request: Request, **changes: Any) -> str:
    """The current query string with some parameters changed (for filters and pagination)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: v for k, v in changes.items() if v not in (None, "")})
    return "?" + urlencode(params) if params else "?"


def _unread(request: Request, user: Any) -> int:
    db = getattr(request.state, "db", None)
    if user is None or db is None:
        return 0
    from luoshi.notify.notices import unread_count

    return unread_count(db, user)


def _todo(request: Request, user: Any) -> int:
    db = getattr(request.state, "db", None)
    if user is None or db is None:
        return 0
    from luoshi.notify.inbox import nav_count

    return nav_count(db, user)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render ``name`` with the common context: user, CSRF token, demo flag, query helper."""
    templates: Jinja2Templates = request.app.state.templates
    settings = request.app.state.settings
    user = getattr(request.state, "user", None)
    ctx = {
        "user": user,
        "unread": _unread(request, user),
        "todo": _todo(request, user),
        "csrf_token": csrf_token(request),
        "demo": settings.demo,
        "query": lambda **kw: _query(request, **kw),
        "path": request.url.path,
        # a list's pager and sort links end with it: "#ID" where other things stand above the list
        "list_anchor": "",
    }
    ctx.update(context)
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
