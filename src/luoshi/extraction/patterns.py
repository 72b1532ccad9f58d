"""Regular expressions built from the word lists in ``luoshi/data/lexicon``, compiled once.

Every vocabulary is data (see :mod:`luoshi.extraction.lexicon`); this module turns each list
into an alternation (longest word first, so the longest match wins) and caches it. Adding a
unit or a hedge is one line in one data file; nothing here names a word of its own except the
numeral grammar, which is not vocabulary.

``registry()`` lists every pattern, for the lexicon integrity test and the ReDoS test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from luoshi.extraction import lexicon

__all__ = [
    "finditer_near",
    "CN_DIGITS",
    "achieved_re",
    "already_re",
    "alternation",
    "area_subject_re",
    "condition_re",
    "dropped_inside_re",
    "first_chars",
    "generic_actor_re",
    "invest_re",
    "measured_span_re",
    "modifiers_re",
    "past_clause_re",
    "past_period_re",
    "place_re",
    "plan_year_re",
    "policy_verb_re",
    "predicate_tail_word_re",
    "ranking_re",
    "state_only_re",
    "strong_cue_re",
    "time_prefix_re",
    "to_after_re",
    "trailing_ends",
    "trailing_re",
    "whole_area_re",
    "chrome_re",
    "latin_unit_re",
    "number_re",
    "predicate_ends",
    "predicate_re",
    "predicate_tail_re",
    "purpose_re",
    "registry",
    "subject_stop_re",
    "unit_noun_re",
    "unit_re",
]

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"


def _alt(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@cache
def alternation(name: str) -> re.Pattern[str]:
    """One word of the list ``name`` (a .txt list, or the first column of a .tsv file)."""
    if name.endswith(".tsv"):
        return re.compile(_alt([r[0] for r in lexicon.rows(name)]))
    return re.compile(_alt(lexicon.words(name)))


@cache
def unit_re() -> re.Pattern[str]:
    """A unit surface (units.tsv), longest first."""
    return re.compile(_alt(list(lexicon.units())))


@cache
def latin_unit_re() -> re.Pattern[str]:
    """A unit written in Latin letters right after a figure ("100MW", "5km"), not a word."""
    latin = [u for u in lexicon.units() if u.isascii() and u.isalpha()]
    return re.compile(rf"(?:{_alt(latin)})(?![A-Za-z])")


@cache
def number_re() -> re.Pattern[str]:
    """Candidate figures in one pass (no nested quantifiers: it cannot backtrack badly).

    A Chinese numeral counts only before a unit whose row allows Chinese numerals (units.tsv
    column 4), so "新增渔船五十艘" and "新建学校三所" are figures and "三年", "一次" are not.
    """
    follow_units = [
        u.surface for u in lexicon.units().values() if u.chinese != "-" and not u.surface.isascii()
    ]
    # (the character classes ahead of the optional words and of the units change no match:
    # they fail at once where no unit can follow, instead of trying every unit after each of
    # the optional words' combinations: most Chinese numerals in a report are no figure)
    firsts = "".join(sorted({re.escape(u[0]) for u in follow_units}))
    cn_follow = rf"(?=[多余万亿千{firsts}])(?:多|余)?(?:万亿|亿|万|千)?(?:多|余)?(?=[{firsts}])(?:{_alt(follow_units)})"
    return re.compile(
        # a look-ahead for the first characters of every branch lets the regex engine skip to
        # the next candidate character at C speed instead of trying each branch at every
        # character (3.5x faster on report text; the matches are the same)
        rf"(?=[\d{CN_DIGITS}翻全])(?:"
        # 百分之 first: "百分之六点五" is 6.5%, not the fraction 6/100 read up to "六"
        r"百分之(?P<pct>[零一二两三四五六七八九十点]{1,6})"
        r"|(?P<word>翻了?两番|翻了?一番|翻番|全覆盖|一半|(?P<den>[一二两三四五六七八九十百]{1,3})分之"
        r"(?P<num>[一二两三四五六七八九十]{1,3}))"
        r"|(?P<ar>\d++(?:,\d{3}(?!\d))*+(?:\n\d++)?+(?:[ \n]?\.[ \n]?\d++(?:\n\d++)?+)?+)"
        r"|(?P<cheng>[一二两三四五六七八九])成(?![功为立长本果绩效员熟])"
        rf"|(?<![{CN_DIGITS}])(?P<cn>[{CN_DIGITS}]++(?:点[零〇一二两三四五六七八九]++)?+)(?={cn_follow}))"
    )


@cache
def unit_noun_re() -> re.Pattern[str]:
    """A noun that names the unit of a bare 万/亿 figure ("6069万农民", "510万沼气用户")."""
    return re.compile(_alt([r[0] for r in lexicon.rows("unit_nouns.tsv")]))


@cache
def chrome_re() -> re.Pattern[str]:
    """A line of page chrome (chrome.tsv: one regular expression per row)."""
    return re.compile("|".join(f"(?:{r[0]})" for r in lexicon.rows("chrome.tsv")), re.MULTILINE)


def _predicates(*kinds: str) -> list[str]:
    words = [r[0] for r in lexicon.rows("predicates.tsv") if r[1] in kinds]
    if "verb" in kinds:
        words += list(lexicon.mapping("directions.tsv"))
    return words


@cache
def predicate_re() -> re.Pattern[str]:
    """A left side made only of verbs, adverbs and qualifiers (predicates.tsv and the
    direction verbs): "累计达到", "又人均提高", "占全省", "大规模扩招"."""
    return re.compile(rf"(?:{_alt(_predicates('verb', 'adverb', 'qualifier'))})++")


@cache
def predicate_tail_re() -> re.Pattern[str]:
    """A run of predicate words that ends the text (searched: its start ends the subject)."""
    return re.compile(rf"(?:{_alt(_predicates('verb', 'adverb', 'qualifier'))})++$")


@cache
def predicate_ends() -> frozenset[str]:
    """Last characters of the predicate words: a quick test before the full pattern."""
    return frozenset(w[-1] for w in _predicates("verb", "adverb", "qualifier"))


@cache
def subject_stop_re() -> re.Pattern[str]:
    """Where a subject ends inside an indicator: its first verb or adverb ("…申请量|占全市")."""
    return re.compile(rf"{_alt(_predicates('verb', 'adverb'))}|\d")


@cache
def purpose_re() -> re.Pattern[str]:
    """A clause that says what money pays for: "解决…问题", "用于…"."""
    return re.compile(_alt(_predicates("purpose")))


@cache
def first_chars(name: str) -> frozenset[str]:
    """First characters of the words of a .txt list: a quick test before a pattern anchored
    at the start of a phrase."""
    return frozenset(w[0] for w in lexicon.words(name))


def _w(name: str) -> str:
    """The words of a .txt list as an alternation (longest first), for use inside a pattern."""
    return _alt(lexicon.words(name))


# --- indicator phrases (extraction/indicators.py) ------------------------------------------


@cache
def time_prefix_re() -> re.Pattern[str]:
    """A time word opening an indicator ("今年", "到2025年底前", "新的一年"), to strip."""
    time_prefix_leads = _w("time_prefix_leads.txt")
    time_prefixes = _w("time_prefixes.txt")
    return re.compile(rf"^(?:{time_prefix_leads})?(?:\d{{4}}年(?:底|末)?(?:前)?|{time_prefixes})")


@cache
def trailing_re() -> re.Pattern[str]:
    """Words that end a left side without naming a measure ("控制在", "不低于", "累计")."""
    trailing_verbs = _w("trailing_verbs.txt")
    trailing_complements = _w("trailing_complements.txt")
    trailing_words = _w("trailing_words.txt")
    verb = rf"(?:{trailing_verbs})(?:{trailing_complements})"
    return re.compile(rf"(?:{verb}|{trailing_words})$")


@cache
def trailing_ends() -> frozenset[str]:
    """Last characters of what :func:`trailing_re` matches: a quick test before the search
    (which, anchored at the end, is otherwise tried at every character of the phrase)."""
    words = lexicon.words("trailing_words.txt") + lexicon.words("trailing_complements.txt")
    return frozenset(w[-1] for w in words)


@cache
def predicate_tail_word_re() -> re.Pattern[str]:
    """A copula ending a subject before its figure ("…比重达")."""
    predicate_tails = _w("predicate_tails.txt")
    return re.compile(rf"(?:{predicate_tails})$")


@cache
def to_after_re() -> re.Pattern[str]:
    """A to-verb right after a from-value ("从5%|提高到8%")."""
    to_verbs = _w("to_verbs.txt")
    to_words = _w("to_words.txt")
    return re.compile(rf"(?:{to_verbs})(?:{to_words})")


@cache
def modifiers_re() -> re.Pattern[str]:
    """Modifiers removed from an indicator to get its subject ("三年", "年均", "同比")."""
    modifiers = _w("modifiers.txt")
    return re.compile(rf"(?:[一二两三四五六七八九十]+年|{modifiers})")


@cache
def dropped_inside_re() -> re.Pattern[str]:
    """Words dropped from inside an indicator ("同比", "已" before 完成/实现…)."""
    dropped_inside = _w("dropped_inside.txt")
    already_verbs = _w("already_verbs.txt")
    return re.compile(rf"{dropped_inside}|已(?={already_verbs})")


@cache
def whole_area_re() -> re.Pattern[str]:
    """A whole area and its modals ("全县将"): group 1 keeps the area."""
    area_modals = _w("area_modals.txt")
    return re.compile(rf"^(全[省市县区州镇乡盟旗])(?:{area_modals})+")


@cache
def area_subject_re() -> re.Pattern[str]:
    """A named area with a future modal opening a clause ("某区将")."""
    area_subject_modals = _w("area_subject_modals.txt")
    return re.compile(rf"^[\u4e00-\u9fff]{{1,5}}[省市县区州旗](?:{area_subject_modals})")


@cache
def policy_verb_re() -> re.Pattern[str]:
    """A policy verb before what it changes ("下调|缴费比例")."""
    policy_verbs = _w("policy_verbs.txt")
    return re.compile(rf"^(?:{policy_verbs})(?=.{{4}})")


@cache
def condition_re() -> re.Pattern[str]:
    """A condition before the predicate ("扣除留抵退税因素后")."""
    condition_words = _w("condition_words.txt")
    condition_ends = _w("condition_ends.txt")
    return re.compile(rf"^(?:{condition_words})[^,;。]{{1,14}}?(?:{condition_ends})")


@cache
def generic_actor_re() -> re.Pattern[str]:
    """A generic actor with its modal ("各地可")."""
    generic_actors = _w("generic_actors.txt")
    generic_actor_modals = _w("generic_actor_modals.txt")
    return re.compile(rf"(?:{generic_actors})(?:{generic_actor_modals})?")


# --- roles (extraction/roles.py, extraction/engine.py) -------------------------------------


@cache
def already_re() -> re.Pattern[str]:
    """A word saying a figure is already reached ("已达", "现已")."""
    return re.compile(_w("already_words.txt"))


@cache
def state_only_re() -> re.Pattern[str]:
    """A state word, then no change verb, up to the figure ("现有…")."""
    state_leads = _w("state_leads.txt")
    return re.compile(rf"(?:{state_leads})[^,;。降提增减到至为]{{0,10}}$")


@cache
def achieved_re() -> re.Pattern[str]:
    """A reached-state word, then no change verb, up to the figure ("已建成…")."""
    achieved_leads = _w("achieved_leads.txt")
    return re.compile(rf"(?:{achieved_leads})[^,;。降提增减到至为]{{0,10}}$")


@cache
def past_clause_re() -> re.Pattern[str]:
    """A clause about last year, not a comparison base ("去年…" but not "上年同期")."""
    past_clause_words = _w("past_clause_words.txt")
    past_clause_exceptions = _w("past_clause_exceptions.txt")
    return re.compile(rf"(?:{past_clause_words})(?!{past_clause_exceptions})")


@cache
def past_period_re() -> re.Pattern[str]:
    """A period of review ("过去五年")."""
    return re.compile(_w("past_periods.txt"))


@cache
def measured_span_re() -> re.Pattern[str]:
    """A noun of a measured span before a duration ("优良天数")."""
    return re.compile(_w("measured_spans.txt"))


@cache
def strong_cue_re(part: str) -> re.Pattern[str]:
    """A strong cue of ``part`` ("review" or "plan") in a sentence (strong_cues.tsv)."""
    return re.compile(_alt([w for w, p in lexicon.rows("strong_cues.tsv") if p == part]))


@cache
def ranking_re() -> re.Pattern[str]:
    """A ranking, which reports a result: "居全省第3位", "位列第一"."""
    ranking_verbs = _w("ranking_verbs.txt")
    return re.compile(rf"(?:{ranking_verbs})[^,;。!?\n]{{0,12}}?第[一二三四五六七八九十\d]{{1,4}}[位名]?")


# --- document facts (extraction/document.py) -----------------------------------------------


@cache
def plan_year_re() -> re.Pattern[str]:
    """A heading or phrase naming the plan year ("2024年主要预期目标", "2024年政府工作任务")."""
    sections = _w("plan_year_sections.txt")
    goals = _w("plan_year_goals.txt")
    return re.compile(
        # (the look-ahead lets the regex engine skip to the next "20dd年" at C speed: 6x faster)
        rf"(?=20\d\d年)(?:(?<!\d)(20\d\d)年(?:政府)?(?:{sections})"
        rf"|(?<![\d到至])(20\d\d)年[^。,;:\n]{{0,14}}?(?:{goals}))"
    )


def finditer_near(
    pattern: re.Pattern[str], text: str, anchor: re.Pattern[str], near: int, far: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose every match starts ``near`` to ``far``
    characters before a match of ``anchor`` (a word the match must hold): ``pattern`` is tried
    only at those starts, not at every character (where it opens with a lazy name, the costliest
    scan of a document's head)."""
    pos = 0  # where the next match may start (finditer's: the end of the last)
    for a in anchor.finditer(text):
        at = a.start()
        for start in range(max(pos, at - far), at - near + 1):
            m = pattern.match(text, start)
            if m:
                yield m
                pos = m.end()
                break  # on to the next anchor: its starts past this match
        else:
            pos = max(pos, at - near + 1)  # every start up to here tried


