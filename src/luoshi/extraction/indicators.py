"""The phrase naming what a figure measures, and whether the figure is a rise or a fall.

Works on the clause around the figure: text to its left back to the last clause break (or the
previous figure of a list), plus the noun after a measure word ("策划实施222个重点项目").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from luoshi.extraction import lexicon, patterns, roles
from luoshi.extraction.quantities import Quantity
from luoshi.extraction.sections import is_hard_newline, last_break, next_break
from luoshi.extraction.segmentation import layout_break_after, layout_break_before

__all__ = [
    "clause_start",
    "direction",
    "indicator_phrases",
    "is_from_value",
    "lead_verb",
    "left_phrase",
    "predicate_only",
    "right_phrase",
    "subject_core",
    "subject_noun",
]

CLAUSE_BREAKS = ",;:。!?\n"
_PUNCT_BREAKS = ",;:。!?"  # 、 is handled by the caller (lists of figures)
_MAX_LEFT = 24
_MAX_RIGHT = 16

_FROM = re.compile(r"(?<!自|理|经)(?:从|由)(?!于|此)(?:[^从由到至]*[到至][^从由]*)?$")
# a pinyin gloss in brackets inside a word: "闵(min)行区", "垃圾分类(laji fenlei)"
_PINYIN = re.compile(r"\([a-zA-Z\u00e0-\u00fc\u0101-\u01dc' ]{1,40}\)")
_MARK_STARTS = frozenset("(0123456789" + "".join(chr(c) for c in range(0x2460, 0x2474)))
# list numbering at the start of a clause: "(13)", "13.", "3、", "①"
_LIST_MARK = re.compile(r"^(?:\(\d{1,3}\)|\d{1,3}[.、)]|[\u2460-\u2473])")


@cache
def _fillers() -> re.Pattern[str]:
    fillers = patterns.alternation("fillers.txt").pattern
    return re.compile(f"(?:{fillers})(?=.)")


@cache
def _directions() -> re.Pattern[str]:
    words = sorted(lexicon.mapping("directions.tsv"), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def clause_start(norm: str, pos: int, floor: int) -> int:
    """Start of the clause that ends at ``pos`` (never before ``floor``)."""
    lo = max(floor, pos - 80)
    # list items laid out with spaces, " - " or ①② instead of punctuation end a clause too
    return max(lo, last_break(norm, lo, pos, _PUNCT_BREAKS) + 1, layout_break_before(norm, lo, pos) + 1)


_CLAUSE_BREAK_RE = re.compile("[,;:。!?\n]")


def _clause_breaks(norm: str, s_start: int, s_end: int) -> list[int]:
    """Positions of the clause breaks of one sentence (``_PUNCT_BREAKS`` and hard newlines), once
    for all its figures: what ``last_break`` would find, without re-scanning for each figure."""
    if norm.find("\n", s_start, s_end) < 0:
        return [m.start() for m in _CLAUSE_BREAK_RE.finditer(norm, s_start, s_end)]
    return [
        i
        for m in _CLAUSE_BREAK_RE.finditer(norm, s_start, s_end)
        if norm[i := m.start()] != "\n" or is_hard_newline(norm, i)
    ]


def _clause_start_in(norm: str, pos: int, s_start: int, s_end: int, breaks: list[int]) -> int:
    """``clause_start(norm, pos, s_start)`` from the sentence's break positions."""
    if not s_start <= pos <= s_end:
        return clause_start(norm, pos, s_start)
    lo = max(s_start, pos - 80)
    k = bisect_left(breaks, pos) - 1
    start = breaks[k] + 1 if k >= 0 and breaks[k] >= lo else lo
    return max(start, layout_break_before(norm, lo, pos) + 1)


def _strip_fillers(s: str) -> str:
    time_prefix, fillers = patterns.time_prefix_re().match, _fillers().match
    changed = True
    while changed and s:
        changed = False
        m = time_prefix(s)
        if m and m.end() > 0:
            s, changed = s[m.end() :], True
        m = fillers(s)
        if m:
            s, changed = s[m.end() :], True
    return s


_AREA_ENDS = frozenset("省市县区州旗")  # one of them ends the area of area_subject_re


