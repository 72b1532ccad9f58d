"""--resume after a real SIGKILL half way: nothing lost, nothing done twice, same bytes as a clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import luoshi
from luoshi.corpus.parts import WORK_DIR, PartStore
from tests.corpus.conftest import make_copies

N_DOCS = 48


def _env() -> dict[str, str]:
    src = str(Path(luoshi.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""), "CI": "1"}


def _cmd(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "luoshi",
        "corpus",
        str(corpus),
        "--output",
        str(out),
        "--workers",
        "1",
        *extra,
    ]


def _parts(out: Path) -> dict[str, int]:
    """Each finished document's sha256 and the mtime of the part file that holds it."""
    done = {}
    for folder in (out / WORK_DIR).glob("*"):
        store = PartStore(out, folder.name)
        store.open()
        done.update({sha: (folder / name).stat().st_mtime_ns for sha, name in store.documents().items()})
    return done


@pytest.mark.slow
def test_resume_after_kill(shared_eval: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_copies(shared_eval, corpus, N_DOCS)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        _cmd(corpus, out),
        env=_env(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while len(_parts(out)) < 6 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, (
        "the run ended before it could be killed: " + proc.stderr.read().decode()[-500:]
    )
    os.killpg(proc.pid, signal.SIGKILL)  # the whole process group, as a crash or kill -9 would
    proc.wait(timeout=30)
    before = _parts(out)
    assert 6 <= len(before) < N_DOCS
    assert not (out / "documents.parquet").exists()  # tables are only written by a finished run

    resumed = subprocess.run(_cmd(corpus, out, "--resume"), env=_env(), capture_output=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr.decode()
    stdout = resumed.stdout.decode()
    assert f"本次提取 {N_DOCS - len(before)}，续跑跳过 {len(before)}" in stdout  # nothing twice
    after = _parts(out)
    assert len(after) == N_DOCS
    assert all(after[sha] == mtime for sha, mtime in before.items())  # done parts were not redone

    clean = tmp_path / "clean"
    subprocess.run(_cmd(corpus, clean), env=_env(), check=True, capture_output=True, timeout=300)
    for name in ("documents.parquet", "items.parquet", "panel.parquet", "errors.csv"):
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name  # nothing lost

    import pandas as pd

    docs = pd.read_parquet(out / "documents.parquet")
    assert len(docs) == N_DOCS and docs["doc_id"].is_unique