@cache
def place_re() -> re.Pattern[str]:
    """A place named with its government or congress ("XX区人民政府", "XX市第十七届人民代表大会")."""
    suffixes = _w("place_suffixes.txt")
    return re.compile(
        rf"(?:(?<![\u4e00-\u9fff])|(?<=[在于向]))([\u4e00-\u9fff]{{2,12}}?(?:{suffixes}))"
        r"(?:人民政府|第[一二三四五六七八九十]{1,4}届人民代表大会|人大)"
    )


@cache
def invest_re() -> re.Pattern[str]:
    """A project's planned investment ("总投资约5.2亿元"): group 1 the amount, 2 its multiplier."""
    invest_words = _w("invest_words.txt")
    invest_hedges = _w("invest_hedges.txt")
    return re.compile(
        rf"(?:{invest_words})(?:{invest_hedges})?(?<!\d)(\d{{1,9}}(?:\.\d{{1,6}})?)(万亿|亿|万)?元"
    )


def registry() -> dict[str, Callable[[], re.Pattern[str]]]:
    """Every lexicon-built pattern by name (for the integrity and ReDoS tests)."""
    out: dict[str, Callable[[], re.Pattern[str]]] = {
        "number": number_re,
        "unit": unit_re,
        "latin_unit": latin_unit_re,
        "unit_noun": unit_noun_re,
        "chrome": chrome_re,
        "predicate": predicate_re,
        "predicate_tail": predicate_tail_re,
        "subject_stop": subject_stop_re,
        "purpose": purpose_re,
        "time_prefix": time_prefix_re,
        "trailing": trailing_re,
        "predicate_tail_word": predicate_tail_word_re,
        "to_after": to_after_re,
        "modifiers": modifiers_re,
        "dropped_inside": dropped_inside_re,
        "whole_area": whole_area_re,
        "area_subject": area_subject_re,
        "policy_verb": policy_verb_re,
        "condition": condition_re,
        "generic_actor": generic_actor_re,
        "already": already_re,
        "state_only": state_only_re,
        "achieved": achieved_re,
        "past_clause": past_clause_re,
        "past_period": past_period_re,
        "measured_span": measured_span_re,
        "strong_review": lambda: strong_cue_re("review"),
        "strong_plan": lambda: strong_cue_re("plan"),
        "ranking": ranking_re,
        "plan_year": plan_year_re,
        "place": place_re,
        "invest": invest_re,
    }
    return out
