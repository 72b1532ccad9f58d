"""Stored year-end review: run it for a pair of stored reports, confirm or override results.

A person's decision is never lost: results in state ``confirmed`` or ``overridden`` are kept
as they are when the review is re-run; only ``auto`` results are recomputed. Every run,
confirmation and override is written to the audit trail in the same transaction.

When the next report says nothing about a target, the latest *accepted* progress reading of
that target (复核 passed, newest version) is used as evidence instead, and the reason says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import InputError, NotFoundError
from luoshi.extraction.model import Item
from luoshi.glossary import NOT_EVALUATED
from luoshi.review.verdicts import (
    VERDICTS,
    ReviewConfig,
    ReviewResult,
    clause_before,
    judge_progress,
    review_items,
)
from luoshi.store.audit import Actor, actor_fields, record_audit
from luoshi.store.models import Outcome, Report, Target
from luoshi.store.models import ReviewResult as ReviewRow
from luoshi.tracking.current import find_report as _find_by_place_year
from luoshi.tracking.current import latest_accepted

__all__ = [
    "EXCLUDED_STATES",
    "ReviewYearError",
    "check_review_years",
    "ScoreRow",
    "confirm_result",
    "latest_accepted_value",
    "next_report",
    "outcome_item",
    "override_result",
    "report_of_ref",
    "report_outcomes",
    "result_with_target",
    "review_rows",
    "reviewed_targets",
    "run_stored_review",
    "stored_results",
    "target_item",
    "with_progress_evidence",
]

EXCLUDED_STATES = ("rejected", "merged")
_REF_ID = re.compile(r"^(?:report:)?(\d+)$")
_REF_PLACE_YEAR = re.compile(r"^(.+?)[/:](\d{4})$")


class ReviewYearError(InputError):
    """Outcomes from a year other than the one after the targets' plan year."""


def check_review_years(target_year: int | None, outcome_year: int | None) -> None:
    """The year-end review judges year Y's targets on the outcomes reported in year Y+1's report;
    any other pairing is refused, naming both years (unknown years are not checked)."""
    if target_year is None or outcome_year is None or outcome_year == target_year + 1:
        return
    raise ReviewYearError(
        f"目标是 {target_year} 年的，完成情况须取自 {target_year + 1} 年的报告；所给报告是 {outcome_year} 年的，不能用来评估"
    )


def _span(start: int | None, end: int | None) -> tuple[int, int]:
    return (start or 0, end if end is not None else (start or 0))


def target_item(t: Target) -> Item:
    """A stored target as an extraction item (its span and sentence in its report)."""
    return Item(
        role="target",
        span=_span(t.span_start, t.span_end),
        surface=t.surface or "",
        value=float(t.target_value or 0.0),
        unit=t.unit or "",
        comparator=t.comparator or "=",  # type: ignore[arg-type]
        indicator=t.indicator or "",
        sentence=_span(t.sentence_start, t.sentence_end),
        value_max=t.value_max,
        direction=t.direction,  # type: ignore[arg-type]
        deadline=t.deadline.year if t.deadline else None,
        aspirational=bool(t.aspirational),
    )


def outcome_item(o: Outcome) -> Item:
    return Item(
        role="outcome",
        span=_span(o.span_start, o.span_end),
        surface=o.surface or "",
        value=float(o.value or 0.0),
        unit=o.unit or "",
        comparator=o.comparator or "=",  # type: ignore[arg-type]
        indicator=o.indicator or "",
        sentence=_span(o.sentence_start, o.sentence_end),
        value_max=o.value_max,
        direction=o.direction,  # type: ignore[arg-type]
    )


def by_place_year(session: Session, jurisdiction: str, year: int) -> Report | None:
    try:
        return _find_by_place_year(session, jurisdiction, year)
    except NotFoundError:
        return None


def report_of_ref(session: Session, ref: str) -> Report:
    """A stored report from ``report:ID``, ``ID`` or ``JURISDICTION/YEAR`` (e.g. ``张店区/2024``)."""
    ref = ref.strip()
    if m := _REF_ID.match(ref):
        report = session.get(Report, int(m.group(1)))
    elif m := _REF_PLACE_YEAR.match(ref):
        report = by_place_year(session, m.group(1).strip(), int(m.group(2)))
    else:
        raise InputError(f"{ref}：不是已存报告的写法（应为 report:编号 或 地区/年份，如 张店区/2024）")
    if report is None:
        raise NotFoundError(f"{ref}：没有这份已存的报告")
    return report


