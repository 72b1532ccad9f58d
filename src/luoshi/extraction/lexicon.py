"""Word lists (data files in ``luoshi/data/lexicon``), loaded once and cached.

Keeping the words as data keeps the rules general: a new unit or hedge is a one-line edit.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import NamedTuple

__all__ = ["five_year_end", "list_gaps", "mapping", "rows", "words"]


def _lines(name: str) -> list[str]:
    text = (files("luoshi") / "data" / "lexicon" / name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].rstrip() if not line.startswith("#") else ""
        if line.strip():
            out.append(line)
    return out


__all__ += ["CHINESE_NUMERALS", "UNIT_CLASSES", "Unit", "unit_class", "units", "units_of"]

# Classes a unit may have (column 3 of units.tsv); the integrity test rejects any other.
UNIT_CLASSES = frozenset(
    {
        "rate",
        "money",
        "money_small",
        "person",
        "household",
        "times",
        "count",
        "weight",
        "area",
        "volume",
        "length",
        "power",
        "energy",
        "container",
        "multiple",
        "workdays",
        "duration",
        "age",
        "density",
    }
)
# Column 4 of units.tsv: which Chinese numerals may stand before the unit.
CHINESE_NUMERALS = frozenset({"cn", "big", "-"})


class Unit(NamedTuple):
    surface: str  # as written after the number ("平方千米")
    canonical: str  # as written in the output ("平方公里")
    kind: str  # one of UNIT_CLASSES
    chinese: str  # one of CHINESE_NUMERALS


@cache
def units() -> dict[str, Unit]:
    """Surface -> :class:`Unit`, from units.tsv."""
    return {r[0]: Unit(r[0], r[1], r[2], r[3]) for r in rows("units.tsv")}


@cache
def units_of(*kinds: str) -> frozenset[str]:
    """Canonical units of the given classes: ``units_of("person", "household")``."""
    return frozenset(u.canonical for u in units().values() if u.kind in kinds)


def unit_class(unit: str) -> str | None:
    """Class of a unit, given its surface or canonical form."""
    u = units().get(unit)
    if u is not None:
        return u.kind
    return _canonical_classes().get(unit)


@cache
def _canonical_classes() -> dict[str, str]:
    return {u.canonical: u.kind for u in units().values()}


@cache
def list_gaps() -> frozenset[str]:
    """What may stand between the figures of one list (list_gaps.txt)."""
    return frozenset(words("list_gaps.txt"))


def five_year_end(name: str) -> int:
    """The last year of a five-year plan ("十四五" -> 2025), from five_year_plans.tsv."""
    return int(mapping("five_year_plans.tsv")[name])


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
