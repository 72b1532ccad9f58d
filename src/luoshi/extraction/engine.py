"""The extraction engine: report text -> :class:`Plan` (pure: no file, web or database I/O).

One pass of NUMBER_RE over a same-length normalised copy of the text finds candidate figures;
each is read from a bounded window (unit, comparator), then figures are handled sentence by
sentence (indicator, role, deadline). Memory stays proportional to the number of figures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import fields

from luoshi.extraction import document, lexicon, patterns, roles
from luoshi.extraction.chrome import ChromeIndex
from luoshi.extraction.indicators import (
    direction,
    left_phrase,
)
from luoshi.extraction.indicators import indicator_phrases as _indicators
from luoshi.extraction.indicators import is_from_value as _is_from_value
from luoshi.extraction.model import Basis, Comparator, Direction, DocumentInfo, Item, Part, Plan, Role
from luoshi.extraction.normalize import changed_chars, normalize_marked
from luoshi.extraction.numerals import NUMBER_RE
from luoshi.extraction.projects import find_project_counts, find_projects
from luoshi.extraction.quantities import Quantity, read_quantity
from luoshi.extraction.sections import SectionIndex, find_sections, heading_cue, sentence_bounds
from luoshi.extraction.timeframe import TimeFrame

__all__ = ["extract_text"]


def extract_text(text: str, source: str | None = None) -> Plan:
    """Extract targets, outcomes, sections and projects from report text."""
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    norm, converted = normalize_marked(text)
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
    ctx = _Context(text, norm, SectionIndex(sections), plan_year)
    ctx.converted = converted
    ctx.frame = TimeFrame(norm, plan_year)
    ctx.role_year = plan_year or ctx.frame.plan_year
    for s_start, s_end, qs in _sentences(norm):
        for item in _sentence_items(ctx, s_start, s_end, qs):
            (plan.targets if item.role == "target" else plan.outcomes).append(item)
    plan.projects = find_projects(text, norm)
    plan.project_counts = find_project_counts(text, norm)
    return plan


class _Context:
    __slots__ = ("converted", "frame", "heading_bases", "index", "norm", "plan_year", "role_year", "text")

    def __init__(self, text: str, norm: str, index: SectionIndex, plan_year: int | None):
        self.text, self.norm, self.index, self.plan_year = text, norm, index, plan_year
        self.role_year = plan_year  # the plan year, or one implied by the text (used for roles only)
        self.frame: TimeFrame
        self.heading_bases: dict[int, Basis | None] = {}
        self.converted = False  # converted to simplified script as a whole (see normalize_marked)

    def heading_basis(self, sec: int | None) -> Basis | None:
        """The heading word that gives a section its part, as the basis of its items' roles."""
        if sec is None:
            return None
        if sec not in self.heading_bases:
            self.heading_bases[sec] = self._heading_basis(sec)
        return self.heading_bases[sec]

    def _heading_basis(self, sec: int) -> Basis | None:
        s = self.index.sections[sec]
        start = s.span[0]
        cue = heading_cue(self.norm[start : start + len(s.heading)], self.role_year)
        return Basis(cue[0], (start + cue[1], start + cue[1] + len(cue[0]))) if cue else None


def _quantities(norm: str) -> Iterator[Quantity]:
    stop = 0
    chrome = ChromeIndex(norm)  # no figure is read from page chrome (phone numbers, ICP ...)
    spans = chrome.spans
    for m in NUMBER_RE.finditer(norm):
        if m.start() < stop:
            continue  # inside the previous figure (the second end of a range)
        q = read_quantity(norm, m)
        if q is not None and (not spans or q.start not in chrome):
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


def _back_map(
    ctx: _Context, s_start: int, s_end: int, indicators: list[tuple[str, str, bool]], qs: list[Quantity]
) -> dict[int, str]:
    """Normalised character -> the text's own, for the characters of the sentence's indicators
    and units (where a character is written two ways, the last occurrence wins)."""
    norm, text = ctx.norm, ctx.text
    if ctx.converted:  # (converted script: any position may differ)
        original = text[s_start:s_end]
        if original == norm[s_start:s_end]:
            return {}
        used = set("".join(ind for ind, _, _ in indicators) + "".join(q.unit for q in qs))
        return {ord(a): b for a, b in zip(norm[s_start:s_end], original, strict=True) if a != b and a in used}
    # else only where the normalisation table changed a character: found in C, a few per sentence
    changed = [m.start() for m in changed_chars().finditer(text, s_start, s_end)]
    if not changed:
        return {}
    used = set("".join(ind for ind, _, _ in indicators) + "".join(q.unit for q in qs))
    back: dict[int, str] = {}
    for i in changed:
        if (a := norm[i]) in used and a != (b := text[i]):
            back[ord(a)] = b
    return back


def _gap(norm: str, a: Quantity, b: Quantity) -> str:
    return norm[a.stop : b.start].strip()


