"""Fixtures of the review tests: two consecutive hand-made reports in a real SQLite store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from luoshi.extraction.model import DocumentInfo, Item, Plan, Section
from luoshi.settings import Settings

TEXT_2023 = (
    "2023年主要预期目标：地区生产总值增长6%左右；城镇新增就业1.2万人以上；"
    "单位GDP能耗下降2.5%左右；新建5G基站500个；城镇登记失业率4.5%以内。"
)
TEXT_2024 = (
    "2023年工作回顾：全区经济增长6.2%；新增城镇就业1.35万人；单位地区生产总值能耗降低3.6%；建成5G基站420个。"
)


def _item(
    text: str,
    role: str,
    figure: str,
    value: float,
    unit: str,
    cmp: str,
    ind: str,
    direction: str | None = None,
    nth: int = 1,
) -> Item:
    pos = -1
    for _ in range(nth):
        pos = text.index(figure, pos + 1)
    start = max(text.rfind("；", 0, pos), text.rfind("：", 0, pos)) + 1
    end = text.find("；", pos)
    end = len(text) if end < 0 else end + 1
    return Item(
        role=role,
        span=(pos, pos + len(figure)),
        surface=figure,
        value=value,
        unit=unit,  # type: ignore[arg-type]
        comparator=cmp,
        indicator=ind,
        sentence=(start, end),
        direction=direction,
        section=0,
    )  # type: ignore[arg-type]


def plan_2023() -> Plan:
    t = TEXT_2023
    targets = [
        _item(t, "target", "6%", 6, "%", "~", "地区生产总值增长", "up"),
        _item(t, "target", "1.2万人", 12000, "人", ">=", "城镇新增就业"),
        _item(t, "target", "2.5%", 2.5, "%", "~", "单位GDP能耗下降", "down"),
        _item(t, "target", "500个", 500, "个", "=", "新建5G基站"),
        _item(t, "target", "4.5%", 4.5, "%", "<=", "城镇登记失业率"),
    ]
    doc = DocumentInfo(source="demo-2023.txt", sha256=hashlib.sha256(t.encode()).hexdigest())
    return Plan(
        document=doc, text=t, sections=[Section("主要预期目标", (0, len(t)), "plan")], targets=targets
    )


def plan_2024() -> Plan:
    t = TEXT_2024
    outcomes = [
        _item(t, "outcome", "6.2%", 6.2, "%", "=", "经济增长", "up"),
        _item(t, "outcome", "1.35万人", 13500, "人", "=", "新增城镇就业"),
        _item(t, "outcome", "3.6%", 3.6, "%", "=", "单位地区生产总值能耗降低", "down"),
        _item(t, "outcome", "420个", 420, "个", "=", "建成5G基站"),
    ]
    doc = DocumentInfo(source="demo-2024.txt", sha256=hashlib.sha256(t.encode()).hexdigest())
    return Plan(
        document=doc, text=t, sections=[Section("工作回顾", (0, len(t)), "review")], outcomes=outcomes
    )


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[object]:
    from luoshi.store import open_store

    s = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'review.db'}"))
    yield s
    s.dispose()


@pytest.fixture()
def two_reports(store: object) -> tuple[int, int]:
    from luoshi.tracking.importer import import_plan

    with store.session() as session:  # type: ignore[attr-defined]
        a = import_plan(session, plan_2023(), "示例区", 2023, actor="test").report.id
        b = import_plan(session, plan_2024(), "示例区", 2024, actor="test").report.id
    return a, b
