"""Page chrome copied along with a web page: navigation, share buttons, telephone numbers,
"关注公众号", ICP numbers, image file names, timestamps.

``chrome_spans`` finds it (patterns in ``data/lexicon/chrome.tsv``) so that no figure is read
from it: a short line with chrome on it is chrome as a whole. Inside a paragraph a telephone
number is no figure anyway (no unit; quantities filters "023-61520697"), so long lines are
not searched, which keeps the scan to the few short lines of a text.
"""

from __future__ import annotations

import bisect

from luoshi.extraction.patterns import chrome_re

__all__ = ["ChromeIndex", "chrome_spans"]

_SHORT_LINE = 120  # a line this short holding chrome is page furniture, not a paragraph


def chrome_spans(norm: str) -> list[tuple[int, int]]:
    """Sorted ``[start, end)`` spans of the short lines of page chrome in the normalised text:
    lines of 1 to ``_SHORT_LINE`` characters with no 。 (no sentence in them)."""
    search = chrome_re().search
    spans: list[tuple[int, int]] = []
    # the lines found with str.find, a few instructions per character (a regular expression
    # for short lines tried at every position costs 25 times that: 3% of an extraction)
    find, n, start = norm.find, len(norm), 0
    while start < n:
        end = find("\n", start)
        if end < 0:
            end = n
        if 0 < end - start <= _SHORT_LINE and find("。", start, end) < 0 and search(norm, start, end):
            spans.append((start, end))
        start = end + 1
    return spans


class ChromeIndex:
    """Is a position inside page chrome? O(log n) per look-up."""

    def __init__(self, norm: str) -> None:
        self.spans = chrome_spans(norm)
        self._starts = [s for s, _ in self.spans]

    def __contains__(self, pos: int) -> bool:
        if not self.spans:
            return False
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self.spans[i][1]
