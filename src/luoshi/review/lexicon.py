"""Word lists used to compare indicators across two reports (kept as data, not code).

General report vocabulary only: abbreviations, synonyms and direction words that any work
report may use; nothing tuned to one text.
"""

from __future__ import annotations

__all__ = [
    "DIRECTION_WORDS",
    "MULTI_YEAR_MARKERS",
    "MULTI_YEAR_OPENERS",
    "ONE_YEAR_OPENERS",
    "FILLER_WORDS",
    "LOWER_IS_BETTER",
    "SYNONYMS",
    "UNIT_GROUPS",
]

# variant -> canonical wording; applied longest first before comparing indicators.
SYNONYMS: dict[str, str] = {
    "GDP": "国内生产总值",
    "gdp": "国内生产总值",
    "地区生产总值": "国内生产总值",
    "生产总值": "国内生产总值",
    "经济总量": "国内生产总值",
    "经济增速": "国内生产总值",
    "经济增长": "国内生产总值",
    "经济": "国内生产总值",
    "CPI": "居民消费价格",
    "cpi": "居民消费价格",
    "物价": "居民消费价格",
    "消费价格": "居民消费价格",
    "PPI": "工业生产者出厂价格",
    "R&D": "研发",
    "研究与试验发展": "研发",
    "研发经费": "研发投入",
    "PM2.5": "细颗粒物",
    "PM2．5": "细颗粒物",
    "社会消费品零售总额": "社零额",
    "社会消费品零售额": "社零额",
    "固定资产投资": "固投",
    "一般公共预算收入": "财政收入",
    "地方财政收入": "财政收入",
    "城乡居民收入": "居民收入",
    "居民人均可支配收入": "居民收入",
    "人均可支配收入": "居民收入",
    "可支配收入": "居民收入",
    "外贸进出口": "进出口",
    "进出口总额": "进出口",
    "货物进出口": "进出口",
    # identities protect a longer canonical phrase from a shorter key inside it
    "国内生产总值": "国内生产总值",
    "居民消费价格": "居民消费价格",
    "研发投入": "研发投入",
    "进城落户": "进城落户",
    "棚户区改造": "棚改",
    "棚户区住房改造": "棚改",
    "城镇棚户区": "棚改",
    "棚户区": "棚改",
    "农业转移人口": "进城落户",
    "城镇落户": "进城落户",
    "落户": "进城落户",
    "新增城镇就业": "城镇新增就业",
    "规模以上": "规上",
    "登记失业率": "登记失业率",
    "调查失业率": "调查失业率",
    # intensity indicators get their own canonical word, so they do not look like GDP itself
    "单位GDP能耗": "能耗强度",
    "单位gdp能耗": "能耗强度",
    "万元GDP能耗": "能耗强度",
    "万元国内生产总值能耗": "能耗强度",
    "单位国内生产总值能源消耗": "能耗强度",
    "单位国内生产总值能耗": "能耗强度",
    "单位地区生产总值能耗": "能耗强度",
    "单位GDP二氧化碳排放": "碳排放强度",
    "单位国内生产总值二氧化碳排放": "碳排放强度",
    "单位GDP用水量": "用水强度",
    "单位国内生产总值用水量": "用水强度",
    "万元GDP用水量": "用水强度",
    "能源消耗": "能耗",
}

# fmt: off
# (word lists stay compact, a few to a line: they are read as tables, not code)
# Words that say how a figure moves or filler around the measured thing: dropped before
# comparing indicators (direction is compared separately, from the items' fields).
DIRECTION_WORDS: tuple[str, ...] = (
    "增长", "增速", "增幅", "涨幅", "上涨", "上升", "提高", "提升", "增加", "新增加",
    "下降", "降低", "降幅", "减少", "压减", "压缩", "缩短", "回落", "降至", "提高到", "达到",
)
FILLER_WORDS: tuple[str, ...] = (
    "全区", "全市", "全县", "全省", "全国", "全年", "今年", "去年", "上年", "过去一年", "一年来", "年内", "再", "实际", "完成", "实现", "确保", "力争", "努力",
    "稳定在", "保持在", "控制在", "以上", "以内", "左右", "平均", "总体", "继续",
    "要", "将", "约", "近", "多", "的",
    # action verbs: "新建5G基站" and "建成5G基站" report on the same thing
    "新开工", "开工", "竣工", "新建", "建成", "改建", "扩建", "新增", "实施", "推进", "打造", "培育",
    "引进", "创建", "建设", "改造", "安排", "拟按", "发放", "投放",
)

# Indicators where a lower level is the good outcome (a "~" or "=" target is then a ceiling).
LOWER_IS_BETTER: tuple[str, ...] = (
    "失业率", "居民消费价格", "价格涨幅", "物价", "赤字", "杠杆率", "负债率", "贫困发生率",
    "死亡率", "事故", "发病率", "能耗", "水耗", "排放", "浓度", "辍学率", "空置率", "不良贷款率",
)

# Units in one group measure the same kind of thing; values are already folded (万/亿).
UNIT_GROUPS: dict[str, str] = {
    "%": "percent",
    "百分点": "points",
    "元": "yuan",
    "美元": "usd",
    "人": "people",
    "人次": "people",
    "万人": "people",
    "户": "households",
    "家": "entities",
    "个": "entities",
    "项": "entities",
    "所": "entities",
    "座": "entities",
    "处": "entities",
    "套": "dwellings",
    "间": "dwellings",
    "公里": "length",
    "千米": "length",
    "米": "length",
    "亩": "area",
    "平方米": "area",
    "平方公里": "area",
    "公顷": "area",
    "斤": "mass",
    "吨": "mass",
    "千瓦": "power",
    "倍": "times",
}

# A figure summing up several years (五年累计, 年均) does not report on a one-year target.
MULTI_YEAR_MARKERS: tuple[str, ...] = (
    "年均", "累计", "五年", "十年", "多年", "连年", "历年",
)
# Paragraph openers of a multi-year review (the end-of-term report) and of a one-year review.
MULTI_YEAR_OPENERS: str = (
    r"(回顾)?(过去|这|近)[三五八十]年|[三五八十]年(来|间|以来)|这些年|本届政府|"
    r"第[一二三四五六七八九十]+届全国人民代表大会第一次会议以来"
)
ONE_YEAR_OPENERS: str = r"过去一年|一年来|刚刚过去的|(19|20)\d\d年(是|，|,|以来|全区|全市|全县|全省|全国|经济)|去年"
# fmt: on
