"""Regular expressions built from the word lists in ``luoshi/data/lexicon``, compiled once.

Every vocabulary is data (see :mod:`luoshi.extraction.lexicon`); this module turns each list
into an alternation (longest word first, so the longest match wins) and caches it. Adding a
unit or a hedge is one line in one data file; nothing here names a word of its own except the
numeral grammar, which is not vocabulary.

``registry()`` lists every pattern, for the lexicon integrity test and the ReDoS test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from luoshi.extraction import lexicon

__all__ = [
    "CN_DIGITS",
    "alternation",
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
    cn_follow = rf"(?:多|余)?(?:万亿|亿|万|千)?(?:多|余)?(?:{_alt(follow_units)})"
    return re.compile(
        # 百分之 first: "百分之六点五" is 6.5%, not the fraction 6/100 read up to "六"
        r"百分之(?P<pct>[零一二两三四五六七八九十点]{1,6})"
        r"|(?P<word>翻了?两番|翻了?一番|翻番|全覆盖|一半|(?P<den>[一二两三四五六七八九十百]{1,3})分之"
        r"(?P<num>[一二两三四五六七八九十]{1,3}))"
        r"|(?P<ar>\d++(?:,\d{3}(?!\d))*+(?:\n\d++)?+(?:[ \n]?\.[ \n]?\d++(?:\n\d++)?+)?+)"
        r"|(?P<cheng>[一二两三四五六七八九])成(?![功为立长本果绩效员熟])"
        rf"|(?<![{CN_DIGITS}])(?P<cn>[{CN_DIGITS}]++(?:点[零〇一二两三四五六七八九]++)?+)(?={cn_follow})"
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
    }
    return out
