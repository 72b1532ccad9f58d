"""Document metadata for a corpus: jurisdiction, level, report year, plan year and genre.

Each fact is read from the title, the dateline, the headings or the file name, and carries its
evidence (where it was found and the words found), so a researcher can check every value. Pure
functions on text; the gazetteer of prefecture-level cities is data (``data/prefecture_cities.tsv``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any, Literal

from luoshi.extraction.patterns import finditer_near
from luoshi.review.matching import simplified

__all__ = ["GENRES", "LEVELS", "DocumentMeta", "detect", "level_of", "prefecture_cities"]

Level = Literal["national", "province", "city", "county-district"]
Genre = Literal["report", "news", "plan-execution", "livelihood-list"]
LEVELS: tuple[str, ...] = ("national", "province", "city", "county-district")
GENRES: tuple[str, ...] = ("report", "news", "plan-execution", "livelihood-list")

_HEAD = 6000  # characters read for title, dateline and headings
_SUFFIX = r"(?:特别行政区|自治区|自治州|自治县|地区|省|市|区|县|州|旗|盟)"
_CN_NUM = "一二三四五六七八九十"
# A place name where the text names its government or congress: 张店区人民政府, 洪湖市第十七届人民代表大会,
# 锡山区五届人大四次会议, 深圳市市长.
_PLACE_CTX = re.compile(
    rf"([\u4e00-\u9fff]{{2,14}}?{_SUFFIX})"
    rf"(?:第?[{_CN_NUM}]{{1,3}}届(?:人民代表大会|人大)|人民政府|人民代表大会|人大常委会"
    r"|(?:区|县|市|省)长|政府工作报告|《政府工作报告》|两会|民生实事)"
)
# Where a _PLACE_CTX match can be: every match holds one of these words in its context (届 of
# 第十七届, the X长 forms, ...), 0-4 characters after a name of 3-19 (2-14 + a suffix of up to 5),
# so a match starts 3-23 characters before one. Trying _PLACE_CTX only there finds the same
# matches as scanning the whole head (its lazy name is tried at every character: the costliest
# part of detection).
_PLACE_ANCHOR = re.compile(
    r"(?=届|人民政府|人民代表大会|人大常委会|区长|县长|市长|省长|政府工作报告|两会|民生实事)"
)
_ANCHOR_BEFORE = (3, 23)
# A place opening a sentence ("2022年，洪湖市致力…"): weak evidence, used when no government is named.
_SUBJECT = re.compile(r"(?:19|20)\d\d年[，,][ \t]*([\u4e00-\u9fff]{2,4}?(?:省|市|县|区))(?=[\u4e00-\u9fff])")
_PROVINCE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{2,3}?(?:省|自治区)(?=[\u4e00-\u9fff]{2})")
_GENERIC_PLACES = frozenset(
    "城区 市区 新区 园区 社区 景区 片区 辖区 地区 郊区 老区 山区 库区 省市 县区 区县 市县".split()
)
_GENERIC_START = tuple("全本我该各从在对向和与及把将为是")
_FUNCTION_CHARS = frozenset("了的在和与及从对把将为是等")
_LEAD_NOISE = re.compile(r"^.*?(?:召开的|开幕的|举行的|[在于向是的，、：:|])")
_NATIONAL = re.compile(r"我代表国务院|国务院总理|第[十]{0,1}[一二三四五六七八九十]{1,3}届全国人民代表大会")
_DATELINE = re.compile(
    r"[—―-]{1,2}\s*((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日(?:在|于)[^\n]{0,40}?(?:会议|大会)"
)
_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:年(\d{1,2})月(\d{1,2})日|[-./](\d{1,2})[-./](\d{1,2}))")
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_PLAN_HEAD = re.compile(
    r"((?:19|20)\d\d)年(?:国民经济和社会发展)?(?:计划草案|计划|政府工作目标|工作目标|目标任务|主要预期目标|工作安排|"
    r"重点工作|主要任务|工作任务|区级民生实事|县级民生实事|民生实事|十件民生实事|目标[：:])"
)
_REVIEW_HEAD = re.compile(r"((?:19|20)\d\d)年(?:政府)?工作回顾")
_EXECUTION = re.compile(r"计划执行情况|计划的执行情况|预算执行情况")
_LIVELIHOOD = re.compile(r"民生实事|为民办实事|民生大礼包|惠民实事")
_FIRST_PERSON = re.compile(r"各位代表[：:，,]|我代表[^\n，。]{0,12}(?:人民政府|国务院)|向大会报告")
# Third-person words of a news write-up beat a quoted "各位代表"; page furniture only marks news
# when the report's own first-person address is absent (a newspaper may print the full report).
_NEWS = re.compile(
    r"记者|网讯|日讯|\d日讯|原标题|(?<!向大会)作《?政府工作报告》?[。，,]|报告(?:指出|显示|提出|中说)"
)
_PAGE = re.compile(r"来源[：:]|编者按|第[0-9A-Z]{1,4}版|上接第|摘编")


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Detected facts of one document; each ``*_evidence`` says where its value came from."""

    jurisdiction: str | None = None
    jurisdiction_evidence: str = ""
    level: str | None = None
    level_evidence: str = ""
    report_year: int | None = None
    report_year_evidence: str = ""
    plan_year: int | None = None
    plan_year_evidence: str = ""
    genre: str = "report"
    genre_evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        # not dataclasses.asdict: it deep-copies each value (all str, int or None here)
        return {name: getattr(self, name) for name in _META_FIELDS}


