"""`luoshi user add` without --password on a terminal: the password is asked twice (never a default)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time

import pytest

from luoshi.accounts.passwords import verify_password
from luoshi.accounts.users import get_user
from luoshi.settings import Settings
from luoshi.store import open_store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


def _controlling_tty() -> None:  # runs in the child: make the pty its terminal, as a shell would
    import fcntl
    import termios

    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def run_on_tty(args: list[str], answers: list[str], timeout: float = 60) -> tuple[int, str]:
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "LUOSHI_DATABASE_URL"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "luoshi", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        preexec_fn=_controlling_tty,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    output = b""
    pending = list(answers)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.3)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif proc.poll() is not None:
                break
            elif pending and output.endswith(b": "):
                # a prompt, and 0.3 s of quiet: the child is waiting (with echo off) for the answer
                os.write(master, pending.pop(0).encode() + b"\n")
                output += b"<answered>"
        proc.wait(timeout=30)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, output.decode(errors="replace")


def test_prompted_twice_on_a_terminal(tmp_path):
    db = tmp_path / "tty.db"
    code, out = run_on_tty(
        ["user", "add", "chen", "--role", "viewer", "--db", str(db)], ["s3cret-pw", "s3cret-pw"]
    )
    assert code == 0, out
    assert out.count("Password: <answered>") == 1 and "Repeat for confirmation: <answered>" in out
    assert "s3cret-pw" not in out  # hidden input
    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    with store.session() as s:
        assert verify_password(get_user(s, "chen").password_hash, "s3cret-pw")
    store.dispose()
