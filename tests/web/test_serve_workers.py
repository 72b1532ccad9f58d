"""``luoshi serve --workers 2``: several processes (gunicorn with uvicorn workers) on one store,
SQLite file and PostgreSQL; concurrent API writers through both, none lost, no 500. And
``--proxy-headers``: X-Forwarded-Proto is believed only from LUOSHI_TRUSTED_PROXIES."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import ProgressUpdate
from tests.support import free_port

from .seed import seed

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'web.db'}"
        return
    from luoshi.store.testing import private_postgres_schema

    with private_postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                out.append(int(entry.name))
    return out


@contextmanager
def serving(
    db: str, tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    port = free_port()
    full_env = {
        **os.environ,
        "LUOSHI_UPLOAD_DIR": str(tmp_path / "up"),
        "LUOSHI_TODAY": "2024-07-10",
        "LUOSHI_SECRET_KEY": "k",
        **(env or {}),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "luoshi", "serve", "--db", db, "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
        cwd=tmp_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.time() < deadline, "server did not answer"
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_two_workers_share_the_store(any_db: str, tmp_path: Path) -> None:
    from luoshi.accounts.tokens import create_token
    from luoshi.accounts.users import get_user

    store = open_store(Settings(database_url=any_db))
    with store.session() as s:
        ids = seed(s)
        tokens = [create_token(s, get_user(s, "reporter"))[0] for _ in range(4)]
    with store.session() as s:
        before = int(s.scalar(select(func.count()).select_from(ProgressUpdate)) or 0)
    with serving(any_db, tmp_path, "--workers", "2") as (base, pid):
        workers = _children(pid)
        assert len(workers) == 2, workers
        errors: list[str] = []
        per = 15

        def write(token: str) -> None:
            with httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {token}"}) as c:
                for j in range(per):
                    r = c.post(
                        f"/api/targets/{ids.public_target}/updates", json={"period": "2024-07-01", "value": j}
                    )
                    if r.status_code != 201:
                        errors.append(f"{r.status_code} {r.text[:120]}")
                    page = c.get("/api/targets", params={"limit": 2})
                    if page.status_code != 200:
                        errors.append(f"{page.status_code} {page.text[:120]}")

        threads = [threading.Thread(target=write, args=(t,)) for t in tokens]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[:5]
    with store.session() as s:
        assert int(s.scalar(select(func.count()).select_from(ProgressUpdate)) or 0) == before + per * len(
            tokens
        )
    store.dispose()


def _secure_cookie(base: str) -> bool:
    r = httpx.get(base + "/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert r.status_code == 200
    return "secure" in r.headers.get("set-cookie", "").lower()


def test_proxy_headers_only_from_trusted_proxies(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    open_store(Settings(database_url=f"sqlite:///{db}")).dispose()
    with serving(db, tmp_path) as (base, _pid):
        assert not _secure_cookie(base)  # no --proxy-headers: a local peer's X-Forwarded-* is ignored
    with serving(db, tmp_path, "--proxy-headers", env={"LUOSHI_TRUSTED_PROXIES": "192.0.2.1"}) as (
        base,
        _pid,
    ):
        assert not _secure_cookie(base)  # 127.0.0.1 is not a trusted proxy
    with serving(db, tmp_path, "--proxy-headers", env={"LUOSHI_TRUSTED_PROXIES": "127.0.0.1"}) as (
        base,
        _pid,
    ):
        assert _secure_cookie(base)
    result = subprocess.run(
        [sys.executable, "-m", "luoshi", "serve", "--db", db, "--proxy-headers"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LUOSHI_TRUSTED_PROXIES": ""},
    )
    assert (
        result.returncode != 0
        and "LUOSHI_TRUSTED_PROXIES" in result.stderr
        and "Traceback" not in result.stderr
    )
