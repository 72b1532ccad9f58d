"""Data of the demo: which department plausibly leads a target, by words in its indicator/title.

First matching rule gives the lead department (牵头单位), the next different match a co-department.
"""

from __future__ import annotations

__all__ = ["DEFAULT_DEPARTMENT", "DEPARTMENT_RULES", "departments_for"]

DEFAULT_DEPARTMENT = "区发改局"

DEPARTMENT_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("区人社局", ("就业", "创业", "社保", "人才", "技能")),
    ("区教体局", ("校园", "学校", "办学", "教育", "学位", "体育", "幼儿园")),
    ("区卫健局", ("医疗", "卫生", "健康", "医院", "医保", "诊所")),
    ("区民政局", ("养老", "长者", "救助", "社区", "婚姻", "慈善")),
    ("区科技局", ("科技", "创新", "高新技术", "研发", "瞪羚", "专精特新", "校城融合")),
    ("区工信局", ("工业", "技改", "制造", "5G", "数字经济", "规模以上", "企业", "产值", "充电桩")),
    ("区住建局", ("片区", "老旧小区", "棚户区", "物业", "住房", "建筑", "更新改造")),
    ("区城管局", ("绿地", "公园", "游园", "城市管理", "环卫", "垃圾", "市容")),
    ("区交通运输局", ("公路", "道路", "交通", "公交")),
    ("区文旅局", ("文化", "旅游", "节会", "打卡", "文旅")),
    ("区商务局", ("消费", "商贸", "外贸", "招商", "电商", "商业", "进出口")),
    ("区财政局", ("贷款", "上市", "挂牌", "金融", "融资", "财政")),
    ("区发改局", ("项目", "投资", "生产总值", "经济", "能耗")),
)


def departments_for(text: str) -> tuple[str, str | None]:
    """(lead, co-department or None) for a target's indicator and title."""
    matches: list[str] = []
    for name, words in DEPARTMENT_RULES:
        if any(w in text for w in words) and name not in matches:
            matches.append(name)
    if not matches:
        return DEFAULT_DEPARTMENT, None
    return matches[0], matches[1] if len(matches) > 1 else None
