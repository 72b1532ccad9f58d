"""The status rule, case by case (see luoshi.tracking.status's docstring)."""

from __future__ import annotations

from datetime import date

import pytest

from luoshi.tracking.status import MilestoneState, Reading, StatusInput, compute_status, time_progress

SEP30 = date(2024, 9, 30)  # 序时进度 ≈ 74.7%
JUN30 = date(2024, 6, 30)


def status(today: date = SEP30, **kw: object) -> str:
    kw.setdefault("last_submitted", today)
    return compute_status(StatusInput(**kw), today).code  # type: ignore[arg-type]


def count(value: float, target: float = 300, **kw: object) -> str:
    return status(kind="count", target_value=target, readings=[Reading(date(2024, 9, 25), value)], **kw)


def test_time_progress() -> None:
    assert time_progress(date(2024, 1, 1), date(2024, 1, 1), date(2024, 12, 31)) == 0
    assert time_progress(date(2025, 3, 1), date(2024, 1, 1), date(2024, 12, 31)) == 100
    assert time_progress(JUN30, date(2024, 1, 1), date(2024, 12, 31)) == pytest.approx(181 / 365 * 100)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (300, "done"),  # target reached before the deadline
        (320, "done"),
        (260, "ahead"),  # 86.7% vs 74.7%: 12 points ahead
        (230, "on_pace"),  # 76.7%: level with 序时进度
        (200, "on_pace"),  # 66.7%: 8 points behind, inside the amber gap
        (190, "behind"),  # 63.3%: 11.4 points behind
        (140, "behind"),  # 46.7%: 28 points behind
        (100, "far_behind"),  # 33.3%: 41 points behind
    ],
)
def test_cumulative_count(value: float, expected: str) -> None:
    assert count(value) == expected


def test_thresholds_are_configurable_per_target() -> None:
    assert count(190) == "behind"
    assert count(190, amber_gap=15) == "on_pace"
    assert count(140, red_gap=20) == "far_behind"


def test_baseline_counts_progress_from_the_baseline() -> None:
    # 充电桩保有量 from 2000 to 3000: 2700 means 70% of the way, level with 序时进度.
    assert count(2700, target=3000, baseline=2000) == "on_pace"
    assert count(2300, target=3000, baseline=2000) == "far_behind"


def test_no_report_yet_before_the_first_report_is_due() -> None:
    assert status(today=date(2024, 1, 20), kind="count", target_value=300, last_submitted=None) == "no_report"


def test_missing_report_past_due_day_is_overdue() -> None:
    # Monthly, due on the 28th: on 30 September the September report is due.
    r = compute_status(
        StatusInput(
            kind="count",
            target_value=300,
            readings=[Reading(date(2024, 8, 25), 230)],
            last_submitted=date(2024, 8, 25),
        ),
        SEP30,
    )
    assert r.code == "overdue" and r.report_overdue and r.report_due == date(2024, 9, 28)
    # On the 20th it is not due yet: the August report is enough.
    r = compute_status(
        StatusInput(
            kind="count",
            target_value=300,
            readings=[Reading(date(2024, 8, 25), 200)],
            last_submitted=date(2024, 8, 25),
        ),
        date(2024, 9, 20),
    )
    assert r.code == "on_pace" and not r.report_overdue


def test_on_its_due_day_a_report_is_due_not_yet_missing() -> None:
    # "missing past its due date": due on 28 June, it is late from 29 June, not on the 28th itself
    inp = StatusInput(
        kind="count",
        target_value=300,
        readings=[Reading(date(2024, 5, 25), 200)],
        last_submitted=date(2024, 5, 25),
    )
    on_the_day = compute_status(inp, date(2024, 6, 28))
    assert not on_the_day.report_overdue and on_the_day.code != "overdue"
    assert on_the_day.report_due == date(2024, 5, 28)  # the latest due date that has passed
    after = compute_status(inp, date(2024, 6, 29))
    assert after.report_overdue and after.code == "overdue" and after.report_due == date(2024, 6, 28)


def test_submitted_but_unchecked_report_is_not_missing_but_does_not_count() -> None:
    r = compute_status(
        StatusInput(kind="count", target_value=300, readings=[], last_submitted=date(2024, 9, 25)), SEP30
    )
    assert r.code == "no_report"


def test_quarterly_and_yearly_cadence() -> None:
    reading = [Reading(date(2024, 6, 25), 230)]
    assert (
        status(
            kind="count",
            target_value=300,
            readings=reading,
            last_submitted=date(2024, 6, 25),
            cadence="quarterly",
            today=date(2024, 9, 20),
        )
        == "on_pace"
    )
    assert (
        status(
            kind="count",
            target_value=300,
            readings=reading,
            last_submitted=date(2024, 6, 25),
            cadence="quarterly",
        )
        == "overdue"
    )
    assert (
        status(kind="count", target_value=300, readings=[], last_submitted=None, cadence="yearly")
        == "no_report"
    )


def test_deadline_passed_and_not_done_is_overdue() -> None:
    assert count(250, deadline=JUN30) == "overdue"
    assert count(300, deadline=JUN30) == "done"


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (6.0, "on_pace"),
        (7.0, "ahead"),
        (5.6, "on_pace"),
        (5.0, "behind"),
        (3.0, "far_behind"),
        (-1.0, "far_behind"),
    ],
)
def test_growth_rate_compares_latest_rate_with_target_rate(rate: float, expected: str) -> None:
    assert status(kind="rate", target_value=6.0, readings=[Reading(date(2024, 9, 25), rate)]) == expected


