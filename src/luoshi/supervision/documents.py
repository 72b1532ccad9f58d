"""Word documents (python-docx) of a 督办单 and of the monthly 通报; python-docx is imported here only.

order_docx(view) -> bytes
bulletin_docx(bulletin, charts) -> bytes       # charts: bulletin_charts(bulletin)
"""

from __future__ import annotations

import io
from typing import Any

from luoshi.supervision.bulletin import COUNTING_NOTE, Bulletin
from luoshi.supervision.orders import OrderView

__all__ = ["bulletin_docx", "order_docx"]

FONT = "仿宋"  # body text of official documents (公文); headings in 黑体
HEADING_FONT = "黑体"


def _document() -> Any:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return doc


def _run_font(run: Any, name: str, size: float | None = None, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def _title(doc: Any, text: str, size: float = 18) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run_font(p.add_run(text), HEADING_FONT, size, bold=True)


def _section(doc: Any, text: str) -> None:
    p = doc.add_paragraph()
    _run_font(p.add_run(text), HEADING_FONT, 14, bold=True)


def _table(doc: Any, header: list[str], rows: list[list[Any]]) -> Any:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _run_font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return table


def _bytes(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def order_docx(view: OrderView) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = _document()
    _title(doc, view.issuer, 14)
    _title(doc, "督  办  单", 22)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run(f"编号：{view.number}")
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in (
        ("编号", view.number),
        ("督办事项", view.matter),
        ("责任单位", view.department),
        ("办理时限", f"{view.time_limit.year}年{view.time_limit.month}月{view.time_limit.day}日前"),
        ("督办依据", view.basis),
        ("办理情况", view.state_label + (f"：{view.closed_note}" if view.closed_note else "")),
    ):
        cells = table.add_row().cells
        cells[0].text = ""
        _run_font(cells[0].paragraphs[0].add_run(label), HEADING_FONT, 12, bold=True)
        cells[1].text = value
    doc.add_paragraph()
    doc.add_paragraph("请责任单位按要求抓紧办理，并于办理时限内在落实系统中报送进展、说明情况。")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run(f"{view.issuer}\n{view.opened_on.year}年{view.opened_on.month}月{view.opened_on.day}日")
    return _bytes(doc)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def bulletin_docx(bulletin: Bulletin, charts: dict[str, bytes]) -> bytes:
    from docx.shared import Cm

    rec = bulletin.record
    doc = _document()
    _title(doc, bulletin.heading, 16)
    doc.add_paragraph(
        f"数据截至{rec.as_of.isoformat()}。统计范围：{rec.title}中已确认的{bulletin.total}项目标。"
    )

    _section(doc, "一、总体情况")
    parts = [f"{label}{n}项" for _c, label, n, _s in bulletin.status_rows() if n]
    doc.add_paragraph("；".join(parts) + "。" if parts else "暂无已确认的目标。")
    _table(
        doc,
        ["状态", "目标数", "占比"],
        [[label, n, f"{share:.1f}%"] for _c, label, n, share in bulletin.status_rows()],
    )
    doc.add_picture(io.BytesIO(charts["status"]), width=Cm(14))

    _section(doc, "二、各单位进展报送情况")
    _table(
        doc,
        ["单位", "牵头目标", "应报", "按时", "逾期报送", "未报", "复核退回", "督办单未办结"],
        [
            [d.name, d.targets, d.due, d.on_time, d.late, d.missing, d.returned, d.open_orders]
            for d in rec.departments
        ],
    )
    doc.add_paragraph(COUNTING_NOTE)
    doc.add_picture(io.BytesIO(charts["departments"]), width=Cm(15))

    _section(doc, "三、进度滞后的目标")
    if bulletin.behind:
        _table(
            doc,
            ["目标", "牵头单位", "状态", "完成", "序时进度", "差距（百分点）"],
            [
                [b.title, b.department, b.status, _pct(b.achieved), _pct(b.yardstick), f"{b.gap:.0f}"]
                for b in bulletin.behind
            ],
        )
    else:
        doc.add_paragraph("本月无欠进度或严重滞后的目标。")

    _section(doc, "四、督办情况")
    doc.add_paragraph(
        f"本月发出督办单{len(bulletin.issued)}件，办结{len(bulletin.closed)}件；"
        f"截至{rec.as_of.isoformat()}未办结{sum(d.open_orders for d in rec.departments)}件。"
    )
    if bulletin.issued:
        _table(
            doc,
            ["编号", "责任单位", "督办事项", "办理时限", "办理情况"],
            [
                [o.number, o.department, o.matter, o.time_limit.isoformat(), o.state_label]
                for o in bulletin.issued
            ],
        )

    _section(doc, "五、领导批示")
    if bulletin.comments:
        for c in bulletin.comments:
            doc.add_paragraph(f"{c.day.isoformat()} {c.author}（{c.target}）：{c.body}", style="List Bullet")
    else:
        doc.add_paragraph("本月无领导批示。")
    return _bytes(doc)
