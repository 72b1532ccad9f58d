"""The server's limits are settings (``LUOSHI_SERVER_*``): a bad value is one line naming the
variable, and a value set in the environment is what ``luoshi serve`` enforces."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from luoshi.settings import Settings, SettingsError, from_env
from luoshi.web.server import ServerLimits
from tests.support import free_port

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("name", "raw", "words"),
    [
        ("LUOSHI_SERVER_MAX_PIPELINED", "many", "须为整数"),
        ("LUOSHI_SERVER_WRITE_TIMEOUT_S", "0", "须为正数"),
        ("LUOSHI_SERVER_HEADER_TIMEOUT_S", "-5", "须为正数"),
        ("LUOSHI_SERVER_KEEP_ALIVE_S", "soon", "须为数字"),
    ],
)
def test_a_bad_limit_names_its_variable(name: str, raw: str, words: str) -> None:
    with pytest.raises(SettingsError) as err:
        from_env({name: raw})
    assert name in str(err.value) and words in str(err.value)


def test_limits_come_from_the_settings() -> None:
    settings = from_env({"LUOSHI_SERVER_MAX_PIPELINED": "3", "LUOSHI_SERVER_BODY_TIMEOUT_S": "7.5"})
    limits = ServerLimits.from_settings(settings)
    assert (limits.max_pipelined, limits.body_s) == (3, 7.5)
    assert ServerLimits.from_settings(Settings()) == ServerLimits()  # one set of defaults


def _serve(tmp_path: Path, port: int, **env: str) -> subprocess.Popen[str]:
    full = {**os.environ, "LUOSHI_UPLOAD_DIR": str(tmp_path / "up"), **env}
    return subprocess.Popen(
        [sys.executable, "-m", "luoshi", "serve", "--port", str(port), "--db", str(tmp_path / "s.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full,
        cwd=tmp_path,
    )


def test_serve_refuses_a_bad_limit_in_one_line(tmp_path: Path) -> None:
    proc = _serve(tmp_path, free_port(), LUOSHI_SERVER_MAX_PIPELINED="many")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and "LUOSHI_SERVER_MAX_PIPELINED" in lines[0], err
    assert "Traceback" not in err + out


def test_serve_enforces_the_pipelining_limit_from_the_environment(tmp_path: Path) -> None:
    port = free_port()
    proc = _serve(tmp_path, port, LUOSHI_SERVER_MAX_PIPELINED="3")
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 20)
            sock.settimeout(30)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        assert 1 <= data.count(b"HTTP/1.1 200") <= 4, data.count(b"HTTP/1.1 200")  # closed after 3, not 20
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_settle_heap_freezes_start_up_objects_and_raises_the_young_threshold() -> None:
    import gc

    from luoshi.web.server import GC_YOUNG_THRESHOLD, settle_heap

    before = gc.get_threshold()
    try:
        settle_heap()
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
