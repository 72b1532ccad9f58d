"""The extraction engine: report text -> :class:`Plan` (pure: no file, web or database I/O).

One pass of NUMBER_RE over a same-length normalised copy of the text finds candidate figures;
each is read from a bounded window (unit, comparator), then figures are handled sentence by
sentence (indicator, role, deadline). Memory stays proportional to the number of figures.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache

from luoshi.extraction import document, lexicon, roles
from luoshi.extraction.chrome import ChromeIndex
from luoshi.extraction.indicators import (
    clause_start,
    direction,
    lead_verb,
    left_phrase,
    right_phrase,
    subject_core,
)
from luoshi.extraction.model import DocumentInfo, Item, Part, Plan
from luoshi.extraction.normalize import normalize
from luoshi.extraction.numerals import NUMBER_RE
from luoshi.extraction.projects import find_project_counts, find_projects
from luoshi.extraction.quantities import Quantity, read_quantity
from luoshi.extraction.sections import SectionIndex, find_sections, sentence_bounds

__all__ = ["extract_text"]

_MEASURE_UNITS = frozenset("个座处项场所套间张件部种类条台辆艘架批次届期篇栋家户".replace("", " ").split())
_LIST_GAPS = frozenset({"、", "和", "与", "及", ",", "以及"})
_GENERIC_ACTOR = re.compile(r"(?:各地|各省|各市|各县|各级|地方|各部门)(?:可|要|应|都|均|也)?")
_ALREADY = re.compile(r"已(?:达|经|有|超过|突破|是)|现已")
_PEOPLE_UNITS = frozenset({"人", "人次", "户"})
_COLLECTIVE = ("行业", "领域", "地区", "方面", "部门", "国家", "城市", "地方")


def extract_text(text: str, source: str | None = None) -> Plan:
    """Extract targets, outcomes, sections and projects from report text."""
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    norm = normalize(text)
    rep_year = document.report_year(norm)
    plan_year = document.plan_year(norm, rep_year)
    if rep_year is None and plan_year is not None and document.says_plan_year(norm, plan_year):
        rep_year = plan_year  # an annual report is delivered in the year it plans
    info = DocumentInfo(
        source=source,
        sha256=sha,
        title=document.title(text),
        jurisdiction=document.jurisdiction(norm),
        report_year=rep_year,
        plan_year=plan_year,
    )
    sections = find_sections(text, norm, plan_year)
    plan = Plan(document=info, text=text, sections=sections)
    ctx = _Context(text, norm, SectionIndex(sections), roles.document_default(norm), plan_year)
    ctx.role_year = plan_year or document.implied_plan_year(norm)
    for s_start, s_end, qs in _sentences(norm):
        for item in _sentence_items(ctx, s_start, s_end, qs):
            (plan.targets if item.role == "target" else plan.outcomes).append(item)
    plan.projects = find_projects(text, norm)
    plan.project_counts = find_project_counts(text, norm)
    return plan


class _Context:
    __slots__ = ("default", "index", "norm", "plan_year", "role_year", "text")

    def __init__(self, text: str, norm: str, index: SectionIndex, default: Part, plan_year: int | None):
        self.text, self.norm, self.index, self.default, self.plan_year = text, norm, index, default, plan_year
        self.role_year = plan_year  # the plan year, or one implied by the text (used for roles only)


def _quantities(norm: str) -> Iterator[Quantity]:
    stop = 0
    chrome = ChromeIndex(norm)  # no figure is read from page chrome (phone numbers, ICP ...)
    for m in NUMBER_RE.finditer(norm):
        if m.start() < stop:
            continue  # inside the previous figure (the second end of a range)
        q = read_quantity(norm, m)
        if q is not None and q.start not in chrome:
            stop = q.stop
            yield q


def _sentences(norm: str) -> Iterator[tuple[int, int, list[Quantity]]]:
    current: list[Quantity] = []
    bounds = (0, 0)
    for q in _quantities(norm):
        if current and q.start < bounds[1]:
            current.append(q)
            continue
        if current:
            yield bounds[0], bounds[1], current
        bounds = sentence_bounds(norm, q.start)
        current = [q]
    if current:
        yield bounds[0], bounds[1], current


def _gap(norm: str, a: Quantity, b: Quantity) -> str:
    return norm[a.stop: b.start].strip()


def _sentence_items(ctx: _Context, s_start: int, s_end: int, qs: list[Quantity]) -> list[Item]:
    norm = ctx.norm
    # a unit written once at the end of a list applies to all: "10.6万、3.8万、3.3万平方公里"
    for i in range(len(qs) - 2, -1, -1):
        if not qs[i].unit and qs[i].has_multiplier and qs[i + 1].unit and _gap(norm, qs[i], qs[i + 1]) in _LIST_GAPS:
            qs[i].unit = qs[i + 1].unit
    indicators = _indicators(norm, s_start, s_end, qs)
    original = ctx.text[s_start:s_end]
    if original != norm[s_start:s_end]:
        # indicators are built on the normalised copy: write them back in the document's own
        # characters (traditional, full-width), as they read in the text
        # (units too: "種", "公頃" as the document writes them; the scorer folds 個/戶/… itself)
        used = set("".join(ind for ind, _, _ in indicators) + "".join(q.unit for q in qs))
        back = {ord(a): b for a, b in zip(norm[s_start:s_end], original, strict=True) if a != b and a in used}
        if back:
            indicators = [(ind.translate(back), raw, keep) for ind, raw, keep in indicators]
            unit_back = {k: v for k, v in back.items() if k >= 0x80}  # "%" stays "%", not "％"
            for q in qs:
                q.unit = q.unit.translate(unit_back)
    items: list[Item] = []
    sentence = norm[s_start:s_end]
    bounds = (s_start, s_end)  # one tuple shared by the sentence's items
    para = norm.rfind("\n", max(0, s_start - 2000), s_start) + 1
    opening = norm[para: min(s_start, para + 40)]  # the paragraph's opening words
    sentence_deadline: list[int | None] = []  # computed once, for the first target
    for q, (ind, raw_left, keep) in zip(qs, indicators, strict=True):
        sec = ctx.index.at(q.start)
        part: Part = ctx.index.sections[sec].part if sec is not None else "other"
        if not keep and not (part == "review" and roles.is_achieved(raw_left) and not _is_from_value(norm, raw_left, q)):
            continue  # in the review, "已有1700万人次受益" is a result, not the present state
        if part == "plan" and (_ALREADY.search(raw_left) or "预计" in raw_left or (
            roles.ends_with_state_noun(raw_left) and roles.is_state_noun(left_phrase(raw_left))
        )):
            continue  # "人口已达2.5亿", "毕业生预计1158万人": the present state or a forecast
        sentence_left = norm[max(s_start, q.start - 300): q.start]
        role = roles.classify_role(
            part, sentence_left, ctx.default, opening or sentence_left, raw_left.lstrip("、和与及 "), ctx.role_year
        )
        if role == "target" and not sentence_deadline:
            heading = ctx.index.sections[sec].heading if sec is not None else ""
            # the stated plan year, else one the text implies ("2023年，…" then "新的一年，…")
            sentence_deadline.append(roles.deadline(sentence, ctx.role_year, heading))
        items.append(
            Item(
                role=role,
                span=(q.start, q.end),
                surface=ctx.text[q.start: q.stop],
                value=q.value,
                unit=q.unit,
                comparator=q.comparator,  # type: ignore[arg-type]
                indicator=ind,
                sentence=bounds,
                value_max=q.value_max,
                direction=direction(raw_left + norm[q.start: q.stop]) or direction(ind),  # type: ignore[arg-type]
                section=sec,
                deadline=sentence_deadline[0] if role == "target" else None,
                aspirational=roles.aspirational(sentence_left) if role == "target" else False,
            )
        )
    return items


def _indicators(norm: str, s_start: int, s_end: int, qs: list[Quantity]) -> list[tuple[str, str, bool]]:
    out: list[tuple[str, str, bool]] = []
    prev_ind = ""
    prev_kept = False
    for i, q in enumerate(qs):
        start = clause_start(norm, q.start, s_start)
        if i and prev_kept and qs[i - 1].stop > start:
            start = qs[i - 1].stop
        raw = norm[start: q.start]
        keep = prev_kept = not roles.is_state_only(raw) and not _is_from_value(norm, raw, q)
        raw_clean = raw.lstrip("、和与及 ")
        left = left_phrase(raw_clean)
        if raw_clean.endswith("等"):  # "A、B等6个X": the examples are not the indicator
            left = lead_verb(left)
        elif "等" in left:
            k = left.rfind("等")
            after = left[k + 1:]
            if len(after) >= 2 and not after.startswith(_COLLECTIVE):
                left = lead_verb(left) + after
        generic = _GENERIC_ACTOR.match(left)
        if generic and generic.end() == len(left):
            left = ""  # "各地可降至16%": the measure is named in the previous clause
        core = subject_core(left)
        dependent = core in _dependent_words() or bool(generic and not left)
        bare = len(core) <= 1 or dependent
        right = ""
        if not q.unit or q.unit_noun or q.unit in _MEASURE_UNITS or bare or norm[q.stop: q.stop + 1] == "的" or (
            q.unit in ("元", "美元") and left.endswith(_object_verbs())
        ):
            right = right_phrase(norm, q.stop, s_end)
        elif q.unit in _PEOPLE_UNITS:
            tail = right_phrase(norm, q.stop, s_end)
            right = tail if len(tail) <= 4 else ""  # "带动1.1万人就业", "1700多万人次受益"
        dependent = dependent or (not core and right in _dependent_words())
        if not q.unit and q.has_multiplier and "人" in right:
            q.unit = "人"  # "1000多万失业人员"
        ind = left + right
        if bare and len(right) < 4:
            if prev_ind:
                # "增长6.5%" after "财政支出…": the subject; "、7.5%": the whole previous phrase
                ind = subject_core(prev_ind) + ind if left or right else prev_ind
            elif dependent and start > s_start:  # borrow the tail of the previous clause
                prev_clause = left_phrase(norm[clause_start(norm, start - 1, s_start): start - 1])
                ind = (prev_clause[-16:] if generic else prev_clause[-6:]) + ind
        elif q.unit in _MEASURE_UNITS and prev_ind and not right and 0 < len(left) <= 5 and lead_verb(left) == left:
            # "现有规上工业企业86家，今年新增15家" / "新建学校3所，改建5所": the noun was named before
            noun = prev_ind[len(lead_verb(prev_ind)):]
            noun = noun[noun.rfind("有") + 1:] if "有" in noun else noun
            ind = left + noun[-12:]
        elif i and raw.startswith("、") and len(left) <= 2 and len(prev_ind) > len(left) + 1:
            ind = prev_ind[: -len(left)] + ind  # "五年累计减税5.4万亿元、降费2.8万亿元"
        elif i and not lead_verb(left) and raw.startswith("、"):
            ind = lead_verb(prev_ind) + ind  # "新增养老机构2处、床位300余张"
        word = norm[q.start: q.end]
        if word.startswith("翻"):
            ind += "翻番"
        elif word == "全覆盖":
            ind += "覆盖"
        out.append((ind, raw, keep))
        prev_ind = ind or prev_ind
    _respectively(norm, s_start, qs, out)
    return out


_TO_AFTER = re.compile(r"(?:提高|增加|降低|下降|上升|减少|压缩|压减|提升|扩大|增|降|升|减|缩短|调整)(?:到|至)")
_FROM_LEFT = re.compile(r"(?<!自|理|经)(?:从|由)(?!于|此)")


@cache
def _object_verbs() -> tuple[str, ...]:
    return lexicon.words("object_verbs.txt")


@cache
def _dependent_words() -> frozenset[str]:
    return frozenset(lexicon.words("dependent_words.txt"))


def _is_from_value(norm: str, raw: str, q: Quantity) -> bool:
    """The starting value of "从X提高到Y": context for Y, not a figure of its own."""
    return bool(_FROM_LEFT.search(raw)) and bool(_TO_AFTER.match(norm, q.stop))


def _respectively(norm: str, s_start: int, qs: list[Quantity], out: list[tuple[str, str, bool]]) -> None:
    """'A、B投资分别增长9.4%、9.1%': give each figure its own subject."""
    for i, (_, raw, _keep) in enumerate(out):
        k = raw.rfind("分别")
        if k < 0:
            continue
        n = 1
        while i + n < len(qs) and _gap(norm, qs[i + n - 1], qs[i + n]) in _LIST_GAPS:
            n += 1
        pre = left_phrase(raw[:k]) if raw[:k].strip() else ""
        verb = left_phrase(raw[k + 2:]) or raw[k + 2:]
        parts = [p for p in pre.replace("和", "、").replace("及", "、").split("、") if p]
        if n < 2 or len(parts) != n:
            continue
        last = parts[-1]
        for j, part in enumerate(parts):
            tail = ""
            if j < n - 1:
                pos = last.find(part[-1])
                if 0 <= pos < len(last) - 1:
                    tail = last[pos + 1:]
                elif len(last) > len(part) + 1:
                    tail = last[len(part):]
            ind = part + tail + verb
            _, r, kp = out[i + j]
            out[i + j] = (ind, r, kp)
        return
