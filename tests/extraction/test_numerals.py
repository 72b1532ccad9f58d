"""Numeral parsing: Arabic, Chinese, multipliers, fractions (a table of cases)."""

from __future__ import annotations

import pytest

from luoshi.extraction.numerals import chinese_to_float, parse_number, split_multiplier

CASES = [
    ("12", 12.0),
    ("6.5", 6.5),
    ("6 . 5", 6.5),
    ("1,234", 1234.0),
    ("1,234.5", 1234.5),
    ("三", 3.0),
    ("两", 2.0),
    ("十五", 15.0),
    ("二十", 20.0),
    ("一百零五", 105.0),
    ("三千", 3000.0),
    ("九千三百", 9300.0),
    ("三千万", 30000000.0),
    ("一万亿", 1e12),
    ("万亿", 1e12),  # "超过万亿元": the leading 一 is implied
    ("千亿", 1e11),
    ("亿", 1e8),
    ("二〇二四", 2024.0),
]


@pytest.mark.parametrize(("token", "expected"), CASES)
def test_parse_number(token: str, expected: float) -> None:
    assert parse_number(token) == pytest.approx(expected)


@pytest.mark.parametrize("token", ["", "abc", "加强", "万众"])
def test_not_a_number(token: str) -> None:
    assert parse_number(token) is None


def test_chinese_to_float_rejects_mixed() -> None:
    assert chinese_to_float("三个") is None


@pytest.mark.parametrize(
    ("token", "expected"),
    [("三千万", ("三千", 1e4)), ("五亿", ("五", 1e8)), ("两万亿", ("两", 1e12)), ("三千", ("三千", 1.0))],
)
def test_split_multiplier(token: str, expected: tuple[str, float]) -> None:
    assert split_multiplier(token) == expected


@pytest.mark.parametrize(
    ("unit", "canonical"),
    [
        ("個", "个"),
        ("％", "%"),
        ("百分點", "百分点"),
        ("個百分點", "百分点"),
        ("公頃", "公顷"),
        ("人", "人"),
        ("", ""),
    ],
)
def test_canonical_unit(unit: str, canonical: str) -> None:
    from luoshi.extraction import canonical_unit

    assert canonical_unit(unit) == canonical


def test_written_numerals_read_like_cn2an() -> None:
    """Place-value reading of written numerals agrees with cn2an (which reads colloquial forms)."""
    import cn2an

    for n in [
        *range(0, 20001, 7),
        99999,
        100000,
        3_000_000,
        12_345_678,
        100_000_000,
        2 * 10**12,
        305_000_000,
    ]:
        written = cn2an.an2cn(n, "low")
        assert chinese_to_float(written) == n, written
    assert chinese_to_float("一万二") == 12000.0
    assert chinese_to_float("三千五") == 3500.0
    assert chinese_to_float("两千四百") == 2400.0
