"""Traceability: every span indexes the text as decoded from the file (BOM stripped, nothing
normalised), so re-decoding the file independently shows the figure at [start, end)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.fixtures.builders import make_docx, make_html, make_pdf, write_txt

from luoshi.sources import load

_FIGURE = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿半倍番覆盖]")


def _check_plan(plan: dict[str, Any], text: str) -> int:
    n = 0
    for item in plan["targets"] + plan["outcomes"]:
        start, end = item["span"]
        s_start, s_end = item["sentence"]
        assert 0 <= start < end <= len(text)
        assert s_start <= start and end <= s_end <= len(text)
        figure = text[start:end]
        assert _FIGURE.search(figure), (figure, item)
        assert figure in item["surface"] or item["surface"] in figure, (figure, item["surface"])
        n += 1
    for section in plan["sections"]:
        assert 0 <= section["span"][0] <= section["span"][1] <= len(text)
    return n


@pytest.mark.parametrize(
    ("encoding", "bom", "decode_as"),
    [
        ("utf-8", False, "utf-8"),
        ("utf-8", True, "utf-8-sig"),
        ("gbk", False, "gbk"),
        ("gb18030", False, "gb18030"),
        ("utf-16", False, "utf-16"),
        ("utf-16-le", False, "utf-16-le"),
    ],
)
def test_txt_spans_after_redecoding(
    run: Any, tmp_path: Path, demo_text: str, encoding: str, bom: bool, decode_as: str
) -> None:
    # Full-width figures and CRLF line ends must not shift offsets either.
    text = demo_text.replace("\n", "\r\n") + "\r\n全年新建５Ｇ基站３００座以上，城镇新增就业１．２万人。\r\n"
    path = write_txt(tmp_path / "r.txt", text, encoding, bom=bom)
    result = run("extract", path)
    assert result.exit_code == 0, result.stderr
    decoded = path.read_bytes().decode(decode_as)
    assert _check_plan(json.loads(result.stdout), decoded) > 0


def test_shared_texts_spans(run: Any, tmp_path: Path, shared_eval: Path) -> None:
    texts = sorted((shared_eval / "texts").glob("*.txt"))
    out = tmp_path / "out"
    assert run("extract", *texts, "-o", out).exit_code == 0
    for path in texts:
        plan = json.loads((out / f"{path.stem}.json").read_text(encoding="utf-8"))
        assert _check_plan(plan, path.read_text(encoding="utf-8")) > 0


@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_document_spans_index_loaded_text(run: Any, tmp_path: Path, demo_text: str, kind: str) -> None:
    lines = [line for line in demo_text.splitlines() if line.strip()]
    if kind == "docx":
        path = make_docx(tmp_path / "r.docx", lines)
    elif kind == "html":
        path = make_html(
            tmp_path / "r.html", "".join(f"<p>{line}</p>" for line in lines), charset="gbk", encoding="gbk"
        )
    else:
        # Keep pdf lines short enough for the page width.
        short = [part for line in lines for part in re.findall(r".{1,40}", line)]
        path = make_pdf(tmp_path / "r.pdf", short)
    result = run("extract", path)
    assert result.exit_code == 0, result.stderr
    assert _check_plan(json.loads(result.stdout), load(path).text) > 0