def left_phrase(raw: str) -> str:
    """Clean the clause text left of a figure into an indicator candidate."""
    s = "".join(raw.split()).strip("、")  # hard-wrapped lines and stray spaces
    if "(" in s:
        s = _PINYIN.sub("", s).rstrip("(")  # "垃圾分类(laji fenlei)…", "清淤(20万方)"
    if s[:1] in _MARK_STARTS:
        s = _LIST_MARK.sub("", s)  # "(13)积极引导"
    if len(s) > _MAX_LEFT:
        s = s[-_MAX_LEFT:]
    s = _strip_fillers(s)
    if s.startswith("全"):  # (whole_area_re opens with 全)
        s = patterns.whole_area_re().sub(r"\1", s)  # "全县将实施" -> "全县实施"
    if not _AREA_ENDS.isdisjoint(s[1:6]):  # (a quick test: the pattern needs one at 1..5)
        s = patterns.area_subject_re().sub("", s)  # "某区将实施" -> "实施"
    if len(s) > 4 and s[0] in patterns.first_chars("policy_verbs.txt"):
        s = patterns.policy_verb_re().sub("", s)  # "下调缴费比例" -> "缴费比例" (the verb is not the measure)
    s = _strip_fillers(s)
    if "从" in s or "由" in s:  # (_FROM needs one of them)
        s = _FROM.sub("", s)
    if s.startswith(lexicon.words("condition_words.txt")):
        s = patterns.condition_re().sub("", s)  # "扣除…因素后可比增长" -> "可比增长"
    ends = patterns.trailing_ends()
    for _ in range(3):
        if not s or s[-1] not in ends:  # (s holds no line break, so $ is the very end)
            break
        t = patterns.trailing_re().sub("", s)
        if t == s:
            break
        s = t
    s = patterns.dropped_inside_re().sub("", s)
    head, sep, tail = s.rpartition("、")
    if sep and len(head) >= 6 and len(tail) >= 2 and _clause_verbs().search(head):
        s = _strip_fillers(tail)  # "…改革、确权面积": the 、 joins two clauses, not two subjects
    return s.strip(" 、")


@cache
def _clause_verbs() -> re.Pattern[str]:
    return patterns.alternation("clause_verbs.txt")


def right_phrase(norm: str, pos: int, limit: int, cross_list: bool = False) -> str:
    """The noun after a figure's unit, up to the clause end ("个重点项目" -> "重点项目");
    with ``cross_list`` across 、 too ("59个机关、企事业单位附属空间对外开放")."""
    end = min(limit, pos + _MAX_RIGHT)
    brk = next_break(norm, pos, end, _PUNCT_BREAKS if cross_list else _PUNCT_BREAKS + "、")
    if brk >= 0:
        end = brk
    lay = layout_break_after(norm, pos, end)
    if lay >= 0:
        end = lay
    s = "".join(norm[pos:end].split())
    if "(" in s:
        s = _PINYIN.sub("", s)
    digit = next((i for i, ch in enumerate(s) if ch.isdigit()), -1)
    if digit >= 0:
        s = s[:digit]  # stop before the next figure
    s = s.rstrip(".")  # an ASCII full stop ends some sentences in converted text
    if s.startswith("的"):
        s = s[1:]
    if s[:1].isdigit() or s.startswith(lexicon.words("continuation_words.txt")):
        return ""
    return s


def subject_core(indicator: str) -> str:
    """An indicator without its trailing verb and modifiers: '财政支出增长' -> '财政支出'."""
    if not indicator:
        return ""  # (the common empty left side: no pattern to run)
    return patterns.modifiers_re().sub("", _directions().sub("", indicator))


def lead_verb(phrase: str) -> str:
    """The lead verb that opens ``phrase`` (the longest), else ""."""
    m = patterns.alternation("lead_verbs.txt").match(phrase)  # longest first, like the list
    return m.group(0) if m else ""


def direction(text: str) -> str | None:
    """'up' / 'down' from the last direction word in ``text`` (the clause before a figure)."""
    words = _directions().findall(text)  # (one call in C: no match objects)
    return lexicon.mapping("directions.tsv")[words[-1]] if words else None


# --- one figure's indicator within its sentence ------------------------------------------

_MEASURE_UNITS = lexicon.units_of("count", "household")
_PEOPLE_UNITS = lexicon.units_of("person", "times")
_MONEY_UNITS = lexicon.units_of("money")
_FROM_LEFT = re.compile(r"(?<!自|理|经)(?:从|由)(?!于|此)")
_MAX_SUBJECT = 16
_LEADING_FIGURE = re.compile(r"^\d[\d.]*[万亿]?[^\d]?")


