"""The audit log read as Chinese sentences ("张三 于 2024-07-10 09:30 将「新建5G基站」的牵头单位改为
区工信局"); the raw record stays one click away on the page (``<details>``).

    describe_rows(db, rows) -> list[str]   # one sentence per AuditLog row, in order
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from luoshi.glossary import STATUS_LABELS
from luoshi.store.audit_export import audit_subjects
from luoshi.store.models import AuditLog

__all__ = ["describe", "describe_rows"]

FIELD_LABELS = {
    "title": "工作任务",
    "indicator": "指标",
    "baseline": "基数",
    "target_value": "目标值",
    "value_max": "目标上限",
    "unit": "单位",
    "comparator": "比较方式",
    "direction": "方向",
    "kind": "类型",
    "deadline": "完成时限",
    "aspirational": "是否预期性",
    "public": "是否公开",
    "area_id": "领域",
    "cadence": "填报周期",
    "due_day": "报送日",
    "amber_gap": "黄灯阈值",
    "red_gap": "红灯阈值",
    "review_state": "审核状态",
    "lead_department_id": "牵头单位",
    "co_department_ids": "责任单位",
    "merged_into_id": "合并到",
}
ACTION_LABELS = {
    "create": "新建了",
    "edit": "修改了",
    "accept": "采纳了",
    "reject": "驳回了",
    "merge": "合并了",
    "split": "拆分了",
    "import": "导入了",
    "comment": "批示了",
    "delete": "删除了",
    "login": "登录",
    "logout": "退出",
}
OBJECT_LABELS = {
    "target": "目标",
    "report": "报告",
    "department": "单位",
    "progress_update": "进展",
    "milestone": "节点",
    "user": "用户",
    "api_token": "令牌",
    "review_result": "评估结果",
    "key_project": "重点项目",
}
STATE_LABELS = {"proposed": "待审核", "accepted": "已采纳", "rejected": "已驳回", "merged": "已合并"}
COMPARATOR_WORDS = {">=": "不低于", "<=": "不超过", "~": "左右", "=": "等于", "range": "区间"}


def _shown(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "comparator":
        return COMPARATOR_WORDS.get(str(value), str(value))
    if key == "review_state":
        return STATE_LABELS.get(str(value), str(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _changes(before: dict[str, Any], after: dict[str, Any]) -> str:
    parts = []
    for key, new in after.items():
        old = before.get(key)
        if old != new:
            parts.append(f"{FIELD_LABELS.get(key, key)}由 {_shown(key, old)} 改为 {_shown(key, new)}")
    return "，".join(parts)


def describe(row: AuditLog, names: dict[int, str]) -> str:
    """One sentence for one audit row; ``names`` maps target ids to their titles."""
    who = row.actor_name or "系统"
    when = row.at.strftime("%Y-%m-%d %H:%M") if row.at else ""
    before = row.before if isinstance(row.before, dict) else {}
    after = row.after if isinstance(row.after, dict) else {}
    head = f"{who} 于 {when} "
    oid = row.object_id
    target_id = int(oid) if row.object_type == "target" and oid is not None and oid.isdigit() else None
    if row.object_type == "progress_update" and after.get("target_id") is not None:
        target_id = int(after["target_id"])
    name = f"「{names.get(target_id, f'目标{target_id}')}」" if target_id is not None else ""
    action = row.action
    if action == "assign":
        parts = []
        if before.get("lead") != after.get("lead"):
            parts.append(f"牵头单位改为 {after.get('lead') or '未分配'}")
        if before.get("co") != after.get("co"):
            parts.append(f"责任单位改为 {_shown('co', after.get('co'))}")
        return head + f"将{name}的" + "，".join(parts or ["分工保持不变"])
    if action == "edit" and row.object_type == "target":
        return head + f"将{name}的" + (_changes(before, after) or "内容保存（无变化）")
    if action == "override_status":
        code = after.get("status_override")
        if not code:
            return head + f"取消了{name}的人工认定状态"
        note = f"（理由：{after['note']}）" if after.get("note") else ""
        return head + f"将{name}的状态人工认定为 {STATUS_LABELS.get(code, code)}{note}"
    if action == "add" and row.object_type == "progress_update":
        value = "" if after.get("value") is None else f"，数值 {_shown('value', after.get('value'))}"
        return head + f"为{name}填报了 {after.get('period', '')} 的进展（第 {row.object_id} 号）{value}"
    if action == "correct":
        value = "" if after.get("value") is None else f"，新数值 {_shown('value', after.get('value'))}"
        return (
            head
            + f"更正了{name}的第 {before.get('update_id', '')} 号进展（新版本第 {row.object_id} 号）{value}"
        )
    if action in ("accepted", "returned"):
        verb = "复核通过了" if action == "accepted" else "退回了"
        comment = f"：{after['comment']}" if after.get("comment") else ""
        return head + f"{verb}第 {row.object_id} 号进展{comment}"
    if action == "merge" and row.object_type == "target" and after.get("merged_into_id") is not None:
        into = int(after["merged_into_id"])
        kept = after.get("figure_kept_from")
        whose = "" if kept is None else f"，保留{'本目标' if kept == target_id else f'目标{kept}'}的目标值"
        return head + f"将目标{name}合并到目标{into}{whose}"
    what = OBJECT_LABELS.get(row.object_type, row.object_type)
    label = name or f"{what} {row.object_id or ''}".strip()
    if name:
        label = f"{what}{name}"
    return head + f"{ACTION_LABELS.get(action, action)}{label}"


def describe_rows(db: Session, rows: Sequence[AuditLog]) -> list[str]:
    """Sentences for a page of audit rows (the targets they name read by the store in one go)."""
    subjects = audit_subjects(db, rows)
    names = {tid: (title.strip() or f"目标{tid}")[:40] for tid, title in subjects.titles.items()}
    out = []
    for r in rows:
        sentence = describe(r, names)
        if r.object_type == "progress_update" and not (
            isinstance(r.after, dict) and r.after.get("target_id")
        ):
            oid = r.object_id or ""
            tid = subjects.target_of_update.get(int(oid)) if oid.isdigit() else None
            if tid is not None:
                sentence = sentence.replace("第", f"「{names.get(tid, f'目标{tid}')}」的第", 1)
        out.append(sentence)
    return out
