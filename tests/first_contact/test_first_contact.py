"""First contact, as a new user meets luoshi: clean help, a first-admin hint, a busy port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from tests.support import free_port

REPO = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "120"}


def _luoshi(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *args], capture_output=True, text=True, env=_env(), timeout=timeout
    )


def _paths(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((*prefix, name))
        if hasattr(cmd, "commands"):  # a group (typer's own click or the real one)
            out += _paths(cmd, (*prefix, name))
    return out


def test_top_level_and_serve_help_show_no_bool_placeholder() -> None:
    for args in (("--help",), ("serve", "--help")):
        r = _luoshi(*args)
        assert r.returncode == 0, r.stderr
        assert "--help" in r.stdout and "<bool>" not in r.stdout, r.stdout
    assert "--port" in r.stdout and "<int>" in r.stdout  # value options keep their placeholder


def test_every_command_help_is_clean() -> None:
    from luoshi.cli import app

    group = typer.main.get_command(app)
    paths = _paths(group)
    assert len(paths) >= 15
    runner = CliRunner()
    for path in paths:
        r = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
        assert r.exit_code == 0, (path, r.output)
        assert "<bool>" not in r.output, (path, r.output)


def test_busy_port_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = _luoshi("serve", "--port", str(port), "--db", str(tmp_path / "busy.db"))
    assert r.returncode == 2
    assert r.stdout == ""  # no banner first
    lines = r.stderr.strip().splitlines()
    assert lines == [
        f"luoshi: error: 端口 {port} 已被占用 (port {port} is already in use)；请换一个端口：--port {port + 1}"
    ]
    assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_serve_on_an_empty_database_says_how_to_make_the_first_admin(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "empty.db"
    env = {**_env(), "LUOSHI_UPLOAD_DIR": str(tmp_path / "up")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "luoshi", "serve", "--port", str(port), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        second = proc.stdout.readline().strip()
        assert first.startswith("luoshi: serving ") and f":{port}" in first
        assert (
            second
            == f"luoshi: 尚无管理员账号 (no admin yet)。请先创建第一个管理员：luoshi user add admin --role admin --db {db}"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    # once an admin exists, the hint is gone
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "luoshi",
            "user",
            "add",
            "admin",
            "--role",
            "admin",
            "--password",
            "first-admin-pw-1",
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "luoshi", "serve", "--port", str(port), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("luoshi: serving ")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "尚无管理员" not in out
