"""Value, unit and comparator of one figure in a sentence (a table of cases).

Each case is a plan sentence, the figure's surface, and the expected (value, unit, comparator).
"""

from __future__ import annotations

import pytest
from tests.extraction.conftest import figure

from luoshi.extraction import extract_text

PLAN = "今年要"  # puts each sentence in a plan context

CASES = [
    ("年度计划投资312.4亿元以上。", "312.4", 31240000000.0, "元", ">="),
    ("新增城镇就业1万人以上。", "1万", 10000.0, "人", ">="),
    ("新增装机1000万千瓦。", "1000", 10000000.0, "千瓦", "="),
    ("新建改造绿地40万平方米。", "40", 400000.0, "平方米", "="),
    ("粮食产量保持在1.3万亿斤以上。", "1.3", 1.3e12, "斤", ">="),
    ("城镇调查失业率5.5%左右。", "5.5", 5.5, "%", "~"),
    ("城镇登记失业率4.5%以内。", "4.5", 4.5, "%", "<="),
    ("赤字率控制在3%。", "3%", 3.0, "%", "<="),
    ("科技型中小企业数量突破230家。", "230", 230.0, "家", ">="),
    ("新增养老床位300余张。", "300", 300.0, "张", ">="),
    ("改造棚户区住房620多万套。", "620", 6200000.0, "套", ">="),
    ("资助困难学生近1亿人次。", "1", 100000000.0, "人次", "~"),
    ("减税降费约1.3万亿元。", "1.3", 1.3e12, "元", "~"),
    ("利率下降1.5个百分点。", "1.5", 1.5, "百分点", "="),
    ("审批时间压缩到不超过120个工作日。", "120", 120.0, "工作日", "<="),
    ("新增高标准农田8000万亩以上。", "8000", 80000000.0, "亩", ">="),
    ("外汇储备保持在3万亿美元以上。", "3", 3e12, "美元", ">="),
    ("居民消费价格涨幅3%左右。", "3%", 3.0, "%", "~"),
    ("增长6 . 5%。", "6 . 5", 6.5, "%", "="),
    ("增长６．５％。", "６．５", 6.5, "%", "="),
    ("文件压减三分之一以上。", "三分之一", 100 / 3, "%", ">="),
    ("通关时间压缩一半以上。", "一半", 50.0, "%", ">="),
    ("重污染天数下降超过五成。", "五成", 50.0, "%", ">="),
    ("工业生产总值实现翻番。", "翻番", 2.0, "倍", "="),
    ("实现长者食堂全覆盖。", "全覆盖", 100.0, "%", "="),
    ("税收优惠超过万亿元。", "万亿", 1e12, "元", ">="),
    ("新建学校三所。", "三", 3.0, "所", "="),
    ("增长百分之五。", "百分之五", 5.0, "%", "="),
    ("增长百分之六点五。", "百分之六点五", 6.5, "%", "="),
    ("下降零点五个百分点。", "零点五", 0.5, "百分点", "="),
    ("粮食总产量达到十二点三万吨。", "十二点三", 123000.0, "吨", "="),
    ("新增学位两千四百个。", "两千四百", 2400.0, "个", "="),
    ("安排资金5千万元。", "5", 50000000.0, "元", "="),
    ("空气质量优良天数300天以上。", "300", 300.0, "天", ">="),
    ("细颗粒物平均浓度降至32微克/立方米。", "32", 32.0, "微克/立方米", "="),
    ("新增光伏装机100MW。", "100", 100.0, "兆瓦", "="),
    ("培育50家以上的专精特新企业。", "50", 50.0, "家", ">="),
    ("投资312.4億元。", "312.4", 31240000000.0, "元", "="),  # a traditional unit in simplified text
    ("新增就业1萬餘人。", "1", 10000.0, "人", ">="),
    ("人均预期寿命提高到78.6岁。", "78.6", 78.6, "岁", "="),
    ("安排资金两千多亿元。", "两千", 200000000000.0, "元", ">="),
    ("新增就业1.5万余人。", "1.5", 15000.0, "人", ">="),
    ("共减轻负担3万多亿元。", "3", 3e12, "元", ">="),
    # a big unit followed by a smaller digit group, as reports write head counts and lengths
    ("日均新设企业1万6千多户。", "1万6千", 16000.0, "户", ">="),
    ("高速铁路运营里程达到2万5千公里。", "2万5千", 25000.0, "公里", "="),
    ("出境旅游人次达到1亿3千多万。", "1亿3千", 130000000.0, "", ">="),
    ("景区接待游客3万2千人次。", "3万2千", 32000.0, "人次", "="),
    # a comparator set before the rise/fall verb
    ("移动网络流量资费至少降低30%。", "30", 30.0, "%", ">="),
    ("农民收入不低于增长7%。", "7", 7.0, "%", ">="),
    # a count of years with a decimal point is not a year
    ("平均受教育年限提高到10.5年。", "10.5", 10.5, "年", "="),
    ("技术交易额翻一番。", "翻一番", 1.0, "番", "="),
    ("居民收入翻两番。", "翻两番", 2.0, "番", "="),
    # units and numerals share one list (units.tsv): a Chinese numeral before any unit marked cn
    ("新增渔船五十艘。", "五十", 50.0, "艘", "="),
    ("新装路灯三百盏。", "三百", 300.0, "盏", "="),
    # a rate unit: money per area
    ("地均生产总值达到5.4亿元/平方公里。", "5.4", 5.4e8, "元/平方公里", "="),
    # money in fen and mao, where the text says 钱
    ("小麦最低收购价每斤提高3分钱。", "3", 3.0, "分", "="),
    ("早籼稻、粳稻每斤分别提高3分和1毛钱。", "3", 3.0, "分", "="),
    ("早籼稻、粳稻每斤分别提高3分和1毛钱。", "1", 1.0, "毛", "="),
    # a person or household noun after 万 names the unit
    ("农村饮水安全工程使6069万农民受益。", "6069", 60690000.0, "人", "="),
    ("新增510万沼气用户。", "510", 5100000.0, "户", "="),
    ("组织2100万城乡劳动者参加职业培训。", "2100", 21000000.0, "人", "="),
    # a four-digit figure before 万 is not a year
    ("新增城镇就业2023万。", "2023", 20230000.0, "", "="),
    # a figure in brackets is a figure; a bracketed list number is not
    ("实施重点区域清淤(20万方)工程。", "20", 200000.0, "立方米", "="),
    # a Chinese numeral after 等 counts the list before it
    ("承办全国竞走大奖赛等两项国家级赛事。", "两", 2.0, "项", "="),
]