@cache
def _object_verbs() -> tuple[str, ...]:
    return lexicon.words("object_verbs.txt")


@cache
def _dependent_words() -> frozenset[str]:
    return frozenset(lexicon.words("dependent_words.txt"))


@cache
def _opening_verbs() -> tuple[str, ...]:
    """Verbs that open a clause before its object: stripped to find the clause's noun."""
    return tuple(
        sorted(
            set(lexicon.words("lead_verbs.txt")) | set(lexicon.words("project_verbs.txt")),
            key=lambda w: (-len(w), w),
        )
    )


def is_from_value(norm: str, raw: str, q: Quantity) -> bool:
    """The starting value of "从X提高到Y": context for Y, not a figure of its own."""
    if "从" not in raw and "由" not in raw:
        return False  # (the common case: _FROM_LEFT needs one of them)
    return bool(_FROM_LEFT.search(raw)) and bool(patterns.to_after_re().match(norm, q.stop))


def predicate_only(raw: str) -> str | None:
    """The left side cleaned to its predicate when it names no noun ("累计达到" -> "累计",
    "又人均提高", "占全省"); None when it holds a noun of its own."""
    s = "".join(raw.split()).strip("、和与及")
    if not s or len(s) > 24 or s[-1] not in patterns.predicate_ends():
        return None  # a predicate alone is short and ends in a predicate word
    for _ in range(3):
        t = patterns.time_prefix_re().sub("", _strip_fillers_keep(s))
        if t.startswith(lexicon.words("condition_words.txt")):
            t = patterns.condition_re().sub("", t)
        if t == s:
            break
        s = t
    if not s or not patterns.predicate_re().fullmatch(s):
        return None
    return patterns.predicate_tail_word_re().sub("", s)


def _strip_fillers_keep(s: str) -> str:
    """Fillers off the front, except the predicate words kept in the indicator (累计, 分别)."""
    m = _fillers().match(s)
    if m and not patterns.predicate_re().match(s[: m.end()]):
        return s[m.end() :]
    return s


def subject_noun(phrase: str) -> str:
    """The noun an indicator or clause is about: a leading figure and opening verb off, cut at
    its first figure, without a trailing predicate ("PCT国际专利申请量占全市" ->
    "PCT国际专利申请量", "新增公园" -> "公园", "养老金连续5年增加" -> "养老金")."""
    s = _LEADING_FIGURE.sub("", phrase)
    if s.startswith(_opening_verbs()):  # (a quick test in C before the loop)
        for w in _opening_verbs():
            if s.startswith(w) and len(s) > len(w) + 1:
                s = s[len(w) :]
                break
    digit = next((i for i, ch in enumerate(s) if ch.isdigit()), -1)
    if digit >= 2:
        s = s[:digit]
    m = patterns.predicate_tail_re().search(s, 2)
    if m:
        s = s[: m.start()]
    return s[:_MAX_SUBJECT]


def _clause_subject(clause: str, pred: str) -> str:
    """Subject + predicate from the previous clause; where that clause names the predicate's
    verb, its words up to that verb ("实施高职扩招和…三年行动，累计扩招413万人" -> "高职扩招累计")."""
    verb = ""
    for d in _directions().finditer(pred):
        verb = d.group(0)
    k = clause.find(verb) if len(verb) >= 2 else -1
    if k >= 2:
        head = clause[: k + len(verb)]
        for w in _opening_verbs() if head.startswith(_opening_verbs()) else ():
            if head.startswith(w) and len(head) > len(w) + 1:
                head = head[len(w) :]
                break
        return head + pred.replace(verb, "")
    subject = subject_noun(clause)
    return subject + pred if len(subject) >= 2 else ""


def _previous_clause(norm: str, start: int, s_start: int) -> str:
    """The clause before the one starting at ``start``: in the sentence, else the last clause of
    the previous sentence of the same paragraph ("" at a paragraph start)."""
    if start > s_start:
        end = start - 1
        lo = clause_start(norm, end, s_start)
        return norm[lo:end]
    end = s_start - 1
    while end > 0 and norm[end] in " \t":
        end -= 1
    if end <= 0 or norm[end] not in "。!?;":
        return ""
    lo = clause_start(norm, end, max(0, end - 200))
    return norm[lo:end]


