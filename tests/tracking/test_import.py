from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from luoshi.errors import InputError
from luoshi.store.models import Area, AuditLog, Jurisdiction, KeyProject, Outcome, Report, Target
from luoshi.tracking.importer import import_report

from .conftest import SAMPLE_TEXT, make_plan


def count(store, model) -> int:  # noqa: ANN001
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_import_stores_the_plan(store, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "report.txt"
    path.write_text(SAMPLE_TEXT, encoding="utf-8")
    with store.session() as s:
        result = import_report(s, path, "张店区", 2024, parent="淄博市", actor="cli", plan=make_plan())
        assert result.created
    with store.session() as s:
        report = s.scalar(select(Report))
        assert report.source_name == "report.txt" and report.year == 2024 and report.text == SAMPLE_TEXT
        assert report.jurisdiction.name == "张店区" and report.jurisdiction.parent.name == "淄博市"
        assert report.planned_projects == 222 and report.planned_investment == pytest.approx(312.4e8)
        targets = s.scalars(select(Target).order_by(Target.position)).all()
        assert [t.review_state for t in targets] == ["proposed"] * 3
        assert [t.kind for t in targets] == ["rate", "count", "level"]
        assert targets[1].area.heading == "二、2024年主要预期目标"
        assert SAMPLE_TEXT[targets[1].span_start : targets[1].span_end] == "新建5G基站300座以上"
        assert "新建5G基站300座以上" in targets[1].title
        assert s.scalar(select(func.count()).select_from(Outcome)) == 2
        assert s.scalar(select(func.count()).select_from(Area)) == 3
        projects = s.scalars(select(KeyProject).order_by(KeyProject.id)).all()
        assert [(p.name, p.project_count) for p in projects] == [
            ("智慧城市项目", 1),
            ("工业项目（23个）", 23),
        ]
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "import")).one()
        assert audit.actor_name == "cli" and audit.after["targets"] == 3


def test_same_text_twice_is_not_duplicated(store) -> None:  # noqa: ANN001
    with store.session() as s:
        first = import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=make_plan())
    with store.session() as s:
        again = import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=make_plan())
        assert not again.created and again.report.id == first.report.id
        assert "已导入" in again.message
    assert count(store, Report) == 1 and count(store, Target) == 3
    # The same text for another jurisdiction is a different report.
    with store.session() as s:
        assert import_report(s, SAMPLE_TEXT, "淄川区", 2024, plan=make_plan()).created
    assert count(store, Report) == 2 and count(store, Jurisdiction) == 2


def test_import_is_one_transaction(store) -> None:  # noqa: ANN001
    plan = make_plan()
    bad = plan.targets[0].__class__(
        **{**plan.targets[0].to_dict(), "span": (0, 1), "sentence": (0, 1), "indicator": None}
    )  # type: ignore[arg-type]
    plan.targets.append(bad)  # fails when stored (indicator is required)
    with pytest.raises(Exception), store.session() as s:  # noqa: B017
        import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=plan)
    for model in (Report, Target, Area, Outcome, KeyProject, Jurisdiction, AuditLog):
        assert count(store, model) == 0, model.__name__


def test_missing_and_empty_files_are_clear_errors(store, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(InputError, match="nope.txt"), store.session() as s:
        import_report(s, tmp_path / "nope.txt", "张店区", 2024)
    with pytest.raises(InputError, match="nope.docx"), store.session() as s:
        import_report(s, tmp_path / "nope.docx", "张店区", 2024)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"), store.session() as s:
        import_report(s, empty, "张店区", 2024)
    assert count(store, Report) == 0


def test_failure_after_everything_was_written_leaves_nothing(store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import luoshi.tracking.importer as importer

    def boom(*_args: object, **_kw: object) -> None:
        raise RuntimeError("disk full")  # the last step fails, after every row was flushed

    monkeypatch.setattr(importer, "record_audit", boom)
    with pytest.raises(RuntimeError), store.session() as s:
        import_report(s, SAMPLE_TEXT, "张店区", 2024, plan=make_plan())
        raise AssertionError("not reached")
    for model in (Report, Target, Area, Outcome, KeyProject, Jurisdiction):
        assert count(store, model) == 0, model.__name__
