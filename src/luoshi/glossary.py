"""Chinese domain words and their English identifiers, in one place.

Code uses the English names; the UI and exports show the Chinese ones.
"""

from __future__ import annotations

# term -> (English identifier, meaning)
TERMS: dict[str, tuple[str, str]] = {
    "政府工作报告": ("work_report", "government work report read to the people's congress"),
    "牵头单位": ("lead_department", "department that leads a task"),
    "责任单位": ("co_departments", "departments sharing responsibility for a task"),
    "任务分解表": ("task_breakdown_sheet", "Excel sheet assigning each task to departments"),
    "序时进度": ("time_progress", "time-proportional progress: share of the period elapsed"),
    "督查室": ("supervision_office", "office that supervises implementation"),
    "复核": ("review_check", "office's check of submitted progress"),
    "催办": ("chase", "reminder for an overdue report"),
    "批示": ("instruction", "leader's comment on a task"),
    "完成时限": ("deadline", "deadline of a task"),
    "最新进展": ("latest_progress", "latest progress narrative"),
    "工作任务": ("task", "work task"),
    "目标值": ("target_value", "target value"),
    "领域": ("area", "area (a report section)"),
    "状态": ("status", "status"),
    "重点项目": ("key_project", "key project"),
    "投资完成率": ("investment_completion_rate", "share of planned investment completed"),
    "主要预期目标": ("main_targets", "main expected targets of the year"),
    "回顾": ("review", "review of last year's work"),
}

# Status vocabulary used by offices (see luoshi.tracking.status).
STATUS_LABELS: dict[str, str] = {
    "done": "已完成",
    "ahead": "超进度",
    "on_pace": "达进度",
    "behind": "欠进度",
    "far_behind": "严重滞后",
    "overdue": "逾期",
    "no_report": "未填报",
}

# Traffic-light colours of the statuses (红黄绿灯): web pages and the 通报's charts alike.
STATUS_COLOURS: dict[str, str] = {
    "done": "#1b7f3b",
    "ahead": "#2e9d57",
    "on_pace": "#7cc48a",
    "behind": "#e3a21a",
    "far_behind": "#d0392b",
    "overdue": "#8e1b12",
    "no_report": "#a0a7b0",
}

# Year-end review verdicts (see luoshi.review.verdicts).
VERDICT_LABELS: dict[str, str] = {
    "met": "已完成",
    "exceeded": "超额完成",
    "partly_met": "部分完成",
    "not_met": "未完成",
    "no_outcome": "未报告",
    "ambiguous": "待确认",
}
# A target the year-end review has not judged yet (no run, or added since): never 未报告.
NOT_EVALUATED = "not_evaluated"
NOT_EVALUATED_LABEL = "未评估"

ROLE_LABELS: dict[str, str] = {
    "admin": "管理员",
    "leader": "领导",
    "reporter": "填报员",
    "viewer": "查看者",
}

# A target's kind (luoshi.tracking.kinds.KINDS) as pages say it; the edit form's choices read the same.
KIND_LABELS: dict[str, str] = {
    "count": "累计数量",
    "rate": "增长率",
    "level": "水平",
    "binary": "是否完成",
    "milestone": "节点",
}

# What the extractor judged an item to be (luoshi.extraction: target / outcome), as the 审核 queue says it.
ITEM_ROLE_LABELS: dict[str, str] = {
    "target": "目标",
    "outcome": "成绩",
}