# An Item is frozen: its generated __init__ sets each of its 14 fields through
# object.__setattr__, a look-up by name each; the slots' own setters are a third faster per
# figure (the same object: Item.__eq__ and every field as the constructor sets them).
(_s0, _s1, _s2, _s3, _s4, _s5, _s6, _s7, _s8, _s9, _s10, _s11, _s12, _s13) = (
    getattr(Item, f.name).__set__ for f in fields(Item)
)
_new = object.__new__


def _item(  # (the fields of Item in their order: tests/extraction/test_item_field_order.py)
    role: Role,
    span: tuple[int, int],
    surface: str,
    value: float,
    unit: str,
    comparator: Comparator,
    indicator: str,
    sentence: tuple[int, int],
    value_max: float | None,
    direction: Direction | None,
    section: int | None,
    deadline: int | None,
    aspirational: bool,
    basis: Basis | None,
) -> Item:
    item: Item = _new(Item)
    _s0(item, role)
    _s1(item, span)
    _s2(item, surface)
    _s3(item, value)
    _s4(item, unit)
    _s5(item, comparator)
    _s6(item, indicator)
    _s7(item, sentence)
    _s8(item, value_max)
    _s9(item, direction)
    _s10(item, section)
    _s11(item, deadline)
    _s12(item, aspirational)
    _s13(item, basis)
    return item


def _sentence_items(ctx: _Context, s_start: int, s_end: int, qs: list[Quantity]) -> list[Item]:
    norm = ctx.norm
    # a unit written once at the end of a list applies to all: "10.6万、3.8万、3.3万平方公里"
    for i in range(len(qs) - 2, -1, -1):
        if (
            not qs[i].unit
            and qs[i].has_multiplier
            and qs[i + 1].unit
            and _gap(norm, qs[i], qs[i + 1]) in lexicon.list_gaps()
        ):
            qs[i].unit = qs[i + 1].unit
    indicators = _indicators(norm, s_start, s_end, qs)
    # indicators are built on the normalised copy: write them back in the document's own
    # characters (traditional, full-width), as they read in the text
    # (units too: "種", "公頃" as the document writes them; the scorer folds 個/戶/… itself)
    back = _back_map(ctx, s_start, s_end, indicators, qs)
    if back:
        indicators = [(ind.translate(back), raw, keep) for ind, raw, keep in indicators]
        unit_back = {k: v for k, v in back.items() if k >= 0x80}  # "%" stays "%", not "％"
        for q in qs:
            q.unit = q.unit.translate(unit_back)
    items: list[Item] = []
    sentence = norm[s_start:s_end]
    bounds = (s_start, s_end)  # one tuple shared by the sentence's items
    sentence_deadline: list[int | None] = []  # computed once, for the first target
    for q, (ind, raw_left, keep) in zip(qs, indicators, strict=True):
        sec = ctx.index.at(q.start)
        part: Part = ctx.index.sections[sec].part if sec is not None else "other"
        if not keep and not (
            part == "review" and roles.is_achieved(raw_left) and not _is_from_value(norm, raw_left, q)
        ):
            continue  # in the review, "已有1700万人次受益" is a result, not the present state
        if part == "plan" and (
            patterns.already_re().search(raw_left)
            or "预计" in raw_left
            or (roles.ends_with_state_noun(raw_left) and roles.is_state_noun(left_phrase(raw_left)))
        ):
            continue  # "人口已达2.5亿", "毕业生预计1158万人": the present state or a forecast
        role, basis = roles.judge_role(
            part, ctx.frame, q.start, q.stop, bounds, q.start - len(raw_left), ctx.heading_basis(sec)
        )
        if (
            basis is not None
            and (shown := ctx.text[basis.span[0] : basis.span[1]]) != norm[basis.span[0] : basis.span[1]]
        ):
            basis = Basis(shown.replace("\n", ""), basis.span)  # as the text writes it (traditional)
        if role == "target" and not sentence_deadline:
            heading = ctx.index.sections[sec].heading if sec is not None else ""
            # the stated plan year, else one the text implies ("2023年，…" then "新的一年，…")
            sentence_deadline.append(roles.deadline(sentence, ctx.role_year, heading))
        items.append(
            _item(  # (positional, in field order: a keyword call costs a third more per figure)
                role,
                (q.start, q.end),  # span
                ctx.text[q.start : q.stop],  # surface
                q.value,
                q.unit,
                q.comparator,  # type: ignore[arg-type]
                ind,  # indicator
                bounds,  # sentence
                q.value_max,
                direction(raw_left + norm[q.start : q.stop]) or direction(ind),  # type: ignore[arg-type]
                sec,  # section
                sentence_deadline[0] if role == "target" else None,  # deadline
                roles.aspirational(norm[max(s_start, q.start - 300) : q.start])
                if role == "target"
                else False,
                basis,
            )
        )
    return items