_META_FIELDS = tuple(f.name for f in fields(DocumentMeta))


@cache
def prefecture_cities() -> dict[str, str]:
    """Prefecture-level city (and municipality) name -> its province, from the data file."""
    text = resources.files("luoshi.corpus").joinpath("data/prefecture_cities.tsv").read_text("utf-8")
    rows = (ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#"))
    return {name: province for name, province in rows}


def level_of(name: str) -> tuple[str | None, str]:
    """The level of a jurisdiction by its name, with the reason."""
    if name == "全国":
        return "national", "全国"
    if name.endswith(("省", "自治区", "特别行政区")):
        return "province", f"名称以“{_suffix(name)}”结尾"
    if name.endswith("市"):
        if name in prefecture_cities():
            return "city", f"{name}是地级以上市"
        return "county-district", f"{name}不在地级市名录中，按县级市"
    if name.endswith(("自治州", "州", "盟", "地区")):
        return "city", f"名称以“{_suffix(name)}”结尾（地级）"
    if name.endswith(("区", "县", "旗", "自治县")):
        return "county-district", f"名称以“{_suffix(name)}”结尾"
    return None, ""


def _suffix(name: str) -> str:
    m = re.search(rf"{_SUFFIX}$", name)
    return m.group(0) if m else name[-1:]


def _clean(text: str) -> str:
    # PDF text spaces out figures ("2024 年"); detection reads simplified characters without spaces.
    # simplified's cache is for short repeated strings: a report's head is never seen again, and
    # thousands of them would be kept (up to 8,192 of 12,000 characters, twice, in each worker)
    return re.sub(r"[ \t\u3000\xa0]+", "", simplified.__wrapped__(text))


def _snippet(text: str, start: int, end: int, pad: int = 8) -> str:
    return text[max(0, start - pad) : end + pad].replace("\n", " ").strip()


def _innermost(name: str) -> str:
    """浙江省杭州市 -> 杭州市; 昆明市官渡区 -> 官渡区; 长沙芙蓉区 -> 芙蓉区 (leading parents dropped)."""
    inner = _PROVINCE_PREFIX.sub("", name)
    m = _city_prefix().match(inner)
    if m:
        rest = inner[m.end() :]
        if len(rest) >= 2 and re.search(rf"{_SUFFIX}$", rest):
            return rest
    return inner


@cache
def _city_prefix() -> re.Pattern[str]:
    stems = sorted({c[:-1] for c in prefecture_cities()}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, stems)) + ")市?")


def _is_place(name: str) -> bool:
    stem = name[: -len(_suffix(name))]
    return (
        len(stem) >= 1
        and len(name) >= 2
        and name not in _GENERIC_PLACES
        and not name.startswith(_GENERIC_START)
        and not (_FUNCTION_CHARS & set(stem))
    )


