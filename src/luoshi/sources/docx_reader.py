"""Word .docx -> text: body paragraphs and tables in document order, one paragraph per line.

Automatic list numbers (``一、`` typed by Word, not the author) are rendered into the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from luoshi.sources.docx_numbering import Numbering

__all__ = ["read_docx"]


def read_docx(path: Path) -> str:
    """Return the text of a .docx; raises ValueError (with a reason) when it is not one."""
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise ValueError("不是有效的 .docx 文件（不是 zip 包，或已损坏）") from exc
    except KeyError as exc:
        raise ValueError("不是有效的 .docx 文件（zip 包中没有 Word 文档）") from exc
    except Exception as exc:  # lxml/zip errors of a damaged package vary by library version
        raise ValueError("docx 文件已损坏，无法读取") from exc
    return "\n".join(_Walker(Numbering(document)).blocks(document.element.body))


# Runs anywhere in the paragraph (inside hyperlinks, tracked insertions, smart tags, fields,
# inline content controls), except deleted text and text boxes (drawn beside the text, and
# stored twice: as the drawing and as its VML fallback).
_RUNS = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)"
    " and not(ancestor::*[local-name()='Fallback'])]"
)


def _paragraph_text(p: Any) -> str:
    # CT_R.text renders w:t, tabs, breaks and no-break hyphens as Word shows them.
    return "".join(str(r.text) for r in p.xpath(_RUNS))


class _Walker:
    def __init__(self, numbering: Numbering) -> None:
        from docx.oxml.ns import qn

        self.numbering = numbering
        self.p_tag, self.tbl_tag = qn("w:p"), qn("w:tbl")
        self.tr_tag, self.tc_tag = qn("w:tr"), qn("w:tc")
        self.wrappers = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}

    def blocks(self, body: Any) -> Iterator[str]:
        """Paragraph and table-row lines of a body (or table cell) element, in order."""
        for child in body.iterchildren():
            if child.tag == self.p_tag:
                yield self.numbering.label(child) + _paragraph_text(child)
            elif child.tag == self.tbl_tag:
                yield from self.table_lines(child)
            elif child.tag in self.wrappers:
                # Content controls and custom XML wrap ordinary paragraphs and tables.
                yield from self.blocks(child)

    def table_lines(self, tbl: Any) -> Iterator[str]:
        """One line per row, cells separated by a tab; a merged cell is written once."""
        for tr in tbl.iterchildren(self.tr_tag):
            cells: list[str] = []
            for tc in tr.iterchildren(self.tc_tag):
                # A cell may hold several paragraphs or a nested table: keep its text on the
                # row's line so an indicator and its figure stay together.
                text = " ".join(line for line in self.blocks(tc) if line.strip())
                if not cells or text != cells[-1]:
                    cells.append(text)
            line = "\t".join(cells)
            if line.strip():
                yield line
