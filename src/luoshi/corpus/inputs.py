"""Corpus inputs: folders (recursively), glob patterns and file lists -> sorted report files."""

from __future__ import annotations

import glob as globlib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from luoshi.sources import SUPPORTED_SUFFIXES

__all__ = ["InputFile", "expand_inputs", "hash_file"]

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str  # as the user named it (posix), so outputs do not depend on the working folder
    sha256: str | None  # None when the file cannot be read
    error: str | None = None


def _hidden(path: Path) -> bool:
    # dot files and Word's "~$x.docx" lock files are not reports
    return any(part.startswith((".", "~$")) for part in path.parts if part not in (".", ".."))


def _candidates(arg: str, pattern: str | None) -> tuple[list[Path], str | None]:
    p = Path(arg)
    if p.is_dir():
        found = [c for c in p.rglob(pattern or "*") if c.is_file() and not _hidden(c.relative_to(p))]
        found = [c for c in found if c.suffix.lower() in SUPPORTED_SUFFIXES]
        if not found:
            return [], f"{arg}: 文件夹中没有可读取的报告文件（{' '.join(SUPPORTED_SUFFIXES)}）"
        return found, None
    if p.exists():
        return [p], None
    if globlib.has_magic(arg):
        matched = [Path(m) for m in globlib.glob(arg, recursive=True)]
        files = [m for m in matched if m.is_file() and m.suffix.lower() in SUPPORTED_SUFFIXES]
        if not files:
            return [], f"{arg}: 没有与此模式匹配的报告文件"
        return files, None
    return [], f"{arg}: 文件不存在"


def hash_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def expand_inputs(args: Sequence[str], pattern: str | None = None) -> tuple[list[InputFile], list[str]]:
    """Report files named by ``args`` (sorted, each once) and the problems with the arguments.

    ``pattern`` (``--glob``) filters the files found in folders, e.g. ``"*.docx"`` or ``"**/2024*"``.
    """
    seen: dict[str, Path] = {}
    problems: list[str] = []
    for arg in args:
        files, problem = _candidates(arg, pattern)
        if problem:
            problems.append(problem)
        for f in files:
            seen.setdefault(f.as_posix(), f)
    out: list[InputFile] = []
    for name in sorted(seen):
        try:
            out.append(InputFile(name, hash_file(name)))
        except OSError as exc:
            out.append(InputFile(name, None, f"{name}: 无法读取（{exc.strerror or exc}）"))
    return out, problems
