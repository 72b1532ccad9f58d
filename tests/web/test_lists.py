"""Lists sort by their columns, exports follow the filters on screen, dashboards state their date."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook


def _ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<td class="num phone-hide">(\d+)</td>', html)]


def test_targets_sort_by_each_column(clients) -> None:  # noqa: ANN001
    c, _ = clients
    viewer = c["viewer"]
    plain = _ids(viewer.get("/targets").text)
    assert len(plain) >= 5
    by_id_desc = _ids(viewer.get("/targets", params={"sort": "id", "dir": "desc"}).text)
    assert by_id_desc == sorted(plain, reverse=True)
    page = viewer.get("/targets", params={"sort": "target"}).text
    values = [float(v.replace(",", "")) for v in re.findall(r'data-label="目标值">[^0-9]*([0-9.,]+)', page)]
    assert values == sorted(values)
    page = viewer.get("/targets", params={"sort": "status"}).text
    assert "状态 ▲" in page and 'href="?sort=status&amp;dir=desc"' in page
    for key in ("title", "area", "dept", "deadline", "latest"):
        assert viewer.get("/targets", params={"sort": key}).status_code == 200
    assert "数据截至 2024-07-10" in viewer.get("/targets").text


def test_export_follows_the_filters(clients) -> None:  # noqa: ANN001
    c, ids = clients
    viewer = c["viewer"]
    page = viewer.get("/targets", params={"q": "5G", "report": str(ids.report_id)}).text
    link = re.search(r'href="(/sheet\.xlsx[^"]*)"', page).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert "q=5G" in link
    ws = load_workbook(io.BytesIO(viewer.get(link).content)).active
    titles = [row[3] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert titles and all("5G" in t for t in titles)
    everything = load_workbook(io.BytesIO(viewer.get("/sheet.xlsx").content)).active
    assert everything.max_row > ws.max_row
