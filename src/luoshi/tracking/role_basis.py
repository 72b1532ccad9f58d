"""Why an extracted item got its role: the extractor's basis (the anchor or cue that made it a
target or an outcome), shown in the 审核 queue as "判为目标：依据「新的一年」".

The store keeps no column for it (a target row has no free JSON field), so it is derived again
from the report text the store keeps, by the same extractor: a pure function of text and span.
A report imported before the extractor changed shows what the extractor says now.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from luoshi.glossary import ITEM_ROLE_LABELS

__all__ = ["RoleBasis", "role_bases"]

_CACHE: OrderedDict[str, dict[int, RoleBasis]] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = Lock()


@dataclass(frozen=True, slots=True)
class RoleBasis:
    """The role the extractor gives the figure at a span start, and the cue it rests on."""

    role: str
    cue: str | None
    span: tuple[int, int] | None

    @property
    def label(self) -> str:
        """ "判为目标：依据「新的一年」" / "判为成绩：依据「2023年」" / "判为目标：文中没有时间线索"."""
        judged = f"判为{ITEM_ROLE_LABELS.get(self.role, self.role)}"
        if not self.cue:
            return f"{judged}：文中没有时间线索"
        return f"{judged}：依据「{self.cue}」"


def role_bases(text: str) -> dict[int, RoleBasis]:
    """Span start -> basis for every figure the extractor finds in ``text`` (the last few texts
    cached: keyed by the text itself, as a stored sha256 need not be the text's own)."""
    with _LOCK:
        hit = _CACHE.get(text)
        if hit is not None:
            _CACHE.move_to_end(text)
            return hit
    from luoshi.extraction import extract_text

    plan = extract_text(text)
    out = {
        item.span[0]: RoleBasis(
            item.role, item.basis.cue if item.basis else None, item.basis.span if item.basis else None
        )
        for item in plan.items()
    }
    with _LOCK:
        _CACHE[text] = out
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return out
