"""The codebook: canonical indicators of the panel and the paraphrases that name them (data file).

``data/codebook.tsv`` is versioned (its ``# version:`` line); every panel row names that version
and the raw indicator text it came from, so a dataset can cite the exact mapping it used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from luoshi.review.matching import simplified

__all__ = ["UNIT_GROUPS", "Codebook", "Indicator", "load_codebook"]

# Canonical units of luoshi extract (see data/lexicon/units.tsv) by the kind of figure.
UNIT_GROUPS: dict[str, frozenset[str]] = {
    "rate": frozenset({"%", "百分点", "‰"}),
    "money": frozenset({"元", "美元", "欧元", "港元"}),
    "people": frozenset({"人", "人次"}),
    "mass": frozenset({"吨", "斤", "公斤", "千克"}),
}
_SPACE = re.compile(r"\s+")
_MATCHES_KEPT = 65536  # look-ups a codebook remembers (then it starts again)


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name_zh: str
    unit_group: str
    paraphrases: tuple[str, ...]
    excludes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Codebook:
    version: str
    indicators: tuple[Indicator, ...]
    # reports repeat the same indicator texts: one look-up each. A dict on the instance, not an
    # lru_cache keyed by the codebook: hashing a frozen dataclass hashes every indicator and its
    # paraphrases, a third of an item's look-up time
    _matches: dict[tuple[str, str], Indicator | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def match(self, raw_indicator: str, unit: str) -> Indicator | None:
        """The indicator a raw indicator text with this unit belongs to, or None."""
        key = (raw_indicator, unit)
        try:
            return self._matches[key]
        except KeyError:
            pass
        if len(self._matches) >= _MATCHES_KEPT:
            self._matches.clear()
        found = self._matches[key] = self._match(raw_indicator, unit)
        return found

    def _match(self, raw_indicator: str, unit: str) -> Indicator | None:
        text = _SPACE.sub("", simplified(raw_indicator))
        best: tuple[int, int] | None = None
        for order, ind in enumerate(self.indicators):
            if unit not in UNIT_GROUPS[ind.unit_group] or any(x in text for x in ind.excludes):
                continue
            length = max((len(p) for p in ind.paraphrases if p in text), default=0)
            if length and (best is None or length > best[0]):
                best = (length, order)
        return self.indicators[best[1]] if best else None

    def by_id(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p for p in cell.split("|") if p)


@cache
def load_codebook() -> Codebook:
    """The packaged codebook (parsed once)."""
    text = resources.files("luoshi.corpus").joinpath("data/codebook.tsv").read_text("utf-8")
    version = ""
    rows: list[Indicator] = []
    header_seen = False
    for line in text.splitlines():
        if line.startswith("#"):
            m = re.match(r"#\s*version:\s*(\S+)", line)
            version = m.group(1) if m else version
            continue
        if not line.strip():
            continue
        cells = (line.split("\t") + [""] * 5)[:5]
        if not header_seen:
            header_seen = True  # the column names
            continue
        rows.append(Indicator(cells[0], cells[1], cells[2], _split(cells[3]), _split(cells[4])))
    if not version:
        raise ValueError("codebook.tsv has no '# version:' line")
    return Codebook(version, tuple(rows))
