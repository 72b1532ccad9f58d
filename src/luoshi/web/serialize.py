"""JSON shapes of updates and reports (targets: luoshi.tracking.queries.TargetView.to_dict) for the API and the open-data downloads.

``internal=False`` is the public shape: no user names, no internal narratives, no evidence files.
"""

from __future__ import annotations

from typing import Any

from luoshi.store.models import ProgressUpdate, Report

__all__ = ["report_json", "update_json"]


def update_json(u: ProgressUpdate, *, internal: bool, state: str | None = None) -> dict[str, Any]:
    """``state`` may be given (e.g. ``submitted`` for a new update) to spare loading its checks."""
    if state is None:
        from luoshi.tracking.services import update_state

        state = update_state(u)
    out: dict[str, Any] = {
        "id": u.id,
        "target_id": u.target_id,
        "period": u.period.isoformat(),
        "reported_value": u.reported_value,
        "check": state,
        "supersedes": u.supersedes_id,
    }
    if internal or not u.narrative_internal:
        out["narrative"] = u.narrative
    if internal:
        out.update({
            "narrative_internal": u.narrative_internal,
            "author": u.author_name,
            "created_at": u.created_at.isoformat(),
            "evidence": f"/evidence/{u.id}" if u.evidence_path else None,
            "evidence_name": u.evidence_name,
        })
    return out


def report_json(r: Report) -> dict[str, Any]:
    return {"id": r.id, "jurisdiction": r.jurisdiction.name, "year": r.year, "title": r.title,
            "source_name": r.source_name, "sha256": r.sha256, "sample": bool(r.sample)}
