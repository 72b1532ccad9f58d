"""`luoshi backup` while a writer keeps committing: the copy is one consistent snapshot.

SQLite: the online backup API; PostgreSQL: one REPEATABLE READ snapshot copied into a SQLite file.
Each user is created together with its audit row in one transaction, so a consistent copy has
exactly as many user-creation audit rows as users.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from sqlalchemy import func, select

from luoshi.accounts.users import create_user
from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.backup import backup_database
from luoshi.store.models import AuditLog, Department, User


def test_backup_under_writes_is_a_consistent_copy(db_url, tmp_path):
    store = open_store(Settings(database_url=db_url))
    try:
        with store.session() as s:
            for i in range(30):
                create_user(s, f"r{i}", "reporter", department=f"部门{i % 3}", password=None, actor="cli")
        stop = threading.Event()

        def keep_writing() -> None:
            # a user and its audit row land in one transaction: a consistent copy has as many
            # user-create audit rows as users
            n = 0
            while not stop.is_set():
                with store.session() as s:
                    create_user(s, f"live{n}", "viewer", actor="cli")
                n += 1

        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            time.sleep(0.3)  # let the writer get going
            result = backup_database(db_url, tmp_path / "copy.db")
        finally:
            stop.set()
            writer.join()
    finally:
        store.dispose()
    assert result.method == (
        "sqlite-online-backup" if db_url.startswith("sqlite") else "postgresql-snapshot-to-sqlite"
    )
    con = sqlite3.connect(result.path)
    users = con.execute("select count(*) from users").fetchone()[0]
    audits = con.execute("select count(*) from audit_log where object_type='user'").fetchone()[0]
    assert users > 30 and users == audits  # some live users, and each with its audit row
    assert con.execute("select count(*) from departments").fetchone()[0] == 3
    assert con.execute("select name from departments order by name").fetchall() == [
        ("部门0",),
        ("部门1",),
        ("部门2",),
    ]
    con.close()
    copy = open_store(Settings(database_url=f"sqlite:///{result.path}"))
    with copy.session() as s:
        assert s.scalar(select(func.count()).select_from(User)) == users
        assert s.scalar(select(func.count()).select_from(Department)) == 3
        assert s.scalar(select(func.count()).select_from(AuditLog)) >= users
    copy.dispose()
