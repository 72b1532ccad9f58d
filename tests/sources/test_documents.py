"""docx, html and pdf files made by the real libraries, read back as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures.builders import REPORT_LINES, make_docx, make_html, make_pdf

from luoshi.sources import load


def test_docx_paragraphs_one_per_line(tmp_path: Path) -> None:
    src = load(make_docx(tmp_path / "r.docx"))
    assert src.format == "docx"
    assert src.text.split("\n") == list(REPORT_LINES)


def test_docx_tables_in_document_order(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "t.docx",
        paragraphs=["主要预期目标如下："],
        table=[["指标", "目标"], ["地区生产总值", "增长6%左右"], ["城镇新增就业", "1万人以上"]],
        after_table=["以上目标力争完成。"],
    )
    lines = load(path).text.split("\n")
    assert lines == [
        "主要预期目标如下：",
        "指标\t目标",
        "地区生产总值\t增长6%左右",
        "城镇新增就业\t1万人以上",
        "以上目标力争完成。",
    ]


def test_docx_merged_cells_written_once(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    t = doc.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "二、2024年主要预期目标"
    t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 2).text = "GDP", "增长6%", "左右"
    doc.save(str(tmp_path / "m.docx"))
    assert load(tmp_path / "m.docx").text.split("\n") == ["二、2024年主要预期目标", "GDP\t增长6%\t左右"]


def test_html_body_text_blocks_as_lines(tmp_path: Path) -> None:
    body = (
        "<div class='nav'><a href='/'>首页</a></div>"
        "<h1>政府工作报告</h1><p>全区地区生产总值增长<b>6.5%</b>，\n  城镇新增就业1.2万人。</p>"
        "<ul><li>新建5G基站300座以上</li><li>充电桩保有量达到3000个以上<br>力争更多</li></ul>"
        "<table><tr><td>指标</td><td>目标</td></tr></table><!-- 注释100亿元 -->"
    )
    src = load(make_html(tmp_path / "r.html", body))
    assert src.format == "html"
    assert src.text.split("\n") == [
        "政府工作报告",
        "全区地区生产总值增长6.5%， 城镇新增就业1.2万人。",
        "新建5G基站300座以上",
        "充电桩保有量达到3000个以上",
        "力争更多",
        "指标\t目标",
    ]
    for absent in ("首页", "不是正文", "標題不在正文", "color", "注释"):
        assert absent not in src.text


@pytest.mark.parametrize(
    ("charset", "encoding"), [("gb2312", "gbk"), ("GBK", "gb18030"), (None, "gbk"), ("big5", "big5")]
)
def test_html_charset_from_meta_or_detection(tmp_path: Path, charset: str | None, encoding: str) -> None:
    body = "<p>全區地區生產總值增長6.5%，城鎮新增就業1.2萬人。</p><p>新建5G基站300座以上。</p>"
    src = load(make_html(tmp_path / "r.htm", body, charset=charset, encoding=encoding))
    assert src.text == "全區地區生產總值增長6.5%，城鎮新增就業1.2萬人。\n新建5G基站300座以上。"


def test_html_wrong_meta_charset_falls_back_to_detection(tmp_path: Path) -> None:
    src = load(
        make_html(tmp_path / "w.html", "<p>城镇新增就业1.2万人。</p>", charset="utf-8", encoding="gbk")
    )
    assert src.text == "城镇新增就业1.2万人。"


def test_pdf_text_layer_read_back(tmp_path: Path) -> None:
    src = load(make_pdf(tmp_path / "r.pdf"))
    assert src.format == "pdf"
    lines = [line.strip() for line in src.text.split("\n") if line.strip()]
    assert lines == list(REPORT_LINES)


def test_pdf_several_pages(tmp_path: Path) -> None:
    lines = [f"第{i}行：新建5G基站{i * 10}座。" for i in range(1, 8)]
    src = load(make_pdf(tmp_path / "p.pdf", lines, lines_per_page=3))
    got = [line.strip() for line in src.text.split("\n") if line.strip()]
    assert got == lines


def test_html_pre_keeps_its_lines(tmp_path: Path) -> None:
    src = load(make_html(tmp_path / "pre.html", "<p>前言</p><pre>新建5G基站300座\n充电桩3000个</pre>"))
    assert src.text.split("\n") == ["前言", "新建5G基站300座", "充电桩3000个"]


def test_docx_content_control_paragraphs(tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = Document()
    doc.add_paragraph("第一段")
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>控件里的段落：新建5G基站300座</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    doc.element.body.insert(1, sdt)
    doc.add_paragraph("最后一段")
    doc.save(str(tmp_path / "sdt.docx"))
    assert load(tmp_path / "sdt.docx").text.split("\n") == [
        "第一段",
        "控件里的段落：新建5G基站300座",
        "最后一段",
    ]


def test_docx_automatic_numbering_is_rendered(tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    numbered("2023年工作回顾", 0)
    numbered("经济运行稳中向好", 1)
    doc.add_paragraph("地区生产总值增长6.5%。")
    numbered("2024年主要预期目标", 0)
    numbered("稳增长", 1)
    numbered("新建5G基站300座", 2)
    numbered("充电桩3000个", 2)
    numbered("惠民生", 1)
    doc.save(str(tmp_path / "num.docx"))
    assert load(tmp_path / "num.docx").text.split("\n") == [
        "一、2023年工作回顾",
        "（一）经济运行稳中向好",
        "地区生产总值增长6.5%。",
        "二、2024年主要预期目标",
        "（一）稳增长",
        "1. 新建5G基站300座",
        "2. 充电桩3000个",
        "（二）惠民生",
    ]


def test_docx_numbering_formats() -> None:
    from luoshi.sources.docx_numbering import format_number

    cases = {
        ("chineseCounting", 1): "一",
        ("chineseCounting", 10): "十",
        ("chineseCounting", 12): "十二",
        ("chineseCounting", 20): "二十",
        ("chineseCounting", 35): "三十五",
        ("chineseCounting", 101): "一百零一",
        ("chineseCounting", 115): "一百一十五",
        ("ideographTraditional", 3): "丙",
        ("decimalEnclosedCircle", 2): "②",
        ("upperRoman", 14): "XIV",
        ("lowerLetter", 27): "aa",
        ("decimal", 7): "7",
    }
    for (fmt, n), expected in cases.items():
        assert format_number(n, fmt) == expected, (fmt, n)


def test_docx_style_numbering_and_bullets(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("一、回顾", 1)
    for text in ("新建5G基站300座", "充电桩3000个"):
        doc.add_paragraph(text, style="List Number")
    doc.add_paragraph("要点", style="List Bullet")
    doc.save(str(tmp_path / "styles.docx"))
    assert load(tmp_path / "styles.docx").text.split("\n") == [
        "一、回顾",
        "1. 新建5G基站300座",
        "2. 充电桩3000个",
        "要点",
    ]


def test_xhtml_xml_declaration_encoding(tmp_path: Path) -> None:
    page = '<?xml version="1.0" encoding="gb2312"?><html><body><p>城镇新增就业1.2万人。</p></body></html>'
    (tmp_path / "x.htm").write_bytes(page.encode("gbk"))
    src = load(tmp_path / "x.htm")
    assert src.text == "城镇新增就业1.2万人。" and src.encoding == "gb18030"


def test_html_sloppy_head_and_site_furniture(tmp_path: Path) -> None:
    # An unclosed <head> (html.parser nests the body inside it) must not lose the body.
    page = (
        "<html><head><meta charset='utf-8'><title>t</title><body>"
        "<div id='top-nav'>首页 新闻 访问量100000次</div><nav>导航</nav>"
        "<div class='article content'><p>城镇新增就业1.2万人。</p></div>"
        "<div class='footer'>ICP备05070218号</div><footer>版权所有</footer></body></html>"
    )
    (tmp_path / "s.html").write_text(page, encoding="utf-8")
    assert load(tmp_path / "s.html").text == "城镇新增就业1.2万人。"


def test_docx_tracked_changes_and_fields(tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = Document()
    p = doc.add_paragraph("新建5G基站")
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>300座</w:t></w:r></w:ins>'))
    p._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>200座</w:delText></w:r></w:del>'
        )
    )
    p._p.append(
        parse_xml(f'<w:smartTag {nsdecls("w")} w:element="x"><w:r><w:t>以上</w:t></w:r></w:smartTag>')
    )
    p._p.append(parse_xml(f"<w:hyperlink {nsdecls('w')}><w:r><w:t>。</w:t></w:r></w:hyperlink>"))
    doc.save(str(tmp_path / "tracked.docx"))
    assert load(tmp_path / "tracked.docx").text == "新建5G基站300座以上。"
