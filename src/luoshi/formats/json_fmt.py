"""JSON: exactly ``plan.to_dict()``, UTF-8 with Chinese left readable, indented.

Written as a stream of chunks, one list element at a time, so a 50 MB report with hundreds of
thousands of items never holds its whole JSON document (or a dict of every item) in memory.
The bytes are identical to ``json.dumps(plan.to_dict(), ensure_ascii=False, indent=2)``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from luoshi.extraction.model import Plan

__all__ = ["dumps_json", "iter_json"]

_INDENT = 2


def dumps_json(plans: Plan | Sequence[Plan]) -> str:
    """One plan -> one object; a sequence of plans -> an array of objects (with a final newline)."""
    return "".join(iter_json(plans))


def iter_json(plans: Plan | Sequence[Plan]) -> Iterator[str]:
    """The same document as :func:`dumps_json`, in chunks."""
    if isinstance(plans, Plan):
        yield from _plan_chunks(plans, 0)
    elif not plans:
        yield "[]"
    else:
        pad = " " * _INDENT
        yield "[\n" + pad
        for i, plan in enumerate(plans):
            if i:
                yield ",\n" + pad
            yield from _plan_chunks(plan, 1)
        yield "\n]"
    yield "\n"


def _dumps(value: Any, level: int) -> str:
    # allow_nan=False: a NaN or infinity from extraction is a bug to surface, not invalid JSON.
    text = json.dumps(value, ensure_ascii=False, indent=_INDENT, allow_nan=False)
    return text.replace("\n", "\n" + " " * (_INDENT * level)) if level else text


def _plan_chunks(plan: Plan, level: int) -> Iterator[str]:
    """Mirror of Plan.to_dict(): the keys in the same order, list elements dumped one by one."""
    lists: dict[str, tuple[Sequence[Any], Callable[[Any], dict[str, Any]]]] = {
        "sections": (plan.sections, lambda s: s.to_dict()),
        "targets": (plan.targets, lambda i: i.to_dict()),
        "outcomes": (plan.outcomes, lambda i: i.to_dict()),
        "projects": (plan.projects, lambda p: p.to_dict()),
        "project_counts": (plan.project_counts, lambda c: c.to_dict()),
    }
    # Key order from the model itself, so a field added to Plan.to_dict() is never dropped.
    keys = list(Plan(document=plan.document, text="").to_dict())
    full: dict[str, Any] = {}
    pad1 = " " * (_INDENT * (level + 1))
    pad2 = " " * (_INDENT * (level + 2))
    yield "{"
    for k, key in enumerate(keys):
        yield ("\n" if k == 0 else ",\n") + pad1 + json.dumps(key) + ": "
        if key == "document":
            yield _dumps(plan.document.to_dict(), level + 1)
            continue
        if key not in lists:
            full = full or plan.to_dict()
            yield _dumps(full[key], level + 1)
            continue
        elements, convert = lists[key]
        if not elements:
            yield "[]"
            continue
        yield "["
        for e, element in enumerate(elements):
            yield ("\n" if e == 0 else ",\n") + pad2 + _dumps(convert(element), level + 2)
        yield "\n" + pad1 + "]"
    yield "\n" + " " * (_INDENT * level) + "}"
