"""The Dask engine on real LocalClusters (2 worker processes).

Parquet: each table is a dataset folder of part files written by the workers, read back equal
to the local engine's single file; two runs give the same bytes, part for part. CSV and JSON
Lines stay single files, byte-identical to the local engine's. --resume works with Dask.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip(
    "distributed", reason="the Dask engine needs dask[distributed]: pip install 'luoshi[dask]'"
)

import pandas as pd  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

import luoshi  # noqa: E402
from luoshi.cli import app  # noqa: E402
from luoshi.corpus import extract_corpus  # noqa: E402
from luoshi.corpus.dask_engine import _sees  # noqa: E402
from luoshi.corpus.parts import WORK_DIR, PartStore  # noqa: E402
from luoshi.corpus.run import CorpusConfig, run_corpus  # noqa: E402
from luoshi.corpus.writers import part_name, partition_bounds  # noqa: E402
from luoshi.errors import InputError  # noqa: E402
from tests.corpus.conftest import make_copies  # noqa: E402

TABLES = ("documents", "items", "panel")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """An already running cluster, reached by address as ``--scheduler tcp://HOST:PORT`` would be."""
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=50
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _dataset_bytes(out: Path) -> dict[str, bytes]:
    """Every file of the three Parquet datasets and errors.csv, by path inside ``out``."""
    files = {"errors.csv": (out / "errors.csv").read_bytes()}
    for name in TABLES:
        folder = out / f"{name}.parquet"
        assert folder.is_dir(), folder
        for part in sorted(folder.iterdir()):
            files[f"{name}.parquet/{part.name}"] = part.read_bytes()
    return files


@pytest.mark.slow
def test_dask_local_cluster_equals_local_engine(
    shared_eval: Path, small_corpus: Path, tmp_path: Path
) -> None:
    make_copies(shared_eval, small_corpus / "copies", 12)
    local, dask = tmp_path / "local", tmp_path / "dask"
    expected = extract_corpus([small_corpus], output=local, workers=2, engine="local")
    # no --scheduler: the engine starts (and stops) its own LocalCluster of 2 workers
    config = CorpusConfig(
        paths=[str(small_corpus)], output=dask, workers=2, engine="dask", partition_rows=300
    )
    result = run_corpus(config)
    assert len(result.documents) == 17 and len(result.panel) > 0
    for name, frame in zip(TABLES, expected, strict=True):
        pd.testing.assert_frame_equal(getattr(result, name), frame, check_exact=True)

    for name in TABLES:
        folder = dask / f"{name}.parquet"
        parts = sorted(p.name for p in folder.iterdir())
        assert parts == [part_name(i) for i in range(len(parts))], name  # no _metadata, no gaps
        single = pd.read_parquet(local / f"{name}.parquet")
        pd.testing.assert_frame_equal(
            pd.read_parquet(folder), single, check_exact=True
        )  # rows, order, dtypes
    item_parts = sorted((dask / "items.parquet").iterdir())
    assert len(item_parts) > 2  # the items really are partitioned
    docs_per_part = [set(pd.read_parquet(p)["doc_id"]) for p in item_parts]
    for i, docs in enumerate(docs_per_part):  # a document's items are never split between parts
        assert all(not docs & other for other in docs_per_part[i + 1 :])
    assert (dask / "errors.csv").read_bytes() == (local / "errors.csv").read_bytes()
    assert sorted(p.name for p in dask.iterdir() if p.name.startswith(".")) == [WORK_DIR]  # no staging left


