"""Failed-login loops must not stall others: a real uvicorn server, two wrong-password loops,
and /healthz (and a static file) timed meanwhile. Bounds are generous (2 shared cores);
the speed aims themselves live in benchmarks/.

The argon2 check runs in a worker thread with no transaction open (this branch). Until the
web-level SQLite gate is removed (issue 10's other half), every database request still waits
for the request ahead of it, so /healthz is marked as an expected failure while the gate exists.
"""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest

from luoshi.settings import Settings
from luoshi.store import open_store
from tests.support import serve_in_thread

from .seed import seed

LOOP_SECONDS = 4.0


@pytest.fixture()
def live(tmp_path: Path):  # noqa: ANN201
    from luoshi.web.app import create_app

    # throttling off for this test: the attacker's worst case is every try costing an argon2 check
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'load.db'}",
        upload_dir=str(tmp_path / "up"),
        secret_key="k",
        login_max_failures=100_000,
        login_address_max_failures=100_000,
    )
    store = open_store(settings)
    with store.session() as session:
        seed(session)
    app = create_app(settings, store=store)
    with serve_in_thread(app) as url:
        yield url
    store.dispose()


def _hammer(url: str, stop: threading.Event, counts: list[int]) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        page = client.get("/login").text
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        while not stop.is_set():
            r = client.post(
                "/login", data={"username": "admin", "password": "wrong-guess", "csrf_token": token}
            )
            assert r.status_code == 401, r.status_code
            counts.append(1)


def _timed(url: str, path: str, stop_after: float) -> list[float]:
    times: list[float] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        end = time.monotonic() + stop_after
        while time.monotonic() < end:
            t0 = time.perf_counter()
            r = client.get(path)
            times.append(time.perf_counter() - t0)
            assert r.status_code == 200
            time.sleep(0.02)
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def _under_login_load(url: str, path: str) -> tuple[list[float], int]:
    stop = threading.Event()
    counts: list[int] = []
    _timed(url, path, 0.1)  # warm up: the first request's connections are not what is measured
    loops = [threading.Thread(target=_hammer, args=(url, stop, counts)) for _ in range(2)]
    for t in loops:
        t.start()
    try:
        time.sleep(0.3)
        times = _timed(url, path, LOOP_SECONDS)
    finally:
        stop.set()
        for t in loops:
            t.join(timeout=30)
    return times, len(counts)


def test_login_loops_do_not_block_the_event_loop(live: str) -> None:
    """A static file needs no database: it is slow only if argon2 ran on the event loop."""
    times, attempts = _under_login_load(live, "/static/style.css")
    assert attempts >= 4, "the login loops did not run"
    assert _p95(times) < 0.25, f"static p95 {_p95(times) * 1000:.0f} ms during {attempts} failed logins"


def test_login_loops_leave_healthz_responsive(live: str) -> None:
    times, attempts = _under_login_load(live, "/healthz")
    assert attempts >= 4, "the login loops did not run"
    # behind a lock each /healthz waited for a whole argon2 check (p95 ~1 s); without one it is
    # ~0.1 s on 2 busy cores. The bound leaves room for a loaded CI machine, not for a lock.
    assert _p95(times) < 0.5, f"/healthz p95 {_p95(times) * 1000:.0f} ms during {attempts} failed logins"
