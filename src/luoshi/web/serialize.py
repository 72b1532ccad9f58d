"""JSON shapes of the API (its response models, documented in /openapi.json) and the open-data
downloads. Targets are built from luoshi.tracking.queries.TargetView.to_dict, the one place their
fields are computed; the models here only name and type them.

``internal=False`` is the public shape: no user names, no internal narratives, no evidence files.
Fields a public answer leaves out are absent (not null), so routes that may answer either shape
declare the union ``Internal… | Public…``; a pydantic smart union picks the internal model only
when every internal field is there.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from luoshi.store.models import ProgressUpdate, Report
from luoshi.tracking.status import STATUS_CODES

__all__ = [
    "BatchCreated",
    "Department",
    "Error",
    "Health",
    "HealthError",
    "InternalTarget",
    "InternalTargetDetail",
    "InternalUpdate",
    "ProjectLine",
    "ProjectRollup",
    "PublicTarget",
    "PublicTargetDetail",
    "PublicUpdate",
    "ReportOut",
    "TargetPage",
    "report_json",
    "report_model",
    "target_model",
    "update_json",
    "update_model",
]

StatusCode = Literal["done", "ahead", "on_pace", "behind", "far_behind", "overdue", "no_report"]
assert set(get_args(StatusCode)) == set(STATUS_CODES), "StatusCode must list tracking.status.STATUS_CODES"
CheckState = Literal["submitted", "accepted", "returned"]


class _Out(BaseModel):
    # A field added to a shape (e.g. TargetView.to_dict) must be added here too: an unknown key is
    # an error (caught by tests/web/test_api_schema.py), not silently dropped from the API.
    model_config = ConfigDict(extra="forbid")


class Error(_Out):
    """Every API error (400/401/403/404/413/422/503): one Chinese sentence."""

    detail: str = Field(description="错误说明（中文）")


class Health(_Out):
    status: Literal["ok"]


class HealthError(_Out):
    status: Literal["error"]
    detail: str


class ReportOut(_Out):
    id: int
    jurisdiction: str
    year: int
    title: str | None
    source_name: str | None
    sha256: str
    sample: bool


class Department(_Out):
    id: int
    name: str
    short_name: str | None


class PublicTarget(_Out):
    """A target with its computed status (what anonymous readers see)."""

    id: int
    report_id: int
    area: str | None = Field(description="领域（报告中的标题）")
    area_id: int | None
    title: str
    indicator: str
    baseline: float | None
    target_value: float | None
    value_max: float | None = Field(description="上限（区间目标，如 6%–6.5%）")
    unit: str
    comparator: str
    direction: str | None
    kind: str
    deadline: str | None = Field(description="YYYY-MM-DD")
    lead_department: str | None = Field(description="牵头单位")
    co_departments: list[str] = Field(description="配合单位")
    public: bool
    span: list[int] | None = Field(description="[start, end]: the figure's characters in the report's text")
    status: StatusCode
    status_label: str
    time_progress: float = Field(description="序时进度 in percent")
    achieved: float | None = Field(description="完成进度 in percent")
    latest_value: float | None
    latest_period: str | None = Field(description="YYYY-MM-DD")
    status_reason: str
    status_overridden: bool = Field(description="人工认定")


class InternalTarget(PublicTarget):
    """A target as logged-in users see it: also its review state and reporting cadence."""

    review_state: str
    cadence: str
    due_day: int | None
    report_overdue: bool


class PublicTargetDetail(PublicTarget):
    source_sentence: str | None = Field(description="原文句子")


class InternalTargetDetail(InternalTarget):
    source_sentence: str | None = Field(description="原文句子")


class TargetPage(_Out):
    items: list[InternalTarget | PublicTarget]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null on the last page")


class PublicUpdate(_Out):
    """A progress update as the public sees it; ``narrative`` is absent when it is internal."""

    id: int
    target_id: int
    period: str = Field(description="截至日期 YYYY-MM-DD")
    reported_value: float | None
    check: CheckState = Field(description="复核: submitted, accepted or returned")
    supersedes: int | None = Field(description="the update this one corrects (更正)")
    narrative: str | None = Field(None, description="进展情况 (absent when internal)")


class InternalUpdate(PublicUpdate):
    narrative: str | None = Field(description="进展情况")
    narrative_internal: bool
    author: str | None
    created_at: str = Field(description="ISO date and time (UTC)")
    evidence: str | None = Field(description="link to the evidence file")
    evidence_name: str | None


class BatchCreated(_Out):
    created: int
    ids: list[int]


class ProjectLine(_Out):
    id: int | None
    name: str
    category: str
    projects: int
    planned_investment: float = Field(description="元")
    completed_investment: float = Field(description="元")
    completion_rate: float | None = Field(description="投资完成率 in percent")
    stage: str | None


class ProjectRollup(_Out):
    as_of: str = Field(description="YYYY-MM-DD")
    time_progress: float = Field(description="序时进度 in percent")
    projects: list[ProjectLine]
    categories: list[ProjectLine]
    total: ProjectLine | None
    stated_projects: int | None
    stated_investment: float | None = Field(description="元")


def target_model(fields: dict[str, Any], *, public: bool) -> PublicTarget:
    """``TargetView.to_dict(public=…)`` (plus ``source_sentence`` for a detail) as its model."""
    detail = "source_sentence" in fields
    if public:
        return (PublicTargetDetail if detail else PublicTarget).model_validate(fields)
    return (InternalTargetDetail if detail else InternalTarget).model_validate(fields)


def update_model(u: ProgressUpdate, *, internal: bool, state: str | None = None) -> PublicUpdate:
    """``state`` may be given (e.g. ``submitted`` for a new update) to spare loading its checks."""
    if state is None:
        from luoshi.tracking.services import update_state

        state = update_state(u)
    common: dict[str, Any] = {
        "id": u.id,
        "target_id": u.target_id,
        "period": u.period.isoformat(),
        "reported_value": u.reported_value,
        "check": state,
        "supersedes": u.supersedes_id,
    }
    if internal:
        return InternalUpdate(
            **common,
            narrative=u.narrative,
            narrative_internal=u.narrative_internal,
            author=u.author_name,
            created_at=u.created_at.isoformat(),
            evidence=f"/evidence/{u.id}" if u.evidence_path else None,
            evidence_name=u.evidence_name,
        )
    if not u.narrative_internal:
        common["narrative"] = u.narrative
    return PublicUpdate(**common)


def update_json(u: ProgressUpdate, *, internal: bool, state: str | None = None) -> dict[str, Any]:
    return update_model(u, internal=internal, state=state).model_dump(mode="json", exclude_unset=True)


def report_model(r: Report) -> ReportOut:
    return ReportOut(
        id=r.id,
        jurisdiction=r.jurisdiction.name,
        year=r.year,
        title=r.title,
        source_name=r.source_name,
        sha256=r.sha256,
        sample=bool(r.sample),
    )


def report_json(r: Report) -> dict[str, Any]:
    return report_model(r).model_dump(mode="json")