@pytest.mark.parametrize(("sentence", "surface", "value", "unit", "comparator"), CASES)
def test_value_unit_comparator(sentence: str, surface: str, value: float, unit: str, comparator: str) -> None:
    item = figure(PLAN + sentence, surface)
    assert item is not None, f"no figure found for {surface!r}"
    assert item.value == pytest.approx(value)
    assert item.unit == unit
    assert item.comparator == comparator
    text = PLAN + sentence
    assert (
        surface.startswith(text[item.span[0] : item.span[1]]) or text[item.span[0] : item.span[1]] in surface
    )


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("今年平均受教育年限提高到14年", 14.0, "年"), ("今年新增就业1万人", 10000.0, "人"), ("5%", 5.0, "%")],
)
def test_figure_at_the_edges_of_the_text(text: str, value: float, unit: str) -> None:
    items = extract_text(text).items()
    assert [(i.value, i.unit) for i in items] == [(value, unit)]


def test_comparator_cut_by_the_end_of_an_excerpt() -> None:
    """Excerpts end mid-sentence: "…增长4%左" still reads 左右; an ambiguous "以" does not."""
    assert [(i.value, i.comparator) for i in extract_text("今年零售总额增长4%左").items()] == [(4.0, "~")]
    assert [(i.value, i.comparator) for i in extract_text("今年零售总额增长4%以").items()] == [(4.0, "=")]


