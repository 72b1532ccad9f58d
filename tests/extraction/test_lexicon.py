"""Integrity of the word lists in ``luoshi/data/lexicon``: every list is well formed, used by
the code, and every pattern built from the lists compiles."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from luoshi.extraction import extract_text, lexicon, patterns

LEXICON = Path(str(files("luoshi") / "data" / "lexicon"))
SOURCES = Path(lexicon.__file__).parent
DATA_FILES = sorted(p.name for p in LEXICON.iterdir() if p.suffix in (".txt", ".tsv"))
# files whose first column may repeat (a mapping read in file order, several rows per key)
_COLUMNS = {"units.tsv": 4, "comparators.tsv": 3, "predicates.tsv": 2, "unit_nouns.tsv": 2, "chrome.tsv": 1}


def _entries(name: str) -> list[str]:
    if name.endswith(".tsv"):
        return [r[0] for r in lexicon.rows(name)]
    return [line.strip() for line in lexicon._lines(name)]


@pytest.mark.parametrize("name", DATA_FILES)
def test_no_duplicates(name: str) -> None:
    entries = _entries(name)
    dupes = sorted({e for e in entries if entries.count(e) > 1})
    assert not dupes, f"{name}: duplicate entries {dupes}"


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_list_is_used_by_the_code(name: str) -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in SOURCES.glob("*.py"))
    assert f'"{name}"' in code, f"{name} is not loaded anywhere in luoshi.extraction"


@pytest.mark.parametrize("name", [n for n in DATA_FILES if n.endswith(".tsv")])
def test_rows_have_their_columns(name: str) -> None:
    want = _COLUMNS.get(name, 2)
    bad = [r for r in lexicon.rows(name) if len(r) < want or any(not c for c in r[:want])]
    assert not bad, f"{name}: rows without {want} columns: {bad}"


def test_every_unit_has_a_known_class_and_numeral_flag() -> None:
    for u in lexicon.units().values():
        assert u.kind in lexicon.UNIT_CLASSES, (u.surface, u.kind)
        assert u.chinese in lexicon.CHINESE_NUMERALS, (u.surface, u.chinese)


def test_every_unit_class_is_given_to_some_unit() -> None:
    used = {u.kind for u in lexicon.units().values()}
    assert used == lexicon.UNIT_CLASSES, f"classes no unit has: {lexicon.UNIT_CLASSES - used}"


def test_every_unit_is_matched_whole() -> None:
    """The longest-first alternation reaches every surface (none is shadowed by a shorter one)."""
    for surface in lexicon.units():
        m = patterns.unit_re().match(surface)
        assert m and m.group(0) == surface, surface


def test_unit_nouns_name_known_units() -> None:
    canon = {u.canonical for u in lexicon.units().values()}
    for noun, unit in lexicon.rows("unit_nouns.tsv"):
        assert unit in canon and lexicon.unit_class(unit) in ("person", "household"), (noun, unit)


def test_predicate_kinds() -> None:
    kinds = {r[1] for r in lexicon.rows("predicates.tsv")}
    assert kinds <= {"verb", "adverb", "qualifier", "purpose"}


@pytest.mark.parametrize("name", sorted(patterns.registry()))
def test_every_pattern_compiles(name: str) -> None:
    assert isinstance(patterns.registry()[name](), re.Pattern)


def test_every_chrome_row_compiles_alone() -> None:
    for (row,) in lexicon.rows("chrome.tsv"):
        re.compile(row, re.MULTILINE)


@pytest.mark.parametrize("name", [n for n in DATA_FILES if n.endswith(".txt")])
def test_every_word_is_matched_whole(name: str) -> None:
    pattern = patterns.alternation(name)
    for word in lexicon.words(name):
        m = pattern.match(word)
        assert m and m.group(0) == word, (name, word)


def test_a_new_unit_is_one_line_for_arabic_and_chinese_numerals() -> None:
    """The same row of units.tsv serves "50艘" and "五十艘"."""
    for sentence in ("今年新增渔船50艘。", "今年新增渔船五十艘。"):
        items = extract_text(sentence).items()
        assert [(i.value, i.unit) for i in items] == [(50.0, "艘")], sentence


@pytest.mark.parametrize("name", ["strong_cues.tsv", "lean_words.tsv", "opening_words.tsv"])
def test_part_lists_name_a_known_part_and_both_parts(name: str) -> None:
    parts = [r[1] for r in lexicon.rows(name)]
    assert set(parts) == {"review", "plan"}, f"{name}: parts {sorted(set(parts))}"


def test_clause_word_patterns_strip_what_they_say() -> None:
    """The patterns built from the clause-word lists do their job on real phrasing."""
    assert patterns.time_prefix_re().match("到2025年底前新增").group(0) == "到2025年底前"
    assert patterns.time_prefix_re().match("新的一年新增").group(0) == "新的一年"
    assert patterns.trailing_re().sub("", "粮食产量稳定在") == "粮食产量"
    assert patterns.trailing_re().sub("", "城镇调查失业率不高于") == "城镇调查失业率"
    assert patterns.to_after_re().match("提高到8%")
    assert patterns.modifiers_re().sub("", "三年年均同比增长") == "增长"
    assert patterns.dropped_inside_re().sub("", "已完成同比增长") == "完成增长"
    assert patterns.whole_area_re().sub(r"\1", "全县将力争实施") == "全县实施"
    assert patterns.condition_re().sub("", "扣除留抵退税因素后可比增长") == "可比增长"
    assert patterns.generic_actor_re().match("各地可").group(0) == "各地可"
    assert patterns.past_clause_re().match("去年增长") and not patterns.past_clause_re().match("上年同期")
    assert patterns.ranking_re().search("居全省第3位")
    assert patterns.strong_cue_re("plan").search("新的一年") and not patterns.strong_cue_re("plan").search(
        "去年"
    )


def test_five_year_plans_cover_the_pattern_and_end_in_a_year() -> None:
    """roles.py and timeframe.py read 十[三四五六]五; each must have its last year."""
    plans = lexicon.mapping("five_year_plans.tsv")
    assert set(plans) == {f"十{d}五" for d in "三四五六"}
    years = [lexicon.five_year_end(name) for name in plans]
    assert years == sorted(years) and all(y % 5 == 0 for y in years)


def test_list_gaps_and_investment() -> None:
    assert "、" in lexicon.list_gaps() and "以及" in lexicon.list_gaps()
    m = patterns.invest_re().search("项目总投资约5.2亿元")
    assert m and (m.group(1), m.group(2)) == ("5.2", "亿")


def test_normalisation_table_has_no_chains() -> None:
    """The copy is made with one replace per changed character in turn (normalize._translate):
    that equals one pass of str.translate only while no character maps to another that changes
    again (traditional_chars.tsv: no 'A -> B' beside 'B -> C')."""
    from luoshi.extraction import normalize

    table = normalize._table()
    chained = {chr(k): chr(v) for k, v in table.items() if v != k and table.get(v, v) != v}
    assert not chained
    # (after 4,000 plain characters, so the sparse path runs, not str.translate itself)
    text = "的" * 4000 + "".join(chr(k) for k in table) + "，的２０２４年"
    assert normalize._translate(text) == text.translate(table)
