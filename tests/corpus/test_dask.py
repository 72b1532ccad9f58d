"""The Dask engine on a real LocalCluster (2 worker processes) writes the local engine's bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip(
    "distributed", reason="the Dask engine needs dask[distributed]: pip install 'luoshi[dask]'"
)

from luoshi.corpus import extract_corpus  # noqa: E402
from luoshi.errors import InputError  # noqa: E402
from tests.corpus.conftest import make_copies  # noqa: E402


@pytest.mark.slow
def test_dask_local_cluster_equals_local_engine(
    shared_eval: Path, small_corpus: Path, tmp_path: Path
) -> None:
    make_copies(shared_eval, small_corpus / "copies", 12)
    local, dask = tmp_path / "local", tmp_path / "dask"
    extract_corpus([small_corpus], output=local, workers=2, engine="local")
    documents, _items, panel = extract_corpus([small_corpus], output=dask, workers=2, engine="dask")
    assert len(documents) == 17 and len(panel) > 0
    for name in ("documents.parquet", "items.parquet", "panel.parquet", "errors.csv"):
        assert (dask / name).read_bytes() == (local / name).read_bytes(), name


def test_dask_with_an_unknown_scheduler_fails_cleanly(small_corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="无法连接 Dask 调度器 tcp://127.0.0.1:9"):
        extract_corpus([small_corpus], output=tmp_path / "o", engine="dask", scheduler="tcp://127.0.0.1:9")
