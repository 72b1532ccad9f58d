"""Page chrome copied along with a web page: navigation, share buttons, telephone numbers,
"关注公众号", ICP numbers, image file names, timestamps.

``chrome_spans`` finds it (patterns in ``data/lexicon/chrome.tsv``) so that no figure is read
from it: a short line with chrome on it is chrome as a whole. Inside a paragraph a telephone
number is no figure anyway (no unit; quantities filters "023-61520697"), so long lines are
not searched, which keeps the scan to the few short lines of a text.
"""

from __future__ import annotations

import bisect
import re

from luoshi.extraction.patterns import chrome_re

__all__ = ["ChromeIndex", "chrome_spans"]

_SHORT_LINE = 120  # a line this short holding chrome is page furniture, not a paragraph
_SHORT_LINES = re.compile(rf"^[^\n。]{{1,{_SHORT_LINE}}}$", re.MULTILINE)  # no sentence in it


def chrome_spans(norm: str) -> list[tuple[int, int]]:
    """Sorted ``[start, end)`` spans of the short lines of page chrome in the normalised text."""
    search = chrome_re().search
    return [m.span() for m in _SHORT_LINES.finditer(norm) if search(norm, m.start(), m.end())]


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
