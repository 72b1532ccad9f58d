"""A request whose client has gone is stopped (luoshi.web.disconnect), on a real uvicorn server.

The test holds the request at its first database statement (a SQLAlchemy event listener on the
app's engine, no production code replaced), closes the client's socket, waits until the server
has noticed, then lets the statement finish: the request must run no further statement (with the
client still there, the same request runs several more and answers 200).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from luoshi.web import disconnect
from luoshi.web.server import ServerLimits
from tests.web.test_slow_clients import served

PAGE = "/api/targets?limit=1000"  # a list page: several queries after the first


class Gate:
    """Blocks the first query executed while armed; records the queries after it."""

    def __init__(self) -> None:
        self.armed = False
        self.entered = threading.Event()
        self.release = threading.Event()
        self.after: list[str] = []
        self._held = False
        self._lock = threading.Lock()

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        with self._lock:
            if not self.armed or statement.strip().upper().startswith(("BEGIN", "PRAGMA")):
                return  # transaction control: the request's first query comes right after
            if self._held:
                self.after.append(statement)
                return
            self._held = True
        self.entered.set()
        assert self.release.wait(30), "the test never released the statement"


@contextmanager
def gated(app: Any) -> Iterator[Gate]:
    store = app.state.store
    engine = store.read_engine or store.engine  # a GET reads through the store's reader
    gate = Gate()
    event.listen(engine, "before_cursor_execute", gate)
    try:
        yield gate
    finally:
        gate.release.set()
        event.remove(engine, "before_cursor_execute", gate)


def _wait(condition: Any, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def _request(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET {PAGE} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
    return sock


def test_request_stops_when_its_client_disconnects(web) -> None:  # noqa: ANN001
    app, _ids = web
    with served(app, ServerLimits()) as (_base, port, server), gated(app) as gate:
        before = disconnect.stopped["requests"]
        gate.armed = True
        sock = _request(port)
        assert gate.entered.wait(30), "the request never reached the database"
        sock.close()  # the client goes while its first query runs
        _wait(
            lambda: disconnect.stopped["requests"] > before, 30, "the server did not notice the client left"
        )
        gate.release.set()
        _wait(lambda: not server.server_state.tasks, 30, "the stopped request never ended")
        assert gate.after == []  # nothing after the query that was running when the client left


def test_request_whose_client_stays_runs_to_the_end(web) -> None:  # noqa: ANN001
    app, _ids = web
    with served(app, ServerLimits()) as (_base, port, _server), gated(app) as gate:
        before = disconnect.stopped["requests"]
        gate.armed = True
        with _request(port) as sock:
            assert gate.entered.wait(30)
            time.sleep(0.2)
            gate.release.set()
            sock.settimeout(30)
            data = b""
            while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        assert data.startswith(b"HTTP/1.1 200"), data[:200]
        assert len(gate.after) > 0 and disconnect.stopped["requests"] == before
