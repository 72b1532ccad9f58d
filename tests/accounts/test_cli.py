"""The admin CLI for real: `luoshi user add`, `token create/revoke`, `backup` on a live WAL database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from sqlalchemy import select, text

from luoshi.accounts.passwords import verify_password
from luoshi.accounts.tokens import hash_token, verify_token
from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import ApiToken, AuditLog, User


def luoshi(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The real console entry point in a child process (exit codes, stdin, stdout/stderr split)."""
    env = {k: v for k, v in os.environ.items() if k != "LUOSHI_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[int, str]:
    """In-process run (faster), with the entry point's handling of domain errors: (exit code, output)."""
    from typer.testing import CliRunner

    from luoshi.cli import app
    from luoshi.errors import LuoshiError

    result = CliRunner().invoke(app, list(args), input=stdin, env=env)
    if isinstance(result.exception, LuoshiError):
        return result.exception.exit_code, f"luoshi: error: {result.exception}"
    return result.exit_code, result.output


def test_user_add_list_token_create_revoke(tmp_path):
    db = tmp_path / "cli.db"
    r = luoshi(
        "user",
        "add",
        "zhang",
        "--role",
        "reporter",
        "--department",
        "区发改局",
        "--db",
        str(db),
        stdin="pa55word\n",
    )
    assert r.returncode == 0, r.stderr
    assert "created user zhang" in r.stdout and "区发改局" in r.stdout
    # no password anywhere: piped empty stdin is refused, nothing created
    r = luoshi("user", "add", "nopw", "--role", "viewer", "--db", str(db), stdin="")
    assert r.returncode == 2 and "没有给出密码" in r.stderr and "Traceback" not in r.stderr
    code, out = cli("user", "add", "li", "--role", "reporter", "--db", str(db), stdin="long-enough-1\n")
    assert code == 2 and "department" in out
    # LUOSHI_DATABASE_URL instead of --db
    code, out = cli(
        "user",
        "add",
        "boss",
        "--role",
        "admin",
        "--password",
        "boss-pass-1",
        env={"LUOSHI_DATABASE_URL": f"sqlite:///{db}"},
    )
    assert code == 0, out
    code, out = cli("user", "list", "--db", str(db))
    lines = out.strip().splitlines()
    assert [ln.split("\t")[1:4] for ln in lines] == [
        ["boss", "admin", "-"],
        ["zhang", "reporter", "区发改局"],
    ]

    r = luoshi("token", "create", "zhang", "--name", "cron job", "--db", str(db))
    assert r.returncode == 0, r.stderr
    plain = r.stdout.strip()
    assert plain.startswith("lsh_") and "\n" not in plain and "shown once" in r.stderr

    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    try:
        with store.session() as s:
            user = s.scalars(select(User).where(User.username == "zhang")).one()
            assert verify_password(user.password_hash, "pa55word")
            token = s.scalars(select(ApiToken)).one()
            assert token.token_hash == hash_token(plain) and token.name == "cron job"
            assert verify_token(s, plain).username == "zhang"
            actors = {a.actor_name for a in s.scalars(select(AuditLog))}
            assert actors == {"cli"}
        raw = db.read_bytes() + (
            db.with_name("cli.db-wal").read_bytes() if db.with_name("cli.db-wal").exists() else b""
        )
        assert plain.encode() not in raw and b"pa55word" not in raw

        code, out = cli("token", "revoke", str(token.id), "--db", str(db))
        assert code == 0 and f"revoked token {token.id}" in out
        with store.session() as s:
            assert verify_token(s, plain) is None
        code, out = cli("token", "revoke", "99", "--db", str(db))
        assert code == 2 and "没有编号为 99 的 API 令牌" in out
    finally:
        store.dispose()


def test_backup_of_live_wal_database(tmp_path):
    db = tmp_path / "live.db"
    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    try:
        with store.session() as s:
            for i in range(50):
                s.add(User(username=f"u{i}", role="viewer"))
        # the server is "running": committed rows still sit in the WAL (not checkpointed) and a
        # writer holds an open, uncommitted transaction while the backup runs
        assert db.with_name("live.db-wal").stat().st_size > 0
        writer = store.engine.connect()
        tx = writer.begin()
        writer.execute(
            text(
                "insert into users (username, role, active, created_at) "
                "values ('uncommitted', 'viewer', 1, '2024-01-01')"
            )
        )
        out = tmp_path / "copies" / "backup.db"
        r = luoshi("backup", str(out), "--db", str(db))
        assert r.returncode == 0, r.stderr
        assert "sqlite-online-backup" in r.stdout
        tx.rollback()
        writer.close()
    finally:
        store.dispose()
    con = sqlite3.connect(out)
    names = [r[0] for r in con.execute("select username from users order by id")]
    assert names == [f"u{i}" for i in range(50)]
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("pragma journal_mode").fetchone()[0] == "delete"
    con.close()
    assert not out.with_name("backup.db.partial").exists()
    # the copy is a working luoshi database
    copy = open_store(Settings(database_url=f"sqlite:///{out}"))
    with copy.session() as s:
        assert s.scalar(select(text("count(*)")).select_from(User)) == 50
    copy.dispose()
    r = luoshi("backup", str(db), "--db", str(db))
    assert r.returncode == 2 and "must not overwrite" in r.stderr


def test_passwd_and_deactivate_in_process(tmp_path):
    from typer.testing import CliRunner

    from luoshi.accounts.login import LoginFailed, authenticate
    from luoshi.cli import app

    db = str(tmp_path / "p.db")
    runner = CliRunner()
    r = runner.invoke(app, ["user", "add", "wu", "--role", "viewer", "--db", db], input="first-pw\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["user", "passwd", "wu", "--db", db], input="second-pw\n")
    assert r.exit_code == 0 and "password of wu changed" in r.output
    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    try:
        with store.sessionmaker() as s:
            assert authenticate(s, "wu", "second-pw").username == "wu"
        r = runner.invoke(app, ["user", "deactivate", "wu", "--db", db])
        assert r.exit_code == 0 and "deactivated wu" in r.output
        with store.sessionmaker() as s:
            try:
                authenticate(s, "wu", "second-pw")
                raise AssertionError("a deactivated user logged in")
            except LoginFailed:
                pass
        r = runner.invoke(app, ["user", "list", "--db", db])
        assert r.output.strip().endswith("inactive")
        r = runner.invoke(app, ["user", "passwd", "ghost", "--password", "x", "--db", db])
        assert r.exit_code != 0 and "ghost" in str(r.exception)
    finally:
        store.dispose()
