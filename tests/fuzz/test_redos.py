"""ReDoS guard: pathological inputs finish. Each runs in a subprocess with a generous timeout,
so a catastrophically backtracking pattern fails the test instead of hanging the suite.
This is a correctness guard, not a speed test (speed lives in benchmarks/bench_extract.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# name -> Python expression building the input (evaluated in the child process).
PATHOLOGICAL = {
    "100k digits": "'1' * 100_000",
    "50k digits then 万": "'1' * 50_000 + '万'",
    "digits with decimal points": "'1.' * 50_000",
    "spaced digits": "'1 ' * 50_000 + '%'",
    "full-width digits": "'１' * 100_000 + '％'",
    "以上 repeated": "'以上' * 50_000",
    "增长 then digits repeated": "'增长1' * 40_000",
    "full stops": "'。' * 100_000",
    "enumeration commas": "'、' * 100_000",
    "numbered enumeration": "'1、' * 50_000",
    "chinese numerals": "'一二三四五六七八九十百千万亿' * 8_000",
    "multipliers": "'万亿' * 50_000",
    "open brackets": "'（' * 50_000 + '1万人'",
    "open quotes": "'“' * 50_000 + '3510'",
    "约 then a figure": "'约' * 50_000 + '1'",
    "ordinal prefix": "'第' * 50_000 + '十八届'",
    "percent signs": "'%' * 100_000",
    "project names": "'重点项目' * 30_000 + '工程'",
    "one endless sentence": "'新建5G基站300座以上，' * 10_000",
    "no line breaks": "'城镇新增就业1.2万人以上' * 10_000",
    "blank lines": "'\\n' * 100_000 + '一、'",
    "range dashes": "'1-' * 50_000",
    # time frame patterns (extraction/timeframe.py)
    "rankings without 第": "'居' * 50_000 + '增长5%'",
    "years repeated": "'2023年' * 20_000 + '增长5%'",
    "years cut by line breaks": "'20\\n2\\n3' * 20_000 + '年增长5%'",
    "anchor words cut by line breaks": "'新\\n的\\n一' * 20_000 + '年新增5个'",
    "five-year plans": "'“十四五' * 20_000 + '”时期增长5%'",
    "datelines": "'2025-01-0' * 20_000",
    # patterns built from the lexicon (issue 8): chrome, layout, predicates, units, modifiers
    "telephone lines": "'举报电话:023-61520697 ' * 20_000",
    "telephone words": "'电话' * 50_000 + '1234567'",
    "ICP numbers": "'鲁ICP备' * 30_000 + '12345678号'",
    "timestamps on one line": "'2024-01-24 07:49:15 ' * 20_000",
    "image names": "'a.jpg ' * 30_000",
    "breadcrumbs": "'首页 > ' * 30_000",
    "space-separated list": "'新增停车位500个 ' * 20_000",
    "dash-separated list": "'改造10个 - ' * 20_000",
    "circled numbers": "'①' * 50_000 + '新增1万人'",
    "bracket markers": "'(1)' * 50_000 + '新增1万人'",
    "pinyin gloss": "'增长(' + 'a ' * 50_000 + ')5%'",
    "predicates only": "'累计达到' * 30_000 + '5%'",
    "qualifier run": "'占全省' * 30_000 + '36%'",
    "person nouns after 万": "'1万' + '农民' * 50_000",
    "fen and mao list": "'3分、' * 40_000 + '1毛钱'",
    "rate units": "'5元/' * 40_000 + '平方公里'",
    "ages as modifiers": "'60岁以上' * 20_000",
    "rankings": "'第25位、' * 30_000",
    "chinese numerals before units": "'五十艘' * 30_000",
}

_CHILD = """
import sys, time
from luoshi.extraction import extract_text
text = eval(sys.argv[1])
t = time.perf_counter()
plan = extract_text(text)
for item in plan.targets + plan.outcomes:
    assert 0 <= item.span[0] < item.span[1] <= len(text)
print(f"{len(text)} chars in {time.perf_counter() - t:.2f}s")
"""


@pytest.mark.parametrize("expr", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_input_finishes(expr: str) -> None:
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, expr], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"extraction of {expr} did not finish within 60 s: a regex backtracks or a loop is quadratic"
        )
    assert proc.returncode == 0, proc.stderr[-2000:]


# Pathological files through the readers (html parsing, pdf reflow, txt detection).
PATHOLOGICAL_FILES = {
    "unterminated comments.html": "('<!--' * 50_000).encode()",
    "deep nesting.html": "('<div>' * 50_000 + '城镇新增就业1万人').encode()",
    "unclosed paragraphs.html": "('<p>1万' * 50_000).encode()",
    "one huge gbk line.txt": "('新建5G基站300座' * 300_000).encode('gbk')",
    "control characters.txt": "('城镇' * 1000 + '\\x01' * 1000).encode()",
}

_CHILD_FILE = """
import sys, pathlib
from luoshi.sources import SourceError, load
path = pathlib.Path(sys.argv[2])
path.write_bytes(eval(sys.argv[1]))
try:
    load(path)
except SourceError:
    pass
"""


@pytest.mark.parametrize(("name", "expr"), PATHOLOGICAL_FILES.items(), ids=PATHOLOGICAL_FILES.keys())
def test_pathological_file_finishes(tmp_path: Path, name: str, expr: str) -> None:
    path = tmp_path / name.replace(" ", "-")
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD_FILE, expr, str(path)], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {name} did not finish within 60 s")
    assert proc.returncode == 0, proc.stderr[-2000:]


# Every pattern built from the lexicon, run directly on hostile strings.
_CHILD_PATTERNS = """
import sys
from luoshi.extraction import patterns
samples = ['1' * 100_000, '电话' * 50_000, '(' * 50_000, ' ' * 100_000, '累计' * 50_000,
           '占全省' * 30_000, 'ICP' * 30_000, '万' * 100_000, '-' * 100_000, '.jpg' * 30_000,
           # the clause, role, document and project word patterns (issue 8)
           '控制在' * 30_000, '扣除' * 50_000, '全县将' * 30_000, '各地可' * 30_000, '居全省' * 30_000,
           '2024年' * 20_000, '某某区' * 30_000 + '人民政府', '总投资' * 30_000 + '5亿元', '去年' * 50_000]
pattern = patterns.registry()[sys.argv[1]]()
for s in samples:
    sum(1 for _ in pattern.finditer(s))
"""


@pytest.mark.parametrize(
    "name", sorted(__import__("luoshi.extraction.patterns", fromlist=["registry"]).registry())
)
def test_lexicon_pattern_is_linear(name: str) -> None:
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD_PATTERNS, name], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"pattern {name} did not finish within 60 s on a hostile string")
    assert proc.returncode == 0, proc.stderr[-2000:]
