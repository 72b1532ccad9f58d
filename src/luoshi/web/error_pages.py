"""No 500 and no English for bad input: ids out of range, odd filters, unreadable requests.

- :func:`valid_ids` (an app-wide dependency) refuses, before any route runs, a path id or an
  integer query parameter outside the database's 64-bit range (``/targets/9223372036854775808``
  was an OverflowError on SQLite and a DataError on PostgreSQL: a 500 on about 20 routes).
- :func:`install` turns request validation errors (422), out-of-range values that still reach
  the database, and any unexpected error (500) into Chinese pages in the site's layout for
  browsers and JSON ``{"detail": "…"}`` for the API, never a traceback.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import DataError

from luoshi.errors import InputError, NotFoundError

__all__ = ["install", "valid_ids", "validation_message"]

log = logging.getLogger(__name__)
_MAX = 2**63 - 1
_FIELD_NAMES = {
    "report": "报告",
    "area": "领域",
    "department": "单位",
    "status": "状态",
    "limit": "条数",
    "offset": "起始位置",
    "page": "页码",
    "year": "年份",
    "period": "填报日期",
    "value": "本期完成值",
    "target_id": "目标编号",
    "update_id": "进展编号",
    "milestone_id": "节点编号",
    "project_id": "项目编号",
    "user_id": "用户编号",
    "q": "搜索词",
    "narrative": "进展说明",
    "decision": "复核结论",
}
_KINDS = {
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "missing": "必须填写",
    "greater_than_equal": "太小",
    "less_than_equal": "太大",
    "string_too_long": "太长",
    "bool_parsing": "应为 是/否",
    "list_type": "应为列表",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "格式不正确",
    "dict_type": "格式不正确",
}


def _integer(text: str) -> int | None:
    body = text[1:] if text.startswith("-") else text
    return int(text) if body.isdigit() and len(body) < 40 else None


async def valid_ids(request: Request) -> None:
    """Refuse path ids and integer query parameters that no row can have (beyond 64 bits)."""
    for raw in request.path_params.values():
        value = _integer(str(raw))
        if (value is not None and abs(value) > _MAX) or (str(raw).isdigit() and value is None):
            raise NotFoundError(f"没有编号为 {raw} 的记录（编号超出范围）")
    for name, raw in request.query_params.multi_items():
        value = _integer(raw.strip())
        if (value is not None and abs(value) > _MAX) or (raw.strip().isdigit() and value is None):
            label = _FIELD_NAMES.get(name, name)
            raise InputError(f"参数“{label}”的值 {raw} 超出范围")


def validation_message(exc: RequestValidationError) -> str:
    """The problems of a request in Chinese: “参数“报告”应为整数（收到 abc）”."""
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path", "form")]
        name = (
            "".join(_FIELD_NAMES.get(x, x) if not x.isdigit() else f"第{int(x) + 1}项" for x in loc[-2:])
            or "请求"
        )
        what = _KINDS.get(str(err.get("type", "")), "格式不正确")
        given = err.get("input")
        shown = f"（收到 {given}）" if isinstance(given, str | int | float) and len(str(given)) <= 40 else ""
        parts.append(f"“{name}”{what}{shown}")
    return "请求有误：" + "；".join(parts or ["格式不正确"])


def install(app: FastAPI) -> None:
    """Chinese 422/400/500 answers (HTML for browsers, JSON for the API)."""
    from luoshi.web.security import _error

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, "输入有误", validation_message(exc))

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> Response:
        return _error(request, 400, "输入有误", "数值超出范围，请检查输入。")

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> Response:
        return _error(request, 400, "输入有误", "数值或文字超出数据库允许的范围，请检查输入。")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(request, 500, "系统出错了", "服务器处理请求时出错，已记录。请稍后重试，或联系管理员。")
