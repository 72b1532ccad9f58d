"""Year-end review (年终评估): judge year Y's targets on the outcomes reported in year Y+1's report.

Modules, each named by what it does:

- ``matching``   pair each target with the outcome that reports on it (pure)
- ``lexicon``    the word lists the matcher reads (synonyms, direction and filler words, units)
- ``verdicts``   the verdict rules: met / exceeded / partly_met / not_met / no_outcome / ambiguous (pure)
- ``sides``      the two sides of ``luoshi review``: a report file or a stored report
- ``store``      the stored review: run it, confirm or override a result (audited), the scorecard
- ``queries``    what the scorecard pages ask (reports listed, verdict counts, trend of an indicator)
- ``publish``    审定后发布: a scorecard is a draft until an admin publishes it
- ``export``     scorecard as JSON, CSV, xlsx or a terminal table
- ``evaluation`` score the review against hand-labelled pairs (``python -m luoshi.review.evaluation``)

Data flows one way: the review reads tracking (a target's current reading, the report look-up)
and the store; tracking never imports this package. The names below are loaded on first use,
so ``from luoshi.review.matching import simplified`` (the corpus) does not load the database layer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from luoshi.review.evaluation import evaluate
    from luoshi.review.export import flat_rows, to_csv, to_json, to_table, write_xlsx
    from luoshi.review.matching import MatchConfig, indicator_similarity, match_items, simplified
    from luoshi.review.publish import is_published, publish_scorecard, published_ids, unpublish_scorecard
    from luoshi.review.queries import (
        find_jurisdiction,
        has_public_targets,
        indicator_trend,
        scorecard_reports,
        share_met,
        verdict_counts_by_report,
    )
    from luoshi.review.sides import ReviewSide, report_file, review_sides, side_of_file, side_of_report
    from luoshi.review.store import (
        ReviewYearError,
        ScoreRow,
        check_review_years,
        confirm_result,
        next_report,
        override_result,
        report_of_ref,
        report_outcomes,
        result_with_target,
        review_rows,
        run_stored_review,
        stored_results,
    )
    from luoshi.review.verdicts import VERDICTS, ReviewConfig, ReviewResult, judge, review_items, review_plans

__all__ = [
    "MatchConfig",
    "ReviewConfig",
    "ReviewResult",
    "ReviewSide",
    "ReviewYearError",
    "ScoreRow",
    "VERDICTS",
    "check_review_years",
    "confirm_result",
    "evaluate",
    "find_jurisdiction",
    "flat_rows",
    "has_public_targets",
    "indicator_similarity",
    "indicator_trend",
    "is_published",
    "judge",
    "match_items",
    "next_report",
    "override_result",
    "publish_scorecard",
    "published_ids",
    "report_file",
    "report_of_ref",
    "report_outcomes",
    "result_with_target",
    "review_items",
    "review_plans",
    "review_rows",
    "review_sides",
    "run_stored_review",
    "scorecard_reports",
    "share_met",
    "side_of_file",
    "side_of_report",
    "simplified",
    "stored_results",
    "to_csv",
    "to_json",
    "to_table",
    "unpublish_scorecard",
    "verdict_counts_by_report",
    "write_xlsx",
]

# Where a public name is defined, searched in this order on first use (the package only re-exports).
_MODULES = ("verdicts", "matching", "store", "sides", "queries", "publish", "export", "evaluation")


def __getattr__(name: str) -> Any:
    if name in __all__:
        for module_name in _MODULES:
            module = import_module(f"luoshi.review.{module_name}")
            if name in getattr(module, "__all__", ()):
                value = getattr(module, name)
                globals()[name] = value  # cached: the next access is a plain attribute
                return value
    raise AttributeError(f"module 'luoshi.review' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
