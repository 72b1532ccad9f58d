"""Storage faults are named: a read-only file, a full disk, a corrupt file and a busy database give
a clear Chinese 503 (page or JSON), never a 500; ``/healthz`` reads the database; nothing is
half-written. All on a real SQLite file: read-only via ``chattr +i`` (or file mode when not root),
full via ``PRAGMA max_page_count``, corrupt by overwriting the file header, busy by another
process holding the write lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from luoshi.accounts.tokens import create_token
from luoshi.accounts.users import get_user
from luoshi.store.models import ProgressUpdate

from .conftest import csrf_of, login


def _db_file(app) -> Path:  # noqa: ANN001
    return Path(app.state.store.engine.url.database)


def _reconnect(app) -> None:  # noqa: ANN001
    """Drop pooled connections so the next request opens the file afresh (as after a restart)."""
    app.state.store.dispose()


def _bearer(app, username: str) -> dict[str, str]:  # noqa: ANN001
    with app.state.store.session() as s:
        plain, _row = create_token(s, get_user(s, username))
    return {"Authorization": f"Bearer {plain}"}


def _updates(app) -> int:  # noqa: ANN001
    with app.state.store.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(ProgressUpdate)) or 0)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` truly unwritable (root ignores file modes, so then the immutable flag)."""
    if os.geteuid() == 0:
        if (
            not shutil.which("chattr")
            or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode
        ):
            pytest.skip("running as root and chattr +i is not available here: cannot make a file read-only")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def test_read_only_database_gives_503_and_reads_still_work(web) -> None:  # noqa: ANN001
    app, ids = web
    reporter = login(app, "reporter")
    bearer = _bearer(app, "reporter")
    token = csrf_of(reporter.get(f"/targets/{ids.public_target}").text)
    before = _updates(app)
    _reconnect(app)
    with read_only(_db_file(app)):
        _reconnect(app)
        assert reporter.get(f"/targets/{ids.public_target}").status_code == 200  # reading works
        assert reporter.get("/healthz").status_code == 200
        r = reporter.post(
            f"/targets/{ids.public_target}/updates",
            data={"period": "2024-07-01", "value": "270", "narrative": "七月", "csrf_token": token},
        )
        assert r.status_code == 503, r.text[:300]
        assert "只读" in r.text and "text/html" in r.headers["content-type"]
        api = TestClient(app).post(
            f"/api/targets/{ids.public_target}/updates",
            headers=bearer,
            json={"period": "2024-07-02", "value": 271},
        )
        assert api.status_code == 503 and "只读" in api.json()["detail"]
        _reconnect(app)
    assert _updates(app) == before


def test_full_disk_gives_503_and_nothing_half_written(web) -> None:  # noqa: ANN001
    app, ids = web
    bearer = _bearer(app, "reporter")
    before = _updates(app)
    engine = app.state.store.engine
    with engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

    def _cap(dbapi_conn, _record) -> None:  # noqa: ANN001
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", _cap)
    try:
        _reconnect(app)
        client = TestClient(app)
        r = client.post(
            f"/api/targets/{ids.public_target}/updates",
            headers=bearer,
            json={"period": "2024-07-02", "value": 271, "narrative": "进展" * 4000},
        )
        assert r.status_code == 503, r.text[:300]
        assert "存储空间已满" in r.json()["detail"]
        page = client.post(
            f"/targets/{ids.public_target}/updates",
            headers={**bearer, "Accept": "text/html"},
            data={"period": "2024-07-03", "value": "272", "narrative": "进展" * 4000},
        )
        assert page.status_code == 503 and "存储空间已满" in page.text
    finally:
        event.remove(engine, "connect", _cap)
        _reconnect(app)
    assert _updates(app) == before


def test_corrupt_database_healthz_503(web) -> None:  # noqa: ANN001
    app, _ids = web
    client = TestClient(app)
    assert client.get("/healthz").json() == {"status": "ok"}
    _reconnect(app)
    path = _db_file(app)
    with path.open("r+b") as f:
        f.write(b"\x00garbage, not a database header" * 4)
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["status"] == "error" and "损坏" in r.json()["detail"]
    page = client.get("/public", headers={"Accept": "text/html"})
    assert page.status_code == 503 and "损坏" in page.text


def _hold_write_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process (as another server parsing a sheet would) holds SQLite's write lock."""
    code = (
        "import sqlite3, sys, time\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE'); c.execute('UPDATE alembic_version SET version_num = version_num')\n"
        "print('locked', flush=True); time.sleep(float(sys.argv[2])); c.execute('ROLLBACK')\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_writer_in_another_process_is_waited_for_not_a_500(web) -> None:  # noqa: ANN001
    from luoshi.web.server import ServerLimits
    from tests.web.test_slow_clients import served

    app, ids = web
    bearer = _bearer(app, "reporter")
    with (
        served(app, ServerLimits()) as (base, _port, _server),
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        holder = _hold_write_lock(_db_file(app), 4.0)
        try:
            for _ in range(5):  # reads go on beside the other process's write
                assert client.get(f"/api/targets/{ids.public_target}").status_code == 200
            assert holder.poll() is None  # ... while it still holds the lock: they did not wait for it
            r = client.post(
                f"/api/targets/{ids.public_target}/updates",
                headers=bearer,
                json={"period": "2024-07-02", "value": 271},
            )
            assert r.status_code == 201, r.text  # waited for the lock, then written
        finally:
            holder.wait(timeout=10)


def test_writer_that_never_ends_gives_busy_503(web, monkeypatch) -> None:  # noqa: ANN001
    from luoshi.store import engine as engine_module

    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 800)
    app, ids = web
    bearer = _bearer(app, "reporter")
    before = _updates(app)
    holder = _hold_write_lock(_db_file(app), 3.0)
    try:
        r = TestClient(app).post(
            f"/api/targets/{ids.public_target}/updates",
            headers=bearer,
            json={"period": "2024-07-02", "value": 271},
        )
        assert r.status_code == 503 and "数据库正忙" in r.json()["detail"], r.text
    finally:
        holder.wait(timeout=10)
    assert _updates(app) == before
