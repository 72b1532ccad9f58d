"""JSON: exactly ``plan.to_dict()``, UTF-8 with Chinese left readable, indented.

Written as a stream of chunks, one list element at a time, so a 50 MB report with hundreds of
thousands of items never holds its whole JSON document (or a dict of every item) in memory.
The bytes are identical to ``json.dumps(plan.to_dict(), ensure_ascii=False, indent=2)``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from luoshi.extraction.model import Plan

__all__ = ["dumps_json", "iter_json"]

_INDENT = 2
# The C string encoder json.dumps(..., ensure_ascii=False) itself uses.
_encode_str: Callable[[str], str] = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
)


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
    """``json.dumps(value, indent=2)`` re-indented to ``level``; flat dicts (every item, section,
    project) take a fast path: the indenting encoder of the json module is pure Python."""
    if isinstance(value, dict):
        fast = _flat_dict(value, level)
        if fast is not None:
            return fast
    # allow_nan=False: a NaN or infinity from extraction is a bug to surface, not invalid JSON.
    text = json.dumps(value, ensure_ascii=False, indent=_INDENT, allow_nan=False)
    return text.replace("\n", "\n" + " " * (_INDENT * level)) if level else text


def _fields_dict(obj: Any) -> dict[str, Any]:
    """What ``obj.to_dict()`` gives for a flat dataclass (tuples as lists), minus asdict's
    deep copy, which dominates the cost of writing hundreds of thousands of items."""
    return {
        name: list(value)
        if isinstance(value, tuple)
        else value.to_dict()
        if hasattr(value, "to_dict")
        else value
        for name in obj.__dataclass_fields__
        for value in (getattr(obj, name),)
    }


def _converter(elements: Sequence[Any]) -> Callable[[Any], dict[str, Any]]:
    """The fast converter if it agrees with the model's own to_dict() on the first element."""
    if not elements or not dataclasses.is_dataclass(elements[0]):
        return lambda e: dict(e.to_dict())
    first: Any = elements[0]
    if _fields_dict(first) == first.to_dict() and list(_fields_dict(first)) == list(first.to_dict()):
        return _fields_dict
    return lambda e: dict(e.to_dict())


def _scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return _encode_str(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float:
        if not math.isfinite(value):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    return None


def _flat_dict(d: dict[str, Any], level: int) -> str | None:
    """Dicts of scalars and lists of scalars, rendered exactly as json.dumps(indent=2) would."""
    if not d:
        return "{}"
    pad1 = " " * (_INDENT * (level + 1))
    pad2 = pad1 + " " * _INDENT
    parts = []
    for key, value in d.items():
        if not isinstance(key, str):
            return None
        rendered: str | None
        if isinstance(value, dict):  # one nested flat dict (an item's basis)
            rendered = _flat_dict(value, level + 1)
        elif isinstance(value, list):
            if not value:
                rendered = "[]"
            else:
                inner = [_scalar(v) for v in value]
                if any(v is None for v in inner):
                    return None
                rendered = "[\n" + ",\n".join(pad2 + str(v) for v in inner) + "\n" + pad1 + "]"
        else:
            rendered = _scalar(value)
        if rendered is None:
            return None
        parts.append(pad1 + _encode_str(key) + ": " + rendered)
    return "{\n" + ",\n".join(parts) + "\n" + " " * (_INDENT * level) + "}"


def _plan_chunks(plan: Plan, level: int) -> Iterator[str]:
    """Mirror of Plan.to_dict(): the keys in the same order, list elements dumped one by one."""
    lists: dict[str, tuple[Sequence[Any], Callable[[Any], dict[str, Any]]]] = {
        name: (elements, _converter(elements))
        for name, elements in (
            ("sections", plan.sections),
            ("targets", plan.targets),
            ("outcomes", plan.outcomes),
            ("projects", plan.projects),
            ("project_counts", plan.project_counts),
        )
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