def next_report(session: Session, report: Report) -> Report | None:
    """The same jurisdiction's report of the following year (the newest import of it)."""
    return session.scalars(
        select(Report)
        .where(Report.jurisdiction_id == report.jurisdiction_id, Report.year == report.year + 1)
        .order_by(Report.id.desc())
    ).first()


def latest_accepted_value(session: Session, target_id: int) -> tuple[float, str] | None:
    """(value, period) of the newest accepted, not superseded progress reading of a target
    (the one current reading, :func:`luoshi.tracking.current.latest_accepted`)."""
    reading = latest_accepted(session, target_id)
    return None if reading is None else (reading[0], reading[1].isoformat())


def with_progress_evidence(
    session: Session, target_id: int, result: ReviewResult, text: str = "", config: ReviewConfig | None = None
) -> ReviewResult:
    """A ``no_outcome`` result judged instead on the target's latest accepted progress reading."""
    if result.verdict != "no_outcome":
        return result
    reading = latest_accepted_value(session, target_id)
    if reading is None:
        return result
    return judge_progress(result.target, reading[0], reading[1], config, clause_before(result.target, text))


def report_outcomes(session: Session, report_id: int) -> list[Outcome]:
    """A stored report's outcomes (成效), in report order: what its targets can be judged on."""
    return list(
        session.scalars(select(Outcome).where(Outcome.report_id == report_id).order_by(Outcome.position))
    )


def reviewed_targets(session: Session, report_id: int) -> list[Target]:
    return list(
        session.scalars(
            select(Target)
            .where(
                Target.report_id == report_id,
                Target.review_state.not_in(EXCLUDED_STATES),
                Target.merged_into_id.is_(None),
            )
            .order_by(Target.position, Target.id)
        )
    )


def _candidate_json(o: Outcome) -> dict[str, Any]:
    return {
        "outcome_id": o.id,
        "indicator": o.indicator,
        "surface": o.surface,
        "value": o.value,
        "unit": o.unit,
    }


def run_stored_review(
    session: Session,
    target_report_id: int,
    outcome_report_id: int | None = None,
    *,
    actor: Actor = None,
    config: ReviewConfig | None = None,
) -> list[ReviewRow]:
    """Review a stored report's targets against the next report's outcomes; save and return rows.

    ``auto`` rows are recomputed; ``confirmed`` and ``overridden`` rows are kept untouched.
    """
    report = session.get(Report, target_report_id)
    if report is None:
        raise NotFoundError(f"report:{target_report_id}：没有这份已存的报告")
    later = session.get(Report, outcome_report_id) if outcome_report_id else next_report(session, report)
    if outcome_report_id and later is None:
        raise NotFoundError(f"report:{outcome_report_id}：没有这份已存的报告")
    if later is not None:
        check_review_years(report.year, later.year)
    targets = reviewed_targets(session, report.id)
    outcomes = report_outcomes(session, later.id) if later else []
    by_span = {(o.span_start, o.span_end): o for o in outcomes}
    results = review_items(
        [target_item(t) for t in targets],
        [outcome_item(o) for o in outcomes],
        target_text=report.text,
        outcome_text=later.text if later else "",
        config=config,
        target_headings=[t.area.heading if t.area else "" for t in targets],
        outcome_headings=[o.area.heading if o.area else "" for o in outcomes],
    )
    existing = {
        r.target_id: r
        for r in session.scalars(select(ReviewRow).where(ReviewRow.target_id.in_([t.id for t in targets])))
    }
    rows: list[ReviewRow] = []
    counts: dict[str, int] = {}
    for target, res in zip(targets, results, strict=True):
        row = existing.get(target.id)
        if row is not None and row.state in ("confirmed", "overridden"):
            rows.append(row)
            counts["kept"] = counts.get("kept", 0) + 1
            continue
        res = with_progress_evidence(session, target.id, res, report.text, config)
        verdict, ratio, reason = res.verdict, res.ratio, res.reason
        matched = by_span.get(res.outcome.span) if res.outcome else None
        cands = [by_span[c.span] for c in res.candidates if c.span in by_span]
        if row is None:
            row = ReviewRow(target_id=target.id)
            session.add(row)
        row.outcome_report_id = later.id if later else None
        row.outcome_id = matched.id if matched else None
        row.verdict, row.ratio, row.reason = verdict, ratio, reason
        row.candidates = [_candidate_json(o) for o in cands]
        row.state, row.by_id, row.at = "auto", None, datetime.now(UTC).replace(tzinfo=None)
        rows.append(row)
        counts[verdict] = counts.get(verdict, 0) + 1
    session.flush()
    record_audit(
        session,
        actor,
        "review_run",
        "report",
        report.id,
        None,
        {"outcome_report": later.id if later else None, **counts},
    )
    return rows