def _previous_object(clause: str) -> str:
    """What the previous clause spends on: the words after its last verb ("增加社会保障投入")."""
    s = left_phrase(clause)
    last = None
    for m in _directions().finditer(s):
        last = m
    if last is None or len(s) - last.end() < 2:
        return ""
    return s[last.end() :][:_MAX_SUBJECT]


def _purpose(norm: str, pos: int, limit: int) -> str:
    """The clause after a money figure when it says what the money pays for ("，解决…问题")."""
    if pos >= limit or norm[pos] not in ",;":
        return ""
    end = next_break(norm, pos + 1, min(limit, pos + 1 + 24), _PUNCT_BREAKS)
    clause = norm[pos + 1 : end if end >= 0 else min(limit, pos + 1 + 24)].strip()
    if not patterns.purpose_re().match(clause):
        return ""
    return clause.removesuffix("问题")


def indicator_phrases(norm: str, s_start: int, s_end: int, qs: list[Quantity]) -> list[tuple[str, str, bool]]:
    """For each figure of one sentence: (indicator, raw left text, keep).

    ``keep`` is False for a figure that states a present state or the starting value of
    "从X提高到Y". The indicator is the clause text left of the figure, the noun after a measure
    word, or, when the left side holds only a verb or qualifier, the noun of the previous
    figure, clause or sentence.
    """
    out: list[tuple[str, str, bool]] = []
    preds: list[str | None] = []
    prev_ind = ""
    prev_kept = False
    breaks = _clause_breaks(norm, s_start, s_end)
    for i, q in enumerate(qs):
        start = _clause_start_in(norm, q.start, s_start, s_end, breaks)
        if i and prev_kept and qs[i - 1].stop > start:
            start = qs[i - 1].stop
        raw = norm[start : q.start]
        keep = prev_kept = not roles.is_state_only(raw) and not is_from_value(norm, raw, q)
        raw_clean = raw.lstrip("、和与及 ")
        left = left_phrase(raw_clean)
        # (a left side of only a predicate is short: test only those)
        pred = predicate_only(raw_clean) if len(left) <= 8 and raw_clean.strip() else None
        if raw_clean.endswith("等"):  # "A、B等6个X": the examples are not the indicator
            left = lead_verb(left)
        elif "等" in left:
            k = left.rfind("等")
            after = left[k + 1 :]
            if len(after) >= 3 and not after.startswith(lexicon.words("collective_nouns.txt")):
                left = lead_verb(left) + after
        generic = patterns.generic_actor_re().match(left)
        if generic and generic.end() == len(left):
            left = ""  # "各地可降至16%": the measure is named in the previous clause
        core = subject_core(left)
        dependent = core in _dependent_words() or bool(generic and not left)
        bare = len(core) <= 1 or dependent
        opens = not raw.strip(" ") and q.unit in _MEASURE_UNITS  # "，59个机关、企事业单位…开放"
        right = ""
        if (
            not q.unit
            or q.unit_noun
            or q.unit in _MEASURE_UNITS
            or bare
            or norm[q.stop : q.stop + 1] == "的"
            or (q.unit in _MONEY_UNITS and left.endswith(_object_verbs()))
        ):
            right = right_phrase(norm, q.stop, s_end, cross_list=opens)
        elif q.unit in _PEOPLE_UNITS:
            tail = right_phrase(norm, q.stop, s_end)
            # "带动1.1万人就业", "1700多万人次受益"; after a lone verb the noun: "引导1000名高校毕业生…"
            right = tail if len(tail) <= 4 or len(left) <= 2 else ""
        if (
            (opens or (q.unit in _MEASURE_UNITS and raw_clean.count("、") >= 2))
            and right
            and i + 1 < len(qs)
            and next_break(norm, q.stop, qs[i + 1].start, _PUNCT_BREAKS + "、") < 0
        ):
            # "153家规上企业完成产值272亿元", "A、B、C 3家骨干企业税收过千万元": the count
            # qualifies the subject of the figure after it
            keep = prev_kept = False
        dependent = dependent or (not core and right in _dependent_words())
        if not q.unit and q.has_multiplier and "人" in right:
            q.unit = "人"  # "1000多万失业人员"
        ind = left + right
        if pred and len(right) < 2 and not generic:
            # "累计达到832座", "占全省36%", "又人均提高10%": the noun of the figure or clause before
            if prev_ind:
                subject = subject_noun(prev_ind)
                ind = subject + pred if len(subject) >= 2 else ind
            else:
                ind = _clause_subject(left_phrase(_previous_clause(norm, start, s_start)), pred) or ind
        elif bare and len(right) < 4:
            if prev_ind:
                # "增长6.5%" after "财政支出…": the subject; "、7.5%": the whole previous phrase
                ind = subject_core(prev_ind) + ind if left or right else prev_ind
            elif dependent and start > s_start:  # borrow the tail of the previous clause
                prev_clause = left_phrase(norm[clause_start(norm, start - 1, s_start) : start - 1])
                ind = (prev_clause[-16:] if generic else prev_clause[-6:]) + ind
        elif (
            q.unit in _MEASURE_UNITS
            and prev_ind
            and not right
            and 0 < len(left) <= 5
            and lead_verb(left) == left
        ):
            # "现有规上工业企业86家，今年新增15家" / "新建学校3所，改建5所": the noun was named before
            noun = prev_ind[len(lead_verb(prev_ind)) :]
            noun = noun[noun.rfind("有") + 1 :] if "有" in noun else noun
            ind = left + noun[-12:]
        elif i and raw.startswith("、") and len(left) <= 2 and len(prev_ind) > len(left) + 1:
            ind = prev_ind[: -len(left)] + ind  # "五年累计减税5.4万亿元、降费2.8万亿元"
        elif i and not lead_verb(left) and raw.startswith("、"):
            ind = lead_verb(prev_ind) + ind  # "新增养老机构2处、床位300余张"
        elif q.unit in _MONEY_UNITS and not right and left.endswith(_object_verbs()):
            # "中央财政安排429亿元，解决…问题" / "增加社会保障投入，中央财政拟安排3185亿元"
            ind = left + (
                _purpose(norm, q.stop, s_end) or _previous_object(_previous_clause(norm, start, s_start))
            )
        word = norm[q.start : q.end]
        if word.startswith("翻"):
            ind += "翻番"
        elif word == "全覆盖":
            ind += "覆盖"
        out.append((ind, raw, keep))
        preds.append(pred)
        prev_ind = ind or prev_ind
    _respectively(norm, qs, out)
    _pair_with_previous(norm, qs, out, preds)
    return out


