"""Hedge class of a target: hard (确保/不低于/以上), soft (左右/力争/努力), range, or ceiling (以内).

Words are data (``data/hedges.tsv``). The class is read from the target's clause before its
figure and the few characters after it; a range comparator is always ``range``; with no hedge
word the comparator decides (~ soft, <= ceiling, >= and = hard: a plain figure is not hedged).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from luoshi.extraction.model import Item
from luoshi.review.verdicts import clause_before

__all__ = ["HEDGE_CLASSES", "hedge_class", "hedge_words"]

HEDGE_CLASSES: tuple[str, ...] = ("hard", "soft", "range", "ceiling")
_PRIORITY = {"soft": 0, "ceiling": 1, "hard": 2}
_BY_COMPARATOR = {"~": "soft", "<=": "ceiling", ">=": "hard", "=": "hard", "range": "range"}
_AFTER = 6  # characters after the figure read for 以上/左右/以内


@cache
def hedge_words() -> dict[str, str]:
    """Hedge word -> class, from the data file."""
    text = resources.files("luoshi.corpus").joinpath("data/hedges.tsv").read_text("utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    return {word: cls for word, cls in rows[1:]}


@cache
def _pattern() -> re.Pattern[str]:
    # longest first, so 不低于 is read as one word (hard), not 低于 (ceiling)
    return re.compile("|".join(re.escape(w) for w in sorted(hedge_words(), key=len, reverse=True)))


def hedge_class(target: Item, text: str) -> tuple[str, str]:
    """(class, the hedge word that decided it, "" when the comparator did)."""
    if target.comparator == "range":
        return "range", ""
    window = clause_before(target, text) + target.surface + text[target.span[1] : target.span[1] + _AFTER]
    cut = re.search(r"[，,；;。]", text[target.span[1] : target.span[1] + _AFTER])
    if cut:  # the next clause's words are not this figure's hedge
        window = window[: len(window) - (_AFTER - cut.start())]
    words = hedge_words()
    found = sorted(
        ((_PRIORITY[words[m.group(0)]], m.start(), m.group(0)) for m in _pattern().finditer(window)),
    )
    if found:
        _prio, _pos, word = found[0]
        return words[word], word
    return _BY_COMPARATOR.get(target.comparator, "hard"), ""
