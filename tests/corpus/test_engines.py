"""What crosses between the workers and the parent: compact records; texts and plans stay on disk."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

import luoshi
from luoshi.corpus import extract_corpus
from luoshi.corpus.engines import LocalEngine, _context, batches
from luoshi.corpus.inputs import hash_file
from luoshi.corpus.parts import PartStore
from luoshi.corpus.run import CorpusConfig, run_corpus
from luoshi.corpus.work import ITEM_ROW_COLUMNS, plan_from_parts, process_batch, process_document
from luoshi.errors import InputError
from luoshi.reading import read_plan
from tests.corpus.conftest import make_copies


def _tasks(paths: list[Path]) -> list[tuple[str, str]]:
    return [(str(p), hash_file(str(p))) for p in paths]


def test_workers_that_write_the_parts_send_back_only_compact_records(
    shared_eval: Path, tmp_path: Path
) -> None:
    paths = make_copies(shared_eval, tmp_path / "docs", 2)
    bad = tmp_path / "docs" / "broken.docx"
    bad.write_bytes(b"not a zip")
    tasks = [*_tasks(paths), (str(bad), hash_file(str(bad)))]
    store = PartStore(tmp_path / "out", "stamp")
    store.reset()

    written = process_batch(tasks, str(store.dir))
    assert written["written"] and written["plans"] == {} and written["cpu"] > 0
    assert [p.name for p in store.dir.iterdir()] == [written["part"]]  # one file for the batch
    store.add(written["part"])
    good, broken = written["rows"][:2], written["rows"][2]
    table, offset = written["items"], 0  # the batch's items: one Arrow table, in row order
    assert table.column_names == list(ITEM_ROW_COLUMNS)
    for row in good:
        assert not {"text", "plan", "items"} & set(row)  # texts never travel back, items as Arrow
        on_disk = store.get(row["sha256"])  # the record on disk: the same, its items as columns
        assert {k: v for k, v in on_disk.items() if k != "items"} == row
        n = len(on_disk["items"]["item_index"])
        assert n == row["targets"] + row["outcomes"] > 10
        assert all(len(values) == n for values in on_disk["items"].values())
        assert table.slice(offset, n).to_pydict() == on_disk["items"]
        offset += n
        plan = store.get_plan(row["sha256"])
        assert plan["text"] == Path(row["path"]).read_text("utf-8")
    assert offset == table.num_rows
    assert broken["stage"] == "read" and "broken.docx" in broken["error"]
    assert store.has(broken["sha256"])
    with pytest.raises(KeyError):
        store.get_plan(broken["sha256"])  # a document in error has no plan part
    text_bytes = sum(len(Path(p).read_bytes()) for p, _ in tasks[:2])
    assert len(pickle.dumps(written)) < 2 * text_bytes  # what crosses the pipe is small

    returned = process_batch(tasks, None)  # workers that cannot see the parts folder
    assert not returned["written"] and returned["items"] is None
    assert [r for r in returned["rows"]] == [store.get(r["sha256"]) for r in written["rows"]]
    assert set(returned["plans"]) == {sha for _, sha in tasks[:2]}
    sent = json.loads(json.dumps(returned["plans"][tasks[0][1]]))  # spans: tuples become lists
    assert sent == store.get_plan(tasks[0][1])


def test_the_plan_comes_back_whole_from_the_record_and_its_plan_part(shared_eval: Path) -> None:
    """The plan part names the record's item rows instead of holding the items again: the Plan
    the panel reviews is the extracted one, through JSON (as on disk), item order included."""
    items = []
    for name in ("national-2018.txt", "national-2019.txt", "local-12-tongguan-2024.txt"):
        path = str(shared_eval / "texts" / name)
        record, part = process_document(path, "0" * 64)
        assert part is not None and "items" not in part
        plan = read_plan(path=path)[1]
        again = plan_from_parts(json.loads(json.dumps(record)), json.loads(json.dumps(part)))
        assert again.document == plan.document and again.text == plan.text
        assert again.sections == plan.sections
        assert again.targets == plan.targets and again.outcomes == plan.outcomes
        items += plan.items()
    assert {i.basis is None for i in items} == {True, False} and {i.role for i in items} == {
        "target",
        "outcome",
    }
    assert any(i.value_max is not None for i in items) and any(i.deadline is not None for i in items)


@pytest.mark.parametrize(
    ("docs", "size", "workers", "largest", "most"),
    [(1000, 13_500, 2, 400_000, 128), (1000, 13_500, 2, 1_600_000, 512), (3000, 90_000, 16, 1_600_000, 512),
     (40, 13_500, 2, 400_000, 128), (3, 13_500, 2, 400_000, 128), (5000, 300, 4, 400_000, 128)],
)  # fmt: skip
def test_batches_are_large_first_and_shrink_towards_the_end(
    docs: int, size: int, workers: int, largest: int, most: int
) -> None:
    tasks = [(f"d{i}.txt", f"{i:064d}") for i in range(docs)]
    work = batches(tasks, [size] * docs, workers, largest, most)
    assert [t for batch in work for t in batch] == tasks  # in order, each once
    assert all(0 < len(b) <= most and (len(b) - 1) * size < largest for b in work)
    lengths = [len(b) for b in work]
    assert lengths[:-1] == sorted(lengths[:-1], reverse=True)  # never larger than the one before
    assert len(work) >= min(docs, 3 * workers)  # enough to share out
    if docs * size > 8 * largest * workers:  # a large corpus: mostly full batches, few tasks
        assert len(work) < 1.3 * docs * size / largest + 4 * workers
        assert lengths[-1] * size <= largest // 4  # and a short tail


def test_the_pool_starts_warm_and_runs_the_batches(shared_eval: Path, tmp_path: Path) -> None:
    paths = make_copies(shared_eval, tmp_path / "docs", 6)
    tasks = _tasks(paths)
    work = batches(tasks, [p.stat().st_size for p in paths], 2)
    assert len(work) > 2
    store = PartStore(tmp_path / "out", "stamp")
    store.reset()
    with LocalEngine(2, str(store.dir)) as engine:
        assert engine.pool is not None
        results = list(engine.run_batches(work))
    shas = sorted(r["sha256"] for res in results for r in res["rows"])
    assert shas == sorted(sha for _, sha in tasks)  # each document once
    assert all(res["written"] and res["cpu"] > 0 for res in results)
    for res in results:
        store.add(res["part"])
    assert sorted(store.documents()) == shas
    assert len(list(store.dir.iterdir())) == len(work)  # a part file per batch


def test_run_reports_cpu_and_stage_timings(shared_eval: Path, small_corpus: Path, tmp_path: Path) -> None:
    make_copies(shared_eval, small_corpus / "copies", 8)
    result = run_corpus(CorpusConfig(paths=[str(small_corpus)], output=tmp_path / "out", workers=2))
    assert list(result.timings) == ["inputs", "start", "extract", "assemble", "write"]
    assert list(result.cpu_timings) == list(result.timings)
    assert result.worker_cpu > 0 and result.parent_cpu > 0
    assert all(v >= 0 for v in result.timings.values())


def test_a_resumed_run_reads_compact_records_from_the_parts(
    shared_eval: Path, small_corpus: Path, tmp_path: Path
) -> None:
    """Tables from records sent by the workers equal tables from the same records read back."""
    make_copies(shared_eval, small_corpus / "copies", 4)
    out = tmp_path / "out"
    first = run_corpus(CorpusConfig(paths=[str(small_corpus)], output=out, workers=2))
    clean = tmp_path / "clean"
    shutil.copytree(out, clean)
    again = run_corpus(CorpusConfig(paths=[str(small_corpus)], output=out, workers=2, resume=True))
    assert (again.extracted, again.skipped) == (0, first.total)
    for name in ("documents", "items", "panel"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(first, name), check_exact=True)
        assert (out / f"{name}.parquet").read_bytes() == (clean / f"{name}.parquet").read_bytes()


def test_fork_and_forkserver_pools_give_the_same_bytes(
    shared_eval: Path, small_corpus: Path, tmp_path: Path
) -> None:
    """A single-threaded process forks its workers; one with other threads uses forkserver."""
    make_copies(shared_eval, small_corpus / "copies", 6)
    forked, served = tmp_path / "fork", tmp_path / "forkserver"
    code = (
        "import sys; from luoshi.corpus.engines import _context; from luoshi.corpus import extract_corpus; "
        "assert _context().get_start_method() == 'fork'; "
        "extract_corpus([sys.argv[1]], output=sys.argv[2], workers=2)"
    )
    src = str(Path(luoshi.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.run(
        [sys.executable, "-c", code, str(small_corpus), str(forked)], env=env, check=True, timeout=300
    )
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # as a progress bar or a caller's thread would be
    other.start()
    try:
        assert _context().get_start_method() == "forkserver"
        extract_corpus([small_corpus], output=served, workers=2)
    finally:
        stop.set()
        other.join()
    for name in ("documents.parquet", "items.parquet", "panel.parquet", "errors.csv"):
        assert (forked / name).read_bytes() == (served / name).read_bytes(), name


def test_items_without_arrow_are_the_same_table(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Arrow tables from the workers or column lists (no pyarrow): the same frames and bytes."""
    import luoshi.corpus.tables as tables

    with_arrow = run_corpus(CorpusConfig(paths=[str(small_corpus)], output=tmp_path / "a", workers=1))
    monkeypatch.setattr(tables, "has_arrow", lambda: False)
    lists = run_corpus(CorpusConfig(paths=[str(small_corpus)], output=tmp_path / "b", fmt="csv", workers=1))
    assert len(with_arrow.items) > 100 and len(with_arrow.panel) > 0
    for name in ("documents", "items", "panel"):
        pd.testing.assert_frame_equal(getattr(lists, name), getattr(with_arrow, name), check_exact=True)
    monkeypatch.undo()  # and the same CSV with Arrow
    csv = run_corpus(CorpusConfig(paths=[str(small_corpus)], output=tmp_path / "c", fmt="csv", workers=1))
    for name in ("items.csv", "panel.csv"):
        assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "c" / name).read_bytes()
    assert csv.extracted == lists.extracted


