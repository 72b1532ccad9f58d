"""Hand-made test data for the web tests (a few targets of the bundled Zhangdian report).

Kept independent of extraction quality: spans are found with ``str.find`` in the real text.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path

from luoshi.accounts.users import create_user
from luoshi.store.models import (
    Area,
    Department,
    Jurisdiction,
    KeyProject,
    Milestone,
    ProgressCheck,
    ProgressUpdate,
    ProjectProgress,
    Report,
    Target,
)

TEXT = (files("luoshi") / "data" / "zhangdian-2024.txt").read_text(encoding="utf-8")
PASSWORD = "pw-test-123"

# (figure in the text, title, value, unit, kind, public, lead dept index, accepted monthly values)
SPECS = [
    ("新建5G基站300座以上", "新建5G基站300座以上", 300, "座", "count", True, 0, [40, 80, 120, 150, 200, 260]),
    ("充电桩保有量达到3000个以上", "充电桩保有量达到3000个以上", 3000, "个", "count", True, 0, [300, 500]),
    ("新增规模以上企业50家以上", "新增规模以上企业50家以上", 50, "家", "count", True, 1, []),
    ("新增上市挂牌企业3家以上", "新增上市挂牌企业3家以上", 3, "家", "count", False, 1, [1, 1, 2]),
    (
        "发放“政银担”助企贷款1亿元以上",
        "发放“政银担”助企贷款1亿元以上",
        1,
        "亿元",
        "count",
        True,
        2,
        [0.9, 1.1],
    ),
    ("高端轻制造业产值增长20%以上", "高端轻制造业产值增长20%以上", 20, "%", "rate", True, 0, [18, 21]),
]
DEPARTMENTS = ["区发改局", "区工信局", "区财政局"]


@dataclass
class Seeded:
    report_id: int
    public_target: int  # lead: DEPARTMENTS[0] (the reporter's own department)
    internal_target: int  # lead: DEPARTMENTS[1]; not public
    other_public_target: int  # lead: DEPARTMENTS[1]; public
    update_id: int  # an update of public_target
    internal_update_id: int = 0  # an update of internal_target
    evidence_public: int = 0  # an update of public_target with an evidence file
    evidence_internal: int = 0  # an update of internal_target with an evidence file
    proposed_target: int = 0
    spare_user: int = 0  # a user the admin routes may change
    public_milestone: int = 0
    internal_milestone: int = 0
    project: int = 0  # a key project led by DEPARTMENTS[0]
    order: int = 0  # a 督办单 (made by the tests that need one)
    webhook: int = 0  # a webhook (made by the tests that need one)


def seed(session, *, title_prefix: str = "", upload_dir: Path | None = None) -> Seeded:  # noqa: ANN001
    """Seed one report; ``title_prefix`` goes in front of every stored text (report text too)."""
    text = title_prefix + TEXT
    parent = Jurisdiction(name="淄博市")
    juris = Jurisdiction(name="张店区", parent=parent)
    session.add_all([parent, juris])
    report = Report(
        jurisdiction=juris,
        year=2024,
        source_name=title_prefix + "zhangdian-2024.txt",
        title=title_prefix + "政府工作报告",
        text=text,
        sha256="0" * 64,
        sample=True,
    )
    session.add(report)
    session.flush()
    areas = []
    pos = 0
    for i, line in enumerate(s for s in TEXT.splitlines() if s.startswith("聚焦聚力")):
        start = text.find(line, pos)
        pos = start + len(line)
        areas.append(
            Area(
                report_id=report.id,
                heading=title_prefix + line.split(" ")[0],
                part="plan",
                span_start=start,
                span_end=start + len(line),
                position=i,
            )
        )
    session.add_all(areas)
    depts = [Department(name=n) for n in DEPARTMENTS]
    session.add_all(depts)
    session.flush()
    ids = []
    for i, (fig, title, value, unit, kind, public, lead, values) in enumerate(SPECS):
        start = text.find(fig)
        assert start >= 0, fig
        area = max((a for a in areas if a.span_start <= start), key=lambda a: a.span_start, default=None)
        t = Target(
            report_id=report.id,
            area_id=area.id if area else None,
            review_state="accepted",
            title=title_prefix + title,
            indicator=title[:6],
            surface=fig,
            target_value=value,
            unit=unit,
            comparator=">=",
            kind=kind,
            lead_department_id=depts[lead].id,
            public=public,
            span_start=start,
            span_end=start + len(fig),
            sentence_start=text.rfind("。", 0, start) + 1,
            sentence_end=text.find("。", start) + 1,
            position=i,
        )
        if i == 0:
            t.co_departments.append(depts[2])
        session.add(t)
        session.flush()
        ids.append(t.id)
        for month, v in enumerate(values, start=1):
            u = ProgressUpdate(
                target_id=t.id,
                period=date(2024, month, 25),
                reported_value=v,
                narrative=f"{title_prefix}第{month}月进展",
                author_name="reporter",
            )
            session.add(u)
            session.flush()
            session.add(ProgressCheck(update_id=u.id, decision="accepted", by_name="admin"))
    proposed = Target(
        report_id=report.id,
        review_state="proposed",
        title=title_prefix + "待审核目标",
        target_value=10,
        unit="个",
        public=False,
        position=99,
    )
    session.add(proposed)
    proj = KeyProject(
        report_id=report.id,
        name=title_prefix + "科汇智能电力装备产业园",
        category="工业项目",
        planned_investment=5e8,
        lead_department_id=depts[0].id,
    )
    session.add(proj)
    session.flush()
    session.add(ProjectProgress(project_id=proj.id, period=date(2024, 6, 30), completed_investment=2e8))
    first_update = (
        session.query(ProgressUpdate).filter_by(target_id=ids[0]).order_by(ProgressUpdate.id).first()
    )
    for role in ("admin", "leader", "viewer"):
        create_user(session, role, role, password=PASSWORD)
    create_user(session, "reporter", "reporter", department=DEPARTMENTS[0], password=PASSWORD)
    create_user(session, "reporter2", "reporter", department=DEPARTMENTS[1], password=PASSWORD)
    spare = create_user(session, "spare", "viewer", password=PASSWORD)
    session.flush()
    seeded = Seeded(
        report.id,
        ids[0],
        ids[3],
        ids[2],
        first_update.id,
        proposed_target=proposed.id,
        spare_user=spare.id,
        project=proj.id,
    )
    seeded.internal_update_id = session.query(ProgressUpdate).filter_by(target_id=ids[3]).first().id
    for tid, attr in ((ids[0], "public_milestone"), (ids[3], "internal_milestone")):
        m = Milestone(target_id=tid, title=title_prefix + "完成选址", due_date=date(2024, 5, 1), position=0)
        session.add(m)
        session.flush()
        setattr(seeded, attr, m.id)
    if upload_dir is not None:
        upload_dir.mkdir(parents=True, exist_ok=True)
        for tid, attr in ((ids[0], "evidence_public"), (ids[3], "evidence_internal")):
            stored = secrets.token_hex(16) + ".pdf"
            (upload_dir / stored).write_bytes(b"%PDF-1.4\n% test evidence\n")
            u = ProgressUpdate(
                target_id=tid,
                period=date(2024, 7, 1),
                reported_value=None,
                narrative="附件",
                evidence_path=stored,
                evidence_name=title_prefix + "证明.pdf",
            )
            session.add(u)
            session.flush()
            setattr(seeded, attr, u.id)
    return seeded
