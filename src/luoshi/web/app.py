"""The web application factory: ``create_app(settings)`` (nothing is built at import time)."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luoshi.settings import Settings
from luoshi.store import Store, open_store
from luoshi.web.csrf import SESSION_COOKIE, SecureCookieMiddleware, csrf_protect
from luoshi.web.disconnect import install as install_stop_when_gone
from luoshi.web.error_pages import install as install_error_pages
from luoshi.web.error_pages import valid_ids
from luoshi.web.security import commit_before_response, install_error_handlers, load_user
from luoshi.web.templating import make_templates

__all__ = ["create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Pages are server-rendered without inline scripts, so a strict policy costs nothing.
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class _SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                    (b"content-security-policy", _CSP.encode()),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_wrapper)


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the app for ``settings``; opens (and upgrades) the store unless one is given."""
    from luoshi.web import (
        account_routes,
        admin_routes,
        api,
        auth_routes,
        bulk_routes,
        docs_routes,
        forms_targets,
        inbox_routes,
        notices_routes,
        pages_overview,
        pages_projects,
        pages_source,
        pages_targets,
        public_routes,
        queue_routes,
        review_routes,
        screen_routes,
        setup_routes,
        sheet_routes,
        supervision_routes,
        throttle_routes,
    )

    app = FastAPI(
        title="落实 luoshi API",
        description="政府工作报告任务跟踪：目标、进展、状态。公开目标无需登录；写入需要会话+CSRF 或 Bearer 令牌。",
        version="1",
        dependencies=[
            Depends(valid_ids),
            Depends(csrf_protect),
            Depends(load_user),
            Depends(commit_before_response, scope="function"),
        ],
        docs_url=None,  # /docs is docs_routes: rendered here, no CDN script
        # no request body (upload included) larger than an evidence file plus the form around it
        max_body_size=settings.upload_max_bytes + 256 * 1024,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    app.state.templates = make_templates()
    from luoshi.store.files import upload_dir

    app.state.upload_dir = upload_dir(settings)  # beside the database unless set; never the CWD
    app.state.upload_dir.mkdir(parents=True, exist_ok=True)

    install_error_handlers(app)
    install_error_pages(app)  # Chinese 422/500, out-of-range ids
    # Routes are matched in order, every route of every router before the one that answers
    # (FastAPI tries each in turn): the most requested come first (the overview, target pages,
    # the public scorecard, the API and /healthz). No path of one router matches another's.
    for module in (
        auth_routes,
        pages_overview,
        pages_targets,
        public_routes,
        api,
        forms_targets,
        pages_source,
        pages_projects,
        queue_routes,
        sheet_routes,
        notices_routes,
        account_routes,
        admin_routes,
        docs_routes,
    ):
        app.include_router(module.router)
    app.include_router(review_routes.router)
    app.include_router(supervision_routes.router)
    app.include_router(inbox_routes.router)
    app.include_router(bulk_routes.router)
    app.include_router(setup_routes.router)
    app.include_router(screen_routes.router)
    app.include_router(throttle_routes.router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key or secrets.token_urlsafe(48),
        session_cookie=SESSION_COOKIE,
        same_site="lax",
        https_only=False,  # Secure is added per request by SecureCookieMiddleware
        max_age=12 * 3600,
    )
    app.add_middleware(SecureCookieMiddleware)  # outside the session middleware: sees its cookie
    app.add_middleware(_SecurityHeaders)
    install_stop_when_gone(app)  # outermost of ours: a request whose client left is stopped
    from luoshi.supervision.webhooks import install_pusher

    install_pusher(app)  # group-robot webhooks pushed after write requests, from a thread
    return app