def test_part_files_hold_whole_batches_and_a_resumed_store_finds_them(tmp_path: Path) -> None:
    from luoshi.corpus.parts import write_batch

    store = PartStore(tmp_path / "out", "stamp")
    store.reset()
    batches_written = []
    for b in range(12):
        records = [{"sha256": f"{b:02d}{i:062d}", "path": f"d{b}-{i}.txt", "n": i} for i in range(3)]
        plans = {r["sha256"]: {"text": f"正文 {b} {i}"} for i, r in enumerate(records) if i != 1}
        batches_written.append((records, plans))
        write_batch(store.dir, records, plans)
    (store.dir / "x.parts.123.tmp").write_bytes(b"half a file of a killed run")

    resumed = PartStore(tmp_path / "out", "stamp")
    resumed.open()
    assert not list(resumed.dir.glob("*.tmp"))  # a killed run's temporary file is cleared
    assert len(list(resumed.dir.iterdir())) == 12  # one file per batch
    assert len(resumed.documents()) == 36
    for records, plans in [*batches_written, *reversed(batches_written)]:  # in and out of file order
        for r in records:
            assert resumed.has(r["sha256"]) and resumed.get(r["sha256"]) == r
            if r["sha256"] in plans:
                assert resumed.get_plan(r["sha256"]) == plans[r["sha256"]]
            else:
                with pytest.raises(KeyError):
                    resumed.get_plan(r["sha256"])
    assert not resumed.has("f" * 64)
    again = write_batch(store.dir, *batches_written[0])  # the same batch again (a Dask retry)
    assert len(list(store.dir.iterdir())) == 12 and again in resumed.documents().values()


