"""Word lists (data files in ``luoshi/data/lexicon``), loaded once and cached.

Keeping the words as data keeps the rules general: a new unit or hedge is a one-line edit.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["mapping", "rows", "words"]


def _lines(name: str) -> list[str]:
    text = (files("luoshi") / "data" / "lexicon" / name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].rstrip() if not line.startswith("#") else ""
        if line.strip():
            out.append(line)
    return out


@cache
def words(name: str) -> tuple[str, ...]:
    """One word per line, longest first (so alternations prefer the longest match)."""
    return tuple(sorted({w.strip() for w in _lines(name)}, key=lambda w: (-len(w), w)))


@cache
def rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Tab-separated rows, in file order."""
    return tuple(tuple(c.strip() for c in line.split("\t")) for line in _lines(name))


@cache
def mapping(name: str) -> dict[str, str]:
    """First column -> second column."""
    return {r[0]: r[1] for r in rows(name) if len(r) >= 2}
