"""The 审核 queue says why each proposed item was judged a target ("判为目标：依据「新的一年」"),
on a real SQLite file with a report imported by the real importer."""

from __future__ import annotations

from luoshi.tracking.importer import import_report
from luoshi.tracking.role_basis import RoleBasis, role_bases

from .conftest import login

TEXT = (
    "张店区政府工作报告\n\n2023年,全区新增就业1.2万人,比上年增长5%。\n\n"
    "新的一年,全区将新建5G基站300座以上。\n\n新建中小学校3所。\n"
)


def test_queue_shows_the_basis_of_each_proposal(web) -> None:  # noqa: ANN001
    app, _ids = web
    with app.state.store.session() as session:
        result = import_report(session, TEXT, "张店区", 2024)
        report_id = result.report.id
    html = login(app, "admin").get(f"/queue?report={report_id}").text
    start = TEXT.index("新的一年")
    assert html.count("判为目标：依据「新的一年」") == 2  # 300座以上, and 3所 in the next paragraph
    assert f'title="原文第 {start}–{start + 4} 字"' in html
    assert "1.2万人" not in html.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_role_basis_labels() -> None:
    bases = role_bases(TEXT)
    by_text = {TEXT[s : s + 3]: b for s, b in bases.items()}
    assert by_text["1.2"].label == "判为成绩：依据「2023年」"
    assert by_text["300"].label == "判为目标：依据「新的一年」"
    assert RoleBasis("target", None, None).label == "判为目标：文中没有时间线索"
