"""Per-request plumbing: database session, the acting user, permission checks, error pages.

The user comes from exactly one place: an ``Authorization: Bearer`` token when the request
carries one (then the cookie is ignored, which is why such requests need no CSRF token),
otherwise the signed session cookie. Every route states its rule with :func:`allow`,
which defers to :mod:`luoshi.accounts.policy` — the one permission table.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from luoshi.accounts import policy
from luoshi.errors import InputError, NotFoundError, PermissionDenied
from luoshi.store.models import User
from luoshi.web.csrf import has_bearer

__all__ = [
    "allow",
    "commit_before_response",
    "get_db",
    "sqlite_gate",
    "install_error_handlers",
    "load_user",
    "wants_json",
]


async def sqlite_gate(request: Request) -> AsyncIterator[None]:
    """On SQLite, let one request at a time use the database, queueing in the event loop.

    Every SQLite transaction here takes the write lock (BEGIN IMMEDIATE); waiting for it inside
    SQLite means sleeping in coarse steps and failing after the busy timeout, which wrecks write
    throughput under concurrent clients. Waiting here costs no thread and keeps arrival order.
    PostgreSQL needs no gate.
    """
    if not request.app.state.serialize_db:
        yield
        return
    loop = asyncio.get_running_loop()
    locks = request.app.state.db_locks
    lock = locks.get(id(loop))
    if lock is None:
        lock = locks[id(loop)] = asyncio.Lock()
    async with lock:
        yield


async def _run(inline: bool, fn: Callable[[], object]) -> None:
    """Run a session call in the event loop (SQLite behind ``sqlite_gate``) or the thread pool."""
    if inline:
        fn()
    else:
        await run_in_threadpool(fn)


async def get_db(request: Request, _gate: None = Depends(sqlite_gate)) -> AsyncIterator[Session]:
    """One session per request: committed when the route returns normally, else rolled back.

    (Not ``session.begin()``: some services, e.g. login throttling, commit part of their work
    themselves, and a second session in the same request would wait on SQLite's write lock.)
    On SQLite, ``sqlite_gate`` already gives this request the database alone, so commit and
    close run right here: a hop to the thread pool and back costs more than they do.
    """
    inline = bool(request.app.state.serialize_db)
    session = request.app.state.store.sessionmaker()
    session.info["settings"] = request.app.state.settings  # a commit refreshes what it changed
    request.state.db = session  # for the page chrome (e.g. the unread-notice count)
    try:
        yield session
        await _run(inline, session.commit)
    except BaseException:
        await _run(inline, session.rollback)
        raise
    finally:
        request.state.db = None  # error pages rendered later must not reopen it
        await _run(inline, session.close)


async def commit_before_response(request: Request, db: Session = Depends(get_db)) -> AsyncIterator[None]:
    """App-wide, function-scoped: commit when the route returns, BEFORE the response is sent.

    ``get_db`` is request-scoped, so its exit runs only after the response has gone out; a
    "201 Created" must never precede the commit (a failed commit would then lose data the
    client was told is stored, and a client could read before the write is visible).
    """
    inline = bool(request.app.state.serialize_db)
    try:
        yield
    except BaseException:
        await _run(inline, db.rollback)
        raise
    await _run(inline, db.commit)


def _token_user(session: Session, raw: str) -> User | None:
    from luoshi.accounts import tokens

    return tokens.verify_token(session, raw)


async def load_user(request: Request, db: Session = Depends(get_db)) -> User | None:
    """App-wide dependency: put the acting user (or None) on ``request.state.user``.

    On SQLite the look-up (one indexed query) runs right here in the event loop: ``sqlite_gate``
    already lets only this request use the database, and a hop to the thread pool and back costs
    more than the query. Other databases take the thread pool, so a slow server never blocks the loop.
    """
    if request.app.state.serialize_db:
        return _load_user(request, db)
    return await run_in_threadpool(_load_user, request, db)


def _load_user(request: Request, db: Session) -> User | None:
    user: User | None = None
    if has_bearer(request):
        parts = request.headers["authorization"].split(None, 1)
        raw = parts[1].strip() if len(parts) == 2 else ""
        user = _token_user(db, raw) if raw else None
        if user is None or not user.active:
            raise HTTPException(status_code=401, detail="invalid or revoked API token",
                                headers={"WWW-Authenticate": "Bearer"})
    else:
        uid = request.session.get("uid")
        if uid is not None:
            user = db.get(User, int(uid))
            if user is None or not user.active or request.session.get("role") != user.role:
                # Deactivated or changed since login: the old session no longer counts.
                request.session.pop("uid", None)
                user = None
    if user is not None:
        # Detached with its columns loaded: error pages rendered after a rollback can still
        # show who is logged in, and no request can change the user row by accident.
        db.expunge(user)
    request.state.user = user
    return user


def allow(request: Request, action: str, obj: Any | None = None) -> None:
    """Raise PermissionDenied unless the acting user may do ``action`` (on ``obj``)."""
    policy.require(getattr(request.state, "user", None), action, obj)


def wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith("/api/") or path == "/healthz" or path.endswith((".json", ".csv"))
        or "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )


def _error(request: Request, status: int, title: str, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    from luoshi.web.templating import render

    return render(request, "error.html", {"title": title, "message": message}, status_code=status)


def install_error_handlers(app: Any) -> None:
    """Domain errors become 403/404/400; anonymous visitors of internal pages go to /login."""

    @app.exception_handler(PermissionDenied)
    async def _denied(request: Request, exc: PermissionDenied) -> Response:
        user = getattr(request.state, "user", None)
        if user is None and request.method == "GET" and not wants_json(request):
            return RedirectResponse("/login?next=" + quote(str(request.url.path)), status_code=303)
        status = 401 if user is None else 403
        return _error(request, status, "无权访问", "您没有执行此操作的权限。" if user else "请先登录。")

    @app.exception_handler(NotFoundError)
    async def _missing(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, "未找到", str(exc))

    @app.exception_handler(InputError)
    async def _bad(request: Request, exc: InputError) -> Response:
        return _error(request, 400, "输入有误", str(exc))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        titles = {401: "请先登录", 403: "禁止访问", 404: "未找到", 413: "文件过大"}
        return _error(request, exc.status_code, titles.get(exc.status_code, "出错了"), str(exc.detail))
