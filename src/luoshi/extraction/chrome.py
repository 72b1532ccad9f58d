"""Page chrome copied along with a web page: navigation, share buttons, telephone numbers,
"关注公众号", ICP numbers, image file names, timestamps.

``chrome_spans`` finds it (patterns in ``data/lexicon/chrome.tsv``) so that no figure is read
from it. A short line with chrome on it is chrome as a whole; in a long line (a paragraph) only
the matched text is.
"""

from __future__ import annotations

import bisect

from luoshi.extraction.patterns import chrome_re

__all__ = ["ChromeIndex", "chrome_spans"]

_SHORT_LINE = 120  # a line this short holding chrome is page furniture, not a paragraph


def chrome_spans(norm: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``[start, end)`` spans of page chrome in the normalised text."""
    out: list[tuple[int, int]] = []
    pattern = chrome_re()
    for m in pattern.finditer(norm):
        # look for the line's ends only within a short line's reach (linear on one-line text)
        lo = max(0, m.start() - _SHORT_LINE - 1)
        line_start = norm.rfind("\n", lo, m.start()) + 1 if m.start() > lo else 0
        if line_start == 0 and lo > 0:
            line_start = -_SHORT_LINE  # no break in reach: a long line
        line_end = norm.find("\n", m.end(), m.end() + _SHORT_LINE + 1)
        if line_end < 0:
            line_end = len(norm) if len(norm) - m.end() <= _SHORT_LINE else len(norm) + _SHORT_LINE
        short = line_end - line_start <= _SHORT_LINE
        span = (line_start, line_end) if short else m.span()
        if out and span[0] <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], span[1]))
        else:
            out.append(span)
    return out


class ChromeIndex:
    """Is a position inside page chrome? O(log n) per look-up."""

    def __init__(self, norm: str) -> None:
        self.spans = chrome_spans(norm)
        self._starts = [s for s, _ in self.spans]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]
