"""``luoshi backup PATH``: a consistent copy of the database while the server runs.

Interface::

    backup_database(database_url, path, upload_dir=None) -> BackupResult
        # .path, .rows (per table), .method, .uploads (folder of copied evidence), .files

- SQLite: sqlite3's online backup API (``src.backup(dst)``) copies every page in one step under
  a read transaction, so the copy is a consistent snapshot even while the server writes (WAL
  lets writers go on meanwhile). The copy is switched to a plain rollback journal so it is
  one self-contained file.
- PostgreSQL: one ``REPEATABLE READ, READ ONLY`` transaction (a single snapshot of every table)
  is copied table by table into a new SQLite file with the same schema (built by the packaged
  migrations). The result opens directly with ``luoshi serve --db PATH``; it needs no
  ``pg_dump`` of the right major version on the machine. (``pg_dump`` remains the tool for a
  byte-exact PostgreSQL restore.)

The copy is written to ``PATH.partial`` and renamed at the end, so ``PATH`` is never half-written.

Evidence files (``upload_dir``, see ``luoshi.store.files``) are copied to the folder where a
server started on the copy looks for them: ``<PATH stem>-uploads`` beside it. Copying them
after the database means every file a copied row names is there (files are only ever added,
under fresh names); files newer than the snapshot are copied too, harmlessly.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select
from sqlalchemy.engine import make_url

from luoshi.errors import InputError
from luoshi.store.database import upgrade_database
from luoshi.store.engine import BUSY_TIMEOUT_MS, create_engine_for, normalize_url
from luoshi.store.files import uploads_beside
from luoshi.store.models import Base

__all__ = ["BackupResult", "backup_database"]


@dataclass
class BackupResult:
    path: Path
    method: str
    rows: dict[str, int] = field(default_factory=dict)
    uploads: Path | None = None
    files: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _count_rows(sqlite_path: Path) -> dict[str, int]:
    con = sqlite3.connect(sqlite_path)
    try:
        names = [r[0] for r in con.execute("select name from sqlite_master where type='table' order by name")]
        return {
            n: con.execute(f'select count(*) from "{n}"').fetchone()[0]
            for n in names
            if not n.startswith("sqlite_")
        }
    finally:
        con.close()


def _backup_sqlite(source: str, partial: Path) -> None:
    if not Path(source).exists():
        raise InputError(f"{source}: no such database file")
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)  # pages=-1: all pages in one step = one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise InputError(f"{partial}: backup failed its integrity check: {check}")
    finally:
        dst.close()
        src.close()


def _backup_postgres(url: str, partial: Path) -> None:
    upgrade_database(f"sqlite:///{partial}")  # same schema and alembic revision as this version
    source = create_engine_for(url)
    # a plain engine: no foreign-key enforcement while rows arrive table by table
    target = create_engine(f"sqlite:///{partial}")
    try:
        with source.connect() as src_conn:
            src_conn = src_conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with src_conn.begin(), target.begin() as dst_conn:
                for table in Base.metadata.sorted_tables:
                    result = src_conn.execution_options(stream_results=True, yield_per=1000).execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                    for chunk in result.mappings().partitions(1000):
                        dst_conn.execute(insert(table), [dict(r) for r in chunk])
                    expected = src_conn.scalar(select(func.count()).select_from(table))
                    got = dst_conn.scalar(select(func.count()).select_from(table))
                    if expected != got:
                        raise InputError(
                            f"backup of table {table.name}: {got} rows copied, {expected} expected"
                        )
    finally:
        source.dispose()
        target.dispose()
    con = sqlite3.connect(partial)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def _copy_uploads(source: Path, out: Path) -> tuple[Path, int]:
    """Copy the evidence folder beside the backup (``<stem>-uploads``); returns (folder, files copied)."""
    target = uploads_beside(out)
    if target.resolve() == source.resolve():
        raise InputError(f"{target}: the backup's evidence folder must not be the live one")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    count = 0
    if source.is_dir():
        for item in sorted(source.iterdir()):
            if item.is_file():
                shutil.copy2(item, partial / item.name)
                count += 1
    if target.exists():
        shutil.rmtree(target)
    os.replace(partial, target)
    return target, count


def backup_database(
    database_url: str, path: str | Path, upload_dir: str | Path | None = None
) -> BackupResult:
    """Write a consistent copy of ``database_url`` to the SQLite file ``path`` (see module doc),
    and the evidence files of ``upload_dir`` (when given) beside it."""
    out = Path(path).expanduser().resolve()
    url = normalize_url(database_url)
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.database and Path(parsed.database).resolve() == out:
        raise InputError(f"{out}: the backup must not overwrite the database itself")
    if out.is_dir():
        raise InputError(f"{out}: is a folder; give a file name for the backup")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if backend == "sqlite":
            if not parsed.database or parsed.database == ":memory:":
                raise InputError("an in-memory database cannot be backed up")
            _backup_sqlite(parsed.database, partial)
            method = "sqlite-online-backup"
        elif backend == "postgresql":
            _backup_postgres(url, partial)
            method = "postgresql-snapshot-to-sqlite"
        else:
            raise InputError(f"backup of {backend} databases is not supported")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    result = BackupResult(path=out, method=method, rows=_count_rows(out))
    if upload_dir is not None:
        result.uploads, result.files = _copy_uploads(Path(upload_dir), out)
    return result
