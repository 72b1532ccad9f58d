"""Per-request plumbing: database session, the acting user, permission checks, error pages.

The user comes from exactly one place: an ``Authorization: Bearer`` token when the request
carries one (then the cookie is ignored, which is why such requests need no CSRF token),
otherwise the signed session cookie, whose random key must name an open server-side session
(``luoshi.accounts.sessions``). Every route states its rule with :func:`allow`,
which defers to :mod:`luoshi.accounts.policy` — the one permission table.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from luoshi.accounts import policy
from luoshi.errors import InputError, NotFoundError, PermissionDenied
from luoshi.store.faults import StorageError, classify
from luoshi.store.models import User
from luoshi.store.touch import Writer
from luoshi.web.csrf import has_bearer

__all__ = [
    "allow",
    "commit_before_response",
    "get_db",
    "SESSION_KEY",
    "install_error_handlers",
    "load_user",
    "wants_json",
]


SESSION_KEY = "sid"  # the signed cookie holds only this random key; luoshi.accounts.sessions holds the rest

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request: committed when the route returns normally, else rolled back.

    GET and HEAD requests only read, so they get the store's reader (on SQLite: deferred
    transactions that run beside a writer); other methods get a writing session, whose write
    serialisation, busy timeout and retries are the store's (luoshi.store.engine). Session calls
    run in the thread pool, never in the event loop, and :func:`commit_before_response` ends the
    transaction before the response is sent, so no database lock waits on a slow client.
    (Not ``session.begin()``: some services, e.g. login throttling, commit part of their work
    themselves.)
    """
    store = request.app.state.store
    # the client leaves (luoshi.web.disconnect): the store stops the session's work
    stop = getattr(request.state, "client_gone", None)
    session = store.reader(stop) if request.method in _READ_METHODS else store.writer(stop)
    session.info["settings"] = request.app.state.settings  # a commit refreshes what it changed
    request.state.db = session  # for the page chrome (e.g. the unread-notice count)
    try:
        yield session
        await _end(session, session.commit)
    except BaseException:
        await _end(session, session.rollback)
        raise
    finally:
        request.state.db = None  # error pages rendered later must not reopen it
        await _end(session, session.close)


async def _end(session: Session, step: Callable[[], None]) -> None:
    """Run a session's commit, rollback or close in the thread pool, or, when the session has no
    transaction (most often: :func:`commit_before_response` has committed it), here: then the
    step touches no connection, and a thread-pool round trip costs more than the step."""
    if session.in_transaction():
        await run_in_threadpool(step)
    else:
        step()


async def commit_before_response(request: Request, db: Session = Depends(get_db)) -> AsyncIterator[None]:
    """App-wide, function-scoped: commit when the route returns, BEFORE the response is sent.

    ``get_db`` is request-scoped, so its exit runs only after the response has gone out; a
    "201 Created" must never precede the commit (a failed commit would then lose data the
    client was told is stored, and a client could read before the write is visible).
    """
    try:
        yield
    except BaseException:
        await _end(db, db.rollback)
        request.state.db = None  # the error page must not start a new transaction on it
        raise
    await _end(db, db.commit)


def _token_user(session: Session, raw: str, writer: Writer | None) -> User | None:
    from luoshi.accounts import tokens

    return tokens.verify_token(session, raw, writer=writer)


async def load_user(request: Request, db: Session = Depends(get_db)) -> User | None:
    """App-wide dependency: put the acting user (or None) on ``request.state.user``.

    The look-up runs in the thread pool, so a slow or busy database never blocks the event loop;
    a request with neither a token nor a session key has nothing to look up (no thread hop)."""
    if not has_bearer(request) and request.session.get(SESSION_KEY) is None:
        request.state.user = None
        return None
    return await run_in_threadpool(_load_user, request, db)


def _load_user(request: Request, db: Session) -> User | None:
    user: User | None = None
    # a GET reads through a read-only session: a credential's once-a-minute stamp gets its own write
    writer = request.app.state.store.session if request.method in _READ_METHODS else None
    if has_bearer(request):
        parts = request.headers["authorization"].split(None, 1)
        raw = parts[1].strip() if len(parts) == 2 else ""
        user = _token_user(db, raw, writer) if raw else None
        if user is None or not user.active:
            raise HTTPException(
                status_code=401, detail="invalid or revoked API token", headers={"WWW-Authenticate": "Bearer"}
            )
    else:
        key = request.session.get(SESSION_KEY)
        if key is not None:
            from luoshi.accounts.sessions import resolve_session

            found = resolve_session(db, key, writer=writer)
            if found is None:
                # ended (logout, password or role change, deactivation) or unknown: it no longer counts
                request.session.pop(SESSION_KEY, None)
            else:
                request.state.session_id = found[0].id
                user = found[1]
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
        path.startswith("/api/")
        or path == "/healthz"
        or path.endswith((".json", ".csv"))
        or "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )


def _error(request: Request, status: int, title: str, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    from luoshi.web.templating import render

    return render(request, "error.html", {"title": title, "message": message}, status_code=status)


def _unavailable(request: Request, fault: StorageError) -> Response:
    """A storage fault (busy, read-only, full, corrupt, unreachable): 503 with its Chinese message."""
    request.state.db = None
    response = _error(request, 503, "暂时无法处理", str(fault))
    response.headers["Retry-After"] = "5"
    return response


HTTP_DETAILS = {
    401: "请先登录。",
    403: "您没有执行此操作的权限。",
    404: "没有这个页面，请检查地址或从导航进入。",
    405: "此地址不支持这种操作，请从页面上的按钮进入。",
}


def install_error_handlers(app: FastAPI) -> None:
    """Domain errors become 403/404/400, storage faults 503; anonymous visitors of internal pages go to /login."""

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

    @app.exception_handler(StorageError)
    async def _storage(request: Request, exc: StorageError) -> Response:
        return _unavailable(request, exc)

    @app.exception_handler(DBAPIError)
    async def _driver(request: Request, exc: DBAPIError) -> Response:
        fault = classify(exc)
        if fault is None:
            raise exc
        return _unavailable(request, fault)

    @app.exception_handler(StarletteHTTPException)  # also an unknown path or method (Starlette's own)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        titles = {401: "请先登录", 403: "禁止访问", 404: "未找到", 405: "不支持的操作", 413: "文件过大"}
        detail = str(exc.detail)
        if not any("\u4e00" <= ch <= "\u9fff" for ch in detail):  # Starlette's "Not Found" and the like
            detail = HTTP_DETAILS.get(exc.status_code, "请求无法处理，请返回上一页重试。")
        return _error(request, exc.status_code, titles.get(exc.status_code, "出错了"), detail)
