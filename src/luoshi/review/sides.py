"""The two sides of a year-end review (``luoshi review --targets … --outcomes …``): a report file
(extracted on the fly) or a stored report, each as its text, items and section headings; and the
review of one side's targets against the other's outcomes (pure, or saved when both are stored)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from luoshi.errors import InputError
from luoshi.extraction.model import Item
from luoshi.review.verdicts import ReviewConfig, ReviewResult, review_items, section_headings
from luoshi.store.audit import Actor

__all__ = ["ReviewSide", "report_file", "review_sides", "side_of_file", "side_of_report"]


@dataclass(frozen=True)
class ReviewSide:
    text: str
    targets: list[Item]
    outcomes: list[Item]
    year: int | None
    target_headings: list[str]
    outcome_headings: list[str]
    report_id: int | None = None  # a stored report
    target_ids: list[int] = field(default_factory=list)  # its stored targets, in the order of ``targets``


def report_file(ref: str) -> Path | None:
    """The file a REPORT argument names, or None when it names a stored report (``report:ID``, ``ID``,
    ``JURISDICTION/YEAR``). An existing file wins; a missing one with a report suffix is an error,
    not a stored-report name."""
    from luoshi.sources import SUPPORTED_SUFFIXES

    path = Path(ref)
    if path.is_file():
        return path
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        raise InputError(f"{ref}：文件不存在")
    return None


def side_of_file(path: Path) -> ReviewSide:
    """A report file, read and extracted (its year: the plan year it states, else the report's)."""
    from luoshi.reading import read_plan

    _read, plan = read_plan(path=path)
    return ReviewSide(
        text=plan.text,
        targets=list(plan.targets),
        outcomes=list(plan.outcomes),
        year=plan.document.plan_year or plan.document.report_year,
        target_headings=section_headings(plan, plan.targets),
        outcome_headings=section_headings(plan, plan.outcomes),
    )


def side_of_report(session: Session, ref: str) -> ReviewSide:
    """A stored report from ``report:ID``, ``ID`` or ``JURISDICTION/YEAR`` (its reviewed targets)."""
    from luoshi.review.store import (
        outcome_item,
        report_of_ref,
        report_outcomes,
        reviewed_targets,
        target_item,
    )

    report = report_of_ref(session, ref)
    outs = report_outcomes(session, report.id)
    targets = reviewed_targets(session, report.id)
    return ReviewSide(
        text=report.text,
        targets=[target_item(t) for t in targets],
        outcomes=[outcome_item(o) for o in outs],
        year=report.year,
        report_id=report.id,
        target_ids=[t.id for t in targets],
        target_headings=[t.area.heading if t.area else "" for t in targets],
        outcome_headings=[o.area.heading if o.area else "" for o in outs],
    )


def review_sides(
    targets: ReviewSide,
    outcomes: ReviewSide,
    *,
    config: ReviewConfig,
    session: Session | None = None,
    save: bool = False,
    actor: Actor = None,
) -> list[Any]:
    """Judge ``targets``' targets on ``outcomes``' outcomes (the years must be Y and Y+1).

    With ``save`` both sides must be stored reports: the results are saved (people's overrides
    kept) and the stored rows returned. Otherwise the review is computed; stored targets the next
    report is silent on are then judged on their accepted progress readings (``session`` given)."""
    from luoshi.review.store import (
        check_review_years,
        run_stored_review,
        stored_results,
        with_progress_evidence,
    )

    check_review_years(targets.year, outcomes.year)
    if save:
        if session is None or targets.report_id is None or outcomes.report_id is None:
            raise InputError("--save needs two stored reports (report:ID or JURISDICTION/YEAR), not files")
        run_stored_review(session, targets.report_id, outcomes.report_id, actor=actor, config=config)
        return list(stored_results(session, targets.report_id))
    results: list[ReviewResult] = review_items(
        targets.targets,
        outcomes.outcomes,
        target_text=targets.text,
        outcome_text=outcomes.text,
        config=config,
        target_headings=targets.target_headings,
        outcome_headings=outcomes.outcome_headings,
    )
    if session is not None and targets.target_ids:
        results = [
            with_progress_evidence(session, tid, r, targets.text, config)
            for tid, r in zip(targets.target_ids, results, strict=True)
        ]
    return results