def _jurisdiction(head: str) -> tuple[str | None, str]:
    m = _NATIONAL.search(head)
    if m:
        return "全国", f"正文：“{_snippet(head, m.start(), m.end())}”"
    found: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    for m in _place_matches(head):
        name = _innermost(_LEAD_NOISE.sub("", m.group(1)))
        if _is_place(name):
            found[name] += 1
            first.setdefault(name, (m.start(1), m.end()))
    if found:
        best = max(found, key=lambda n: (found[n], -first[n][0]))
        a, b = first[best]
        return best, f"正文（{found[best]}处）：“{_snippet(head, a, b, 4)}”"
    for m in _SUBJECT.finditer(head):
        name = _innermost(m.group(1))
        if _is_place(name):
            return name, f"句首主语：“{_snippet(head, m.start(1), m.end(1), 6)}”"
    return None, ""


def _place_matches(head: str) -> Iterator[re.Match[str]]:
    """``_PLACE_CTX.finditer(head)``, trying it only where a match can start (_PLACE_ANCHOR)."""
    return finditer_near(_PLACE_CTX, head, _PLACE_ANCHOR, *_ANCHOR_BEFORE)


def _report_year(head: str, file_name: str) -> tuple[int | None, str]:
    m = _DATELINE.search(head)
    if m:
        return int(m.group(1)), f"题注：“{_snippet(head, m.start(), m.end(), 0)}”"
    m = _DATE.search(head[:1500])
    if m:
        return int(m.group(1)), f"日期：“{m.group(0)}”"
    m = _FILE_YEAR.search(file_name)
    if m:
        return int(m.group(1)), f"文件名：{file_name}"
    m = _PLAN_HEAD.search(head)
    if m:
        return int(m.group(1)), f"标题：“{m.group(0)}”（计划年即报告年）"
    m = _REVIEW_HEAD.search(head)
    if m:
        return int(m.group(1)) + 1, f"标题：“{m.group(0)}”（回顾年的次年）"
    return None, ""


def _plan_year(head: str, report_year: int | None) -> tuple[int | None, str]:
    years = [(int(m.group(1)), m) for m in _PLAN_HEAD.finditer(head)]
    if years:
        year, best = max(years, key=lambda ym: (ym[0], -ym[1].start()))
        return year, f"标题：“{best.group(0)}”"
    review = _REVIEW_HEAD.search(head)
    if review:
        return int(review.group(1)) + 1, f"标题：“{review.group(0)}”（回顾年的次年）"
    if report_year is not None:
        return report_year, "同报告年份"
    return None, ""


def _genre(head: str) -> tuple[str, str]:
    top = head[:1500]
    for genre, pattern in (("plan-execution", _EXECUTION), ("livelihood-list", _LIVELIHOOD)):
        m = pattern.search(top[:600])
        if m:
            return genre, f"开头：“{_snippet(top, m.start(), m.end())}”"
    news = _NEWS.search(top)
    if news:
        return "news", f"新闻用语：“{_snippet(top, news.start(), news.end())}”"
    first = _FIRST_PERSON.search(top)
    if first:
        return "report", f"第一人称：“{_snippet(top, first.start(), first.end())}”"
    page = _PAGE.search(top)
    if page:
        return "news", f"报刊版面：“{_snippet(top, page.start(), page.end())}”"
    return "report", "默认（未见新闻用语）"


def detect(text: str, file_name: str = "") -> DocumentMeta:
    """Detect the document facts of one report text (``file_name`` is a last-resort year)."""
    head = _clean(text[: _HEAD * 2])[:_HEAD]
    name, name_ev = _jurisdiction(head)
    level, level_ev = level_of(name) if name else (None, "")
    report, report_ev = _report_year(head, file_name)
    plan, plan_ev = _plan_year(head, report)
    genre, genre_ev = _genre(head)
    return DocumentMeta(name, name_ev, level, level_ev, report, report_ev, plan, plan_ev, genre, genre_ev)
