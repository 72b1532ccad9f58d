"""``luoshi serve`` checks the database before serving: a corrupt file, a read-only file or a
database from a newer luoshi is one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support import free_port
from tests.web.test_storage_faults import read_only

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.faults import StorageOutdated, check_database


def _serve(db: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LUOSHI_UPLOAD_DIR": str(tmp_path / "up")}
    return subprocess.run(
        [sys.executable, "-m", "luoshi", "serve", "--db", str(db), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )


def _one_line_error(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode not in (0, None), result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("luoshi: error: "), result.stderr
    assert words in lines[0] and "Traceback" not in result.stderr


def _fresh(tmp_path: Path) -> Path:
    db = tmp_path / "luoshi.db"
    open_store(Settings(database_url=f"sqlite:///{db}")).dispose()
    return db


def test_corrupt_file(tmp_path: Path) -> None:
    db = tmp_path / "bad.db"
    db.write_bytes(b"this is not a database at all\n" * 200)
    _one_line_error(_serve(db, tmp_path), "损坏")


def test_read_only_file(tmp_path: Path) -> None:
    db = _fresh(tmp_path)
    with read_only(db):
        _one_line_error(_serve(db, tmp_path), "只读")


def test_database_from_a_newer_luoshi(tmp_path: Path) -> None:
    db = _fresh(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    _one_line_error(_serve(db, tmp_path), "版本")


def test_check_database_names_a_database_behind(tmp_path: Path) -> None:
    from luoshi.store import create_engine_for, upgrade_database

    engine = create_engine_for(tmp_path / "old.db")
    upgrade_database(engine, "0001")
    with pytest.raises(StorageOutdated, match="luoshi db upgrade"):
        check_database(engine)
    upgrade_database(engine)
    check_database(engine)  # at head now: passes
    engine.dispose()
