"""One client cannot stall the others: a real uvicorn server on a free port, raw sockets as attackers.

- ~100 pipelined ``GET /review/{jurisdiction}/{year}`` on one socket that never reads its answers
  must not hold up ``/healthz`` from another client (it did while an app-wide SQLite gate was held
  until each response had been sent);
- the server's limits (luoshi.web.server): a request head trickled in byte by byte is cut off, a
  client that reads nothing is dropped, and a long pipeline is closed after the limit.
"""

from __future__ import annotations

import hashlib
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import update

from luoshi.extraction.model import DocumentInfo, Item, Plan, Section
from luoshi.settings import Settings
from luoshi.store.models import Target
from luoshi.web.server import ServerLimits, uvicorn_options

CARD = "/review/" + quote("示例区") + "/2023"


@contextmanager
def served(app: object, limits: ServerLimits, sndbuf: int | None = None) -> Iterator[tuple[str, int, Any]]:
    """The app under uvicorn with luoshi's protocol and ``limits``; yields (base URL, port, server).

    ``sndbuf``: the listening socket's send buffer, which accepted connections inherit (Linux),
    so that a client that reads nothing blocks the server after an answer or two."""
    import uvicorn

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if sndbuf is not None:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
    listener.bind(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])
    options = uvicorn_options(limits, None)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", port, server
    finally:
        server.should_exit = True
        thread.join(timeout=15)


N_ITEMS = 150  # a scorecard of ~100 KB: 100 of them are far more than the socket buffers hold


def _plan(role: str, year: int) -> Plan:
    """A report with N_ITEMS figures (targets for 2023, outcomes for 2024), one sentence each."""
    sentences, items = [], []
    pos = 0
    for i in range(N_ITEMS):
        figure = f"{100 + i}个"
        sentence = f"{'新建' if role == 'target' else '建成'}第{i}类设施{figure}；"
        start = pos + sentence.index(figure)
        items.append(
            Item(
                role=role,
                span=(start, start + len(figure)),
                surface=figure,  # type: ignore[arg-type]
                value=100.0 + i,
                unit="个",
                comparator=">=" if role == "target" else "=",
                indicator=f"第{i}类设施",
                sentence=(pos, pos + len(sentence)),
                section=0,
            )
        )
        sentences.append(sentence)
        pos += len(sentence)
    text = "".join(sentences)
    doc = DocumentInfo(source=f"slow-{year}.txt", sha256=hashlib.sha256(text.encode()).hexdigest())
    part = "plan" if role == "target" else "review"
    section = [Section("主要目标" if role == "target" else "工作回顾", (0, len(text)), part)]  # type: ignore[arg-type]
    if role == "target":
        return Plan(document=doc, text=text, sections=section, targets=items)
    return Plan(document=doc, text=text, sections=section, outcomes=items)


@pytest.fixture()
def review_app(tmp_path: Path):  # noqa: ANN201
    from luoshi.review.publish import publish_scorecard
    from luoshi.review.store import run_stored_review
    from luoshi.store import open_store
    from luoshi.tracking.importer import import_plan
    from luoshi.web.app import create_app

    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'slow.db'}", secret_key="k", upload_dir=str(tmp_path / "up")
    )
    store = open_store(settings)
    with store.session() as session:
        a = import_plan(session, _plan("target", 2023), "示例区", 2023, actor="test").report.id
        b = import_plan(session, _plan("outcome", 2024), "示例区", 2024, actor="test").report.id
        session.execute(
            update(Target).where(Target.report_id == a).values(review_state="accepted", public=True)
        )
        run_stored_review(session, a, b, actor="test")
        publish_scorecard(session, a, actor="test")  # the public sees published scorecards only
    yield create_app(settings, store=store)
    store.dispose()