def test_growth_rate_is_done_only_with_the_full_year_figure() -> None:
    early = [Reading(date(2024, 9, 25), 6.5)]
    assert status(kind="rate", target_value=6.0, readings=early) == "on_pace"
    full = [*early, Reading(date(2024, 12, 31), 6.1)]
    assert status(today=date(2025, 1, 20), kind="rate", target_value=6.0, readings=full) == "done"
    low = [*early, Reading(date(2024, 12, 31), 5.0)]
    assert status(today=date(2025, 1, 20), kind="rate", target_value=6.0, readings=low) == "overdue"


def test_only_the_latest_reading_counts() -> None:
    readings = [Reading(date(2024, 9, 25), 100), Reading(date(2024, 8, 25), 290)]
    assert status(kind="count", target_value=300, readings=readings) == "far_behind"


def test_level_with_and_without_baseline() -> None:
    # 完成率达到80% with no baseline: compared with 100, not with 序时进度.
    assert status(kind="level", target_value=80, readings=[Reading(date(2024, 9, 25), 78)]) == "on_pace"
    assert status(kind="level", target_value=80, readings=[Reading(date(2024, 9, 25), 60)]) == "behind"
    assert status(kind="level", target_value=80, readings=[Reading(date(2024, 9, 25), 80)]) == "done"
    # 城镇化率 63 -> 65: 64.5 is 75% of the way, level with 序时进度.
    assert (
        status(kind="level", target_value=65, baseline=63, readings=[Reading(date(2024, 9, 25), 64.5)])
        == "on_pace"
    )


@pytest.mark.parametrize(
    ("value", "expected"), [(5.0, "on_pace"), (5.5, "on_pace"), (6.2, "behind"), (8.0, "far_behind")]
)
def test_ceiling_targets(value: float, expected: str) -> None:
    # 城镇调查失业率控制在5.5%以内
    assert (
        status(kind="level", comparator="<=", target_value=5.5, readings=[Reading(date(2024, 9, 25), value)])
        == expected
    )


def test_ceiling_is_done_after_the_deadline_when_kept() -> None:
    readings = [Reading(date(2024, 12, 31), 5.2)]
    assert (
        status(today=date(2025, 1, 20), kind="level", comparator="<=", target_value=5.5, readings=readings)
        == "done"
    )


def test_down_rate_reported_as_size_of_the_fall() -> None:
    # 单位GDP能耗下降3%: a fall of 3.2% so far is on pace, 1.5% far behind.
    assert (
        status(kind="rate", direction="down", target_value=3.0, readings=[Reading(date(2024, 9, 25), 3.2)])
        == "on_pace"
    )
    assert (
        status(kind="rate", direction="down", target_value=3.0, readings=[Reading(date(2024, 9, 25), 1.5)])
        == "far_behind"
    )


def test_down_level_with_baseline() -> None:
    # PM2.5 from 50 down to 40: 42.5 is 75% of the way.
    kw = {"kind": "level", "direction": "down", "target_value": 40.0, "baseline": 50.0}
    assert status(readings=[Reading(date(2024, 9, 25), 42.5)], **kw) == "on_pace"
    assert status(readings=[Reading(date(2024, 9, 25), 48)], **kw) == "far_behind"
    assert status(readings=[Reading(date(2024, 9, 25), 39)], **kw) == "done"


def test_milestones_against_their_due_dates() -> None:
    ms = [
        MilestoneState(date(2024, 3, 31), date(2024, 3, 20)),
        MilestoneState(date(2024, 6, 30), date(2024, 7, 5)),
        MilestoneState(date(2024, 9, 15), None),
        MilestoneState(date(2024, 12, 31), None),
    ]
    r = compute_status(StatusInput(kind="milestone", milestones=ms, last_submitted=SEP30), SEP30)
    assert r.code == "behind" and r.achieved == 50 and r.yardstick == 75  # 25 points behind: amber
    done_all = [MilestoneState(m.due, date(2024, 9, 1)) for m in ms]
    assert status(kind="milestone", milestones=done_all) == "done"
    on_time = [*ms[:2], MilestoneState(date(2024, 9, 15), date(2024, 9, 10)), ms[3]]
    assert status(kind="milestone", milestones=on_time) == "on_pace"


def test_binary_target() -> None:
    assert status(kind="binary", target_value=None, readings=[Reading(date(2024, 9, 25), 1)]) == "done"
    assert (
        status(kind="binary", target_value=None, readings=[], last_submitted=date(2024, 9, 25)) == "no_report"
    )


def test_future_dated_readings_are_ignored() -> None:
    assert status(kind="count", target_value=300, readings=[Reading(date(2024, 11, 25), 300)]) == "no_report"


def test_labels() -> None:
    r = compute_status(
        StatusInput(
            kind="count", target_value=300, readings=[Reading(date(2024, 9, 25), 100)], last_submitted=SEP30
        ),
        SEP30,
    )
    assert r.label == "严重滞后" and "落后" in r.reason