def test_parts_name_their_codec_and_one_this_process_cannot_read_is_redone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """zstd (pyarrow's) where pyarrow is installed, else zlib: each file says which; a resumed
    run without pyarrow leaves zstd files out (their documents are done again), and a file it
    was just handed in a codec it cannot read is a clear error, not a crash later."""
    import luoshi.corpus.parts as parts
    import luoshi.corpus.tables as tables

    store = PartStore(tmp_path / "out", "stamp")
    store.reset()
    records = [{"sha256": f"{i:064d}", "path": f"d{i}.txt"} for i in range(2)]
    plans = {records[0]["sha256"]: {"text": "正文" * 500}}
    zstd = parts.write_batch(store.dir, records[:1], plans)
    monkeypatch.setattr(tables, "has_arrow", lambda: False)
    parts._codecs.cache_clear()
    try:
        zlib = parts.write_batch(store.dir, records[1:], {})
        resumed = PartStore(tmp_path / "out", "stamp")
        resumed.open()
        assert resumed.documents() == {records[1]["sha256"]: zlib}  # the zstd file is left out
        with pytest.raises(InputError, match="zstd"):
            resumed.add(zstd)
    finally:
        monkeypatch.undo()
        parts._codecs.cache_clear()
    both = PartStore(tmp_path / "out", "stamp")  # with pyarrow: reads either
    both.open()
    assert both.get(records[1]["sha256"]) == records[1] and both.get(records[0]["sha256"]) == records[0]
    assert both.get_plan(records[0]["sha256"]) == plans[records[0]["sha256"]]
    headers = {n: json.loads((store.dir / n).read_bytes().split(b"\n", 1)[0]) for n in (zstd, zlib)}
    assert (headers[zstd]["codec"], headers[zlib]["codec"]) == ("zstd", "zlib")
