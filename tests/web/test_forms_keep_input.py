"""Every form keeps what was typed when it shows an error (issue 9): the page comes back with the
Chinese reason beside the form and the typed values in it, and nothing is stored."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from luoshi.store.models import Comment, ProgressUpdate

from .conftest import csrf_of, login


def _count(app, model) -> int:  # noqa: ANN001
    with app.state.store.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)))


def test_progress_form_keeps_what_was_typed(web) -> None:  # noqa: ANN001
    app, ids = web
    reporter = login(app, "reporter")
    page = reporter.get(f"/targets/{ids.public_target}").text
    before = _count(app, ProgressUpdate)
    r = reporter.post(f"/targets/{ids.public_target}/updates", data={
        "csrf_token": csrf_of(page), "period": "2024-07-01", "value": "很多座",
        "narrative": "已建成基站一百余座，正在加紧施工", "internal": "1"}, follow_redirects=False)
    assert r.status_code == 400
    text = html.unescape(r.text)
    assert 'role="alert"' in r.text and "无法识别为数字" in text.split('role="alert">')[1].split("</p>")[0]
    assert 'value="很多座"' in text and ">已建成基站一百余座，正在加紧施工</textarea>" in text
    assert 'value="2024-07-01"' in text and 'name="internal" value="1" checked' in text
    assert _count(app, ProgressUpdate) == before


def test_correction_form_keeps_what_was_typed(web) -> None:  # noqa: ANN001
    app, ids = web
    reporter = login(app, "reporter")
    page = reporter.get(f"/targets/{ids.public_target}").text
    before = _count(app, ProgressUpdate)
    r = reporter.post(f"/updates/{ids.update_id}/correct", data={
        "csrf_token": csrf_of(page), "value": "1e999", "narrative": "统计口径调整"}, follow_redirects=False)
    assert r.status_code == 400
    text = html.unescape(r.text)
    assert 'value="1e999"' in text and 'value="统计口径调整"' in text and "<details open>" in text
    assert 'role="alert"' in text
    assert _count(app, ProgressUpdate) == before


def test_comment_form_keeps_what_was_typed(web) -> None:  # noqa: ANN001
    app, ids = web
    leader = login(app, "leader")
    page = leader.get(f"/targets/{ids.public_target}").text
    r = leader.post(f"/targets/{ids.public_target}/comments",
                    data={"csrf_token": csrf_of(page), "body": "   "}, follow_redirects=False)
    assert r.status_code == 400 and "批示内容不能为空" in r.text
    body = "请区工信局加快进度，" * 250  # 2,500 characters: too long for a 批示
    r = leader.post(f"/targets/{ids.public_target}/comments",
                    data={"csrf_token": csrf_of(page), "body": body}, follow_redirects=False)
    assert r.status_code == 400 and "批示不能超过 2000 字" in r.text
    assert f">{body}</textarea>" in r.text  # what was typed is still there
    assert _count(app, Comment) == 0
