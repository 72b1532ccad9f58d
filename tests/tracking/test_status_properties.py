"""Properties of the status rule over many generated cases (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.tracking.status import STATUS_CODES, Reading, StatusInput, compute_status

RANK = {"far_behind": 0, "behind": 1, "on_pace": 2, "ahead": 3, "done": 4}
days = st.integers(min_value=1, max_value=364).map(lambda n: date(2024, 1, 1) + timedelta(days=n))


@settings(max_examples=300, deadline=None)
@given(
    today=days,
    low=st.floats(0, 500),
    extra=st.floats(0, 500),
    target=st.floats(1, 1000),
    kind=st.sampled_from(["count", "rate", "level"]),
    amber=st.floats(1, 20),
    red_extra=st.floats(0, 40),
)
def test_more_progress_is_never_a_worse_status(
    today: date, low: float, extra: float, target: float, kind: str, amber: float, red_extra: float
) -> None:
    def code(value: float) -> str:
        inp = StatusInput(
            kind=kind,
            target_value=target,
            readings=[Reading(today, value)],
            last_submitted=today,
            amber_gap=amber,
            red_gap=amber + red_extra,
        )
        result = compute_status(inp, today)
        assert result.code in STATUS_CODES
        return result.code

    worse, better = code(low), code(low + extra)
    if worse in RANK and better in RANK:
        assert RANK[better] >= RANK[worse], (worse, better)


@settings(max_examples=200, deadline=None)
@given(today=days, value=st.floats(0, 10), ceiling=st.floats(0.5, 10))
def test_within_a_ceiling_is_never_behind(today: date, value: float, ceiling: float) -> None:
    inp = StatusInput(
        kind="level",
        comparator="<=",
        target_value=ceiling,
        readings=[Reading(today, value)],
        last_submitted=today,
    )
    code = compute_status(inp, today).code
    if value <= ceiling:
        assert code == "on_pace"
    else:
        assert code in ("on_pace", "behind", "far_behind")


@settings(max_examples=200, deadline=None)
@given(today=days)
def test_nothing_reported_is_no_report_or_overdue(today: date) -> None:
    code = compute_status(StatusInput(target_value=100, last_submitted=None), today).code
    assert code in ("no_report", "overdue")
    assert (code == "overdue") == (today > date(2024, 1, 28))  # late only PAST the due day
