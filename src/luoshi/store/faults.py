"""Storage faults named: a database that is busy, read-only, full, corrupt, unreachable or behind.

Drivers report these as generic ``OperationalError``/``DatabaseError``; :func:`classify` turns one
into a :class:`StorageError` with a clear Chinese message (the web answers 503 with it, the CLI
prints it on one line). :func:`check_database` is the start-up check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from luoshi.errors import LuoshiError

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = [
    "StorageBusy",
    "StorageCorrupt",
    "StorageError",
    "StorageFull",
    "StorageOutdated",
    "StorageReadOnly",
    "StorageUnavailable",
    "check_database",
    "classify",
]


class StorageError(LuoshiError):
    """The database cannot do what was asked right now; nothing was half-written."""

    exit_code = 3


class StorageBusy(StorageError):
    """Another writer held the database longer than the busy timeout."""


class StorageReadOnly(StorageError):
    """The database file (or its folder) cannot be written."""


class StorageFull(StorageError):
    """The disk (or the database's size limit) is full."""


class StorageCorrupt(StorageError):
    """The file is not a database, or it is damaged."""


class StorageUnavailable(StorageError):
    """The database cannot be opened or reached."""


class StorageOutdated(StorageError):
    """The database is not at the schema this version of luoshi expects."""


def _where(url: object) -> str:
    try:
        from sqlalchemy.engine import make_url

        parsed = make_url(str(url))
        return (
            parsed.database or ""
            if parsed.get_backend_name() == "sqlite"
            else parsed.render_as_string(hide_password=True)
        )
    except Exception:  # noqa: BLE001 - only for the message
        return ""


def classify(exc: BaseException, where: str = "") -> StorageError | None:
    """The named fault behind a driver error, or None when it is not a storage fault."""
    if isinstance(exc, StorageError):
        return exc
    from sqlalchemy.exc import DBAPIError

    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if orig is None:
        return None
    name = getattr(orig, "sqlite_errorname", "") or ""
    text = str(orig).lower()
    sqlstate = getattr(getattr(orig, "diag", None), "sqlstate", None) or getattr(orig, "sqlstate", None) or ""
    at = f"（{where}）" if where else ""
    if name.startswith("SQLITE_FULL") or "disk is full" in text or sqlstate == "53100":
        return StorageFull(f"存储空间已满，无法写入数据库{at}；请清理磁盘后重试。已保存的数据未受影响。")
    if name.startswith("SQLITE_READONLY") or "readonly database" in text or sqlstate == "25006":
        return StorageReadOnly(f"数据库文件为只读，无法写入{at}；请检查文件及所在文件夹的写权限。")
    if (
        name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
        or "database is locked" in text
        or sqlstate in ("55P03", "40001", "40P01")
    ):
        return StorageBusy(f"数据库正忙（另一个写入尚未结束）{at}，请稍后重试。")
    if (
        name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT"))
        or "not a database" in text
        or "malformed" in text
    ):
        return StorageCorrupt(f"数据库文件已损坏或不是数据库{at}；请从备份恢复。")
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR")) or "unable to open" in text or "disk i/o" in text:
        return StorageUnavailable(f"无法打开数据库{at}；请检查路径与权限。")
    if sqlstate.startswith("08") or "connection" in text and ("refused" in text or "failed" in text):
        return StorageUnavailable(f"无法连接数据库{at}；请检查数据库服务是否运行。")
    return None


def check_database(engine: Engine) -> None:
    """Start-up check: the database opens, reads, takes a write, and is at the current migration.

    Raises a :class:`StorageError` with a one-line message otherwise. The write is real (the
    migration row is rewritten with its own value) and rolled back, so nothing changes.
    """
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from luoshi.store.database import alembic_config, current_revision

    where = _where(engine.url)
    try:
        revision = current_revision(engine)
        heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
        if revision not in heads:
            raise StorageOutdated(
                f"数据库版本为 {revision or '（空库）'}，当前程序需要 {'/'.join(sorted(heads))}（{where}）；"
                "请先运行 luoshi db upgrade。"
            )
        with engine.connect() as conn, conn.begin() as tx:
            conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
            tx.rollback()
    except StorageError:
        raise
    except Exception as exc:
        fault = classify(exc, where)
        if fault is None:
            raise StorageUnavailable(f"无法使用数据库（{where}）：{str(exc).splitlines()[0]}") from exc
        raise fault from exc
