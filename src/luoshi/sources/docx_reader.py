"""Word .docx -> text: body paragraphs and tables in document order, one paragraph per line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["read_docx"]


def read_docx(path: Path) -> str:
    """Return the text of a .docx; raises ValueError (with a reason) when it is not one."""
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise ValueError("not a valid .docx file (not a zip package, or damaged)") from exc
    except KeyError as exc:
        raise ValueError("not a valid .docx file (a zip without a Word document in it)") from exc
    except Exception as exc:  # lxml/zip errors of a damaged package vary by library version
        raise ValueError(f"damaged .docx file ({exc.__class__.__name__}: {exc})") from exc
    return "\n".join(_blocks(document.element.body))


def _blocks(body: Any) -> Iterator[str]:
    """Paragraph and table-row lines of a body (or table cell) element, in order."""
    from docx.oxml.ns import qn

    p_tag, tbl_tag = qn("w:p"), qn("w:tbl")
    wrappers = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
    for child in body.iterchildren():
        if child.tag == p_tag:
            yield _paragraph_text(child)
        elif child.tag == tbl_tag:
            yield from _table_lines(child)
        elif child.tag in wrappers:
            # Content controls and custom XML wrap ordinary paragraphs and tables.
            yield from _blocks(child)


def _paragraph_text(p: Any) -> str:
    # CT_P.text joins runs, tabs, breaks and hyperlink text as Word shows them.
    return str(p.text)


def _table_lines(tbl: Any) -> Iterator[str]:
    """One line per row, cells separated by a tab; a merged cell is written once."""
    from docx.oxml.ns import qn

    tr_tag, tc_tag = qn("w:tr"), qn("w:tc")
    for tr in tbl.iterchildren(tr_tag):
        cells: list[str] = []
        for tc in tr.iterchildren(tc_tag):
            # A cell may hold several paragraphs or even a nested table: keep its text on the
            # row's line so an indicator and its figure stay together.
            text = " ".join(line for line in _blocks(tc) if line.strip())
            if not cells or text != cells[-1]:
                cells.append(text)
        line = "\t".join(cells)
        if line.strip():
            yield line
