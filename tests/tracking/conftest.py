"""Fixtures of the tracking tests: an upgraded store on ``db_url`` (tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def store(db_url: str):  # noqa: ANN201
    """An upgraded store on the fresh database."""
    from luoshi.settings import Settings
    from luoshi.store import open_store

    s = open_store(Settings(database_url=db_url, today="2024-09-30"))
    yield s
    s.dispose()


SAMPLE_TEXT = (
    "一、2023年工作回顾\n地区生产总值增长6.1%，新增城镇就业1.2万人。\n"
    "二、2024年主要预期目标\n地区生产总值增长6%以上，新建5G基站300座以上，城镇调查失业率控制在5.5%以内。\n"
    "三、重点工作\n策划实施222个重点项目，其中工业项目23个，年度计划投资312.4亿元以上。建设智慧城市项目。\n"
)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _sentence(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    s = max(text.rfind("\n", 0, start), text.rfind("。", 0, start)) + 1
    e = text.index("。", start) + 1
    return s, e


def make_plan(text: str = SAMPLE_TEXT):  # noqa: ANN201
    """A Plan built by hand (as the extractor would), so these tests do not depend on its rules."""
    import hashlib

    from luoshi.extraction.model import DocumentInfo, Item, Plan, Project, ProjectCount, Section

    heads = ["一、2023年工作回顾", "二、2024年主要预期目标", "三、重点工作"]
    starts = [text.index(h) for h in heads] + [len(text)]
    sections = [
        Section(h, (starts[i], starts[i + 1]), "review" if i == 0 else "plan") for i, h in enumerate(heads)
    ]

    def item(
        role: str,
        surface: str,
        value: float,
        unit: str,
        comparator: str,
        indicator: str,
        section: int,
        direction: str | None = None,
    ) -> Item:
        return Item(
            role=role,
            span=_span(text, surface),
            surface=surface,
            value=value,
            unit=unit,  # type: ignore[arg-type]
            comparator=comparator,
            indicator=indicator,
            sentence=_sentence(text, surface),  # type: ignore[arg-type]
            section=section,
            direction=direction,
        )  # type: ignore[arg-type]

    return Plan(
        document=DocumentInfo(source=None, sha256=hashlib.sha256(text.encode()).hexdigest()),
        text=text,
        sections=sections,
        outcomes=[
            item("outcome", "增长6.1%", 6.1, "%", "=", "地区生产总值", 0, "up"),
            item("outcome", "新增城镇就业1.2万人", 12000, "人", "=", "城镇新增就业", 0),
        ],
        targets=[
            item("target", "增长6%以上", 6, "%", ">=", "地区生产总值", 1, "up"),
            item("target", "新建5G基站300座以上", 300, "座", ">=", "5G基站", 1),
            item("target", "控制在5.5%以内", 5.5, "%", "<=", "城镇调查失业率", 1),
        ],
        projects=[Project("智慧城市项目", _span(text, "智慧城市项目"), "城建", 2.0e8)],
        project_counts=[
            ProjectCount("重点项目", 222, _span(text, "222个重点项目"), 312.4e8),
            ProjectCount("工业项目", 23, _span(text, "工业项目23个")),
        ],
    )
