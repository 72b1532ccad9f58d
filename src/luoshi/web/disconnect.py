"""A request whose client has gone stops: its work is cancelled, its queries refused.

Starlette computes a response to the end even when nobody is left to read it: a big page or an
export keeps a worker thread and the database busy for a closed socket. :class:`StopWhenGone`
(ASGI middleware) watches the connection once the request body has been read; when the client
disconnects before the answer is complete it

stops the request's :class:`~luoshi.store.cancel.StopSignal` (``request.state.client_gone``),
which ``luoshi.web.security.get_db`` handed to the store with the request's session. What that
stops is the store's business (:mod:`luoshi.store.cancel`): every further statement of the session
raises :class:`ClientGone`, and a GET's query already running is interrupted (SQLite) or
cancelled (PostgreSQL), so the handler unwinds as after any error (its transaction rolled back,
its session closed); :func:`install` answers it with an empty 499 that nobody reads, without a
traceback.

The request's task is not cancelled: most handlers run in the thread pool, where a cancelled
task would leave its thread running while the clean-up closed the session under it.
Each stop is logged (logger ``luoshi.web``, "client gone") and counted in :data:`stopped`.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luoshi.store.cancel import ClientGone, StopSignal

__all__ = ["ClientGone", "StopWhenGone", "install", "stopped"]

logger = logging.getLogger("luoshi.web")
stopped = {"requests": 0}  # requests stopped because their client went away (this process)


def _has_body(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() not in (b"", b"0")):
            return True
    return False


class StopWhenGone:
    """ASGI middleware: stop a request (HTTP only) whose client disconnects before its answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gone = StopSignal()
        scope.setdefault("state", {})["client_gone"] = gone
        queue: asyncio.Queue[Message] = asyncio.Queue()
        answered = False
        watching = False
        watcher: asyncio.Task[None] | None = None

        async def watch() -> None:
            # the only reader of ``receive`` from here on; the app reads what it passes on
            while True:
                message = await receive()
                await queue.put(message)
                if message["type"] == "http.disconnect":
                    if not answered:
                        gone.stop()  # returns at once: the store interrupts from a thread
                        stopped["requests"] += 1
                        logger.info("client gone: stopping %s %s", scope.get("method"), scope.get("path"))
                    return

        def start_watching() -> None:
            nonlocal watching, watcher
            watching = True
            watcher = asyncio.ensure_future(watch())

        async def app_receive() -> Message:
            if watching:
                return await queue.get()
            message = await receive()  # the body, at the app's pace (flow control stays uvicorn's)
            if message["type"] == "http.request" and not message.get("more_body", False):
                start_watching()
            return message

        async def app_send(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True
            await send(message)

        if not _has_body(scope):
            start_watching()  # nothing to read first: watch from the start
        try:
            await self.app(scope, app_receive, app_send)
        except ClientGone:
            pass  # raised outside a route (a middleware's query): nobody to answer either
        finally:
            if watcher is not None and not watcher.done():
                watcher.cancel()


def _answer_nobody(_request: Request, _exc: Exception) -> Response:
    return Response(status_code=499)  # nginx's "client closed request"; the socket is gone anyway


def install(app: FastAPI) -> None:
    """The middleware and the quiet answer to :class:`ClientGone` (no 500 page, no traceback)."""
    app.add_exception_handler(ClientGone, _answer_nobody)
    app.add_middleware(StopWhenGone)
