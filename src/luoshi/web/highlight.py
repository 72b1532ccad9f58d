"""Source text with figures highlighted: escaped text, <mark> around each span, optional links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Mark", "highlight", "paragraphs", "sentence_with_figure"]


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    href: str | None = None
    title: str = ""
    css: str = "fig"


def highlight(text: str, marks: Sequence[Mark], start: int = 0, end: int | None = None) -> Markup:
    """``text[start:end]`` escaped, with non-overlapping ``marks`` (absolute offsets) wrapped."""
    end = len(text) if end is None else min(end, len(text))
    out: list[str] = []
    pos = start
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        if m.start < pos or m.end > end or m.start >= m.end:
            continue  # overlapping or outside: leave as plain text rather than break markup
        out.append(str(escape(text[pos : m.start])))
        inner = escape(text[m.start : m.end])
        title = f' title="{escape(m.title)}"' if m.title else ""
        if m.href:
            inner = Markup(f'<a href="{escape(m.href)}"{title}>{inner}</a>')
            title = ""
        out.append(f'<mark class="{escape(m.css)}"{title} id="s{m.start}">{inner}</mark>')
        pos = m.end
    out.append(str(escape(text[pos:end])))
    return Markup("".join(out))


def sentence_with_figure(
    text: str, sentence: tuple[int | None, int | None], span: tuple[int | None, int | None]
) -> Markup | None:
    """The source sentence of a target with its figure highlighted (None when spans are unknown)."""
    s0, s1 = sentence
    f0, f1 = span
    if f0 is None or f1 is None:
        return None
    if s0 is None or s1 is None or not (s0 <= f0 <= f1 <= s1):
        s0, s1 = max(0, f0 - 60), min(len(text), f1 + 60)
    return highlight(text, [Mark(f0, f1)], s0, s1)


def paragraphs(text: str, marks: Sequence[Mark]) -> Markup:
    """The whole text as ``<p>`` per non-empty line, with the marks (offsets stay those of ``text``)."""
    out: list[str] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip():
            inside = [m for m in marks if start <= m.start and m.end <= end]
            out.append(f"<p>{highlight(text, inside, start, end)}</p>")
    return Markup("".join(out))
