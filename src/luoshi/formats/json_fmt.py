"""JSON: exactly ``plan.to_dict()``, UTF-8 with Chinese left readable."""

from __future__ import annotations

import json
from collections.abc import Sequence

from luoshi.extraction.model import Plan

__all__ = ["dumps_json"]


def dumps_json(plans: Plan | Sequence[Plan]) -> str:
    """One plan -> one object; a sequence of plans -> an array of objects."""
    payload = plans.to_dict() if isinstance(plans, Plan) else [p.to_dict() for p in plans]
    # allow_nan=False: a NaN or infinity from extraction is a bug to surface, not invalid JSON.
    return json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
