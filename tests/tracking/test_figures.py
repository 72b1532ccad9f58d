"""The one figure parser and formatter (issue 9: '280万' was stored as 280, '1361万' refused,
exports showed '≥1.1e+07人' and '2.8908e+10元')."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from luoshi.errors import InputError
from luoshi.tracking.figures import format_compact, format_value, parse_figure


@pytest.mark.parametrize(
    ("raw", "unit", "meant"),
    [
        ("280万", "人", 2_800_000),
        ("1.2亿", "元", 120_000_000),
        ("1.2亿", "亿元", 1.2),
        ("9000万元", "亿元", 0.9),
        ("3,000", "个", 3000),
        ("1361万元", "元", 13_610_000),
        ("1361万", "元", 13_610_000),
        ("１３６１万", "元", 13_610_000),
        ("３，０００个", "个", 3000),
        ("二百八十万", "人", 2_800_000),
        ("5.2%", "%", 5.2),
        ("120座", "座", 120),
        ("280", "万人", 280),
        ("280万人", "万人", 280),
        ("-2.5", "%", -2.5),
        (" 42 ", "", 42),
        (12.5, "座", 12.5),
    ],
)
def test_typed_figures_are_stored_as_the_number_meant(raw, unit, meant) -> None:  # noqa: ANN001
    assert parse_figure(raw, "本期完成值", unit) == pytest.approx(meant)


@pytest.mark.parametrize("raw", ["1e999", "Infinity", "-inf", "NaN", "nan", float("inf"), float("nan")])
def test_non_finite_values_are_refused_naming_the_field(raw) -> None:  # noqa: ANN001
    with pytest.raises(InputError, match="本期完成值须为有限的数字"):
        parse_figure(raw, "本期完成值", "座")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("lots", "本期完成值无法识别为数字"),
        ("12人", "单位“人”与目标的单位“座”不一致"),
        ("-3", "本期完成值不能为负数"),
        ("1.2.3", "无法识别"),
    ],
)
def test_other_bad_input_is_refused_in_chinese(raw, message) -> None:  # noqa: ANN001
    with pytest.raises(InputError, match=message):
        parse_figure(raw, "本期完成值", "座", allow_negative=False)


def test_empty_is_none() -> None:
    assert parse_figure("", "本期完成值", "座") is None
    assert parse_figure("  ", "本期完成值", "座") is None
    assert parse_figure(None, "本期完成值", "座") is None


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ((3.124e10, "元", ">="), "≥312.4亿元"),
        ((10000, "人", ">="), "≥1万人"),
        ((300, "座", ">="), "≥300座"),
        ((6, "%", "range", 6.5), "6%–6.5%"),
        ((5, "%", "~"), "5%左右"),
        ((1.1e7, "人", ">="), "≥1100万人"),
        ((2.8908e10, "元"), "289.08亿元"),
        ((5.5, "%", "<="), "≤5.5%"),
        ((3000, "个"), "3000个"),
        ((12345, "人"), "12345人"),
        ((1, "亿元", ">="), "≥1亿元"),
        ((None, "座"), "—"),
    ],
)
def test_values_are_shown_as_reports_write_them(args, shown) -> None:  # noqa: ANN001
    assert format_value(*args) == shown


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False))
def test_no_exponent_ever(value: float) -> None:
    for text in (format_value(value, "元"), format_value(value, "%"), format_compact(value)):
        assert "e+" not in text and "e-" not in text and "inf" not in text


@given(st.integers(min_value=0, max_value=10**12))
@example(100_000_001)  # was shown as 1亿元 (a float test of "two decimals")
def test_shown_value_reads_back_as_the_same_number(n: int) -> None:
    shown = format_value(float(n), "元")
    assert math.isclose(parse_figure(shown, "目标值", "元") or 0.0, n, rel_tol=1e-9, abs_tol=1e-6)


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("≥300座", (">=", 300, "座", None)),
        ("5%左右", ("~", 5, "%", None)),
        ("1.2万人以上", (">=", 12000, "人", None)),
        ("312.4亿元以上", (">=", 31_240_000_000, "元", None)),
        ("控制在5.5%以内", ("<=", 5.5, "%", None)),
        ("6%–6.5%", ("range", 6, "%", 6.5)),
        ("3000", (None, 3000, "", None)),
    ],
)
def test_target_figures_as_written(raw: str, parsed: tuple) -> None:  # type: ignore[type-arg]
    from luoshi.tracking.figures import parse_target_figure

    assert parse_target_figure(raw) == parsed


def test_decimal_scaling_has_no_float_noise() -> None:
    assert parse_figure("312.4亿", "目标值", "元") == 31_240_000_000
    assert parse_figure("0.7万", "本期完成值", "人") == 7000
