"""A matching copy of the text: half-width, simplified, SAME LENGTH as the original.

Every rule runs on this copy; because each character keeps its index, spans found in the
copy are spans in the original text (the traceability promise).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

__all__ = ["canonical_unit", "changed_chars", "looks_traditional", "normalize", "normalize_marked"]

# full-width ASCII block -> ASCII; ideographic space -> space; a few look-alike signs
_TABLE: dict[int, int] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_TABLE.update(
    {0x0D: 0x20, 0x0C: 0x0A, 0x0B: 0x0A, 0x85: 0x0A, 0x2028: 0x0A, 0x2029: 0x0A}
)  # CRLF, page breaks
_TABLE.update(
    {
        0x3000: 0x20,
        0x00A0: 0x20,
        0x2236: ord(":"),
        0xFE6A: ord("%"),
        0x2030: 0x2030,
        0x3007: ord("〇"),
        0x2212: ord("-"),
    }
)

# characters common in traditional text and absent from simplified text
_TRAD_MARKERS = frozenset("億萬個國經濟發這會與為產業區們時開過進來長體對現實動點處還務項達標點環")


def looks_traditional(text: str, sample: int = 20000) -> bool:
    """True when a sample of the text holds enough traditional-only characters."""
    head = text[:sample]
    hits = len(_trad_markers_re().findall(head))  # (counted in C: a loop per character cost 5%)
    return hits >= 1 and hits * 400 >= min(len(head), sample)


@cache
def _trad_markers_re() -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(_TRAD_MARKERS)) + "]")


@cache
def _converter() -> Any:
    import opencc  # imported lazily: most reports are simplified

    return opencc.OpenCC("t2s")


_SURROGATE = re.compile(f"[{chr(0xD800)}-{chr(0xDFFF)}]")  # (no surrogate literal: mypyc rejects it)


def _to_simplified(text: str) -> str:
    text = _SURROGATE.sub("?", text)  # lone surrogates cannot go through OpenCC (UTF-8)
    conv = _converter()
    out = conv.convert(text)
    if len(out) == len(text):
        return str(out)
    # phrase conversion changed the length somewhere: convert line by line, and fall back
    # to character by character on the lines that still differ
    parts: list[str] = []
    for line in text.splitlines(keepends=True):
        c = str(conv.convert(line))
        if len(c) != len(line):
            chars = [str(conv.convert(ch)) for ch in line]
            c = "".join(x if len(x) == 1 else ch for x, ch in zip(chars, line, strict=True))
        parts.append(c)
    return "".join(parts)


@cache
def _table() -> dict[int, int]:
    from luoshi.extraction import lexicon

    table = dict(_TABLE)
    for trad, simp in lexicon.rows("traditional_chars.tsv"):
        if len(trad) == 1 and len(simp) == 1:
            table[ord(trad)] = ord(simp)
    return table


@cache
def _sparse() -> tuple[re.Pattern[str], dict[str, str]]:
    table = _table()
    chars = "".join(re.escape(chr(k)) for k in sorted(table))
    return re.compile(f"[{chars}]"), {chr(k): chr(v) for k, v in table.items()}


def _translate(text: str) -> str:
    """``text.translate(_table())``, faster where few characters change: str.translate looks up
    every character in a dict, a character class finds the few that change in C."""
    pattern, repl = _sparse()
    sample = text[:4000]
    if len(pattern.findall(sample)) * 8 > len(sample):
        return text.translate(_table())  # dense (traditional text): translate is faster
    # one replace per distinct character that changes (a few dozen passes in C), not a call
    # back into Python per changed character (a full-width comma every 30 characters)
    for ch in set(pattern.findall(text)):
        text = text.replace(ch, repl[ch])
    return text


def normalize(text: str) -> str:
    """Half-width, simplified copy of ``text`` with exactly the same length."""
    return normalize_marked(text)[0]


def normalize_marked(text: str) -> tuple[str, bool]:
    """:func:`normalize`, and whether the copy was converted to simplified script as a whole
    (else it differs from ``text`` only where :func:`changed_chars` finds a character)."""
    out = _translate(text)
    converted = looks_traditional(out)
    if converted:
        out = _to_simplified(out)
    assert len(out) == len(text)
    return out, converted


def changed_chars() -> re.Pattern[str]:
    """The characters that the table of :func:`normalize` may change (one class, searched in C)."""
    return _sparse()[0]


def canonical_unit(unit: str) -> str:
    """A unit in half-width simplified form ("個" -> "个", "％" -> "%"), to compare units of
    reports written in different scripts (items keep the document's own characters)."""
    out = unit.translate(_TABLE)
    if any(ord(ch) > 0x7F for ch in out):
        out = _to_simplified(out)
    return {"名": "人", "位": "人", "个百分点": "百分点"}.get(out, out)
