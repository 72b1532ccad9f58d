"""Session cookie hardening and CSRF protection.

The session is Starlette's signed cookie (itsdangerous). Every state-changing request that
relies on that cookie must carry the per-session CSRF token, either as the form field
``csrf_token`` or as the ``X-CSRF-Token`` header. Requests authenticated by
``Authorization: Bearer`` carry no cookie authority and are exempt: the user is then taken
from the token alone (see :mod:`luoshi.web.security`).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "SecureCookieMiddleware",
    "csrf_protect",
    "csrf_token",
    "has_bearer",
]

SESSION_COOKIE = "luoshi_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class SecureCookieMiddleware:
    """Add ``Secure`` to the session cookie when the request came over https.

    Starlette's SessionMiddleware fixes the flag at start-up; a server behind a TLS proxy
    (uvicorn --proxy-headers sets the scheme) or a plain-http local install needs it per request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookies = headers.getlist("set-cookie")
                if cookies:
                    del headers["set-cookie"]
                    for value in cookies:
                        if value.startswith(SESSION_COOKIE + "=") and "secure" not in value.lower():
                            value += "; secure"
                        headers.append("set-cookie", value)
            await send(message)

        await self.app(scope, receive, send_wrapper)


def has_bearer(request: Request) -> bool:
    return request.headers.get("authorization", "").lower().startswith("bearer ")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (anonymous visitors get one too)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: refuse unsafe requests without the session's CSRF token."""
    if request.method not in _UNSAFE or has_bearer(request):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            try:
                form = await request.form()  # cached on the request: the route reads it again for free
            except Exception as exc:  # noqa: BLE001 - a malformed body is refused, not a server error
                raise HTTPException(status_code=400, detail="表单数据无法读取，请刷新页面后重试") from exc
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise HTTPException(
            status_code=403, detail="页面已过期或来源无法验证（安全校验未通过），请刷新页面后重试"
        )
