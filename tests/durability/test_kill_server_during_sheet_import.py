"""A web SERVER killed with SIGKILL in the middle of an import (an uploaded 任务分解表 with progress
for every target) leaves the database exactly as it was; after a restart the same upload works.

The server is the real ``luoshi serve``, started through a small wrapper script (test code) that
registers an engine event: after the import's first INSERT into ``progress_updates`` it writes a
marker file and stalls that request, so the kill lands inside the open import transaction.
"""

from __future__ import annotations

import io
import sys
import threading
import time

import httpx
import pytest
from sqlalchemy import func, select, text

from luoshi.accounts.tokens import create_token
from luoshi.accounts.users import create_user
from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import Department, Jurisdiction, ProgressUpdate, Report, Target

from .conftest import fingerprint, start_server, stop_server

pytestmark = pytest.mark.slow

TARGETS = 300

STALLING_SERVER = r"""
import os, sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine

@event.listens_for(Engine, "after_cursor_execute")
def _stall(conn, cursor, statement, params, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO PROGRESS_UPDATES"):
        with open(os.environ["H6_KILL_MARKER"], "w") as fh:
            fh.write("writing")
        time.sleep(600)

from luoshi.cli import main
sys.argv = ["luoshi", *sys.argv[1:]]
main()
"""


def seed(url: str) -> tuple[str, list[int]]:
    store = open_store(Settings(database_url=url))
    try:
        with store.session() as s:
            report = Report(jurisdiction=Jurisdiction(name="张店区"), year=2024, text="……", sha256="d" * 64)
            dept = Department(name="区发改局")
            s.add_all([report, dept])
            s.flush()
            targets = [
                Target(
                    report=report,
                    title=f"目标{i}",
                    target_value=100,
                    unit="个",
                    kind="count",
                    review_state="accepted",
                    lead_department_id=dept.id,
                )
                for i in range(TARGETS)
            ]
            s.add_all(targets)
            s.flush()
            admin = create_user(s, "office", "admin", actor="test")
            return create_token(s, admin, "import")[0], [t.id for t in targets]
    finally:
        store.dispose()


def sheet(target_ids: list[int]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["ID", "工作任务", "本期完成值", "填报日期", "进展说明"])
    for n, tid in enumerate(target_ids):
        ws.append([tid, f"目标{n}", n % 100, "2024-06-28", f"第{n}项进展"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(base: str, token: str, data: bytes, timeout: float = 120) -> httpx.Response:
    return httpx.post(
        f"{base}/sheet",
        headers={"Authorization": f"Bearer {token}"},
        timeout=timeout,
        files={
            "sheet": (
                "进展表.xlsx",
                data,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        },
    )


def test_server_killed_mid_import(db_url, tmp_path):
    token, ids = seed(db_url)
    data = sheet(ids)
    probe = open_store(Settings(database_url=db_url), upgrade=False)
    before = fingerprint(probe.engine)
    probe.dispose()

    marker = tmp_path / "writing.marker"
    proc, base = start_server(
        db_url, tmp_path, [sys.executable, "-c", STALLING_SERVER], {"H6_KILL_MARKER": str(marker)}
    )
    outcome: list[object] = []
    request = threading.Thread(target=lambda: outcome.append(_try(lambda: upload(base, token, data))))
    request.start()
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert not outcome, f"the upload ended before the kill point: {_describe(outcome[0])}"
            assert proc.poll() is None and time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
        if db_url.startswith("sqlite"):
            import sqlite3

            con = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                con.execute("BEGIN IMMEDIATE")  # the server's import transaction holds the write lock
            con.close()
        proc.kill()  # SIGKILL
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        request.join(timeout=60)
    assert outcome and isinstance(outcome[0], httpx.HTTPError)  # the client saw the server die

    store = open_store(Settings(database_url=db_url))  # opens and migrates cleanly
    try:
        deadline = time.monotonic() + 60
        while (after := fingerprint(store.engine)) != before and time.monotonic() < deadline:
            time.sleep(0.2)  # PostgreSQL aborts the dead server's transaction when it notices
        assert after == before
        if db_url.startswith("sqlite"):
            with store.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        store.dispose()

    proc, base = start_server(db_url, tmp_path)
    try:
        r = upload(base, token, data)
        assert r.status_code == 200, r.text[:500]
    finally:
        stop_server(proc)
    store = open_store(Settings(database_url=db_url), upgrade=False)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ProgressUpdate)) == TARGETS
    store.dispose()


def _try(fn):  # noqa: ANN001, ANN202
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - the outcome is inspected by the test
        return exc


def _describe(outcome: object) -> str:
    if isinstance(outcome, httpx.Response):
        return f"HTTP {outcome.status_code}: {outcome.text[-500:]}"
    return repr(outcome)