def _get_row(session: Session, result_id: int) -> ReviewRow:
    row = session.get(ReviewRow, result_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {result_id} 的评估结果")
    return row


def result_with_target(session: Session, result_id: int) -> tuple[ReviewRow, Target]:
    """A stored review result and the target it judges; raises NotFoundError."""
    row = _get_row(session, result_id)
    target = session.get(Target, row.target_id)
    if target is None:  # the foreign key makes this unreachable; said plainly rather than assumed
        raise NotFoundError(f"没有编号为 {result_id} 的评估结果")
    return row, target


def _snapshot(row: ReviewRow) -> dict[str, Any]:
    return {
        "outcome_id": row.outcome_id,
        "verdict": row.verdict,
        "ratio": row.ratio,
        "reason": row.reason,
        "state": row.state,
    }


def confirm_result(session: Session, result_id: int, actor: Actor) -> ReviewRow:
    """A person agrees with the automatic pairing and verdict; kept on re-runs."""
    row = _get_row(session, result_id)
    before = _snapshot(row)
    row.state = "confirmed"
    row.by_id = actor_fields(actor)[0]
    row.at = datetime.now(UTC).replace(tzinfo=None)
    record_audit(session, actor, "review_confirm", "review_result", row.id, before, _snapshot(row))
    return row


def override_result(
    session: Session,
    result_id: int,
    actor: Actor,
    *,
    verdict: str,
    outcome_id: int | None = None,
    ratio: float | None = None,
    reason: str = "",
) -> ReviewRow:
    """A person sets the pairing and/or verdict; audited, and kept when the review is re-run."""
    if verdict not in VERDICTS:
        raise InputError(f"未知的评估结论 {verdict}")
    row = _get_row(session, result_id)
    if outcome_id is not None:
        outcome = session.get(Outcome, outcome_id)
        if outcome is None:
            raise NotFoundError(f"没有编号为 {outcome_id} 的成效")
        if row.outcome_report_id is not None and outcome.report_id != row.outcome_report_id:
            raise InputError(f"成效 {outcome_id} 不属于所评估的报告")
    before = _snapshot(row)
    name = actor_fields(actor)[1]
    row.outcome_id = outcome_id
    row.verdict = verdict
    row.ratio = ratio
    row.reason = reason.strip() or f"由{name}人工判定。"
    row.state = "overridden"
    row.by_id = actor_fields(actor)[0]
    row.at = datetime.now(UTC).replace(tzinfo=None)
    record_audit(session, actor, "review_override", "review_result", row.id, before, _snapshot(row))
    return row


@dataclass
class ScoreRow:
    """One scorecard line: a target with its stored result and matched outcome (if any)."""

    target: Target
    result: ReviewRow | None
    outcome: Outcome | None


def review_rows(session: Session, report_id: int, *, public_only: bool = False) -> list[ScoreRow]:
    """The scorecard of a stored report, in report order (targets not yet reviewed have no result)."""
    targets = reviewed_targets(session, report_id)
    if public_only:
        targets = [t for t in targets if t.public]
    results = {
        r.target_id: r
        for r in session.scalars(select(ReviewRow).where(ReviewRow.target_id.in_([t.id for t in targets])))
    }
    rows = []
    for t in targets:
        r = results.get(t.id)
        o = session.get(Outcome, r.outcome_id) if r and r.outcome_id else None
        rows.append(ScoreRow(t, r, o))
    return rows


def stored_results(session: Session, report_id: int, *, public_only: bool = False) -> list[ReviewResult]:
    """The stored scorecard as pure results (for exports); unreviewed targets are ``not_evaluated``
    (未评估), never ``no_outcome`` (未报告: the next report says nothing)."""
    out: list[ReviewResult] = []
    for line in review_rows(session, report_id, public_only=public_only):
        item = target_item(line.target)
        r = line.result
        if r is None:
            out.append(ReviewResult(item, None, NOT_EVALUATED, None, "尚未进行年度评估。", (), 0.0, "none"))  # type: ignore[arg-type]
            continue
        ids = [c.get("outcome_id") for c in (r.candidates or []) if isinstance(c, dict)]
        cands = tuple(outcome_item(o) for i in ids if i and (o := session.get(Outcome, i)) is not None)
        evidence = "report" if line.outcome else ("progress" if "进度填报" in (r.reason or "") else "none")
        out.append(
            ReviewResult(
                item,
                outcome_item(line.outcome) if line.outcome else None,
                r.verdict,  # type: ignore[arg-type]
                r.ratio,
                r.reason,
                cands,
                0.0,
                evidence,  # type: ignore[arg-type]
            )
        )
    return out
