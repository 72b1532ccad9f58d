"""HTML -> text of the page body: block elements become line breaks, scripts and styles go."""

from __future__ import annotations

import re
from typing import Any

from luoshi.sources.textcodec import decode_bytes

__all__ = ["decode_html", "html_to_text"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""",
    re.I,
)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "gb_2312-80", "euc-cn"}
# Not "head" as a whole: html.parser does not close an unclosed <head>, so a sloppy page's
# body can sit inside it. Its invisible parts are dropped one by one instead.
_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "title",
    "meta",
    "link",
    "iframe",
    "object",
    "svg",
    "nav",
    "footer",
    "aside",
)
# Site furniture on pages without semantic tags (class/id tokens, whole words only).
_BOILERPLATE = frozenset(
    {"footer", "foot", "nav", "navbar", "menu", "breadcrumb", "crumbs", "share", "copyright", "sidebar"}
)
_BLOCK = frozenset(
    """address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav
    ol p pre section summary table tbody tfoot thead tr ul""".split()
)
_CELL = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an html file: BOM, then the charset its <meta> declares, then detection."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        match = _META_CHARSET.search(data[:8192])
        if match:
            declared = (match.group(1) or match.group(2)).decode("ascii").lower()
            encoding = "gb18030" if declared in _GB_FAMILY else declared
            try:
                return data.decode(encoding), encoding
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong or unknown declaration is common: detect instead
    return decode_bytes(data)


def html_to_text(markup: str) -> str:
    """Visible text of the body, one block per line, whitespace collapsed as a browser does."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, PreformattedString, Tag

    soup = BeautifulSoup(markup, _parser())
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(_is_boilerplate):
        tag.decompose()
    root: Any = soup.body or soup
    pieces: list[str] = []
    for node in root.descendants:
        if isinstance(node, Tag):
            name = node.name.lower()
            if name == "br" or name in _BLOCK:
                pieces.append("\n")
            elif name in _CELL:
                pieces.append("\t")
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            raw = str(node)
            # Inside <pre> line breaks are content; elsewhere whitespace collapses as in a browser.
            pieces.append(raw if node.find_parent("pre") is not None else _SPACES.sub(" ", raw))
        if not isinstance(node, Tag) or not node.contents:
            _close_blocks(node, pieces)  # a leaf: the blocks it ends close here
    return _tidy("".join(pieces))


def _parser() -> str:
    """lxml (always present: python-docx needs it) is linear on broken markup where the
    stdlib's html.parser is not (an unterminated ``<!--`` rescans to the end, quadratic)."""
    try:
        import lxml  # noqa: F401
    except ImportError:  # pragma: no cover - python-docx pulls lxml in
        return "html.parser"
    return "lxml"


def _is_boilerplate(tag: Any) -> bool:
    if tag.name not in ("div", "ul", "section", "header", "table"):
        return False
    tokens = {str(c).lower() for c in tag.get("class") or ()}
    tokens.update(re.split(r"[-_\s]+", str(tag.get("id") or "").lower()))
    return not tokens.isdisjoint(_BOILERPLATE)


def _close_blocks(node: Any, pieces: list[str]) -> None:
    """After the last leaf inside block elements, end their lines (descendants has no end event)."""
    while node is not None and node.next_sibling is None:
        node = node.parent
        if node is None or getattr(node, "name", None) is None:
            return
        if node.name.lower() in _BLOCK:
            pieces.append("\n")


def _tidy(text: str) -> str:
    lines = (line.strip(" \t") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