@pytest.mark.slow
def test_dask_runs_give_identical_parts_and_resume(
    shared_eval: Path, small_corpus: Path, tmp_path: Path, scheduler: str
) -> None:
    make_copies(shared_eval, small_corpus / "copies", 6)
    a, b = tmp_path / "a", tmp_path / "b"

    def dask_run(out: Path, *, resume: bool = False) -> tuple[int, int]:
        config = CorpusConfig(
            paths=[str(small_corpus)], output=out, engine="dask", scheduler=scheduler,
            resume=resume, partition_rows=250,
        )  # fmt: skip
        result = run_corpus(config)
        return result.extracted, result.skipped

    extract_corpus([small_corpus], output=a, workers=1)  # a local run first: single files
    assert (a / "items.parquet").is_file()
    assert dask_run(a, resume=True) == (0, 11)  # resumes the local run's parts; files become datasets
    assert dask_run(b) == (11, 0)
    reference = _dataset_bytes(b)
    assert len([k for k in reference if k.startswith("items.parquet/")]) > 1
    assert _dataset_bytes(a) == reference  # byte-identical part files, same names

    (stamp,) = (a / WORK_DIR).iterdir()
    store = PartStore(a, stamp.name)
    store.open()
    files = sorted(set(store.documents().values()))
    lost = [sha for sha, name in store.documents().items() if name in files[:2]]
    for name in files[:2]:  # as if the run had been killed before these two batches
        (stamp / name).unlink()
    stale = a / ".items.parquet.99999.tmp"  # the staging folder of a run killed while writing
    stale.mkdir()
    (stale / part_name(0)).write_bytes(b"half")
    assert 0 < len(lost) < 11
    assert dask_run(a, resume=True) == (len(lost), 11 - len(lost))  # nothing twice
    assert _dataset_bytes(a) == reference  # nothing lost
    assert sorted(p.name for p in a.iterdir() if p.name.startswith(".")) == [WORK_DIR]

    extract_corpus([small_corpus], output=a, workers=1)  # and back: a local run replaces the folders
    for name in TABLES:
        assert (a / f"{name}.parquet").is_file()
        pd.testing.assert_frame_equal(
            pd.read_parquet(a / f"{name}.parquet"), pd.read_parquet(b / f"{name}.parquet"), check_exact=True
        )


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_dask_csv_and_jsonl_are_the_local_engines_bytes(
    fmt: str, small_corpus: Path, tmp_path: Path, scheduler: str
) -> None:
    local, dask = tmp_path / "local", tmp_path / "dask"
    extract_corpus([small_corpus], output=local, fmt=fmt, workers=1)
    result = CliRunner().invoke(
        app,
        ["corpus", str(small_corpus), "-o", str(dask), "--format", fmt, "--engine", "dask",
         "--scheduler", scheduler],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "文档 5 份" in result.output
    for name in (*(f"{t}.{fmt}" for t in TABLES), "errors.csv"):
        assert (dask / name).is_file(), name  # single files: these formats are not partitioned
        assert (dask / name).read_bytes() == (local / name).read_bytes(), name


def test_partition_bounds_keep_runs_of_a_key_together() -> None:
    keys = ["a"] * 3 + ["b"] * 4 + ["c"] + ["d"] * 2
    assert partition_bounds(len(keys), 2, keys) == [(0, 3), (3, 7), (7, 10)]
    assert partition_bounds(len(keys), 1, keys) == [(0, 3), (3, 7), (7, 8), (8, 10)]
    assert partition_bounds(10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert partition_bounds(10, 100, keys) == [(0, 10)]
    assert partition_bounds(0, 5) == [(0, 0)]  # an empty table is one empty part (its schema kept)
    with pytest.raises(ValueError):
        partition_bounds(3, 0)


def test_a_worker_that_cannot_see_out_is_detected(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    assert not _sees(str(probe), "t0ken")  # another machine's disk: no such file
    probe.write_text("other", encoding="utf-8")
    assert not _sees(str(probe), "t0ken")  # a different folder of the same name
    probe.write_text("t0ken", encoding="utf-8")
    assert _sees(str(probe), "t0ken")


@pytest.mark.slow
def test_workers_that_cannot_see_out_are_refused_before_anything_is_touched(
    small_corpus: Path, tmp_path: Path
) -> None:
    """A real worker in its own mount namespace, where OUT's folder is an empty tmpfs: the
    situation of a cluster without a shared file system."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) for a worker with its own mount namespace")
    from distributed import Client, LocalCluster

    blind = tmp_path / "blind"
    earlier = blind / "out" / WORK_DIR / "earlier-run" / "kept.json.z"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"a part of an earlier run")
    src = str(Path(luoshi.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with LocalCluster(n_workers=0, processes=True, dashboard_address=":0", silence_logs=50) as cluster:
        worker = subprocess.Popen(
            ["unshare", "--mount", "sh", "-c",
             f"mount -t tmpfs tmpfs '{blind}' && exec '{sys.executable}' -m distributed.cli.dask_worker "
             f"{cluster.scheduler_address} --nworkers 1 --nthreads 1 --no-dashboard"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        try:
            with Client(cluster.scheduler_address) as client:
                try:
                    client.wait_for_workers(1, timeout=60)
                except TimeoutError:
                    worker.kill()
                    pytest.skip(
                        "no worker in a private mount namespace: " + worker.communicate()[1].decode()[-300:]
                    )
            with pytest.raises(InputError, match="看不到输出文件夹.*共享"):
                extract_corpus(
                    [small_corpus], output=blind / "out", engine="dask", scheduler=cluster.scheduler_address
                )
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert earlier.read_bytes() == b"a part of an earlier run"  # refused before the parts were reset
    assert sorted(p.name for p in (blind / "out").iterdir()) == [WORK_DIR]  # no probe, no table left


def test_dask_with_an_unknown_scheduler_fails_cleanly(small_corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="无法连接 Dask 调度器 tcp://127.0.0.1:9"):
        extract_corpus([small_corpus], output=tmp_path / "o", engine="dask", scheduler="tcp://127.0.0.1:9")


@pytest.mark.slow
def test_workers_that_cannot_see_the_parts_send_texts_back(
    small_corpus: Path, tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cluster without the shared folder (CSV needs none): the parts are written here instead."""
    from luoshi.corpus.dask_engine import DaskEngine

    local, dask = tmp_path / "local", tmp_path / "dask"
    extract_corpus([small_corpus], output=local, fmt="csv", workers=1)
    asked: list[Path] = []

    def blind(self: DaskEngine, folder: Path) -> bool:
        asked.append(folder)
        return False

    monkeypatch.setattr(DaskEngine, "sees", blind)
    result = run_corpus(
        CorpusConfig(paths=[str(small_corpus)], output=dask, fmt="csv", engine="dask", scheduler=scheduler)
    )
    assert asked and result.extracted == 5
    for name in (*(f"{t}.csv" for t in TABLES), "errors.csv"):
        assert (dask / name).read_bytes() == (local / name).read_bytes(), name
    (stamp,) = (dask / WORK_DIR).iterdir()
    store = PartStore(dask, stamp.name)  # written by this process
    store.open()
    assert len(store.documents()) == 5
    assert all(store.get_plan(sha)["text"] for sha in store.documents())


@pytest.mark.slow
def test_a_folder_inside_a_checked_out_needs_no_second_probe(
    tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from luoshi.corpus.dask_engine import DaskEngine

    out = tmp_path / "out"
    (out / "parts").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    with DaskEngine(scheduler, 2) as engine:
        engine.check_output(out)  # probes the workers once (and they import the Parquet writer)
        assert engine.client.run(lambda: "pyarrow.parquet" in sys.modules) == dict.fromkeys(
            engine.client.run(lambda: None), True
        )
        probes: list[Path] = []
        real = DaskEngine._blind

        def counted(self: DaskEngine, folder: Path, warm_writers: bool = False) -> list[str]:
            probes.append(folder)
            return real(self, folder, warm_writers)

        monkeypatch.setattr(DaskEngine, "_blind", counted)
        assert engine.sees(out / "parts") and probes == []  # inside OUT: seen already
        assert engine.sees(tmp_path / "elsewhere") and probes == [tmp_path / "elsewhere"]
    assert sorted(p.name for p in out.iterdir()) == ["parts"]  # no probe file left
