"""Serving the app: uvicorn with time and pipelining limits, one process or several (gunicorn).

The limits are settings (``server_*`` in luoshi.settings, ``LUOSHI_SERVER_*`` in the environment).

A connection may take :attr:`ServerLimits.header_s` seconds to send a request head and
:attr:`ServerLimits.body_s` to send its body; an idle keep-alive connection closes after
:attr:`ServerLimits.keep_alive_s`; a client that reads none of its responses for
:attr:`ServerLimits.write_s` is dropped; after :attr:`ServerLimits.max_pipelined` requests in a
row that arrived before their predecessor's answer was written (pipelining), the connection is
closed once that answer is out. None of this costs a thread: the protocol is uvicorn's h11 one
with timers added.

``workers > 1`` runs gunicorn with uvicorn workers (``uvicorn --workers`` adds tens of
milliseconds to every small response); each worker builds its own app and database engine.
"""

from __future__ import annotations

import asyncio
import gc
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from luoshi.settings import Settings

_DEFAULTS = Settings()
# Objects allocated between young collections; CPython's default (700) made a page of a few
# thousand ORM rows run the young collector dozens of times.
GC_YOUNG_THRESHOLD = 20_000

__all__ = ["ServerLimits", "bounded_protocol", "run"]


@dataclass(frozen=True)
class ServerLimits:
    """The connection limits; their values live in the settings (``server_*``, ``LUOSHI_SERVER_*``)."""

    keep_alive_s: float = _DEFAULTS.server_keep_alive_s
    header_s: float = _DEFAULTS.server_header_timeout_s
    body_s: float = _DEFAULTS.server_body_timeout_s
    write_s: float = _DEFAULTS.server_write_timeout_s
    max_pipelined: int = _DEFAULTS.server_max_pipelined

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerLimits:
        return cls(
            keep_alive_s=settings.server_keep_alive_s,
            header_s=settings.server_header_timeout_s,
            body_s=settings.server_body_timeout_s,
            write_s=settings.server_write_timeout_s,
            max_pipelined=settings.server_max_pipelined,
        )


def _no_delay(transport: asyncio.Transport) -> None:
    """Send each write at once (TCP_NODELAY). h11 writes a response's head and body separately;
    with Nagle's algorithm on, the body waited for the client's delayed ACK: ~40 ms added to every
    small answer on a keep-alive connection."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _BoundedH11Protocol(H11Protocol):
    limits = ServerLimits()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._pipelined = 0
        super().connection_made(transport)
        _no_delay(transport)
        self._arm("header", self.limits.header_s)

    def _arm(self, name: str, seconds: float) -> None:
        if name not in self._timers:
            self._timers[name] = self.loop.call_later(seconds, self._expire, name)

    def _cancel(self, name: str) -> None:
        timer = self._timers.pop(name, None)
        if timer is not None:
            timer.cancel()

    def _expire(self, name: str) -> None:
        self._timers.pop(name, None)
        if self.transport.is_closing() and name != "write":
            return
        self.logger.info("closing a connection: %s timeout", name)
        # "write": the client reads nothing, so a graceful close would never finish flushing.
        self.transport.abort() if name == "write" else self.transport.close()

    def _track(self) -> None:
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            self._cancel("header")
            self._arm("body", self.limits.body_s)
        elif state is not h11.IDLE:
            self._cancel("header")
            self._cancel("body")

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._track()

    def on_response_complete(self) -> None:
        pending = bool(self.conn.trailing_data[0])
        self._pipelined = self._pipelined + 1 if pending else 0
        if self._pipelined >= self.limits.max_pipelined and not self.transport.is_closing():
            self.server_state.total_requests += 1
            self.logger.info(
                "closing a connection: more than %d pipelined requests", self.limits.max_pipelined
            )
            self.transport.close()
            self._arm("write", self.limits.write_s)  # the unread answers must not keep it open
            return
        super().on_response_complete()
        if self.conn.their_state is h11.IDLE:
            self._arm("header", self.limits.header_s)
        self._track()

    def pause_writing(self) -> None:
        super().pause_writing()
        self._arm("write", self.limits.write_s)

    def resume_writing(self) -> None:
        super().resume_writing()
        self._cancel("write")

    def connection_lost(self, exc: Exception | None) -> None:
        for name in list(getattr(self, "_timers", {})):
            self._cancel(name)
        super().connection_lost(exc)


def bounded_protocol(limits: ServerLimits | None = None) -> type[H11Protocol]:
    """The h11 protocol class with ``limits`` (the defaults when None)."""
    if limits is None:
        return _BoundedH11Protocol
    return type("BoundedH11Protocol", (_BoundedH11Protocol,), {"limits": limits})


def uvicorn_options(limits: ServerLimits, trusted_proxies: str | None) -> dict[str, Any]:
    """uvicorn ``Config`` keyword arguments: our protocol, timeouts, and proxy headers only when
    the peers to trust are named (uvicorn otherwise trusts ``X-Forwarded-For`` from 127.0.0.1)."""
    return {
        "http": bounded_protocol(limits),
        "loop": "asyncio",
        "timeout_keep_alive": limits.keep_alive_s,
        "proxy_headers": bool(trusted_proxies),
        "forwarded_allow_ips": trusted_proxies or "",
        "log_level": "warning",
        "access_log": False,
    }


def _gunicorn_worker(options: dict[str, Any]) -> type:
    from uvicorn_worker import UvicornWorker

    class LuoshiWorker(UvicornWorker):  # type: ignore[misc]
        CONFIG_KWARGS = {k: v for k, v in options.items() if k not in ("log_level", "access_log")}

    return LuoshiWorker


def settle_heap() -> None:
    """After the app is built: move start-up objects (modules, templates, mappers) out of the
    collector's view and collect the young generation less often. Measured on the benchmark
    database, garbage collection was about a third of a scorecard page's CPU."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _built(app_factory: Callable[[], Any]) -> Any:
    app = app_factory()
    settle_heap()
    return app


def run(
    app_factory: Callable[[], Any],
    *,
    host: str,
    port: int,
    workers: int = 1,
    trusted_proxies: str | None = None,
    limits: ServerLimits | None = None,
    sock: socket.socket | None = None,
) -> None:
    """Serve ``app_factory()`` until interrupted: in this process, or in ``workers`` processes.

    ``sock``, already bound by the caller (so that a busy port is one clear line before any
    banner), is served instead of binding ``host:port`` again; gunicorn's workers inherit it.
    """
    bounds = limits or ServerLimits()
    options = uvicorn_options(bounds, trusted_proxies)
    if workers <= 1:
        import uvicorn

        server = uvicorn.Server(uvicorn.Config(_built(app_factory), host=host, port=port, **options))
        server.run(sockets=[sock] if sock is not None else None)
        return
    from gunicorn.app.base import BaseApplication

    worker_class = _gunicorn_worker(options)

    class _Application(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": f"fd://{sock.fileno()}"
                if sock is not None
                else (f"[{host}]:{port}" if ":" in host else f"{host}:{port}"),
                "workers": workers,
                "worker_class": worker_class,
                "keepalive": int(bounds.keep_alive_s),
                "timeout": 60,
                "graceful_timeout": 10,
                "forwarded_allow_ips": trusted_proxies or "",
                "accesslog": None,
                "loglevel": "warning",
                "preload_app": False,
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return _built(app_factory)  # in each worker, after the fork: its own engine and pool

    _Application().run()