def _gap(norm: str, a: Quantity, b: Quantity) -> str:
    return norm[a.stop : b.start].strip()


def _list_length(norm: str, qs: list[Quantity], i: int) -> int:
    n = 1
    while i + n < len(qs) and _gap(norm, qs[i + n - 1], qs[i + n]) in lexicon.list_gaps():
        n += 1
    return n


def _pair_with_previous(
    norm: str, qs: list[Quantity], out: list[tuple[str, str, bool]], preds: list[str | None]
) -> None:
    """ "A 17175元，B 5153元，实际增长9.8%和8.5%": a list of figures with only a predicate takes
    the subjects of as many figures before it, in order."""
    for i, pred in enumerate(preds):
        if not pred:
            continue
        n = _list_length(norm, qs, i)
        if n < 2 or i < n:
            continue
        subjects = [subject_noun(out[i - n + k][0]) for k in range(n)]
        if len(set(subjects)) < n or any(len(s) < 2 for s in subjects):
            continue
        for k in range(n):
            _, raw, keep = out[i + k]
            out[i + k] = (subjects[k] + pred, raw, keep)
        return


def _respectively(norm: str, qs: list[Quantity], out: list[tuple[str, str, bool]]) -> None:
    """'A、B投资分别增长9.4%、9.1%': give each figure its own subject."""
    for i, (_, raw, _keep) in enumerate(out):
        k = raw.rfind("分别")
        if k < 0:
            continue
        n = _list_length(norm, qs, i)
        pre = left_phrase(raw[:k]) if raw[:k].strip() else ""
        verb = left_phrase(raw[k + 2 :]) or raw[k + 2 :]
        parts = [p for p in pre.replace("和", "、").replace("及", "、").split("、") if p]
        if n < 2 or len(parts) != n:
            continue
        last = parts[-1]
        for j, part in enumerate(parts):
            tail = ""
            if j < n - 1:
                pos = last.find(part[-1])
                if 0 <= pos < len(last) - 1:
                    tail = last[pos + 1 :]
                elif len(last) > len(part) + 1:
                    tail = last[len(part) :]
            ind = part + tail + verb
            _, r, kp = out[i + j]
            out[i + j] = (ind, r, kp)
        return