def test_range() -> None:
    item = figure("今年国内生产总值增长6%－6.5%。", "6%")
    assert item is not None
    assert (item.value, item.value_max, item.unit, item.comparator) == (6.0, 6.5, "%", "range")


def test_range_shares_multiplier() -> None:
    item = figure("今年新增就业3-5万人。", "3")
    assert item is not None
    assert (item.value, item.value_max, item.unit) == (30000.0, 50000.0, "人")


NOT_FIGURES = [
    ("2024年是关键之年,今年要新增就业1万人。", "2024"),
    ("1月7日,张店区召开会议,今年要新增就业1万人。", "7"),
    ("张店区第十八届人民代表大会,今年要新增就业1万人。", "十八"),
    ("围绕“3510”工作目标,今年要新增就业1万人。", "3510"),
    ("构建“2+4”现代产业体系,今年要新增就业1万人。", "2+4"),
    ("打造“10分钟健身圈”,今年要新增就业1万人。", "10"),
    ("今年新建5G基站300座。", "5G"),
    ("细颗粒物(PM2.5)浓度下降,今年要新增就业1万人。", "2.5"),
    ("亿万人民的期盼,今年要新增就业1万人。", "亿万"),
    ("事关千家万户,今年要新增就业1万人。", "千家"),
    ("去年通胀达到40多年来新高,今年要新增就业1万人。", "40"),
    ("连续5年获评先进,今年要新增就业1万人。", "5"),
    ("提供7×24小时服务,今年要新增就业1万人。", "24"),
    ("1. 今年要新增就业1万人。", "1."),
    ("构筑多层次、全覆盖的保障体系,今年要新增就业1万人。", "全覆盖"),
    ("将现行16%的税率降至13%。", "16"),
    ("今年新开工5000万元以上的项目。", "5000"),
    # ages and durations used as modifiers of a noun
    ("重点筛查60岁以上人群,今年要新增就业1万人。", "60"),
    ("为13-14岁女生接种疫苗,今年要新增就业1万人。", "13"),
    ("完成使用时间15年以上老旧住宅电梯安全评估,今年要新增就业1万人。", "15"),
    # the second ranking of a list, a bracketed list number, a telephone number
    ("综合实力分别跃升全国百强第25位、36位,今年要新增就业1万人。", "36"),
    ("(13)积极引导高校毕业生就业,今年要新增就业1万人。", "13"),
    ("今年要新增就业1万人。举报电话:023-61520697", "61520697"),
    ("今年要新增就业1万人。新闻热线:023-61520695\n只争朝夕", "023"),
    # a reduplicated measure word is wording, and so is 等一批
    ("一座座新城拔地而起,今年要新增就业1万人。", "一"),
    ("清洁能源等一批新兴产业快速发展,今年要新增就业1万人。", "一"),
    # 全覆盖 across a word boundary: 健全 + 覆盖
    ("加快健全覆盖全民的公共服务体系,今年要新增就业1万人。", "全覆盖"),
    # money in fen without 钱 is not read as money
    ("考核得分提高3分,今年要新增就业1万人。", "3"),
]


@pytest.mark.parametrize(("text", "surface"), NOT_FIGURES)
def test_not_a_figure(text: str, surface: str) -> None:
    assert figure(text, surface) is None


def test_no_figure_from_a_run_of_zeros() -> None:
    """'5, 000人' (a space after the thousands comma, PDF text) must not give a figure of 0."""
    plan = extract_text(PLAN + "新增就业5, 000人，粮食产量达到12.3万吨,增长2.1%.")
    assert all(item.value != 0 for item in plan.items())
    assert [item.indicator for item in plan.items() if item.value == 2.1] == ["粮食产量增长"]


def test_chinese_numeral_wording_is_no_count() -> None:
    """'三个方面', '十项措施': a small Chinese numeral before a generic count word is wording."""
    plan = extract_text(PLAN + "从三个方面推进，出台十项措施，抓好一个中心。")
    assert list(plan.items()) == []
