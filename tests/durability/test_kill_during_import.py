"""A process killed with SIGKILL in the middle of an import leaves the database exactly as before.

The child runs the real ``luoshi import`` command. To kill it at a known point *inside* the
import transaction, the child script (test code, not product code) registers an engine event
that, on the first INSERT into ``targets``, writes a marker file and stalls; the test then
sends SIGKILL. Reports, areas and targets have been written in the open transaction by then.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import Report, Target

from .conftest import fingerprint

pytestmark = pytest.mark.slow

CHILD = r"""
import os, sys, time
from sqlalchemy import event
from sqlalchemy.engine import Engine

marker = os.environ["H6_KILL_MARKER"]

@event.listens_for(Engine, "after_cursor_execute")
def _stall(conn, cursor, statement, params, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO TARGETS"):
        with open(marker, "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(600)

from luoshi.cli import main
sys.argv = ["luoshi", *sys.argv[1:]]
main()
"""


def big_report(demo: Path, out: Path, copies: int = 12) -> Path:
    """A large report: the demo report repeated with every figure changed in each copy."""
    base = demo.read_text(encoding="utf-8")
    parts = []
    for i in range(copies):
        parts.append(re.sub(r"\d+", lambda m, i=i: str(int(m.group()) + i), base))
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def run_import(url: str, report: Path, env: dict[str, str] | None = None, child: bool = False):
    cmd = [sys.executable, "-c", CHILD] if child else [sys.executable, "-m", "luoshi"]
    args = [*cmd, "import", str(report), "--jurisdiction", "张店区", "--year", "2024", "--db", url]
    return subprocess.Popen(
        args, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_sigkill_mid_import_leaves_database_unchanged(db_url, tmp_path, demo_report_path):
    # before: a database in use, with one report imported and accepted work on it
    first = run_import(db_url, demo_report_path)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    store = open_store(Settings(database_url=db_url))
    with store.session() as s:
        targets_before = s.scalar(select(func.count()).select_from(Target))
        assert targets_before > 10
    before = fingerprint(store.engine)
    store.dispose()

    report = big_report(demo_report_path, tmp_path / "big-report.txt")
    marker = tmp_path / "writing.marker"
    app_name = f"h6kill{os.getpid()}"
    proc = run_import(db_url, report, {"H6_KILL_MARKER": str(marker), "PGAPPNAME": app_name}, child=True)
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert proc.poll() is None, f"import ended before the kill point: {proc.communicate()}"
        assert time.monotonic() < deadline, "the import never reached the kill point"
        time.sleep(0.05)
    if db_url.startswith("postgresql"):
        # the child's transaction is open on the server and holds written rows
        probe = open_store(Settings(database_url=db_url), upgrade=False)
        with probe.engine.connect() as conn:
            assert (
                conn.execute(
                    text(
                        "select count(*) from pg_stat_activity where application_name = :app "
                        "and state like 'idle in transaction%' and backend_xid is not null "
                        "and query ilike 'insert into targets%'"
                    ),
                    {"app": app_name},
                ).scalar()
                == 1
            )
        probe.dispose()
    else:
        # the child holds SQLite's write lock: its transaction is open
        import sqlite3

        con = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            con.execute("BEGIN IMMEDIATE")
        con.close()
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    # after: opens, migrates cleanly, and holds exactly what it held before
    deadline = time.monotonic() + 60
    store = open_store(Settings(database_url=db_url))
    try:
        while True:  # PostgreSQL notices the dead client's connection shortly after the kill
            after = fingerprint(store.engine)
            if after == before or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert after == before
        if db_url.startswith("sqlite"):
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        store.dispose()

    # and the same import, run again without interruption, now goes through in full
    again = run_import(db_url, report)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    store = open_store(Settings(database_url=db_url))
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 2
        assert s.scalar(select(func.count()).select_from(Target)) > targets_before * 5
    store.dispose()
