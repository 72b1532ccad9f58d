"""Corpus-mode fixtures: small corpora made from the dev texts in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pandas", reason="corpus mode needs pandas: pip install 'luoshi[corpus]'")
pytest.importorskip("pyarrow", reason="Parquet output needs pyarrow: pip install 'luoshi[corpus]'")

NATIONAL = ("national-2018.txt", "national-2019.txt")
LOCAL = ("local-02-fucheng-2019.txt", "local-14-furong-2018.txt", "local-12-tongguan-2024.txt")


@pytest.fixture()
def small_corpus(shared_eval: Path, tmp_path: Path) -> Path:
    """Two national reports (a target -> outcome pair), three local texts, in nested folders."""
    root = tmp_path / "reports"
    (root / "national").mkdir(parents=True)
    (root / "local" / "2019").mkdir(parents=True)
    for name in NATIONAL:
        shutil.copy(shared_eval / "texts" / name, root / "national" / name)
    for name in LOCAL:
        shutil.copy(shared_eval / "texts" / name, root / "local" / "2019" / name)
    return root


def make_copies(shared_eval: Path, folder: Path, n: int, names: tuple[str, ...] = NATIONAL) -> list[Path]:
    """``n`` distinct documents (each copy gets its own last line, so its own sha256)."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [(shared_eval / "texts" / name).read_text("utf-8") for name in names]
    out = []
    for i in range(n):
        path = folder / f"doc-{i:04d}.txt"
        path.write_text(texts[i % len(texts)] + f"\n（副本 {i}）\n", encoding="utf-8")
        out.append(path)
    return out