def _attacker(port: int, path: str, n: int) -> socket.socket:
    """A socket with a tiny receive buffer that sends ``n`` pipelined GETs and never reads."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n".encode()
    sock.sendall(request * n)
    return sock


def _healthz_times(base: str, n: int) -> list[float]:
    times = []
    with httpx.Client(base_url=base, timeout=5) as client:
        for _ in range(n):
            t0 = time.perf_counter()
            r = client.get("/healthz")
            times.append(time.perf_counter() - t0)
            assert r.status_code == 200 and r.json() == {"status": "ok"}
    return times


def test_pipelined_slow_reader_does_not_stall_healthz(review_app) -> None:  # noqa: ANN001
    with served(review_app, ServerLimits(max_pipelined=1000)) as (base, port, _server):
        page = httpx.get(base + CARD, timeout=10)
        assert page.status_code == 200 and len(page.content) > 60_000  # the scorecard, with its rows
        attacker = _attacker(port, CARD, 100)
        try:
            time.sleep(1.0)  # let the server fill the attacker's buffers and block on it
            times = _healthz_times(base, 20)
            assert max(times) < 4.0, times  # (with the old gate: each hung until the attacker left)
            assert statistics.median(times) < 1.0, times
        finally:
            attacker.close()


def _read_until_closed(sock: socket.socket, within: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes (or resets) the connection; and when."""
    sock.settimeout(within)
    t0 = time.monotonic()
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    except TimeoutError:
        pytest.fail(f"the server kept the connection open for {within} s")
    return data, time.monotonic() - t0


def test_request_head_trickled_in_is_cut_off(review_app) -> None:  # noqa: ANN001
    with served(review_app, ServerLimits(header_s=1.0)) as (_base, port, _server):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            t0 = time.monotonic()
            closed = False
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40:
                try:
                    sock.sendall(bytes([byte]))
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                time.sleep(0.1)
            if not closed:
                data, _ = _read_until_closed(sock, 5)
                assert data == b""
            assert time.monotonic() - t0 < 4.5  # cut off near header_s, not after the 4 s trickle


def test_client_that_reads_nothing_is_dropped(review_app) -> None:  # noqa: ANN001
    # Tiny buffers on both ends (the client's receive buffer, the server's send buffer): the
    # server cannot hand over even two scorecards of > 60 KB, so it blocks on this client after
    # its first answer or two, however fast or slow the machine, and drops it write_s later.
    with served(review_app, ServerLimits(write_s=1.0, max_pipelined=1000), sndbuf=4096) as (
        base,
        port,
        server,
    ):
        attacker = _attacker(port, CARD, 50)
        try:
            deadline = time.monotonic() + 120  # generous: the first answers are rendered under load
            while not server.server_state.connections:  # the server has not taken the socket yet
                assert time.monotonic() < deadline, "the server never took the connection"
                time.sleep(0.01)
            while server.server_state.connections:  # dropped once blocked on it for write_s
                assert time.monotonic() < deadline, "the server kept a client that reads nothing"
                time.sleep(0.1)
            data, _ = _read_until_closed(attacker, 10)
        finally:
            attacker.close()
        answered = data.count(b"HTTP/1.1 200")
        assert 0 < answered < 50, answered  # dropped part-way, not served to the end
        assert _healthz_times(base, 3)


def test_long_pipeline_is_closed_after_the_limit(review_app) -> None:  # noqa: ANN001
    with served(review_app, ServerLimits(max_pipelined=8)) as (_base, port, _server):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 40)
            data, _ = _read_until_closed(sock, 10)
        answered = data.count(b"HTTP/1.1 200")
        assert 1 <= answered <= 9, answered


def test_answers_are_sent_without_waiting_for_acks() -> None:
    """TCP_NODELAY on every accepted socket: h11 writes a response's head and body apart, and with
    Nagle's algorithm the body waited ~40 ms for the client's delayed ACK on keep-alive connections
    (measured: /healthz p50 48 ms before, 5 ms after, same machine)."""

    async def app(scope, receive, send):  # noqa: ANN001, ANN202
        if scope["type"] != "http":
            return
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
        )
        await send({"type": "http.response.body", "body": b"ok"})

    with served(app, ServerLimits()) as (base, _port, server):
        with httpx.Client(base_url=base, timeout=10) as client:
            assert client.get("/").text == "ok"
            (conn,) = server.server_state.connections
            sock = conn.transport.get_extra_info("socket")
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
